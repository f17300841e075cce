import pytest
from django.test import Client


@pytest.fixture
def client() -> Client:
    """API tests run with the CSRF checks on, as a browser and another system meet them (Django's
    default test client switches them off, which hid issue 10's first defect)."""
    return Client(enforce_csrf_checks=True)

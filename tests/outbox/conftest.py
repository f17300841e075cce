import pytest


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    """The tests' receivers listen on 127.0.0.1: an intranet host allowed by the setting (a test of
    the refusal empties it)."""
    settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = ["127.0.0.1"]

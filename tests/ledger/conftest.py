import pytest

from tests.ledger.helpers import ledger_purge


@pytest.fixture
def purge_ledger_after(transactional_db):
    """For `transaction=True` tests that leave ledger rows behind."""
    yield
    ledger_purge()


@pytest.fixture
def system_user(db):
    from sanxiang.accounts.models import User

    return User.objects.create(username="ledger-admin", role="system_admin", display_name="系统管理员")

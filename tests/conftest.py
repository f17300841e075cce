import pytest


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly takes ~0.3 s each; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    """Each test gets its own data folder, so nothing leaks into ./var."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = settings.DATA_DIR / "files"
    return settings.DATA_DIR

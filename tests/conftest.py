import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """The README's plain `pytest` runs in parallel: as many workers as the machine has cores
    (`-n auto`; two on the CI machine), whole files per worker (`--dist loadfile`, so that a
    module's expensive fixture, such as the served demo, is set up once). Developers keep the
    serial run with `-n 0` or `-p no:xdist`; an explicit `-n N` still chooses its own count.

    Done here rather than in addopts, because `-n` in addopts is an unknown option once
    `-p no:xdist` is given. This hook runs before xdist's own (both try first; a conftest is
    registered after the plugin), while the options can still be changed."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    option = config.option
    if option.numprocesses is None and not option.tx and not option.collectonly and not option.usepdb:
        option.numprocesses = "auto"
    if option.numprocesses and option.dist == "no":
        option.dist = "loadfile"


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly takes ~0.3 s each; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Documents' Word copies in the step's own transaction, as before they could follow it: the tests
    # of the background path (tests/cases/test_document_copies.py) set "background" themselves.
    settings.SANXIANG_DOCUMENT_COPIES = "in_step"


@pytest.fixture(scope="session")
def browser():
    """pytest-playwright's session-wide browser (behind its `page` and `context` fixtures) leaves an
    event loop marked running in the worker's thread, and every database test that the worker
    runs after it fails: browser tests take tests/e2e's `chromium_page` or `browser_page`."""
    pytest.fail("use the chromium_page or browser_page fixture (tests/e2e/conftest.py), not pytest-playwright's page")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    """Each test gets its own data folder, so nothing leaks into ./var."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = settings.DATA_DIR / "files"
    return settings.DATA_DIR

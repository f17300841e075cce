import shutil
from contextlib import contextmanager

import pytest

from tests.e2e import demo_cli
from tests.ledger.helpers import ledger_purge

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _async_unsafe_for_browser_tests(request, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would then refuse
    # database access from the test's own code. Only browser tests need the escape hatch.
    if "e2e" in request.keywords:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def chromium_page_open():
    """A page of Debian's headless Chromium, for one test. Never through pytest-playwright's
    session fixtures (`page`, `browser`): its sync API leaves an event loop marked running in the
    worker's thread until the session ends, in which Django then refuses all database work. Run
    serially that went unseen, because pytest moves those fixtures' `[chromium]` tests to the end
    of the session; with pytest-xdist's `--dist loadfile` a file's tests run together, and every
    database test that the worker ran afterwards failed (SynchronousOnlyOperation)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


@pytest.fixture
def chromium_page(monkeypatch):
    """A browser page for a test against a server of its own (no live server, no database)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page_open() as page:
        yield page


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A browser page for a test against the live server (see chromium_page_open). The live
    server's transactional tests leave ledger rows behind, which the append-only triggers keep
    from the flush: they are purged here, once the browser has stopped."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test's own queries, while it runs
    with chromium_page_open() as page:
        yield page
    ledger_purge()


# The README's first command, run as a user runs it, for tests/e2e/test_demo.py and test_crawl.py: one
# load for both (they are one unit of work for xdist, SHARED_DEMO_GROUPS in tests/conftest.py).
@pytest.fixture(scope="session")
def demo_first_run(tmp_path_factory):
    """`sanxiang demo --no-serve` on a new data folder: it loads the county."""
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    process = demo_cli.sanxiang("demo", "--no-serve", data_dir=data_dir)
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 0, output
    return {"data_dir": data_dir, "output": output}


@pytest.fixture(scope="session")
def demo_server(demo_first_run):
    """`sanxiang demo` again on the same folder: it finds the county there, loads nothing and serves."""
    yield from demo_cli.demo_serve(demo_first_run["data_dir"])

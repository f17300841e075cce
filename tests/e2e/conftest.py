import shutil

import pytest

from tests.ledger.helpers import ledger_purge

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Playwright cannot download its own browser here: use Debian's, without the background
    # networking that the closed network would refuse.
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"],
    }


@pytest.fixture(autouse=True)
def _async_unsafe_for_browser_tests(request, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would then refuse
    # database access from the test's own code. Only browser tests need the escape hatch.
    if "e2e" in request.keywords:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A page of Debian's headless Chromium, started here rather than through pytest-playwright's
    session fixtures: its sync API leaves an event loop marked running in this thread, in which
    Django refuses database work, so it must stop before the next test (as in
    tests/evidence/test_evidence_widget.py). The live server's transactional tests leave ledger
    rows behind, which the append-only triggers keep from the flush: they are purged here."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test's own queries, while it runs
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            yield page
        finally:
            browser.close()
    ledger_purge()


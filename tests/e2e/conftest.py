import shutil

import pytest

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

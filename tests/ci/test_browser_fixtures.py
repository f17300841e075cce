"""Browser tests must not leave an event loop running in a worker (pytest-xdist runs files one
after another in each worker): none may use pytest-playwright's session-wide fixtures."""

PLAYWRIGHT_SESSION_FIXTURES = {"playwright", "browser", "context", "page", "new_context"}


def test_no_test_uses_pytest_playwrights_session_wide_browser(request):
    users = []
    for item in request.session.items:
        info = getattr(item, "_fixtureinfo", None)
        for name in PLAYWRIGHT_SESSION_FIXTURES & set(getattr(item, "fixturenames", ())):
            definitions = info.name2fixturedefs.get(name, ()) if info else ()
            if definitions and definitions[-1].func.__module__.startswith("pytest_playwright"):
                users.append(f"{item.nodeid} uses {name}")
    assert users == [], "use chromium_page or browser_page (tests/e2e/conftest.py) instead"

"""Helpers of the browser tests."""


def login(page, live_server, user) -> None:
    """Log `user` in by giving the browser a session made by Django's test client."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def scroll_width(page) -> int:
    """The page's scroll width, read once the document in the tab has finished loading.

    A click that follows a link only starts the navigation; reading the width at once can land
    between two documents, where `document.documentElement` is null or the execution context is
    destroyed. Wait for a complete document, and read again if a navigation got in between."""
    from playwright.sync_api import Error

    for _ in range(50):
        try:
            page.wait_for_load_state("load")
            width = page.evaluate(
                "() => document.readyState === 'complete' && document.documentElement"
                " ? document.documentElement.scrollWidth : null"
            )
        except Error:
            width = None  # the context was destroyed by a navigation: read the next document
        if width is not None:
            return width
        page.wait_for_timeout(100)
    raise AssertionError("the page never finished loading")

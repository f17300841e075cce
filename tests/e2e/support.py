"""Helpers of the browser tests."""


def login(page, live_server, user) -> None:
    """Log `user` in by giving the browser a session made by Django's test client."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])

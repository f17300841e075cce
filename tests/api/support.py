"""What the API tests share."""

from sanxiang.accounts.services import api_token_create


def bearer(user) -> dict:
    """The header of a fresh API token of `user`, for Django's test client."""
    _, token = api_token_create(actor=user, user=user, name="对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_safe_download(answer) -> None:
    """A file made for the request: an attachment, never sniffed, sandboxed, not cached."""
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff" and answer["Content-Security-Policy"] == "sandbox"
    assert "no-store" in answer["Cache-Control"]

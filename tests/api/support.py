"""What the API tests share."""

from sanxiang.accounts.services import api_token_create


def bearer(user) -> dict:
    """The header of a fresh API token of `user`, for Django's test client."""
    _, token = api_token_create(actor=user, user=user, name="对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

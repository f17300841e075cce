from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from sanxiang.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    """Other systems authenticate with `Authorization: Bearer sx_…` (see ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token=token)
        if user is not None:
            request.user = user
        return user


# Browser sessions (with CSRF on unsafe methods) or bearer tokens.
api_auth = [SessionAuth(), BearerToken()]

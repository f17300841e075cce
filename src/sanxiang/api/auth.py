"""Who calls: another system with `Authorization: Bearer sx_…` (see ApiToken), or a browser with
its login session.

A request that presents a bearer token is judged by the token alone: the session cookie and the
CSRF check play no part (a token is not sent by the browser on its own, so a forged cross-site
request cannot carry it). A browser session still needs the CSRF token on unsafe methods."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from sanxiang.accounts.services import api_token_authenticate


def bearer_presented(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


class CsrfFailed(PermissionDenied):
    pass


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token=token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """Django's login session, with the CSRF check on unsafe methods, for requests without a
    bearer token. An anonymous request is not checked for CSRF: it is refused with 401."""

    def _get_key(self, request: HttpRequest):
        if bearer_presented(request) or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed("CSRF 校验失败：请刷新页面后重试")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        if key is None:
            return None
        return super().authenticate(request, key)


api_auth = [BearerToken(), BrowserSession()]

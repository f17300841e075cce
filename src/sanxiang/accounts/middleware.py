"""A user whose password was reset by their administrator must choose their own before anything
else (the temporary password was seen by someone else)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_NAMES = ("accounts:password_change", "accounts:logout")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.path not in {reverse(name) for name in ALLOWED_NAMES}
            and not request.path.startswith("/static/")
        ):
            if request.path.startswith("/api/"):
                if request.headers.get("Authorization", "").lower().startswith("bearer "):
                    # A request with a token is judged by the token alone (sanxiang.api.auth).
                    return self.get_response(request)
                # An API client gets the API's error shape, not a redirect to an HTML page.
                message = "管理员已重置您的密码，请先登录网页设置新密码"
                return JsonResponse(
                    {"error": {"code": "password_change_required", "message": message}, "violations": []},
                    status=403,
                )
            return redirect("accounts:password_change")
        return self.get_response(request)

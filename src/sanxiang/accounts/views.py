"""Login in two steps: password, then (where required or enrolled) a TOTP code. The user is
logged in only after the second step; until then the session holds the pending user id."""

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sanxiang.accounts import services, totp
from sanxiang.accounts.forms import LoginForm, TotpForm
from sanxiang.accounts.models import User

PENDING = "sanxiang_pending_user"
NEXT = "sanxiang_next"


def _safe_next(request: HttpRequest, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    target = request.session.pop(NEXT, None)
    request.session.pop(PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(target or "web:home")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user, error = services.login_attempt(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None:
            request.session.cycle_key()
            request.session[NEXT] = _safe_next(request, request.POST.get("next"))
            if user.requires_totp or user.totp_confirmed:
                request.session[PENDING] = user.pk
                return redirect("accounts:totp")
            return _finish(request, user)
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": request.GET.get("next", "")}, status=200 if not error else 401)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING)
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


def totp_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    enrolling = not user.totp_confirmed
    secret = services.totp_secret_assign(user=user) if enrolling else ""
    form = TotpForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"]):
            return _finish(request, user)
        error = "动态验证码不正确或已使用，请输入验证器上的最新6位数字"
    context = {"form": form, "error": error, "enrolling": enrolling, "user_pending": user}
    if enrolling:
        uri = totp.totp_provisioning_uri(secret, account=user.username)
        context |= {"secret": secret, "qr_svg": segno.make(uri, error="m").svg_inline(scale=4)}
    return render(request, "accounts/totp.html", context, status=200 if not error else 401)


@login_required
def security_view(request: HttpRequest) -> HttpResponse:
    """Two-factor login for users who may choose it; supervisors and system administrators
    have it already, since they cannot log in without it."""
    user = request.user
    form = TotpForm(request.POST or None)
    error = ""
    if user.totp_confirmed:
        return render(request, "accounts/security.html", {"enabled": True})
    secret = services.totp_secret_assign(user=user)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"]):
            messages.success(request, "两步验证已启用，今后登录时需要输入动态验证码")
            return redirect("accounts:security")
        error = "动态验证码不正确或已使用，请输入验证器上的最新6位数字"
    uri = totp.totp_provisioning_uri(secret, account=user.username)
    context = {"enabled": False, "form": form, "error": error, "secret": secret,
               "qr_svg": segno.make(uri, error="m").svg_inline(scale=4)}
    return render(request, "accounts/security.html", context, status=200 if not error else 400)


class PasswordChange(PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改")
        return super().form_valid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")

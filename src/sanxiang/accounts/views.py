"""Login in two steps: password, then (where required or enrolled) a TOTP code. The user is
logged in only after the second step; until then the session holds the pending user, for a few
minutes and a few wrong codes at most. Also the account-security page (second factor, password,
API tokens) and the administrator's page of users (logins for officers, password resets)."""

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sanxiang.accounts import selectors, services
from sanxiang.accounts.forms import (
    ApiTokenForm,
    CountedPasswordChangeForm,
    LoginForm,
    OfficerLoginForm,
    ReauthForm,
    TotpForm,
)
from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import user_can_manage_tokens_of
from sanxiang.procedure.violations import Refused

PENDING = "sanxiang_pending_user"
NEXT = "sanxiang_next"
ENROL_UNTIL = "sanxiang_totp_enrol_until"
WRONG_CODE = "动态验证码不正确或已使用，请输入验证器上的最新6位数字"


def _safe_next(request: HttpRequest, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    target = request.session.pop(NEXT, None)
    request.session.pop(PENDING, None)
    login(request, user, backend="sanxiang.accounts.backends.PasswordBackend")
    if user.must_change_password:
        messages.info(request, "您的密码由管理员重置，请先设置新密码")
        return redirect("accounts:password_change")
    return redirect(target or "web:home")


def _login_page(request: HttpRequest, *, form: LoginForm | None = None, error: str = "", status: int = 200) -> HttpResponse:
    context = {"form": form or LoginForm(), "error": error, "next": request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the login page with the reason."""
    request.session.pop(PENDING, None)
    return _login_page(request, error=services.login_lock_message(), status=429)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        throttled = services.login_address_throttled(request=request)
        if throttled:
            return _login_page(request, form=form, error=throttled, status=429)
        user, error = services.login_attempt(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None:
            request.session.cycle_key()
            request.session[NEXT] = _safe_next(request, request.POST.get("next"))
            if user.requires_totp or user.totp_confirmed:
                request.session[PENDING] = {
                    "user": user.pk,
                    "until": time.time() + settings.SANXIANG_LOGIN_PENDING_SECONDS,
                    "failures": 0,
                }
                return redirect("accounts:totp")
            return _finish(request, user)
    return _login_page(request, form=form, error=error, status=200 if not error else 401)


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() > pending.get("until", 0):
        request.session.pop(PENDING, None)
        messages.error(request, "两步验证已超时，请重新登录")
        return None
    return User.objects.filter(pk=pending.get("user"), is_active=True).first()


def totp_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if services.login_is_locked(request=request, username=user.username):
        return lockout_response(request)
    enrolling = not user.totp_confirmed
    device = services.totp_device_pending(user=user) if enrolling else None
    form = TotpForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        check = services.totp_confirm(user=user, code=code) if enrolling else services.totp_verify(user=user, code=code)
        if check.accepted:
            return _finish(request, user)
        pending = request.session[PENDING]
        pending["failures"] += 1
        request.session[PENDING] = pending
        services.login_failure_count(request=request, username=user.username)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if pending["failures"] >= settings.SANXIANG_TOTP_SESSION_MAX_FAILURES:
            request.session.pop(PENDING, None)
            return _login_page(request, error="动态验证码错误次数过多，请重新输入密码登录", status=401)
        error = f"验证码错误次数过多，请{check.retry_after_seconds}秒后再试" if check.retry_after_seconds else WRONG_CODE
    context = {"form": form, "error": error, "enrolling": enrolling, "user_pending": user}
    if device is not None:
        secret = services.totp_secret_b32(device)
        context |= {"secret": secret, "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4)}
    return _no_store(render(request, "accounts/totp.html", context, status=200 if not error else 401))


@login_required
def security_view(request: HttpRequest) -> HttpResponse:
    """The second factor, the password and the API tokens of the logged-in user. Enrolling or
    replacing an authenticator asks for the password again first; the QR code and secret are
    shown only in the few minutes after that."""
    user = request.user
    enabled = user.totp_confirmed
    enrol_open = time.time() < request.session.get(ENROL_UNTIL, 0)
    reauth = ReauthForm(request.POST if "password" in request.POST else None)
    code_form = TotpForm(request.POST if "code" in request.POST else None)
    error = ""
    status = 400 if request.method == "POST" else 200  # a POST that succeeds redirects
    if request.method == "POST" and "password" in request.POST and reauth.is_valid():
        checked = authenticate(request, username=user.username, password=reauth.cleaned_data["password"])
        if checked is not None and checked.pk == user.pk:
            request.session[ENROL_UNTIL] = time.time() + settings.SANXIANG_LOGIN_PENDING_SECONDS
            services.totp_device_pending(user=user)
            return redirect("accounts:security")
        error = "密码不正确"
    elif request.method == "POST" and "code" in request.POST:
        if not enrol_open:
            error = "请先输入密码"
        elif code_form.is_valid():
            check = services.totp_confirm(user=user, code=code_form.cleaned_data["code"])
            if check.accepted:
                request.session.pop(ENROL_UNTIL, None)
                messages.success(request, "验证器已更换" if enabled else "两步验证已启用，今后登录时需要输入动态验证码")
                return redirect("accounts:security")
            error = f"验证码错误次数过多，请{check.retry_after_seconds}秒后再试" if check.retry_after_seconds else WRONG_CODE
    context = {"enabled": enabled, "enrol_open": enrol_open, "reauth": reauth, "form": code_form, "error": error}
    if enrol_open:
        device = services.totp_device_pending(user=user)
        context |= {"secret": services.totp_secret_b32(device),
                    "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4)}
    return _no_store(render(request, "accounts/security.html", context, status=status))


class PasswordChange(PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")
    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        messages.success(self.request, "密码已修改")
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


# API tokens --------------------------------------------------------------------------------


def _token_page(request: HttpRequest, owner: User) -> HttpResponse:
    """The tokens of `owner`. Only the owner issues one (the form is theirs alone); their
    administrator sees the list and revokes (系统安全规则)."""
    if not user_can_manage_tokens_of(request.user, owner):
        raise PermissionDenied("您没有权限管理该用户的接口令牌")
    own = owner.pk == request.user.pk
    form = ApiTokenForm(request.POST or None) if own else None
    created = None
    # Issuing for someone else is refused on the page itself: the list and the reason, no form.
    status = 403 if request.method == "POST" and not own else 200
    if request.method == "POST" and own:
        status = 400
        if form.is_valid():
            checked = authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"])
            if checked is None or checked.pk != request.user.pk:
                form.add_error("password", "密码不正确")
        if form.is_valid():
            try:
                row, token = services.api_token_create(
                    actor=request.user, user=owner, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
                )
            except Refused as refusal:
                for violation in refusal.violations:
                    form.add_error(violation.field if violation.field in form.fields else None, violation.message)
            else:
                # Shown in this answer only: the token is not stored, and this page is not cached.
                created, form, status = (row, token), ApiTokenForm(), 201
    context = {
        "owner": owner,
        "own": own,
        "tokens": selectors.api_tokens_of(user=owner),
        "form": form,
        "issue_refused": "" if own else services.TOKEN_ISSUE_REFUSED,
        "created": created,
        "now": timezone.now(),
    }
    return _no_store(render(request, "accounts/tokens.html", context, status=status))


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _token_page(request, request.user)


@login_required
def user_token_list(request: HttpRequest, user_id: int) -> HttpResponse:
    # Through the viewer's own scope: another agency's user is answered like a missing one (404).
    owner = request.user if user_id == request.user.pk else selectors.user_administered_get(viewer=request.user, user_id=user_id)
    if owner is None:
        raise Http404
    return _token_page(request, owner)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_manageable_get(viewer=request.user, token_id=token_id)
    if token is None:
        raise Http404  # missing, or another's that the viewer does not administer: alike
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已吊销")
    if token.user_id == request.user.pk:
        return redirect("accounts:tokens")
    return redirect("accounts:user_tokens", token.user_id)


# Users of an agency (agency administrators, system administrators) ------------------------


def _require_user_admin(user: User) -> None:
    if user.role not in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有单位管理员可以管理账号")


def _administered_user(viewer: User, user_id: int) -> User:
    """A user the viewer administers; 404 for a missing one and another agency's alike."""
    target = selectors.user_administered_get(viewer=viewer, user_id=user_id)
    if target is None:
        raise Http404
    return target


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """The logins of the agency: give an officer of the registry a login with a role, reset a
    forgotten password, see and revoke tokens. A new password is temporary and shown once."""
    _require_user_admin(request.user)
    officers = selectors.officers_without_login(viewer=request.user)
    form = OfficerLoginForm(request.POST or None, officers=officers)
    shown = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user, password = services.user_login_create(
                    actor=request.user,
                    officer=form.cleaned_data["officer"],
                    role=form.cleaned_data["role"],
                    username=form.cleaned_data["username"],
                )
            except Refused as refusal:
                for violation in refusal.violations:
                    form.add_error(violation.field if violation.field in form.fields else None, violation.message)
            else:
                shown = {"user": user, "password": password, "created": True}
                form = OfficerLoginForm(officers=selectors.officers_without_login(viewer=request.user))
                status = 201
    context = {"users": selectors.users_administered(viewer=request.user), "form": form, "shown": shown}
    return _no_store(render(request, "accounts/users.html", context, status=status))


@login_required
@require_POST
def user_password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_user_admin(request.user)
    target = _administered_user(request.user, user_id)
    if target.pk == request.user.pk:
        raise PermissionDenied("只能为本单位的其他用户重置密码")
    password = services.user_password_reset(actor=request.user, user=target)
    form = OfficerLoginForm(officers=selectors.officers_without_login(viewer=request.user))
    context = {
        "users": selectors.users_administered(viewer=request.user),
        "form": form,
        "shown": {"user": target, "password": password, "created": False},
    }
    return _no_store(render(request, "accounts/users.html", context))


@login_required
@require_POST
def user_totp_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_user_admin(request.user)
    target = _administered_user(request.user, user_id)
    if target.pk == request.user.pk:
        raise PermissionDenied("只能为本单位的其他用户重置两步验证")
    services.user_totp_reset(actor=request.user, user=target)
    messages.success(request, f"已重置“{target}”的两步验证，本人下次登录或在账号安全页重新设置")
    return redirect("accounts:users")

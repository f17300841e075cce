"""Writes about users: creation, login throttling and two-factor enrolment."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from sanxiang.accounts import totp
from sanxiang.accounts.models import AGENCY_ROLES, ApiToken, LoginThrottle, Role, User
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency, Officer


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    agency: Agency | None = None,
    officer: Officer | None = None,
    display_name: str = "",
    validate: bool = True,
) -> User:
    violations = []
    if role in AGENCY_ROLES and agency is None:
        violations.append(Violation("user.agency_missing", "本角色的用户必须属于一个执法主体", "系统权限规则", "agency"))
    if officer is not None and agency is not None and officer.agency_id != agency.pk:
        violations.append(Violation("user.officer_agency", "对应的执法人员不属于该执法主体", "系统权限规则", "officer"))
    if User.objects.filter(username=username).exists():
        violations.append(Violation("user.username_taken", f"用户名“{username}”已被使用", "系统权限规则", "username"))
    user = User(username=username, role=role, agency=agency, officer=officer, display_name=display_name)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as error:
            violations += [Violation("user.password", m, "系统安全规则", "password") for m in error.messages]
    if violations:
        raise Refused(violations)
    user.set_password(password)
    user.is_staff = role == Role.SYSTEM_ADMIN
    user.is_superuser = role == Role.SYSTEM_ADMIN
    user.save()
    entry_append(
        event=LedgerEvent(
            EventKind.USER_CREATED,
            {"username": username, "role": role, "officer": officer.pk if officer else None},
            agency.pk if agency else None,
            subject=f"user:{user.pk}",
        ),
        actor=actor,
    )
    return user


def _now() -> dt.datetime:
    return timezone.now()


def login_locked_until(*, username: str) -> dt.datetime | None:
    throttle = LoginThrottle.objects.filter(username=username.strip().lower()).first()
    if throttle and throttle.locked_until and throttle.locked_until > _now():
        return throttle.locked_until
    return None


@transaction.atomic
def login_attempt(*, request: HttpRequest | None, username: str, password: str) -> tuple[User | None, str]:
    """Check a user name and password, counting failures per name. Returns the user, or
    None with the Chinese reason to show. A locked name is refused before the password is
    even checked, so that guessing cannot go on during the lock."""
    key = username.strip().lower()
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=key)
    now = _now()
    if throttle.locked_until and throttle.locked_until > now:
        minutes = max(1, int((throttle.locked_until - now).total_seconds() // 60) + 1)
        return None, f"登录失败次数过多，账号已锁定，请{minutes}分钟后再试"
    user = authenticate(request, username=username.strip(), password=password)
    if user is None or not user.is_active:
        throttle.failures += 1
        throttle.last_failure_at = now
        limit = settings.SANXIANG_LOGIN_MAX_FAILURES
        if throttle.failures >= limit:
            throttle.locked_until = now + dt.timedelta(minutes=settings.SANXIANG_LOGIN_LOCKOUT_MINUTES)
            throttle.failures = 0
            throttle.save()
            locked = User.objects.filter(username=username.strip()).first()
            entry_append(
                event=LedgerEvent(EventKind.USER_LOCKED, {"username": key, "failures": limit}, subject=f"login:{key}"),
                actor=locked,
            )
            return None, f"连续{limit}次登录失败，账号已锁定{settings.SANXIANG_LOGIN_LOCKOUT_MINUTES}分钟"
        throttle.save()
        return None, f"用户名或密码不正确（还可尝试{limit - throttle.failures}次）"
    throttle.failures = 0
    throttle.locked_until = None
    throttle.save()
    return user, ""


@transaction.atomic
def totp_secret_assign(*, user: User) -> str:
    """The secret to enrol: kept until confirmed, so that reloading the page does not
    invalidate what the user has already scanned."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.totp_confirmed or user.totp_secret:
        return user.totp_secret
    user.totp_secret = totp.totp_secret_generate()
    user.save(update_fields=["totp_secret"])
    return user.totp_secret


@transaction.atomic
def totp_verify(*, user: User, code: str, at: float | None = None) -> bool:
    """Accept a code once: the counter it matched is remembered and never accepted again."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.totp_secret:
        return False
    counter = totp.totp_match(user.totp_secret, code, at=at)
    if counter is None or counter <= user.totp_last_counter:
        return False
    user.totp_last_counter = counter
    fields = ["totp_last_counter"]
    if not user.totp_confirmed:
        user.totp_confirmed = True
        fields.append("totp_confirmed")
        entry_append(
            event=LedgerEvent(EventKind.TOTP_ENABLED, {"username": user.username}, user.agency_id, subject=f"user:{user.pk}"),
            actor=user,
        )
    user.save(update_fields=fields)
    return True


API_TOKEN_PREFIX = "sx_"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token, which is never stored."""
    if actor is not None and actor.pk != user.pk and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只能为自己创建接口令牌")
    if not name.strip():
        raise Refused([Violation("api_token.name", "请填写令牌用途", "系统安全规则", "name")])
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name.strip(), prefix=token[:10], digest=_token_digest(token))
    entry_append(
        event=LedgerEvent(EventKind.API_TOKEN_CREATED, {"user": user.username, "name": row.name, "prefix": row.prefix},
                          user.agency_id, subject=f"user:{user.pk}"),
        actor=actor,
    )
    return row, token


def api_token_authenticate(*, token: str) -> User | None:
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    # Recording every use would write on every request; a minute's resolution is enough.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user

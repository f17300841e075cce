"""Writes about users: creation, logins for officers, password resets, login lockout (django-axes),
the second factor (django-otp's TOTP device) and API tokens."""

import base64
import binascii
import datetime as dt
import hashlib
import secrets
import string
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.accounts.models import AGENCY_ROLES, ApiToken, Role, User
from sanxiang.accounts.permissions import (
    user_can_administer_user,
    user_can_issue_token_for,
    user_can_manage_staff,
    user_can_manage_tokens_of,
)
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency, Officer, Supervisor

RULE = "系统权限规则"
SECURITY_RULE = "系统安全规则"
# Roles an agency administrator may give an officer of the registry (系统权限规则).
OFFICER_LOGIN_ROLES = (Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD)


def _now() -> dt.datetime:
    return timezone.now()


# Users ------------------------------------------------------------------------------------


def _role_violations(*, role: str, agency: Agency | None) -> list[Violation]:
    """A valid role, and an agency for the roles that belong to one."""
    violations = []
    if role not in Role.values:
        violations.append(Violation("user.role", "请选择有效的角色", RULE, "role"))
    if role in AGENCY_ROLES and agency is None:
        violations.append(Violation("user.agency_missing", "本角色的用户必须属于一个执法主体", RULE, "agency"))
    return violations


def _officer_violations(*, officer: Officer, agency: Agency | None, other_than: int | None) -> list[Violation]:
    """The officer of the user's own agency, with no login but this user's (`other_than`)."""
    violations = []
    if agency is None or officer.agency_id != agency.pk:
        violations.append(Violation("user.officer_agency", "对应的执法人员不属于该执法主体", RULE, "officer"))
    if User.objects.filter(officer=officer).exclude(pk=other_than).exists():
        violations.append(Violation("user.officer_taken", f"执法人员“{officer.name}”已有登录账号", RULE, "officer"))
    return violations


def _username_violations(*, username: str, other_than: int | None) -> list[Violation]:
    """A user name of Django's characters, 1 to 150 long, used by no user but this one (`other_than`)."""
    violations = []
    try:
        UnicodeUsernameValidator()(username)
        if not username or len(username) > 150:
            raise ValidationError("")
    except ValidationError:
        violations.append(
            Violation("user.username", "用户名须为1至150个字母、数字或 @ . + - _ 字符", RULE, "username")
        )
    if User.objects.filter(username=username).exclude(pk=other_than).exists():
        violations.append(Violation("user.username_taken", f"用户名“{username}”已被使用", RULE, "username"))
    return violations


def user_create_violations(
    *,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None,
    officer: Officer | None,
    validate: bool = True,
    supervisor: Supervisor | None = None,
) -> list[Violation]:
    """Every reason `user_create` would refuse, without writing: forms (Django's admin too) call
    it in their `clean` to show the reasons beside the fields."""
    violations = _role_violations(role=role, agency=agency)
    if supervisor is not None:
        if role != Role.SUPERVISOR:
            violations.append(Violation("user.supervisor_role", "只有监督人员账号可以对应监督人员", RULE, "supervisor"))
        if agency is None or supervisor.bureau_id != agency.pk:
            violations.append(Violation("user.supervisor_bureau", "对应的监督人员不属于该司法行政部门", RULE, "supervisor"))
        if User.objects.filter(supervisor=supervisor).exists():
            violations.append(Violation("user.supervisor_taken", f"监督人员“{supervisor.name}”已有登录账号", RULE, "supervisor"))
    if officer is not None:
        violations += _officer_violations(officer=officer, agency=agency, other_than=None)
    violations += _username_violations(username=username, other_than=None)
    if validate and password is not None:
        try:
            validate_password(password, User(username=username, role=role))
        except ValidationError as error:
            violations += [Violation("user.password", m, SECURITY_RULE, "password") for m in error.messages]
    return violations


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    officer: Officer | None = None,
    display_name: str = "",
    email: str = "",
    validate: bool = True,
    must_change_password: bool = False,
    supervisor: Supervisor | None = None,
) -> User:
    """The one way a user is created (pages, Django's admin, `createsuperuser`, the demo): it
    keeps the role–agency rule and appends the ledger entry. A password of None makes an account
    that cannot log in with a password."""
    violations = user_create_violations(
        username=username,
        password=password,
        role=role,
        agency=agency,
        officer=officer,
        validate=validate,
        supervisor=supervisor,
    )
    if violations:
        raise Refused(violations)
    user = User(
        username=username,
        role=role,
        agency=agency,
        officer=officer,
        supervisor=supervisor,
        display_name=display_name,
        email=email,
        must_change_password=must_change_password,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.is_staff = role == Role.SYSTEM_ADMIN
    user.is_superuser = role == Role.SYSTEM_ADMIN
    try:
        with transaction.atomic():  # a savepoint: after the constraint's error the check below can still query
            user.save()
    except IntegrityError:
        # Two creations at the same moment (two administrators, a page and an API client) both passed
        # the checks above; the second's insert meets the first's row on a unique constraint (the user
        # name, or the officer's or supervisor's one login). Checked again now that the first is
        # there, it is the same refusal as when it came second (用户名已被使用 …), never a 500.
        violations = user_create_violations(username=username, password=None, role=role, agency=agency,
                                            officer=officer, validate=False, supervisor=supervisor)
        if not violations:
            raise
        raise Refused(violations) from None
    entry_append(
        event=LedgerEvent(
            EventKind.USER_CREATED,
            {"username": username, "role": role, "officer": officer.pk if officer else None}
            | ({"supervisor": supervisor.pk} if supervisor else {}),
            agency.pk if agency else None,
            subject=f"user:{user.pk}",
        ),
        actor=actor,
    )
    return user


# What `user_update` may change (Django's admin change form). The password is not here: it is reset
# on the account pages (`user_password_reset`), and no hash of it ever goes into the ledger.
USER_CHANGE_FIELDS = (
    "username", "display_name", "email", "first_name", "last_name",
    "role", "agency", "officer", "is_active", "must_change_password",
)
# Recorded as "changed" without their values (personal data, not needed to audit access).
USER_CHANGE_UNRECORDED = frozenset({"email", "first_name", "last_name"})
# A change of any of these changes what the user may read, sign or administer: the user is logged
# out everywhere (`User.get_session_auth_hash` covers them) and their tokens are revoked, so that a
# role raised to one with a second factor (监督人员, 系统管理员) passes it again (系统安全规则).
USER_ACCESS_FIELDS = frozenset({"role", "agency", "officer", "is_active", "is_staff", "is_superuser"})


def _user_value(user: User, name: str):
    field = User._meta.get_field(name)
    return getattr(user, field.attname)  # a related object by its id


def user_update_violations(*, user: User, changes: dict) -> list[Violation]:
    """Every reason `user_update` would refuse `changes` to `user` (as it is in the database), by
    the rules `user_create` keeps: the role–agency rule, the officer of the user's own agency and
    one login per officer, the form and uniqueness of the user name. Forms (Django's admin) call it
    in their `clean` to show the reasons beside the fields."""
    role = changes.get("role", user.role)
    agency = changes["agency"] if "agency" in changes else user.agency
    officer = changes["officer"] if "officer" in changes else user.officer
    username = changes.get("username", user.username)
    violations = _role_violations(role=role, agency=agency)
    if officer is not None:
        violations += _officer_violations(officer=officer, agency=agency, other_than=user.pk)
    if user.supervisor_id is not None and (role != Role.SUPERVISOR or agency is None or agency.pk != user.supervisor.bureau_id):
        violations.append(Violation(
            "user.supervisor_linked", f"该账号对应监督人员“{user.supervisor.name}”，须为该司法行政部门的监督人员账号", RULE,
            "role" if role != Role.SUPERVISOR else "agency",
        ))
    if "username" in changes:
        violations += _username_violations(username=username, other_than=user.pk)
    stays_admin = role == Role.SYSTEM_ADMIN and changes.get("is_active", user.is_active)
    if user.role == Role.SYSTEM_ADMIN and user.is_active and not stays_admin and not (
        User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True).exclude(pk=user.pk).exists()
    ):
        violations.append(Violation(
            "user.last_system_admin", "这是唯一有效的系统管理员账号，不能改为其他角色或停用；请先设立另一名系统管理员",
            RULE, "role" if role != Role.SYSTEM_ADMIN else "is_active",
        ))
    return violations


@transaction.atomic
def user_update(*, actor: User | None, user: User, changes: dict) -> User:
    """Change a user (Django's admin change form; a system administrator, or the platform itself
    with an actor of None): the checks of `user_create_violations` on the result, and one ledger
    entry `accounts.user_changed` with each changed field before and after (personal fields only
    as changed). `is_staff` and `is_superuser` follow the role, as at creation. A change of what
    the user may do (`USER_ACCESS_FIELDS`) logs them out everywhere and revokes their tokens, each
    revocation ledgered. Returns the saved user; nothing is written when nothing changes."""
    if actor is not None and not (actor.is_authenticated and actor.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以修改用户的角色、所属单位和状态")
    unknown = set(changes) - set(USER_CHANGE_FIELDS)
    if unknown:
        raise ValueError(f"user_update: not changeable here: {sorted(unknown)}")
    # The active system administrators locked first, in one order: two of them demoting each other at
    # once cannot both see the other stay (the last one is refused: user.last_system_admin).
    list(User.objects.select_for_update().filter(role=Role.SYSTEM_ADMIN, is_active=True).order_by("pk").values_list("pk"))
    row = User.objects.select_for_update(of=("self",)).select_related("agency", "officer", "supervisor").get(pk=user.pk)
    violations = user_update_violations(user=row, changes=changes)
    if violations:
        raise Refused(violations)
    names = [*changes, "is_staff", "is_superuser"]
    before = {name: _user_value(row, name) for name in names}
    for name, value in changes.items():
        setattr(row, name, value)
    row.is_staff = row.is_superuser = row.role == Role.SYSTEM_ADMIN
    changed = [name for name in names if _user_value(row, name) != before[name]]
    if not changed:
        return row
    try:
        with transaction.atomic():  # a savepoint, as in user_create: a name taken meanwhile is a refusal
            row.save(update_fields=[User._meta.get_field(name).name for name in changed])
    except IntegrityError:
        violations = user_update_violations(user=User.objects.get(pk=row.pk), changes=changes)
        if not violations:
            raise
        raise Refused(violations) from None
    access_changed = any(name in USER_ACCESS_FIELDS for name in changed)
    tokens = list(
        ApiToken.objects.select_for_update().filter(user=row, revoked_at__isnull=True).order_by("pk")
    ) if access_changed else []
    entry_append(
        event=LedgerEvent(
            EventKind.USER_CHANGED,
            {
                "username": row.username,
                "changed": {
                    name: {"changed": True} if name in USER_CHANGE_UNRECORDED
                    else {"before": before[name], "after": _user_value(row, name)}
                    for name in changed
                },
                # Logged out everywhere (the session hash covers these fields), tokens revoked.
                "sessions_ended": access_changed,
                "tokens_revoked": [token.prefix for token in tokens],
            },
            row.agency_id if row.agency_id is not None else before.get("agency"),
            subject=f"user:{row.pk}",
        ),
        actor=actor,
    )
    for token in tokens:
        token.revoked_at = _now()
        token.save(update_fields=["revoked_at"])
        entry_append(
            event=LedgerEvent(
                EventKind.API_TOKEN_REVOKED,
                {"user": row.username, "name": token.name, "prefix": token.prefix},
                row.agency_id,
                subject=f"user:{row.pk}",
            ),
            actor=actor,
        )
    return row


def password_temporary_generate() -> str:
    """16 characters from four classes (it meets the password rules), without look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.islower() for c in body) and any(c.isupper() for c in body) and any(c.isdigit() for c in body):
            return body[:7] + "-" + body[7:] + secrets.choice(string.digits)


def user_login_create(*, actor: User, officer: Officer, role: str, username: str) -> tuple[User, str]:
    """An agency administrator gives an officer of their agency's registry a login. The password
    is temporary: shown once to the administrator, and the user must change it at first login."""
    if not user_can_manage_staff(actor, officer.agency_id):
        raise PermissionDenied("只能为本单位的执法人员开通账号")
    if role not in OFFICER_LOGIN_ROLES:
        raise Refused([Violation("user.role", "只能开通执法人员、法制审核人员或机关负责人账号", RULE, "role")])
    password = password_temporary_generate()
    user = user_create(
        actor=actor,
        username=username.strip(),
        password=password,
        role=role,
        agency=officer.agency,
        officer=officer,
        display_name=officer.name,
        must_change_password=True,
    )
    return user, password


@transaction.atomic
def user_supervisor_link(*, actor: User, user: User, supervisor: Supervisor) -> User:
    """Link a supervisor account of the bureau (role 监督人员, no supervisor yet) to the supervisor of
    the registry it acts as: the pair check then reads that person's supervision certificate. The
    bureau's administrator (or a system administrator) does it; ledgered."""
    if not user_can_manage_staff(actor, supervisor.bureau_id):
        raise PermissionDenied("只有本单位管理员可以关联监督人员的登录账号")
    _supervisor_lock(supervisor)
    user = User.objects.select_for_update().get(pk=user.pk)
    violations = []
    if user.role != Role.SUPERVISOR:
        violations.append(Violation("user.supervisor_role", "只有监督人员账号可以对应监督人员", RULE, "user"))
    if user.agency_id != supervisor.bureau_id:
        violations.append(Violation("user.supervisor_bureau", "该账号不属于本司法行政部门", RULE, "user"))
    if user.supervisor_id is not None and user.supervisor_id != supervisor.pk:
        violations.append(Violation("user.linked", f"账号“{user.username}”已对应其他监督人员", RULE, "user"))
    if User.objects.filter(supervisor=supervisor).exclude(pk=user.pk).exists():
        violations.append(Violation("user.supervisor_taken", f"监督人员“{supervisor.name}”已有登录账号", RULE, "user"))
    if violations:
        raise Refused(violations)
    if user.supervisor_id == supervisor.pk:
        return user
    user.supervisor = supervisor
    user.save(update_fields=["supervisor"])
    entry_append(
        event=LedgerEvent(EventKind.USER_SUPERVISOR_LINKED, {"username": user.username, "supervisor": supervisor.pk},
                          user.agency_id, subject=f"user:{user.pk}"),
        actor=actor,
    )
    return user


def _supervisor_lock(supervisor: Supervisor) -> None:
    """Two administrators giving the same supervisor a login at once (a page and an API client):
    the second waits for the first and is then refused (已有登录账号) instead of failing on the
    one-login-per-supervisor constraint (PostgreSQL; SQLite serializes its writers anyway)."""
    Supervisor.objects.select_for_update().filter(pk=supervisor.pk).first()


@transaction.atomic
def supervisor_login_create(*, actor: User, supervisor: Supervisor, username: str) -> tuple[User, str]:
    """The bureau's administrator gives a supervisor of its register a login (role 监督人员, which
    logs in with a second factor). The password is temporary: shown once, changed at first login."""
    if not user_can_manage_staff(actor, supervisor.bureau_id):
        raise PermissionDenied("只有本单位管理员可以为监督人员开通账号")
    _supervisor_lock(supervisor)
    password = password_temporary_generate()
    user = user_create(
        actor=actor,
        username=username.strip(),
        password=password,
        role=Role.SUPERVISOR,
        agency=supervisor.bureau,
        supervisor=supervisor,
        display_name=supervisor.name,
        must_change_password=True,
    )
    return user, password


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> str:
    """A forgotten password, reset by the user's administrator: a temporary password, shown once
    to the administrator, that the user must replace at the next login. The lockout of the name
    is lifted; the reset goes into the ledger (without the password)."""
    if not user_can_administer_user(actor, user) or actor.pk == user.pk:
        raise PermissionDenied("只能为本单位的其他用户重置密码")
    password = password_temporary_generate()
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    AxesProxyHandler.reset_attempts(username=user.username)
    entry_append(
        event=LedgerEvent(EventKind.PASSWORD_RESET, {"username": user.username}, user.agency_id, subject=f"user:{user.pk}"),
        actor=actor,
    )
    return password


def user_password_changed(*, user: User) -> None:
    """The user chose their own password: the temporary one is no longer asked to be changed."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False


# Login: lockout by address and name (django-axes) ---------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """The client's address for the lockout: REMOTE_ADDR only. Behind a reverse proxy, `sanxiang
    serve` has waitress take the address from X-Forwarded-For only when the request comes from
    SANXIANG_TRUSTED_PROXY, so a client cannot choose its own address by sending the header."""
    return request.META.get("REMOTE_ADDR")


def login_lock_message() -> str:
    return f"登录失败次数过多，本账号在此地址已锁定{settings.SANXIANG_LOGIN_LOCKOUT_MINUTES}分钟，请稍后再试或联系单位管理员"


def login_address_throttled(*, request: HttpRequest) -> str:
    """The throttle per address, beside the lock per (address, name): one address that has
    failed SANXIANG_LOGIN_ADDRESS_MAX_FAILURES times within the lockout window, over any number
    of names, may not try again until the window has passed. The limit is higher than the
    per-name one so that an office behind one NAT address is not shut out by a few typos; it
    stops one address from trying a few passwords on every name of the county. Returns the
    Chinese reason, or "" when the address may try. (System security rule, not law.)"""
    address = client_address(request)
    if not address:
        return ""
    since = _now() - dt.timedelta(minutes=settings.SANXIANG_LOGIN_LOCKOUT_MINUTES)
    failures = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        .aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    if failures < settings.SANXIANG_LOGIN_ADDRESS_MAX_FAILURES:
        return ""
    return f"本地址登录失败次数过多，请{settings.SANXIANG_LOGIN_LOCKOUT_MINUTES}分钟后再试或联系单位管理员"


def login_is_locked(*, request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


@transaction.atomic
def login_attempt(*, request: HttpRequest, username: str, password: str) -> tuple[User | None, str]:
    """Check a user name and password. Returns the user, or None with the Chinese reason to show.
    django-axes refuses a locked (address, name) before the password is checked and counts the
    failure; a lock of a real account is recorded by `user_lockout_record`."""
    username = username.strip()
    user = authenticate(request, username=username, password=password)
    if user is not None and user.is_active:
        return user, ""
    if getattr(request, "axes_locked_out", False):
        return None, login_lock_message()
    limit = settings.AXES_FAILURE_LIMIT
    failures = getattr(request, "axes_failures_since_start", None) or 0
    return None, f"用户名或密码不正确（还可尝试{max(limit - failures, 0)}次）"


def login_failure_count(*, request: HttpRequest, username: str) -> None:
    """A failed second step counts like a wrong password toward the lock of (address, name)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


@transaction.atomic
def user_lockout_record(*, username: str) -> bool:
    """Record the lock of a real account in the ledger, at most once per lockout window.
    A name that belongs to no account writes nothing: nobody without a login can write to the
    ledger. Returns whether an entry was appended."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        return False
    now = _now()
    window = dt.timedelta(minutes=settings.SANXIANG_LOGIN_LOCKOUT_MINUTES)
    if user.lockout_recorded_at is not None and now - user.lockout_recorded_at < window:
        return False
    user.lockout_recorded_at = now
    user.save(update_fields=["lockout_recorded_at"])
    entry_append(
        event=LedgerEvent(
            EventKind.USER_LOCKED,
            {"username": user.username, "failures": settings.AXES_FAILURE_LIMIT},
            user.agency_id,
            subject=f"user:{user.pk}",
        ),
        actor=None,
    )
    return True


# Second factor: django-otp's TOTP device ------------------------------------------------


@transaction.atomic
def user_totp_reset(*, actor: User, user: User) -> None:
    """A lost authenticator (a lost or changed phone), reset by the user's administrator: the
    user enrols a new one at the next login (roles that require it) or on the account page.
    Recorded in the ledger."""
    if not user_can_administer_user(actor, user) or actor.pk == user.pk:
        raise PermissionDenied("只能为本单位的其他用户重置两步验证")
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    if deleted:
        entry_append(
            event=LedgerEvent(EventKind.TOTP_RESET, {"username": user.username}, user.agency_id, subject=f"user:{user.pk}"),
            actor=actor,
        )


@dataclass(frozen=True)
class TotpCheck:
    accepted: bool
    retry_after_seconds: int = 0  # >0: the device is throttled after wrong codes


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled (not yet confirmed): kept until confirmed, so that
    reloading the page does not invalidate what the user has already scanned."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)
        return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(binascii.unhexlify(device.key)).decode("ascii")


def _throttle_wait(device: TOTPDevice) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (data or {}).get("locked_until")
    return max(1, int((locked_until - _now()).total_seconds()) + 1) if locked_until else 1


def _device_check(device: TOTPDevice, code: str) -> TotpCheck:
    wait = _throttle_wait(device)
    if wait:
        return TotpCheck(False, wait)
    code = code.strip().replace(" ", "")
    if len(code) != device.digits or not code.isdigit():
        device.throttle_increment(commit=True)
        return TotpCheck(False)
    # django-otp refuses a time step at or below last_t: a code is accepted once.
    return TotpCheck(bool(device.verify_token(code)))


@transaction.atomic
def totp_verify(*, user: User, code: str) -> TotpCheck:
    """Check a code against the user's confirmed authenticator. The row is locked, so that two
    requests with the same code cannot both pass; wrong codes make the device wait 1, 2, 4 …
    seconds (django-otp) before it checks another."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return TotpCheck(False)
    return _device_check(device, code)


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TotpCheck:
    """Confirm the authenticator being enrolled with a code from it; it then replaces any
    earlier one. Recorded in the ledger."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        return TotpCheck(False)
    check = _device_check(device, code)
    if not check.accepted:
        return check
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0] > 0
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    entry_append(
        event=LedgerEvent(
            EventKind.TOTP_ENABLED,
            {"username": user.username, "replaced": replaced},
            user.agency_id,
            subject=f"user:{user.pk}",
        ),
        actor=user,
    )
    return check


@transaction.atomic
def totp_device_install(*, user: User, secret_b32: str) -> TOTPDevice:
    """Enrol a known secret as already confirmed, skipping scan-and-confirm (the demo prints its
    secrets, and a tester adds them to an authenticator by hand). No ledger entry here: the
    caller records why."""
    padded = secret_b32.strip().upper() + "=" * (-len(secret_b32.strip()) % 8)
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name="验证器", key=binascii.hexlify(base64.b32decode(padded)).decode("ascii"), confirmed=True
    )


# API tokens -------------------------------------------------------------------------------

API_TOKEN_PREFIX = "sx_"
# Validity a token may be issued with (系统安全规则: no token lives longer than a year).
API_TOKEN_DAYS = (30, 90, 180, 365)
# Only the user issues a token that acts as them (系统安全规则, `user_can_issue_token_for`).
TOKEN_ISSUE_REFUSED = "接口令牌只能由使用者本人签发：管理员可以查看、吊销本单位用户的令牌，不能代为签发（系统安全规则）"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for `user`, issued by `user` themselves (`user_can_issue_token_for`: an
    administrator lists and revokes the tokens of their users, never issues one); returns the row
    and the token, which is never stored (only its SHA-256) and so can never be shown again. An
    actor of None is the platform itself (a command or script run on the server)."""
    if actor is not None and not user_can_issue_token_for(actor, user):
        raise PermissionDenied(TOKEN_ISSUE_REFUSED)
    violations = []
    name = name.strip()
    if not name or len(name) > 100:
        violations.append(Violation("api_token.name", "请填写令牌用途（不超过100字）", SECURITY_RULE, "name"))
    if days not in API_TOKEN_DAYS:
        violations.append(Violation("api_token.days", "有效期须为30、90、180或365天", SECURITY_RULE, "days"))
    if violations:
        raise Refused(violations)
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[:10],
        digest=_token_digest(token),
        expires_at=_now() + dt.timedelta(days=days),
        created_by=actor,
    )
    entry_append(
        event=LedgerEvent(
            EventKind.API_TOKEN_CREATED,
            {"user": user.username, "name": row.name, "prefix": row.prefix, "expires_at": row.expires_at.isoformat()},
            user.agency_id,
            subject=f"user:{user.pk}",
        ),
        actor=actor,
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if not user_can_manage_tokens_of(actor, token.user):
        raise PermissionDenied("只能吊销自己或本单位用户的接口令牌")
    if token.revoked_at is not None:
        return token
    token.revoked_at = _now()
    token.save(update_fields=["revoked_at"])
    entry_append(
        event=LedgerEvent(
            EventKind.API_TOKEN_REVOKED,
            {"user": token.user.username, "name": token.name, "prefix": token.prefix},
            token.user.agency_id,
            subject=f"user:{token.user_id}",
        ),
        actor=actor,
    )
    return token


def api_token_authenticate(*, token: str) -> User | None:
    """The user of a valid token: not revoked, not expired, its user active."""
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    now = _now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_token_digest(token), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    # Recording every use would write on every request; a minute's resolution is enough.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user

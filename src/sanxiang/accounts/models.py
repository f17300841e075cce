import base64
import binascii

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    REVIEWER = "reviewer", _("法制审核人员")
    AGENCY_HEAD = "agency_head", _("机关负责人")
    AGENCY_ADMIN = "agency_admin", _("单位管理员")
    SUPERVISOR = "supervisor", _("司法局监督人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


# Roles whose members must log in with a second factor.
ROLES_REQUIRING_TOTP = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})
# Roles that work inside one agency and see only it.
AGENCY_ROLES = frozenset({Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN})


class SanxiangUserManager(UserManager):
    """Django's own ways of creating a user (`createsuperuser`, `create_user`) go through
    `user_create`, the one service that keeps the role–agency rule and writes the ledger entry."""

    def _create_user(self, username, email, password, **extra_fields):
        from sanxiang.accounts.services import user_create

        if extra_fields.get("is_superuser"):
            extra_fields["role"] = Role.SYSTEM_ADMIN
        for flag in ("is_staff", "is_superuser", "is_active"):
            extra_fields.pop(flag, None)  # user_create derives them from the role
        return user_create(
            actor=None,
            username=username,
            password=password,
            email=email or "",
            role=extra_fields.pop("role", Role.OFFICER),
            validate=False,  # createsuperuser has already applied the password validators
            **extra_fields,
        )

    def create_user(self, username, email=None, password=None, **extra_fields):
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        return self._create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("所属执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    officer = models.OneToOneField(
        "registry.Officer",
        verbose_name=_("对应执法人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    supervisor = models.OneToOneField(
        "registry.Supervisor",
        verbose_name=_("对应监督人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    # When this account's last lockout went into the ledger (at most one entry per lockout window).
    lockout_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SanxiangUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(r.value for r in AGENCY_ROLES)) | models.Q(agency__isnull=False),
                name="agency_role_has_agency",
                violation_error_message=_("本角色的用户必须属于一个执法主体（系统权限规则）"),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    # Django keeps a session only while this hash is the one stored at login (every request
    # checks it). Django's own covers the password hash only; this one also covers what the user
    # may do, so that a change of role, agency, officer or administrator status logs the user out
    # everywhere (`services.user_update`): a role raised to one with a second factor passes it
    # at the next login (系统安全规则).
    def _session_auth_value(self) -> str:
        return "|".join((self.password, self.role, str(self.agency_id or ""), str(self.officer_id or ""),
                         str(int(self.is_staff)), str(int(self.is_superuser))))

    def _session_auth_hmac(self, secret: str | None = None) -> str:
        return salted_hmac("sanxiang.accounts.User.session_auth_hash", self._session_auth_value(),
                           secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_auth_hmac()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hmac(fallback_secret)

    @property
    def requires_totp(self) -> bool:
        return self.role in ROLES_REQUIRING_TOTP or self.is_superuser

    @property
    def totp_confirmed(self) -> bool:
        """Has a confirmed authenticator (a django-otp TOTP device)."""
        return self.totpdevice_set.filter(confirmed=True).exists()

    @property
    def totp_secret(self) -> str:
        """The base32 secret of the confirmed authenticator, as an authenticator app shows it
        (the demo prints it; "" without one)."""
        device = self.totpdevice_set.filter(confirmed=True).first()
        return base64.b32encode(binascii.unhexlify(device.key)).decode("ascii") if device else ""

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN


class ApiToken(models.Model):
    """A bearer token for another system. Only its SHA-256 is stored; the token itself is shown
    once, when it is created."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("签发人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

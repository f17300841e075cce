from django.contrib.auth.models import AbstractUser
from django.db import models
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
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed = models.BooleanField(_("已启用两步验证"), default=False)
    totp_last_counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(r.value for r in AGENCY_ROLES)) | models.Q(agency__isnull=False),
                name="agency_role_has_agency",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def requires_totp(self) -> bool:
        return self.role in ROLES_REQUIRING_TOTP or self.is_superuser

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN


class LoginThrottle(models.Model):
    """Failed logins per user name; a name is locked for a while after too many failures."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.username


class ApiToken(models.Model):
    """A bearer token for another system. Only its SHA-256 is stored; the token itself is shown
    once, when it is created."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

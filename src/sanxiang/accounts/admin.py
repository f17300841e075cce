from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from sanxiang.accounts.models import ApiToken, User
from sanxiang.accounts.services import RULE, user_create, user_update
from sanxiang.procedure.violations import Refused, Violation

# A save that met another's row on a unique constraint and that no rule names (系统规则).
SAVE_CONFLICT = Violation(
    "user.save_conflict", "保存未完成：该用户的数据刚被他人同时修改或使用，请核对后重新保存", RULE, None
)


@admin.register(User)
class SanxiangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "agency", "is_active")
    list_filter = ("role", "is_active")
    # Django's groups and per-user permissions are not offered: the platform decides by role
    # (accounts.permissions), and a permission given here would be a right outside the rules and
    # the ledger. is_staff and is_superuser follow the role (user_create, user_update).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
        ("三项", {"fields": ("display_name", "role", "agency", "officer", "must_change_password")}),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("三项", {"classes": ("wide",), "fields": ("display_name", "role", "agency", "officer")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Deleting a user would leave no ledger entry (and orphan what they signed): an account is
        # closed by clearing "is_active", which user_update ledgers.
        return False

    def user_change_password(self, request, id, form_url=""):
        """Django's own "set this user's password" form would change it silently: no ledger entry,
        and no change required at the next login. A password is reset on the users page
        (accounts:users), through `user_password_reset`."""
        messages.info(request, "请在“账号管理”页为该用户重置密码（临时密码，记入账本）")
        return redirect("accounts:users")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal at save (another administrator created the same user name, officer's or
        supervisor's login between this form's checks and its save) is shown on the form again, as
        its checks would have shown it had they come second, never as a server error. The admin's own
        transaction has rolled back whatever the save had begun; the form is then checked again with
        the refusal's reasons, so that it is shown, not saved."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            request._sanxiang_save_refused = refused.violations
        except IntegrityError:
            request._sanxiang_save_refused = [SAVE_CONFLICT]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        refused = getattr(request, "_sanxiang_save_refused", None)
        if not refused:
            return form_class

        class RefusedAtSave(form_class):
            def clean(self):
                cleaned = super().clean()
                for violation in refused:
                    field = violation.field if violation.field in self.fields else None
                    if field and field in self.errors:
                        continue  # the form's own check says it now (用户名已被使用 …)
                    self.add_error(field, violation.message)
                return cleaned

        return RefusedAtSave

    def save_model(self, request, obj, form, change):
        if change:
            # Through the service (checks, ledger entry, logout on a change of rights); the form
            # has already shown its refusals (AdminUserChangeForm.clean).
            obj.__dict__.update(user_update(actor=request.user, user=obj, changes=form.changes()).__dict__)
            return None
        # A new user goes through the one service that keeps the role–agency rule and writes the
        # ledger; the form has already shown its refusals (AdminUserCreationForm.clean).
        data = form.cleaned_data
        created = user_create(
            actor=request.user,
            username=data["username"],
            password=data.get("password1"),
            role=data["role"],
            agency=data.get("agency"),
            officer=data.get("officer"),
            display_name=data.get("display_name", ""),
            validate=False,
        )
        obj.__dict__.update(created.__dict__)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "expires_at", "revoked_at", "last_used_at", "created_by")

    def has_add_permission(self, request):
        return False  # tokens are issued on the account pages, where they are shown once

    def has_delete_permission(self, request, obj=None):
        return False  # revoked on the account pages, with a ledger entry


# django-otp's own admin shows every authenticator's secret as a QR code and edits devices without
# a ledger entry; authenticators are enrolled by their user and reset on the account pages.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


# Groups grant Django permissions, which the platform does not use to decide (it decides by role).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class _ReadOnly:
    """django-axes' records, to be read only: deleting a lockout here would unlock an account with
    no ledger entry. A lock is lifted by a password reset on the account pages (ledgered) or when
    it expires."""

    actions = None

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model, _admin_class in ((AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                             (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, type(f"ReadOnly{_admin_class.__name__}", (_ReadOnly, _admin_class), {}))

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.accounts.forms import AdminUserCreationForm
from sanxiang.accounts.models import ApiToken, User
from sanxiang.accounts.services import user_create


@admin.register(User)
class SanxiangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "agency", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("三项", {"fields": ("display_name", "role", "agency", "officer", "must_change_password")}))
    add_form = AdminUserCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("三项", {"classes": ("wide",), "fields": ("display_name", "role", "agency", "officer")}),
    )

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
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

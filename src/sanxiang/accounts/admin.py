from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sanxiang.accounts.models import LoginThrottle, User


@admin.register(User)
class SanxiangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "agency", "totp_confirmed", "is_active")
    list_filter = ("role", "is_active", "totp_confirmed")
    fieldsets = (*UserAdmin.fieldsets, ("三项", {"fields": ("display_name", "role", "agency", "officer", "totp_confirmed")}))


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ("username", "failures", "locked_until", "last_failure_at")

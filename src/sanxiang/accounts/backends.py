from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Permission

from sanxiang.accounts.permissions import DJANGO_PERMISSION_RULES


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock check, for logins that come with a request (every login page does).
    A check without a request (a script, a management command) is no network login and has no
    address to lock; axes would raise there, so it is left to the password check alone."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class RolePermissionBackend(BaseBackend):
    """Django permissions that follow from the user's role, for the apps below accounts that may
    not import its rules: the calendar asks `user.has_perm("calendar.change_holidayyear")`. The
    rules are `permissions.DJANGO_PERMISSION_RULES`; a permission not there is not granted here.
    It authenticates nobody."""

    def has_perm(self, user_obj, perm, obj=None):
        rule = DJANGO_PERMISSION_RULES.get(perm)
        return bool(rule is not None and user_obj.is_active and rule(user_obj))


class PasswordBackend(ModelBackend):
    """Django's password check (ModelBackend's `authenticate`), granting no permission of its own
    from per-user or group rows: what a user may do follows from their role (RolePermissionBackend,
    `permissions`), never from a row the admin no longer shows, that no role change removes and no
    ledger entry records (review r5). An active superuser (a system administrator: `is_superuser`
    follows the role) still has every permission, as Django's User decides before any backend."""

    def _get_user_permissions(self, user_obj):
        return Permission.objects.none()

    def _get_group_permissions(self, user_obj):
        return Permission.objects.none()

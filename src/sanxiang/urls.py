from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, reverse

from sanxiang.inputs import int_converter_install

# Before any app's URLs are built: ids in paths are bounded to the databases' integer.
int_converter_install()


def admin_login(request, extra_context=None):
    """System administrators reach Django's admin only through Sanxiang's own login, which
    enforces the lockout and the second factor; the admin's password-only form is never
    offered, not even to a user who is logged in without admin rights."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied("系统管理仅限系统管理员")
    return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("accounts:login"))


def admin_password_change(request, extra_context=None):
    """Django's admin has its own password form, which checks the old password outside the
    lockout and leaves a temporary password marked for change: the one password page is
    Sanxiang's own."""
    return redirect("accounts:password_change")


admin.site.login = admin_login
admin.site.password_change = admin_password_change
admin.site.site_header = "三项制度平台 · 系统管理"

urlpatterns = [
    path("", include("sanxiang.portal.urls")),
    path("", include("sanxiang.web.urls")),
    path("accounts/", include("sanxiang.accounts.urls")),
    path("staff/registry/", include("sanxiang.web.registry_urls")),
    path("staff/access/", include("sanxiang.access.urls")),
    path("staff/evidence/", include("sanxiang.evidence.urls")),
    # The calendar page keeps the address it had inside `cases` (the README names it).
    path("staff/cases/calendar/", include("sanxiang.calendar.urls")),
    path("staff/cases/", include("sanxiang.cases.urls")),
    path("staff/review/", include("sanxiang.review.urls")),
    path("staff/inspection/", include("sanxiang.inspection.urls")),
    path("staff/publication/", include("sanxiang.publication.urls")),
    path("staff/supervision/", include("sanxiang.supervision.urls")),
    path("staff/evaluation/", include("sanxiang.evaluation.urls")),
    path("staff/outbox/", include("sanxiang.outbox.urls")),
    path("catalogues/", include("sanxiang.portal.catalogues")),
    path("complaints/", include("sanxiang.portal.complaints")),
    # 扫码入企: the public page of an inspection's 检查码 (issue 17, part B)
    path("jc/", include("sanxiang.inspection.code_urls")),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("api/", include(("sanxiang.api.urls", "api"))),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# A supervisor who opens a case's records without a read grant sees how to call the case file up
# (需经调阅), not a bare refusal; every other refusal keeps Django's 403 page.
handler403 = "sanxiang.supervision.views.permission_denied"

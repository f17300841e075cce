from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

# System administrators reach Django's admin only through Sanxiang's own login, which
# enforces the lockout and the second factor.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "三项制度平台 · 系统管理"

urlpatterns = [
    path("", include("sanxiang.web.urls")),
    path("accounts/", include("sanxiang.accounts.urls")),
    path("staff/registry/", include("sanxiang.registry.urls")),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

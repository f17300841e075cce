"""The public portal (no login), at the site's root. Each area has its own module of views and
URLs; every view reads the public tables of `sanxiang.publication` (and the published review
catalogues) and nothing else: tests/portal/test_isolation.py fails otherwise."""

from django.urls import include, path

from sanxiang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("sanxiang.portal.agencies")),
    path("", include("sanxiang.portal.certificates")),
    path("", include("sanxiang.portal.decisions")),
    path("", include("sanxiang.portal.annual")),
]

"""The public portal (no login), at the site's root. Each area has its own module of views and
URLs; every view reads the public tables of `sanxiang.publication` and nothing else:
tests/portal/test_isolation.py and the import-linter contract "portal-reads-publication" fail
otherwise. The catalogues of major decisions (`catalogues.py`) are included by the project under
`catalogues/`, in their own namespace."""

from django.urls import include, path

from sanxiang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("sanxiang.portal.agencies")),
    path("", include("sanxiang.portal.certificates")),
    path("", include("sanxiang.portal.decisions")),
    path("", include("sanxiang.portal.annual")),
    path("", include("sanxiang.portal.supervision_notices")),
    path("", include("sanxiang.portal.system_documents")),
    path("", include("sanxiang.portal.supervision_plans")),
    path("", include("sanxiang.portal.inspection_results")),
    path("", include("sanxiang.portal.evaluation_campaigns")),
    path("", include("sanxiang.portal.random_inspections")),
]

"""The public catalogues of major decisions (重大执法决定法制审核目录清单) at /catalogues/: every
agency's version in force, each version's page and the list of its versions. Reads
`PublicCatalogue` only, the rows publication writes when the review app publishes a version.
Included by the project under `catalogues/` in the namespace `catalogues`."""

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.publication.models import PublicCatalogue


def _latest_versions():
    return PublicCatalogue.objects.filter(
        version=Subquery(
            PublicCatalogue.objects.filter(agency_source_id=OuterRef("agency_source_id"))
            .order_by("-version")
            .values("version")[:1]
        )
    )


@require_safe
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """The latest version of every agency that published a catalogue, by agency name."""
    catalogues = _latest_versions().order_by("agency_name", "agency_source_id")
    return render(request, "portal/catalogues/list.html", {"catalogues": catalogues})


@require_safe
def catalogue_detail(request: HttpRequest, agency_id: int, version: int | None = None) -> HttpResponse:
    versions = PublicCatalogue.objects.filter(agency_source_id=agency_id).order_by("-version")
    catalogue = (versions.filter(version=version) if version is not None else versions).first()
    if catalogue is None:
        raise Http404
    return render(
        request,
        "portal/catalogues/detail.html",
        {"catalogue": catalogue, "versions": list(versions.values_list("version", "published_at"))},
    )


app_name = "catalogues"
urlpatterns = [
    path("", catalogue_list, name="list"),
    path("<int:agency_id>/", catalogue_detail, name="detail"),
    path("<int:agency_id>/v<int:version>/", catalogue_detail, name="version"),
]

"""The portal's home page: the latest decisions, the agencies, and where to verify an officer."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus


def home(request: HttpRequest) -> HttpResponse:
    latest = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, display_until__gte=timezone.localdate()
    ).only(
        "id", "number", "title", "party_name", "agency_name", "decided_on", "kinds_label"
    )[:10]
    return render(
        request,
        "portal/home.html",
        {"latest": latest, "agency_count": PublicAgency.objects.count()},
    )

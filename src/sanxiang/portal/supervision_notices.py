"""行政执法监督通报 on the portal : the judicial bureau's public 通报,
newest first, as redacted when published. Reads `PublicSupervisionNotice` only."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.publication.models import PublicSupervisionNotice

PAGE_SIZE = 20


@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(PublicSupervisionNotice.objects.only("source_id", "title", "bureau_name", "published_on"),
                          PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "portal/supervision/notice_list.html", {"page": page})


@require_safe
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(PublicSupervisionNotice, source_id=notice_id)
    return render(request, "portal/supervision/notice_detail.html", {"notice": notice})


urlpatterns = [
    path("supervision/notices/", notice_list, name="supervision_notice_list"),
    path("supervision/notices/<int:notice_id>/", notice_detail, name="supervision_notice_detail"),
]

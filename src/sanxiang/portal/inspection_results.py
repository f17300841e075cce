"""双随机抽查结果公告 on the portal (issue 17 part B): the results of random inspections, newest
first. Reads `PublicInspectionResult` only."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.publication.models import PublicInspectionResult

PAGE_SIZE = 20


@require_safe
def result_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(PublicInspectionResult.objects.all(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "portal/inspection/result_list.html", {"page": page})


urlpatterns = [
    path("inspections/results/", result_list, name="inspection_result_list"),
]

"""双随机一公开 on the portal: the plan notices (抽查计划公告) and task notices (任务公告) of the
agencies, newest first; a task's public inputs as a JSON download, from which anyone repeats the
draw with the stand-alone verifier. Reads `PublicInspectionNotice` only."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.publication.models import PublicInspectionNotice

PAGE_SIZE = 20


@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    rows = PublicInspectionNotice.objects.only("pk", "kind", "title", "agency_name", "published_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/random_inspections/list.html", {"page": page})


@require_safe
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(PublicInspectionNotice, pk=notice_id)
    return render(request, "portal/random_inspections/detail.html", {"notice": notice})


@require_safe
def notice_inputs(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(PublicInspectionNotice, pk=notice_id)
    if not notice.public_inputs:
        raise Http404("抽取尚未进行，公开输入在抽取后公布")
    response = HttpResponse(notice.public_inputs.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{notice.pk}.json"'
    return response


urlpatterns = [
    path("random-inspections/", notice_list, name="random_inspection_list"),
    path("random-inspections/<int:notice_id>/", notice_detail, name="random_inspection_detail"),
    path("random-inspections/<int:notice_id>/inputs.json", notice_inputs, name="random_inspection_inputs"),
]

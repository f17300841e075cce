"""The judicial bureau's annual supervision plans and 执法质效评议 on the portal (issue 14, item 5):
plans as published, and each evaluation's scheme, process and standards, then its results. Reads
`PublicSupervisionPlan` and `PublicSupervisionEvaluation` only."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.publication.models import PublicSupervisionEvaluation, PublicSupervisionPlan

PAGE_SIZE = 20


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    rows = PublicSupervisionPlan.objects.only("source_id", "title", "bureau_name", "year", "published_on")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/supervision/plan_list.html", {"page": page})


@require_safe
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(PublicSupervisionPlan, source_id=plan_id)
    return render(request, "portal/supervision/plan_detail.html", {"plan": plan})


@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    rows = PublicSupervisionEvaluation.objects.only("source_id", "title", "bureau_name", "published_on",
                                                    "results_published_on")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/supervision/evaluation_list.html", {"page": page})


@require_safe
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = get_object_or_404(PublicSupervisionEvaluation, source_id=evaluation_id)
    return render(request, "portal/supervision/evaluation_detail.html", {"evaluation": evaluation})


urlpatterns = [
    path("supervision/plans/", plan_list, name="supervision_plan_list"),
    path("supervision/plans/<int:plan_id>/", plan_detail, name="supervision_plan_detail"),
    path("supervision/evaluations/", evaluation_list, name="supervision_evaluation_list"),
    path("supervision/evaluations/<int:evaluation_id>/", evaluation_detail, name="supervision_evaluation_detail"),
]

"""案卷评查活动 on the portal (issue 16, item 4): the campaigns whose results the 司法局 made public, each
with its scope, its results by file and the draw's public inputs for download, from which anyone
repeats the draw (`python -m sanxiang_verify.draw`). Reads `PublicEvaluationCampaign` only."""

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.publication.models import PublicEvaluationCampaign

PAGE_SIZE = 20


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = PublicEvaluationCampaign.objects.only("source_id", "title", "bureau_name", "published_on")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/evaluation_campaigns/list.html", {"page": page})


@require_safe
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(PublicEvaluationCampaign, source_id=campaign_id)
    # As the campaign judged each file (not in the lowest band: the bands are parameters).
    passed = sum(1 for r in campaign.results if r.get("passed"))
    return render(request, "portal/evaluation_campaigns/detail.html", {"campaign": campaign, "passed": passed})


@require_safe
def campaign_inputs(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(PublicEvaluationCampaign, source_id=campaign_id)
    body = json.dumps(campaign.draw_inputs, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sanxiang-campaign-{campaign.source_id}-draw.json"'
    return response


urlpatterns = [
    path("evaluation/campaigns/", campaign_list, name="evaluation_campaign_list"),
    path("evaluation/campaigns/<int:campaign_id>/", campaign_detail, name="evaluation_campaign_detail"),
    path("evaluation/campaigns/<int:campaign_id>/draw.json", campaign_inputs, name="evaluation_campaign_inputs"),
]

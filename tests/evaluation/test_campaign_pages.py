"""Pages of 案卷评查活动 (issue 16, item 4): the 司法局's form (every reason beside its field, input kept),
the campaign page (commitment before the draw, seed and inputs after), the evaluator's copy of the
file under a logged, time-limited grant, who is refused, and the page's bounded queries."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.models import IssuedDocument
from sanxiang.evaluation.campaign_services import campaign_define, campaign_draw_run, campaign_self_check
from sanxiang.evaluation.models import CampaignAssignment, EvaluationCampaign
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check
from sanxiang_verify.draw import draw_run
from tests.evaluation.campaign_support import (
    automatic_met,
    closed_case_make,
    county_make,
    define_kwargs,
    scores,
)
from tests.factories import agency_make, user_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_the_form_keeps_the_input_and_puts_each_reason_beside_its_field():
    county = county_make(files_per_agency=1)
    page = _client(county.supervisor)
    response = page.post(reverse("evaluation:campaign_new"), {
        "title": "上半年评查", "period_start": "2026-13-01", "period_end": "", "sample_percent": "150",
        "agencies": [a.pk for a in county.agencies], "evaluators": [county.evaluators[0].pk]})
    assert response.status_code == 400 and not EvaluationCampaign.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) >= {"period_start", "period_end", "sample_percent", "procedures", "evaluators"}
    assert "上半年评查" in response.content.decode()
    assert "抽取数量和抽取比例须填写其中一项" not in response.content.decode()  # the unread 150 is reported once
    huge = page.post(reverse("evaluation:campaign_new"), {"title": "评查", "sample_size": str(10**30)})
    assert huge.status_code == 400 and "sample_size" in huge.context["form"].errors
    # An agency's head is refused the form.
    assert _client(county.heads[0]).get(reverse("evaluation:campaign_new")).status_code == 403


def test_defined_drawn_and_scored_through_the_pages():
    county = county_make(files_per_agency=1)
    page = _client(county.supervisor)
    response = page.post(reverse("evaluation:campaign_new"), {
        "title": "上半年评查", "period_start": define_kwargs(county)["period_start"].isoformat(),
        "period_end": county.today.isoformat(), "procedures": ["ordinary"], "sample_size": "2",
        "agencies": [a.pk for a in county.agencies], "evaluators": [u.pk for u in county.evaluators],
        "results_public": "on"})
    campaign = EvaluationCampaign.objects.get()
    assert response.status_code == 302
    detail = reverse("evaluation:campaign_detail", args=[campaign.pk])
    text = page.get(detail).content.decode()
    assert campaign.seed_commitment in text and campaign.seed not in text
    assert page.get(reverse("evaluation:campaign_inputs", args=[campaign.pk])).status_code == 404
    # The draw refused before the self-checks: the reasons on the page, nothing drawn.
    refused = page.post(reverse("evaluation:campaign_act", args=[campaign.pk]), {"action": "draw"})
    assert refused.status_code == 400 and "尚有1份案卷未完成自查" in refused.content.decode()
    automatic_met(campaign)
    for file in campaign.files.all():
        head = county.heads[county.agencies.index(file.agency)]
        campaign_self_check(actor=head, file=file, results=scores(90))
    assert page.post(reverse("evaluation:campaign_act", args=[campaign.pk]), {"action": "draw"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.seed in page.get(detail).content.decode()
    inputs = json.loads(page.get(reverse("evaluation:campaign_inputs", args=[campaign.pk])).content)
    assert inputs == campaign.draw_inputs and draw_run(inputs)["seed_matches_commitment"] is True
    # The evaluator reads the copy (recorded each time) and scores through the form.
    assignment = CampaignAssignment.objects.filter(file__campaign=campaign).select_related("file").first()
    evaluator = _client(assignment.evaluator)
    url = reverse("evaluation:campaign_file", args=[campaign.pk, assignment.file_id])
    before = AccessLogEntry.objects.filter(user=assignment.evaluator).count()
    text = evaluator.get(url).content.decode()
    assert assignment.file.case_number in text and "案卷副本" in text
    assert AccessLogEntry.objects.filter(user=assignment.evaluator, object_kind="evaluation.campaign_file").count() \
        == before + 1
    shown = re.search(r'name="automatic_sha256" value="([0-9a-f]{64})"', text).group(1)
    bad = evaluator.post(url, {"action": "score", **scores(88), "form.filled": "9", "automatic_sha256": shown})
    assert bad.status_code == 400 and "“文书填写规范”的扣分须为0至4分（以0.5分为单位）" in bad.content.decode()
    assert bad.context["form"].errors["form.filled"] and bad.context["form"]["form.cover"].value() == "0"
    assert evaluator.post(url, {"action": "score", **scores(88), "automatic_sha256": shown}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.total == 88
    # A document of the copy, as issued: served to the evaluator while the grant runs, recorded; then not.
    case = assignment.file.case
    uploader = user_make(role=Role.OFFICER, agency=case.agency)
    pdf = evidence_ingest(actor=uploader, source=io.BytesIO(b"%PDF-1.4\n%%EOF\n"), meta=evidence_metadata_check(
        actor=uploader, kind="document", original_name="决定书.pdf", case=case))
    document = IssuedDocument.objects.create(
        case=case, agency=case.agency, kind="penalty_decision", title="行政处罚决定书", record_kind="penalty_decision",
        action="decide", issued_on=county.today, pdf=pdf, docx=pdf, filename_stem="行政处罚决定书", issued_by=uploader)
    document_url = reverse("evaluation:campaign_file_document", args=[campaign.pk, assignment.file_id, document.pk])
    assert document_url in evaluator.get(url).content.decode()
    logged = AccessLogEntry.objects.filter(user=assignment.evaluator).count()
    served = evaluator.get(document_url)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(user=assignment.evaluator).count() == logged + 1
    CampaignAssignment.objects.filter(pk=assignment.pk).update(grant_expires_at=timezone.now())
    assert evaluator.get(document_url).status_code == 404
    assert "案卷副本" not in evaluator.get(url).content.decode()
    assert _client(county.heads[0]).get(document_url).status_code == 404


def test_who_does_not_take_part_gets_nothing():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=1))
    stranger = user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="不参加的局"))
    file = campaign.files.first()
    page = _client(stranger)
    assert page.get(reverse("evaluation:campaign_detail", args=[campaign.pk])).status_code == 404
    assert page.get(reverse("evaluation:campaign_file", args=[campaign.pk, file.pk])).status_code == 404
    assert campaign.title not in page.get(reverse("evaluation:campaign_list")).content.decode()
    # Another agency of the campaign does not open this agency's file before it is drawn to them, nor
    # sees it listed; its own file it does.
    other_head = county.heads[1 if county.agencies.index(file.agency) == 0 else 0]
    assert _client(other_head).get(reverse("evaluation:campaign_file", args=[campaign.pk, file.pk])).status_code == 404
    listed = _client(other_head).get(reverse("evaluation:campaign_detail", args=[campaign.pk])).content.decode()
    own_file = campaign.files.get(agency=other_head.agency)
    assert file.case_number not in listed and own_file.case_number in listed


def test_the_campaign_page_costs_the_same_whatever_the_number_of_files():
    county = county_make(files_per_agency=1)
    counts = []
    for extra in (0, 4):
        for _ in range(extra):
            closed_case_make(county.agencies[0])
        campaign = campaign_define(**define_kwargs(county, title=f"评查{extra}"))
        for file in campaign.files.all():
            campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(80))
        campaign_draw_run(actor=county.supervisor, campaign=campaign)
        page = _client(county.supervisor)
        with queries_without_ledger_writes() as counted:
            assert page.get(reverse("evaluation:campaign_detail", args=[campaign.pk])).status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1]


def _completed(county, *, public: bool) -> EvaluationCampaign:
    from sanxiang.evaluation.campaign_services import campaign_results_publish, campaign_score

    campaign = campaign_define(**define_kwargs(county, title=f"公开{public}", sample_percent=None, sample_size=2,
                                               results_public=public))
    automatic_met(campaign)
    for file in campaign.files.all():
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(90))
    campaign_draw_run(actor=county.supervisor, campaign=campaign)
    for assignment in CampaignAssignment.objects.filter(file__campaign=campaign):
        campaign_score(actor=assignment.evaluator, assignment=assignment, results=scores(85))
    return campaign_results_publish(actor=county.supervisor, campaign=campaign, today=county.today)


def test_public_results_and_the_draws_inputs_on_the_portal_only_when_the_bureau_chose_so():
    county = county_make(files_per_agency=1)
    public, internal = _completed(county, public=True), _completed(county, public=False)
    portal = Client()
    listing = portal.get(reverse("portal:evaluation_campaign_list")).content.decode()
    assert public.title in listing and internal.title not in listing
    text = portal.get(reverse("portal:evaluation_campaign_detail", args=[public.pk])).content.decode()
    assert public.seed_commitment in text and public.seed in text and "85" in text and "合格" in text
    # The files passed as the campaign judged them (two drawn, both scored 85: 合格).
    drawn = public.files.filter(sampled=True)
    assert drawn.count() == 2 and all(f.final_passed for f in drawn)
    assert "抽取2份，合格以上2份" in text
    inputs = json.loads(portal.get(reverse("portal:evaluation_campaign_inputs", args=[public.pk])).content)
    repeated = draw_run(inputs)
    assert repeated["seed_matches_commitment"] is True
    assert repeated["groups"][0]["selected"] == list(
        public.files.filter(sampled=True).order_by("draw_position").values_list("case_number", flat=True))
    assert portal.get(reverse("portal:evaluation_campaign_detail", args=[internal.pk])).status_code == 404
    assert portal.get(reverse("portal:evaluation_campaign_inputs", args=[internal.pk])).status_code == 404


def test_the_pages_withhold_the_draw_inputs_and_an_evaluators_file_result_until_published():
    """Issue 19 review, finding 4, on the pages as in the API: the seed and the draw's inputs to the
    bureau only before publication; a file's result not to its own evaluators before publication."""
    from sanxiang.evaluation.campaign_services import campaign_results_publish, campaign_score

    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_size=1, sample_percent=None))
    automatic_met(campaign)
    for file in campaign.files.all():
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(90))
    campaign_draw_run(actor=county.supervisor, campaign=campaign)
    campaign.refresh_from_db()
    sampled = campaign.files.get(sampled=True)
    first, second = sampled.assignments.order_by("position")
    detail = reverse("evaluation:campaign_detail", args=[campaign.pk])
    inputs = reverse("evaluation:campaign_inputs", args=[campaign.pk])
    file_url = reverse("evaluation:campaign_file", args=[campaign.pk, sampled.pk])
    bureau, own = _client(county.supervisor), _client(county.heads[county.agencies.index(sampled.agency)])
    evaluator = _client(first.evaluator)
    assert bureau.get(inputs).status_code == 200 and campaign.seed in bureau.get(detail).content.decode()
    for page in (own, evaluator):
        assert page.get(inputs).status_code == 404
        assert campaign.seed not in page.get(detail).content.decode()
    campaign_score(actor=first.evaluator, assignment=first, results=scores(90))
    campaign_score(actor=second.evaluator, assignment=second, results=scores(86))
    for text in (evaluator.get(file_url).content.decode(), evaluator.get(detail).content.decode()):
        assert "88分" not in text and "结果公布后可见" in text
    assert "88分" in bureau.get(file_url).content.decode()
    campaign_results_publish(actor=county.supervisor, campaign=campaign, today=county.today)
    assert own.get(inputs).status_code == 200 and campaign.seed in own.get(detail).content.decode()
    assert "88分" in evaluator.get(file_url).content.decode()

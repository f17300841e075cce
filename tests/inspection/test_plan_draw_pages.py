"""The staff pages of plans and draws, and the portal's notices: the head drafts and approves, the
司法局 files, the head publishes, commits the seed and draws; the public downloads the inputs and
repeats the draw. A refused form keeps its input and says why beside the field."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.inspection.models import InspectionPlan, InspectionTarget, RandomInspection
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import PublicInspectionNotice
from sanxiang_verify.draw import draw_run
from tests.inspection.support import TODAY, world_make

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_plan_and_draw_through_the_pages_then_the_public_repeats_it():
    world = world_make(plan_state="none")
    InspectionPlan.objects.all().delete()
    head, supervisor, agency = _client(world["head"]), _client(world["supervisor"]), world["agency"]
    year = TODAY.year
    response = head.post(reverse("inspection:plan_create", args=[agency.pk]), {
        "kind": "annual", "year": year, "title": "年度双随机抽查计划", "items": [world["item"].pk],
        "scope": "辖区内食品经营者", "frequency": "每年一次", "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31"})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection:plan", args=[plan.pk])
    # Before approval, the draw cannot be set up: the refusal names the plan rule.
    response = head.post(reverse("inspection:draw_create", args=[plan.pk]), {
        "title": "第一批", "items": [world["item"].pk], "period_from": f"{year}-01-01", "period_to": f"{year}-12-31",
        "draw_on": TODAY.isoformat()})
    assert response.status_code == 400 and "尚未经机关负责人批准" in response.content.decode()
    head.post(reverse("inspection:plan_act", args=[plan.pk]), {"action": "approve"})
    supervisor.post(reverse("inspection:plan_act", args=[plan.pk]), {"action": "file", "filing_reference": "备-1"})
    head.post(reverse("inspection:plan_act", args=[plan.pk]), {"action": "publish"})
    plan.refresh_from_db()
    assert plan.state == "published"
    page = head.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
    assert "已公布" in page and "备-1" in page
    response = head.post(reverse("inspection:draw_create", args=[plan.pk]), {
        "title": "第一批", "items": [world["item"].pk], "period_from": f"{year}-01-01", "period_to": f"{year}-12-31",
        "draw_on": TODAY.isoformat()})
    task = RandomInspection.objects.get()
    assert response["Location"] == reverse("inspection:draw", args=[task.pk])
    head.post(reverse("inspection:draw_act", args=[task.pk]), {"action": "commit"})
    head.post(reverse("inspection:draw_act", args=[task.pk]), {"action": "run"})
    task.refresh_from_db()
    assert task.state == "drawn"
    page = head.get(reverse("inspection:draw", args=[task.pk])).content.decode()
    assert task.seed in page and "抽取结果" in page
    # The public side: the notice with the commitment and the seed, the inputs downloadable.
    notice = PublicInspectionNotice.objects.get(kind="task")
    public = Client()
    assert "双随机一公开" in public.get(reverse("portal:random_inspection_list")).content.decode()
    detail = public.get(reverse("portal:random_inspection_detail", args=[notice.pk])).content.decode()
    assert task.seed_commitment in detail and task.seed in detail
    download = public.get(reverse("portal:random_inspection_inputs", args=[notice.pk]))
    assert download["Content-Type"].startswith("application/json")
    repeated = draw_run(json.loads(download.content))
    assert repeated["seed_matches_commitment"] is True
    targets = [t for g in repeated["groups"] if g["name"].startswith("targets:") for t in g["selected"]]
    assert targets == [t["target"] for t in task.result["teams"]]
    assert all(t["name"] in detail for t in notice.drawn)
    plan_notice = PublicInspectionNotice.objects.get(kind="plan")
    assert public.get(reverse("portal:random_inspection_inputs", args=[plan_notice.pk])).status_code == 404


def test_refused_target_form_keeps_input_and_names_the_field():
    world = world_make(targets=0, plan_state="draft")
    head = _client(world["head"])
    response = head.post(reverse("inspection:targets", args=[world["agency"].pk]), {
        "name": "某某超市", "credit_code": "91150626MA0N00000X", "risk_grade": "high", "credit_grade": "A"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "某某超市" in page and "91150626MA0N00000X" in page and "统一社会信用代码" in page
    assert not InspectionTarget.objects.exists()


def test_officer_cannot_approve_nor_draw():
    from sanxiang.accounts.models import Role
    from tests.factories import user_make

    world = world_make(plan_state="draft")
    officer = _client(user_make(role=Role.OFFICER, agency=world["agency"]))
    officer.post(reverse("inspection:plan_act", args=[world["plan"].pk]), {"action": "approve"})
    world["plan"].refresh_from_db()
    assert world["plan"].state == "draft"
    assert officer.get(reverse("inspection:draw_create", args=[world["plan"].pk])).status_code == 403


def test_odd_input_gets_a_chinese_answer_never_a_server_error():
    world = world_make(targets=1, plan_state="draft")
    head, agency_id = _client(world["head"]), world["agency"].pk
    response = head.post(reverse("inspection:item_create", args=[agency_id]), {"code": "JC-001", "name": "重复",
                                                                               "legal_basis": "", "check_kind": "x"})
    assert response.status_code == 400 and "重复" in response.content.decode()
    response = head.post(reverse("inspection:item_create", args=[agency_id]), {
        "code": "JC-001", "name": "重复编码", "legal_basis": "依据", "check_kind": "on_site"})
    assert response.status_code == 400 and "已在清单中" in response.content.decode()
    response = head.post(reverse("inspection:targets_upload", args=[agency_id]), {})
    assert response.status_code == 400
    response = head.post(reverse("inspection:expert_create", args=[agency_id]), {"name": "", "field": ""})
    assert response.status_code == 400
    response = head.post(reverse("inspection:plan_act", args=[world["plan"].pk]), {"action": "nonsense"})
    assert response.status_code == 302
    response = head.post(reverse("inspection:relation_create", args=[agency_id]), {"officer": "x", "target": "9" * 30})
    assert response.status_code == 302
    assert head.get(reverse("inspection:targets", args=[agency_id]), {"page": "zz", "q": "商贸"}).status_code == 200
    assert head.get(reverse("inspection:draw", args=[999999])).status_code == 404


def test_an_item_taken_out_of_use_leaves_the_public_list():
    from sanxiang.publication.models import PublicAgency
    from sanxiang.publication.registry_sync import public_registry_refresh

    world = world_make(targets=0, plan_state="draft")
    head, item = _client(world["head"]), world["item"]
    form = head.get(reverse("inspection:item_edit", args=[item.pk])).content.decode()
    assert item.legal_basis in form
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    response = head.post(reverse("inspection:item_edit", args=[item.pk]), {
        "code": item.code, "name": item.name, "legal_basis": item.legal_basis, "check_kind": "on_site",
        "version": version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_active
    public_registry_refresh(actor=None)
    public = PublicAgency.objects.get(source_id=world["agency"].pk)
    assert public.inspections == []  # withdrawn at once
    assert Entry.objects.filter(kind="inspection.items_published", agency_id=world["agency"].pk).count() == 2
    # Publishing again with no item in use is refused, with the reason.
    response = head.post(reverse("inspection:items_publish", args=[world["agency"].pk]), follow=True)
    assert "没有有效事项" in response.content.decode()

"""Issue 19: the writes of 行政检查 the pages have and the API lacked: the photo of the visit (as the
phone page uploads it, through `inspection_photo_add`), the publication of the 双随机 results
(结果公示), the plan's steps (draft, approve, file, publish: 抽查计划公告) and the task's (create,
publish the seed's digest: 任务公告, draw: 结果). Each: the allowed path, who is refused (403; 404
for another agency or county), a field out of its rules (422 naming it), a step the rules do not
allow now (409 with every reason and its basis), and the replay of an Idempotency-Key."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.inspection.models import Inspection, InspectionPlan, RandomInspection
from sanxiang.ledger.models import Entry
from sanxiang.procedure.draw import RANDOM_INSPECTION_BASIS, seed_commitment
from sanxiang.publication.models import PublicInspectionResult
from tests.api.support import bearer
from tests.evidence.test_evidence_capture import png_bytes
from tests.factories import agency_make, user_make
from tests.inspection import builders
from tests.inspection import support as plans_support

pytestmark = pytest.mark.django_db


def _supervisor(region: str = "150626"):
    return user_make(role=Role.SUPERVISOR, agency=agency_make(name=f"司法局{region}", is_judicial_bureau=True,
                                                             region_code=region))


def _stranger():
    return user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局"))


def _post(client, url: str, body: dict | None, headers: dict, **extra):
    return client.post(url, body or {}, content_type="application/json", **headers, **extra)


# --- Photos -------------------------------------------------------------------------------------------


def _upload(client, pk: int, headers: dict, *, content: bytes | None = None, name: str = "现场.png", **extra):
    data = {} if content is False else {"photo": SimpleUploadedFile(name, png_bytes() if content is None else content)}
    return client.post(f"/api/inspections/{pk}/photos", data, **headers, **extra)


def _written() -> tuple[int, int, int]:
    return EvidenceRecord.objects.count(), StoredFile.objects.count(), Entry.objects.count()


def _approved(world) -> int:
    from sanxiang.inspection.inspection_services import inspection_act

    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    return world.inspection.pk


def test_an_officer_uploads_a_photo_of_the_visit_and_a_resent_one_is_replayed_not_filed_twice(client):
    world = builders.world_make()
    pk = _approved(world)
    officer = bearer(world.users[0])
    answer = _upload(client, pk, officer, HTTP_IDEMPOTENCY_KEY="photo-1")
    assert answer.status_code == 201, answer.content
    photo = answer.json()
    assert photo["content_type"] == "image/png" and photo["original_name"] == "现场.png"
    assert photo["agency_id"] == world.agency.pk and photo["case_id"] is None and photo["ledger_seq"]
    again = _upload(client, pk, officer, HTTP_IDEMPOTENCY_KEY="photo-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == photo["id"]
    assert EvidenceRecord.objects.count() == 1
    detail = client.get(f"/api/inspections/{pk}", **officer).json()
    assert [p["id"] for p in detail["photos"]] == [photo["id"]]
    # The record of the visit counts it (the engine's media rule is met by this photo).
    assert _post(client, f"/api/inspections/{pk}/steps/inspection_start", {}, officer).status_code == 200
    recorded = _post(client, f"/api/inspections/{pk}/steps/inspection_record", {
        "on": timezone.localdate().isoformat(), "officer_ids": [o.pk for o in world.officers],
        "certificates_shown": True, "enterprise_signed": True, "checklist": world.checklist()}, officer)
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["record"]["photos"] == 1


def test_a_file_that_is_no_photo_or_too_large_or_missing_is_refused_with_nothing_written(client, settings):
    world = builders.world_make()
    pk = _approved(world)
    officer = bearer(world.users[0])
    before = _written()
    wrong = _upload(client, pk, officer, content=b"%PDF-1.7\n" + b"x" * 200, name="现场.png")
    assert wrong.status_code == 422, wrong.content
    assert [(v["code"], v["field"]) for v in wrong.json()["violations"]] == [("evidence.kind_mismatch", "photo")]
    empty = _upload(client, pk, officer, content=b"")
    assert empty.status_code == 422 and empty.json()["violations"][0]["field"] == "photo"
    missing = _upload(client, pk, officer, content=False)
    assert missing.status_code == 422 and "photo" in [v["field"] for v in missing.json()["violations"]]
    with override_settings(SANXIANG_EVIDENCE_MAX_BYTES=100):
        large = _upload(client, pk, officer, content=png_bytes(width=64, height=64), HTTP_IDEMPOTENCY_KEY="big")
    assert large.status_code == 413, large.content
    assert large.json()["violations"][0]["code"] == "evidence.too_large"
    assert _written() == before
    tmp = Path(settings.DATA_DIR) / "evidence" / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []
    # The refused key was not kept: the same key with an acceptable photo is judged afresh.
    assert _upload(client, pk, officer, HTTP_IDEMPOTENCY_KEY="big").status_code == 201


def test_a_photo_outside_the_visit_is_409_and_the_wrong_reader_403_or_404(client):
    world = builders.world_make()
    pk = world.inspection.pk
    # Not yet approved: the engine's reason with its basis (the allowed path: the head approves first).
    refused = _upload(client, pk, bearer(world.users[0]))
    assert refused.status_code == 409
    [reason] = refused.json()["violations"]
    assert reason["code"] == "inspection.photo.state" and reason["message"] and reason["legal_basis"]
    _approved(world)
    assert _upload(client, pk, bearer(_supervisor())).status_code == 403  # reads, does not act
    assert _upload(client, pk, bearer(_stranger())).status_code == 404
    assert _upload(client, 999999, bearer(world.users[0])).status_code == 404
    assert EvidenceRecord.objects.count() == 0


# --- 结果公示 --------------------------------------------------------------------------------------------


def test_the_head_publishes_the_results_of_closed_random_inspections_once(client):
    world = builders.world_make()
    inspection = builders.closed(world)
    head = bearer(world.head)
    pending = client.get("/api/inspections?publish_pending=true", **head).json()["items"]
    assert [i["id"] for i in pending] == [inspection.pk]
    url = "/api/inspection-results/publish"
    body = {"inspection_ids": [inspection.pk]}
    # Officers and the county's supervisors do not publish (the head does).
    assert _post(client, url, body, bearer(world.users[0])).status_code == 403
    assert _post(client, url, body, bearer(_supervisor())).status_code == 403
    answer = _post(client, url, body, head, HTTP_IDEMPOTENCY_KEY="publish-1")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"published": 1, "inspection_ids": [inspection.pk],
                             "published_on": timezone.localdate().isoformat()}
    assert PublicInspectionResult.objects.count() == 1
    replay = _post(client, url, body, head, HTTP_IDEMPOTENCY_KEY="publish-1")
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == answer.json()
    assert client.get("/api/inspections?publish_pending=true", **head).json()["items"] == []
    # Sent again without the key, and with another agency's inspection: each named, nothing published.
    other = builders.world_make()
    again = _post(client, url, {"inspection_ids": [inspection.pk, other.inspection.pk]}, head)
    assert again.status_code == 409
    reasons = again.json()["violations"]
    assert [str(inspection.pk) in v["message"] for v in reasons] == [True, False]
    assert all(v["legal_basis"] == RANDOM_INSPECTION_BASIS and v["field"] == "inspection_ids" for v in reasons)
    assert PublicInspectionResult.objects.count() == 1
    assert _post(client, url, {"inspection_ids": []}, head).status_code == 422


# --- Plans and draws --------------------------------------------------------------------------------------


def _plan_body(world, **changes) -> dict:
    year = plans_support.TODAY.year
    return {"kind": "annual", "year": year, "title": f"{year}年度第二批抽查计划", "item_ids": [world["item"].pk],
            "scope": "辖区内食品经营者", "frequency": "每年一次", "starts_on": f"{year}-01-01",
            "ends_on": f"{year}-12-31"} | changes


def test_a_plan_is_drafted_approved_filed_and_published_through_the_api(client):
    world = plans_support.world_make()
    head, supervisor = bearer(world["head"]), bearer(world["supervisor"])
    created = _post(client, "/api/inspection-plans", _plan_body(world), head, HTTP_IDEMPOTENCY_KEY="plan-1")
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["status"] == "draft" and [i["id"] for i in plan["items"]] == [world["item"].pk]
    replay = _post(client, "/api/inspection-plans", _plan_body(world), head, HTTP_IDEMPOTENCY_KEY="plan-1")
    assert replay.json()["id"] == plan["id"] and InspectionPlan.objects.count() == 2
    base = f"/api/inspection-plans/{plan['id']}"
    # Publishing a draft: the rule, with its basis (the allowed path: approve, file, then publish).
    early = _post(client, f"{base}/publish", None, head)
    assert early.status_code == 409
    assert [v["code"] for v in early.json()["violations"]] == ["inspection.plan.publish_state"]
    assert all(v["legal_basis"] for v in early.json()["violations"])
    officer = user_make(role=Role.OFFICER, agency=world["agency"])
    assert _post(client, f"{base}/approve", {}, bearer(officer)).status_code == 403  # the head approves
    approved = _post(client, f"{base}/approve", {}, head)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    twice = _post(client, f"{base}/approve", {}, head)
    assert twice.status_code == 409 and twice.json()["violations"][0]["code"] == "inspection.plan.not_draft"
    assert _post(client, f"{base}/file", {"filing_reference": "备-2"}, head).status_code == 403  # the bureau files
    blank = _post(client, f"{base}/file", {"filing_reference": ""}, supervisor)
    assert blank.status_code == 422 and blank.json()["violations"][0]["field"] == "filing_reference"
    filed = _post(client, f"{base}/file", {"filing_reference": "备-2026-2"}, supervisor)
    assert filed.status_code == 200 and filed.json()["filing_reference"] == "备-2026-2"
    published = _post(client, f"{base}/publish", None, head)
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published" and "抽查计划" in published.json()["title"] + published.json()["notice"]
    assert client.get(base, **supervisor).json()["status"] == "published"
    for stranger in (_stranger(), _supervisor("150627")):
        assert client.get(base, **bearer(stranger)).status_code == 404
        assert _post(client, f"{base}/publish", None, bearer(stranger)).status_code == 404


@pytest.mark.parametrize(("changes", "field"), [
    ({"item_ids": [999999]}, "item_ids"),
    ({"ends_on": "2000-01-01", "starts_on": "2000-02-01", "year": 2000}, "ends_on"),
    ({"scope": ""}, "scope"),
    ({"kind": "monthly"}, "kind"),
    ({"starts_on": "2026-02-30"}, "starts_on"),
])
def test_a_plan_with_a_field_out_of_its_rules_is_422_naming_it_and_nothing_drafted(client, changes, field):
    world = plans_support.world_make(plan_state="draft")
    answer = _post(client, "/api/inspection-plans", _plan_body(world, **changes), bearer(world["head"]))
    assert answer.status_code == 422, answer.content
    assert field in [v["field"] for v in answer.json()["violations"]]
    assert InspectionPlan.objects.count() == 1


def test_another_agencys_items_cannot_be_listed_nor_its_plan_drafted(client):
    world = plans_support.world_make(plan_state="draft")
    other = plans_support.world_make(plan_state="draft")
    head = bearer(world["head"])
    foreign = _post(client, "/api/inspection-plans", _plan_body(world, item_ids=[other["item"].pk]), head)
    assert foreign.status_code == 422 and foreign.json()["violations"][0]["field"] == "item_ids"
    assert _post(client, "/api/inspection-plans", _plan_body(world, agency_id=other["agency"].pk), head
                 ).status_code == 404  # another agency: absent, as in the lists
    assert _post(client, "/api/inspection-plans", _plan_body(world), bearer(world["supervisor"])).status_code == 403  # the bureau does not draft agencies' plans
    assert InspectionPlan.objects.count() == 2


def test_a_task_is_created_its_seed_digest_published_then_drawn_through_the_api(client):
    world = plans_support.world_make()
    head = bearer(world["head"])
    year = plans_support.TODAY.year
    body = {"title": "第一批食品经营者抽查", "item_ids": [world["item"].pk], "period_from": f"{year}-01-01",
            "period_to": f"{year}-12-31", "draw_on": plans_support.TODAY.isoformat()}
    url = f"/api/inspection-plans/{world['plan'].pk}/draws"
    assert _post(client, url, body, bearer(world["supervisor"])).status_code == 403
    assert _post(client, url, body | {"item_ids": [999999]}, head).status_code == 422
    inverted = _post(client, url, body | {"period_to": f"{year - 1}-12-31"}, head)
    assert inverted.status_code == 422 and inverted.json()["violations"][0]["field"] == "period_to"
    created = _post(client, url, body, head, HTTP_IDEMPOTENCY_KEY="draw-1")
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["status"] == "prepared" and task["seed"] == "" and task["drawn"] == []
    base = f"/api/inspection-draws/{task['id']}"
    early = _post(client, f"{base}/draw", None, head)  # drawing before the digest is published
    assert early.status_code == 409 and all(v["message"] and v["legal_basis"] for v in early.json()["violations"])
    committed = _post(client, f"{base}/commit", None, head)
    assert committed.status_code == 200, committed.content
    digest = committed.json()["seed_commitment"]
    assert len(digest) == 64 and committed.json()["seed"] == "" and committed.json()["public_inputs"] == {}
    assert _post(client, f"{base}/commit", None, head).status_code == 409  # published once
    drawn = _post(client, f"{base}/draw", None, head)
    assert drawn.status_code == 200, drawn.content
    result = drawn.json()
    assert result["status"] == "drawn" and seed_commitment(result["seed"]) == digest
    assert result["drawn"] and {row["inspection_id"] for row in result["drawn"]} == set(
        Inspection.objects.filter(random_inspection_id=task["id"]).values_list("pk", flat=True))
    assert _post(client, f"{base}/draw", None, head).status_code == 409
    assert client.get(base, **bearer(world["supervisor"])).json()["seed"] == result["seed"]
    assert client.get(base, **bearer(_stranger())).status_code == 404
    assert RandomInspection.objects.count() == 1


def test_a_task_under_a_plan_not_yet_approved_is_409_with_the_reason(client):
    world = plans_support.world_make(plan_state="draft")
    year = plans_support.TODAY.year
    answer = _post(client, f"/api/inspection-plans/{world['plan'].pk}/draws", {
        "title": "第一批", "item_ids": [world["item"].pk], "period_from": f"{year}-01-01",
        "period_to": f"{year}-12-31", "draw_on": plans_support.TODAY.isoformat()}, bearer(world["head"]))
    assert answer.status_code == 409, answer.content
    assert "inspection.plan.not_approved" in [v["code"] for v in answer.json()["violations"]]
    assert RandomInspection.objects.count() == 0


def test_the_list_scopes_are_the_selectors_the_pages_use():
    """The pages and the API read one rule: an officer sent sees the inspection, another does not."""
    from sanxiang.inspection import inspection_selectors as sel
    from sanxiang.inspection import register_selectors

    world = builders.world_make()
    assert list(sel.inspections_visible(viewer=world.users[0])) == [world.inspection]
    assert list(sel.inspections_visible(viewer=_stranger())) == []
    assert list(sel.inspections_visible(viewer=_supervisor())) == [world.inspection]
    plans = plans_support.world_make()
    assert list(register_selectors.plans_for_reader(viewer=plans["supervisor"])) == [plans["plan"]]
    assert list(register_selectors.plans_for_reader(viewer=world.head)) == []


def test_the_items_list_gives_the_ids_a_plan_names_and_the_head_publishes_it(client):
    world = plans_support.world_make(plan_state="draft")
    head = bearer(world["head"])
    listed = client.get("/api/inspection-items?active=true", **head).json()["items"]
    assert [(i["id"], i["is_published"]) for i in listed] == [(world["item"].pk, True)]
    stranger = bearer(_stranger())
    assert client.get("/api/inspection-items", **stranger).json()["items"] == []
    assert client.get("/api/inspection-items?ordering=name", **head).status_code == 422
    url = "/api/inspection-items/publish"
    officer = user_make(role=Role.OFFICER, agency=world["agency"])
    assert _post(client, url, {}, bearer(officer)).status_code == 403  # the head or the administrator
    assert _post(client, url, {"agency_id": world["agency"].pk}, stranger).status_code == 404
    entries = Entry.objects.count()
    published = _post(client, url, {}, head)
    assert published.status_code == 200 and published.json() == {"published": 1}
    assert Entry.objects.count() == entries + 1  # the list published, in the ledger
    # With no active item the list cannot be published: the reason (the allowed path: keep one active).
    world["item"].is_active = False
    world["item"].save()
    empty = _post(client, url, {}, head)
    assert empty.status_code == 409 and empty.json()["violations"][0]["code"] == "inspection.items.empty"

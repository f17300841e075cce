"""Issue 19 item 1: 行政检查 through the API, to whom the inspection pages show them: the county's
supervisors every inspection of their county, the agency's head those of the agency, an officer
those they were sent on; another county, another agency, an officer not sent find nothing (404).
The detail carries the items, the officers, the 检查码 and its state, the record, the result and
the cases opened on it; the list follows the list conventions (filters, ordering, 422, pagination)."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.inspection.models import Inspection
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.factories import agency_make, officer_make, user_make
from tests.inspection.builders import closed, world_make

pytestmark = pytest.mark.django_db


def _supervisor(region: str = "150626"):
    bureau = agency_make(name=f"司法局{region}", is_judicial_bureau=True, region_code=region)
    return user_make(role=Role.SUPERVISOR, agency=bureau)


def test_the_detail_reads_items_officers_code_record_and_result_for_the_agency_and_the_county(client):
    world = world_make()
    inspection = closed(world)
    for reader in (world.head, world.users[0], _supervisor()):
        answer = client.get(f"/api/inspections/{inspection.pk}", **bearer(reader))
        assert answer.status_code == 200, reader.role
        body = answer.json()
        assert body["status"] == "closed" and body["status_label"]
        assert [i["name"] for i in body["items"]] == ["食品经营许可情况检查"]
        assert {o["id"] for o in body["officers"]} == {o.pk for o in world.officers}
        assert body["code_state"]["code"] == inspection.code and body["code_state"]["valid"] is False  # closed
        assert body["record"]["checklist"][0]["point"] == "食品经营许可证在有效期内"
        assert body["record"]["checklist"][0]["finding_label"] == "符合"
        assert body["result"]["outcome"] == "pass" and body["result"]["outcome_label"] == "未发现问题"
        assert body["cases"] == []
        assert body["target_credit_code"] == world.target.credit_code


def test_an_approved_inspection_shows_a_valid_code_and_no_record_yet(client):
    from sanxiang.inspection.inspection_services import inspection_act

    world = world_make()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    body = client.get(f"/api/inspections/{world.inspection.pk}", **bearer(world.head)).json()
    assert body["status"] == "approved" and body["code_state"]["valid"] is True
    assert body["record"] is None and body["result"] is None


def test_another_county_agency_or_officer_finds_nothing(client):
    world = world_make()
    pk = world.inspection.pk
    mine = client.get("/api/inspections", **bearer(world.head)).json()["items"]
    assert [i["id"] for i in mine] == [pk]
    other_agency = agency_make(name="乌审旗交通运输局")
    strangers = [
        _supervisor("150627"),  # another county's bureau
        user_make(role=Role.AGENCY_HEAD, agency=other_agency),
        user_make(role=Role.OFFICER, agency=world.agency, officer=officer_make(agency=world.agency)),  # not sent
    ]
    for stranger in strangers:
        headers = bearer(stranger)
        assert client.get("/api/inspections", **headers).json()["items"] == [], stranger.role
        answer = client.get(f"/api/inspections/{pk}", **headers)
        assert answer.status_code == 404, stranger.role
        assert answer.json()["error"]["code"] == "not_found"
    assert client.get("/api/inspections/999999", **bearer(world.head)).status_code == 404


def test_the_list_filters_orders_and_walks_its_pages(client):
    world = world_make()
    on = timezone.localdate()
    made = [world.inspection]
    for days in (1, 2, 3, 4):
        extra = Inspection.objects.create(agency=world.agency, target=world.target, source=world.inspection.source,
                                          planned_from=on - dt.timedelta(days=days), planned_to=on + dt.timedelta(days=3))
        extra.items.set([world.item])
        extra.officers.set(world.officers)
        made.append(extra)
    closed_one = closed(world)  # the first one (planned today) closed
    headers = bearer(world.head)
    ids = [i["id"] for i in client.get("/api/inspections", **headers).json()["items"]]
    assert ids == [i.pk for i in made]  # newest planned first
    ids = [i["id"] for i in client.get("/api/inspections?ordering=planned_from", **headers).json()["items"]]
    assert ids == [i.pk for i in reversed(made)]
    only = client.get("/api/inspections?status=closed", **headers).json()["items"]
    assert [i["id"] for i in only] == [closed_one.pk]
    since = (on - dt.timedelta(days=2)).isoformat()
    until = (on - dt.timedelta(days=1)).isoformat()
    ranged = client.get(f"/api/inspections?since={since}&until={until}", **headers).json()["items"]
    assert [i["id"] for i in ranged] == [made[1].pk, made[2].pk]
    code = world.target.credit_code
    assert len(client.get(f"/api/inspections?target={code}", **headers).json()["items"]) == 5
    assert client.get("/api/inspections?target=91150626000000000X", **headers).json()["items"] == []
    assert client.get(f"/api/inspections?agency={world.agency.pk + 1000}", **headers).json()["items"] == []
    # Pagination: every row exactly once, the filters kept in `next`.
    seen, url = [], "/api/inspections?limit=2&ordering=planned_from"
    while url:
        page = client.get(url, **headers).json()
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert seen == [i.pk for i in reversed(made)]
    # A page costs the same queries for one row as for five (no query per row).
    assert queries_of(client, "/api/inspections?limit=1", headers) == queries_of(client, "/api/inspections?limit=5", headers)


@pytest.mark.parametrize(("query", "field"), [
    ("status=done", "status"), ("ordering=target", "ordering"), ("since=2026-13-01", "since"),
    ("since=2026-05-02&until=2026-05-01", "until"), ("limit=0", "limit"), ("cursor=forged", "cursor"),
    ("target=%E5%85%AC%E5%8F%B8", "target"), ("agency=0", "agency"),
])
def test_bad_list_parameters_are_refused_with_422_naming_the_field(client, query, field):
    world = world_make()
    answer = client.get(f"/api/inspections?{query}", **bearer(world.head))
    assert answer.status_code == 422
    assert field in [v["field"] for v in answer.json()["violations"]]


# --- The steps, as the page's forms take them (issue 19 item 1) -------------------------------------


def _step(client, pk: int, step: str, body: dict, headers: dict):
    return client.post(f"/api/inspections/{pk}/steps/{step}", body, content_type="application/json", **headers)


def test_an_inspection_is_approved_started_recorded_and_its_result_told_through_the_api(client):
    from sanxiang.inspection.inspection_services import inspection_photo_add
    from tests.inspection.builders import photo

    world = world_make()
    pk, today = world.inspection.pk, timezone.localdate().isoformat()
    head, officer = bearer(world.head), bearer(world.users[0])
    approved = _step(client, pk, "inspection_approve", {"approval": "agree"}, head)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["code_state"]["valid"] is True
    assert _step(client, pk, "inspection_start", {}, officer).json()["status"] == "in_progress"
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    recorded = _step(client, pk, "inspection_record", {
        "on": today, "officer_ids": [o.pk for o in world.officers], "certificates_shown": True,
        "enterprise_signed": True,
        "checklist": [{"item_id": world.item.pk, "point": "食品经营许可证在有效期内", "finding": "pass"}]}, officer)
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["record"]["checklist"][0]["finding_label"] == "符合"
    told = _step(client, pk, "inspection_send_result", {"outcome": "pass", "sent_on": today}, officer)
    assert told.status_code == 200, told.content
    assert told.json()["status"] == "closed" and told.json()["result"]["outcome"] == "pass"


def test_a_step_the_law_does_not_allow_now_is_409_with_its_reasons_nothing_written(client):
    world = world_make()
    pk = world.inspection.pk
    # 开始现场检查 before the head's approval: refused with the rule (the allowed path: approve first).
    refused = _step(client, pk, "inspection_start", {}, bearer(world.users[0]))
    assert refused.status_code == 409
    violations = refused.json()["violations"]
    assert violations and all(v["message"] and v["legal_basis"] for v in violations)
    assert Inspection.objects.get(pk=pk).state == "assigned"
    assert _step(client, pk, "inspection_approve", {"approval": "agree"}, bearer(world.head)).status_code == 200
    assert _step(client, pk, "inspection_start", {}, bearer(world.users[0])).status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"officer_ids": [1]}, "on"),  # the day is required
    ({"on": "2026-13-01"}, "on"),
    ({"on": "2026-06-01", "officer_ids": [999999]}, "officer_ids"),
    ({"on": "2026-06-01", "checklist": [{"item_id": 1, "point": "a\u0000b"}]}, "checklist"),
])
def test_bad_fields_of_a_step_are_422_naming_the_field(client, body, field):
    world = world_make()
    if body.get("checklist"):
        body["checklist"][0]["item_id"] = world.item.pk
    answer = _step(client, world.inspection.pk, "inspection_record", body, bearer(world.users[0]))
    assert answer.status_code == 422, answer.content
    assert field in [v["field"] for v in answer.json()["violations"]]
    assert Inspection.objects.get(pk=world.inspection.pk).state == "assigned"


def test_a_supervisor_reads_but_takes_no_step_and_a_stranger_finds_nothing(client):
    world = world_make()
    pk = world.inspection.pk
    assert _step(client, pk, "inspection_approve", {"approval": "agree"}, bearer(_supervisor())).status_code == 403
    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局")))
    assert _step(client, pk, "inspection_approve", {"approval": "agree"}, stranger).status_code == 404
    assert _step(client, pk, "inspection_delete", {}, bearer(world.head)).status_code == 422
    assert Inspection.objects.get(pk=pk).state == "assigned"

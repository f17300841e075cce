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

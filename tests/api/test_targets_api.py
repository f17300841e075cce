"""Issue 19: the plan's targets through the API, as on the targets pages (tests/evaluation/target_support.py's
county, whose result is known: counted 3, fully applying 1): the table for a day against the campaign in
force, one agency's kinds × criteria and the records behind a criterion, the monthly history, the
campaigns and the 司法局's definition of the next one. An agency head reads their own agency only, an
officer nothing (403), an agency not the viewer's 404, a bad day or field 422 naming it, a replayed
Idempotency-Key the first answer. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sanxiang.evaluation.models import TargetCampaign
from sanxiang.evaluation.target_services import target_snapshots_refresh
from sanxiang.procedure.evaluation.targets import earliest_day
from tests.api.support import bearer
from tests.evaluation.target_support import county_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return county_make(timezone.localdate())


def post(client, url: str, auth: dict, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def test_the_table_the_agency_and_the_records_as_the_pages_show_them(client, county):
    supervisor = bearer(county.supervisor)
    table = client.get("/api/targets", **supervisor)
    assert table.status_code == 200, table.content
    body = table.json()
    assert (body["counted"], body["met"], body["share"], body["reached"]) == (3, 1, 33.3, False)
    assert body["campaign"]["default"] and body["milestone"]["percent"] == 100
    rows = {a["agency_id"]: a for a in body["agencies"]}
    assert set(rows) == {county.a.pk, county.b.pk, county.c.pk, county.d.pk}  # never 外县戊局
    assert rows[county.a.pk]["status"] == "met" and rows[county.c.pk]["status"] == "not_applicable"
    assert {f["criterion"] for f in rows[county.b.pk]["failures"]} == {"pre_publicity", "publication_timely"}
    assert "乙新增事项" in " ".join(f["reason"] for f in rows[county.b.pk]["failures"])

    agency = client.get(f"/api/targets/agencies/{county.b.pk}", **supervisor)
    assert agency.status_code == 200 and agency.json()["status"] == "not_met"
    penalty = next(k for k in agency.json()["kinds"] if k["kind"] == "penalty")
    assert {c["code"]: c["status"] for c in penalty["criteria"]}["publication_timely"] == "not_met"
    assert all(c["basis"] for c in penalty["criteria"])
    records = client.get(f"/api/targets/agencies/{county.b.pk}/records?kind=penalty&criterion=publication_timely",
                         **supervisor)
    assert records.status_code == 200, records.content
    assert records.json()["count"] == len(records.json()["records"]) == 1 and records.json()["status"] == "not_met"
    assert records.json()["records"][0]["dates"]
    # A case's title may name a party: a supervisor reads it only under a read grant, the agency's head always.
    assert records.json()["records"][0]["title"] == "" and records.json()["records"][0]["case_id"]
    own = client.get(f"/api/targets/agencies/{county.b.pk}/records?kind=penalty&criterion=publication_timely",
                     **bearer(county.head_b)).json()["records"]
    assert own[0]["title"] and own[0]["case_id"] == records.json()["records"][0]["case_id"]
    # A past day is read; before the first day the targets can be judged, or a wrong kind: 422 naming it.
    day = earliest_day()
    assert client.get(f"/api/targets?on={day}", **supervisor).json()["on"] == day.isoformat()
    early = client.get(f"/api/targets/agencies/{county.b.pk}?on={day - dt.timedelta(days=1)}", **supervisor)
    assert early.status_code == 422 and early.json()["violations"][0]["field"] == "on"
    wrong = client.get(f"/api/targets/agencies/{county.b.pk}/records?kind=tax&criterion=documents", **supervisor)
    assert wrong.status_code == 422 and wrong.json()["violations"][0]["field"] == "kind"
    # Another county's agency does not exist for this supervisor.
    assert client.get(f"/api/targets/agencies/{county.far.pk}", **supervisor).status_code == 404
    far_records = f"/api/targets/agencies/{county.far.pk}/records?kind=penalty&criterion=documents"
    assert client.get(far_records, **supervisor).status_code == 404


def test_an_agency_head_reads_their_own_agency_only_and_an_officer_nothing(client, county):
    head = bearer(county.head_b)
    table = client.get("/api/targets", **head).json()
    assert [a["agency_id"] for a in table["agencies"]] == [county.b.pk]
    assert client.get(f"/api/targets/agencies/{county.b.pk}", **head).status_code == 200
    assert client.get(f"/api/targets/agencies/{county.a.pk}", **head).status_code == 404
    officer = bearer(county.officer_a)
    for url in ("/api/targets", f"/api/targets/agencies/{county.a.pk}", "/api/targets/history",
                "/api/targets/campaigns"):
        assert client.get(url, **officer).status_code == 403, url
    # The campaigns are the bureau's.
    assert client.get("/api/targets/campaigns", **head).status_code == 403
    assert post(client, "/api/targets/campaigns", head,
                {"title": "目标", "milestones": [{"due_on": "2099-06-30", "percent": 90}]}).status_code == 403

    target_snapshots_refresh(on=timezone.localdate())
    mine = client.get("/api/targets/history", **head).json()
    assert [(m["counted"], [a["agency_id"] for a in m["agencies"]]) for m in mine] == [(1, [county.b.pk])]
    county_history = client.get("/api/targets/history", **bearer(county.supervisor)).json()
    assert [(m["counted"], m["met"], m["share"]) for m in county_history] == [(3, 1, 33.3)]


def test_the_bureau_defines_a_campaign(client, county):
    supervisor = bearer(county.supervisor)
    listed = client.get("/api/targets/campaigns", **supervisor)
    assert listed.status_code == 200 and listed.json()["in_force"]["default"] and listed.json()["campaigns"] == []
    bad = post(client, "/api/targets/campaigns", supervisor, {"title": " ", "milestones": [
        {"due_on": "2099-06-30", "percent": 120}, {"due_on": "2099-01-01", "percent": 90}]})
    assert bad.status_code == 422, bad.content
    assert {v["field"] for v in bad.json()["violations"]} == {
        "title", "milestones.0.percent", "milestones.1.due_on", "milestones.1.percent"}  # the dates and shares rise
    empty = post(client, "/api/targets/campaigns", supervisor, {"title": "目标", "milestones": []})
    # No milestone at all: the list is named, not an item the request does not have.
    assert empty.status_code == 422 and {v["field"] for v in empty.json()["violations"]} == {"milestones"}
    unreadable = post(client, "/api/targets/campaigns", supervisor,
                      {"title": "目标", "milestones": [{"due_on": "不是日期", "percent": 90}]})
    assert unreadable.status_code == 422 and unreadable.json()["violations"][0]["field"] == "milestones.0.due_on"
    assert not TargetCampaign.objects.exists()

    good = {"title": "2027年目标", "milestones": [{"due_on": "2098-12-31", "percent": 80},
                                                {"due_on": "2099-06-30", "percent": 95}]}
    defined = post(client, "/api/targets/campaigns", supervisor, good, HTTP_IDEMPOTENCY_KEY="campaign-1")
    assert defined.status_code == 201, defined.content
    assert defined.json()["in_force"]["title"] == "2027年目标" and not defined.json()["in_force"]["default"]
    assert [c["title"] for c in defined.json()["campaigns"]] == ["2027年目标"]
    replayed = post(client, "/api/targets/campaigns", supervisor, good, HTTP_IDEMPOTENCY_KEY="campaign-1")
    assert replayed.status_code == 201 and replayed["Idempotent-Replayed"] == "true"
    assert TargetCampaign.objects.count() == 1
    table = client.get("/api/targets", **supervisor).json()
    assert table["campaign"]["title"] == "2027年目标" and table["milestone"] == {"due_on": "2098-12-31", "percent": 80}

"""Issue 19: 重大执法决定备案 through the API, as the filing pages show and examine them: listed and read by the
receiving bureau's supervisors and the filing agency's staff (another agency: nothing, 404), each read in
the access log; examined by the bureau's supervisors only (403 to the agency), once (409 with the reason),
either with no problem or taken to a 意见书, which opens a supervision matter. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.supervision.models import Filing, Matter
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def _filing(desk, *, n: int, agency=None, filed_ago: int = 5) -> Filing:
    agency = agency or desk.agency
    today = timezone.localdate()
    case = case_create(actor=None, agency=agency, number=f"备-{agency.pk}-{n}", title=f"备案案件{n}")
    day = today - dt.timedelta(days=filed_ago)
    return Filing.objects.create(case=case, agency=agency, bureau=desk.bureau, kind="penalty", action="decide",
                                 decision_label="行政处罚决定", decided_on=day, filed_on=day,
                                 due_on=day + dt.timedelta(days=15))


def post(client, url: str, auth: dict, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def test_filings_are_listed_and_read_to_whom_the_pages_show_them(client):
    desk = desk_make()
    older, newer = _filing(desk, n=1, filed_ago=9), _filing(desk, n=2, filed_ago=2)
    other = agency_make(name="乌审旗交通运输局")
    theirs = _filing(desk, n=3, agency=other)
    supervisor, head = bearer(desk.first), bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    listed = client.get("/api/supervision/filings?limit=2", **supervisor).json()
    assert [f["id"] for f in listed["items"]] == [newer.pk, theirs.pk] and listed["next"]
    assert [f["id"] for f in client.get("/api/supervision/filings", **head).json()["items"]] == [newer.pk, older.pk]
    assert [f["id"] for f in client.get(f"/api/supervision/filings?ordering=due_on&agency={desk.agency.pk}",
                                        **supervisor).json()["items"]] == [older.pk, newer.pk]
    read = client.get(f"/api/supervision/filings/{older.pk}", **head)
    assert read.status_code == 200 and read.json()["status"] == "awaiting" and read.json()["case_number"] == f"备-{desk.agency.pk}-1"
    assert AccessLogEntry.objects.filter(object_kind="supervision_filing", object_id=str(older.pk)).exists()
    assert client.get(f"/api/supervision/filings/{theirs.pk}", **head).status_code == 404
    for query, field in (("status=done", "status"), ("ordering=agency", "ordering"), ("since=2026-05-02&until=2026-05-01", "until")):
        bad = client.get(f"/api/supervision/filings?{query}", **supervisor)
        assert bad.status_code == 422 and [v["field"] for v in bad.json()["violations"]] == [field]


def test_the_bureau_examines_a_filing_once(client):
    desk = desk_make()
    filing = _filing(desk, n=1)
    url = f"/api/supervision/filings/{filing.pk}/actions"
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert post(client, f"{url}/examine", head, {"note": "自审无异议"}).status_code == 403
    assert post(client, f"{url}/approve", bearer(desk.first), {}).status_code == 422
    examined = post(client, f"{url}/examine", bearer(desk.first), {"note": "决定合法，无异议。"})
    assert examined.status_code == 200, examined.content
    assert examined.json()["status"] == "examined" and examined.json()["examination_note"] == "决定合法，无异议。"
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_FILING_EXAMINED).count() == 1
    again = post(client, f"{url}/opinion", bearer(desk.second), {"note": "再审"})
    assert again.status_code == 409 and again.json()["violations"][0]["code"] == "filing.examined_already"
    assert Filing.objects.get(pk=filing.pk).state == "examined"


def test_a_filing_taken_to_an_opinion_opens_a_matter(client):
    desk = desk_make()
    filing = _filing(desk, n=1)
    taken = post(client, f"/api/supervision/filings/{filing.pk}/actions/opinion", bearer(desk.first),
                 {"note": "罚款数额超出裁量基准"})
    assert taken.status_code == 200, taken.content
    assert taken.json()["status"] == "opinion"
    matter = Matter.objects.get(pk=taken.json()["matter_id"])
    assert matter.agency_id == desk.agency.pk and matter.origin == f"supervision_filing:{filing.pk}"

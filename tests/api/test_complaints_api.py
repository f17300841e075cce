"""Issue 19: 投诉举报 and leads through the API, as the complaint pages show them: listed and read by the
supervisors of the bureau that received them (an agency's head 403, another bureau's supervisor sees
none, 404), the complainant's name and phone masked in the list and the detail, in clear only through
the complainant read, each read in the access log; a supervisor registers a 12345 / enterprise lead
(its 检查码 checked, every bad field named in a 422, nothing written; the Idempotency-Key replays the
first answer instead of a second lead). Bearer token, CSRF checks on."""

import json

import pytest

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.supervision.models import Complaint
from tests.api.support import bearer
from tests.factories import user_make
from tests.supervision.complaint_support import (
    NAME,
    PHONE,
    complaint_file,
    complaint_matter_move,
    desk_public,
)
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

LEADS = "/api/supervision/leads"


def post(client, url: str, auth: dict, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def test_complaints_are_read_by_the_bureaus_supervisors_masked_and_logged(client):
    desk = desk_public()
    first, second = complaint_file(desk), complaint_file(desk, anonymous=True, name="", phone="", id_number="")
    older = Complaint.objects.get(receipt_number=first.receipt_number)
    newer = Complaint.objects.get(receipt_number=second.receipt_number)
    supervisor = bearer(desk.first)
    page = client.get("/api/supervision/complaints?limit=1&ordering=-id", **supervisor)
    assert page.status_code == 200 and [c["id"] for c in page.json()["items"]] == [newer.pk]
    rest = client.get(page.json()["next"], **supervisor).json()
    assert [c["id"] for c in rest["items"]] == [older.pk] and rest["next"] is None
    assert rest["items"][0]["complainant_name_masked"] == "钱**" and page.json()["items"][0]["complainant_name_masked"] == "匿名"
    listed = client.get("/api/supervision/complaints?channel=portal", **supervisor).content.decode()
    assert NAME not in listed and PHONE not in listed
    detail = client.get(f"/api/supervision/complaints/{older.pk}", **supervisor)
    assert detail.status_code == 200 and detail.json()["complainant_phone_masked"] == "139****78"
    assert NAME not in detail.content.decode() and PHONE not in detail.content.decode()
    assert AccessLogEntry.objects.filter(object_kind="supervision.complaint", object_id=str(older.pk)).count() == 1
    assert not AccessLogEntry.objects.filter(object_kind="supervision.complainant").exists()
    clear = client.get(f"/api/supervision/complaints/{older.pk}/complainant", **supervisor)
    assert clear.status_code == 200 and (clear.json()["name"], clear.json()["phone"]) == (NAME, PHONE)
    assert AccessLogEntry.objects.filter(object_kind="supervision.complainant", object_id=str(older.pk)).count() == 1
    # The agency complained about, and another bureau's supervisor, do not reach them.
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    for url in ("/api/supervision/complaints", f"/api/supervision/complaints/{older.pk}",
                f"/api/supervision/complaints/{older.pk}/complainant"):
        assert client.get(url, **head).status_code == 403
    stranger = bearer(desk_make().first)
    assert client.get("/api/supervision/complaints", **stranger).json()["items"] == []
    assert client.get(f"/api/supervision/complaints/{older.pk}/complainant", **stranger).status_code == 404
    for query, field in (("channel=fax", "channel"), ("ordering=agency", "ordering"), ("status=lost", "status"),
                         ("since=2026-05-02&until=2026-05-01", "until")):
        bad = client.get(f"/api/supervision/complaints?{query}", **supervisor)
        assert bad.status_code == 422 and [v["field"] for v in bad.json()["violations"]] == [field]


def test_complaints_are_filtered_by_the_status_the_complainant_sees(client):
    desk = desk_public()
    waiting, taken = complaint_file(desk), complaint_file(desk)
    complaint_matter_move(desk, Complaint.objects.get(receipt_number=taken.receipt_number), to="accepted")
    ids = {r.receipt_number: Complaint.objects.get(receipt_number=r.receipt_number).pk for r in (waiting, taken)}
    supervisor = bearer(desk.first)

    def listed(status: str) -> list[int]:
        page = client.get(f"/api/supervision/complaints?status={status}", **supervisor)
        assert page.status_code == 200, page.content
        assert {c["status"] for c in page.json()["items"]} <= {status}
        return [c["id"] for c in page.json()["items"]]

    assert listed("received") == [ids[waiting.receipt_number]]
    assert listed("accepted") == [ids[taken.receipt_number]]
    assert listed("in_progress") == [] and listed("concluded") == [] and listed("not_accepted") == []


def _lead(desk, **fields) -> dict:
    return {"channel": "hotline_12345", "channel_reference": "12345-20261201-0007", "agency_id": desk.agency.pk,
            "description": "来电反映执法人员检查时未出示执法证件。", "name": NAME, "phone": PHONE} | fields


def test_a_supervisor_registers_a_lead_once_per_key(client):
    desk = desk_public()
    supervisor = bearer(desk.first)
    done = post(client, LEADS, supervisor, _lead(desk), HTTP_IDEMPOTENCY_KEY="lead-1")
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["channel"] == "hotline_12345" and body["complainant_name_masked"] == "钱**" and body["status"]
    complaint = Complaint.objects.get()
    assert body["id"] == complaint.pk and complaint.recorded_by_id == desk.first.pk
    assert complaint.matter.source == "hotline_12345"
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_COMPLAINT_RECEIVED).count() == 1
    logged = AccessLogEntry.objects.filter(object_kind="supervision.complaint", object_id=str(complaint.pk))
    assert logged.count() == 1  # the answer shows the lead: one read, recorded with the registration
    again = post(client, LEADS, supervisor, _lead(desk), HTTP_IDEMPOTENCY_KEY="lead-1")
    assert again.status_code == 201 and again.json()["id"] == complaint.pk and Complaint.objects.count() == 1
    # The replay is the first answer, kept with its key: no second registration, no second read logged.
    assert again["Idempotent-Replayed"] == "true" and logged.count() == 1 and AccessLogEntry.objects.count() == 1


def test_a_lead_sent_again_from_a_browser_session_is_replayed_without_a_second_read_logged(client):
    desk = desk_public()
    client.force_login(desk.first)
    client.get("/staff/")  # sets the CSRF cookie
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    first = post(client, LEADS, csrf, _lead(desk), HTTP_IDEMPOTENCY_KEY="lead-session")
    assert first.status_code == 201, first.content
    again = post(client, LEADS, csrf, _lead(desk), HTTP_IDEMPOTENCY_KEY="lead-session")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Complaint.objects.count() == 1 and AccessLogEntry.objects.count() == 1


def test_a_lead_is_refused_by_field_and_only_to_supervisors(client):
    desk = desk_public()
    supervisor = bearer(desk.first)
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert post(client, LEADS, head, _lead(desk)).status_code == 403
    # Every bad field at once, by its name in the body.
    bad = post(client, LEADS, supervisor, _lead(desk, name="", phone="", channel_reference=" "))
    assert bad.status_code == 422, bad.content
    assert {"name", "phone", "channel_reference"} <= {v["field"] for v in bad.json()["violations"]}
    for fields, field in (({"inspection_code": "AB-12"}, "inspection_code"),
                          ({"inspection_code": "ZZZZ999999"}, "inspection_code"),
                          ({"agency_id": desk.bureau.pk + 10_000}, "agency_id"),
                          ({"channel": "portal"}, "channel")):
        refused = post(client, LEADS, supervisor, _lead(desk, **fields))
        assert refused.status_code == 422 and field in {v["field"] for v in refused.json()["violations"]}, fields
    # The supervisor of a bureau that does not receive this agency's complaints does not register its leads.
    other = post(client, LEADS, bearer(desk_make().first), _lead(desk))
    assert other.status_code == 422 and [v["field"] for v in other.json()["violations"]] == ["agency_id"]
    assert not Complaint.objects.exists()

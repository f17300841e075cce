"""Issue 19: the supervised agency's replies to a 监督文书 (整改报告, 异议) and the desk's 监督措施 and
回避 on a 监督事项 through the API, as the instrument's and the matter's pages make them, through
supervision's services (each in the ledger). The agency's staff reply (403 to a supervisor, 404 to
another agency); the matter's supervisors record measures and recusals (403 to an agency's head); a
missing or malformed field is a 422 naming it; a move the state does not allow a 409 with its reasons
and their basis. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.supervision.instrument_services import instrument_issue
from sanxiang.supervision.models import Instrument, Matter, MatterSupervisor, Measure, ReadGrant
from sanxiang.supervision.services import matter_accept, matter_open, matter_pair_assign
from tests.api.support import bearer
from tests.evaluation.report_support import case_on
from tests.factories import agency_make, user_make
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def post(client, url: str, auth: dict, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def _opinion(desk, matter) -> Instrument:
    return instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="未在七个工作日内公示行政处罚决定",
                            required_actions="", supervisors=[desk.first, desk.second])


def test_the_agency_reports_its_correction_and_the_desk_reads_it(client):
    """《行政执法监督条例》第二十八条: the agency corrects and reports within the period; the report is then
    the supervisors' to accept or return (the detail lists their moves, no longer the agency's)."""
    desk, matter, head = desk_with_matter()
    instrument = _opinion(desk, matter)
    url = f"/api/supervision/instruments/{instrument.pk}"
    agency = bearer(head)
    assert [a["action"] for a in client.get(url, **agency).json()["agency_actions"]] == ["report", "object"]
    blank = post(client, f"{url}/actions/report", agency, {"text": "   "})
    assert blank.status_code == 422 and [v["field"] for v in blank.json()["violations"]] == ["text"]
    assert post(client, f"{url}/actions/report", agency, {}).status_code == 422
    # Only the agency's staff reply: a supervisor 403, another agency's head does not see it (404).
    assert post(client, f"{url}/actions/report", bearer(desk.first), {"text": "已整改"}).status_code == 403
    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局")))
    assert post(client, f"{url}/actions/report", stranger, {"text": "已整改"}).status_code == 404
    assert Instrument.objects.get(pk=instrument.pk).state == "issued"

    reported = post(client, f"{url}/actions/report", agency, {"text": "已在门户补充公示12件"}, HTTP_IDEMPOTENCY_KEY="reply-1")
    assert reported.status_code == 200, reported.content
    body = reported.json()
    assert body["status"] == "replied" and body["steps"][-1]["text"] == "已在门户补充公示12件"
    assert body["agency_actions"] == []
    replayed = post(client, f"{url}/actions/report", agency, {"text": "已在门户补充公示12件"}, HTTP_IDEMPOTENCY_KEY="reply-1")
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_INSTRUMENT_STEP).count() == 1
    # Replied: a second report waits for the supervisors (409, the state's reason and its basis).
    again = post(client, f"{url}/actions/report", agency, {"text": "再次报告"})
    assert again.status_code == 409
    assert again.json()["violations"] and all(v["legal_basis"] for v in again.json()["violations"])
    assert {a["action"] for a in client.get(url, **bearer(desk.first)).json()["desk_actions"]} >= {"accept", "return"}


def test_the_agency_objects_and_the_desk_reviews(client):
    """《行政执法监督条例》第三十条: the agency may object within its period; the supervisors then review (复查)."""
    desk, matter, head = desk_with_matter()
    instrument = _opinion(desk, matter)
    url = f"/api/supervision/instruments/{instrument.pk}"
    objected = post(client, f"{url}/actions/object", bearer(head), {"text": "该决定已于次日公示，有门户记录为证"})
    assert objected.status_code == 200, objected.content
    assert objected.json()["status"] == "objected" and objected.json()["due_on"]
    assert post(client, f"{url}/actions/object", bearer(head), {"text": "再提异议"}).status_code == 409
    upheld = post(client, f"{url}/actions/uphold", bearer(desk.first),
                  {"text": "经复查，公示晚于法定期限", "second_supervisor_id": desk.second.pk})
    assert upheld.status_code == 200 and upheld.json()["status"] == "issued"


def _paired_matter(desk) -> Matter:
    matter = matter_open(bureau=desk.bureau, agency=desk.agency, source="routine", subject="未按期公示行政处罚决定",
                         summary="日常监督发现。", received_on=dt.date.today(), actor=desk.first)
    matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    return matter


def test_the_pair_records_measures_with_their_fields(client):
    """《行政执法监督条例》第二十二条: 责令自查 names the day the agency reports; 调阅案卷 names cases of the
    supervised agency and gives the pair a read grant on them for a limited time."""
    desk = desk_make()
    first = bearer(desk.first)
    matter = _paired_matter(desk)
    url = f"/api/supervision/matters/{matter.pk}/measures"
    today = dt.date.today()
    early = post(client, url, first, {"kind": "inspection", "taken_on": today.isoformat(), "summary": "实地检查"})
    assert early.status_code == 409 and early.json()["violations"]  # not yet accepted
    matter_accept(matter=matter, actor=desk.first)
    no_day = post(client, url, first, {"kind": "self_inspection", "taken_on": today.isoformat()})
    assert no_day.status_code == 422 and "reply_on" in [v["field"] for v in no_day.json()["violations"]]
    assert not Measure.objects.exists()
    ordered = post(client, url, first, {"kind": "self_inspection", "taken_on": today.isoformat(),
                                        "reply_on": (today + dt.timedelta(days=10)).isoformat(), "summary": "责令自查"})
    assert ordered.status_code == 201, ordered.content
    assert ordered.json()["kind_label"] == "责令自查" and ordered.json()["legal_basis"]
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_MEASURE_RECORDED).count() == 1

    case = case_on(agency=desk.agency, day=today, title="某公司无证经营案")
    elsewhere = case_on(agency=agency_make(name="乌审旗交通运输局"), day=today)
    foreign = post(client, url, first, {"kind": "file_call", "taken_on": today.isoformat(), "case_ids": [elsewhere.pk]})
    assert foreign.status_code == 422 and foreign.json()["violations"][0]["field"] == "case_ids"
    called = post(client, url, first, {"kind": "file_call", "taken_on": today.isoformat(), "case_ids": [case.pk]})
    assert called.status_code == 201, called.content
    assert called.json()["case_ids"] == [case.pk] and called.json()["grant_until"]
    assert ReadGrant.objects.filter(case=case, matter=matter).count() == 1
    for body, field in (({"kind": "summons", "taken_on": today.isoformat()}, "attendees"),
                        ({"kind": "walk", "taken_on": today.isoformat()}, "kind"),
                        ({"kind": "inspection", "taken_on": "2026-13-01"}, "taken_on")):
        bad = post(client, url, first, body)
        assert bad.status_code == 422 and field in [v["field"] for v in bad.json()["violations"]], bad.content
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert post(client, url, head, {"kind": "inspection", "taken_on": today.isoformat()}).status_code == 403
    assert Measure.objects.count() == 2


def test_a_supervisor_withdraws_and_then_may_no_longer_act(client):
    """回避: declared by the supervisor or decided by another of the pair; a recused supervisor's moves are refused."""
    desk = desk_make()
    first, second = bearer(desk.first), bearer(desk.second)
    matter = _paired_matter(desk)
    url = f"/api/supervision/matters/{matter.pk}/recusals"
    assert post(client, url, first, {"user_id": desk.second.pk, "reason": " "}).status_code == 422
    outsider = user_make(role=Role.SUPERVISOR, agency=desk.bureau)
    not_paired = post(client, url, first, {"user_id": outsider.pk, "reason": "亲属关系"})
    assert not_paired.status_code == 422 and not_paired.json()["violations"][0]["field"] == "user_id"
    declared = post(client, url, second, {"user_id": desk.second.pk, "reason": "与被监督机关负责人有近亲属关系"})
    assert declared.status_code == 200, declared.content
    assert declared.json()["recused"] is True and declared.json()["declared"] is True
    assert MatterSupervisor.objects.get(matter=matter, user=desk.second).recused
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_SUPERVISOR_RECUSED).count() == 1
    again = post(client, url, first, {"user_id": desk.second.pk, "reason": "再次"})
    assert again.status_code == 409 and again.json()["violations"][0]["field"] == "user_id"
    # The recused supervisor can no longer act on the matter (409 with the pair's reasons).
    assert post(client, f"/api/supervision/matters/{matter.pk}/actions/accept", second, {}).status_code == 409
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert post(client, url, head, {"user_id": desk.first.pk, "reason": "理由"}).status_code == 403


def test_a_supervisor_registers_a_matter_as_at_the_desk(client):
    desk = desk_make()
    first = bearer(desk.first)
    body = {"source": "assigned", "agency_id": desk.agency.pk, "subject": "上级交办：核查某局公示情况",
            "received_on": dt.date.today().isoformat(), "assigning_body": "市司法局", "assigning_reference": "鄂司函〔2026〕5号"}
    opened = post(client, "/api/supervision/matters", first, body, HTTP_IDEMPOTENCY_KEY="open-1")
    assert opened.status_code == 201, opened.content
    assert opened.json()["state"] == "received" and opened.json()["number"] and opened.json()["transfer_due_on"]
    replayed = post(client, "/api/supervision/matters", first, body, HTTP_IDEMPOTENCY_KEY="open-1")
    assert replayed["Idempotent-Replayed"] == "true" and Matter.objects.count() == 1
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_MATTER_OPENED).count() == 1
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    # Received before the periods of supervision are in force: refused with the reason (it was a 500, found by schemathesis).
    for change, field in (({"received_on": tomorrow}, "received_on"), ({"received_on": "2000-01-01"}, "received_on"),
                          ({"source": "complaint"}, "source"),
                          ({"agency_id": 999999}, "agency_id"), ({"subject": " "}, "subject")):
        bad = post(client, "/api/supervision/matters", first, body | change)
        assert bad.status_code == 422 and field in [v["field"] for v in bad.json()["violations"]], bad.content
    elsewhere = agency_make(name="鄂托克旗交通运输局", region_code="150624")  # outside the bureau's county
    outside = post(client, "/api/supervision/matters", first, body | {"agency_id": elsewhere.pk})
    assert outside.status_code == 422 and outside.json()["violations"][0]["field"] == "agency_id"
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert post(client, "/api/supervision/matters", head, body).status_code == 403
    assert Matter.objects.count() == 1

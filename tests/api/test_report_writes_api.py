"""Issue 19: 工作月报 and 年度工作总结 written through the API as on the report pages: the agency's head
saves and submits (again after a return), the county 司法局's supervisors return with a reason, comment and
receive, through evaluation's services (each step in the report's history and the ledger). Someone else is
refused (403), another agency's report is 404, a missing section or reason a 422 naming it, a move the
report's state does not allow a 409 with its reason. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.api.support import bearer
from tests.evaluation.report_support import county_make

pytestmark = pytest.mark.django_db

SECTIONS = {"problems": "无", "results": "按期公示行政处罚决定12件", "next_plan": "开展案卷自查"}


def post(client, url: str, auth: dict, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


@pytest.fixture
def county():
    county = county_make()
    report_drafts_create(on=dt.date(2026, 10, 1), agencies=[county.agency, county.other])
    return county


def test_a_monthly_report_is_saved_submitted_returned_resubmitted_and_received(client, county):
    report = MonthlyReport.objects.get(agency=county.agency)
    url = f"/api/reports/monthly/{report.pk}/actions"
    head, supervisor = bearer(county.head), bearer(county.first)
    steps = Entry.objects.filter(kind=EventKind.EVALUATION_REPORT_STEP).count()

    etag = client.get(f"/api/reports/monthly/{report.pk}", **head)["ETag"]
    saved = post(client, f"{url}/save", head, {"problems": "无"}, HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.content
    assert {s["key"]: s["text"] for s in saved.json()["sections"]}["problems"] == "无"
    assert saved.json()["status"] == "draft" and saved["ETag"] != etag
    # Saved since it was read: a write on the old version is refused (412) and changes nothing.
    stale = post(client, f"{url}/save", head, {"problems": "另一人写的"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["violations"][0]["field"] == "If-Match"
    assert MonthlyReport.objects.get(pk=report.pk).sections["problems"] == "无"
    # The required parts not written: 422 naming each, nothing submitted.
    missing = post(client, f"{url}/submit", head, {})
    assert missing.status_code == 422, missing.content
    assert {v["field"] for v in missing.json()["violations"]} == {"results", "next_plan"}
    assert MonthlyReport.objects.get(pk=report.pk).state == "draft"

    submitted = post(client, f"{url}/submit", head, SECTIONS, HTTP_IDEMPOTENCY_KEY="report-submit-1")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and body["submitted_on"] and body["figures_frozen_on"]
    replayed = post(client, f"{url}/submit", head, SECTIONS, HTTP_IDEMPOTENCY_KEY="report-submit-1")
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    # Submitted: the head can no longer submit (409 with the state's reason), nor edit.
    again = post(client, f"{url}/submit", head, SECTIONS)
    assert again.status_code == 409 and [v["code"] for v in again.json()["violations"]] == ["report.state"]

    no_reason = post(client, f"{url}/return", supervisor, {"text": "  "})
    assert no_reason.status_code == 422 and [v["field"] for v in no_reason.json()["violations"]] == ["text"]
    returned = post(client, f"{url}/return", supervisor, {"text": "请补充案卷自查的安排"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["steps"][-1]["text"] == "请补充案卷自查的安排"
    resubmitted = post(client, f"{url}/submit", head, {"next_plan": "十一月开展案卷自查，抽查30卷"})
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "resubmitted"
    commented = post(client, f"{url}/comment", supervisor, {"text": "已阅"})
    assert commented.status_code == 200 and commented.json()["status"] == "resubmitted"
    received = post(client, f"{url}/receive", supervisor, {})
    assert received.status_code == 200 and received.json()["status"] == "received" and received.json()["received_on"]
    # save, submit×2 (the replay is not one), return, submit, comment, receive
    assert Entry.objects.filter(kind=EventKind.EVALUATION_REPORT_STEP).count() == steps + 6


def test_each_side_acts_only_on_its_own_moves(client, county):
    report = MonthlyReport.objects.get(agency=county.agency)
    url = f"/api/reports/monthly/{report.pk}/actions"
    # The agency's officer reads the report but neither saves nor submits; a supervisor does not submit.
    for who in (county.officer, county.first):
        assert post(client, f"{url}/submit", bearer(who), SECTIONS).status_code == 403
    # The head does not receive or return; another agency's head does not see the report.
    assert post(client, f"{url}/receive", bearer(county.head), {}).status_code == 403
    assert post(client, f"{url}/submit", bearer(county.other_head), SECTIONS).status_code == 404
    assert post(client, f"{url}/withdraw", bearer(county.first), {}).status_code == 422  # not an action
    too_long = post(client, f"{url}/save", bearer(county.head), {"problems": "字" * 5001})
    assert too_long.status_code == 422 and too_long.json()["violations"][0]["field"] == "problems"
    # A draft cannot be received: 409 with the reason.
    refused = post(client, f"{url}/receive", bearer(county.first), {})
    assert refused.status_code == 409 and refused.json()["violations"][0]["code"] == "report.state"
    assert MonthlyReport.objects.get(pk=report.pk).state == "draft"


def test_an_annual_summary_is_submitted_returned_and_received(client, county):
    summary_drafts_create(on=dt.date(2026, 11, 1), agencies=[county.agency])
    summary = AnnualSummary.objects.get(agency=county.agency)
    url = f"/api/reports/annual/{summary.pk}/actions"
    head, supervisor = bearer(county.head), bearer(county.first)
    incomplete = post(client, f"{url}/submit", head, {"work": "全年办理行政处罚案件120件"})
    assert incomplete.status_code == 422
    assert {v["field"] for v in incomplete.json()["violations"]} == {"results", "problems", "next"}
    assert AnnualSummary.objects.get(pk=summary.pk).sections.get("work", "") == ""  # a refusal writes nothing
    sections = {"work": "全年办理行政处罚案件120件", "results": "公示率100%", "problems": "无", "next": "推进执法信息化"}
    submitted = post(client, f"{url}/submit", head, sections)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert {s["key"]: s["text"] for s in submitted.json()["sections"]}["work"] == "全年办理行政处罚案件120件"
    assert post(client, f"{url}/comment", supervisor, {"text": "已阅"}).status_code == 422  # no comments on a summary
    assert post(client, f"{url}/receive", head, {}).status_code == 403
    returned = post(client, f"{url}/return", supervisor, {"text": "请补充存在的问题"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert post(client, f"{url}/submit", head, {"problems": "执法记录仪配备不足"}).json()["status"] == "resubmitted"
    received = post(client, f"{url}/receive", supervisor, {"text": "同意"})
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert post(client, f"{url}/return", supervisor, {"text": "再改"}).status_code == 409


def test_a_late_report_becomes_a_supervision_matter_once(client, county):
    """A report not submitted by its due day becomes a matter of the bureau (日常监督, a platform rule);
    only the bureau's supervisors open it, and only once."""
    report = MonthlyReport.objects.get(agency=county.agency)
    url = f"/api/reports/monthly/{report.pk}/actions/matter"
    assert post(client, url, bearer(county.head), {}).status_code == 403
    assert report.due_on < dt.date.today()  # September 2026's report, due in October: late
    opened = post(client, url, bearer(county.first), {})
    assert opened.status_code == 200, opened.content
    matter_id = opened.json()["matter_id"]
    matter = client.get(f"/api/supervision/matters/{matter_id}", **bearer(county.first)).json()
    assert matter["agency_id"] == county.agency.pk and "逾期未报送" in matter["subject"]
    again = post(client, url, bearer(county.first), {})
    assert again.status_code == 409 and again.json()["violations"][0]["code"] == "report.matter_exists"

"""Issue 19: 验收 and the 工作报告 through the API, as on the closing pages: only the county 司法局's
supervisors open the year's round, score and conclude each agency's checklist, close the round once every
checklist is concluded, and generate, write and submit the work report to the government (its PDF/DOCX as
the page serves them). Anyone else 403, another county's checklist 404, a score out of its rules a 422
naming each field, a move the state does not allow a 409 with every reason, a stale If-Match a 412, a
replayed Idempotency-Key the first answer. Bearer token, CSRF checks on."""

import io
import json
import zipfile

import pytest
from django.utils import timezone

from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AcceptanceCheck, AcceptanceRound, AnnualSummary, WorkReport
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.api.query_bounds import queries_of
from tests.api.support import assert_safe_download, bearer
from tests.evaluation.report_support import county_make
from tests.factories import agency_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db

FULL = {"score_documents": "15", "score_training": "15", "score_publicity": "20", "score_recording": "20",
        "score_review": "20", "score_reporting": "10"}
SECTIONS = {"overview": "概况", "measures": "做法", "problems": "问题", "next": "打算"}


def post(client, url: str, auth: dict, body: dict | None = None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **auth, **headers)


@pytest.fixture
def year() -> int:
    return timezone.localdate().year - 1  # a year that has ended, whatever day the tests run


@pytest.fixture
def county(year):
    county = county_make()
    summary_drafts_create(on=timezone.localdate().replace(year=year, month=11, day=1),
                          agencies=[county.agency, county.other])
    return county


def test_the_bureau_opens_scores_concludes_and_closes_the_round(client, county, year):
    supervisor, head = bearer(county.first), bearer(county.head)
    url = f"/api/acceptance/rounds/{year}"
    for who in (county.head, county.officer):
        assert client.get(url, **bearer(who)).status_code == 403
        assert post(client, f"{url}/actions/open", bearer(who)).status_code == 403
    assert client.get(url, **supervisor).json()["round"] is None
    assert [v["field"] for v in client.get("/api/acceptance/rounds/2001", **supervisor).json()["violations"]] == ["year"]
    assert post(client, f"{url}/actions/close", supervisor).status_code == 404  # no round yet
    # Next year has no work yet to accept (409, as on the page); a year the pages do not read is a 422.
    future = post(client, f"/api/acceptance/rounds/{year + 2}/actions/open", supervisor)
    assert future.status_code == 409 and future.json()["violations"][0]["code"] == "acceptance.year_future"
    assert post(client, f"/api/acceptance/rounds/{year + 3}/actions/open", supervisor).status_code == 422

    opened = post(client, f"{url}/actions/open", supervisor, HTTP_IDEMPOTENCY_KEY="open-1")
    assert opened.status_code == 200, opened.content
    body = opened.json()
    assert body["round"]["pass_score"] and {c["code"] for c in body["round"]["criteria"]} == {
        k.removeprefix("score_") for k in FULL}
    assert {c["agency_id"] for c in body["checks"]} >= {county.agency.pk, county.other.pk}
    assert all(c["result"] == "" for c in body["checks"])
    replayed = post(client, f"{url}/actions/open", supervisor, HTTP_IDEMPOTENCY_KEY="open-1")
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    again = post(client, f"{url}/actions/open", supervisor)
    assert again.status_code == 409 and [v["code"] for v in again.json()["violations"]] == ["acceptance.round_exists"]
    assert AcceptanceRound.objects.filter(bureau=county.bureau, year=year).count() == 1

    round_ = AcceptanceRound.objects.get(bureau=county.bureau, year=year)
    check = AcceptanceCheck.objects.get(round=round_, agency=county.agency)
    check_url = f"/api/acceptance/checks/{check.pk}"
    # The agency's head, and another county's supervisor, do not see the checklist.
    far = agency_make(name="外县司法局", is_judicial_bureau=True, region_code="150627")
    for who in (head, bearer(supervisor_user_make(bureau=far))):
        assert client.get(check_url, **who).status_code == 404
        assert post(client, f"{check_url}/actions/save", who, FULL).status_code == 404
    read = client.get(check_url, **supervisor)
    assert read.status_code == 200 and read.json()["editable"] and len(read.json()["lines"]) == 6
    etag = read["ETag"]

    # Every problem at once, each on its field; nothing written.
    bad = post(client, f"{check_url}/actions/conclude", supervisor,
               {**FULL, "score_documents": "16", "score_recording": "12", "score_review": "abc"})
    assert bad.status_code == 422, bad.content
    assert {v["field"] for v in bad.json()["violations"]} == {"score_documents", "findings_recording", "score_review"}
    assert AcceptanceCheck.objects.get(pk=check.pk).scores == {}
    missing = post(client, f"{check_url}/actions/conclude", supervisor, {"score_documents": 15})
    assert missing.status_code == 422 and len(missing.json()["violations"]) == 5

    saved = post(client, f"{check_url}/actions/save", supervisor, {"score_documents": 14.5,
                                                                    "findings_documents": "手册未更新"},
                 HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.content
    assert saved.json()["total"] == "14.5" and saved.json()["result"] == "" and saved["ETag"] != etag
    stale = post(client, f"{check_url}/actions/save", supervisor, FULL, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["violations"][0]["field"] == "If-Match"
    assert AcceptanceCheck.objects.get(pk=check.pk).scores == {"documents": "14.5"}

    # The round cannot close while an agency has no conclusion: each is named.
    open_checks = AcceptanceCheck.objects.filter(round=round_, result="").count()
    closing = post(client, f"{url}/actions/close", supervisor)
    assert closing.status_code == 409
    assert [v["code"] for v in closing.json()["violations"]] == ["acceptance.unconcluded"] * open_checks
    assert any(county.agency.name in v["message"] for v in closing.json()["violations"])

    concluded = post(client, f"{check_url}/actions/conclude", supervisor,
                     {**FULL, "score_recording": "12", "findings_recording": "记录仪不足"}, HTTP_IF_MATCH=saved["ETag"])
    assert concluded.status_code == 200, concluded.content
    assert concluded.json()["result"] == "passed" and concluded.json()["total"] == "92.0"
    assert concluded.json()["result_label"] == "通过" and not concluded.json()["editable"]
    refused = post(client, f"{check_url}/actions/save", supervisor, FULL)
    assert refused.status_code == 409 and [v["code"] for v in refused.json()["violations"]] == ["acceptance.concluded"]
    for other in AcceptanceCheck.objects.filter(round=round_, result=""):
        low = {**{k: "5" for k in FULL}, **{k.replace("score", "findings"): "未开展" for k in FULL}}
        assert post(client, f"/api/acceptance/checks/{other.pk}/actions/conclude", supervisor, low).status_code == 200
    # The agency reads its result on its summary only once the round is over.
    summary = AnnualSummary.objects.get(agency=county.agency, year=year)
    assert client.get(f"/api/reports/annual/{summary.pk}", **head).json()["acceptance"] is None
    closed = post(client, f"{url}/actions/close", supervisor)
    assert closed.status_code == 200 and closed.json()["round"]["closed_on"]
    counts = closed.json()["counts"]
    assert counts["open"] == 0 and counts["passed"] == 1 and counts["all"] == counts["passed"] + counts["failed"]
    failed_only = client.get(f"{url}?result=failed", **supervisor).json()["checks"]
    assert len(failed_only) == counts["failed"] and county.agency.pk not in {c["agency_id"] for c in failed_only}
    assert client.get(f"{url}?result=maybe", **supervisor).status_code == 422
    result = client.get(f"/api/reports/annual/{summary.pk}", **head).json()["acceptance"]
    assert (result["result"], result["total"]) == ("passed", "92.0")
    assert result["findings"] == [{"code": "recording", "label": "执法全过程记录", "text": "记录仪不足"}]
    # Over: every reason, the round's and the checklist's.
    after = post(client, f"{check_url}/actions/save", supervisor, FULL)
    assert {v["code"] for v in after.json()["violations"]} == {"acceptance.round_closed", "acceptance.concluded"}
    assert after.status_code == 409
    assert Entry.objects.filter(kind=EventKind.EVALUATION_ACCEPTANCE_CLOSED).count() == 1

    # The figure's records: the checklists it counts, for the bureau only.
    failed = client.get(f"/api/closing/records?key=acceptance.failed&year={year}", **supervisor)
    assert failed.status_code == 200
    assert len(failed.json()["records"]) == AcceptanceCheck.objects.filter(round=round_, result="failed").count() > 0
    assert client.get(f"/api/closing/records?key=acceptance.failed&year={year}", **head).status_code == 404
    assert client.get(f"/api/closing/records?key=nothing&year={year}", **supervisor).status_code == 404
    summaries = client.get(f"/api/closing/records?key=summaries.all&year={year}", **head)
    assert summaries.status_code == 200 and {r["agency_id"] for r in summaries.json()["records"]} == {county.agency.pk}


def _round_closed(client, county, year) -> None:
    supervisor = bearer(county.first)
    post(client, f"/api/acceptance/rounds/{year}/actions/open", supervisor)
    for check in AcceptanceCheck.objects.filter(round__bureau=county.bureau, round__year=year):
        post(client, f"/api/acceptance/checks/{check.pk}/actions/conclude", supervisor, FULL)
    assert post(client, f"/api/acceptance/rounds/{year}/actions/close", supervisor).status_code == 200


def test_the_bureau_generates_writes_and_submits_the_work_report(client, county, year):
    supervisor, head = bearer(county.first), bearer(county.head)
    url = f"/api/work-reports/{year}"
    assert client.get(url, **head).status_code == 403
    post(client, f"/api/acceptance/rounds/{year}/actions/open", supervisor)
    live = client.get(url, **supervisor)
    assert live.status_code == 200 and live.json()["id"] is None and live.json()["figures"] and "ETag" not in live
    early = post(client, f"{url}/actions/generate", supervisor)
    assert early.status_code == 409 and [v["code"] for v in early.json()["violations"]] == ["work_report.round_open"]
    assert post(client, f"{url}/actions/save", supervisor, {"overview": "概况"}).status_code == 404  # none yet
    _round_closed(client, county, year)
    assert post(client, f"{url}/actions/generate", head).status_code == 403

    generated = post(client, f"{url}/actions/generate", supervisor)
    assert generated.status_code == 200, generated.content
    assert generated.json()["id"] and generated.json()["round_closed"] and generated.json()["figures_on"]
    etag = client.get(url, **supervisor)["ETag"]
    saved = post(client, f"{url}/actions/save", supervisor, {"overview": "概况"}, HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and {s["key"]: s["text"] for s in saved.json()["sections"]}["overview"] == "概况"
    stale = post(client, f"{url}/actions/save", supervisor, {"overview": "他人写的"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert WorkReport.objects.get(bureau=county.bureau, year=year).sections["overview"] == "概况"
    too_long = post(client, f"{url}/actions/save", supervisor, {"measures": "字" * 10001})
    assert too_long.status_code == 422 and too_long.json()["violations"][0]["field"] == "measures"
    # The parts not written: 422 naming each; the saved one kept (only the parts given change).
    missing = post(client, f"{url}/actions/submit", supervisor, {"measures": "做法"})
    assert missing.status_code == 422
    assert {v["field"] for v in missing.json()["violations"]} == {"problems", "next"}
    assert WorkReport.objects.get(bureau=county.bureau, year=year).submitted_on is None

    # A character the font cannot print: the file is refused (409, as the page refuses the download), and so
    # is the submission (422: the text sent).
    assert post(client, f"{url}/actions/save", supervisor, {"next": "打算\U0001f600"}).status_code == 200
    unprintable = client.get(f"{url}/files/pdf", **supervisor)
    assert unprintable.status_code == 409 and unprintable.json()["violations"][0]["code"] == "closing.unprintable"
    refused = post(client, f"{url}/actions/submit", supervisor, {"measures": "做法", "problems": "问题"})
    assert refused.status_code == 422 and [v["code"] for v in refused.json()["violations"]] == ["closing.unprintable"]

    submitted = post(client, f"{url}/actions/submit", supervisor, SECTIONS, HTTP_IDEMPOTENCY_KEY="wr-1")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["submitted_on"] == timezone.localdate().isoformat()
    replayed = post(client, f"{url}/actions/submit", supervisor, SECTIONS, HTTP_IDEMPOTENCY_KEY="wr-1")
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    again = post(client, f"{url}/actions/save", supervisor, {"overview": "改"})
    assert again.status_code == 409 and [v["code"] for v in again.json()["violations"]] == ["work_report.submitted"]
    assert Entry.objects.filter(kind=EventKind.EVALUATION_WORK_REPORT_SUBMITTED).count() == 1

    docx = client.get(f"{url}/files/docx", **supervisor)
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_safe_download(docx)
    assert "打算" in zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    pdf = client.get(f"{url}/files/pdf", **supervisor)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"{url}/files/docx", **head).status_code == 403
    assert client.get(f"{url}/files/txt", **supervisor).status_code == 422
    assert client.get(f"/api/work-reports/{year - 1}/files/pdf", **supervisor).status_code == 404


def test_the_round_the_report_and_the_records_cost_the_same_queries_for_two_or_twelve_agencies(client, year):
    def costs(county) -> list[int]:
        supervisor = bearer(county.first)
        assert post(client, f"/api/acceptance/rounds/{year}/actions/open", supervisor).status_code == 200
        return [queries_of(client, url, supervisor) for url in (
            f"/api/acceptance/rounds/{year}", f"/api/work-reports/{year}",
            f"/api/closing/records?key=acceptance.all&year={year}")]

    small = county_make()
    big = county_make()
    big.bureau.region_code = big.agency.region_code = big.other.region_code = "150627"
    for agency in (big.bureau, big.agency, big.other):
        agency.save(update_fields=["region_code"])
    for n in range(10):
        agency_make(name=f"外县执法局{n}", region_code="150627")
    assert costs(small) == costs(big)
    assert len(client.get(f"/api/acceptance/rounds/{year}", **bearer(big.first)).json()["checks"]) == 12


def test_two_supervisors_opening_or_generating_at_once_get_one_round_and_one_report(client, county, year, monkeypatch):
    """The second of two requests at once finds the row the first inserted only at its INSERT (the unique
    constraint): the round is refused (409), not a 500; the report is refreshed."""
    from django.db.models import QuerySet

    _round_closed(client, county, year)
    post(client, f"/api/work-reports/{year}/actions/generate", bearer(county.first))
    exists, first = QuerySet.exists, QuerySet.first
    monkeypatch.setattr(QuerySet, "exists", lambda qs: False if qs.model is AcceptanceRound else exists(qs))
    monkeypatch.setattr(QuerySet, "first", lambda qs: None if qs.model is WorkReport else first(qs))
    again = post(client, f"/api/acceptance/rounds/{year}/actions/open", bearer(county.second))
    assert again.status_code == 409 and [v["code"] for v in again.json()["violations"]] == ["acceptance.round_exists"]
    assert AcceptanceRound.objects.filter(bureau=county.bureau, year=year).count() == 1
    regenerated = post(client, f"/api/work-reports/{year}/actions/generate", bearer(county.second))
    assert regenerated.status_code == 200, regenerated.content
    assert WorkReport.objects.filter(bureau=county.bureau, year=year).count() == 1
    assert Entry.objects.filter(kind=EventKind.EVALUATION_WORK_REPORT_SAVED).count() == 2


def test_a_score_that_is_neither_text_nor_number_is_422_on_its_field_alone(client, county, year):
    supervisor = bearer(county.first)
    assert post(client, f"/api/acceptance/rounds/{year}/actions/open", supervisor).status_code == 200
    check = AcceptanceCheck.objects.get(round__bureau=county.bureau, round__year=year, agency=county.agency)
    for score in ([1], {"a": 1}, True):
        refused = post(client, f"/api/acceptance/checks/{check.pk}/actions/save", supervisor,
                       {"score_documents": score, "score_training": 12})
        assert refused.status_code == 422, refused.content
        assert [v["field"] for v in refused.json()["violations"]] == ["score_documents"], score
    assert AcceptanceCheck.objects.get(pk=check.pk).scores == {}

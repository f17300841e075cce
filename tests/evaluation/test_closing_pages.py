"""The pages of 总结验收 and the 工作报告 (issue 15 item 7): the agency head writes and submits the
summary (a refusal keeps what was typed and says why beside the field); the bureau receives it, opens
the year's acceptance, scores each agency's checklist (every problem named), closes the round and
sends the work report to the government; nobody else changes anything; every figure opens its
records; the lists cost the same queries for 2 or 12 agencies."""

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.evaluation import closing_views
from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AcceptanceCheck, AcceptanceRound, AnnualSummary, WorkReport
from sanxiang.evaluation.report_services import report_drafts_create
from tests.evaluation.report_support import county_make
from tests.factories import agency_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db

D = dt.date
WRITTEN = {
    "work": "全面推行三项制度。",
    "results": "公示按期率提高。",
    "problems": "音像记录设备不足。",
    "next": "补齐执法记录仪。",
}
FULL = {
    "score_documents": "15",
    "score_training": "15",
    "score_publicity": "20",
    "score_recording": "20",
    "score_review": "20",
    "score_reporting": "10",
}


@pytest.fixture
def on(monkeypatch):
    def set_day(day: dt.date):
        monkeypatch.setattr(closing_views, "today", lambda: day)

    return set_day


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_head_submits_the_summary_and_the_bureau_receives_it(on):
    county = county_make()
    summary_drafts_create(on=D(2026, 11, 1))
    mine = AnnualSummary.objects.get(agency=county.agency, year=2026)
    on(D(2026, 11, 10))
    head = client_of(county.head)
    assert "2026年" in head.get(reverse("evaluation:summary_list")).content.decode()
    page = head.get(reverse("evaluation:summary_detail", args=[mine.pk])).content.decode()
    assert "还有5日" in page and 'data-testid="sections-form"' in page
    # Every figure opens its records.
    assert page.count('data-testid="figure-link"') == len(mine.figures)
    assert reverse("evaluation:indicator_records") in page and reverse("evaluation:closing_records") in page
    act = reverse("evaluation:summary_act", args=[mine.pk])
    refused = head.post(act, {"action": "submit", "work": "已开展。"})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "请填写“取得的成效”（没有的写“无”）" in text and "已开展。" in text  # beside the field, kept
    # An officer of the agency reads, but may not submit; the other agency does not reach it.
    assert client_of(county.officer).post(act, {"action": "submit", **WRITTEN}).status_code == 409
    assert client_of(county.other_head).post(act, {"action": "submit", **WRITTEN}).status_code == 404
    assert head.post(act, {"action": "submit", **WRITTEN}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == "submitted" and mine.sections["next"] == "补齐执法记录仪。"
    # The head may not receive their own summary.
    assert head.post(act, {"action": "receive"}).status_code == 409
    supervisor = client_of(county.first)
    year = supervisor.get(reverse("evaluation:summary_list") + "?year=2026&show=submitted").content.decode()
    assert year.count('data-testid="summary-row"') == 1 and county.agency.name in year
    page = supervisor.get(reverse("evaluation:summary_detail", args=[mine.pk])).content.decode()
    assert 'data-testid="receive"' in page and "data-confirm" in page
    assert supervisor.post(act, {"action": "receive", "text": ""}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == "received"
    docx = supervisor.get(reverse("evaluation:summary_file", args=[mine.pk, "docx"]))
    assert "补齐执法记录仪。" in zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()


def test_the_bureau_runs_the_acceptance_and_sends_the_work_report(on):
    county = county_make()
    report_drafts_create(on=D(2026, 10, 1))
    summary_drafts_create(on=D(2026, 11, 1))
    on(D(2026, 11, 20))
    supervisor = client_of(county.first)
    url = reverse("evaluation:acceptance") + "?year=2026"
    assert 'data-testid="open-round"' in supervisor.get(url).content.decode()
    # Nobody but the bureau's supervisors opens a round, scores or writes the report.
    head = client_of(county.head)
    assert head.get(url).status_code == 403
    assert (
        head.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "open"}).status_code == 403
    )
    assert (
        head.post(reverse("evaluation:work_report_act") + "?year=2026", {"action": "generate"}).status_code
        == 403
    )
    assert (
        supervisor.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "open"}).status_code
        == 302
    )
    round_ = AcceptanceRound.objects.get(bureau=county.bureau, year=2026)
    check = AcceptanceCheck.objects.get(round=round_, agency=county.agency)
    assert head.get(reverse("evaluation:acceptance_check", args=[check.pk])).status_code == 404
    check_url = reverse("evaluation:acceptance_check", args=[check.pk])
    refused = supervisor.post(
        check_url, {**FULL, "score_documents": "16", "score_recording": "12", "action": "conclude"}
    )
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "“制度建设”的得分应当在0到15分之间" in text and "“执法全过程记录”扣了分，请写明发现的问题" in text
    # The round cannot close while an agency has no result: each is named.
    closing = supervisor.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "close"})
    assert closing.status_code == 409 and f"{county.agency.name}尚未作出验收结论" in closing.content.decode()
    assert (
        supervisor.post(
            check_url,
            {**FULL, "score_recording": "12", "findings_recording": "记录仪不足", "action": "conclude"},
        ).status_code
        == 302
    )
    check.refresh_from_db()
    assert check.result == "passed" and check.total == 92
    for other in AcceptanceCheck.objects.filter(round=round_, result=""):
        supervisor.post(
            reverse("evaluation:acceptance_check", args=[other.pk]),
            {
                **{k: "5" for k in FULL},
                **{k.replace("score", "findings"): "未开展" for k in FULL},
                "action": "conclude",
            },
        )
    page = supervisor.get(url + "&result=failed").content.decode()
    assert county.agency.name not in page and county.other.name in page
    assert (
        supervisor.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "close"}).status_code
        == 302
    )
    report_url = reverse("evaluation:work_report") + "?year=2026"
    page = supervisor.get(report_url).content.decode()
    assert 'data-testid="generate"' in page and page.count('data-testid="figure-link"') > 10
    act = reverse("evaluation:work_report_act") + "?year=2026"
    assert supervisor.post(act, {"action": "generate"}).status_code == 302
    refused = supervisor.post(act, {"action": "submit", "overview": "概况"})
    assert refused.status_code == 409 and "请填写“主要做法和成效”" in refused.content.decode()
    sections = {"overview": "概况", "measures": "做法", "problems": "问题", "next": "打算"}
    assert supervisor.post(act, {"action": "submit", **sections}).status_code == 302
    report = WorkReport.objects.get(bureau=county.bureau, year=2026)
    assert report.submitted_on == D(2026, 11, 20)
    page = supervisor.get(report_url).content.decode()
    assert "已于2026-11-20报送旗人民政府" in page and 'data-testid="sections-form"' not in page
    # Each agency's result opens its checklist.
    assert reverse("evaluation:acceptance_check", args=[check.pk]) in page
    # The agency reads its result and the findings on its summary's page, once the round is over.
    mine = AnnualSummary.objects.get(agency=county.agency, year=2026)
    result = head.get(reverse("evaluation:summary_detail", args=[mine.pk])).content.decode()
    assert (
        'data-testid="acceptance-result"' in result
        and "总分92分" in result
        and "执法全过程记录：记录仪不足" in result
    )
    # The acceptance figure opens the checklists it counts.
    records = supervisor.get(reverse("evaluation:closing_records") + "?key=acceptance.failed&year=2026")
    assert records.content.decode().count('data-testid="closing-record"') == (
        AcceptanceCheck.objects.filter(round=round_, result="failed").count()
    )
    docx = supervisor.get(reverse("evaluation:work_report_file", args=["docx"]) + "?year=2026")
    text = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "旗人民政府" in text and "记录仪不足" in text


def test_the_lists_cost_the_same_queries_for_two_or_twelve_agencies(on):
    county = county_make()
    summary_drafts_create(on=D(2026, 11, 1))
    on(D(2026, 11, 20))
    supervisor = client_of(county.first)
    supervisor.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "open"})
    urls = [
        reverse("evaluation:summary_list") + "?year=2026",
        reverse("evaluation:acceptance") + "?year=2026",
        reverse("evaluation:closing_records") + "?key=summaries.all&year=2026",
        reverse("evaluation:work_report") + "?year=2026",  # the county's figures, computed live
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with queries_without_ledger_writes() as counted:
                assert supervisor.get(url).status_code == 200
            result.append(counted.count)
        return result

    few = counts()
    for n in range(10):
        agency = agency_make(name=f"加测执法局{n}")
        AcceptanceCheck.objects.create(round=AcceptanceRound.objects.get(year=2026), agency=agency)
    summary_drafts_create(on=D(2026, 11, 2))
    many = counts()
    page = supervisor.get(urls[0]).content.decode()
    assert (
        page.count('data-testid="summary-row"')
        == AnnualSummary.objects.filter(bureau=county.bureau).count()
        >= 12
    )
    assert many == few

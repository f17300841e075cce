"""总结验收 and the 工作报告 (issue 15 item 7): each agency's summary drafted from its year by 1
November, written and submitted by its head by 15 November (乌政办发〔2022〕115号 三（三）1, an
unverified parameter), received or returned by the 司法局; the 司法局's acceptance checklist per agency
(criteria with their maximum scores, findings for each deduction, 通过/不通过 by the pass mark: the
platform's parameters), a round that closes only when every agency has a result; the county's work
report to the government (三（三）2) with the figures, frozen when submitted. Every step in the ledger;
every refusal lists every reason."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest

from sanxiang.evaluation.closing_documents import summary_document, work_report_document
from sanxiang.evaluation.closing_services import (
    acceptance_check_score,
    acceptance_round_close,
    acceptance_round_open,
    summary_drafts_create,
    summary_receive,
    summary_return,
    summary_submit,
    work_report_save,
    work_report_submit,
)
from sanxiang.evaluation.models import AcceptanceCheck, AnnualSummary
from sanxiang.evaluation.report_services import report_drafts_create, report_submit
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.closing import (
    AcceptanceResult,
)
from sanxiang.procedure.violations import Refused
from tests.evaluation.report_support import county_make

pytestmark = pytest.mark.django_db

D = dt.date
WRITTEN = {
    "work": "全面推行三项制度。",
    "results": "公示按期率提高。",
    "problems": "音像记录设备不足。",
    "next": "补齐执法记录仪。",
}
FULL = {
    "documents": "15",
    "training": "15",
    "publicity": "20",
    "recording": "20",
    "review": "20",
    "reporting": "10",
}


def codes(refusal: pytest.ExceptionInfo) -> list[str]:
    return [v.code for v in refusal.value.violations]


def subjects(prefix: str) -> list[dict]:
    return [
        json.loads(bytes(b))["payload"]
        for b in Entry.objects.filter(subject__startswith=prefix)
        .order_by("seq")
        .values_list("body", flat=True)
    ]


# --- summaries ------------------------------------------------------------------------------------------


def test_summaries_are_drafted_from_the_first_of_november_once():
    county = county_make()
    assert summary_drafts_create(on=D(2026, 10, 31)) == 0
    assert summary_drafts_create(on=D(2026, 11, 1)) >= 2
    assert summary_drafts_create(on=D(2026, 11, 2)) == 0
    mine = AnnualSummary.objects.get(agency=county.agency, year=2026)
    assert mine.bureau == county.bureau and mine.due_on == D(2026, 11, 15)
    keys = [f["key"] for f in mine.figures]
    assert (
        "training.met" in keys and "reports.on_time" in keys and any(k.startswith("indicator:") for k in keys)
    )
    drafted = subjects(f"annual_summary:{mine.pk}")
    assert drafted[0]["figures"] == mine.figures and drafted[0]["due_on"] == "2026-11-15"


def test_a_summary_the_document_font_cannot_print_is_refused_before_it_is_frozen():
    county = county_make()
    summary_drafts_create(on=D(2026, 11, 1))
    mine = AnnualSummary.objects.get(agency=county.agency, year=2026)
    with pytest.raises(Refused) as refused:
        summary_submit(
            summary=mine, actor=county.head, on=D(2026, 11, 10), sections=WRITTEN | {"results": "显著😀"}
        )
    [violation] = refused.value.violations
    assert violation.code == "closing.unprintable" and "😀" in violation.message
    mine.refresh_from_db()
    assert (mine.state, mine.figures_frozen_on) == ("draft", None)


def test_the_head_submits_the_bureau_returns_and_receives_and_the_figures_are_frozen():
    county = county_make()
    report_drafts_create(on=D(2026, 10, 1))
    summary_drafts_create(on=D(2026, 11, 1))
    mine = AnnualSummary.objects.get(agency=county.agency, year=2026)
    # Blocked: an officer may not submit, and every empty part is named.
    with pytest.raises(Refused) as refused:
        summary_submit(summary=mine, actor=county.officer, on=D(2026, 11, 10), sections={})
    assert codes(refused) == [
        "summary.submitter",
        "summary.section.work",
        "summary.section.results",
        "summary.section.problems",
        "summary.section.next",
    ]
    # Allowed path: the head submits; the September report submitted meanwhile shows in the frozen figures.
    from sanxiang.evaluation.models import MonthlyReport

    september = MonthlyReport.objects.get(agency=county.agency, year=2026, month=9)
    report_submit(
        report=september,
        actor=county.head,
        on=D(2026, 10, 20),
        sections={"problems": "无", "results": "无", "next_plan": "无"},
    )
    mine = summary_submit(summary=mine, actor=county.head, on=D(2026, 11, 10), sections=WRITTEN)
    assert mine.state == "submitted" and mine.figures_frozen_on == D(2026, 11, 10)
    assert {f["key"]: f["value"] for f in mine.figures}["reports.on_time"] == "1"
    with pytest.raises(Refused) as refused:
        summary_return(summary=mine, actor=county.first, on=D(2026, 11, 12), reason=" ")
    assert codes(refused) == ["report.return_reason"]
    mine = summary_return(summary=mine, actor=county.first, on=D(2026, 11, 12), reason="请补充培训情况")
    mine = summary_submit(summary=mine, actor=county.head, on=D(2026, 11, 13))
    assert mine.state == "resubmitted" and mine.first_submitted_on == D(2026, 11, 10)
    mine = summary_receive(summary=mine, actor=county.first, on=D(2026, 11, 16))
    with pytest.raises(Refused) as refused:
        summary_submit(summary=mine, actor=county.head, on=D(2026, 11, 17))
    assert codes(refused) == ["summary.state"]
    steps = [p.get("action") for p in subjects(f"annual_summary:{mine.pk}")]
    assert steps == [None, "submit", "return", "submit", "receive"]
    text = zipfile.ZipFile(io.BytesIO(summary_document(summary=mine).docx)).read("word/document.xml").decode()
    assert "补齐执法记录仪。" in text and "2026年推行“三项制度”工作总结" in text and "按期报送" in text


# --- acceptance and the work report --------------------------------------------------------------------


def test_a_round_scores_each_agency_closes_when_all_have_a_result_and_the_report_goes_to_the_government():
    county = county_make()
    summary_drafts_create(on=D(2026, 11, 1))
    with pytest.raises(Refused) as refused:
        acceptance_round_open(bureau=county.bureau, year=2026, actor=county.head, on=D(2026, 11, 20))
    assert codes(refused) == ["acceptance.actor"]
    round_ = acceptance_round_open(bureau=county.bureau, year=2026, actor=county.first, on=D(2026, 11, 20))
    with pytest.raises(Refused) as refused:
        acceptance_round_open(bureau=county.bureau, year=2026, actor=county.first, on=D(2026, 11, 21))
    assert codes(refused) == ["acceptance.round_exists"]
    checks = {c.agency_id: c for c in round_.checks.all()}
    assert county.agency.pk in checks and county.other.pk in checks
    # The work report waits for the end of the acceptance.
    with pytest.raises(Refused) as refused:
        work_report_save(bureau=county.bureau, year=2026, actor=county.first, on=D(2026, 11, 25))
    assert codes(refused) == ["work_report.round_open"]
    passed = acceptance_check_score(
        check=checks[county.agency.pk],
        actor=county.first,
        on=D(2026, 11, 22),
        scores=FULL | {"recording": "12"},
        findings={"recording": "记录仪不足"},
        conclude=True,
    )
    assert passed.total == Decimal(92) and passed.result == AcceptanceResult.PASSED
    with pytest.raises(Refused) as refused:
        acceptance_check_score(
            check=passed, actor=county.first, on=D(2026, 11, 23), scores=FULL, findings={}, conclude=True
        )
    assert codes(refused) == ["acceptance.concluded"]
    with pytest.raises(Refused) as refused:
        acceptance_round_close(round_=round_, actor=county.first, on=D(2026, 11, 24))
    assert next(v.message for v in refused.value.violations if v.code == "acceptance.unconcluded").startswith(
        county.other.name
    )
    failed = acceptance_check_score(
        check=checks[county.other.pk],
        actor=county.first,
        on=D(2026, 11, 23),
        scores={k: "5" for k in FULL},
        findings={k: "未开展" for k in FULL},
        conclude=True,
    )
    assert failed.total == Decimal(30) and failed.result == AcceptanceResult.FAILED
    for check in AcceptanceCheck.objects.filter(round=round_, result=""):
        acceptance_check_score(
            check=check, actor=county.first, on=D(2026, 11, 23), scores=FULL, findings={}, conclude=True
        )
    round_ = acceptance_round_close(round_=round_, actor=county.first, on=D(2026, 11, 24))
    assert round_.closed
    with pytest.raises(Refused) as refused:
        acceptance_check_score(
            check=failed, actor=county.first, on=D(2026, 11, 25), scores=FULL, findings={}, conclude=False
        )
    assert codes(refused) == ["acceptance.round_closed", "acceptance.concluded"]
    kinds = [p.get("result") for p in subjects(f"acceptance_round:{round_.pk}") if "check" in p]
    assert kinds[:2] == ["passed", "failed"]

    report = work_report_save(bureau=county.bureau, year=2026, actor=county.first, on=D(2026, 11, 25))
    figures = {f["key"]: f["value"] for f in report.figures}
    assert figures["acceptance.passed"] == str(round_.checks.filter(result="passed").count())
    assert figures["acceptance.failed"] == "1"
    assert figures["summaries.missing"] == str(AnnualSummary.objects.filter(bureau=county.bureau).count())
    with pytest.raises(Refused) as refused:
        work_report_submit(
            report=report, actor=county.first, on=D(2026, 11, 28), sections={"overview": "概况"}
        )
    assert codes(refused) == [
        "work_report.section.measures",
        "work_report.section.problems",
        "work_report.section.next",
    ]
    report = work_report_submit(
        report=report,
        actor=county.first,
        on=D(2026, 11, 28),
        sections={"overview": "概况", "measures": "做法", "problems": "问题", "next": "打算"},
    )
    assert report.submitted_on == D(2026, 11, 28)
    with pytest.raises(Refused) as refused:
        work_report_save(bureau=county.bureau, year=2026, actor=county.head, on=D(2026, 11, 29))
    assert codes(refused) == ["work_report.actor", "work_report.submitted"]
    submitted = subjects(f"work_report:{report.pk}")[-1]
    assert submitted["figures"] == report.figures and submitted["sections"]["next"] == "打算"
    text = (
        zipfile.ZipFile(io.BytesIO(work_report_document(report=report).docx))
        .read("word/document.xml")
        .decode()
    )
    assert "关于2026年全面推行行政执法“三项制度”工作情况的报告" in text and county.other.name in text
    assert "不通过" in text and "记录仪不足" in text

"""Monthly progress reports (月报, issue 15 item 4): drafted on the 1st from each agency's records,
written and submitted by its head by the 25th (the plan's day, 乌政办发〔2022〕115号 三（二）1, an
unverified parameter), received, commented on or returned by the county's 司法局; figures frozen at
submission beside the live ones; every change in the ledger; a late report becomes a matter."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from sanxiang.evaluation.models import MonthlyReport, ReportStep
from sanxiang.evaluation.report_figures import (
    FIGURE_PROVIDERS,
    Figure,
    figure_provider_register,
    figures_compute,
)
from sanxiang.evaluation.report_selectors import bureau_month, report_figure_lines, report_figure_records
from sanxiang.evaluation.report_services import (
    report_comment,
    report_drafts_create,
    report_matter_open,
    report_receive,
    report_return,
    report_sections_save,
    report_submit,
)
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.reports import ReportMonth
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.models import Matter
from tests.evaluation.report_support import case_on, county_make, draft, recording, tally
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db

D = dt.date
SEPTEMBER = ReportMonth(2026, 9)
FIRST = D(2026, 10, 1)
DUE = D(2026, 10, 25)
WRITTEN = {"problems": "个别决定公示不及时。", "results": "音像记录全覆盖。", "next_plan": "开展案卷自查。",
           "coordination": ""}


def payloads(report: MonthlyReport) -> list[dict]:
    bodies = Entry.objects.filter(subject=f"monthly_report:{report.pk}").order_by("seq").values_list("body", flat=True)
    return [json.loads(bytes(b)) for b in bodies]


def values(figures: list[dict]) -> dict:
    return {f["key"]: f["value"] for f in figures}


def september_records(county):
    """The market regulator's September, by hand: 3 cases registered in September (2 ordinary, one
    of them now closed; 1 summary), 1 in August and 1 in October (not counted); 2 penalty decisions,
    one major and reviewed; 3 decisions whose publicity fell due in September: on time, late, and
    still unpublished; 2 videos and 1 audio uploaded in September, 1 video in August."""
    a = county.agency
    first = case_on(agency=a, day=D(2026, 9, 3), title="销售过期食品案")
    closed = case_on(agency=a, day=D(2026, 9, 30), state="closed", title="无照经营案")
    case_on(agency=a, day=D(2026, 9, 12), procedure="summary", state="on_site", title="当场处罚")
    case_on(agency=a, day=D(2026, 8, 31), title="八月案件")
    case_on(agency=a, day=D(2026, 10, 1), title="十月案件")
    tally(case=first, day=D(2026, 9, 20), major=True, reviewed=True, sent_back=True)
    tally(case=closed, day=D(2026, 9, 25), major=False, reviewed=False)
    draft(case=first, decided_on=D(2026, 9, 1), due_on=D(2026, 9, 10), published_on=D(2026, 9, 9))
    late = case_on(agency=a, day=D(2026, 8, 5), title="逾期公示案")
    draft(case=late, decided_on=D(2026, 9, 2), due_on=D(2026, 9, 11), published_on=D(2026, 9, 20))
    waiting = case_on(agency=a, day=D(2026, 8, 6), title="未公示案")
    draft(case=waiting, decided_on=D(2026, 9, 20), due_on=D(2026, 9, 27))
    draft(case=closed, decided_on=D(2026, 9, 25), due_on=D(2026, 10, 4))  # due in October: not counted
    for day, kind in ((D(2026, 9, 3), "video"), (D(2026, 9, 30), "video"), (D(2026, 9, 4), "audio"),
                      (D(2026, 8, 30), "video")):
        recording(agency=a, day=day, kind=kind, uploader=county.head, case=first)


def test_figures_of_a_hand_built_agency_are_the_hand_count():
    county = county_make()
    september_records(county)
    figures = values(figures_compute(agency_ids=[county.agency.pk, county.other.pk], month=SEPTEMBER)[county.agency.pk])
    assert figures["cases.registered"] == 3  # the August and October cases are not September's
    assert figures["cases.registered:ordinary"] == 2 and figures["cases.registered:summary"] == 1
    assert figures["cases.state:ordinary:closed"] == 1 and figures["cases.state:ordinary:lead"] == 1
    assert figures["decisions.penalty"] == 2
    assert (figures["reviews.major"], figures["reviews.reviewed"], figures["reviews.unreviewed"],
            figures["reviews.sent_back"]) == (1, 1, 0, 1)
    assert (figures["publications.due"], figures["publications.on_time"], figures["publications.late"],
            figures["publications.waiting"]) == (3, 1, 1, 1)
    assert (figures["recordings.video"], figures["recordings.audio"]) == (2, 1)


def test_every_basic_figure_opens_as_many_records_as_it_counts():
    county = county_make()
    september_records(county)
    report_drafts_create(on=FIRST)
    report = MonthlyReport.objects.get(agency=county.agency)
    for line in report_figure_lines(report=report):
        records = report_figure_records(report=report, key=line.key)
        assert records is not None, line.key
        assert len(records) == line.live, line.key


def test_the_1st_drafts_each_agencys_report_once_and_the_bureaus_none():
    county = county_make()
    september_records(county)
    assert report_drafts_create(on=D(2026, 9, 30)) == 2  # August's, for both agencies (a catch-up run)
    assert report_drafts_create(on=FIRST) == 2
    assert report_drafts_create(on=FIRST) == 0  # idempotent
    call_command("reports_draft", "--on", "2026-10-02")  # a run missed on the 1st: nothing more
    reports = MonthlyReport.objects.filter(year=2026, month=9)
    assert {r.agency_id for r in reports} == {county.agency.pk, county.other.pk}  # not the 司法局
    report = reports.get(agency=county.agency)
    assert (report.state, report.drafted_on, report.due_on, report.bureau) == ("draft", FIRST, DUE, county.bureau)
    assert values(report.figures)["cases.registered"] == 3 and report.figures_frozen_on is None
    [drafted] = payloads(report)
    assert drafted["kind"] == EventKind.EVALUATION_REPORT_DRAFTED
    assert drafted["payload"]["due_on"] == "2026-10-25" and "乌政办发〔2022〕115号" in drafted["payload"]["basis"]


def test_drafting_reads_the_figures_once_for_every_agency_whatever_their_number():
    county_make()
    with queries_without_ledger_writes() as few:
        assert report_drafts_create(on=FIRST) == 2
    for _ in range(6):
        county_make()
    with queries_without_ledger_writes() as many:
        assert report_drafts_create(on=D(2026, 11, 1)) == 14

    def figure_reads(counted):
        return [sql for sql in counted.sql if "GROUP BY" in sql.upper()]

    # One GROUP BY per kind of record (cases, decisions, compulsory decisions, publications,
    # recordings, 案卷评查 files) for all the agencies at once; then a fixed number of writes per report.
    assert len(figure_reads(few)) == len(figure_reads(many)) == 6
    # Nine reads before the first report (the agencies, the reports made, the six figures, the
    # bureaus); then per report its savepoint, two rows, the ledger's head and the release.
    assert few.count == 9 + 2 * 5 and many.count == 9 + 14 * 5


def test_submission_freezes_the_figures_beside_the_live_ones():
    county = county_make()
    september_records(county)
    report_drafts_create(on=FIRST)
    report = MonthlyReport.objects.get(agency=county.agency)
    report_sections_save(report=report, actor=county.head, on=D(2026, 10, 3), sections={"problems": "草稿"})
    report = report_submit(report=report, actor=county.head, on=D(2026, 10, 20), sections=WRITTEN)
    assert (report.state, report.first_submitted_on, report.figures_frozen_on) == ("submitted", D(2026, 10, 20),
                                                                                  D(2026, 10, 20))
    # A September case registered afterwards (a late entry) changes the live figures, not the frozen.
    case_on(agency=county.agency, day=D(2026, 9, 15), title="补录案件")
    report.refresh_from_db()
    assert values(report.figures)["cases.registered"] == 3
    lines = {line.key: line for line in report_figure_lines(report=report)}
    assert (lines["cases.registered"].stored, lines["cases.registered"].live, lines["cases.registered"].differs) == (
        3, 4, True)
    assert not lines["recordings.video"].differs
    submitted = [p["payload"] for p in payloads(report) if p["payload"].get("action") == "submit"]
    assert submitted[0]["figures"] == report.figures and submitted[0]["sections"]["problems"] == WRITTEN["problems"]
    assert submitted[0]["late"] is False


def test_the_whole_path_with_a_ledger_entry_for_every_change():
    county = county_make()
    report_drafts_create(on=FIRST)
    report = MonthlyReport.objects.get(agency=county.agency)
    report_submit(report=report, actor=county.head, on=D(2026, 10, 10), sections=WRITTEN)
    report_return(report=report, actor=county.first, on=D(2026, 10, 11), reason="请补充逾期公示的原因")
    with pytest.raises(Refused) as refused:  # returned: the head must change it, not the bureau receive it
        report_receive(report=report, actor=county.first, on=D(2026, 10, 11))
    assert [v.code for v in refused.value.violations] == ["report.state"]
    report_submit(report=report, actor=county.head, on=D(2026, 10, 12),
                  sections=WRITTEN | {"problems": "两件决定逾期公示，系系统录入延误。"})
    report_comment(report=report, actor=county.second, on=D(2026, 10, 13), text="原因已说明")
    report = report_receive(report=report, actor=county.first, on=D(2026, 10, 13))
    assert (report.state, report.first_submitted_on, report.submitted_on, report.received_by) == (
        "received", D(2026, 10, 10), D(2026, 10, 12), county.first)
    actions = [(s.action, s.state_to) for s in ReportStep.objects.filter(report=report)]
    assert actions == [("draft", "draft"), ("submit", "submitted"), ("return", "returned"),
                       ("submit", "resubmitted"), ("comment", "resubmitted"), ("receive", "received")]
    ledgered = [(p["payload"].get("action", "draft"), p["payload"]["state"]) for p in payloads(report)]
    assert ledgered == actions
    with pytest.raises(Refused):  # received: final
        report_sections_save(report=report, actor=county.head, on=D(2026, 10, 14), sections=WRITTEN)


def test_who_may_do_what():
    county = county_make()
    report_drafts_create(on=FIRST)
    report = MonthlyReport.objects.get(agency=county.agency)
    for user in (county.officer, county.other_head, county.first):
        with pytest.raises(Refused) as refused:
            report_submit(report=report, actor=user, on=D(2026, 10, 5), sections=WRITTEN)
        assert "report.submitter" in [v.code for v in refused.value.violations]
    with pytest.raises(Refused) as refused:  # the three required parts, each named beside its field
        report_submit(report=report, actor=county.head, on=D(2026, 10, 5), sections={})
    assert [v.field for v in refused.value.violations] == ["problems", "results", "next_plan"]
    report_submit(report=report, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN)
    for user in (county.head, county.other_head):
        with pytest.raises(Refused) as refused:
            report_return(report=report, actor=user, on=D(2026, 10, 6), reason="x")
        assert [v.code for v in refused.value.violations] == ["report.receiver"]
    with pytest.raises(Refused) as refused:
        report_return(report=report, actor=county.first, on=D(2026, 10, 6), reason=" ")
    assert [v.field for v in refused.value.violations] == ["text"]
    assert MonthlyReport.objects.get(pk=report.pk).state == "submitted"  # nothing half-written


def test_a_missing_report_is_overdue_from_the_26th_and_becomes_a_matter():
    county = county_make()
    report_drafts_create(on=FIRST)
    mine = MonthlyReport.objects.get(agency=county.agency)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 25), sections=WRITTEN)  # on the due day
    rows = {r.agency.pk: r for r in bureau_month(bureau=county.bureau, month=SEPTEMBER, today=D(2026, 10, 25))}
    assert not rows[county.other.pk].flags.overdue
    rows = {r.agency.pk: r for r in bureau_month(bureau=county.bureau, month=SEPTEMBER, today=D(2026, 10, 26))}
    assert rows[county.other.pk].flags.overdue and not rows[county.agency.pk].flags.overdue
    assert not rows[county.agency.pk].flags.late
    missing = rows[county.other.pk].report
    with pytest.raises(Refused) as refused:  # not yet late
        report_matter_open(report=missing, actor=county.first, on=D(2026, 10, 25))
    assert [v.code for v in refused.value.violations] == ["report.matter_not_late"]
    with pytest.raises(Refused):  # an agency does not open supervision matters
        report_matter_open(report=missing, actor=county.other_head, on=D(2026, 10, 26))
    matter = report_matter_open(report=missing, actor=county.first, on=D(2026, 10, 26))
    assert (matter.source, matter.agency, matter.bureau, matter.origin) == (
        "routine", county.other, county.bureau, f"monthly_report:{missing.pk}")
    assert "逾期未报送" in matter.subject
    with pytest.raises(Refused):  # once
        report_matter_open(report=missing, actor=county.first, on=D(2026, 10, 27))
    assert Matter.objects.count() == 1


def test_an_indicator_provider_plugs_its_figures_in():
    county = county_make()

    def timely_rate(*, agency_ids, month):
        return {a: [Figure("indicator.timely_publication", "考核指标", "公示及时率", 0.9)] for a in agency_ids}

    figure_provider_register(timely_rate)
    figure_provider_register(timely_rate)
    try:
        assert FIGURE_PROVIDERS.count(timely_rate) == 1
        figures = figures_compute(agency_ids=[county.agency.pk], month=SEPTEMBER)[county.agency.pk]
        assert figures[-1] == {"key": "indicator.timely_publication", "group": "考核指标", "label": "公示及时率",
                               "value": 0.9}
    finally:
        FIGURE_PROVIDERS.remove(timely_rate)


def test_a_report_the_document_font_cannot_print_is_refused_before_it_is_frozen():
    """The submitted report is printed (PDF): a character without a glyph would print as garbage, so
    the submission is refused naming it, and nothing is frozen."""
    county = county_make()
    report_drafts_create(on=FIRST)
    report = MonthlyReport.objects.get(agency=county.agency)
    with pytest.raises(Refused) as refused:
        report_submit(report=report, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN | {"results": "成效显著😀"})
    [violation] = refused.value.violations
    assert violation.code == "report.unprintable" and "😀" in violation.message
    report.refresh_from_db()
    assert (report.state, report.figures_frozen_on) == ("draft", None)
    report_submit(report=report, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN)


def test_the_inbox_holds_the_heads_reports_to_submit_and_the_bureaus_to_receive():
    from sanxiang.evaluation.report_inbox import report_inbox_applies, report_inbox_count, report_inbox_rows

    county = county_make()
    report_drafts_create(on=FIRST)
    mine = MonthlyReport.objects.get(agency=county.agency)
    assert [r.pk for r in report_inbox_rows(user=county.head)] == [mine.pk]
    assert report_inbox_count(user=county.first) == 0 and not report_inbox_applies(county.officer)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 5), sections=WRITTEN)
    assert report_inbox_count(user=county.head) == 0
    assert [r.pk for r in report_inbox_rows(user=county.first)] == [mine.pk]
    report_return(report=mine, actor=county.first, on=D(2026, 10, 6), reason="请补充")
    assert (report_inbox_count(user=county.head), report_inbox_count(user=county.first)) == (1, 0)
    assert report_inbox_count(user=county.other_head) == 1  # its own draft only

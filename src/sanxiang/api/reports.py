"""工作月报和年度工作总结 through the API (issue 19 item 1): the reports the evaluation app drafts
and the agencies submit to the 司法局, read as the report pages show them (a supervisor the reports
sent to their bureau, an agency's staff their agency's own, a system administrator all) with their
figures, and the records behind a monthly figure (a case's title only to who may read the case, as
the page). Read-only: the reports are written, submitted and received on the pages."""

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import answers
from sanxiang.evaluation import closing_selectors, report_selectors
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.closing import SUMMARY_SECTION_LABELS
from sanxiang.procedure.evaluation.reports import REPORT_SECTION_LABELS, REPORT_STATE_LABELS, ReportState

router = Router(tags=["reports"])

REPORT_STATES = [(s.value, label) for s, label in REPORT_STATE_LABELS.items()]
ReportStatusIn = Literal[tuple(value for value, _ in REPORT_STATES)]  # type: ignore[valid-type]
REPORT_STATUS = Query(None, description=status_description(REPORT_STATES))
DUE_SINCE, DUE_UNTIL = since_query("报送期限"), until_query("报送期限")
REPORT_ORDERING = {"due_on": ("due_on", "报送期限"), "id": ("id", "起草先后")}
FIGURE_KEY = Path(..., max_length=120, description="数据项的键（见月报的 figures[].key）")
FigureValue = int | float | str | None


class SectionOut(Schema):
    key: str
    label: str
    text: str


class ReportStepOut(Schema):
    action: str
    on: dt.date
    actor: str = Field(..., description="办理人")
    text: str = Field(..., description="退回理由、意见等")
    state_to: str


class ReportSummaryOut(Schema):
    id: int
    agency_id: int = Field(..., description="报送机关")
    agency_name: str
    bureau_id: int | None = Field(..., description="接收的司法局")
    status: str = Field(..., description=status_description(REPORT_STATES))
    status_label: str
    drafted_on: dt.date
    due_on: dt.date = Field(..., description="报送期限")
    first_submitted_on: dt.date | None
    submitted_on: dt.date | None
    received_on: dt.date | None
    overdue: bool = Field(..., description="已过报送期限仍未报送")
    late: bool = Field(..., description="首次报送晚于期限")


class MonthlyReportOut(ReportSummaryOut):
    year: int
    month: int


class FigureLineOut(Schema):
    key: str
    group: str
    label: str
    stored: FigureValue = Field(..., description="报告中的数值：起草时的，报送后为报送时固定的")
    live: FigureValue = Field(..., description="现在按记录计算的数值")
    differs: bool = Field(..., description="两者不同（报送后记录有变动）")


class MonthlyReportDetailOut(MonthlyReportOut):
    sections: list[SectionOut]
    figures: list[FigureLineOut]
    figures_frozen_on: dt.date | None = Field(..., description="数据固定（报送）的日期；未报送为 null")
    steps: list[ReportStepOut]


class MonthlyReportPageOut(PageOut):
    items: list[MonthlyReportOut]


class FigureRecordOut(Schema):
    on: dt.date | None
    number: str = Field(..., description="案号")
    title: str = Field(..., description="案由或文件名；本人不能查阅该案件时为空字符串")
    case_id: int | None
    state: str = Field(..., description="案件状态")


class AnnualFigureOut(Schema):
    key: str
    group: str
    label: str
    value: str = Field(..., description="报送时的数值（无数据为“—”）")
    count: int | None = Field(None, description="数值所含的记录数")


class AnnualSummaryOut(ReportSummaryOut):
    year: int


class AnnualSummaryDetailOut(AnnualSummaryOut):
    sections: list[SectionOut]
    figures: list[AnnualFigureOut]
    steps: list[ReportStepOut]


class AnnualSummaryPageOut(PageOut):
    items: list[AnnualSummaryOut]


def _summary(row: MonthlyReport | AnnualSummary, *, today: dt.date) -> dict:
    flags = report_selectors.report_flags(row, today=today)
    state = ReportState(row.state)
    return {
        "id": row.pk, "agency_id": row.agency_id, "agency_name": row.agency.name, "bureau_id": row.bureau_id,
        "status": state.value, "status_label": REPORT_STATE_LABELS[state], "drafted_on": row.drafted_on,
        "due_on": row.due_on, "first_submitted_on": row.first_submitted_on, "submitted_on": row.submitted_on,
        "received_on": row.received_on, "overdue": flags.overdue, "late": flags.late, "year": row.year,
    }


def _monthly(report: MonthlyReport, *, today: dt.date) -> dict:
    return _summary(report, today=today) | {"month": report.month}


def _steps(steps) -> list[dict]:
    return [{"action": s.action, "on": s.on, "actor": str(s.actor) if s.actor else "", "text": s.text,
             "state_to": s.state_to} for s in steps]


def _sections(labels: dict, sections: dict) -> list[dict]:
    return [{"key": str(key), "label": label, "text": sections.get(str(key), "")} for key, label in labels.items()]


def _listed(request: HttpRequest, rows, *, agency, year, status, since, until, ordering, limit, cursor, item):
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if year is not None:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="due_on", since=since, until=until)
    order = order_resolve(ordering, keys=REPORT_ORDERING, default="-due_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=item)


@router.get("/reports/monthly", response=answers({200: MonthlyReportPageOut}))
def monthly_report_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="报送机关"),
    year: int | None = Query(None, ge=2000, le=2100, description="年份"),
    month: int | None = Query(None, ge=1, le=12, description="月份"),
    status: ReportStatusIn | None = REPORT_STATUS,
    since: dt.date | None = DUE_SINCE,
    until: dt.date | None = DUE_UNTIL,
    ordering: str = ordering_query(REPORT_ORDERING, default="-due_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """工作月报，默认最近的月份在前，分页返回。司法局监督人员看到报送本局的，执法机关人员看到本机关的，系统管理员看到全部。"""
    rows = report_selectors.reports_for(viewer=request.user)
    if month is not None:
        rows = rows.filter(month=month)
    today = timezone.localdate()
    return _listed(request, rows, agency=agency, year=year, status=status, since=since, until=until,
                   ordering=ordering, limit=limit, cursor=cursor, item=lambda r: _monthly(r, today=today))


@router.get("/reports/monthly/{report_id}", response=answers({200: MonthlyReportDetailOut}, 404))
def monthly_report_get(request: HttpRequest, report_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份工作月报：各部分内容、数据（报告中的与现在按记录计算的并列）和办理经过。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    lines = report_selectors.report_figure_lines(report=report)
    return _monthly(report, today=timezone.localdate()) | {
        "sections": _sections(REPORT_SECTION_LABELS, report.sections),
        "figures": [{"key": ln.key, "group": ln.group, "label": ln.label, "stored": ln.stored, "live": ln.live,
                     "differs": ln.differs} for ln in lines],
        "figures_frozen_on": report.figures_frozen_on,
        "steps": _steps(report_selectors.report_steps(report=report)),
    }


@router.get("/reports/monthly/{report_id}/figures/{key}", response=answers({200: list[FigureRecordOut]}, 404))
def monthly_report_figure_records(request: HttpRequest, report_id: int = Path(..., ge=1, le=ID_MAX),
                                  key: str = FIGURE_KEY):
    """一项数据所含的记录（最多500条）。案由只向能查阅该案件的人提供，其他人只见案号、状态和日期；
    没有记录清单的数据项（如指标）返回 404。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    records = report_selectors.report_figure_records(report=report, key=key, viewer=request.user)
    if records is None:
        raise Http404
    return [{"on": r.on, "number": r.number, "title": r.title if r.readable else "", "case_id": r.case_id,
             "state": r.state} for r in records]


@router.get("/reports/annual", response=answers({200: AnnualSummaryPageOut}))
def annual_summary_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="报送机关"),
    year: int | None = Query(None, ge=2000, le=2100, description="年度"),
    status: ReportStatusIn | None = REPORT_STATUS,
    since: dt.date | None = DUE_SINCE,
    until: dt.date | None = DUE_UNTIL,
    ordering: str = ordering_query(REPORT_ORDERING, default="-due_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """年度工作总结（总结评估），默认最近的年度在前，分页返回；可见范围与工作月报相同。"""
    rows = closing_selectors.summaries_for(viewer=request.user)
    today = timezone.localdate()
    return _listed(request, rows, agency=agency, year=year, status=status, since=since, until=until,
                   ordering=ordering, limit=limit, cursor=cursor, item=lambda s: _summary(s, today=today))


@router.get("/reports/annual/{summary_id}", response=answers({200: AnnualSummaryDetailOut}, 404))
def annual_summary_get(request: HttpRequest, summary_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份年度工作总结：各部分内容、报送时的数据和办理经过。"""
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary_id)
    return _summary(summary, today=timezone.localdate()) | {
        "sections": _sections(SUMMARY_SECTION_LABELS, summary.sections),
        "figures": [{"key": f["key"], "group": f["group"], "label": f["label"], "value": str(f.get("value", "—")),
                     "count": f.get("count")} for f in summary.figures],
        "steps": _steps(closing_selectors.summary_steps(summary=summary)),
    }

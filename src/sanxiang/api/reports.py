"""工作月报和年度工作总结 through the API (issue 19 item 1): the reports the evaluation app drafts
and the agencies submit to the 司法局, read as the report pages show them (a supervisor the reports
sent to their bureau, an agency's staff their agency's own, a system administrator all) with their
figures, and the records behind a monthly figure (a case's title only to who may read the case, as
the page). Written as on the report pages, through evaluation's services: the agency's head saves and
submits (again after a return), the bureau's supervisors return, comment and receive."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, Path, Query, Router, Schema
from pydantic import create_model

from sanxiang.api.errors import InputRefused
from sanxiang.api.files import content_answer
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
from sanxiang.api.schemas import Text, answers, binary_answer, changed_since_read
from sanxiang.evaluation import closing_selectors, closing_services, report_selectors, report_services
from sanxiang.evaluation.closing_documents import summary_document
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.evaluation.report_documents import report_document
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.closing import (
    ACCEPTANCE_RESULT_LABELS,
    SUMMARY_SECTION_LABELS,
    AcceptanceResult,
)
from sanxiang.procedure.evaluation.closing import CRITERIA as ACCEPTANCE_CRITERIA
from sanxiang.procedure.evaluation.closing import SECTION_LIMIT as SUMMARY_SECTION_LIMIT
from sanxiang.procedure.evaluation.reports import (
    REPORT_SECTION_LABELS,
    REPORT_STATE_LABELS,
    ReportActor,
    ReportState,
)
from sanxiang.procedure.evaluation.reports import SECTION_LIMIT as REPORT_SECTION_LIMIT
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation

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
    matter_id: int | None = Field(None, description="逾期转为的监督事项")


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


class SummaryFindingOut(Schema):
    code: str
    label: str
    text: str


class SummaryAcceptanceOut(Schema):
    check_id: int = Field(..., description="验收清单（司法局可在 /api/acceptance/checks/{id} 查看）")
    total: str = Field(..., description="总分")
    pass_score: str = Field(..., description="通过分数")
    result: str = Field(..., description="passed（通过）或 failed（不通过）")
    result_label: str
    findings: list[SummaryFindingOut] = Field(..., description="发现的问题")


class AnnualSummaryDetailOut(AnnualSummaryOut):
    sections: list[SectionOut]
    figures: list[AnnualFigureOut]
    steps: list[ReportStepOut]
    acceptance: SummaryAcceptanceOut | None = Field(
        None, description="该年度的验收结果，验收结束后与工作总结页面一同显示；此前为 null")


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
def monthly_report_get(request: HttpRequest, response: HttpResponse, report_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份工作月报：各部分内容、数据（报告中的与现在按记录计算的并列）和办理经过；响应头 ETag 为其当前版本
    （保存、报送时可放在 If-Match 中）。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    response["ETag"] = report_etag(report)
    return _monthly_detail(report)


def _monthly_detail(report: MonthlyReport) -> dict:
    lines = report_selectors.report_figure_lines(report=report)
    return _monthly(report, today=timezone.localdate()) | {
        "sections": _sections(REPORT_SECTION_LABELS, report.sections),
        "figures": [{"key": ln.key, "group": ln.group, "label": ln.label, "stored": ln.stored, "live": ln.live,
                     "differs": ln.differs} for ln in lines],
        "figures_frozen_on": report.figures_frozen_on,
        "steps": _steps(report_selectors.report_steps(report=report)),
        "matter_id": report.matter_id,
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
def annual_summary_get(request: HttpRequest, response: HttpResponse, summary_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份年度工作总结：各部分内容、报送时的数据和办理经过；响应头 ETag 为其当前版本（保存、报送时可放在 If-Match 中）。"""
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary_id)
    response["ETag"] = report_etag(summary)
    return _annual_detail(summary)


def _annual_detail(summary: AnnualSummary) -> dict:
    return _summary(summary, today=timezone.localdate()) | {
        "sections": _sections(SUMMARY_SECTION_LABELS, summary.sections),
        "figures": [{"key": f["key"], "group": f["group"], "label": f["label"], "value": str(f.get("value", "—")),
                     "count": f.get("count")} for f in summary.figures],
        "steps": _steps(closing_selectors.summary_steps(summary=summary)),
        "acceptance": _acceptance(summary),
    }


def _acceptance(summary: AnnualSummary) -> dict | None:
    """The agency's acceptance result of the summary's year once the round is over, as the summary page shows it."""
    check = closing_selectors.check_concluded(agency_id=summary.agency_id, year=summary.year)
    if check is None or not check.result:
        return None
    result = AcceptanceResult(check.result)
    return {"check_id": check.pk, "total": str(check.total), "pass_score": str(check.round.pass_score),
            "result": result.value, "result_label": ACCEPTANCE_RESULT_LABELS[result],
            "findings": [{"code": c.code, "label": c.label, "text": check.findings[c.code]}
                         for c in ACCEPTANCE_CRITERIA if check.findings.get(c.code)]}


def report_etag(row: MonthlyReport | AnnualSummary) -> str:
    """A report's version: its id and the instant of its last change (saved, submitted, returned, received)."""
    return f'"{row.pk}-{int(row.updated_at.timestamp() * 1_000_000)}"'


# --- Writes (issue 19): what the report pages do, through evaluation's services ---------------------
# The agency's head saves and submits (报送, 重新报送 after a return); the county 司法局's supervisors
# return with a reason, comment (月报) and receive. Someone else: 403; a report the caller cannot see: 404;
# a field out of its rules: 422 naming it; a move the report's state does not allow: 409 with every reason.

MONTHLY_SECTION_KEYS = [str(key) for key in REPORT_SECTION_LABELS]
SUMMARY_SECTION_KEYS = [str(key) for key in SUMMARY_SECTION_LABELS]
MonthlyBureauActionIn = Literal["return", "comment", "receive", "matter"]
SummaryBureauActionIn = Literal["return", "receive"]
MONTHLY_BUREAU_ACTION = Path(..., description="操作：return（退回修改，须写明理由）、comment（批注）、receive（接收）、"
                                             "matter（逾期未报送或者逾期报送的，转为本局的监督事项）")
SUMMARY_BUREAU_ACTION = Path(..., description="操作：return（退回修改，须写明理由）、receive（接收）")
BUREAU_ACTION_TEXT = {"return": "reason", "comment": "text", "receive": "text"}


def _sections_schema(name: str, labels: dict, limit: int, doc: str) -> type[Schema]:
    fields = {str(key): (Text(limit, multiline=True) | None,
                         Field(None, description=f"{label}（不给出为不改；报送时必填，没有的写“无”）"))
              for key, label in labels.items()}
    return create_model(name, __base__=Schema, __doc__=doc, **fields)


MonthlySectionsIn = _sections_schema("MonthlySectionsIn", REPORT_SECTION_LABELS, REPORT_SECTION_LIMIT,
                                     "工作月报由本机关填写的各部分")
SummarySectionsIn = _sections_schema("SummarySectionsIn", SUMMARY_SECTION_LABELS, SUMMARY_SECTION_LIMIT,
                                     "年度工作总结由本机关填写的各部分")


class ReportActIn(Schema):
    text: Text(5000, multiline=True) = Field("", description="退回时必填：退回的理由和需要修改的内容；批注时必填：批注内容；接收时可填意见")


def _sections_given(payload: Schema) -> dict[str, str]:
    """The sections sent; the service merges them into the locked row (`merge=True`), never into a
    copy read before the lock (two saves of different sections at once both stay)."""
    return {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}


def _refused_split(refused: Refused) -> Exception:
    """A refusal of the report's state (or of turning it into a matter) is 409 with every reason; one
    of the text sent (a section, a reason, a character the document cannot print) is 422."""
    if any(v.code.endswith(".state") for v in refused.violations):
        return refused
    if any(v.field or v.code.endswith(".unprintable") for v in refused.violations):
        return InputRefused(refused.violations)
    return refused


def _agency_head_require(actor: ReportActor, what: str) -> None:
    if actor != ReportActor.AGENCY_HEAD:
        raise PermissionDenied(f"只有本机关的机关负责人可以修改和报送{what}")


def _bureau_require(actor: ReportActor, what: str) -> None:
    if actor != ReportActor.SUPERVISOR:
        raise PermissionDenied(f"只有本县司法局的监督人员可以接收、批注或者退回{what}")


REPORT_IF_MATCH = Header(None, alias="If-Match", max_length=500,
                         description="可选：读取时响应头 ETag 的值；此后已有变动（如他人已保存、报送或退回）时返回 412，不予办理")


def _precondition_failed():
    return changed_since_read(code="report.changed",
                              message="这份报告在您读取之后已有变动（如他人已保存、报送或退回），请重新读取后再办理")


def _written(response: HttpResponse, row, if_match: str | None, write) -> bool:
    """`write()` in one transaction with the report's row locked, if it is still the version the client
    read (always without If-Match; a weak tag never matches, RFC 9110 strong comparison). False when it is not."""
    with transaction.atomic():
        if if_match is not None:
            locked = type(row).objects.select_for_update().only("pk", "updated_at").get(pk=row.pk)
            tags = {tag.strip() for tag in if_match.split(",")}
            if "*" not in tags and report_etag(locked) not in tags:
                return False
        try:
            written = write()
        except Refused as refused:
            raise _refused_split(refused) from None
    response["ETag"] = report_etag(written)
    return True


@router.post("/reports/monthly/{report_id}/actions/save",
             response=answers({200: MonthlyReportDetailOut}, 403, 404, 409, 412))
def monthly_report_save(request: HttpRequest, response: HttpResponse, payload: MonthlySectionsIn,
                        report_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = REPORT_IF_MATCH):
    """本机关的机关负责人保存月报的各部分（草稿或已退回的月报），只改所给的部分。超过字数的返回 422 并指明字段；
    已报送、已接收的返回 409。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    _agency_head_require(report_services.report_actor(user=request.user, report=report), "月报")
    if not _written(response, report, if_match, lambda: report_services.report_sections_save(
            report=report, actor=request.user, on=timezone.localdate(), sections=_sections_given(payload), merge=True)):
        return _precondition_failed()
    return _monthly_detail(report_selectors.report_get(viewer=request.user, report_id=report.pk))


@router.post("/reports/monthly/{report_id}/actions/submit",
             response=answers({200: MonthlyReportDetailOut}, 403, 404, 409, 412))
def monthly_report_submit(request: HttpRequest, response: HttpResponse, payload: MonthlySectionsIn,
                          report_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = REPORT_IF_MATCH):
    """本机关的机关负责人报送月报（草稿），或者修改后重新报送（已退回）：所给的部分与已保存的合并后报送，报送时的数据随之固定。
    必填的部分未填、超过字数、含无法打印的字符的，返回 422 并指明字段及依据；已报送、已接收的返回 409。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    _agency_head_require(report_services.report_actor(user=request.user, report=report), "月报")
    if not _written(response, report, if_match, lambda: report_services.report_submit(
            report=report, actor=request.user, on=timezone.localdate(), sections=_sections_given(payload), merge=True)):
        return _precondition_failed()
    return _monthly_detail(report_selectors.report_get(viewer=request.user, report_id=report.pk))


@router.post("/reports/monthly/{report_id}/actions/{action}",
             response=answers({200: MonthlyReportDetailOut}, 403, 404, 409))
def monthly_report_act(request: HttpRequest, response: HttpResponse, payload: ReportActIn, report_id: int = Path(..., ge=1, le=ID_MAX),
                       action: MonthlyBureauActionIn = MONTHLY_BUREAU_ACTION):
    """本县司法局的监督人员办理报送本局的月报：退回修改（写明理由）、批注、接收，或者将逾期的月报转为监督事项（应答的 matter_id），
    与月报页面相同。理由或批注未填的返回 422；月报当前状态不能办理、没有逾期或者已经转为监督事项的，返回 409 并列出理由。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    _bureau_require(report_services.report_actor(user=request.user, report=report), "月报")
    try:
        if action == "matter":
            report_services.report_matter_open(report=report, actor=request.user, on=timezone.localdate())
        else:
            service = {"return": report_services.report_return, "comment": report_services.report_comment,
                       "receive": report_services.report_receive}[action]
            service(report=report, actor=request.user, on=timezone.localdate(),
                    **{BUREAU_ACTION_TEXT[action]: payload.text})
    except Refused as refused:
        raise _refused_split(refused) from None
    report = report_selectors.report_get(viewer=request.user, report_id=report.pk)
    response["ETag"] = report_etag(report)
    return _monthly_detail(report)


@router.post("/reports/annual/{summary_id}/actions/save",
             response=answers({200: AnnualSummaryDetailOut}, 403, 404, 409, 412))
def annual_summary_save(request: HttpRequest, response: HttpResponse, payload: SummarySectionsIn,
                        summary_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = REPORT_IF_MATCH):
    """本机关的机关负责人保存年度工作总结的各部分，只改所给的部分；超过字数的返回 422，已报送、已接收的返回 409。"""
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary_id)
    _agency_head_require(closing_services.summary_actor(user=request.user, summary=summary), "工作总结")
    if not _written(response, summary, if_match, lambda: closing_services.summary_sections_save(
            summary=summary, actor=request.user, on=timezone.localdate(),
            sections=_sections_given(payload), merge=True)):
        return _precondition_failed()
    return _annual_detail(closing_selectors.summary_get(viewer=request.user, summary_id=summary.pk))


@router.post("/reports/annual/{summary_id}/actions/submit",
             response=answers({200: AnnualSummaryDetailOut}, 403, 404, 409, 412))
def annual_summary_submit(request: HttpRequest, response: HttpResponse, payload: SummarySectionsIn,
                          summary_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = REPORT_IF_MATCH):
    """本机关的机关负责人报送（或者退回后重新报送）年度工作总结，报送时的全年数据随之固定。各部分未填、超过字数、
    含无法打印的字符的，返回 422 并指明字段及依据；已报送、已接收的返回 409。"""
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary_id)
    _agency_head_require(closing_services.summary_actor(user=request.user, summary=summary), "工作总结")
    if not _written(response, summary, if_match, lambda: closing_services.summary_submit(
            summary=summary, actor=request.user, on=timezone.localdate(),
            sections=_sections_given(payload), merge=True)):
        return _precondition_failed()
    return _annual_detail(closing_selectors.summary_get(viewer=request.user, summary_id=summary.pk))


@router.post("/reports/annual/{summary_id}/actions/{action}",
             response=answers({200: AnnualSummaryDetailOut}, 403, 404, 409))
def annual_summary_act(request: HttpRequest, response: HttpResponse, payload: ReportActIn, summary_id: int = Path(..., ge=1, le=ID_MAX),
                       action: SummaryBureauActionIn = SUMMARY_BUREAU_ACTION):
    """本县司法局的监督人员退回（写明理由）或者接收报送本局的年度工作总结，与工作总结页面相同。理由未填的返回 422；
    当前状态不能办理的返回 409 并列出理由。"""
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary_id)
    _bureau_require(closing_services.summary_actor(user=request.user, summary=summary), "工作总结")
    on = timezone.localdate()
    try:
        if action == "return":
            closing_services.summary_return(summary=summary, actor=request.user, on=on, reason=payload.text)
        else:
            closing_services.summary_receive(summary=summary, actor=request.user, on=on, text=payload.text)
    except Refused as refused:
        raise _refused_split(refused) from None
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary.pk)
    response["ETag"] = report_etag(summary)
    return _annual_detail(summary)


# --- the files of a monthly report and of a summary (the pages' downloads; issue 19, the audit of pages) --------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMAT = Path(..., description="格式：pdf 或 docx")


def _file_answer(rendered, fmt: str) -> HttpResponse:
    body = rendered.pdf if fmt == "pdf" else rendered.docx
    return content_answer(body, filename=f"{rendered.filename_stem}.{fmt}",
                          content_type="application/pdf" if fmt == "pdf" else DOCX)


def _unprintable(what: str) -> Refused:
    return Refused([Violation("reports.unprintable", f"{what}中有无法打印的字符，请修改后再下载", FORM_BASIS)])


@router.get("/reports/monthly/{report_id}/files/{fmt}", response=answers({}, 404, 409),
            openapi_extra=binary_answer("application/pdf", DOCX, description="工作月报的 PDF 或 DOCX 文件"))
def monthly_report_file(request: HttpRequest, report_id: int = Path(..., ge=1, le=ID_MAX),
                        fmt: Literal["pdf", "docx"] = FORMAT):
    """工作月报的文件（PDF 或 DOCX），与月报页面下载的相同；看不到的月报返回 404，内容中有字体无法打印的字符的返回 409。"""
    report = report_selectors.report_get(viewer=request.user, report_id=report_id)
    try:
        rendered = report_document(report=report)
    except ValueError:  # characters the font cannot print
        raise _unprintable("报告") from None
    return _file_answer(rendered, fmt)


@router.get("/reports/annual/{summary_id}/files/{fmt}", response=answers({}, 404, 409),
            openapi_extra=binary_answer("application/pdf", DOCX, description="年度工作总结的 PDF 或 DOCX 文件"))
def annual_summary_file(request: HttpRequest, summary_id: int = Path(..., ge=1, le=ID_MAX),
                        fmt: Literal["pdf", "docx"] = FORMAT):
    """年度工作总结的文件（PDF 或 DOCX），与工作总结页面下载的相同；看不到的返回 404，内容中有字体无法打印的字符的返回 409。"""
    summary = closing_selectors.summary_get(viewer=request.user, summary_id=summary_id)
    try:
        rendered = summary_document(summary=summary)
    except ValueError:  # characters the font cannot print
        raise _unprintable("工作总结") from None
    return _file_answer(rendered, fmt)

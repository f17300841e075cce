"""验收 and the 工作报告 through the API (issue 19): what the closing pages show and do, for the county
司法局's supervisors only (as the pages: anyone else 403, another county's checklist 404).

- A year's acceptance round: open it (a checklist per agency of the county, with the scores and pass mark
  in force), score each checklist and conclude it (通过/不通过 by the pass mark), close the round once every
  checklist is concluded (each agency without a conclusion named).
- The county's work report to the government on a year, after its acceptance is over: generate it (the
  figures as they stand), save its text (only the parts given), submit it (the figures frozen); the file
  (PDF, DOCX) as the page serves it. Saves and submissions take If-Match as the annual summaries do.
- The monthly reports, summaries or checklists behind a figure of these pages.
Parsed here; written through `evaluation.closing_services`, read through `closing_selectors`."""

import dataclasses
import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import BeforeValidator, WithJsonSchema, create_model

from sanxiang.api.errors import InputRefused
from sanxiang.api.files import content_answer
from sanxiang.api.indicators import IndicatorRecordPageOut, indicator_record_page
from sanxiang.api.pagination import cursor_query, limit_query
from sanxiang.api.schemas import Text, answers, binary_answer, changed_since_read
from sanxiang.evaluation import closing_selectors, closing_services
from sanxiang.evaluation.closing_documents import work_report_document
from sanxiang.evaluation.closing_figures import county_year_figures, records_label, training_label
from sanxiang.evaluation.indicators import NUMERATOR, SOURCES, period_year, user_reads_indicators
from sanxiang.evaluation.models import AcceptanceCheck, AcceptanceRound, MonthlyReport, WorkReport
from sanxiang.evaluation.report_selectors import user_is_supervisor
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.closing import (
    ACCEPTANCE_BASIS,
    ACCEPTANCE_RESULT_LABELS,
    CRITERIA,
    SECTION_LIMIT,
    WORK_REPORT_BASIS,
    WORK_REPORT_SECTION_LABELS,
    AcceptanceResult,
    acceptance_scores_basis,
    closing_first_year,
)
from sanxiang.procedure.evaluation.reports import REPORT_STATE_LABELS, ReportState
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation

router = Router(tags=["acceptance"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DENIED = "只有本县司法局的监督人员可以组织验收和编写工作报告"
YEAR = Path(..., ge=2000, le=2100, description="年度（实施方案施行的年度至明年）")
CHECK_ID = Path(..., ge=1, le=ID_MAX)
ResultIn = Literal["passed", "failed", "open"]
RESULT = Query(None, description="只看：passed（通过）、failed（不通过）、open（尚未作出结论）")
IF_MATCH = Header(None, alias="If-Match", max_length=500,
                  description="可选：读取时响应头 ETag 的值；此后已有变动（如他人已保存或报送）时返回 412，不予办理")


# --- answers ---------------------------------------------------------------------------------------------


class AcceptanceCriterionOut(Schema):
    code: str
    label: str
    description: str = Field(..., description="验收的内容")
    max_score: str = Field(..., description="本轮的满分（开始验收时的分值）")
    basis: str


class CheckOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    total: str = Field(..., description="已评的得分之和")
    result: str = Field(..., description="结论：passed（通过）、failed（不通过）；尚未作出为空字符串")
    result_label: str
    concluded_on: dt.date | None


class RoundOut(Schema):
    id: int
    year: int
    opened_on: dt.date
    closed_on: dt.date | None = Field(..., description="验收结束的日期；进行中为 null")
    pass_score: str = Field(..., description="通过分数")
    criteria: list[AcceptanceCriterionOut]


class AcceptanceCountsOut(Schema):
    all: int
    passed: int
    failed: int
    open: int = Field(..., description="尚未作出结论的")


class AcceptanceYearOut(Schema):
    year: int
    round: RoundOut | None = Field(..., description="该年度的验收；尚未开始为 null")
    counts: AcceptanceCountsOut
    checks: list[CheckOut] = Field(..., description="各执法机关的验收清单（按 result 筛选），按机关名称排列")
    basis: str
    scores_basis: str


class CheckLineOut(Schema):
    code: str
    label: str
    description: str
    max_score: str
    score: str | None = Field(..., description="得分；尚未评分为 null")
    findings: str = Field(..., description="发现的问题")


class CheckDetailOut(CheckOut):
    round_id: int
    year: int
    round_closed: bool
    pass_score: str
    editable: bool = Field(..., description="尚可评分（未作出结论且验收未结束）")
    lines: list[CheckLineOut]
    summary_id: int | None = Field(..., description="该机关该年度的工作总结")


class WorkReportSectionOut(Schema):
    key: str
    label: str
    text: str


class WorkFigureOut(Schema):
    key: str
    group: str
    label: str
    value: str = Field(..., description="数值（无数据为“—”）")
    count: int | None = Field(None, description="数值所含的记录数")


class WorkReportOut(Schema):
    year: int
    id: int | None = Field(..., description="工作报告；尚未生成为 null（此时 figures 为现在按记录计算的数据）")
    round_id: int | None = Field(..., description="该年度的验收")
    round_closed: bool = Field(..., description="该年度的验收已经结束（之后才能生成工作报告）")
    figures_on: dt.date | None = Field(..., description="报告数据生成（报送后为固定）的日期")
    submitted_on: dt.date | None
    sections: list[WorkReportSectionOut]
    figures: list[WorkFigureOut]
    checks: list[CheckOut]
    basis: str


SectionsIn = create_model(
    "WorkReportSectionsIn", __base__=Schema, __doc__="工作报告由司法局填写的各部分",
    **{str(key): (Text(SECTION_LIMIT, multiline=True) | None,
                  Field(None, description=f"{label}（不给出为不改；报送时必填，没有的写“无”）"))
       for key, label in WORK_REPORT_SECTION_LABELS.items()})



def _number_as_text(value):
    """A score sent as a number is read as its text (14.5 → "14.5"), as the page's form sends it."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


# One type (text, a number read as text), so that a refused score is named by its field alone.
ScoreIn = Annotated[Text(8) | None, BeforeValidator(_number_as_text), WithJsonSchema(
    {"anyOf": [{"type": "string", "maxLength": 8}, {"type": "number"}, {"type": "null"}]})]
AcceptanceScoresIn = create_model(
    "AcceptanceScoresIn", __base__=Schema, __doc__="一个单位验收清单的得分和发现的问题（字段与验收页面的表单相同）",
    **{name: spec for c in CRITERIA for name, spec in (
        (f"score_{c.code}", (ScoreIn, Field(None, description=f"“{c.label}”的得分（最多一位小数，0至本轮满分）；"
                                                              "不给出或为空为未评分"))),
        (f"findings_{c.code}", (Text(SECTION_LIMIT, multiline=True) | None,
                                Field(None, description=f"“{c.label}”发现的问题（扣分的作出结论时必填）"))))})


# --- helpers ------------------------------------------------------------------------------------------------


def _supervisor_require(request: HttpRequest) -> None:
    if not user_is_supervisor(request.user):
        raise PermissionDenied(DENIED)


def _year_check(year: int, where: str = "path") -> int:
    """A year of the closing steps: from the plan's first year to next year (422 otherwise, as the
    pages read no other year)."""
    if not closing_first_year() <= year <= timezone.localdate().year + 1:
        raise ValidationError([{"type": "greater_than_equal", "loc": (where, "year"), "msg": "year out of range"}])
    return year


def _check(check: AcceptanceCheck) -> dict:
    result = AcceptanceResult(check.result) if check.result else None
    return {"id": check.pk, "agency_id": check.agency_id, "agency_name": check.agency.name,
            "total": str(check.total), "result": check.result,
            "result_label": ACCEPTANCE_RESULT_LABELS[result] if result else "", "concluded_on": check.concluded_on}


def _criteria(round_: AcceptanceRound) -> list[dict]:
    return [{"code": c.code, "label": c.label, "description": c.description, "max_score": round_.max_scores[c.code],
             "basis": c.basis} for c in CRITERIA if c.code in round_.max_scores]


def _year_out(bureau, year: int, result: str | None = None) -> dict:
    round_ = closing_selectors.acceptance_round_get(bureau=bureau, year=year)
    checks = closing_selectors.round_checks(round_=round_) if round_ else []
    kept = {"passed": AcceptanceResult.PASSED, "failed": AcceptanceResult.FAILED, "open": ""}
    return {
        "year": year,
        "round": None if round_ is None else {
            "id": round_.pk, "year": round_.year, "opened_on": round_.opened_on, "closed_on": round_.closed_on,
            "pass_score": str(round_.pass_score), "criteria": _criteria(round_)},
        "counts": {"all": len(checks), **{key: sum(1 for c in checks if c.result == value)
                                          for key, value in kept.items()}},
        "checks": [_check(c) for c in checks if result is None or c.result == kept[result]],
        "basis": ACCEPTANCE_BASIS, "scores_basis": acceptance_scores_basis(),
    }


def _check_detail(request: HttpRequest, check: AcceptanceCheck) -> dict:
    round_ = check.round
    summary = (closing_selectors.summaries_for(viewer=request.user)
               .filter(agency_id=check.agency_id, year=round_.year).values_list("pk", flat=True).first())
    return _check(check) | {
        "round_id": round_.pk, "year": round_.year, "round_closed": round_.closed_on is not None,
        "pass_score": str(round_.pass_score), "editable": not check.result and round_.closed_on is None,
        "lines": [{"code": c.code, "label": c.label, "description": c.description,
                   "max_score": round_.max_scores[c.code], "score": check.scores.get(c.code),
                   "findings": check.findings.get(c.code, "")} for c in CRITERIA if c.code in round_.max_scores],
        "summary_id": summary,
    }


def _split(refused: Refused) -> Exception:
    """Only reasons of the data sent (each naming its field, or a character the document cannot print):
    422. Any reason of the state (the round over, a conclusion made, the report submitted): 409 with every
    reason."""
    if all(v.field or v.code.endswith(".unprintable") for v in refused.violations):
        return InputRefused(refused.violations)
    return refused


def etag(row: AcceptanceCheck | WorkReport) -> str:
    """A checklist's or a work report's version: its id and the instant of its last change."""
    return f'"{row.pk}-{int(row.updated_at.timestamp() * 1_000_000)}"'


def _precondition_failed():
    return changed_since_read(code="closing.changed", message="在您读取之后已有变动（如他人已保存或报送），请重新读取后再办理")


def _written(response: HttpResponse, row, if_match: str | None, write) -> bool:
    """`write()` in one transaction with the row locked, if it is still the version the client read
    (always without If-Match; a weak tag never matches). False when it is not."""
    with transaction.atomic():
        if if_match is not None:
            locked = type(row).objects.select_for_update().only("pk", "updated_at").get(pk=row.pk)
            tags = {tag.strip() for tag in if_match.split(",")}
            if "*" not in tags and etag(locked) not in tags:
                return False
        try:
            written = write()
        except Refused as refused:
            raise _split(refused) from None
    response["ETag"] = etag(written)
    return True


# --- acceptance ----------------------------------------------------------------------------------------------


@router.get("/acceptance/rounds/{year}", response=answers({200: AcceptanceYearOut}, 403))
def acceptance_round_get(request: HttpRequest, year: int = YEAR, result: ResultIn | None = RESULT):
    """本县司法局某年度的验收：评分项目及本轮分值、通过分数、各执法机关的验收结论及各结论的机关数；尚未开始时 round 为 null。
    只有本县司法局的监督人员可以查看（其他人 403）。"""
    _supervisor_require(request)
    return _year_out(request.user.agency, _year_check(year), result)


@router.post("/acceptance/rounds/{year}/actions/{action}", response=answers({200: AcceptanceYearOut}, 403, 404, 409))
def acceptance_round_act(request: HttpRequest, year: int = YEAR,
                         action: Literal["open", "close"] = Path(..., description="操作：open（开始验收）、close（结束验收）")):
    """开始该年度的验收（为本县每个执法机关建立验收清单，采用当日施行的分值和通过分数），或者结束验收（每个机关都已作出结论）。
    已经开始、年度尚未开始、本县没有执法机关、尚有机关未作出结论的，返回 409 并列出全部理由；结束尚未开始的验收返回 404。"""
    _supervisor_require(request)
    _year_check(year)
    bureau, on = request.user.agency, timezone.localdate()
    if action == "open":
        closing_services.acceptance_round_open(bureau=bureau, year=year, actor=request.user, on=on)
    else:
        round_ = closing_selectors.acceptance_round_get(bureau=bureau, year=year)
        if round_ is None:
            raise Http404
        closing_services.acceptance_round_close(round_=round_, actor=request.user, on=on)
    return _year_out(bureau, year)


@router.get("/acceptance/checks/{check_id}", response=answers({200: CheckDetailOut}, 404))
def acceptance_check_get(request: HttpRequest, response: HttpResponse, check_id: int = CHECK_ID):
    """一个执法机关的验收清单：各项的满分、得分和发现的问题，总分和结论，该机关该年度的工作总结；响应头 ETag 为其当前版本
    （评分时可放在 If-Match 中）。只有组织该轮验收的司法局的监督人员可以查看，其他人 404。"""
    check = closing_selectors.check_get(viewer=request.user, check_id=check_id)
    response["ETag"] = etag(check)
    return _check_detail(request, check)


@router.post("/acceptance/checks/{check_id}/actions/{action}",
             response=answers({200: CheckDetailOut}, 404, 409, 412))
def acceptance_check_score(
    request: HttpRequest, response: HttpResponse, payload: AcceptanceScoresIn, check_id: int = CHECK_ID,
    action: Literal["save", "conclude"] = Path(..., description="操作：save（保存评分）、conclude（保存并作出结论）"),
    if_match: str | None = IF_MATCH,
):
    """保存验收清单的评分（与验收页面的表单相同，给出的为全部评分），或者保存并作出结论（总分达到通过分数为通过）。
    得分不是数字或者超出满分、作出结论时有未评分的项目或者扣分未写明问题的，返回 422 并指明字段；已作出结论或者验收已结束的，
    返回 409 并列出全部理由。"""
    check = closing_selectors.check_get(viewer=request.user, check_id=check_id)
    data = payload.dict()
    scores = {c.code: "" if data.get(f"score_{c.code}") is None else str(data[f"score_{c.code}"]) for c in CRITERIA}
    findings = {c.code: data.get(f"findings_{c.code}") or "" for c in CRITERIA}
    if not _written(response, check, if_match, lambda: closing_services.acceptance_check_score(
            check=check, actor=request.user, on=timezone.localdate(), conclude=action == "conclude",
            scores=scores, findings=findings)):
        return _precondition_failed()
    return _check_detail(request, closing_selectors.check_get(viewer=request.user, check_id=check.pk))


# --- the work report ---------------------------------------------------------------------------------------------


def _report_out(bureau, year: int) -> tuple[WorkReport | None, dict]:
    report = closing_selectors.work_report_get(bureau=bureau, year=year)
    round_ = closing_selectors.acceptance_round_get(bureau=bureau, year=year)
    if report is not None:
        figures = report.figures
    else:
        figures = county_year_figures(
            bureau_id=bureau.pk, round_id=round_.pk if round_ else None,
            agency_ids=[a.pk for a in closing_services.county_agencies(bureau=bureau)], year=year,
            today=timezone.localdate())
    sections = report.sections if report else {}
    return report, {
        "year": year, "id": report.pk if report else None, "round_id": round_.pk if round_ else None,
        "round_closed": bool(round_ and round_.closed_on), "figures_on": report.figures_on if report else None,
        "submitted_on": report.submitted_on if report else None,
        "sections": [{"key": str(key), "label": label, "text": sections.get(str(key), "")}
                     for key, label in WORK_REPORT_SECTION_LABELS.items()],
        "figures": [{"key": f["key"], "group": f["group"], "label": f["label"], "value": str(f.get("value", "—")),
                     "count": f.get("count")} for f in figures],
        "checks": [_check(c) for c in closing_selectors.round_checks(round_=round_)] if round_ else [],
        "basis": WORK_REPORT_BASIS,
    }


@router.get("/work-reports/{year}", response=answers({200: WorkReportOut}, 403))
def work_report_get(request: HttpRequest, response: HttpResponse, year: int = YEAR):
    """本县某年度报送旗人民政府的工作报告：各部分内容、数据（已生成的为生成时的，报送后固定；尚未生成的为现在按记录计算的）
    和各机关的验收结论；已生成的响应头 ETag 为其当前版本（保存、报送时可放在 If-Match 中）。只有本县司法局的监督人员可以查看。"""
    _supervisor_require(request)
    report, out = _report_out(request.user.agency, _year_check(year))
    if report is not None:
        response["ETag"] = etag(report)
    return out


@router.post("/work-reports/{year}/actions/generate", response=answers({200: WorkReportOut}, 403, 409))
def work_report_generate(request: HttpRequest, response: HttpResponse, year: int = YEAR):
    """生成工作报告，或者按目前的记录重新生成其数据（已写的内容不变）。该年度的验收尚未结束、报告已经报送的，返回 409 并列出理由。"""
    _supervisor_require(request)
    _year_check(year)
    bureau = request.user.agency
    with transaction.atomic():
        try:
            report = closing_services.work_report_save(bureau=bureau, year=year, actor=request.user,
                                                       on=timezone.localdate())
        except Refused as refused:
            raise _split(refused) from None
    response["ETag"] = etag(report)
    return _report_out(bureau, year)[1]


def _sections_given(payload: Schema) -> dict[str, str]:
    return {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}


def _report_require(request: HttpRequest, year: int) -> WorkReport:
    _supervisor_require(request)
    report = closing_selectors.work_report_get(bureau=request.user.agency, year=_year_check(year))
    if report is None:
        raise Http404
    return report


@router.post("/work-reports/{year}/actions/save", response=answers({200: WorkReportOut}, 403, 404, 409, 412))
def work_report_save(request: HttpRequest, response: HttpResponse, payload: SectionsIn, year: int = YEAR,
                     if_match: str | None = IF_MATCH):
    """保存工作报告的各部分（只改所给的部分），数据按目前的记录更新。超过字数的返回 422 并指明字段；已报送的返回 409；
    尚未生成的返回 404。"""
    report = _report_require(request, year)
    if not _written(response, report, if_match, lambda: closing_services.work_report_save(
            bureau=request.user.agency, year=year, actor=request.user, on=timezone.localdate(),
            sections=_sections_given(payload), merge=True)):
        return _precondition_failed()
    return _report_out(request.user.agency, year)[1]


@router.post("/work-reports/{year}/actions/submit", response=answers({200: WorkReportOut}, 403, 404, 409, 412))
def work_report_submit(request: HttpRequest, response: HttpResponse, payload: SectionsIn, year: int = YEAR,
                       if_match: str | None = IF_MATCH):
    """报送旗人民政府：所给的部分与已保存的合并后报送，数据按当日的记录固定，此后不再修改。各部分未填、超过字数、
    含无法打印的字符的，返回 422 并指明字段及依据；已报送的返回 409；尚未生成的返回 404。"""
    report = _report_require(request, year)
    if not _written(response, report, if_match, lambda: closing_services.work_report_submit(
            report=report, actor=request.user, on=timezone.localdate(), sections=_sections_given(payload),
            merge=True)):
        return _precondition_failed()
    return _report_out(request.user.agency, year)[1]


@router.get("/work-reports/{year}/files/{fmt}", response=answers({}, 403, 404, 409),
            openapi_extra=binary_answer("application/pdf", DOCX, description="工作报告的 PDF 或 DOCX 文件"))
def work_report_file(request: HttpRequest, year: int = YEAR,
                     fmt: Literal["pdf", "docx"] = Path(..., description="格式：pdf 或 docx")):
    """工作报告的文件（PDF 或 DOCX），与工作报告页面下载的相同。尚未生成的返回 404；内容中有字体无法打印的字符的返回 409。"""
    report = _report_require(request, year)
    try:
        rendered = work_report_document(report=report)
    except ValueError:
        raise Refused([_unprintable_violation()]) from None
    body = rendered.pdf if fmt == "pdf" else rendered.docx
    return content_answer(body, filename=f"{rendered.filename_stem}.{fmt}",
                          content_type="application/pdf" if fmt == "pdf" else DOCX)


def _unprintable_violation() -> Violation:
    return Violation("closing.unprintable", "工作报告中有无法打印的字符，请修改后再下载", FORM_BASIS)


# --- the records behind a figure ----------------------------------------------------------------------------------


class ClosingRecordOut(Schema):
    kind: str = Field(..., description="monthly（工作月报）、annual（年度工作总结）或 acceptance（验收清单）")
    id: int = Field(..., description="月报、工作总结或验收清单的 id")
    agency_id: int
    agency_name: str
    year: int
    month: int | None = Field(..., description="月报的月份")
    status: str = Field(..., description="月报、工作总结的状态，或验收的结论（passed、failed，尚未作出为空字符串）")
    status_label: str
    due_on: dt.date | None = Field(..., description="月报、工作总结的报送期限")
    submitted_on: dt.date | None
    total: str | None = Field(..., description="验收总分")


class ClosingSessionOut(Schema):
    id: int = Field(..., description="培训的 id（GET /api/training/sessions/{session_id}）")
    organiser_id: int
    organiser_name: str
    topic: str
    held_on: dt.date
    hours: str = Field(..., description="学时（十进制数字的文字）")


class ClosingOfficerOut(Schema):
    officer_id: int
    name: str
    agency_id: int
    agency_name: str
    hours: str = Field(..., description="本年度参训学时")
    met: bool = Field(..., description="是否达到年度学时要求")


class ClosingRecordsOut(Schema):
    key: str
    label: str
    year: int
    records: list[ClosingRecordOut] = Field(..., description="工作月报、工作总结或验收清单的数据项（reports.*、summaries.*、"
                                            "acceptance.*）的记录；其他数据项为空列表")
    indicator_records: IndicatorRecordPageOut | None = Field(
        None, description="考核指标的数据项（indicator:指标代码）：该指标本年度分子的记录，与 GET /api/indicators/records"
        "（side=numerator、year）相同，分页（next_cursor 用于该接口的同样条件）；其他数据项为 null")
    training_sessions: list[ClosingSessionOut] | None = Field(
        None, description="training.sessions：执法机关本年度组织的培训；其他数据项为 null")
    training_officers: list[ClosingOfficerOut] | None = Field(
        None, description="training.officers、training.met：在岗执法人员或其中达到年度学时要求的；其他数据项为 null")


def _record(row) -> dict:
    if isinstance(row, AcceptanceCheck):
        result = AcceptanceResult(row.result) if row.result else None
        return {"kind": "acceptance", "id": row.pk, "agency_id": row.agency_id, "agency_name": row.agency.name,
                "year": row.round.year, "month": None, "status": row.result,
                "status_label": ACCEPTANCE_RESULT_LABELS[result] if result else "尚未作出结论",
                "due_on": None, "submitted_on": None, "total": str(row.total)}
    state = ReportState(row.state)
    return {"kind": "monthly" if isinstance(row, MonthlyReport) else "annual", "id": row.pk,
            "agency_id": row.agency_id, "agency_name": row.agency.name, "year": row.year,
            "month": row.month if isinstance(row, MonthlyReport) else None, "status": state.value,
            "status_label": REPORT_STATE_LABELS[state], "due_on": row.due_on, "submitted_on": row.submitted_on,
            "total": None}


def _hours_text(value) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _indicator_key_records(request: HttpRequest, code: str, year: int, agency: int | None, limit: int,
                           cursor: str | None) -> dict | None:
    if not user_reads_indicators(request.user):
        return None
    query = {"indicator": code, "side": NUMERATOR, "year": year, "limit": limit, **({"agency": agency} if agency else {})}
    return indicator_record_page(request=request, code=code, side=NUMERATOR, period=period_year(year),
                                 agency_id=agency, limit=limit, cursor=cursor, query=query)


def _training_key_records(request: HttpRequest, key: str, year: int, agency: int | None) -> dict | None:
    try:
        rows = closing_selectors.closing_training_rows(viewer=request.user, key=key, year=year, agency_id=agency)
    except ParameterMissing as missing:
        raise InputRefused([dataclasses.replace(missing.violation, field="year")]) from None
    if rows is None:
        return None
    if key == "training.sessions":
        return {"training_sessions": [{
            "id": s.pk, "organiser_id": s.organiser_id, "organiser_name": s.organiser.name, "topic": s.topic,
            "held_on": s.held_on, "hours": _hours_text(s.hours)} for s in rows]}
    return {"training_officers": [{
        "officer_id": o.officer_id, "name": o.name, "agency_id": o.agency_id, "agency_name": o.agency_name,
        "hours": _hours_text(o.hours), "met": o.met} for o in rows]}


@router.get("/closing/records", response=answers({200: ClosingRecordsOut}, 404))
def closing_records(
    request: HttpRequest,
    key: str = Query(..., max_length=120, description="数据项的键（见工作报告、工作总结的 figures[].key）"),
    year: int = Query(..., ge=2000, le=2100, description="年度"),
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="只看一个执法机关的"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """工作报告、工作总结中一项数据背后的记录（按现在的状态），与页面上点开该数字所见相同：工作月报、工作总结或验收清单
    （records），考核指标的记录（indicator_records，分页：limit、cursor），培训或执法人员（training_sessions、
    training_officers）。司法局监督人员为本县的，执法机关人员为本机关的（验收清单只向司法局提供，考核指标只向
    司法局监督人员和机关负责人提供）。不是这些页面的数据项或者无权查看的，返回 404。"""
    year = _year_check(year, "query")
    kind, _sep, code = key.partition(":")
    if kind == "indicator" and code in SOURCES:
        page = _indicator_key_records(request, code, year, agency, limit, cursor)
        if page is None:
            raise Http404
        return {"key": key, "label": page["indicator"]["name"], "year": year, "records": [], "indicator_records": page}
    if key in closing_selectors.TRAINING_KEYS:
        lists = _training_key_records(request, key, year, agency)
        if lists is None:
            raise Http404
        return {"key": key, "label": training_label(key, year), "year": year, "records": [], **lists}
    label = records_label(key)
    rows = (closing_selectors.closing_figure_rows(viewer=request.user, key=key, year=year,
                                                  agency_id=agency) if label else None)
    if rows is None:
        raise Http404
    return {"key": key, "label": label, "year": year, "records": [_record(r) for r in rows]}


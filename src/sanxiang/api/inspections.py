"""行政检查 through the API (issue 19 item 1): the inspections, listed and read as the inspection
pages show them. One inspection is read through the page's own gate
(`inspection_selectors.inspection_for_viewer`): the 司法局's supervisors (and system administrators) read every inspection of
their county, the agency's head and administrator those of their agency (or one it joined), an
officer those they were sent on; another county's, another agency's or another officer's inspection
is absent (404). The list narrows to the same readers by the same rule
(`inspection_selectors.inspections_visible`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from sanxiang.api.errors import InputRefused
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
from sanxiang.api.schemas import Id, PlausibleDate, answers
from sanxiang.inputs import ID_MAX
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection import register_selectors
from sanxiang.inspection.inspection_services import inspection_act
from sanxiang.inspection.models import DrawState, Inspection, InspectionSource, InspectionState, PlanState
from sanxiang.inspection.step_forms import ACTIONS, form_parse
from sanxiang.procedure.inspection import rules as r
from sanxiang.procedure.inspection.procedures import INSPECTION

router = Router(tags=["inspections"])

STATES = [(s.value, INSPECTION.state_label(s.value)) for s in InspectionState]
SOURCES = [(s.value, str(s.label)) for s in InspectionSource]
InspectionStatusIn = Literal[tuple(value for value, _ in STATES)]  # type: ignore[valid-type]
ORDERING = {"planned_from": ("planned_from", "计划检查日期"), "id": ("id", "派出先后")}
PLANNED = "计划检查日期（自）"
STATUS = Query(None, description=status_description(STATES))
TARGET = Query(None, min_length=1, max_length=18, pattern="^[0-9A-Za-z]+$",
               description="检查对象的统一社会信用代码（18位，完全相同）")
SINCE, UNTIL = since_query(PLANNED), until_query(PLANNED)


class InspectionOut(Schema):
    id: int
    agency_id: int = Field(..., description="组织检查的执法主体")
    agency_name: str
    target_name: str = Field(..., description="检查对象（市场主体名称）")
    target_credit_code: str = Field(..., description="检查对象的统一社会信用代码")
    source: str = Field(..., description=status_description(SOURCES, what="任务来源"))
    source_label: str
    status: str = Field(..., description=status_description(STATES))
    status_label: str
    planned_from: dt.date = Field(..., description="计划检查日期自")
    planned_to: dt.date = Field(..., description="计划检查日期至（检查码的有效期）")
    started_on: dt.date | None = Field(..., description="检查日期")
    finished_on: dt.date | None = Field(..., description="办结日期")
    code: str | None = Field(..., description="检查码（批准后生成）")
    result_outcome: str = Field(..., description="检查结果（未告知为空字符串）")
    published_on: dt.date | None = Field(..., description="结果公示日期")


class InspectionPageOut(PageOut):
    items: list[InspectionOut]


class ItemOut(Schema):
    id: int
    name: str = Field(..., description="检查事项")
    legal_basis: str = Field(..., description="检查依据")


class InspectorOut(Schema):
    id: int
    name: str
    agency_id: int


class CodeStateOut(Schema):
    code: str = Field(..., description="检查码")
    valid: bool = Field(..., description="今日是否有效（检查进行中、在计划期间内、未被拒绝追认）")
    state_label: str
    valid_from: dt.date
    valid_to: dt.date
    emergency_pending: bool = Field(..., description="紧急先行检查，尚待补办批准")
    emergency_refused: bool = Field(..., description="紧急先行检查，负责人不同意追认：检查码作废")


class ChecklistOut(Schema):
    item_id: int
    item: str = Field(..., description="检查事项")
    point: str = Field(..., description="检查内容")
    finding: str = Field(..., description=status_description(list(r.FINDINGS.items()), what="检查情况") + "；未填写为空字符串")
    finding_label: str
    note: str


class RecordOut(Schema):
    on: dt.date = Field(..., description="检查日期")
    officer_ids: list[int] = Field(..., description="在场的检查人员")
    certificates_shown: bool = Field(..., description="出示执法证件")
    enterprise_signed: bool = Field(..., description="检查对象签字确认")
    refusal_noted: bool = Field(..., description="检查对象拒绝签字，已在记录中注明")
    needs_testing: bool = Field(..., description="抽样送检测、检验、检疫或者鉴定")
    photos: int
    audio_video: int
    checklist: list[ChecklistOut]


class ResultOut(Schema):
    sent_on: dt.date = Field(..., description="告知检查结果日期")
    outcome: str = Field(..., description=status_description(list(r.OUTCOMES.items()), what="检查结果"))
    outcome_label: str
    findings: str = Field(..., description="发现的问题")
    test_results_on: dt.date | None = Field(..., description="取得检测结果的日期")
    rectification_due: dt.date | None = Field(..., description="整改期限")


class LinkedCaseOut(Schema):
    body_id: int = Field(..., description="立案查处的执法主体")
    body: str
    case_id: int


class InspectionDetailOut(InspectionOut):
    bodies: list[str] = Field(..., description="参加检查的执法主体（综合查一次为多个）")
    items: list[ItemOut]
    officers: list[InspectorOut] = Field(..., description="派出的检查人员")
    code_state: CodeStateOut | None = Field(..., description="检查码及其状态；未批准时为 null")
    record: RecordOut | None = Field(..., description="现场检查记录；未记录时为 null")
    result: ResultOut | None = Field(..., description="告知的检查结果；未告知时为 null")
    cases: list[LinkedCaseOut] = Field(..., description="据本次检查立案查处的案件")


def _out(inspection: Inspection) -> dict:
    return {
        "id": inspection.pk, "agency_id": inspection.agency_id, "agency_name": inspection.agency.name,
        "target_name": inspection.target.name, "target_credit_code": inspection.target.credit_code,
        "source": inspection.source, "source_label": inspection.get_source_display(),
        "status": inspection.state, "status_label": INSPECTION.state_label(inspection.state),
        "planned_from": inspection.planned_from, "planned_to": inspection.planned_to,
        "started_on": inspection.started_on, "finished_on": inspection.finished_on, "code": inspection.code,
        "result_outcome": inspection.result_outcome, "published_on": inspection.published_on,
    }


def _record_out(inspection: Inspection, record: r.InspectionRecord | None) -> dict | None:
    if record is None:
        return None
    names = {i.pk: i.name for i in inspection.items.all()}
    return {
        "on": record.on, "officer_ids": list(record.officer_ids), "certificates_shown": record.certificates_shown,
        "enterprise_signed": record.enterprise_signed, "refusal_noted": record.refusal_noted,
        "needs_testing": record.needs_testing, "photos": record.photos, "audio_video": record.audio_video,
        "checklist": [{"item_id": e.item_id, "item": names.get(e.item_id, ""), "point": e.point, "finding": e.finding,
                       "finding_label": r.FINDINGS.get(e.finding, "未填写"), "note": e.note} for e in record.checklist],
    }


def _result_out(result: r.ResultNotice | None) -> dict | None:
    if result is None:
        return None
    return {"sent_on": result.sent_on, "outcome": result.outcome, "outcome_label": r.OUTCOMES.get(result.outcome, ""),
            "findings": result.findings, "test_results_on": result.test_results_on,
            "rectification_due": result.rectification_due}


def _code_out(inspection: Inspection) -> dict | None:
    if not inspection.code:
        return None
    page = sel.inspection_code_page(code=inspection.code, on=timezone.localdate())
    if page is None:
        return None
    return {"code": page.code, "valid": page.valid, "state_label": page.state_label, "valid_from": page.valid_from,
            "valid_to": page.valid_to, "emergency_pending": page.emergency_pending,
            "emergency_refused": page.emergency_refused}


def _detail(inspection: Inspection) -> dict:
    snapshot = sel.inspection_snapshot(inspection)
    return _out(inspection) | {
        "bodies": [name for _, name in snapshot.body_names],
        "items": [{"id": i.pk, "name": i.name, "legal_basis": i.legal_basis} for i in inspection.items.all()],
        "officers": [{"id": o.pk, "name": o.name, "agency_id": o.agency_id} for o in inspection.officers.all()],
        "code_state": _code_out(inspection),
        "record": _record_out(inspection, snapshot.record),
        "result": _result_out(snapshot.result),
        "cases": [{"body_id": body_id, "body": snapshot.body_name(body_id), "case_id": case_id}
                  for body_id, case_id in snapshot.cases],
    }


def _readable(request: HttpRequest, inspection_id: int) -> Inspection:
    """The inspection as its page opens it; one the viewer may not see is absent (404), as another
    county's."""
    try:
        return sel.inspection_for_viewer(viewer=request.user, inspection_id=inspection_id)
    except PermissionDenied:
        raise Http404("没有这次检查") from None


def _actionable(request: HttpRequest, inspection_id: int) -> Inspection:
    """The inspection for a step or an upload: absent (404) as `_readable`; a reader of the county
    is refused (403)."""
    _readable(request, inspection_id)
    return sel.inspection_for_actor(actor=request.user, inspection_id=inspection_id)


@router.get("/inspections", response=answers({200: InspectionPageOut}))
def inspection_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="组织检查的执法主体"),
    status: InspectionStatusIn | None = STATUS,
    target: str | None = TARGET,
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    ordering: str = ordering_query(ORDERING, default="-planned_from"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """行政检查，默认按计划检查日期从新到旧，分页返回。司法局监督人员看到本县的全部检查，执法主体负责人和管理员看到本单位组织或参加的，
    执法人员看到派本人参加的。"""
    rows = sel.inspections_visible(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if status:
        rows = rows.filter(state=status)
    if target:
        rows = rows.filter(target__credit_code=target.upper())
    rows = date_range_filter(rows, field="planned_from", since=since, until=until)
    order = order_resolve(ordering, keys=ORDERING, default="-planned_from")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_out)


@router.get("/inspections/{inspection_id}", response=answers({200: InspectionDetailOut}, 404))
def inspection_get(request: HttpRequest, inspection_id: int = Path(..., ge=1, le=ID_MAX)):
    """一次行政检查：检查事项、检查人员、检查码及其状态、现场检查记录、检查结果、据此立案的案件。与检查页面相同的人可以查看；
    其他县、其他单位或未参加的检查返回 404。"""
    return _detail(_readable(request, inspection_id))


# --- The steps of an inspection, as the inspection page's forms take them ----------------------------

# Each step of the page (`inspection_views.ACTIONS`) with the procedure's label; the page's own
# words for the steps that are not transitions of the procedure (recorded on the inspection).
_PAGE_LABELS = {"inspection_offsite": "先行非现场检查", "inspection_approve_after": "负责人补办批准",
                "inspection_join": "本单位参加检查（综合查一次）", "inspection_case_open": "本单位登记案源（立案查处）"}
_TRANSITION_LABELS = {t.name: t.label for t in INSPECTION.transitions}
STEP_LABELS = {a: _TRANSITION_LABELS.get(a) or _PAGE_LABELS.get(a, a) for a in ACTIONS}
StepIn = Literal[tuple(STEP_LABELS)]  # type: ignore[valid-type]
STEP = Path(..., description=status_description(list(STEP_LABELS.items()), what="步骤"))


class ChecklistIn(Schema):
    item_id: int = Field(..., ge=1, le=ID_MAX, description="本次检查的检查事项")
    point: str = Field("", max_length=200, description="检查内容；不填为检查事项的名称")
    finding: str = Field("", max_length=20, description=status_description(list(r.FINDINGS.items()), what="检查情况"))
    note: str = Field("", max_length=500, description="备注")


class InspectionStepBody(Schema):
    """The fields of the page's forms, by the same names; each step reads those it needs."""

    approval: str = Field("", max_length=20, description="批准时：agree（同意）")
    reason: str = Field("", max_length=2000, description="批准、不予批准、补办批准时：理由")
    emergency_reason: str = Field("", max_length=2000, description="紧急情况先行检查时：紧急情况")
    method: str = Field("", max_length=20, description="非现场检查时：" + status_description(
        list(r.OFFSITE_METHODS.items()), what="方式"))
    offsite_on: PlausibleDate | None = Field(None, description="非现场检查时：检查日期")
    sufficient: bool = Field(False, description="非现场检查时：足以认定，无需现场检查")
    offsite_findings: str = Field("", max_length=2000, description="非现场检查时：核查情况")
    on: PlausibleDate | None = Field(None, description="现场检查记录：检查日期")
    officer_ids: list[Id] = Field([], max_length=50, description="现场检查记录：在场的检查人员（本次检查派出的）")
    certificates_shown: bool = Field(False, description="现场检查记录：出示执法证件")
    enterprise_signed: bool = Field(False, description="现场检查记录：检查对象签字确认")
    refusal_noted: bool = Field(False, description="现场检查记录：检查对象拒绝签字，已注明")
    needs_testing: bool = Field(False, description="现场检查记录：抽样送检")
    checklist: list[ChecklistIn] = Field([], max_length=200, description="现场检查记录：每个检查事项的检查情况")
    outcome: str = Field("", max_length=20, description="告知结果时：" + status_description(
        list(r.OUTCOMES.items()), what="检查结果"))
    findings: str = Field("", max_length=2000, description="告知结果时：发现的问题")
    sent_on: PlausibleDate | None = Field(None, description="告知结果时：告知日期")
    test_results_on: PlausibleDate | None = Field(None, description="告知结果时：取得检测结果的日期")
    rectification_due: PlausibleDate | None = Field(None, description="告知结果时：整改期限")
    join_items: list[Id] = Field([], max_length=50, description="参加检查时：本单位的检查事项")
    join_officers: list[Id] = Field([], max_length=50, description="参加检查时：本单位的检查人员")


def _as_form(body: InspectionStepBody) -> QueryDict:
    """The body as the page's form posts it, for the page's own parsing (`form_parse`)."""
    form = QueryDict(mutable=True)
    for name, value in body.dict().items():
        if name == "checklist":
            for entry in value:
                for key in ("point", "finding", "note"):
                    form[f"{key}_{entry['item_id']}"] = entry[key]
        elif isinstance(value, list):
            form.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                form[name] = "on"
        elif isinstance(value, dt.date):
            form[name] = value.isoformat()
        elif value is not None:
            form[name] = value
    return form


@router.post("/inspections/{inspection_id}/steps/{step}",
             response=answers({200: InspectionDetailOut}, 403, 404, 409))
def inspection_step(request: HttpRequest, payload: InspectionStepBody,
                    inspection_id: int = Path(..., ge=1, le=ID_MAX), step: StepIn = STEP):
    """办理行政检查的一步（批准、开始、记录、告知结果等），与检查页面的表单相同：由负责人或派出的检查人员办理，
    司法局监督人员只能查看（403）。字段不合格返回 422 并指明字段；依法不能办理（未经批准、证件无效、人数不足等）返回 409
    并列出全部理由及依据。"""
    inspection = _actionable(request, inspection_id)  # absent: 404; a reader of the county: 403
    data, problems = form_parse(step, _as_form(payload), inspection)
    if problems:
        raise InputRefused(problems)
    inspection_act(actor=request.user, inspection_id=inspection.pk, action=step, data=data)
    return _detail(sel.inspection_load(pk=inspection.pk))


# --- 检查计划 and 双随机抽查任务 (read), to whom the registers' pages show them -----------------------

PLAN_STATES = [(s.value, str(s.label)) for s in PlanState]
DRAW_STATES = [(s.value, str(s.label)) for s in DrawState]
PlanStatusIn = Literal[tuple(v for v, _ in PLAN_STATES)]  # type: ignore[valid-type]
DrawStatusIn = Literal[tuple(v for v, _ in DRAW_STATES)]  # type: ignore[valid-type]
PLAN_ORDERING = {"starts_on": ("starts_on", "实施期间自"), "id": ("id", "制定先后")}
DRAW_ORDERING = {"draw_on": ("draw_on", "抽取日"), "id": ("id", "创建先后")}
PLAN_STATUS = Query(None, description=status_description(PLAN_STATES))
DRAW_STATUS = Query(None, description=status_description(DRAW_STATES))
PLAN_SINCE, PLAN_UNTIL = since_query("实施期间自"), until_query("实施期间自")
DRAW_SINCE, DRAW_UNTIL = since_query("抽取日"), until_query("抽取日")


class PlanOut(Schema):
    id: int
    agency_id: int
    kind: str
    kind_label: str
    year: int = Field(..., description="年度")
    title: str
    status: str = Field(..., description=status_description(PLAN_STATES))
    status_label: str
    starts_on: dt.date = Field(..., description="实施期间自")
    ends_on: dt.date = Field(..., description="实施期间至")
    filing_due_on: dt.date | None = Field(..., description="备案期限")


class PlanPageOut(PageOut):
    items: list[PlanOut]


class DrawOut(Schema):
    id: int
    plan_id: int
    agency_id: int
    title: str
    status: str = Field(..., description=status_description(DRAW_STATES))
    status_label: str
    period_from: dt.date = Field(..., description="检查期间自")
    period_to: dt.date = Field(..., description="检查期间至")
    draw_on: dt.date = Field(..., description="抽取日")
    seed_commitment: str = Field(..., description="事先公布的随机种子摘要（SHA-256）")


class DrawPageOut(PageOut):
    items: list[DrawOut]


@router.get("/inspection-plans", response=answers({200: PlanPageOut}))
def inspection_plan_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="制定计划的执法主体"),
    status: PlanStatusIn | None = PLAN_STATUS,
    since: dt.date | None = PLAN_SINCE,
    until: dt.date | None = PLAN_UNTIL,
    ordering: str = ordering_query(PLAN_ORDERING, default="-starts_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """检查计划（年度计划、专项检查），默认按实施期间从新到旧，分页返回；与检查计划页面相同的人可以查看。"""
    rows = register_selectors.plans_for_reader(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="starts_on", since=since, until=until)
    order = order_resolve(ordering, keys=PLAN_ORDERING, default="-starts_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=lambda p: {
        "id": p.pk, "agency_id": p.agency_id, "kind": p.kind, "kind_label": p.get_kind_display(), "year": p.year,
        "title": p.title, "status": p.state, "status_label": p.get_state_display(), "starts_on": p.starts_on,
        "ends_on": p.ends_on, "filing_due_on": p.filing_due_on})


@router.get("/inspection-draws", response=answers({200: DrawPageOut}))
def inspection_draw_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法主体"),
    plan: int | None = Query(None, ge=1, le=ID_MAX, description="检查计划"),
    status: DrawStatusIn | None = DRAW_STATUS,
    since: dt.date | None = DRAW_SINCE,
    until: dt.date | None = DRAW_UNTIL,
    ordering: str = ordering_query(DRAW_ORDERING, default="-draw_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """双随机抽查任务，默认按抽取日从新到旧，分页返回；与抽查任务页面相同的人可以查看。"""
    rows = register_selectors.draws_for_reader(viewer=request.user)
    if agency is not None:
        rows = rows.filter(plan__agency_id=agency)
    if plan is not None:
        rows = rows.filter(plan_id=plan)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="draw_on", since=since, until=until)
    order = order_resolve(ordering, keys=DRAW_ORDERING, default="-draw_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=lambda d: {
        "id": d.pk, "plan_id": d.plan_id, "agency_id": d.plan.agency_id, "title": d.title, "status": d.state,
        "status_label": d.get_state_display(), "period_from": d.period_from, "period_to": d.period_to,
        "draw_on": d.draw_on, "seed_commitment": d.seed_commitment})

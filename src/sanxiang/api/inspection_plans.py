"""检查计划, 双随机抽查任务 and the 抽查事项清单 through the API (issue 19): listed, read and changed
as the registers', plan and task pages do it, through the same selectors and services. Who reads them: the agency's roles their
agency's, the county's supervisors every agency's of their county (`register_selectors.
plans_for_reader`, `draws_for_reader`); another agency's or county's plan or task is absent (404).

The writes are the pages' forms: a plan is drafted by the agency, approved by its head, filed
(备案) by the 司法局, published by the head (抽查计划公告 on the portal); a task is created under a
plan by the agency's head or administrator, its seed's digest published with the task notice
(任务公告), then drawn (the seed, the inputs and the result published). A field out of its rules is
422 naming it; a step the rules or the state do not allow is 409 with every reason; a role that may
not take it is 403."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
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
from sanxiang.api.registry import IF_MATCH, precondition_failed, row_etag, row_update_if_current
from sanxiang.api.schemas import Id, PlausibleDate, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.inspection import draw_services, plan_services, register_services
from sanxiang.inspection import register_selectors as selectors
from sanxiang.inspection.models import (
    CheckKind,
    DrawState,
    InspectionItem,
    InspectionPlan,
    PlanKind,
    PlanState,
    RandomInspection,
)
from sanxiang.inspection.register_permissions import (
    user_drafts_plans,
    user_is_head_of,
    user_keeps_registers,
    user_runs_draws,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.registry.models import Agency

router = Router(tags=["inspection-plans"])


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


def _plan_out(p: InspectionPlan) -> dict:
    return {"id": p.pk, "agency_id": p.agency_id, "kind": p.kind, "kind_label": p.get_kind_display(), "year": p.year,
            "title": p.title, "status": p.state, "status_label": p.get_state_display(), "starts_on": p.starts_on,
            "ends_on": p.ends_on, "filing_due_on": p.filing_due_on}


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


def _draw_out(d: RandomInspection) -> dict:
    return {"id": d.pk, "plan_id": d.plan_id, "agency_id": d.plan.agency_id, "title": d.title, "status": d.state,
            "status_label": d.get_state_display(), "period_from": d.period_from, "period_to": d.period_to,
            "draw_on": d.draw_on, "seed_commitment": d.seed_commitment}


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
    rows = selectors.plans_for_reader(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="starts_on", since=since, until=until)
    order = order_resolve(ordering, keys=PLAN_ORDERING, default="-starts_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_plan_out)


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
    rows = selectors.draws_for_reader(viewer=request.user)
    if agency is not None:
        rows = rows.filter(plan__agency_id=agency)
    if plan is not None:
        rows = rows.filter(plan_id=plan)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="draw_on", since=since, until=until)
    order = order_resolve(ordering, keys=DRAW_ORDERING, default="-draw_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_draw_out)


# --- One plan, one task ------------------------------------------------------------------------------


class PlanItemOut(Schema):
    id: int
    code: str = Field(..., description="事项编码")
    name: str = Field(..., description="抽查事项")
    legal_basis: str = Field(..., description="检查依据")


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut] = Field(..., description="列明的检查事项")
    scope: str = Field(..., description="检查对象范围")
    frequency: str = Field(..., description="检查频次")
    approval_authority: str = Field(..., description="批准机关（年度计划为本机关）")
    approval_reference: str = Field(..., description="批准文件文号（专项检查）")
    approved_at: dt.datetime | None
    filed_with: str = Field(..., description="备案机关")
    filing_reference: str = Field(..., description="备案编号")
    filed_at: dt.datetime | None
    published_at: dt.datetime | None
    notice: str = Field(..., description="抽查计划公告（公布后）")


class DrawnOut(Schema):
    inspection_id: int = Field(..., description="抽取后生成的检查")
    target_name: str
    target_credit_code: str
    officer_ids: list[int] = Field(..., description="抽取的检查人员")


class DrawDetailOut(DrawOut):
    items: list[PlanItemOut] = Field(..., description="抽查事项")
    committed_at: dt.datetime | None = Field(..., description="种子摘要公布时间")
    drawn_at: dt.datetime | None = Field(..., description="抽取时间")
    seed: str = Field(..., description="随机种子（抽取后公布；抽取前为空字符串）")
    public_inputs: dict = Field(..., description="公开的抽取输入（抽取后公布，任何人可据此重复抽取；抽取前为空对象）")
    drawn: list[DrawnOut] = Field(..., description="抽取结果（抽取前为空）")


def _items_out(items) -> list[dict]:
    return [{"id": i.pk, "code": i.code, "name": i.name, "legal_basis": i.legal_basis} for i in items]


def _plan_detail(plan: InspectionPlan) -> dict:
    return _plan_out(plan) | {
        "items": _items_out(plan.items.order_by("code", "pk")), "scope": plan.scope, "frequency": plan.frequency,
        "approval_authority": plan.approval_authority, "approval_reference": plan.approval_reference,
        "approved_at": plan.approved_at, "filed_with": plan.filed_with, "filing_reference": plan.filing_reference,
        "filed_at": plan.filed_at, "published_at": plan.published_at, "notice": plan.notice,
    }


def _draw_detail(task: RandomInspection) -> dict:
    drawn = task.state == DrawState.DRAWN
    return _draw_out(task) | {
        "items": _items_out(task.items.order_by("code", "pk")), "committed_at": task.committed_at,
        "drawn_at": task.drawn_at, "seed": task.seed if drawn else "",
        "public_inputs": task.public_inputs if drawn else {},
        "drawn": [{"inspection_id": row.inspection_id, "target_name": row.target.name,
                   "target_credit_code": row.target.credit_code, "officer_ids": [o.pk for o in row.officers]}
                  for row in selectors.draw_rows(task=task)],
    }


def _plan(request: HttpRequest, plan_id: int) -> InspectionPlan:
    """The plan as its page opens it (`plan_for_reader`); one the viewer may not read is absent
    (404), as in the list."""
    try:
        return selectors.plan_for_reader(viewer=request.user, plan_id=plan_id)
    except PermissionDenied:
        raise Http404("没有这个检查计划") from None


def _draw(request: HttpRequest, draw_id: int) -> RandomInspection:
    try:
        return selectors.draw_for_reader(viewer=request.user, draw_id=draw_id)
    except PermissionDenied:
        raise Http404("没有这个抽查任务") from None


def _refusal(refused: Refused, fields: set[str]) -> Exception:
    """A service's refusal: of the data sent (every reason names a field of the request) 422;
    otherwise (the state, the plan, the law) 409 with every reason."""
    if refused.violations and all(v.field in fields for v in refused.violations):
        return InputRefused(refused.violations)
    return refused


@router.get("/inspection-plans/{plan_id}", response=answers({200: PlanDetailOut}, 404))
def inspection_plan_get(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个检查计划：检查事项、检查对象范围、频次、批准、备案、公告。与检查计划页面相同的人可以查看；其他单位或其他县的返回 404。"""
    return _plan_detail(_plan(request, plan_id))


@router.get("/inspection-draws/{draw_id}", response=answers({200: DrawDetailOut}, 404))
def inspection_draw_get(request: HttpRequest, draw_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个双随机抽查任务：抽查事项、期间、种子摘要；抽取后还有随机种子、公开的抽取输入和抽取结果。与抽查任务页面相同的人可以查看。"""
    return _draw_detail(_draw(request, draw_id))


# --- Writes of plans ---------------------------------------------------------------------------------

PlanKindIn = Literal[tuple(PlanKind.values)]  # type: ignore[valid-type]


class PlanIn(Schema):
    agency_id: Id | None = Field(None, description="制定计划的执法主体；不填为本人所在的执法主体")
    kind: PlanKindIn = Field(..., description=status_description([(k.value, str(k.label)) for k in PlanKind],
                                                                  what="类别"))
    year: int = Field(..., ge=2000, le=2100, description="年度")
    title: Text(200) = Field(..., description="计划名称")
    item_ids: list[Id] = Field(..., min_length=1, max_length=200, description="列明的检查事项（本机关抽查事项清单中的有效事项）")
    scope: Text(2000, multiline=True) = Field(..., description="检查对象范围")
    frequency: Text(200) = Field(..., description="检查频次")
    starts_on: PlausibleDate = Field(..., description="实施期间自")
    ends_on: PlausibleDate = Field(..., description="实施期间至")
    approval_authority: Text(100) = Field("", description="批准机关（专项检查须填）")
    approval_reference: Text(100) = Field("", description="批准文件文号（专项检查须填）")


class PlanApproveIn(Schema):
    approval_authority: Text(100) = Field("", description="批准机关（专项检查须填，如县人民政府）")
    approval_reference: Text(100) = Field("", description="批准文件文号（专项检查须填）")


class PlanFileIn(Schema):
    filing_reference: Text(100) = Field(..., description="备案编号")


PLAN_FIELDS = {"kind", "year", "title", "items", "item_ids", "scope", "frequency", "starts_on", "ends_on",
               "approval_authority", "approval_reference"}


def _agency_of(request: HttpRequest, agency_id: int | None) -> Agency:
    user = request.user
    agency_id = agency_id or user.agency_id
    if agency_id is None:
        raise InputRefused([Violation("inspection.agency", "请指明执法主体", FORM_BASIS, "agency_id")])
    try:
        return selectors.agency_for_reader(viewer=user, agency_id=agency_id)
    except PermissionDenied:
        raise Http404("没有这个执法主体") from None


def _items_of(ids: list[int], rows, *, message: str, basis: str, field: str) -> list[InspectionItem]:
    """The items named, each of `rows` (the agency's active ones, the plan's); one that is not: 422."""
    ids = list(dict.fromkeys(ids))
    found = {i.pk: i for i in rows.filter(pk__in=ids)}
    if len(found) != len(ids):
        raise InputRefused([Violation("inspection.items_unknown", message, basis, field)])
    return [found[pk] for pk in ids]


@router.post("/inspection-plans", response=answers({201: PlanDetailOut}, 403, 404, 409))
def inspection_plan_create(request: HttpRequest, payload: PlanIn):
    """起草检查计划（年度检查计划或专项检查），与“起草检查计划”页面相同：由本机关人员起草，之后由负责人批准。
    字段不合格（事项不是本机关的有效事项、期间不合理、缺少检查对象范围或频次等）返回 422 并指明字段。"""
    agency = _agency_of(request, payload.agency_id)
    if not user_drafts_plans(request.user, agency.pk):
        raise PermissionDenied("只有本机关人员可以起草检查计划")
    items = _items_of(payload.item_ids, InspectionItem.objects.filter(agency=agency, is_active=True),
                      message="只能列入本机关抽查事项清单中的有效事项", basis=FORM_BASIS, field="item_ids")
    try:
        plan = plan_services.plan_draft(
            actor=request.user, agency=agency, kind=payload.kind, year=payload.year, title=payload.title,
            items=items, scope=payload.scope, frequency=payload.frequency, starts_on=payload.starts_on,
            ends_on=payload.ends_on, approval_authority=payload.approval_authority,
            approval_reference=payload.approval_reference)
    except Refused as refused:
        raise _refusal(refused, PLAN_FIELDS) from None
    return Status(201, _plan_detail(plan))


@router.post("/inspection-plans/{plan_id}/approve", response=answers({200: PlanDetailOut}, 403, 404, 409))
def inspection_plan_approve(request: HttpRequest, payload: PlanApproveIn,
                            plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """批准检查计划：由本机关负责人批准起草中的计划；专项检查须填批准机关和文号。其他人员 403；计划不是起草中或缺少批准信息返回 409 并列出理由。"""
    plan = _plan(request, plan_id)
    if not user_is_head_of(request.user, plan.agency_id):
        raise PermissionDenied("检查计划须由本机关负责人批准")
    plan = plan_services.plan_approve(actor=request.user, plan=plan, approval_authority=payload.approval_authority,
                                      approval_reference=payload.approval_reference)
    return _plan_detail(plan)


@router.post("/inspection-plans/{plan_id}/file", response=answers({200: PlanDetailOut}, 403, 404, 409))
def inspection_plan_file(request: HttpRequest, payload: PlanFileIn, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """登记检查计划的备案：由本县司法局监督人员登记已批准的计划。其他人员 403；计划未经批准返回 409；备案编号为空返回 422。"""
    plan = _plan(request, plan_id)
    try:
        plan = plan_services.plan_file(actor=request.user, plan=plan, filing_reference=payload.filing_reference)
    except Refused as refused:
        raise _refusal(refused, {"filing_reference"}) from None
    return _plan_detail(plan)


@router.post("/inspection-plans/{plan_id}/publish", response=answers({200: PlanDetailOut}, 403, 404, 409))
def inspection_plan_publish(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """公布检查计划（抽查计划公告，在门户网站公开）：由本机关负责人公布已备案的计划，公布后不能撤回。其他人员 403；
    计划未经批准和备案返回 409。"""
    plan = _plan(request, plan_id)
    return _plan_detail(plan_services.plan_publish(actor=request.user, plan=plan))


# --- Writes of 双随机 tasks ---------------------------------------------------------------------------


class DrawIn(Schema):
    title: Text(200) = Field(..., description="任务名称")
    item_ids: list[Id] = Field(..., min_length=1, max_length=200, description="抽查事项（本计划列明的）")
    period_from: PlausibleDate = Field(..., description="检查期间自（在计划的实施期间内）")
    period_to: PlausibleDate = Field(..., description="检查期间至")
    draw_on: PlausibleDate = Field(..., description="抽取日")


DRAW_FIELDS = {"title", "items", "item_ids", "period_from", "period_to", "draw_on"}


@router.post("/inspection-plans/{plan_id}/draws", response=answers({201: DrawDetailOut}, 403, 404, 409))
def inspection_draw_create(request: HttpRequest, payload: DrawIn, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """在检查计划下新建双随机抽查任务，与“新建双随机抽查任务”页面相同：由本机关负责人或单位管理员建立。
    其他人员 403；事项不是本计划的、期间不合理返回 422；计划尚未批准或抽取日不在实施期间内返回 409 并列出理由。"""
    plan = _plan(request, plan_id)
    if not user_runs_draws(request.user, plan.agency_id):
        raise PermissionDenied(draw_services.DRAW_REFUSED)
    items = _items_of(payload.item_ids, plan.items.all(), message="抽查事项须是检查计划列明的事项",
                      basis=FORM_BASIS, field="item_ids")
    try:
        task = draw_services.draw_create(actor=request.user, plan=plan, title=payload.title, items=items,
                                         period_from=payload.period_from, period_to=payload.period_to,
                                         draw_on=payload.draw_on)
    except Refused as refused:
        raise _refusal(refused, DRAW_FIELDS) from None
    return Status(201, _draw_detail(task))


@router.post("/inspection-draws/{draw_id}/commit", response=answers({200: DrawDetailOut}, 403, 404, 409))
def inspection_draw_commit(request: HttpRequest, draw_id: int = Path(..., ge=1, le=ID_MAX)):
    """公布随机种子摘要：冻结抽取输入（检查对象、执法人员名单、排除情况），生成随机种子，只随任务公告公布其 SHA-256 摘要。
    由本机关负责人或单位管理员办理；已公布过、计划不能实施或没有可抽取的对象和人员返回 409 并列出理由。"""
    task = _draw(request, draw_id)
    return _draw_detail(draw_services.draw_commit(actor=request.user, task=task))


@router.post("/inspection-draws/{draw_id}/draw", response=answers({200: DrawDetailOut}, 403, 404, 409))
def inspection_draw_run(request: HttpRequest, draw_id: int = Path(..., ge=1, le=ID_MAX)):
    """抽取：以公布过摘要的种子抽取检查对象和检查人员，生成检查，并公布种子、公开输入和结果（任何人可重复抽取核对）。
    由本机关负责人或单位管理员办理；尚未公布种子摘要或已抽取返回 409 并列出理由。"""
    task = _draw(request, draw_id)
    return _draw_detail(draw_services.draw_run(actor=request.user, task=task))


# --- The 抽查事项清单 (事前公开): listed (a plan names its items by these ids) and published ----------------

ITEM_ORDERING = {"code": ("code", "事项编码"), "id": ("id", "登记先后")}


class InspectionItemOut(PlanItemOut):
    agency_id: int
    check_kind: str = Field(..., description=status_description([(k.value, str(k.label)) for k in CheckKind],
                                                                 what="检查方式"))
    enforcement_field: str = Field(..., description="执法领域（检查人员须持有本领域的有效执法证）")
    offsite_first: bool = Field(..., description="先行非现场检查")
    is_active: bool = Field(..., description="有效（停用的不能列入计划，公开时撤下）")
    is_published: bool = Field(..., description="已列入公开的随机抽查事项清单")


class InspectionItemPageOut(PageOut):
    items: list[InspectionItemOut]


def _item_out(i: InspectionItem) -> dict:
    return {"id": i.pk, "agency_id": i.agency_id, "code": i.code, "name": i.name, "legal_basis": i.legal_basis,
            "check_kind": i.check_kind, "enforcement_field": i.enforcement_field, "offsite_first": i.offsite_first,
            "is_active": i.is_active, "is_published": i.is_published}


@router.get("/inspection-items", response=answers({200: InspectionItemPageOut}))
def inspection_item_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法主体"),
    active: bool | None = Query(None, description="true：只列有效的事项（可列入检查计划）；false：只列停用的"),
    ordering: str = ordering_query(ITEM_ORDERING, default="code"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """抽查事项清单，默认按事项编码排列，分页返回；与执法主体的行政检查页面相同的人可以查看。起草检查计划时 item_ids 取自这里。"""
    rows = selectors.items_for_reader(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if active is not None:
        rows = rows.filter(is_active=active)
    order = order_resolve(ordering, keys=ITEM_ORDERING, default="code")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_item_out)


class ItemsPublishIn(Schema):
    agency_id: Id | None = Field(None, description="执法主体；不填为本人所在的执法主体")


class ItemsPublishedOut(Schema):
    published: int = Field(..., description="公开的清单中的事项数（停用的已撤下）")


@router.post("/inspection-items/publish", response=answers({200: ItemsPublishedOut}, 403, 404, 409))
def inspection_items_publish(request: HttpRequest, payload: ItemsPublishIn):
    """公开随机抽查事项清单（事前公开，在门户网站），与执法主体页面的“公开清单”相同：由本机关负责人、单位管理员或系统管理员办理，
    有效的事项列入，停用的撤下。其他人员 403；没有有效事项返回 409。"""
    agency = _agency_of(request, payload.agency_id)
    count = register_services.items_publish(actor=request.user, agency=agency)
    return {"published": count}



# --- Writes of the 抽查事项清单: an item added or changed as the agency page's forms do it ------------

CheckKindIn = Literal[tuple(CheckKind.values)]  # type: ignore[valid-type]
CHECK_KIND = status_description([(k.value, str(k.label)) for k in CheckKind], what="检查方式")


class InspectionItemIn(Schema):
    agency_id: Id | None = Field(None, description="执法主体；不填为本人所在的执法主体")
    code: Text(40) = Field(..., description="事项编码（本机关清单中不得重复）")
    name: Text(200) = Field(..., description="抽查事项")
    legal_basis: Text(2000, multiline=True) = Field(..., description="检查依据")
    check_kind: CheckKindIn = Field(..., description=CHECK_KIND)
    enforcement_field: Text(60) = Field("", description="执法领域（检查人员须持有本领域的有效执法证）")
    offsite_first: bool = Field(False, description="先行非现场检查")


class InspectionItemPatchIn(Schema):
    code: Text(40) | None = Field(None, description="事项编码")
    name: Text(200) | None = Field(None, description="抽查事项")
    legal_basis: Text(2000, multiline=True) | None = Field(None, description="检查依据")
    check_kind: CheckKindIn | None = Field(None, description=CHECK_KIND)
    enforcement_field: Text(60) | None = Field(None, description="执法领域")
    offsite_first: bool | None = Field(None, description="先行非现场检查")
    is_active: bool | None = Field(None, description="有效；改为 false 即停用，已公开的立即从公开的清单中撤下")


def _item_answer(response: HttpResponse, item: InspectionItem) -> dict:
    response["ETag"] = row_etag(item)
    return _item_out(item)


def _item_keeper_check(request: HttpRequest, agency_id: int) -> None:
    if not user_keeps_registers(request.user, agency_id):
        raise PermissionDenied(register_services.REGISTER_REFUSED)


@router.post("/inspection-items", response=answers({201: InspectionItemOut}, 403, 404))
def inspection_item_create(request: HttpRequest, response: HttpResponse, payload: InspectionItemIn):
    """新增抽查事项，与执法主体行政检查页面的“新增抽查事项”相同：由本机关负责人、单位管理员或系统管理员办理，
    公开清单（POST /api/inspection-items/publish）后列入事前公开的随机抽查事项清单。其他人员 403；
    其他单位或其他县的执法主体 404；字段不合格或事项编码重复返回 422 并指明字段。响应头 ETag 为其当前版本。"""
    agency = _agency_of(request, payload.agency_id)
    _item_keeper_check(request, agency.pk)
    values = payload.dict()
    values.pop("agency_id")
    try:
        item = register_services.item_save(actor=request.user, agency=agency, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _item_answer(response, item))


def _item(request: HttpRequest, item_id: int) -> InspectionItem:
    try:
        return selectors.item_for_reader(viewer=request.user, item_id=item_id)
    except PermissionDenied:
        raise Http404("没有这个抽查事项") from None


@router.get("/inspection-items/{inspection_item_id}", response=answers({200: InspectionItemOut}, 404))
def inspection_item_get(request: HttpRequest, response: HttpResponse,
                        inspection_item_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个抽查事项；与执法主体的行政检查页面相同的人可以查看，其他单位或其他县的返回 404。响应头 ETag 为其当前版本。"""
    return _item_answer(response, _item(request, inspection_item_id))


@router.patch("/inspection-items/{inspection_item_id}", response=answers({200: InspectionItemOut}, 403, 404, 412))
def inspection_item_update(request: HttpRequest, response: HttpResponse, payload: InspectionItemPatchIn,
                           inspection_item_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改抽查事项，与“修改抽查事项”页面相同：只改所给的字段；is_active 改为 false 即停用，已公开的立即从公开的清单中撤下。
    由本机关负责人、单位管理员或系统管理员办理，其他人员 403；看不到的事项 404；字段不合格 422；
    带 If-Match 时，读取之后已被修改的返回 412。"""
    item = _item(request, inspection_item_id)
    _item_keeper_check(request, item.agency_id)
    changes = {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}
    saved = row_update_if_current(response, item, if_match, lambda: register_services.item_update(
        actor=request.user, item=item, **changes))
    if saved is None:
        return precondition_failed()
    return Status(200, _item_answer(response, saved))

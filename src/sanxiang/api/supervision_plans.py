"""The 司法局's annual supervision work plan (年度监督工作计划) through the API (issue 19), as its
pages: read by the bureau's supervisors (a system administrator reads all), drafted, filled with
items, approved by a second supervisor, published on the portal, and carried out by opening a
supervision matter from an item, all through supervision's plan services (in the ledger).
Handlers parse, call and render."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sanxiang.api.desk import desk_require
from sanxiang.api.errors import InputRefused
from sanxiang.api.files import content_answer
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    status_description,
)
from sanxiang.api.schemas import Id, Status, Text, answers, binary_answer
from sanxiang.documents.pdf import CharactersUnprintable
from sanxiang.documents.supervision_plans import plan_render_pdf
from sanxiang.inputs import ID_MAX, PLATFORM_RULE
from sanxiang.procedure.supervision.plans import (
    PLAN_ITEM_KIND_LABELS,
    PLAN_STATE_LABELS,
    PlanState,
    approval_violations,
    plan_publish_violations,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import instrument_selectors
from sanxiang.supervision import plan_selectors as selectors
from sanxiang.supervision import plan_services as services
from sanxiang.supervision.models import Plan

router = Router(tags=["supervision"])

PLAN_STATES = [(s.value, label) for s, label in PLAN_STATE_LABELS.items()]
PlanStatusIn = Literal[tuple(value for value, _ in PLAN_STATES)]  # type: ignore[valid-type]
ITEM_KINDS = [(k.value, label) for k, label in PLAN_ITEM_KIND_LABELS.items()]
ItemKindIn = Literal[tuple(value for value, _ in ITEM_KINDS)]  # type: ignore[valid-type]
PLAN_ORDERING = {"year": ("year", "年度"), "drafted_on": ("drafted_on", "起草日期"), "id": ("id", "起草先后")}
PLAN_STATUS = Query(None, description=status_description(PLAN_STATES))


class SupervisionPlanItemOut(Schema):
    id: int
    position: int = Field(..., description="序号")
    kind: str = Field(..., description=status_description(ITEM_KINDS, what="类别"))
    kind_label: str
    subject: str = Field(..., description="计划事项")
    description: str = Field(..., description="工作内容")
    all_agencies: bool = Field(..., description="全部执法机关")
    agency_ids: list[int] = Field(..., description="监督对象（全部执法机关时为本县的全部执法机关）")
    months: list[int] = Field(..., description="计划月份")
    supervisor_ids: list[int] = Field(..., description="负责的监督人员（用户 id）")
    matter_ids: list[int] = Field(..., description="据此登记的监督事项")
    matters_opened: int = Field(..., description="已登记的监督事项数")
    matters_closed: int = Field(..., description="其中已办结的")


class SupervisionPlanOut(Schema):
    id: int
    bureau_id: int
    year: int = Field(..., description="年度")
    title: str = Field(..., description="计划名称")
    objectives: str = Field(..., description="年度工作目标")
    status: str = Field(..., description=status_description(PLAN_STATES))
    status_label: str
    drafted_on: dt.date
    approved_on: dt.date | None
    published_on: dt.date | None


class SupervisionPlanDetailOut(SupervisionPlanOut):
    items: list[SupervisionPlanItemOut]
    approve_blockers: list[str] = Field(..., description="本人现在不能批准的全部理由（仅向本局监督人员列出草拟中的计划）")
    publish_blockers: list[str] = Field(..., description="现在不能公开的理由")


class SupervisionPlanPageOut(PageOut):
    items: list[SupervisionPlanOut]


def _plan_out(plan: Plan) -> dict:
    state = PlanState(plan.state)
    return {"id": plan.pk, "bureau_id": plan.bureau_id, "year": plan.year, "title": plan.title,
            "objectives": plan.objectives, "status": state.value, "status_label": PLAN_STATE_LABELS[state],
            "drafted_on": plan.drafted_on, "approved_on": plan.approved_on, "published_on": plan.published_on}


def _plan_detail(*, viewer, plan_id: int) -> dict:
    plan = selectors.plan_get(user=viewer, plan_id=plan_id)
    desk = selectors.user_is_supervisor(viewer)
    rows = selectors.plan_item_rows(plan=plan)
    blockers = approval_violations(
        what="plan", state=plan.state, drafted_by_id=plan.drafted_by_id, approver_id=viewer.pk,
        approver_may_approve=desk and viewer.agency_id == plan.bureau_id, empty=not rows,
    ) if desk and plan.state == PlanState.DRAFT else []
    return _plan_out(plan) | {
        "items": [{
            "id": r.item.pk, "position": r.item.position, "kind": r.item.kind, "kind_label": r.kind_label,
            "subject": r.item.subject, "description": r.item.description, "all_agencies": r.item.all_agencies,
            "agency_ids": [a.pk for a in r.agencies], "months": list(r.item.months),
            "supervisor_ids": sorted(u.pk for u in r.item.supervisors.all()),
            "matter_ids": [m.pk for m in r.matters], "matters_opened": r.progress.opened,
            "matters_closed": r.progress.closed,
        } for r in rows],
        "approve_blockers": [v.message for v in blockers],
        "publish_blockers": [v.message for v in plan_publish_violations(state=plan.state)],
    }


def _read_require(request: HttpRequest) -> None:
    if not selectors.user_may_read(request.user):
        raise PermissionDenied("只有司法局监督人员可以查看")


def _refused(refusal: Refused):
    """Bad input (every reason names a field): 422; a step the plan's state does not allow: 409,
    with every reason either way."""
    if all(v.field for v in refusal.violations):
        return InputRefused(refusal.violations)
    return refusal


@router.get("/supervision/plans", response=answers({200: SupervisionPlanPageOut}, 403))
def supervision_plan_list(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100, description="年度"),
    status: PlanStatusIn | None = PLAN_STATUS,
    ordering: str = ordering_query(PLAN_ORDERING, default="-year"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """年度监督工作计划，默认按年度从新到旧，分页返回；本局监督人员看到本局的，系统管理员看到全部，其他人 403。"""
    _read_require(request)
    rows = selectors.plans_visible(user=request.user)
    if year is not None:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(state=status)
    order = order_resolve(ordering, keys=PLAN_ORDERING, default="-year")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_plan_out)


@router.get("/supervision/plans/{plan_id}", response=answers({200: SupervisionPlanDetailOut}, 403, 404))
def supervision_plan_get(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份计划及其计划事项（含据此登记的监督事项和进度）、本人现在不能批准或公开的理由。"""
    _read_require(request)
    return _plan_detail(viewer=request.user, plan_id=plan_id)


PLAN_PDF = "application/pdf"


@router.get("/supervision/plans/{plan_id}/pdf", response=answers({}, 403, 404, 409),
            openapi_extra=binary_answer(PLAN_PDF, description="计划的 PDF"))
def supervision_plan_pdf(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """计划的 PDF（按当前内容生成；草拟中的不写批准情况），与计划页面相同；其他人 403。计划中有 PDF 无法显示的字符的，
    返回 409 并列出这些字符。"""
    _read_require(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        content = plan_render_pdf(selectors.plan_document_context(plan=plan))
    except CharactersUnprintable as unprintable:
        raise Refused([Violation("plan.pdf_unprintable", str(unprintable), PLATFORM_RULE)]) from None
    return content_answer(content, filename=f"{plan.title}.pdf", content_type=PLAN_PDF)


class SupervisionPlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年度（上一年至下一年）；每年一份")
    title: Text(200) = Field(..., min_length=1, description="计划名称")
    objectives: Text(20000, multiline=True) = Field(..., min_length=1, description="年度工作目标")


@router.post("/supervision/plans", response=answers({201: SupervisionPlanDetailOut}, 403))
def supervision_plan_new(request: HttpRequest, payload: SupervisionPlanIn):
    """本局监督人员起草年度监督工作计划，与计划页面相同，记入账本。名称、目标未填，年度不合理或已有计划的，
    返回 422 并指明字段及依据；其他人 403。"""
    desk_require(request)
    try:
        plan = services.plan_draft(actor=request.user, year=payload.year, title=payload.title,
                                   objectives=payload.objectives)
    except Refused as refusal:
        raise _refused(refusal) from None
    return Status(201, _plan_detail(viewer=request.user, plan_id=plan.pk))


class SupervisionPlanItemIn(Schema):
    kind: ItemKindIn = Field(..., description=status_description(ITEM_KINDS, what="类别"))
    subject: Text(200) = Field(..., min_length=1, description="计划事项")
    description: Text(5000, multiline=True) = Field("", description="工作内容（可不填）")
    all_agencies: bool = Field(False, description="全部执法机关")
    agency_ids: list[Id] = Field([], max_length=500, description="监督对象（本县的执法机关；全部执法机关时不填）")
    months: list[int] = Field(..., min_length=1, max_length=12, description="计划月份（1至12）")
    supervisor_ids: list[Id] = Field(..., min_length=1, max_length=100, description="负责的本局监督人员（用户 id）")


@router.post("/supervision/plans/{plan_id}/items", response=answers({201: SupervisionPlanDetailOut}, 403, 404, 409))
def supervision_plan_items(request: HttpRequest, payload: SupervisionPlanItemIn, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """在草拟中的计划上增加一个计划事项（本局监督人员），与计划页面相同，记入账本。字段不合格、机关不在本局监督范围内、
    不是本局监督人员的 422 并指明字段；计划已批准的 409。"""
    desk_require(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    bad_months = [m for m in payload.months if not 1 <= m <= 12]
    if bad_months:
        raise InputRefused([Violation("form.months", "计划月份应为1至12", FORM_BASIS, "months")])
    agencies = {a.pk: a for a in services.county_agencies(bureau=plan.bureau).filter(pk__in=payload.agency_ids)}
    supervisors = {u.pk: u for u in instrument_selectors.bureau_supervisors(bureau_id=plan.bureau_id)
                   .filter(pk__in=payload.supervisor_ids)}
    unknown = [Violation("form.agency", f"执法机关 {pk} 不在本局的监督范围内", FORM_BASIS, "agency_ids")
               for pk in dict.fromkeys(payload.agency_ids) if pk not in agencies]
    unknown += [Violation("form.supervisor", f"用户 {pk} 不是本局的监督人员", FORM_BASIS, "supervisor_ids")
                for pk in dict.fromkeys(payload.supervisor_ids) if pk not in supervisors]
    if unknown:
        raise InputRefused(unknown)
    try:
        services.plan_item_add(
            actor=request.user, plan=plan, kind=payload.kind, subject=payload.subject, description=payload.description,
            all_agencies=payload.all_agencies, agencies=list(agencies.values()), months=payload.months,
            supervisors=list(supervisors.values()))
    except Refused as refusal:
        raise _refused(refusal) from None
    return Status(201, _plan_detail(viewer=request.user, plan_id=plan.pk))


@router.post("/supervision/plans/{plan_id}/approve", response=answers({200: SupervisionPlanDetailOut}, 403, 404, 409))
def supervision_plan_approve(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """起草人以外的本局监督人员批准计划，此后可据计划事项登记监督事项。已批准、起草人本人、计划没有事项的，
    返回 409 并列出全部理由及依据。"""
    desk_require(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    services.plan_approve(actor=request.user, plan=plan)
    return _plan_detail(viewer=request.user, plan_id=plan.pk)


@router.post("/supervision/plans/{plan_id}/publish", response=answers({200: SupervisionPlanDetailOut}, 403, 404, 409))
def supervision_plan_publish(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)):
    """在门户网站公开已批准的计划（不可撤回）。尚未批准或已经公开的，返回 409 并说明理由。"""
    desk_require(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    services.plan_publish(actor=request.user, plan=plan)
    return _plan_detail(viewer=request.user, plan_id=plan.pk)


class SupervisionPlanItemMatterIn(Schema):
    agency_id: int = Field(..., ge=1, le=ID_MAX, description="监督事项的被监督机关（须为该计划事项的监督对象）")


class SupervisionPlanItemMatterOut(Schema):
    matter_id: int = Field(..., description="登记的监督事项")
    number: str = Field(..., description="监督事项编号")
    plan: SupervisionPlanDetailOut


@router.post("/supervision/plans/{plan_id}/items/{item_id}/matter",
             response=answers({201: SupervisionPlanItemMatterOut}, 403, 404, 409))
def supervision_plan_item_matter(request: HttpRequest, payload: SupervisionPlanItemMatterIn,
                                 plan_id: int = Path(..., ge=1, le=ID_MAX), item_id: int = Path(..., ge=1, le=ID_MAX)):
    """据计划事项登记监督事项（本局监督人员），与计划页面相同：重点监督登记为重点监督事项，其他为日常监督。
    机关不是本县执法机关的 422；计划尚未批准、机关不是该事项的监督对象的 409 并列出全部理由。"""
    desk_require(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    item = selectors.plan_item_get(plan=plan, item_id=item_id)
    agency = services.county_agencies(bureau=plan.bureau).filter(pk=payload.agency_id).first()
    if agency is None:
        raise InputRefused([Violation("form.agency", "请选择本县的执法机关", FORM_BASIS, "agency_id")])
    matter = services.plan_item_matter_open(actor=request.user, item=item, agency=agency)
    return Status(201, {"matter_id": matter.pk, "number": matter.number,
                        "plan": _plan_detail(viewer=request.user, plan_id=plan.pk)})

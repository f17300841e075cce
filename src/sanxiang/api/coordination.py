"""执法协调 through the API (issue 19): listed and read as the coordination pages show them (the
receiving bureau's supervisors, the requesting agency and the agency it names; a system administrator
all; any other agency 404), with the history and the steps the caller's side may take; raised by an
agency's head or administrator and moved on by the bureau or the agency, through
`coordination_services` (each step a row of the history and a ledger entry)."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
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
from sanxiang.api.schemas import PlausibleDate, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.supervision.coordination import (
    ACTIONS,
    COORDINATION_KIND_LABELS,
    COORDINATION_STATE_LABELS,
    CoordinationKind,
    CoordinationState,
    coordination_actions_open,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import coordination_selectors as selectors
from sanxiang.supervision import coordination_services as services
from sanxiang.supervision.models import Coordination

router = Router(tags=["coordination"])

KINDS = [(k.value, label) for k, label in COORDINATION_KIND_LABELS.items()]
STATES = [(s.value, label) for s, label in COORDINATION_STATE_LABELS.items()]
ACTION_CHOICES = [(name, spec.label) for name, spec in ACTIONS.items()]
KindIn = Literal[tuple(value for value, _ in KINDS)]  # type: ignore[valid-type]
StatusIn = Literal[tuple(value for value, _ in STATES)]  # type: ignore[valid-type]
ActionIn = Literal[tuple(value for value, _ in ACTION_CHOICES)]  # type: ignore[valid-type]
# Keys of fields that never change: a row whose key moved while a client pages (the day of its last
# step) would jump ahead of the cursor and never be listed.
COORDINATION_ORDERING = {"raised_on": ("raised_on", "提请日期"), "id": ("id", "提请先后")}
STATUS = Query(None, description=status_description(STATES))
KIND = Query(None, description=status_description(KINDS, what="类别"))
SINCE, UNTIL = since_query("提请日期"), until_query("提请日期")
ACTION = Path(..., description=status_description(ACTION_CHOICES, what="操作"))


class CoordinationOut(Schema):
    id: int
    bureau_id: int = Field(..., description="受理的司法局")
    agency_id: int = Field(..., description="提请机关")
    agency_name: str
    other_agency_id: int | None = Field(..., description="发生执法职责争议的机关（重大、复杂执法问题为 null）")
    other_agency_name: str
    kind: str = Field(..., description=status_description(KINDS, what="类别"))
    kind_label: str
    status: str = Field(..., description=status_description(STATES))
    status_label: str
    subject: str = Field(..., description="协调事项")
    raised_on: dt.date = Field(..., description="提请日期")
    updated_on: dt.date = Field(..., description="最近办理日期")


class CoordinationStepOut(Schema):
    action: str
    action_label: str
    on: dt.date
    actor_name: str
    text: str
    status_to: str


class CoordinationActionOut(Schema):
    action: str
    label: str
    required: list[str] = Field(..., description="该操作必填的字段")


class CoordinationDetailOut(CoordinationOut):
    description: str = Field(..., description="问题或者争议的情况")
    opinion: str = Field(..., description="协调意见")
    handling_opinion: str = Field(..., description="报请政府决定的处理意见")
    government_decision: str = Field(..., description="政府的决定")
    government_decided_on: dt.date | None
    steps: list[CoordinationStepOut] = Field(..., description="办理经过，从早到晚")
    actions: list[CoordinationActionOut] = Field(..., description="调用者一方当前可以办理的操作")


class CoordinationPageOut(PageOut):
    items: list[CoordinationOut]


class CoordinationIn(Schema):
    kind: KindIn = Field(..., description=status_description(KINDS, what="类别"))
    other_agency_id: int | None = Field(None, ge=1, le=ID_MAX,
                                        description="发生争议的机关（本县的其他执法机关）：执法职责争议须填，重大、复杂执法问题不填")
    subject: Text(200) = Field(..., min_length=1, description="协调事项")
    description: Text(5000, multiline=True) = Field(..., min_length=1, description="问题或者争议的情况")


class CoordinationActIn(Schema):
    text: Text(5000, multiline=True) = Field("", description="内容（不予受理的理由、需要补充的材料、协调意见等，除受理外必填）")
    decided_on: PlausibleDate | None = Field(None, description="记录政府的决定时必填：决定日期（不晚于今天）")


def _out(c: Coordination) -> dict:
    return {
        "id": c.pk, "bureau_id": c.bureau_id, "agency_id": c.agency_id, "agency_name": c.agency.name,
        "other_agency_id": c.other_agency_id, "other_agency_name": c.other_agency.name if c.other_agency_id else "",
        "kind": c.kind, "kind_label": COORDINATION_KIND_LABELS[CoordinationKind(c.kind)],
        "status": c.state, "status_label": COORDINATION_STATE_LABELS[CoordinationState(c.state)],
        "subject": c.subject, "raised_on": c.raised_on, "updated_on": c.updated_on,
    }


def _detail(request: HttpRequest, coordination_id: int) -> dict:
    c = selectors.coordination_get(viewer=request.user, coordination_id=coordination_id)
    side = services.coordination_side(coordination=c, user=request.user)
    return _out(c) | {
        "description": c.description, "opinion": c.opinion, "handling_opinion": c.handling_opinion,
        "government_decision": c.government_decision, "government_decided_on": c.government_decided_on,
        "steps": [{"action": s.action, "action_label": s.get_action_display(), "on": s.on, "actor_name": str(s.actor),
                   "text": s.text,
                   "status_to": s.state_to} for s in selectors.coordination_steps(coordination=c)],
        "actions": [{"action": a.name, "label": a.label, "required": [name for name, _ in a.required]}
                    for a in coordination_actions_open(state=c.state, side=side)],
    }


@router.get("/supervision/coordinations", response=answers({200: CoordinationPageOut}))
def supervision_coordination_list(
    request: HttpRequest,
    status: StatusIn | None = STATUS,
    kind: KindIn | None = KIND,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="提请机关"),
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    ordering: str = ordering_query(COORDINATION_ORDERING, default="-raised_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """执法协调，默认按提请日期从新到旧，分页返回，与协调列表页面相同：司法局监督人员看到提请本局的，执法机关人员看到本机关提请的
    和与本机关发生争议的，系统管理员看到全部。"""
    rows = selectors.coordinations_for(viewer=request.user)
    if status:
        rows = rows.filter(state=status)
    if kind:
        rows = rows.filter(kind=kind)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    rows = date_range_filter(rows, field="raised_on", since=since, until=until)
    order = order_resolve(ordering, keys=COORDINATION_ORDERING, default="-raised_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_out)


@router.get("/supervision/coordinations/{coordination_id}", response=answers({200: CoordinationDetailOut}, 404))
def supervision_coordination_get(request: HttpRequest, coordination_id: int = Path(..., ge=1, le=ID_MAX)):
    """一件执法协调：办理经过，以及调用者一方当前可以办理的操作（与协调页面相同）。看不到的 404。"""
    return _detail(request, coordination_id)


@router.post("/supervision/coordinations", response=answers({201: CoordinationDetailOut}, 403, 409))
def supervision_coordination_raise(request: HttpRequest, payload: CoordinationIn):
    """执法机关负责人或者管理员提请本县司法局协调，与提请协调页面相同。发生争议的机关不是本县其他执法机关、执法职责争议未写明
    争议机关等只涉及所填内容的，返回 422 并指明字段及依据；本县尚未登记司法局的，返回 409 并列出全部理由及依据；其他人 403。"""
    user = request.user
    if user.role not in services.RAISING_ROLES or user.agency_id is None:
        raise PermissionDenied("只有执法机关负责人或者管理员可以提请协调")
    other = None
    if payload.other_agency_id is not None:
        other = selectors.agencies_in_county(agency=user.agency).filter(pk=payload.other_agency_id).first()
        if other is None:
            raise InputRefused([Violation("form.other_agency", "没有这个执法机关（须为本县的其他执法机关）", FORM_BASIS,
                                          "other_agency_id")])
    try:
        c = services.coordination_raise(actor=user, kind=payload.kind, subject=payload.subject,
                                        description=payload.description, other_agency=other, on=timezone.localdate())
    except Refused as refused:
        violations = [Violation(v.code, v.message, v.legal_basis, "other_agency_id") if v.field == "other_agency" else v
                      for v in refused.violations]
        if all(v.field for v in violations):  # only what the request wrote: 422 by field, as for a malformed one
            raise InputRefused(violations) from None
        raise Refused(violations) from None
    return Status(201, _detail(request, c.pk))


@router.post("/supervision/coordinations/{coordination_id}/actions/{action}",
             response=answers({200: CoordinationDetailOut}, 403, 404, 409))
def supervision_coordination_act(request: HttpRequest, payload: CoordinationActIn,
                                 coordination_id: int = Path(..., ge=1, le=ID_MAX),
                                 action: ActionIn = ACTION):
    """办理一步执法协调，与协调页面相同：司法局监督人员受理、不予受理、要求补充材料、记录协调会、出具协调意见、报请政府决定、
    记录政府的决定；提请机关的负责人或者管理员补充材料。既不是受理的司法局监督人员、也不是提请机关负责人或者管理员的 403；
    只缺必填内容的返回 422 并指明字段；当前状态不能办理、不是该方办理、监督证件无效等，返回 409 并列出全部理由及依据。"""
    c = selectors.coordination_get(viewer=request.user, coordination_id=coordination_id)
    if services.coordination_side(coordination=c, user=request.user) is None:
        raise PermissionDenied("只有受理的司法局监督人员或者提请机关的负责人、管理员可以办理")
    data = {"text": payload.text, "decided_on": payload.decided_on}
    try:
        services.coordination_act(coordination=c, actor=request.user, action=action, data=data, on=timezone.localdate())
    except Refused as refused:
        if all(v.field for v in refused.violations):
            raise InputRefused(refused.violations) from None
        raise
    return _detail(request, c.pk)

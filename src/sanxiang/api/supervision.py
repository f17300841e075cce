"""监督事项 through the API (issue 19 item 1): the 司法局's supervision matters as the desk
`/staff/supervision/` lists them, to whom the desk shows them (a supervisor their bureau's, an
agency's users those about their agency, a system administrator all), with the same rule for a
complaint's summary in the complainant's words (shown to the supervisors only).

监督文书 (instruments): listed and read as the instrument pages show them (the bureau's
supervisors theirs, an agency's staff those served on it); issued and moved on by the bureau's
supervisors, in pairs, through supervision's instrument services (numbered, rendered, in the ledger)."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.accounts.models import Role
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
from sanxiang.api.schemas import Id, PlausibleDate, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.supervision.instruments import (
    ACTION_LABELS,
    INSTRUMENT_KIND_LABELS,
    INSTRUMENT_STATE_LABELS,
    SUPERVISOR_ACTIONS,
    InstrumentAction,
    InstrumentKind,
    InstrumentState,
    is_overdue,
)
from sanxiang.procedure.supervision.matters import (
    CLOSE_REASON_LABELS,
    MARK_LABELS,
    MATTER_ACTION_LABELS,
    MATTER_STATE_LABELS,
    CloseReason,
    MatterAction,
    MatterMark,
    MatterState,
)
from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS, matter_summary_shown
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import instrument_selectors, selectors
from sanxiang.supervision.instrument_services import instrument_act, instrument_issue
from sanxiang.supervision.models import Instrument, Matter
from sanxiang.supervision.services import (
    matter_accept,
    matter_close,
    matter_conclude,
    matter_mark_set,
    matter_merge,
    matter_pair_assign,
    matter_transfer,
)

router = Router(tags=["supervision"])


class SupervisionMatterOut(Schema):
    id: int
    number: str
    bureau_id: int
    agency_id: int | None
    officer_id: int | None
    source: str
    source_label: str
    state: str
    state_label: str
    subject: str
    summary: str = Field(..., description="基本情况；来源于群众来信来访的，仅向监督人员提供，其他人为空字符串")
    received_on: dt.date
    transfer_due_on: dt.date | None
    ended_on: dt.date | None
    listed: bool = Field(..., description="挂牌督办")
    escalated: bool = Field(..., description="提级监督")
    outcome: str = Field(..., description="办理结果")


class SupervisionMatterPageOut(PageOut):
    items: list[SupervisionMatterOut]


def _matter_out(matter: Matter, *, viewer) -> dict:
    supervisor = selectors.user_is_county_supervisor(viewer, matter.bureau_id)
    shown = matter_summary_shown(source=matter.source, viewer_is_supervisor=supervisor)
    state = MatterState(matter.state)
    return {
        "id": matter.pk, "number": matter.number, "bureau_id": matter.bureau_id, "agency_id": matter.agency_id,
        "officer_id": matter.officer_id, "source": matter.source,
        "source_label": MATTER_SOURCE_LABELS.get(matter.source, matter.source), "state": state.value,
        "state_label": MATTER_STATE_LABELS[state], "subject": matter.subject, "summary": matter.summary if shown else "",
        "received_on": matter.received_on, "transfer_due_on": matter.transfer_due_on, "ended_on": matter.ended_on,
        "listed": matter.listed, "escalated": matter.escalated, "outcome": matter.outcome,
    }


MatterStatusIn = Literal[tuple(s.value for s in MATTER_STATE_LABELS)]  # type: ignore[valid-type]
MatterSourceIn = Literal[tuple(s.value for s in MATTER_SOURCE_LABELS)]  # type: ignore[valid-type]
MATTER_STATUS_DESCRIPTION = status_description([(s.value, label) for s, label in MATTER_STATE_LABELS.items()])
MATTER_ORDERING = {"received_on": ("received_on", "收到日期"), "number": ("number", "编号"), "id": ("id", "登记先后")}
RECEIVED = "收到日期"
STATUS = Query(None, description=MATTER_STATUS_DESCRIPTION)
STATE = Query(None, deprecated=True, description="已弃用，请用 status（下一版本移除）")
SOURCE = Query(None, description=status_description([(s.value, label) for s, label in MATTER_SOURCE_LABELS.items()],
                                                     what="来源"))
SINCE, UNTIL = since_query(RECEIVED), until_query(RECEIVED)


@router.get("/supervision/matters", response=answers({200: SupervisionMatterPageOut}))
def supervision_matter_list(
    request: HttpRequest,
    status: MatterStatusIn | None = STATUS,
    state: MatterStatusIn | None = STATE,
    source: MatterSourceIn | None = SOURCE,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="被监督的执法机关"),
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    ordering: str = ordering_query(MATTER_ORDERING, default="-received_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """监督事项，默认按收到日期从新到旧，分页返回。"""
    filters = selectors.DeskFilters(state=status or state or "", source=source or "", agency=agency)
    matters = selectors.matters_desk(viewer=request.user, filters=filters, today=dt.date.today())
    matters = date_range_filter(matters, field="received_on", since=since, until=until)
    order = order_resolve(ordering, keys=MATTER_ORDERING, default="-received_on")
    return paginate(request, matters, order=order, limit=limit, cursor=cursor,
                    item=lambda m: _matter_out(m, viewer=request.user))


@router.get("/supervision/matters/{matter_id}", response=answers({200: SupervisionMatterOut}, 404))
def supervision_matter_get(request: HttpRequest, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    return _matter_out(selectors.matter_get(viewer=request.user, matter_id=matter_id), viewer=request.user)



# --- The desk's moves on a matter (issue 19 item 1): as the matter page's forms call supervision's services.

MATTER_MOVES = [(a.value, MATTER_ACTION_LABELS[a]) for a in (
    MatterAction.ACCEPT, MatterAction.MERGE, MatterAction.TRANSFER, MatterAction.CLOSE, MatterAction.CONCLUDE,
    MatterAction.MARK)]
MatterMoveIn = Literal[tuple(value for value, _ in MATTER_MOVES)]  # type: ignore[valid-type]
CloseReasonIn = Literal[tuple(r.value for r in CloseReason)]  # type: ignore[valid-type]
MarkIn = Literal[tuple(m.value for m in MatterMark)]  # type: ignore[valid-type]
MATTER_MOVE = Path(..., description=status_description(MATTER_MOVES, what="操作"))
# What each move requires besides the matter (the page's forms ask the same).
MOVE_REQUIRES = {MatterAction.MERGE: ("into_id",), MatterAction.TRANSFER: ("to_body",),
                 MatterAction.CLOSE: ("reason",), MatterAction.CONCLUDE: ("outcome",),
                 MatterAction.MARK: ("mark", "mark_reason")}


class MatterMoveBody(Schema):
    reason: CloseReasonIn | None = Field(None, description="不予监督时：原因，" + status_description(
        [(r.value, label) for r, label in CLOSE_REASON_LABELS.items()], what="原因"))
    outcome: Text(20000, multiline=True) = Field("", description="办结时必填：办理结果；移送、不予监督时可填说明")
    to_body: Text(200) = Field("", description="移送时必填：移送的机关")
    into_id: int | None = Field(None, ge=1, le=ID_MAX, description="并案时必填：并入的本局另一件尚未结束的监督事项")
    mark: MarkIn | None = Field(None, description="挂牌督办、提级监督时必填：" + status_description(
        [(m.value, label) for m, label in MARK_LABELS.items()], what="标记"))
    value: bool = Field(True, description="挂牌督办、提级监督时：设置（true）或者取消（false）")
    mark_reason: Text(2000, multiline=True) = Field("", description="挂牌督办、提级监督时必填：理由")


class MatterPairIn(Schema):
    user_ids: list[Id] = Field(..., min_length=1, max_length=20,
                                description="承办的本局监督人员（用户 id），须两名以上、持有效监督证件、未回避")


def _desk_matter(request: HttpRequest, matter_id: int) -> Matter:
    """The matter for a move: one the caller may see (404 otherwise), moved by its bureau's supervisors only (403)."""
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    if not selectors.user_is_county_supervisor(request.user, matter.bureau_id):
        raise PermissionDenied("只有本司法局的监督人员可以办理监督事项")
    return matter


def _required_missing(move: MatterAction, payload: MatterMoveBody) -> list[Violation]:
    labels = {"into_id": "并入的监督事项", "to_body": "移送的机关", "reason": "不予监督的原因", "outcome": "办理结果",
              "mark": "挂牌督办或者提级监督", "mark_reason": "理由"}
    missing = []
    for name in MOVE_REQUIRES.get(move, ()):
        value = getattr(payload, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(Violation("form.required", f"请填写{labels[name]}", FORM_BASIS, name))
    return missing


@router.post("/supervision/matters/{matter_id}/actions/{action}",
             response=answers({200: SupervisionMatterOut}, 403, 404, 409))
def supervision_matter_act(request: HttpRequest, payload: MatterMoveBody,
                           matter_id: int = Path(..., ge=1, le=ID_MAX), action: MatterMoveIn = MATTER_MOVE):
    """本司法局监督人员办理监督事项：受理、并案、移送、不予监督并结束、办结、挂牌督办或提级监督，与监督事项页面相同。
    该操作所需的字段未填或取值不对，返回 422 并指明字段；当前状态不能办理、本人不是承办人员、持证人数不足等，返回 409 并列出全部理由及依据。"""
    matter = _desk_matter(request, matter_id)
    move = MatterAction(action)
    missing = _required_missing(move, payload)
    into = None
    if move == MatterAction.MERGE and payload.into_id is not None:
        into = selectors.matters_visible(viewer=request.user).filter(pk=payload.into_id).first()
        if into is None:
            missing.append(Violation("form.into", "没有这件监督事项", FORM_BASIS, "into_id"))
    if missing:
        raise InputRefused(missing)
    actor = request.user
    if move == MatterAction.ACCEPT:
        matter = matter_accept(matter=matter, actor=actor)
    elif move == MatterAction.MERGE:
        matter = matter_merge(matter=matter, into=into, actor=actor)
    elif move == MatterAction.TRANSFER:
        matter = matter_transfer(matter=matter, to_body=payload.to_body, outcome=payload.outcome, actor=actor)
    elif move == MatterAction.CLOSE:
        matter = matter_close(matter=matter, reason=payload.reason, outcome=payload.outcome, actor=actor)
    elif move == MatterAction.CONCLUDE:
        matter = matter_conclude(matter=matter, outcome=payload.outcome, actor=actor)
    else:
        matter = matter_mark_set(matter=matter, mark=payload.mark, value=payload.value, reason=payload.mark_reason,
                                 actor=actor)
    return _matter_out(selectors.matter_get(viewer=actor, matter_id=matter.pk), viewer=actor)


@router.post("/supervision/matters/{matter_id}/pair", response=answers({200: SupervisionMatterOut}, 403, 404, 409))
def supervision_matter_pair(request: HttpRequest, payload: MatterPairIn, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    """指派承办人员（本司法局监督人员）：须两名以上本局监督人员，各持有效监督证件、未回避。不是本局在职监督人员的 id 返回 422；
    事项已结束、持证人数不足等，返回 409 并列出全部理由及依据。"""
    matter = _desk_matter(request, matter_id)
    ids = list(dict.fromkeys(payload.user_ids))
    users = list(instrument_selectors.bureau_supervisors(bureau_id=matter.bureau_id).filter(pk__in=ids))
    if len(users) != len(ids):
        raise InputRefused([Violation("form.user_ids", "请在本局在职的监督人员中选择", FORM_BASIS, "user_ids")])
    matter_pair_assign(matter=matter, users=users, actor=request.user)
    return _matter_out(selectors.matter_get(viewer=request.user, matter_id=matter.pk), viewer=request.user)


# --- 监督文书 (instruments): 督办函、意见书、建议书、提请决定书 ------------------------------------------

INSTRUMENT_KINDS = [(k.value, label) for k, label in INSTRUMENT_KIND_LABELS.items()]
INSTRUMENT_STATES = [(s.value, label) for s, label in INSTRUMENT_STATE_LABELS.items()]
DESK_ACTIONS = [(a.value, ACTION_LABELS[a]) for a in InstrumentAction if a in SUPERVISOR_ACTIONS]
InstrumentKindIn = Literal[tuple(value for value, _ in INSTRUMENT_KINDS)]  # type: ignore[valid-type]
InstrumentStatusIn = Literal[tuple(value for value, _ in INSTRUMENT_STATES)]  # type: ignore[valid-type]
DeskActionIn = Literal[tuple(value for value, _ in DESK_ACTIONS)]  # type: ignore[valid-type]
INSTRUMENT_ORDERING = {"issued_on": ("issued_on", "签发日期"), "id": ("id", "制发先后")}
INSTRUMENT_KIND = Query(None, description=status_description(INSTRUMENT_KINDS, what="文书种类"))
INSTRUMENT_STATUS = Query(None, description=status_description(INSTRUMENT_STATES))
ISSUED_SINCE, ISSUED_UNTIL = since_query("签发日期"), until_query("签发日期")
DESK_ACTION = Path(..., description=status_description(DESK_ACTIONS, what="操作"))


class InstrumentStepOut(Schema):
    action: str
    label: str
    state_before: str
    state_after: str
    text: str = Field(..., description="整改报告、异议、退回理由、复查意见或决定内容")
    on: dt.date


class ActionChoiceOut(Schema):
    action: str
    label: str


class InstrumentOut(Schema):
    id: int
    number: str = Field(..., description="文号")
    kind: str = Field(..., description=status_description(INSTRUMENT_KINDS, what="文书种类"))
    kind_label: str
    status: str = Field(..., description=status_description(INSTRUMENT_STATES))
    status_label: str
    matter_id: int = Field(..., description="所属监督事项")
    bureau_id: int = Field(..., description="制发的司法局")
    agency_id: int = Field(..., description="被监督机关")
    findings: str = Field(..., description="发现的问题")
    required_actions: str = Field(..., description="要求")
    issued_on: dt.date = Field(..., description="签发日期")
    served_on: dt.date | None = Field(..., description="送达日期（提请决定书在政府作出决定后）")
    due_on: dt.date | None = Field(..., description="当前的答复或复查期限")
    due_basis: str = Field(..., description="期限的依据")
    objection_deadline: dt.date | None = Field(..., description="提出异议的期限")
    overdue: bool = Field(..., description="已过期限仍未答复")
    decision_number: str = Field(..., description="政府作出的决定书文号（提请决定书）")
    decision_on: dt.date | None
    decision_content: str
    source_id: int | None = Field(..., description="提请决定书所依据的文书")


class InstrumentDetailOut(InstrumentOut):
    supervisors: list[str] = Field(..., description="共同制发的监督人员")
    steps: list[InstrumentStepOut] = Field(..., description="答复和办理的经过，最早的在前")
    desk_actions: list[ActionChoiceOut] = Field(..., description="本人（本局监督人员）现在可以办理的操作")
    agency_actions: list[ActionChoiceOut] = Field(..., description="本人（被监督机关人员）现在可以办理的操作（在页面上办理）")


class InstrumentPageOut(PageOut):
    items: list[InstrumentOut]


def _instrument_out(instrument: Instrument, *, today: dt.date) -> dict:
    state = InstrumentState(instrument.state)
    return {
        "id": instrument.pk, "number": instrument.number, "kind": instrument.kind,
        "kind_label": INSTRUMENT_KIND_LABELS[InstrumentKind(instrument.kind)], "status": state.value,
        "status_label": INSTRUMENT_STATE_LABELS[state], "matter_id": instrument.matter_id,
        "bureau_id": instrument.bureau_id, "agency_id": instrument.agency_id, "findings": instrument.findings,
        "required_actions": instrument.required_actions, "issued_on": instrument.issued_on,
        "served_on": instrument.served_on, "due_on": instrument.due_on, "due_basis": instrument.due_basis,
        "objection_deadline": instrument.objection_deadline,
        "overdue": is_overdue(due_on=instrument.due_on, state=instrument.state, on=today),
        "decision_number": instrument.decision_number, "decision_on": instrument.decision_on,
        "decision_content": instrument.decision_content, "source_id": instrument.source_id,
    }


def _instrument_detail(*, viewer, instrument_id: int) -> dict:
    today = timezone.localdate()
    page = instrument_selectors.instrument_page(user=viewer, instrument_id=instrument_id, on=today)
    return _instrument_out(page.instrument, today=today) | {
        "supervisors": [str(user) for user in page.supervisors],
        "steps": [{"action": step.action, "label": label, "state_before": step.state_before,
                   "state_after": step.state_after, "text": step.text, "on": step.on} for step, label in page.step_labels],
        "desk_actions": [{"action": a, "label": label} for a, label in page.desk_actions],
        "agency_actions": [{"action": a, "label": label} for a, label in page.agency_actions],
    }


@router.get("/supervision/instruments", response=answers({200: InstrumentPageOut}, 403))
def supervision_instrument_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="被监督机关"),
    matter: int | None = Query(None, ge=1, le=ID_MAX, description="监督事项"),
    kind: InstrumentKindIn | None = INSTRUMENT_KIND,
    status: InstrumentStatusIn | None = INSTRUMENT_STATUS,
    since: dt.date | None = ISSUED_SINCE,
    until: dt.date | None = ISSUED_UNTIL,
    ordering: str = ordering_query(INSTRUMENT_ORDERING, default="-issued_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """监督文书（督办函、意见书、建议书、提请决定书），默认按签发日期从新到旧，分页返回。司法局监督人员看到本局制发的，
    执法机关人员看到送达本机关的（提请决定书在政府作出决定之后），系统管理员看到全部。"""
    user = request.user
    if not (instrument_selectors.user_is_supervisor(user) or instrument_selectors.user_is_agency_staff(user)
            or user.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied("无权查看监督文书")
    rows = instrument_selectors.instruments_visible(user=user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if matter is not None:
        rows = rows.filter(matter_id=matter)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="issued_on", since=since, until=until)
    order = order_resolve(ordering, keys=INSTRUMENT_ORDERING, default="-issued_on")
    today = timezone.localdate()
    return paginate(request, rows, order=order, limit=limit, cursor=cursor,
                    item=lambda i: _instrument_out(i, today=today))


@router.get("/supervision/instruments/{instrument_id}", response=answers({200: InstrumentDetailOut}, 404))
def supervision_instrument_get(request: HttpRequest, instrument_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份监督文书，及其答复和办理的经过、本人现在可以办理的操作；每次查阅记入查阅日志，与页面相同。"""
    detail = _instrument_detail(viewer=request.user, instrument_id=instrument_id)
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision_instrument", detail["id"], f"{detail['kind_label']} {detail['number']}", agency_id=detail["agency_id"]))
    return detail


class InstrumentIn(Schema):
    matter_id: int = Field(..., ge=1, le=ID_MAX, description="本局的监督事项（须已确定被监督机关）")
    kind: InstrumentKindIn = Field(..., description=status_description(INSTRUMENT_KINDS, what="文书种类"))
    findings: Text(20000, multiline=True) = Field(..., description="发现的问题")
    required_actions: Text(20000, multiline=True) = Field("", description="要求；不填则用该文书的标准要求")
    second_supervisor_id: int | None = Field(
        None, ge=1, le=ID_MAX, description="共同制发的本局另一名持证监督人员（用户 id）：监督文书须由两名以上监督人员共同制发")


class InstrumentActionIn(Schema):
    text: Text(20000, multiline=True) = Field("", description="退回理由、复查意见或决定内容（按操作要求填写）")
    second_supervisor_id: int | None = Field(None, ge=1, le=ID_MAX, description="共同办理的本局另一名持证监督人员（用户 id）")
    decision_number: Text(80) = Field("", description="登记政府作出的决定书时：决定书文号")
    decision_on: PlausibleDate | None = Field(None, description="登记政府作出的决定书时：作出日期")


def _desk_pair(request: HttpRequest, *, bureau_id: int, second_id: int | None) -> list:
    """The caller and the colleague named (if of the same bureau and active): the pair the service
    judges (a colleague not found leaves the caller alone, which the service refuses with its reason)."""
    second = None
    if second_id is not None:
        second = (instrument_selectors.bureau_supervisors(bureau_id=bureau_id).exclude(pk=request.user.pk)
                  .filter(pk=second_id).first())
    return [request.user] + ([second] if second else [])


def _desk_require(request: HttpRequest) -> None:
    if not instrument_selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以制发和办理监督文书")


@router.post("/supervision/instruments", response=answers({201: InstrumentDetailOut}, 403, 404))
def supervision_instrument_issue(request: HttpRequest, payload: InstrumentIn):
    """制发监督文书（本局监督人员，两人共同制发）：在平台送达被监督机关，编号，生成 PDF 和 DOCX，记入账本。
    提请决定书只提请，由政府作出后登记。持证人数不足、证件失效、须回避、事项未确定被监督机关等，返回 422 并列出全部理由及依据。"""
    _desk_require(request)
    matter = instrument_selectors.matter_for_desk(user=request.user, matter_id=payload.matter_id)
    supervisors = _desk_pair(request, bureau_id=matter.bureau_id, second_id=payload.second_supervisor_id)
    try:
        instrument = instrument_issue(actor=request.user, matter=matter, kind=payload.kind, findings=payload.findings,
                                      required_actions=payload.required_actions, supervisors=supervisors)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _instrument_detail(viewer=request.user, instrument_id=instrument.pk))


@router.post("/supervision/instruments/{instrument_id}/actions/{action}",
             response=answers({200: InstrumentDetailOut}, 403, 404, 409))
def supervision_instrument_act(request: HttpRequest, payload: InstrumentActionIn,
                               instrument_id: int = Path(..., ge=1, le=ID_MAX),
                               action: DeskActionIn = DESK_ACTION):
    """监督人员办理监督文书（两人共同办理）：认可整改、退回重新报告、提请作出监督决定书、复查维持或撤回、登记政府作出的决定书。
    当前状态不能办理、理由未填、持证人数不足等，返回 409 并列出全部理由及依据。被监督机关的整改报告和异议在页面上办理。"""
    _desk_require(request)
    instrument = instrument_selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    supervisors = _desk_pair(request, bureau_id=instrument.bureau_id, second_id=payload.second_supervisor_id)
    instrument_act(actor=request.user, instrument=instrument, action=action, text=payload.text,
                   supervisors=supervisors, decision_number=payload.decision_number, decision_on=payload.decision_on)
    return _instrument_detail(viewer=request.user, instrument_id=instrument.pk)

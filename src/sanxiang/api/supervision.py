"""监督事项 through the API (issue 19 item 1): the 司法局's supervision matters as the desk
`/staff/supervision/` lists them, to whom the desk shows them (a supervisor their bureau's, an
agency's users those about their agency, a system administrator all), with the same rule for a
complaint's summary in the complainant's words (shown to the supervisors only).

监督文书 (instruments): listed and read as the instrument pages show them (the bureau's
supervisors theirs, an agency's staff those served on it); issued and moved on by the bureau's
supervisors, in pairs, through supervision's instrument services (numbered, rendered, in the ledger)."""

import dataclasses
import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Path, Query, Router, Schema, UploadedFile

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.accounts.models import Role
from sanxiang.api.desk import desk_pair, desk_require
from sanxiang.api.errors import InputRefused
from sanxiang.api.files import file_answer
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
from sanxiang.api.schemas import Id, PlausibleDate, Status, Text, answers, binary_answer
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.supervision.filings import (
    FILING_KIND_LABELS,
    FILING_STATE_LABELS,
    FilingKind,
    FilingState,
)
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
    DISPUTE_LABELS,
    MARK_LABELS,
    MATTER_ACTION_LABELS,
    MATTER_STATE_LABELS,
    MEASURE_BASES,
    MEASURE_LABELS,
    CloseReason,
    Dispute,
    MatterAction,
    MatterMark,
    MatterState,
    MeasureKind,
)
from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS, matter_summary_shown
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.registry import selectors as registry_selectors
from sanxiang.supervision import filing_selectors, filing_services, instrument_selectors, selectors
from sanxiang.supervision.forms import OPENED_AT_THE_DESK
from sanxiang.supervision.instrument_services import instrument_act, instrument_issue
from sanxiang.supervision.models import Instrument, Matter
from sanxiang.supervision.services import (
    matter_accept,
    matter_close,
    matter_conclude,
    matter_mark_set,
    matter_merge,
    matter_open,
    matter_pair_assign,
    matter_supervisor_recuse,
    matter_transfer,
    measure_record,
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



# --- Registering a matter (登记), as the desk's 登记监督事项 page --------------------------------------

DESK_SOURCES = [(value, label) for value, label in OPENED_AT_THE_DESK]
DeskSourceIn = Literal[tuple(value for value, _ in DESK_SOURCES)]  # type: ignore[valid-type]
DisputeIn = Literal[tuple(d.value for d in Dispute)]  # type: ignore[valid-type]


class MatterOpenIn(Schema):
    source: DeskSourceIn = Field(..., description=status_description(DESK_SOURCES, what="来源") +
                                 "（群众投诉举报、平台预警由平台登记）")
    agency_id: int | None = Field(None, ge=1, le=ID_MAX, description="被监督机关（本司法局监督范围内的执法机关）；可暂不指明")
    subject: Text(200) = Field(..., min_length=1, description="事由")
    summary: Text(4000, multiline=True) = Field("", description="基本情况")
    received_on: PlausibleDate = Field(..., description="收到日期（不晚于今天）")
    assigning_body: Text(120) = Field("", description="交办（部署）机关（上级交办的须填）")
    assigning_reference: Text(80) = Field("", description="交办文号")
    dispute: DisputeIn = Field("", description=status_description(
        [(d.value, label) for d, label in DISPUTE_LABELS.items()], what="是否已进入行政复议或者行政诉讼"))


@router.post("/supervision/matters", response=answers({201: SupervisionMatterOut}, 403))
def supervision_matter_open(request: HttpRequest, payload: MatterOpenIn):
    """司法局监督人员登记监督事项（本局），与监督台的登记页面相同：编号、计算移送期限、记入账本。来源、日期、交办机关不合规定，
    被监督机关不在本局监督范围内的，返回 422 并指明字段及依据；司法局监督人员以外的 403。"""
    user = request.user
    if not instrument_selectors.user_is_supervisor(user):
        raise PermissionDenied("只有司法局的监督人员可以登记监督事项")
    agency = None
    if payload.agency_id is not None:
        agency = registry_selectors.agency_list(viewer=user, search="").filter(pk=payload.agency_id).first()
        if agency is None:
            raise InputRefused([Violation("form.agency", "没有这个执法机关", FORM_BASIS, "agency_id")])
    if not payload.subject.strip():
        raise InputRefused([Violation("form.required", "请填写事由", FORM_BASIS, "subject")])
    try:
        matter = matter_open(bureau=user.agency, source=payload.source, subject=payload.subject, summary=payload.summary,
                             received_on=payload.received_on, agency=agency, actor=user,
                             assigning_body=payload.assigning_body, assigning_reference=payload.assigning_reference,
                             dispute=payload.dispute)
    except Refused as refused:
        raise InputRefused([Violation(v.code, v.message, v.legal_basis, "agency_id") if v.field == "agency" else v
                            for v in refused.violations]) from None
    return Status(201, _matter_out(selectors.matter_get(viewer=user, matter_id=matter.pk), viewer=user))


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


# --- Measures (监督措施) and recusal (回避) on a matter, as the matter page's forms ----------------------

MeasureKindIn = Literal[tuple(k.value for k in MeasureKind)]  # type: ignore[valid-type]
MEASURE_KINDS = [(k.value, label) for k, label in MEASURE_LABELS.items()]
# The fields of a measure's body: a refusal naming one of them is the input's (422), any other the matter's (409).
MEASURE_FIELDS = {"kind", "taken_on", "summary", "reply_on", "attendees", "record", "cases", "grant_until"}


class MeasureIn(Schema):
    kind: MeasureKindIn = Field(..., description=status_description(MEASURE_KINDS, what="监督措施"))
    taken_on: PlausibleDate = Field(..., description="采取措施的日期（不晚于今天）")
    summary: Text(4000, multiline=True) = Field("", description="内容和发现的情况")
    reply_on: PlausibleDate | None = Field(None, description="责令自查时必填：报告自查情况的日期")
    attendees: Text(300) = Field("", description="约谈时必填：被约谈人和参加人员")
    record: Text(8000, multiline=True) = Field("", description="约谈时必填：约谈记录")
    case_ids: list[Id] = Field([], max_length=200, description="调阅案卷时必填：调阅的被监督机关的案件（案件 id）；其他措施不得填写")
    grant_until: dt.datetime | None = Field(None, description="调阅案卷时：调阅截止时间（不填按平台参数规定的期限 supervision.read_grant_days，不得超过该期限；不带时区的时间按北京时间理解）；其他措施不得填写")


class MeasureOut(Schema):
    id: int
    matter_id: int
    kind: str = Field(..., description=status_description(MEASURE_KINDS, what="监督措施"))
    kind_label: str
    legal_basis: str = Field(..., description="该措施的依据")
    taken_on: dt.date
    summary: str
    reply_on: dt.date | None
    attendees: str
    record: str
    case_ids: list[int] = Field(..., description="调阅的案件")
    grant_until: dt.datetime | None = Field(..., description="调阅授权的截止时间")


class RecusalIn(Schema):
    user_id: Id = Field(..., description="回避的监督人员（用户 id）：本人申请，或者由本事项的其他承办监督人员决定")
    reason: Text(200) = Field(..., min_length=1, description="回避原因")


class RecusalOut(Schema):
    matter_id: int
    user_id: int
    recused: bool
    declared: bool = Field(..., description="本人申请回避（false 为其他承办监督人员决定）")
    reason: str
    recused_on: dt.date | None


@router.post("/supervision/matters/{matter_id}/measures", response=answers({201: MeasureOut}, 403, 404, 409))
def supervision_matter_measure(request: HttpRequest, payload: MeasureIn, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    """承办的监督人员记录一项监督措施（责令自查、实地检查、调查询问、暗访、统计分析、评估、调阅案卷、约谈），与监督事项页面相同；
    调阅案卷时，承办人员在期限内可以查阅所调阅的案件。该措施所需的内容未填、日期不合理、案件不属于被监督机关的，返回 422 并指明字段；
    事项当前状态不能采取措施、本人不是承办人员、持证人数不足等，返回 409 并列出全部理由及依据。"""
    matter = _desk_matter(request, matter_id)
    ids = list(dict.fromkeys(payload.case_ids))
    cases = selectors.matter_agency_cases(matter=matter, case_ids=ids)
    if len(cases) != len(ids):
        raise InputRefused([Violation("form.case_ids", "请在被监督机关的案件中选择", FORM_BASIS, "case_ids")])
    try:
        measure = measure_record(matter=matter, actor=request.user, kind=payload.kind, taken_on=payload.taken_on,
                                 summary=payload.summary, reply_on=payload.reply_on, attendees=payload.attendees,
                                 record=payload.record, cases=cases, grant_until=payload.grant_until)
    except Refused as refused:
        violations = [Violation(v.code, v.message, v.legal_basis, "case_ids") if v.field == "cases" else v
                      for v in refused.violations]
        if any(v.field in MEASURE_FIELDS | {"case_ids"} for v in violations):
            raise InputRefused(violations) from None
        raise Refused(violations) from None
    grant = measure.read_grants.order_by("-expires_at").first()
    return Status(201, {
        "id": measure.pk, "matter_id": matter.pk, "kind": measure.kind,
        "kind_label": MEASURE_LABELS[MeasureKind(measure.kind)], "legal_basis": MEASURE_BASES[MeasureKind(measure.kind)],
        "taken_on": measure.taken_on, "summary": measure.summary, "reply_on": measure.reply_on,
        "attendees": measure.attendees, "record": measure.record, "case_ids": [c.pk for c in cases],
        "grant_until": grant.expires_at if grant else None,
    })


@router.post("/supervision/matters/{matter_id}/recusals", response=answers({200: RecusalOut}, 403, 404, 409))
def supervision_matter_recuse(request: HttpRequest, payload: RecusalIn, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    """回避：承办的监督人员本人申请，或者由本事项的其他承办监督人员决定，与监督事项页面相同；回避后该人员不能再办理本事项。
    不是本事项承办人员的 id 返回 422；已回避、办理人无权决定的，返回 409 并列出全部理由及依据。"""
    matter = _desk_matter(request, matter_id)
    if not payload.reason.strip():
        raise InputRefused([Violation("form.required", "请写明回避原因", FORM_BASIS, "reason")])
    user = matter.pair.filter(user_id=payload.user_id).select_related("user").first()
    if user is None:
        raise InputRefused([Violation("form.user_id", "请在本事项的承办监督人员中选择", FORM_BASIS, "user_id")])
    try:
        row = matter_supervisor_recuse(matter=matter, user=user.user, reason=payload.reason, actor=request.user)
    except Refused as refused:
        raise Refused([Violation(v.code, v.message, v.legal_basis, "user_id") if v.field == "user" else v
                       for v in refused.violations]) from None
    return {"matter_id": matter.pk, "user_id": row.user_id, "recused": row.recused, "declared": row.recusal_declared,
            "reason": row.recusal_reason, "recused_on": row.recused_on}


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


class InstrumentAttachmentOut(Schema):
    id: int = Field(..., description="附件（下载：GET /api/supervision/instruments/{instrument_id}/attachments/{id}）")
    name: str = Field(..., description="文件名")
    content_type: str
    size: int = Field(..., description="字节数")
    sha256: str


class InstrumentStepOut(Schema):
    action: str
    label: str
    state_before: str
    state_after: str
    text: str = Field(..., description="整改报告、异议、退回理由、复查意见或决定内容")
    on: dt.date
    files: list[InstrumentAttachmentOut] = Field(..., description="整改报告附上的证明材料")


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
    has_pdf: bool = Field(..., description="文书的 PDF 已生成（GET …/pdf）")
    has_docx: bool = Field(..., description="文书的 Word 文本已生成（GET …/docx）")
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
    agency_actions: list[ActionChoiceOut] = Field(..., description="本人（被监督机关人员）现在可以办理的操作（POST …/actions/report 或 …/actions/object）")


class InstrumentPageOut(PageOut):
    items: list[InstrumentOut]


def _instrument_out(instrument: Instrument, *, today: dt.date) -> dict:
    state = InstrumentState(instrument.state)
    return {
        "id": instrument.pk, "number": instrument.number, "kind": instrument.kind,
        "kind_label": INSTRUMENT_KIND_LABELS[InstrumentKind(instrument.kind)], "status": state.value,
        "status_label": INSTRUMENT_STATE_LABELS[state], "matter_id": instrument.matter_id,
        "bureau_id": instrument.bureau_id, "agency_id": instrument.agency_id, "findings": instrument.findings,
        "required_actions": instrument.required_actions, "has_pdf": instrument.pdf_id is not None,
        "has_docx": instrument.docx_id is not None, "issued_on": instrument.issued_on,
        "served_on": instrument.served_on, "due_on": instrument.due_on, "due_basis": instrument.due_basis,
        "objection_deadline": instrument.objection_deadline,
        "overdue": is_overdue(due_on=instrument.due_on, state=instrument.state, on=today),
        "decision_number": instrument.decision_number, "decision_on": instrument.decision_on,
        "decision_content": instrument.decision_content, "source_id": instrument.source_id,
    }


def _attachment_out(record) -> dict:
    stored = record.stored_file
    return {"id": record.pk, "name": record.original_name, "content_type": stored.content_type, "size": stored.size,
            "sha256": stored.sha256}


def _instrument_detail(*, viewer, instrument_id: int) -> dict:
    today = timezone.localdate()
    page = instrument_selectors.instrument_page(user=viewer, instrument_id=instrument_id, on=today)
    return _instrument_out(page.instrument, today=today) | {
        "supervisors": [str(user) for user in page.supervisors],
        "steps": [{"action": step.action, "label": label, "state_before": step.state_before,
                   "state_after": step.state_after, "text": step.text, "on": step.on,
                   "files": [_attachment_out(r) for r in sorted(step.files.all(), key=lambda r: r.pk)]} for step, label in page.step_labels],
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


INSTRUMENT_PDF = "application/pdf"
INSTRUMENT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _instrument_file(request: HttpRequest, *, instrument_id: int, fmt: str):
    instrument = instrument_selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    record = instrument.pdf if fmt == "pdf" else instrument.docx
    if record is None:
        raise Http404("没有这个文件")
    kind = INSTRUMENT_KIND_LABELS[InstrumentKind(instrument.kind)]
    label = f"{kind} {instrument.number}"
    return file_answer(request, record=record, filename=f"{kind}_{instrument.number}.{fmt}",
                       content_type=INSTRUMENT_PDF if fmt == "pdf" else INSTRUMENT_DOCX,
                       target=AccessTarget("supervision_instrument", instrument.pk, label, agency_id=instrument.agency_id))


@router.get("/supervision/instruments/{instrument_id}/pdf", response=answers({}, 404),
            openapi_extra=binary_answer(INSTRUMENT_PDF, description="监督文书的 PDF"))
def supervision_instrument_pdf(request: HttpRequest, instrument_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载监督文书的 PDF，与文书页面相同（能查看该文书的人员），记入访问日志。"""
    return _instrument_file(request, instrument_id=instrument_id, fmt="pdf")


@router.get("/supervision/instruments/{instrument_id}/docx", response=answers({}, 404),
            openapi_extra=binary_answer(INSTRUMENT_DOCX, description="监督文书的 Word 文本"))
def supervision_instrument_docx(request: HttpRequest, instrument_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载监督文书的 Word 文本，与文书页面相同（能查看该文书的人员），记入访问日志。"""
    return _instrument_file(request, instrument_id=instrument_id, fmt="docx")


@router.get("/supervision/instruments/{instrument_id}/attachments/{file_id}", response=answers({}, 404),
            openapi_extra=binary_answer("*/*", description="整改报告的证明材料，Content-Type 为存入时按内容识别的类型"))
def supervision_instrument_attachment(request: HttpRequest, instrument_id: int = Path(..., ge=1, le=ID_MAX),
                                      file_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载被监督机关在整改报告中附上的证明材料（能查看该文书的人员：监督人员无须调阅案卷），与文书页面相同，记入访问日志。"""
    instrument = instrument_selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    record = instrument_selectors.instrument_attachment_get(instrument=instrument, record_id=file_id)
    label = f"{INSTRUMENT_KIND_LABELS[InstrumentKind(instrument.kind)]} {instrument.number} 附件 {record.original_name}"
    return file_answer(request, record=record, filename=record.original_name, target=AccessTarget(
        "supervision_instrument", instrument.pk, label, agency_id=instrument.agency_id))


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


@router.post("/supervision/instruments", response=answers({201: InstrumentDetailOut}, 403, 404))
def supervision_instrument_issue(request: HttpRequest, payload: InstrumentIn):
    """制发监督文书（本局监督人员，两人共同制发）：在平台送达被监督机关，编号，生成 PDF 和 DOCX，记入账本。
    提请决定书只提请，由政府作出后登记。持证人数不足、证件失效、须回避、事项未确定被监督机关等，返回 422 并列出全部理由及依据。"""
    desk_require(request)
    matter = instrument_selectors.matter_for_desk(user=request.user, matter_id=payload.matter_id)
    supervisors = desk_pair(request, bureau_id=matter.bureau_id, second_id=payload.second_supervisor_id)
    try:
        instrument = instrument_issue(actor=request.user, matter=matter, kind=payload.kind, findings=payload.findings,
                                      required_actions=payload.required_actions, supervisors=supervisors)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _instrument_detail(viewer=request.user, instrument_id=instrument.pk))


# The supervised agency's replies (整改报告, 异议): fixed paths before the desk's `{action}`, each with
# its own body; the service decides who may (the agency's staff: 403 for others) and when (409).

class InstrumentReportIn(Schema):
    text: Text(20000, multiline=True) = Field(..., min_length=1, description="整改报告：纠正、履行或者采纳的情况")


class InstrumentObjectionIn(Schema):
    text: Text(20000, multiline=True) = Field(..., min_length=1, description="异议的事实和理由")


def _agency_reply(request: HttpRequest, *, instrument_id: int, action: InstrumentAction, text: str) -> dict:
    instrument = instrument_selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    if not text.strip():
        raise InputRefused([Violation("form.required", "请填写内容", FORM_BASIS, "text")])
    instrument_act(actor=request.user, instrument=instrument, action=action, text=text)
    return _instrument_detail(viewer=request.user, instrument_id=instrument.pk)


@router.post("/supervision/instruments/{instrument_id}/actions/report",
             response=answers({200: InstrumentDetailOut}, 403, 404, 409))
def supervision_instrument_report(request: HttpRequest, payload: InstrumentReportIn,
                                  instrument_id: int = Path(..., ge=1, le=ID_MAX)):
    """被监督机关的工作人员报送整改报告（待答复或已退回的文书），与文书页面相同；附证明材料的用 POST …/reports（multipart）。
    只有被监督机关的工作人员可以答复（其他人 403）；当前状态不能报送的，返回 409 并列出全部理由及依据。"""
    return _agency_reply(request, instrument_id=instrument_id, action=InstrumentAction.REPORT, text=payload.text)


# The evidence store's refusals of an attached file itself (its size, its type, an empty file): the data sent.
ATTACHMENT_INPUT_CODES = ("evidence.too_large", "evidence.kind_mismatch", "evidence.empty")
REPORT_TEXT = Form(..., max_length=20000, description="整改报告：纠正、履行或者采纳的情况")
REPORT_FILES = File(..., description="证明材料：一个或多个文件（multipart/form-data 的字段 files，可重复），按文件内容识别类型；"
                                     "每个不超过平台的证据文件上限")


@router.post("/supervision/instruments/{instrument_id}/reports",
             response=answers({200: InstrumentDetailOut}, 403, 404, 409, 413))
def supervision_instrument_report_files(request: HttpRequest, instrument_id: int = Path(..., ge=1, le=ID_MAX),
                                        text: str = REPORT_TEXT, files: list[UploadedFile] = REPORT_FILES):
    """被监督机关的工作人员报送整改报告并附上证明材料（multipart/form-data：text 为整改报告，files 为一个或多个文件），
    与文书页面的报送整改报告相同：文件存入证据库，与报告一起记入账本。只有被监督机关的工作人员可以答复（其他人 403）；
    内容未填、文件为空的 422，过大 413；当前状态不能报送的，返回 409 并列出全部理由及依据，文件均不保存。"""
    instrument = instrument_selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    if not text.strip():
        raise InputRefused([Violation("form.required", "请填写内容", FORM_BASIS, "text")])
    try:
        instrument_act(actor=request.user, instrument=instrument, action=InstrumentAction.REPORT, text=text,
                       files=files)
    except Refused as refused:
        violations = [dataclasses.replace(v, field="files") if v.code in ATTACHMENT_INPUT_CODES else v
                      for v in refused.violations]
        if any(v.code == "evidence.too_large" for v in violations):
            return Status(413, {"error": {"code": "too_large", "message": "文件过大"},
                                "violations": [v.as_dict() for v in violations]})
        # 422 only when every reason is the data sent's; with a reason of the state too, 409 with every reason.
        if all(v.code in ATTACHMENT_INPUT_CODES or v.field == "text" for v in violations):
            raise InputRefused(violations) from None
        raise Refused(violations) from None
    return _instrument_detail(viewer=request.user, instrument_id=instrument.pk)


@router.post("/supervision/instruments/{instrument_id}/actions/object",
             response=answers({200: InstrumentDetailOut}, 403, 404, 409))
def supervision_instrument_object(request: HttpRequest, payload: InstrumentObjectionIn,
                                  instrument_id: int = Path(..., ge=1, le=ID_MAX)):
    """被监督机关的工作人员对监督文书提出异议（在提出异议的期限内），与文书页面相同；监督人员在复查期限内复查。
    只有被监督机关的工作人员可以提出（其他人 403）；已过期限、当前状态或文书种类不能提出的，返回 409 并列出全部理由及依据。"""
    return _agency_reply(request, instrument_id=instrument_id, action=InstrumentAction.OBJECT, text=payload.text)


@router.post("/supervision/instruments/{instrument_id}/actions/{action}",
             response=answers({200: InstrumentDetailOut}, 403, 404, 409))
def supervision_instrument_act(request: HttpRequest, payload: InstrumentActionIn,
                               instrument_id: int = Path(..., ge=1, le=ID_MAX),
                               action: DeskActionIn = DESK_ACTION):
    """监督人员办理监督文书（两人共同办理）：认可整改、退回重新报告、提请作出监督决定书、复查维持或撤回、登记政府作出的决定书。
    当前状态不能办理、理由未填、持证人数不足等，返回 409 并列出全部理由及依据。被监督机关的整改报告和异议见
    …/actions/report、…/actions/object。"""
    desk_require(request)
    instrument = instrument_selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    supervisors = desk_pair(request, bureau_id=instrument.bureau_id, second_id=payload.second_supervisor_id)
    instrument_act(actor=request.user, instrument=instrument, action=action, text=payload.text,
                   supervisors=supervisors, decision_number=payload.decision_number, decision_on=payload.decision_on)
    return _instrument_detail(viewer=request.user, instrument_id=instrument.pk)


# --- 重大执法决定备案 (filings): read as the filing pages show them, examined by the receiving bureau ----

FILING_STATES = [(s.value, label) for s, label in FILING_STATE_LABELS.items()]
FilingStatusIn = Literal[tuple(value for value, _ in FILING_STATES)]  # type: ignore[valid-type]
FILING_ORDERING = {"filed_on": ("filed_on", "备案日期"), "due_on": ("due_on", "审查期限"), "id": ("id", "备案先后")}
FILING_ACTIONS = [("examine", "审查无异议"), ("opinion", "拟制发监督意见书（同时登记监督事项）")]
FilingActionIn = Literal[tuple(value for value, _ in FILING_ACTIONS)]  # type: ignore[valid-type]
FILING_ACTION = Path(..., description=status_description(FILING_ACTIONS, what="操作"))
FILING_STATUS = Query(None, description=status_description(FILING_STATES))
FILED_SINCE, FILED_UNTIL = since_query("备案日期"), until_query("备案日期")


class FilingOut(Schema):
    id: int
    case_id: int
    case_number: str = Field(..., description="案号")
    agency_id: int = Field(..., description="备案机关")
    bureau_id: int | None = Field(..., description="受理备案的司法局（本县尚未登记司法局时为 null）")
    kind: str = Field(..., description=status_description([(k.value, label) for k, label in FILING_KIND_LABELS.items()],
                                                          what="决定类别"))
    kind_label: str
    decision_label: str = Field(..., description="决定")
    decided_on: dt.date = Field(..., description="决定日期")
    filed_on: dt.date = Field(..., description="备案日期")
    due_on: dt.date = Field(..., description="备案期限")
    status: str = Field(..., description=status_description(FILING_STATES))
    status_label: str
    examined_on: dt.date | None
    examination_note: str = Field(..., description="审查意见")
    matter_id: int | None = Field(..., description="拟制发意见书时登记的监督事项")


class FilingPageOut(PageOut):
    items: list[FilingOut]


class FilingExamineIn(Schema):
    note: Text(2000, multiline=True) = Field("", description="审查意见（拟制发意见书时，作为监督事项的基本情况）")


def _filing_out(filing, *, matter_id: int | None = None) -> dict:
    return {
        "id": filing.pk, "case_id": filing.case_id, "case_number": filing.case.number, "agency_id": filing.agency_id,
        "bureau_id": filing.bureau_id, "kind": filing.kind, "kind_label": FILING_KIND_LABELS[FilingKind(filing.kind)],
        "decision_label": filing.decision_label, "decided_on": filing.decided_on, "filed_on": filing.filed_on,
        "due_on": filing.due_on, "status": filing.state, "status_label": FILING_STATE_LABELS[FilingState(filing.state)],
        "examined_on": filing.examined_on, "examination_note": filing.examination_note, "matter_id": matter_id,
    }


@router.get("/supervision/filings", response=answers({200: FilingPageOut}))
def supervision_filing_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="备案机关"),
    status: FilingStatusIn | None = FILING_STATUS,
    since: dt.date | None = FILED_SINCE,
    until: dt.date | None = FILED_UNTIL,
    ordering: str = ordering_query(FILING_ORDERING, default="-filed_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """重大执法决定备案，默认按备案日期从新到旧，分页返回。司法局监督人员看到报送本局的，执法机关人员看到本机关的，系统管理员看到全部。"""
    rows = filing_selectors.filings_for(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="filed_on", since=since, until=until)
    order = order_resolve(ordering, keys=FILING_ORDERING, default="-filed_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_filing_out)


def _filing_read(request: HttpRequest, filing_id: int) -> dict:
    filing = filing_selectors.filing_get(viewer=request.user, filing_id=filing_id)
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision_filing", filing.pk, str(filing.case), case_id=filing.case_id, agency_id=filing.agency_id))
    return _filing_out(filing, matter_id=filing_selectors.filing_matter_id(filing_id=filing.pk))


@router.get("/supervision/filings/{filing_id}", response=answers({200: FilingOut}, 404))
def supervision_filing_get(request: HttpRequest, filing_id: int = Path(..., ge=1, le=ID_MAX)):
    """一件重大执法决定备案；每次查阅记入查阅日志，与备案页面相同。"""
    return _filing_read(request, filing_id)


@router.post("/supervision/filings/{filing_id}/actions/{action}", response=answers({200: FilingOut}, 403, 404, 409))
def supervision_filing_examine(request: HttpRequest, payload: FilingExamineIn, filing_id: int = Path(..., ge=1, le=ID_MAX),
                               action: FilingActionIn = FILING_ACTION):
    """受理备案的司法局的监督人员审查备案：审查无异议（examine），或者拟制发监督意见书（opinion：同时登记监督事项，
    由承办人员在该事项上制发意见书，应答的 matter_id），与备案页面相同。其他人 403；已审查、审查人不持有效监督证件的，
    返回 409 并列出全部理由及依据。"""
    filing = filing_selectors.filing_get(viewer=request.user, filing_id=filing_id)
    if not filing_selectors.filing_may_examine(viewer=request.user, filing=filing):
        raise PermissionDenied("只有受理备案的司法局的监督人员可以审查备案")
    service = filing_services.filing_examine if action == "examine" else filing_services.filing_opinion_take
    service(filing=filing, actor=request.user, on=timezone.localdate(), note=payload.note)
    return _filing_read(request, filing.pk)

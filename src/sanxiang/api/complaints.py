"""投诉举报 and leads through the API (issue 19): read as the complaint pages show them, to whom they
show them (the supervisors of the bureau that received them; anyone else 403, as the pages), with the
complainant's personal data masked in the list and the detail, and in clear only through its own
read, recorded in the access log before it is sent (as the complainant page). A supervisor registers a
lead from the 12345 hotline or the enterprise channel as the 线索登记 page does, through
`complaint_receive` (its 检查码 links the lead to that inspection)."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
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
from sanxiang.procedure.supervision.complaints import (
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_PUBLIC_STATUS_LABELS,
    PENDING_REMEDY_LABELS,
    ComplaintChannel,
    PendingRemedy,
    complaint_public_status,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import complaint_selectors as selectors
from sanxiang.supervision.complaint_services import complaint_receive
from sanxiang.supervision.models import Complaint

router = Router(tags=["complaints"])

CHANNELS = [(c.value, label) for c, label in COMPLAINT_CHANNEL_LABELS.items()]
LEAD_CHANNELS = [(c.value, COMPLAINT_CHANNEL_LABELS[c])
                 for c in (ComplaintChannel.HOTLINE_12345, ComplaintChannel.ENTERPRISE)]
REMEDIES = [(r.value, label) for r, label in PENDING_REMEDY_LABELS.items()]
ChannelIn = Literal[tuple(value for value, _ in CHANNELS)]  # type: ignore[valid-type]
LeadChannelIn = Literal[tuple(value for value, _ in LEAD_CHANNELS)]  # type: ignore[valid-type]
RemedyIn = Literal[tuple(value for value, _ in REMEDIES)]  # type: ignore[valid-type]
COMPLAINT_ORDERING = {"received_on": ("received_on", "收到日期"), "receipt_number": ("receipt_number", "受理编号"),
                      "id": ("id", "登记先后")}
CHANNEL = Query(None, description=status_description(CHANNELS, what="渠道"))
STATUSES = [(s.value, label) for s, label in COMPLAINT_PUBLIC_STATUS_LABELS.items()]
StatusIn = Literal[tuple(value for value, _ in STATUSES)]  # type: ignore[valid-type]
STATUS = Query(None, description=status_description(STATUSES, what="向投诉人公开的办理状态"))
SINCE, UNTIL = since_query("收到日期"), until_query("收到日期")


class ComplaintOut(Schema):
    id: int
    receipt_number: str = Field(..., description="受理编号")
    matter_id: int = Field(..., description="由此登记的监督事项")
    bureau_id: int = Field(..., description="受理的司法局")
    agency_id: int = Field(..., description="被投诉（被反映）的执法机关")
    agency_name: str
    channel: str = Field(..., description=status_description(CHANNELS, what="渠道"))
    channel_label: str
    channel_reference: str = Field(..., description="原渠道工单编号（公示平台的投诉为空）")
    received_on: dt.date = Field(..., description="收到日期")
    status: str = Field(..., description=status_description(STATUSES, what="向投诉人公开的办理状态"))
    status_label: str
    complainant_name_masked: str = Field(..., description="投诉人姓名（遮盖，匿名的为“匿名”）")


class ComplaintDetailOut(ComplaintOut):
    happened_on: dt.date | None = Field(..., description="发生日期")
    description: str = Field(..., description="反映的问题（可能含有个人信息：每次查阅记入访问记录）")
    pending_remedy: str = Field(..., description=status_description(REMEDIES, what="复议或者诉讼情况"))
    pending_remedy_label: str
    complainant_phone_masked: str = Field(..., description="联系电话（遮盖）")
    complainant_anonymous: bool = Field(..., description="匿名的没有投诉人信息可查")
    inspection_id: int | None = Field(..., description="以检查码关联的行政检查")


class ComplainantOut(Schema):
    complaint_id: int
    receipt_number: str
    anonymous: bool
    name: str = Field(..., description="姓名或者名称（未填写为空）")
    phone: str = Field(..., description="联系电话（未填写为空）")
    id_number: str = Field(..., description="身份证号码（未填写为空）")


class ComplaintPageOut(PageOut):
    items: list[ComplaintOut]


class LeadIn(Schema):
    channel: LeadChannelIn = Field(..., description=status_description(LEAD_CHANNELS, what="渠道"))
    channel_reference: Text(60) = Field(..., description="原渠道工单编号（必填）")
    agency_id: int = Field(..., ge=1, le=ID_MAX, description="被反映的执法机关（本县的执法机关）")
    description: Text(5000, multiline=True) = Field(..., min_length=1, description="反映的问题")
    happened_on: PlausibleDate | None = Field(None, description="发生日期（不晚于今天）")
    pending_remedy: RemedyIn = Field(PendingRemedy.NONE.value, description=status_description(REMEDIES, what="复议或者诉讼情况"))
    anonymous: bool = Field(False, description="反映人不愿留下姓名和联系方式")
    name: Text(100) = Field("", description="反映人姓名或者名称（不匿名的必填）")
    phone: Text(30) = Field("", description="联系电话（不匿名的必填）")
    id_number: Text(30) = Field("", description="身份证号码（可不填）")
    inspection_code: Text(16) = Field("", description="检查码：反映的是某一次行政检查的，填写检查人员出示的码，线索即关联该次检查")


def _require_reader(request: HttpRequest) -> None:
    if not selectors.user_reads_complaints(request.user):
        raise PermissionDenied("只有司法局的监督人员可以查看投诉举报")


def _complaint_out(complaint: Complaint) -> dict:
    status = complaint_public_status(complaint.matter.state)
    return {
        "id": complaint.pk, "receipt_number": complaint.receipt_number, "matter_id": complaint.matter_id,
        "bureau_id": complaint.bureau_id, "agency_id": complaint.agency_id, "agency_name": complaint.agency.name,
        "channel": complaint.channel, "channel_label": COMPLAINT_CHANNEL_LABELS[ComplaintChannel(complaint.channel)],
        "channel_reference": complaint.channel_reference, "received_on": complaint.received_on,
        "status": status.value, "status_label": COMPLAINT_PUBLIC_STATUS_LABELS[status],
        "complainant_name_masked": complaint.complainant.name_masked,
    }


def _complaint_read(request: HttpRequest, complaint_id: int) -> dict:
    """The complaint as its page shows it; the read recorded in the access log, as the page's."""
    _require_reader(request)
    complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision.complaint", complaint.pk, f"投诉举报（{complaint.receipt_number}）", agency_id=complaint.agency_id))
    complainant = complaint.complainant
    return _complaint_out(complaint) | {
        "happened_on": complaint.happened_on, "description": complaint.description,
        "pending_remedy": complaint.pending_remedy,
        "pending_remedy_label": PENDING_REMEDY_LABELS[PendingRemedy(complaint.pending_remedy)],
        "complainant_phone_masked": complainant.phone_masked, "complainant_anonymous": complainant.anonymous,
        "inspection_id": complaint.inspection_id,
    }


@router.get("/supervision/complaints", response=answers({200: ComplaintPageOut}, 403))
def supervision_complaint_list(
    request: HttpRequest,
    channel: ChannelIn | None = CHANNEL,
    status: StatusIn | None = STATUS,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="被投诉的执法机关"),
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    ordering: str = ordering_query(COMPLAINT_ORDERING, default="-received_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """本司法局受理的投诉举报和线索，默认按收到日期从新到旧，分页返回；投诉人姓名遮盖，与投诉举报列表页面相同。
    司法局监督人员以外的 403。"""
    _require_reader(request)
    rows = selectors.complaints_of_bureau(viewer=request.user)
    if channel:
        rows = rows.filter(channel=channel)
    if status:
        rows = selectors.complaints_with_status(rows, status=status)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    rows = date_range_filter(rows, field="received_on", since=since, until=until)
    order = order_resolve(ordering, keys=COMPLAINT_ORDERING, default="-received_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_complaint_out)


@router.get("/supervision/complaints/{complaint_id}", response=answers({200: ComplaintDetailOut}, 403, 404))
def supervision_complaint_get(request: HttpRequest, complaint_id: int = Path(..., ge=1, le=ID_MAX)):
    """一件投诉举报（投诉人的姓名、电话遮盖）；每次查阅记入访问记录，与投诉举报页面相同。已回避该监督事项的监督人员 404。"""
    return _complaint_read(request, complaint_id)


@router.get("/supervision/complaints/{complaint_id}/complainant", response=answers({200: ComplainantOut}, 403, 404))
def supervision_complainant_get(request: HttpRequest, complaint_id: int = Path(..., ge=1, le=ID_MAX)):
    """投诉人信息（不遮盖）：仅受理的司法局的监督人员可查，发送前记入访问记录，与投诉人信息页面相同；仅用于核实和答复。"""
    _require_reader(request)
    complainant = selectors.complainant_open(viewer=request.user, complaint_id=complaint_id)
    complaint = complainant.complaint
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision.complainant", complaint.pk, f"投诉举报人（{complaint.receipt_number}）", agency_id=complaint.agency_id))
    return {"complaint_id": complaint.pk, "receipt_number": complaint.receipt_number, "anonymous": complainant.anonymous,
            "name": complainant.name, "phone": complainant.phone, "id_number": complainant.id_number}


# The service names the agency's field `agency`; the API's body names it `agency_id`.
_FIELDS = {"agency": "agency_id"}


@router.post("/supervision/leads", response=answers({201: ComplaintDetailOut}, 403))
def supervision_lead_register(request: HttpRequest, payload: LeadIn):
    """司法局监督人员登记12345热线和涉企诉求线索，与线索登记页面相同：编号、登记监督事项、记入账本。被反映机关不在本县、
    姓名电话等不合规定、检查码不存在或者检查主体不是所选机关的，返回 422 并指明字段及依据；司法局监督人员以外的 403。"""
    _require_reader(request)
    user = request.user
    code = payload.inspection_code.strip().upper()
    problems = []
    if code and not (code.isascii() and code.isalnum()):
        problems.append(Violation("form.inspection_code", "检查码由字母和数字组成，请核对后填写，或者不填检查码",
                                  FORM_BASIS, "inspection_code"))
    if not selectors.agencies_for_intake(viewer=user).filter(pk=payload.agency_id).exists():
        problems.append(Violation("form.agency", "没有这个执法机关", FORM_BASIS, "agency_id"))
    if problems:
        raise InputRefused(problems)
    try:
        complaint, _code = complaint_receive(
            agency_id=payload.agency_id, channel=payload.channel, channel_reference=payload.channel_reference,
            anonymous=payload.anonymous, name=payload.name, phone=payload.phone, id_number=payload.id_number,
            happened_on=payload.happened_on, description=payload.description, pending_remedy=payload.pending_remedy,
            actor=user, inspection_code=code,
        )
    except Refused as refused:
        raise InputRefused([Violation(v.code, v.message, v.legal_basis, _FIELDS.get(v.field, v.field))
                            for v in refused.violations]) from None
    return Status(201, _complaint_read(request, complaint.pk))

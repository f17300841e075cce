"""Person-level proposals (处理执法人员的建议) and referrals of clues to the 监察机关 (问题线索移送)
through the API (issue 19), as their pages show and make them: a proposal names an officer of the
matter's agency and is made by two supervisors of the bureau, who later record the competent
body's decision (adopted, it changes the officer's certificate through the registry); a referral is
logged by two supervisors. Both through supervision's instrument services (in the ledger).
Handlers parse, call and render."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.accounts.models import Role
from sanxiang.api.desk import desk_pair, desk_require
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
from sanxiang.procedure.supervision.instruments import (
    CERTIFICATE_EFFECT,
    PERSONAL_MEASURE_LABELS,
    PersonalMeasure,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import instrument_selectors as selectors
from sanxiang.supervision.instrument_services import (
    personal_decision_record,
    personal_propose,
    referral_record,
)
from sanxiang.supervision.models import PersonalProposal, Referral

router = Router(tags=["supervision"])

MEASURES = [(m.value, label) for m, label in PERSONAL_MEASURE_LABELS.items()]
MeasureIn = Literal[tuple(value for value, _ in MEASURES)]  # type: ignore[valid-type]
PROPOSAL_STATUSES = [("proposed", "待登记处理决定"), ("adopted", "有权机关已采纳"), ("rejected", "有权机关未采纳")]
ProposalStatusIn = Literal[tuple(value for value, _ in PROPOSAL_STATUSES)]  # type: ignore[valid-type]
# Keys of non-null fields only: a cursor carries the last row's values, and a null has no "after".
PROPOSAL_ORDERING = {"proposed_on": ("proposed_on", "提出日期"), "id": ("id", "提出先后")}
PROPOSAL_STATUS = Query(None, description=status_description(PROPOSAL_STATUSES))
MEASURE = Query(None, description=status_description(MEASURES, what="建议措施"))
PROPOSED_SINCE, PROPOSED_UNTIL = since_query("提出日期"), until_query("提出日期")
REFERRAL_ORDERING = {"referred_on": ("referred_on", "移送日期"), "id": ("id", "登记先后")}
REFERRED_SINCE, REFERRED_UNTIL = since_query("移送日期"), until_query("移送日期")
CERTIFICATE_EFFECT_LABELS = {"revoked": "注销", "suspended": "暂扣"}


# --- 处理执法人员的建议 ------------------------------------------------------------------------


class ProposalSummaryOut(Schema):
    """A proposal as the list shows it (name, measure, dates, outcome): its reasons and the decision's
    text only in the one read (access-logged)."""

    id: int
    matter_id: int = Field(..., description="监督事项")
    bureau_id: int = Field(..., description="提出建议的司法局")
    officer_id: int = Field(..., description="执法人员")
    officer_name: str
    agency_id: int = Field(..., description="执法人员所在机关")
    measure: str = Field(..., description=status_description(MEASURES, what="建议措施"))
    measure_label: str
    certificate_effect: str = Field(..., description="有权机关采纳时执法证的变化（注销、暂扣；批评教育为空字符串）")
    competent_body: str = Field(..., description="有权处理的机关")
    proposed_on: dt.date = Field(..., description="提出日期")
    status: str = Field(..., description=status_description(PROPOSAL_STATUSES))
    status_label: str
    decided_on: dt.date | None = Field(..., description="有权机关的决定日期")


class ProposalOut(ProposalSummaryOut):
    reasons: str = Field(..., description="理由")
    decision: str = Field(..., description="决定情况")


class ProposalPageOut(PageOut):
    items: list[ProposalSummaryOut]


def _proposal_status(proposal: PersonalProposal) -> str:
    if proposal.decided_on is None:
        return "proposed"
    return "adopted" if proposal.decision_adopted else "rejected"


def _proposal_out(proposal: PersonalProposal) -> dict:
    measure = PersonalMeasure(proposal.measure)
    status = _proposal_status(proposal)
    return {
        "id": proposal.pk, "matter_id": proposal.matter_id, "bureau_id": proposal.matter.bureau_id,
        "officer_id": proposal.officer_id, "officer_name": proposal.officer.name,
        "agency_id": proposal.officer.agency_id, "measure": measure.value, "measure_label": PERSONAL_MEASURE_LABELS[measure],
        "certificate_effect": CERTIFICATE_EFFECT_LABELS.get(CERTIFICATE_EFFECT[measure] or "", ""),
        "reasons": proposal.reasons, "competent_body": proposal.competent_body, "proposed_on": proposal.proposed_on,
        "status": status, "status_label": dict(PROPOSAL_STATUSES)[status], "decided_on": proposal.decided_on,
        "decision": proposal.decision,
    }


def _proposal_summary(proposal: PersonalProposal) -> dict:
    out = _proposal_out(proposal)
    del out["reasons"], out["decision"]
    return out


def _proposal_read(request: HttpRequest, proposal_id: int) -> dict:
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision.proposal", proposal.pk, f"处理建议 {proposal.officer.name}", agency_id=proposal.officer.agency_id))
    return _proposal_out(proposal)


@router.get("/supervision/proposals", response=answers({200: ProposalPageOut}, 403))
def supervision_proposal_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法人员所在机关"),
    matter: int | None = Query(None, ge=1, le=ID_MAX, description="监督事项"),
    measure: MeasureIn | None = MEASURE,
    status: ProposalStatusIn | None = PROPOSAL_STATUS,
    since: dt.date | None = PROPOSED_SINCE,
    until: dt.date | None = PROPOSED_UNTIL,
    ordering: str = ordering_query(PROPOSAL_ORDERING, default="-proposed_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """处理执法人员的建议，默认按提出日期从新到旧，分页返回。司法局监督人员看到本局的，机关负责人看到关于本机关执法人员的，
    系统管理员看到全部；其他人 403。"""
    user = request.user
    if not (selectors.user_is_supervisor(user) or user.role in (Role.AGENCY_HEAD, Role.SYSTEM_ADMIN)):
        raise PermissionDenied("无权查看处理执法人员的建议")
    rows = selectors.proposals_visible(user=user)
    if agency is not None:
        rows = rows.filter(officer__agency_id=agency)
    if matter is not None:
        rows = rows.filter(matter_id=matter)
    if measure:
        rows = rows.filter(measure=measure)
    if status == "proposed":
        rows = rows.filter(decided_on__isnull=True)
    elif status:
        rows = rows.filter(decided_on__isnull=False, decision_adopted=status == "adopted")
    rows = date_range_filter(rows, field="proposed_on", since=since, until=until)
    order = order_resolve(ordering, keys=PROPOSAL_ORDERING, default="-proposed_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_proposal_summary)


@router.get("/supervision/proposals/{proposal_id}", response=answers({200: ProposalOut}, 404))
def supervision_proposal_get(request: HttpRequest, proposal_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份处理执法人员的建议及有权机关的决定；每次查阅记入查阅日志，与建议页面相同。"""
    return _proposal_read(request, proposal_id)


class ProposalIn(Schema):
    matter_id: int = Field(..., ge=1, le=ID_MAX, description="本局的监督事项（须已确定被监督机关）")
    officer_id: int = Field(..., ge=1, le=ID_MAX, description="被监督机关的执法人员")
    measure: MeasureIn = Field(..., description=status_description(MEASURES, what="建议措施"))
    reasons: Text(20000, multiline=True) = Field(..., min_length=1, description="理由")
    competent_body: Text(100) = Field(..., min_length=1, description="有权处理的机关，如该执法人员所在单位或者其主管部门")
    second_supervisor_id: int | None = Field(
        None, ge=1, le=ID_MAX, description="共同办理的本局另一名持证监督人员（用户 id）：须由两名以上监督人员共同办理")


@router.post("/supervision/proposals", response=answers({201: ProposalOut}, 403, 404))
def supervision_proposal_new(request: HttpRequest, payload: ProposalIn):
    """本局监督人员（两人共同）建议有权机关处理执法人员（批评教育、离岗教育、调离执法岗位、取消执法资格），与建议页面相同，
    记入账本。执法人员不属于被监督机关、理由未填、持证人数不足、须回避等，返回 422 并列出全部理由及依据；
    司法局监督人员以外的 403，不是本局的监督事项 404。"""
    desk_require(request)
    matter = selectors.matter_for_desk(user=request.user, matter_id=payload.matter_id)
    officer = selectors.matter_officers(matter=matter).filter(pk=payload.officer_id).first()
    if officer is None:
        raise InputRefused([Violation("form.officer", "该执法人员不属于本事项的被监督机关", FORM_BASIS, "officer_id")])
    supervisors = desk_pair(request, bureau_id=matter.bureau_id, second_id=payload.second_supervisor_id)
    try:
        proposal = personal_propose(actor=request.user, matter=matter, officer=officer, measure=payload.measure,
                                    reasons=payload.reasons, competent_body=payload.competent_body,
                                    supervisors=supervisors)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _proposal_read(request, proposal.pk))


class DecisionIn(Schema):
    adopted: bool = Field(..., description="有权机关是否采纳；采纳离岗教育、调离执法岗位的暂扣执法证，取消执法资格的注销执法证")
    decided_on: PlausibleDate = Field(..., description="决定日期（在提出建议之后，不晚于今天）")
    decision: Text(20000, multiline=True) = Field(..., min_length=1, description="决定情况")
    second_supervisor_id: int | None = Field(None, ge=1, le=ID_MAX, description="共同办理的本局另一名持证监督人员（用户 id）")


@router.post("/supervision/proposals/{proposal_id}/decision", response=answers({200: ProposalOut}, 403, 404, 409))
def supervision_proposal_decision(request: HttpRequest, payload: DecisionIn,
                                  proposal_id: int = Path(..., ge=1, le=ID_MAX)):
    """本局监督人员（两人共同）登记有权机关对建议的处理决定，与建议页面相同（不可撤销：采纳的，执法证随之暂扣或注销，
    公开的执法证查询页同时显示）。司法局监督人员以外的 403；已经登记、决定情况未填、日期不合理、持证人数不足的，
    返回 409 并列出全部理由及依据。"""
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    desk_require(request)
    supervisors = desk_pair(request, bureau_id=proposal.matter.bureau_id, second_id=payload.second_supervisor_id)
    personal_decision_record(actor=request.user, proposal=proposal, adopted=payload.adopted, decision=payload.decision,
                             decided_on=payload.decided_on, supervisors=supervisors)
    return _proposal_read(request, proposal.pk)


# --- 问题线索移送 --------------------------------------------------------------------------------


# The referral list shows the first characters of what was referred, as the referrals page does; the
# whole text only in the one read (access-logged).
REFERRAL_EXCERPT = 120


class ReferralSummaryOut(Schema):
    id: int
    matter_id: int = Field(..., description="监督事项")
    what_excerpt: str = Field(..., description=f"移送的问题线索，至多{REFERRAL_EXCERPT}个字（较长的截断，以…结尾；全文见单件查阅）")
    to_body: str = Field(..., description="接收的监察机关")
    referred_on: dt.date = Field(..., description="移送日期")
    reference_number: str = Field(..., description="移送文号")
    ledger_seq: int | None = Field(..., description="账本中的记录序号")


class ReferralOut(ReferralSummaryOut):
    what: str = Field(..., description="移送的问题线索")


class ReferralPageOut(PageOut):
    items: list[ReferralSummaryOut]


def _referral_summary(referral: Referral) -> dict:
    # As the page's truncatechars: at most REFERRAL_EXCERPT characters, the last an ellipsis when cut.
    excerpt = referral.what if len(referral.what) <= REFERRAL_EXCERPT else referral.what[:REFERRAL_EXCERPT - 1] + "…"
    return {"id": referral.pk, "matter_id": referral.matter_id, "what_excerpt": excerpt, "to_body": referral.to_body,
            "referred_on": referral.referred_on, "reference_number": referral.reference_number,
            "ledger_seq": referral.ledger_seq}


def _referral_out(referral: Referral) -> dict:
    return _referral_summary(referral) | {"what": referral.what}


def _referral_read(request: HttpRequest, referral_id: int) -> dict:
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision.referral", referral.pk, f"问题线索移送 {referral.reference_number}"[:200],
        agency_id=referral.matter.bureau_id))
    return _referral_out(referral)


@router.get("/supervision/referrals", response=answers({200: ReferralPageOut}, 403))
def supervision_referral_list(
    request: HttpRequest,
    matter: int | None = Query(None, ge=1, le=ID_MAX, description="监督事项"),
    since: dt.date | None = REFERRED_SINCE,
    until: dt.date | None = REFERRED_UNTIL,
    ordering: str = ordering_query(REFERRAL_ORDERING, default="-referred_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """向监察机关移送的问题线索，默认按移送日期从新到旧，分页返回；只有司法局监督人员（本局的），其他人 403。"""
    desk_require(request)
    rows = selectors.referrals_visible(user=request.user)
    if matter is not None:
        rows = rows.filter(matter_id=matter)
    rows = date_range_filter(rows, field="referred_on", since=since, until=until)
    order = order_resolve(ordering, keys=REFERRAL_ORDERING, default="-referred_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_referral_summary)


@router.get("/supervision/referrals/{referral_id}", response=answers({200: ReferralOut}, 404))
def supervision_referral_get(request: HttpRequest, referral_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份问题线索移送记录（本局监督人员）；每次查阅记入查阅日志。"""
    return _referral_read(request, referral_id)


class ReferralIn(Schema):
    matter_id: int = Field(..., ge=1, le=ID_MAX, description="本局的监督事项")
    what: Text(20000, multiline=True) = Field(..., min_length=1, description="移送的问题线索")
    to_body: Text(100) = Field(..., min_length=1, description="接收的监察机关")
    reference_number: Text(80) = Field(..., min_length=1, description="移送文号")
    referred_on: PlausibleDate = Field(..., description="移送日期（不晚于今天）")
    second_supervisor_id: int | None = Field(None, ge=1, le=ID_MAX, description="共同办理的本局另一名持证监督人员（用户 id）")


@router.post("/supervision/referrals", response=answers({201: ReferralOut}, 403, 404))
def supervision_referral_new(request: HttpRequest, payload: ReferralIn):
    """本局监督人员（两人共同）登记向监察机关移送问题线索，与移送页面相同，记入账本。内容未填、日期晚于今天、
    持证人数不足、须回避等，返回 422 并列出全部理由及依据；司法局监督人员以外的 403，不是本局的监督事项 404。"""
    desk_require(request)
    matter = selectors.matter_for_desk(user=request.user, matter_id=payload.matter_id)
    supervisors = desk_pair(request, bureau_id=matter.bureau_id, second_id=payload.second_supervisor_id)
    try:
        referral = referral_record(actor=request.user, matter=matter, what=payload.what, to_body=payload.to_body,
                                   referred_on=payload.referred_on, reference_number=payload.reference_number,
                                   supervisors=supervisors)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _referral_read(request, referral.pk))

"""通报 through the API (issue 19): listed and read as the 通报 pages show them (the bureau's
supervisors their bureau's, an agency's staff the approved ones naming the agency, a system
administrator all), drafted by a supervisor of the bureau and approved by a second one through
supervision's instrument services (in the ledger; a public one published, redacted, through the
public read model on approval). Handlers parse, call and render."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
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
from sanxiang.api.schemas import Id, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.supervision.instruments import NOTICE_SCOPE_LABELS, notice_approval_violations
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.supervision import instrument_selectors as selectors
from sanxiang.supervision.instrument_services import notice_approve, notice_draft
from sanxiang.supervision.models import Notice

router = Router(tags=["supervision"])

NOTICE_SCOPES = list(NOTICE_SCOPE_LABELS.items())
NoticeScopeIn = Literal[tuple(value for value, _ in NOTICE_SCOPES)]  # type: ignore[valid-type]
NOTICE_STATUSES = [("drafted", "待审核批准"), ("approved", "已批准")]
NoticeStatusIn = Literal[tuple(value for value, _ in NOTICE_STATUSES)]  # type: ignore[valid-type]
# Keys of non-null fields only: a cursor carries the last row's values, and a null has no "after".
NOTICE_ORDERING = {"drafted_on": ("drafted_on", "起草日期"), "id": ("id", "起草先后")}
SCOPE = Query(None, description=status_description(NOTICE_SCOPES, what="通报范围"))
STATUS = Query(None, description=status_description(NOTICE_STATUSES))
DRAFTED_SINCE, DRAFTED_UNTIL = since_query("起草日期"), until_query("起草日期")


class NoticeSummaryOut(Schema):
    """A 通报 as the list shows it: its text and indicators only in the one read (access-logged)."""

    id: int
    bureau_id: int = Field(..., description="制发通报的司法局")
    scope: str = Field(..., description=status_description(NOTICE_SCOPES, what="通报范围"))
    scope_label: str
    status: str = Field(..., description=status_description(NOTICE_STATUSES))
    status_label: str
    title: str = Field(..., description="标题")
    agency_ids: list[int] = Field(..., description="通报的被监督机关")
    agency_names: list[str] = Field(..., description="通报的被监督机关名称")
    matter_ids: list[int] = Field(..., description="依据的监督事项")
    drafted_on: dt.date = Field(..., description="起草日期")
    approved_on: dt.date | None = Field(..., description="批准日期（未批准为 null）")


class NoticeOut(NoticeSummaryOut):
    body: str = Field(..., description="正文")
    indicators: str = Field(..., description="指标情况")


class NoticeDetailOut(NoticeOut):
    approve_blockers: list[str] = Field(
        ..., description="本人现在不能批准的全部理由（仅向本局监督人员列出待批准的通报；为空表示可以批准）")


class NoticePageOut(PageOut):
    items: list[NoticeSummaryOut]


def _notice_out(notice: Notice) -> dict:
    # agencies and matters come prefetched (the list) or are read here (one notice)
    agencies = sorted(notice.agencies.all(), key=lambda a: (a.name, a.pk))
    approved = notice.approved_on is not None
    return {
        "id": notice.pk, "bureau_id": notice.bureau_id, "scope": notice.scope,
        "scope_label": NOTICE_SCOPE_LABELS.get(notice.scope, notice.scope),
        "status": "approved" if approved else "drafted", "status_label": dict(NOTICE_STATUSES)[
            "approved" if approved else "drafted"],
        "title": notice.title, "body": notice.body, "indicators": notice.indicators,
        "agency_ids": [a.pk for a in agencies], "agency_names": [a.name for a in agencies],
        "matter_ids": sorted(m.pk for m in notice.matters.all()),
        "drafted_on": notice.drafted_on, "approved_on": notice.approved_on,
    }


def _notice_summary(notice: Notice) -> dict:
    """The list's row: the page's list shows titles, not the text, whose read is logged."""
    out = _notice_out(notice)
    del out["body"], out["indicators"]
    return out


def _notice_detail(*, viewer, notice_id: int) -> dict:
    notice = selectors.notice_get(user=viewer, notice_id=notice_id)
    blockers = []
    if selectors.user_is_supervisor(viewer) and notice.approved_on is None:
        blockers = [v.message for v in notice_approval_violations(
            drafted_by_id=notice.drafted_by_id, approver_id=viewer.pk,
            approver_may_approve=viewer.role == Role.SUPERVISOR and viewer.agency_id == notice.bureau_id)]
    return _notice_out(notice) | {"approve_blockers": blockers}


def _readers_require(user) -> None:
    if not (selectors.user_is_supervisor(user) or selectors.user_is_agency_staff(user)
            or user.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied("无权查看通报")


@router.get("/supervision/notices", response=answers({200: NoticePageOut}, 403))
def supervision_notice_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="通报的被监督机关"),
    scope: NoticeScopeIn | None = SCOPE,
    status: NoticeStatusIn | None = STATUS,
    since: dt.date | None = DRAFTED_SINCE,
    until: dt.date | None = DRAFTED_UNTIL,
    ordering: str = ordering_query(NOTICE_ORDERING, default="-drafted_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """通报，默认按起草日期从新到旧，分页返回。司法局监督人员看到本局的（含待批准的），执法机关人员看到已批准并通报本机关的，
    系统管理员看到全部；其他人 403。"""
    user = request.user
    _readers_require(user)
    rows = selectors.notices_visible(user=user)
    if agency is not None:
        rows = rows.filter(agencies=agency)
    if scope:
        rows = rows.filter(scope=scope)
    if status:
        rows = rows.filter(approved_on__isnull=status == "drafted")
    rows = date_range_filter(rows, field="drafted_on", since=since, until=until)
    rows = rows.prefetch_related("agencies", "matters")
    order = order_resolve(ordering, keys=NOTICE_ORDERING, default="-drafted_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_notice_summary)


@router.get("/supervision/notices/{notice_id}", response=answers({200: NoticeDetailOut}, 404))
def supervision_notice_get(request: HttpRequest, notice_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份通报，及本人现在不能批准它的理由；每次查阅记入查阅日志，与通报页面相同。"""
    detail = _notice_detail(viewer=request.user, notice_id=notice_id)
    request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
        "supervision.notice", detail["id"], f"通报 {detail['title']}"[:200], agency_id=detail["bureau_id"]))
    return detail


class NoticeIn(Schema):
    scope: NoticeScopeIn = Field(..., description=status_description(NOTICE_SCOPES, what="通报范围"))
    agency_ids: list[Id] = Field(..., min_length=1, max_length=200,
                                 description="通报的被监督机关（本司法局监督范围内的执法机关 id，至少一个）")
    title: Text(200) = Field(..., min_length=1, description="标题")
    body: Text(20000, multiline=True) = Field(..., min_length=1, description="正文")
    indicators: Text(20000, multiline=True) = Field("", description="指标情况（可不填）")


@router.post("/supervision/notices", response=answers({201: NoticeDetailOut}, 403))
def supervision_notice_new(request: HttpRequest, payload: NoticeIn):
    """司法局监督人员起草通报（本局），与通报起草页面相同，记入账本；须由另一名监督人员批准（…/actions/approve）。
    标题、正文为空，被通报机关不在本局监督范围内的，返回 422 并指明字段及依据；司法局监督人员以外的 403。"""
    user = request.user
    if not selectors.user_is_supervisor(user):
        raise PermissionDenied("只有司法局监督人员可以起草通报")
    bureau = user.agency
    wanted = list(dict.fromkeys(payload.agency_ids))
    agencies = {a.pk: a for a in selectors.bureau_agencies(bureau=bureau).filter(pk__in=wanted)}
    unknown = [pk for pk in wanted if pk not in agencies]
    if unknown:
        raise InputRefused([Violation("form.agency", f"执法机关 {pk} 不在本局的监督范围内", FORM_BASIS, "agency_ids")
                            for pk in unknown])
    try:
        notice = notice_draft(actor=user, bureau=bureau, title=payload.title, body=payload.body, scope=payload.scope,
                              agencies=[agencies[pk] for pk in wanted], indicators=payload.indicators)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _notice_detail(viewer=user, notice_id=notice.pk))


@router.post("/supervision/notices/{notice_id}/actions/approve",
             response=answers({200: NoticeDetailOut}, 403, 404, 409))
def supervision_notice_approve(request: HttpRequest, notice_id: int = Path(..., ge=1, le=ID_MAX)):
    """本局另一名监督人员批准通报，与通报页面相同：被通报机关从此可以查看；向社会公开的通报同时经脱敏在门户公开。
    司法局监督人员以外的 403；起草人本人批准、已经批准的，返回 409 并列出全部理由及依据。"""
    user = request.user
    notice = selectors.notice_get(user=user, notice_id=notice_id)
    if not selectors.user_is_supervisor(user):
        raise PermissionDenied("只有司法局监督人员可以批准通报")
    notice_approve(actor=user, notice=notice)
    return _notice_detail(viewer=user, notice_id=notice.pk)

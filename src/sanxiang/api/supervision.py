"""监督事项 through the API (issue 19 item 1): the 司法局's supervision matters as the desk
`/staff/supervision/` lists them, to whom the desk shows them (a supervisor their bureau's, an
agency's users those about their agency, a system administrator all), with the same rule for a
complaint's summary in the complainant's words (shown to the supervisors only)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

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
from sanxiang.api.schemas import answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.supervision.matters import MATTER_STATE_LABELS, MatterState
from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS, matter_summary_shown
from sanxiang.supervision import selectors
from sanxiang.supervision.models import Matter

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

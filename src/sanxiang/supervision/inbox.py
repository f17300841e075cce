"""What the supervision desk puts in the inbox (`sanxiang.inbox` hooks these in).

- Part D: complaints and leads received and not yet triaged, for a supervisor.
- Part C: filings of major decisions to examine, and coordination requests waiting, for a
  registered supervisor.
- Part B: for a supervisor, the agency's reports to read and objections to answer (复查), and the
  instruments whose reply is overdue; for an agency's staff, the instruments to answer, and those
  overdue. An overdue instrument is listed once, among the overdue. For a supervisor also the
  通报 drafted by a colleague, to approve.

One query each for rows and counts, whatever the number of complaints or instruments; the inbox reads
each kind's queryset (`*_queryset(s)`) a count and a slice at a time, so that nothing is cut off."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from sanxiang.accounts.models import User
from sanxiang.procedure.supervision.complaints import COMPLAINT_CHANNEL_LABELS, ComplaintChannel
from sanxiang.procedure.supervision.instruments import (
    AGENCY_TURN,
    INSTRUMENT_KIND_LABELS,
    INSTRUMENT_STATE_LABELS,
    NOTICE_SCOPE_LABELS,
    SUPERVISOR_TURN,
    InstrumentKind,
    InstrumentState,
)
from sanxiang.supervision.complaint_selectors import (
    complaints_waiting,
    complaints_waiting_count,
    user_reads_complaints,
)
from sanxiang.supervision.filing_selectors import filings_awaiting
from sanxiang.supervision.instrument_selectors import user_is_agency_staff, user_is_supervisor
from sanxiang.supervision.models import Complaint, Filing, Instrument, Notice

COMPLAINT_KIND_LABEL = "待分办的投诉举报和线索"


@dataclass(frozen=True)
class ComplaintWaiting:
    what: str
    number: str
    title: str
    complaint_id: int
    since: dt.date


def complaint_inbox_applies(user: User) -> bool:
    return user_reads_complaints(user)


def complaint_inbox_queryset(*, user: User) -> QuerySet[Complaint]:
    """The complaints and leads to triage, oldest first, unread (the inbox reads a count and a slice)."""
    if not user_reads_complaints(user):
        return Complaint.objects.none()
    return (Complaint.objects.filter(bureau_id=user.agency_id, matter__state="received")
            .select_related("agency").order_by("received_on", "id"))


def complaint_waiting(c: Complaint) -> ComplaintWaiting:
    return ComplaintWaiting(
        what=f"分办{COMPLAINT_CHANNEL_LABELS[ComplaintChannel(c.channel)]}",
        number=c.receipt_number,
        title=c.agency.name,
        complaint_id=c.pk,
        since=c.received_on,
    )


def complaint_inbox_rows(*, user: User, limit: int = 200) -> list[ComplaintWaiting]:
    return [complaint_waiting(c) for c in complaints_waiting(user=user, limit=limit)]


def complaint_inbox_count(*, user: User) -> int:
    return complaints_waiting_count(user=user)


# --- part B: instruments

INSTRUMENT_WAITING = "supervision_instrument"
INSTRUMENT_OVERDUE = "supervision_instrument_overdue"
NOTICE_WAITING = "supervision_notice"
KIND_LABELS = {
    INSTRUMENT_WAITING: "待办理的监督文书",
    INSTRUMENT_OVERDUE: "逾期未答复的监督文书",
    NOTICE_WAITING: "待审核批准的通报",
}
# States in which a due date runs (the agency's reply, or the supervisors' 复查).
_LATE_STATES = [str(s) for s in AGENCY_TURN | {InstrumentState.OBJECTED}]


@dataclass(frozen=True)
class InstrumentInboxRow:
    what: str  # 行政执法监督意见书：整改报告待审阅
    number: str
    title: str  # the agency (for supervisors) or the bureau (for the agency)
    instrument_id: int
    since: dt.date
    due: dt.date | None
    overdue: bool


def inbox_kinds(user: User) -> tuple[str, ...]:
    if user_is_supervisor(user):
        return (INSTRUMENT_WAITING, INSTRUMENT_OVERDUE, NOTICE_WAITING)
    if user_is_agency_staff(user):
        return (INSTRUMENT_WAITING, INSTRUMENT_OVERDUE)
    return ()


def _scope(user: User) -> tuple[QuerySet[Instrument], frozenset]:
    if user_is_supervisor(user):
        return Instrument.objects.filter(bureau_id=user.agency_id), SUPERVISOR_TURN
    return Instrument.objects.filter(agency_id=user.agency_id), AGENCY_TURN


def _filters(turn: frozenset, on: dt.date) -> tuple[Q, Q]:
    overdue = Q(state__in=_LATE_STATES, due_on__lt=on)
    waiting = Q(state__in=[str(s) for s in turn]) & ~overdue
    return waiting, overdue


def instrument_inbox_querysets(*, user: User, on: dt.date) -> dict[str, QuerySet[Instrument]]:
    """Each kind's instruments, the nearest due first, unread (the inbox reads a count and a slice of
    each): those waiting, and those overdue (listed once, there)."""
    if not inbox_kinds(user):
        return {}
    rows, turn = _scope(user)
    waiting, overdue = _filters(turn, on)
    rows = rows.select_related("agency", "bureau").order_by("due_on", "id")
    return {INSTRUMENT_WAITING: rows.filter(waiting), INSTRUMENT_OVERDUE: rows.filter(overdue)}


def instrument_inbox_row(instrument: Instrument, *, user: User, on: dt.date) -> InstrumentInboxRow:
    late = instrument.state in _LATE_STATES and instrument.due_on is not None and instrument.due_on < on
    kind_label = INSTRUMENT_KIND_LABELS[InstrumentKind(instrument.kind)]
    return InstrumentInboxRow(
        what=f"{kind_label}：{INSTRUMENT_STATE_LABELS[InstrumentState(instrument.state)]}",
        number=instrument.number,
        title=str(instrument.agency if user_is_supervisor(user) else instrument.bureau),
        instrument_id=instrument.pk,
        since=instrument.served_on or instrument.issued_on,
        due=instrument.due_on,
        overdue=late,
    )


def instrument_inbox(*, user: User, on: dt.date) -> dict[str, list[InstrumentInboxRow]]:
    """The rows of both kinds, read whole."""
    return {kind: [instrument_inbox_row(i, user=user, on=on) for i in rows]
            for kind, rows in instrument_inbox_querysets(user=user, on=on).items()}


def instrument_inbox_count(*, user: User, on: dt.date) -> int:
    """How many rows `instrument_inbox` gives, counted in SQL (one query)."""
    if not inbox_kinds(user):
        return 0
    rows, turn = _scope(user)
    waiting, overdue = _filters(turn, on)
    return rows.aggregate(n=Count("id", filter=waiting | overdue))["n"] or 0


# --- part C: filings

FILING = "supervision_filing"
FILING_LABEL = "重大执法决定备案审查"


def filing_inbox_applies(user: User) -> bool:
    from sanxiang.supervision.filing_selectors import user_is_registered_supervisor

    return user_is_registered_supervisor(user)


def filing_inbox_rows(*, user: User) -> list[Filing]:
    """The filings waiting for the supervisor's bureau to examine them, the nearest deadline first."""
    return list(filings_awaiting(viewer=user))


def filing_inbox_queryset(*, user: User) -> QuerySet[Filing]:
    """The filings waiting, unread (the inbox reads a count and a slice)."""
    return filings_awaiting(viewer=user)


def filing_inbox_count(*, user: User) -> int:
    return filings_awaiting(viewer=user).count()


# --- 执法协调 ------------------------------------------------------------------------------------------

COORDINATION = "supervision_coordination"
COORDINATION_LABEL = "执法协调"


def coordination_inbox_applies(user: User) -> bool:
    """Supervisors only: an agency's inbox is held to three queries (sanxiang.inbox); the requests
    whose materials the bureau asked for show on the agency's coordination list instead."""
    from sanxiang.supervision.filing_selectors import user_is_registered_supervisor

    return user_is_registered_supervisor(user)


def coordination_inbox_rows(*, user: User) -> list:
    """Requests waiting for the supervisor's bureau: to accept or to coordinate. One query."""
    from sanxiang.supervision.coordination_selectors import coordinations_waiting

    return list(coordinations_waiting(viewer=user))


def coordination_inbox_queryset(*, user: User) -> QuerySet:
    """The requests waiting, unread (the inbox reads a count and a slice)."""
    from sanxiang.supervision.coordination_selectors import coordinations_waiting

    return coordinations_waiting(viewer=user)


def coordination_inbox_count(*, user: User) -> int:
    from sanxiang.supervision.coordination_selectors import coordinations_waiting

    return coordinations_waiting(viewer=user).count()


# --- part B: 通报 drafted by a colleague, waiting for the viewer's approval


@dataclass(frozen=True)
class NoticeInboxRow:
    what: str
    title: str
    notice_id: int
    since: dt.date


def _notices_to_approve(user: User) -> QuerySet[Notice]:
    """The bureau's 通报 not yet approved that the viewer may approve (another supervisor drafted them)."""
    if not user_is_supervisor(user):
        return Notice.objects.none()
    return Notice.objects.filter(bureau_id=user.agency_id, approved_on__isnull=True).exclude(drafted_by_id=user.pk)


def notice_inbox_queryset(*, user: User) -> QuerySet[Notice]:
    """The 通报 to approve, oldest first, unread (the inbox reads a count and a slice)."""
    return _notices_to_approve(user).order_by("drafted_on", "id")


def notice_inbox_row(n: Notice) -> NoticeInboxRow:
    return NoticeInboxRow(what=f"审核批准{NOTICE_SCOPE_LABELS[n.scope]}", title=n.title, notice_id=n.pk,
                          since=n.drafted_on)


def notice_inbox(*, user: User, limit: int = 200) -> dict[str, list[NoticeInboxRow]]:
    """The first `limit` 通报 to approve, oldest first (one query)."""
    if NOTICE_WAITING not in inbox_kinds(user):
        return {}
    return {NOTICE_WAITING: [notice_inbox_row(n) for n in notice_inbox_queryset(user=user)[:limit]]}


def notice_inbox_count(*, user: User) -> int:
    return _notices_to_approve(user).count() if NOTICE_WAITING in inbox_kinds(user) else 0

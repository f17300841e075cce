"""What waits for a supervisor on the desk (part A; `supervision.inbox` has the other parts' kinds), for the inbox (`sanxiang.inbox`): matters of the
bureau still to triage (received), and accepted matters the supervisor handles. One query for the
rows (the first `limit`, earliest deadline first) and one for the count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sanxiang.accounts.models import Role, User
from sanxiang.procedure.supervision.matters import MatterState
from sanxiang.supervision.models import Matter, MatterSupervisor

MATTERS = "supervision_matters"
MATTERS_LABEL = "监督事项"


@dataclass(frozen=True)
class WaitingMatter:
    what: str
    number: str
    title: str
    matter_id: int
    since: dt.date
    due: dt.date | None
    overdue: bool


def user_has_supervision_inbox(user: User) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id is not None


def _waiting(user: User) -> QuerySet[Matter]:
    # A complaint or lead still to triage is listed once, under the complaints (part D's kind).
    return Matter.objects.filter(bureau_id=user.agency_id).filter(
        Q(state=MatterState.RECEIVED, complaint__isnull=True)
        | Q(state=MatterState.ACCEPTED,
            pk__in=MatterSupervisor.objects.filter(user=user, recused=False).values("matter_id"))
    )


def matters_waiting_queryset(*, user: User) -> QuerySet[Matter]:
    """The matters waiting, the earliest deadline first, unread (the inbox reads a count and a slice)."""
    return _waiting(user).order_by("transfer_due_on", "received_on", "id").only(
        "id", "number", "subject", "state", "received_on", "transfer_due_on")


def waiting_matter(m: Matter, *, on: dt.date) -> WaitingMatter:
    return WaitingMatter(
        what="受理、并案、移送或者不予监督" if m.state == MatterState.RECEIVED else "办理监督事项",
        number=m.number, title=m.subject, matter_id=m.pk,
        since=m.received_on, due=m.transfer_due_on if m.state == MatterState.RECEIVED else None,
        overdue=m.state == MatterState.RECEIVED and m.transfer_due_on is not None and m.transfer_due_on < on,
    )


def matters_waiting(*, user: User, on: dt.date, limit: int = 50) -> list[WaitingMatter]:
    return [waiting_matter(m, on=on) for m in matters_waiting_queryset(user=user)[:limit]]


def matters_waiting_count(*, user: User) -> int:
    return _waiting(user).count()

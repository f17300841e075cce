"""Writes of 执法协调 (issue 14, part C): an agency raises a request through its county's 司法局; the
supervisors and the agency take the steps of `procedure.supervision.coordination`. Each step is a
row of the history and a ledger entry, in one transaction. Free text is kept in the rows and
recorded in the ledger by its digest (it may name people and firms; the ledger is kept for ever)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction

from sanxiang.accounts.models import Role, User
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.supervision.coordination import (
    ACTIONS,
    BUREAU,
    REQUESTER,
    CoordinationState,
    coordination_action_violations,
    coordination_raise_violations,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency
from sanxiang.supervision.filing_selectors import bureau_of_agency, user_is_bureau_supervisor
from sanxiang.supervision.models import Coordination, CoordinationStep
from sanxiang.supervision.selectors import supervisor_snapshots

# Who speaks for the agency: its head or its administrator.
RAISING_ROLES = (Role.AGENCY_HEAD, Role.AGENCY_ADMIN)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def _event(*, coordination: Coordination, kind: EventKind, payload: dict[str, Any]) -> LedgerEvent:
    return LedgerEvent(kind, {"coordination": coordination.pk, "state": coordination.state, **payload},
                       agency_id=coordination.agency_id, subject=f"supervision_coordination:{coordination.pk}")


@transaction.atomic
def coordination_raise(
    *, actor: User, kind: str, subject: str, description: str, other_agency: Agency | None, on: dt.date
) -> Coordination:
    """An agency's request for coordination, sent to its county's 司法局."""
    requester = actor.agency if actor.role in RAISING_ROLES and actor.agency_id is not None else None
    bureau = bureau_of_agency(agency=requester) if requester is not None else None
    violations = coordination_raise_violations(
        kind=kind, subject=subject, description=description, requester_id=requester.pk if requester else None,
        other_agency_id=other_agency.pk if other_agency else None,
        other_in_county=bool(other_agency and requester and other_agency.region_code == requester.region_code),
    )
    if requester is not None and bureau is None:
        violations.append(Violation("coordination.no_bureau", "本县尚未登记司法局，无法提请协调",
                                    "平台规则：执法协调通过本县司法局提请"))
    if violations:
        raise Refused(violations)
    coordination = Coordination.objects.create(
        bureau=bureau, agency=requester, other_agency=other_agency if kind == "competence" else None, kind=kind,
        subject=subject.strip(), description=description.strip(), raised_on=on, raised_by=actor, updated_on=on,
    )
    CoordinationStep.objects.create(coordination=coordination, action="raise", on=on, actor=actor,
                                    text=coordination.description, state_to=coordination.state)
    entry_append(
        event=_event(coordination=coordination, kind=EventKind.SUPERVISION_COORDINATION_RAISED, payload={
            "bureau": bureau.pk, "kind": kind, "other_agency": coordination.other_agency_id, "on": on.isoformat(),
            "subject_sha256": _digest(coordination.subject), "description_sha256": _digest(coordination.description),
        }),
        actor=actor,
    )
    return coordination


def coordination_side(*, coordination: Coordination, user: User) -> str | None:
    """Which side the user acts for: a supervisor of the receiving bureau, or the requesting agency."""
    if user_is_bureau_supervisor(user) and user.agency_id == coordination.bureau_id:
        return BUREAU
    if user.role in RAISING_ROLES and user.agency_id == coordination.agency_id:
        return REQUESTER
    return None


@transaction.atomic
def coordination_act(
    *, coordination: Coordination, actor: User, action: str, data: dict[str, Any], on: dt.date
) -> Coordination:
    """Take one step of the handling (see `procedure.supervision.coordination.ACTIONS`)."""
    coordination = Coordination.objects.select_for_update().get(pk=coordination.pk)
    side = coordination_side(coordination=coordination, user=actor)
    violations = coordination_action_violations(state=coordination.state, action=action, side=side, data=data, on=on,
                                                raised_on=coordination.raised_on)
    if side == BUREAU:
        # The supervisor acts with a supervision certificate valid on the day.
        from sanxiang.procedure.parameters import parameters_default
        from sanxiang.procedure.supervision.rules import supervisor_certificate_problems

        basis = parameters_default()["supervision.min_supervisors"].reference
        [snapshot] = supervisor_snapshots(users=[actor], on=on)
        violations += supervisor_certificate_problems(snapshot, on, basis=basis)
    if violations:
        raise Refused(violations)
    spec = ACTIONS[action]
    text = str(data.get("text", "")).strip()
    if spec.to is not None:
        coordination.state = spec.to
    if action == "record_opinion":
        coordination.opinion = text
    elif action == "propose_to_government":
        coordination.handling_opinion = text
    elif action == "record_government_decision":
        coordination.government_decision = text
        coordination.government_decided_on = data["decided_on"]
    coordination.updated_on = on
    coordination.save()
    CoordinationStep.objects.create(coordination=coordination, action=action, on=on, actor=actor, text=text,
                                    state_to=coordination.state)
    payload: dict[str, Any] = {"action": action, "side": side, "on": on.isoformat(), "text_sha256": _digest(text)}
    if action == "record_government_decision":
        payload["decided_on"] = data["decided_on"].isoformat()
    entry_append(event=_event(coordination=coordination, kind=EventKind.SUPERVISION_COORDINATION_STEP, payload=payload),
                 actor=actor)
    return coordination


__all__ = ["RAISING_ROLES", "CoordinationState", "coordination_act", "coordination_raise", "coordination_side"]

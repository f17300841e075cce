"""Writes of 重大执法决定备案 (issue 14, part C).

- `filing_record_penalty` / `filing_record_compulsory`: the filing made by the platform when a
  major decision is made, inside the decision's transaction (`apps.py` subscribes them to the cases'
  typed events): the decision and its filing exist together or not at all.
- `filing_examine`: a supervisor of the receiving bureau records the examination (no problem).
- `filing_opinion_take`: the supervisors take the filing to a supervision opinion (意见书); the
  instrument itself is part B's (`supervision:instrument_new?kind=opinion&filing=<id>`).
- `filing_matter_open`: after part A is merged, the matter opened from a filing (A's `matter_open`);
  the lead wires it into `filing_opinion_take`.
Each appends its ledger entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.supervision.filings import (
    FilingKind,
    FilingState,
    compulsory_decision_major,
    filing_due,
    filing_examine_violations,
    filing_in_force,
)
from sanxiang.procedure.violations import Refused
from sanxiang.review.selectors import _catalogue_history, tally_compute
from sanxiang.supervision.filing_selectors import bureau_of_agency
from sanxiang.supervision.models import Filing
from sanxiang.supervision.selectors import supervisor_snapshots

PENALTY_DECIDING_ACTIONS = ("decide", "decide_on_spot")


def _filing_event(*, filing: Filing, kind: EventKind, payload: dict) -> LedgerEvent:
    return LedgerEvent(
        kind,
        {"filing": filing.pk, "state": filing.state, **payload},
        agency_id=filing.agency_id,
        case_id=filing.case_id,
        subject=f"supervision_filing:{filing.pk}",
    )


def _filing_store(
    *, case: Case, kind: FilingKind, action: str, actions: tuple[str, ...], decision_label: str,
    criteria: list[str], on: dt.date, actor: User | None,
) -> Filing:
    due = filing_due(decided_on=on, calendar=working_day_calendar_current())
    bureau = bureau_of_agency(agency=case.agency)
    filing = Filing.objects.create(
        case=case, agency_id=case.agency_id, bureau=bureau, kind=kind, action=action, decision_label=decision_label,
        criteria=criteria, decided_on=on, filed_on=on, due_on=due.due_on, due_estimated=due.estimated,
    )
    documents = list(IssuedDocument.objects.filter(case=case, action__in=actions, issued_on=on).order_by("pk"))
    filing.documents.set(documents)
    entry_append(
        event=_filing_event(
            filing=filing,
            kind=EventKind.SUPERVISION_FILING_MADE,
            payload={
                "case": case.pk,
                "bureau": bureau.pk if bureau else None,
                "kind": str(kind),
                "action": action,
                "criteria": criteria,
                "decided_on": on.isoformat(),
                "filed_on": on.isoformat(),
                "due_on": due.due_on.isoformat(),
                "basis": due.basis,
                "documents": [{"id": d.pk, "kind": d.kind, "number": d.number} for d in documents],
            },
        ),
        actor=actor,
    )
    return filing


def filing_record_penalty(*, case: Case, snapshot, on: dt.date, actor: User | None) -> Filing | None:
    """File the penalty decision just made when it is major (the engine's assessment as the legal
    review figures compute it, under the catalogue in force on the decision day); None when it is
    not major or the filing rule is not in force on `on`."""
    if not filing_in_force(on=on):
        return None
    values = tally_compute(snapshot, agency_id=case.agency_id, calendar=working_day_calendar_current(),
                           history=_catalogue_history([case.agency_id]).get(case.agency_id, []))
    if values is None or not values.major:
        return None
    action = "decide_on_spot" if getattr(snapshot, "on_spot", None) is not None else "decide"
    return _filing_store(case=case, kind=FilingKind.PENALTY, action=action, actions=PENALTY_DECIDING_ACTIONS,
                         decision_label="行政处罚决定", criteria=list(values.criteria), on=on, actor=actor)


def filing_record_compulsory(
    *, case: Case, procedure: str, action: str, label: str, on: dt.date, actor: User | None
) -> Filing | None:
    """File the compulsory decision just made when its step is listed as major
    (`supervision.filing_major_compulsory_actions`); None otherwise."""
    if not filing_in_force(on=on) or not compulsory_decision_major(procedure=procedure, action=action, on=on):
        return None
    return _filing_store(case=case, kind=FilingKind.COMPULSORY, action=action, actions=(action,), decision_label=label,
                         criteria=[f"{procedure}:{action}"], on=on, actor=actor)


def _examiner_violations(*, filing: Filing, actor: User, on: dt.date) -> list:
    is_supervisor = actor.supervisor_id is not None and filing.bureau_id is not None
    snapshot = supervisor_snapshots(users=[actor], on=on)[0] if is_supervisor else None
    return filing_examine_violations(
        state=filing.state, examiner=snapshot, examiner_bureau_matches=is_supervisor and actor.agency_id == filing.bureau_id,
        on=on,
    )


def _filing_examined(*, filing: Filing, actor: User, on: dt.date, note: str, state: FilingState,
                     outcome: str) -> Filing:
    """The examination of a filing, recorded with its outcome (no problem, or taken to an opinion)."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    violations = _examiner_violations(filing=filing, actor=actor, on=on)
    if violations:
        raise Refused(violations)
    filing.state = state
    filing.examined_on = on
    filing.examined_by = actor
    filing.examination_note = note.strip()
    filing.save(update_fields=["state", "examined_on", "examined_by", "examination_note"])
    entry_append(
        event=_filing_event(filing=filing, kind=EventKind.SUPERVISION_FILING_EXAMINED,
                            payload={"on": on.isoformat(), "outcome": outcome, "note_given": bool(filing.examination_note)}),
        actor=actor,
    )
    return filing


@transaction.atomic
def filing_examine(*, filing: Filing, actor: User, on: dt.date, note: str = "") -> Filing:
    """Record that the filing was examined and no problem found (审查无异议)."""
    return _filing_examined(filing=filing, actor=actor, on=on, note=note, state=FilingState.EXAMINED,
                            outcome="examined")


@transaction.atomic
def filing_opinion_take(*, filing: Filing, actor: User, on: dt.date, note: str = "") -> Filing:
    """Record that the supervisors take the filing to a supervision opinion (意见书): the filing is
    examined, with a problem, and a supervision matter is opened on which the pair issues it."""
    filing = _filing_examined(filing=filing, actor=actor, on=on, note=note, state=FilingState.OPINION,
                              outcome="opinion")
    # The problem found becomes a supervision matter (part A), on which the pair issues the 意见书.
    filing_matter_open(filing=filing, actor=actor)
    return filing


def filing_matter_open(*, filing: Filing, actor: User):
    """The supervision matter opened from a filing taken to an opinion (part A's `matter_open`), in
    the same transaction; its origin names the filing."""
    from sanxiang.procedure.supervision.rules import MatterSource
    from sanxiang.supervision.services import matter_open  # part A

    return matter_open(
        bureau=filing.bureau, source=MatterSource.ROUTINE, agency=filing.agency, actor=actor,
        subject=f"重大执法决定备案审查：{filing.case.number}{filing.decision_label}",
        summary=filing.examination_note, received_on=filing.filed_on, origin=f"supervision_filing:{filing.pk}",
    )


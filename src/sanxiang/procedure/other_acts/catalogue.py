"""The generic act in the catalogue of procedures (`other_act`): a case of kind 行政给付、确认、奖励、
裁决 or another act (the kind chosen at registration) can be registered, its steps taken and its
publication deadline listed like any other procedure's."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts.procedures import OTHER_ACT
from sanxiang.procedure.other_acts.rules import KINDS, OtherActSnapshot
from sanxiang.procedure.other_acts.steps import KEY, STEPS
from sanxiang.procedure.parameters import ParameterSet
from sanxiang.procedure.penalty.deadlines import Deadline, DeadlinePhase, DeadlineProblem
from sanxiang.procedure.violations import Violation

# The snapshot fields read afresh (cases.selectors.SNAPSHOT_SOURCES); the rest are the case's facts.
DERIVED_FIELDS = frozenset({"state", "records", "region", "matter", "catalogue", "officers"})
OPTIONS = {"act_kind": dict(KINDS)}


def _facts_initial(*, options: dict[str, str], on: dt.date, **_: Any) -> dict[str, Any]:
    return {"kind": options["act_kind"], "opened_on": on}


def _advance(snapshot: OtherActSnapshot, action: str, context: GuardContext) -> OtherActSnapshot:
    return replace(snapshot, state=OTHER_ACT.transition(action).target)


def _publication(snapshot: OtherActSnapshot) -> dict[str, Any]:
    decision, publicity = snapshot.decision, snapshot.publicity
    return dict(code="other_act.publication", label="公开决定", soon_parameter="other_act.due_soon_days",
                decided_on=decision.on if decision else None,
                published_on=publicity.published_on if publicity else None,
                closed=snapshot.state == "not_published", region=snapshot.region)


def other_act_deadline_phases(snapshot: OtherActSnapshot, *, calendar: LegalCalendar, on: dt.date,
                               parameters: ParameterSet | None = None
                               ) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    return d.publication_phases(calendar=calendar, on=on, parameters=parameters, **_publication(snapshot))


def other_act_deadlines(snapshot: OtherActSnapshot, *, calendar: LegalCalendar, today: dt.date,
                        parameters: ParameterSet | None = None) -> tuple[list[Deadline], list[Violation]]:
    return d.publication_deadlines(calendar=calendar, today=today, parameters=parameters, **_publication(snapshot))


OTHER_ACT_SPEC = procedure_register(
    ProcedureSpec(
        key=KEY,
        label="其他行政行为",
        act_kind="other",
        engine=OTHER_ACT,
        snapshot_type=OtherActSnapshot,
        steps=STEPS,
        derived_fields=DERIVED_FIELDS,
        advance=_advance,
        deadline_phases=other_act_deadline_phases,
        deadlines=other_act_deadlines,
        facts_initial=_facts_initial,
        options=OPTIONS,
        option_labels={"act_kind": "行为种类"},
        matter_kinds=("other",),
        help="行政给付、行政确认、行政奖励、行政裁决等：依据、决定、法制审核（目录所列的）、公开",
    )
)

__all__ = ["DERIVED_FIELDS", "OTHER_ACT_SPEC", "other_act_deadlines"]

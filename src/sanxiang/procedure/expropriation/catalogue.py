"""行政征收征用 in the catalogue of procedures (`expropriation`): a case of kind 征收 or 征用 (chosen
at registration) can be registered, its steps taken and its publication deadline listed like any
other procedure's."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.expropriation.procedures import EXPROPRIATION
from sanxiang.procedure.expropriation.rules import KINDS, ExpropriationSnapshot
from sanxiang.procedure.expropriation.steps import KEY, STEPS
from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.parameters import ParameterSet
from sanxiang.procedure.penalty.deadlines import Deadline, DeadlinePhase, DeadlineProblem
from sanxiang.procedure.violations import Violation

DERIVED_FIELDS = frozenset({"state", "records", "region", "matter", "catalogue", "officers"})
OPTIONS = {"expropriation_kind": dict(KINDS)}


def _facts_initial(*, options: dict[str, str], on: dt.date, **_: Any) -> dict[str, Any]:
    return {"kind": options["expropriation_kind"], "opened_on": on}


def _advance(snapshot: ExpropriationSnapshot, action: str, context: GuardContext) -> ExpropriationSnapshot:
    return replace(snapshot, state=EXPROPRIATION.transition(action).target)


def _publication(snapshot: ExpropriationSnapshot) -> dict[str, Any]:
    decision, publicity = snapshot.decision, snapshot.publicity
    return dict(code="expropriation.publication", label="公开征收（征用）决定", soon_parameter="expropriation.due_soon_days",
                decided_on=decision.on if decision else None,
                published_on=publicity.published_on if publicity else None,
                closed=False, region=snapshot.region)


def expropriation_deadline_phases(snapshot: ExpropriationSnapshot, *, calendar: LegalCalendar, on: dt.date,
                                   parameters: ParameterSet | None = None
                                   ) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    return d.publication_phases(calendar=calendar, on=on, parameters=parameters, **_publication(snapshot))


def expropriation_deadlines(snapshot: ExpropriationSnapshot, *, calendar: LegalCalendar, today: dt.date,
                            parameters: ParameterSet | None = None) -> tuple[list[Deadline], list[Violation]]:
    return d.publication_deadlines(calendar=calendar, today=today, parameters=parameters, **_publication(snapshot))


EXPROPRIATION_SPEC = procedure_register(
    ProcedureSpec(
        key=KEY,
        label="行政征收征用",
        act_kind="expropriation",
        engine=EXPROPRIATION,
        snapshot_type=ExpropriationSnapshot,
        steps=STEPS,
        derived_fields=DERIVED_FIELDS,
        advance=_advance,
        deadline_phases=expropriation_deadline_phases,
        deadlines=expropriation_deadlines,
        facts_initial=_facts_initial,
        options=OPTIONS,
        option_labels={"expropriation_kind": "征收或者征用"},
        matter_kinds=("expropriation", "requisition"),
        help="行政征收征用：立项、评估、补偿方案、法制审核（目录所列的）、决定、送达、公开",
    )
)

__all__ = ["DERIVED_FIELDS", "EXPROPRIATION_SPEC", "expropriation_deadlines"]

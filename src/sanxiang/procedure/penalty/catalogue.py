"""行政处罚's procedures in the catalogue: 普通程序 and 简易程序."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty import steps
from sanxiang.procedure.penalty.deadlines import penalty_deadline_phases, penalty_deadlines_checked
from sanxiang.procedure.penalty.procedures import AUDIO_VIDEO_STEPS, ORDINARY, SUMMARY, penalty_apply
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot
from sanxiang.procedure.penalty.texts import PenaltyTexts

# The snapshot fields read afresh from the registry, the evidence store and the case's columns;
# every other field is a fact of the case, stored with it.
DERIVED_FIELDS = frozenset(
    {"state", "party", "act_date", "enforcement_field", "region", "officers", "records", "matter", "catalogue",
     "enforcement_cases_open"}
)


def _facts_initial(*, discovered_on: dt.date | None, act_date: dt.date | None, on: dt.date,
                   summary: bool = False, **_: Any) -> dict[str, Any]:
    # The limitation period (citations.LIMITATION_DISCOVERY) runs to the day the act was found:
    # the day given, the day of the act for an on-the-spot case, or the day of registration.
    return {"discovered_on": discovered_on or (act_date if summary else None) or on}


def _summary_facts_initial(**given: Any) -> dict[str, Any]:
    return _facts_initial(**given, summary=True)


def _steps(key: str, engine) -> tuple:
    """The steps of one of the two procedures; a step of both keeps the states of this one."""
    return tuple(
        replace(step, states=tuple(s for s in step.states if engine.state(s) is not None))
        for step in steps.steps_of(key)
    )


def _advance(engine):
    def advance(snapshot: PenaltyCaseSnapshot, action: str, context: GuardContext) -> PenaltyCaseSnapshot:
        return penalty_apply(engine, snapshot, action, context=context)

    return advance


PENALTY_ORDINARY = procedure_register(
    ProcedureSpec(
        key=steps.ORDINARY,
        label="普通程序",
        act_kind="penalty",
        engine=ORDINARY,
        snapshot_type=PenaltyCaseSnapshot,
        steps=_steps(steps.ORDINARY, ORDINARY),
        derived_fields=DERIVED_FIELDS,
        advance=_advance(ORDINARY),
        deadlines=penalty_deadlines_checked,
        deadline_phases=penalty_deadline_phases,
        audio_video_steps=frozenset(AUDIO_VIDEO_STEPS),
        facts_initial=_facts_initial,
        form_initial=steps.penalty_form_initial,
        texts_type=PenaltyTexts,
        records_initial=("lead_record",),
    )
)
PENALTY_SUMMARY = procedure_register(
    ProcedureSpec(
        key=steps.SUMMARY,
        label="简易程序",
        act_kind="penalty",
        engine=SUMMARY,
        snapshot_type=PenaltyCaseSnapshot,
        steps=_steps(steps.SUMMARY, SUMMARY),
        derived_fields=DERIVED_FIELDS,
        advance=_advance(SUMMARY),
        deadlines=penalty_deadlines_checked,
        deadline_phases=penalty_deadline_phases,
        audio_video_steps=frozenset(AUDIO_VIDEO_STEPS),
        facts_initial=_summary_facts_initial,
        form_initial=steps.penalty_form_initial,
        texts_type=PenaltyTexts,
        matter_kinds=("penalty",),
    )
)

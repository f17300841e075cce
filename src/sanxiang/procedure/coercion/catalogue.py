"""行政强制措施's procedures in the catalogue: 查封、扣押 (`seal_seizure`, the kind chosen at
registration) and 冻结 (`freeze`). A measure is taken inside a penalty case (its parent) or on its
own."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.coercion.basis import GUIDELINE_118, coercion_article
from sanxiang.procedure.coercion.deadlines import coercion_deadline_phases, coercion_deadlines
from sanxiang.procedure.coercion.procedures import FREEZE, SEAL_SEIZURE
from sanxiang.procedure.coercion.snapshot import MeasureSnapshot
from sanxiang.procedure.coercion.steps import FREEZE_KEY, FREEZE_STEPS, SEAL_SEIZURE_KEY, SEAL_SEIZURE_STEPS
from sanxiang.procedure.coercion.texts import MeasureTexts
from sanxiang.procedure.engine import GuardContext, Procedure

# The snapshot fields read afresh (cases.selectors.SNAPSHOT_SOURCES); the rest are the case's facts.
DERIVED_FIELDS = frozenset(
    {"state", "records", "region", "enforcement_field", "officers", "agency_kind", "penalty_case_id", "penalty_case"}
)
SEAL_SEIZURE_OPTIONS = {"measure_kind": {"seal_up": "查封", "seizure": "扣押"}}
# A recording step in the wrong state breaks the rule that the 现场笔录 and the records follow the
# measure as it happens.
RECORDING_BASIS = f"{coercion_article(18, detail='第七项')}；{GUIDELINE_118}"


def _seal_seizure_facts(*, options: dict[str, str], **_: Any) -> dict[str, Any]:
    return {"kind": options["measure_kind"]}


def _freeze_facts(**_: Any) -> dict[str, Any]:
    return {"kind": "freeze"}


def _advance(engine: Procedure[MeasureSnapshot]):
    """The engine's target state; `step_evaluate` has already run every guard."""

    def advance(snapshot: MeasureSnapshot, action: str, context: GuardContext) -> MeasureSnapshot:
        return replace(snapshot, state=engine.transition(action).target)

    return advance


SEAL_SEIZURE_SPEC = procedure_register(
    ProcedureSpec(
        key=SEAL_SEIZURE_KEY,
        label="查封、扣押",
        act_kind="coercion",
        engine=SEAL_SEIZURE,
        snapshot_type=MeasureSnapshot,
        steps=SEAL_SEIZURE_STEPS,
        derived_fields=DERIVED_FIELDS,
        advance=_advance(SEAL_SEIZURE),
        deadlines=coercion_deadlines,
        deadline_phases=coercion_deadline_phases,
        audio_video_steps=frozenset({"seal_up", "seizure"}),
        facts_initial=_seal_seizure_facts,
        options=SEAL_SEIZURE_OPTIONS,
        option_labels={"measure_kind": "强制措施种类"},
        parent_act_kinds=("penalty",),
        matter_kinds=("coercion",),
        texts_type=MeasureTexts,
        recording_basis=RECORDING_BASIS,
        help="行政强制措施：查封场所、设施或者财物，扣押财物",
    )
)
FREEZE_SPEC = procedure_register(
    ProcedureSpec(
        key=FREEZE_KEY,
        label="冻结",
        act_kind="coercion",
        engine=FREEZE,
        snapshot_type=MeasureSnapshot,
        steps=FREEZE_STEPS,
        derived_fields=DERIVED_FIELDS,
        advance=_advance(FREEZE),
        deadlines=coercion_deadlines,
        deadline_phases=coercion_deadline_phases,
        audio_video_steps=frozenset({"freeze"}),
        facts_initial=_freeze_facts,
        parent_act_kinds=("penalty",),
        matter_kinds=("coercion",),
        texts_type=MeasureTexts,
        recording_basis=RECORDING_BASIS,
        help="行政强制措施：冻结存款、汇款",
    )
)

__all__ = ["DERIVED_FIELDS", "FREEZE_SPEC", "SEAL_SEIZURE_SPEC"]

"""The compulsory measures (行政强制措施: 查封、扣押、冻结) of 行政强制法 第十七条至第三十三条 as code:
the procedures, the snapshot their guards read, and the periods computed from it. Pure Python,
like the rest of `sanxiang.procedure`."""

from sanxiang.procedure.coercion.deadlines import (
    coercion_deadlines,
    emergency_approval_due,
    freeze_decision_due,
    measure_expired,
    measure_period_end,
)
from sanxiang.procedure.coercion.guards import AUDIO_VIDEO_STEP_LABELS, audio_video_missing
from sanxiang.procedure.coercion.procedures import FREEZE, RECORD_KINDS, SEAL_SEIZURE, coercion_procedure
from sanxiang.procedure.coercion.snapshot import (
    DECISION_ELEMENTS,
    FREEZE_DECISION_ELEMENTS,
    MEASURE_KINDS,
    Examination,
    Extension,
    HeadApproval,
    MeasureSnapshot,
    OnSpot,
    PropertyChecks,
)

__all__ = [
    "AUDIO_VIDEO_STEP_LABELS",
    "DECISION_ELEMENTS",
    "FREEZE",
    "FREEZE_DECISION_ELEMENTS",
    "MEASURE_KINDS",
    "RECORD_KINDS",
    "SEAL_SEIZURE",
    "Examination",
    "Extension",
    "HeadApproval",
    "MeasureSnapshot",
    "OnSpot",
    "PropertyChecks",
    "audio_video_missing",
    "coercion_deadlines",
    "coercion_procedure",
    "emergency_approval_due",
    "freeze_decision_due",
    "measure_expired",
    "measure_period_end",
]

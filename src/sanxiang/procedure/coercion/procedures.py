"""The compulsory measures (行政强制措施) as data: 查封、扣押 (`SEAL_SEIZURE`) and 冻结 (`FREEZE`),
inside a penalty case or on their own.

查封、扣押: proposed → approved → in_force (or, in an emergency, proposed → emergency_taken →
in_force once the head approves within 24 hours) → extended (once) → released | confiscated |
destroyed. 冻结: proposed → approved → in_force → extended → released | handled. A measure whose
period has run shows `overdue` in its deadlines, and release is then the only step the engine
allows (`guards.not_expired` on every other way out).
"""

from sanxiang.procedure.coercion import guards as g
from sanxiang.procedure.coercion.basis import GUIDELINE_118, coercion_article
from sanxiang.procedure.coercion.snapshot import MeasureSnapshot
from sanxiang.procedure.engine import Procedure, RecordKind, RecordRequirement, State, Transition

ART = coercion_article
Requirement = RecordRequirement[MeasureSnapshot]
Step = Transition[MeasureSnapshot]

RECORD_KINDS = (
    RecordKind("approval_form", "行政强制措施审批表"),
    RecordKind("emergency_report", "紧急情况当场实施行政强制措施报告及补办批准记录"),
    RecordKind("on_site_record", "现场笔录"),
    RecordKind("measure_decision", "查封（扣押）决定书"),
    RecordKind("inventory", "查封（扣押）清单"),
    RecordKind("freeze_notice", "协助冻结通知书（交金融机构）"),
    RecordKind("freeze_decision", "冻结决定书"),
    RecordKind("freeze_decision_receipt", "冻结决定书送达回证"),
    RecordKind("testing_notice", "检测（检验、检疫、技术鉴定）期间告知书"),
    RecordKind("extension_approval", "延长期限审批表"),
    RecordKind("extension_notice", "延长期限通知书"),
    RecordKind("release_decision", "解除行政强制措施决定书"),
    RecordKind("return_record", "退还财物清单（解除查封、扣押）"),
    RecordKind("confiscation_decision", "没收决定（行政处罚决定书）"),
    RecordKind("destruction_record", "销毁记录"),
    RecordKind("handling_decision", "冻结款项处理决定"),
    *(RecordKind(f"audio_video_{step}", f"音像记录（{label}）") for step, label in g.AUDIO_VIDEO_STEP_LABELS.items()),
)

RECORDING = f"{ART(18, detail='第七项')}；{GUIDELINE_118}"

ON_SPOT_RECORDS = (
    Requirement(("on_site_record",), ART(18, detail="第七项")),
    Requirement(("measure_decision",), ART(24)),
    Requirement(("inventory",), ART(24)),
)

SEAL_SEIZURE_TAKE_GUARDS = (
    g.not_entrusted,
    g.officers_qualified,
    g.on_spot_procedure,
    g.property_lawful,
    g.documents_handed_over,
    g.audio_video_recorded,
)

COMMON_STATES = (
    State("proposed", "拟采取"),
    State("approved", "已批准，待实施"),
    State("in_force", "实施中"),
    State("extended", "已延长期限"),
    State("released", "已解除", final=True),
    State("not_taken", "未实施", final=True),
)

APPROVE = Step(
    "coercion_approve", "负责人批准", ("proposed",), "approved",
    guards=(g.head_approved_before,),
    records=(Requirement(("approval_form",), ART(18, detail="第一项")),),
    legal_basis=ART(18, detail="第一项"),
)
DECLINE = Step(
    "coercion_decline", "不予实施", ("proposed", "approved"), "not_taken",
    legal_basis=ART(18, detail="第一项"),
)
EXTEND = Step(
    "coercion_extend", "延长期限", ("in_force",), "extended",
    guards=(g.extension_before_expiry, g.extension_lawful),
    records=(
        Requirement(("extension_approval",), ART(25, detail="第一款")),
        Requirement(("extension_notice",), ART(25, detail="第一款")),
    ),
    legal_basis=ART(25, detail="第一款"),
)

SEAL_SEIZURE: Procedure[MeasureSnapshot] = Procedure(
    name="coercion",
    label="查封、扣押",
    states=(
        *COMMON_STATES,
        State("emergency_taken", "紧急实施，待补办批准"),
        State("confiscated", "已没收", final=True),
        State("destroyed", "已销毁", final=True),
    ),
    initial="proposed",
    transitions=(
        APPROVE,
        DECLINE,
        Step(
            "coercion_take", "实施查封、扣押", ("approved",), "in_force",
            guards=(g.head_approved_before, g.approval_before_taking, *SEAL_SEIZURE_TAKE_GUARDS),
            records=ON_SPOT_RECORDS,
            legal_basis=ART(18, 24),
        ),
        Step(
            "coercion_take_emergency", "紧急情况当场实施", ("proposed",), "emergency_taken",
            guards=(g.emergency_reason_given, g.taken_at_recorded, *SEAL_SEIZURE_TAKE_GUARDS),
            records=ON_SPOT_RECORDS,
            legal_basis=ART(19),
        ),
        Step(
            "coercion_confirm_emergency", "补办批准手续", ("emergency_taken",), "in_force",
            guards=(g.emergency_approval_in_time, g.not_expired),
            records=(Requirement(("emergency_report",), ART(19)),),
            legal_basis=ART(19),
        ),
        EXTEND,
        Step(
            "coercion_release", "解除查封、扣押", ("emergency_taken", "in_force", "extended"), "released",
            records=(
                Requirement(("release_decision",), ART(28, detail="第一款")),
                Requirement(("return_record",), ART(28, detail="第二款")),
            ),
            legal_basis=ART(19, 28),
        ),
        Step(
            "coercion_confiscate", "依法没收", ("in_force", "extended"), "confiscated",
            guards=(g.seal_seizure_only, g.not_expired),
            records=(Requirement(("confiscation_decision",), ART(27)),),
            legal_basis=ART(27),
        ),
        Step(
            "coercion_destroy", "依法销毁", ("in_force", "extended"), "destroyed",
            guards=(g.seal_seizure_only, g.not_expired),
            records=(Requirement(("destruction_record",), ART(27)),),
            legal_basis=ART(27),
        ),
    ),
    record_kinds=RECORD_KINDS,
    legal_basis=ART(18, 28),
)

FREEZE: Procedure[MeasureSnapshot] = Procedure(
    name="coercion",
    label="冻结存款、汇款",
    states=(*COMMON_STATES, State("handled", "已作出处理决定", final=True)),
    initial="proposed",
    transitions=(
        APPROVE,
        DECLINE,
        Step(
            "coercion_take", "实施冻结", ("approved",), "in_force",
            guards=(
                g.head_approved_before,
                g.approval_before_taking,
                g.not_entrusted,
                g.officers_qualified,
                g.freeze_on_spot_procedure,
                g.freeze_decision_elements,
                g.audio_video_recorded,
            ),
            records=(
                Requirement(("on_site_record",), ART(30, detail="第一款")),
                Requirement(("freeze_notice",), ART(30, detail="第一款")),
                Requirement(("freeze_decision",), ART(31)),
            ),
            legal_basis=ART(30, 31),
        ),
        Step(
            "coercion_extend", "延长冻结期限", ("in_force",), "extended",
            guards=(g.extension_before_expiry, g.extension_lawful),
            records=(
                Requirement(("extension_approval",), ART(32, detail="第一款")),
                Requirement(("extension_notice",), ART(32, detail="第一款")),
            ),
            legal_basis=ART(32, detail="第一款"),
        ),
        Step(
            "coercion_release", "解除冻结", ("in_force", "extended"), "released",
            records=(Requirement(("release_decision",), ART(33)),),
            legal_basis=ART(33),
        ),
        Step(
            "coercion_handle", "作出处理决定", ("in_force", "extended"), "handled",
            guards=(g.not_expired,),
            records=(
                Requirement(("freeze_decision_receipt",), ART(31, detail="第一款")),
                Requirement(("handling_decision",), ART(32, detail="第一款")),
            ),
            legal_basis=ART(32, detail="第一款"),
        ),
    ),
    record_kinds=RECORD_KINDS,
    legal_basis=ART(30, 33),
)

PROCEDURES: dict[str, Procedure[MeasureSnapshot]] = {"seal_up": SEAL_SEIZURE, "seizure": SEAL_SEIZURE, "freeze": FREEZE}


def coercion_procedure(*, kind: str) -> Procedure[MeasureSnapshot]:
    """The procedure a measure of `kind` (查封、扣押 or 冻结) follows."""
    return PROCEDURES[kind]

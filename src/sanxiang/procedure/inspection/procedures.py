"""An administrative inspection (行政检查) as data on the engine, like the penalty and coercion
procedures, with the states the inspection app stores (`InspectionState`): assigned → approved
(the head's approval; ≥ 2 qualified officers; within the yearly cap; a special inspection filed)
→ in_progress (the visit begins: the officers on the day, the off-site check first where the
items allow) → recorded (the 现场检查笔录 with its checklist and photos; or, from approved, the
off-site check itself when it reached the purpose) → closed (the result told to the enterprise).
In an emergency the officers begin from assigned (紧急情况先行检查, 海南 第十五条) and the head approves
afterwards (事后补办, a recording step). Before the visit begins, another body of the county may join it
(综合查一次, a recording step of that body's head, which is its approval): approval and start then
need every joined body's approval and, body by body, enough qualified officers of its own. An
inspection not carried out ends `cancelled`. A violation found opens a penalty case and a rectification order a follow-up
inspection: both are new cases of their own, linked to this one (the Django side).
"""

from sanxiang.procedure.engine import Procedure, RecordKind, RecordRequirement, State, Transition
from sanxiang.procedure.inspection import rules as r
from sanxiang.procedure.inspection.rules import InspectionSnapshot

Requirement = RecordRequirement[InspectionSnapshot]
Step = Transition[InspectionSnapshot]

RECORD_KINDS = (
    RecordKind("approval_form", "行政检查审批表"),
    RecordKind("emergency_report", "紧急情况先行检查报告"),
    RecordKind("special_filing", "专项检查备案材料"),
    RecordKind("offsite_record", "非现场检查记录"),
    RecordKind("on_site_record", "现场检查笔录"),
    RecordKind("photo", "现场照片"),
    RecordKind("audio_video", "音像记录"),
    RecordKind("result_notice", "检查结果告知书"),
)

APPROVAL_BASIS = "《海南省涉企行政检查条例（试行）》第十五条"
OFFSITE_BASIS = "《优化营商环境条例》第五十六条；《海南省涉企行政检查条例（试行）》第十六条"
RESULT_BASIS = "《海南省涉企行政检查条例（试行）》第二十二条"

STATES = (
    State("assigned", "已派出，待负责人审批"),
    State("approved", "已批准，待检查"),
    State("in_progress", "检查中"),
    State("recorded", "已检查，待告知结果"),
    State("closed", "已告知检查结果", final=True),
    State("cancelled", "未实施", final=True),
)

APPROVE = Step(
    "inspection_approve", "负责人批准检查", ("assigned",), "approved",
    guards=(r.has_object, r.approval_given, r.special_filed, r.joined_bodies_approved, r.assigned_officers_qualified,
            r.cap_violations),
    records=(
        Requirement(("approval_form",), APPROVAL_BASIS),
        Requirement(("special_filing",), r.SPECIAL_FILING_BASIS, when=lambda s, c: s.kind == "special"),
    ),
    legal_basis=APPROVAL_BASIS,
)
EMERGENCY_START = Step(
    "inspection_start_emergency", "紧急情况先行检查", ("assigned",), "in_progress",
    guards=(
        r.has_object,
        r.emergency_start_allowed,
        r.within_planned_period,
        r.starting_officers_qualified,
        r.cap_violations,
    ),
    records=(Requirement(("emergency_report",), r.EMERGENCY_BASIS),),
    legal_basis=r.EMERGENCY_BASIS,
)
DECLINE = Step(
    "inspection_decline", "不予实施", ("assigned", "approved", "in_progress", "recorded"), "cancelled",
    guards=(r.decline_allowed,),
    legal_basis=APPROVAL_BASIS,
)
START = Step(
    "inspection_start", "开始现场检查", ("approved",), "in_progress",
    guards=(
        r.has_object,
        r.approval_given,
        r.special_filed,
        r.joined_bodies_approved,
        r.within_planned_period,
        r.starting_officers_qualified,
        r.offsite_first,
        r.cap_violations,
    ),
    legal_basis=r.CERTIFICATES_SHOWN_BASIS,
)
RECORD = Step(
    "inspection_record", "填写现场检查记录", ("in_progress",), "recorded",
    guards=(
        r.has_object,
        r.approval_given,
        r.approved_before_visit,
        r.emergency_not_refused_record,
        r.special_filed,
        r.visiting_officers_qualified,
        r.offsite_first,
        r.checklist_complete,
        r.whole_process_recorded,
        r.cap_violations,
    ),
    records=(
        Requirement(("on_site_record",), r.RECORD_BASIS),
        Requirement(("photo", "audio_video"), r.MEDIA_BASIS),
    ),
    legal_basis=r.RECORD_BASIS,
)
CONCLUDE_OFFSITE = Step(
    "inspection_conclude_offsite", "以非现场检查完成", ("approved",), "recorded",
    guards=(r.has_object, r.approval_given, r.special_filed, r.offsite_concludes, r.cap_violations),
    records=(Requirement(("offsite_record",), OFFSITE_BASIS),),
    legal_basis=OFFSITE_BASIS,
)
SEND_RESULT = Step(
    "inspection_send_result", "告知检查结果", ("recorded",), "closed",
    guards=(r.emergency_not_refused_result, r.result_complete),
    records=(Requirement(("result_notice",), RESULT_BASIS),),
    legal_basis=RESULT_BASIS,
)

INSPECTION: Procedure[InspectionSnapshot] = Procedure(
    name="inspection",
    label="行政检查",
    states=STATES,
    initial="assigned",
    transitions=(APPROVE, EMERGENCY_START, DECLINE, START, RECORD, CONCLUDE_OFFSITE, SEND_RESULT),
    record_kinds=RECORD_KINDS,
    legal_basis=r.INSPECTION_BASIS,
)

"""行政强制执行 as data: the agency's own execution (催告, 陈述申辩, 强制执行决定, 执行协议, 代履行,
强制拆除) and the application to the court (第五十三条至第五十八条), in one procedure.

A case enforces one administrative decision (an unpaid penalty decision, ordinary or summary, or
another decision imposing a duty). Which path it can take follows from its facts: an agency that a
law empowers executes itself; the others apply to the court. Each transition names its guards
(enforcement/guards.py) and the records of whole-process recording that must exist before it.
"""

from dataclasses import replace

from sanxiang.procedure.enforcement import guards as g
from sanxiang.procedure.enforcement.basis import GUIDELINE_118, compulsion_article
from sanxiang.procedure.enforcement.snapshot import EnforcementCaseSnapshot
from sanxiang.procedure.engine import (
    GuardContext,
    Procedure,
    RecordKind,
    RecordRequirement,
    State,
    Transition,
    action_check,
)

ART = compulsion_article
Snapshot = EnforcementCaseSnapshot
Requirement = RecordRequirement[EnforcementCaseSnapshot]
RECORDING = f"{GUIDELINE_118}（执法全过程记录）"

RECORD_KINDS = (
    RecordKind("demand", "催告书"),
    RecordKind("demand_service_receipt", "催告书送达回证"),
    RecordKind("statement_record", "陈述申辩笔录或者书面陈述申辩材料"),
    RecordKind("reexamination_record", "陈述申辩复核意见"),
    RecordKind("execution_decision", "强制执行决定书"),
    RecordKind("execution_service_receipt", "强制执行决定书送达回证"),
    RecordKind("execution_record", "强制执行现场笔录"),
    RecordKind("agreement", "执行协议"),
    RecordKind("demolition_notice", "强制拆除公告"),
    RecordKind("substitute_decision", "代履行决定书"),
    RecordKind("substitute_service_receipt", "代履行决定书送达回证"),
    RecordKind("substitute_demand", "代履行催告书"),
    RecordKind("substitute_record", "代履行执行文书"),
    RecordKind("court_application", "强制执行申请书"),
    RecordKind("court_ruling", "人民法院执行裁定书"),
    RecordKind("performance_proof", "履行凭证（缴款凭证或者履行情况记录）"),
    *(RecordKind(f"audio_video_{step}", f"音像记录（{label}）") for step, label in g.AUDIO_VIDEO_STEPS.items()),
)


def statements_made(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(snapshot.statements)


def is_demolition(snapshot: Snapshot, context: GuardContext) -> bool:
    return g.demolition(snapshot)


DEMAND_RECORDS = (
    Requirement(("demand",), ART(35)),
    Requirement(("demand_service_receipt",), ART(38)),
)
STATEMENT_RECORDS = (
    Requirement(("statement_record",), ART(36), statements_made),
    Requirement(("reexamination_record",), ART(36), statements_made),
)

STATES = (
    State("pending", "逾期未履行（待催告）"),
    State("demanded", "已催告"),
    State("decided", "已作出强制执行决定"),
    State("decision_served", "强制执行决定书已送达"),
    State("agreement", "执行协议履行中"),
    State("substitute_decided", "已决定代履行"),
    State("court_applied", "已申请人民法院强制执行"),
    State("court_ruled", "人民法院已裁定"),
    State("executed", "已强制执行"),
    State("performed", "当事人已履行"),
    State("closed", "已结案", final=True),
)
OPEN_STATES = ("pending", "demanded", "decided", "decision_served", "agreement", "substitute_decided", "court_applied")

TRANSITIONS: tuple[Transition[EnforcementCaseSnapshot], ...] = (
    Transition(
        "serve_demand",
        "送达催告书",
        ("pending",),
        "demanded",
        guards=(g.decision_registered, g.obligation_outstanding, g.demand_lawful, g.surcharge_lawful),
        records=DEMAND_RECORDS,
        legal_basis=ART(35, 38),
    ),
    Transition(
        "record_statement",
        "记录并复核陈述申辩",
        ("demanded",),
        "demanded",
        guards=(g.statement_recordable,),
        records=STATEMENT_RECORDS,
        legal_basis=ART(36),
    ),
    Transition(
        "decide_execution",
        "作出强制执行决定",
        ("demanded",),
        "decided",
        guards=(
            g.not_entrusted,
            g.execution_power_held,
            g.obligation_outstanding,
            g.demand_served,
            g.demand_deadline_passed,
            g.statements_reexamined,
            g.surcharge_lawful,
            g.surcharge_ran_30_days,
            g.execution_decision_complete,
        ),
        records=(*DEMAND_RECORDS, *STATEMENT_RECORDS, Requirement(("execution_decision",), ART(37))),
        legal_basis=ART(37, 46),
    ),
    Transition(
        "serve_execution_decision",
        "送达强制执行决定书",
        ("decided",),
        "decision_served",
        guards=(g.execution_decision_served,),
        records=(Requirement(("execution_service_receipt",), ART(38)),),
        legal_basis=ART(38),
    ),
    Transition(
        "execute",
        "实施强制执行",
        ("decision_served",),
        "executed",
        guards=(
            g.not_entrusted,
            g.obligation_outstanding_when_executed,
            g.execution_decision_served,
            g.plan_after_decision_served,
            g.execution_time_lawful,
            g.no_utilities_cut,
            g.demolition_lawful,
            g.audio_video_guard("execution"),
        ),
        records=(
            Requirement(("demolition_notice",), ART(44), is_demolition),
            Requirement(("execution_record",), RECORDING),
        ),
        legal_basis=ART(43, 44),
    ),
    Transition(
        "sign_agreement",
        "签订执行协议",
        ("demanded", "decided", "decision_served"),
        "agreement",
        guards=(g.agreement_lawful, g.surcharge_lawful),
        records=(Requirement(("agreement",), ART(42)),),
        legal_basis=ART(42, detail="第一款"),
    ),
    Transition(
        "resume_execution",
        "恢复强制执行",
        ("agreement",),
        "demanded",
        guards=(g.agreement_broken,),
        legal_basis=ART(42, detail="第二款"),
    ),
    Transition(
        "decide_substitute",
        "作出代履行决定",
        ("demanded",),
        "substitute_decided",
        guards=(
            g.not_entrusted,
            g.obligation_outstanding,
            g.substitute_decidable,
            g.substitute_harm,
            g.demand_served,
            g.demand_deadline_passed_for_substitute,
            g.statements_reexamined,
        ),
        records=(*DEMAND_RECORDS, *STATEMENT_RECORDS, Requirement(("substitute_decision",), ART(51))),
        legal_basis=ART(50, 51),
    ),
    Transition(
        "perform_substitute",
        "实施代履行",
        ("substitute_decided",),
        "executed",
        guards=(
            g.not_entrusted,
            g.obligation_outstanding_when_executed,
            g.substitute_performable,
            g.execution_time_lawful,
            g.no_utilities_cut,
            g.demolition_lawful,
            g.audio_video_guard("substitute_performance"),
        ),
        records=(
            Requirement(("substitute_demand",), ART(51, detail="第一款第二项")),
            Requirement(("substitute_record",), ART(51, detail="第一款第四项")),
        ),
        legal_basis=ART(43, 50, 51),
    ),
    Transition(
        "apply_to_court",
        "申请人民法院强制执行",
        ("demanded",),
        "court_applied",
        guards=(
            g.court_path_open,
            g.obligation_outstanding,
            g.demand_served,
            g.statements_reexamined,
            g.court_application_timely,
            g.surcharge_lawful,
            g.court_application_recorded,
        ),
        records=(*DEMAND_RECORDS, *STATEMENT_RECORDS, Requirement(("court_application",), ART(55))),
        legal_basis=ART(53, 54, 55),
    ),
    Transition(
        "record_court_ruling",
        "登记人民法院裁定",
        ("court_applied",),
        "court_ruled",
        guards=(g.court_ruling_recorded,),
        records=(Requirement(("court_ruling",), ART(57, 58)),),
        legal_basis=ART(57, 58),
    ),
    Transition(
        "record_performance",
        "登记当事人履行",
        OPEN_STATES,
        "performed",
        guards=(g.decision_registered, g.performance_recorded),
        records=(Requirement(("performance_proof",), ART(34)),),
        legal_basis=ART(34),
    ),
    Transition(
        "close",
        "结案",
        ("executed", "performed", "court_ruled"),
        "closed",
        records=(Requirement(("demand",), ART(35), lambda s, c: s.demand is not None),),
        legal_basis=RECORDING,
    ),
)

ENFORCEMENT = Procedure[EnforcementCaseSnapshot](
    name="enforcement",
    label="行政强制执行",
    states=STATES,
    initial="pending",
    transitions=TRANSITIONS,
    record_kinds=RECORD_KINDS,
    legal_basis=ART(34, detail="至第五十八条"),
)


def enforcement_apply(snapshot: Snapshot, action: str, *, context: GuardContext) -> Snapshot:
    """The case after `action`, or `Refused` with every violation. The Django side persists the new
    state with its ledger entry in one transaction; the property tests run cases through this."""
    return replace(snapshot, state=action_check(ENFORCEMENT, snapshot, action, context=context))


__all__ = ["ENFORCEMENT", "OPEN_STATES", "RECORD_KINDS", "STATES", "TRANSITIONS", "enforcement_apply"]

"""行政征收征用 on the engine:

drafting (立项、拟定决定: purpose, scope and basis; the assessment report; the compensation plan;
the legal review where catalogued; the assessment report too when the parameter
`expropriation.assessment_before_decision` is on) → decided (决定已作出，待送达) → served (已送达，待公开) →
published (已公开，办结); drafting → terminated (终止办理). After the decision, in any of its states,
the assessment is registered and the compensation settled (`expropriation_compensate`, a recording
step: a 补偿协议 or 补偿决定, on the assessment report).
"""

from sanxiang.procedure.engine import Procedure, RecordKind, RecordRequirement, State, Transition
from sanxiang.procedure.expropriation import rules as r
from sanxiang.procedure.expropriation.rules import ExpropriationSnapshot
from sanxiang.procedure.other_acts import decision_rules as d

Requirement = RecordRequirement[ExpropriationSnapshot]
Step = Transition[ExpropriationSnapshot]

RECORD_KINDS = (
    RecordKind("assessment_report", "评估报告"),
    RecordKind("compensation_plan", "补偿方案"),
    RecordKind("compensation_settlement", "补偿协议或者补偿决定"),
    RecordKind("review_opinion", "法制审核意见书"),
    RecordKind("expropriation_decision", "征收（征用）决定书"),
    RecordKind("service_receipt", "送达回证"),
    RecordKind("publication_record", "公开记录"),
)

STATES = (
    State("drafting", "立项，拟定决定中"),
    State("decided", "已作出决定，待送达"),
    State("served", "已送达，待公开"),
    State("published", "已公开，已办结", final=True),
    State("terminated", "已终止办理", final=True),
)

DECIDE = Step(
    "expropriation_decide", "作出征收（征用）决定", ("drafting",), "decided",
    guards=(r.purpose_and_basis, r.compensation_set, r.review_gate, r.decision_made),
    records=(Requirement(("expropriation_decision",), r.CONSTITUTION_BASIS),
             Requirement(("compensation_plan",), r.CONSTITUTION_BASIS),
             Requirement(("assessment_report",), r.ASSESSMENT_BEFORE_BASIS,
                         when=lambda s, c: r.assessment_required(s, c)),
             Requirement(("review_opinion",), d.REVIEW_BASIS, when=lambda s, c: s.major)),
    legal_basis=r.EXPROPRIATION_BASIS,
)
SERVE = Step(
    "expropriation_serve", "送达决定书", ("decided",), "served",
    guards=(r.served,),
    records=(Requirement(("service_receipt",), r.SERVICE_BASIS),),
    legal_basis=r.SERVICE_BASIS,
)
PUBLISH = Step(
    "expropriation_publish", "公开决定", ("served",), "published",
    guards=(r.published,),
    records=(Requirement(("publication_record",), d.PUBLICATION_BASIS),),
    legal_basis=d.PUBLICATION_BASIS,
)
TERMINATE = Step(
    "expropriation_terminate", "终止办理", ("drafting",), "terminated",
    guards=(r.terminated,),
    legal_basis=r.TERMINATION_BASIS,
)

EXPROPRIATION: Procedure[ExpropriationSnapshot] = Procedure(
    name="expropriation",
    label="行政征收征用",
    states=STATES,
    initial="drafting",
    transitions=(DECIDE, SERVE, PUBLISH, TERMINATE),
    record_kinds=RECORD_KINDS,
    legal_basis=r.EXPROPRIATION_BASIS,
)

"""The generic act on the engine:

handling (办理中: the basis and the draft decision, the legal review where catalogued) →
decided (决定已作出) → published (已公开, 办结) or not_published (依法不予公开, 办结);
handling → terminated (终止办理).
"""

from sanxiang.procedure.engine import Procedure, RecordKind, RecordRequirement, State, Transition
from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts import rules as r
from sanxiang.procedure.other_acts.rules import OtherActSnapshot

Requirement = RecordRequirement[OtherActSnapshot]
Step = Transition[OtherActSnapshot]

RECORD_KINDS = (
    RecordKind("review_opinion", "法制审核意见书"),
    RecordKind("act_decision", "决定书"),
    RecordKind("publication_record", "公开记录"),
    RecordKind("withholding_record", "不予公开审批记录"),
)

STATES = (
    State("handling", "办理中，待作出决定"),
    State("decided", "已作出决定，待公开"),
    State("published", "决定已公开，已办结", final=True),
    State("not_published", "依法不予公开，已办结", final=True),
    State("terminated", "已终止办理", final=True),
)

DECIDE = Step(
    "other_act_decide", "作出决定", ("handling",), "decided",
    guards=(r.decision_complete, r.review_gate),
    records=(Requirement(("act_decision",), r.DECISION_BASIS),
             Requirement(("review_opinion",), d.REVIEW_BASIS, when=lambda s, c: s.major)),
    legal_basis=r.DECISION_BASIS,
)
PUBLISH = Step(
    "other_act_publish", "公开决定", ("decided",), "published",
    guards=(r.published,),
    records=(Requirement(("publication_record",), d.PUBLICATION_BASIS),),
    legal_basis=d.PUBLICATION_BASIS,
)
WITHHOLD = Step(
    "other_act_withhold", "依法不予公开", ("decided",), "not_published",
    guards=(r.withheld,),
    records=(Requirement(("withholding_record",), d.WITHHOLDING_BASIS),),
    legal_basis=d.WITHHOLDING_BASIS,
)
TERMINATE = Step(
    "other_act_terminate", "终止办理", ("handling",), "terminated",
    guards=(r.terminated,),
    legal_basis=r.TERMINATION_BASIS,
)

OTHER_ACT: Procedure[OtherActSnapshot] = Procedure(
    name="other_act",
    label="其他行政行为",
    states=STATES,
    initial="handling",
    transitions=(DECIDE, PUBLISH, WITHHOLD, TERMINATE),
    record_kinds=RECORD_KINDS,
    legal_basis=r.ACT_BASIS,
)

"""The administrative penalty (行政处罚) as code: the ordinary and summary procedures, the case
snapshot their guards read, and the deadlines computed from it. Pure Python, like the rest of
`sanxiang.procedure`."""

from sanxiang.procedure.penalty.deadlines import Deadline, deadline_open, penalty_deadlines
from sanxiang.procedure.penalty.guards import investigative_act_problems
from sanxiang.procedure.penalty.procedures import (
    CASE_FILE_RECORDS,
    ORDINARY,
    RECORD_KINDS,
    SUMMARY,
    penalty_apply,
)
from sanxiang.procedure.penalty.review import review_reasons
from sanxiang.procedure.penalty.rules import (
    Surcharge,
    amount_due_as_of,
    hearing_reasons,
    surcharge_as_of,
)
from sanxiang.procedure.penalty.snapshot import (
    AdvanceNotice,
    Challenge,
    DecisionDraft,
    EvidencePreservation,
    Hearing,
    Instalment,
    InvestigativeAct,
    OnSpot,
    Party,
    Payment,
    PaymentArrangement,
    PenaltyCaseSnapshot,
    PenaltyTerms,
    RecusalRequest,
    ReviewOpinion,
    Service,
    penalty_heavier,
)

__all__ = [
    "CASE_FILE_RECORDS",
    "ORDINARY",
    "RECORD_KINDS",
    "SUMMARY",
    "AdvanceNotice",
    "Challenge",
    "Deadline",
    "DecisionDraft",
    "EvidencePreservation",
    "Hearing",
    "Instalment",
    "InvestigativeAct",
    "OnSpot",
    "Party",
    "Payment",
    "PaymentArrangement",
    "PenaltyCaseSnapshot",
    "PenaltyTerms",
    "RecusalRequest",
    "ReviewOpinion",
    "Service",
    "Surcharge",
    "amount_due_as_of",
    "deadline_open",
    "hearing_reasons",
    "investigative_act_problems",
    "penalty_apply",
    "penalty_deadlines",
    "penalty_heavier",
    "review_reasons",
    "surcharge_as_of",
]

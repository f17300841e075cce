"""行政强制执行 (compulsory execution, 行政强制法第三十四条至第五十八条) as code: the procedure, the
case snapshot its guards read, and the periods computed from it. Pure Python, like the rest of
`sanxiang.procedure`."""

from sanxiang.procedure.enforcement.deadlines import Window, enforcement_deadlines, surcharge_accrued
from sanxiang.procedure.enforcement.from_penalty import basis_decision_from_penalty, surcharge_from_penalty
from sanxiang.procedure.enforcement.procedures import ENFORCEMENT, RECORD_KINDS, enforcement_apply
from sanxiang.procedure.enforcement.snapshot import (
    Agreement,
    BasisDecision,
    Challenge,
    CourtApplication,
    Demand,
    DemolitionNotice,
    EnforcementCaseSnapshot,
    ExecutionDecision,
    ExecutionPlan,
    Statement,
    Substitute,
    Surcharge,
)

__all__ = [
    "ENFORCEMENT",
    "RECORD_KINDS",
    "Agreement",
    "BasisDecision",
    "Challenge",
    "CourtApplication",
    "Demand",
    "DemolitionNotice",
    "EnforcementCaseSnapshot",
    "ExecutionDecision",
    "ExecutionPlan",
    "Statement",
    "Substitute",
    "Surcharge",
    "Window",
    "basis_decision_from_penalty",
    "enforcement_apply",
    "enforcement_deadlines",
    "surcharge_accrued",
    "surcharge_from_penalty",
]

"""The supervision desk's tables, one module per part (matters; instruments and replies; filings,
coordination and plans; complaints). Django finds them all through this package."""

from sanxiang.supervision.models.complaints import Complainant, Complaint, ComplaintCounter  # part D
from sanxiang.supervision.models.coordination import Coordination, CoordinationStep  # part C
from sanxiang.supervision.models.filings import Filing  # part C
from sanxiang.supervision.models.instruments import (  # part B
    Instrument,
    InstrumentStep,
    Notice,
    PersonalProposal,
    Referral,
)
from sanxiang.supervision.models.matters import (  # part A
    MATTER_SOURCE_CHOICES,
    Matter,
    MatterSupervisor,
    Measure,
    ReadGrant,
)
from sanxiang.supervision.models.plans import (  # item 5: annual plan and 执法质效评议
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationScore,
    Plan,
    PlanItem,
    PlanItemMatter,
)

__all__ = [
    "MATTER_SOURCE_CHOICES",
    "Complainant",
    "Complaint",
    "ComplaintCounter",
    "Coordination",
    "CoordinationStep",
    "Criterion",
    "CriterionScore",
    "Evaluation",
    "EvaluationScore",
    "Filing",
    "Instrument",
    "InstrumentStep",
    "Matter",
    "MatterSupervisor",
    "Measure",
    "Notice",
    "PersonalProposal",
    "Plan",
    "PlanItem",
    "PlanItemMatter",
    "ReadGrant",
    "Referral",
]

"""The supervision desk's tables, one module per part (matters; instruments and replies; filings,
coordination and plans; complaints). Django finds them all through this package."""

from sanxiang.supervision.models.instruments import (
    Instrument,
    InstrumentStep,
    Notice,
    PersonalProposal,
    Referral,
)
from sanxiang.supervision.models.matters import MATTER_SOURCE_CHOICES, Matter

__all__ = ["MATTER_SOURCE_CHOICES", "Instrument", "InstrumentStep", "Matter", "Notice", "PersonalProposal", "Referral"]

"""The supervision desk's tables, one module per part (matters; instruments and replies; filings,
coordination and plans; complaints). Django finds them all through this package."""

from sanxiang.supervision.models.coordination import Coordination, CoordinationStep
from sanxiang.supervision.models.filings import Filing
from sanxiang.supervision.models.matters import MATTER_SOURCE_CHOICES, Matter

__all__ = ["MATTER_SOURCE_CHOICES", "Coordination", "CoordinationStep", "Filing", "Matter"]

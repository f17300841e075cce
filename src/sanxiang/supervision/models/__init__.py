"""The supervision desk's tables, one module per part (matters; instruments and replies; filings,
coordination and plans; complaints). Django finds them all through this package."""

from sanxiang.supervision.models.matters import (
    MATTER_SOURCE_CHOICES,
    Matter,
    MatterSupervisor,
    Measure,
    ReadGrant,
)

__all__ = ["MATTER_SOURCE_CHOICES", "Matter", "MatterSupervisor", "Measure", "ReadGrant"]

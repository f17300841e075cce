"""One scoring core for every standard scored by points (issue 16 item 1): the 执法质效评议 standards
of the 司法局 (`supervision.plans`) and the 案卷评查 standards (`evaluation.casefile_standard`).

The rules, in one place:
- an item's score is its points less what it lost (a deduction may exceed the item's points: the
  common model deducts, e.g., 无管辖权 −10 under a 立案 item worth less);
- a tier's score is the sum of its items' scores, floored at 0 (卷面标准 "扣完为止，不计负分");
- the total is the sum of the tiers' scores;
- a failed 单项否决 (veto) item makes the total 0 and the grade the lowest band (不合格卷);
- the grade is the band whose lower bound (a share of full marks, in %) the total reaches.

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class ScoredItem:
    """One item as scored: its tier, full points and awarded score (may be below 0 when a deduction
    exceeds the item's points; the tier floors the sum), and whether its 单项否决 was found."""

    code: str
    tier: str
    points: Decimal
    score: Decimal
    vetoed: bool = False


@dataclass(frozen=True)
class ScoreTotal:
    per_tier: dict[str, Decimal]
    full_per_tier: dict[str, Decimal]
    points_sum: Decimal  # the sum of the tiers' floored scores, before a veto
    full_marks: Decimal
    vetoed: bool
    total: Decimal  # points_sum, or 0 when a veto was found
    grade: str
    vetoed_codes: tuple[str, ...] = field(default=())


def grade_for(*, total: Decimal, full_marks: Decimal, vetoed: bool, bands: Sequence[tuple[Decimal, str]]) -> str:
    """The band whose lower bound (in % of full marks) the total reaches; a veto (or a standard
    without points) gives the lowest band."""
    ordered = sorted(bands, key=lambda b: b[0], reverse=True)
    if vetoed or full_marks <= 0:
        return ordered[-1][1]
    share = total * 100 / full_marks
    for bound, label in ordered:
        if share >= bound:
            return label
    return ordered[-1][1]


def score_total(items: Sequence[ScoredItem], *, bands: Sequence[tuple[Decimal, str]]) -> ScoreTotal:
    """Sum per tier (floored at 0), total, veto and grade (the rules of the module's docstring)."""
    per_tier: dict[str, Decimal] = {}
    full_per_tier: dict[str, Decimal] = {}
    for item in items:
        per_tier[item.tier] = per_tier.get(item.tier, ZERO) + item.score
        full_per_tier[item.tier] = full_per_tier.get(item.tier, ZERO) + item.points
    per_tier = {tier: max(ZERO, value) for tier, value in per_tier.items()}
    points_sum = sum(per_tier.values(), ZERO)
    full = sum(full_per_tier.values(), ZERO)
    vetoed_codes = tuple(i.code for i in items if i.vetoed)
    vetoed = bool(vetoed_codes)
    total = ZERO if vetoed else points_sum
    return ScoreTotal(per_tier=per_tier, full_per_tier=full_per_tier, points_sum=points_sum, full_marks=full,
                      vetoed=vetoed, total=total, vetoed_codes=vetoed_codes,
                      grade=grade_for(total=total, full_marks=full, vetoed=vetoed, bands=bands))


__all__ = ["ScoreTotal", "ScoredItem", "grade_for", "score_total"]

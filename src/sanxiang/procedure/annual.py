"""年度行政执法数据 (annual enforcement statistics) as code: the categories, the due date and the
rule that tells "no action" (0) from "no such power" (no figure at all).

Basis (legal_rules §1.1): 国办发〔2018〕118号 asks every agency to publish its previous year's
overall enforcement data by 31 January and report it to the same-level government and the higher
competent department; the Guangdong template it cites has six categories and writes "0" where the
agency has the power but took no such action. Where the agency has no such power, there is no
figure to publish: the report says so (None here, "—" on the portal) rather than a misleading 0.

Pure Python: the Django side counts the actions and reads the agency's powers (the kinds of its
catalogue of enforcement matters) and hands both in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

ANNUAL_REPORT_BASIS = "国办发〔2018〕118号（行政执法公示制度：每年1月31日前公开本机关上年度行政执法总体情况有关数据）"
ZERO_RULE_BASIS = "国办发〔2018〕118号；广东省行政执法数据统计模板（有职权但本年度未实施的填0）"

# The six categories of the template, in its order; the keys are stored in AnnualReport.counts.
ANNUAL_CATEGORIES: dict[str, str] = {
    "permit": "行政许可",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "levy": "行政征收",
    "requisition": "行政征用",
    "inspection": "行政检查",
}

# The registry's kinds of enforcement matter (registry.models.MatterKind values) → category.
# "other" matters (行政确认、行政给付 and the like) fall in none of the six.
MATTER_KIND_CATEGORIES: dict[str, str] = {
    "permit": "permit",
    "penalty": "penalty",
    "coercion": "coercion",
    "expropriation": "levy",
    "requisition": "requisition",
    "inspection": "inspection",
}

DUE_MONTH, DUE_DAY = 1, 31


def annual_report_due(year: int) -> dt.date:
    """The last day to publish `year`'s data: 31 January of the following year.

    A fixed calendar date ("1月31日前"), not a period counted from an event, so the rule that moves
    the end of a period off a holiday (民法典第二百零三条) does not apply: an agency that wants to
    avoid a weekend publishes earlier."""
    return dt.date(year + 1, DUE_MONTH, DUE_DAY)


def annual_report_overdue(year: int, *, on: dt.date) -> bool:
    """Whether, on day `on`, `year`'s report should already be public (the day after the due date)."""
    return on > annual_report_due(year)


def annual_categories_of(powers: Iterable[str]) -> frozenset[str]:
    """The categories an agency has power in, from the kinds of its enforcement matters."""
    return frozenset(MATTER_KIND_CATEGORIES[kind] for kind in powers if kind in MATTER_KIND_CATEGORIES)


def annual_counts(*, powers: Iterable[str], counted: Mapping[str, int]) -> dict[str, int | None]:
    """The published figure of each category, in the template's order.

    - The agency has the power (a matter of that kind): the number of actions, 0 if none.
    - It has no such power and took no such action: None (shown as "—"), not 0.
    - It took actions of a kind its catalogue does not list: the number anyway. The figure must
      not hide what was done; the missing matter is a gap in the catalogue, which the report
      names separately.

    `powers` are MatterKind values; `counted` maps category keys to counts (missing = 0)."""
    unknown = set(counted) - set(ANNUAL_CATEGORIES)
    if unknown:
        raise ValueError(f"unknown annual categories: {sorted(unknown)}")
    for key, value in counted.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"the count of {key} must be a non-negative int, got {value!r}")
    held = annual_categories_of(powers)
    figures: dict[str, int | None] = {}
    for key in ANNUAL_CATEGORIES:
        count = counted.get(key, 0)
        figures[key] = count if key in held or count else None
    return figures


def annual_catalogue_gaps(*, powers: Iterable[str], counted: Mapping[str, int]) -> list[str]:
    """Categories with actions but no matter of that kind in the agency's catalogue."""
    held = annual_categories_of(powers)
    return [key for key in ANNUAL_CATEGORIES if counted.get(key, 0) and key not in held]


__all__ = [
    "ANNUAL_CATEGORIES",
    "ANNUAL_REPORT_BASIS",
    "MATTER_KIND_CATEGORIES",
    "ZERO_RULE_BASIS",
    "annual_catalogue_gaps",
    "annual_categories_of",
    "annual_counts",
    "annual_report_due",
    "annual_report_overdue",
]

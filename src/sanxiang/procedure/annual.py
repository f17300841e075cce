"""年度行政执法数据 (annual enforcement statistics) as code: the categories, the due date and the
rule that tells "no action" (0) from "no such power" (no figure at all).

Basis (legal_rules §1.1): 国办发〔2018〕118号 asks every agency to publish its previous year's
overall enforcement data by 31 January and report it to the same-level government and the higher
competent department; the Guangdong template it cites has six categories and writes "0" where the
agency has the power but took no such action. Where the agency has no such power, there is no
figure to publish: the report says so (None here, "—" on the portal) rather than a misleading 0.

Pure Python: the Django side counts the actions and reads the agency's powers (the kinds of its
catalogue of enforcement matters) and hands both in.

The 行政强制 category has rows of its own (查封、扣押、冻结; 本机关强制执行、申请人民法院强制执行、代履行),
counted from plain records (`CoercionAction`, made from the measure and enforcement snapshots), with
the same rule: 0 where the agency has that power and did nothing, no figure where it has none, and
what was done always counted. Their sum is the category's figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sanxiang.procedure.coercion.basis import coercion_article
from sanxiang.procedure.coercion.snapshot import MEASURE_KINDS, MeasureSnapshot
from sanxiang.procedure.enforcement.basis import platform_rule
from sanxiang.procedure.enforcement.snapshot import EnforcementCaseSnapshot

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


# --- 行政强制: the rows -----------------------------------------------------------------------------

# The rows of the 行政强制 category, in order: the measures of 行政强制法第九条 the platform records,
# then the compulsory execution by the agency itself (第三十四条), by the court on the agency's
# application (第五十三条) and by substitute performance (第五十条).
COERCION_ROWS: dict[str, str] = {
    **MEASURE_KINDS,  # seal_up 查封, seizure 扣押, freeze 冻结
    "execution": "本机关强制执行",
    "court_application": "申请人民法院强制执行",
    "substitute": "代履行",
}
COERCION_MEASURE_ROWS = tuple(MEASURE_KINDS)
COERCION_EXECUTION_ROWS = ("execution", "court_application", "substitute")
COERCION_ROWS_BASIS = (
    f"{ZERO_RULE_BASIS}；{coercion_article(9, 12, 13, 29, 50, 53)}；"
    + platform_rule("行政强制按查封、扣押、冻结、本机关强制执行、申请人民法院强制执行、代履行分项统计，各项之和为行政强制数据")
)
# Measures the agency has not taken (proposed, approved and then declined) count for nothing.
NOT_TAKEN_STATES = ("proposed", "approved", "not_taken")


@dataclass(frozen=True)
class CoercionAction:
    """One compulsory act, counted in the year of `on`: a measure on the day it was taken, an
    execution or substitute decision on the day it was made, a court application on the day it
    was filed."""

    kind: str  # a key of COERCION_ROWS
    on: dt.date

    def __post_init__(self) -> None:
        if self.kind not in COERCION_ROWS:
            raise ValueError(f"unknown kind of compulsory act: {self.kind!r}")


def coercion_actions_of_measure(snapshot: MeasureSnapshot) -> tuple[CoercionAction, ...]:
    """The measure as counted: once, on the day it was taken, if it was taken (an emergency measure
    the head then did not approve was still taken, and counts)."""
    if snapshot.taken_on is None or snapshot.state in NOT_TAKEN_STATES:
        return ()
    return (CoercionAction(snapshot.kind, snapshot.taken_on),)


def coercion_actions_of_enforcement(snapshot: EnforcementCaseSnapshot) -> tuple[CoercionAction, ...]:
    """The case's compulsory acts: its execution decision (本机关强制执行), its application to the
    court and its substitute decision, each on its own day. A case may count in several rows (a
    substitute performance after the court refused, say): each is an act of its own."""
    actions = []
    if snapshot.execution_decision is not None:
        actions.append(CoercionAction("execution", snapshot.execution_decision.decided_on))
    if snapshot.court is not None:
        actions.append(CoercionAction("court_application", snapshot.court.applied_on))
    if snapshot.substitute is not None:
        actions.append(CoercionAction("substitute", snapshot.substitute.decided_on))
    return tuple(actions)


def annual_coercion_powers(
    *,
    matter_kinds: Iterable[str],
    measures: Iterable[str] = ("seal_up", "seizure"),
    execution_power: bool = False,
    substitute_power: bool | None = None,
) -> frozenset[str]:
    """The rows the agency has power in (a platform reading; the catalogue knows no finer kinds).

    Nothing without a 行政强制 matter (MatterKind "coercion") in its catalogue. With one: the
    `measures` its matters provide (查封、扣押 by default; 冻结 only where a law gives it,
    行政强制法第二十九条); 申请人民法院强制执行 always (第五十三条: an agency without execution power
    applies to the court); 本机关强制执行 where a law gives it execution power (第十三条), and 代履行
    (`substitute_power`, by default the same: 代履行 is a way of execution, 第十二条)."""
    if "coercion" not in set(matter_kinds):
        return frozenset()
    measures = set(measures)
    unknown = measures - set(MEASURE_KINDS)
    if unknown:
        raise ValueError(f"unknown measures: {sorted(unknown)}")
    powers = {*measures, "court_application"}
    if execution_power:
        powers.add("execution")
    if execution_power if substitute_power is None else substitute_power:
        powers.add("substitute")
    return frozenset(powers)


def _coercion_counted(actions: Iterable[CoercionAction], year: int) -> dict[str, int]:
    counted = dict.fromkeys(COERCION_ROWS, 0)
    for action in actions:
        if action.on.year == year:
            counted[action.kind] += 1
    return counted


def annual_coercion_counts(
    *, powers: Iterable[str], actions: Iterable[CoercionAction], year: int
) -> dict[str, int | None]:
    """The published figure of each 行政强制 row for `year`, in order (the shape of `annual_counts`):
    the number of acts where the agency has the power, 0 if none; None ("—") where it has no such
    power and did nothing; the number anyway where it acted without a power in its catalogue.

    `powers` are keys of COERCION_ROWS (`annual_coercion_powers`)."""
    return annual_coercion_rows(powers=powers, counted=_coercion_counted(actions, year))


def annual_coercion_rows(*, powers: Iterable[str], counted: Mapping[str, int]) -> dict[str, int | None]:
    """`annual_coercion_counts` from the acts already counted per row (`counted`: row → number of
    acts in the year, a missing row 0), as a database counts them."""
    held = set(powers)
    unknown = held - set(COERCION_ROWS)
    if unknown:
        raise ValueError(f"unknown coercion rows: {sorted(unknown)}")
    counted = {key: counted.get(key, 0) for key in COERCION_ROWS}
    return {key: counted[key] if key in held or counted[key] else None for key in COERCION_ROWS}


def annual_coercion_total(rows: Mapping[str, int | None]) -> int | None:
    """The 行政强制 category's figure: the sum of its rows; None when no row has a figure. Pass it
    as `counted["coercion"]` to `annual_counts`."""
    figures = [value for value in rows.values() if value is not None]
    return sum(figures) if figures else None


def annual_coercion_gaps(*, powers: Iterable[str], actions: Iterable[CoercionAction], year: int) -> list[str]:
    """Rows with acts but no such power in the agency's catalogue (to be named in the report)."""
    return annual_coercion_row_gaps(powers=powers, counted=_coercion_counted(actions, year))


def annual_coercion_row_gaps(*, powers: Iterable[str], counted: Mapping[str, int]) -> list[str]:
    """`annual_coercion_gaps` from the acts already counted per row."""
    held = set(powers)
    return [key for key in COERCION_ROWS if counted.get(key, 0) and key not in held]


__all__ = [
    "ANNUAL_CATEGORIES",
    "ANNUAL_REPORT_BASIS",
    "COERCION_EXECUTION_ROWS",
    "COERCION_MEASURE_ROWS",
    "COERCION_ROWS",
    "COERCION_ROWS_BASIS",
    "MATTER_KIND_CATEGORIES",
    "ZERO_RULE_BASIS",
    "CoercionAction",
    "annual_catalogue_gaps",
    "annual_categories_of",
    "annual_coercion_counts",
    "annual_coercion_gaps",
    "annual_coercion_powers",
    "annual_coercion_row_gaps",
    "annual_coercion_rows",
    "annual_coercion_total",
    "annual_counts",
    "annual_report_due",
    "annual_report_overdue",
    "coercion_actions_of_enforcement",
    "coercion_actions_of_measure",
]

"""The counting rules of the annual enforcement statistics (行政执法数据, 统计口径), as pure functions
with their sources (supervision_and_procedures §4.1).

- 行政处罚 is counted by decision: a decision that imposes several penalties counts once, under the
  heaviest of its kinds, in the order from light to heavy of `PENALTY_SEVERITY` (data, with its
  source). A named kind together with "其他" counts under the named kind.
- 罚没金额 (fines and confiscations) is taken from the decisions, in 万元: the fine of a decision that
  imposes one, plus the value of what it confiscates only where that value can be determined
  (a confiscation without a stated value adds nothing).
- 行政检查 counts one inspection per specific object with a complete record: a patrol without a
  specific object, or an inspection without a complete record, does not count.
- The report is the tables plus a narrative (行政执法情况说明) in the sections of
  `NARRATIVE_SECTIONS`.

These are statistical conventions published by local governments (庆元县、大同市、杭州市), not
articles of a law: they are labelled as such wherever the platform shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS, PenaltyTerms

STATISTICS_SOURCE = (
    "行政执法数据统计口径（参照浙江省庆元县2024年度行政执法数据公开、大同市文物局和杭州市公布的统计说明，"
    "系地方统计口径，非法律条文）"
)
NARRATIVE_SOURCE = "大同市行政执法数据报送要求（行政执法数据与行政执法情况说明一并报送）；贵州省西秀区2024年度行政执法年报的章节"

# The columns of the 行政处罚 table, in the order of the template (庆元县2024年度).
PENALTY_COLUMNS: dict[str, str] = {
    "warning_criticism": "警告、通报批评",
    "fine": "罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "suspend_downgrade": "暂扣许可证件、降低资质等级",
    "revoke": "吊销许可证件",
    "restrict_business": "限制开展生产经营活动",
    "suspend_close": "责令停产停业、责令关闭、限制从业",
    "detention": "行政拘留",
    "other": "其他",
}

# The kinds of 行政处罚法第九条 (procedure.penalty.snapshot.PENALTY_KINDS) → column.
PENALTY_KIND_COLUMN: dict[str, str] = {
    "warning": "warning_criticism",
    "public_criticism": "warning_criticism",
    "fine": "fine",
    "confiscate_gains": "confiscation",
    "confiscate_property": "confiscation",
    "suspend_permit": "suspend_downgrade",
    "downgrade_qualification": "suspend_downgrade",
    "revoke_permit": "revoke",
    "restrict_business": "restrict_business",
    "suspend_business": "suspend_close",
    "close": "suspend_close",
    "restrict_practice": "suspend_close",
    "detention": "detention",
    "other": "other",
}

# From light to heavy, as the source lists them: 警告 < 通报批评 < 罚款 < 没收 < 暂扣许可证件 <
# 降低资质等级 < 限制开展生产经营活动 < 责令停产停业 < 责令关闭/限制从业 < 吊销许可证件 < 行政拘留.
# Kinds in one tuple weigh the same (and fall in the same column). "其他" is in no tier: it counts
# only when a decision names no other kind.
PENALTY_SEVERITY: tuple[tuple[str, ...], ...] = (
    ("warning",),
    ("public_criticism",),
    ("fine",),
    ("confiscate_gains", "confiscate_property"),
    ("suspend_permit",),
    ("downgrade_qualification",),
    ("restrict_business",),
    ("suspend_business",),
    ("close", "restrict_practice"),
    ("revoke_permit",),
    ("detention",),
)
PENALTY_SEVERITY_SOURCE = (
    f"{STATISTICS_SOURCE}：一份决定给予多种处罚的，按最重的处罚种类统计一次，由轻到重依次为"
    + "＜".join("/".join(PENALTY_KINDS[kind] for kind in tier) for tier in PENALTY_SEVERITY)
    + "；既有列明种类又有其他处罚的，按列明种类统计"
)
_RANK = {kind: rank for rank, tier in enumerate(PENALTY_SEVERITY) for kind in tier}
CONFISCATION_KINDS = frozenset({"confiscate_gains", "confiscate_property"})
AMOUNT_SOURCE = f"{STATISTICS_SOURCE}：罚没金额以处罚决定书载明的数额为准，没收财物能够确定金额的计入"
INSPECTION_SOURCE = (
    f"{STATISTICS_SOURCE}：行政检查以有具体检查对象并有完整检查记录的计为1次，"
    "没有具体对象的巡查或者没有完整记录的检查不计入"
)
# 罚没金额 is published in 万元 with two decimals (a platform rule for the display: the exact sum in
# 分 is kept, and totals are summed in 分 before they are rounded).
WAN_YUAN_FEN = 1_000_000
WAN_YUAN_PLACES = Decimal("0.01")

# 行政执法情况说明: its sections, in order.
NARRATIVE_SECTIONS: dict[str, str] = {
    "basic": "基本情况",
    "three_systems": "行政执法公示、执法全过程记录、重大执法决定法制审核制度落实情况",
    "discretion": "行政裁量权基准运用情况",
    "team": "执法队伍建设情况（培训、执法证件）",
    "remedies": "行政复议、行政诉讼情况",
}
NARRATIVE_MAX_CHARS = 5000


def penalty_heaviest_kind(kinds: Iterable[str]) -> str:
    """The kind under which a decision imposing `kinds` is counted: the heaviest in
    PENALTY_SEVERITY; "other" only when the decision names no other kind. Within a tier the first
    listed kind is returned (both fall in the same column)."""
    kinds = set(kinds)
    unknown = kinds - set(PENALTY_KINDS)
    if unknown:
        raise ValueError(f"unknown penalty kinds: {sorted(unknown)}")
    named = kinds - {"other"}
    if not named:
        if not kinds:
            raise ValueError("a penalty decision imposes at least one kind of penalty")
        return "other"
    rank = max(_RANK[kind] for kind in named)
    return next(kind for kind in PENALTY_SEVERITY[rank] if kind in named)


def penalty_column(kinds: Iterable[str]) -> str:
    """The column of the 行政处罚 table in which the decision counts once."""
    return PENALTY_KIND_COLUMN[penalty_heaviest_kind(kinds)]


def penalty_amount_fen(terms: PenaltyTerms) -> int:
    """The decision's 罚没金额 in 分: its fine, plus the value of what it confiscates where the
    decision states one (0 = not determined, adds nothing)."""
    amount = terms.fine_fen if "fine" in terms.kinds else 0
    if terms.kinds & CONFISCATION_KINDS and terms.confiscation_fen > 0:
        amount += terms.confiscation_fen
    return amount


def wan_yuan(fen: int) -> Decimal:
    """分 → 万元 with two decimals, rounded half up: 12_345_678 分 (123456.78元) → 12.35."""
    if fen < 0:
        raise ValueError("an amount cannot be negative")
    return (Decimal(fen) / WAN_YUAN_FEN).quantize(WAN_YUAN_PLACES, rounding=ROUND_HALF_UP)


# 检查频次 (issue 17, item 7): how many enterprises one agency inspected once, twice, three times or
# more in a year, counting only the inspections that count (`inspection_counts`). A statistic of
# this platform, not a rule of law: the bands are the platform's (the yearly cap itself is the
# parameter inspection.yearly_cap_*).
INSPECTION_FREQUENCY_SOURCE = "平台统计口径：按执法主体和年度统计每个检查对象被检查的次数，只计入有具体检查对象并有完整检查记录的检查"
INSPECTION_FREQUENCY_BANDS: dict[int, str] = {1: "1次", 2: "2次", 3: "3次及以上"}


def inspection_frequency_band(times: int) -> int:
    """The band of an enterprise inspected `times` times (≥ 1): 1, 2, or 3 for three or more."""
    if times < 1:
        raise ValueError("an enterprise in the statistics was inspected at least once")
    return min(times, max(INSPECTION_FREQUENCY_BANDS))


def inspection_counts(*, object_specified: bool, record_complete: bool) -> bool:
    """Whether an inspection counts in 行政检查次数 (INSPECTION_SOURCE)."""
    return object_specified and record_complete


# --- 行政检查 recorded in the inspection register (issue 17, item 7) ---------------------------------
# An inspection of the inspection app (a target of the register, its record with the checklist, its
# result) counts under INSPECTION_SOURCE; the engine judges "specific object and complete record"
# (procedure.inspection.rules.counting_problems) when the result is sent. Which year it counts in,
# how it meets the inspections recorded inside penalty cases, and the reasons one is left out are
# the platform's readings below, labelled as such (待核实: no published 统计口径 read says them).
INSPECTION_FREQUENCY_IN_REPORT_SOURCE = (
    "检查频次数据纳入行政执法统计年报（司法部关于规范涉企行政检查的答记者问，转引，待核实）"
)
INSPECTION_YEAR_RULE = "平台规则（待核实）：行政检查按检查结果告知企业之日所在年度计入，检查记录完整的检查在告知结果后方计入"
INSPECTION_SAME_VISIT_RULE = (
    "平台规则（待核实）：检查中发现违法而立案的，该案件中与该次检查同日的现场检查为同一次检查，只计1次；"
    "立案后另日实施的现场检查另行计数"
)
INSPECTION_REGISTER_SOURCE = (
    f"{INSPECTION_SOURCE}。{INSPECTION_YEAR_RULE}。{INSPECTION_SAME_VISIT_RULE}。{INSPECTION_FREQUENCY_IN_REPORT_SOURCE}"
)
# Why a register inspection of the year is left out, in the order the page lists them.
INSPECTION_LEFT_OUT: dict[str, str] = {
    "incomplete": "已告知检查结果，但检查记录不完整（缺少现场检查笔录及检查表，或者非现场检查记录）",
    "no_result": "本年度已开始检查，但尚未告知检查结果（告知结果后计入告知之日所在年度）",
}
# How many of the most inspected enterprises the annual page names (a platform choice for the page).
INSPECTION_FREQUENCY_TOP = 10


def inspection_counted_year(*, object_specified: bool, record_complete: bool, result_sent_on: dt.date | None
                            ) -> int | None:
    """The year in whose statistics a register inspection counts (INSPECTION_YEAR_RULE): the year
    its result was sent, if it has a specific object and a complete record; None: not counted."""
    if result_sent_on is None or not inspection_counts(object_specified=object_specified,
                                                       record_complete=record_complete):
        return None
    return result_sent_on.year


def inspection_left_out_reason(*, result_sent_on: dt.date | None, counted: bool, cancelled: bool) -> str | None:
    """Why a register inspection begun in the year is not counted (a key of INSPECTION_LEFT_OUT),
    None when it counts or was cancelled (a cancelled inspection did not take place)."""
    if cancelled or counted:
        return None
    return "no_result" if result_sent_on is None else "incomplete"


def inspection_same_visit(*, inspection_on: dt.date | None, case_act_on: dt.date | None) -> bool:
    """Whether an on-site inspection recorded in the penalty case that an inspection opened is that
    inspection recorded again (INSPECTION_SAME_VISIT_RULE): the same day."""
    return inspection_on is not None and inspection_on == case_act_on


def inspection_total(*, in_cases: int, in_register: int, same_visit: int) -> int:
    """行政检查次数: the inspections recorded in cases plus those of the register, each visit once."""
    if min(in_cases, in_register, same_visit) < 0 or same_visit > min(in_cases, in_register):
        raise ValueError("counts cannot be negative, and a visit counted twice is in both counts")
    return in_cases + in_register - same_visit


@dataclass(frozen=True)
class PenaltyTable:
    """One row of the 行政处罚 table: decisions per column, their total, and 罚没金额 in 分."""

    columns: dict[str, int] = field(default_factory=dict)
    amount_fen: int = 0

    def __post_init__(self) -> None:
        unknown = set(self.columns) - set(PENALTY_COLUMNS)
        if unknown:
            raise ValueError(f"unknown penalty columns: {sorted(unknown)}")
        if any(n < 0 for n in self.columns.values()) or self.amount_fen < 0:
            raise ValueError("counts and amounts cannot be negative")
        object.__setattr__(self, "columns", {key: self.columns.get(key, 0) for key in PENALTY_COLUMNS})

    @property
    def total(self) -> int:
        return sum(self.columns.values())

    @property
    def amount_wan(self) -> Decimal:
        return wan_yuan(self.amount_fen)

    def as_public(self) -> dict[str, int]:
        """What the public table stores: each column, 合计 ("total") and 罚没金额 in 分 ("amount_fen")."""
        return {**self.columns, "total": self.total, "amount_fen": self.amount_fen}


def penalty_table(decisions: Iterable[PenaltyTerms]) -> PenaltyTable:
    """The table of a set of penalty decisions (one entry per decision)."""
    columns: dict[str, int] = {}
    amount = 0
    for terms in decisions:
        column = penalty_column(terms.kinds)
        columns[column] = columns.get(column, 0) + 1
        amount += penalty_amount_fen(terms)
    return PenaltyTable(columns, amount)


def penalty_tables_sum(tables: Iterable[PenaltyTable]) -> PenaltyTable:
    """The county's row: the sum of the agencies' rows, column by column and in 分."""
    columns = dict.fromkeys(PENALTY_COLUMNS, 0)
    amount = 0
    for table in tables:
        for key, n in table.columns.items():
            columns[key] += n
        amount += table.amount_fen
    return PenaltyTable(columns, amount)


def penalty_table_from_counts(counted: Mapping[str, tuple[int, int]]) -> PenaltyTable:
    """The table from what a database counted: column → (decisions, 分)."""
    return PenaltyTable({key: n for key, (n, _) in counted.items()}, sum(fen for _, fen in counted.values()))


def narrative_problems(sections: Mapping[str, str]) -> dict[str, str]:
    """Every reason a narrative cannot be submitted, by section: each section written, none too long."""
    problems = {}
    for key in sections:
        if key not in NARRATIVE_SECTIONS:
            raise ValueError(f"unknown narrative section: {key!r}")
    for key, label in NARRATIVE_SECTIONS.items():
        text = (sections.get(key) or "").strip()
        if not text:
            problems[key] = f"请填写“{label}”"
        elif len(text) > NARRATIVE_MAX_CHARS:
            problems[key] = f"“{label}”不能超过{NARRATIVE_MAX_CHARS}字（现为{len(text)}字）"
    return problems


__all__ = [
    "AMOUNT_SOURCE",
    "CONFISCATION_KINDS",
    "INSPECTION_FREQUENCY_IN_REPORT_SOURCE",
    "INSPECTION_FREQUENCY_TOP",
    "INSPECTION_LEFT_OUT",
    "INSPECTION_REGISTER_SOURCE",
    "INSPECTION_SAME_VISIT_RULE",
    "INSPECTION_SOURCE",
    "INSPECTION_YEAR_RULE",
    "NARRATIVE_MAX_CHARS",
    "NARRATIVE_SECTIONS",
    "NARRATIVE_SOURCE",
    "PENALTY_COLUMNS",
    "PENALTY_KIND_COLUMN",
    "PENALTY_SEVERITY",
    "PENALTY_SEVERITY_SOURCE",
    "STATISTICS_SOURCE",
    "PenaltyTable",
    "inspection_counted_year",
    "inspection_counts",
    "inspection_left_out_reason",
    "inspection_same_visit",
    "inspection_total",
    "narrative_problems",
    "penalty_amount_fen",
    "penalty_column",
    "penalty_heaviest_kind",
    "penalty_table",
    "penalty_table_from_counts",
    "penalty_tables_sum",
    "wan_yuan",
]

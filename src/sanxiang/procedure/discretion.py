"""裁量基准 (discretion benchmarks) as data, and what the platform proposes from them.

A benchmark is published by the agency (or taken over from the province) for each 执法事项
(matter): for each 违法行为 (violation, with the articles it breaks and the article that punishes
it) the statutory sanction, and the tiers (不予处罚 / 减轻 / 从轻 / 一般 / 从重) with their
conditions and the band of the sanction each tier applies. Benchmarks are versioned: a decision
records the version it applied.

Law (《中华人民共和国行政处罚法》):
- 第三十四条: an agency may set benchmarks, must publish them (`PUBLISHED`);
- 第三十二条: mandatory 从轻/减轻 (`MITIGATION_BASIS`);
- 第三十三条第一款: a minor act corrected in time with no harm is not penalised (轻微不罚); a first
  offence with minor harm corrected in time may be exempted (首违不罚) (`NO_PENALTY_BASIS`).

How a benchmark is read (the structure of the Guangdong eco-environment rules, 粤环发〔2021〕4号,
used here as the model; each deployment's own benchmark is the data):
- the sanction models: a range of amounts, a multiple of a base (illegal gains, goods value) with
  optional absolute floor and cap, a maximum only ("处X元以下罚款"), a minimum only ("处X元以上罚款");
- statutory limits include the number ("以上""以下" include it: 《民法典》第一千二百五十九条);
- a tier applies when all its conditions hold; the first tier that applies, in the order the
  benchmark lists them, is proposed; a benchmark always has a tier without conditions to fall back to;
- a fact that was not established counts as the benchmark says (by default: the condition does not
  hold, the reading the most favourable to the party for an aggravating factor);
- look-back windows ("近一年内") are counted back from the date of the act.

Money is in fen (分), integers; multiples are `Decimal`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from sanxiang.procedure.penalty.basis import penalty_article
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

PUBLISHED = penalty_article(34)
MITIGATION_BASIS = penalty_article(32)
NO_PENALTY_BASIS = penalty_article(33, detail="第一款")
STATUTORY_LIMITS_INCLUSIVE = "《中华人民共和国民法典》第一千二百五十九条"
BENCHMARK_MODEL = "《广东省生态环境行政处罚自由裁量权规定》（作为裁量基准结构的参照）"
PLATFORM_RULE = f"{PLATFORM_PREFIX}：裁量基准数据校验"
# How the import template's example row writes the articles.
EXAMPLE_VIOLATED = "《某条例》第十条"
EXAMPLE_PUNISHED_BY = "《某条例》第三十条"

# Tiers, from the lightest to the heaviest.
TIERS: dict[str, str] = {
    "none": "不予处罚",
    "reduced": "减轻处罚",
    "lighter": "从轻处罚",
    "ordinary": "一般处罚",
    "heavier": "从重处罚",
}
TIER_ORDER: tuple[str, ...] = tuple(TIERS)

# How an amount stands against the proposed band; "below"/"above" map onto review's DISCRETION keys.
POSITIONS: dict[str, str] = {
    "within": "在裁量基准范围内",
    "below": "低于裁量基准",
    "above": "高于裁量基准",
}
DISCRETION_OF_POSITION: dict[str, str] = {"within": "within", "below": "mitigated", "above": "aggravated"}

OPERATORS: dict[str, str] = {
    "true": "是",
    "false": "否",
    ">=": "不少于",
    ">": "超过",
    "<=": "不超过",
    "<": "不足",
    "==": "为",
}

NO_PENALTY_KINDS: dict[str, str] = {
    "minor": "轻微不罚",  # 第三十三条第一款前段: 不予行政处罚 (mandatory)
    "first_offence": "首违不罚",  # 第三十三条第一款后段: 可以不予行政处罚
}

YUAN = 100  # fen
# The largest amount (and base) a benchmark or a drafting fact may state, and the largest multiple
# and look-back: bounds of the platform's input (PLATFORM_RULE), far above any fine of the law, so
# that a typing slip ("1e30", "NaN") is reported instead of computed.
AMOUNT_MAX_FEN = 10**15  # 10万亿元
MULTIPLE_MAX = Decimal(1000)
LOOKBACK_MAX_MONTHS = 120

Facts = Mapping[str, bool | int | None]


# --- conditions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A predicate on one fact entered at drafting: `fact` is a key of the facts, `label` says it in
    Chinese ("违法所得", "危害后果轻微"), `op` a key of OPERATORS, `value` the threshold (fen for money).
    `if_unknown`: what an unestablished fact counts as."""

    fact: str
    label: str
    op: str = "true"
    value: int = 0
    if_unknown: bool = False
    unit: str = ""  # "元": the value is in fen and printed in yuan

    def holds(self, facts: Facts) -> bool:
        value = facts.get(self.fact)
        if value is None:
            return self.if_unknown
        if self.op == "true":
            return bool(value)
        if self.op == "false":
            return not value
        number = int(value)
        return {
            ">=": number >= self.value,
            ">": number > self.value,
            "<=": number <= self.value,
            "<": number < self.value,
            "==": number == self.value,
        }[self.op]

    def describe(self) -> str:
        if self.op == "true":
            return self.label
        if self.op == "false":
            return f"非{self.label}" if not self.label.startswith(("无", "未", "非")) else self.label
        value = yuan(self.value) if self.unit == "元" else str(self.value)
        return f"{self.label}{OPERATORS[self.op]}{value}"


# --- sanctions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rounding:
    """Amounts proposed are multiples of `step_fen` (e.g. 100 元 = 10000): the band's ends are rounded
    inwards (so a rounded band never leaves the unrounded one), the suggested amount half up."""

    step_fen: int = YUAN

    def __post_init__(self) -> None:
        if self.step_fen <= 0:
            raise ValueError("rounding step must be positive")

    def _to(self, amount: int, mode: str) -> int:
        steps = (Decimal(amount) / self.step_fen).quantize(Decimal(1), rounding=mode)
        return int(steps) * self.step_fen

    def up(self, amount: int) -> int:
        return self._to(amount, ROUND_CEILING)

    def down(self, amount: int) -> int:
        return self._to(amount, ROUND_FLOOR)

    def nearest(self, amount: int) -> int:
        return self._to(amount, ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    """An amount band in fen; `None` for an open end."""

    low_fen: int | None
    high_fen: int | None

    def contains(self, amount: int) -> bool:
        return (self.low_fen is None or amount >= self.low_fen) and (
            self.high_fen is None or amount <= self.high_fen
        )

    def position(self, amount: int) -> str:
        if self.low_fen is not None and amount < self.low_fen:
            return "below"
        if self.high_fen is not None and amount > self.high_fen:
            return "above"
        return "within"

    def describe(self) -> str:
        if self.low_fen is not None and self.high_fen is not None:
            if self.low_fen == self.high_fen:
                return f"{yuan(self.low_fen)}"
            return f"{yuan(self.low_fen)}以上{yuan(self.high_fen)}以下"
        if self.high_fen is not None:
            return f"{yuan(self.high_fen)}以下"
        if self.low_fen is not None:
            return f"{yuan(self.low_fen)}以上"
        return "不限"


def yuan(fen: int) -> str:
    whole, cents = divmod(fen, 100)
    return f"{whole}元" if not cents else f"{whole}.{cents:02d}元"


@dataclass(frozen=True)
class RangeFine:
    """处X元以上Y元以下罚款."""

    min_fen: int
    max_fen: int
    model = "range"

    def band(self, facts: Facts) -> Band:
        return Band(self.min_fen, self.max_fen)

    def needs(self) -> tuple[str, ...]:
        return ()

    def describe(self) -> str:
        return f"处{yuan(self.min_fen)}以上{yuan(self.max_fen)}以下罚款"


@dataclass(frozen=True)
class MultipleFine:
    """处<base>X倍以上Y倍以下罚款, with an optional absolute floor and cap ("并处…，最低不少于…元")."""

    base: str  # the fact holding the base, in fen (e.g. "illegal_gains_fen")
    base_label: str  # "违法所得", "货值金额"
    min_multiple: Decimal
    max_multiple: Decimal
    floor_fen: int | None = None
    cap_fen: int | None = None
    model = "multiple"

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_multiple", Decimal(self.min_multiple))
        object.__setattr__(self, "max_multiple", Decimal(self.max_multiple))

    def band(self, facts: Facts) -> Band | None:
        base = facts.get(self.base)
        if base is None:
            return None
        low = int((Decimal(int(base)) * self.min_multiple).to_integral_value(rounding=ROUND_CEILING))
        high = int((Decimal(int(base)) * self.max_multiple).to_integral_value(rounding=ROUND_FLOOR))
        if self.floor_fen is not None:
            low, high = max(low, self.floor_fen), max(high, self.floor_fen)
        if self.cap_fen is not None:
            low, high = min(low, self.cap_fen), min(high, self.cap_fen)
        return Band(low, high)

    def needs(self) -> tuple[str, ...]:
        return (self.base,)

    def describe(self) -> str:
        text = (
            f"处{self.base_label}{_multiple(self.min_multiple)}倍以上{_multiple(self.max_multiple)}倍以下罚款"
        )
        if self.floor_fen is not None:
            text += f"，最低{yuan(self.floor_fen)}"
        if self.cap_fen is not None:
            text += f"，最高{yuan(self.cap_fen)}"
        return text


def _multiple(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class MaximumOnly:
    """处X元以下罚款: the lower end is nothing (0)."""

    max_fen: int
    model = "maximum"

    def band(self, facts: Facts) -> Band:
        return Band(0, self.max_fen)

    def needs(self) -> tuple[str, ...]:
        return ()

    def describe(self) -> str:
        return f"处{yuan(self.max_fen)}以下罚款"


@dataclass(frozen=True)
class MinimumOnly:
    """处X元以上罚款: no upper end in the statute."""

    min_fen: int
    model = "minimum"

    def band(self, facts: Facts) -> Band:
        return Band(self.min_fen, None)

    def needs(self) -> tuple[str, ...]:
        return ()

    def describe(self) -> str:
        return f"处{yuan(self.min_fen)}以上罚款"


Sanction = RangeFine | MultipleFine | MaximumOnly | MinimumOnly
MODELS: dict[str, str] = {
    "range": "幅度",
    "multiple": "倍数",
    "maximum": "仅规定上限",
    "minimum": "仅规定下限",
}


# The default split of a statutory sanction into tiers when a benchmark gives only the statute
# (the reference model's rule for choosing an amount): for a range or a multiple, 从轻 below the
# midpoint, 一般 at it, 从重 from it up; for a maximum only, 从轻 up to 20 % and 一般 about 50 %;
# for a minimum only, 一般 about 2× the minimum and 从重 from 5×. These are the model's figures, not
# national law: a deployment's benchmark states its own bands.
def default_band(sanction: Sanction, tier: str, facts: Facts) -> Band | None:
    band = sanction.band(facts)
    if tier == "none":
        return Band(0, 0)
    if band is None:
        return None
    if tier == "reduced":
        # 减轻处罚: below the statutory minimum (where the statute has one above nothing).
        if band.low_fen:
            return Band(0, band.low_fen - 1)
        return band
    low, high = band.low_fen, band.high_fen
    if isinstance(sanction, MinimumOnly):
        assert low is not None
        return {
            "lighter": Band(low, 2 * low),
            "ordinary": Band(2 * low, 2 * low),
            "heavier": Band(5 * low, None),
        }[tier]
    assert low is not None and high is not None
    if isinstance(sanction, MaximumOnly):
        return {
            "lighter": Band(0, high // 5),
            "ordinary": Band(high // 2, high // 2),
            "heavier": Band(high // 2, high),
        }[tier]
    middle = (low + high) // 2
    return {"lighter": Band(low, middle), "ordinary": Band(middle, middle), "heavier": Band(middle, high)}[
        tier
    ]


# --- benchmark ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    level: str  # a key of TIERS
    conditions: tuple[Condition, ...] = ()
    band: Band | None = None  # explicit band (fen); None: the default split of the statutory sanction
    multiples: tuple[Decimal, Decimal] | None = None  # for a multiple sanction: the tier's multiples
    explanation: str = ""  # how the decision states it ("当事人…，依据…从轻处罚")

    def applies(self, facts: Facts) -> bool:
        return all(condition.holds(facts) for condition in self.conditions)


@dataclass(frozen=True)
class Entry:
    """One 违法行为 of a matter's benchmark."""

    code: str
    violation: str  # 违法行为
    violated: str  # 违反条款
    punished_by: str  # 处罚依据
    sanction: Sanction
    tiers: tuple[Tier, ...]
    rounding: Rounding = Rounding()


@dataclass(frozen=True)
class NoPenaltyRule:
    """An entry of the 不予处罚 list: 首违不罚 or 轻微不罚 for a violation of the benchmark, with its
    look-back window ("近N个月内首次"), its quantitative caps and other conditions (all must hold)."""

    kind: str  # a key of NO_PENALTY_KINDS
    entry: str  # Entry.code
    lookback_months: int = 12
    caps: tuple[Condition, ...] = ()
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Benchmark:
    """A version of a matter's benchmark."""

    matter: str  # matter code
    version: str
    effective_from: dt.date
    effective_to: dt.date | None = None  # last day in force; None: until replaced
    source: str = ""  # 文件名称及文号
    entries: tuple[Entry, ...] = ()
    no_penalty: tuple[NoPenaltyRule, ...] = ()

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def entry(self, code: str) -> Entry | None:
        return next((entry for entry in self.entries if entry.code == code), None)

    def label(self) -> str:
        until = f"至{self.effective_to.isoformat()}" if self.effective_to else "起"
        return f"第{self.version}版（{self.effective_from.isoformat()}{until}）"


def benchmark_in_force(versions: Iterable[Benchmark], *, on: dt.date) -> Benchmark | None:
    """The version in force on a date; of two in force, the later one."""
    found = [version for version in versions if version.in_force(on)]
    return max(found, key=lambda version: version.effective_from) if found else None


def _violation(code: str, message: str, fld: str | None = None, basis: str = PLATFORM_RULE) -> Violation:
    return Violation(code, message, basis, fld)


def benchmark_problems(benchmark: Benchmark) -> list[Violation]:
    """Every defect of a benchmark (all reasons at once): dates, tiers, bands outside the statute."""
    problems: list[Violation] = []
    if benchmark.effective_to is not None and benchmark.effective_to < benchmark.effective_from:
        problems.append(_violation("discretion.dates", "失效日期早于施行日期", "effective_to"))
    if not benchmark.entries:
        problems.append(_violation("discretion.empty", "裁量基准没有违法行为", "entries"))
    codes = [entry.code for entry in benchmark.entries]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        problems.append(_violation("discretion.duplicate", f"违法行为编号“{code}”重复", "code"))
    for entry in benchmark.entries:
        problems += entry_problems(entry)
    for rule in benchmark.no_penalty:
        if benchmark.entry(rule.entry) is None:
            problems.append(
                _violation(
                    "discretion.no_penalty_entry",
                    f"不予处罚清单引用了不存在的违法行为“{rule.entry}”",
                    "entry",
                )
            )
        if rule.kind not in NO_PENALTY_KINDS:
            problems.append(
                _violation("discretion.no_penalty_kind", f"不予处罚类型“{rule.kind}”无效", "kind")
            )
        if not 0 < rule.lookback_months <= LOOKBACK_MAX_MONTHS:
            problems.append(
                _violation(
                    "discretion.lookback",
                    f"追溯期限应当为1至{LOOKBACK_MAX_MONTHS}个月",
                    "lookback_months",
                )
            )
    return problems


def entry_problems(entry: Entry) -> list[Violation]:
    problems: list[Violation] = []
    where = f"“{entry.code} {entry.violation}”"
    sanction = entry.sanction
    if isinstance(sanction, RangeFine) and not 0 <= sanction.min_fen <= sanction.max_fen:
        problems.append(_violation("discretion.range", f"{where}的罚款下限高于上限", "sanction"))
    if isinstance(sanction, MultipleFine) and not 0 <= sanction.min_multiple <= sanction.max_multiple:
        problems.append(_violation("discretion.multiple", f"{where}的最低倍数高于最高倍数", "sanction"))
    if not any(not tier.conditions for tier in entry.tiers):
        problems.append(
            _violation("discretion.fallback", f"{where}没有不附条件的裁量阶次（如一般处罚）", "tiers")
        )
    else:
        # The first tier that applies is proposed (`propose`): a tier listed after the unconditional
        # one would never be.
        fallback = next(i for i, tier in enumerate(entry.tiers) if not tier.conditions)
        for tier in entry.tiers[fallback + 1 :]:
            problems.append(
                _violation(
                    "discretion.unreachable",
                    f"{where}的{TIERS.get(tier.level, tier.level)}排在不附条件的"
                    f"{TIERS.get(entry.tiers[fallback].level, '')}之后，永远不会适用："
                    "附条件的阶次应当排在前面",
                    "tiers",
                )
            )
    for tier in entry.tiers:
        if tier.level not in TIERS:
            problems.append(_violation("discretion.tier", f"{where}的裁量阶次“{tier.level}”无效", "tiers"))
            continue
        statute = sanction.band({})
        # 减轻处罚 goes below the statutory minimum, never above the maximum; the other tiers stay
        # within the statute.
        below_allowed = tier.level == "reduced"
        if tier.band is not None and statute is not None and tier.level != "none":
            if (
                not below_allowed
                and statute.low_fen is not None
                and (tier.band.low_fen or 0) < statute.low_fen
            ) or (
                statute.high_fen is not None
                and (tier.band.high_fen is None or tier.band.high_fen > statute.high_fen)
            ):
                problems.append(
                    _violation(
                        "discretion.outside_statute",
                        f"{where}的{TIERS[tier.level]}幅度{tier.band.describe()}超出法定幅度{statute.describe()}",
                        "tiers",
                        STATUTORY_LIMITS_INCLUSIVE,
                    )
                )
        if tier.band is not None and tier.band.low_fen is not None and tier.band.high_fen is not None:
            if tier.band.low_fen > tier.band.high_fen:
                problems.append(
                    _violation("discretion.band", f"{where}的{TIERS[tier.level]}幅度下限高于上限", "tiers")
                )
        if tier.multiples is not None and isinstance(sanction, MultipleFine):
            low, high = tier.multiples
            floor = Decimal(0) if below_allowed else sanction.min_multiple
            if not floor <= low <= high <= sanction.max_multiple:
                problems.append(
                    _violation(
                        "discretion.outside_statute",
                        f"{where}的{TIERS[tier.level]}倍数超出法定倍数",
                        "tiers",
                        STATUTORY_LIMITS_INCLUSIVE,
                    )
                )
    return problems


# --- history: repeated offences and the look-back window ----------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of a shorter month): 2024-03-31 − 1 → 2024-02-29."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class EarlierOffence:
    """An earlier case of the same party for the same violation, found by the case side."""

    case: str  # the case's number
    committed_on: dt.date  # the act date of the earlier case
    decided_on: dt.date | None = None  # its decision, if any
    outcome: str = ""  # penalty | no_penalty


def offences_in_window(
    earlier: Iterable[EarlierOffence], *, act_on: dt.date, months: int
) -> tuple[EarlierOffence, ...]:
    """The earlier offences within "近N个月内", counted back from the date of the act: those committed on
    or after the same day N months earlier and before the act."""
    start = months_before(act_on, months)
    return tuple(
        sorted((o for o in earlier if start <= o.committed_on < act_on), key=lambda o: o.committed_on)
    )


REPEAT_FACT = "repeat_count"
REPEAT_LABEL = "追溯期限内同类违法次数"


# --- the proposal ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoPenaltyFinding:
    rule: NoPenaltyRule
    eligible: bool
    reasons: tuple[str, ...]  # why not, every one; or the conditions met
    earlier: tuple[EarlierOffence, ...] = ()
    mandatory: bool = False  # 轻微不罚 is 不予行政处罚; 首违不罚 is 可以不予

    @property
    def basis(self) -> str:
        return NO_PENALTY_BASIS


def no_penalty_findings(
    benchmark: Benchmark,
    entry: Entry,
    facts: Facts,
    *,
    act_on: dt.date,
    earlier: Iterable[EarlierOffence] = (),
) -> tuple[NoPenaltyFinding, ...]:
    earlier = tuple(earlier)
    findings = []
    for rule in benchmark.no_penalty:
        if rule.entry != entry.code:
            continue
        reasons: list[str] = []
        previous = offences_in_window(earlier, act_on=act_on, months=rule.lookback_months)
        if rule.kind == "first_offence" and previous:
            cases = "、".join(o.case for o in previous)
            reasons.append(f"近{rule.lookback_months}个月内已有同类违法（{cases}），不是首次违法")
        for condition in (*rule.caps, *rule.conditions):
            if not condition.holds(facts):
                reasons.append(f"不符合“{condition.describe()}”")
        met = not reasons
        if met:
            reasons = [condition.describe() for condition in (*rule.caps, *rule.conditions)]
            if rule.kind == "first_offence":
                reasons.insert(0, f"近{rule.lookback_months}个月内首次违法")
        findings.append(NoPenaltyFinding(rule, met, tuple(reasons), previous, mandatory=rule.kind == "minor"))
    return tuple(findings)


@dataclass(frozen=True)
class Proposal:
    """What the platform proposes for a violation from the facts entered."""

    benchmark: Benchmark
    entry: Entry
    tier: Tier
    band: Band | None  # the proposed band, rounded; None when the base is missing
    suggested_fen: int | None
    met: tuple[str, ...]  # the conditions that made the tier apply
    unknown: tuple[str, ...]  # facts the tier read that were not established
    missing: tuple[str, ...]  # facts the sanction needs that are missing
    no_penalty: tuple[NoPenaltyFinding, ...] = ()
    earlier: tuple[EarlierOffence, ...] = ()
    facts: Mapping[str, bool | int | None] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"{self.benchmark.matter}/{self.benchmark.version}"

    def basis_lines(self) -> tuple[str, ...]:
        lines = [
            f"裁量基准：{self.benchmark.source or self.benchmark.matter}{self.benchmark.label()}",
            f"违法行为：{self.entry.violation}；违反{self.entry.violated}；依据{self.entry.punished_by}",
            f"法定处罚：{self.entry.sanction.describe()}",
            f"裁量阶次：{TIERS[self.tier.level]}" + (f"（{'；'.join(self.met)}）" if self.met else ""),
        ]
        if self.band is not None and self.tier.level != "none":
            lines.append(f"建议幅度：{self.band.describe()}")
        if self.unknown:
            lines.append(f"未查明的因素按裁量基准的规定认定：{'、'.join(self.unknown)}")
        if self.missing:
            lines.append(f"缺少计算罚款所需的事实：{'、'.join(self.missing)}")
        return tuple(lines)

    def position(self, amount_fen: int) -> str:
        return "within" if self.band is None else self.band.position(amount_fen)

    def statement(self, amount_fen: int | None, explanation: str = "") -> str:
        """How the decision states that discretion was applied."""
        parts = [
            f"本机关依据{self.benchmark.source or '裁量基准'}{self.benchmark.label()}，"
            f"当事人的违法行为属于“{self.entry.violation}”，适用{TIERS[self.tier.level]}"
            + (f"（{'；'.join(self.met)}）" if self.met else ""),
        ]
        if self.band is not None and self.tier.level != "none":
            parts.append(f"裁量幅度为{self.band.describe()}")
        if amount_fen is not None and self.tier.level != "none":
            position = self.position(amount_fen)
            parts.append(f"本案罚款{yuan(amount_fen)}，{POSITIONS[position]}")
        if self.tier.explanation:
            parts.append(self.tier.explanation)
        if explanation:
            parts.append(f"理由：{explanation}")
        return "，".join(parts) + "。"


def propose(
    benchmark: Benchmark,
    entry_code: str,
    facts: Facts,
    *,
    act_on: dt.date,
    earlier: Iterable[EarlierOffence] = (),
    repeat_months: int = 12,
) -> Proposal:
    """The tier and band proposed for `entry_code` from the facts. Earlier offences of the same party
    for the same violation within `repeat_months` (counted back from the act) enter the facts as
    `repeat_count`, which a 从重 tier may read."""
    entry = benchmark.entry(entry_code)
    if entry is None:
        raise KeyError(entry_code)
    earlier = tuple(earlier)
    repeated = offences_in_window(earlier, act_on=act_on, months=repeat_months)
    facts = {**facts, REPEAT_FACT: len(repeated)}
    tier = next(tier for tier in entry.tiers if tier.applies(facts))
    met = tuple(condition.describe() for condition in tier.conditions)
    unknown = tuple(condition.label for condition in tier.conditions if facts.get(condition.fact) is None)
    missing = tuple(name for name in entry.sanction.needs() if facts.get(name) is None)
    band = tier_band(entry, tier, facts)
    suggested = None
    if band is not None and tier.level != "none":
        band = round_band(band, entry.rounding)
        suggested = suggested_amount(band, entry.rounding)
    elif tier.level == "none":
        band, suggested = Band(0, 0), 0
    return Proposal(
        benchmark,
        entry,
        tier,
        band,
        suggested,
        met,
        unknown,
        missing,
        no_penalty=no_penalty_findings(benchmark, entry, facts, act_on=act_on, earlier=earlier),
        earlier=repeated,
        facts=facts,
    )


def tier_band(entry: Entry, tier: Tier, facts: Facts) -> Band | None:
    if tier.band is not None:
        return tier.band
    sanction = entry.sanction
    if tier.multiples is not None and isinstance(sanction, MultipleFine):
        low, high = tier.multiples
        return MultipleFine(
            sanction.base, sanction.base_label, low, high, sanction.floor_fen, sanction.cap_fen
        ).band(facts)
    return default_band(sanction, tier.level, facts)


def round_band(band: Band, rounding: Rounding) -> Band:
    """Ends rounded inwards; a band narrower than a step keeps its unrounded ends."""
    low = rounding.up(band.low_fen) if band.low_fen is not None else None
    high = rounding.down(band.high_fen) if band.high_fen is not None else None
    if low is not None and high is not None and low > high:
        return band
    return Band(low, high)


def suggested_amount(band: Band, rounding: Rounding) -> int | None:
    """The middle of the band, rounded to the step and kept inside the band; the lower end for an
    open band."""
    if band.low_fen is None and band.high_fen is None:
        return None
    if band.high_fen is None:
        return band.low_fen
    low = band.low_fen or 0
    amount = rounding.nearest((low + band.high_fen) // 2)
    return min(max(amount, low), band.high_fen)


# --- checking the amount an officer drafts --------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    proposal: Proposal
    amount_fen: int | None
    position: str  # a key of POSITIONS
    problems: tuple[Violation, ...]

    @property
    def discretion(self) -> str:
        """The key of review's DISCRETION this amount amounts to."""
        return DISCRETION_OF_POSITION[self.position]

    @property
    def explanation_required(self) -> bool:
        return self.position != "within"


def assess(
    proposal: Proposal,
    *,
    amount_fen: int | None,
    explanation: str = "",
    fine_imposed: bool = True,
    mitigation_recorded: bool = False,
) -> Assessment:
    """The penalty drafted against the proposal: every reason for refusal at once. Outside the
    proposed band the officer writes why (below it: 减轻 under 第三十二条, or 从轻 under the
    benchmark's own factors); above the statutory maximum nothing can justify it. Below the
    statutory minimum is 减轻处罚: unless the benchmark's own 减轻 tier applies, it needs a legal
    ground of reduction (第三十二条 and the like) recorded and stated in the decision
    (`mitigation_recorded`). When the benchmark's 轻微不罚 entry holds on the facts entered, no
    penalty may be imposed at all (第三十三条第一款: 不予行政处罚)."""
    problems: list[Violation] = []
    position = "within"
    for finding in proposal.no_penalty:
        if finding.mandatory and finding.eligible:
            problems.append(
                _violation(
                    "discretion.no_penalty_mandatory",
                    f"按裁量基准，本案符合{NO_PENALTY_KINDS[finding.rule.kind]}的条件"
                    f"（{'；'.join(finding.reasons)}），依法不予行政处罚：请改为不予行政处罚，"
                    "或者核对所填的裁量因素",
                    "outcome",
                    NO_PENALTY_BASIS,
                )
            )
    if fine_imposed and amount_fen is not None:
        position = (
            "above" if proposal.tier.level == "none" and amount_fen > 0 else proposal.position(amount_fen)
        )
        statute = proposal.entry.sanction.band(proposal.facts)
        if (
            statute is not None
            and statute.low_fen
            and amount_fen < statute.low_fen
            and proposal.tier.level != "reduced"
            and not mitigation_recorded
        ):
            problems.append(
                _violation(
                    "discretion.below_statute",
                    f"罚款{yuan(amount_fen)}低于法定最低额{yuan(statute.low_fen)}，属于减轻处罚："
                    "须有法定的减轻处罚情节，并在决定书中写明（勾选“已依法从轻或者减轻处罚并写明”）",
                    "mitigation_recorded",
                    MITIGATION_BASIS,
                )
            )
        if statute is not None and statute.high_fen is not None and amount_fen > statute.high_fen:
            problems.append(
                _violation(
                    "discretion.above_statute",
                    f"罚款{yuan(amount_fen)}超过法定最高额{yuan(statute.high_fen)}",
                    "fine_amount",
                    proposal.entry.punished_by,
                )
            )
    if position != "within" and not explanation.strip():
        where = "低于" if position == "below" else "高于"
        basis = MITIGATION_BASIS if position == "below" else PUBLISHED
        described = proposal.band.describe() if proposal.band is not None else TIERS[proposal.tier.level]
        problems.append(
            _violation(
                "discretion.explanation",
                f"拟处罚款{where}裁量基准建议的幅度（{described}），须书面说明理由",
                "discretion_explanation",
                basis,
            )
        )
    return Assessment(proposal, amount_fen, position, tuple(problems))


# --- storage: a benchmark as JSON-ready data ------------------------------------------------------


def _condition_dict(condition: Condition) -> dict:
    return {
        "fact": condition.fact,
        "label": condition.label,
        "op": condition.op,
        "value": condition.value,
        "if_unknown": condition.if_unknown,
        "unit": condition.unit,
    }


def _band_dict(band: Band | None) -> list | None:
    return None if band is None else [band.low_fen, band.high_fen]


def _sanction_dict(sanction: Sanction) -> dict:
    if isinstance(sanction, RangeFine):
        return {"model": "range", "min_fen": sanction.min_fen, "max_fen": sanction.max_fen}
    if isinstance(sanction, MultipleFine):
        return {
            "model": "multiple",
            "base": sanction.base,
            "base_label": sanction.base_label,
            "min_multiple": str(sanction.min_multiple),
            "max_multiple": str(sanction.max_multiple),
            "floor_fen": sanction.floor_fen,
            "cap_fen": sanction.cap_fen,
        }
    if isinstance(sanction, MaximumOnly):
        return {"model": "maximum", "max_fen": sanction.max_fen}
    return {"model": "minimum", "min_fen": sanction.min_fen}


def benchmark_as_dict(benchmark: Benchmark) -> dict:
    """The benchmark's content as stored (dates and identity are columns of the row)."""
    return {
        "entries": [
            {
                "code": entry.code,
                "violation": entry.violation,
                "violated": entry.violated,
                "punished_by": entry.punished_by,
                "sanction": _sanction_dict(entry.sanction),
                "rounding_fen": entry.rounding.step_fen,
                "tiers": [
                    {
                        "level": tier.level,
                        "conditions": [_condition_dict(c) for c in tier.conditions],
                        "band": _band_dict(tier.band),
                        "multiples": None if tier.multiples is None else [str(m) for m in tier.multiples],
                        "explanation": tier.explanation,
                    }
                    for tier in entry.tiers
                ],
            }
            for entry in benchmark.entries
        ],
        "no_penalty": [
            {
                "kind": rule.kind,
                "entry": rule.entry,
                "lookback_months": rule.lookback_months,
                "caps": [_condition_dict(c) for c in rule.caps],
                "conditions": [_condition_dict(c) for c in rule.conditions],
            }
            for rule in benchmark.no_penalty
        ],
    }


def _sanction_from(data: dict) -> Sanction:
    model = data["model"]
    if model == "range":
        return RangeFine(data["min_fen"], data["max_fen"])
    if model == "multiple":
        return MultipleFine(
            data["base"],
            data["base_label"],
            Decimal(data["min_multiple"]),
            Decimal(data["max_multiple"]),
            data.get("floor_fen"),
            data.get("cap_fen"),
        )
    if model == "maximum":
        return MaximumOnly(data["max_fen"])
    return MinimumOnly(data["min_fen"])


def benchmark_from_dict(
    content: dict,
    *,
    matter: str,
    version: str,
    effective_from: dt.date,
    effective_to: dt.date | None,
    source: str,
) -> Benchmark:
    def band(value: list | None) -> Band | None:
        return None if value is None else Band(value[0], value[1])

    entries = tuple(
        Entry(
            e["code"],
            e["violation"],
            e["violated"],
            e["punished_by"],
            _sanction_from(e["sanction"]),
            tuple(
                Tier(
                    t["level"],
                    tuple(Condition(**c) for c in t["conditions"]),
                    band(t.get("band")),
                    None
                    if t.get("multiples") is None
                    else (Decimal(t["multiples"][0]), Decimal(t["multiples"][1])),
                    t.get("explanation", ""),
                )
                for t in e["tiers"]
            ),
            Rounding(e.get("rounding_fen") or YUAN),
        )
        for e in content.get("entries", ())
    )
    rules = tuple(
        NoPenaltyRule(
            r["kind"],
            r["entry"],
            r["lookback_months"],
            tuple(Condition(**c) for c in r["caps"]),
            tuple(Condition(**c) for c in r["conditions"]),
        )
        for r in content.get("no_penalty", ())
    )
    return Benchmark(matter, version, effective_from, effective_to, source, entries, rules)


def benchmark_facts(benchmark: Benchmark, entry_code: str) -> tuple[Condition, ...]:
    """The facts an officer is asked for at drafting, once each (the repeat count is found from
    earlier cases, not asked)."""
    entry = benchmark.entry(entry_code)
    if entry is None:
        return ()
    seen: dict[str, Condition] = {}
    if isinstance(entry.sanction, MultipleFine):
        seen[entry.sanction.base] = Condition(
            entry.sanction.base, entry.sanction.base_label, ">=", 0, unit="元"
        )
    conditions = [c for tier in entry.tiers for c in tier.conditions]
    conditions += [
        c for rule in benchmark.no_penalty if rule.entry == entry_code for c in (*rule.caps, *rule.conditions)
    ]
    for condition in conditions:
        if condition.fact != REPEAT_FACT:
            seen.setdefault(condition.fact, condition)
    return tuple(seen.values())


# --- facts as an officer enters them at drafting --------------------------------------------------

TRUE_WORDS = frozenset({"是", "有", "符合", "具备"})
FALSE_WORDS = frozenset({"否", "无", "没有", "不符合", "不具备"})
UNKNOWN_WORDS = frozenset({"未查明", "不明", "不详"})


def facts_parse(
    lines: Iterable[str], asked: Iterable[Condition]
) -> tuple[dict[str, bool | int | None], list[str]]:
    """Lines "因素：是/否/未查明/数值[元]" into facts keyed as the benchmark reads them; every line
    that cannot be read is reported. A factor not written is not established."""
    by_label = {condition.label: condition for condition in asked}
    facts: dict[str, bool | int | None] = {}
    problems: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        label, sep, value = (part.strip() for part in line.replace(":", "：").partition("："))
        condition = by_label.get(label)
        if not sep or condition is None:
            known = "、".join(by_label) or "（本违法行为的裁量基准没有需要填写的因素）"
            problems.append(f"“{line}”无法识别：应写成“因素：是/否/数值”，因素为{known}")
            continue
        if value in UNKNOWN_WORDS:
            facts[condition.fact] = None
        elif condition.op in ("true", "false"):
            if value in TRUE_WORDS or value in FALSE_WORDS:
                facts[condition.fact] = value in TRUE_WORDS
            else:
                problems.append(f"“{label}”应填写是、否或未查明")
        else:
            number = value.removesuffix("元").strip()
            try:
                amount = Decimal(number)
            except ArithmeticError:
                problems.append(f"“{label}”应填写数值")
                continue
            money = condition.unit == "元" or value.endswith("元")
            limit = Decimal(AMOUNT_MAX_FEN) / YUAN if money else Decimal(AMOUNT_MAX_FEN)
            if not amount.is_finite() or amount < 0 or amount > limit:
                problems.append(f"“{label}”应填写不小于0、不超过{limit:f}的数值")
                continue
            facts[condition.fact] = int(amount * 100) if money else int(amount)
    return facts, problems


# --- the benchmark as people read it (the matter's page, the portal's 事前 pages) -----------------


def benchmark_public(benchmark: Benchmark) -> dict:
    """A version in Chinese words, nothing else: {version, label, effective_from, effective_to,
    source, entries: [{code, violation, violated, punished_by, model, sanction, rounding, tiers:
    [{level, conditions, band, explanation}], no_penalty: [{kind, lookback_months, conditions}]}]}."""
    entries = []
    for entry in benchmark.entries:
        tiers = []
        for tier in entry.tiers:
            if tier.band is not None:
                band = tier.band.describe() if tier.level != "none" else "不予处罚"
            elif tier.multiples is not None and isinstance(entry.sanction, MultipleFine):
                low, high = tier.multiples
                band = f"{entry.sanction.base_label}{_multiple(low)}倍以上{_multiple(high)}倍以下"
            else:
                band = "不予处罚" if tier.level == "none" else "按法定幅度的中间值划分"
            tiers.append(
                {
                    "level": TIERS[tier.level],
                    "conditions": "；".join(c.describe() for c in tier.conditions) or "其他情形",
                    "band": band,
                    "explanation": tier.explanation,
                }
            )
        rules = [
            {
                "kind": NO_PENALTY_KINDS[rule.kind],
                "lookback_months": rule.lookback_months if rule.kind == "first_offence" else 0,
                "conditions": "；".join(c.describe() for c in (*rule.caps, *rule.conditions)),
            }
            for rule in benchmark.no_penalty
            if rule.entry == entry.code
        ]
        entries.append(
            {
                "code": entry.code,
                "violation": entry.violation,
                "violated": entry.violated,
                "punished_by": entry.punished_by,
                "model": MODELS[entry.sanction.model],
                "sanction": entry.sanction.describe(),
                "rounding": yuan(entry.rounding.step_fen),
                "tiers": tiers,
                "no_penalty": rules,
            }
        )
    return {
        "version": benchmark.version,
        "label": benchmark.label(),
        "effective_from": benchmark.effective_from.isoformat(),
        "effective_to": benchmark.effective_to.isoformat() if benchmark.effective_to else "",
        "source": benchmark.source,
        "entries": entries,
    }

"""裁量基准 (discretion benchmarks), 《中华人民共和国行政处罚法》第三十二条至第三十四条.

Worked examples, one per model of sanction (a range, a multiple of a base, a maximum only, a
minimum only), the 首违不罚 look-back across two cases of the same party (第三十三条第一款), and
properties of the bands, the rounding, the tier selection and the look-back window.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.discretion import (
    MITIGATION_BASIS,
    NO_PENALTY_BASIS,
    PUBLISHED,
    Band,
    Benchmark,
    Condition,
    EarlierOffence,
    Entry,
    MaximumOnly,
    MinimumOnly,
    MultipleFine,
    NoPenaltyRule,
    RangeFine,
    Rounding,
    Tier,
    assess,
    benchmark_in_force,
    benchmark_problems,
    months_before,
    offences_in_window,
    propose,
    round_band,
    suggested_amount,
)

Y = 100  # fen per yuan
ACT = dt.date(2025, 6, 10)

CORRECTED = Condition("corrected", "及时改正")
MINOR_HARM = Condition("minor_harm", "危害后果轻微")
REPEATED = Condition("repeat_count", "追溯期限内同类违法次数", ">=", 1)


def bench(*entries, no_penalty=(), version="1", start=dt.date(2025, 1, 1), end=None):
    return Benchmark(
        "M1", version, start, end, "某县市场监管局行政处罚裁量基准", tuple(entries), tuple(no_penalty)
    )


def standard_tiers():
    return (
        Tier("heavier", (REPEATED,), explanation="当事人一年内再次违法，从重处罚"),
        Tier("lighter", (CORRECTED, MINOR_HARM), explanation="当事人及时改正且危害后果轻微，从轻处罚"),
        Tier("ordinary"),
    )


RANGE = Entry(
    "A",
    "未按规定公示营业执照",
    "《某条例》第十条",
    "《某条例》第三十条",
    RangeFine(1000 * Y, 5000 * Y),
    standard_tiers(),
)


# --- worked examples, one per model -----------------------------------------------------------


def test_range_model_worked_example():
    """处一千元以上五千元以下罚款: 从轻 1000–3000, 一般 3000, 从重 3000–5000 (the midpoint rule)."""
    b = bench(RANGE)
    ordinary = propose(b, "A", {}, act_on=ACT)
    assert ordinary.tier.level == "ordinary"
    assert ordinary.band == Band(3000 * Y, 3000 * Y) and ordinary.suggested_fen == 3000 * Y
    lighter = propose(b, "A", {"corrected": True, "minor_harm": True}, act_on=ACT)
    assert lighter.tier.level == "lighter" and lighter.band == Band(1000 * Y, 3000 * Y)
    assert lighter.suggested_fen == 2000 * Y
    assert "裁量阶次：从轻处罚（及时改正；危害后果轻微）" in lighter.basis_lines()
    # An amount outside the band: explanation required, citing 第三十二条 below the band.
    # (a band above the statutory minimum, so that below it is still within the statute)
    low = assess(replace(lighter, band=Band(2000 * Y, 3000 * Y)), amount_fen=1500 * Y)
    assert low.position == "below" and low.discretion == "mitigated"
    assert [(v.code, v.legal_basis, v.field) for v in low.problems] == [
        ("discretion.explanation", MITIGATION_BASIS, "discretion_explanation")
    ]
    assert "低于裁量基准建议的幅度（2000元以上3000元以下），须书面说明理由" in low.problems[0].message
    # Below the statutory minimum (减轻处罚): the reason and a legal ground of reduction, recorded.
    reduced = assess(lighter, amount_fen=800 * Y, explanation="当事人主动消除危害后果")
    assert [(v.code, v.legal_basis, v.field) for v in reduced.problems] == [
        ("discretion.below_statute", MITIGATION_BASIS, "mitigation_recorded")
    ]
    # The allowed path: the same amount with a written reason and the ground recorded.
    assert (
        assess(
            lighter, amount_fen=800 * Y, explanation="当事人主动消除危害后果", mitigation_recorded=True
        ).problems
        == ()
    )
    # Above the statutory maximum: refused whatever the reason, both reasons at once.
    high = assess(ordinary, amount_fen=6000 * Y)
    assert high.discretion == "aggravated"
    assert [v.code for v in high.problems] == ["discretion.above_statute", "discretion.explanation"]
    assert high.problems[0].legal_basis == "《某条例》第三十条"
    assert [v.code for v in assess(ordinary, amount_fen=6000 * Y, explanation="x").problems] == [
        "discretion.above_statute"
    ]


def test_multiple_model_worked_example():
    """处违法所得一倍以上五倍以下罚款, 最低 2000 元: gains of 3000 元 give 3000–15000; tiers by multiples."""
    entry = Entry(
        "B",
        "销售不合格商品",
        "《某法》第二十条",
        "《某法》第五十条",
        MultipleFine("gains_fen", "违法所得", Decimal(1), Decimal(5), floor_fen=2000 * Y),
        (
            Tier("heavier", (REPEATED,), multiples=(Decimal(3), Decimal(5))),
            Tier("lighter", (CORRECTED,), multiples=(Decimal(1), Decimal(2))),
            Tier("ordinary", multiples=(Decimal(2), Decimal(3))),
        ),
    )
    b = bench(entry)
    proposal = propose(b, "B", {"gains_fen": 3000 * Y, "corrected": True}, act_on=ACT)
    assert proposal.tier.level == "lighter" and proposal.band == Band(3000 * Y, 6000 * Y)
    assert proposal.suggested_fen == 4500 * Y
    # A small gain lifts the band to the floor: 1.5 元 × 1–2 → the 2000 元 minimum.
    tiny = propose(b, "B", {"gains_fen": 150, "corrected": True}, act_on=ACT)
    assert tiny.band == Band(2000 * Y, 2000 * Y)
    # The base unknown: no band, the missing fact named in the basis.
    unknown = propose(b, "B", {}, act_on=ACT)
    assert unknown.band is None and unknown.missing == ("gains_fen",)
    assert any("缺少计算罚款所需的事实" in line for line in unknown.basis_lines())
    # Above 5× the gains: refused.
    over = assess(proposal, amount_fen=15001 * Y, explanation="情节严重")
    assert [v.code for v in over.problems] == ["discretion.above_statute"]


def test_maximum_only_worked_example():
    """处五千元以下罚款: 从轻 up to 1000 (20 %), 一般 2500 (50 %), 从重 2500–5000."""
    entry = Entry(
        "C",
        "未建立进货查验记录",
        "《某法》第五十三条",
        "《某法》第一百二十六条",
        MaximumOnly(5000 * Y),
        standard_tiers(),
    )
    b = bench(entry)
    assert propose(b, "C", {"corrected": True, "minor_harm": True}, act_on=ACT).band == Band(0, 1000 * Y)
    ordinary = propose(b, "C", {}, act_on=ACT)
    assert ordinary.band == Band(2500 * Y, 2500 * Y) and ordinary.suggested_fen == 2500 * Y
    assert propose(
        b, "C", {}, act_on=ACT, earlier=[EarlierOffence("甲2025-1", dt.date(2025, 1, 5))]
    ).band == Band(2500 * Y, 5000 * Y)


def test_minimum_only_worked_example():
    """处一万元以上罚款: 一般 2× the minimum, 从重 from 5×, no statutory upper end."""
    entry = Entry(
        "D", "无证经营", "《某条例》第八条", "《某条例》第四十条", MinimumOnly(10000 * Y), standard_tiers()
    )
    b = bench(entry)
    assert propose(b, "D", {}, act_on=ACT).band == Band(20000 * Y, 20000 * Y)
    heavier = propose(b, "D", {}, act_on=ACT, earlier=[EarlierOffence("甲2025-1", dt.date(2025, 1, 5))])
    assert heavier.band == Band(50000 * Y, None) and heavier.suggested_fen == 50000 * Y
    assert assess(heavier, amount_fen=900000 * Y).problems == ()  # no statutory maximum to exceed
    lighter = propose(b, "D", {"corrected": True, "minor_harm": True}, act_on=ACT)
    assert lighter.band == Band(10000 * Y, 20000 * Y)


# --- 首违不罚 (第三十三条第一款) across two cases of the same party ---------------------------------


FIRST = NoPenaltyRule(
    "first_offence",
    "A",
    lookback_months=12,
    caps=(Condition("days", "持续时间（天）", "<=", 20),),
    conditions=(CORRECTED, MINOR_HARM),
)


def test_first_offence_look_back_across_two_cases_of_the_same_party():
    b = bench(RANGE, no_penalty=(FIRST,))
    facts = {"corrected": True, "minor_harm": True, "days": 10}
    # The party's first case: eligible (可以不予处罚: not mandatory), with 第三十三条第一款.
    first = propose(b, "A", facts, act_on=dt.date(2025, 3, 1))
    [finding] = first.no_penalty
    assert finding.eligible and not finding.mandatory and finding.basis == NO_PENALTY_BASIS
    assert finding.reasons[0] == "近12个月内首次违法"
    # The second case, nine months later: the first case lies in the window, so no 首违不罚 …
    earlier = [EarlierOffence("某市监罚〔2025〕1号", dt.date(2025, 3, 1), dt.date(2025, 3, 20), "no_penalty")]
    second = propose(b, "A", facts, act_on=dt.date(2025, 12, 1), earlier=earlier)
    [finding] = second.no_penalty
    assert not finding.eligible
    assert finding.reasons == ("近12个月内已有同类违法（某市监罚〔2025〕1号），不是首次违法",)
    # … and the repeat makes the tier 从重.
    assert second.tier.level == "heavier" and second.earlier == tuple(earlier)
    # A year and a day later it is a first offence again.
    third = propose(b, "A", facts, act_on=dt.date(2026, 3, 2), earlier=earlier)
    assert third.no_penalty[0].eligible and third.tier.level == "lighter"
    # The cap breached and not corrected: every reason listed.
    over = propose(
        b,
        "A",
        {"corrected": False, "minor_harm": True, "days": 30},
        act_on=dt.date(2025, 12, 1),
        earlier=earlier,
    )
    assert over.no_penalty[0].reasons == (
        "近12个月内已有同类违法（某市监罚〔2025〕1号），不是首次违法",
        "不符合“持续时间（天）不超过20”",
        "不符合“及时改正”",
    )


def test_window_is_counted_back_from_the_act():
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2025, 1, 15), 12) == dt.date(2024, 1, 15)
    on_edge = EarlierOffence("x", dt.date(2024, 6, 10))
    assert offences_in_window([on_edge], act_on=dt.date(2025, 6, 10), months=12) == (on_edge,)
    assert offences_in_window([on_edge], act_on=dt.date(2025, 6, 11), months=12) == ()


# --- benchmarks as data -----------------------------------------------------------------------


def test_benchmark_problems_lists_every_defect():
    bad = Entry(
        "A",
        "x",
        "y",
        "z",
        RangeFine(5000 * Y, 1000 * Y),
        (Tier("heavier", (REPEATED,), band=Band(0, 9000 * Y)),),
    )
    b = Benchmark(
        "M1",
        "1",
        dt.date(2025, 2, 1),
        dt.date(2025, 1, 1),
        "",
        (bad, bad),
        (NoPenaltyRule("first_offence", "Q"),),
    )
    codes = [v.code for v in benchmark_problems(b)]
    assert codes.count("discretion.dates") == 1
    assert "discretion.duplicate" in codes and "discretion.range" in codes and "discretion.fallback" in codes
    assert "discretion.outside_statute" in codes and "discretion.no_penalty_entry" in codes
    assert benchmark_problems(bench(RANGE, no_penalty=(FIRST,))) == []


def test_version_in_force():
    old = bench(RANGE, version="1", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    new = bench(RANGE, version="2", start=dt.date(2025, 1, 1))
    assert benchmark_in_force([old, new], on=dt.date(2024, 12, 31)) is old
    assert benchmark_in_force([old, new], on=dt.date(2025, 1, 1)) is new
    assert benchmark_in_force([old, new], on=dt.date(2023, 12, 31)) is None


def test_statement_for_the_decision():
    proposal = propose(bench(RANGE), "A", {"corrected": True, "minor_harm": True}, act_on=ACT)
    text = proposal.statement(2000 * Y)
    assert text.startswith("本机关依据某县市场监管局行政处罚裁量基准第1版（2025-01-01起）")
    assert "适用从轻处罚（及时改正；危害后果轻微）" in text and "本案罚款2000元，在裁量基准范围内" in text
    assert "理由：主动消除" in proposal.statement(500 * Y, "主动消除危害后果")
    assert PUBLISHED.endswith("第三十四条")


# --- properties -------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**9)
steps = st.sampled_from([1, 100, 1000, 10000, 100000])


@given(amounts, amounts, steps)
def test_rounded_band_stays_inside_the_band(a, b, step):
    band = Band(min(a, b), max(a, b))
    rounded = round_band(band, Rounding(step))
    assert band.low_fen <= rounded.low_fen <= rounded.high_fen <= band.high_fen
    suggested = suggested_amount(rounded, Rounding(step))
    assert rounded.contains(suggested)


@given(amounts, amounts, amounts, st.booleans(), st.booleans(), st.integers(0, 3))
def test_position_agrees_with_the_band(a, b, amount, corrected, minor, repeats):
    low, high = min(a, b), max(a, b)
    entry = Entry("A", "x", "y", "《某条例》第三十条", RangeFine(low, high), standard_tiers(), Rounding(1))
    earlier = [EarlierOffence(f"c{i}", ACT - dt.timedelta(days=30 * (i + 1))) for i in range(repeats)]
    proposal = propose(
        bench(entry), "A", {"corrected": corrected, "minor_harm": minor}, act_on=ACT, earlier=earlier
    )
    # Tier selection: a repeat always makes 从重; otherwise 从轻 exactly when both mitigating facts hold.
    expected = "heavier" if repeats else ("lighter" if corrected and minor else "ordinary")
    assert proposal.tier.level == expected
    assert low <= proposal.band.low_fen <= proposal.band.high_fen <= high
    result = assess(proposal, amount_fen=amount)
    inside = proposal.band.low_fen <= amount <= proposal.band.high_fen
    assert (result.position == "within") == inside
    assert any(v.code == "discretion.explanation" for v in result.problems) == (not inside)
    assert any(v.code == "discretion.above_statute" for v in result.problems) == (amount > high)
    assert all(
        v.code != "discretion.explanation"
        for v in assess(proposal, amount_fen=amount, explanation="理由").problems
    )


@given(st.lists(st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)), max_size=5), st.integers(1, 36))
def test_an_earlier_offence_never_makes_a_first_offence(dates, months):
    b = bench(RANGE, no_penalty=(NoPenaltyRule("first_offence", "A", lookback_months=months),))
    earlier = [EarlierOffence(f"c{i}", d) for i, d in enumerate(dates)]
    eligible = propose(b, "A", {}, act_on=ACT, earlier=earlier).no_penalty[0].eligible
    assert eligible == (not any(months_before(ACT, months) <= d < ACT for d in dates))
    if eligible:
        extra = EarlierOffence("new", ACT - dt.timedelta(days=1))
        assert not propose(b, "A", {}, act_on=ACT, earlier=[*earlier, extra]).no_penalty[0].eligible

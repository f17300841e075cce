"""裁量基准 of the demo county: deterministic versions for a few of the market-supervision
agency's penalty matters, written the way a county agency would publish them (every figure inside
the statute's own limits). They are sample data: the amounts are the statutes', the tiers are the
reference model's (从轻 below the middle, 一般 at it, 从重 above; a repeated offence within a year
is 从重), not any real county's benchmark."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sanxiang.procedure.discretion import (
    REPEAT_FACT,
    Band,
    Benchmark,
    Condition,
    Entry,
    MultipleFine,
    NoPenaltyRule,
    RangeFine,
    Tier,
)
from sanxiang.registry.discretion_services import discretion_benchmark_add
from sanxiang.registry.models import Matter

EFFECTIVE_FROM = dt.date(2025, 1, 1)
SOURCE = "{agency}行政处罚裁量基准（示例）"
W = 10000 * 100  # 万元, in fen
Y = 100

CORRECTED = Condition("及时改正", "及时改正")
MINOR_HARM = Condition("危害后果轻微", "危害后果轻微")
REPEATED = Condition(REPEAT_FACT, "同类违法次数", ">=", 1)


def _tiers(lighter: Band, ordinary: Band, heavier: Band) -> tuple[Tier, ...]:
    return (
        Tier("heavier", (REPEATED,), heavier, explanation="当事人一年内再次实施同类违法行为，依法从重处罚"),
        Tier(
            "lighter",
            (CORRECTED, MINOR_HARM),
            lighter,
            explanation="当事人及时改正且危害后果轻微，依法从轻处罚",
        ),
        Tier("ordinary", (), ordinary),
    )


def _multiple_tiers() -> tuple[Tier, ...]:
    return (
        Tier("heavier", (REPEATED,), multiples=(Decimal(17), Decimal(20))),
        Tier("lighter", (CORRECTED, MINOR_HARM), multiples=(Decimal(10), Decimal(13))),
        Tier("ordinary", (), multiples=(Decimal(13), Decimal(17))),
    )


FOOD = "《中华人民共和国食品安全法》"
ENTITY = "《中华人民共和国市场主体登记管理条例》"

# Matter name → (entries, no-penalty rules).
BENCHMARKS: dict[str, tuple[tuple[Entry, ...], tuple[NoPenaltyRule, ...]]] = {
    "对生产经营超过保质期的食品、食品添加剂的行政处罚": (
        (
            Entry(
                "1",
                "经营超过保质期的食品，货值金额不足一万元",
                f"{FOOD}第三十四条第（十）项",
                f"{FOOD}第一百二十四条第一款第（五）项",
                RangeFine(5 * W, 10 * W),
                _tiers(Band(5 * W, 65000 * Y), Band(65000 * Y, 85000 * Y), Band(85000 * Y, 10 * W)),
            ),
            Entry(
                "2",
                "经营超过保质期的食品，货值金额一万元以上",
                f"{FOOD}第三十四条第（十）项",
                f"{FOOD}第一百二十四条第一款第（五）项",
                MultipleFine("货值金额", "货值金额", Decimal(10), Decimal(20)),
                _multiple_tiers(),
            ),
        ),
        (),
    ),
    "对食品经营者进货时未查验许可证和相关证明文件、未按规定建立并遵守进货查验记录制度的行政处罚": (
        (
            Entry(
                "1",
                "未按规定建立并遵守进货查验记录制度，拒不改正",
                f"{FOOD}第五十三条",
                f"{FOOD}第一百二十六条第一款第（三）项",
                RangeFine(5000 * Y, 5 * W),
                _tiers(Band(5000 * Y, 20000 * Y), Band(20000 * Y, 35000 * Y), Band(35000 * Y, 5 * W)),
            ),
        ),
        (NoPenaltyRule("first_offence", "1", 12, (), (CORRECTED, MINOR_HARM)),),
    ),
    "对未经设立登记从事经营活动的行政处罚": (
        (
            Entry(
                "1",
                "未经设立登记从事经营活动，拒不改正",
                f"{ENTITY}第三条",
                f"{ENTITY}第四十三条",
                RangeFine(1 * W, 10 * W),
                _tiers(Band(1 * W, 4 * W), Band(4 * W, 7 * W), Band(7 * W, 10 * W)),
            ),
        ),
        (
            NoPenaltyRule(
                "first_offence",
                "1",
                12,
                (Condition("经营时间（天）", "经营时间（天）", "<=", 30),),
                (CORRECTED,),
            ),
        ),
    ),
}


def demo_benchmarks_add(*, matters: Iterable[Matter]) -> int:
    """Version 1 of each benchmark above for every demo matter of that name; how many were added."""
    added = 0
    for matter in matters:
        found = BENCHMARKS.get(matter.name)
        if found is None:
            continue
        entries, rules = found
        benchmark = Benchmark(
            matter.code, "1", EFFECTIVE_FROM, None, SOURCE.format(agency=matter.agency.name), entries, rules
        )
        discretion_benchmark_add(actor=None, matter=matter, benchmark=benchmark)
        added += 1
    return added

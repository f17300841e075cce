"""A small world for the 征收征用 and other-act tests: the permit tests' calendar (National Day
2026 off, Saturday 10-10 worked) and snapshot factories at each stage."""

import datetime as dt

from sanxiang.procedure.expropriation.rules import Assessment, CompensationPlan, ExpropriationSnapshot
from sanxiang.procedure.other_acts.decision_rules import ReviewOpinion
from sanxiang.procedure.registry_rules import OfficerSnapshot
from tests.procedure.permit.support import CALENDAR, NATIONAL_DAY, ONE_DAY, D, catalogue, context

__all__ = ["CALENDAR", "NATIONAL_DAY", "ONE_DAY", "D", "catalogue", "context", "drafted", "reviewed"]

HANDLER = OfficerSnapshot(id=1, name="张三", status="active", staffing_type="civil_servant")
REVIEWER_ID = 9
OPENED = D(2026, 9, 1)
BASES = ("《国有土地上房屋征收与补偿条例》第八条第三项",)


def drafted(**overrides) -> ExpropriationSnapshot:
    """Everything a 征收 decision needs except a review (its matter not catalogued)."""
    values = dict(
        state="drafting", records=frozenset({"assessment_report", "compensation_plan"}), kind="expropriation",
        opened_on=OPENED, region="150626", matter="ZS-001", officers=(HANDLER,),
        purpose="嘎鲁图镇团结路棚户区改造", scope="团结路12号房屋一处（建筑面积120平方米）", bases=BASES,
        assessment=Assessment("鄂尔多斯某房地产估价有限公司", "评2026-18", 48_000_000, D(2026, 9, 10)),
        plan=CompensationPlan("money", 50_000_000, ("被征收房屋价值补偿",), D(2026, 9, 11)),
    )
    return ExpropriationSnapshot(**(values | overrides))


def reviewed(snapshot: ExpropriationSnapshot, *, on: dt.date, opinion: str = "agree",
             reviewer: int = REVIEWER_ID) -> ExpropriationSnapshot:
    from dataclasses import replace

    return replace(snapshot, review_opinions=(*snapshot.review_opinions,
                                              ReviewOpinion(reviewer, opinion, on, snapshot.draft)),
                   records=snapshot.records | {"review_opinion"})

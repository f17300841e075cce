"""Builders shared by the enforcement tests: an explicit working-day calendar (2026 with the
National Day holidays, so the tests do not depend on the installed chinese-calendar), a lawful
money case and a lawful demolition case, each walked through the engine.
"""

import datetime as dt
from dataclasses import replace

from sanxiang.procedure.calendar import HolidaySchedule, WorkingDayCalendar
from sanxiang.procedure.enforcement import (
    ENFORCEMENT,
    BasisDecision,
    Demand,
    EnforcementCaseSnapshot,
    ExecutionDecision,
    ExecutionPlan,
    Surcharge,
    enforcement_apply,
)
from sanxiang.procedure.enforcement.snapshot import DEMAND_ELEMENTS, EXECUTION_DECISION_ELEMENTS
from sanxiang.procedure.engine import GuardContext, evaluate

D = dt.date
NATIONAL_DAY = frozenset(D(2026, 10, day) for day in range(1, 8))
CALENDAR = WorkingDayCalendar(
    [
        HolidaySchedule(
            year=2026,
            holidays=NATIONAL_DAY,
            adjusted_working_days=frozenset({D(2026, 9, 27), D(2026, 10, 10)}),
            holiday_names={day: "国庆节" for day in NATIONAL_DAY},
            source="测试",
        )
    ]
)
LAW = "《中华人民共和国行政强制法》"


def context(today: dt.date, **kwargs) -> GuardContext:
    return GuardContext(today=today, calendar=CALENDAR, **kwargs)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


# A penalty decision of 5,000 yuan received on Wed 2026-03-04, due Thu 03-19 (15 days), unpaid.
# 复议 (60 days) ends 05-04 (05-03 is a Sunday), 诉讼 (6 months) 09-04: the court may be asked
# from 09-05 to 12-04. The surcharge runs from 03-20 and has run 30 days from 04-19.
RECEIVED = D(2026, 3, 4)
DUE = D(2026, 3, 19)
DEMAND_SERVED = D(2026, 5, 7)  # Thu; 10 working days end Thu 05-21
DEMAND_DEADLINE = D(2026, 5, 18)
PRINCIPAL = 500_000

DECISION = BasisDecision(
    source="penalty.ordinary",
    obligation="payment",
    decided_on=D(2026, 3, 2),
    received_on=RECEIVED,
    performance_due=DUE,
    principal_fen=PRINCIPAL,
    number="某市监罚〔2026〕12号",
)
DEMAND = Demand(
    written_on=D(2026, 5, 6),
    deadline=DEMAND_DEADLINE,
    elements=frozenset(DEMAND_ELEMENTS),
    served_on=DEMAND_SERVED,
    service_method="direct",
)
SURCHARGE = Surcharge(notified=True, from_day=D(2026, 3, 20), daily_permille=30, claimed_fen=0)
EXECUTION_DECISION = ExecutionDecision(
    decided_on=D(2026, 5, 20),
    method="transfer",
    elements=frozenset(EXECUTION_DECISION_ELEMENTS),
    served_on=D(2026, 5, 21),
    service_method="direct",
)
DEMAND_RECORDS = frozenset({"demand", "demand_service_receipt"})
# An agency a law empowers to execute itself, and the provision it recorded (第十三条).
POWER = {"execution_power": True, "execution_power_basis": "《中华人民共和国税收征收管理法》第四十条"}


def pending(**overrides) -> EnforcementCaseSnapshot:
    values = dict(state="pending", decision=DECISION, surcharge=SURCHARGE)
    values.update(overrides)
    return EnforcementCaseSnapshot(**values)


def demanded(**overrides) -> EnforcementCaseSnapshot:
    """A lawful demand served on 05-07 (the case walked through `serve_demand`)."""
    case = pending(demand=DEMAND, records=DEMAND_RECORDS)
    case = enforcement_apply(case, "serve_demand", context=context(DEMAND_SERVED))
    return replace(case, **overrides)


def step(case: EnforcementCaseSnapshot, action: str, today: dt.date) -> EnforcementCaseSnapshot:
    return enforcement_apply(case, action, context=context(today))


def codes(case: EnforcementCaseSnapshot, action: str, today: dt.date) -> list[str]:
    return [v.code for v in evaluate(ENFORCEMENT, case, action, context=context(today))]


def refusal(case: EnforcementCaseSnapshot, action: str, today: dt.date, code: str):
    """The one violation with `code` (the test then checks its message and basis)."""
    found = [v for v in evaluate(ENFORCEMENT, case, action, context=context(today)) if v.code == code]
    assert found, f"{code} not among {codes(case, action, today)}"
    return found[0]


def executing(**overrides) -> EnforcementCaseSnapshot:
    """An agency with execution power: decision made 05-20 and served 05-21, execution planned on
    Fri 2026-10-09 from 10:00 to 12:00."""
    case = demanded(
        **POWER,
        execution_decision=EXECUTION_DECISION,
        records=DEMAND_RECORDS
        | {"execution_decision", "execution_service_receipt", "execution_record", "audio_video_execution"},
    )
    case = step(case, "decide_execution", D(2026, 5, 20))
    case = step(case, "serve_execution_decision", D(2026, 5, 21))
    plan = ExecutionPlan(starts_at=at(D(2026, 10, 9), 10), ends_at=at(D(2026, 10, 9), 12))
    return replace(case, **{"plan": plan, **overrides})

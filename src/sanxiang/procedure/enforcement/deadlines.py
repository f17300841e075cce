"""Periods of a compulsory-execution case, computed from its facts (never typed in): each window
with the day it opens and the day it closes, and whether it is not yet open or already overdue.

The guards read the same functions, so a refusal and the window shown beside it never disagree.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanxiang.procedure.enforcement.basis import compulsion_article
from sanxiang.procedure.enforcement.snapshot import EnforcementCaseSnapshot
from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.rules import add_months
from sanxiang.procedure.violations import Violation

ONE_DAY = dt.timedelta(days=1)
Snapshot = EnforcementCaseSnapshot


@dataclass(frozen=True)
class Cited:
    value: Any
    reference: str


def parameter(context: GuardContext, snapshot: Snapshot, name: str, *, on: dt.date) -> Cited:
    """The value of `name` in force on `on` for the case's region and sector, with its citation."""
    period = context.parameters[name].period_on(on, region=snapshot.region, sector=snapshot.sector)
    return Cited(period.value, period.reference)


@dataclass(frozen=True)
class Day:
    date: dt.date
    estimated: bool  # rests on a year whose holiday schedule is not known yet
    basis: str


# --- the periods ----------------------------------------------------------------------------------


def court_wait_end(snapshot: Snapshot, context: GuardContext) -> Day | None:
    """The 10th working day after the 催告书 was served: the party's last day (第五十四条、第六十九条).
    The court may be asked from the next day on."""
    demand = snapshot.demand
    if demand is None or demand.served_on is None:
        return None
    days = parameter(context, snapshot, "enforcement.court.demand_wait_working_days", on=demand.served_on)
    end = context.calendar.working_days_after(demand.served_on, days.value)
    return Day(end.date, end.estimated, f"{days.reference}；{end.basis}")


def challenge_periods_end(snapshot: Snapshot, context: GuardContext) -> Day:
    """The last day on which the decision can still be challenged: 60 days for 行政复议 and 6 months
    for 行政诉讼, from the day the party received it (whichever ends later)."""
    received = snapshot.decision.received_on
    days = parameter(context, snapshot, "enforcement.challenge.reconsideration_days", on=received)
    months = parameter(context, snapshot, "enforcement.challenge.litigation_months", on=received)
    reconsideration = context.calendar.calendar_days_after(received, days.value)
    litigation = add_months(received, months.value)
    last = max(reconsideration.date, litigation)
    return Day(last, reconsideration.estimated, f"{days.reference}；{months.reference}")


def court_window(snapshot: Snapshot, context: GuardContext) -> tuple[Day, Day]:
    """The days on which the court may be asked (第五十三条): from the day after the challenge
    periods expire, for three months."""
    end = challenge_periods_end(snapshot, context)
    months = parameter(context, snapshot, "enforcement.court.application_months", on=end.date)
    basis = f"{end.basis}；{months.reference}"
    return Day(end.date + ONE_DAY, end.estimated, basis), Day(add_months(end.date, months.value), end.estimated, basis)


def surcharge_cap(snapshot: Snapshot, context: GuardContext) -> Cited:
    """The most surcharge the law allows: the principal (第四十五条第二款)."""
    on = snapshot.surcharge.from_day if snapshot.surcharge is not None else snapshot.decision.decided_on
    percent = parameter(context, snapshot, "enforcement.surcharge.cap_percent", on=on)
    return Cited(snapshot.decision.principal_fen * percent.value // 100, percent.reference)


def surcharge_accrued(snapshot: Snapshot, context: GuardContext, *, on: dt.date) -> int:
    """The surcharge accrued up to and including `on` on the unpaid principal, never above the
    cap (第四十五条); nothing accrues if the rate was not told to the party, nor, for a penalty,
    during a reconsideration or litigation (行政处罚法第七十三条第三款)."""
    surcharge = snapshot.surcharge
    if surcharge is None or not surcharge.notified or on < surcharge.from_day:
        return 0
    outstanding = max(0, snapshot.decision.principal_fen - snapshot.decision.paid_fen)
    days = (on - surcharge.from_day).days + 1
    if snapshot.decision.source.startswith("penalty.") and snapshot.challenges:
        # 行政处罚法第七十三条第三款: no surcharge accrues during 行政复议 or 行政诉讼.
        day = surcharge.from_day
        while day <= on:
            days -= any(c.started_on <= day and (c.ended_on is None or day <= c.ended_on) for c in snapshot.challenges)
            day += ONE_DAY
    return min(outstanding * max(0, surcharge.daily_permille) * days // 1000, surcharge_cap(snapshot, context).value)


def surcharge_enforceable_from(snapshot: Snapshot, context: GuardContext) -> Day | None:
    """The first day on which the surcharge has run more than 30 days (第四十六条)."""
    surcharge = snapshot.surcharge
    if surcharge is None:
        return None
    days = parameter(context, snapshot, "enforcement.surcharge.days_before_execution", on=surcharge.from_day)
    return Day(surcharge.from_day + dt.timedelta(days=days.value), False, days.reference)


def substitute_demand_latest(snapshot: Snapshot, context: GuardContext) -> Day | None:
    """The last day on which the 代履行 demand may be served: 3 working days before the day the
    substitute performs (第五十一条第一款第二项、第六十九条)."""
    if snapshot.substitute is None or snapshot.plan is None:
        return None
    start = snapshot.plan.starts_at.date()
    days = parameter(context, snapshot, "enforcement.substitute.demand_working_days", on=start)
    day = start - ONE_DAY
    for _ in range(366):
        end = context.calendar.working_days_after(day, days.value)
        if end.date < start:
            return Day(day, end.estimated, f"{days.reference}；{end.basis}")
        day -= ONE_DAY
    return None


def demolition_allowed_from(snapshot: Snapshot, context: GuardContext) -> Day | None:
    """The first day a forced demolition may take place: after the 公告's deadline and after the
    challenge periods have run (第四十四条)."""
    notice = snapshot.demolition_notice
    if notice is None:
        return None
    periods = challenge_periods_end(snapshot, context)
    first = max(notice.deadline, periods.date) + ONE_DAY
    return Day(first, periods.estimated, f"{compulsion_article(44)}；{periods.basis}")


# --- the list the case page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A period of the case: the action it concerns may be taken from `opens` (None: at once) and
    must be taken by `closes` (None: no end). `not_yet` and `overdue` compare them with today."""

    code: str
    label: str
    opens: dt.date | None
    closes: dt.date | None
    basis: str
    estimated: bool
    not_yet: bool
    overdue: bool
    done: bool = False


def window(
    code: str, label: str, *, opens: Day | None, closes: Day | None, today: dt.date, done: bool = False
) -> Window:
    basis = "；".join(dict.fromkeys(d.basis for d in (opens, closes) if d is not None))
    return Window(
        code,
        label,
        opens.date if opens else None,
        closes.date if closes else None,
        basis,
        any(d.estimated for d in (opens, closes) if d is not None),
        not_yet=not done and opens is not None and today < opens.date,
        overdue=not done and closes is not None and today > closes.date,
        done=done,
    )


def enforcement_deadlines(
    snapshot: Snapshot, *, calendar: LegalCalendar, today: dt.date, parameters: ParameterSet | None = None
) -> tuple[list[Window], list[Violation]]:
    """Every window of the case that can be computed, in order of the day it opens or closes, and
    why the others cannot (a parameter without a value on the case's dates)."""
    context = GuardContext(today=today, calendar=calendar, parameters=parameters or parameters_default())
    windows: list[Window] = []
    problems: list[Violation] = []

    def computed(rule):
        try:
            return rule(snapshot, context)
        except ParameterMissing as missing:
            if missing.violation not in problems:
                problems.append(missing.violation)
        except OverflowError:
            problem = Violation(
                "enforcement.deadline.out_of_range", "案件的日期超出可计算的范围，部分期限无法计算，请核对有关日期",
                "系统输入校验规则", None,
            )
            if problem not in problems:
                problems.append(problem)
        return None

    decision = snapshot.decision
    executed = snapshot.state in ("executed", "performed", "closed")
    demand = snapshot.demand
    if demand is not None and demand.deadline is not None:
        windows.append(
            window(
                "enforcement.deadline.demand",
                "催告书确定的履行期限（届满后才能决定强制执行或者代履行）",
                opens=None,
                closes=Day(demand.deadline, False, compulsion_article(35, 37)),
                today=today,
                done=executed or decision.performed_on is not None,
            )
        )
    if not snapshot.executes_itself or snapshot.court_also_allowed:
        wait = computed(court_wait_end)
        court = computed(court_window)
        if court is not None:
            opens, closes = court
            if wait is not None and wait.date + ONE_DAY > opens.date:
                opens = Day(wait.date + ONE_DAY, wait.estimated, f"{wait.basis}；{opens.basis}")
            windows.append(
                window(
                    "enforcement.deadline.court_application",
                    "申请人民法院强制执行",
                    opens=opens,
                    closes=closes,
                    today=today,
                    done=snapshot.court is not None,
                )
            )
    enforceable = computed(surcharge_enforceable_from)
    if enforceable is not None and snapshot.executes_itself:
        windows.append(
            window(
                "enforcement.deadline.surcharge_30_days",
                "加处罚款或者滞纳金超过三十日（经催告仍不履行的，可以强制执行）",
                opens=enforceable,
                closes=None,
                today=today,
                done=snapshot.execution_decision is not None,
            )
        )
    latest = computed(substitute_demand_latest)
    if latest is not None:
        substitute = snapshot.substitute
        windows.append(
            window(
                "enforcement.deadline.substitute_demand",
                "代履行三个工作日前催告当事人履行",
                opens=None,
                closes=latest,
                today=today,
                done=substitute is not None and substitute.demand_served_on is not None,
            )
        )
    demolition = computed(demolition_allowed_from)
    if demolition is not None:
        windows.append(
            window(
                "enforcement.deadline.demolition",
                "强制拆除（公告期限和复议、诉讼期限届满后）",
                opens=demolition,
                closes=None,
                today=today,
                done=executed,
            )
        )
    windows.sort(key=lambda w: (w.closes or w.opens or dt.date.max, w.code))
    return windows, problems


__all__ = [
    "Cited",
    "Day",
    "Window",
    "challenge_periods_end",
    "court_wait_end",
    "court_window",
    "demolition_allowed_from",
    "enforcement_deadlines",
    "parameter",
    "substitute_demand_latest",
    "surcharge_accrued",
    "surcharge_cap",
    "surcharge_enforceable_from",
]

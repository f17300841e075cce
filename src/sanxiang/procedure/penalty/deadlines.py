"""Deadlines of a penalty case, computed from its facts (never typed in), each with its state and
the rule behind it. The case page lists them; an officer's worklist sorts cases by the nearest
open one (`deadline_open`)."""

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.basis import article
from sanxiang.procedure.penalty.rules import (
    ONE_DAY,
    Day,
    add_months,
    court_application_opens,
    decided_fine,
    decision_due,
    hearing_notice_latest_date,
    hearing_request_end,
    limitation_end,
    notified_hearing_reasons,
    parameter,
    payment_schedule,
    payments_by_day,
    preservation_due,
    service_due,
    statement_window_end,
)
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot
from sanxiang.procedure.violations import Violation

DEADLINE_STATES = ("running", "due_soon", "overdue", "met")


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    due: dt.date
    state: str  # running | due_soon | overdue | met
    basis: str
    estimated: bool  # rests on a year whose holiday schedule is not known yet
    completed_on: dt.date | None = None
    late: bool = False  # met, but after the due date: a breach the supervisors must see


def deadline_open(deadline: Deadline) -> bool:
    return deadline.state in ("running", "due_soon", "overdue")


def deadline_state(due: dt.date, *, completed_on: dt.date | None, today: dt.date, soon_days: int) -> str:
    if completed_on is not None:
        return "met"
    if today > due:
        return "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "running"


def penalty_deadlines(
    snapshot: PenaltyCaseSnapshot,
    *,
    calendar: LegalCalendar,
    today: dt.date,
    parameters: ParameterSet | None = None,
) -> list[Deadline]:
    """Every deadline of the case, nearest first."""
    return penalty_deadlines_checked(snapshot, calendar=calendar, today=today, parameters=parameters)[0]


def penalty_deadlines_checked(
    snapshot: PenaltyCaseSnapshot,
    *,
    calendar: LegalCalendar,
    today: dt.date,
    parameters: ParameterSet | None = None,
) -> tuple[list[Deadline], list[Violation]]:
    """Every deadline that can be computed, nearest first, and why the others cannot (a
    parameter with no value on the case's dates): the case page shows both."""
    context = GuardContext(today=today, calendar=calendar, parameters=parameters or parameters_default())
    soon = parameter(context, snapshot, "penalty.deadlines.due_soon_days", on=today).value
    deadlines: list[Deadline] = []
    problems: list[Violation] = []

    def computed(rule, *args):
        try:
            return rule(*args)
        except ParameterMissing as missing:
            problem = missing.violation
        except OverflowError:  # a date of the case so far out that the period leaves the calendar
            problem = Violation(
                "penalty.deadline.out_of_range", "案件的日期超出可计算的范围，部分期限无法计算，请核对有关日期",
                "系统输入校验规则", None,
            )
        if problem not in problems:
            problems.append(problem)
        return None

    def add(
        code: str, label: str, day: Day | None, completed_on: dt.date | None, *, window: bool = False, waived: bool = False
    ) -> None:
        if day is None:
            return
        if window:
            # A period that belongs to the party (statement, hearing request): the agency waits
            # for it to run; it is met once it has run, or once the party acted or waived it.
            state = "met" if waived or completed_on is not None or today > day.date else (
                deadline_state(day.date, completed_on=None, today=today, soon_days=soon)
            )
            deadlines.append(Deadline(code, label, day.date, state, day.basis, day.estimated, completed_on))
            return
        state = deadline_state(day.date, completed_on=completed_on, today=today, soon_days=soon)
        late = completed_on is not None and completed_on > day.date
        deadlines.append(Deadline(code, label, day.date, state, day.basis, day.estimated, completed_on, late))

    ordinary = snapshot.on_spot is None
    if ordinary:
        add(
            "penalty.deadline.limitation",
            "追责时效（违法行为须在此日前被发现）",
            computed(limitation_end, snapshot, context),
            snapshot.discovered_on or snapshot.opened_on,
        )
    for index, preservation in enumerate(snapshot.preservations):
        add(
            f"penalty.deadline.preservation.{index}",
            f"先行登记保存（{preservation.on.isoformat()}）的处理决定",
            computed(preservation_due, preservation.on, snapshot, context),
            preservation.handled_on,
        )
    add("penalty.deadline.decision", "作出行政处罚决定", computed(decision_due, snapshot, context), snapshot.decided_on)
    add(
        "penalty.deadline.statement_window",
        "当事人陈述、申辩期限届满",
        computed(statement_window_end, snapshot, context),
        None,
        window=True,
        waived=snapshot.statement_waived,
    )
    if computed(notified_hearing_reasons, snapshot, context):
        hearing = snapshot.hearing
        add(
            "penalty.deadline.hearing_request",
            "当事人要求听证的期限届满",
            computed(hearing_request_end, snapshot, context),
            hearing.requested_on if hearing is not None else None,
            window=True,
            waived=snapshot.hearing_waived,
        )
    if snapshot.hearing is not None and snapshot.hearing.withdrawn_on is None:
        add(
            "penalty.deadline.hearing_notice",
            "送达听证通知书（听证七个工作日前）",
            computed(hearing_notice_latest_date, snapshot, context),
            snapshot.hearing.notice_served_on,
        )
    decision = snapshot.decision
    if ordinary and decision is not None and decision.outcome in ("penalty", "no_penalty"):
        add(
            "penalty.deadline.service",
            "送达决定书",
            computed(service_due, snapshot, context),
            snapshot.service.served_on if snapshot.service else None,
        )
    schedule = computed(payment_schedule, snapshot, context)
    if schedule is not None:
        instalments, last = schedule
        payments = payments_by_day(snapshot)
        owed = 0
        for index, instalment in enumerate(instalments):
            owed += instalment.amount_fen
            paid_up = paid_up_on(payments, owed)
            label = "缴纳罚款" if len(instalments) == 1 else f"缴纳罚款（第{index + 1}期）"
            basis = last.basis if len(instalments) == 1 else article("《中华人民共和国行政处罚法》", 66)
            add(f"penalty.deadline.payment.{index}", label, Day(instalment.due_on, last.estimated, basis), paid_up)
        fine = decided_fine(snapshot)
        if ordinary and paid_up_on(payments, fine) is None and today > last.date:
            opens = computed(court_application_opens, snapshot, context)
            if opens is not None:
                months = computed(
                    lambda: parameter(context, snapshot, "penalty.enforcement.court_application_months", on=opens.date)
                )
                if months is not None:
                    add(
                        "penalty.deadline.court_application",
                        "申请人民法院强制执行",
                        Day(add_months(opens.date - ONE_DAY, months.value), False, f"{opens.basis}；{months.reference}"),
                        snapshot.court_applied_on,
                    )
    on_spot = snapshot.on_spot
    if on_spot is not None and on_spot.collected_on is not None and on_spot.collected_fen:
        days = computed(
            lambda: parameter(context, snapshot, "penalty.summary.cash_handover_working_days", on=on_spot.collected_on)
        )
        if days is not None:
            end = calendar.working_days_after(on_spot.collected_on, days.value)
            add(
                "penalty.deadline.cash_handover",
                "当场收缴的罚款交至行政机关",
                Day(end.date, end.estimated, f"{days.reference}；{end.basis}"),
                on_spot.cash_handed_to_agency_on,
            )
    return sorted(deadlines, key=lambda d: (d.due, d.code)), problems


def paid_up_on(payments: list[tuple[dt.date, int]], amount: int) -> dt.date | None:
    """The day the cumulative payments first reached `amount`."""
    total = 0
    for paid_on, paid in payments:
        total += paid
        if total >= amount:
            return paid_on
    return None


__all__ = ["DEADLINE_STATES", "Deadline", "deadline_open", "deadline_state", "penalty_deadlines", "penalty_deadlines_checked"]

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


@dataclass(frozen=True)
class DeadlinePhase:
    """A deadline as it stands over a span of days, said as data so that its state on any day is
    a function of stored dates alone (`deadline_on`): the case projection stores phases and
    computes the day's state in SQL, the case page computes it here; both give the same answer.

    A deadline whose form changes with the day is several phases of the same code, at most one
    shown on any day: a party's window that is `met` once it has run (a second phase from the day
    after), the court application that appears only after the last day to pay (`shown_from`)."""

    code: str
    label: str
    due: dt.date
    basis: str
    estimated: bool
    completed_on: dt.date | None = None
    late: bool = False
    met: bool = False  # met whatever the day (a period that has run, a window already used)
    soon_days: int = 0  # due soon from `due - soon_days` on
    shown_from: dt.date | None = None  # None: from the start
    shown_until: dt.date | None = None  # None: for ever

    @property
    def soon_from(self) -> dt.date:
        """The first day the deadline is due soon (stored, so that SQL compares dates only)."""
        try:
            return self.due - dt.timedelta(days=self.soon_days)
        except OverflowError:
            return dt.date.min

    def shown_on(self, today: dt.date) -> bool:
        return (self.shown_from is None or self.shown_from <= today) and (
            self.shown_until is None or today <= self.shown_until
        )


def deadline_on(phase: DeadlinePhase, today: dt.date) -> Deadline:
    """The deadline as shown on `today` (a day on which the phase is shown)."""
    if phase.met:
        state = "met"
    else:
        state = deadline_state(phase.due, completed_on=phase.completed_on, today=today, soon_days=phase.soon_days)
    return Deadline(phase.code, phase.label, phase.due, state, phase.basis, phase.estimated, phase.completed_on,
                    phase.late)


def deadlines_on(phases: list[DeadlinePhase], today: dt.date) -> list[Deadline]:
    """The deadlines shown on `today`, in the phases' order."""
    return [deadline_on(p, today) for p in phases if p.shown_on(today)]


@dataclass(frozen=True)
class DeadlineProblem:
    """Why a deadline could not be computed, and from which day it matters (None: always)."""

    violation: Violation
    shown_from: dt.date | None = None


def problems_on(problems: list[DeadlineProblem], today: dt.date) -> list[Violation]:
    shown: list[Violation] = []
    for problem in problems:
        if (problem.shown_from is None or problem.shown_from <= today) and problem.violation not in shown:
            shown.append(problem.violation)
    return shown


def party_window_phases(
    code: str, label: str, *, due: dt.date, basis: str, estimated: bool, completed_on: dt.date | None,
    soon_days: int, waived: bool = False, lapsed_label: str | None = None, lapsed_completed: bool = False,
    shown_from: dt.date | None = None,
) -> list[DeadlinePhase]:
    """A period that belongs to the party (statement, hearing request, a 催告's period): the agency
    waits for it to run; it is met once it has run, or once the party acted or waived it. The
    day after it ran it is shown met (with `lapsed_label`, and its last day as completion, when
    given)."""
    if waived or completed_on is not None:
        return [DeadlinePhase(code, label, due, basis, estimated, completed_on, met=True, soon_days=soon_days,
                              shown_from=shown_from)]
    try:
        after = due + ONE_DAY
    except OverflowError:
        after = None
    phases = [DeadlinePhase(code, label, due, basis, estimated, soon_days=soon_days, shown_from=shown_from,
                            shown_until=due if after is not None else None)]
    if after is not None:
        phases.append(DeadlinePhase(code, lapsed_label or label, due, basis, estimated,
                                    due if lapsed_completed else None, met=True, soon_days=soon_days,
                                    shown_from=max(after, shown_from) if shown_from else after))
    return phases


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
    phases, problems = penalty_deadline_phases(snapshot, calendar=calendar, on=today, parameters=parameters)
    return deadlines_on(phases, today), problems_on(problems, today)


def penalty_deadline_phases(
    snapshot: PenaltyCaseSnapshot,
    *,
    calendar: LegalCalendar,
    on: dt.date,
    parameters: ParameterSet | None = None,
) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    """Every deadline of the case as phases (`DeadlinePhase`), nearest first, and why any could not
    be computed. Nothing here depends on the day but the due-soon alert (`soon_days`, the
    parameter in force on `on`)."""
    if snapshot.withdrawn_on is not None:
        # 撤销立案: the case is closed before any decision; no period runs for it any more.
        return [], []
    context = GuardContext(today=on, calendar=calendar, parameters=parameters or parameters_default())
    phases: list[DeadlinePhase] = []
    problems: list[DeadlineProblem] = []
    try:
        soon = parameter(context, snapshot, "penalty.deadlines.due_soon_days", on=on).value
    except ParameterMissing as missing:
        # The deadlines are still computed (none is due soon before its day): only the alert is
        # missing, and the case says why.
        problems.append(DeadlineProblem(missing.violation))
        soon = 0
    shown_from: dt.date | None = None  # from which day a problem found now matters

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
        if DeadlineProblem(problem, shown_from) not in problems:
            problems.append(DeadlineProblem(problem, shown_from))
        return None

    def add(
        code: str, label: str, day: Day | None, completed_on: dt.date | None, *, window: bool = False,
        waived: bool = False, from_day: dt.date | None = None,
    ) -> None:
        if day is None:
            return
        if window:
            phases.extend(party_window_phases(
                code, label, due=day.date, basis=day.basis, estimated=day.estimated, completed_on=completed_on,
                soon_days=soon, waived=waived, shown_from=from_day,
            ))
            return
        late = completed_on is not None and completed_on > day.date
        phases.append(DeadlinePhase(code, label, day.date, day.basis, day.estimated, completed_on, late,
                                    soon_days=soon, shown_from=from_day))

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
        # The court may be asked only once the last day to pay has run unpaid: shown from the
        # day after (and so is any reason it cannot be computed).
        after_last = None
        try:
            after_last = last.date + ONE_DAY
        except OverflowError:
            pass
        if ordinary and paid_up_on(payments, fine) is None and after_last is not None:
            shown_from = after_last
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
                        from_day=after_last,
                    )
            shown_from = None
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
    # Nearest first; the phases of one deadline share their due date and code, so stay together
    # in the order they were made (a stable sort).
    return sorted(phases, key=lambda d: (d.due, d.code)), problems


def paid_up_on(payments: list[tuple[dt.date, int]], amount: int) -> dt.date | None:
    """The day the cumulative payments first reached `amount`."""
    total = 0
    for paid_on, paid in payments:
        total += paid
        if total >= amount:
            return paid_on
    return None


__all__ = [
    "DEADLINE_STATES",
    "Deadline",
    "DeadlinePhase",
    "DeadlineProblem",
    "deadline_on",
    "deadline_open",
    "deadline_state",
    "deadlines_on",
    "party_window_phases",
    "penalty_deadline_phases",
    "penalty_deadlines",
    "penalty_deadlines_checked",
    "problems_on",
]

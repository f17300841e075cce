"""The periods of a compulsory measure, computed from its facts, each with its rule; and the
`overdue` flag that makes release the only step left once the period has run (第二十八条第一款
第四项、第三十三条第一款第四项).

The 30-day periods are calendar days (第六十九条: only periods of ten days or less are working
days). Counting starts the day after the measure was taken (《民法典》第二百零一条). Whether a last
day that is a rest day moves to the next working day (《民法典》第二百零三条, the general rule the
penalty periods follow) is the parameter `coercion.period_end_rolls_past_rest_days`: by default it
does; a deployment may choose the shorter count (系统从严计算规则), since the period restricts the
party's property. The 3-day delivery of a 冻结决定书 is counted in working days with the calendar.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanxiang.procedure.coercion.snapshot import MeasureSnapshot, examination_days_excluded
from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.deadlines import (
    Deadline,
    DeadlinePhase,
    DeadlineProblem,
    deadlines_on,
    problems_on,
)
from sanxiang.procedure.violations import Violation

STRICT_COUNT_RULE = "系统从严计算规则：期间届满日不因休息日顺延"
FINAL_STATES = ("released", "confiscated", "destroyed", "handled", "not_taken")
# The extension counts once it was granted (the measure is in `extended`, or ended after it): an
# extension still being drafted on an `in_force` measure lengthens nothing.
EXTENDED_STATES = ("extended", "released", "confiscated", "destroyed", "handled")


@dataclass(frozen=True)
class Cited:
    value: Any
    reference: str


@dataclass(frozen=True)
class PeriodDay:
    date: dt.date
    estimated: bool
    basis: str


def parameter(context: GuardContext, snapshot: MeasureSnapshot, name: str, *, on: dt.date) -> Cited:
    """The value of `name` in force on `on` for the measure's region and sector, with the
    reference of the period chosen (a local override cites the local rule)."""
    period = context.parameters[name].period_on(on, region=snapshot.region, sector=snapshot.sector)
    return Cited(period.value, period.reference)


def kind_prefix(snapshot: MeasureSnapshot) -> str:
    return "coercion.freeze" if snapshot.kind == "freeze" else "coercion.seal_seizure"


def measure_period_end(
    snapshot: MeasureSnapshot, context: GuardContext, *, with_extension: bool = True
) -> PeriodDay | None:
    """The last day of the measure: 30 days from the day it was taken, plus the testing days the
    party was told of in writing (第二十五条第三款; each day once), plus the extension, if any (第二十五条第一款;
    冻结: 第三十二条第一款) once granted. None before the measure is taken."""
    taken = snapshot.taken_on
    if taken is None:
        return None
    period = parameter(context, snapshot, f"{kind_prefix(snapshot)}.period_days", on=taken)
    days = int(period.value)
    basis = [period.reference]
    if snapshot.kind != "freeze":
        excluded = examination_days_excluded(snapshot.examinations, taken_on=taken)
        if excluded:
            days += excluded
            basis.append(f"《中华人民共和国行政强制法》第二十五条第三款（已书面告知的检测期间不计入，共{excluded}日，重叠的日期只计一次）")
    if with_extension and snapshot.extension is not None and snapshot.state in EXTENDED_STATES:
        days += snapshot.extension.days
        basis.append("延长期限" + str(snapshot.extension.days) + "日")
    rolls = parameter(context, snapshot, "coercion.period_end_rolls_past_rest_days", on=taken)
    if not rolls.value:
        basis.append(STRICT_COUNT_RULE)
        return PeriodDay(taken + dt.timedelta(days=days), False, "；".join(basis))
    end = context.calendar.calendar_days_after(taken, days)
    return PeriodDay(end.date, end.estimated, "；".join([*basis, end.basis]))


def measure_expired(snapshot: MeasureSnapshot, context: GuardContext) -> PeriodDay | None:
    """The period's last day when it has run (today is after it) and the measure still stands."""
    if snapshot.state in FINAL_STATES:
        return None
    end = measure_period_end(snapshot, context)
    if end is None or context.today <= end.date:
        return None
    return end


def emergency_approval_due(snapshot: MeasureSnapshot, context: GuardContext) -> dt.datetime | None:
    """第十九条: approval completed within 24 hours of an emergency measure."""
    if not snapshot.emergency_reason or snapshot.taken_at is None:
        return None
    hours = parameter(context, snapshot, "coercion.emergency.approval_hours", on=snapshot.taken_at.date())
    return snapshot.taken_at + dt.timedelta(hours=int(hours.value))


def freeze_decision_due(snapshot: MeasureSnapshot, context: GuardContext) -> PeriodDay | None:
    """第三十一条第一款: the 冻结决定书 handed to the party within 3 working days (第六十九条)."""
    if snapshot.kind != "freeze" or snapshot.taken_on is None:
        return None
    days = parameter(context, snapshot, "coercion.freeze.decision_delivery_working_days", on=snapshot.taken_on)
    end = context.calendar.working_days_after(snapshot.taken_on, int(days.value))
    return PeriodDay(end.date, end.estimated, f"{days.reference}；{end.basis}")


def coercion_deadlines(
    snapshot: MeasureSnapshot,
    *,
    calendar: LegalCalendar,
    today: dt.date,
    parameters: ParameterSet | None = None,
) -> tuple[list[Deadline], list[Violation]]:
    """Every deadline of the measure, nearest first, and why any could not be computed (a
    parameter with no value on the measure's dates). A deadline past its day and not met is
    `overdue`; `late` marks one met after its day."""
    phases, problems = coercion_deadline_phases(snapshot, calendar=calendar, on=today, parameters=parameters)
    return deadlines_on(phases, today), problems_on(problems, today)


def coercion_deadline_phases(
    snapshot: MeasureSnapshot,
    *,
    calendar: LegalCalendar,
    on: dt.date,
    parameters: ParameterSet | None = None,
) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    """The measure's deadlines as phases (one each: none changes its form with the day), nearest
    first. Only the due-soon alert (`soon_days`, the parameter in force on `on`) depends on the day."""
    context = GuardContext(today=on, calendar=calendar, parameters=parameters or parameters_default())
    phases: list[DeadlinePhase] = []
    problems: list[DeadlineProblem] = []
    try:
        soon = int(parameter(context, snapshot, "coercion.deadlines.due_soon_days", on=on).value)
    except ParameterMissing as missing:
        # The deadlines are still computed, without the due-soon alert; the case says why.
        problems.append(DeadlineProblem(missing.violation))
        soon = 0

    def add(code: str, label: str, due: dt.date, estimated: bool, basis: str, completed_on: dt.date | None,
            late: bool | None = None) -> None:
        if late is None:
            late = completed_on is not None and completed_on > due
        phases.append(DeadlinePhase(code, label, due, basis, estimated, completed_on, late, soon_days=soon))

    try:
        emergency_due = emergency_approval_due(snapshot, context)
        if emergency_due is not None:
            approval = snapshot.approval
            entered = approval.entered_on if approval is not None else None
            # A decision entered after its day shows it: its typed time alone proves nothing.
            late_entry = f"，{entered.isoformat()}补录" if entered is not None and entered > emergency_due.date() else ""
            add(
                "coercion.deadline.emergency_approval",
                f"紧急{snapshot.kind_label}后补办负责人批准手续（{emergency_due.strftime('%Y-%m-%d %H:%M')}前{late_entry}）",
                emergency_due.date(),
                False,
                "《中华人民共和国行政强制法》第十九条",
                approval.decided_at.date() if approval is not None else None,
                late=approval is not None and approval.decided_at > emergency_due,
            )
        delivery = freeze_decision_due(snapshot, context)
        if delivery is not None:
            add(
                "coercion.deadline.freeze_decision_delivery",
                "向当事人交付冻结决定书",
                delivery.date,
                delivery.estimated,
                delivery.basis,
                snapshot.freeze_decision_delivered_on,
            )
        end = measure_period_end(snapshot, context)
        if end is not None:
            add(
                "coercion.deadline.period",
                f"{snapshot.kind_label}期限届满（须在此前作出解除、没收或者销毁等处理决定）",
                end.date,
                end.estimated,
                end.basis,
                snapshot.ended_on,
            )
    except ParameterMissing as missing:
        problems.append(DeadlineProblem(missing.violation))
    except OverflowError:
        problems.append(DeadlineProblem(
            Violation("coercion.deadline.out_of_range", "日期超出可计算的范围，部分期限无法计算，请核对有关日期",
                      "系统输入校验规则", None)
        ))
    phases.sort(key=lambda d: d.due)
    return phases, problems

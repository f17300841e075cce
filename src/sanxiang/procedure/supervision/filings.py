"""重大执法决定备案 (issue 14, part C): which decisions an agency files with the 司法局, by when, and
what the supervisors may do with a filing.

- A major penalty decision (the engine's `major_assessment` at decision time: 行政处罚法第五十八条
  and the agency's catalogue) and a major compulsory decision (the steps listed in the parameter
  `supervision.filing_major_compulsory_actions`: the regulation does not list them) are filed with
  the 司法局 within `supervision.major_decision_filing_days` of the decision (四川省条例第三十六条).
- The platform files at decision time, in the decision's transaction: a filing is on time when
  `filed_on <= due_on`.
- The supervisors examine a filing: no problem (审查无异议), or they take it to an 意见书.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.supervision.rules import SupervisorSnapshot, supervisor_certificate_problems
from sanxiang.procedure.violations import Violation

FILING_DAYS = "supervision.major_decision_filing_days"
COMPULSORY_ACTIONS = "supervision.filing_major_compulsory_actions"
WORKING_DAYS = "supervision.periods_count_working_days"
# Who examines a filing: the platform's own rule (the provincial regulations say the supervision
# body examines; they do not say who in it).
EXAMINER_BASIS = "平台规则：备案由受理备案的司法局的监督人员审查"
STATE_BASIS = "平台规则：已审查的备案不再重复审查"


class FilingKind(StrEnum):
    PENALTY = "penalty"
    COMPULSORY = "compulsory"


FILING_KIND_LABELS: dict[FilingKind, str] = {
    FilingKind.PENALTY: "重大行政处罚决定",
    FilingKind.COMPULSORY: "重大行政强制决定",
}


class FilingState(StrEnum):
    AWAITING = "awaiting"  # filed, awaiting the supervisors' examination
    EXAMINED = "examined"  # examined, no problem found
    OPINION = "opinion"  # examined, taken to a supervision opinion (意见书)


FILING_STATE_LABELS: dict[FilingState, str] = {
    FilingState.AWAITING: "待审查",
    FilingState.EXAMINED: "审查无异议",
    FilingState.OPINION: "拟制发监督意见书",
}


def filing_basis(parameters: ParameterSet | None = None) -> str:
    """The citation of the filing duty (the period parameter's reference)."""
    return (parameters or parameters_default())[FILING_DAYS].reference


def filing_in_force(*, on: dt.date, parameters: ParameterSet | None = None) -> bool:
    """Whether a decision made on `on` is to be filed at all (the period is in force on that day)."""
    try:
        (parameters or parameters_default()).value(FILING_DAYS, on=on)
    except ParameterMissing:
        return False
    return True


def compulsory_decision_major(
    *, procedure: str, action: str, on: dt.date, parameters: ParameterSet | None = None
) -> bool:
    """Whether the compulsory decision made by `action` of `procedure` on `on` is a major one to be
    filed (the listed steps of the parameter)."""
    try:
        listed = (parameters or parameters_default()).value(COMPULSORY_ACTIONS, on=on)
    except ParameterMissing:
        return False
    return f"{procedure}:{action}" in set(listed)


# The short name of the decision a compulsory step makes (the filing lists it).
_COMPULSORY_DECISIONS = {"decide_execution": "强制执行决定", "decide_substitute": "代履行决定"}


def compulsory_decision_label(*, procedure_label: str, action: str) -> str:
    """冻结决定, 查封、扣押决定, 强制执行决定, 代履行决定 …"""
    return _COMPULSORY_DECISIONS.get(action, f"{procedure_label}决定")


def compulsory_actions_text(values: list[str]) -> str:
    """The parameter's list as people read it: 冻结决定、强制执行决定、代履行决定."""
    from sanxiang.procedure.catalog import procedures_all

    specs = procedures_all()
    names = []
    for value in values:
        procedure, _sep, action = value.partition(":")
        spec = specs.get(procedure)
        names.append(compulsory_decision_label(procedure_label=spec.label if spec else procedure, action=action))
    return "、".join(names)


@dataclass(frozen=True)
class FilingDue:
    due_on: dt.date
    estimated: bool  # a working-day count ran through a year the calendar does not know
    basis: str


def filing_due(
    *, decided_on: dt.date, calendar: WorkingDayCalendar, parameters: ParameterSet | None = None
) -> FilingDue:
    """The last day to file a decision made on `decided_on`: the parameter's days after it, working
    days or calendar days as `supervision.periods_count_working_days` says (a calendar-day period
    ending on a rest day runs to the next working day). Raises ParameterMissing before the rule is
    in force (see `filing_in_force`)."""
    parameters = parameters or parameters_default()
    days = int(parameters.value(FILING_DAYS, on=decided_on))
    basis = parameters[FILING_DAYS].reference
    if parameters.value(WORKING_DAYS, on=decided_on):
        result = calendar.working_days_after(decided_on, days, basis=basis)
    else:
        result = calendar.calendar_days_after(decided_on, days)
    return FilingDue(result.date, result.estimated, basis)


def filing_on_time(*, filed_on: dt.date, due_on: dt.date) -> bool:
    return filed_on <= due_on


def filing_examine_violations(
    *, state: str, examiner: SupervisorSnapshot | None, examiner_bureau_matches: bool, on: dt.date,
    parameters: ParameterSet | None = None,
) -> list[Violation]:
    """Every reason why `examiner` may not record the examination of a filing on `on`: the filing
    is examined already, the user is not a supervisor of the bureau the filing was made with, or
    their supervision certificate does not let them act that day."""
    parameters = parameters or parameters_default()
    violations: list[Violation] = []
    if state != FilingState.AWAITING:
        label = {str(k): v for k, v in FILING_STATE_LABELS.items()}.get(state, state)
        violations.append(Violation("filing.examined_already", f"该备案已审查（{label}），不能再次审查", STATE_BASIS))
    if examiner is None or not examiner_bureau_matches:
        violations.append(
            Violation("filing.examiner", "只有受理备案的司法局的行政执法监督人员可以审查备案", EXAMINER_BASIS)
        )
    else:
        violations.extend(
            supervisor_certificate_problems(examiner, on, basis=parameters["supervision.min_supervisors"].reference)
        )
    return violations


__all__ = [
    "FILING_KIND_LABELS",
    "FILING_STATE_LABELS",
    "FilingDue",
    "FilingKind",
    "FilingState",
    "compulsory_actions_text",
    "compulsory_decision_label",
    "compulsory_decision_major",
    "filing_basis",
    "filing_due",
    "filing_examine_violations",
    "filing_in_force",
    "filing_on_time",
]

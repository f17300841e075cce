"""行政强制执行's procedure in the catalogue: registered here.

A case executes one administrative decision. Registered inside an unpaid penalty case (ordinary or
summary, `Case.parent`), it takes the fine, the day the party received the decision, the last day to
pay, what was paid, the surcharge of 行政处罚法第七十二条 and any 复议 or 诉讼 from that case
(`from_penalty`), and keeps following it: a payment or a challenge recorded there later is seen here.
One penalty case has one open enforcement case at a time (`guards.penalty_case_already_executed`,
checked by the registration). Registered on its own (a decision the agency made outside the platform), its first
step registers the decision. Whether the agency executes itself or applies to the court is the
registration's one choice (`execution_power`), since it follows from the agency's law.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanxiang.procedure.calendar import working_day_calendar_default
from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.enforcement import guards
from sanxiang.procedure.enforcement.basis import compulsion_article
from sanxiang.procedure.enforcement.deadlines import ONE_DAY, Window, enforcement_deadlines
from sanxiang.procedure.enforcement.from_penalty import basis_decision_from_penalty, surcharge_from_penalty
from sanxiang.procedure.enforcement.procedures import ENFORCEMENT, RECORDING, enforcement_apply
from sanxiang.procedure.enforcement.snapshot import BasisDecision, Challenge
from sanxiang.procedure.enforcement.steps import (
    EXECUTION_POWER,
    KEY,
    STEPS,
    EnforcementCase,
    decision_registered,
)
from sanxiang.procedure.enforcement.texts import EnforcementTexts
from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.deadlines import (
    Deadline,
    DeadlinePhase,
    DeadlineProblem,
    deadlines_on,
    problems_on,
)
from sanxiang.procedure.violations import PLATFORM_PREFIX, Refused, Violation

# Read afresh from the case: its state, its records (documents, evidence, what steps made), its
# agency's region and kind, the penalty case it executes (its id, and its facts, which the case
# follows) and the numbers of its documents.
DERIVED_FIELDS = frozenset(
    {"state", "records", "region", "agency_kind", "penalty_case_id", "penalty_case", "documents_issued"}
)
DUE_SOON = "coercion.deadlines.due_soon_days"  # one alert rule for 行政强制 (a platform rule)


def _facts_initial(*, on: dt.date, options: dict[str, str] | None = None, parent: Any = None,
                   **_: Any) -> dict[str, Any]:
    """The facts of a new case. With a penalty case (`parent`, its snapshot): the fine as of today,
    the surcharge and any 复议 or 诉讼 recorded there; a penalty case with no fine, or whose decision
    the party has not received, cannot be executed. Without one: the decision is registered by the
    first step (`register_decision`); until then it stands empty, dated the day of registration, and
    nothing can be demanded on it."""
    power = (options or {}).get("execution_power", "none")
    facts: dict[str, Any] = {
        "execution_power": power in ("own", "own_or_court"),
        "court_also_allowed": power == "own_or_court",
    }
    if parent is None:
        facts["decision"] = BasisDecision(source="other", obligation="payment", decided_on=on, received_on=on,
                                          performance_due=on, registered=False)
        return facts
    # The calendar the package knows (the penalty's 15 days end on a working day); a year the
    # deployment entered later is not known here, and a period ending in it is estimated on weekends.
    context = GuardContext(today=on, calendar=working_day_calendar_default())
    decision = basis_decision_from_penalty(parent, context=context, on=on)
    if decision is None:
        raise Refused([
            Violation(
                "enforcement.parent.nothing_to_execute",
                "所属行政处罚案件没有已送达当事人的罚款决定，不能据以申请或者实施强制执行",
                compulsion_article(34),
                "parent",
            )
        ])
    facts["decision"] = decision
    facts["surcharge"] = surcharge_from_penalty(parent, context=context)
    facts["sector"] = parent.sector
    facts["challenges"] = tuple(Challenge(c.kind, c.started_on, c.ended_on) for c in parent.challenges)
    return facts


def _advance(snapshot: EnforcementCase, action: str, context: GuardContext) -> EnforcementCase:
    return enforcement_apply(snapshot, action, context=context)


# --- deadlines ---------------------------------------------------------------------------------------

# The party's own periods: once they have run, the agency may act (they are not the agency's to miss).
PARTY_PERIODS = frozenset({"enforcement.deadline.demand"})


def window_phases(window: Window, *, soon: int) -> list[DeadlinePhase]:
    """A window as the case page and the worklist show deadlines, as phases: the day it closes; a
    window that only opens shows the day it opens ("最早可于…"), met once it has. Its form changes on
    the day it opens and, for a party's period, the day after it closes; nothing else of it depends
    on the day (`Window.not_yet` and `overdue` are not read)."""
    iso = dt.date.isoformat
    # A window's basis joins those of the days it rests on, which may cite the same law twice.
    basis = "；".join(dict.fromkeys(window.basis.split("；")))
    code, estimated = window.code, window.estimated

    def phase(label: str, due: dt.date, **kwargs: Any) -> DeadlinePhase:
        return DeadlinePhase(code, label, due, basis, estimated, soon_days=soon, **kwargs)

    if window.closes is not None:
        closes = window.closes
        if window.done:
            return [phase(window.label, closes, met=True)]
        phases: list[DeadlinePhase] = []
        lapses = code in PARTY_PERIODS
        after = _day_after(closes) if lapses else None
        last = closes if after is not None else None  # the last day before a party's period has run
        if window.opens is not None:
            # Until it opens: both days in the label; a party's period that has run says so first.
            early = window.opens - ONE_DAY if window.opens > dt.date.min else None
            if early is not None:
                until = early if last is None else min(early, last)
                phases.append(phase(f"{window.label}（最早可于{iso(window.opens)}起，最迟{iso(closes)}）", closes,
                                    shown_until=until))
            if last is None or window.opens <= last:
                phases.append(phase(window.label, closes, shown_from=window.opens, shown_until=last))
        else:
            phases.append(phase(window.label, closes, shown_until=last))
        if after is not None:
            phases.append(phase(f"{window.label}：已于{iso(closes)}届满", closes, met=True, completed_on=closes,
                                shown_from=after))
        return phases
    if window.opens is None:
        return []
    opens = window.opens
    if window.done:
        return [phase(window.label, opens, met=True)]
    phases = []
    if opens > dt.date.min:
        phases.append(phase(f"最早可于{iso(opens)}起：{window.label}", opens, shown_until=opens - ONE_DAY))
    phases.append(phase(f"自{iso(opens)}起可以进行：{window.label}", opens, met=True, completed_on=opens,
                        shown_from=opens))
    return phases


def _day_after(day: dt.date) -> dt.date | None:
    return None if day == dt.date.max else day + ONE_DAY


def deadline_of(window: Window, *, today: dt.date, soon: int) -> Deadline | None:
    """The window as shown on `today`, or None (a window with neither day)."""
    shown = deadlines_on(window_phases(window, soon=soon), today)
    return shown[0] if shown else None


def enforcement_deadlines_checked(
    snapshot: EnforcementCase, *, calendar: LegalCalendar, today: dt.date, parameters: ParameterSet | None = None
) -> tuple[list[Deadline], list[Violation]]:
    """The case's windows (`enforcement_deadlines`) as deadlines, with the decision's own period
    while it runs, and why any could not be computed."""
    phases, problems = enforcement_deadline_phases(snapshot, calendar=calendar, on=today, parameters=parameters)
    return deadlines_on(phases, today), problems_on(problems, today)


def enforcement_deadline_phases(
    snapshot: EnforcementCase, *, calendar: LegalCalendar, on: dt.date, parameters: ParameterSet | None = None
) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    """The case's deadlines as phases (`window_phases`), in the order the case page lists them:
    the decision's own period first while the case is pending and the period runs."""
    if not decision_registered(snapshot):
        return [], [DeadlineProblem(
            Violation(
                "enforcement.deadline.decision_unregistered",
                "尚未登记据以执行的行政决定（送达日期、履行期限），期限无法计算",
                f"{PLATFORM_PREFIX}：期限自据以执行的行政决定送达之日起计算",
                "decision",
            )
        )]
    parameters = parameters or parameters_default()
    # The windows' days do not depend on the day they are computed on (only their flags do).
    windows, found = enforcement_deadlines(snapshot, calendar=calendar, today=on, parameters=parameters)
    problems = [DeadlineProblem(v) for v in found]
    try:
        soon = int(parameters[DUE_SOON].value_on(on, region=snapshot.region, sector=snapshot.sector))
    except ParameterMissing as missing:
        problems.append(DeadlineProblem(missing.violation))
        soon = 0
    phases = [p for w in windows for p in window_phases(w, soon=soon)]
    decision = snapshot.decision
    if snapshot.state == "pending":
        phases.insert(0, DeadlinePhase(
            "enforcement.deadline.performance_due",
            "行政决定确定的履行期限（届满后当事人仍不履行的，才能催告、强制执行）",
            decision.performance_due,
            compulsion_article(34),
            False,
            soon_days=soon,
            shown_until=decision.performance_due,
        ))
    return phases, problems


ENFORCEMENT_SPEC = procedure_register(
    ProcedureSpec(
        key=KEY,
        label="强制执行",
        act_kind="enforcement",
        engine=ENFORCEMENT,
        snapshot_type=EnforcementCase,
        steps=STEPS,
        derived_fields=DERIVED_FIELDS,
        advance=_advance,
        deadlines=enforcement_deadlines_checked,
        deadline_phases=enforcement_deadline_phases,
        audio_video_steps=frozenset(guards.AUDIO_VIDEO_STEPS),
        facts_initial=_facts_initial,
        options={"execution_power": EXECUTION_POWER},
        option_labels={"execution_power": "行政强制执行权"},
        parent_act_kinds=("penalty",),
        siblings_problems=guards.penalty_case_already_executed,
        parent_required=False,
        matter_kinds=("coercion",),
        help="执行行政决定：催告、陈述申辩、强制执行决定、执行协议、代履行、强制拆除，或者申请人民法院强制执行",
        texts_type=EnforcementTexts,
        recording_basis=RECORDING,
    )
)

__all__ = [
    "DERIVED_FIELDS",
    "ENFORCEMENT_SPEC",
    "deadline_of",
    "enforcement_deadline_phases",
    "enforcement_deadlines_checked",
    "window_phases",
]

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
from dataclasses import replace
from typing import Any

from sanxiang.procedure.calendar import working_day_calendar_default
from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.enforcement import guards
from sanxiang.procedure.enforcement.basis import compulsion_article
from sanxiang.procedure.enforcement.deadlines import Window, enforcement_deadlines
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
from sanxiang.procedure.penalty.deadlines import Deadline, deadline_state
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


def deadline_of(window: Window, *, today: dt.date, soon: int) -> Deadline | None:
    """A window as the case page and the worklist show deadlines: the day it closes; a window that
    only opens shows the day it opens ("最早可于…"), met once it has."""
    iso = dt.date.isoformat
    # A window's basis joins those of the days it rests on, which may cite the same law twice.
    window = replace(window, basis="；".join(dict.fromkeys(window.basis.split("；"))))
    if window.closes is not None:
        label = window.label
        if window.not_yet and window.opens is not None:
            label = f"{label}（最早可于{iso(window.opens)}起，最迟{iso(window.closes)}）"
        if window.done:
            state = "met"
        elif window.code in PARTY_PERIODS and today > window.closes:
            return Deadline(window.code, f"{window.label}：已于{iso(window.closes)}届满", window.closes, "met",
                            window.basis, window.estimated, completed_on=window.closes)
        else:
            state = deadline_state(window.closes, completed_on=None, today=today, soon_days=soon)
        return Deadline(window.code, label, window.closes, state, window.basis, window.estimated)
    if window.opens is None:
        return None
    if window.done:
        return Deadline(window.code, window.label, window.opens, "met", window.basis, window.estimated)
    if window.not_yet:
        return Deadline(window.code, f"最早可于{iso(window.opens)}起：{window.label}", window.opens,
                        deadline_state(window.opens, completed_on=None, today=today, soon_days=soon),
                        window.basis, window.estimated)
    return Deadline(window.code, f"自{iso(window.opens)}起可以进行：{window.label}", window.opens, "met",
                    window.basis, window.estimated, completed_on=window.opens)


def enforcement_deadlines_checked(
    snapshot: EnforcementCase, *, calendar: LegalCalendar, today: dt.date, parameters: ParameterSet | None = None
) -> tuple[list[Deadline], list[Violation]]:
    """The case's windows (`enforcement_deadlines`) as deadlines, with the decision's own period
    while it runs, and why any could not be computed."""
    if not decision_registered(snapshot):
        return [], [
            Violation(
                "enforcement.deadline.decision_unregistered",
                "尚未登记据以执行的行政决定（送达日期、履行期限），期限无法计算",
                f"{PLATFORM_PREFIX}：期限自据以执行的行政决定送达之日起计算",
                "decision",
            )
        ]
    parameters = parameters or parameters_default()
    windows, problems = enforcement_deadlines(snapshot, calendar=calendar, today=today, parameters=parameters)
    try:
        soon = int(parameters[DUE_SOON].value_on(today, region=snapshot.region, sector=snapshot.sector))
    except ParameterMissing as missing:
        problems.append(missing.violation)
        soon = 0
    deadlines = [d for d in (deadline_of(w, today=today, soon=soon) for w in windows) if d is not None]
    decision = snapshot.decision
    if snapshot.state == "pending" and today <= decision.performance_due:
        deadlines.insert(0, Deadline(
            "enforcement.deadline.performance_due",
            "行政决定确定的履行期限（届满后当事人仍不履行的，才能催告、强制执行）",
            decision.performance_due,
            deadline_state(decision.performance_due, completed_on=None, today=today, soon_days=soon),
            compulsion_article(34),
            False,
        ))
    return deadlines, problems


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

__all__ = ["DERIVED_FIELDS", "ENFORCEMENT_SPEC", "deadline_of", "enforcement_deadlines_checked"]

"""行政许可 in the catalogue of procedures (`permit`): a case of kind 许可 can be registered, its
steps taken and its deadlines listed like any other procedure's, on the generic case page; its
documents are built by `cases.paperwork_permit` (act kind "licensing")."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sanxiang.procedure.catalog import ProcedureSpec, procedure_register
from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.deadlines import (
    Deadline,
    DeadlinePhase,
    DeadlineProblem,
    deadlines_on,
    problems_on,
)
from sanxiang.procedure.permit import rules as r
from sanxiang.procedure.permit.procedures import PERMIT
from sanxiang.procedure.permit.rules import PermitSnapshot
from sanxiang.procedure.permit.steps import KEY, STEPS
from sanxiang.procedure.violations import Violation

# The snapshot fields read afresh (cases.selectors.SNAPSHOT_SOURCES); the rest are the case's facts.
DERIVED_FIELDS = frozenset({"state", "records", "region", "matter", "catalogue", "officers", "documents_issued"})


def _facts_initial(*, on: dt.date, **_: Any) -> dict[str, Any]:
    return {"received_on": on}


def _advance(snapshot: PermitSnapshot, action: str, context: GuardContext) -> PermitSnapshot:
    """The engine's target state; a renewal (granted or deemed granted) moves the expiry and
    closes the renewal application."""
    after = replace(snapshot, state=PERMIT.transition(action).target)
    if action in ("permit_renew", "permit_renew_deemed") and after.renewal is not None:
        # The day it counts as renewed: the decision's, or (deemed) the day the licence would have expired.
        decided = after.renewal.decision
        day = decided.on if decided is not None else (snapshot.expires_on or context.today)
        after = replace(after, expires_on=after.renewal.renewed_until or after.expires_on, renewal=None,
                        renewals_on=(*after.renewals_on, day))
    if action == "permit_refuse_renewal" and after.renewal_refusal is not None:
        # Counted in the annual data on its day, whatever later application clears the refusal.
        after = replace(after, renewal_refusals_on=(*after.renewal_refusals_on, after.renewal_refusal.on))
    return after


def _day(on: dt.date) -> str:
    return f"{on.month}月{on.day}日"


def decision_label(snapshot: PermitSnapshot, context: GuardContext, due: r.Deadline | None) -> str:
    """作出行政许可决定（20个工作日＋经批准延长10个工作日；不计入期限：听证10月12日至10月16日，共5个工作日）:
    the period as counted (第四十二条), the extension when valid, and every paused period the
    applicant was told of (第四十五条) with the working days it took off. A period not told in
    writing is named as not deducted."""
    if due is None or snapshot.accepted_on is None:
        return "作出行政许可决定"
    on = snapshot.accepted_on
    parts = [f"{_value_of('permit.decision_working_days', snapshot, context, on)}个工作日"]
    if due.extended:
        parts[0] += f"＋经批准延长{_value_of('permit.decision_extension_working_days', snapshot, context, on)}个工作日"
    paused = [f"{r.EXCLUDED_KINDS.get(p.kind, p.kind)}{_day(p.start)}至{_day(p.end)}" for p in r.told_exclusions(snapshot)]
    if paused:
        parts.append(f"不计入期限：{'、'.join(paused)}，共{due.excluded_days}个工作日")
    untold = [p for p in snapshot.exclusions if p.told_on is None]
    if untold:
        parts.append(f"{len(untold)}段未书面告知申请人的时间不予扣除")
    return f"作出行政许可决定（{'；'.join(parts)}）"


def _value_of(name: str, snapshot: PermitSnapshot, context: GuardContext, on: dt.date) -> int:
    return int(context.parameters.value(name, on=on, region=snapshot.region, sector=snapshot.sector))


def permit_deadline_phases(
    snapshot: PermitSnapshot, *, calendar: LegalCalendar, on: dt.date, parameters: ParameterSet | None = None
) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    """Every deadline of the application as phases (`penalty.deadlines.DeadlinePhase`, what the case
    projection stores), nearest first, each due soon `permit.due_soon_days` before its day, and why
    any could not be computed. The decision period is 20 working days until the day the head
    approves an extension and 30 from that day (第四十二条): two phases of one code, one shown on
    any day. A decision or delivery after its day is `late`."""
    context = GuardContext(today=on, calendar=calendar, parameters=parameters or parameters_default())
    phases: list[DeadlinePhase] = []
    problems: list[DeadlineProblem] = []
    try:
        soon = int(context.parameters.value("permit.due_soon_days", on=on, region=snapshot.region))
    except ParameterMissing as missing:
        soon, problems = 0, [DeadlineProblem(missing.violation)]

    def add(code: str, label: str, end: r.Deadline | None, completed_on: dt.date | None, *,
            shown_from: dt.date | None = None, shown_until: dt.date | None = None) -> None:
        if end is None:
            return
        late = completed_on is not None and completed_on > end.date
        phases.append(DeadlinePhase(code, label, end.date, end.basis, end.estimated, completed_on, late, soon_days=soon,
                                    shown_from=shown_from, shown_until=shown_until))

    try:
        if snapshot.state in ("received", "supplement") and snapshot.missing_notice_on is None:
            add("permit.acceptance", "一次性告知补正或者决定是否受理", r.completeness_deadline(snapshot, context), None)
        decision = snapshot.decision
        decided_on = decision.on if decision is not None else None
        extension = snapshot.extension
        # The extension as it stands once approved: valid then (the day it was approved is no
        # longer in the future), it moves the period from that day on.
        approved = extension.approved_on if extension is not None else None
        extended = approved is not None and r.extension_valid(snapshot, replace(context, today=max(on, approved)))
        if extended:
            before = replace(context, today=approved - dt.timedelta(days=1))
            base = r.decision_deadline(snapshot, before, extended=False)
            add("permit.decision", decision_label(snapshot, before, base), base, decided_on,
                shown_until=approved - dt.timedelta(days=1))
            longer = r.decision_deadline(snapshot, replace(context, today=approved), extended=True)
            add("permit.decision", decision_label(snapshot, context, longer), longer, decided_on, shown_from=approved)
        else:
            due = r.decision_deadline(snapshot, context, extended=False)
            add("permit.decision", decision_label(snapshot, context, due), due, decided_on)
        if snapshot.hearing_held_on is None:
            add("permit.hearing", "组织听证", r.hearing_hold_deadline(snapshot, context), None)
        add("permit.delivery", "颁发、送达许可证件", r.delivery_deadline(snapshot, context), snapshot.delivered_on)
        if snapshot.state == "in_force" and snapshot.expires_on is not None:
            renewal = snapshot.renewal
            add("permit.renewal_application", "被许可人申请延续", r.renewal_application_deadline(snapshot, context),
                renewal.applied_on if renewal is not None else None)
            if renewal is not None and renewal.decision is None and snapshot.renewal_refusal is None:
                add("permit.renewal_decision", "作出是否准予延续的决定（逾期视为准予延续）",
                    r.Deadline(snapshot.expires_on, False, r.ART_50), None)
    except ParameterMissing as missing:
        problems.append(DeadlineProblem(missing.violation))
    except OverflowError:
        problems.append(DeadlineProblem(Violation("permit.date_out_of_range", "日期超出可计算的范围，请核对有关日期",
                                                  "系统输入校验规则", None)))
    return sorted(phases, key=lambda p: p.due), problems


def permit_deadlines(
    snapshot: PermitSnapshot, *, calendar: LegalCalendar, today: dt.date, parameters: ParameterSet | None = None
) -> tuple[list[Deadline], list[Violation]]:
    """The same deadlines as shown on `today`."""
    phases, problems = permit_deadline_phases(snapshot, calendar=calendar, on=today, parameters=parameters)
    return deadlines_on(phases, today), problems_on(problems, today)


PERMIT_SPEC = procedure_register(
    ProcedureSpec(
        key=KEY,
        label="行政许可",
        act_kind="licensing",
        engine=PERMIT,
        snapshot_type=PermitSnapshot,
        steps=STEPS,
        derived_fields=DERIVED_FIELDS,
        advance=_advance,
        deadline_phases=permit_deadline_phases,
        deadlines=permit_deadlines,
        facts_initial=_facts_initial,
        records_initial=("application_form",),
        matter_kinds=("permit",),
        help="行政许可：申请、受理、审查、决定、送达，以及变更、延续、撤回、撤销、注销",
    )
)

__all__ = ["DERIVED_FIELDS", "PERMIT_SPEC", "permit_deadline_phases", "permit_deadlines"]

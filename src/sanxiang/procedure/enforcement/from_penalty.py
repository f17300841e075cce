"""An unpaid penalty case (ordinary or summary) as the decision a compulsory-execution case
enforces: the fine, the day the party received the decision, the last day to pay, what was paid,
and the surcharge of 行政处罚法第七十二条. The Django side builds the enforcement snapshot from it,
so the two procedures can never disagree on the amount or the dates.

The enforcement case follows its penalty case for as long as it runs (`penalty_followed`): a
payment or a 复议/诉讼 recorded there is seen here at once, so a fine paid in the penalty case is
never demanded again."""

import datetime as dt
from dataclasses import replace

from sanxiang.procedure.enforcement.snapshot import BasisDecision, Challenge, Surcharge
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty.rules import (
    ONE_DAY,
    decided_fine,
    parameter,
    payment_schedule,
    payments_by_day,
    received_on,
)
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot


def basis_decision_from_penalty(
    snapshot: PenaltyCaseSnapshot, *, context: GuardContext, on: dt.date | None = None
) -> BasisDecision | None:
    """The fine to enforce, as of `on` (default: the context's day); None when the case imposed no
    fine or the party has not received the decision yet."""
    fine = decided_fine(snapshot)
    received = received_on(snapshot)
    schedule = payment_schedule(snapshot, context)
    if not fine or received is None or schedule is None or snapshot.decided_on is None:
        return None
    _, last = schedule
    on = on or context.today
    paid = sum(amount for paid_on, amount in payments_by_day(snapshot) if paid_on <= on)
    return BasisDecision(
        source="penalty.summary" if snapshot.on_spot is not None else "penalty.ordinary",
        obligation="payment",
        decided_on=snapshot.decided_on,
        received_on=received,
        performance_due=last.date,
        principal_fen=fine,
        paid_fen=paid,
        number=snapshot.decision.number if snapshot.decision is not None else "",
        fine=True,
    )


def penalty_followed(
    decision: BasisDecision, challenges: tuple[Challenge, ...], surcharge: Surcharge | None,
    penalty: PenaltyCaseSnapshot,
) -> tuple[BasisDecision, tuple[Challenge, ...], Surcharge | None]:
    """The decision, the challenges and the surcharge of an enforcement case as its penalty case
    has them now: the fine, what was paid there (every payment, and the cash collected on the
    spot), the day the party received the decision, the last day of an approved deferral or
    instalment plan (行政处罚法第六十六条: the surcharge then runs only after it), and the 复议 and
    诉讼 recorded there (one of the same kind and day recorded in both: the penalty case's).
    Idempotent: following twice changes nothing more."""
    fine = decided_fine(penalty)
    if not fine:
        return decision, challenges, surcharge  # nothing to follow (the registration refused such a case)
    received = received_on(penalty) or decision.received_on
    arrangement = penalty.payment_arrangement
    due = decision.performance_due
    if arrangement is not None and arrangement.instalments:
        due = max(i.due_on for i in arrangement.instalments)
    followed = replace(
        decision,
        principal_fen=fine,
        paid_fen=sum(amount for _, amount in payments_by_day(penalty)),
        received_on=received,
        performance_due=due,
        fine=True,
    )
    theirs = {(c.kind, c.started_on): Challenge(c.kind, c.started_on, c.ended_on) for c in penalty.challenges}
    ours = {(c.kind, c.started_on): c for c in challenges}
    merged = tuple(sorted({**ours, **theirs}.values(), key=lambda c: (c.started_on, c.kind)))
    if surcharge is not None and surcharge.from_day <= due:
        surcharge = replace(surcharge, from_day=due + ONE_DAY)
    return followed, merged, surcharge


def surcharge_from_penalty(snapshot: PenaltyCaseSnapshot, *, context: GuardContext) -> Surcharge | None:
    """加处罚款 of 行政处罚法第七十二条: from the day after the last day to pay, at the daily rate in
    force (a percentage, kept here in per mille); the decision states it (第五十九条第四项)."""
    schedule = payment_schedule(snapshot, context)
    received = received_on(snapshot)
    if schedule is None or received is None:
        return None
    _, last = schedule
    percent = parameter(context, snapshot, "penalty.surcharge.daily_percent", on=received).value
    return Surcharge(notified=True, from_day=last.date + ONE_DAY, daily_permille=int(percent * 10))


__all__ = ["basis_decision_from_penalty", "penalty_followed", "surcharge_from_penalty"]

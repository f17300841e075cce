"""An unpaid penalty case (ordinary or summary) as the decision a compulsory-execution case
enforces: the fine, the day the party received the decision, the last day to pay, what was paid,
and the surcharge of 行政处罚法第七十二条. The Django side builds the enforcement snapshot from it,
so the two procedures can never disagree on the amount or the dates."""

import datetime as dt

from sanxiang.procedure.enforcement.snapshot import BasisDecision, Surcharge
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
    )


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


__all__ = ["basis_decision_from_penalty", "surcharge_from_penalty"]

"""Facts derived from a penalty case: periods, thresholds, who investigated, what is owed.

Guards and deadlines share these so that a refusal and the deadline shown beside it can never
disagree. Every parameter is read through `parameter()`, which picks the value in force on the
date that matters for the rule and returns its citation with it.
"""

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from typing import Any

from sanxiang.procedure.engine import GuardContext, PeriodEnd
from sanxiang.procedure.identifiers import id_number_birth_date
from sanxiang.procedure.penalty.basis import COMPULSION_LAW, article, penalty_article
from sanxiang.procedure.penalty.snapshot import (
    PENALTY_KINDS,
    AdvanceNotice,
    Instalment,
    Party,
    PenaltyCaseSnapshot,
    PenaltyTerms,
    yuan,
)

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Cited:
    value: Any
    reference: str


def parameter(context: GuardContext, snapshot: PenaltyCaseSnapshot, name: str, *, on: dt.date) -> Cited:
    """The value of `name` in force on `on` for the case's region and sector, with its citation
    (the reference of the period chosen, so that a local override cites the local rule)."""
    period = context.parameters[name].period_on(on, region=snapshot.region, sector=snapshot.sector)
    return Cited(period.value, period.reference)


@dataclass(frozen=True)
class Day:
    """A computed day and how sure we are of it (the calendar may not know that year yet)."""

    date: dt.date
    estimated: bool
    basis: str


def day_from(end: PeriodEnd, basis: str) -> Day:
    return Day(end.date, end.estimated, f"{basis}；{end.basis}" if end.basis else basis)


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day n months later, or that month's last day (民法典第二百零二条)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError("date value out of range")  # as date arithmetic says it
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


# --- the party ------------------------------------------------------------------------------------


def party_birth_date(party: Party) -> dt.date | None:
    if party.kind != "natural_person":
        return None
    if party.birth_date is not None:
        return party.birth_date
    return id_number_birth_date(party.id_number) if party.id_number else None


def has_completed_years(birth: dt.date, years: int, *, on: dt.date) -> bool:
    """已满N周岁: from the day after the N-th birthday, as practice reads 周岁 (the person who acts
    on the birthday itself has not yet completed the years; the reading favours the minor)."""
    return on > add_years(birth, years)


# --- people ---------------------------------------------------------------------------------------


def recused_officer_ids(snapshot: PenaltyCaseSnapshot, *, on: dt.date | None = None) -> set[int]:
    """Officers whose recusal was granted (on or before `on`, if given)."""
    return {
        r.officer_id
        for r in snapshot.recusals
        if r.granted and r.decided_on is not None and (on is None or r.decided_on <= on)
    }


def investigator_ids(snapshot: PenaltyCaseSnapshot) -> set[int]:
    """Everyone who investigated: the assigned officers and anyone who took part in an act. The
    hearing's presiding officer and the legal reviewer must come from outside this set."""
    ids = {o.id for o in snapshot.officers if o.id is not None}
    for act in snapshot.investigative_acts:
        ids.update(act.officer_ids)
    return ids


# --- periods --------------------------------------------------------------------------------------


def limitation_years(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Cited:
    """2 years, or 5 for life-health or financial-security cases with harm (第三十六条), as the law
    stood when the act ended (第三十七条: the 1996 law knew only the 2-year period)."""
    name = (
        "penalty.limitation.life_health_financial_years"
        if snapshot.life_health_or_financial_harm
        else "penalty.limitation.general_years"
    )
    return parameter(context, snapshot, name, on=snapshot.act_ended_on or snapshot.act_date)


def limitation_end(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day:
    """The last day on which the act may be discovered, counted from the act, or from its end when
    it continued (第三十六条第二款)."""
    years = limitation_years(snapshot, context)
    return Day(add_years(snapshot.act_ended_on or snapshot.act_date, years.value), False, years.reference)


def statement_window_end(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day | None:
    """Last day for the party's statement and defence after the notice was served."""
    if snapshot.notice is None or snapshot.notice.served_on is None:
        return None
    served = snapshot.notice.served_on
    days = parameter(context, snapshot, "penalty.statement.window_working_days", on=served)
    return day_from(context.calendar.working_days_after(served, days.value), days.reference)


def hearing_request_end(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day | None:
    """Last day to request a hearing: 5 working days after being told (第六十四条第一项)."""
    if snapshot.notice is None or snapshot.notice.served_on is None:
        return None
    served = snapshot.notice.served_on
    days = parameter(context, snapshot, "penalty.hearing.request_working_days", on=served)
    return day_from(context.calendar.working_days_after(served, days.value), days.reference)


def hearing_earliest_date(notice_served_on: dt.date, snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day:
    """The first day a hearing may be held after its notice (第六十四条第二项: 七日前通知)."""
    days = parameter(context, snapshot, "penalty.hearing.notice_working_days", on=notice_served_on)
    return day_from(context.calendar.working_days_after(notice_served_on, days.value), days.reference)


def hearing_notice_latest_date(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day | None:
    """The last day on which the hearing notice can still be served for the scheduled date."""
    hearing = snapshot.hearing
    if hearing is None or hearing.scheduled_for is None:
        return None
    # The calendar counts forward only; walk back from the hearing until the count fits. Seven
    # working days are never more than a few weeks, even across the Spring Festival.
    day = hearing.scheduled_for - ONE_DAY
    for _ in range(60):
        earliest = hearing_earliest_date(day, snapshot, context)
        if earliest.date <= hearing.scheduled_for:
            return Day(day, earliest.estimated, earliest.basis)
        day -= ONE_DAY
    return None


def decision_due(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day | None:
    """90 days from opening (第六十条), or the approved extension if later."""
    if snapshot.opened_on is None:
        return None
    days = parameter(context, snapshot, "penalty.decision.period_days", on=snapshot.opened_on)
    due = day_from(context.calendar.calendar_days_after(snapshot.opened_on, days.value), days.reference)
    if snapshot.decision_due_extended_to is not None and snapshot.decision_due_extended_to > due.date:
        return Day(snapshot.decision_due_extended_to, False, f"{days.reference}；经批准延长")
    return due


def service_due(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day | None:
    """7 working days from the decision to serve it when the party was absent (第六十一条)."""
    if snapshot.decided_on is None:
        return None
    days = parameter(context, snapshot, "penalty.service.period_working_days", on=snapshot.decided_on)
    return day_from(context.calendar.working_days_after(snapshot.decided_on, days.value), days.reference)


def preservation_due(on: dt.date, snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day:
    days = parameter(context, snapshot, "penalty.preservation.decision_working_days", on=on)
    return day_from(context.calendar.working_days_after(on, days.value), days.reference)


# --- what the penalty triggers -------------------------------------------------------------------


def fine_threshold_name(prefix: str, party: Party) -> str:
    return f"{prefix}_{'natural_person' if party.kind == 'natural_person' else 'organization'}_fen"


def hearing_reasons(
    terms: PenaltyTerms | None, snapshot: PenaltyCaseSnapshot, context: GuardContext, *, on: dt.date
) -> list[str]:
    """Why the party has the right to a hearing for `terms` (第六十三条); [] when it has not."""
    if terms is None:
        return []
    reasons = []
    kinds = parameter(context, snapshot, "penalty.hearing.kinds", on=on)
    listed = sorted(terms.kinds & set(kinds.value))
    if listed:
        reasons.append("处罚种类为" + "、".join(PENALTY_KINDS.get(k, k) for k in listed))
    if "fine" in terms.kinds:
        limit = parameter(context, snapshot, fine_threshold_name("penalty.hearing.large_fine", snapshot.party), on=on)
        if terms.fine_fen >= limit.value:
            reasons.append(f"罚款{yuan(terms.fine_fen)}达到较大数额（{yuan(limit.value)}）")
    if terms.kinds & {"confiscate_gains", "confiscate_property"}:
        limit = parameter(
            context, snapshot, fine_threshold_name("penalty.hearing.large_confiscation", snapshot.party), on=on
        )
        if terms.confiscation_fen >= limit.value:
            reasons.append(f"没收{yuan(terms.confiscation_fen)}达到较大数额（{yuan(limit.value)}）")
    return reasons


def notified_hearing_reasons(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> list[str]:
    notice = snapshot.notice
    if notice is None:
        return []
    return hearing_reasons(notice.penalty, snapshot, context, on=notice.served_on or context.today)


def hearing_held(snapshot: PenaltyCaseSnapshot) -> bool:
    return snapshot.hearing is not None and snapshot.hearing.held_on is not None


def party_defended(snapshot: PenaltyCaseSnapshot) -> bool:
    """The party stated or defended itself, in writing or at a hearing it attended (第四十五条)."""
    heard = hearing_held(snapshot) and snapshot.hearing is not None and not snapshot.hearing.party_absent
    return snapshot.statement_submitted_on is not None or heard


def defended_on(snapshot: PenaltyCaseSnapshot) -> dt.date | None:
    """The day the party first stated or defended itself (in writing, or at a hearing it attended)."""
    days = []
    if snapshot.statement_submitted_on is not None:
        days.append(snapshot.statement_submitted_on)
    hearing = snapshot.hearing
    if hearing is not None and hearing.held_on is not None and not hearing.party_absent:
        days.append(hearing.held_on)
    return min(days, default=None)


def notice_defended_against(snapshot: PenaltyCaseSnapshot) -> AdvanceNotice | None:
    """The notice in force when the party first defended itself: the penalty it defended against is
    the ceiling of 第四十五条, whatever a later notice says."""
    day = defended_on(snapshot)
    if day is None:
        return None
    served = [
        n
        for n in (*snapshot.earlier_notices, snapshot.notice)
        if n is not None and n.served_on is not None and n.served_on <= day
    ]
    return max(served, key=lambda n: n.served_on, default=None) if served else None


# --- money ----------------------------------------------------------------------------------------


def decided_fine(snapshot: PenaltyCaseSnapshot) -> int:
    decision = snapshot.decision
    if decision is None or decision.outcome != "penalty" or decision.penalty is None:
        return 0
    return decision.penalty.fine_fen if "fine" in decision.penalty.kinds else 0


def received_on(snapshot: PenaltyCaseSnapshot) -> dt.date | None:
    """When the party received the decision: its service, or the on-the-spot handover."""
    if snapshot.service is not None:
        return snapshot.service.served_on
    if snapshot.on_spot is not None:
        return snapshot.on_spot.handed_over_on
    return None


def payment_schedule(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> tuple[tuple[Instalment, ...], Day] | None:
    """The instalments the fine is due in, and the day the (last) payment is due: 15 days after
    receiving the decision (第六十七条第三款), or the approved deferral/instalments (第六十六条)."""
    fine = decided_fine(snapshot)
    received = received_on(snapshot)
    if not fine or received is None:
        return None
    arrangement = snapshot.payment_arrangement
    if arrangement is not None and arrangement.instalments:
        instalments = tuple(sorted(arrangement.instalments, key=lambda i: i.due_on))
        last = instalments[-1].due_on
        return instalments, Day(last, False, penalty_article(66, detail="第二款：经批准暂缓或者分期缴纳"))
    days = parameter(context, snapshot, "penalty.payment.period_days", on=received)
    due = day_from(context.calendar.calendar_days_after(received, days.value), days.reference)
    return (Instalment(due.date, fine),), due


def payments_by_day(snapshot: PenaltyCaseSnapshot) -> list[tuple[dt.date, int]]:
    payments = [(p.paid_on, p.amount_fen) for p in snapshot.payments]
    if snapshot.on_spot is not None and snapshot.on_spot.collected_fen and snapshot.on_spot.collected_on:
        payments.append((snapshot.on_spot.collected_on, snapshot.on_spot.collected_fen))
    return sorted(payments)


@dataclass(frozen=True)
class Surcharge:
    """加处罚款 owed as of a day (第七十二条), and the facts behind it."""

    amount_fen: int
    days: int  # days on which it accrued
    capped: bool
    principal_outstanding_fen: int
    basis: str


def challenged_on(snapshot: PenaltyCaseSnapshot, day: dt.date) -> bool:
    """Whether `day` falls within a reconsideration or litigation (第七十三条第三款)."""
    return any(c.started_on <= day and (c.ended_on is None or day <= c.ended_on) for c in snapshot.challenges)


def surcharge_as_of(snapshot: PenaltyCaseSnapshot, context: GuardContext, *, on: dt.date) -> Surcharge:
    """The surcharge accrued up to and including `on`.

    Each day after an instalment's due date on which part of it is still unpaid adds 3% of that
    unpaid part (payments go to the earliest instalment first). Days within a reconsideration or
    litigation add nothing (第七十三条). The total never exceeds the fine (第七十二条). A payment
    made on a day counts from the next day: the day of payment still accrues (practice; unverified).
    """
    fine = decided_fine(snapshot)
    schedule = payment_schedule(snapshot, context)
    basis = penalty_article(72, 73)
    if not fine or schedule is None:
        return Surcharge(0, 0, False, 0, basis)
    instalments, _ = schedule
    received = received_on(snapshot) or on
    rate = parameter(context, snapshot, "penalty.surcharge.daily_percent", on=received).value
    cap = fine * parameter(context, snapshot, "penalty.surcharge.cap_percent", on=received).value // 100
    payments = payments_by_day(snapshot)
    first_due = instalments[0].due_on
    hundredths, days = 0, 0  # in 1/100 fen, so that 3% is exact until the final rounding down
    day = first_due + ONE_DAY
    while day <= on:
        paid_before = sum(amount for paid_on, amount in payments if paid_on < day)
        overdue = sum(i.amount_fen for i in instalments if i.due_on < day)
        unpaid_overdue = max(0, min(overdue, fine) - paid_before)
        if unpaid_overdue and not challenged_on(snapshot, day):
            hundredths += unpaid_overdue * rate
            days += 1
            if hundredths // 100 >= cap:
                break
        elif not unpaid_overdue and paid_before >= fine:
            break
        day += ONE_DAY
    amount = min(hundredths // 100, cap)
    outstanding = max(0, fine - sum(amount for paid_on, amount in payments if paid_on <= on))
    return Surcharge(amount, days, amount >= cap, outstanding, basis)


def amount_due_as_of(snapshot: PenaltyCaseSnapshot, context: GuardContext, *, on: dt.date) -> int:
    """Fine plus surcharge still owed on `on`, after every payment recorded."""
    fine = decided_fine(snapshot)
    if not fine:
        return 0
    surcharge = surcharge_as_of(snapshot, context, on=on)
    paid = sum(amount for paid_on, amount in payments_by_day(snapshot) if paid_on <= on)
    return max(0, fine + surcharge.amount_fen - paid)


def court_application_opens(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> Day | None:
    """The first day the agency may apply to the court (行政强制法第五十三条): the periods for
    reconsideration (60 days) and litigation (6 months) have run from receipt of the decision."""
    received = received_on(snapshot)
    if received is None:
        return None
    days = parameter(context, snapshot, "penalty.enforcement.reconsideration_days", on=received)
    months = parameter(context, snapshot, "penalty.enforcement.litigation_months", on=received)
    reconsideration_end = context.calendar.calendar_days_after(received, days.value).date
    litigation_end = add_months(received, months.value)
    last = max(reconsideration_end, litigation_end)
    return Day(last + ONE_DAY, False, f"{days.reference}；{months.reference}；{article(COMPULSION_LAW, 53)}")

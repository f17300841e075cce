"""Property test: random licence applications driven by random sequences of facts, days and actions
through the pure engine. A step's facts are kept only when `evaluate` lets its action through (a
refused form writes nothing). Whatever happens, no sequence ever:

- decides without acceptance (or deemed acceptance after the 5 working days), except on the spot
  with complete materials of a matter that allows it (行政许可法 第三十二条、第三十四条);
- extends the period without the head's approval, written reasons told to the applicant, within
  the 20 working days (第四十二条);
- decides after the period (20 working days, +10 when extended, told excluded periods not counted,
  第四十二条、第四十五条) without the delay being flagged by a written explanation;
- decides a catalogued major matter without an agreeing review of that outcome by a non-handler (118号);
- refuses (acceptance or the licence) without reasons and remedies (第三十二条、第三十八条);
- decides without the hearing the law requires or the applicant asked for in time (第四十六、四十七条).

The oracle is written independently of the guards (its own working-day count over the test
calendar's holidays), and `test_the_oracle_catches_an_engine_without_the_late_flag` shows that it
fails when a guard is removed, so the property can fail.
"""

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sanxiang.procedure.engine import Procedure, evaluate
from sanxiang.procedure.permit import rules as r
from sanxiang.procedure.permit.procedures import GRANT, PERMIT
from sanxiang.procedure.permit.rules import Decision, ExcludedPeriod, Extension, Refusal, ReviewOpinion
from tests.procedure.permit.support import NATIONAL_DAY, ONE_DAY, D, context, received

ACTIONS = ("permit_accept", "permit_deem_accepted", "permit_notify_missing", "permit_resubmit",
           "permit_refuse_acceptance", "permit_extend", "permit_grant", "permit_grant_on_spot", "permit_refuse")
EVENTS = ("materials", "exclude", "hearing_right", "hearing_request", "hearing_waive", "hearing_held", "review",
          "major")
DECISIONS = {"permit_grant", "permit_grant_on_spot", "permit_refuse"}
HANDLER = 1


def working(day: dt.date) -> bool:
    """The oracle's own reading of the test calendar."""
    return day == D(2026, 10, 10) or (day.weekday() < 5 and day not in NATIONAL_DAY)


def nth_working_day(start: dt.date, n: int, skip=()) -> dt.date:
    day = start
    while n:
        day += ONE_DAY
        if working(day) and not any(a <= day <= b for a, b in skip):
            n -= 1
    return day


def draft(snapshot, kind, today, a, b, k):
    """The facts a step (or a form recording a fact) writes into the case."""
    s = snapshot
    add = lambda *kinds: s.records | set(kinds)  # noqa: E731
    if kind == "materials":
        return replace(s, materials_complete=a, on_spot_possible=b)
    if kind == "exclude":
        period = ExcludedPeriod("expert_review", today, today + dt.timedelta(days=k), told_on=today if a else None)
        return replace(s, exclusions=(*s.exclusions, period), records=add("exclusion_notice"))
    if kind == "hearing_right":
        return replace(s, hearing_right_due=True, hearing_right_told_on=today if a else None)
    if kind == "hearing_request":
        return replace(s, hearing_requested_on=today)
    if kind == "hearing_waive":
        return replace(s, hearing_waived=True)
    if kind == "hearing_held":
        return replace(s, hearing_notice_on=today - dt.timedelta(days=4 * k), hearing_held_on=today,
                       records=add("hearing_transcript"))
    if kind == "review":
        opinion = ReviewOpinion(HANDLER if a else 2, "agree" if b else "disagree", today, "grant" if k % 2 else "refuse")
        return replace(s, review_opinions=(*s.review_opinions, opinion), records=add("review_opinion"))
    if kind == "major":
        return replace(s, major_marked=a)
    if kind == "permit_accept":
        return replace(s, accepted_on=today, records=add("acceptance_notice"))
    if kind == "permit_notify_missing":
        return replace(s, missing_notice_on=today, missing_items=("营业执照",) if a else (),
                       records=add("missing_items_notice"))
    if kind == "permit_resubmit":
        return replace(s, received_on=today, supplemented_on=today, materials_complete=True)
    if kind == "permit_refuse_acceptance":
        return replace(s, acceptance_refusal=Refusal(today, "理由" if a else "", "救济途径" if b else ""),
                       records=add("non_acceptance_notice"))
    if kind == "permit_extend":
        return replace(s, extension=Extension("王局长" if a else "", today, "理由" if b else "", today if k else None),
                       records=add("extension_approval", "extension_notice"))
    if kind in ("permit_grant", "permit_grant_on_spot"):
        return replace(s, decision=Decision("grant", today, late_explanation="逾期原因" if a else ""),
                       records=add("grant_decision"))
    if kind == "permit_refuse":
        return replace(s, decision=Decision("refuse", today, "理由" if a else "", "救济途径" if b else "",
                                            late_explanation="逾期原因" if k else ""),
                       records=add("refusal_decision", "delivery_receipt"))
    return s


def oracle(before, after, action, today, extended) -> list[str]:
    """What the law forbids, checked on a transition the engine let through."""
    problems = []
    if action == "permit_deem_accepted":
        if before.missing_notice_on is not None or today <= nth_working_day(before.received_on, 5):
            problems.append("deemed accepted before the 5 working days ran out, or after a notice")
    if action in ("permit_notify_missing", "permit_refuse_acceptance") and today > nth_working_day(before.received_on, 5):
        problems.append("notice or refusal to accept after the application counted as accepted")
    if action == "permit_refuse_acceptance":
        refusal = after.acceptance_refusal
        if not (refusal.reasons and refusal.remedies):
            problems.append("refusal to accept without reasons or remedies")
    if action == "permit_extend":
        ext = after.extension
        base = nth_working_day(after.accepted_on, 20, [(p.start, p.end) for p in after.exclusions if p.told_on])
        if not (ext.head_name and ext.reasons and ext.told_on) or ext.approved_on > base:
            problems.append("extension without approval, reasons, notice, or after the 20 working days")
    if action not in DECISIONS:
        return problems
    decision = after.decision
    if action == "permit_grant_on_spot":
        if not (after.materials_complete and after.on_spot_possible):
            problems.append("on-the-spot decision without complete materials of an on-the-spot matter")
    else:
        if before.state != "accepted" or after.accepted_on is None:
            problems.append("decision without acceptance")
        skip = [(p.start, p.end) for p in after.exclusions if p.told_on]
        deadline = nth_working_day(after.accepted_on, 30 if extended else 20, skip)
        if decision.on > deadline and not decision.late_explanation:
            problems.append(f"late decision ({decision.on} after {deadline}) not flagged")
        hearing_due = after.hearing_required_by_law or (
            after.hearing_requested_on is not None and after.hearing_right_told_on is not None
            and after.hearing_requested_on <= nth_working_day(after.hearing_right_told_on, 5))
        if hearing_due and after.hearing_held_on is None:
            problems.append("decision without the hearing")
    if after.major_marked or (after.catalogue is not None and after.matter in after.catalogue.matters):
        latest = max(after.review_opinions, key=lambda o: o.given_on, default=None)
        if latest is None or latest.opinion != "agree" or latest.reviewer_id == HANDLER or \
                latest.reviewed_outcome != decision.outcome:
            problems.append("major decision without an agreeing review of this outcome by a non-handler")
    if decision.outcome == "refuse" and not (decision.reasons and decision.remedies):
        problems.append("refusal without reasons or remedies")
    return problems


def drive(procedure: Procedure, start: dt.date, steps, *, complete: bool = False) -> tuple[list[str], set[str]]:
    snapshot = received(received_on=start, materials_complete=complete)
    today, extended, problems, taken = start, False, [], set()
    for kind, advance, a, b, k in steps:
        today += dt.timedelta(days=advance)
        candidate = draft(snapshot, kind, today, a, b, k)
        if kind in EVENTS:
            snapshot = candidate
            continue
        if evaluate(procedure, candidate, kind, context=context(today)):
            continue  # refused: nothing is written
        after = replace(candidate, state=procedure.transition(kind).target)
        if kind == "permit_deem_accepted":
            after = replace(after, accepted_on=after.received_on, deemed_accepted=True)
        problems += oracle(snapshot, after, kind, today, extended)
        extended = extended or kind == "permit_extend"
        taken.add(kind)
        snapshot = after
    return problems, taken


# The main path is drawn more often, so that most sequences reach a decision.
KINDS = ACTIONS + EVENTS + ("permit_accept", "permit_grant", "permit_refuse", "permit_extend", "review") * 2
STEP = st.tuples(st.sampled_from(KINDS), st.integers(0, 6), st.booleans(), st.booleans(), st.integers(0, 3))
STARTS = st.dates(D(2026, 8, 3), D(2026, 10, 20))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=STARTS, complete=st.booleans(), steps=st.lists(STEP, min_size=6, max_size=30))
def test_no_sequence_of_actions_breaks_the_licensing_law(start, complete, steps):
    problems, taken = drive(PERMIT, start, steps, complete=complete)
    event("decided" if taken & DECISIONS else "undecided")
    assert problems == []


LATE_GRANT = [
    ("materials", 0, True, False, 0),
    ("permit_accept", 0, False, False, 0),
    ("permit_grant", 40, False, False, 0),  # 40 calendar days later: past the 20 working days, no explanation
]


def test_the_driver_reaches_a_decision_and_the_engine_flags_a_late_one():
    problems, taken = drive(PERMIT, D(2026, 9, 1), LATE_GRANT)
    assert problems == [] and "permit_grant" not in taken  # refused for lack of an explanation
    explained = [*LATE_GRANT[:2], ("permit_grant", 40, True, False, 0)]
    assert drive(PERMIT, D(2026, 9, 1), explained) == ([], {"permit_accept", "permit_grant"})


def test_the_oracle_catches_an_engine_without_the_late_flag():
    without = replace(GRANT, guards=tuple(g for g in GRANT.guards if g is not r.decision_in_time))
    broken = replace(PERMIT, transitions=tuple(without if t.name == "permit_grant" else t for t in PERMIT.transitions))
    problems, taken = drive(broken, D(2026, 9, 1), LATE_GRANT)
    assert "permit_grant" in taken and any("late decision" in p for p in problems)

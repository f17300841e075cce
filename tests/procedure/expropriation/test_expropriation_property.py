"""Property test: random 征收征用 cases driven by random sequences of facts, days and actions
through the pure engine. A step's facts are kept only when `evaluate` lets its action through (a
refused form writes nothing). Whatever happens, no sequence ever:

- decides without a legal basis, a public-interest purpose, a scope, or a compensation plan
  (宪法第十条第三款、第十三条第三款);
- decides a 征收 without a compensation amount, or below an assessed amount already registered (the
  unverified rule of 房屋征收与补偿条例第十九条); the assessment itself follows the decision by default
  (the unverified parameter `expropriation.assessment_before_decision` is off: 征收评估办法第十条);
- decides a catalogued or marked-major case without an agreeing review, by a non-handler, of the
  draft as it stands (nothing changed since) (118号);
- decides without the remedies; serves before the decision; publishes before service;
- publishes after the 20 working days (政府信息公开条例第二十六条) without a written explanation.

The oracle is written independently of the guards (its own working-day count over the test
calendar and its own record of what the last review covered), and the last test shows that
it fails when a guard is removed, so the property can fail.
"""

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sanxiang.procedure.engine import Procedure, evaluate
from sanxiang.procedure.expropriation import rules as r
from sanxiang.procedure.expropriation.procedures import DECIDE, EXPROPRIATION
from sanxiang.procedure.expropriation.rules import (
    Assessment,
    CompensationPlan,
    ExpropriationDecision,
    ExpropriationSnapshot,
    Service,
    Termination,
)
from sanxiang.procedure.other_acts.decision_rules import Publicity, ReviewOpinion
from tests.procedure.expropriation.support import HANDLER, NATIONAL_DAY, ONE_DAY, D, catalogue, context

ACTIONS = ("expropriation_decide", "expropriation_serve", "expropriation_publish", "expropriation_terminate")
EVENTS = ("project", "assess", "plan", "review", "major")


def working(day: dt.date) -> bool:
    """The oracle's own reading of the test calendar."""
    return day == D(2026, 10, 10) or (day.weekday() < 5 and day not in NATIONAL_DAY)


def nth_working_day(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += ONE_DAY
        if working(day):
            n -= 1
    return day


def draft(s: ExpropriationSnapshot, kind, today, a, b, k):
    add = lambda *kinds: s.records | set(kinds)  # noqa: E731
    if kind == "project":  # complete unless neither a nor b: then k says what is missing
        whole = a or b
        return replace(s, bases=("《某法》第一条",) if whole or k == 1 else (), purpose="公共利益" if whole or k == 2 else "",
                       scope="某处房屋" if whole or k == 3 else "")
    if kind == "assess":
        return replace(s, assessment=Assessment("某估价公司", "", 1_000_000 * k if a or b else 0, today),
                       records=add("assessment_report"))
    if kind == "plan":
        return replace(s, plan=CompensationPlan("money" if a else "after_use", 1_500_000 * (k + 1) if a or b else 0, (), today),
                       records=add("compensation_plan"))
    if kind == "review":
        opinion = ReviewOpinion(HANDLER.id if a else 9, "agree" if b else "disagree", today, s.draft)
        return replace(s, review_opinions=(*s.review_opinions, opinion), records=add("review_opinion"))
    if kind == "major":
        return replace(s, major_marked=a)
    if kind == "expropriation_decide":
        return replace(s, decision=ExpropriationDecision(today, "救济途径" if a or b else "", 0),
                       records=add("expropriation_decision"))
    if kind == "expropriation_serve":
        return replace(s, service=Service(today - dt.timedelta(days=k), "direct" if a or b else ""),
                       records=add("service_receipt"))
    if kind == "expropriation_publish":
        return replace(s, publicity=Publicity(today, "网站" if a or b else "", "逾期原因" if a else ""),
                       records=add("publication_record"))
    if kind == "expropriation_terminate":
        return replace(s, termination=Termination(today, "理由" if a else ""))
    return s


def what_is_decided(s: ExpropriationSnapshot) -> tuple:
    """The oracle's own notion of the draft a review covers."""
    return (s.kind, s.purpose, s.scope, s.bases, s.assessment, s.plan)


def oracle(before, after, action, today, changed_since_review) -> list[str]:
    problems = []
    if action == "expropriation_decide":
        if not (after.bases and after.purpose and after.scope):
            problems.append("decision without basis, purpose or scope")
        if after.plan is None:
            problems.append("decision without a compensation plan")
        if after.kind == "expropriation":
            assessed = after.assessment.amount_fen if after.assessment else 0
            amount = after.plan.amount_fen if after.plan else 0
            if amount <= 0 or amount < assessed:
                problems.append("expropriation without a compensation amount, or below the assessment")
            if after.plan is not None and after.plan.method == "after_use":
                problems.append("expropriation compensated by returning the property after use")
        if after.major_marked or after.matter in (after.catalogue.matters if after.catalogue else ()):
            latest = after.review_opinions[-1] if after.review_opinions else None
            if latest is None or latest.opinion != "agree" or latest.reviewer_id == HANDLER.id or changed_since_review:
                problems.append("major decision without an agreeing review of this draft by a non-handler")
        if not after.decision.remedies:
            problems.append("decision without remedies")
    if action == "expropriation_serve" and (before.state != "decided" or after.service.served_on < after.decision.on):
        problems.append("service before the decision")
    if action == "expropriation_publish":
        if before.state != "served":
            problems.append("publication before service")
        publicity = after.publicity
        if publicity.published_on > nth_working_day(after.decision.on, 20) and not publicity.late_explanation:
            problems.append("late publication not flagged")
    return problems


PREPARED = [("project", 0, True, True, 0), ("assess", 0, True, True, 1), ("plan", 0, True, True, 1)]


def drive(procedure: Procedure, start: dt.date, kind: str, listed: bool, steps, *, prepared: bool = False):
    snapshot = ExpropriationSnapshot(state="drafting", records=frozenset(), kind=kind, opened_on=start, region="150626",
                                     matter="ZS-001", officers=(HANDLER,),
                                     catalogue=catalogue("ZS-001") if listed else None)
    today, problems, taken, reviewed = start, [], set(), None
    # Half the runs start with the draft written (so that most reach the decision and beyond).
    steps = [*PREPARED, *steps] if prepared else steps
    for action, advance, a, b, k in steps:
        today += dt.timedelta(days=advance)
        candidate = draft(snapshot, action, today, a, b, k)
        if action in EVENTS:
            if snapshot.state == "drafting":  # the recording steps happen while drafting
                if action == "review":
                    reviewed = what_is_decided(candidate)
                snapshot = candidate
            continue
        if evaluate(procedure, candidate, action, context=context(today)):
            continue
        after = replace(candidate, state=procedure.transition(action).target)
        problems += oracle(snapshot, after, action, today, what_is_decided(after) != reviewed)
        taken.add(action)
        snapshot = after
    return problems, taken


KINDS = ACTIONS + EVENTS + ("project", "assess", "plan", "review", "expropriation_decide", "expropriation_serve",
                            "expropriation_publish") * 3
STEP = st.tuples(st.sampled_from(KINDS), st.integers(0, 9), st.booleans(), st.booleans(), st.integers(0, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.dates(D(2026, 8, 3), D(2026, 10, 20)), kind=st.sampled_from(sorted(r.KINDS)), listed=st.booleans(),
       prepared=st.sampled_from((True, True, True, False)), steps=st.lists(STEP, min_size=6, max_size=30))
def test_no_sequence_of_actions_breaks_the_rules_of_expropriation(start, kind, listed, prepared, steps):
    problems, taken = drive(EXPROPRIATION, start, kind, listed, steps, prepared=prepared)
    event("published" if "expropriation_publish" in taken else "decided" if "expropriation_decide" in taken else "open")
    assert problems == []


PATH = [
    ("project", 0, True, True, 0),
    ("assess", 0, True, False, 2),
    ("plan", 0, True, False, 0),  # 1 500 000 fen: below the assessed 2 000 000
    ("expropriation_decide", 1, True, False, 0),
]


def test_the_driver_reaches_each_state_and_the_oracle_catches_a_missing_guard():
    problems, taken = drive(EXPROPRIATION, D(2026, 9, 1), "expropriation", False, PATH)
    assert problems == [] and taken == set()  # refused: compensation below the assessment
    good = [*PATH[:2], ("plan", 0, True, False, 1), ("expropriation_decide", 1, True, False, 0),
            ("expropriation_serve", 1, True, False, 0), ("expropriation_publish", 40, False, True, 0)]  # no explanation
    problems, taken = drive(EXPROPRIATION, D(2026, 9, 1), "expropriation", False, good)
    assert problems == [] and taken == {"expropriation_decide", "expropriation_serve"}  # late, unexplained: refused
    explained = [*good[:-1], ("expropriation_publish", 40, True, True, 0)]
    assert drive(EXPROPRIATION, D(2026, 9, 1), "expropriation", False, explained)[1] == {
        "expropriation_decide", "expropriation_serve", "expropriation_publish"}

    without = replace(DECIDE, guards=tuple(g for g in DECIDE.guards if g is not r.compensation_set))
    broken = replace(EXPROPRIATION, transitions=tuple(without if t.name == DECIDE.name else t
                                                      for t in EXPROPRIATION.transitions))
    problems, taken = drive(broken, D(2026, 9, 1), "expropriation", False, PATH)
    assert "expropriation_decide" in taken and any("below the assessment" in p for p in problems)

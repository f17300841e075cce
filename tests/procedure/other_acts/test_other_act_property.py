"""Property test: random generic acts (给付、确认、奖励、裁决 …) driven by random sequences of facts,
days and actions through the pure engine (a refused step writes nothing). No sequence ever:

- decides without a basis, content or remedies, or a catalogued (or marked) act without an
  agreeing review, by a non-handler, of the draft as it stands (118号);
- publishes after 20 working days (政府信息公开条例第二十六条) without a written explanation, or
  withholds on a ground the 条例 does not give (第十四条、第十五条);
- publishes or withholds an undecided act, or does both.

The oracle keeps its own working-day count and its own record of what the last review covered;
the last test removes a guard and shows the oracle catching it."""

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sanxiang.procedure.engine import Procedure, evaluate
from sanxiang.procedure.other_acts import rules as r
from sanxiang.procedure.other_acts.decision_rules import (
    WITHHOLDING_GROUNDS,
    Publicity,
    ReviewOpinion,
    Withholding,
)
from sanxiang.procedure.other_acts.procedures import OTHER_ACT, PUBLISH
from sanxiang.procedure.other_acts.rules import ActDecision, OtherActSnapshot, Termination
from sanxiang.procedure.registry_rules import OfficerSnapshot
from tests.procedure.expropriation.test_expropriation_property import nth_working_day
from tests.procedure.permit.support import D, catalogue, context

HANDLER_ID = 1
HANDLER = OfficerSnapshot(id=HANDLER_ID, name="张三", status="active", staffing_type="civil_servant")
EVENTS = ("draft", "review", "major")
ACTIONS = ("other_act_decide", "other_act_publish", "other_act_withhold", "other_act_terminate")


def draft(s: OtherActSnapshot, kind, today, a, b, k):
    add = lambda *kinds: s.records | set(kinds)  # noqa: E731
    if kind == "draft":
        whole = a or b
        return replace(s, bases=("《某条例》第三条",) if whole or k == 1 else (), content=f"决定{k}" if whole or k == 2 else "")
    if kind == "review":
        return replace(s, review_opinions=(*s.review_opinions,
                                           ReviewOpinion(HANDLER_ID if not (a or b) else 9, "agree" if a or k else "disagree",
                                                         today, s.draft)),
                       records=add("review_opinion"))
    if kind == "major":
        return replace(s, major_marked=a and b)
    if kind == "other_act_decide":
        return replace(s, decision=ActDecision(today, s.content, "救济途径" if a or b else ""), records=add("act_decision"))
    if kind == "other_act_publish":
        return replace(s, publicity=Publicity(today, "网站" if a or b else "", "逾期原因" if a else ""),
                       records=add("publication_record"))
    if kind == "other_act_withhold":
        return replace(s, withholding=Withholding("privacy" if a else "whim", "理由" if b or k else "", today),
                       records=add("withholding_record"))
    if kind == "other_act_terminate":
        return replace(s, termination=Termination(today, "理由" if a else ""))
    return s


def what_is_decided(s: OtherActSnapshot) -> tuple:
    """The oracle's own notion of the draft a review covers."""
    return (s.kind, s.bases, s.content, s.amount_fen)


def oracle(before, after, action, changed) -> list[str]:
    problems = []
    if action == "other_act_decide":
        if not (after.bases and after.content and after.decision.remedies):
            problems.append("decision without basis, content or remedies")
        if after.major_marked or (after.catalogue is not None and after.matter in after.catalogue.matters):
            latest = after.review_opinions[-1] if after.review_opinions else None
            if latest is None or latest.opinion != "agree" or latest.reviewer_id == HANDLER_ID or changed:
                problems.append("major decision without a fresh agreeing review by a non-handler")
    if action in ("other_act_publish", "other_act_withhold") and before.state != "decided":
        problems.append("published or withheld an undecided or closed act")
    if action == "other_act_publish":
        p = after.publicity
        if p.published_on > nth_working_day(after.decision.on, 20) and not p.late_explanation:
            problems.append("late publication not flagged")
    if action == "other_act_withhold" and after.withholding.ground not in WITHHOLDING_GROUNDS:
        problems.append("withheld on no ground of the regulation")
    return problems


def drive(procedure: Procedure, start, kind, listed, steps, *, prepared=False):
    snapshot = OtherActSnapshot(state="handling", records=frozenset(), kind=kind, opened_on=start, matter="M-1",
                                officers=(HANDLER,), catalogue=catalogue("M-1") if listed else None)
    today, problems, taken, reviewed = start, [], set(), None
    steps = [("draft", 0, True, True, 0), *steps] if prepared else steps  # most runs start with a draft
    for action, advance, a, b, k in steps:
        today += dt.timedelta(days=advance)
        candidate = draft(snapshot, action, today, a, b, k)
        if action in EVENTS:
            if snapshot.state == "handling":
                if action == "review":
                    reviewed = what_is_decided(candidate)
                snapshot = candidate
            continue
        if evaluate(procedure, candidate, action, context=context(today)):
            continue
        after = replace(candidate, state=procedure.transition(action).target)
        problems += oracle(snapshot, after, action, what_is_decided(after) != reviewed)
        taken.add(action)
        snapshot = after
    return problems, taken


KINDS = ACTIONS + EVENTS + ("draft", "other_act_decide", "other_act_publish") * 3
STEP = st.tuples(st.sampled_from(KINDS), st.integers(0, 9), st.booleans(), st.booleans(), st.integers(0, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.dates(D(2026, 8, 3), D(2026, 10, 20)), kind=st.sampled_from(sorted(r.KINDS)), listed=st.booleans(),
       prepared=st.sampled_from((True, True, True, False)), steps=st.lists(STEP, min_size=4, max_size=25))
def test_no_sequence_of_actions_breaks_the_rules_of_the_generic_act(start, kind, listed, prepared, steps):
    problems, taken = drive(OTHER_ACT, start, kind, listed, steps, prepared=prepared)
    event("closed" if taken & {"other_act_publish", "other_act_withhold"} else
          "decided" if "other_act_decide" in taken else "open")
    assert problems == []


def test_the_oracle_catches_an_engine_without_the_late_publication_flag():
    late = [("draft", 0, True, True, 0), ("other_act_decide", 0, True, True, 0), ("other_act_publish", 45, False, True, 0)]
    assert drive(OTHER_ACT, D(2026, 9, 1), "award", False, late) == ([], {"other_act_decide"})
    without = replace(PUBLISH, guards=())
    broken = replace(OTHER_ACT, transitions=tuple(without if t.name == PUBLISH.name else t for t in OTHER_ACT.transitions))
    problems, taken = drive(broken, D(2026, 9, 1), "award", False, late)
    assert "other_act_publish" in taken and problems == ["late publication not flagged"]

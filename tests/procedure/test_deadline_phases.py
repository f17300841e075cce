"""Deadlines said as data (`DeadlinePhase`): what the case projection stores does not depend on the
day it was computed (but for the due-soon alert's number of days), and the phases give, on any day,
what the engine computed from that day before they existed."""

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.enforcement.catalogue import PARTY_PERIODS, deadline_of, window_phases
from sanxiang.procedure.enforcement.deadlines import Day as WindowDay
from sanxiang.procedure.enforcement.deadlines import Window, window
from sanxiang.procedure.penalty import Payment
from sanxiang.procedure.penalty.deadlines import (
    Deadline,
    deadline_state,
    deadlines_on,
    penalty_deadline_phases,
    penalty_deadlines,
)
from tests.procedure.test_penalty_support import CALENDAR, D, decided, lead, notified, served

DAYS = [D(2026, 3, 1) + dt.timedelta(days=n) for n in range(0, 800, 3)]


def reference_deadline_of(window: Window, *, today: dt.date, soon: int) -> Deadline | None:
    """The case page's window before phases (issue 12), judged on `today`: the oracle."""
    iso = dt.date.isoformat
    basis = "；".join(dict.fromkeys(window.basis.split("；")))
    if window.closes is not None:
        label = window.label
        if window.not_yet and window.opens is not None:
            label = f"{label}（最早可于{iso(window.opens)}起，最迟{iso(window.closes)}）"
        if window.done:
            state = "met"
        elif window.code in PARTY_PERIODS and today > window.closes:
            return Deadline(window.code, f"{window.label}：已于{iso(window.closes)}届满", window.closes, "met",
                            basis, window.estimated, completed_on=window.closes)
        else:
            state = deadline_state(window.closes, completed_on=None, today=today, soon_days=soon)
        return Deadline(window.code, label, window.closes, state, basis, window.estimated)
    if window.opens is None:
        return None
    if window.done:
        return Deadline(window.code, window.label, window.opens, "met", basis, window.estimated)
    if window.not_yet:
        return Deadline(window.code, f"最早可于{iso(window.opens)}起：{window.label}", window.opens,
                        deadline_state(window.opens, completed_on=None, today=today, soon_days=soon),
                        basis, window.estimated)
    return Deadline(window.code, f"自{iso(window.opens)}起可以进行：{window.label}", window.opens, "met",
                    basis, window.estimated, completed_on=window.opens)


days = st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(opens=st.none() | days, closes=st.none() | days, done=st.booleans(), today=days,
       soon=st.integers(min_value=0, max_value=10),
       code=st.sampled_from(["enforcement.deadline.demand", "enforcement.deadline.court_application"]))
def test_a_window_as_phases_shows_on_each_day_what_the_day_computed_before(opens, closes, done, today, soon, code):
    def day(value):
        return None if value is None else WindowDay(value, False, "《中华人民共和国行政强制法》第五十三条")

    judged = window(code, "申请人民法院强制执行", opens=day(opens), closes=day(closes), today=today, done=done)
    assert deadline_of(judged, today=today, soon=soon) == reference_deadline_of(judged, today=today, soon=soon)
    # The phases do not read the flags judged on a day: any day's window gives the same phases.
    other = replace(judged, not_yet=not judged.not_yet, overdue=not judged.overdue)
    assert window_phases(other, soon=soon) == window_phases(judged, soon=soon)
    # At most one phase of a window is shown on any day.
    assert len([p for p in window_phases(judged, soon=soon) if p.shown_on(today)]) <= 1


def test_the_phases_of_a_penalty_case_do_not_depend_on_the_day_they_are_computed():
    unpaid = served()
    paid_half = replace(unpaid, payments=(Payment(D(2026, 4, 3), 150000),))
    for snapshot in (lead(), notified(), decided(), unpaid, paid_half):
        first = penalty_deadline_phases(snapshot, calendar=CALENDAR, on=D(2026, 3, 1))
        for on in (D(2026, 4, 20), D(2027, 6, 1)):
            assert penalty_deadline_phases(snapshot, calendar=CALENDAR, on=on) == first
        phases = first[0]
        for today in DAYS:
            assert deadlines_on(phases, today) == penalty_deadlines(snapshot, calendar=CALENDAR, today=today)


def test_the_statement_window_is_met_from_the_day_after_it_ran_and_the_court_application_after_the_last_pay_day():
    phases, _ = penalty_deadline_phases(served(), calendar=CALENDAR, on=D(2026, 3, 1))
    window = [p for p in phases if p.code == "penalty.deadline.statement_window"]
    assert [(p.met, p.shown_from, p.shown_until) for p in window] == [
        (False, None, window[0].due), (True, window[0].due + dt.timedelta(days=1), None),
    ]
    court = next(p for p in phases if p.code == "penalty.deadline.court_application")
    payment = next(p for p in phases if p.code == "penalty.deadline.payment.0")
    assert court.shown_from == payment.due + dt.timedelta(days=1) and court.shown_until is None
    assert "penalty.deadline.court_application" not in {d.code for d in deadlines_on(phases, payment.due)}

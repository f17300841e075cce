"""The rule of supervision instruments (《行政执法监督条例》第二十七条至第三十条), pure: reply periods by
calendar or working days as `supervision.periods_count_working_days` says, overdue from the day
after the due date, and who may make which move in which state (every reason at once)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.calendar import working_day_calendar_default
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.supervision.instruments import (
    TRANSITIONS,
    InstrumentAction,
    InstrumentKind,
    InstrumentSnapshot,
    InstrumentState,
    action_violations,
    is_overdue,
    notice_approval_violations,
    reply_period,
)

CALENDAR = working_day_calendar_default()
# A later period of the parameter (the same start would tie with the default one).
WORKING = parameters_default().with_overrides(
    {"supervision.periods_count_working_days": [ParameterPeriod(start=dt.date(2026, 2, 2), value=True)]}
)
SERVED = dt.date(2026, 3, 2)  # a Monday


def test_calendar_days_rule_an_opinion_served_on_2_march_is_due_1_april_and_overdue_on_2_april():
    """Default rule (calendar days, 《四川省行政执法监督条例》第三十四条: 30 days): due 2026-04-01;
    in time on that day, overdue from the next."""
    period = reply_period(kind=InstrumentKind.OPINION, start=SERVED, calendar=CALENDAR)
    assert period.due_on == dt.date(2026, 4, 1) and not period.working_days and period.label == "30日"
    assert "第二十八条" in period.basis
    assert not is_overdue(due_on=period.due_on, state="issued", on=dt.date(2026, 4, 1))
    assert is_overdue(due_on=period.due_on, state="issued", on=dt.date(2026, 4, 2))


def test_calendar_days_rule_a_last_day_on_a_holiday_moves_to_the_next_working_day():
    """2026-03-07 + 30 days = 2026-04-06, 清明 holiday: the period ends on 04-07 (民法典第二百零三条)."""
    period = reply_period(kind=InstrumentKind.SUPERVISE_LETTER, start=dt.date(2026, 3, 7), calendar=CALENDAR)
    assert period.due_on == dt.date(2026, 4, 7)
    assert not is_overdue(due_on=period.due_on, state="issued", on=dt.date(2026, 4, 7))
    assert is_overdue(due_on=period.due_on, state="issued", on=dt.date(2026, 4, 8))


def test_working_days_rule_the_same_opinion_is_due_14_april_and_overdue_on_15_april():
    """With the parameter set to working days (重庆 counts 复查 so), 30 working days after 2026-03-02
    end on 2026-04-14 (清明 04-04..06 not counted)."""
    period = reply_period(kind=InstrumentKind.OPINION, start=SERVED, calendar=CALENDAR, parameters=WORKING)
    assert period.due_on == dt.date(2026, 4, 14) and period.working_days and period.label == "30个工作日"
    assert not is_overdue(due_on=period.due_on, state="issued", on=dt.date(2026, 4, 14))
    assert is_overdue(due_on=period.due_on, state="returned", on=dt.date(2026, 4, 15))


def test_a_decision_is_reported_on_within_its_own_period():
    period = reply_period(kind=InstrumentKind.DECISION_PROPOSAL, start=SERVED, calendar=CALENDAR)
    assert "第二十九条" in period.basis and period.days == 30


def test_nothing_is_overdue_once_the_agency_has_replied_or_the_instrument_is_closed():
    late = dt.date(2026, 12, 1)
    for state in ("replied", "accepted", "escalated", "withdrawn", "proposed"):
        assert not is_overdue(due_on=dt.date(2026, 4, 1), state=state, on=late)
    assert is_overdue(due_on=dt.date(2026, 4, 1), state="objected", on=late)  # the supervisors' 复查


@given(start=st.dates(min_value=dt.date(2026, 2, 2), max_value=dt.date(2027, 12, 1)), working=st.booleans())
def test_property_overdue_exactly_from_the_day_after_the_due_date(start, working):
    parameters = WORKING if working else parameters_default()
    period = reply_period(kind=InstrumentKind.OPINION, start=start, calendar=CALENDAR, parameters=parameters)
    assert period.due_on >= start + dt.timedelta(days=30)
    if working:
        assert CALENDAR.working_days_between(start, period.due_on).days == 30
    assert not is_overdue(due_on=period.due_on, state="issued", on=period.due_on)
    assert is_overdue(due_on=period.due_on, state="issued", on=period.due_on + dt.timedelta(days=1))


def snapshot(state, kind=InstrumentKind.OPINION):
    return InstrumentSnapshot(kind=kind, state=InstrumentState(state), served_on=SERVED, due_on=None)


@given(state=st.sampled_from(list(InstrumentState)), action=st.sampled_from(list(InstrumentAction)))
def test_property_a_move_is_allowed_only_along_a_transition(state, action):
    problems = action_violations(instrument=snapshot(state), action=action, on=SERVED, text="理由",
                                 objection_deadline=dt.date(2026, 3, 17))
    assert ("instrument.state" in [v.code for v in problems]) == ((state, action) not in TRANSITIONS)
    for violation in problems:
        assert violation.message and violation.legal_basis


def test_an_objection_late_and_without_reasons_is_refused_for_both_at_once():
    problems = action_violations(instrument=snapshot("issued"), action="object", on=dt.date(2026, 3, 18), text="",
                                 objection_deadline=dt.date(2026, 3, 17))
    assert [v.code for v in problems] == ["instrument.objection_late", "instrument.objection_reasons"]
    assert "第三十条" in problems[1].legal_basis
    assert action_violations(instrument=snapshot("issued"), action="object", on=dt.date(2026, 3, 17), text="理由",
                             objection_deadline=dt.date(2026, 3, 17)) == []


def test_a_notice_is_not_approved_by_its_drafter():
    problems = notice_approval_violations(drafted_by_id=1, approver_id=1, approver_may_approve=True)
    assert [v.code for v in problems] == ["notice.same_person"] and problems[0].basis_kind == "platform"
    assert notice_approval_violations(drafted_by_id=1, approver_id=2, approver_may_approve=True) == []

"""Deadlines of a penalty case: computed from the facts, each with its state and its rule."""

from dataclasses import replace

import pytest

from sanxiang.procedure.penalty import (
    EvidencePreservation,
    Hearing,
    OnSpot,
    Payment,
    deadline_open,
    penalty_deadlines,
)
from tests.procedure.test_penalty_support import (
    CALENDAR,
    D,
    WeekdayCalendar,
    decided,
    fine,
    lead,
    notified,
    served,
    step,
)


def by_code(case, today, **kwargs):
    return {d.code: d for d in penalty_deadlines(case, calendar=kwargs.pop("calendar", CALENDAR), today=today, **kwargs)}


@pytest.mark.parametrize(
    ("today", "state"),
    [(D(2026, 3, 26), "running"), (D(2026, 3, 31), "due_soon"), (D(2026, 4, 3), "due_soon"), (D(2026, 4, 6), "overdue")],
)
def test_service_deadline_states_seven_working_days_after_the_decision_art61(today, state):
    """Decided Wed 03-25 → serve by Fri 04-03 (第六十一条, 7 working days)."""
    deadline = by_code(decided(), today)["penalty.deadline.service"]
    assert (deadline.due, deadline.state, deadline.completed_on) == (D(2026, 4, 3), state, None)
    assert deadline.basis.startswith("《中华人民共和国行政处罚法》第六十一条第一款")
    assert deadline_open(deadline)


def test_a_met_deadline_records_when_and_whether_it_was_late():
    on_time = by_code(served(), D(2026, 4, 20))["penalty.deadline.service"]
    assert (on_time.state, on_time.completed_on, on_time.late) == ("met", D(2026, 3, 25), False)
    assert not deadline_open(on_time)
    late = by_code(served(on=D(2026, 4, 6)), D(2026, 4, 20))["penalty.deadline.service"]
    assert (late.state, late.late) == ("met", True)


def test_payment_is_due_fifteen_days_after_service_moved_past_a_weekend_art67():
    """Served Fri 03-20 + 15 days = Sun 04-05 → Mon 04-06 (the stub rolls weekends)."""
    case = served(decided(notified(statement_waived=True), on=D(2026, 3, 18)), on=D(2026, 3, 20))
    deadline = by_code(case, D(2026, 4, 7))["penalty.deadline.payment.0"]
    assert (deadline.due, deadline.state) == (D(2026, 4, 6), "overdue")
    paid = replace(case, payments=(Payment(D(2026, 4, 3), 300000),))
    assert by_code(paid, D(2026, 4, 7))["penalty.deadline.payment.0"].state == "met"


def test_the_decision_deadline_follows_opening_and_an_approved_extension_art60():
    case = notified()
    assert by_code(case, D(2026, 3, 20))["penalty.deadline.decision"].due == D(2026, 6, 4)
    extended = replace(case, decision_due_extended_to=D(2026, 7, 3))
    deadline = by_code(extended, D(2026, 6, 10))["penalty.deadline.decision"]
    assert (deadline.due, deadline.state) == (D(2026, 7, 3), "running")
    assert "经批准延长" in deadline.basis
    assert by_code(case, D(2026, 6, 5))["penalty.deadline.decision"].state == "overdue"


def test_party_windows_run_then_are_met_and_a_waiver_meets_them_at_once():
    case = notified(fine(10000))
    deadlines = by_code(case, D(2026, 3, 18))
    assert deadlines["penalty.deadline.statement_window"].state == "running"
    assert deadlines["penalty.deadline.hearing_request"].due == D(2026, 3, 24)
    assert by_code(case, D(2026, 3, 23))["penalty.deadline.statement_window"].state == "due_soon"
    assert by_code(case, D(2026, 3, 25))["penalty.deadline.statement_window"].state == "met"
    waived = replace(case, statement_waived=True, hearing_waived=True)
    assert by_code(waived, D(2026, 3, 18))["penalty.deadline.statement_window"].state == "met"
    assert by_code(waived, D(2026, 3, 18))["penalty.deadline.hearing_request"].state == "met"
    # A penalty below the hearing thresholds has no hearing window.
    assert "penalty.deadline.hearing_request" not in by_code(notified(), D(2026, 3, 18))


def test_the_hearing_notice_deadline_counts_seven_working_days_back_from_the_hearing_art64():
    case = replace(notified(fine(10000)), hearing=Hearing(requested_on=D(2026, 3, 19), scheduled_for=D(2026, 3, 31)))
    deadline = by_code(case, D(2026, 3, 19))["penalty.deadline.hearing_notice"]
    # Served on Sunday 03-22 the notice still leaves Mon 03-23 … Tue 03-31 = 7 working days.
    assert (deadline.due, deadline.state) == (D(2026, 3, 22), "due_soon")
    late = replace(case, hearing=replace(case.hearing, notice_served_on=D(2026, 3, 23)))
    assert by_code(late, D(2026, 3, 24))["penalty.deadline.hearing_notice"].late


def test_preservation_decision_is_due_seven_working_days_later_art56():
    case = replace(lead(), preservations=(EvidencePreservation(D(2026, 3, 10), True),))
    deadline = by_code(case, D(2026, 3, 20))["penalty.deadline.preservation.0"]
    assert (deadline.due, deadline.state) == (D(2026, 3, 19), "overdue")


def test_the_limitation_deadline_of_a_lead_art36():
    case = lead(act_date=D(2024, 3, 10), discovered_on=None)
    deadline = by_code(case, D(2026, 3, 8))["penalty.deadline.limitation"]
    assert (deadline.due, deadline.state) == (D(2026, 3, 10), "due_soon")
    assert by_code(step(lead(), "open", D(2026, 3, 6)), D(2026, 3, 8))["penalty.deadline.limitation"].state == "met"


def test_court_application_window_opens_for_an_unpaid_fine_enforcement_law_art53():
    deadlines = by_code(served(), D(2026, 5, 1))
    deadline = deadlines["penalty.deadline.court_application"]
    # Served 03-25: litigation period (6 months) ends 09-25; then 3 months to apply.
    assert (deadline.due, deadline.state) == (D(2026, 12, 25), "running")
    assert "第五十三条" in deadline.basis
    assert "penalty.deadline.court_application" not in by_code(served(), D(2026, 4, 9))


def test_cash_collected_on_the_spot_reaches_the_agency_within_two_working_days_art71():
    case = lead(
        state="handed_over",
        on_spot=OnSpot(
            officer_ids=(1, 2),
            certificate_shown=True,
            party_informed=True,
            statement_heard_or_waived=True,
            handed_over_on=D(2026, 5, 15),
            collected_fen=5000,
            collected_on=D(2026, 5, 15),
        ),
    )
    deadline = by_code(case, D(2026, 5, 20))["penalty.deadline.cash_handover"]
    assert (deadline.due, deadline.state) == (D(2026, 5, 19), "overdue")
    assert "penalty.deadline.limitation" not in by_code(case, D(2026, 5, 20))


def test_deadlines_are_sorted_and_flag_estimates_from_the_calendar():
    deadlines = penalty_deadlines(decided(), calendar=WeekdayCalendar(unknown_from=2026), today=D(2026, 3, 26))
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)
    service = next(d for d in deadlines if d.code == "penalty.deadline.service")
    assert service.estimated
    assert not next(d for d in deadlines if d.code == "penalty.deadline.limitation").estimated
    assert all(d.state in ("running", "due_soon", "overdue", "met") for d in deadlines)


def test_the_real_calendar_moves_the_service_deadline_past_national_day():
    """With the official 2026 schedule (if the calendar module is present): decided Tue 09-29 →
    7 working days skip 10-01…10-07 and count the adjusted Saturday 10-10."""
    calendar_module = pytest.importorskip("sanxiang.procedure.calendar")
    case = replace(decided(), decided_on=D(2026, 9, 29), opened_on=D(2026, 9, 1))
    real = calendar_module.working_day_calendar_default()
    deadline = by_code(case, D(2026, 9, 30), calendar=real)["penalty.deadline.service"]
    assert deadline.due == real.working_days_after(D(2026, 9, 29), 7).date
    assert deadline.due > CALENDAR.working_days_after(D(2026, 9, 29), 7).date
    assert "第八十五条" in deadline.basis

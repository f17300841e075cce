"""The hours rule of training compliance (培训达标率), as properties: an officer meets the rule
exactly when the hours attended in the year reach the required hours (an unverified parameter); more
training never makes an officer fall short; the numerator is a subset of the denominator. Also the
limits of a session's hours (platform rules)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.evaluation.training import (
    HOURS_MAX,
    compliance_compute,
    hours_parse,
    hours_problem,
    officer_meets_hours,
)

HALF_HOURS = st.integers(min_value=1, max_value=80).map(lambda n: Decimal(n) / 2)
OFFICERS = st.lists(st.integers(min_value=1, max_value=30), min_size=0, max_size=12, unique=True)


@st.composite
def county(draw):
    officers = draw(OFFICERS)
    pool = [*officers, 999]  # an officer outside the agencies asked about
    attendances = draw(st.lists(st.tuples(st.sampled_from(pool), HALF_HOURS), max_size=40))
    required = draw(st.integers(min_value=0, max_value=80).map(Decimal))
    return officers, attendances, required


@given(county())
def test_an_officer_meets_the_rule_exactly_when_the_years_hours_reach_the_required(data):
    officers, attendances, required = data
    result = compliance_compute(officer_ids=officers, attendances=attendances, required=required)
    for officer in officers:
        total = sum((h for o, h in attendances if o == officer), Decimal(0))
        assert result.hours[officer] == total
        assert (officer in result.met) == (total >= required)
    assert set(result.met) <= set(result.officers) == set(officers)
    assert 999 not in result.hours  # attendances of officers not asked about are not counted
    if officers:
        assert result.rate == Decimal(len(result.met)) / len(officers)
    else:
        assert result.rate is None


@given(county(), st.integers(min_value=1, max_value=30), HALF_HOURS)
def test_more_training_never_makes_an_officer_fall_short(data, officer, hours):
    officers, attendances, required = data
    before = compliance_compute(officer_ids=officers, attendances=attendances, required=required)
    after = compliance_compute(officer_ids=officers, attendances=[*attendances, (officer, hours)], required=required)
    assert set(before.met) <= set(after.met)


@given(HALF_HOURS, HALF_HOURS)
def test_meeting_is_reaching_the_required_hours(hours, required):
    assert officer_meets_hours(hours=hours, required=required) == (hours >= required)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10, max_value=300))
def test_a_sessions_hours_are_positive_half_hours_up_to_the_limit(hours):
    problem = hours_problem(hours)
    assert (problem is None) == (Decimal(0) < hours <= HOURS_MAX and hours % Decimal("0.5") == 0)


def test_hours_as_typed():
    assert hours_parse("1.5") == Decimal("1.5") and hours_parse(3) == Decimal(3)
    assert hours_parse("两小时") is None and hours_parse("NaN") is None and hours_parse(True) is None
    assert hours_problem(None) == "学时应为数字，例如 2 或 1.5"
    assert hours_problem(Decimal("0.3")) == "学时以0.5为单位，例如 1.5"
    assert hours_problem(Decimal(5), at_most=Decimal(4)) == "学时不能超过4"
    assert hours_problem(hours_parse("1e999999")) == "学时不能超过200"  # not an arithmetic error
    assert hours_problem(hours_parse("1e-99999")) == "学时以0.5为单位，例如 1.5"

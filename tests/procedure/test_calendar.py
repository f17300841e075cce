import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.calendar import (
    PACKAGE_HOLIDAY_NAMES,
    WEEKEND_RULE_PARAMETER,
    DayAnswer,
    HolidaySchedule,
    WorkingDayCalendar,
    package_schedules,
    workdays_command_output,
    working_day_calendar_build,
    working_day_calendar_default,
)
from sanxiang.procedure.parameters import parameters_default

D = dt.date
CALENDAR = working_day_calendar_default()


def days(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}


# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, 新华社): the official text, typed in here
# so that a wrong package release or a misreading of its tables fails this test.
OFFICIAL_2026_HOLIDAYS = (
    days(D(2026, 1, 1), D(2026, 1, 3))
    | days(D(2026, 2, 15), D(2026, 2, 23))
    | days(D(2026, 4, 4), D(2026, 4, 6))
    | days(D(2026, 5, 1), D(2026, 5, 5))
    | days(D(2026, 6, 19), D(2026, 6, 21))
    | days(D(2026, 9, 25), D(2026, 9, 27))
    | days(D(2026, 10, 1), D(2026, 10, 7))
)
OFFICIAL_2026_ADJUSTED_WORKING_DAYS = {
    D(2026, 1, 4),
    D(2026, 2, 14),
    D(2026, 2, 28),
    D(2026, 5, 9),
    D(2026, 9, 20),
    D(2026, 10, 10),
}

# Fictional administrator entry for 2027 (the official 2027 schedule is not published yet): only
# New Year's Day, 2027-01-01 (Fri) to 01-03.
EXTRA_2027 = HolidaySchedule(
    year=2027,
    holidays=days(D(2027, 1, 1), D(2027, 1, 3)),
    adjusted_working_days=frozenset(),
    holiday_names=dict.fromkeys(days(D(2027, 1, 1), D(2027, 1, 3)), "元旦"),
    source="administrator",
)


def test_package_2026_data_matches_the_official_notice():
    schedule = CALENDAR.schedule_for(2026)
    assert schedule is not None
    assert schedule.holidays == OFFICIAL_2026_HOLIDAYS
    assert schedule.adjusted_working_days == OFFICIAL_2026_ADJUSTED_WORKING_DAYS
    assert 2027 not in CALENDAR.known_years


def test_mid_autumn_2026_is_three_days_from_friday_25_september():
    for day in days(D(2026, 9, 25), D(2026, 9, 27)):
        assert CALENDAR.is_working_day(day) == DayAnswer(
            working=False, estimated=False, holiday_name="中秋节"
        )
    assert CALENDAR.working_days_after(D(2026, 9, 24), 1).date == D(2026, 9, 28)
    assert CALENDAR.working_days_after(D(2026, 9, 24), 2).date == D(2026, 9, 29)


def test_national_day_2026_with_its_adjusted_weekend_working_days():
    for day in days(D(2026, 10, 1), D(2026, 10, 7)):
        answer = CALENDAR.is_working_day(day)
        assert (answer.working, answer.holiday_name) == (False, "国庆节"), day
    # 调休上班: Sunday 20 September and Saturday 10 October are working days.
    assert CALENDAR.is_working_day(D(2026, 10, 10)) == DayAnswer(True, False, None, adjusted=True)
    assert CALENDAR.is_working_day(D(2026, 9, 20)).working
    assert not CALENDAR.is_working_day(D(2026, 10, 11)).working  # an ordinary Sunday
    assert CALENDAR.working_days_after(D(2026, 9, 18), 1).date == D(2026, 9, 20)
    assert CALENDAR.working_days_after(D(2026, 9, 30), 1).date == D(2026, 10, 8)
    assert CALENDAR.working_days_after(D(2026, 10, 9), 1).date == D(2026, 10, 10)
    assert CALENDAR.working_days_after(D(2026, 9, 30), 3).date == D(2026, 10, 10)


def test_start_day_that_is_a_holiday_is_not_counted_and_does_not_shift_the_count():
    # legal_rules.md §7: chinese_calendar.find_workday gives 10-16 here, one day too late.
    result = CALENDAR.working_days_after(D(2026, 10, 3), 7)
    assert result.date == D(2026, 10, 15)
    assert not result.estimated
    assert "第八十五条" in result.basis
    assert CALENDAR.working_days_after(D(2026, 9, 25), 2).date == D(2026, 9, 29)


def test_result_in_2027_is_computed_on_weekends_and_flagged_as_estimate():
    # 12-29, 12-30, 12-31, 2027-01-01 (unknown year: Friday counted as working), 01-04.
    result = CALENDAR.working_days_after(D(2026, 12, 28), 5)
    assert result.date == D(2027, 1, 4)
    assert result.estimated
    assert result.estimated_years == (2027,)
    assert "2027年节假日安排尚未录入" in result.basis
    within_2026 = CALENDAR.working_days_after(D(2026, 12, 28), 3)
    assert (within_2026.date, within_2026.estimated) == (D(2026, 12, 31), False)
    assert CALENDAR.is_working_day(D(2027, 1, 1)) == DayAnswer(working=True, estimated=True)
    assert CALENDAR.is_working_day(D(2027, 1, 2)) == DayAnswer(working=False, estimated=True)


def test_extra_year_passed_as_data_removes_the_estimate_and_honours_its_holidays():
    calendar = working_day_calendar_build([EXTRA_2027])
    result = calendar.working_days_after(D(2026, 12, 28), 5)
    assert (result.date, result.estimated, result.estimated_years) == (D(2027, 1, 5), False, ())
    assert calendar.is_working_day(D(2027, 1, 1)) == DayAnswer(
        working=False, estimated=False, holiday_name="元旦"
    )
    assert calendar.schedule_for(2026) == CALENDAR.schedule_for(2026)


def test_extra_year_overrides_the_package_for_that_year():
    official = CALENDAR.schedule_for(2026)
    without_mid_autumn = HolidaySchedule(
        year=2026,
        holidays=official.holidays - days(D(2026, 9, 25), D(2026, 9, 27)),
        adjusted_working_days=official.adjusted_working_days,
        source="administrator",
    )
    calendar = working_day_calendar_build([without_mid_autumn])
    assert calendar.is_working_day(D(2026, 9, 25)) == DayAnswer(working=True, estimated=False)
    # Without names the holiday is still a holiday, under a generic name.
    assert calendar.is_working_day(D(2026, 10, 1)).holiday_name == "法定节假日"


def test_only_days_after_the_start_decide_the_estimate():
    fictional_2028 = HolidaySchedule(2028, {D(2028, 1, 1)}, frozenset(), source="administrator")
    calendar = working_day_calendar_build([fictional_2028])
    result = calendar.working_days_after(D(2027, 12, 31), 1)  # 2027 unknown, but never examined
    assert (result.date, result.estimated) == (D(2028, 1, 3), False)
    assert calendar.working_days_after(D(2027, 12, 30), 1).estimated


def test_zero_length_ends_on_the_start_day_and_negative_length_is_refused():
    holiday = D(2026, 10, 3)
    assert CALENDAR.working_days_after(holiday, 0).date == holiday
    assert CALENDAR.calendar_days_after(holiday, 0).date == holiday
    assert CALENDAR.months_after(holiday, 0).date == holiday
    assert not CALENDAR.working_days_after(D(2030, 6, 1), 0).estimated
    for count in (CALENDAR.working_days_after, CALENDAR.calendar_days_after, CALENDAR.months_after):
        with pytest.raises(ValueError, match="不能为负数"):
            count(holiday, -1)


def test_a_datetime_is_refused_because_it_would_miss_every_holiday():
    with pytest.raises(TypeError, match=r"datetime\.date"):
        CALENDAR.is_working_day(dt.datetime(2026, 10, 1, 9, 0))
    with pytest.raises(TypeError):
        CALENDAR.working_days_after(dt.datetime(2026, 10, 1), 1)


def test_month_period_ends_on_the_corresponding_day_or_the_month_end():
    # 民法典第202条. 2026-02-28 is a Saturday but a 调休 working day, so it stays.
    result = CALENDAR.months_after(D(2026, 1, 31), 1)
    assert (result.date, result.estimated) == (D(2026, 2, 28), False)
    assert "第二百零二条" in result.basis or "第二百零三条" in result.basis
    assert CALENDAR.months_after(D(2024, 1, 31), 1).date == D(2024, 2, 29)
    assert CALENDAR.months_after(D(2026, 3, 16), 2).date == D(2026, 5, 18)  # 05-16 is a Saturday
    assert CALENDAR.years_after(D(2024, 2, 29), 1).date == D(2025, 2, 28)
    # 2027-01-30 is a Saturday in a year without a schedule: moved to Monday, as an estimate.
    late = CALENDAR.months_after(D(2025, 11, 30), 14)
    assert (late.date, late.estimated) == (D(2027, 2, 1), True)


def test_period_ending_on_a_holiday_moves_to_the_next_working_day():
    # 民法典第203条: 15 days to pay from 2026-09-16 end on 10-01 (国庆节) → 10-08.
    result = CALENDAR.calendar_days_after(D(2026, 9, 16), 15)
    assert result.date == D(2026, 10, 8)
    assert "2026-10-01为休息日，顺延至2026-10-08" in result.basis
    # Six months to sue from 2026-04-01 also end on 10-01.
    assert CALENDAR.months_after(D(2026, 4, 1), 6).date == D(2026, 10, 8)
    # Ending on the adjusted Saturday working day 10-10: no roll.
    assert CALENDAR.calendar_days_after(D(2026, 9, 30), 10).date == D(2026, 10, 10)


def test_weekend_roll_forward_is_an_unverified_parameter_defaulting_to_true():
    parameter = parameters_default()[WEEKEND_RULE_PARAMETER]
    assert parameter.unverified
    assert parameters_default().value(WEEKEND_RULE_PARAMETER, on=D(2026, 10, 2)) is True
    start = D(2026, 10, 2)  # + 15 days = Saturday 10-17, an ordinary weekend
    assert CALENDAR.calendar_days_after(start, 15).date == D(2026, 10, 19)
    assert CALENDAR.calendar_days_after(start, 15, weekends_are_rest_days=True).date == D(2026, 10, 19)
    assert CALENDAR.calendar_days_after(start, 15, weekends_are_rest_days=False).date == D(2026, 10, 17)
    # Without weekends only the statutory holidays move the end: 端午 06-19..21 → Monday 06-22 either way,
    # 10-01 → 10-08 either way.
    assert CALENDAR.calendar_days_after(D(2026, 6, 4), 15, weekends_are_rest_days=False).date == D(
        2026, 6, 22
    )
    assert CALENDAR.calendar_days_after(D(2026, 9, 16), 15, weekends_are_rest_days=False).date == D(
        2026, 10, 8
    )


def test_calendar_period_ending_in_an_unknown_year_is_an_estimate():
    result = CALENDAR.calendar_days_after(D(2026, 12, 20), 15)  # Monday 2027-01-04
    assert (result.date, result.estimated, result.estimated_years) == (D(2027, 1, 4), True, (2027,))
    rolled = CALENDAR.calendar_days_after(D(2026, 12, 18), 15)  # Saturday 2027-01-02 → Monday
    assert (rolled.date, rolled.estimated) == (D(2027, 1, 4), True)


def test_working_days_between_counts_elapsed_working_days():
    assert CALENDAR.working_days_between(D(2026, 9, 30), D(2026, 10, 8)).days == 1
    assert CALENDAR.working_days_between(D(2026, 10, 8), D(2026, 9, 30)).days == -1
    assert CALENDAR.working_days_between(D(2026, 10, 3), D(2026, 10, 3)).days == 0
    assert CALENDAR.working_days_between(D(2026, 10, 3), D(2026, 10, 15)).days == 7
    across = CALENDAR.working_days_between(D(2026, 12, 28), D(2027, 1, 4))
    assert (across.days, across.estimated, across.estimated_years) == (5, True, (2027,))


def test_an_entered_schedule_lists_every_inconsistency():
    with pytest.raises(ValueError) as refused:
        HolidaySchedule(
            year=2027,
            holidays={D(2026, 12, 31), D(2027, 10, 2)},
            adjusted_working_days={D(2027, 10, 2), D(2027, 10, 11)},  # 10-11 is a Monday
        )
    message = str(refused.value)
    assert "2026-12-31 不在 2027 年内" in message
    assert "2027-10-02 不能既是节假日又是调休上班日" in message
    assert "2027-10-11 不是周六或周日" in message
    with pytest.raises(ValueError, match="重复"):
        WorkingDayCalendar([EXTRA_2027, EXTRA_2027])


def test_every_package_holiday_gets_its_chinese_name():
    names = {name for schedule in package_schedules() for name in schedule.holiday_names.values()}
    assert names <= set(PACKAGE_HOLIDAY_NAMES.values())
    assert CALENDAR.is_working_day(D(2015, 9, 3)).holiday_name.startswith("中国人民抗日战争")


def test_workdays_command_output():
    assert workdays_command_output("2026-10-03", 7, CALENDAR) == "2026-10-15"
    assert workdays_command_output("2026-12-28", 5, CALENDAR) == "2027-01-04 (estimated)"
    assert workdays_command_output("2026-12-28", 5, working_day_calendar_build([EXTRA_2027])) == "2027-01-05"
    for bad in ("2026-13-01", "2026-02-30", "20261003", "yesterday", ""):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            workdays_command_output(bad, 7, CALENDAR)
    with pytest.raises(ValueError, match="不能为负数"):
        workdays_command_output("2026-10-03", -1, CALENDAR)


# Properties. Starts span known years and the unknown 2027 so that estimates are exercised too.
starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))


@settings(max_examples=60, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=30))
def test_working_days_after_is_increasing_lands_on_working_days_and_inverts_between(start, n):
    results = [CALENDAR.working_days_after(start, i) for i in range(n + 1)]
    assert results[0].date == start
    for i, result in enumerate(results[1:], start=1):
        assert result.date > results[i - 1].date
        assert CALENDAR.is_working_day(result.date).working
        assert CALENDAR.working_days_between(start, result.date).days == i
        # Every year after 2026 is unknown; the days examined are (start, result].
        assert result.estimated == (result.date.year > 2026)


@settings(max_examples=80, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=400), months=st.integers(min_value=1, max_value=30))
def test_calendar_periods_never_end_on_a_rest_day_when_weekends_roll_forward(start, n, months):
    for result, nominal in (
        (CALENDAR.calendar_days_after(start, n), start + dt.timedelta(days=n)),
        (CALENDAR.months_after(start, months), None),
    ):
        assert CALENDAR.is_working_day(result.date).working
        if nominal is not None:
            # The first working day on or after the nominal end, never later.
            assert result.date >= nominal
            skipped = days(nominal, result.date) - {result.date}
            assert not any(CALENDAR.is_working_day(day).working for day in skipped)


@settings(max_examples=60, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=400))
def test_without_weekend_roll_forward_only_statutory_holidays_move_the_end(start, n):
    result = CALENDAR.calendar_days_after(start, n, weekends_are_rest_days=False)
    assert CALENDAR.is_working_day(result.date).holiday_name is None
    assert result.date >= start + dt.timedelta(days=n)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31)))
def test_agrees_with_the_package_on_every_year_it_covers(day):
    assert CALENDAR.is_working_day(day).working == chinese_calendar.is_workday(day)

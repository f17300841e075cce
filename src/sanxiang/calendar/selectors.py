"""Reads of the calendar: the years entered here, and the official working-day calendar that
every period of every app counts with."""

import datetime as dt

from django.db.models import QuerySet

from sanxiang.calendar.models import HolidayYear
from sanxiang.procedure.calendar import HolidaySchedule, WorkingDayCalendar, working_day_calendar_build


def holiday_years_list() -> QuerySet[HolidayYear]:
    return HolidayYear.objects.select_related("entered_by")


def holiday_schedules_entered() -> list[HolidaySchedule]:
    return [
        HolidaySchedule(
            year=row.year,
            holidays=[dt.date.fromisoformat(d) for d in row.holidays],
            adjusted_working_days=[dt.date.fromisoformat(d) for d in row.adjusted_working_days],
            holiday_names={dt.date.fromisoformat(d): name for d, name in row.holiday_names.items()},
            source=row.source,
        )
        for row in HolidayYear.objects.all()
    ]


def working_day_calendar_current() -> WorkingDayCalendar:
    """The official calendar: the package's years overlaid with the years entered here."""
    return working_day_calendar_build(holiday_schedules_entered())

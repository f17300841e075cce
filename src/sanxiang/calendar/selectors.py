"""Reads of the calendar: the years entered here, and the official working-day calendar that
every period of every app counts with."""

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import QuerySet

from sanxiang.calendar.models import HolidayYear
from sanxiang.procedure.calendar import HolidaySchedule, WorkingDayCalendar, working_day_calendar_build


def holiday_years_list() -> QuerySet[HolidayYear]:
    return HolidayYear.objects.select_related("entered_by")


def _schedule(row: HolidayYear) -> HolidaySchedule:
    return HolidaySchedule(
        year=row.year,
        holidays=[dt.date.fromisoformat(d) for d in row.holidays],
        adjusted_working_days=[dt.date.fromisoformat(d) for d in row.adjusted_working_days],
        holiday_names={dt.date.fromisoformat(d): name for d, name in row.holiday_names.items()},
        source=row.source,
    )


@dataclass(frozen=True)
class CountedYear:
    """One year as deadlines count it: its schedule (None when no schedule is known, and the year is
    counted on weekends only, as an estimate) and whether it was entered here."""

    year: int
    holidays: list[dt.date]
    adjusted_working_days: list[dt.date]
    known: bool
    entered: bool


def holiday_years_counted(*, years: list[int]) -> list[CountedYear]:
    """The holidays and adjusted working days every period of `years` counts with (the calendar
    package's years overlaid with those entered here), for anyone who wants to check a deadline."""
    calendar = working_day_calendar_current()
    entered = set(HolidayYear.objects.filter(year__in=years).values_list("year", flat=True))
    counted = []
    for year in years:
        schedule = calendar.schedule_for(year)
        counted.append(CountedYear(
            year=year,
            holidays=sorted(schedule.holidays) if schedule else [],
            adjusted_working_days=sorted(schedule.adjusted_working_days) if schedule else [],
            known=schedule is not None,
            entered=year in entered,
        ))
    return counted


def holiday_schedules_entered() -> list[HolidaySchedule]:
    return [_schedule(row) for row in HolidayYear.objects.all()]


# The calendars built in this process, by the version of the entered years they were built from:
# every (year, id, entered_at) of the table, which a save changes (entered_at is auto_now) and a
# delete or an insert changes too. A few versions are kept: a transaction that saved a year and
# rolled back reads the previous version again.
_CALENDARS: "OrderedDict[tuple, WorkingDayCalendar]" = OrderedDict()
_CALENDARS_KEPT = 4
_CALENDARS_LOCK = threading.Lock()


def _version() -> tuple:
    return tuple(HolidayYear.objects.order_by("year").values_list("year", "pk", "entered_at"))


def working_day_calendar_current() -> WorkingDayCalendar:
    """The official calendar: the package's years overlaid with the years entered here.

    Built once per version of the entered years and kept in this process (building it was 2–3 ms
    of every transition). The version is read each time, in the caller's transaction (one query of
    a few rows), so a year saved by another server, or earlier in this transaction, is seen at once;
    the save's `HolidayYearSaved` also empties this process's cache (`calendar_cache_clear`)."""
    version = _version()
    with _CALENDARS_LOCK:
        found = _CALENDARS.get(version)
        if found is not None:
            _CALENDARS.move_to_end(version)
            return found
    rows = HolidayYear.objects.filter(pk__in=[pk for _year, pk, _at in version])
    built = working_day_calendar_build([_schedule(row) for row in rows])
    # A row changed between the two reads (another transaction committed): built, not kept.
    if _version() == version:
        with _CALENDARS_LOCK:
            _CALENDARS[version] = built
            while len(_CALENDARS) > _CALENDARS_KEPT:
                _CALENDARS.popitem(last=False)
    return built


def calendar_cache_clear(event: object = None) -> None:
    """Forget the calendars built in this process (a holiday year was saved)."""
    with _CALENDARS_LOCK:
        _CALENDARS.clear()

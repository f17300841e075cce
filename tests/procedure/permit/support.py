"""A small world for the permit tests: a calendar with one holiday block and a snapshot factory."""

import datetime as dt

from sanxiang.procedure.calendar import HolidaySchedule, WorkingDayCalendar
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.permit.rules import PermitSnapshot

D = dt.date
ONE_DAY = dt.timedelta(days=1)

# A test schedule for 2026: the National Day block 10-01…10-07 off, Saturday 10-10 worked (调休).
NATIONAL_DAY = frozenset(D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7))
CALENDAR = WorkingDayCalendar([HolidaySchedule(2026, NATIONAL_DAY, frozenset({D(2026, 10, 10)}))])

RECEIVED = frozenset({"application_form"})


def context(today: dt.date, **kwargs) -> GuardContext:
    return GuardContext(today=today, calendar=kwargs.pop("calendar", CALENDAR), **kwargs)


def received(**overrides) -> PermitSnapshot:
    values = dict(state="received", records=RECEIVED, received_on=D(2026, 9, 24), region="150626",
                  matter_code="XK-001", handler_ids=(1,), materials_complete=True)
    return PermitSnapshot(**(values | overrides))


def accepted(**overrides) -> PermitSnapshot:
    values = dict(state="accepted", records=RECEIVED | {"acceptance_notice"}, accepted_on=D(2026, 9, 24))
    return received(**(values | overrides))

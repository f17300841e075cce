"""A small world for the permit tests: a calendar with one holiday block and a snapshot factory."""

import datetime as dt

from sanxiang.procedure.calendar import HolidaySchedule, WorkingDayCalendar
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.permit.rules import PermitSnapshot
from sanxiang.procedure.registry_rules import OfficerSnapshot

D = dt.date
ONE_DAY = dt.timedelta(days=1)

# A test schedule for 2026: the National Day block 10-01…10-07 off, Saturday 10-10 worked (调休).
NATIONAL_DAY = frozenset(D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7))
CALENDAR = WorkingDayCalendar([HolidaySchedule(2026, NATIONAL_DAY, frozenset({D(2026, 10, 10)}))])

HANDLER = OfficerSnapshot(id=1, name="张三", status="active", staffing_type="civil_servant")


def catalogue(*matters: str) -> ReviewCatalogue:
    """An agency's review catalogue listing these matters."""
    return ReviewCatalogue(kinds=frozenset(), fine_natural_person_fen=0, fine_organization_fen=0, matters=frozenset(matters))


RECEIVED = frozenset({"application_form"})


def context(today: dt.date, **kwargs) -> GuardContext:
    return GuardContext(today=today, calendar=kwargs.pop("calendar", CALENDAR), **kwargs)


def received(**overrides) -> PermitSnapshot:
    values = dict(state="received", records=RECEIVED, received_on=D(2026, 9, 24), region="150626",
                  matter="XK-001", officers=(HANDLER,), materials_complete=True)
    return PermitSnapshot(**(values | overrides))


def accepted(**overrides) -> PermitSnapshot:
    values = dict(state="accepted", records=RECEIVED | {"acceptance_notice"}, accepted_on=D(2026, 9, 24))
    return received(**(values | overrides))

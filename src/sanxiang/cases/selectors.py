import datetime as dt

from django.http import Http404

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import user_can_read_agency
from sanxiang.cases.models import Case, HolidayYear
from sanxiang.procedure.calendar import HolidaySchedule, WorkingDayCalendar, working_day_calendar_build


def case_get(*, viewer: User, case_id: int) -> Case:
    try:
        case = Case.objects.select_related("agency", "matter").get(pk=case_id)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_agency(viewer, case.agency_id):
        raise Http404
    return case


def case_get_by_number(*, number: str) -> Case | None:
    return Case.objects.select_related("agency").filter(number=number).first()


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

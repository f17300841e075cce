"""Writes of the calendar: entering or correcting a year's official holiday schedule, with its
ledger entry in the same transaction.

The calendar sits below the registry and accounts, so it does not import their permission rules:
it asks Django's permission API (`user.has_perm`), and accounts answers it from the user's role
(`sanxiang.accounts.backends.RolePermissionBackend`)."""

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanxiang.calendar.events import CALENDAR_EVENTS, HolidayYearSaved
from sanxiang.calendar.models import HolidayYear
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.calendar import HolidaySchedule
from sanxiang.procedure.violations import Refused, Violation

DATA = "数据校验"
# The Django permission of the people who maintain the calendar (supervisors and system
# administrators, 系统权限规则 in `sanxiang.accounts.permissions.user_can_maintain_calendar`).
MAINTAIN_PERMISSION = "calendar.change_holidayyear"


def calendar_maintainer_require(user: AbstractUser) -> None:
    if not user.has_perm(MAINTAIN_PERMISSION):
        raise PermissionDenied("只有司法局监督人员或系统管理员可以维护节假日安排")


def _dates(values: list[str], *, label: str, field: str, violations: list[Violation]) -> list[dt.date]:
    parsed = []
    for value in values:
        try:
            parsed.append(dt.date.fromisoformat(value.strip()))
        except ValueError:
            violations.append(Violation("holiday_year.date", f"{label}中的“{value}”不是有效日期（应为年-月-日，如2027-01-01）", DATA, field))
    return parsed


@transaction.atomic
def holiday_year_save(
    *, actor: AbstractUser | None, year: int, holidays: list[str], adjusted_working_days: list[str], source: str,
    holiday_names: dict[str, str] | None = None,
) -> HolidayYear:
    """Enter or correct a year's official schedule. It overrides the calendar package's data for
    that year, and deadlines stop being estimates. `actor` None is the system (the demo, a
    script); a user must hold the calendar's permission."""
    if actor is not None:
        calendar_maintainer_require(actor)
    violations: list[Violation] = []
    holiday_dates = _dates(holidays, label="法定节假日", field="holidays", violations=violations)
    working_dates = _dates(adjusted_working_days, label="调休上班日", field="adjusted_working_days", violations=violations)
    if not source.strip():
        violations.append(Violation("holiday_year.source", "请填写依据（国务院办公厅通知的名称）", DATA, "source"))
    if not violations:
        try:
            HolidaySchedule(year=year, holidays=holiday_dates, adjusted_working_days=working_dates)
        except ValueError as problem:
            violations.append(Violation("holiday_year.inconsistent", str(problem), "国务院办公厅节假日安排通知", None))
    if violations:
        raise Refused(violations)
    record, _ = HolidayYear.objects.update_or_create(
        year=year,
        defaults={
            "holidays": sorted(d.isoformat() for d in holiday_dates),
            "adjusted_working_days": sorted(d.isoformat() for d in working_dates),
            "holiday_names": holiday_names or {},
            "source": source.strip(),
            "entered_by": actor,
        },
    )
    # What apps above keep from the calendar (the cases' stored deadlines) is refreshed with it,
    # before the ledger entry: the ledger head is locked from the append to the commit, and every
    # other append of the county would wait while thousands of cases are recomputed.
    CALENDAR_EVENTS.emit(HolidayYearSaved(year=year))
    entry_append(
        event=LedgerEvent(
            EventKind.HOLIDAY_YEAR_SAVED,
            {"year": year, "holidays": record.holidays, "adjusted_working_days": record.adjusted_working_days,
             "source": record.source},
            subject=f"holiday_year:{year}",
        ),
        actor=actor,
    )
    return record

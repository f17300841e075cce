import datetime as dt

from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require, user_can_manage_parties, user_reads_all_agencies
from sanxiang.cases import events
from sanxiang.cases.models import Case, HolidayYear
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.calendar import HolidaySchedule
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency, Matter


@transaction.atomic
def case_create(*, actor: User | None, agency: Agency, number: str, title: str, matter: Matter | None = None) -> Case:
    if actor is not None:
        permission_require(user_can_manage_parties(actor, agency.pk), "只有本单位人员可以登记案件")
    violations = []
    if not number.strip():
        violations.append(Violation("case.number_missing", "请填写案号", "数据校验", "number"))
    elif Case.objects.filter(number=number.strip()).exists():
        violations.append(Violation("case.number_taken", f"案号“{number}”已被使用", "数据校验", "number"))
    if not title.strip():
        violations.append(Violation("case.title_missing", "请填写案由", "数据校验", "title"))
    if matter is not None and matter.agency_id != agency.pk:
        violations.append(Violation("case.matter_agency", "执法事项不属于本执法主体", "《中华人民共和国行政处罚法》第十七条", "matter"))
    if violations:
        raise Refused(violations)
    case = Case.objects.create(agency=agency, number=number.strip(), title=title.strip(), matter=matter, created_by=actor)
    entry_append(event=events.case_opened_event(case=case), actor=actor)
    return case


def _dates(values: list[str], *, label: str, violations: list[Violation]) -> list[dt.date]:
    parsed = []
    for value in values:
        try:
            parsed.append(dt.date.fromisoformat(value.strip()))
        except ValueError:
            violations.append(Violation("holiday_year.date", f"{label}中的“{value}”不是有效日期（应为YYYY-MM-DD）", "数据校验", None))
    return parsed


@transaction.atomic
def holiday_year_save(
    *, actor: User | None, year: int, holidays: list[str], adjusted_working_days: list[str], source: str,
    holiday_names: dict[str, str] | None = None,
) -> HolidayYear:
    """Enter or correct a year's official schedule. It overrides the calendar package's data for
    that year, and deadlines stop being estimates."""
    if actor is not None:
        permission_require(user_reads_all_agencies(actor), "只有司法局监督人员或系统管理员可以维护节假日安排")
    violations: list[Violation] = []
    holiday_dates = _dates(holidays, label="法定节假日", violations=violations)
    working_dates = _dates(adjusted_working_days, label="调休上班日", violations=violations)
    if not source.strip():
        violations.append(Violation("holiday_year.source", "请填写依据（国务院办公厅通知的名称）", "数据校验", "source"))
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

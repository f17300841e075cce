"""`sanxiang workdays START N`: the N-th working day after START.

It works anywhere, with or without a data folder: the package's calendar always, the years an
administrator entered only when a database exists and is migrated (it never creates one). The date
goes to stdout; where the schedules came from, and which years the result estimates, to stderr."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from sanxiang.procedure.calendar import (
    HolidaySchedule,
    workdays_command_notes,
    workdays_command_result,
    working_day_calendar_build,
)
from sanxiang.procedure.citations import WORKING_DAYS


def entered_schedules() -> tuple[list[HolidaySchedule], str]:
    """The years entered in the database, or none with the reason the database was not read."""
    from sanxiang.calendar.models import HolidayYear
    from sanxiang.calendar.selectors import holiday_schedules_entered

    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        # Connecting would create an empty database file where there is none.
        name = Path(str(connection.settings_dict["NAME"]))
        if not name.is_file():
            return [], f"未找到数据库（{name}），只使用软件包内置的节假日安排（no database: package calendar only）"
    try:
        if HolidayYear._meta.db_table not in connection.introspection.table_names():
            return [], "数据库尚未初始化（未执行 migrate），只使用软件包内置的节假日安排（database not migrated）"
        return holiday_schedules_entered(), ""
    except DatabaseError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [], f"无法读取数据库（{first}），只使用软件包内置的节假日安排（database unavailable）"


class Command(BaseCommand):
    help = (
        f"打印起算日后第 N 个工作日（起算日不计入，{WORKING_DAYS}）；依据估算的年份时加 (estimated)"
        "（Print the date N working days after START）"
    )
    # No database is needed: the package's calendar answers without one.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日期 YYYY-MM-DD")
        parser.add_argument("n", type=int, help="工作日数")

    def handle(self, *args, **options):
        entered, database = entered_schedules()
        calendar = working_day_calendar_build(entered)
        try:
            result = workdays_command_result(options["start"], options["n"], calendar)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in workdays_command_notes(result, calendar, entered_years=[s.year for s in entered],
                                           database=database):
            self.stderr.write(line)
        self.stdout.write(result.date.isoformat() + (" (estimated)" if result.estimated else ""))

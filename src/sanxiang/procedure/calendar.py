"""The official working-day calendar and the legal ways of counting periods.

Working days follow the State Council's yearly schedule: statutory holidays (法定节假日) and the
weekend days made working days (调休上班). Schedules come from the `chinese-calendar` package for
the years it ships, and from extra years passed in as data (the Django side loads the years an
administrator entered); an extra year replaces the package's data for that year. A year known to
neither is counted as Monday–Friday working, and every result that rests on such a year says
`estimated=True`: an unknown future schedule must never stop a deadline from being shown.

Counting rules (legal_rules.md §0):
- the start day is not counted (《民法典》第二百零一条); working-day periods count the working days
  after it (《行政处罚法》第八十五条, 《行政许可法》第八十二条, 《行政强制法》第六十九条);
- a period in months or years ends on the corresponding day, or the month's last day
  (《民法典》第二百零二条);
- a calendar period whose last day is a statutory rest day ends on the next day that is not
  (《民法典》第二百零三条); whether weekends count as rest days here is a parameter
  (`calendar.period_end_weekend_is_rest_day`, unverified practice).

Zero and negative lengths: a period of 0 days (or months) ends on its start day, unchanged and
never estimated (a parameter set to 0 means "no waiting"); a negative length is a ValueError.

`chinese_calendar.find_workday` is deliberately not used: it counts the first working day on or
after the start as day 0, one day too late when the start day is itself a rest day (§7).
"""

import datetime as dt
import re
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from sanxiang.procedure.parameters import parameters_default

ONE_DAY = dt.timedelta(days=1)

# 《国务院关于职工工作时间的规定》第七条: 国家机关、事业单位实行统一的工作时间，星期六和星期日为周休息日.
WEEKEND_DAYS = frozenset({5, 6})

WEEKEND_RULE_PARAMETER = "calendar.period_end_weekend_is_rest_day"

BASIS_PENALTY_WORKING_DAYS = "《中华人民共和国行政处罚法》第八十五条：期限以工作日计算，不含法定节假日"
BASIS_LICENSING_WORKING_DAYS = (
    "《中华人民共和国行政许可法》第八十二条：行政机关实施行政许可的期限以工作日计算，不含法定节假日"
)
BASIS_COMPULSION_WORKING_DAYS = (
    "《中华人民共和国行政强制法》第六十九条：十日以内期限是指工作日，不含法定节假日"
)
BASIS_CALENDAR_DAYS = "《中华人民共和国民法典》第二百零一条、第二百零三条：开始的当日不计入；最后一日是法定休假日的，以休假日结束的次日为最后一日"
BASIS_MONTHS = "《中华人民共和国民法典》第二百零一条至第二百零三条：到期月的对应日为最后一日，没有对应日的为月末日；最后一日是法定休假日的顺延"
BASIS_WORKING_DAYS_ELAPSED = "按工作日计算已经过的期间，开始的当日不计入（《中华人民共和国民法典》第二百零一条；《中华人民共和国行政处罚法》第八十五条）"

# The package names its holidays in English; documents and screens need the official names.
PACKAGE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
UNNAMED_HOLIDAY = "法定节假日"


@dataclass(frozen=True)
class HolidaySchedule:
    """One year's official schedule: its statutory holidays (including the weekend days inside a
    holiday block) and the weekend days made working days (调休上班)."""

    year: int
    holidays: frozenset[dt.date]
    adjusted_working_days: frozenset[dt.date]
    holiday_names: Mapping[dt.date, str] = field(default_factory=dict, compare=False)
    source: str = ""

    def __post_init__(self) -> None:
        # Accept any iterable (a Django queryset's values, a list) and freeze it.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "adjusted_working_days", frozenset(self.adjusted_working_days))
        object.__setattr__(self, "holiday_names", MappingProxyType(dict(self.holiday_names)))
        problems = holiday_schedule_problems(self)
        if problems:
            raise ValueError(f"{self.year}年节假日安排有误：" + "；".join(problems))

    def holiday_name(self, day: dt.date) -> str | None:
        if day not in self.holidays:
            return None
        return self.holiday_names.get(day) or UNNAMED_HOLIDAY


def holiday_schedule_problems(schedule: HolidaySchedule) -> list[str]:
    """Every inconsistency of an entered schedule, so an administrator's form can list them all."""
    problems = []
    for day in sorted(schedule.holidays | schedule.adjusted_working_days | set(schedule.holiday_names)):
        if day.year != schedule.year:
            problems.append(f"{day.isoformat()} 不在 {schedule.year} 年内")
    for day in sorted(schedule.holidays & schedule.adjusted_working_days):
        problems.append(f"{day.isoformat()} 不能既是节假日又是调休上班日")
    for day in sorted(schedule.adjusted_working_days):
        # A weekday is a working day anyway; 调休上班 only ever moves a weekend day.
        if day.weekday() not in WEEKEND_DAYS:
            problems.append(f"{day.isoformat()} 不是周六或周日，不需要登记为调休上班日")
    for day in sorted(set(schedule.holiday_names) - schedule.holidays):
        problems.append(f"{day.isoformat()} 有节日名称但不是节假日")
    return problems


@dataclass(frozen=True)
class DayAnswer:
    working: bool
    estimated: bool
    holiday_name: str | None = None
    adjusted: bool = False  # a weekend day made a working day (调休上班)


@dataclass(frozen=True)
class DeadlineResult:
    date: dt.date
    estimated: bool
    basis: str
    # Years whose schedule was unknown and guessed as Mon–Fri: the admin alert names them.
    estimated_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class DayCount:
    days: int
    estimated: bool
    basis: str
    estimated_years: tuple[int, ...] = ()


def day_check(day: object) -> dt.date:
    # A datetime never equals a date, so it would silently miss every holiday; and which day a
    # datetime falls on depends on the time zone, which only the caller knows.
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}: {day!r}")
    return day


def length_check(n: int, unit: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"期间长度必须是整数，得到 {n!r}")
    if n < 0:
        raise ValueError(f"期间长度不能为负数：{n}{unit}（a period cannot be negative）")
    return n


def estimate_note(years: Iterable[int]) -> str:
    listed = "、".join(str(year) for year in sorted(years))
    return f"；{listed}年节假日安排尚未录入，按周一至周五为工作日估算"


class WorkingDayCalendar:
    """Answers which days are working days and counts legal periods over the known schedules."""

    def __init__(self, schedules: Iterable[HolidaySchedule] = ()):
        by_year: dict[int, HolidaySchedule] = {}
        for schedule in schedules:
            if schedule.year in by_year:
                raise ValueError(f"{schedule.year}年节假日安排重复")
            by_year[schedule.year] = schedule
        self._schedules = by_year

    @property
    def known_years(self) -> frozenset[int]:
        return frozenset(self._schedules)

    def schedule_for(self, year: int) -> HolidaySchedule | None:
        return self._schedules.get(year)

    def is_working_day(self, day: dt.date) -> DayAnswer:
        day_check(day)
        schedule = self._schedules.get(day.year)
        weekend = day.weekday() in WEEKEND_DAYS
        if schedule is None:
            return DayAnswer(working=not weekend, estimated=True)
        name = schedule.holiday_name(day)
        if name is not None:
            return DayAnswer(working=False, estimated=False, holiday_name=name)
        if day in schedule.adjusted_working_days:
            return DayAnswer(working=True, estimated=False, adjusted=True)
        return DayAnswer(working=not weekend, estimated=False)

    def working_days_after(
        self, start: dt.date, n: int, *, basis: str = BASIS_PENALTY_WORKING_DAYS
    ) -> DeadlineResult:
        """The n-th working day after `start`; `start` itself is never counted, even when it is a
        working day, and a rest day as start does not shift the count (2026-10-03 + 7 = 10-15)."""
        day_check(start)
        remaining = length_check(n, "个工作日")
        day, unknown = start, set()
        while remaining:
            day += ONE_DAY
            answer = self.is_working_day(day)
            if answer.estimated:
                unknown.add(day.year)
            if answer.working:
                remaining -= 1
        return deadline_result(day, basis, unknown)

    def working_days_between(self, start: dt.date, end: dt.date) -> DayCount:
        """Working days elapsed from `start` (not counted) to `end` (counted), so that
        `working_days_between(s, working_days_after(s, n).date).days == n`. Negative when `end`
        is before `start`, like subtracting dates."""
        day_check(start)
        day_check(end)
        if end < start:
            forward = self.working_days_between(end, start)
            return DayCount(-forward.days, forward.estimated, forward.basis, forward.estimated_years)
        count, unknown, day = 0, set(), start
        while day < end:
            day += ONE_DAY
            answer = self.is_working_day(day)
            if answer.estimated:
                unknown.add(day.year)
            count += answer.working
        basis = BASIS_WORKING_DAYS_ELAPSED + (estimate_note(unknown) if unknown else "")
        return DayCount(count, bool(unknown), basis, tuple(sorted(unknown)))

    def calendar_days_after(
        self, start: dt.date, n: int, *, weekends_are_rest_days: bool | None = None
    ) -> DeadlineResult:
        """A period of n calendar days (民法典第201、203条). `weekends_are_rest_days=None` reads
        the parameter in force on the start date; the Django side passes a regional value."""
        day_check(start)
        if length_check(n, "日") == 0:
            return DeadlineResult(start, False, BASIS_CALENDAR_DAYS)
        return self.period_end_roll(
            start, start + dt.timedelta(days=n), BASIS_CALENDAR_DAYS, weekends_are_rest_days
        )

    def months_after(
        self, start: dt.date, n: int, *, weekends_are_rest_days: bool | None = None
    ) -> DeadlineResult:
        """A period of n months (民法典第202条): the corresponding day of the end month, or its
        last day when there is none (01-31 + 1 month = 02-28), moved past rest days (第203条)."""
        day_check(start)
        if length_check(n, "个月") == 0:
            return DeadlineResult(start, False, BASIS_MONTHS)
        year, month_index = divmod(start.month - 1 + n, 12)
        year += start.year
        month = month_index + 1
        end = dt.date(year, month, min(start.day, monthrange(year, month)[1]))
        return self.period_end_roll(start, end, BASIS_MONTHS, weekends_are_rest_days)

    def years_after(
        self, start: dt.date, n: int, *, weekends_are_rest_days: bool | None = None
    ) -> DeadlineResult:
        """A period of n years, counted as 12n months (民法典第202条: 02-29 + 1 year = 02-28)."""
        return self.months_after(
            start, 12 * length_check(n, "年"), weekends_are_rest_days=weekends_are_rest_days
        )

    def period_end_roll(
        self, start: dt.date, end: dt.date, basis: str, weekends_are_rest_days: bool | None
    ) -> DeadlineResult:
        """Move a period's last day past statutory rest days (民法典第203条)."""
        weekends = (
            period_end_weekend_rule(start) if weekends_are_rest_days is None else weekends_are_rest_days
        )
        day, unknown = end, set()
        while True:
            answer = self.is_working_day(day)
            if answer.estimated:
                unknown.add(day.year)
            rest = answer.holiday_name is not None or (weekends and not answer.working)
            if not rest:
                break
            day += ONE_DAY
        if day != end:
            basis += f"；{end.isoformat()}为休息日，顺延至{day.isoformat()}"
        return deadline_result(day, basis, unknown)


def deadline_result(day: dt.date, basis: str, unknown: set[int]) -> DeadlineResult:
    return DeadlineResult(
        date=day,
        estimated=bool(unknown),
        basis=basis + (estimate_note(unknown) if unknown else ""),
        estimated_years=tuple(sorted(unknown)),
    )


def period_end_weekend_rule(on: dt.date) -> bool:
    """Whether weekends are 法定休假日 for 民法典第203条 (unverified practice: a parameter)."""
    return bool(parameters_default().value(WEEKEND_RULE_PARAMETER, on=on))


@cache
def package_schedules() -> tuple[HolidaySchedule, ...]:
    """Every year the installed `chinese-calendar` covers, read from its data tables (never through
    find_workday, see the module docstring). Read once per process: the installed package does not
    change under a running process, and the schedules are frozen."""
    import chinese_calendar
    from chinese_calendar import constants

    years = {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    source = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    schedules = []
    for year in range(min(years), max(years) + 1):
        holidays = {day: name for day, name in constants.holidays.items() if day.year == year}
        schedules.append(
            HolidaySchedule(
                year=year,
                holidays=frozenset(holidays),
                adjusted_working_days=frozenset(day for day in constants.workdays if day.year == year),
                holiday_names={
                    day: PACKAGE_HOLIDAY_NAMES.get(str(name), UNNAMED_HOLIDAY)
                    for day, name in holidays.items()
                },
                source=source,
            )
        )
    return tuple(schedules)


def working_day_calendar_build(
    extra: Iterable[HolidaySchedule] = (), *, package: Iterable[HolidaySchedule] | None = None
) -> WorkingDayCalendar:
    """The package's years overlaid with `extra` years (administrator-entered), which win."""
    extra = tuple(extra)
    overridden = {schedule.year for schedule in extra}
    base = package_schedules() if package is None else tuple(package)
    return WorkingDayCalendar([s for s in base if s.year not in overridden] + list(extra))


@cache
def working_day_calendar_default() -> WorkingDayCalendar:
    """The package's years only; the Django side builds its own with the database years."""
    return working_day_calendar_build()


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def workdays_command_output(start: str, n: int, calendar: WorkingDayCalendar) -> str:
    """The line `sanxiang workdays START N` prints: the ISO date N working days after START, with
    " (estimated)" when it rests on a year without an official schedule. Raises ValueError with a
    message fit for the console on a bad date or a negative N."""
    result = workdays_command_result(start, n, calendar)
    return result.date.isoformat() + (" (estimated)" if result.estimated else "")


# A platform limit on the command's N (系统输入校验规则), so that a typing slip does not count for ever:
# no legal period in working days comes near a hundred years.
WORKDAYS_COMMAND_MAX = 36500


def workdays_command_notes(
    result: DeadlineResult, calendar: WorkingDayCalendar, *, entered_years: Iterable[int] = (), database: str = ""
) -> list[str]:
    """What `sanxiang workdays` says on stderr besides the date: where the schedules came from (the
    package's years, the years entered in the database, or why the database was not read), and
    every year the result rests on that is estimated because no schedule is known for it."""
    package = sorted(calendar.known_years - set(entered_years))
    lines = []
    if package:
        lines.append(f"节假日安排：软件包内置{package[0]}—{package[-1]}年（package calendar {package[0]}-{package[-1]}）")
    entered = sorted(set(entered_years))
    if entered:
        listed = "、".join(str(y) for y in entered)
        lines.append(f"本系统录入的年份：{listed}年（entered in the database: {', '.join(map(str, entered))}）")
    if database:
        lines.append(database)
    if result.estimated_years:
        listed = "、".join(str(y) for y in result.estimated_years)
        english = ", ".join(map(str, result.estimated_years))
        lines.append(
            f"{listed}年节假日安排尚未录入，按周一至周五为工作日估算"
            f"（estimated: no holiday schedule entered for {english}, counted as Monday to Friday）"
        )
    return lines


def workdays_command_result(start: str, n: int, calendar: WorkingDayCalendar) -> DeadlineResult:
    """The N-th working day after START for `sanxiang workdays`, or ValueError with a message fit for
    the console (a bad date, a negative or an absurdly large N)."""
    if n > WORKDAYS_COMMAND_MAX:
        raise ValueError(f"工作日数不能超过{WORKDAYS_COMMAND_MAX}（N must not exceed {WORKDAYS_COMMAND_MAX}）")
    text = start.strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        start_day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"起算日期无效：{start!r}，应为 YYYY-MM-DD 格式的日期（invalid start date, expected YYYY-MM-DD）"
        ) from None
    try:
        return calendar.working_days_after(start_day, n)
    except OverflowError:
        raise ValueError("计算结果超出可表示的日期范围（the result is past the year 9999）") from None

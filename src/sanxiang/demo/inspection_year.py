"""The calendar of the demo's year of 双随机一公开 (issue 17): the day of every step of the year back
from the demo's `today`, computed from the working-day calendar alone (no database), so that the
loader (`sanxiang.demo.inspections`) only plays it and a test can check it for any day.

The story, one batch a quarter (the plan says so):

- the agency publishes its 抽查事项清单 on the first working day of the first year shown; each
  year's annual plan is approved by the head on the third working day of January, filed with the
  司法局 three working days later and published two working days after that (well before the
  filing day of `inspection_plans.annual_plan_filing_due`);
- each quarter's batch is drawn on the first working day from the 10th of its middle month
  (February, May, August, November); the task notice with the seed's hash is published three
  working days before, the seed and the result on the day of the draw; the batch is inspected from
  the next working day to the end of the quarter (within the plan's year);
- the head approves the batch's inspections the working day after the draw; the visits are spread
  over the period, at most five working days apart, the result told on the spot; the results are
  published three at a time, three working days after the last of them was told (at most thirteen
  working days after the first: within the twenty of
  `inspection.random_results_publication_working_days`).

Only what lies in the past is played: the first batch whose notice falls inside the year, the
last whose draw lies before `today`; a visit on `today` or later is left to the officers (their
day's inspections), a result whose publication day has not come is left to the head. The year
starts no earlier than the day every parameter of inspection is in force (`rules_in_force_from`):
before it, the engine has no rule to judge a step by. None of this is law: it is the demo's story."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.parameters import ParameterSet

DAY = dt.timedelta(days=1)
YEAR_DAYS = 364
DRAW_MONTHS = (2, 5, 8, 11)  # the middle month of each quarter
DRAW_DAY_OF_MONTH = 10
QUARTER_LABELS = ("第一季度", "第二季度", "第三季度", "第四季度")
COMMIT_WORKING_DAYS_BEFORE = 3
APPROVAL_WORKING_DAYS_AFTER = 1
VISIT_GAP_MAX_WORKING_DAYS = 5
PUBLISH_WORKING_DAYS_AFTER = 3
RESULTS_PER_NOTICE = 3
RECTIFICATION_DAYS = 15  # the period the demo's rectification order gives (calendar days)
PARAMETER_PREFIXES = ("inspection.", "inspection_plans.")


def rules_in_force_from(parameters: ParameterSet) -> dt.date:
    """The first day on which every national parameter of inspection has a value."""
    starts = []
    for name in parameters.names():
        if name.startswith(PARAMETER_PREFIXES):
            national = [p.start for p in parameters[name].periods if not p.region and not p.sector]
            if national:
                starts.append(min(national))
    return max(starts)


def _working_on_or_after(calendar: WorkingDayCalendar, day: dt.date) -> dt.date:
    while not calendar.is_working_day(day).working:
        day += DAY
    return day


def _working_days_before(calendar: WorkingDayCalendar, day: dt.date, n: int) -> dt.date:
    while n:
        day -= DAY
        if calendar.is_working_day(day).working:
            n -= 1
    return day


@dataclass(frozen=True)
class PlanDays:
    year: int
    approved_on: dt.date
    filed_on: dt.date
    published_on: dt.date


@dataclass(frozen=True)
class BatchDays:
    """One quarter's batch: its notice, its draw, its period, and the days of its work."""

    year: int
    quarter: int  # 1..4
    committed_on: dt.date
    draw_on: dt.date
    period_from: dt.date
    period_to: dt.date
    approved_on: dt.date

    @property
    def label(self) -> str:
        return f"{self.year}年{QUARTER_LABELS[self.quarter - 1]}"


@dataclass(frozen=True)
class InspectionYear:
    today: dt.date
    starts_on: dt.date  # the first day of the year shown
    items_published_on: dt.date
    plans: tuple[PlanDays, ...]
    batches: tuple[BatchDays, ...]
    calendar: WorkingDayCalendar

    def plan_of(self, year: int) -> PlanDays:
        return next(p for p in self.plans if p.year == year)

    def visit_days(self, batch: BatchDays, count: int) -> list[dt.date]:
        """The days of the batch's `count` visits, spread over its period (at most a few working
        days apart, so that three results told in a row are published within their period)."""
        available = self.calendar.working_days_between(batch.draw_on, batch.period_to).days
        gap = max(1, min(VISIT_GAP_MAX_WORKING_DAYS, available // (count + 1)))
        days, day = [], batch.draw_on
        for _ in range(count):
            day = self.calendar.working_days_after(day, gap).date
            days.append(min(day, batch.period_to))
        return days

    def publications(self, told: list[tuple[dt.date, int]]) -> list[tuple[dt.date, list[int]]]:
        """The 结果公告 of a body's batch: the results told (day, inspection), in order, published
        every few visits, a few working days after the last of them was told; a notice whose day
        has not come is left to the head (its results are then within their period still)."""
        notices = []
        for start in range(0, len(told), RESULTS_PER_NOTICE):
            group = told[start:start + RESULTS_PER_NOTICE]
            day = self.calendar.working_days_after(group[-1][0], PUBLISH_WORKING_DAYS_AFTER).date
            if self.past(day):
                notices.append((day, [pk for _, pk in group]))
        return notices

    def follow_up_day(self, sent_on: dt.date) -> dt.date:
        """The working day the follow-up inspection (整改复查) visits: the first after the
        rectification period (`_follow_up_schedule` plans it from the day after)."""
        return _working_on_or_after(self.calendar, sent_on + dt.timedelta(days=RECTIFICATION_DAYS + 1))

    def past(self, day: dt.date) -> bool:
        """Played: the step lies before the demo's today (today's work is the officers')."""
        return day < self.today


def inspection_year(*, today: dt.date, earliest: dt.date, calendar: WorkingDayCalendar) -> InspectionYear:
    starts_on = max(today - dt.timedelta(days=YEAR_DAYS), earliest)
    batches = []
    for year in range(starts_on.year, today.year + 1):
        for quarter, month in enumerate(DRAW_MONTHS, start=1):
            draw_on = _working_on_or_after(calendar, dt.date(year, month, DRAW_DAY_OF_MONTH))
            committed_on = _working_days_before(calendar, draw_on, COMMIT_WORKING_DAYS_BEFORE)
            if committed_on < starts_on or draw_on >= today:
                continue
            quarter_end = dt.date(year + 1, 1, 1) if month == 11 else dt.date(year, month + 2, 1)
            batches.append(BatchDays(
                year=year, quarter=quarter, committed_on=committed_on, draw_on=draw_on,
                period_from=calendar.working_days_after(draw_on, 1).date, period_to=quarter_end - DAY,
                approved_on=calendar.working_days_after(draw_on, APPROVAL_WORKING_DAYS_AFTER).date,
            ))
    plans = []
    for year in sorted({b.year for b in batches}):
        approved = calendar.working_days_after(dt.date(year - 1, 12, 31), 3).date
        filed = calendar.working_days_after(approved, 3).date
        plans.append(PlanDays(year=year, approved_on=approved, filed_on=filed,
                              published_on=calendar.working_days_after(filed, 2).date))
    first_year = plans[0].year if plans else today.year
    # Before the first plan; never today or later (a year with no batch yet publishes the list only).
    items_published_on = min(_working_on_or_after(calendar, dt.date(first_year, 1, 1)), today - DAY)
    return InspectionYear(today=today, starts_on=starts_on, items_published_on=items_published_on,
                          plans=tuple(plans), batches=tuple(batches), calendar=calendar)


__all__ = ["BatchDays", "InspectionYear", "PlanDays", "inspection_year", "rules_in_force_from"]

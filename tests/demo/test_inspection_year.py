"""The calendar of the demo's year of 双随机一公开 (sanxiang.demo.inspection_year), without a database:
for any day the demo may be loaded on, every step it plays lies in the past and in its lawful
order — the plan approved, filed and published before the first draw of its year, each draw's
seed hash published before the draw, the visits within the batch's period, each result published
within the period of 《优化营商环境条例》第五十四条 (inspection.random_results_publication_working_days)."""

import datetime as dt

import pytest

from sanxiang.demo.inspection_year import inspection_year, rules_in_force_from
from sanxiang.procedure.calendar import working_day_calendar_build
from sanxiang.procedure.inspection.plans import plan_filing_due
from sanxiang.procedure.inspection.rules import publication_due
from sanxiang.procedure.parameters import parameters_default

CALENDAR = working_day_calendar_build()
PARAMETERS = parameters_default()
EARLIEST = rules_in_force_from(PARAMETERS)
# The days the demo-loading tests use, and a spread of others over two years.
DAYS = [dt.date(2026, 6, 15), dt.date(2026, 10, 9), dt.date(2026, 11, 26), dt.date(2026, 5, 1),
        dt.date(2026, 12, 5), dt.date(2027, 1, 4), dt.date(2025, 9, 2)] + [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(0, 730, 23)]


def test_the_year_starts_when_every_inspection_parameter_is_in_force():
    # Before it the engine has no value to judge a step by (ParameterMissing): the demo starts after.
    assert EARLIEST == max(min(p.start for p in PARAMETERS[name].periods if not p.region and not p.sector)
                           for name in PARAMETERS.names() if name.startswith(("inspection.", "inspection_plans.")))
    for name in ("inspection.offsite_first", "inspection.yearly_cap", "inspection_plans.draw_ratio_percent"):
        PARAMETERS.value(name, on=EARLIEST)  # raises ParameterMissing if not in force
    year = inspection_year(today=dt.date(2026, 3, 1), earliest=EARLIEST, calendar=CALENDAR)
    assert year.starts_on == EARLIEST and all(b.committed_on >= EARLIEST for b in year.batches)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_every_step_of_the_year_lies_in_the_past_and_in_its_order(today):
    year = inspection_year(today=today, earliest=EARLIEST, calendar=CALENDAR)
    assert year.starts_on >= today - dt.timedelta(days=364)
    years = {b.year for b in year.batches}
    assert {p.year for p in year.plans} == years
    for plan in year.plans:
        # Approved, filed (by the day the parameter sets) and published early in its year.
        assert dt.date(plan.year, 1, 1) <= plan.approved_on < plan.filed_on < plan.published_on
        assert plan.filed_on <= plan_filing_due(year=plan.year, kind="annual", starts_on=dt.date(plan.year, 1, 1))
        assert plan.published_on.month == 1 and year.items_published_on <= plan.approved_on
    draws = [b.draw_on for b in year.batches]
    assert draws == sorted(set(draws))  # one batch a quarter, on distinct days
    for batch in year.batches:
        plan = year.plan_of(batch.year)
        assert plan.published_on < batch.committed_on < batch.draw_on < today
        assert batch.draw_on < batch.period_from == batch.approved_on <= batch.period_to <= dt.date(batch.year, 12, 31)
        assert CALENDAR.is_working_day(batch.committed_on).working and CALENDAR.is_working_day(batch.draw_on).working
        visits = year.visit_days(batch, 7)
        assert visits == sorted(visits) and batch.approved_on < visits[0] and visits[-1] <= batch.period_to
        told = [(day, n) for n, day in enumerate(visits) if year.past(day)]
        published = year.publications(told)
        sent_on = dict((n, day) for day, n in told)
        for day, ids in published:
            assert day < today
            for n in ids:
                due, _ = publication_due(ended_on=sent_on[n], calendar=CALENDAR, parameters=PARAMETERS)
                assert sent_on[n] < day <= due, (batch.label, n)
        # A result whose notice is not played is still within its period today.
        for n in set(sent_on) - {n for _, ids in published for n in ids}:
            assert publication_due(ended_on=sent_on[n], calendar=CALENDAR, parameters=PARAMETERS)[0] >= today
    assert year.items_published_on < today
    assert not year.past(today) and year.past(today - dt.timedelta(days=1))


def test_a_year_once_the_rules_have_run_for_months_holds_quarterly_draws_over_six_months_and_more():
    for today in [d for d in DAYS if d >= dt.date(2026, 5, 15)]:
        year = inspection_year(today=today, earliest=EARLIEST, calendar=CALENDAR)
        draws = [b.draw_on for b in year.batches]
        assert len(draws) >= 3 and (draws[-1] - draws[0]).days >= 180, today


def test_the_rectification_is_followed_up_after_its_period():
    year = inspection_year(today=dt.date(2026, 6, 15), earliest=EARLIEST, calendar=CALENDAR)
    sent_on = dt.date(2025, 11, 20)
    follow_up = year.follow_up_day(sent_on)
    assert follow_up > sent_on + dt.timedelta(days=15) and CALENDAR.is_working_day(follow_up).working

"""A trend read in one grouped query by month (the indicators whose records fall in a period by a
date alone, `Source.month_of`) gives the figures of the month-by-month count, month for month,
whatever the dates: records on the first and last days of months, across a year's end, in the
running month (counted to today) and after today (not yet lived)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.evaluation.indicators import (
    SOURCES,
    _total,
    indicator_agencies,
    indicator_figures,
    indicator_trend,
    months_of,
    period_range,
)
from sanxiang.procedure.evaluation.indicators import indicator_current
from tests.evaluation.indicator_support import draft_make, filing_make, instrument_make, tally_make
from tests.factories import agency_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 20)
GROUPED = sorted(code for code, source in SOURCES.items() if source.month_of)
_n = itertools.count(1)
DAYS = st.dates(min_value=dt.date(2025, 11, 1), max_value=dt.date(2026, 4, 30))


def _month_by_month(viewer, code, period):
    indicator = indicator_current(code, on=period.end)
    ids = list(indicator_agencies(viewer=viewer).values_list("pk", flat=True))
    return [
        (
            m,
            _total(
                indicator,
                indicator_figures(
                    indicator=indicator, agency_ids=ids, period=m, today=TODAY, viewer=viewer
                ).values(),
            ),
        )
        for m in months_of(period)
        if m.started(TODAY)
    ]


def test_every_indicator_with_a_date_of_its_own_is_grouped():
    # The six whose records fall in a period by one date (案卷评查合格率 by the day the results were
    # published, issue 16 item 4); the three counted on a day are not.
    assert GROUPED == [
        "case_file_pass_rate",
        "filing_timely",
        "legal_review_rate",
        "publication_timely",
        "rectification_on_time",
        "withdrawal_timely",
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.tuples(DAYS, st.integers(0, 12)), min_size=1, max_size=6), start=DAYS)
def test_grouped_trend_equals_the_month_by_month_count(days, start):
    n = next(_n)
    bureau = agency_make(name=f"趋势司法局{n}", is_judicial_bureau=True)
    agency = agency_make(name=f"趋势局{n}")
    supervisor = supervisor_user_make(bureau=bureau)
    for day, late in days:
        later = day + dt.timedelta(days=late)
        draft_make(agency, due=day, published=later, withdrawal_due=day, withdrawn=later)
        tally_make(agency, on=day, reviewed=bool(late % 2))
        filing_make(agency, bureau, decided=day, filed=later, due=day + dt.timedelta(days=6))
        instrument_make(agency, bureau, supervisor, due=day, reported=later)
    period = period_range(min(start, dt.date(2026, 1, 15)), dt.date(2026, 4, 30))
    for code in GROUPED:
        grouped = indicator_trend(viewer=supervisor, code=code, period=period, today=TODAY)
        assert grouped == _month_by_month(supervisor, code, period), code
        assert grouped[-1][0].label == "2026年3月"  # April not yet begun

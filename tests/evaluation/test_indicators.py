"""Indicators computed from records (issue 15 item 1): each indicator on a small hand-built county
whose figures are known, the list behind every number as long as the number, and the scope of who
reads which agencies."""

from __future__ import annotations

import pytest

from sanxiang.evaluation.indicators import (
    DENOMINATOR,
    NUMERATOR,
    SOURCES,
    indicator_figures,
    indicator_records,
    indicator_table,
    indicator_trend,
    period_year,
)
from sanxiang.procedure.evaluation.indicators import indicator_current
from tests.evaluation.indicator_support import EXPECTED_A, EXPECTED_B, MARCH, TODAY, county_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return county_make()


def _indicator(code):
    return indicator_current(code, on=MARCH.end)


def test_every_computed_indicator_has_an_expected_figure():
    assert set(EXPECTED_A) == set(SOURCES)


@pytest.mark.parametrize("code", sorted(EXPECTED_A))
def test_figure_of_each_indicator_on_the_hand_built_county(county, code):
    indicator = _indicator(code)
    figures = indicator_figures(indicator=indicator, agency_ids=[county.a.pk, county.b.pk, county.c.pk],
                                period=MARCH, today=TODAY)
    a, b = figures[county.a.pk], figures[county.b.pk]
    assert (a.numerator, a.denominator) == EXPECTED_A[code]
    assert (b.numerator, b.denominator) == EXPECTED_B[code]
    assert a.value == indicator.value(*EXPECTED_A[code])


def test_values_and_directions(county):
    figures = {code: indicator_figures(indicator=_indicator(code), agency_ids=[county.a.pk], period=MARCH,
                                       today=TODAY)[county.a.pk] for code in EXPECTED_A}
    assert figures["publication_timely"].value == 33.3
    assert figures["legal_review_rate"].value == 66.7
    assert figures["filing_timely"].value == 50.0
    # A count indicator: the number of overdue deadlines, lower is better.
    assert figures["deadlines_overdue"].value == 2.0
    assert not _indicator("deadlines_overdue").higher_is_better
    # Nothing due: no rate (not 0 %, not 100 %).
    b = indicator_figures(indicator=_indicator("rectification_on_time"), agency_ids=[county.b.pk], period=MARCH,
                          today=TODAY)[county.b.pk]
    assert (b.denominator, b.value) == (0, None)


@pytest.mark.parametrize("code", sorted(EXPECTED_A))
@pytest.mark.parametrize("side", [NUMERATOR, DENOMINATOR])
def test_the_list_behind_each_number_is_as_long_as_the_number(county, code, side):
    """The property of DESIGN ("every number opens the records behind it"): for every indicator,
    side and agency (and the county's total), the list's count and its rows equal the figure."""
    indicator = _indicator(code)
    table = indicator_table(viewer=county.supervisor, period=MARCH, today=TODAY)
    for agency_id in (county.a.pk, county.b.pk, None):
        figure = table.totals[code] if agency_id is None else table.figures[code][agency_id]
        number = figure.numerator if side == NUMERATOR else figure.denominator
        listing = indicator_records(viewer=county.supervisor, indicator=indicator, side=side, period=MARCH,
                                    agency_id=agency_id, limit=1000, today=TODAY)
        assert listing.count == number == len(listing.rows), (code, side, agency_id)
    # Paged in twos, the pages together are the whole list.
    whole = indicator_records(viewer=county.supervisor, indicator=indicator, side=side, period=MARCH,
                              agency_id=None, limit=1000, today=TODAY).rows
    paged = []
    for offset in range(0, len(whole) + 2, 2):
        paged += indicator_records(viewer=county.supervisor, indicator=indicator, side=side, period=MARCH,
                                   agency_id=None, offset=offset, limit=2, today=TODAY).rows
    assert paged == whole


def test_a_supervisor_reads_the_county_an_agency_head_the_agency(county):
    by_supervisor = indicator_table(viewer=county.supervisor, period=MARCH, today=TODAY)
    assert [a.name for a in by_supervisor.agencies] == ["乙局", "甲局"]  # no bureau, no other county
    by_head = indicator_table(viewer=county.head_a, period=MARCH, today=TODAY)
    assert [a.pk for a in by_head.agencies] == [county.a.pk]
    assert by_head.totals["legal_review_rate"].denominator == EXPECTED_A["legal_review_rate"][1]
    # Another agency's (or another county's) records are not reachable by their number.
    indicator = _indicator("legal_review_rate")
    for viewer, agency in ((county.head_a, county.b), (county.supervisor, county.c)):
        assert indicator_records(viewer=viewer, indicator=indicator, side=DENOMINATOR, period=MARCH,
                                 agency_id=agency.pk, today=TODAY) is None
    # An officer reads none.
    assert indicator_table(viewer=county.officer_user, period=MARCH, today=TODAY).agencies == []


def test_the_year_counts_what_the_months_count(county):
    year = indicator_table(viewer=county.supervisor, period=period_year(2026), today=TODAY)
    trend = indicator_trend(viewer=county.supervisor, code="legal_review_rate", period=period_year(2026), today=TODAY)
    assert len(trend) == 12
    assert sum(f.denominator for _, f in trend) == year.totals["legal_review_rate"].denominator == 5  # A: 3 in March and 1 in April; B: 1
    march = dict((m.label, f) for m, f in trend)["2026年3月"]
    assert (march.numerator, march.denominator) == (3, 4)


def test_a_running_period_counts_to_today(county):
    """In a month not yet over, a deadline is overdue only once its day has passed."""
    indicator = _indicator("deadlines_overdue")
    on_the_11th = indicator_figures(indicator=indicator, agency_ids=[county.a.pk], period=MARCH,
                                    today=MARCH.start.replace(day=11))[county.a.pk]
    # Due by the 11th: the 9th (met), the 10th (late); the 11th is due today, not yet overdue.
    assert (on_the_11th.numerator, on_the_11th.denominator) == (1, 3)

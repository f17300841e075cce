"""年度行政执法数据 (legal_rules §1.1): the six categories, 0 for a power not used, no figure for a
power not held, and 31 January as the due date."""

import datetime as dt

import pytest

from sanxiang.procedure.annual import (
    ANNUAL_CATEGORIES,
    ANNUAL_REPORT_BASIS,
    annual_catalogue_gaps,
    annual_categories_of,
    annual_counts,
    annual_report_due,
    annual_report_overdue,
)


def test_the_six_categories_of_the_template_in_order():
    assert list(ANNUAL_CATEGORIES.items()) == [
        ("permit", "行政许可"),
        ("penalty", "行政处罚"),
        ("coercion", "行政强制"),
        ("levy", "行政征收"),
        ("requisition", "行政征用"),
        ("inspection", "行政检查"),
    ]


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])  # 2024: leap year; 2026-01-31 is a Saturday
def test_the_report_is_due_on_31_january_of_the_next_year(year):
    assert annual_report_due(year) == dt.date(year + 1, 1, 31)
    assert annual_report_overdue(year, on=dt.date(year + 1, 1, 31)) is False
    assert annual_report_overdue(year, on=dt.date(year + 1, 2, 1)) is True
    assert "1月31日" in ANNUAL_REPORT_BASIS and "118号" in ANNUAL_REPORT_BASIS


def test_zero_where_the_power_is_held_and_none_where_it_is_not():
    counts = annual_counts(powers=["penalty", "inspection", "coercion"], counted={"penalty": 3})
    assert counts == {
        "permit": None,
        "penalty": 3,
        "coercion": 0,
        "levy": None,
        "requisition": None,
        "inspection": 0,
    }
    assert list(counts) == list(ANNUAL_CATEGORIES)


def test_expropriation_matters_are_the_levy_category_and_other_matters_count_for_nothing():
    assert annual_categories_of(["expropriation", "requisition", "other"]) == {"levy", "requisition"}
    counts = annual_counts(powers=["expropriation", "other"], counted={})
    assert counts["levy"] == 0 and counts["requisition"] is None and counts["penalty"] is None


def test_actions_are_never_hidden_by_a_gap_in_the_catalogue():
    counts = annual_counts(powers=["inspection"], counted={"penalty": 2, "inspection": 5})
    assert counts["penalty"] == 2 and counts["inspection"] == 5
    assert annual_catalogue_gaps(powers=["inspection"], counted={"penalty": 2, "inspection": 5}) == ["penalty"]


def test_no_powers_means_no_figures():
    assert set(annual_counts(powers=[], counted={}).values()) == {None}


@pytest.mark.parametrize("counted", [{"fines": 1}, {"penalty": -1}, {"penalty": True}, {"penalty": 1.0}])
def test_bad_counts_are_errors(counted):
    with pytest.raises(ValueError):
        annual_counts(powers=["penalty"], counted=counted)

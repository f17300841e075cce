"""The counting rules of the annual enforcement statistics (supervision_and_procedures §4.1, local
统计口径 of 庆元县、大同市、杭州市, not articles of a law): a decision with several penalties counts
once under the heaviest kind, in the order from light to heavy; a named kind with "其他" counts
under the named kind; 罚没金额 in 万元 from the decisions, a confiscation only where its value is
stated; an inspection only with a specific object and a complete record; the county's row is the
sum of the agencies' rows."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.annual_counting import (
    NARRATIVE_SECTIONS,
    PENALTY_COLUMNS,
    PENALTY_KIND_COLUMN,
    PENALTY_SEVERITY,
    PENALTY_SEVERITY_SOURCE,
    STATISTICS_SOURCE,
    PenaltyTable,
    inspection_counts,
    narrative_problems,
    penalty_amount_fen,
    penalty_column,
    penalty_heaviest_kind,
    penalty_table,
    penalty_tables_sum,
    wan_yuan,
)
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS, PenaltyTerms

KINDS = sorted(PENALTY_KINDS)
NAMED = [kind for kind in KINDS if kind != "other"]
RANK = {kind: rank for rank, tier in enumerate(PENALTY_SEVERITY) for kind in tier}

kinds_sets = st.frozensets(st.sampled_from(KINDS), min_size=1)
terms = st.builds(
    PenaltyTerms,
    kinds=kinds_sets,
    fine_fen=st.integers(min_value=0, max_value=10**10),
    confiscation_fen=st.integers(min_value=0, max_value=10**10),
)


def test_the_order_from_light_to_heavy_is_the_sources_and_covers_every_named_kind():
    order = [kind for tier in PENALTY_SEVERITY for kind in tier]
    assert order == [
        "warning",
        "public_criticism",
        "fine",
        "confiscate_gains",
        "confiscate_property",
        "suspend_permit",
        "downgrade_qualification",
        "restrict_business",
        "suspend_business",
        "close",
        "restrict_practice",
        "revoke_permit",
        "detention",
    ]
    assert sorted(order) == sorted(NAMED)  # every kind of 行政处罚法第九条 but "other" has its place
    assert set(PENALTY_KIND_COLUMN) == set(PENALTY_KINDS) and set(PENALTY_KIND_COLUMN.values()) == set(
        PENALTY_COLUMNS
    )
    # Labelled as the statistical convention it is, with its sources, never as a law.
    assert "统计口径" in PENALTY_SEVERITY_SOURCE and "非法律条文" in STATISTICS_SOURCE
    assert "警告＜通报批评＜罚款＜没收违法所得/没收非法财物" in PENALTY_SEVERITY_SOURCE


def test_a_fine_with_a_suspension_of_business_counts_once_under_the_suspension():
    table = penalty_table([PenaltyTerms(frozenset({"fine", "suspend_business"}), fine_fen=5_000_000)])
    assert table.columns["suspend_close"] == 1 and table.columns["fine"] == 0 and table.total == 1
    assert table.amount_wan == Decimal("5.00")  # 50000元 = 5万元


def test_a_named_kind_with_other_counts_under_the_named_kind_and_other_alone_under_other():
    assert penalty_column({"other", "warning"}) == "warning_criticism"
    assert penalty_column({"other"}) == "other"
    with pytest.raises(ValueError):
        penalty_column(set())
    with pytest.raises(ValueError):
        penalty_column({"flogging"})


def test_the_amount_is_the_fine_and_a_confiscation_only_where_its_value_is_stated():
    # 没收扣押的电线60卷, no value stated: only the fine counts.
    assert (
        penalty_amount_fen(PenaltyTerms(frozenset({"fine", "confiscate_property"}), fine_fen=300_000))
        == 300_000
    )
    assert (
        penalty_amount_fen(
            PenaltyTerms(frozenset({"fine", "confiscate_gains"}), fine_fen=300_000, confiscation_fen=123_456)
        )
        == 423_456
    )
    # An amount without its kind in the decision is not a 罚没 of the decision.
    assert penalty_amount_fen(PenaltyTerms(frozenset({"warning"}), fine_fen=1, confiscation_fen=2)) == 0


@pytest.mark.parametrize(
    ("fen", "wan"),
    [
        (0, "0.00"),
        (1_000_000, "1.00"),
        (12_345_678, "12.35"),
        (4_999, "0.00"),
        (5_000, "0.01"),
        (300_000, "0.30"),
    ],
)
def test_amounts_in_wan_yuan_rounded_half_up(fen, wan):
    assert wan_yuan(fen) == Decimal(wan)


def test_an_inspection_counts_only_with_a_specific_object_and_a_complete_record():
    assert inspection_counts(object_specified=True, record_complete=True)
    assert not inspection_counts(object_specified=False, record_complete=True)  # a patrol
    assert not inspection_counts(object_specified=True, record_complete=False)


def test_the_narrative_reports_every_section_missing_or_too_long():
    assert next(iter(NARRATIVE_SECTIONS.values())) == "基本情况"
    problems = narrative_problems({"basic": "x" * 5001, "team": "  "})
    assert set(problems) == set(NARRATIVE_SECTIONS)
    assert (
        "不能超过5000字" in problems["basic"] and problems["team"] == f"请填写“{NARRATIVE_SECTIONS['team']}”"
    )
    assert narrative_problems(dict.fromkeys(NARRATIVE_SECTIONS, "已落实。")) == {}


@given(kinds_sets)
def test_property_a_decision_counts_once_under_its_heaviest_kind(kinds):
    table = penalty_table([PenaltyTerms(kinds)])
    assert table.total == 1
    heaviest = penalty_heaviest_kind(kinds)
    assert heaviest in kinds
    assert table.columns[PENALTY_KIND_COLUMN[heaviest]] == 1
    named = kinds - {"other"}
    if named:
        assert heaviest != "other"
        assert all(RANK[kind] <= RANK[heaviest] for kind in named)
    else:
        assert heaviest == "other"


@given(kinds_sets, st.sampled_from(NAMED))
def test_property_adding_a_lighter_kind_never_moves_the_decision(kinds, extra):
    heaviest = penalty_heaviest_kind(kinds)
    if heaviest != "other" and RANK[extra] < RANK[heaviest]:
        assert penalty_column(kinds | {extra}) == penalty_column(kinds)
    if heaviest == "other" or RANK[extra] > RANK[heaviest]:
        assert penalty_column(kinds | {extra}) == PENALTY_KIND_COLUMN[extra]


@given(st.lists(terms, max_size=30))
def test_property_the_table_counts_each_decision_once_and_sums_its_amounts(decisions):
    table = penalty_table(decisions)
    assert table.total == len(decisions)
    assert table.amount_fen == sum(penalty_amount_fen(t) for t in decisions)
    assert table.as_public()["total"] == table.total and table.as_public()["amount_fen"] == table.amount_fen


@given(st.lists(st.lists(terms, max_size=8), max_size=6))
def test_property_the_county_row_is_the_sum_of_the_agencies_rows(agencies):
    rows = [penalty_table(decisions) for decisions in agencies]
    county = penalty_tables_sum(rows)
    assert county == penalty_table([t for decisions in agencies for t in decisions])
    for key in PENALTY_COLUMNS:
        assert county.columns[key] == sum(row.columns[key] for row in rows)
    assert county.total == sum(row.total for row in rows)
    assert county.amount_fen == sum(row.amount_fen for row in rows)  # summed in 分, rounded once


def test_a_table_refuses_unknown_columns_and_negative_figures():
    with pytest.raises(ValueError):
        PenaltyTable({"flogging": 1})
    with pytest.raises(ValueError):
        PenaltyTable({"fine": -1})

"""Snapshot facts survive the JSON column: any snapshot, dumped and loaded, is the same snapshot."""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.cases.facts import FactsError, facts_dump, facts_load
from sanxiang.procedure.penalty import AdvanceNotice, PenaltyCaseSnapshot, PenaltyTerms


@settings(max_examples=100, deadline=None, database=None)
@given(st.from_type(PenaltyCaseSnapshot))
def test_any_snapshot_round_trips_through_json(snapshot):
    stored = json.loads(json.dumps(facts_dump(snapshot)))
    assert facts_load(PenaltyCaseSnapshot, stored) == snapshot


def test_the_json_is_plain_dates_iso_and_sets_sorted():
    notice = AdvanceNotice(PenaltyTerms(frozenset({"warning", "fine"}), 300000), frozenset({"penalty", "facts"}),
                           served_on=dt.date(2026, 3, 17))
    assert facts_dump(notice) == {
        "penalty": {"kinds": ["fine", "warning"], "fine_fen": 300000, "confiscation_fen": 0},
        "elements": ["facts", "penalty"],
        "served_on": "2026-03-17",
    }


def test_missing_fields_take_their_defaults_and_wrong_types_are_refused():
    @dataclass(frozen=True)
    class Old:
        day: dt.date
        count: int = 3

    assert facts_load(Old, {"day": "2026-01-02"}) == Old(dt.date(2026, 1, 2))
    with pytest.raises(FactsError):
        facts_load(Old, {"day": "2026-01-02", "count": True})
    with pytest.raises(FactsError):
        facts_load(Old, {"count": 1})
    with pytest.raises(FactsError):
        facts_dump(Old(dt.date(2026, 1, 2), 1.5))

"""复议 and 诉讼 results (procedure.penalty.challenges): which results correct a decision, each with
its article, and the recording rule (an end with its result, a result with its end)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.penalty.challenges import (
    CHALLENGE_RESULT_BASES,
    CHALLENGE_RESULTS,
    CORRECTING_RESULTS,
    RESULT_WITH_END,
    challenge_result_corrects,
    challenge_violations,
)
from sanxiang.procedure.penalty.steps import CHALLENGE_KINDS

TODAY = dt.date(2026, 6, 1)
days = st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)))
results = st.one_of(st.none(), st.just(""), st.sampled_from(sorted(CHALLENGE_RESULTS)), st.just("bogus"))


def test_every_result_of_every_kind_has_its_article():
    assert set(CHALLENGE_RESULT_BASES) == set(CHALLENGE_KINDS)
    for kind, bases in CHALLENGE_RESULT_BASES.items():
        assert set(bases) == set(CHALLENGE_RESULTS), kind
    assert CHALLENGE_RESULT_BASES["reconsideration"]["revoked"] == "《中华人民共和国行政复议法》第六十四条"
    assert CHALLENGE_RESULT_BASES["litigation"]["changed"] == "《中华人民共和国行政诉讼法》第七十七条"
    assert CHALLENGE_RESULT_BASES["litigation"]["upheld"] == "《中华人民共和国行政诉讼法》第六十九条"


def test_changed_revoked_unlawful_and_void_correct_the_decision_and_nothing_else():
    assert {r for r in CHALLENGE_RESULTS if challenge_result_corrects(r)} == {
        "changed",
        "revoked",
        "illegal",
        "void",
    }
    assert CORRECTING_RESULTS == {"changed", "revoked", "illegal", "void"}
    assert not challenge_result_corrects(None) and not challenge_result_corrects("upheld")


def test_an_end_without_its_result_is_refused_with_the_way_through():
    [v] = challenge_violations(
        kind="litigation",
        started_on=dt.date(2026, 1, 5),
        ended_on=dt.date(2026, 5, 1),
        result=None,
        today=TODAY,
    )
    assert (v.code, v.field, v.legal_basis) == ("case.challenge.result_missing", "result", RESULT_WITH_END)
    assert v.message == "已终结的，请同时选择复议、诉讼的结果"
    assert (
        challenge_violations(
            kind="litigation",
            started_on=dt.date(2026, 1, 5),
            ended_on=dt.date(2026, 5, 1),
            result="upheld",
            today=TODAY,
        )
        == []
    )


@given(started=days, ended=days, result=results)
def test_every_reason_is_reported_and_a_clean_record_is_consistent(started, ended, result):
    violations = challenge_violations(
        kind="reconsideration", started_on=started, ended_on=ended, result=result, today=TODAY
    )
    codes = {v.code for v in violations}
    assert ("case.challenge.result_missing" in codes) == (ended is not None and not result)
    assert ("case.challenge.end_missing" in codes) == (bool(result) and ended is None)
    assert ("case.challenge.ended_before_started" in codes) == (
        None not in (started, ended) and ended < started
    )
    assert ("case.challenge.result_unknown" in codes) == (result == "bogus")
    if not violations:
        # Accepted: an end always has a known result, a result always an end, neither in the future.
        assert (ended is None) == (not result)
        assert result in (None, "", *CHALLENGE_RESULTS)
        assert started is None or started <= TODAY
        assert ended is None or ended <= TODAY

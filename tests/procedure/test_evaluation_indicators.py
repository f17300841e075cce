"""The indicators' definitions (procedure.evaluation.indicators): each defined once, with its
meaning, hook and version; versions kept; the value rule; the audio-video steps it can count."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.evaluation import indicators as module
from sanxiang.procedure.evaluation.indicators import (
    AV_STEP_RECORDS,
    AV_STEPS_UNCOUNTED,
    INDICATORS,
    PLATFORM_FORMULA,
    Unit,
    UnknownIndicator,
    av_steps_required,
    indicator_current,
    indicator_versions,
    indicators_current,
)
from sanxiang.procedure.parameters import parameters_default

DAY = dt.date(2026, 6, 1)


def test_each_indicator_is_defined_once_per_version_with_its_meaning_and_hook():
    keys = [i.key for i in INDICATORS]
    assert len(keys) == len(set(keys))
    parameters = parameters_default()
    for indicator in INDICATORS:
        assert indicator.name and indicator.numerator and indicator.denominator and indicator.period_rule
        assert indicator.hook, indicator.code
        # A formula of ours is labelled a platform rule, never law.
        assert indicator.formula_basis == PLATFORM_FORMULA and indicator.formula_basis.startswith("平台规则")
        for name in indicator.parameters:
            assert name in parameters, (indicator.code, name)
        assert indicator.available or indicator.pending, indicator.code


def test_the_basis_cites_the_parameters_references():
    publication = indicator_current("publication_timely", on=DAY)
    assert "国办发〔2018〕118号" in publication.basis_text()
    withdrawal = indicator_current("withdrawal_timely", on=DAY)
    # The withdrawal period's reference (处罚法 第四十八条), from the parameter file.
    assert "第四十八条" in withdrawal.basis_text()
    # A checking note of a reference (待核实…) is not part of the basis shown.
    assert "待核实" not in indicator_current("filing_timely", on=DAY).basis_text()


def test_every_indicator_of_the_plan_now_has_its_figure():
    # 案卷评查合格率 was the last without one; 案卷评查 campaigns (issue 16) compute it.
    pending = {i.code for i in indicators_current(on=DAY, available=False)}
    available = {i.code for i in indicators_current(on=DAY, available=True)}
    assert {"training_compliance", "challenge_correction_rate", "case_file_pass_rate"} <= available
    assert not pending & available


def test_training_compliance_is_hooked_to_the_plan_and_the_unverified_hours():
    training = indicator_current("training_compliance", on=DAY)
    assert training.parameters == ("evaluation.training.required_hours_per_year",)
    basis = training.basis_text()
    assert "乌政办发〔2022〕115号" in basis and "40小时" in basis
    assert training.higher_is_better and training.unit == Unit.PERCENT


def test_the_correction_rate_cites_the_results_that_correct_a_decision():
    correction = indicator_current("challenge_correction_rate", on=DAY)
    basis = correction.basis_text()
    # 复议法 第六十三至六十五、六十七条; 诉讼法 第七十、七十四、七十五、七十七条: changed, revoked,
    # held unlawful or void. Upholding (复议法第六十八条, 诉讼法第六十九条) is no correction.
    for article in ("《中华人民共和国行政复议法》第六十三条", "第六十四条", "第六十五条", "第六十七条",
                    "《中华人民共和国行政诉讼法》第七十七条", "第七十条", "第七十四条", "第七十五条"):
        assert article in basis, article
    assert "第六十八条" not in basis and "第六十九条" not in basis
    assert not correction.higher_is_better


def test_a_new_version_keeps_the_old_one(monkeypatch):
    first = indicator_current("legal_review_rate", on=DAY)
    second = replace(first, version=2, valid_from=dt.date(2027, 1, 1), numerator="另一口径")
    monkeypatch.setattr(module, "INDICATORS", (*INDICATORS, second))
    assert [i.version for i in indicator_versions("legal_review_rate")] == [1, 2]
    assert indicator_current("legal_review_rate", on=dt.date(2026, 12, 31)) == first
    assert indicator_current("legal_review_rate", on=dt.date(2027, 1, 1)) == second
    # Before any version applies, the first explains the figure.
    assert indicator_current("filing_timely", on=dt.date(2020, 1, 1)).version == 1
    with pytest.raises(UnknownIndicator):
        indicator_current("no_such", on=DAY)


@given(n=st.integers(0, 10_000), extra=st.integers(0, 10_000))
def test_a_percentage_is_between_0_and_100_and_none_when_nothing_was_due(n, extra):
    percent = indicator_current("legal_review_rate", on=DAY)
    assert percent.unit == Unit.PERCENT
    d = n + extra
    value = percent.value(n, d)
    if d == 0:
        assert value is None
    else:
        assert 0 <= value <= 100
        if extra == 0:
            assert value == 100
        if n == 0:
            assert value == 0
        assert percent.value(n, d) <= percent.value(min(n + 1, d), d)
    count = indicator_current("deadlines_overdue", on=DAY)
    assert count.unit == Unit.COUNT and count.value(n, d) == n


def test_every_recording_step_of_every_procedure_is_counted_or_named_as_not_counted():
    steps = set()
    for spec in procedures_all().values():
        steps |= set(spec.audio_video_steps)
    assert steps <= set(AV_STEP_RECORDS) | set(AV_STEPS_UNCOUNTED)
    assert not set(AV_STEP_RECORDS) & set(AV_STEPS_UNCOUNTED)
    record_kinds = {k.name for spec in procedures_all().values() for k in spec.engine.record_kinds}
    for record_kind, _label in AV_STEP_RECORDS.values():
        assert record_kind in record_kinds, record_kind


def test_seal_up_and_seizure_share_one_decision():
    steps = {s.record_kind: s for s in av_steps_required(on=DAY)}
    assert steps["measure_decision"].recordings == ("seal_up", "seizure")
    assert steps["measure_decision"].label == "查封、扣押"
    assert "hearing_transcript" in steps  # the penalty list (听证) by default


def test_a_regions_own_list_of_recording_steps_is_the_one_counted():
    from sanxiang.procedure.parameters import ParameterPeriod

    local = parameters_default().with_overrides({
        "penalty.recording.audio_video_steps": [ParameterPeriod(dt.date(2024, 1, 1), ["inspection"], region="150627")],
    })
    here = {s.record_kind for s in av_steps_required(on=DAY, parameters=local, region="150627")}
    elsewhere = {s.record_kind for s in av_steps_required(on=DAY, parameters=local, region="150626")}
    assert "inspection_record" in here and "hearing_transcript" not in here
    assert "hearing_transcript" in elsewhere and "inspection_record" not in elsewhere

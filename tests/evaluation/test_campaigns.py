"""案卷评查活动 (issue 16, item 4): definition, self-check, the verifiable draw with recusal, scoring with
re-grading, and results only when every file drawn is scored. Basis: 《行政执法监督条例》第十八条 (案卷评查);
the course (自查 then 抽查), the recusal, the two evaluators and re-grading are platform rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.evaluation.campaign_services import (
    campaign_define,
    campaign_draw_run,
    campaign_regrade,
    campaign_results_publish,
    campaign_score,
    campaign_self_check,
)
from sanxiang.evaluation.indicators import Figure, indicator_figures, period_month
from sanxiang.evaluation.models import CampaignAssignment, CampaignFile
from sanxiang.ledger.models import Entry
from sanxiang.procedure.draw import sample, seed_commitment
from sanxiang.procedure.evaluation.campaigns import (
    CAMPAIGN_BASIS,
    RECUSAL_BASIS,
    RESULTS_BASIS,
    FileTotal,
    campaign_context,
    campaign_draw,
    file_standard,
    file_total,
    final_of,
    regrade_needed,
    results_violations_of,
    sample_count,
)
from sanxiang.procedure.evaluation.casefile_checks import CHECKERS
from sanxiang.procedure.evaluation.casefile_standard import ItemResult
from sanxiang.procedure.evaluation.indicators import indicator_current
from sanxiang.procedure.violations import Refused
from sanxiang_verify.draw import draw_run
from tests.evaluation.campaign_support import automatic_met, county_make, define_kwargs, scores

SEED = "0f" * 32


# --- the draw, pure ---------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    files=st.dictionaries(st.text("ABCDEFGH0123456789", min_size=1, max_size=6), st.sampled_from("abcd"), min_size=1,
                          max_size=12),
    evaluators=st.dictionaries(st.text("UVWXYZ0123456789", min_size=1, max_size=4), st.sampled_from("abcd"),
                               min_size=1, max_size=10),
    seed=st.text("0123456789abcdef", min_size=1, max_size=64),
)
def test_an_evaluator_never_draws_a_file_of_their_own_agency(files, evaluators, seed):
    # Recusal (互查回避, a platform rule): whatever the files, pool and seed, a file's evaluators are
    # of other agencies; a pool short of two for some agency is refused before the draw (pool_violations).
    agencies = set(files.values())
    if any(sum(1 for a in evaluators.values() if a != agency) < 2 for agency in agencies):
        return
    result = campaign_draw(seed=seed, commitment=seed_commitment(seed), context="c", population=list(files),
                           k=len(files), file_agencies=files, evaluator_agencies=evaluators)
    for key, drawn in result.evaluators.items():
        assert len(drawn) == 2 and len(set(drawn)) == 2
        assert all(evaluators[e] != files[key] for e in drawn)
    # Anyone repeats the whole draw from the published inputs alone.
    repeated = draw_run(result.inputs)
    assert repeated["seed_matches_commitment"] is True
    assert repeated["groups"][0]["selected"] == result.sample
    assert {g["name"]: g["selected"] for g in repeated["groups"][1:]} == {
        f"评查人员:{k}": v for k, v in result.evaluators.items()}


def test_the_same_inputs_give_the_same_sample_and_another_seed_another():
    population = [f"F{n:02d}" for n in range(1, 21)]
    agencies = {p: "a" if n % 2 else "b" for n, p in enumerate(population)}
    pool = {"U1": "a", "U2": "a", "U3": "b", "U4": "b", "U5": "c"}

    def draw(seed):
        return campaign_draw(seed=seed, commitment=seed_commitment(seed), context="ctx", population=population,
                             k=5, file_agencies=agencies, evaluator_agencies=pool)

    first = draw(SEED)
    assert draw(SEED) == first
    assert draw(SEED).sample == campaign_draw(seed=SEED, commitment="", context="ctx", population=population[::-1],
                                              k=5, file_agencies=agencies, evaluator_agencies=pool).sample
    assert draw("1" + SEED[1:]).sample != first.sample


def test_sample_count_and_regrade_rule():
    assert sample_count(population=7, sample_size=None, sample_percent=30) == 3  # 2.1 rounded up
    assert sample_count(population=7, sample_size=20, sample_percent=None) == 7
    ten = Decimal(10)
    assert regrade_needed(totals=[Decimal(90), Decimal("79.5")], vetoes=[False, False], threshold=ten)
    assert not regrade_needed(totals=[Decimal(90), Decimal(80)], vetoes=[False, False], threshold=ten)
    assert regrade_needed(totals=[Decimal(0), Decimal(0)], vetoes=[True, False], threshold=ten)


def test_a_file_is_scored_on_the_standard_of_its_kind():
    # 案卷评查 standard (issue 16 item 1, 《行政执法监督条例》第十八条): 100 points, a failed veto item gives 0 and
    # the lowest band; the mean of two agreeing evaluators to one decimal place.
    standard = file_standard("ordinary", on=dt.date(2026, 6, 1))
    assert file_total(standard, scores(87)) == FileTotal(Decimal(87), (), "合格", True)
    vetoed = file_total(standard, scores(95, veto_failed=True))
    assert (vetoed.total, vetoed.grade, vetoed.passed) == (Decimal(0), "不合格", False) and vetoed.vetoed
    assert final_of(standard, [Decimal(95), Decimal("89.5")], vetoed=False) == FileTotal(Decimal("92.3"), (), "优秀", True)
    # Every item must be scored: one reason per item, on its field, with the standard's basis.
    refused = results_violations_of(standard, {"form.templates": "3", "basic.facts": "yes"})
    fields = [v.field for v in refused]
    assert "form.templates" in fields and "basic.facts" in fields and len(refused) == len(standard.items)
    # With the automatic items computed (all met here), the evaluator scores only the manual ones.
    met = {i.code: ItemResult() for i in standard.items if i.automatic and i.function in CHECKERS}
    assert results_violations_of(standard, scores(87), met) == []
    assert [v.field for v in results_violations_of(standard, scores(87) | {"form.filled": "0.3"}, met)] == ["form.filled"]


# --- the campaign, with the database ----------------------------------------------------------------------



def _self_check_all(county, campaign):
    automatic_met(campaign)
    for file in campaign.files.select_related("agency"):
        head = county.heads[county.agencies.index(file.agency)]
        campaign_self_check(actor=head, file=file, results=scores(92))


@pytest.mark.django_db
def test_definition_refused_with_every_reason_and_nothing_stored():
    county = county_make(files_per_agency=1)
    with pytest.raises(Refused) as refused:
        campaign_define(**define_kwargs(county, actor=county.heads[0], title=" ", sample_percent=None,
                                        period_end=county.today + dt.timedelta(days=1), evaluators=county.evaluators[:1]))
    codes = {v.code for v in refused.value.violations}
    assert {"campaign.side", "campaign.title", "campaign.sample", "campaign.period_future",
            "campaign.evaluators"} <= codes
    assert next(v for v in refused.value.violations if v.code == "campaign.side").legal_basis == CAMPAIGN_BASIS
    assert not CampaignFile.objects.exists()


@pytest.mark.django_db
def test_seed_committed_before_the_draw_and_published_after():
    county = county_make()
    campaign = campaign_define(**define_kwargs(county))
    assert campaign.population_count == 6 and campaign.seed_commitment == seed_commitment(campaign.seed)
    defined = Entry.objects.get(kind="evaluation.campaign_defined")
    assert campaign.seed_commitment in bytes(defined.body).decode() and campaign.seed not in bytes(defined.body).decode()
    # The draw waits for every agency's self-check (自查 first), and says which.
    with pytest.raises(Refused) as refused:
        campaign_draw_run(actor=county.supervisor, campaign=campaign)
    assert [v.code for v in refused.value.violations] == ["campaign.self_check_open"] * 3
    _self_check_all(county, campaign)
    campaign = campaign_draw_run(actor=county.supervisor, campaign=campaign)
    drawn = Entry.objects.get(kind="evaluation.campaign_drawn")
    assert campaign.seed in bytes(drawn.body).decode()
    assert campaign.sample_count == 3  # 50% of 6
    repeated = draw_run(campaign.draw_inputs)
    assert repeated["seed_matches_commitment"] is True
    sampled = list(CampaignFile.objects.filter(campaign=campaign, sampled=True).order_by("draw_position")
                   .values_list("case_number", flat=True))
    assert repeated["groups"][0]["selected"] == sampled
    for assignment in CampaignAssignment.objects.select_related("file"):
        assert assignment.evaluator_agency_id != assignment.file.agency_id  # 回避
    with pytest.raises(Refused) as again:
        campaign_draw_run(actor=county.supervisor, campaign=campaign)
    assert [v.code for v in again.value.violations] == ["campaign.drawn"]


@pytest.mark.django_db
def test_the_same_public_inputs_give_the_same_sample_on_this_engine():
    # Run on SQLite and on PostgreSQL (DATABASE_URL): the rows come back in each engine's order, the
    # draw sorts the population itself, so the pinned sample is the same on both.
    county = county_make(files_per_agency=3)
    for n, case in enumerate(sorted(county.cases, key=lambda c: c.pk), start=1):
        case.number = f"F{n:02d}"
        case.save(update_fields=["number"])
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=4))
    campaign.seed, campaign.seed_commitment = SEED, seed_commitment(SEED)
    campaign.save(update_fields=["seed", "seed_commitment"])
    _self_check_all(county, campaign)
    campaign = campaign_draw_run(actor=county.supervisor, campaign=campaign)
    population = [f"F{n:02d}" for n in range(1, 10)]
    assert campaign.draw_inputs["groups"][0] == {"name": "案卷", "population": population, "k": 4}
    sampled = list(campaign.files.filter(sampled=True).order_by("draw_position").values_list("case_number", flat=True))
    # The context names the campaign (its id differs between engines' sequences); with it, the pure
    # draw over the hard-coded population gives the sample, and a pinned vector fixes that draw.
    assert campaign.draw_inputs["context"] == campaign_context(campaign.pk)
    assert sampled == sample(seed=SEED, population=population, k=4, group="案卷", context=campaign_context(campaign.pk))
    assert sample(seed=SEED, population=population, k=4, group="案卷", context=campaign_context(1)) == PINNED_SAMPLE


PINNED_SAMPLE = ["F06", "F04", "F08", "F02"]  # sanxiang-draw/1, seed 0f×32, context of campaign 1


@pytest.mark.django_db
def test_regrading_past_the_threshold_and_results_only_when_every_file_is_scored():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=2))
    _self_check_all(county, campaign)
    campaign = campaign_draw_run(actor=county.supervisor, campaign=campaign)
    first, second = list(campaign.files.filter(sampled=True).order_by("draw_position"))
    # Results refused while a file is unscored: one reason per file, with the rule.
    with pytest.raises(Refused) as refused:
        campaign_results_publish(actor=county.supervisor, campaign=campaign, today=county.today)
    assert [(v.code, v.legal_basis) for v in refused.value.violations] == [("campaign.unscored", RESULTS_BASIS)] * 2
    assert first.case_number in refused.value.violations[0].message
    # An evaluator of the file's own agency is never drawn; one who is not drawn cannot score.
    a1, a2 = first.assignments.order_by("position")
    outsider = county.heads[county.agencies.index(first.agency)]
    with pytest.raises(Refused) as not_theirs:
        campaign_score(actor=outsider, assignment=a1, results=scores(90))
    assert {v.code for v in not_theirs.value.violations} == {"campaign.not_evaluator", "campaign.recusal"}
    assert next(v for v in not_theirs.value.violations if v.code == "campaign.recusal").legal_basis == RECUSAL_BASIS
    # 95 and 84 differ by 11 > 10 (the parameter): re-grading by the 司法局.
    campaign_score(actor=a1.evaluator, assignment=a1, results=scores(95))
    campaign_score(actor=a2.evaluator, assignment=a2, results=scores(84))
    first.refresh_from_db()
    assert first.regrade_required and not first.final_grade
    # 95 and 90: the mean, 92.5, 优秀.
    b1, b2 = second.assignments.order_by("position")
    campaign_score(actor=b1.evaluator, assignment=b1, results=scores(95))
    campaign_score(actor=b2.evaluator, assignment=b2, results=scores(90))
    second.refresh_from_db()
    assert (second.regrade_required, second.final_total, second.final_grade) == (False, Decimal("92.5"), "优秀")
    with pytest.raises(Refused) as regrade_open:
        campaign_results_publish(actor=county.supervisor, campaign=campaign, today=county.today)
    assert [v.code for v in regrade_open.value.violations] == ["campaign.regrade_open"]
    campaign_regrade(actor=county.supervisor, file=first, results=scores(50, veto_failed=True))
    campaign = campaign_results_publish(actor=county.supervisor, campaign=campaign, today=county.today)
    assert campaign.state == "published"
    assert set(campaign.files.filter(sampled=True).values_list("final_grade", "final_passed", "published_on")) == {
        ("不合格", False, county.today), ("优秀", True, county.today)}
    # The results feed 案卷评查合格率 (JDTL 第十八条): per agency, files 合格/优秀 ÷ files drawn, in the
    # period of the day the results were published.
    indicator = indicator_current("case_file_pass_rate", on=county.today)
    figures = indicator_figures(indicator=indicator, agency_ids=[a.pk for a in county.agencies],
                                period=period_month(county.today.year, county.today.month), today=county.today)
    assert figures[first.agency_id] == Figure(0, 1, 0.0) and figures[second.agency_id] == Figure(1, 1, 100.0)
    assert sum(f.denominator for f in figures.values()) == 2


@pytest.mark.django_db
def test_an_evaluator_cannot_score_after_the_read_grant_ends():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=1))
    _self_check_all(county, campaign)
    campaign = campaign_draw_run(actor=county.supervisor, campaign=campaign)
    assignment = CampaignAssignment.objects.filter(file__campaign=campaign).first()
    with pytest.raises(Refused) as refused:
        campaign_score(actor=assignment.evaluator, assignment=assignment, results={"form.templates": "99"},
                       now=assignment.grant_expires_at)
    codes = [v.code for v in refused.value.violations]
    assert codes[0] == "campaign.grant_expired" and codes.count("campaign.item") == len(scores())

"""The 双随机 draw's rules (procedure/inspection/random_draw.py): exclusions always hold, the ratio per
grade, the officers in teams, and the published inputs repeat the draw with the stand-alone verifier.

Bases: random targets and officers 《优化营商环境条例》第五十四条; recusal 《行政处罚法》第四十三条;
officers who may act 第四十二条; committing the seed first is a platform rule (COMMITMENT_BASIS)."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.draw import COMMITMENT_BASIS, seed_commitment
from sanxiang.procedure.inspection.random_draw import (
    RECUSAL_BASIS,
    OfficerCandidate,
    TargetCandidate,
    draw_execute,
    draw_prepare,
    draw_problems,
    stratum_k,
)
from sanxiang.procedure.inspection.registers import CREDIT_GRADES, RISK_GRADES
from sanxiang_verify.draw import draw_run

RATIOS = {risk: dict.fromkeys(CREDIT_GRADES, 30) for risk in RISK_GRADES}

targets_st = st.lists(
    st.builds(
        TargetCandidate,
        key=st.text(string.digits, min_size=3, max_size=3),
        risk_grade=st.sampled_from(list(RISK_GRADES)),
        credit_grade=st.sampled_from(list(CREDIT_GRADES)),
        already_inspected=st.booleans(),
        inspections_this_year=st.integers(0, 3),
        yearly_cap=st.one_of(st.none(), st.integers(1, 3)),
    ),
    min_size=1, max_size=25, unique_by=lambda t: t.key,
)


@settings(max_examples=60, deadline=None)
@given(targets=targets_st, officer_count=st.integers(0, 8), data=st.data(), seed=st.text(string.hexdigits, min_size=1, max_size=8))
def test_exclusions_always_hold(targets, officer_count, data, seed):
    keys = [t.key for t in targets]
    officers = [
        OfficerCandidate(
            key=f"C{i}",
            problems=("执法证已到期",) if data.draw(st.booleans(), label=f"ineligible{i}") else (),
            recused=frozenset(data.draw(st.lists(st.sampled_from(keys), max_size=3), label=f"rec{i}")),
        )
        for i in range(officer_count)
    ]
    spec, violations = draw_prepare(context="t", targets=targets, officers=officers, ratios_percent=RATIOS, team_size=2)
    if spec is None:
        assert violations
        return
    outcome, violations = draw_execute(spec, seed=seed)
    excluded = {e.subject for e in spec.exclusions if e.kind in ("already_inspected", "yearly_cap")}
    capped = {t.key for t in targets if t.already_inspected or (t.yearly_cap is not None and t.inspections_this_year >= t.yearly_cap)}
    assert excluded == capped
    if outcome is None:  # recusals left too few officers for a target: refused, with its basis
        assert all(v.legal_basis == RECUSAL_BASIS for v in violations)
        return
    ineligible = {o.key for o in officers if o.problems}
    by_key = {t.key: t for t in targets}
    drawn = [target for target, _ in outcome.teams]
    assert len(drawn) == len(set(drawn))
    for target, team in outcome.teams:
        assert target not in excluded
        assert len(team) == 2 and len(set(team)) == 2
        for officer in team:
            assert officer not in ineligible
            assert target not in next(o for o in officers if o.key == officer).recused
    for stratum in spec.strata:  # the ratio per grade
        assert stratum.k == stratum_k(len(stratum.population), 30)
        assert sum(1 for t in drawn if (by_key[t].risk_grade, by_key[t].credit_grade) ==
                   (stratum.risk_grade, stratum.credit_grade)) == stratum.k
    # Anyone repeats the whole draw from the public inputs alone.
    repeated = draw_run(outcome.public_inputs)
    assert repeated["seed_matches_commitment"] is True
    selected = {g["name"]: g["selected"] for g in repeated["groups"]}
    assert [t for name in selected if name.startswith("targets:") for t in selected[name]] == drawn
    assert all(tuple(selected[f"officers:{t}"]) == team for t, team in outcome.teams)


def test_stratum_ratio_rounds_up_and_never_exceeds():
    assert stratum_k(0, 10) == 0
    assert stratum_k(1, 5) == 1
    assert stratum_k(20, 5) == 1
    assert stratum_k(21, 5) == 2
    assert stratum_k(3, 100) == 3


def test_draw_before_commitment_is_refused_with_basis_and_path():
    seed = "ab" * 32
    refused = draw_problems(state="prepared", commitment="", seed=seed)
    assert [v.code for v in refused] == ["inspection.draw.no_commitment"]
    assert refused[0].legal_basis == COMMITMENT_BASIS and "先“公布种子摘要”" in refused[0].message
    # The lawful path: commit (publish the digest), then draw.
    assert draw_problems(state="committed", commitment=seed_commitment(seed), seed=seed) == []
    assert [v.code for v in draw_problems(state="committed", commitment=seed_commitment("x"), seed=seed)] == [
        "inspection.draw.seed_mismatch"]
    assert [v.code for v in draw_problems(state="drawn", commitment=seed_commitment(seed), seed=seed)] == [
        "inspection.draw.done"]


def test_too_few_officers_and_no_targets_both_reported():
    spec, violations = draw_prepare(
        context="t", targets=[TargetCandidate("001", "low", "A", already_inspected=True)],
        officers=[OfficerCandidate("C1")], ratios_percent=RATIOS, team_size=2)
    assert spec is None
    assert {v.code for v in violations} == {"inspection.draw.no_targets", "inspection.draw.pool"}

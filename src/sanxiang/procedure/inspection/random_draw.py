"""The 双随机 draw (random targets, random officers), as pure rules around `sanxiang.procedure.draw`.

Steps (each step's inputs are published, so anyone repeats the whole draw with
`python -m sanxiang_verify.draw` on the task's public JSON):

1. Targets are grouped by risk grade and credit grade (strata). From each stratum's eligible
   targets, ceil(N × ratio / 100) are drawn; the ratio per grade is the parameter
   `inspection_plans.draw_ratio_percent` (the ratio scales with credit and risk:
   《浙江省综合行政执法条例》第二十一条; the figures are unverified platform defaults). Excluded before
   the draw, and recorded: a target already inspected on one of the task's items within its period
   (a platform rule, so as not to inspect twice what one visit covers: 《海南省涉企行政检查条例（试行）》
   第十一条), and a target at its yearly cap of inspections by this body (the cap is part B's
   parameter; part B also enforces it when an inspection starts).
2. Officers are drawn in teams (`inspection_plans.officers_per_team`, two) for each drawn target, in
   drawn order, from the pool (a valid certificate for every item's field on the draw day, 行政处罚法
   第四十二条) less the officers with a declared relation to that target (回避, 行政处罚法第四十三条)
   and less those who already carry their share (ceil(team × targets / pool) targets), so that the
   work is spread; when recusals leave too few, the share limit is lifted for that target.
3. Each group (a stratum, or one target's team) is one `sample` of the algorithm
   `sanxiang-draw/1` with the task's seed and context: its population is written in the public
   inputs exactly as drawn from.

The seed's commitment is recorded and published before the draw (`draw_problems` refuses a draw
without it), the seed after (COMMITMENT_BASIS, a platform rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sanxiang.procedure.draw import (
    ALGORITHM,
    COMMITMENT_BASIS,
    RANDOM_INSPECTION_BASIS,
    sample,
    seed_commitment,
)
from sanxiang.procedure.inspection.registers import CREDIT_GRADES, RISK_GRADES
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

RECUSAL_BASIS = "《中华人民共和国行政处罚法》第四十三条"
OFFICERS_BASIS = "《中华人民共和国行政处罚法》第四十二条"
ALREADY_INSPECTED_BASIS = (
    f"{PLATFORM_PREFIX}：同一期间内已就同一事项检查过的对象不再抽取，避免重复检查"
    "（参照《海南省涉企行政检查条例（试行）》第十一条）"
)
# The name of part B's yearly cap (per enterprise and inspecting body, by sector).
YEARLY_CAP_PARAMETER = "inspection.yearly_cap"

EXCLUSION_KINDS = {
    "already_inspected": "本期已就同一事项检查",
    "yearly_cap": "已达年度检查次数上限",
    "officer_ineligible": "不具备检查资格",
    "recusal": "回避",
}


@dataclass(frozen=True)
class TargetCandidate:
    key: str  # the public identifier: the 统一社会信用代码
    risk_grade: str
    credit_grade: str
    already_inspected: bool = False  # on one of the task's items, within the task's period
    inspections_this_year: int = 0  # by this inspecting body
    yearly_cap: int | None = None  # the cap in force for its sector, None when none is


@dataclass(frozen=True)
class OfficerCandidate:
    key: str  # the public identifier: the number of the certificate valid on the draw day
    problems: tuple[str, ...] = ()  # why they may not act (empty: in the pool)
    recused: frozenset[str] = frozenset()  # keys of targets they declared a relation to


@dataclass(frozen=True)
class Exclusion:
    kind: str
    subject: str  # a target's or an officer's key
    reason: str
    legal_basis: str
    target: str = ""  # for a recusal: the target the officer may not inspect

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "target": self.target, "reason": self.reason,
                "legal_basis": self.legal_basis}


@dataclass(frozen=True)
class Stratum:
    name: str
    risk_grade: str
    credit_grade: str
    population: tuple[str, ...]
    k: int
    ratio_percent: int


@dataclass(frozen=True)
class DrawSpec:
    """Everything fixed before the seed is known."""

    context: str
    strata: tuple[Stratum, ...]
    pool: tuple[str, ...]  # officers in the pool, sorted
    recusals: dict[str, frozenset[str]]  # officer key -> target keys
    team_size: int
    exclusions: tuple[Exclusion, ...]
    ratios_percent: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def target_count(self) -> int:
        return sum(s.k for s in self.strata)


@dataclass(frozen=True)
class DrawOutcome:
    public_inputs: dict
    teams: tuple[tuple[str, tuple[str, ...]], ...]  # (target key, officer keys), in drawn order


def stratum_k(population: int, ratio_percent: int) -> int:
    """ceil(population × ratio / 100), in integers, never more than the population."""
    return min(population, (population * ratio_percent + 99) // 100)


def draw_ratios(*, on: dt.date, region: str = "", parameters: ParameterSet | None = None) -> dict[str, dict[str, int]]:
    parameters = parameters or parameters_default()
    value = parameters.value("inspection_plans.draw_ratio_percent", on=on, region=region)
    return {risk: {credit: int(value[risk][credit]) for credit in CREDIT_GRADES} for risk in RISK_GRADES}


def team_size(*, on: dt.date, region: str = "", parameters: ParameterSet | None = None) -> int:
    parameters = parameters or parameters_default()
    return int(parameters.value("inspection_plans.officers_per_team", on=on, region=region))


def draw_prepare(
    *,
    context: str,
    targets: Iterable[TargetCandidate],
    officers: Iterable[OfficerCandidate],
    ratios_percent: dict[str, dict[str, int]],
    team_size: int,
    cap_basis: str = "",
) -> tuple[DrawSpec | None, list[Violation]]:
    """The strata, the pool and every exclusion, or every reason why no draw can be made."""
    exclusions: list[Exclusion] = []
    eligible: dict[tuple[str, str], list[str]] = {}
    targets = list(targets)
    for target in sorted(targets, key=lambda t: t.key):
        if target.already_inspected:
            exclusions.append(Exclusion("already_inspected", target.key, EXCLUSION_KINDS["already_inspected"],
                                        ALREADY_INSPECTED_BASIS))
            continue
        if target.yearly_cap is not None and target.inspections_this_year >= target.yearly_cap:
            exclusions.append(Exclusion(
                "yearly_cap", target.key,
                f"本年度已检查{target.inspections_this_year}次，达到上限{target.yearly_cap}次", cap_basis))
            continue
        eligible.setdefault((target.risk_grade, target.credit_grade), []).append(target.key)
    strata = []
    for risk in RISK_GRADES:
        for credit in CREDIT_GRADES:
            population = tuple(sorted(eligible.get((risk, credit), [])))
            if population:
                ratio = ratios_percent[risk][credit]
                strata.append(Stratum(f"targets:{risk}:{credit}", risk, credit, population,
                                      stratum_k(len(population), ratio), ratio))
    pool, recusals = [], {}
    target_keys = {t.key for t in targets}
    for officer in sorted(officers, key=lambda o: o.key):
        if officer.problems:
            exclusions.append(Exclusion("officer_ineligible", officer.key, "；".join(officer.problems), OFFICERS_BASIS))
            continue
        pool.append(officer.key)
        related = frozenset(officer.recused) & target_keys
        if related:
            recusals[officer.key] = related
            exclusions += [Exclusion("recusal", officer.key, EXCLUSION_KINDS["recusal"], RECUSAL_BASIS, target=t)
                           for t in sorted(related)]
    violations = []
    if not any(s.k for s in strata):
        violations.append(Violation("inspection.draw.no_targets", "没有可抽取的检查对象（名录为空，或者全部被排除）",
                                    RANDOM_INSPECTION_BASIS))
    if len(pool) < team_size:
        violations.append(Violation("inspection.draw.pool",
                                    f"具备检查资格的执法人员只有{len(pool)}名，不足{team_size}名，无法随机选派",
                                    OFFICERS_BASIS))
    if violations:
        return None, violations
    return DrawSpec(context=context, strata=tuple(strata), pool=tuple(pool), recusals=recusals,
                    team_size=team_size, exclusions=tuple(exclusions), ratios_percent=ratios_percent), []


def draw_execute(spec: DrawSpec, *, seed: str) -> tuple[DrawOutcome | None, list[Violation]]:
    """Run the draw with `seed`: the strata first, then a team for each drawn target in order."""
    groups: list[dict] = []
    drawn: list[str] = []
    for stratum in spec.strata:
        groups.append({"name": stratum.name, "population": list(stratum.population), "k": stratum.k})
        drawn += sample(seed=seed, population=stratum.population, k=stratum.k, group=stratum.name,
                        context=spec.context)
    share = -(-spec.team_size * len(drawn) // len(spec.pool))  # ceil
    load = dict.fromkeys(spec.pool, 0)
    teams, violations = [], []
    for target in drawn:
        free = [o for o in spec.pool if target not in spec.recusals.get(o, frozenset())]
        population = [o for o in free if load[o] < share]
        if len(population) < spec.team_size:
            population = free
        if len(population) < spec.team_size:
            violations.append(Violation("inspection.draw.team",
                                        f"检查对象{target}回避后可选派的执法人员不足{spec.team_size}名",
                                        RECUSAL_BASIS))
            continue
        name = f"officers:{target}"
        groups.append({"name": name, "population": population, "k": spec.team_size})
        team = tuple(sample(seed=seed, population=population, k=spec.team_size, group=name, context=spec.context))
        for officer in team:
            load[officer] += 1
        teams.append((target, team))
    if violations:
        return None, violations
    public_inputs = {
        "algorithm": ALGORITHM,
        "context": spec.context,
        "seed": seed,
        "seed_commitment": seed_commitment(seed),
        "groups": groups,
        "team_size": spec.team_size,
        "ratios_percent": spec.ratios_percent,
        "exclusions": [e.as_dict() for e in spec.exclusions],
    }
    return DrawOutcome(public_inputs=public_inputs, teams=tuple(teams)), []


def draw_problems(*, state: str, commitment: str, seed: str) -> list[Violation]:
    """Why the draw may not be made now: the commitment must be recorded and published first, and
    the seed must be the committed one."""
    if state == "drawn":
        return [Violation("inspection.draw.done", "本任务已经抽取，结果不能重抽", COMMITMENT_BASIS)]
    if state != "committed" or not commitment:
        return [Violation("inspection.draw.no_commitment",
                          "抽取前须先记录并公布随机种子的摘要：请先“公布种子摘要”，再抽取", COMMITMENT_BASIS)]
    if seed_commitment(seed) != commitment:
        return [Violation("inspection.draw.seed_mismatch", "随机种子与已公布的摘要不符", COMMITMENT_BASIS)]
    return []

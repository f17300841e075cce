"""案卷评查活动 (evaluation campaigns, issue 16 item 4): the rules of a campaign the county's 司法局 runs.

The course of a campaign, each step a refusal with every reason when it does not hold:
1. 确定活动 (define): the 司法局 names the period in which the files were closed, the kinds of
   procedure, the agencies, the sample (a number or a percentage) and the pool of evaluators. The
   files in scope are listed then (the population, frozen), and the seed of the draw is made and
   committed: its SHA-256 is recorded and shown before anyone can draw.
2. 自查 (self-check): each agency scores its own listed files first.
3. 抽取 (draw): once every agency has finished its self-check, the 司法局 draws the sample over the
   population and two evaluators for each file drawn, among the pool less the file's own agency (回避,
   互查); the seed and every public input are published with the result, so that anyone repeats the
   draw (`sanxiang_verify.draw`, algorithm `sanxiang-draw/1`).
4. 评查 (evaluation): each evaluator scores the file's manual items on a copy of the file, under a
   time-limited, logged read grant. When the two totals differ by more than a parameter, or one
   finds a veto item failed and the other does not, the 司法局 re-grades (复评) and its score stands.
5. 公布结果 (results): only when every file drawn has its final score; the results feed the
   indicators (案卷评查合格率).

Bases: 案卷评查 is a mode of supervision (《行政执法监督条例》第十八条); the 自查/抽查/互查 course,
the recusal, the two evaluators and the re-grading are local practice (supervision_and_procedures
§3), so platform rules here, labelled as such.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sanxiang.procedure.catalog import ACT_KINDS, procedure_spec
from sanxiang.procedure.draw import COMMITMENT_BASIS, sample
from sanxiang.procedure.evaluation.casefile_standard import (
    ZERO,
    FileKind,
    ItemResult,
    RecordRef,
    Standard,
    file_score,
    grade_bands,
    standard_for,
)
from sanxiang.procedure.scoring import grade_for
from sanxiang.procedure.supervision.basis import regulation_article
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

CAMPAIGN_BASIS = regulation_article(18)
COURSE_BASIS = f"{PLATFORM_PREFIX}：案卷评查先由执法机关自查，再由司法局抽查（{CAMPAIGN_BASIS}规定案卷评查）"
RECUSAL_BASIS = f"{PLATFORM_PREFIX}：互查回避，评查人员不评查本机关的案卷"
EVALUATORS_BASIS = f"{PLATFORM_PREFIX}：每份抽中的案卷由两名其他机关的评查人员分别评分"
RESULTS_BASIS = f"{PLATFORM_PREFIX}：全部抽中案卷评分完毕后方可公布评查结果"
GRANT_BASIS = f"{PLATFORM_PREFIX}：评查人员在限定期限内阅读案卷副本，每次阅读均记录"
REGRADE_PARAMETER = "evaluation.campaign.regrade_difference"
GRANT_DAYS_PARAMETER = "evaluation.campaign.read_grant_days"

EVALUATORS_PER_FILE = 2
TITLE_MAX = 100
SAMPLE_SIZE_MAX = 100_000  # an input limit (数据校验): more than any county's files in a period
SAMPLE_GROUP = "案卷"
DRAW_CONTEXT_PREFIX = "sanxiang:案卷评查活动"

# The procedures whose files a campaign may evaluate (those with a 案卷评查 standard: the ordinary
# penalty procedure and the compulsory measures; summary-procedure files are not evaluated), the
# states in which a file is closed (a file withdrawn, never opened or not taken has no decision to
# evaluate), and the kind of standard each is scored on.
CAMPAIGN_PROCEDURES: dict[str, tuple[str, ...]] = {
    "ordinary": ("closed", "archived"),
    "seal_seizure": ("confiscated", "destroyed", "released"),
    "freeze": ("handled", "released"),
}
PROCEDURE_KINDS: dict[str, str] = {
    "ordinary": FileKind.PENALTY_ORDINARY,
    "seal_seizure": FileKind.COERCION_MEASURE,
    "freeze": FileKind.COERCION_MEASURE,
}


def procedure_label(key: str) -> str:
    """A procedure as a campaign names it: the kind of act and the procedure (行政处罚（普通程序）)."""
    spec = procedure_spec(key)
    return f"{ACT_KINDS[spec.act_kind]}（{spec.label}）"


class State:
    SELF_CHECK = "self_check"
    DRAWN = "drawn"
    PUBLISHED = "published"


STATE_LABELS = {State.SELF_CHECK: "自查中", State.DRAWN: "评查中", State.PUBLISHED: "结果已公布"}


def campaign_context(campaign_id: int) -> str:
    """The draw's context: every draw of the platform has its own stream."""
    return f"{DRAW_CONTEXT_PREFIX}:{campaign_id}"


def evaluators_group(file_key: str) -> str:
    return f"评查人员:{file_key}"


# --- defining a campaign --------------------------------------------------------------------------------


def definition_violations(
    *,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    procedures: Sequence[str],
    agency_ids: Sequence[int],
    sample_size: int | None,
    sample_percent: int | None,
    evaluator_agency_ids: Sequence[int],
    today: dt.date,
) -> list[Violation]:
    """Every reason a campaign cannot be defined as given (the population is checked apart)."""
    v: list[Violation] = []
    if not title.strip():
        v.append(Violation("campaign.title", "请填写评查活动名称", FORM_BASIS, "title"))
    elif len(title.strip()) > TITLE_MAX:
        v.append(Violation("campaign.title", f"评查活动名称不超过{TITLE_MAX}字", FORM_BASIS, "title"))
    if period_start is None:
        v.append(Violation("campaign.period_start", "请填写结案期间的起始日期", FORM_BASIS, "period_start"))
    if period_end is None:
        v.append(Violation("campaign.period_end", "请填写结案期间的截止日期", FORM_BASIS, "period_end"))
    if period_start and period_end:
        if period_start > period_end:
            v.append(Violation("campaign.period", "结案期间的起始日期不能晚于截止日期", FORM_BASIS, "period_end"))
        if period_end > today:
            v.append(Violation("campaign.period_future", "结案期间须已经结束：只评查已经结案的案卷",
                               COURSE_BASIS, "period_end"))
    unknown = [p for p in procedures if p not in CAMPAIGN_PROCEDURES]
    if not procedures or unknown:
        v.append(Violation("campaign.procedures", "请选择评查的案件种类", FORM_BASIS, "procedures"))
    if not agency_ids:
        v.append(Violation("campaign.agencies", "请选择被评查的执法机关", FORM_BASIS, "agencies"))
    if (sample_size is None) == (sample_percent is None):
        v.append(Violation("campaign.sample", "抽取数量和抽取比例须填写其中一项", FORM_BASIS, "sample_size"))
    if sample_size is not None and not 1 <= sample_size <= SAMPLE_SIZE_MAX:
        v.append(Violation("campaign.sample_size", f"抽取数量须为1至{SAMPLE_SIZE_MAX}的整数", FORM_BASIS, "sample_size"))
    if sample_percent is not None and not 1 <= sample_percent <= 100:
        v.append(Violation("campaign.sample_percent", "抽取比例须为1至100的整数", FORM_BASIS, "sample_percent"))
    v += pool_violations(agency_ids=agency_ids, evaluator_agency_ids=evaluator_agency_ids)
    return v


def pool_violations(*, agency_ids: Iterable[int], evaluator_agency_ids: Sequence[int]) -> list[Violation]:
    """Each agency's files need two evaluators of other agencies: a refusal when any agency lacks them."""
    v = []
    for agency_id in sorted(set(agency_ids)):
        eligible = sum(1 for a in evaluator_agency_ids if a != agency_id)
        if eligible < EVALUATORS_PER_FILE:
            v.append(Violation("campaign.evaluators",
                               f"评查人员中本机关以外的人员不足{EVALUATORS_PER_FILE}名，有机关的案卷无法安排互查",
                               RECUSAL_BASIS, "evaluators"))
            break
    return v


def sample_count(*, population: int, sample_size: int | None, sample_percent: int | None) -> int:
    """How many files are drawn: the number asked (at most the population), or the percentage of
    the population rounded up (at least one file of a population that is not empty)."""
    if sample_size is not None:
        return min(sample_size, population)
    return min(population, math.ceil(population * (sample_percent or 0) / 100))


def population_violations(*, population: int) -> list[Violation]:
    if population == 0:
        return [Violation("campaign.population", "所选期间、种类和机关没有已经结案的案卷，无从评查", COURSE_BASIS,
                          "period_start")]
    return []


# --- the draw -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawResult:
    """The public inputs (as `sanxiang_verify.draw` reads them) and what they give."""

    inputs: dict
    sample: list[str]
    evaluators: dict[str, list[str]]  # file key → evaluator keys, in drawn order


def draw_violations(*, state: str, self_checks_missing: Mapping[str, int]) -> list[Violation]:
    """The draw follows every agency's self-check: one reason per agency that has not finished."""
    v = []
    if state != State.SELF_CHECK:
        v.append(Violation("campaign.drawn", "本次评查活动已经抽取过案卷，不能重复抽取", COMMITMENT_BASIS))
    for agency_name, missing in sorted(self_checks_missing.items()):
        v.append(Violation("campaign.self_check_open", f"{agency_name}尚有{missing}份案卷未完成自查", COURSE_BASIS))
    return v


def campaign_draw(
    *,
    seed: str,
    commitment: str,
    context: str,
    population: Sequence[str],
    k: int,
    file_agencies: Mapping[str, str],
    evaluator_agencies: Mapping[str, str],
) -> DrawResult:
    """Draw `k` files of `population`, then two evaluators for each file drawn among the evaluators
    whose agency is not the file's (`file_agencies`, `evaluator_agencies`: key → agency key). One
    seed for all: the groups are named, so each has its own stream. Recusal is by construction: a
    file's group lists only the other agencies' evaluators."""
    drawn = sample(seed=seed, population=population, k=k, group=SAMPLE_GROUP, context=context)
    groups = [{"name": SAMPLE_GROUP, "population": sorted(population), "k": k}]
    evaluators: dict[str, list[str]] = {}
    for key in drawn:
        eligible = sorted(e for e, agency in evaluator_agencies.items() if agency != file_agencies[key])
        group = evaluators_group(key)
        evaluators[key] = sample(seed=seed, population=eligible, k=EVALUATORS_PER_FILE, group=group, context=context)
        groups.append({"name": group, "population": eligible, "k": EVALUATORS_PER_FILE})
    inputs = {"algorithm": "sanxiang-draw/1", "seed": seed, "seed_commitment": commitment, "context": context,
              "groups": groups}
    return DrawResult(inputs=inputs, sample=drawn, evaluators=evaluators)


# --- scoring --------------------------------------------------------------------------------------------


def regrade_needed(*, totals: Sequence[Decimal], vetoes: Sequence[bool], threshold: Decimal) -> bool:
    """Two evaluators' scores of one file call for re-grading (复评) when their totals differ by more
    than the parameter, or when one finds a veto item failed and the other does not."""
    if len(totals) < EVALUATORS_PER_FILE:
        return False
    return max(totals) - min(totals) > threshold or len(set(vetoes)) > 1


def score_actor_violations(*, is_evaluator: bool, grant_active: bool, already_scored: bool, state: str,
                           same_agency: bool) -> list[Violation]:
    v = []
    if not is_evaluator:
        v.append(Violation("campaign.not_evaluator", "只有抽中的评查人员可以为该案卷评分", EVALUATORS_BASIS))
    if same_agency:
        v.append(Violation("campaign.recusal", "评查人员不得评查本机关的案卷", RECUSAL_BASIS))
    if state != State.DRAWN:
        v.append(Violation("campaign.not_open", "该评查活动当前不接受评分", COURSE_BASIS))
    if is_evaluator and not grant_active:
        v.append(Violation("campaign.grant_expired", "阅卷期限已过，不能再评分", GRANT_BASIS))
    if already_scored:
        v.append(Violation("campaign.scored", "已经提交过该案卷的评分，不能再改", EVALUATORS_BASIS))
    return v


def results_violations(*, state: str, unscored: Sequence[str], regrades_open: Sequence[str]) -> list[Violation]:
    """The results publish only when every file drawn has its final score: one reason per file."""
    v = []
    if state == State.SELF_CHECK:
        v.append(Violation("campaign.not_drawn", "尚未抽取案卷，不能公布评查结果", RESULTS_BASIS))
    if state == State.PUBLISHED:
        v.append(Violation("campaign.published", "评查结果已经公布", RESULTS_BASIS))
    for number in unscored:
        v.append(Violation("campaign.unscored", f"案卷{number}尚未由两名评查人员评分完毕", RESULTS_BASIS))
    for number in regrades_open:
        v.append(Violation("campaign.regrade_open", f"案卷{number}评分相差过大，尚待司法局复评", RESULTS_BASIS))
    return v


# --- the scoring of a file ------------------------------------------------------------------------------
# A file is scored on the 案卷评查 standard of its kind recorded on the campaign when it was defined
# (the county's published version in force on the definition day, else the platform's default:
# `campaign_standards`). The automatic items (`Item.automatic`) are computed from the file's records
# by the checks of issue 16 item 2, once, and stored with the records each looked at
# (`automatic_to_data`), so that the score is reproducible; evaluators score only the manual items.
# Manual results as a form gives and the rows store them: per item code, "met" or "failed" for a
# veto item, the points lost (a decimal as text) for another.

MET, FAILED = "met", "failed"
POINTS_STEP = Decimal("0.5")


@dataclass(frozen=True)
class FileTotal:
    total: Decimal
    vetoed: tuple[str, ...]  # the codes of the veto items failed
    grade: str  # the band's label (优秀 / 合格 / 不合格 by default)
    passed: bool  # not in the lowest band (合格 or better)


def file_standard(procedure: str, *, on: dt.date, region: str = "", published: Sequence[Standard] = ()) -> Standard:
    return standard_for(PROCEDURE_KINDS[procedure], on, region, published=published)


def campaign_standards(procedures: Iterable[str], *, on: dt.date, region: str,
                       published: Sequence[Standard] = ()) -> dict[str, Standard]:
    """The standard of each kind of file the campaign evaluates: the county's published version in
    force on `on` (the definition day), else the platform's default; keyed by kind."""
    kinds = sorted({PROCEDURE_KINDS[p] for p in procedures})
    return {kind: standard_for(kind, on, region, published=published) for kind in kinds}


def automatic_to_data(results: Mapping[str, ItemResult]) -> dict[str, dict]:
    """The automatic items' results as stored (JSON): per item code, what it lost or whether it
    failed, whether it applies, each finding and each record it looked at."""
    return {code: {"lost": f"{r.lost:f}", "failed": r.failed, "applicable": r.applicable, "findings": list(r.findings),
                   "records": [{"kind": ref.kind, "id": ref.id, "label": ref.label} for ref in r.records]}
            for code, r in sorted(results.items())}


def automatic_digest(results: Mapping[str, ItemResult] | None) -> str:
    """The SHA-256 of the automatic items' results as stored (`automatic_to_data`, canonical JSON):
    what a page or the API showed the scorer, carried back with the score, so that a score is
    refused when the results it would be counted with are no longer those shown."""
    data = automatic_to_data(results or {})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def automatic_from_data(data: Mapping[str, Mapping]) -> dict[str, ItemResult]:
    return {code: ItemResult(lost=Decimal(r["lost"]), failed=bool(r["failed"]), applicable=bool(r["applicable"]),
                             findings=tuple(r["findings"]),
                             records=tuple(RecordRef(x["kind"], x["id"], x["label"]) for x in r["records"]))
            for code, r in data.items()}


def manual_items(standard: Standard, automatic: Mapping[str, object] | None) -> tuple:
    """The items an evaluator scores: those the records did not answer (all of them when nothing
    was computed)."""
    return tuple(i for i in standard.items if automatic is None or i.code not in automatic)


def _bands(standard: Standard) -> tuple[tuple[Decimal, str], ...]:
    return standard.bands or grade_bands(on=standard.valid_from, region=standard.region)


def _lost(value: object) -> Decimal | None:
    try:
        lost = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return lost if lost.is_finite() else None


def results_violations_of(standard: Standard, results: Mapping[str, object],
                          automatic: Mapping[str, ItemResult] | None = None) -> list[Violation]:
    """Every manual item must be scored: a veto item met or failed, another's points lost from 0 to
    its points, in steps of 0.5 (one violation per item, on its field). The automatic items
    (`automatic`, computed from the records) are not the evaluator's: what is given for them is
    not read."""
    v = []
    for item in manual_items(standard, automatic):
        value = results.get(item.code)
        if item.veto:
            if value not in (MET, FAILED):
                v.append(Violation("campaign.item", f"请判断“{item.title}”是否符合", item.basis, item.code))
            continue
        lost = _lost(value)
        if lost is None or not ZERO <= lost <= item.points or lost % POINTS_STEP:
            v.append(Violation("campaign.item", f"“{item.title}”的扣分须为0至{item.points.normalize():f}分（以0.5分为单位）",
                               item.basis, item.code))
    return v


def file_total(standard: Standard, results: Mapping[str, object],
               automatic: Mapping[str, ItemResult] | None = None) -> FileTotal:
    """The file's score under the standard (its rules: tiers floored at 0, a failed veto item → 0 and
    the lowest band): the automatic items as computed (`automatic`), the others as scored by hand."""
    item_results: dict[str, ItemResult] = dict(automatic or {})
    for item in manual_items(standard, automatic):
        value = results.get(item.code)
        if item.veto:
            item_results[item.code] = ItemResult(failed=value == FAILED)
        else:
            item_results[item.code] = ItemResult(lost=_lost(value) or ZERO)
    score = file_score(standard, item_results)
    lowest = _bands(standard)[-1][1]
    return FileTotal(score.total, score.failed_vetoes, score.grade, not score.vetoed and score.grade != lowest)


def final_of(standard: Standard, totals: Sequence[Decimal], *, vetoed: bool) -> FileTotal:
    """The final score from two evaluators who agree (no re-grading): the mean of their totals to one
    decimal place (half up); both found a veto item failed (`vetoed`): 0 and the lowest band."""
    bands = _bands(standard)
    mean = ZERO if vetoed else (sum(totals, ZERO) / len(totals)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    grade = grade_for(total=mean, full_marks=standard.full_marks, vetoed=vetoed, bands=bands)
    return FileTotal(mean, ("veto",) if vetoed else (), grade, not vetoed and grade != bands[-1][1])

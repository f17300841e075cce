"""Writes of 案卷评查活动 (issue 16, item 4). Each write checks every rule first (`Refused` with every
reason, nothing stored), then changes the rows and appends its ledger entry in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.models import User
from sanxiang.evaluation.campaign_selectors import (
    assignment_of,
    campaign_scope,
    copy_document,
    copy_readable,
    county_agencies,
    evaluator_candidates,
    file_automatic,
    file_automatic_compute,
    file_automatic_pending,
    file_standard_of,
    grant_active,
    self_checks_missing,
    user_defines_campaigns,
    user_self_checks,
)
from sanxiang.evaluation.casefile_selectors import published_standards
from sanxiang.evaluation.models import CampaignAssignment, CampaignFile, EvaluationCampaign
from sanxiang.evidence.storage import blob_store_get
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.draw import seed_commitment, seed_new
from sanxiang.procedure.evaluation.campaigns import (
    CAMPAIGN_BASIS,
    COURSE_BASIS,
    GRANT_DAYS_PARAMETER,
    PROCEDURE_KINDS,
    REGRADE_PARAMETER,
    RESULTS_BASIS,
    FileTotal,
    State,
    automatic_digest,
    automatic_to_data,
    campaign_context,
    campaign_draw,
    campaign_standards,
    definition_violations,
    draw_violations,
    file_total,
    final_of,
    pool_violations,
    population_violations,
    procedure_label,
    regrade_needed,
    results_violations,
    results_violations_of,
    sample_count,
    score_actor_violations,
)
from sanxiang.procedure.evaluation.casefile_standard import ItemResult, Standard, standard_to_data
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import (
    EvaluationCampaignPublished,
    PublicCampaignResult,
    evaluation_campaign_published_emit,
)
from sanxiang.registry.models import Agency

SIDE = "只有本县司法局监督人员可以组织案卷评查活动"


def _side(actor: User, campaign: EvaluationCampaign | None = None) -> list[Violation]:
    if not user_defines_campaigns(actor) or (campaign is not None and actor.agency_id != campaign.bureau_id):
        return [Violation("campaign.side", SIDE, CAMPAIGN_BASIS)]
    return []


def _event(kind: EventKind, campaign: EvaluationCampaign, payload: dict, *, actor: User,
           agency_id: int | None = None, case_id: int | None = None) -> None:
    entry_append(
        event=LedgerEvent(kind, {"campaign": campaign.pk, **payload}, agency_id=agency_id or campaign.bureau_id,
                          case_id=case_id, subject=f"evaluation_campaign:{campaign.pk}"),
        actor=actor,
    )


def _key(user_id: int) -> str:
    """An evaluator's identifier in the draw's public inputs (no name: the page maps it to one)."""
    return f"U{user_id}"


@transaction.atomic
def campaign_define(
    *,
    actor: User,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    procedures: list[str],
    agencies: list[Agency],
    sample_size: int | None,
    sample_percent: int | None,
    evaluators: list[User],
    results_public: bool,
    today: dt.date,
) -> EvaluationCampaign:
    """The 司法局 defines a campaign: the files closed in the period are listed (the population,
    frozen) and the seed of the draw is made and committed (its SHA-256 recorded and shown)."""
    violations = _side(actor)
    bureau = actor.agency if not violations else None
    if bureau is not None:
        county = set(county_agencies(bureau=bureau).values_list("pk", flat=True))
        if any(a.pk not in county for a in agencies):
            violations.append(Violation("campaign.agencies", "只能评查本县的执法机关", CAMPAIGN_BASIS, "agencies"))
        pool = set(evaluator_candidates(bureau=bureau).values_list("pk", flat=True))
        if any(u.pk not in pool for u in evaluators):
            violations.append(Violation("campaign.evaluators", "评查人员须为本县执法机关的执法人员、法制审核人员或者负责人",
                                        CAMPAIGN_BASIS, "evaluators"))
    violations += definition_violations(
        title=title, period_start=period_start, period_end=period_end, procedures=procedures,
        agency_ids=[a.pk for a in agencies], sample_size=sample_size, sample_percent=sample_percent,
        evaluator_agency_ids=[u.agency_id for u in evaluators], today=today,
    )
    scope = []
    if not violations:
        scope = campaign_scope(agency_ids=[a.pk for a in agencies], procedures=procedures,
                               period_start=period_start, period_end=period_end)
        violations += population_violations(population=len(scope))
    if violations:
        raise Refused(violations)
    seed = seed_new()
    numbers = sorted(f.number for f in scope)
    region = bureau.region_code
    published = [s for kind in {PROCEDURE_KINDS[p] for p in procedures}
                 for s in published_standards(kind=kind, region=region)]
    standards = {str(kind): standard_to_data(standard) for kind, standard in
                 campaign_standards(procedures, on=today, region=region, published=published).items()}
    campaign = EvaluationCampaign.objects.create(
        bureau=bureau, title=title.strip(), period_start=period_start, period_end=period_end,
        procedures=sorted(procedures), sample_size=sample_size, sample_percent=sample_percent,
        results_public=results_public, state=State.SELF_CHECK, seed=seed, seed_commitment=seed_commitment(seed),
        population_sha256=hashlib.sha256(canonical_json(numbers)).hexdigest(), population_count=len(scope),
        standards=standards, defined_on=today, defined_by=actor,
    )
    campaign.agencies.set(agencies)
    campaign.evaluators.set(evaluators)
    CampaignFile.objects.bulk_create([
        CampaignFile(campaign=campaign, case_id=f.case_id, agency_id=f.agency_id, case_number=f.number,
                     case_procedure=f.procedure, closed_on=f.closed_on)
        for f in scope
    ])
    _event(EventKind.EVALUATION_CAMPAIGN_DEFINED, campaign, {
        "title": campaign.title,
        "period": [period_start.isoformat(), period_end.isoformat()],
        "procedures": campaign.procedures,
        "agencies": sorted(a.pk for a in agencies),
        "evaluators": sorted(_key(u.pk) for u in evaluators),
        "sample_size": sample_size,
        "sample_percent": sample_percent,
        "results_public": results_public,
        "population": numbers,
        "population_sha256": campaign.population_sha256,
        "seed_commitment": campaign.seed_commitment,
        "standards": {kind: data["version"] for kind, data in sorted(standards.items())},
    }, actor=actor)
    return campaign


def _scores_payload(results: dict[str, str], total: FileTotal) -> dict:
    return {"results": dict(sorted(results.items())), "total": f"{total.total:f}", "vetoed": list(total.vetoed),
            "grade": total.grade}


def _standard(file: CampaignFile, campaign: EvaluationCampaign) -> Standard:
    return file_standard_of(file, region=campaign.bureau.region_code)


AUTOMATIC_CHANGED = "campaign.automatic_changed"
AUTOMATIC_BASIS = "平台规则：评分按提交时所示的自动评查结果计算"


def _automatic(file: CampaignFile, standard: Standard, *, actor: User | None, now: dt.datetime) -> dict[str, ItemResult]:
    """The file's automatic items: as stored, or computed now from its records (the checks of the
    案卷评查 standard, as of the day it was closed) and stored with the records each looked at and the
    standard's version, with their ledger entry; never computed again, so the score does not change
    under the evaluator. `file` is locked by the caller.

    Before they are stored, a page (and the API's GET) shows them computed for the reading
    (`file_automatic_shown`), and the records (evidence, certificates) may change before the write
    that stores them: that write is given the digest of what was shown (`_automatic_scored`) and is
    refused when the results stored now differ, so that a score is never counted with results other
    than those its scorer saw."""
    stored = file_automatic(file)
    if stored is not None:
        return stored
    results = file_automatic_compute(file, standard)
    file.automatic_results, file.automatic_standard, file.automatic_at = automatic_to_data(results), standard.version, now
    file.save(update_fields=["automatic_results", "automatic_standard", "automatic_at"])
    _event(EventKind.EVALUATION_CAMPAIGN_AUTOMATIC, file.campaign, {
        "file": file.case_number, "standard": standard.version, "results": file.automatic_results,
    }, actor=actor, agency_id=file.agency_id, case_id=file.case_id)
    return results


def _automatic_scored(file: CampaignFile, standard: Standard, violations: list[Violation], *, actor: User | None,
                      now: dt.datetime, shown: str | None) -> dict[str, ItemResult]:
    """The automatic items a score is counted with: computed (and stored) unless the score is refused
    already; `shown`, the digest of the results shown to the scorer (`automatic_digest`; None: not
    compared), when it differs, adds the refusal (the transaction rolls back what was stored)."""
    if violations:
        return _pending(file, standard)
    automatic = _automatic(file, standard, actor=actor, now=now)
    if shown is not None and automatic_digest(automatic) != shown:
        violations.append(Violation(
            AUTOMATIC_CHANGED, "自动评查的结果在您打开案卷之后已有变化（案卷的记录有变动），评分没有提交；"
            "请核对现在的自动评查结果后再提交", AUTOMATIC_BASIS))
    return automatic


def _pending(file: CampaignFile, standard: Standard) -> dict[str, ItemResult]:
    """When the action is refused for another reason, nothing is computed: the automatic items are
    still not the evaluator's to score (stored results, else placeholders for the items checked)."""
    return file_automatic_pending(file, standard)


@transaction.atomic
def campaign_file_automatic_compute(*, file: CampaignFile, actor: User | None = None,
                                    now: dt.datetime | None = None) -> dict[str, ItemResult]:
    """Compute and store a file's automatic items if not yet done (the demo's course; the pages and the
    API show them unstored until a write needs them: `file_automatic_shown`)."""
    file = CampaignFile.objects.select_for_update().select_related("campaign__bureau").get(pk=file.pk)
    return _automatic(file, _standard(file, file.campaign), actor=actor, now=now or timezone.now())


@transaction.atomic
def campaign_self_check(*, actor: User, file: CampaignFile, results: dict[str, str],
                        automatic_shown: str | None = None) -> CampaignFile:
    """The file's agency scores it first (自查): its legal reviewer or head, once, before the draw.
    `automatic_shown`: the digest of the automatic results shown to the actor (`_automatic_scored`)."""
    file = CampaignFile.objects.select_for_update().select_related("campaign__bureau").get(pk=file.pk)
    campaign = file.campaign
    standard = _standard(file, campaign)
    violations = []
    if not user_self_checks(actor, file):
        violations.append(Violation("campaign.self_side", "只有本机关的法制审核人员或者负责人可以自查本机关的案卷",
                                    COURSE_BASIS))
    if campaign.state != State.SELF_CHECK:
        violations.append(Violation("campaign.self_closed", "已经抽取案卷，自查已经结束", COURSE_BASIS))
    if file.self_total is not None:
        violations.append(Violation("campaign.self_done", "该案卷已经自查，不能再改", COURSE_BASIS))
    automatic = _automatic_scored(file, standard, violations, actor=actor, now=timezone.now(), shown=automatic_shown)
    violations += results_violations_of(standard, results, automatic)
    if violations:
        raise Refused(violations)
    total = file_total(standard, results, automatic)
    file.self_results, file.self_total, file.self_grade, file.self_by = dict(results), total.total, total.grade, actor
    file.save(update_fields=["self_results", "self_total", "self_grade", "self_by"])
    _event(EventKind.EVALUATION_CAMPAIGN_SELF_CHECKED, campaign, {"file": file.case_number, **_scores_payload(results, total)},
           actor=actor, agency_id=file.agency_id, case_id=file.case_id)
    return file


@transaction.atomic
def campaign_draw_run(*, actor: User, campaign: EvaluationCampaign, now: dt.datetime | None = None) -> EvaluationCampaign:
    """The 司法局 draws the sample and two evaluators of other agencies for each file drawn, with the
    seed committed when the campaign was defined; the seed and the public inputs are stored with the
    result (shown from now on), and each evaluator's read grant on the file runs from now."""
    now = now or timezone.now()
    campaign = EvaluationCampaign.objects.select_for_update().get(pk=campaign.pk)
    evaluators = list(campaign.evaluators.all())
    violations = _side(actor, campaign)
    violations += draw_violations(state=campaign.state, self_checks_missing=self_checks_missing(campaign=campaign))
    agency_ids = list(campaign.agencies.values_list("pk", flat=True))
    violations += pool_violations(agency_ids=agency_ids, evaluator_agency_ids=[u.agency_id for u in evaluators])
    if violations:
        raise Refused(violations)
    files = {f.case_number: f for f in campaign.files.all()}
    k = sample_count(population=len(files), sample_size=campaign.sample_size, sample_percent=campaign.sample_percent)
    by_key = {_key(u.pk): u for u in evaluators}
    result = campaign_draw(
        seed=campaign.seed, commitment=campaign.seed_commitment, context=campaign_context(campaign.pk),
        population=list(files), k=k, file_agencies={n: str(f.agency_id) for n, f in files.items()},
        evaluator_agencies={key: str(u.agency_id) for key, u in by_key.items()},
    )
    days = int(parameters_default().value(GRANT_DAYS_PARAMETER, on=timezone.localdate(now)))
    assignments = []
    for position, number in enumerate(result.sample, start=1):
        file = files[number]
        file.sampled, file.draw_position = True, position
        file.save(update_fields=["sampled", "draw_position"])
        file.campaign = campaign
        _automatic(file, _standard(file, campaign), actor=actor, now=now)
        for order, key in enumerate(result.evaluators[number], start=1):
            user = by_key[key]
            assignments.append(CampaignAssignment(
                file=file, evaluator=user, evaluator_agency_id=user.agency_id, position=order,
                grant_starts_at=now, grant_expires_at=now + dt.timedelta(days=days)))
    CampaignAssignment.objects.bulk_create(assignments)
    campaign.state, campaign.draw_inputs, campaign.drawn_at, campaign.drawn_by = State.DRAWN, result.inputs, now, actor
    campaign.sample_count = k
    campaign.save(update_fields=["state", "draw_inputs", "drawn_at", "drawn_by", "sample_count"])
    _event(EventKind.EVALUATION_CAMPAIGN_DRAWN, campaign, {
        "seed": campaign.seed,
        "seed_commitment": campaign.seed_commitment,
        "inputs_sha256": hashlib.sha256(canonical_json(result.inputs)).hexdigest(),
        "sample": result.sample,
        "evaluators": result.evaluators,
        "grant_expires_at": (now + dt.timedelta(days=days)).isoformat(),
    }, actor=actor)
    return campaign


@transaction.atomic
def campaign_score(*, actor: User, assignment: CampaignAssignment, results: dict[str, str],
                   now: dt.datetime | None = None, automatic_shown: str | None = None) -> CampaignAssignment:
    """An evaluator drawn for the file scores its manual items, once, while the read grant runs. The
    second score decides: the file's final score (the mean), or re-grading by the 司法局 when the two
    differ by more than the parameter."""
    now = now or timezone.now()
    assignment = (CampaignAssignment.objects.select_for_update().select_related("file__campaign__bureau")
                  .get(pk=assignment.pk))
    file = assignment.file
    campaign = file.campaign
    standard = _standard(file, campaign)
    is_evaluator = assignment.evaluator_id == actor.pk
    violations = score_actor_violations(
        is_evaluator=is_evaluator, grant_active=grant_active(assignment, now),
        already_scored=assignment.scored_at is not None, state=campaign.state,
        same_agency=actor.agency_id == file.agency_id,
    )
    automatic = _automatic_scored(file, standard, violations, actor=actor, now=now, shown=automatic_shown)
    violations += results_violations_of(standard, results, automatic)
    if violations:
        raise Refused(violations)
    total = file_total(standard, results, automatic)
    assignment.results, assignment.total, assignment.vetoed = dict(results), total.total, bool(total.vetoed)
    assignment.grade, assignment.scored_at = total.grade, now
    assignment.save(update_fields=["results", "total", "vetoed", "grade", "scored_at"])
    payload = {"file": file.case_number, "evaluator": _key(actor.pk), **_scores_payload(results, total)}
    scored = list(file.assignments.filter(scored_at__isnull=False))
    if len(scored) == 2:
        threshold = Decimal(str(parameters_default().value(REGRADE_PARAMETER, on=timezone.localdate(now))))
        if regrade_needed(totals=[a.total for a in scored], vetoes=[a.vetoed for a in scored], threshold=threshold):
            file.regrade_required = True
            file.save(update_fields=["regrade_required"])
            payload["regrade_required"] = True
        else:
            final = final_of(standard, [a.total for a in scored], vetoed=all(a.vetoed for a in scored))
            file.final_total, file.final_grade, file.final_passed = final.total, final.grade, final.passed
            file.save(update_fields=["final_total", "final_grade", "final_passed"])
            payload["final"] = {"total": f"{final.total:f}", "grade": final.grade}
    _event(EventKind.EVALUATION_CAMPAIGN_SCORED, campaign, payload, actor=actor, agency_id=file.agency_id,
           case_id=file.case_id)
    return assignment


@transaction.atomic
def campaign_regrade(*, actor: User, file: CampaignFile, results: dict[str, str],
                     automatic_shown: str | None = None) -> CampaignFile:
    """The 司法局 re-grades (复评) a file whose two scores differ too much; its score stands."""
    file = CampaignFile.objects.select_for_update().select_related("campaign__bureau").get(pk=file.pk)
    campaign = file.campaign
    standard = _standard(file, campaign)
    violations = _side(actor, campaign)
    if not file.regrade_required or file.final_grade:
        violations.append(Violation("campaign.no_regrade", "该案卷不需要复评", RESULTS_BASIS))
    if campaign.state != State.DRAWN:
        violations.append(Violation("campaign.not_open", "该评查活动当前不接受评分", COURSE_BASIS))
    automatic = _automatic_scored(file, standard, violations, actor=actor, now=timezone.now(), shown=automatic_shown)
    violations += results_violations_of(standard, results, automatic)
    if violations:
        raise Refused(violations)
    total = file_total(standard, results, automatic)
    file.regrade_results, file.regrade_by = dict(results), actor
    file.final_total, file.final_grade, file.final_passed = total.total, total.grade, total.passed
    file.save(update_fields=["regrade_results", "regrade_by", "final_total", "final_grade", "final_passed"])
    _event(EventKind.EVALUATION_CAMPAIGN_REGRADED, campaign, {"file": file.case_number, **_scores_payload(results, total)},
           actor=actor, agency_id=file.agency_id, case_id=file.case_id)
    return file


@transaction.atomic
def campaign_results_publish(*, actor: User, campaign: EvaluationCampaign, today: dt.date) -> EvaluationCampaign:
    """The results, once every file drawn has its final score; they then count in the indicators."""
    campaign = EvaluationCampaign.objects.select_for_update().get(pk=campaign.pk)
    sampled = list(campaign.files.filter(sampled=True).order_by("draw_position"))
    violations = _side(actor, campaign)
    violations += results_violations(
        state=campaign.state,
        unscored=[f.case_number for f in sampled if not f.final_grade and not f.regrade_required],
        regrades_open=[f.case_number for f in sampled if not f.final_grade and f.regrade_required],
    )
    if violations:
        raise Refused(violations)
    campaign.state, campaign.published_on, campaign.published_by = State.PUBLISHED, today, actor
    campaign.save(update_fields=["state", "published_on", "published_by"])
    campaign.files.filter(sampled=True).update(published_on=today)
    _event(EventKind.EVALUATION_CAMPAIGN_PUBLISHED, campaign, {
        "published_on": today.isoformat(),
        "results_public": campaign.results_public,
        "results": [{"file": f.case_number, "agency": f.agency_id, "total": f"{f.final_total:f}",
                     "grade": f.final_grade} for f in sampled],
    }, actor=actor)
    if campaign.results_public:
        # The public read model is written in this transaction (publication subscribes atomically).
        names = dict(Agency.objects.filter(pk__in=[f.agency_id for f in sampled]).values_list("pk", "name"))
        evaluation_campaign_published_emit(EvaluationCampaignPublished(
            campaign_id=campaign.pk, bureau_name=campaign.bureau.name, title=campaign.title,
            period_start=campaign.period_start, period_end=campaign.period_end,
            kinds=tuple(procedure_label(p) for p in campaign.procedures),
            agencies=tuple(campaign.agencies.order_by("name").values_list("name", flat=True)),
            population_count=campaign.population_count, seed_commitment=campaign.seed_commitment,
            draw_inputs=campaign.draw_inputs, published_on=today, basis=CAMPAIGN_BASIS,
            results=tuple(PublicCampaignResult(file=f.case_number, agency=names[f.agency_id],
                                               total=f"{f.final_total:f}", grade=f.final_grade,
                                               passed=bool(f.final_passed)) for f in sampled),
        ))
    return campaign


def campaign_copy_document_open(*, viewer: User, campaign: EvaluationCampaign, file: CampaignFile, document_id: int,
                                ip_address: str | None, at: dt.datetime):
    """A document of the copy of `file` (its PDF as issued) opened for `viewer`, its download entered
    in the access log before a byte is read: (document, its bytes as an open file), or why not:
    "unreadable" (not someone who reads the copy now: the evaluator drawn, within the reading
    period; the bureau while it re-grades), "absent" (no such document in the copy) or "missing"
    (its file is not in the store; nothing is recorded). The page and the API serve the same."""
    assignment = assignment_of(file=file, viewer=viewer)
    if not copy_readable(viewer=viewer, campaign=campaign, file=file, assignment=assignment, at=at):
        return "unreadable"
    document = copy_document(file=file, document_id=document_id)
    if document is None:
        return "absent"
    try:
        blob = blob_store_get().open(document.pdf.stored_file.sha256)
    except FileNotFoundError:
        return "missing"
    try:
        with transaction.atomic():
            access_record(
                actor=viewer, action=AccessAction.DOWNLOAD, object_kind="evaluation.campaign_file", object_id=file.pk,
                object_label=f"案卷评查副本 {file.case_number} {document.title}", agency_id=file.agency_id,
                ip_address=ip_address, details={"campaign": campaign.pk, "document": document.pk},
            )
    except BaseException:
        blob.close()
        raise
    return document, blob

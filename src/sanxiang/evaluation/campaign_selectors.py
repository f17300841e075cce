"""Reads of 案卷评查活动 (issue 16, item 4): who sees which campaign, the files in a campaign's scope,
the evaluators a 司法局 may name, a campaign with its files and evaluators, and the copy of a file an
evaluator reads under the campaign's read grant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import guard_context, spec_of, state_label
from sanxiang.evaluation.casefile_selectors import case_file_facts
from sanxiang.evaluation.models import CampaignAssignment, CampaignFile, EvaluationCampaign
from sanxiang.evaluation.target_selectors import user_defines_campaigns
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.selectors import entries_of_cases
from sanxiang.procedure.evaluation.campaigns import (
    CAMPAIGN_PROCEDURES,
    PROCEDURE_KINDS,
    State,
    automatic_from_data,
    file_standard,
)
from sanxiang.procedure.evaluation.casefile_checks import CHECKERS, casefile_results
from sanxiang.procedure.evaluation.casefile_standard import ItemResult, Standard, standard_from_data
from sanxiang.procedure.evaluation.indicators import indicator_current
from sanxiang.registry.models import Agency, AgencyStatus

EVALUATOR_ROLES = (Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD)
SELF_CHECK_ROLES = (Role.REVIEWER, Role.AGENCY_HEAD)


def file_standard_of(file: CampaignFile, *, region: str) -> Standard:
    """The 案卷评查 standard a file is scored on: its kind's as recorded on the campaign when it was
    defined (the county's published version in force that day, else the platform's default); for a
    campaign defined before standards were recorded, the default in force on the day it was closed."""
    recorded = file.campaign.standards.get(PROCEDURE_KINDS[file.case_procedure])
    if recorded:
        return standard_from_data(recorded)
    return file_standard(file.case_procedure, on=file.closed_on, region=region)


def file_automatic(file: CampaignFile) -> dict[str, ItemResult] | None:
    """The file's automatic items as computed and stored (None: not computed yet)."""
    return None if file.automatic_results is None else automatic_from_data(file.automatic_results)


def file_automatic_compute(file: CampaignFile, standard: Standard) -> dict[str, ItemResult]:
    """The file's automatic items computed now from its records (the checks of the 案卷评查 standard,
    as of the day it was closed), each with the records it looked at; nothing is stored. A page shows
    them so before any score; the write that first needs them (the draw, a self-check, a score, a
    re-grade) stores them with their ledger entry (`campaign_services`), so that looking at a file
    never changes its record."""
    case = Case.objects.select_related("agency", "party").get(pk=file.case_id)
    return casefile_results(standard, case_file_facts(case), guard_context(on=file.closed_on))


def file_automatic_pending(file: CampaignFile, standard: Standard) -> dict[str, ItemResult]:
    """Which of the standard's items are automatic (what a scoring form leaves out), without
    computing them: the stored results, else a placeholder per automatic item. A write computes
    them itself under the file's lock; its form needs only which items they are."""
    return file_automatic(file) or {i.code: ItemResult() for i in standard.automatic_items if i.function in CHECKERS}


def file_automatic_shown(file: CampaignFile, standard: Standard, *, to_score: bool) -> dict[str, ItemResult] | None:
    """The automatic items a file's page (and the API's GET) shows: as stored; else, to who may score
    the file now, as they would be computed now (unstored); else none."""
    stored = file_automatic(file)
    if stored is not None or not to_score:
        return stored
    return file_automatic_compute(file, standard)


def campaigns_visible(*, viewer: User) -> QuerySet[EvaluationCampaign]:
    """Supervisors: their county's campaigns; system administrators: all; an agency's user: the
    campaigns that evaluate their agency or name them as an evaluator."""
    rows = EvaluationCampaign.objects.select_related("bureau")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if viewer.role == Role.SUPERVISOR:
        if viewer.agency_id is None:
            return rows.none()
        return rows.filter(bureau__region_code=viewer.agency.region_code)
    if viewer.agency_id is None:
        return rows.none()
    return rows.filter(Q(agencies=viewer.agency_id) | Q(evaluators=viewer.pk)).distinct()


def campaign_get(*, viewer: User, campaign_id: int) -> EvaluationCampaign:
    campaign = campaigns_visible(viewer=viewer).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def county_agencies(*, bureau: Agency) -> QuerySet[Agency]:
    """The enforcement agencies of the bureau's county (not the bureau itself)."""
    return Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False,
                                 status=AgencyStatus.ACTIVE).order_by("name", "pk")


def evaluator_candidates(*, bureau: Agency) -> QuerySet[User]:
    """The users of the county's agencies who may be named evaluators (互查): officers, legal
    reviewers and heads."""
    return (User.objects.filter(agency__in=county_agencies(bureau=bureau), role__in=EVALUATOR_ROLES, is_active=True)
            .select_related("agency").order_by("agency__name", "username"))


@dataclass(frozen=True)
class ScopeFile:
    case_id: int
    agency_id: int
    number: str
    procedure: str
    closed_on: dt.date


def campaign_scope(*, agency_ids: list[int], procedures: list[str], period_start: dt.date,
                   period_end: dt.date) -> list[ScopeFile]:
    """The files a campaign lists: the cases of the agencies and procedures closed in the period. A
    case is closed in one of its procedure's closed states (`CAMPAIGN_PROCEDURES`); the day it was
    closed is the day of the last step it took, read from the ledger. Two queries."""
    in_state = Q(pk__in=[])
    for key in procedures:
        in_state |= Q(procedure=key, state__in=CAMPAIGN_PROCEDURES.get(key, ()))
    cases = list(Case.objects.filter(agency_id__in=agency_ids).filter(in_state)
                 .values_list("pk", "agency_id", "number", "procedure"))
    last_steps = dict(
        entries_of_cases(case_ids=[c[0] for c in cases]).filter(kind=EventKind.STEP_DONE)
        .values("case_id").annotate(last=Max("created_at")).values_list("case_id", "last")
    )
    files = []
    for pk, agency_id, number, procedure in cases:
        last = last_steps.get(pk)
        if last is None:
            continue
        closed_on = timezone.localtime(last).date()
        if period_start <= closed_on <= period_end:
            files.append(ScopeFile(pk, agency_id, number, procedure, closed_on))
    return sorted(files, key=lambda f: f.number)


def _bureau_side(viewer: User) -> bool:
    return viewer.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def draw_inputs_visible(*, viewer: User, campaign: EvaluationCampaign) -> bool:
    """Whether the viewer sees the drawn seed and the draw's inputs (page, download and API alike).
    With them and the public algorithm, each file's two evaluators can be recomputed, and who evaluates
    a file is hidden from its agency until the results are published. Platform rule: the bureau's side
    (and a system administrator) once drawn; everyone who sees the campaign once the results are
    published (the commitment to the seed is public from the start)."""
    if campaign.draw_inputs is None or not campaign.seed:
        return False
    return _bureau_side(viewer) or campaign.published_on is not None


def final_result_visible(*, viewer: User, campaign: EvaluationCampaign, evaluator_ids) -> bool:
    """Whether the viewer sees a file's result (the average of the two scores, its grade) before the
    results are published: not one of the file's evaluators, who would derive the other's score from
    it and their own. Platform rule; everyone who sees the file once published, the bureau's side always."""
    if campaign.published_on is not None or _bureau_side(viewer):
        return True
    return viewer.pk not in set(evaluator_ids)


def campaign_files(*, campaign: EvaluationCampaign) -> list[CampaignFile]:
    """The campaign's files with their agency and evaluators: three queries whatever their number."""
    return list(_files_listed(campaign.files.all()))


# The files of a campaign a page shows at a time (a county's campaign lists hundreds).
FILES_PAGE_SIZE = 50


def _files_listed(files: QuerySet[CampaignFile]) -> QuerySet[CampaignFile]:
    assignments = CampaignAssignment.objects.select_related("evaluator", "evaluator_agency").order_by("position")
    return (files.select_related("agency").prefetch_related(Prefetch("assignments", queryset=assignments))
            .order_by("case_number", "pk"))


def campaign_files_for(*, viewer: User, campaign: EvaluationCampaign) -> QuerySet[CampaignFile]:
    """The files of the campaign the viewer's page lists, with their agency and evaluators, for a
    paginator: the bureau's side every file; an agency's user the files of their agency and those
    they evaluate."""
    files = campaign.files.all()
    if viewer.role not in (Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        evaluated = CampaignAssignment.objects.filter(file__campaign=campaign, evaluator=viewer).values("file_id")
        files = files.filter(Q(agency_id=viewer.agency_id) | Q(pk__in=evaluated))
    return _files_listed(files)


def campaign_counts_of(*, campaign: EvaluationCampaign) -> dict[str, int]:
    """`campaign_counts` of all the campaign's files, counted by the database in one query."""
    sampled = Q(sampled=True)
    counted = campaign.files.aggregate(  # names apart from the fields' (an aggregate may not shadow one)
        n_listed=Count("pk"),
        n_self_checked=Count("pk", filter=Q(self_total__isnull=False)),
        n_sampled=Count("pk", filter=sampled),
        n_final=Count("pk", filter=sampled & ~Q(final_grade="")),
        n_passed=Count("pk", filter=sampled & Q(final_passed=True)),
        n_regrade=Count("pk", filter=sampled & Q(regrade_required=True, final_grade="")),
    )
    return {name.removeprefix("n_"): value for name, value in counted.items()}


def self_checks_missing(*, campaign: EvaluationCampaign) -> dict[str, int]:
    """Per agency (by name), the listed files not yet self-checked."""
    missing: dict[str, int] = {}
    for name in campaign.files.filter(self_total__isnull=True).values_list("agency__name", flat=True):
        missing[name] = missing.get(name, 0) + 1
    return missing


def user_self_checks(user: User, file: CampaignFile) -> bool:
    return user.is_authenticated and user.role in SELF_CHECK_ROLES and user.agency_id == file.agency_id


def file_get(*, viewer: User, campaign: EvaluationCampaign, file_id: int) -> CampaignFile:
    """A file of a campaign the viewer sees: the bureau's side every file, an agency's user the files
    of their agency and those they evaluate."""
    file = campaign.files.select_related("agency", "case").filter(pk=file_id).first()
    if file is None:
        raise Http404
    if viewer.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN) or viewer.agency_id == file.agency_id:
        return file
    if file.assignments.filter(evaluator=viewer).exists():
        return file
    raise Http404


def assignment_of(*, file: CampaignFile, viewer: User) -> CampaignAssignment | None:
    return file.assignments.filter(evaluator=viewer).first()


def grant_active(assignment: CampaignAssignment | None, at: dt.datetime) -> bool:
    return assignment is not None and assignment.grant_starts_at <= at < assignment.grant_expires_at


def copy_readable(*, viewer: User, campaign: EvaluationCampaign, file: CampaignFile,
                  assignment: CampaignAssignment | None, at: dt.datetime) -> bool:
    """Who reads the copy of a file drawn: its evaluator while the read grant runs, and the 司法局's
    supervisors while the file waits for their re-grading (the campaign is their 案卷评查)."""
    if campaign.state != "drawn" or not file.sampled:
        return False
    if grant_active(assignment, at):
        return True
    return (file.regrade_required and not file.final_grade and user_defines_campaigns(viewer)
            and viewer.agency_id == campaign.bureau_id)


@dataclass(frozen=True)
class FileCopy:
    """The copy of a file an evaluator reads: the case's particulars and its documents as issued."""

    number: str
    title: str
    agency_name: str
    procedure_label: str
    state_label: str
    documents: list[IssuedDocument]


def file_copy(*, file: CampaignFile) -> FileCopy:
    case = file.case
    documents = list(IssuedDocument.objects.filter(case=case).order_by("issued_on", "pk"))
    return FileCopy(case.number, case.title, file.agency.name, spec_of(case).label, state_label(case), documents)


def copy_document(*, file: CampaignFile, document_id: int) -> IssuedDocument | None:
    return (IssuedDocument.objects.filter(pk=document_id, case_id=file.case_id, pdf__isnull=False)
            .select_related("pdf__stored_file").first())


def campaign_counts(*, files: list[CampaignFile]) -> dict[str, int]:
    sampled = [f for f in files if f.sampled]
    return {
        "listed": len(files),
        "self_checked": sum(1 for f in files if f.self_total is not None),
        "sampled": len(sampled),
        "final": sum(1 for f in sampled if f.final_grade),
        "passed": sum(1 for f in sampled if f.final_passed),
        "regrade": sum(1 for f in sampled if f.regrade_required and not f.final_grade),
    }


def campaign_notice_indicator_lines(*, bureau: Agency, on: dt.date) -> list[str]:
    """The 案卷评查合格率 of the bureau's latest campaign whose results were published by `on`, for a 通报:
    the county's and each agency's (files 合格 or better ÷ files drawn). Two queries; none: []."""
    campaign = (EvaluationCampaign.objects.filter(bureau=bureau, state=State.PUBLISHED, published_on__lte=on)
                .order_by("-published_on", "-pk").first())
    if campaign is None:
        return []
    indicator = indicator_current("case_file_pass_rate", on=campaign.published_on)
    rows = list(campaign.files.filter(sampled=True).values("agency_id", "agency__name").order_by("agency__name", "agency_id")
                .annotate(drawn=Count("pk"), passed=Count("pk", filter=Q(final_passed=True))))

    def rate(passed: int, drawn: int) -> str:
        value = indicator.value(passed, drawn)
        return "—" if value is None else f"{value:g}%"

    drawn, passed = sum(r["drawn"] for r in rows), sum(r["passed"] for r in rows)
    lines = [f"{indicator.name}（{campaign.title}，{campaign.published_on:%Y年%m月%d日}公布结果）：抽中案卷{drawn}份，"
             f"合格以上{passed}份，{rate(passed, drawn)}"]
    lines += [f"{r['agency__name']}：抽中{r['drawn']}份，合格以上{r['passed']}份，{rate(r['passed'], r['drawn'])}"
              for r in rows]
    return lines

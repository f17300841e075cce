"""Reads of the closing steps (总结验收, issue 15 item 7): who sees which summary, the bureau's year of
every agency's summary, the acceptance round and its checklists, the work report, and the records
behind a figure. A bounded number of queries whatever the number of agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.evaluation.closing_figures import figure_rows
from sanxiang.evaluation.models import (
    AcceptanceCheck,
    AcceptanceRound,
    AnnualSummary,
    SummaryStep,
    TrainingSession,
    WorkReport,
)
from sanxiang.evaluation.report_selectors import ReportFlags, report_flags, user_is_supervisor
from sanxiang.evaluation.training_selectors import OfficerTraining, training_compliance
from sanxiang.registry.models import Agency, AgencyStatus


def summaries_for(*, viewer: User) -> QuerySet[AnnualSummary]:
    """A supervisor reads the summaries sent to their bureau, an agency's staff their own, the
    system administrator all; nobody else any."""
    rows = AnnualSummary.objects.select_related("agency", "bureau")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if user_is_supervisor(viewer):
        return rows.filter(bureau_id=viewer.agency_id)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(agency_id=viewer.agency_id)
    return rows.none()


def summary_get(*, viewer: User, summary_id: int) -> AnnualSummary:
    summary = summaries_for(viewer=viewer).filter(pk=summary_id).first()
    if summary is None:
        raise Http404
    return summary


def summary_steps(*, summary: AnnualSummary) -> list[SummaryStep]:
    return list(summary.steps.select_related("actor").order_by("pk"))


@dataclass(frozen=True)
class SummaryRow:
    agency: Agency
    summary: AnnualSummary | None  # None: not drafted (yet)
    flags: ReportFlags | None


def bureau_summaries(*, bureau: Agency, year: int, today: dt.date) -> list[SummaryRow]:
    """Every agency of the bureau's county with its summary of `year`: two queries."""
    agencies = list(
        Agency.objects.filter(
            region_code=bureau.region_code, is_judicial_bureau=False, status=AgencyStatus.ACTIVE
        ).order_by("name", "pk")
    )
    summaries = {
        s.agency_id: s
        for s in AnnualSummary.objects.filter(bureau=bureau, year=year).select_related("agency")
    }
    rows = [
        SummaryRow(
            a, summaries.get(a.pk), report_flags(summaries[a.pk], today=today) if a.pk in summaries else None
        )
        for a in agencies
    ]
    listed = {a.pk for a in agencies}
    rows += [
        SummaryRow(s.agency, s, report_flags(s, today=today))
        for s in summaries.values()
        if s.agency_id not in listed
    ]
    return rows


def agency_summaries(*, viewer: User, today: dt.date) -> list[tuple[AnnualSummary, ReportFlags]]:
    rows = summaries_for(viewer=viewer).filter(agency_id=viewer.agency_id).order_by("-year")[:10]
    return [(s, report_flags(s, today=today)) for s in rows]


def acceptance_round_get(*, bureau: Agency, year: int) -> AcceptanceRound | None:
    return (
        AcceptanceRound.objects.filter(bureau=bureau, year=year)
        .select_related("opened_by", "closed_by")
        .first()
    )


def round_checks(*, round_: AcceptanceRound) -> list[AcceptanceCheck]:
    return list(round_.checks.select_related("agency").order_by("agency__name", "pk"))


def check_get(*, viewer: User, check_id: int) -> AcceptanceCheck:
    """A checklist, for the supervisors of the bureau whose round it is."""
    check = (
        AcceptanceCheck.objects.select_related("round", "agency", "round__bureau", "concluded_by")
        .filter(pk=check_id)
        .first()
    )
    if check is None or not user_is_supervisor(viewer) or check.round.bureau_id != viewer.agency_id:
        raise Http404
    return check


def check_concluded(*, agency_id: int, year: int) -> AcceptanceCheck | None:
    """The agency's checklist of `year` once the round is over (what the agency reads of its
    acceptance: scores, findings, result)."""
    return (
        AcceptanceCheck.objects.filter(agency_id=agency_id, round__year=year, round__closed_on__isnull=False)
        .select_related("round")
        .order_by("-round_id")
        .first()
    )


def work_report_get(*, bureau: Agency, year: int) -> WorkReport | None:
    return WorkReport.objects.filter(bureau=bureau, year=year).select_related("round", "submitted_by").first()


def records_agency_ids(*, viewer: User, agency_id: int | None) -> list[int] | None:
    """The agencies whose records the viewer reads behind a figure: a supervisor its county's (or one
    of them), an agency's staff their own, the system administrator all; None: nobody's."""
    if viewer.is_authenticated and viewer.role == Role.SYSTEM_ADMIN:
        ids = list(Agency.objects.filter(is_judicial_bureau=False).values_list("pk", flat=True))
    elif user_is_supervisor(viewer):
        ids = list(
            Agency.objects.filter(
                region_code=viewer.agency.region_code, is_judicial_bureau=False, status=AgencyStatus.ACTIVE
            ).values_list("pk", flat=True)
        )
    elif viewer.is_authenticated and viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        ids = [viewer.agency_id]
    else:
        return None
    if agency_id is not None:
        ids = [i for i in ids if i == agency_id]
    return ids


def closing_figure_rows(*, viewer: User, key: str, year: int, agency_id: int | None):
    """The monthly reports, summaries or checklists behind a figure (None: not a figure of these
    pages, or nothing the viewer reads)."""
    ids = records_agency_ids(viewer=viewer, agency_id=agency_id)
    if ids is None:
        return None
    if viewer.role in AGENCY_ROLES and key.startswith("acceptance."):
        return None  # the checklists are the bureau's
    # A supervisor: what went to their bureau; an agency's staff: their own, to whichever bureau.
    bureau_id = viewer.agency_id if user_is_supervisor(viewer) else None
    return figure_rows(key=key, year=year, agency_ids=ids, bureau_id=bureau_id)


TRAINING_KEYS = ("training.sessions", "training.officers", "training.met")


def closing_training_rows(*, viewer: User, key: str, year: int,
                          agency_id: int | None) -> list[TrainingSession] | list[OfficerTraining] | None:
    """The records behind a training figure of the work report or a summary, as the figure counts
    them: the sessions the agencies organised in the year (`training.sessions`), or their serving
    officers (`training.officers`), those meeting the year's hours (`training.met`). None: not a
    training figure, or nobody's the viewer reads. Raises ParameterMissing for a year before the
    required hours. Two queries at most."""
    ids = records_agency_ids(viewer=viewer, agency_id=agency_id)
    if ids is None or key not in TRAINING_KEYS:
        return None
    if key == "training.sessions":
        return list(TrainingSession.objects.filter(organiser_id__in=ids, held_on__year=year)
                    .select_related("organiser").order_by("held_on", "pk"))
    compliance = training_compliance(ids, year)
    # As the figure counts them (closing_figures._training_figures): by each officer's own hours.
    return [o for o in compliance.officers if o.met] if key == "training.met" else compliance.officers

"""Reads of 培训 (issue 15, item 6): the sessions a user sees, the attendances behind every hour, each
officer's hours in a year against the required hours, the per-agency summary the 司法局 reads, and
`training_compliance` (培训达标率 with the records behind both numbers) for the indicators.

Who sees what: an agency's users the sessions their agency organised and the county 司法局's
sessions, with the attendances of their own officers only; a supervisor every session of the county
and every attendance; the system administrator all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.evaluation.models import TrainingAttendance, TrainingSession
from sanxiang.procedure.evaluation.training import Compliance, compliance_compute, required_hours
from sanxiang.registry.models import Agency, AgencyStatus, Officer, OfficerStatus
from sanxiang.supervision.filing_selectors import user_is_bureau_supervisor

PAGE_SIZE = 50


def _county_region(viewer: User) -> str | None:
    if user_is_bureau_supervisor(viewer):
        return viewer.agency.region_code
    return None


def sessions_for(*, viewer: User) -> QuerySet[TrainingSession]:
    rows = TrainingSession.objects.select_related("organiser")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    region = _county_region(viewer)
    if region is not None:
        return rows.filter(organiser__region_code=region)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        own = viewer.agency
        return rows.filter(Q(organiser_id=own.pk)
                           | Q(organiser__is_judicial_bureau=True, organiser__region_code=own.region_code))
    return rows.none()


def session_get(*, viewer: User, session_id: int) -> TrainingSession:
    found = sessions_for(viewer=viewer).filter(pk=session_id).first()
    if found is None:
        raise Http404
    return found


def attendances_visible(*, viewer: User) -> QuerySet[TrainingAttendance]:
    """The attendances a viewer may read: an agency's users only their own officers'."""
    rows = TrainingAttendance.objects.select_related("officer", "agency", "session")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    region = _county_region(viewer)
    if region is not None:
        return rows.filter(session__organiser__region_code=region)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(agency_id=viewer.agency_id)
    return rows.none()


def session_attendances(*, viewer: User, session: TrainingSession) -> list[TrainingAttendance]:
    return list(attendances_visible(viewer=viewer).filter(session=session).order_by("agency__name", "officer__name",
                                                                                    "pk"))


def attendee_candidates(*, session: TrainingSession) -> QuerySet[Officer]:
    """Who may be recorded as attending: the organiser's own officers; for a session of the 司法局,
    the officers of every agency of its county. Serving officers only."""
    rows = Officer.objects.filter(status=OfficerStatus.ACTIVE).select_related("agency")
    organiser = session.organiser
    if organiser.is_judicial_bureau:
        return rows.filter(agency__region_code=organiser.region_code).order_by("agency__name", "name", "pk")
    return rows.filter(agency_id=organiser.pk).order_by("name", "pk")


def agencies_visible(*, viewer: User) -> QuerySet[Agency]:
    """The enforcement agencies whose training the viewer reads."""
    rows = Agency.objects.filter(is_judicial_bureau=False, status=AgencyStatus.ACTIVE).order_by("name", "pk")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    region = _county_region(viewer)
    if region is not None:
        return rows.filter(region_code=region)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(pk=viewer.agency_id)
    return rows.none()


# --- hours and compliance -----------------------------------------------------------------------------


@dataclass
class OfficerTraining:
    """An officer's training in a year: the hours and the attendances that make them up."""

    officer_id: int
    name: str
    agency_id: int
    agency_name: str
    hours: Decimal = Decimal(0)
    attendance_ids: list[int] = field(default_factory=list)
    required: Decimal = Decimal(0)

    @property
    def met(self) -> bool:
        return self.hours >= self.required

    @property
    def short_by(self) -> Decimal:
        return max(self.required - self.hours, Decimal(0))


@dataclass(frozen=True)
class TrainingCompliance:
    """培训达标率 of some agencies in a year: `met` officers (numerator) among `officers`
    (denominator), each with the attendances behind their hours."""

    year: int
    required: Decimal
    officers: list[OfficerTraining]
    met: list[OfficerTraining]
    compliance: Compliance

    @property
    def met_count(self) -> int:
        return len(self.met)

    @property
    def officer_count(self) -> int:
        return len(self.officers)

    @property
    def rate(self) -> Decimal | None:
        return self.compliance.rate


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def training_compliance(agency_ids: Iterable[int], year: int) -> TrainingCompliance:
    """The serving officers of `agency_ids` who attended at least the required hours in `year`,
    against all of them, with the attendance records behind each officer's hours. Two queries."""
    agency_ids = list(agency_ids)
    required = required_hours(year=year)
    officers = {
        o.pk: OfficerTraining(officer_id=o.pk, name=o.name, agency_id=o.agency_id, agency_name=o.agency.name,
                              required=required)
        for o in Officer.objects.filter(agency_id__in=agency_ids, status=OfficerStatus.ACTIVE)
        .select_related("agency").order_by("agency__name", "name", "pk")
    }
    start, end = _year_bounds(year)
    attendances = list(
        TrainingAttendance.objects.filter(officer_id__in=list(officers), session__held_on__range=(start, end))
        .order_by("session__held_on", "pk").values_list("pk", "officer_id", "hours")
    )
    for pk, officer_id, hours in attendances:
        officers[officer_id].hours += hours
        officers[officer_id].attendance_ids.append(pk)
    compliance = compliance_compute(officer_ids=officers, attendances=[(o, h) for _pk, o, h in attendances],
                                    required=required)
    rows = list(officers.values())
    met_ids = set(compliance.met)
    return TrainingCompliance(year=year, required=required, officers=rows,
                              met=[r for r in rows if r.officer_id in met_ids], compliance=compliance)


@dataclass(frozen=True)
class AgencyTrainingRow:
    agency: Agency
    officers: int
    met: int
    sessions: int  # sessions the agency organised in the year
    session_hours: Decimal
    attended_hours: Decimal  # hours its officers attended (any organiser)

    @property
    def short(self) -> int:
        return self.officers - self.met

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.met) / Decimal(self.officers) if self.officers else None


def agency_training_summary(*, viewer: User, year: int) -> tuple[list[AgencyTrainingRow], TrainingCompliance]:
    """Each agency the viewer reads: officers, officers meeting the hours, sessions it organised and
    the hours attended (the training the plan asks agencies to report to the 司法局). Four queries."""
    agencies = list(agencies_visible(viewer=viewer))
    compliance = training_compliance([a.pk for a in agencies], year)
    start, end = _year_bounds(year)
    organised: dict[int, tuple[int, Decimal]] = {}
    for organiser_id, hours in TrainingSession.objects.filter(
        organiser_id__in=[a.pk for a in agencies], held_on__range=(start, end)
    ).values_list("organiser_id", "hours"):
        count, total = organised.get(organiser_id, (0, Decimal(0)))
        organised[organiser_id] = (count + 1, total + hours)
    rows = []
    for agency in agencies:
        own = [o for o in compliance.officers if o.agency_id == agency.pk]
        count, total = organised.get(agency.pk, (0, Decimal(0)))
        rows.append(AgencyTrainingRow(
            agency=agency, officers=len(own), met=sum(1 for o in own if o.met), sessions=count, session_hours=total,
            attended_hours=sum((o.hours for o in own), Decimal(0)),
        ))
    return rows, compliance

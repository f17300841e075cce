"""Reads of the registry, always scoped to what the viewer may see. An object of another
agency is reported as absent (404), never as forbidden, so that its existence does not leak."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from sanxiang.procedure.team import Finding, team_health
from sanxiang.registry.models import Agency, Certificate, Matter, Officer, Party
from sanxiang.registry.permissions import Actor, user_can_read_agency, user_reads_all_agencies


def agency_list(*, viewer: Actor, search: str = "") -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("entrusting_agency").annotate(
        officer_count=Count("officers", filter=Q(officers__status="active"), distinct=True)
    ).order_by("name")  # Meta.ordering is dropped from aggregate queries
    if not user_reads_all_agencies(viewer):
        agencies = agencies.filter(pk=viewer.agency_id) if viewer.is_authenticated else agencies.none()
    if search:
        agencies = agencies.filter(Q(name__icontains=search) | Q(credit_code__icontains=search))
    return agencies


def agency_get(*, viewer: Actor, agency_id: int) -> Agency:
    if not user_can_read_agency(viewer, agency_id):
        raise Http404
    try:
        return Agency.objects.select_related("entrusting_agency").get(pk=agency_id)
    except Agency.DoesNotExist as missing:
        raise Http404 from missing


def officer_list(*, viewer: Actor, agency_id: int | None = None, search: str = "") -> QuerySet[Officer]:
    officers = Officer.objects.select_related("agency").prefetch_related("certificates")
    if not user_reads_all_agencies(viewer):
        officers = officers.filter(agency_id=viewer.agency_id)
    if agency_id is not None:
        officers = officers.filter(agency_id=agency_id)
    if search:
        officers = officers.filter(
            Q(name__icontains=search) | Q(certificates__number__icontains=search) | Q(post__icontains=search)
        ).distinct()
    return officers


def officer_get(*, viewer: Actor, officer_id: int) -> Officer:
    try:
        officer = Officer.objects.select_related("agency").prefetch_related("certificates").get(pk=officer_id)
    except Officer.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_agency(viewer, officer.agency_id):
        raise Http404
    return officer


def certificate_get(*, viewer: Actor, certificate_id: int) -> Certificate:
    try:
        certificate = Certificate.objects.select_related("officer__agency").get(pk=certificate_id)
    except Certificate.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_agency(viewer, certificate.officer.agency_id):
        raise Http404
    return certificate


def matter_list(*, viewer: Actor, agency_id: int | None = None, search: str = "", kind: str = "") -> QuerySet[Matter]:
    matters = Matter.objects.select_related("agency")
    if not user_reads_all_agencies(viewer):
        matters = matters.filter(agency_id=viewer.agency_id)
    if agency_id is not None:
        matters = matters.filter(agency_id=agency_id)
    if kind:
        matters = matters.filter(kind=kind)
    if search:
        matters = matters.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return matters


def matter_get(*, viewer: Actor, matter_id: int) -> Matter:
    try:
        matter = Matter.objects.select_related("agency").get(pk=matter_id)
    except Matter.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_agency(viewer, matter.agency_id):
        raise Http404
    return matter


def party_list(*, viewer: Actor, search: str = "") -> QuerySet[Party]:
    parties = Party.objects.select_related("agency")
    if not user_reads_all_agencies(viewer):
        parties = parties.filter(agency_id=viewer.agency_id)
    if search:
        parties = parties.filter(Q(name__icontains=search) | Q(credit_code__icontains=search))
    return parties


def party_get(*, viewer: Actor, party_id: int) -> Party:
    try:
        party = Party.objects.select_related("agency").get(pk=party_id)
    except Party.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_agency(viewer, party.agency_id):
        raise Http404
    return party


@dataclass(frozen=True)
class AgencyHealth:
    agency: Agency
    findings: list[Finding]

    @property
    def danger_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "danger")

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def _officers_with_certificates(agency_ids: list[int]) -> dict[int, list[Officer]]:
    grouped: dict[int, list[Officer]] = {agency_id: [] for agency_id in agency_ids}
    officers = Officer.objects.filter(agency_id__in=agency_ids).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.all())
    )
    for officer in officers:
        grouped[officer.agency_id].append(officer)
    return grouped


def team_health_for_agency(*, viewer: Actor, agency: Agency, on: dt.date | None = None) -> AgencyHealth:
    if not user_can_read_agency(viewer, agency.pk):
        raise Http404
    on = on or dt.date.today()
    officers = _officers_with_certificates([agency.pk])[agency.pk]
    return AgencyHealth(agency, team_health([o.snapshot() for o in officers], on=on, region=agency.region_code))


def team_health_overview(*, viewer: Actor, on: dt.date | None = None) -> list[AgencyHealth]:
    """Every agency the viewer may read, those needing most attention first."""
    on = on or dt.date.today()
    agencies = list(agency_list(viewer=viewer).filter(status="active"))
    grouped = _officers_with_certificates([a.pk for a in agencies])
    healths = [
        AgencyHealth(a, team_health([o.snapshot() for o in grouped[a.pk]], on=on, region=a.region_code))
        for a in agencies
    ]
    return sorted(healths, key=lambda h: (-h.danger_count, -h.warning_count, h.agency.name))

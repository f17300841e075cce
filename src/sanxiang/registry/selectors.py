"""Reads of the registry, always scoped to what the viewer may see. An object of another
agency is reported as absent (404), never as forbidden, so that its existence does not leak."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.registry_rules import certificate_problems_on, officer_problems_on
from sanxiang.procedure.team import Finding, team_health
from sanxiang.registry.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Matter,
    Officer,
    Party,
    SupervisionCertificate,
    Supervisor,
)
from sanxiang.registry.permissions import (
    Actor,
    user_can_read_agency,
    user_can_read_supervisors,
    user_county_region,
    user_reads_all_agencies,
)


def _readable(rows: QuerySet, viewer: Actor, *, field: str = "agency") -> QuerySet:
    """The rows of the agencies the viewer reads: their own agency's; for a reader across agencies,
    those of their county (a supervisor) or of every county (a system administrator)."""
    if not viewer.is_authenticated:
        return rows.none()
    if not user_reads_all_agencies(viewer):
        own = "pk" if field == "" else f"{field}_id"
        return rows.filter(**{own: viewer.agency_id}) if viewer.agency_id else rows.none()
    region = user_county_region(viewer)
    if region is None:
        return rows
    return rows.filter(**{"region_code" if field == "" else f"{field}__region_code": region})


def agency_list(*, viewer: Actor, search: str = "") -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("entrusting_agency").annotate(
        officer_count=Count("officers", filter=Q(officers__status="active"), distinct=True)
    ).order_by("name")  # Meta.ordering is dropped from aggregate queries
    agencies = _readable(agencies, viewer, field="")
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
    officers = _readable(officers, viewer)
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
    matters = _readable(matters, viewer)
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
    parties = _readable(parties, viewer)
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


# --- choosing officers (the registration form's picker) and an officer's own certificates -----------

# A certificate's state as a person reads it, judged by the registry's own rule
# (`certificate_problems_on`): a revoked or suspended certificate reads so whatever its dates.
CERTIFICATE_STATE_LABELS = {
    "certificate.revoked": "已注销",
    "certificate.suspended": "暂扣",
    "certificate.not_yet_valid": "尚未生效",
    "certificate.expired": "已过期",
}
STATE_VALID = "有效"
STATE_EXPIRING = "即将到期"
STATE_NONE = "未登记执法证"


@dataclass(frozen=True)
class CertificateState:
    certificate: Certificate
    label: str  # 有效 | 即将到期 | 已过期 | 暂扣 | 已注销 | 尚未生效
    valid: bool
    days_left: int


@dataclass(frozen=True)
class OfficerChoice:
    """An officer as the picker lists them: what tells two officers of the same name apart (内设机构,
    执法证号) and whether they may be chosen today, with the reasons if not."""

    officer: Officer
    certificate: CertificateState | None  # the one that lets them act, else the latest
    problems: tuple[str, ...]  # why they may not act today; () if they may

    @property
    def may_act(self) -> bool:
        return not self.problems

    @property
    def label(self) -> str:
        unit = self.officer.department or self.officer.post
        parts = [self.officer.name, *([unit] if unit else [])]
        if self.certificate is None:
            return " · ".join([*parts, STATE_NONE])
        certificate = self.certificate.certificate
        state = self.certificate.label
        if self.certificate.label == STATE_EXPIRING or not self.certificate.valid:
            state += f"（有效期至{certificate.valid_to.isoformat()}）"
        return " · ".join([*parts, f"执法证{certificate.number}", state])


def certificate_state(certificate: Certificate, *, on: dt.date, warning_days: int) -> CertificateState:
    """有效, 即将到期 (within the team's warning window), 已过期, 暂扣, 已注销 or 尚未生效 on `on`."""
    codes = {p.code for p in certificate_problems_on(certificate.snapshot(), on)}
    days_left = (certificate.valid_to - on).days
    label = next((CERTIFICATE_STATE_LABELS[code] for code in CERTIFICATE_STATE_LABELS if code in codes), None)
    if label is None:
        label = STATE_EXPIRING if days_left <= warning_days else STATE_VALID
    return CertificateState(certificate, label, label in (STATE_VALID, STATE_EXPIRING), days_left)


def _warning_days(*, on: dt.date, region: str) -> int:
    return int(parameters_default().value("team.certificate_expiry_warning_days", on=on, region=region))


def officer_certificate_states(
    *, officer: Officer, on: dt.date, region: str = "", warning_days: int | None = None
) -> list[CertificateState]:
    """The officer's certificates, those that let them act first, then the newest."""
    if warning_days is None:
        warning_days = _warning_days(on=on, region=region)
    states = [certificate_state(c, on=on, warning_days=warning_days) for c in officer.certificates.all()]
    return sorted(states, key=lambda s: (not s.valid, -s.certificate.valid_to.toordinal(), s.certificate.number))


def officer_choice(officer: Officer, *, on: dt.date, region: str = "", warning_days: int | None = None) -> OfficerChoice:
    states = officer_certificate_states(officer=officer, on=on, region=region, warning_days=warning_days)
    problems = tuple(p.message for p in officer_problems_on(officer.snapshot(), on, region=region))
    return OfficerChoice(officer, states[0] if states else None, problems)


def officer_choice_list(*, viewer: Actor, agency: Agency, on: dt.date, search: str = "") -> list[OfficerChoice]:
    """The agency's officers in post, for the case officers' picker: two queries whatever their number
    (the officers, their certificates). Officers who may not act are listed too, with their state,
    so that the person registering sees why one cannot be chosen."""
    officers = officer_list(viewer=viewer, agency_id=agency.pk, search=search).filter(status="active").order_by(
        "name", "department", "pk"
    )
    warning_days = _warning_days(on=on, region=agency.region_code)
    return [officer_choice(o, on=on, region=agency.region_code, warning_days=warning_days) for o in officers]


# --- the judicial bureau's supervisors ----------------------------------------------------------
# Only the bureau's own people (and system administrators) read its register; another county's
# supervisors, or an agency's users, are told it does not exist (404).


def supervisor_bureaus(*, viewer: Actor) -> QuerySet[Agency]:
    """The judicial bureaus whose supervisors the viewer may read."""
    bureaus = Agency.objects.filter(is_judicial_bureau=True).order_by("name")
    if not viewer.is_authenticated:
        return bureaus.none()
    if user_can_read_supervisors(viewer, 0):  # no bureau has the id 0: only who reads every bureau passes
        return bureaus
    if viewer.agency_id is None or not user_can_read_supervisors(viewer, viewer.agency_id):
        return bureaus.none()
    return bureaus.filter(pk=viewer.agency_id)


def supervisor_list(*, viewer: Actor, search: str = "") -> QuerySet[Supervisor]:
    supervisors = (
        Supervisor.objects.filter(bureau__in=supervisor_bureaus(viewer=viewer))
        .select_related("bureau")
        .prefetch_related("certificates")
        .order_by("bureau__name", "-is_active", "name", "id")
    )
    if search:
        supervisors = supervisors.filter(
            Q(name__icontains=search) | Q(post__icontains=search) | Q(certificates__number__icontains=search)
        ).distinct()
    return supervisors


def supervisor_get(*, viewer: Actor, supervisor_id: int) -> Supervisor:
    try:
        supervisor = Supervisor.objects.select_related("bureau").prefetch_related("certificates").get(pk=supervisor_id)
    except Supervisor.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_supervisors(viewer, supervisor.bureau_id):
        raise Http404
    return supervisor


def supervision_certificate_get(*, viewer: Actor, certificate_id: int) -> SupervisionCertificate:
    try:
        certificate = SupervisionCertificate.objects.select_related("supervisor__bureau").get(pk=certificate_id)
    except SupervisionCertificate.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_supervisors(viewer, certificate.supervisor.bureau_id):
        raise Http404
    return certificate


def supervision_certificate_state(certificate: SupervisionCertificate, *, on: dt.date) -> tuple[str, bool]:
    """The certificate as a reader sees it on `on` (its label, and whether it lets its holder act),
    by the rule the pair check applies (`procedure.supervision.rules`): its status, then its dates."""
    if certificate.status != CertificateStatus.VALID:
        return str(CertificateStatus(certificate.status).label), False
    if on < certificate.valid_from:
        return "尚未生效", False
    if on > certificate.valid_to:
        return "已过期", False
    return "有效", True

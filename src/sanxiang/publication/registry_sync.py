"""事前公开 and 事中公示 regenerated from the registry: `PublicAgency` and `PublicCertificate`.

The public rows are a copy, not a view, of the registry (DESIGN, "the public sees what the law
says, and nothing more"): each field is chosen here, one by one, from what 国办发〔2018〕118号 asks
an agency to publish before it enforces (主体、人员、职责、权限、依据、程序、救济渠道、随机抽查事项清单,
服务指南和流程图; legal_rules §1.1) and what a citizen needs to check an officer's certificate on
the spot (姓名、执法证号、执法类别). Nothing else of an officer is copied: no ID number, post,
staffing type or account, so no bug in a portal view can show them.

A refresh is idempotent: it rewrites each row from the registry, keeps every certificate's
verification token (printed QR codes must keep working), touches `refreshed_at` only where the
public content changed, and records one ledger entry with the counts and the digest of what is now
public, so that anyone holding a copy of the pages can show what was published when.

What the public reads of a certificate whose holder has left (调离, 退休), whose agency has been
dissolved, or which was removed from the registry: its row is kept (a QR code printed on a card
must never answer "unknown") and its state reads 已注销 (revoked). The provincial certificate rules
make 注销 the consequence of leaving an enforcement post; until the registry records that 注销, the
public must not be told the card still lets its holder act.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require, user_can_edit_agency, user_can_register_agencies
from sanxiang.cases.paperwork import court_of
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.citations import ENTRUSTMENT
from sanxiang.procedure.discretion import benchmark_public
from sanxiang.procedure.engine import Procedure, procedure_mermaid
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.penalty.procedures import ORDINARY, SUMMARY
from sanxiang.procedure.publication import public_text_clean
from sanxiang.procedure.registry_rules import agency_acts_in_entrusters_name, officer_problems_on
from sanxiang.public_events import inspection_items_provided
from sanxiang.publication.models import CertificateState, PublicAgency, PublicCertificate
from sanxiang.registry.models import (
    Agency,
    AgencyStatus,
    Certificate,
    CertificateStatus,
    Matter,
    MatterKind,
    Officer,
    OfficerStatus,
    legal_bases_format,
    split_list,
)

PUBLICITY_BASIS = "国办发〔2018〕118号（行政执法公示制度：事前公开）"
ENTRUSTMENT_BASIS = ENTRUSTMENT
# The penalty procedures an agency publishes when its catalogue holds a penalty power
# (citations.MATTER_LEGAL_BASIS: 实施程序 must be published). Only the penalty engine exists so far.
PENALTY_PROCEDURES: tuple[Procedure, ...] = (ORDINARY, SUMMARY)
# The fields of each table whose change counts as a change of the public content.
AGENCY_FIELDS = (
    "name",
    "kind",
    "legal_basis",
    "enforcement_fields",
    "address",
    "phone",
    "parent_government",
    "entrusted_by",
    "matters",
    "procedures",
    "remedies",
    "inspections",
    "service_guides",
    "officer_count",
)
CERTIFICATE_FIELDS = ("number", "officer_name", "agency_id", "enforcement_field", "state", "valid_from", "valid_to")
TOKEN_BYTES = 12  # secrets.token_urlsafe(12): 16 URL-safe characters, 96 bits, unguessable


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did, as recorded in its ledger entry."""

    agencies: int
    agencies_created: int
    agencies_changed: int
    certificates: int
    certificates_created: int
    certificates_changed: int
    certificates_not_valid: int  # rows whose state is suspended or revoked
    content_sha256: str
    ledger_seq: int


# --- the parts of an agency's page ----------------------------------------------------------------


def _parameter(parameters: ParameterSet, name: str, *, on: dt.date, region: str) -> tuple[Any, str]:
    """A parameter's value and the article it rests on (the period's own citation, if it has one)."""
    period = parameters[name].period_on(on, region=region)
    return period.value, period.reference or parameters[name].reference


def _acting_organ(agency: Agency) -> Agency:
    """The organ in whose name the agency acts and which answers for its acts: an entrusted
    organisation acts in the name of the organ that entrusted it (citations.ENTRUSTMENT)."""
    if agency_acts_in_entrusters_name(agency.kind) and agency.entrusting_agency is not None:
        return agency.entrusting_agency
    return agency


def _matter_bases(matter: Matter) -> list[str]:
    return [f"{b.get('law', '')}{b.get('article', '')}" for b in matter.legal_bases if isinstance(b, dict)]


def matters_public(matters: Iterable[Matter]) -> list[dict]:
    """执法事项和裁量基准 (职责、权限、依据; the penalty law asks for the discretion standards to be published):
    {code, name, kind, kind_label, enforcement_field, legal_bases: [str], discretion_standard}."""
    return [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "kind_label": str(m.get_kind_display()),
            "enforcement_field": m.enforcement_field,
            "legal_bases": _matter_bases(m),
            "discretion_standard": m.discretion_standard,
            # 裁量基准 versions with their dates (discretion.PUBLISHED): only for a matter that has any, so
            # that the public rows of matters without one stay as they were.
            **({"benchmarks": benchmarks} if (benchmarks := _benchmarks_public(m)) else {}),
        }
        for m in matters
    ]


def _benchmarks_public(matter: Matter) -> list[dict]:
    """The matter's benchmark versions, newest first (prefetched by the refresh)."""
    return [benchmark_public(row.as_benchmark()) for row in matter.discretion_benchmarks.all()]


def procedure_public(procedure: Procedure) -> dict:
    """One 执法流程 as the engine enforces it, so the published flowchart can never disagree with
    what the software allows: {name, label, legal_basis, mermaid, states: [{name, label, final}],
    steps: [{name, label, from: [state labels], to: state label, legal_basis}]} in the order of the
    procedure. The portal shows the steps as an ordered list (no script needed)."""
    return {
        "name": procedure.name,
        "label": procedure.label,
        "legal_basis": procedure.legal_basis,
        "mermaid": procedure_mermaid(procedure),
        "states": [{"name": s.name, "label": s.label, "final": s.final} for s in procedure.states],
        "steps": [
            {
                "name": t.name,
                "label": t.label,
                "from": [procedure.state_label(s) for s in t.sources],
                "to": procedure.state_label(t.target),
                "legal_basis": t.legal_basis,
            }
            for t in procedure.transitions
        ],
    }


def remedies_public(agency: Agency, *, on: dt.date, parameters: ParameterSet) -> list[dict]:
    """救济渠道: 行政复议 to the people's government the agency belongs to, within the reconsideration
    period, and 行政诉讼 before that county's people's court within the litigation period (both
    periods are the procedure's parameters), derived as the decision documents derive them (`cases.paperwork`).
    For an entrusted organisation, the organ that entrusted it answers for its acts, so the
    respondent and the government are that organ's.

    Each: {kind, label, action, authority, respondent, period, legal_basis, note, and days or
    months}; the portal reads them as "{period}向{authority}{action}"."""
    organ = _acting_organ(agency)
    government = organ.parent_government or agency.parent_government
    days, days_basis = _parameter(parameters, "penalty.enforcement.reconsideration_days", on=on, region=agency.region_code)
    months, months_basis = _parameter(parameters, "penalty.enforcement.litigation_months", on=on, region=agency.region_code)
    entrusted_note = (
        f"{agency.name}受{organ.name}委托实施，由{organ.name}承担法律责任（{ENTRUSTMENT_BASIS}）" if organ != agency else ""
    )
    return [
        {
            "kind": "reconsideration",
            "label": "行政复议",
            "authority": government,
            "respondent": organ.name,
            "action": "申请行政复议",
            "period": f"自知道或者应当知道该行政行为之日起{days}日内",
            "days": days,
            "legal_basis": days_basis,
            "note": entrusted_note,
        },
        {
            "kind": "litigation",
            "label": "行政诉讼",
            "authority": court_of(government),
            "respondent": organ.name,
            "action": "提起行政诉讼",
            "period": f"自知道或者应当知道作出行政行为之日起{months}个月内",
            "months": months,
            "legal_basis": months_basis,
            "note": entrusted_note,
        },
    ]


def inspections_public(agency: Agency, matters: Iterable[Matter]) -> list[dict]:
    """随机抽查事项清单, from the agency's inspection powers, with the columns of local practice
    (legal_rules §1.1): {seq 序号, item 检查项目, subject 检查主体, basis 检查依据, method 检查方式,
    content 检查内容, code}. The registry records neither the method nor the content of an
    inspection: those columns are empty rather than invented."""
    if inspection_items_provided.installed:
        published = inspection_items_provided(agency_id=agency.pk)
        if published:  # the agency's own published 抽查事项清单 (the inspection app's)
            return [asdict(item) for item in published]
    organ = _acting_organ(agency)
    subject = agency.name if organ == agency else f"{agency.name}（受{organ.name}委托）"
    rows = [m for m in matters if m.kind == MatterKind.INSPECTION]
    return [
        {
            "seq": i,
            "code": m.code,
            "item": m.name,
            "subject": subject,
            "basis": legal_bases_format(m.legal_bases),
            "method": "",
            "content": "",
        }
        for i, m in enumerate(rows, start=1)
    ]


def service_guides_public(agency: Agency, matters: Iterable[Matter]) -> list[dict]:
    """服务指南, from the agency's permit powers: {code, name 事项名称, receiving_office 受理机构,
    approving_office 审批机构, conditions 受理条件, time_limit 办理时限, legal_bases}. The agency
    receives; the decision is made in the name of the acting organ. Conditions and time limits are
    not in the registry (they differ by matter): empty until it records them."""
    organ = _acting_organ(agency)
    return [
        {
            "code": m.code,
            "name": m.name,
            "receiving_office": agency.name,
            "approving_office": organ.name,
            "conditions": "",
            "time_limit": "",
            "legal_bases": _matter_bases(m),
        }
        for m in matters
        if m.kind == MatterKind.PERMIT
    ]


def officer_count_public(agency: Agency, officers: Iterable[Officer], *, on: dt.date, parameters: ParameterSet) -> int:
    """How many officers may act today: in post, of a staffing type that may hold a certificate,
    with a valid certificate (citations.OFFICERS_ACT). A dissolved agency has none."""
    if agency.status == AgencyStatus.DISSOLVED:
        return 0
    return sum(
        1
        for o in officers
        if o.status == OfficerStatus.ACTIVE
        and not officer_problems_on(o.snapshot(), on, region=agency.region_code, parameters=parameters)
    )


def agency_public(agency: Agency, *, on: dt.date, parameters: ParameterSet) -> dict:
    """Every public field of one agency (the `PublicAgency` columns but `refreshed_at`)."""
    matters = [m for m in agency.matters.all() if m.is_active]
    has_penalty = any(m.kind == MatterKind.PENALTY for m in matters)
    return {
        "name": agency.name,
        "kind": str(agency.get_kind_display()),
        "legal_basis": agency.legal_basis,
        "enforcement_fields": "、".join(agency.field_list),
        "address": agency.address,
        "phone": agency.contact_phone,
        "parent_government": agency.parent_government,
        "entrusted_by": agency.entrusting_agency.name if agency.entrusting_agency is not None else "",
        "matters": matters_public(matters),
        "procedures": [procedure_public(p) for p in PENALTY_PROCEDURES] if has_penalty else [],
        "remedies": remedies_public(agency, on=on, parameters=parameters),
        "inspections": inspections_public(agency, matters),
        "service_guides": service_guides_public(agency, matters),
        "officer_count": officer_count_public(agency, agency.officers.all(), on=on, parameters=parameters),
    }


def certificate_state_public(certificate: Certificate, *, agency: Agency) -> str:
    """The state the public reads: the registry's status, except that the certificate of an
    officer who is no longer in post, or of a dissolved agency, reads as revoked (see the module
    docstring). Whether it has expired or is not yet valid is judged on the day of the visit from
    the dates, never stored, so it cannot go stale."""
    if certificate.officer.status != OfficerStatus.ACTIVE or agency.status == AgencyStatus.DISSOLVED:
        return CertificateState.REVOKED
    return {
        CertificateStatus.VALID: CertificateState.VALID,
        CertificateStatus.SUSPENDED: CertificateState.SUSPENDED,
    }.get(certificate.status, CertificateState.REVOKED)


def _fit(text: str, field: str) -> str:
    """The registry allows 200 characters of fields on a certificate, the public row 100: a longer
    list is cut with an ellipsis rather than refused by the database."""
    limit = PublicCertificate._meta.get_field(field).max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def certificate_public(certificate: Certificate, *, agency: Agency) -> dict:
    """Name, number, field, state and dates: what a citizen checking a card may see."""
    return {
        "number": certificate.number,
        "officer_name": certificate.officer.name,
        "enforcement_field": _fit("、".join(split_list(certificate.enforcement_fields)), "enforcement_field"),
        "state": str(certificate_state_public(certificate, agency=agency)),
        "valid_from": certificate.valid_from,
        "valid_to": certificate.valid_to,
    }


# --- writing the rows -----------------------------------------------------------------------------


def _public_cleaned(value: Any) -> Any:
    """`value` with every text in it (nested in lists and dicts too) without the invisible
    characters that public text never carries (`public_text_clean`): a name typed into the
    registry with a right-to-left override or a zero-width space reaches the portal as it reads."""
    if isinstance(value, str):
        return public_text_clean(value)
    if isinstance(value, dict):
        return {key: _public_cleaned(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_public_cleaned(item) for item in value)
    return value


def _differs(row: Any, values: dict, fields: Iterable[str]) -> bool:
    return any(getattr(row, name) != values[name] for name in fields)


def _token_new(taken: set[str]) -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if token not in taken:
            taken.add(token)
            return token


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def content_digest(agencies: Iterable[PublicAgency], certificates: Iterable[PublicCertificate]) -> str:
    """SHA-256 of the canonical JSON of the public content in scope (times of refresh left out):
    the same registry gives the same digest, so a ledger entry proves what the pages said."""
    content = {
        "agencies": [
            {"source_id": a.source_id} | {name: _jsonable(getattr(a, name)) for name in AGENCY_FIELDS}
            for a in sorted(agencies, key=lambda a: a.source_id)
        ],
        "certificates": [
            {"source_id": c.source_id, "token": c.token, "agency": c.agency.source_id}
            | {name: _jsonable(getattr(c, name)) for name in CERTIFICATE_FIELDS if name != "agency_id"}
            for c in sorted(certificates, key=lambda c: c.source_id)
        ],
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _refresh_event(*, agency_id: int | None, counts: dict[str, Any]) -> LedgerEvent:
    subject = f"public-registry:agency:{agency_id}" if agency_id is not None else "public-registry:all"
    return LedgerEvent(
        EventKind.PUBLIC_REGISTRY_REFRESHED,
        {"scope": "agency" if agency_id is not None else "all", **counts},
        agency_id,
        subject=subject,
    )


@transaction.atomic
def public_registry_refresh(
    *, agency_id: int | None = None, actor: User | None = None, on: dt.date | None = None
) -> RefreshResult:
    """Regenerate the public rows of one agency (`agency_id`) or of all, from the registry, and
    record the refresh in the ledger. `actor` None is the system (the command, the hook after a
    registry change); a person may refresh their own agency (its administrator) or every agency
    (the judicial bureau, a system administrator). `on` is the day the officer count is judged
    (today by default)."""
    if actor is not None:
        allowed = user_can_register_agencies(actor) if agency_id is None else user_can_edit_agency(actor, agency_id)
        permission_require(allowed, "您不能更新这个执法主体的公示信息")
    on = on or timezone.localdate()
    parameters = parameters_default()
    now = timezone.now()
    # The agency rows are the lock: two refreshes of one agency never race to create its rows.
    agencies_query = Agency.objects.select_for_update().order_by("pk")
    if agency_id is not None:
        agencies_query = agencies_query.filter(pk=agency_id)
    locked_ids = list(agencies_query.values_list("pk", flat=True))
    if agency_id is not None and not locked_ids:
        raise Agency.DoesNotExist(f"agency {agency_id} does not exist")
    agencies = list(
        Agency.objects.filter(pk__in=locked_ids)
        .select_related("entrusting_agency")
        .prefetch_related(
            Prefetch("matters", queryset=Matter.objects.order_by("code").prefetch_related("discretion_benchmarks")),
            Prefetch("officers", queryset=Officer.objects.prefetch_related("certificates")),
        )
        .order_by("pk")
    )
    existing = {a.source_id: a for a in PublicAgency.objects.filter(source_id__in=locked_ids)}
    counts = {"agencies_created": 0, "agencies_changed": 0, "certificates_created": 0, "certificates_changed": 0}
    public_agencies: dict[int, PublicAgency] = {}
    # Labels are stored as the public reads them, in Chinese, whatever the caller's language.
    with translation.override("zh-hans"):
        for agency in agencies:
            values = _public_cleaned(agency_public(agency, on=on, parameters=parameters))
            row = existing.get(agency.pk)
            if row is None:
                row = PublicAgency.objects.create(source_id=agency.pk, refreshed_at=now, **values)
                counts["agencies_created"] += 1
            elif _differs(row, values, AGENCY_FIELDS):
                for name, value in values.items():
                    setattr(row, name, value)
                row.refreshed_at = now
                row.save()
                counts["agencies_changed"] += 1
            public_agencies[agency.pk] = row

        certificates = _certificates_refresh(agencies=agencies, public_agencies=public_agencies, now=now, counts=counts)

    rows = list(public_agencies.values())
    digest = content_digest(rows, certificates)
    not_valid = sum(1 for c in certificates if c.state != CertificateState.VALID)
    payload = {
        "agencies": len(rows),
        "certificates": len(certificates),
        "certificates_not_valid": not_valid,
        "content_sha256": digest,
        "on": on.isoformat(),
        **counts,
    }
    entry = entry_append(event=_refresh_event(agency_id=agency_id, counts=payload), actor=actor)
    return RefreshResult(
        agencies=len(rows),
        certificates=len(certificates),
        certificates_not_valid=not_valid,
        content_sha256=digest,
        ledger_seq=entry.seq,
        **counts,
    )


def _certificates_refresh(
    *, agencies: list[Agency], public_agencies: dict[int, PublicAgency], now: dt.datetime, counts: dict[str, int]
) -> list[PublicCertificate]:
    """Write the certificate rows of these agencies; returns every row now under them."""
    current = [(c, agency) for agency in agencies for o in agency.officers.all() for c in o.certificates.all()]
    existing = {
        c.source_id: c
        for c in PublicCertificate.objects.filter(source_id__in=[c.pk for c, _ in current]).select_related("agency")
    }
    taken = set(PublicCertificate.objects.values_list("token", flat=True))
    rows = []
    for certificate, agency in current:
        values = _public_cleaned(certificate_public(certificate, agency=agency)) | {"agency_id": public_agencies[agency.pk].pk}
        row = existing.get(certificate.pk)
        if row is None:
            row = PublicCertificate.objects.create(
                source_id=certificate.pk, token=_token_new(taken), refreshed_at=now, **values
            )
            counts["certificates_created"] += 1
        elif _differs(row, values, CERTIFICATE_FIELDS):
            for name, value in values.items():
                setattr(row, name, value)
            row.refreshed_at = now
            row.save()
            counts["certificates_changed"] += 1
        row.agency = public_agencies[agency.pk]
        rows.append(row)
    # Rows under these agencies whose certificate is gone from the registry: kept, so that a
    # printed QR code still answers, and read as revoked. A certificate that moved to another
    # agency is left to that agency's refresh.
    seen = {c.pk for c, _ in current}
    orphans = PublicCertificate.objects.filter(agency__in=list(public_agencies.values())).exclude(source_id__in=seen)
    still_registered = set(
        Certificate.objects.filter(pk__in=orphans.values_list("source_id", flat=True)).values_list("pk", flat=True)
    )
    for row in orphans.select_related("agency"):
        if row.source_id in still_registered:
            continue
        if row.state != CertificateState.REVOKED:
            row.state = CertificateState.REVOKED
            row.refreshed_at = now
            row.save(update_fields=["state", "refreshed_at"])
            counts["certificates_changed"] += 1
        rows.append(row)
    return rows

"""Typed factories for the ledger events of the registry (one per kind of change), and the typed
events the registry emits for the apps above it (`REGISTRY_EVENTS`: the cases keep a projection
that reads the party, the agency and the matter of each case; the registry sits below them and
never imports them).

Personal identifiers never enter the ledger in clear: the ledger is kept for ever and may be
shown in court, so an officer's or party's ID number is recorded as an unsalted SHA-256
fingerprint that proves which number was entered without disclosing it."""

import hashlib
from dataclasses import dataclass

from sanxiang.hooks import EventBus
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.registry.models import (
    Agency,
    Certificate,
    DiscretionBenchmark,
    Matter,
    Officer,
    Party,
    SupervisionCertificate,
    Supervisor,
)


def _fingerprint(value: str) -> str:
    """Long free text is recorded by digest; the row holds the text."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else ""


def _agency_payload(agency: Agency) -> dict:
    return {
        "name": agency.name,
        "credit_code": agency.credit_code,
        "kind": agency.kind,
        "entrusting_agency": agency.entrusting_agency_id,
        "region_code": agency.region_code,
        "parent_government": agency.parent_government,
        "legal_basis": agency.legal_basis,
        "enforcement_fields": agency.enforcement_fields,
        "status": agency.status,
    }


def agency_created_event(*, agency: Agency) -> LedgerEvent:
    return LedgerEvent(EventKind.AGENCY_CREATED, _agency_payload(agency), agency.pk, subject=f"agency:{agency.pk}")


def agency_updated_event(*, agency: Agency, changed: list[str]) -> LedgerEvent:
    payload = _agency_payload(agency) | {"changed": sorted(changed)}
    return LedgerEvent(EventKind.AGENCY_UPDATED, payload, agency.pk, subject=f"agency:{agency.pk}")


def _officer_payload(officer: Officer) -> dict:
    return {
        "name": officer.name,
        "post": officer.post,
        "department": officer.department,
        "id_number": officer.id_number_masked,
        "staffing_type": officer.staffing_type,
        "has_legal_qualification": officer.has_legal_qualification,
        "is_legal_reviewer": officer.is_legal_reviewer,
        "status": officer.status,
    }


def officer_created_event(*, officer: Officer) -> LedgerEvent:
    return LedgerEvent(
        EventKind.OFFICER_CREATED, _officer_payload(officer), officer.agency_id, subject=f"officer:{officer.pk}"
    )


def officer_updated_event(*, officer: Officer, changed: list[str]) -> LedgerEvent:
    payload = _officer_payload(officer) | {"changed": sorted(changed)}
    return LedgerEvent(EventKind.OFFICER_UPDATED, payload, officer.agency_id, subject=f"officer:{officer.pk}")


def _certificate_payload(certificate: Certificate) -> dict:
    return {
        "officer": certificate.officer_id,
        "number": certificate.number,
        "issuing_authority": certificate.issuing_authority,
        "enforcement_fields": certificate.enforcement_fields,
        "enforcement_areas": certificate.enforcement_areas,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_to": certificate.valid_to.isoformat(),
        "status": certificate.status,
    }


def certificate_created_event(*, certificate: Certificate) -> LedgerEvent:
    return LedgerEvent(
        EventKind.CERTIFICATE_CREATED,
        _certificate_payload(certificate),
        certificate.officer.agency_id,
        subject=f"certificate:{certificate.pk}",
    )


def certificate_updated_event(*, certificate: Certificate, changed: list[str], reason: str = "") -> LedgerEvent:
    payload = _certificate_payload(certificate) | {"changed": sorted(changed), "reason": reason}
    return LedgerEvent(
        EventKind.CERTIFICATE_UPDATED, payload, certificate.officer.agency_id, subject=f"certificate:{certificate.pk}"
    )


def _matter_payload(matter: Matter) -> dict:
    return {
        "code": matter.code,
        "name": matter.name,
        "kind": matter.kind,
        "enforcement_field": matter.enforcement_field,
        "legal_bases": matter.legal_bases,
        "discretion_standard_sha256": _fingerprint(matter.discretion_standard),
        "is_active": matter.is_active,
    }


def matter_created_event(*, matter: Matter) -> LedgerEvent:
    return LedgerEvent(EventKind.MATTER_CREATED, _matter_payload(matter), matter.agency_id, subject=f"matter:{matter.pk}")


def matter_updated_event(*, matter: Matter, changed: list[str]) -> LedgerEvent:
    payload = _matter_payload(matter) | {"changed": sorted(changed)}
    return LedgerEvent(EventKind.MATTER_UPDATED, payload, matter.agency_id, subject=f"matter:{matter.pk}")


def discretion_benchmark_added_event(*, benchmark: DiscretionBenchmark) -> LedgerEvent:
    payload = {
        "matter": benchmark.matter.code,
        "version": benchmark.version,
        "effective_from": benchmark.effective_from.isoformat(),
        "effective_to": benchmark.effective_to.isoformat() if benchmark.effective_to else None,
        "source": benchmark.source,
        "content_sha256": benchmark.content_sha256,
    }
    return LedgerEvent(
        EventKind.DISCRETION_BENCHMARK_ADDED,
        payload,
        benchmark.matter.agency_id,
        subject=f"discretion_benchmark:{benchmark.pk}",
    )


def _party_payload(party: Party) -> dict:
    return {
        "kind": party.kind,
        "name": party.name,
        "credit_code": party.credit_code,
        "id_type": party.id_type,
        "id_number": party.id_number_masked,
    }


def party_created_event(*, party: Party) -> LedgerEvent:
    return LedgerEvent(EventKind.PARTY_CREATED, _party_payload(party), party.agency_id, subject=f"party:{party.pk}")


def party_updated_event(*, party: Party, changed: list[str]) -> LedgerEvent:
    payload = _party_payload(party) | {"changed": sorted(changed)}
    return LedgerEvent(EventKind.PARTY_UPDATED, payload, party.agency_id, subject=f"party:{party.pk}")


def registry_imported_event(
    *, agency_id: int | None, kind: str, file_sha256: str, file_size: int, counts: dict
) -> LedgerEvent:
    return LedgerEvent(
        EventKind.REGISTRY_IMPORTED,
        {"kind": kind, "counts": counts},
        agency_id,
        subject="registry-import",
        files=(FileDigest(sha256=file_sha256, size=file_size),),
    )


# --- typed events for the apps above -----------------------------------------------------------


@dataclass(frozen=True)
class AgencyChanged:
    """An agency's row changed (the fields named): what the apps above derived from it may move
    (its region selects local parameters, its kind the documents' wording)."""

    agency_id: int
    changed: frozenset[str]


@dataclass(frozen=True)
class PartyChanged:
    """A party's row changed (the fields named): its kind selects the hearing thresholds."""

    party_id: int
    changed: frozenset[str]


@dataclass(frozen=True)
class MatterChanged:
    """A matter's row changed (the fields named)."""

    matter_id: int
    changed: frozenset[str]


# Emitted by the registry's services in the transaction of the change, before its ledger entry
# (the ledger head is locked from the append to the commit); subscribers react inside it
# (atomic=True) or after it commits.
REGISTRY_EVENTS = EventBus("registry")


def supervisor_created_event(*, supervisor: Supervisor) -> LedgerEvent:
    payload = {
        "bureau": supervisor.bureau_id,
        "name": supervisor.name,
        "id_number": _fingerprint(supervisor.id_number),
        "post": supervisor.post,
    }
    return LedgerEvent(EventKind.SUPERVISOR_CREATED, payload, supervisor.bureau_id, subject=f"supervisor:{supervisor.pk}")


def supervisor_updated_event(*, supervisor: Supervisor, changed: list[str], reason: str = "") -> LedgerEvent:
    payload = {
        "bureau": supervisor.bureau_id,
        "changed": sorted(changed),
        "name": supervisor.name,
        "id_number": _fingerprint(supervisor.id_number),
        "post": supervisor.post,
        "is_active": supervisor.is_active,
    } | ({"reason": reason.strip()} if reason.strip() else {})
    return LedgerEvent(EventKind.SUPERVISOR_UPDATED, payload, supervisor.bureau_id, subject=f"supervisor:{supervisor.pk}")


def supervision_certificate_saved_event(
    *, certificate: SupervisionCertificate, bureau_id: int, reason: str = ""
) -> LedgerEvent:
    payload = {
        "supervisor": certificate.supervisor_id,
        "number": certificate.number,
        "issuing_authority": certificate.issuing_authority,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_to": certificate.valid_to.isoformat(),
        "status": certificate.status,
    } | ({"reason": reason.strip()} if reason.strip() else {})
    return LedgerEvent(
        EventKind.SUPERVISION_CERTIFICATE_SAVED, payload, bureau_id, subject=f"supervision_certificate:{certificate.pk}"
    )

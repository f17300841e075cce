"""Writes to the registry. Each function checks the actor's permission and the rules of law,
makes the change and appends its ledger entry in one transaction; a refused change writes
nothing and reports every reason."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from sanxiang.ledger.services import entry_append
from sanxiang.procedure import identifiers
from sanxiang.procedure.citations import MATTER_LEGAL_BASIS
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.registry_rules import (
    AgencySnapshot,
    agency_fields_refused,
    agency_validate,
    certificate_validate,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.registry import events
from sanxiang.registry.models import (
    Agency,
    AgencyStatus,
    Certificate,
    CertificateStatus,
    IdentityDocumentType,
    Matter,
    Officer,
    Party,
    PartyKind,
    SupervisionCertificate,
    Supervisor,
)
from sanxiang.registry.permissions import (
    Actor,
    permission_require,
    user_can_edit_agency,
    user_can_manage_parties,
    user_can_manage_staff,
    user_can_register_agencies,
    user_county_region,
    user_reads_all_agencies,
)

GB_32100 = identifiers.GB_32100


def _model_violations(instance: models.Model, *, exclude: list[str] | None = None) -> list[Violation]:
    """Django's own field and uniqueness checks, as violations. Check constraints are left to
    the database: each mirrors a rule in `procedure` that already reports it with its basis."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        return [
            Violation(f"{field}.invalid", message, "数据校验", None if field == "__all__" else field)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _merge(*groups: list[Violation]) -> list[Violation]:
    """All reasons, each once: Django's uniqueness check and ours may say the same thing."""
    seen, merged = set(), []
    for violation in (v for group in groups for v in group):
        key = (violation.field, violation.message)
        if key not in seen:
            seen.add(key)
            merged.append(violation)
    return merged


def _credit_code_violations(code: str, *, field: str = "credit_code", on: dt.date | None = None) -> list[Violation]:
    check_inner = parameters_default().value(
        "identifiers.credit_code_check_organization_code", on=on or dt.date.today()
    )
    return identifiers.credit_code_validate(code, field=field, check_organization_code=check_inner)


def _agency_violations(agency: Agency) -> list[Violation]:
    entrusting = agency.entrusting_agency
    snapshot = AgencySnapshot(
        kind=agency.kind,
        entrusting_agency_kind=entrusting.kind if entrusting else None,
        entrusting_agency_active=entrusting.status == AgencyStatus.ACTIVE if entrusting else True,
        is_own_entruster=bool(entrusting and agency.pk and entrusting.pk == agency.pk),
    )
    return _merge(
        _credit_code_violations(agency.credit_code),
        identifiers.region_code_validate(agency.region_code, field="region_code", what="行政区划代码"),
        agency_validate(snapshot),
        _model_violations(agency),
    )


def _apply(instance: models.Model, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name.removesuffix("_id"))
    return changed


AGENCY_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "entrusting_agency",
    "region_code",
    "parent_government",
    "legal_basis",
    "enforcement_fields",
    "contact_phone",
    "address",
    "status",
    "is_judicial_bureau",
)


def _normalize_agency_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if "credit_code" in fields:
        fields["credit_code"] = identifiers.credit_code_normalize(fields["credit_code"])
    for key in ("name", "region_code", "parent_government"):
        if key in fields and isinstance(fields[key], str):
            fields[key] = fields[key].strip()
    return fields


def _agency_role(actor: Actor | None) -> tuple[str, str | None]:
    """Which of the agency's fields the actor may set: ("system_admin", None) for a system
    administrator (and the platform itself, actor None), ("supervisor", their county) or
    ("agency_admin", None)."""
    if actor is None:
        return "system_admin", None
    county = user_county_region(actor)
    if county is not None:
        return "supervisor", county
    if user_reads_all_agencies(actor):
        return "system_admin", None
    return "agency_admin", None


@transaction.atomic
def agency_create(*, actor: Actor | None, **fields: Any) -> Agency:
    if actor is not None:
        permission_require(user_can_register_agencies(actor), "只有司法局监督人员或系统管理员可以登记执法主体")
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency(**_normalize_agency_fields(fields))
    role, county = _agency_role(actor)
    refused = agency_fields_refused(role=role, changed=list(fields), region_code=agency.region_code, county=county,
                                    is_judicial_bureau=agency.is_judicial_bureau, creating=True)
    violations = _merge(refused, _agency_violations(agency))
    if violations:
        raise Refused(violations)
    agency.save()
    entry_append(event=events.agency_created_event(agency=agency), actor=actor)
    return agency


@transaction.atomic
def agency_update(*, actor: Actor | None, agency: Agency, **fields: Any) -> Agency:
    if actor is not None:
        permission_require(user_can_edit_agency(actor, agency.pk), "您不能修改这个执法主体")
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    role, county = _agency_role(actor)
    if role == "supervisor":  # another county's agency is not theirs to change (平台规则)
        permission_require(agency.region_code == county, "您不能修改这个执法主体")
    changed = _apply(agency, _normalize_agency_fields(fields))
    if not changed:
        return agency
    violations = _merge(agency_fields_refused(role=role, changed=changed), _agency_violations(agency))
    if violations:
        raise Refused(violations)
    agency.save()
    events.REGISTRY_EVENTS.emit(events.AgencyChanged(agency_id=agency.pk, changed=frozenset(changed)))
    entry_append(event=events.agency_updated_event(agency=agency, changed=changed), actor=actor)
    return agency


OFFICER_FIELDS = ("name", "post", "department", "id_number", "staffing_type", "has_legal_qualification", "is_legal_reviewer", "status")


def _officer_violations(officer: Officer) -> list[Violation]:
    return _merge(identifiers.id_number_validate(officer.id_number), _model_violations(officer))


@transaction.atomic
def officer_create(*, actor: Actor | None, agency: Agency, **fields: Any) -> Officer:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, agency.pk), "只有本单位管理员可以登记执法人员")
    if "id_number" in fields:
        fields["id_number"] = identifiers.id_number_normalize(fields["id_number"])
    officer = Officer(agency=agency, **fields)
    violations = _officer_violations(officer)
    if violations:
        raise Refused(violations)
    officer.save()
    entry_append(event=events.officer_created_event(officer=officer), actor=actor)
    return officer


OFFICER_EDIT_REFUSED = "只有本单位管理员可以修改执法人员"
CERTIFICATE_EDIT_REFUSED = "只有本单位管理员可以修改执法证"
MATTER_EDIT_REFUSED = "只有本单位管理员可以维护执法事项"


@transaction.atomic
def officer_update(*, actor: Actor | None, officer: Officer, **fields: Any) -> Officer:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, officer.agency_id), OFFICER_EDIT_REFUSED)
    unknown = set(fields) - set(OFFICER_FIELDS)
    if unknown:
        raise TypeError(f"unknown officer fields: {sorted(unknown)}")
    if "id_number" in fields:
        fields["id_number"] = identifiers.id_number_normalize(fields["id_number"])
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    changed = _apply(officer, fields)
    if not changed:
        return officer
    violations = _officer_violations(officer)
    if violations:
        raise Refused(violations)
    officer.save()
    entry_append(event=events.officer_updated_event(officer=officer, changed=changed), actor=actor)
    return officer


CERTIFICATE_FIELDS = (
    "number",
    "issuing_authority",
    "enforcement_fields",
    "enforcement_areas",
    "valid_from",
    "valid_to",
    "status",
)


def _certificate_violations(certificate: Certificate) -> list[Violation]:
    rule_violations = (
        certificate_validate(certificate.snapshot())
        if certificate.valid_from and certificate.valid_to
        else []
    )
    return _merge(rule_violations, _model_violations(certificate))


@transaction.atomic
def certificate_create(*, actor: Actor | None, officer: Officer, **fields: Any) -> Certificate:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, officer.agency_id), "只有本单位管理员可以登记执法证")
    certificate = Certificate(officer=officer, **fields)
    violations = _certificate_violations(certificate)
    if violations:
        raise Refused(violations)
    certificate.save()
    entry_append(event=events.certificate_created_event(certificate=certificate), actor=actor)
    return certificate


@transaction.atomic
def certificate_update(*, actor: Actor | None, certificate: Certificate, reason: str = "", **fields: Any) -> Certificate:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, certificate.officer.agency_id), CERTIFICATE_EDIT_REFUSED)
    unknown = set(fields) - set(CERTIFICATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown certificate fields: {sorted(unknown)}")
    certificate = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
    changed = _apply(certificate, fields)
    if not changed:
        return certificate
    violations = _certificate_violations(certificate)
    if "status" in changed and certificate.status != "valid" and not reason.strip():
        violations.append(
            Violation("certificate.reason_required", "暂扣或注销执法证需要说明理由", "行政执法证件管理规定", "reason")
        )
    if violations:
        raise Refused(violations)
    certificate.save()
    entry_append(
        event=events.certificate_updated_event(certificate=certificate, changed=changed, reason=reason), actor=actor
    )
    return certificate


MATTER_FIELDS = ("code", "name", "kind", "enforcement_field", "legal_bases", "discretion_standard", "is_active")


def _matter_violations(matter: Matter) -> list[Violation]:
    violations = []
    bases = matter.legal_bases
    if not isinstance(bases, list) or not bases:
        violations.append(
            Violation("matter.legal_basis_missing", "执法事项必须至少有一条法律依据", MATTER_LEGAL_BASIS, "legal_bases")
        )
    elif any(not isinstance(b, dict) or not str(b.get("law", "")).strip() for b in bases):
        violations.append(
            Violation("matter.legal_basis_format", "每条法律依据都要写明法律法规名称", MATTER_LEGAL_BASIS, "legal_bases")
        )
    return _merge(violations, _model_violations(matter))


@transaction.atomic
def matter_create(*, actor: Actor | None, agency: Agency, **fields: Any) -> Matter:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, agency.pk), "只有本单位管理员可以维护执法事项")
    matter = Matter(agency=agency, **fields)
    violations = _matter_violations(matter)
    if violations:
        raise Refused(violations)
    matter.save()
    entry_append(event=events.matter_created_event(matter=matter), actor=actor)
    return matter


@transaction.atomic
def matter_update(*, actor: Actor | None, matter: Matter, **fields: Any) -> Matter:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, matter.agency_id), MATTER_EDIT_REFUSED)
    unknown = set(fields) - set(MATTER_FIELDS)
    if unknown:
        raise TypeError(f"unknown matter fields: {sorted(unknown)}")
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    changed = _apply(matter, fields)
    if not changed:
        return matter
    violations = _matter_violations(matter)
    if violations:
        raise Refused(violations)
    matter.save()
    events.REGISTRY_EVENTS.emit(events.MatterChanged(matter_id=matter.pk, changed=frozenset(changed)))
    entry_append(event=events.matter_updated_event(matter=matter, changed=changed), actor=actor)
    return matter


PARTY_FIELDS = ("kind", "name", "credit_code", "legal_representative", "id_type", "id_number", "phone", "address")
ORGANIZATION_KINDS = (PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANIZATION)


def _party_violations(party: Party) -> list[Violation]:
    """Identifiers must pass their check algorithms before a party is saved (GB 32100, GB 11643);
    other identity documents (foreign passports, permits) are not checked by algorithm."""
    violations: list[Violation] = []
    if party.kind in ORGANIZATION_KINDS:
        violations += _credit_code_violations(party.credit_code)
    elif party.kind == PartyKind.INDIVIDUAL_BUSINESS:
        if party.credit_code:
            violations += _credit_code_violations(party.credit_code)
        elif not party.id_number:
            violations.append(
                Violation(
                    "party.identifier_missing",
                    "个体工商户应填写统一社会信用代码，或经营者的身份证件号码",
                    GB_32100,
                    "credit_code",
                )
            )
    elif party.credit_code:
        violations.append(
            Violation("party.credit_code_for_person", "自然人不填写统一社会信用代码", GB_32100, "credit_code")
        )
    if party.kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS) and (
        party.id_number or party.kind == PartyKind.NATURAL_PERSON
    ):
        if not party.id_type:
            violations.append(Violation("party.id_type_missing", "请选择证件类型", identifiers.GB_11643, "id_type"))
        elif party.id_type == IdentityDocumentType.RESIDENT_ID_CARD:
            violations += identifiers.id_number_validate(party.id_number)
        elif not party.id_number.strip():
            violations.append(Violation("party.id_number_missing", "请填写证件号码", identifiers.GB_11643, "id_number"))
    return _merge(violations, _model_violations(party))


def _normalize_party_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("credit_code"):
        fields["credit_code"] = identifiers.credit_code_normalize(fields["credit_code"])
    if fields.get("id_number") and fields.get("id_type") == IdentityDocumentType.RESIDENT_ID_CARD:
        fields["id_number"] = identifiers.id_number_normalize(fields["id_number"])
    return fields


@transaction.atomic
def party_create(*, actor: Actor | None, agency: Agency, **fields: Any) -> Party:
    if actor is not None:
        permission_require(user_can_manage_parties(actor, agency.pk), "只有本单位人员可以登记当事人")
    party = Party(agency=agency, **_normalize_party_fields(fields))
    violations = _party_violations(party)
    if violations:
        raise Refused(violations)
    party.save()
    entry_append(event=events.party_created_event(party=party), actor=actor)
    return party


PARTY_EDIT_REFUSED = "只有本单位人员可以修改当事人"


@transaction.atomic
def party_update(*, actor: Actor | None, party: Party, **fields: Any) -> Party:
    if actor is not None:
        permission_require(user_can_manage_parties(actor, party.agency_id), PARTY_EDIT_REFUSED)
    unknown = set(fields) - set(PARTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown party fields: {sorted(unknown)}")
    party = Party.objects.select_for_update().get(pk=party.pk)
    changed = _apply(party, _normalize_party_fields(dict(fields, id_type=fields.get("id_type", party.id_type))))
    if not changed:
        return party
    violations = _party_violations(party)
    if violations:
        raise Refused(violations)
    party.save()
    events.REGISTRY_EVENTS.emit(events.PartyChanged(party_id=party.pk, changed=frozenset(changed)))
    entry_append(event=events.party_updated_event(party=party, changed=changed), actor=actor)
    return party


# --- the judicial bureau's supervisors ----------------------------------------------------------

SUPERVISION_CERTIFICATE_FIELDS = ("number", "issuing_authority", "valid_from", "valid_to", "status")


@transaction.atomic
def supervisor_create(*, actor: Actor | None, bureau: Agency, **fields: Any) -> Supervisor:
    """Register a supervisor of the judicial bureau (行政执法监督人员); the bureau's administrator does."""
    if actor is not None:
        permission_require(user_can_manage_staff(actor, bureau.pk), "只有本单位管理员可以登记监督人员")
    violations: list[Violation] = []
    if not bureau.is_judicial_bureau:
        violations.append(
            Violation("supervisor.bureau", "监督人员只能登记在司法行政部门", "平台规则：监督人员属于司法行政部门", "bureau")
        )
    if "id_number" in fields:
        fields["id_number"] = identifiers.id_number_normalize(fields["id_number"])
    supervisor = Supervisor(bureau=bureau, **fields)
    violations = _merge(violations, identifiers.id_number_validate(supervisor.id_number), _model_violations(supervisor))
    if violations:
        raise Refused(violations)
    supervisor.save()
    entry_append(event=events.supervisor_created_event(supervisor=supervisor), actor=actor)
    return supervisor


SUPERVISOR_FIELDS = ("name", "id_number", "post", "is_active")
SUPERVISOR_RULE = "平台规则：监督人员名册由司法行政部门管理员维护"
SUPERVISION_CERTIFICATE_RULE = "平台规则：监督检查证件的状态变化须记明理由，注销的证件不再变更"


SUPERVISOR_EDIT_REFUSED = "只有本单位管理员可以修改监督人员"
SUPERVISION_CERTIFICATE_EDIT_REFUSED = "只有本单位管理员可以登记监督检查证件"


@transaction.atomic
def supervisor_update(*, actor: Actor | None, supervisor: Supervisor, reason: str = "", **fields: Any) -> Supervisor:
    """Change a supervisor's record: name, ID number, post, and whether they are in post (在岗).
    Taking a supervisor off post needs a reason, recorded in the ledger; they may be put back."""
    if actor is not None:
        permission_require(user_can_manage_staff(actor, supervisor.bureau_id), SUPERVISOR_EDIT_REFUSED)
    unknown = set(fields) - set(SUPERVISOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown supervisor fields: {sorted(unknown)}")
    if "id_number" in fields:
        fields["id_number"] = identifiers.id_number_normalize(fields["id_number"])
    supervisor = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
    changed = _apply(supervisor, fields)
    if not changed:
        return supervisor
    violations = _merge(identifiers.id_number_validate(supervisor.id_number), _model_violations(supervisor))
    if "is_active" in changed and not supervisor.is_active and not reason.strip():
        violations.append(Violation("supervisor.reason_required", "监督人员离岗需要说明理由", SUPERVISOR_RULE, "reason"))
    if violations:
        raise Refused(violations)
    supervisor.save()
    entry_append(
        event=events.supervisor_updated_event(supervisor=supervisor, changed=changed, reason=reason), actor=actor
    )
    return supervisor


@transaction.atomic
def supervision_certificate_save(
    *, actor: Actor | None, supervisor: Supervisor, certificate: SupervisionCertificate | None = None,
    reason: str = "", **fields: Any
) -> SupervisionCertificate:
    """Record a new supervision certificate of the supervisor, or change one (its status, its dates).
    Suspending (暂扣) or revoking (注销) a certificate needs a reason, recorded in the ledger; a revoked
    certificate is not changed again (a new one is recorded instead)."""
    if actor is not None:
        permission_require(user_can_manage_staff(actor, supervisor.bureau_id), SUPERVISION_CERTIFICATE_EDIT_REFUSED)
    unknown = set(fields) - set(SUPERVISION_CERTIFICATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown supervision certificate fields: {sorted(unknown)}")
    violations: list[Violation] = []
    if certificate is None:
        certificate = SupervisionCertificate(supervisor=supervisor, **fields)
        status_changed = certificate.status != CertificateStatus.VALID
    else:
        certificate = SupervisionCertificate.objects.select_for_update().get(pk=certificate.pk, supervisor=supervisor)
        was_revoked = certificate.status == CertificateStatus.REVOKED
        changed = _apply(certificate, fields)
        if not changed:
            return certificate
        if was_revoked:
            violations.append(
                Violation("certificate.revoked", "该监督检查证已注销，不能再修改；如需持证，请登记新证件",
                          SUPERVISION_CERTIFICATE_RULE, "status")
            )
        status_changed = "status" in changed
    violations = _merge(violations, _model_violations(certificate))
    if not violations and certificate.valid_to < certificate.valid_from:
        violations = [Violation("certificate.period", "证件有效期的截止日期不能早于起始日期", FORM_BASIS, "valid_to")]
    if status_changed and certificate.status != CertificateStatus.VALID and not reason.strip():
        violations.append(
            Violation("certificate.reason_required", "暂扣或注销监督检查证需要说明理由", SUPERVISION_CERTIFICATE_RULE, "reason")
        )
    if violations:
        raise Refused(violations)
    certificate.save()
    entry_append(
        event=events.supervision_certificate_saved_event(
            certificate=certificate, bureau_id=supervisor.bureau_id, reason=reason
        ),
        actor=actor,
    )
    return certificate

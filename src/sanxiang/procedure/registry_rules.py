"""Rules of the registry: who may enforce, with which certificate, on whose behalf."""

import datetime as dt
from dataclasses import dataclass, field

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import Violation

PENALTY_LAW_ART_20 = "《中华人民共和国行政处罚法》第二十条"
PENALTY_LAW_ART_42 = "《中华人民共和国行政处罚法》第四十二条"

AGENCY_KINDS = ("administrative_organ", "authorized_organization", "entrusted_organization")


@dataclass(frozen=True)
class AgencySnapshot:
    kind: str
    entrusting_agency_kind: str | None = None
    entrusting_agency_active: bool = True
    is_own_entruster: bool = False


def agency_validate(agency: AgencySnapshot) -> list[Violation]:
    """An entrusted organisation acts in the name of an administrative organ that entrusted it,
    and may not entrust further (行政处罚法第二十条)."""
    violations = []
    if agency.kind == "entrusted_organization":
        if agency.entrusting_agency_kind is None:
            violations.append(
                Violation(
                    "agency.entrusting_missing",
                    "受委托组织必须登记委托它的行政机关",
                    PENALTY_LAW_ART_20,
                    "entrusting_agency",
                )
            )
        elif agency.is_own_entruster:
            violations.append(
                Violation("agency.entrusting_self", "组织不能委托自己", PENALTY_LAW_ART_20, "entrusting_agency")
            )
        elif agency.entrusting_agency_kind == "entrusted_organization":
            violations.append(
                Violation(
                    "agency.sub_entrustment",
                    "受委托组织不得再委托其他组织或者个人实施行政处罚",
                    PENALTY_LAW_ART_20,
                    "entrusting_agency",
                )
            )
        elif agency.entrusting_agency_kind != "administrative_organ":
            violations.append(
                Violation(
                    "agency.entrusting_not_organ",
                    "只有行政机关可以依法委托其他组织实施行政处罚",
                    PENALTY_LAW_ART_20,
                    "entrusting_agency",
                )
            )
        elif not agency.entrusting_agency_active:
            violations.append(
                Violation(
                    "agency.entrusting_inactive",
                    "委托机关已不在正常状态，委托不能成立",
                    PENALTY_LAW_ART_20,
                    "entrusting_agency",
                )
            )
    elif agency.entrusting_agency_kind is not None:
        violations.append(
            Violation(
                "agency.entrusting_not_applicable",
                "只有受委托组织需要登记委托机关",
                PENALTY_LAW_ART_20,
                "entrusting_agency",
            )
        )
    return violations


def agency_acts_in_entrusters_name(kind: str) -> bool:
    """An entrusted organisation acts in the name of the organ that entrusted it (第二十条): its
    documents carry that organ's name, and the organ answers for the acts."""
    return kind == "entrusted_organization"


def agency_may_open_cases(agency: AgencySnapshot, *, active: bool) -> list[Violation]:
    """An agency opens cases only while it is in force, and an entrusted organisation only while
    its entrustment stands (the entruster may have been dissolved since it was registered)."""
    violations = []
    if not active:
        violations.append(
            Violation("agency.inactive", "本执法主体已暂停执法或已撤销，不能立案", PENALTY_LAW_ART_20, "agency")
        )
    if agency.kind == "entrusted_organization":
        violations += [
            Violation(v.code, v.message, v.legal_basis, "agency") for v in agency_validate(agency)
        ]
    return violations


@dataclass(frozen=True)
class CertificateSnapshot:
    id: int | None
    number: str
    status: str  # valid | suspended | revoked
    valid_from: dt.date
    valid_to: dt.date
    fields: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


def certificate_validate(certificate: CertificateSnapshot) -> list[Violation]:
    if certificate.valid_to < certificate.valid_from:
        return [
            Violation(
                "certificate.period",
                "执法证有效期的截止日期不能早于起始日期",
                "行政执法证件管理规定",
                "valid_to",
            )
        ]
    return []


def certificate_problems_on(certificate: CertificateSnapshot, on: dt.date, *, enforcement_field: str = "") -> list[Violation]:
    """Why the certificate does not allow its holder to act on `on` (in `enforcement_field`, if given).

    Validity is always derived from the status and the dates, never stored, so it cannot go stale."""
    problems = []
    if certificate.status == "suspended":
        problems.append(Violation("certificate.suspended", f"执法证{certificate.number}已暂扣", PENALTY_LAW_ART_42))
    elif certificate.status == "revoked":
        problems.append(Violation("certificate.revoked", f"执法证{certificate.number}已注销或吊销", PENALTY_LAW_ART_42))
    if on < certificate.valid_from:
        problems.append(
            Violation(
                "certificate.not_yet_valid",
                f"执法证{certificate.number}自{certificate.valid_from.isoformat()}起才有效",
                PENALTY_LAW_ART_42,
            )
        )
    if on > certificate.valid_to:
        problems.append(
            Violation(
                "certificate.expired",
                f"执法证{certificate.number}已于{certificate.valid_to.isoformat()}到期",
                PENALTY_LAW_ART_42,
            )
        )
    if enforcement_field and certificate.fields and enforcement_field not in certificate.fields:
        problems.append(
            Violation(
                "certificate.field",
                f"执法证{certificate.number}的执法领域（{'、'.join(certificate.fields)}）不含“{enforcement_field}”",
                PENALTY_LAW_ART_42,
            )
        )
    return problems


def certificate_is_valid_on(certificate: CertificateSnapshot, on: dt.date, *, enforcement_field: str = "") -> bool:
    return not certificate_problems_on(certificate, on, enforcement_field=enforcement_field)


@dataclass(frozen=True)
class OfficerSnapshot:
    id: int | None
    name: str
    status: str  # active | transferred | retired
    staffing_type: str
    is_legal_reviewer: bool = False
    has_legal_qualification: bool = False
    certificates: tuple[CertificateSnapshot, ...] = field(default_factory=tuple)


def staffing_type_may_hold_certificate(
    staffing_type: str, *, on: dt.date, region: str = "", parameters: ParameterSet | None = None
) -> bool:
    parameters = parameters or parameters_default()
    allowed = parameters.value("registry.staffing_types_may_hold_certificate", on=on, region=region)
    return staffing_type in allowed


def officer_problems_on(
    officer: OfficerSnapshot,
    on: dt.date,
    *,
    enforcement_field: str = "",
    region: str = "",
    parameters: ParameterSet | None = None,
) -> list[Violation]:
    """Why this officer may not act on `on`; [] if they may."""
    parameters = parameters or parameters_default()
    problems = []
    if officer.status != "active":
        problems.append(Violation("officer.inactive", f"{officer.name}不在岗", PENALTY_LAW_ART_42))
    if not staffing_type_may_hold_certificate(officer.staffing_type, on=on, region=region, parameters=parameters):
        reference = parameters["registry.staffing_types_may_hold_certificate"].reference
        problems.append(
            Violation("officer.staffing_type", f"{officer.name}的人员身份不能从事行政执法", reference)
        )
    if not any(
        certificate_is_valid_on(c, on, enforcement_field=enforcement_field) for c in officer.certificates
    ):
        problems.append(
            Violation(
                "officer.no_valid_certificate",
                f"{officer.name}在{on.isoformat()}没有有效的执法证"
                + (f"（执法领域：{enforcement_field}）" if enforcement_field else ""),
                PENALTY_LAW_ART_42,
            )
        )
    return problems


def officers_required(
    *, on: dt.date, region: str = "", sector: str = "", parameters: ParameterSet | None = None
) -> tuple[int, str]:
    """How many officers who may act an enforcement act needs on `on`, with its basis: the one
    place the rule is read (`team.min_officers_who_may_act`; 行政处罚法第四十二条)."""
    parameters = parameters or parameters_default()
    period = parameters["team.min_officers_who_may_act"].period_on(on, region=region, sector=sector)
    return int(period.value), period.reference


def case_officers_problems(
    officers: "tuple[OfficerSnapshot, ...] | list[OfficerSnapshot]",
    *,
    on: dt.date,
    enforcement_field: str = "",
    region: str = "",
    sector: str = "",
    parameters: ParameterSet | None = None,
    require_team: bool = False,
    field_name: str = "officers",
) -> list[Violation]:
    """Why these officers may not be assigned to a case on `on`: every officer who may not act
    that day (not in post, a staffing type that may not enforce, no certificate valid for the
    case's field: 第四十二条), with every reason and its basis; and, when `require_team`, fewer
    of them than the act needs (`officers_required`). A case assigned to officers who cannot act
    could never be investigated."""
    parameters = parameters or parameters_default()
    violations: list[Violation] = []
    for officer in officers:
        problems = officer_problems_on(
            officer, on, enforcement_field=enforcement_field, region=region, parameters=parameters
        )
        for problem in problems:
            message = problem.message
            if problem.code == "officer.no_valid_certificate" and officer.certificates:
                reasons = [
                    p.message
                    for c in officer.certificates
                    for p in certificate_problems_on(c, on, enforcement_field=enforcement_field)
                ]
                message += f"（{'；'.join(reasons)}）"
            elif problem.code == "officer.no_valid_certificate":
                message += "（未登记执法证）"
            violations.append(
                Violation(f"case.officers.{problem.code.removeprefix('officer.')}", f"{message}，不能承办本案",
                          problem.legal_basis, field_name)
            )
    if require_team:
        needed, basis = officers_required(on=on, region=region, sector=sector, parameters=parameters)
        able = sum(
            1
            for o in dict((o.id, o) for o in officers).values()
            if not officer_problems_on(o, on, enforcement_field=enforcement_field, region=region, parameters=parameters)
        )
        if able < needed:
            violations.insert(
                0,
                Violation(
                    "case.officers.too_few",
                    f"承办人员须不少于{needed}名可以执法的执法人员，现为{able}名",
                    basis,
                    field_name,
                ),
            )
    return violations


# Who may set which field of an agency (平台规则: the platform's access rule, not law). A supervisor's
# county is their judicial bureau's 行政区划代码, so the code and the bureau flag decide what a
# supervisor reads: only a system administrator sets them. A supervisor registers and edits the
# agencies of their own county only; an agency's own administrator keeps its identity fields.
AGENCY_FIELD_RULE = "平台规则：行政区划代码、是否为司法行政部门只有系统管理员可以设定或者修改；司法局监督人员只能登记、修改本县（旗）的执法主体；本单位管理员不能修改本单位的行政区划代码、主体类别、状态和统一社会信用代码"

AGENCY_FIELDS_SYSTEM_ADMIN_ONLY = ("region_code", "is_judicial_bureau")
AGENCY_FIELDS_NOT_OWN_ADMIN = ("region_code", "kind", "status", "credit_code", "is_judicial_bureau")
AGENCY_FIELD_LABELS = {
    "region_code": "行政区划代码", "is_judicial_bureau": "是否为司法行政部门", "kind": "主体类别",
    "status": "状态", "credit_code": "统一社会信用代码",
}


def agency_fields_refused(*, role: str, changed: list[str], region_code: str = "", county: str | None = None,
                          is_judicial_bureau: bool = False, creating: bool = False) -> list[Violation]:
    """The fields of an agency the actor may not set (`role`: "system_admin", "supervisor" or
    "agency_admin"), one violation per field; `county` is a supervisor's county (行政区划代码)."""
    if role == "system_admin":
        return []
    violations = []
    if role == "supervisor":
        if creating:
            if region_code != county:
                violations.append(Violation("agency.region_outside_county",
                                            "司法局监督人员只能登记本县（旗）的执法主体，行政区划代码须与本司法局相同",
                                            AGENCY_FIELD_RULE, "region_code"))
            if is_judicial_bureau:
                violations.append(Violation("agency.field_system_admin_only",
                                            "只有系统管理员可以设定是否为司法行政部门", AGENCY_FIELD_RULE,
                                            "is_judicial_bureau"))
            return violations
        refused = AGENCY_FIELDS_SYSTEM_ADMIN_ONLY
        message = "只有系统管理员可以修改{label}"
    else:
        refused = AGENCY_FIELDS_NOT_OWN_ADMIN
        message = "本单位管理员不能修改本单位的{label}，请联系司法局或系统管理员"
    for name in changed:
        if name in refused:
            violations.append(Violation("agency.field_refused", message.format(label=AGENCY_FIELD_LABELS[name]),
                                        AGENCY_FIELD_RULE, name))
    return violations

"""Team health (队伍建设): the findings the judicial bureau and each agency should act on."""

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.registry_rules import (
    OfficerSnapshot,
    certificate_is_valid_on,
    officer_problems_on,
    officers_required,
    staffing_type_may_hold_certificate,
)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    legal_basis: str
    severity: str  # "danger" needs action now; "warning" soon
    officer_id: int | None = None
    certificate_id: int | None = None


def team_health(
    officers: list[OfficerSnapshot],
    *,
    on: dt.date,
    region: str = "",
    parameters: ParameterSet | None = None,
) -> list[Finding]:
    parameters = parameters or parameters_default()
    active = [o for o in officers if o.status == "active"]
    findings: list[Finding] = []
    window = parameters.value("team.certificate_expiry_warning_days", on=on, region=region)
    staffing_reference = parameters["registry.staffing_types_may_hold_certificate"].reference
    for officer in active:
        allowed = staffing_type_may_hold_certificate(officer.staffing_type, on=on, region=region, parameters=parameters)
        if not allowed:
            holds = any(certificate_is_valid_on(c, on) for c in officer.certificates)
            findings.append(
                Finding(
                    "officer.staffing_type",
                    f"{officer.name}的人员身份不能持有执法证" + ("，但目前持有有效执法证" if holds else ""),
                    staffing_reference,
                    "danger" if holds else "warning",
                    officer_id=officer.id,
                )
            )
            continue
        valid = [c for c in officer.certificates if certificate_is_valid_on(c, on)]
        if not valid:
            findings.append(
                Finding(
                    "officer.no_valid_certificate",
                    f"{officer.name}没有有效的执法证，不能从事执法活动",
                    "《中华人民共和国行政处罚法》第四十二条",
                    "danger",
                    officer_id=officer.id,
                )
            )
            continue
        latest = max(valid, key=lambda c: c.valid_to)
        days_left = (latest.valid_to - on).days
        if days_left <= window:
            findings.append(
                Finding(
                    "certificate.expiring",
                    f"{officer.name}的执法证{latest.number}将于{latest.valid_to.isoformat()}到期（剩余{days_left}天）",
                    parameters["team.certificate_expiry_warning_days"].reference,
                    "warning",
                    officer_id=officer.id,
                    certificate_id=latest.id,
                )
            )
    minimum, minimum_basis = officers_required(on=on, region=region, parameters=parameters)
    may_act = [o for o in active if not officer_problems_on(o, on, region=region, parameters=parameters)]
    if len(may_act) < minimum:
        findings.append(
            Finding(
                "agency.too_few_officers",
                f"可以执法的人员只有{len(may_act)}人，少于{minimum}人，无法开展调查、检查等执法活动",
                minimum_basis,
                "danger",
            )
        )
    ratio = parameters.value("team.legal_reviewer_min_ratio", on=on, region=region)
    reviewers = [o for o in active if o.is_legal_reviewer]
    if active and len(reviewers) < ratio * len(active):
        findings.append(
            Finding(
                "agency.reviewer_ratio_low",
                f"法制审核人员{len(reviewers)}人，占执法人员{len(active)}人的"
                f"{len(reviewers) / len(active):.1%}，低于{ratio:.0%}",
                parameters["team.legal_reviewer_min_ratio"].reference,
                "warning",
            )
        )
    return findings

"""Who may enforce: certificates (行政处罚法第四十二条), entrustment (第二十条), team health."""

import datetime as dt

from sanxiang.procedure.registry_rules import (
    AgencySnapshot,
    CertificateSnapshot,
    OfficerSnapshot,
    agency_validate,
    certificate_is_valid_on,
    certificate_problems_on,
    officer_problems_on,
)
from sanxiang.procedure.team import team_health

ON = dt.date(2026, 11, 26)


def certificate(**overrides):
    values = dict(id=1, number="15062620000001", status="valid", valid_from=dt.date(2022, 1, 1),
                  valid_to=dt.date(2028, 1, 1), fields=("市场监管",))
    return CertificateSnapshot(**(values | overrides))


def officer(name="张三", **overrides):
    values = dict(id=hash(name) % 1000, name=name, status="active", staffing_type="administrative",
                  certificates=(certificate(),))
    return OfficerSnapshot(**(values | overrides))


def test_certificate_validity_is_derived_from_status_and_dates():
    assert certificate_is_valid_on(certificate(), ON)
    assert certificate_is_valid_on(certificate(), dt.date(2028, 1, 1))  # last day still valid
    assert not certificate_is_valid_on(certificate(), dt.date(2028, 1, 2))
    assert not certificate_is_valid_on(certificate(), dt.date(2021, 12, 31))
    assert not certificate_is_valid_on(certificate(status="suspended"), ON)


def test_an_expired_suspended_certificate_reports_both_reasons_with_article_42():
    problems = certificate_problems_on(certificate(status="suspended", valid_to=dt.date(2026, 1, 1)), ON)
    assert [p.code for p in problems] == ["certificate.suspended", "certificate.expired"]
    assert all(p.legal_basis == "《中华人民共和国行政处罚法》第四十二条" for p in problems)
    assert "2026-01-01" in problems[1].message


def test_certificate_outside_its_field_does_not_allow_acting_there():
    assert [p.code for p in certificate_problems_on(certificate(), ON, enforcement_field="交通运输")] == [
        "certificate.field"
    ]
    assert certificate_problems_on(certificate(), ON, enforcement_field="市场监管") == []


def test_officer_without_valid_certificate_may_not_act_and_one_with_it_may():
    assert officer_problems_on(officer(certificates=()), ON)[0].code == "officer.no_valid_certificate"
    assert officer_problems_on(officer(), ON) == []


def test_dispatched_worker_may_not_act_even_with_a_certificate():
    problems = officer_problems_on(officer(staffing_type="agency_dispatched"), ON)
    assert [p.code for p in problems] == ["officer.staffing_type"]


def test_entrusted_organisation_needs_an_administrative_organ_as_entruster():
    # 行政处罚法第二十条: entrustment by an administrative organ, no sub-entrustment.
    missing = agency_validate(AgencySnapshot(kind="entrusted_organization"))
    assert [v.code for v in missing] == ["agency.entrusting_missing"]
    assert missing[0].legal_basis == "《中华人民共和国行政处罚法》第二十条"
    sub = agency_validate(AgencySnapshot(kind="entrusted_organization", entrusting_agency_kind="entrusted_organization"))
    assert [v.code for v in sub] == ["agency.sub_entrustment"]
    assert agency_validate(AgencySnapshot(kind="entrusted_organization", entrusting_agency_kind="administrative_organ")) == []
    assert agency_validate(AgencySnapshot(kind="administrative_organ")) == []


def test_team_health_flags_each_kind_of_problem():
    officers = [
        officer("无证", certificates=()),
        officer("派遣", staffing_type="agency_dispatched", certificates=()),
        officer("将到期", certificates=(certificate(valid_to=ON + dt.timedelta(days=20)),)),
    ]
    codes = [f.code for f in team_health(officers, on=ON)]
    assert sorted(codes) == sorted(
        ["officer.no_valid_certificate", "officer.staffing_type", "certificate.expiring",
         "agency.too_few_officers", "agency.reviewer_ratio_low"]
    )


def test_healthy_team_has_no_findings():
    officers = [officer(f"人员{i}") for i in range(19)] + [officer("审核", is_legal_reviewer=True)]
    assert team_health(officers, on=ON) == []
    # 1 reviewer among 21 officers is 4.8%, below 5%.
    assert [f.code for f in team_health([*officers, officer("新人")], on=ON)] == ["agency.reviewer_ratio_low"]

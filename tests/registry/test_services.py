"""Registry services: validation reports every reason, nothing is half-written, and every
change leaves its ledger entry."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services
from sanxiang.registry.models import Agency, Officer, Party
from tests.factories import agency_make, credit_code, id_number, officer_make, user_make

pytestmark = pytest.mark.django_db


def test_invalid_agency_is_refused_with_every_reason_and_nothing_is_written():
    with pytest.raises(Refused) as refused:
        services.agency_create(
            actor=None,
            name="乌审旗某局",
            credit_code="91350100M000100Y4Z",
            kind="entrusted_organization",
            region_code="990000",
            parent_government="乌审旗人民政府",
        )
    codes = {v.code for v in refused.value.violations}
    assert codes == {"credit_code.character", "region_code.province", "agency.entrusting_missing"}
    assert Agency.objects.count() == 0


def test_entrusted_organisation_is_registered_with_its_entruster():
    organ = agency_make()
    entrusted = agency_make(kind="entrusted_organization", entrusting_agency=organ)
    assert entrusted.entrusting_agency == organ
    with pytest.raises(Refused) as refused:
        agency_make(kind="entrusted_organization", entrusting_agency=entrusted)
    assert [v.code for v in refused.value.violations] == ["agency.sub_entrustment"]


def test_officer_with_bad_id_number_is_refused_with_chinese_reason():
    agency = agency_make()
    good = id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(Refused) as refused:
        services.officer_create(actor=None, agency=agency, name="王五", id_number=bad, staffing_type="administrative")
    assert refused.value.violations[0].code == "id_number.check"
    assert "第18位校验码应为" in refused.value.violations[0].message
    assert Officer.objects.count() == 0


def test_certificate_period_must_be_ordered():
    officer = officer_make(agency=agency_make(), certificate=False)
    with pytest.raises(Refused) as refused:
        services.certificate_create(
            actor=None, officer=officer, number="X1", issuing_authority="鄂尔多斯市人民政府",
            enforcement_fields="市场监管", valid_from=dt.date(2026, 1, 2), valid_to=dt.date(2026, 1, 1),
        )
    assert [v.code for v in refused.value.violations] == ["certificate.period"]


def test_suspending_a_certificate_needs_a_reason():
    officer = officer_make(agency=agency_make())
    certificate = officer.certificates.get()
    with pytest.raises(Refused):
        services.certificate_update(actor=None, certificate=certificate, status="suspended")
    services.certificate_update(actor=None, certificate=certificate, status="suspended", reason="涉嫌违纪，暂扣")
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    assert not certificate.is_valid_on(dt.date.today())


def test_party_identifiers_are_checked_by_kind():
    agency = agency_make()
    company = services.party_create(actor=None, agency=agency, kind="legal_person", name="乌审旗某某商贸有限公司",
                                    credit_code=credit_code(prefix="91150626"))
    assert company.pk
    with pytest.raises(Refused) as refused:
        services.party_create(actor=None, agency=agency, kind="legal_person", name="无代码公司")
    assert refused.value.violations[0].code == "credit_code.empty"
    person = services.party_create(actor=None, agency=agency, kind="natural_person", name="张三",
                                   id_type="resident_id_card", id_number=id_number())
    assert person.pk
    # Foreign documents are not checked by the Chinese algorithm (legal_rules §8.1 item 16).
    foreigner = services.party_create(actor=None, agency=agency, kind="natural_person", name="John Smith",
                                      id_type="passport", id_number="E12345678")
    assert foreigner.pk
    assert Party.objects.count() == 3


def test_agency_admin_cannot_register_officers_of_another_agency():
    own, other = agency_make(), agency_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=own)
    with pytest.raises(PermissionDenied):
        services.officer_create(actor=admin, agency=other, name="赵六", id_number=id_number(), staffing_type="administrative")
    assert services.officer_create(actor=admin, agency=own, name="赵六", id_number=id_number(), staffing_type="administrative")


def test_supervisor_reads_but_does_not_change_agency_staff():
    agency = agency_make()
    bureau = agency_make(is_judicial_bureau=True)
    supervisor = user_make(role=Role.SUPERVISOR, agency=bureau)
    officer = officer_make(agency=agency)
    with pytest.raises(PermissionDenied):
        services.officer_update(actor=supervisor, officer=officer, post="队长")


def test_the_officer_list_shows_each_officer_s_department(client):
    # Two officers of the same name told apart by their 内设机构 on the list, as in the picker.
    agency = agency_make()
    officer_make(agency=agency, name="王芳", department="执法一中队")
    officer_make(agency=agency, name="王芳", department="法制股")
    client.force_login(user_make(role=Role.AGENCY_ADMIN, agency=agency))
    html = client.get(reverse("registry:officer_list")).content.decode()
    assert "<th>内设机构</th>" in html
    assert "<td>执法一中队</td>" in html and "<td>法制股</td>" in html

"""《中华人民共和国行政处罚法》第二十条: an entrusted organisation acts in the name of the
administrative organ that entrusted it, and only while the entrustment stands."""

import datetime as dt

import pytest

from sanxiang.cases.selectors import case_info_build
from sanxiang.cases.services import case_create
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services as registry
from tests.factories import agency_make

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 26)


@pytest.fixture
def entrusted():
    organ = agency_make(name="乌审旗农牧局")
    return agency_make(name="乌审旗农牧业综合行政执法大队", kind="entrusted_organization", entrusting_agency=organ)


def test_the_entrusted_organisations_documents_carry_the_entrusting_organs_name(entrusted):
    case = case_create(actor=None, agency=entrusted, title="涉嫌违法使用农药案", on=ON)
    info = case_info_build(case, on=ON)
    assert info.agency.name == "乌审旗农牧局"
    assert info.agency.credit_code == entrusted.entrusting_agency.credit_code


def test_no_case_is_opened_once_the_entrusting_organ_is_dissolved(entrusted):
    registry.agency_update(actor=None, agency=entrusted.entrusting_agency, status="dissolved")
    entrusted.refresh_from_db()
    with pytest.raises(Refused) as refused:
        case_create(actor=None, agency=entrusted, title="涉嫌违法使用农药案", on=ON)
    (violation,) = refused.value.violations
    assert violation.code == "agency.entrusting_inactive"
    assert violation.message == "委托机关已不在正常状态，委托不能成立"
    assert violation.legal_basis == "《中华人民共和国行政处罚法》第二十条"


def test_a_suspended_agency_opens_no_case_and_an_active_one_does():
    agency = agency_make()
    assert case_create(actor=None, agency=agency, title="案件", on=ON).pk
    registry.agency_update(actor=None, agency=agency, status="suspended")
    agency.refresh_from_db()
    with pytest.raises(Refused) as refused:
        case_create(actor=None, agency=agency, title="案件", on=ON)
    assert [v.code for v in refused.value.violations] == ["agency.inactive"]

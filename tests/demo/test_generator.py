"""The seeded generator, without a database: determinism, valid and unique identifiers at
scale, and the mix of certificates that team health must find."""

import datetime as dt
import re
from collections import Counter

import pytest

from sanxiang.demo import data
from sanxiang.demo.generator import CountyGenerator
from sanxiang.procedure.identifiers import credit_code_validate, id_number_validate

TODAY = dt.date(2026, 6, 15)
ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条(第[一二三四五六七八九十]+款)?、?)+$")


def _everything(generator: CountyGenerator) -> tuple:
    return (
        generator.agencies(),
        generator.officers(),
        generator.certificates(),
        generator.matters(),
        generator.parties(),
    )


def test_same_seed_gives_the_same_county():
    assert _everything(CountyGenerator(seed=5, today=TODAY)) == _everything(
        CountyGenerator(seed=5, today=TODAY)
    )


def test_another_seed_gives_another_county():
    first, second = CountyGenerator(seed=5, today=TODAY), CountyGenerator(seed=6, today=TODAY)
    assert [a.credit_code for a in first.agencies()] != [a.credit_code for a in second.agencies()]
    assert [o.id_number for o in first.officers()] != [o.id_number for o in second.officers()]
    assert [p.name for p in first.parties()] != [p.name for p in second.parties()]
    # The agencies themselves are the real ones whatever the seed.
    assert [a.name for a in first.agencies()] == [a.name for a in second.agencies()]


def test_agencies_do_not_depend_on_the_date():
    """The loader finds an existing demo by the judicial bureau's code, on any later day."""
    assert (
        CountyGenerator(today=TODAY).agencies()
        == CountyGenerator(today=TODAY + dt.timedelta(days=400)).agencies()
    )


def test_demo_volumes_are_those_asked_for():
    generator = CountyGenerator(today=TODAY)
    assert 28 <= len(generator.agencies()) <= 32
    assert len(generator.officers()) == 300
    assert 190 <= len(generator.matters()) <= 220
    assert 30 <= len(generator.parties()) <= 60
    kinds = Counter(m.kind for m in generator.matters())
    assert kinds.most_common(1)[0][0] == data.PENALTY
    assert {data.PERMIT, data.PENALTY, data.COERCION, data.INSPECTION, data.EXPROPRIATION} <= set(kinds)


@pytest.mark.parametrize("scale", [1, 10])
def test_identifiers_are_valid_and_unique(scale):
    generator = CountyGenerator(seed=11, scale=scale, today=TODAY)
    agencies, officers, certificates, matters, parties = _everything(generator)
    assert len(agencies) == 30 * scale and len(officers) == 300 * scale

    credit_codes = [a.credit_code for a in agencies] + [p.credit_code for p in parties if p.credit_code]
    id_numbers = [o.id_number for o in officers] + [p.id_number for p in parties if p.id_number]
    for code in credit_codes:
        assert credit_code_validate(code, check_organization_code=True) == [], code
    for number in id_numbers:
        assert id_number_validate(number, today=TODAY) == [], number
        assert number[:4] in {"1506", "1501", "1502", "1508", "1529", "1590"}, number
    for values in (
        credit_codes,
        id_numbers,
        [a.name for a in agencies],
        [c.number for c in certificates],
        [m.code for m in matters],
        [o.key for o in officers],
    ):
        assert len(values) == len(set(values))


def test_credit_codes_follow_the_registering_department_and_kind():
    generator = CountyGenerator(today=TODAY)
    by_name = {a.name: a.credit_code for a in generator.agencies()}
    assert by_name["乌审旗司法局"].startswith("11150626")
    assert by_name["乌审旗农牧业综合行政执法大队"].startswith("12150626")
    assert by_name["鄂尔多斯市生态环境局乌审旗分局"].startswith("11150600")
    prefixes = {"legal_person": ("91150626", "93150626"), "individual_business": ("92150626",)}
    for party in generator.parties():
        if party.kind in prefixes:
            assert party.credit_code.startswith(prefixes[party.kind]), party
        if party.kind == "natural_person":
            assert party.id_type == "resident_id_card" and not party.credit_code


def test_officer_id_numbers_match_sex_and_working_age():
    for officer in CountyGenerator(today=TODAY).officers():
        birth = dt.date(
            int(officer.id_number[6:10]), int(officer.id_number[10:12]), int(officer.id_number[12:14])
        )
        assert 24 <= (TODAY - birth).days / 365.25 <= 58, officer


def test_every_demo_officer_has_a_department_that_fits_the_post():
    # 内设机构 tells apart two officers of the same name when a case's officers are chosen.
    generator = CountyGenerator(today=TODAY)
    agencies = {a.key: a.name for a in generator.agencies()}
    officers = generator.officers()
    assert all(o.department for o in officers)
    by_agency: dict[str, set[str]] = {}
    for officer in officers:
        by_agency.setdefault(agencies[officer.agency_key], set()).add(officer.department)
        if officer.is_legal_reviewer:
            assert officer.department in ("政策法规股", "法制审核室", "司法所"), officer
        if "市场监督管理所" in officer.post or "股" in officer.post:
            assert officer.post.startswith(officer.department), officer
    assert by_agency["乌审旗农牧业综合行政执法大队"] >= {"大队部", "执法一中队", "执法二中队", "法制审核室"}
    assert {"综合执法股", "食品安全监管股"} <= by_agency["乌审旗市场监督管理局"]
    assert officers[0].fields()["department"] == officers[0].department


def test_the_banner_has_its_bureau_brigades_and_towns():
    agencies = {a.name: a for a in CountyGenerator(today=TODAY).agencies()}
    assert agencies["乌审旗司法局"].is_judicial_bureau
    assert [a.name for a in agencies.values() if a.is_judicial_bureau] == ["乌审旗司法局"]
    assert agencies["乌审旗市场监督管理局"].is_main
    brigade = agencies["乌审旗农牧业综合行政执法大队"]
    assert brigade.kind == data.ENTRUSTED
    entruster = next(a for a in agencies.values() if a.key == brigade.entrusting_key)
    assert entruster.name == "乌审旗农牧局" and entruster.kind == data.ORGAN
    assert agencies["乌审旗消防救援大队"].kind == data.AUTHORIZED
    for town in data.WUSHEN.towns:
        town_agency = agencies[f"乌审旗{town}人民政府"]
        assert town_agency.kind == data.ORGAN and "综合行政执法" in town_agency.enforcement_fields
    for agency in agencies.values():
        assert agency.legal_basis and agency.contact_phone.startswith("0477-") and "乌审旗" in agency.address


def test_every_matter_cites_a_named_law_and_well_formed_articles():
    generator = CountyGenerator(today=TODAY)
    fields_of = {a.key: a.enforcement_fields.split("、") for a in generator.agencies()}
    for matter in generator.matters():
        assert matter.legal_bases, matter
        for basis in matter.legal_bases:
            assert re.fullmatch(r"《[^《》]+》", basis.law), basis
            assert basis.article == "" or ARTICLE.match(basis.article), basis
        # A certificate for the agency's fields covers each of its matters.
        assert matter.enforcement_field in fields_of[matter.agency_key], matter


def test_entrusted_organisations_hold_no_coercive_powers():
    """行政强制法第十七条: 行政强制措施权不得委托."""
    generator = CountyGenerator(today=TODAY)
    entrusted = {a.key for a in generator.agencies() if a.kind == data.ENTRUSTED}
    assert entrusted
    assert not [m for m in generator.matters() if m.agency_key in entrusted and m.kind == data.COERCION]


def test_certificates_include_expiring_expired_and_suspended_ones():
    generator = CountyGenerator(today=TODAY)
    certificates = generator.certificates()
    expiring = [
        c
        for c in certificates
        if c.status == "valid" and TODAY <= c.valid_to <= TODAY + dt.timedelta(days=60)
    ]
    expired = [c for c in certificates if c.valid_to < TODAY]
    suspended = [c for c in certificates if c.status == "suspended"]
    assert len(expiring) >= 5 and len(expired) >= 5 and len(suspended) >= 1
    for certificate in certificates:
        assert certificate.issuing_authority == "鄂尔多斯市人民政府"
        assert re.fullmatch(r"150626\d{8}", certificate.number)
        assert certificate.valid_to > certificate.valid_from
    # Irregular staff are on the roster, and at least one of them still holds a certificate.
    irregular = {
        o.key for o in generator.officers() if o.staffing_type in ("support_staff", "agency_dispatched")
    }
    assert 3 <= len(irregular) <= 20
    assert {c.officer_key for c in certificates} & irregular


def test_demo_roles_are_officers_of_the_main_agency_with_long_certificates():
    generator = CountyGenerator(today=TODAY)
    main = generator.main_agency()
    demo = {o.demo_role: o for o in generator.officers() if o.demo_role}
    assert set(demo) == {"officer", "reviewer", "agency_head"}
    assert all(o.agency_key == main.key and o.status == "active" for o in demo.values())
    assert demo["reviewer"].is_legal_reviewer and demo["reviewer"].has_legal_qualification
    assert not demo["officer"].is_legal_reviewer
    for officer in demo.values():
        (certificate,) = [c for c in generator.certificates() if c.officer_key == officer.key]
        assert certificate.status == "valid" and certificate.valid_to > TODAY + dt.timedelta(days=365)


def test_a_smaller_catalogue_still_covers_every_agency():
    generator = CountyGenerator(agencies=10, officers=60, matters=25, parties=5, today=TODAY)
    assert len(generator.agencies()) == 10 and len(generator.officers()) == 60
    assert len(generator.matters()) == 25
    assert {m.agency_key for m in generator.matters()} == {a.key for a in generator.agencies()}
    with pytest.raises(ValueError):
        CountyGenerator(agencies=2, matters=500, today=TODAY).matters()

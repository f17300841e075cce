"""The public registry (事前公开, 事中公示) regenerated from the registry: the right rows, the right
states, idempotent, recorded in the ledger, and never a piece of an officer's personal data."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.engine import procedure_mermaid
from sanxiang.procedure.penalty.procedures import ORDINARY, SUMMARY
from sanxiang.publication.models import PublicAgency, PublicCertificate
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services
from sanxiang.registry.models import Certificate
from tests.factories import agency_make, certificate_make, id_number, officer_make, user_make

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
FOOD_LAW = {"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条"}


def payload(entry: Entry) -> dict:
    return json.loads(bytes(entry.body))["payload"]


def refreshes() -> list[Entry]:
    return list(Entry.objects.filter(kind=EventKind.PUBLIC_REGISTRY_REFRESHED).order_by("seq"))


@pytest.fixture
def world():
    """A bureau with a penalty, an inspection and a permit power; officers in every situation; an
    organisation it entrusts; and a party whose personal data must never leak either."""
    bureau = agency_make(
        name="乌审旗市场监督管理局",
        legal_basis="《中华人民共和国食品安全法》第六条",
        address="乌审旗嘎鲁图镇市场路1号",
        contact_phone="0477-7000001",
        enforcement_fields="市场监管、食品安全",
    )
    station = agency_make(
        name="乌审旗嘎鲁图镇综合执法队",
        kind="entrusted_organization",
        entrusting_agency=bureau,
        enforcement_fields="市场监管",
    )
    services.matter_create(
        actor=None, agency=bureau, code="SJ-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚",
        kind="penalty", enforcement_field="食品安全", legal_bases=[FOOD_LAW], discretion_standard="首次违法且货值较小的，从轻处罚",
    )
    services.matter_create(
        actor=None, agency=bureau, code="SJ-JC-001", name="食品经营者监督检查", kind="inspection",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百一十条"}],
    )
    services.matter_create(
        actor=None, agency=bureau, code="SJ-XK-001", name="食品经营许可", kind="permit",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}],
    )
    services.matter_create(
        actor=None, agency=bureau, code="SJ-XK-999", name="已取消的许可", kind="permit", is_active=False,
        legal_bases=[FOOD_LAW],
    )
    services.matter_create(
        actor=None, agency=station, code="GL-XK-001", name="临时占道经营许可", kind="permit", legal_bases=[FOOD_LAW],
    )
    officers = {
        "valid": officer_make(agency=bureau, name="王有效", post="稽查一中队队长"),
        "expired": officer_make(agency=bureau, name="李过期", valid_to=TODAY - dt.timedelta(days=1)),
        "suspended": officer_make(agency=bureau, name="张暂扣"),
        "revoked": officer_make(agency=bureau, name="赵注销"),
        "transferred": officer_make(agency=bureau, name="钱调离"),
        "retired": officer_make(agency=bureau, name="孙退休"),
        "future": officer_make(agency=bureau, name="周未生效", certificate=False),
        "station": officer_make(agency=station, name="吴受托"),
    }
    certificate_make(
        officer=officers["future"], valid_from=TODAY + dt.timedelta(days=10), valid_to=TODAY + dt.timedelta(days=400)
    )
    for key, status in (("suspended", "suspended"), ("revoked", "revoked")):
        services.certificate_update(
            actor=None, certificate=officers[key].certificates.get(), status=status, reason="违反执法纪律"
        )
    services.officer_update(actor=None, officer=officers["transferred"], status="transferred")
    services.officer_update(actor=None, officer=officers["retired"], status="retired")
    party = services.party_create(
        actor=None, agency=bureau, kind="natural_person", name="刘当事", id_type="resident_id_card",
        id_number=id_number(serial=777), phone="13912345678", address="乌审旗嘎鲁图镇幸福小区3号楼",
    )
    return {"bureau": bureau, "station": station, "officers": officers, "party": party}


def certificate_of(world, key: str) -> PublicCertificate:
    return PublicCertificate.objects.get(source_id=world["officers"][key].certificates.get().pk)


def secrets_of(world) -> list[str]:
    """Everything personal the registry holds that the public must never read."""
    values = []
    for officer in world["officers"].values():
        values += [officer.id_number, officer.id_number_masked]
        if officer.post:
            values.append(officer.post)
    party = world["party"]
    values += [party.name, party.id_number, party.phone, party.address]
    return values


def public_text() -> str:
    rows = [
        {f.name: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}
        for row in [*PublicAgency.objects.all(), *PublicCertificate.objects.all()]
    ]
    return json.dumps(rows, ensure_ascii=False, default=str)


# --- the agency rows -----------------------------------------------------------------------------


def test_refresh_publishes_each_agency_from_the_registry(world):
    result = public_registry_refresh()
    assert result.agencies == PublicAgency.objects.count() == 2
    row = PublicAgency.objects.get(source_id=world["bureau"].pk)
    assert (row.name, row.kind, row.legal_basis) == ("乌审旗市场监督管理局", "行政机关", "《中华人民共和国食品安全法》第六条")
    assert (row.enforcement_fields, row.address, row.phone) == ("市场监管、食品安全", "乌审旗嘎鲁图镇市场路1号", "0477-7000001")
    assert (row.parent_government, row.entrusted_by) == ("乌审旗人民政府", "")
    assert [m["code"] for m in row.matters] == ["SJ-CF-001", "SJ-JC-001", "SJ-XK-001"]  # the inactive one is left out
    penalty = row.matters[0]
    assert penalty == {
        "code": "SJ-CF-001",
        "name": "对未取得食品经营许可从事食品经营活动的处罚",
        "kind": "penalty",
        "kind_label": "行政处罚",
        "enforcement_field": "食品安全",
        "legal_bases": ["《中华人民共和国食品安全法》第一百二十二条"],
        "discretion_standard": "首次违法且货值较小的，从轻处罚",
    }
    # Only the officer with a valid certificate, in post, may act today.
    assert row.officer_count == 1


def test_procedures_are_the_engines_own_with_their_flowchart(world):
    public_registry_refresh()
    row = PublicAgency.objects.get(source_id=world["bureau"].pk)
    assert [p["name"] for p in row.procedures] == ["penalty.ordinary", "penalty.summary"]
    ordinary = row.procedures[0]
    assert ordinary["label"] == "行政处罚普通程序"
    assert ordinary["mermaid"] == procedure_mermaid(ORDINARY)
    assert row.procedures[1]["mermaid"] == procedure_mermaid(SUMMARY)
    assert [s["label"] for s in ordinary["steps"]] == [t.label for t in ORDINARY.transitions]
    assert ordinary["steps"][0] == {
        "name": "open", "label": "立案", "from": ["案源登记"], "to": "已立案", "legal_basis": ORDINARY.transitions[0].legal_basis,
    }
    assert {"name": "archived", "label": "已归档", "final": True} in ordinary["states"]
    # An agency whose catalogue has no penalty power publishes no penalty procedure.
    station = PublicAgency.objects.get(source_id=world["station"].pk)
    assert station.procedures == []


def test_remedies_name_the_government_and_the_court_with_their_periods(world):
    public_registry_refresh()
    row = PublicAgency.objects.get(source_id=world["bureau"].pk)
    reconsideration, litigation = row.remedies
    assert reconsideration["label"] == "行政复议" and reconsideration["authority"] == "乌审旗人民政府"
    assert reconsideration["days"] == 60 and "第二十条" in reconsideration["legal_basis"]
    assert "60日内" in reconsideration["period"] and reconsideration["action"] == "申请行政复议"
    assert litigation["label"] == "行政诉讼" and litigation["authority"] == "乌审旗人民法院"
    assert litigation["months"] == 6 and litigation["legal_basis"] == "《中华人民共和国行政诉讼法》第四十六条"


def test_inspection_list_and_service_guides_come_from_the_catalogue(world):
    public_registry_refresh()
    row = PublicAgency.objects.get(source_id=world["bureau"].pk)
    assert row.inspections == [
        {
            "seq": 1,
            "code": "SJ-JC-001",
            "item": "食品经营者监督检查",
            "subject": "乌审旗市场监督管理局",
            "basis": "《中华人民共和国食品安全法》第一百一十条",
            "method": "",
            "content": "",
        }
    ]
    assert row.service_guides == [
        {
            "code": "SJ-XK-001",
            "name": "食品经营许可",
            "receiving_office": "乌审旗市场监督管理局",
            "approving_office": "乌审旗市场监督管理局",
            "conditions": "",
            "time_limit": "",
            "legal_bases": ["《中华人民共和国食品安全法》第三十五条"],
        }
    ]


def test_an_entrusted_organisation_acts_in_the_name_of_its_entruster(world):
    public_registry_refresh()
    station = PublicAgency.objects.get(source_id=world["station"].pk)
    assert (station.kind, station.entrusted_by) == ("受委托组织", "乌审旗市场监督管理局")
    assert {r["respondent"] for r in station.remedies} == {"乌审旗市场监督管理局"}
    assert "第二十条" in station.remedies[0]["note"]
    assert station.service_guides[0]["receiving_office"] == "乌审旗嘎鲁图镇综合执法队"
    assert station.service_guides[0]["approving_office"] == "乌审旗市场监督管理局"


# --- the certificate rows ------------------------------------------------------------------------


def test_certificate_rows_carry_the_registry_state(world):
    result = public_registry_refresh()
    assert result.certificates == PublicCertificate.objects.count() == 8
    valid = certificate_of(world, "valid")
    registry_certificate = world["officers"]["valid"].certificates.get()
    assert (valid.officer_name, valid.number, valid.enforcement_field) == ("王有效", registry_certificate.number, "市场监管")
    assert (valid.valid_from, valid.valid_to) == (registry_certificate.valid_from, registry_certificate.valid_to)
    assert valid.agency.source_id == world["bureau"].pk
    assert len(valid.token) == 16
    states = {key: certificate_of(world, key).state for key in world["officers"]}
    assert states == {
        "valid": "valid",
        "expired": "valid",  # expiry is judged on the day of the visit, from the dates
        "suspended": "suspended",
        "revoked": "revoked",
        "transferred": "revoked",  # no longer in post: the card must not read as valid
        "retired": "revoked",
        "future": "valid",
        "station": "valid",
    }
    assert result.certificates_not_valid == 4
    assert certificate_of(world, "station").agency.source_id == world["station"].pk


def test_refresh_is_idempotent_and_keeps_tokens(world):
    first = public_registry_refresh()
    tokens = dict(PublicCertificate.objects.values_list("source_id", "token"))
    stamps = dict(PublicAgency.objects.values_list("source_id", "refreshed_at"))
    second = public_registry_refresh()
    assert dict(PublicCertificate.objects.values_list("source_id", "token")) == tokens
    assert dict(PublicAgency.objects.values_list("source_id", "refreshed_at")) == stamps
    assert (second.agencies_created, second.agencies_changed) == (0, 0)
    assert (second.certificates_created, second.certificates_changed) == (0, 0)
    assert second.content_sha256 == first.content_sha256
    assert (first.agencies_created, first.certificates_created) == (2, 8)


def test_a_change_in_the_registry_reaches_the_public_row(world):
    public_registry_refresh()
    token = certificate_of(world, "valid").token
    services.officer_update(actor=None, officer=world["officers"]["valid"], status="transferred")
    services.agency_update(actor=None, agency=world["bureau"], contact_phone="0477-7000002")
    result = public_registry_refresh(agency_id=world["bureau"].pk)
    assert (result.agencies, result.agencies_changed, result.certificates_changed) == (1, 1, 1)
    row = certificate_of(world, "valid")
    assert (row.state, row.token) == ("revoked", token)
    bureau = PublicAgency.objects.get(source_id=world["bureau"].pk)
    assert (bureau.phone, bureau.officer_count) == ("0477-7000002", 0)


def test_a_certificate_removed_from_the_registry_stays_and_reads_revoked(world):
    public_registry_refresh()
    certificate = world["officers"]["valid"].certificates.get()
    token = certificate_of(world, "valid").token
    Certificate.objects.filter(pk=certificate.pk).delete()
    public_registry_refresh()
    row = PublicCertificate.objects.get(token=token)
    assert row.state == "revoked"


def test_a_dissolved_agency_has_no_one_who_may_act(world):
    services.agency_update(actor=None, agency=world["station"], status="dissolved")
    public_registry_refresh()
    assert certificate_of(world, "station").state == "revoked"
    assert PublicAgency.objects.get(source_id=world["station"].pk).officer_count == 0


def test_one_ledger_entry_per_refresh_with_the_counts(world):
    result = public_registry_refresh()
    public_registry_refresh(agency_id=world["station"].pk)
    first, second = refreshes()
    assert first.seq == result.ledger_seq and first.agency_id is None and first.subject == "public-registry:all"
    recorded = payload(first)
    assert recorded["scope"] == "all"
    assert (recorded["agencies"], recorded["certificates"], recorded["certificates_not_valid"]) == (2, 8, 4)
    assert (recorded["agencies_created"], recorded["certificates_created"]) == (2, 8)
    assert recorded["content_sha256"] == result.content_sha256
    assert second.agency_id == world["station"].pk and payload(second)["scope"] == "agency"
    assert (payload(second)["agencies"], payload(second)["certificates"]) == (1, 1)


def test_who_may_refresh(world):
    bureau = world["bureau"]
    for role in (Role.OFFICER, Role.AGENCY_HEAD):
        with pytest.raises(PermissionDenied):
            public_registry_refresh(agency_id=bureau.pk, actor=user_make(role=role, agency=bureau))
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    public_registry_refresh(agency_id=bureau.pk, actor=admin)
    with pytest.raises(PermissionDenied):
        public_registry_refresh(actor=admin)  # every agency: the judicial bureau's work
    with pytest.raises(PermissionDenied):
        public_registry_refresh(agency_id=world["station"].pk, actor=admin)
    public_registry_refresh(actor=user_make(role=Role.SUPERVISOR))
    assert refreshes()[-1].actor_id is not None


# --- no personal data ----------------------------------------------------------------------------


def test_no_personal_data_in_any_public_row(world):
    public_registry_refresh()
    text = public_text()
    assert "王有效" in text  # the check below reads the right text
    for secret in secrets_of(world):
        assert secret not in text, secret


def test_no_personal_data_in_the_rendered_pages(client, world):
    public_registry_refresh()
    pages = [client.get(reverse("portal:agency_list")), client.get(reverse("portal:certificate_lookup"))]
    pages += [client.get(reverse("portal:agency_detail", args=[a.pk])) for a in PublicAgency.objects.all()]
    for certificate in PublicCertificate.objects.all():
        pages += [
            client.get(reverse("portal:certificate_verify", args=[certificate.token])),
            client.get(reverse("portal:certificate_card", args=[certificate.token])),
        ]
    assert all(page.status_code == 200 for page in pages)
    text = "".join(page.content.decode() for page in pages)
    assert "王有效" in text
    for secret in secrets_of(world):
        assert secret not in text, secret


# --- the command ---------------------------------------------------------------------------------


def test_command_refreshes_all_or_one(world, capsys):
    call_command("publish_registry")
    assert "执法主体 2 个" in capsys.readouterr().out
    call_command("publish_registry", "--agency", str(world["station"].pk))
    assert "执法主体 1 个" in capsys.readouterr().out
    assert len(refreshes()) == 2
    with pytest.raises(CommandError, match="不存在"):
        call_command("publish_registry", "--agency", "999999")


def test_invisible_characters_typed_into_the_registry_never_reach_the_portal():
    # Issue 10 item 8 covered the decisions' public text only: an agency's name or an officer's
    # name with a right-to-left override or a zero-width space was published as typed.
    from sanxiang.registry.models import Agency, Officer

    agency = agency_make()
    officer = officer_make(agency=agency)
    # Written behind the services' back, as data typed before any check would be.
    Agency.objects.filter(pk=agency.pk).update(name="乌审旗\u202e局理管督监场市\u202c", address="嘎鲁图镇\u200b1号")
    Officer.objects.filter(pk=officer.pk).update(name="王\u2062小\u00ad明")
    public_registry_refresh()
    text = public_text()
    assert not any(ch in text for ch in "\u202e\u202c\u200b\u2062\u00ad")
    assert PublicAgency.objects.get(source_id=agency.pk).name == "乌审旗局理管督监场市"
    assert PublicCertificate.objects.get(source_id=officer.certificates.get().pk).officer_name == "王小明"

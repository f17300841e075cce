"""Issue 19: 执法主体 registered and edited through the API as on the registry's pages: registered by
the 司法局's supervisors (and system administrators), edited by them or the agency's own administrator,
through the registry's services (the same checks, the same ledger entries). Another agency's administrator
and an officer are refused (403); a bad credit code or a missing 委托机关 is a 422 naming the field; an update
on a stale ETag is 412 and changes nothing; a POST sent again with its Idempotency-Key is answered once.
Bearer token, CSRF checks on."""

import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import Agency
from tests.api.support import bearer
from tests.factories import agency_make, credit_code, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, auth: dict, body: dict, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


@pytest.fixture
def county():
    desk = desk_make()
    other = agency_make(name="乌审旗交通运输局")
    return {
        "agency": desk.agency, "other": other,
        "supervisor": bearer(desk.first),
        "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=desk.agency)),
        "officer": bearer(user_make(role=Role.OFFICER, agency=desk.agency)),
        "other_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=other)),
    }


AGENCY = {"name": "乌审旗林业和草原局", "kind": "administrative_organ", "region_code": "150626",
          "parent_government": "乌审旗人民政府", "enforcement_fields": "林业、草原", "contact_phone": "0477-7512345"}


def test_a_supervisor_registers_an_agency_once_whatever_the_retries(client, county):
    body = AGENCY | {"credit_code": credit_code(serial=7001)}
    created = send(client, "post", "/api/registry/agencies", county["supervisor"], body, HTTP_IDEMPOTENCY_KEY="agency-1")
    assert created.status_code == 201, created.content
    agency = Agency.objects.get(pk=created.json()["id"])
    assert created.json()["contact_phone"] == "0477-7512345" and created["ETag"]
    assert Entry.objects.filter(kind=EventKind.AGENCY_CREATED, subject=f"agency:{agency.pk}").count() == 1
    again = send(client, "post", "/api/registry/agencies", county["supervisor"], body, HTTP_IDEMPOTENCY_KEY="agency-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == created.json()
    assert Agency.objects.filter(name=AGENCY["name"]).count() == 1
    read = client.get(f"/api/registry/agencies/{agency.pk}", **county["supervisor"])
    assert client.get(f"/api/registry/agencies/{agency.pk}", **county["officer"]).status_code == 404  # not theirs
    assert read.status_code == 200 and read.json()["enforcement_fields"] == "林业、草原" and read["ETag"] == created["ETag"]


@pytest.mark.parametrize("who", ["admin", "officer", "other_admin"])
def test_only_the_bureau_registers_agencies(client, county, who):
    response = send(client, "post", "/api/registry/agencies", county[who], AGENCY | {"credit_code": credit_code(serial=7002)})
    assert response.status_code == 403
    assert not Agency.objects.filter(name=AGENCY["name"]).exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"credit_code": "91150626MA0000000X"}, "credit_code"),  # a wrong check character (GB 32100)
    ({"credit_code": credit_code(serial=7003), "region_code": "15062"}, "region_code"),
    # 受委托组织 without its 委托机关 (the registry's rule), and one the caller cannot name.
    ({"credit_code": credit_code(serial=7004), "kind": "entrusted_organization"}, None),
    ({"credit_code": credit_code(serial=7005), "kind": "entrusted_organization", "entrusting_agency_id": 999999},
     "entrusting_agency_id"),
    ({"credit_code": credit_code(serial=7006), "name": "  "}, "name"),
    ({"credit_code": credit_code(serial=7007), "status": "closed"}, "status"),
])
def test_a_bad_agency_is_a_422_naming_the_field_nothing_written(client, county, body, field):
    before = Agency.objects.count()
    response = send(client, "post", "/api/registry/agencies", county["supervisor"], AGENCY | body)
    assert response.status_code == 422, response.content
    violations = response.json()["violations"]
    assert violations and all(v["message"] for v in violations)
    if field:
        assert field in [v["field"] for v in violations]
    else:
        assert any(v["basis_kind"] == "law" or v["legal_basis"] for v in violations)
    assert Agency.objects.count() == before


def test_the_agency_administrator_edits_the_agency_on_its_current_version_only(client, county):
    agency, url = county["agency"], f"/api/registry/agencies/{county['agency'].pk}"
    etag = client.get(url, **county["admin"])["ETag"]
    updated = send(client, "patch", url, county["admin"], {"address": "乌审旗嘎鲁图镇", "contact_phone": "0477-7500000"},
                   HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.content
    assert updated.json()["address"] == "乌审旗嘎鲁图镇" and updated.json()["name"] == agency.name
    assert updated["ETag"] != etag
    assert Entry.objects.filter(kind=EventKind.AGENCY_UPDATED, subject=f"agency:{agency.pk}").count() == 1
    stale = send(client, "patch", url, county["admin"], {"address": "别处"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["violations"][0]["field"] == "If-Match"
    assert Agency.objects.get(pk=agency.pk).address == "乌审旗嘎鲁图镇"
    # Whether it is a judicial bureau is the bureau's to say; another agency's administrator and an officer edit nothing.
    assert send(client, "patch", url, county["admin"], {"is_judicial_bureau": True}).status_code == 403
    assert send(client, "patch", url, county["officer"], {"address": "别处"}).status_code == 403
    assert send(client, "patch", url, county["other_admin"], {"address": "别处"}).status_code == 404
    bad = send(client, "patch", url, county["admin"], {"credit_code": "123"})
    assert bad.status_code == 422 and "credit_code" in [v["field"] for v in bad.json()["violations"]]
    assert Agency.objects.get(pk=agency.pk).address == "乌审旗嘎鲁图镇"
    assert send(client, "patch", "/api/registry/agencies/999999", county["supervisor"], {"address": "别处"}).status_code == 404

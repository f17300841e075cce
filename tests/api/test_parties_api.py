"""Issue 19 item 1: parties (当事人) through the API, so that an integrator can register the party
of a case it files. Identifiers are checked by their national standards (GB 32100 credit codes,
GB 11643 ID numbers) and a failure is a 422 naming the field; personal data is shown in full
only to the registering agency's own staff."""

import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.registry.models import Party
from tests.api.support import bearer
from tests.cases.support import world_make
from tests.factories import agency_make, credit_code, id_number, user_make

pytestmark = pytest.mark.django_db


def post(client, body, auth):
    return client.post("/api/registry/parties", data=json.dumps(body), content_type="application/json", **auth)


def test_a_party_is_registered_listed_and_read_with_its_personal_data_for_its_agency_only(client):
    w = world_make()
    officer = bearer(w.officer)
    person = {"kind": "natural_person", "name": "王某某", "id_type": "resident_id_card",
              "id_number": id_number(serial=12), "phone": "13900000000", "address": "乌审旗嘎鲁图镇某街1号"}
    created = post(client, person, officer)
    assert created.status_code == 201, created.content
    assert "no-store" in created["Cache-Control"]  # personal data: not kept by caches nor replayed
    party = created.json()
    assert party["id_number"] == person["id_number"] and party["phone"] == "13900000000"
    assert Party.objects.get(pk=party["id"]).agency_id == w.agency.pk
    listed = client.get("/api/registry/parties?q=王某", **officer).json()
    assert [p["id"] for p in listed["items"]] == [party["id"]] and listed["next"] is None
    # Another agency's user does not find it at all.
    stranger = user_make(role=Role.OFFICER, agency=agency_make(name="乌审旗交通运输局"))
    assert client.get(f"/api/registry/parties/{party['id']}", **bearer(stranger)).status_code == 404
    assert client.get("/api/registry/parties?q=王某", **bearer(stranger)).json()["items"] == []


def test_identifiers_failing_their_check_are_a_422_naming_the_field_and_nothing_is_stored(client):
    w = world_make()
    officer = bearer(w.officer)
    good = credit_code(serial=7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # the check character changed
    company = {"kind": "legal_person", "name": "乌审旗某某商贸有限公司", "credit_code": bad, "legal_representative": "李某"}
    refused = post(client, company, officer)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid"
    assert "credit_code" in {v["field"] for v in refused.json()["violations"]}
    assert all(v["legal_basis"] for v in refused.json()["violations"])
    # A kind the platform does not know, and a name missing: 422 on each field.
    odd = post(client, {"kind": "robot", "name": ""}, officer)
    assert odd.status_code == 422
    assert {"kind", "name"} <= {v["field"] for v in odd.json()["violations"]}
    # A name of spaces only, or with a NUL (which PostgreSQL refuses), is a 422 naming the field too.
    for name in ("   ", "王\x00某"):
        blank = post(client, {"kind": "legal_person", "name": name, "credit_code": good}, officer)
        assert blank.status_code == 422 and "name" in {v["field"] for v in blank.json()["violations"]}
    before = Party.objects.count()
    assert post(client, {**company, "credit_code": good}, officer).status_code == 201
    assert Party.objects.count() == before + 1


def test_a_user_without_an_agency_may_not_register_parties(client):
    supervisor = user_make(role=Role.SYSTEM_ADMIN, agency=None)
    answer = post(client, {"kind": "legal_person", "name": "某公司", "credit_code": credit_code(serial=3)}, bearer(supervisor))
    assert answer.status_code == 403

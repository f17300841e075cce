"""Issue 19 (the audit of pages against the API): a party is changed through the API as on the page
修改当事人 — only the fields sent, re-checked by the national standards (422 naming the field), in the
ledger, by the registering agency's staff only (403 to a supervisor who reads it, 404 to another
agency), and refused with 412 when it changed after the client read it (If-Match), CSRF checks on."""

import json

import pytest
from django.test import Client

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import Party
from tests.api.support import bearer
from tests.cases.support import world_make
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


def patch(client, party_id, body, auth, **headers):
    return client.patch(f"/api/registry/parties/{party_id}", data=json.dumps(body), content_type="application/json",
                        **auth, **headers)


def test_the_agency_s_staff_change_only_the_fields_sent_in_the_ledger_and_if_still_current():
    w = world_make()
    client = Client(enforce_csrf_checks=True)
    officer = bearer(w.officer)
    read = client.get(f"/api/registry/parties/{w.company.pk}", **officer)
    etag = read["ETag"]
    assert read.status_code == 200 and etag
    entries = Entry.objects.filter(kind=EventKind.PARTY_UPDATED).count()
    changed = patch(client, w.company.pk, {"address": "乌审旗嘎鲁图镇团结路14号", "phone": "0477-7200000"}, officer,
                    HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["address"], changed.json()["name"]) == ("乌审旗嘎鲁图镇团结路14号", w.company.name)
    assert changed["ETag"] != etag and "no-store" in changed["Cache-Control"]
    party = Party.objects.get(pk=w.company.pk)
    assert (party.address, party.phone, party.credit_code) == ("乌审旗嘎鲁图镇团结路14号", "0477-7200000",
                                                               w.company.credit_code)
    assert Entry.objects.filter(kind=EventKind.PARTY_UPDATED).count() == entries + 1
    stale = patch(client, w.company.pk, {"address": "别处"}, officer, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["violations"][0]["field"] == "If-Match"
    assert Party.objects.get(pk=w.company.pk).address == "乌审旗嘎鲁图镇团结路14号"


def test_bad_fields_are_a_422_naming_each_and_nothing_changes():
    w = world_make()
    client = Client(enforce_csrf_checks=True)
    officer = bearer(w.officer)
    before = Party.objects.get(pk=w.citizen.pk)
    refused = patch(client, w.citizen.pk, {"id_number": "150626198005200000", "name": "  "}, officer)
    assert refused.status_code == 422
    assert "name" in {v["field"] for v in refused.json()["violations"]}
    wrong_id = patch(client, w.citizen.pk, {"id_number": "150626198005200000"}, officer)
    assert wrong_id.status_code == 422 and {v["field"] for v in wrong_id.json()["violations"]} == {"id_number"}
    assert all(not v["message"].isascii() for v in wrong_id.json()["violations"])
    bad_kind = patch(client, w.citizen.pk, {"kind": "alien"}, officer)
    assert bad_kind.status_code == 422 and bad_kind.json()["violations"][0]["field"] == "kind"
    assert Party.objects.get(pk=w.citizen.pk).id_number == before.id_number


def test_only_the_registering_agency_s_staff_change_a_party():
    w = world_make()
    client = Client(enforce_csrf_checks=True)
    # The county's supervisor reads the party (every agency of the county) but may not change it.
    assert patch(client, w.company.pk, {"phone": "1"}, bearer(w.supervisor)).status_code == 403
    # Whatever version it names: a 412 would invite a retry it may not make (review r-3).
    stale = patch(client, w.company.pk, {"phone": "1"}, {**bearer(w.supervisor), "HTTP_IF_MATCH": '"1-1"'})
    assert stale.status_code == 403, stale.content
    stranger = user_make(role=w.officer.role, agency=agency_make(name="乌审旗交通运输局"))
    assert patch(client, w.company.pk, {"phone": "1"}, bearer(stranger)).status_code == 404
    assert patch(client, 0, {"phone": "1"}, bearer(w.officer)).status_code == 422
    # A browser session without the CSRF token is refused before anything is read.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.officer)
    assert patch(browser, w.company.pk, {"phone": "1"}, {}).status_code == 403
    assert Party.objects.get(pk=w.company.pk).phone == w.company.phone

"""Issue 19 item 1: lost updates refused. A case's answers carry its version as ETag; a step sent
with If-Match after someone else changed the case is refused with 412 (platform rule) and
nothing is done; the same step sent with the fresh ETag is judged as usual."""

import json

import pytest

from sanxiang.cases.models import Case
from tests.api.support import bearer
from tests.cases.support import OPEN, lead_make, world_make

pytestmark = pytest.mark.django_db
APPROVE = {"data": {"approval": "agree", "opinion": "同意立案"}}


def post(client, url, body, auth, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def test_a_step_sent_on_a_stale_version_is_refused_with_412_and_nothing_done(client):
    w = world_make()
    case = lead_make(w)
    officer, head = bearer(w.officer), bearer(w.head)
    etag = client.get(f"/api/cases/{case.pk}", **officer)["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    # Meanwhile the head approves the opening: the officer's copy of the case is stale.
    approved = post(client, f"/api/cases/{case.pk}/actions/approve_opening", APPROVE, head)
    assert approved.status_code == 200 and approved["ETag"] != etag
    stale = post(client, f"/api/cases/{case.pk}/actions/open", {"data": OPEN}, officer, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert stale.json()["violations"][0]["field"] == "If-Match"
    assert "重新读取" in stale.json()["violations"][0]["message"]
    assert Case.objects.get(pk=case.pk).state == "lead"  # nothing done

    fresh = client.get(f"/api/cases/{case.pk}", **officer)["ETag"]
    assert fresh == approved["ETag"]
    opened = post(client, f"/api/cases/{case.pk}/actions/open", {"data": OPEN}, officer, HTTP_IF_MATCH=fresh)
    assert opened.status_code == 200, opened.content
    assert Case.objects.get(pk=case.pk).state == "opened"
    assert opened["ETag"] == client.get(f"/api/cases/{case.pk}", **officer)["ETag"] != fresh


def test_any_version_with_a_star_and_a_list_of_tags_but_never_a_weak_tag(client):
    w = world_make()
    case = lead_make(w)
    head = bearer(w.head)
    etag = client.get(f"/api/cases/{case.pk}", **head)["ETag"]
    # A weak tag never matches (RFC 9110: If-Match compares strongly).
    weak = post(client, f"/api/cases/{case.pk}/actions/approve_opening", APPROVE, head, HTTP_IF_MATCH=f"W/{etag}")
    assert weak.status_code == 412
    listed = post(client, f"/api/cases/{case.pk}/actions/approve_opening", APPROVE, head,
                  HTTP_IF_MATCH=f'"other", {etag}')
    assert listed.status_code == 200, listed.content
    assert post(client, f"/api/cases/{case.pk}/actions/open", {"data": OPEN}, bearer(w.officer),
                HTTP_IF_MATCH="*").status_code == 200


def test_the_openapi_document_names_if_match_and_412(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/cases/{case_id}/actions/{action}"]["post"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
    assert "412" in operation["responses"]

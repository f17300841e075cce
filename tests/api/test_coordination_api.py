"""Issue 19: 执法协调 through the API, as the coordination pages show and move them: an agency's head
raises a request (an officer 403; a competence dispute without the other agency, 第十三条 of
《行政执法监督条例》, a 422 on `other_agency_id`; the lawful path names it); both agencies and the
bureau read it with its history and the steps their side may take, a third agency 404; the bureau
accepts and records the opinion (a missing text 422 by field; a step of the wrong side or state 409
with every reason, nothing written). Bearer token, CSRF checks on."""

import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.supervision.models import Coordination
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

URL = "/api/supervision/coordinations"
ART_13 = "《行政执法监督条例》第十三条"


def post(client, url: str, auth: dict, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def _dispute(other, **fields) -> dict:
    return {"kind": "competence", "other_agency_id": other.pk, "subject": "流动摊贩占道经营的查处职责",
            "description": "两局均认为不属本局职责。"} | fields


def test_an_agency_raises_and_both_agencies_and_the_bureau_read_it(client):
    desk = desk_make()
    other = agency_make(name="乌审旗城市管理综合执法局")
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert post(client, URL, bearer(user_make(role=Role.OFFICER, agency=desk.agency)), _dispute(other)).status_code == 403
    missing = post(client, URL, head, _dispute(other, other_agency_id=None))
    assert missing.status_code == 422, missing.content
    [v] = missing.json()["violations"]
    assert (v["field"], v["message"], v["legal_basis"]) == ("other_agency_id", "执法职责争议须写明与哪个机关发生争议", ART_13)
    assert post(client, URL, head, _dispute(other, other_agency_id=desk.bureau.pk)).status_code == 422  # not an agency of it
    assert not Coordination.objects.exists()
    raised = post(client, URL, head, _dispute(other))
    assert raised.status_code == 201, raised.content
    body = raised.json()
    assert (body["status"], body["other_agency_id"], body["bureau_id"]) == ("submitted", other.pk, desk.bureau.pk)
    assert [s["action"] for s in body["steps"]] == ["raise"] and body["actions"] == []
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_COORDINATION_RAISED).count() == 1
    # The bureau's list and the named agency's; the supervisor may accept or decline; a third agency sees nothing.
    supervisor = bearer(desk.first)
    assert [c["id"] for c in client.get(URL, **supervisor).json()["items"]] == [body["id"]]
    assert [a["action"] for a in client.get(f"{URL}/{body['id']}", **supervisor).json()["actions"]] == ["accept", "decline"]
    other_officer = bearer(user_make(role=Role.OFFICER, agency=other))
    assert client.get(f"{URL}?status=submitted&kind=competence", **other_officer).json()["items"][0]["id"] == body["id"]
    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗农牧局")))
    assert client.get(URL, **stranger).json()["items"] == []
    assert client.get(f"{URL}/{body['id']}", **stranger).status_code == 404
    for query, field in (("status=open", "status"), ("ordering=subject", "ordering"),
                         ("since=2026-05-02&until=2026-05-01", "until")):
        bad = client.get(f"{URL}?{query}", **supervisor)
        assert bad.status_code == 422 and [v["field"] for v in bad.json()["violations"]] == [field]


def test_the_bureau_accepts_and_records_the_opinion(client):
    desk = desk_make()
    other = agency_make(name="乌审旗城市管理综合执法局")
    head_user = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    head, supervisor = bearer(head_user), bearer(desk.first)
    cid = post(client, URL, head, _dispute(other)).json()["id"]
    act = f"{URL}/{cid}/actions"
    # The named agency's head reads it but acts for neither side: 403; an unknown action 422.
    assert post(client, f"{act}/accept", bearer(user_make(role=Role.AGENCY_HEAD, agency=other)), {}).status_code == 403
    assert post(client, f"{act}/approve", supervisor, {}).status_code == 422
    # The requester may not accept its own request, nor record an opinion before acceptance: every reason, 409.
    refused = post(client, f"{act}/record_opinion", head, {"text": "由城管局查处"})
    assert refused.status_code == 409
    assert {v["code"] for v in refused.json()["violations"]} == {"coordination.state", "coordination.side"}
    accepted = post(client, f"{act}/accept", supervisor, {})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    empty = post(client, f"{act}/record_opinion", supervisor, {"text": " "})
    assert empty.status_code == 422
    assert [(v["field"], v["message"]) for v in empty.json()["violations"]] == [("text", "请填写协调意见")]
    done = post(client, f"{act}/record_opinion", supervisor, {"text": "由城管局查处"})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["opinion"]) == ("agreed", "由城管局查处")
    assert [s["action"] for s in done.json()["steps"]] == ["raise", "accept", "record_opinion"]
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_COORDINATION_STEP).count() == 2
    assert post(client, f"{act}/record_meeting", supervisor, {"text": "再开一次会"}).status_code == 409

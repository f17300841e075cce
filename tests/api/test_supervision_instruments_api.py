"""Issue 19 item 1: the 司法局's supervision instruments (督办函、意见书、建议书、提请决定书) through the
API: issued and moved on by the bureau's supervisors in pairs through supervision's services,
listed and read as the instrument pages show them (the bureau's supervisors theirs, the agency's
staff those served on it, another agency nothing). Bearer token, CSRF checks on."""

import json

import pytest

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.supervision.instrument_services import instrument_act
from sanxiang.supervision.models import Instrument
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.instruments_support import desk_with_matter

pytestmark = pytest.mark.django_db


def post(client, url: str, auth: dict, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


FINDINGS = "未在七个工作日内公示行政处罚决定"


def test_an_opinion_is_issued_by_a_pair_answered_and_accepted(client):
    """《行政执法监督条例》第二十八条 (意见书) and the pair rule of the province's regulation: one supervisor
    alone is refused (422, supervisors.too_few, nothing written); with a colleague it is issued."""
    desk, matter, agency_user = desk_with_matter()
    first = bearer(desk.first)
    alone = post(client, "/api/supervision/instruments", first, {"matter_id": matter.pk, "kind": "opinion", "findings": FINDINGS})
    assert alone.status_code == 422, alone.content
    violation = alone.json()["violations"][0]
    assert violation["code"] == "supervisors.too_few" and "2名以上" in violation["message"] and violation["legal_basis"]
    assert not Instrument.objects.exists()

    issued = post(client, "/api/supervision/instruments", first, {
        "matter_id": matter.pk, "kind": "opinion", "findings": FINDINGS, "second_supervisor_id": desk.second.pk})
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["status"] == "issued" and body["kind_label"] == "行政执法监督意见书" and body["number"]
    assert body["agency_id"] == desk.agency.pk and body["due_on"] and len(body["supervisors"]) == 2
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_INSTRUMENT_ISSUED).count() == 1

    # The agency answers on its page (the service); the desk accepts through the API, as a pair.
    instrument = Instrument.objects.get(pk=body["id"])
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已在门户补充公示")
    url = f"/api/supervision/instruments/{instrument.pk}"
    read = client.get(url, **first).json()
    assert read["status"] == "replied" and [s["action"] for s in read["steps"]] == ["report"]
    # Each read is in the access log, as the instrument's page's.
    assert AccessLogEntry.objects.filter(object_kind="supervision_instrument", object_id=str(instrument.pk),
                                         user=desk.first).exists()
    assert {a["action"] for a in read["desk_actions"]} >= {"accept", "return"}
    no_reason = post(client, f"{url}/actions/return", first, {"second_supervisor_id": desk.second.pk})
    assert no_reason.status_code == 409 and "text" in [v["field"] for v in no_reason.json()["violations"]]
    accepted = post(client, f"{url}/actions/accept", first, {"second_supervisor_id": desk.second.pk})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["desk_actions"] == []
    # Nothing more can be done on a closed instrument: 409 with the reason.
    again = post(client, f"{url}/actions/accept", first, {"second_supervisor_id": desk.second.pk})
    assert again.status_code == 409 and again.json()["violations"][0]["field"] == "action"


def test_instruments_are_listed_to_whom_the_pages_show_them(client):
    desk, matter, agency_user = desk_with_matter()
    first = bearer(desk.first)
    ids = []
    for kind in ("opinion", "supervise_letter", "recommendation"):
        response = post(client, "/api/supervision/instruments", first, {
            "matter_id": matter.pk, "kind": kind, "findings": FINDINGS, "second_supervisor_id": desk.second.pk})
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])

    def listed(auth, query: str = "") -> list[int]:
        url, seen = f"/api/supervision/instruments?limit=2{query}", []
        while url:
            page = client.get(url, **auth)
            assert page.status_code == 200, page.content
            seen += [i["id"] for i in page.json()["items"]]
            url = page.json()["next"]
        return seen

    assert listed(first) == ids[::-1]  # same day: newest first by id
    assert listed(first, "&ordering=id") == ids
    assert listed(first, "&kind=opinion") == [ids[0]]
    assert listed(bearer(agency_user)) == ids[::-1]  # served on the agency
    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局")))
    assert listed(stranger) == []
    assert client.get(f"/api/supervision/instruments/{ids[0]}", **stranger).status_code == 404
    # Only supervisors issue and act: the agency's head is refused.
    refused = post(client, "/api/supervision/instruments", bearer(agency_user),
                   {"matter_id": matter.pk, "kind": "opinion", "findings": FINDINGS})
    assert refused.status_code == 403
    assert post(client, f"/api/supervision/instruments/{ids[0]}/actions/accept", bearer(agency_user), {}).status_code == 403
    for query, field in (("kind=letter", "kind"), ("status=done", "status"), ("ordering=due_on", "ordering"),
                         ("since=2026-05-02&until=2026-05-01", "until")):
        bad = client.get(f"/api/supervision/instruments?{query}", **first)
        assert bad.status_code == 422 and [v["field"] for v in bad.json()["violations"]] == [field]
    # The agency's replies have their own bodies; a supervisor may not send one.
    assert post(client, f"/api/supervision/instruments/{ids[0]}/actions/report", first, {"text": "已整改"}).status_code == 403

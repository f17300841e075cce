"""Issue 19: 通报 through the API (《行政执法监督条例》第三十一条): drafted by a supervisor of the bureau,
approved by a second one (the drafter may not: a platform rule of internal review), then seen by the
agencies it names and, a public one, published redacted on the portal; listed and read as the 通报
pages show them. Bearer token, CSRF checks on (Django's test client with a token: no session)."""

import json

import pytest

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import PublicSupervisionNotice
from sanxiang.supervision.models import Notice
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

URL = "/api/supervision/notices"


def post(client, url: str, auth: dict, body: dict | None = None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **auth)


def draft(desk, **fields) -> dict:
    return {"scope": "internal", "agency_ids": [desk.agency.pk], "title": "关于行政执法公示情况的通报",
            "body": "经检查，部分执法机关未按期公示。", "indicators": "公示率 80%"} | fields


def test_a_notice_is_drafted_approved_by_a_second_supervisor_and_then_seen_by_the_named_agency(client):
    desk, _, head = desk_with_matter()
    other_head = user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="别的局"))
    first, second = bearer(desk.first), bearer(desk.second)

    drafted = post(client, URL, first, draft(desk))
    assert drafted.status_code == 201, drafted.content
    body = drafted.json()
    assert body["status"] == "drafted" and body["approved_on"] is None and body["agency_ids"] == [desk.agency.pk]
    assert body["scope_label"] == "在一定范围内通报" and body["agency_names"] == [desk.agency.name]
    # The drafter sees why they cannot approve it; the colleague sees no reason.
    assert body["approve_blockers"] == ["通报须由起草人以外的监督人员或者负责人审核批准"]
    url = f"{URL}/{body['id']}"
    assert client.get(url, **second).json()["approve_blockers"] == []
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_NOTICE_DRAFTED).count() == 1
    # Not approved yet: the agency neither reads nor lists it.
    assert client.get(url, **bearer(head)).status_code == 404
    assert client.get(URL, **bearer(head)).json()["items"] == []

    # The block: the drafter approving is refused, 409 with the reason, its basis and field; nothing written.
    refused = post(client, f"{url}/actions/approve", first)
    assert refused.status_code == 409, refused.content
    [violation] = refused.json()["violations"]
    assert violation["code"] == "notice.same_person" and violation["field"] == "approver"
    assert "第三十一条" in violation["legal_basis"] and "起草人以外" in violation["message"]
    assert Notice.objects.get().approved_on is None
    # The allowed path: the second supervisor approves.
    approved = post(client, f"{url}/actions/approve", second)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["approved_on"]
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_NOTICE_APPROVED).count() == 1
    assert not PublicSupervisionNotice.objects.exists()  # internal: not on the portal
    # Approved twice: 409 with every reason (already approved, and the drafter's own).
    again = post(client, f"{url}/actions/approve", first)
    assert again.status_code == 409
    assert {v["code"] for v in again.json()["violations"]} == {"notice.same_person", "notice.approved"}

    # The named agency reads it (access-logged); another agency's head does not.
    assert client.get(url, **bearer(head)).status_code == 200
    assert AccessLogEntry.objects.filter(object_kind="supervision.notice", object_id=str(body["id"]), user=head).exists()
    listed = client.get(URL, **bearer(head)).json()["items"]
    assert [n["id"] for n in listed] == [body["id"]]
    # The list shows the title, not the text and indicators, whose read is logged (the page's list too).
    assert listed[0]["title"] == body["title"] and not {"body", "indicators"} & set(listed[0])
    assert client.get(url, **bearer(other_head)).status_code == 404
    assert client.get(URL, **bearer(other_head)).json()["items"] == []
    # The agency may not approve, nor draft.
    assert post(client, f"{url}/actions/approve", bearer(head)).status_code == 403
    assert post(client, URL, bearer(head), draft(desk)).status_code == 403


def test_a_public_notice_is_published_on_approval():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    desk = desk_make()
    drafted = post(client, URL, bearer(desk.first), draft(desk, scope="public", title="关于执法证件出示问题的通报"))
    assert drafted.status_code == 201, drafted.content
    assert not PublicSupervisionNotice.objects.exists()
    approved = post(client, f"{URL}/{drafted.json()['id']}/actions/approve", bearer(desk.second))
    assert approved.status_code == 200, approved.content
    assert PublicSupervisionNotice.objects.get().title == "关于执法证件出示问题的通报"


def test_bad_drafts_are_refused_with_their_fields_and_nothing_is_written(client):
    desk = desk_make()
    first = bearer(desk.first)
    elsewhere = agency_make(name="外县局", region_code="150627")
    cases = [
        (draft(desk, agency_ids=[elsewhere.pk]), "agency_ids"),  # not of the bureau's county
        (draft(desk, agency_ids=[desk.bureau.pk]), "agency_ids"),  # the bureau itself
        (draft(desk, agency_ids=[]), "agency_ids"),
        (draft(desk, title="   "), "title"),
        (draft(desk, body="\n"), "body"),
        (draft(desk, scope="secret"), "scope"),
    ]
    for payload, field in cases:
        response = post(client, URL, first, payload)
        assert response.status_code == 422, (payload, response.content)
        assert field in [v["field"] for v in response.json()["violations"]], (payload, response.json())
    assert not Notice.objects.exists() and not Entry.objects.filter(kind=EventKind.SUPERVISION_NOTICE_DRAFTED).exists()
    # Another bureau's supervisor neither reads nor approves this bureau's 通报: 404.
    notice = post(client, URL, first, draft(desk)).json()
    outsider = bearer(desk_make().first)
    assert client.get(f"{URL}/{notice['id']}", **outsider).status_code == 404
    assert post(client, f"{URL}/{notice['id']}/actions/approve", outsider).status_code == 404


def test_notices_are_listed_with_the_list_conventions(client):
    desk = desk_make()
    second_agency = agency_make(name="第二局")
    first = bearer(desk.first)
    ids = [post(client, URL, first, draft(desk, title=f"通报{i}", scope=scope, agency_ids=agencies)).json()["id"]
           for i, (scope, agencies) in enumerate([("internal", [desk.agency.pk]), ("public", [second_agency.pk]),
                                                  ("internal", [desk.agency.pk, second_agency.pk])])]
    post(client, f"{URL}/{ids[0]}/actions/approve", bearer(desk.second))

    def listed(query: str = "") -> list[int]:
        url, seen = f"{URL}?limit=2{query}", []
        while url:
            page = client.get(url, **first)
            assert page.status_code == 200, page.content
            seen += [n["id"] for n in page.json()["items"]]
            url = page.json()["next"]
        return seen

    assert listed() == ids[::-1]  # newest first (same day: by id)
    assert listed("&ordering=id") == ids
    assert listed("&scope=public") == [ids[1]]
    assert listed("&status=approved") == [ids[0]] and listed("&status=drafted") == ids[:0:-1]
    assert listed(f"&agency={second_agency.pk}") == [ids[2], ids[1]]
    for bad in ("status=done", "ordering=title", "ordering=approved_on", "since=2026-13-01", "scope=all"):
        response = client.get(f"{URL}?{bad}", **first)
        assert response.status_code == 422 and response.json()["violations"][0]["field"], bad
    # A system administrator lists every 通报; a supervisor of no bureau: 403.
    assert len(client.get(URL, **bearer(user_make(role=Role.SYSTEM_ADMIN))).json()["items"]) == 3
    assert client.get(URL, **bearer(user_make(role=Role.SUPERVISOR))).status_code == 403


def test_a_draft_sent_twice_with_one_idempotency_key_is_drafted_once(client):
    desk = desk_make()
    auth = bearer(desk.first) | {"HTTP_IDEMPOTENCY_KEY": "8a3c1f6e-notice-1"}
    once, twice = (post(client, URL, auth, draft(desk)) for _ in range(2))
    assert once.status_code == twice.status_code == 201 and once.json()["id"] == twice.json()["id"]
    assert Notice.objects.count() == 1 and Entry.objects.filter(kind=EventKind.SUPERVISION_NOTICE_DRAFTED).count() == 1

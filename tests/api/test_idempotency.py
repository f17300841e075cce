"""Issue 19: `Idempotency-Key` on the API's POSTs. A client that lost the answer sends the same
request with the same key and gets the first answer back (`Idempotent-Replayed: true`), and the
change is made once: one case, one ledger entry. Platform rule (api/idempotency.py), tested with
the CSRF checks on."""

import datetime as dt
import json
import os

import pytest
from django.test import Client

from sanxiang.api.models import IdempotentRequest
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Entry
from tests.api.support import bearer
from tests.cases.support import ACT, DISCOVERED, OPEN, world_make
from tests.ledger.helpers import ledger_purge

pytestmark = pytest.mark.django_db
KEY = "5f0c2a9e-6a43-4a8e-9d5e-1f6c8b7a2d10"


@pytest.fixture
def w():
    return world_make()


def case_body(w, title="涉嫌无证经营案") -> dict:
    return {"title": title, "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
            "enforcement_field": "市场监管", "act_date": ACT.isoformat(), "discovered_on": DISCOVERED.isoformat()}


def post(client, url, body, auth, key=KEY):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def test_the_same_request_sent_again_gets_the_first_answer_and_changes_nothing_more(client, w):
    officer = bearer(w.officer)
    first = post(client, "/api/cases", case_body(w), officer)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    entries = Entry.objects.count()
    again = post(client, "/api/cases", case_body(w), officer)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Case.objects.count() == 1 and Entry.objects.count() == entries
    # Without a key (or with another) the same body is a new request: a second case.
    assert post(client, "/api/cases", case_body(w), officer, key=None).status_code == 201
    assert post(client, "/api/cases", case_body(w), officer, key=KEY + "-2").status_code == 201
    assert Case.objects.count() == 3


def test_the_same_key_for_another_request_is_refused_and_changes_nothing(client, w):
    officer = bearer(w.officer)
    assert post(client, "/api/cases", case_body(w), officer).status_code == 201
    other = post(client, "/api/cases", case_body(w, title="涉嫌超范围经营案"), officer)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["violations"][0]["field"] == "Idempotency-Key"
    assert "新的幂等键" in other.json()["violations"][0]["message"]
    assert list(Case.objects.values_list("title", flat=True)) == ["涉嫌无证经营案"]


def test_two_bodies_declared_multipart_with_no_part_are_two_requests(client, w):
    """Review r-3: a body declared multipart whose boundary it never uses parses to no field and no
    file; fingerprinted by its fields it was the same request whatever it held, and a second, other
    case was answered as the first. Its bytes count (the boundary alone set aside)."""
    officer = bearer(w.officer)
    declared = "multipart/form-data; boundary=zzzz"

    def send(title: str):
        return client.post("/api/cases", data=json.dumps(case_body(w, title=title)), content_type=declared,
                           HTTP_IDEMPOTENCY_KEY=KEY, **officer)

    send("涉嫌无证经营案")
    other = send("涉嫌超范围经营案")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_keys_belong_to_who_sent_them(client, w):
    assert post(client, "/api/cases", case_body(w), bearer(w.officer)).status_code == 201
    # Another user (another token) with the same key: another key, another case, no replay.
    second = post(client, "/api/cases", case_body(w), bearer(w.colleague))
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Case.objects.count() == 2
    # A revoked or unknown token gets no replay of anything: 401 as without a key.
    assert post(client, "/api/cases", case_body(w), {"HTTP_AUTHORIZATION": "Bearer sx_nonsense"}).status_code == 401


def test_a_refused_request_is_not_kept_and_is_judged_again_when_sent_again(client, w):
    officer, head = bearer(w.officer), bearer(w.head)
    case_id = post(client, "/api/cases", case_body(w), officer, key=None).json()["id"]
    url = f"/api/cases/{case_id}/actions/open"
    assert post(client, url, {"data": OPEN}, officer).status_code == 409  # 第五十四条: no head approval yet
    assert not IdempotentRequest.objects.exists()
    approve = {"data": {"approval": "agree", "opinion": "同意立案"}}
    assert post(client, f"/api/cases/{case_id}/actions/approve_opening", approve, head, key=None).status_code == 200
    opened = post(client, url, {"data": OPEN}, officer)
    assert opened.status_code == 200 and opened.json()["state"] == "opened"
    replayed = post(client, url, {"data": OPEN}, officer)
    assert replayed["Idempotent-Replayed"] == "true"
    assert replayed["ETag"] == opened["ETag"]  # the case's version comes back with the answer


def test_a_browser_session_replays_only_with_its_csrf_token(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.officer)
    client.get("/staff/")  # sets the CSRF cookie
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    assert post(client, "/api/cases", case_body(w), csrf).status_code == 201
    assert post(client, "/api/cases", case_body(w), csrf)["Idempotent-Replayed"] == "true"
    assert post(client, "/api/cases", case_body(w), {}).status_code == 403  # no CSRF token: no replay either
    assert Case.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "带中文的键", "has space"])
def test_a_malformed_key_is_a_422_naming_the_header(client, w, key):
    response = post(client, "/api/cases", case_body(w), bearer(w.officer), key=key)
    assert response.status_code == 422
    assert response.json()["violations"][0]["field"] == "Idempotency-Key"
    assert not Case.objects.exists()


def test_a_key_older_than_24_hours_counts_as_new(client, w):
    officer = bearer(w.officer)
    assert post(client, "/api/cases", case_body(w), officer).status_code == 201
    IdempotentRequest.objects.update(created_at=IdempotentRequest.objects.get().created_at - dt.timedelta(hours=24, seconds=1))
    again = post(client, "/api/cases", case_body(w), officer)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Case.objects.count() == 2 and IdempotentRequest.objects.count() == 1


def test_every_post_of_the_openapi_document_takes_the_header(client):
    document = client.get("/api/openapi.json").json()
    posts = [item["post"] for item in document["paths"].values() if "post" in item]
    assert posts
    for operation in posts:
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="the SQLite test database is a shared-cache in-memory one, whose connections do not "
                           "isolate as a database file's do (where BEGIN IMMEDIATE queues the second writer)")
@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_once_make_one_change_and_give_one_answer(live_server):
    """The second copy's insert of the key waits for the first copy's transaction, then replays it."""
    import threading
    import urllib.request

    w = world_make()
    officer = bearer(w.officer)
    body = json.dumps(case_body(w)).encode()
    answers, start = [], threading.Barrier(2)

    def send():
        request = urllib.request.Request(
            f"{live_server.url}/api/cases", data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": officer["HTTP_AUTHORIZATION"],
                     "Idempotency-Key": KEY},
        )
        start.wait()
        with urllib.request.urlopen(request, timeout=60) as response:
            answers.append((response.status, response.headers.get("Idempotent-Replayed"), response.read()))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _, _ in answers) == [201, 201]
    assert sorted(replayed or "" for _, replayed, _ in answers) == ["", "true"]
    assert answers[0][2] == answers[1][2]
    assert Case.objects.count() == 1
    ledger_purge()  # transactional tests leave ledger rows, which the append-only triggers keep from the flush


def test_an_answer_with_a_one_time_secret_is_not_kept_nor_given_again(client, w):
    """A new event subscription's answer holds its signing secret once (Cache-Control: no-store):
    sent again with the same key, the subscription is not made twice and the secret is not
    replayed; 409 says the request was done."""
    from sanxiang.accounts.models import Role
    from sanxiang.outbox.models import Subscription
    from tests.factories import user_make

    admin = bearer(user_make(role=Role.AGENCY_ADMIN, agency=w.agency))
    body = {"scope": "agency", "agency_id": w.agency.pk, "name": "对接系统", "url": "https://receiver.example.cn/hook",
            "kinds": []}
    first = post(client, "/api/outbox/subscriptions", body, admin)
    assert first.status_code == 201, first.content
    assert first.json()["secret"] and "no-store" in first["Cache-Control"]
    assert IdempotentRequest.objects.get().body in (b"", memoryview(b""))  # the secret is not stored
    again = post(client, "/api/outbox/subscriptions", body, admin)
    assert again.status_code == 409 and "secret" not in again.content.decode()
    assert again.json()["error"]["code"] == "idempotency_answer_withheld"
    assert Subscription.objects.count() == 1


def test_keys_older_than_24_hours_are_deleted_by_the_daily_task(client, w):
    from sanxiang.api.idempotency import idempotency_keys_expire

    officer = bearer(w.officer)
    assert post(client, "/api/cases", case_body(w), officer).status_code == 201
    assert post(client, "/api/cases", case_body(w), officer, key=KEY + "-new").status_code == 201
    IdempotentRequest.objects.filter(key=KEY).update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert idempotency_keys_expire(dt.date.today()) == "删除过期的幂等键1个"
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == [KEY + "-new"]

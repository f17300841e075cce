"""Issue 19: a supervisor's login (监督人员的登录账号) through the API, as the page
/staff/registry/supervisors/{id}/account/ gives it: the bureau's administrator reads the login and the
bureau's supervisor accounts that could be linked, links one or creates a login whose temporary
password is answered once (never again: an Idempotency-Key replay is 409, and the password is in no
ledger entry, kept answer, access-log row or log line). Creating is for a login session only (CSRF
token; the login passed the second factor): passwords are managed in such sessions, so a bearer
token's creation is 403, nothing written; linking reveals no secret and takes a token. The bureau's
supervisors 403, another bureau and the agencies 404; bad input 422 naming the field (a user name
taken by a creation at the same moment too, not the unique constraint's 500); a supervisor who has a
login 409 with every reason. The page and the API leave the same ledger records. CSRF checks on."""

import json
import logging
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts import services as account_services
from sanxiang.accounts.models import Role, User
from sanxiang.api.models import IdempotentRequest
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.registry.models import Supervisor
from tests.api.support import bearer
from tests.factories import agency_make, id_number, user_make
from tests.ledger.helpers import ledger_purge

pytestmark = pytest.mark.django_db


def url(supervisor) -> str:
    return f"/api/registry/supervisors/{supervisor.pk}/account"


def post(client, supervisor, auth: dict, body: dict, **headers):
    return client.post(url(supervisor), data=json.dumps(body), content_type="application/json", **auth, **headers)


def session_of(user, supervisor) -> tuple[Client, dict]:
    """A browser logged in as `user` (force_login: past the second factor a TOTP role's login asks)
    and the CSRF header its script sends; the account page sets the CSRF cookie."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(reverse("registry:supervisor_account", args=[supervisor.pk])).status_code == 200
    return browser, {"HTTP_X_CSRFTOKEN": browser.cookies["csrftoken"].value}


@pytest.fixture
def county():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    other_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    agency = agency_make(name="乌审旗市场监督管理局")
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    return {
        "bureau": bureau, "other_bureau": other_bureau, "admin_user": admin, "admin": bearer(admin),
        "supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=bureau)),
        "other_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=other_bureau)),
        "agency_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency)),
        "person": Supervisor.objects.create(bureau=bureau, name="李监督", id_number=id_number(serial=901)),
    }


@pytest.fixture
def purge_ledger_after(transactional_db):
    yield
    ledger_purge()


def _entries(kind: str) -> list[dict]:
    return [json.loads(bytes(e.body)) for e in LedgerEntry.objects.filter(kind=kind).order_by("seq")]


def test_a_new_login_answers_its_password_once_and_nowhere_else(county, caplog):
    person = county["person"]
    client, csrf = session_of(county["admin_user"], person)
    before = client.get(url(person))
    assert before.status_code == 200
    assert before.json()["account"] is None and before.json()["supervisor_id"] == person.pk

    caplog.set_level(logging.DEBUG)
    created = post(client, person, csrf, {"create": {"username": " jiandu-li "}}, HTTP_IDEMPOTENCY_KEY="ac-1")
    assert created.status_code == 201, created.content
    assert created["Cache-Control"] == "no-store"
    body = created.json()
    password = body["password"]
    user = User.objects.get(username="jiandu-li")
    assert body["account"] == {"id": user.pk, "username": "jiandu-li", "display_name": "李监督", "is_active": True}
    assert body["linkable"] == []
    assert user.role == Role.SUPERVISOR and user.agency == county["bureau"] and user.supervisor == person
    assert user.must_change_password and user.check_password(password)

    # Sent again with its key: nothing created twice, and the password is not given again.
    replayed = post(client, person, csrf, {"create": {"username": " jiandu-li "}}, HTTP_IDEMPOTENCY_KEY="ac-1")
    assert replayed.status_code == 409 and replayed.json()["error"]["code"] == "idempotency_answer_withheld"
    assert password not in replayed.content.decode()
    assert User.objects.filter(supervisor=person).count() == 1
    after = client.get(url(person))
    assert after.json()["account"]["username"] == "jiandu-li" and "password" not in after.json()
    assert password not in after.content.decode()

    # Only in that one answer: not in the ledger, the kept answers, the access log or any log line.
    created_entries = _entries(EventKind.USER_CREATED)
    assert [e["payload"] for e in created_entries if e["payload"]["username"] == "jiandu-li"] == [
        {"username": "jiandu-li", "role": Role.SUPERVISOR, "officer": None, "supervisor": person.pk}]
    assert not any(password.encode() in bytes(e.body) for e in LedgerEntry.objects.all())
    assert not any(password.encode() in bytes(r.body) for r in IdempotentRequest.objects.all())
    assert not any(password in json.dumps(row, default=str, ensure_ascii=False)
                   for row in AccessLogEntry.objects.values())
    assert not any(password in record.getMessage() for record in caplog.records)


def test_an_account_of_the_bureau_is_linked_and_none_other(client, county):
    person, bureau = county["person"], county["bureau"]
    own = user_make(role=Role.SUPERVISOR, agency=bureau, username="jiandu-own")
    foreign = user_make(role=Role.SUPERVISOR, agency=county["other_bureau"], username="jiandu-foreign")
    head = user_make(role=Role.AGENCY_ADMIN, agency=bureau, username="bureau-admin-2")
    taken = user_make(role=Role.SUPERVISOR, agency=bureau, username="jiandu-taken")
    taken.supervisor = Supervisor.objects.create(bureau=bureau, name="吴监督", id_number=id_number(serial=902))
    taken.save()

    read = client.get(url(person), **county["admin"]).json()
    linkable = [row["username"] for row in read["linkable"]]
    assert "jiandu-own" in linkable
    assert not {"jiandu-foreign", "bureau-admin-2", "jiandu-taken"} & set(linkable)

    # Each refusal names the field `link`; another bureau's account is answered as a missing one.
    for user_id in (foreign.pk, head.pk, taken.pk, 999_999):
        refused = post(client, person, county["admin"], {"link": user_id})
        assert refused.status_code == 422, (user_id, refused.content)
        assert {v["field"] for v in refused.json()["violations"]} == {"link"}
    assert post(client, person, county["admin"], {"link": foreign.pk}).json()["violations"][0]["message"] == \
        post(client, person, county["admin"], {"link": 999_999}).json()["violations"][0]["message"]
    assert not User.objects.filter(supervisor=person).exists()

    linked = post(client, person, county["admin"], {"link": own.pk}, HTTP_IDEMPOTENCY_KEY="ln-1")
    assert linked.status_code == 200, linked.content
    assert linked.json()["account"]["username"] == "jiandu-own" and "password" not in linked.json()
    assert User.objects.get(pk=own.pk).supervisor_id == person.pk
    assert [e["payload"] for e in _entries(EventKind.USER_SUPERVISOR_LINKED)] == [
        {"username": "jiandu-own", "supervisor": person.pk}]
    # A link holds no secret: its replay is the first answer, and nothing is written twice.
    again = post(client, person, county["admin"], {"link": own.pk}, HTTP_IDEMPOTENCY_KEY="ln-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == linked.json() and len(_entries(EventKind.USER_SUPERVISOR_LINKED)) == 1
    # The same link without a key: the login the supervisor has already, answered as it is, written once.
    same = post(client, person, county["admin"], {"link": own.pk})
    assert same.status_code == 200 and same.json()["account"]["id"] == own.pk
    assert len(_entries(EventKind.USER_SUPERVISOR_LINKED)) == 1

    # The supervisor has a login now: 409 with every reason (the taken user name's too).
    second = user_make(role=Role.SUPERVISOR, agency=bureau, username="jiandu-second")
    conflict = post(client, person, county["admin"], {"link": second.pk})
    assert conflict.status_code == 409 and [v["code"] for v in conflict.json()["violations"]] == ["user.supervisor_taken"]
    browser, csrf = session_of(county["admin_user"], person)
    both = post(browser, person, csrf, {"create": {"username": "jiandu-own"}})
    assert both.status_code == 409
    assert {(v["code"], v["field"]) for v in both.json()["violations"]} == {
        ("user.supervisor_taken", None), ("user.username_taken", "create.username")}
    assert User.objects.get(pk=second.pk).supervisor_id is None and User.objects.filter(supervisor=person).count() == 1


def test_only_the_bureaus_administrator_reads_and_sets_a_login(client, county):
    person = county["person"]
    loose = user_make(role=Role.SUPERVISOR, agency=county["bureau"], username="jiandu-loose")
    for auth, status in (("supervisor", 403), ("other_admin", 404), ("agency_admin", 404)):
        assert client.get(url(person), **county[auth]).status_code == status, auth
        assert post(client, person, county[auth], {"link": loose.pk}).status_code == status, auth
        assert post(client, person, county[auth], {"create": {"username": f"x-{auth}"}}).status_code == status, auth
    assert client.get("/api/registry/supervisors/999999/account", **county["admin"]).status_code == 404
    assert not User.objects.filter(supervisor=person).exists() and not User.objects.filter(username__startswith="x-")

    # A login session is held to its CSRF token.
    session = Client(enforce_csrf_checks=True)
    session.force_login(county["admin_user"])
    assert session.get(url(person)).status_code == 200
    forged = session.post(url(person), data=json.dumps({"link": loose.pk}), content_type="application/json")
    assert forged.status_code == 403 and User.objects.get(pk=loose.pk).supervisor_id is None


def test_a_bearer_token_cannot_create_a_login_but_links_one(client, county):
    """Passwords are managed in sessions past the second factor: a token (a system administrator's
    too, which would skip theirs) is refused the temporary password, and nothing is written."""
    person = county["person"]
    system = bearer(user_make(role=Role.SYSTEM_ADMIN))
    entries = LedgerEntry.objects.count()
    for auth in (county["admin"], system):
        refused = post(client, person, auth, {"create": {"username": "jiandu-token"}}, HTTP_IDEMPOTENCY_KEY="tk-1")
        assert refused.status_code == 403, refused.content
        error = refused.json()["error"]
        assert error["code"] == "forbidden" and "第二因素" in error["message"] and "令牌" in error["message"]
    assert not User.objects.filter(username="jiandu-token").exists() and not User.objects.filter(supervisor=person)
    assert LedgerEntry.objects.count() == entries and not IdempotentRequest.objects.exists()

    # Linking reveals no secret: a token does it.
    loose = user_make(role=Role.SUPERVISOR, agency=county["bureau"], username="jiandu-loose")
    assert post(client, person, system, {"link": loose.pk}).status_code == 200
    assert User.objects.get(pk=loose.pk).supervisor_id == person.pk


def test_a_user_name_taken_since_the_check_is_a_422_not_a_500(county, monkeypatch):
    """Another creation with the same user name got in between the check and the insert (two
    administrators at the same moment): the insert's unique-constraint error becomes the refusal the
    check gives, naming create.username, and nothing is written."""
    user_make(role=Role.SUPERVISOR, agency=county["bureau"], username="jiandu-same")
    checks = account_services.user_create_violations
    calls = []

    def passed_before_the_other_came(**kwargs):
        calls.append(1)
        return [] if len(calls) == 1 else checks(**kwargs)

    monkeypatch.setattr(account_services, "user_create_violations", passed_before_the_other_came)
    browser, csrf = session_of(county["admin_user"], county["person"])
    entries = LedgerEntry.objects.count()
    answer = post(browser, county["person"], csrf, {"create": {"username": "jiandu-same"}})
    assert answer.status_code == 422, answer.content
    assert [(v["code"], v["field"]) for v in answer.json()["violations"]] == [("user.username_taken", "create.username")]
    assert not User.objects.filter(supervisor=county["person"]).exists() and LedgerEntry.objects.count() == entries


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"link", "create"}),
    ({"link": None, "create": None}, {"link", "create"}),
    ({"link": 1, "create": {"username": "both"}}, {"link", "create"}),
    ({"link": "1"}, {"link"}),  # no coercion: an id is a JSON integer
    ({"link": True}, {"link"}),
    ({"create": {}}, {"create.username"}),
    ({"create": {"username": ""}}, {"create.username"}),
    ({"create": {"username": "有 空格"}}, {"create.username"}),
    ({"create": {"username": "x" * 151}}, {"create.username"}),
    ({"create": {"username": "bad\u0000name"}}, {"create.username"}),
])
def test_bad_input_is_a_422_naming_the_field(county, body, fields):
    browser, csrf = session_of(county["admin_user"], county["person"])
    answer = post(browser, county["person"], csrf, body)
    assert answer.status_code == 422, answer.content
    assert {v["field"] for v in answer.json()["violations"]} == fields
    assert not User.objects.filter(supervisor=county["person"]).exists()


def test_a_user_name_in_use_is_a_422(county):
    user_make(role=Role.OFFICER, agency=agency_make(name="乌审旗交通运输局"), username="zhang-san")
    browser, csrf = session_of(county["admin_user"], county["person"])
    answer = post(browser, county["person"], csrf, {"create": {"username": "zhang-san"}})
    assert answer.status_code == 422
    assert [(v["code"], v["field"]) for v in answer.json()["violations"]] == [("user.username_taken", "create.username")]


def test_the_page_and_the_api_leave_the_same_records(client, county):
    bureau, admin = county["bureau"], county["admin_user"]
    by_page = Supervisor.objects.create(bureau=bureau, name="郑监督", id_number=id_number(serial=903))
    page = Client()
    page.force_login(admin)
    assert page.post(reverse("registry:supervisor_account", args=[by_page.pk]),
                     {"create": "1", "username": "jiandu-page"}).status_code == 201
    browser, csrf = session_of(admin, county["person"])
    assert post(browser, county["person"], csrf, {"create": {"username": "jiandu-api"}}).status_code == 201
    page_link, api_link = (user_make(role=Role.SUPERVISOR, agency=bureau, username=name)
                           for name in ("link-page", "link-api"))
    by_page_2 = Supervisor.objects.create(bureau=bureau, name="冯监督", id_number=id_number(serial=904))
    by_api_2 = Supervisor.objects.create(bureau=bureau, name="陈监督", id_number=id_number(serial=905))
    assert page.post(reverse("registry:supervisor_account", args=[by_page_2.pk]),
                     {"link": "1", "user": page_link.pk}).status_code == 302
    assert post(client, by_api_2, county["admin"], {"link": api_link.pk}).status_code == 200

    def records(username: str, supervisor: Supervisor) -> list[tuple]:
        user = User.objects.get(username=username)
        rows = [row for row in LedgerEntry.objects.filter(subject=f"user:{user.pk}").order_by("seq")
                if json.loads(bytes(row.body))["payload"].get("supervisor") == supervisor.pk]
        assert all(row.actor_id == admin.pk and row.agency_id == bureau.pk for row in rows)
        return [(row.kind, json.loads(bytes(row.body))["payload"] | {"username": "·", "supervisor": "·"})
                for row in rows]

    assert records("jiandu-page", by_page) == records("jiandu-api", county["person"]) != []
    assert records("link-page", by_page_2) == records("link-api", by_api_2) != []
    page_user, api_user = User.objects.get(username="jiandu-page"), User.objects.get(username="jiandu-api")
    assert (page_user.role, page_user.must_change_password) == (api_user.role, api_user.must_change_password)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent transactions need PostgreSQL")
def test_two_logins_for_one_supervisor_at_once_are_a_201_and_a_409(purge_ledger_after, monkeypatch):
    """Both requests past every check at the same moment: the supervisor's row lock makes the second
    wait for the first and be refused (already has a login), never the one-to-one constraint's 500."""
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    admin_user = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    person = Supervisor.objects.create(bureau=bureau, name="李监督", id_number=id_number(serial=906))
    loose = user_make(role=Role.SUPERVISOR, agency=bureau, username="jiandu-loose")
    senders = (session_of(admin_user, person), (Client(enforce_csrf_checks=True), bearer(admin_user)))
    together = threading.Barrier(2, timeout=30)
    lock = account_services._supervisor_lock

    def lock_together(supervisor):
        together.wait()  # both are inside their transactions, before the lock
        return lock(supervisor)

    monkeypatch.setattr(account_services, "_supervisor_lock", lock_together)
    bodies = ({"create": {"username": "jiandu-new"}}, {"link": loose.pk})
    answers: list[int] = [0, 0]

    def send(i: int) -> None:
        try:
            answers[i] = post(senders[i][0], person, senders[i][1], bodies[i]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) in ([200, 409], [201, 409]), answers
    assert User.objects.filter(supervisor=person).count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent transactions need PostgreSQL")
def test_one_user_name_for_two_supervisors_at_once_is_a_201_and_a_422(purge_ledger_after, monkeypatch):
    """Two administrators' sessions give two supervisors logins with the same user name at the same
    moment, both past the check: the second's insert waits for the first's and is refused naming
    create.username; without the service catching the unique constraint's error it was a 500."""
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    people = [Supervisor.objects.create(bureau=bureau, name=name, id_number=id_number(serial=serial))
              for name, serial in (("李监督", 907), ("王监督", 908))]
    senders = [session_of(user_make(role=Role.AGENCY_ADMIN, agency=bureau), person) for person in people]
    together = threading.Barrier(2, timeout=30)
    checks = account_services.user_create_violations
    checked = threading.local()

    def check_together(**kwargs):
        violations = checks(**kwargs)
        if not getattr(checked, "once", False):  # each request's first check, before either inserts
            checked.once = True
            together.wait()
        return violations

    monkeypatch.setattr(account_services, "user_create_violations", check_together)
    answers: list[tuple[int, list]] = [(0, []), (0, [])]

    def send(i: int) -> None:
        try:
            answer = post(senders[i][0], people[i], senders[i][1], {"create": {"username": "jiandu-same"}})
            answers[i] = (answer.status_code, [(v["code"], v["field"]) for v in answer.json().get("violations", [])])
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [(201, []), (422, [("user.username_taken", "create.username")])], answers
    assert User.objects.filter(username="jiandu-same").count() == 1
    assert [e["payload"]["supervisor"] for e in _entries(EventKind.USER_CREATED)
            if e["payload"]["username"] == "jiandu-same"] == [User.objects.get(username="jiandu-same").supervisor_id]

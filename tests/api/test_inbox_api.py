"""Issue 19: the inbox (待办) through the API, as the page shows it to the same user: for each role the
same kinds, labels, counts and items (what waits, the case, since when, due when, overdue), each
item with the API path of what it opens (readable by that user); the count is the navigation's;
another agency's items never appear; a kind pages by its own cursor; the queries do not grow with
the cases. Bearer tokens and sessions, CSRF checks on."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.api.inbox import RESOURCE_LABELS
from sanxiang.cases.models import Case
from sanxiang.evaluation.reminder_services import reminder_upsert
from sanxiang.inbox.selectors import KIND_LABELS, RESOURCES
from sanxiang.procedure.evaluation.reminders import ReminderKind
from sanxiang.web.inbox import inbox_build, inbox_count
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.cases.support import world_make
from tests.factories import user_make
from tests.supervision.complaint_support import complaint_file, desk_public
from tests.web.test_inbox_pages import grow

pytestmark = pytest.mark.django_db
INBOX = "/api/inbox"


@pytest.fixture
def w():
    world = world_make()
    world.admin = user_make(role=Role.AGENCY_ADMIN, agency=world.agency)
    return world


def auth(user) -> dict:
    if not hasattr(user, "test_bearer"):
        user.test_bearer = bearer(user)
    return user.test_bearer


def api_inbox(client, user, **query) -> dict:
    answer = client.get(INBOX, query, **auth(user))
    assert answer.status_code == 200, answer.content
    return answer.json()


def page_items(user) -> dict[str, tuple[str, int, list[tuple]]]:
    """kind → (label, count, items) as the page's inbox holds them."""
    inbox = inbox_build(user=user)
    return {g.kind: (g.label, g.count, [(i.what, i.case_id, i.number, i.title, i.detail, i.since_label,
                                         i.since.isoformat(), i.due.isoformat() if i.due else None, i.due_note,
                                         i.overdue, i.estimated) for i in g.items]) for g in inbox.groups}


def api_items(answer: dict) -> dict[str, tuple[str, int, list[tuple]]]:
    return {k["kind"]: (k["label"], k["count"], [(i["what"], i["case_id"], i["number"], i["title"], i["detail"],
                                                  i["since_label"], i["since"], i["due"], i["due_note"],
                                                  i["overdue"], i["estimated"]) for i in k["items"]])
            for k in answer["kinds"]}


def test_every_resource_has_a_label_and_every_kind_a_code():
    assert set(RESOURCE_LABELS) == set(RESOURCES)
    assert all(code.isascii() and label for code, label in KIND_LABELS.items())


def test_each_role_reads_what_its_page_shows_and_the_navigations_count(client, w):
    grow(w, 2)
    other = world_make()
    grow(other, 1)
    reminder = reminder_upsert(
        kind=ReminderKind.CERTIFICATE_EXPIRY, subject_type="certificate", subject_id=1, on=dt.date.today(),
        recipient_user=w.officer, agency=w.agency, title="您的执法证将于90日后到期", stage="90").reminder
    others = set(Case.objects.filter(agency=other.agency).values_list("pk", flat=True))
    for user in (w.head, w.reviewer, w.officer, w.colleague, w.admin, w.supervisor):
        answer = api_inbox(client, user, limit=200)
        assert api_items(answer) == page_items(user), user.role
        assert answer["total"] == inbox_count(user=user)
        assert client.get(f"{INBOX}/count", **auth(user)).json() == {"total": answer["total"]}
        seen = set()
        for kind in answer["kinds"]:
            assert kind["label"] == KIND_LABELS[kind["kind"]] and kind["next"] is None
            for item in kind["items"]:
                assert item["case_id"] not in others
                if item["resource"] == "case":
                    assert item["path"] == f"/api/cases/{item['resource_id']}" and item["case_id"] == item["resource_id"]
                elif item["resource"] == "publication_draft":
                    assert item["path"] == f"/api/publication/drafts/{item['resource_id']}"
                if item["path"] and item["resource"] not in seen:  # each kind of path opens for the user
                    seen.add(item["resource"])
                    assert client.get(item["path"], **auth(user)).status_code == 200, item["path"]
        # The same as the page's navigation, by the session.
        client.force_login(user)
        nav = client.get(reverse("cases:case_list")).context["nav"]
        assert (nav[1][2] or 0) == answer["total"] == client.get(f"{INBOX}/count").json()["total"]
        client.logout()
    head = {k["kind"]: k["count"] for k in api_inbox(client, w.head)["kinds"]}
    assert head["opening"] == head["discussion"] == head["publication"] == head["fine"] == 2
    # The reminder: no path of its own, dismissed by the reminders' operation, then gone.
    [item] = next(k for k in api_inbox(client, w.officer)["kinds"] if k["kind"] == "reminder")["items"]
    assert (item["resource"], item["resource_id"], item["path"]) == ("reminder", reminder.pk, None)
    assert item["dismiss"] == f"/api/reminders/{reminder.pk}/actions/dismiss"
    assert client.post(item["dismiss"], **auth(w.officer)).status_code == 200
    assert next(k for k in api_inbox(client, w.officer)["kinds"] if k["kind"] == "reminder")["items"] == []
    # The other agency's head sees its own case, none of this one's.
    theirs = {i["case_id"] for k in api_inbox(client, other.head)["kinds"] for i in k["items"] if i["case_id"]}
    assert theirs and theirs <= others


def test_a_supervisor_reads_the_complaints_to_triage_and_another_countys_does_not(client):
    desk = desk_public()
    complaint_file(desk)
    complaint_file(desk)
    answer = api_inbox(client, desk.first)
    assert api_items(answer) == page_items(desk.first)
    complaints = next(k for k in answer["kinds"] if k["kind"] == "complaint")
    assert complaints["label"] == "待分办的投诉举报和线索" and complaints["count"] == 2
    item = complaints["items"][0]
    assert item["resource"] == "supervision_complaint" and item["path"] == f"/api/supervision/complaints/{item['resource_id']}"
    assert client.get(item["path"], **auth(desk.first)).status_code == 200
    elsewhere = desk_public().first
    assert all(not k["items"] for k in api_inbox(client, elsewhere)["kinds"])


def test_a_kind_pages_by_its_cursor_and_bad_parameters_are_refused_by_field(client, w):
    grow(w, 5)
    expected = page_items(w.head)["opening"][2]
    first = api_inbox(client, w.head, kind="opening", limit=2)
    assert [k["kind"] for k in first["kinds"]] == ["opening"] and first["kinds"][0]["count"] == 5
    seen, kind = [], first["kinds"][0]
    while True:
        seen += api_items({"kinds": [kind]})["opening"][2]
        if kind["next"] is None:
            break
        answer = client.get(kind["next"], **auth(w.head))
        assert answer.status_code == 200
        kind = answer.json()["kinds"][0]
    assert seen == expected
    # The drafts waiting (read a slice at a time) page the same way.
    drafts = api_inbox(client, w.head, kind="publication", limit=3)["kinds"][0]
    rest = api_inbox(client, w.head, kind="publication", limit=3, cursor=drafts["next_cursor"])["kinds"][0]
    assert api_items({"kinds": [drafts]})["publication"][2] + api_items({"kinds": [rest]})["publication"][2] == \
        page_items(w.head)["publication"][2]
    # A kind that does not concern the user: no kind listed; the total stays the user's.
    assert api_inbox(client, w.officer, kind="opening")["kinds"] == []

    def refused(**query) -> set:
        answer = client.get(INBOX, query, **auth(w.head))
        assert answer.status_code == 422, answer.content
        return {v["field"] for v in answer.json()["violations"]}

    assert refused(kind="nothing") == {"kind"}
    assert refused(cursor=first["kinds"][0]["next_cursor"]) == {"cursor"}  # without its kind
    assert refused(kind="discussion", cursor=first["kinds"][0]["next_cursor"]) == {"cursor"}  # another kind's
    assert refused(kind="opening", cursor="forged") == {"cursor"}
    assert refused(limit=0) == {"limit"}


def test_the_queries_do_not_grow_with_the_cases(client, w):
    users = (w.head, w.reviewer, w.officer, w.admin, w.supervisor)
    grow(w, 2)
    for user in users:  # a token's first use is recorded once
        queries_of(client, f"{INBOX}/count", auth(user))
    few = {u.role: (queries_of(client, INBOX, auth(u)), queries_of(client, f"{INBOX}/count", auth(u))) for u in users}
    grow(w, 12)
    for user in users:
        assert (queries_of(client, INBOX, auth(user)), queries_of(client, f"{INBOX}/count", auth(user))) == \
            few[user.role], user.role


def test_a_session_reads_it_with_csrf_checks_on_and_no_one_without(client, w):
    grow(w, 1)
    assert client.get(INBOX).status_code == 401 and client.get(f"{INBOX}/count").status_code == 401
    client.force_login(w.head)
    answer = client.get(INBOX)
    assert answer.status_code == 200
    assert api_items(answer.json()) == page_items(w.head)
    assert client.get(f"{INBOX}/count").json() == {"total": 4}

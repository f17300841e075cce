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


# --- every kind's path, a kind beyond the old caps, the queries' bound (review of issue 19) ---------


def _supervision_and_reports():
    """A desk (bureau, agency, two supervisors) with something of each supervision and report kind:
    a complaint to triage, a matter received, an instrument to answer (then to read), a filing to
    examine, a coordination to accept, a 通报 drafted by the colleague, a monthly report to submit
    (then to receive)."""
    from django.utils import timezone

    from sanxiang.cases.services import case_create
    from sanxiang.evaluation.report_services import report_drafts_create
    from sanxiang.supervision.instrument_services import instrument_issue, notice_draft
    from sanxiang.supervision.models import Coordination, Filing, Matter
    from tests.supervision.instruments_support import matter_make_for_tests

    today = timezone.localdate()
    desk = desk_public()
    desk.head = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    complaint_file(desk)
    Matter.objects.create(bureau=desk.bureau, agency=desk.agency, number="JD-INBOX-1", source="routine",
                          state="received", subject="未按期公示", received_on=today)
    desk.instrument = instrument_issue(actor=desk.first, matter=matter_make_for_tests(desk=desk), kind="opinion",
                                       findings="未在七个工作日内公示行政处罚决定", supervisors=[desk.first, desk.second])
    case = case_create(actor=None, agency=desk.agency, number="备-INBOX-1", title="备案案件")
    Filing.objects.create(case=case, agency=desk.agency, bureau=desk.bureau, kind="penalty", action="decide",
                          decision_label="行政处罚决定", decided_on=today, filed_on=today,
                          due_on=today + dt.timedelta(days=15))
    Coordination.objects.create(bureau=desk.bureau, agency=desk.agency, kind="problem", subject="协调事项",
                                description="情况", raised_on=today, raised_by=desk.head, updated_on=today)
    notice_draft(actor=desk.second, bureau=desk.bureau, title="关于公示情况的通报", body="正文", scope="internal",
                 agencies=[desk.agency])
    assert report_drafts_create(on=dt.date(2026, 10, 1), agencies=[desk.agency]) == 1
    return desk


def _paths_open(client, user, expected: set[str]) -> None:
    """Every kind the user expects has something, matches the page, and each item's path opens (200)."""
    answer = api_inbox(client, user, limit=200)
    assert api_items(answer) == page_items(user)
    assert answer["total"] == inbox_count(user=user) == client.get(f"{INBOX}/count", **auth(user)).json()["total"]
    waiting = {k["kind"] for k in answer["kinds"] if k["count"]}
    assert waiting == expected, user.role
    for kind in answer["kinds"]:
        for item in kind["items"]:
            assert item["path"], item
            assert client.get(item["path"], **auth(user)).status_code == 200, item["path"]


def test_every_supervision_and_report_kind_opens_for_its_user(client):
    from sanxiang.evaluation.models import MonthlyReport
    from sanxiang.supervision.instrument_services import instrument_act

    desk = _supervision_and_reports()
    _paths_open(client, desk.head, {"opening", "supervision_instrument", "monthly_reports"})  # the filing's case
    _paths_open(client, desk.first, {"complaint", "supervision_filing", "supervision_coordination",
                                     "supervision_matters", "supervision_notice"})
    # The agency answers and submits: the instrument and the report wait for the bureau now.
    instrument_act(actor=desk.head, instrument=desk.instrument, action="report", text="已补充公示")
    MonthlyReport.objects.filter(agency=desk.agency).update(state="submitted")
    _paths_open(client, desk.head, {"opening"})
    _paths_open(client, desk.first, {"complaint", "supervision_filing", "supervision_coordination",
                                     "supervision_matters", "supervision_notice", "supervision_instrument",
                                     "monthly_reports"})


def test_a_kind_beyond_the_old_cap_is_counted_and_paged_whole_on_the_api_and_the_page(client, w):
    """259 reminders (the reminders were cut at 200): the total, the kind's count and its pages agree
    between /api/inbox, /api/inbox/count, the page's navigation and the page's kind."""
    from sanxiang.evaluation.models import Reminder

    on = dt.date.today()
    Reminder.objects.bulk_create([
        Reminder(kind=ReminderKind.CERTIFICATE_EXPIRY, key=f"test-cap-{n}", recipient_user=w.officer, agency=w.agency,
                 subject_type="certificate", subject_id=n, title=f"提醒{n}", raised_on=on,
                 due_on=on + dt.timedelta(days=n))
        for n in range(259)
    ])
    counted = client.get(f"{INBOX}/count", **auth(w.officer)).json()["total"]
    assert counted >= 259
    whole = api_inbox(client, w.officer)
    assert whole["total"] == counted and next(k for k in whole["kinds"] if k["kind"] == "reminder")["count"] == 259
    first = api_inbox(client, w.officer, kind="reminder", limit=200)
    assert first["total"] == counted
    [kind] = first["kinds"]
    assert (kind["count"], len(kind["items"])) == (259, 200) and kind["next"]
    [rest] = client.get(kind["next"], **auth(w.officer)).json()["kinds"]
    assert (rest["count"], len(rest["items"]), rest["next"]) == (259, 59, None)
    titles = [i["title"] for i in kind["items"] + rest["items"]]
    assert titles == [f"提醒{n}" for n in range(259)]
    # The page: the navigation's number is the same on the inbox and elsewhere, and the kind's count.
    client.force_login(w.officer)
    inbox_page = client.get(reverse("web:inbox"))
    assert inbox_page.context["inbox"].group("reminder").count == 259
    assert inbox_page.context["nav"][1][2] == counted == client.get(reverse("cases:case_list")).context["nav"][1][2]
    listed = client.get(reverse("web:inbox"), {"kind": "reminder", "page": 6})
    assert listed.context["page"].paginator.count == 259 and len(listed.context["page"].object_list) == 9


# The queries of GET /api/inbox/count and GET /api/inbox, each role, as `sanxiang.inbox.selectors`
# states them: the count's are `inbox_count`'s (at most 6 for a head, 5 a reviewer, 3 an officer, 8 a
# registered supervisor); the inbox's at most two for the cases' queues (the cases, the calendar)
# and two a kind read as `ItemsRead` (its COUNT, and its slice when something waits); the API adds
# one (the token). The bounds do not depend on the number of rows (`grow` and the fixture above).
COUNT_QUERIES = {Role.AGENCY_HEAD: 6, Role.REVIEWER: 5, Role.OFFICER: 3, Role.SUPERVISOR: 8}
ITEMS_READ_KINDS = {Role.AGENCY_HEAD: 7, Role.REVIEWER: 5, Role.OFFICER: 5, Role.SUPERVISOR: 9}


def test_the_queries_stay_within_the_stated_bounds(client, w):
    from sanxiang.inbox.selectors import inbox_count as count_of
    from tests.web.test_inbox_pages import counted

    grow(w, 3)
    desk = _supervision_and_reports()
    for user in (w.head, w.reviewer, w.officer, desk.first):
        assert counted(lambda: count_of(user=user))[0] <= COUNT_QUERIES[user.role], user.role  # noqa: B023
        queries_of(client, f"{INBOX}/count", auth(user))  # a token's first use is recorded once
        assert queries_of(client, f"{INBOX}/count", auth(user)) <= 1 + COUNT_QUERIES[user.role], user.role
        assert queries_of(client, INBOX, auth(user)) <= 1 + 2 + 2 * ITEMS_READ_KINDS[user.role], user.role
        # One kind: that kind alone (two queries at most), and the total counted.
        assert queries_of(client, f"{INBOX}?kind=reminder&limit=1", auth(user)) <= 1 + 2 + COUNT_QUERIES[user.role]

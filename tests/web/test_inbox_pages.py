"""The inbox's page, its count in the navigation and the homes that list the queues; the queries
they cost stay the same whatever the number of cases (counted at two sizes)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.cases.projection import case_projection_refresh
from sanxiang.cases.services import case_create
from sanxiang.procedure.penalty.snapshot import DecisionDraft, PenaltyTerms, Service
from sanxiang.publication.models import PublicationDraft
from sanxiang.web import inbox as inbox_module
from sanxiang.web.inbox import SHOWN_ON_HOME, SHOWN_ON_INBOX, inbox_build, inbox_count
from tests.cases.support import world_make
from tests.factories import officer_make, user_make
from tests.review.support import MAJOR, case_with_facts, opinion, request

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
AGO = TODAY - dt.timedelta(days=100)
FINE = DecisionDraft("penalty", PenaltyTerms(frozenset({"fine"}), fine_fen=300_000))


@pytest.fixture
def w():
    world = world_make()
    world.admin = user_make(role=Role.AGENCY_ADMIN, agency=world.agency)
    return world


def grow(w, n: int) -> None:
    """n items of every kind: leads to approve, requests to review, discussions to hold, drafts to
    approve, decision deadlines past, fines unpaid."""
    officers = (w.zhang, w.li)
    since = AGO + dt.timedelta(days=3)
    for _ in range(n):
        case_create(actor=None, agency=w.agency, title="涉嫌无证经营案", procedure="ordinary")
        case_with_facts(w.agency, state="notified", decision=MAJOR,
                        review_requests=(request(1, since, w.reviewer_officer),))
        case_with_facts(w.agency, state="notified", decision=MAJOR,
                        review_requests=(request(1, since, w.reviewer_officer),),
                        review_opinions=(opinion(1, since, w.reviewer_officer),))
        late = case_with_facts(w.agency, state="investigating", officers=officers, opened_on=AGO, discovered_on=AGO)
        unpaid = case_with_facts(w.agency, state="served", officers=officers, opened_on=AGO, discovered_on=AGO,
                                 decision=FINE, decided_on=since, service=Service("direct", since))
        case_projection_refresh(case_ids=[late.pk, unpaid.pk])
        PublicationDraft.objects.create(case=unpaid, agency=w.agency, decided_on=since, due_on=since + dt.timedelta(days=7),
                                        original={}, public={})


def counted(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries.captured_queries), result


def page(client, user, url: str) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_count_costs_at_most_six_queries_and_the_inbox_the_same_at_any_size(client, w):
    users = (w.head, w.reviewer, w.officer, w.admin, w.supervisor)
    grow(w, 2)
    few = {u.role: (counted(lambda u=u: inbox_count(user=u)), counted(lambda u=u: inbox_build(user=u))) for u in users}
    # A kind read a slice at a time (`ItemsRead`: the drafts waiting) is counted when first shown.
    few_totals = {role: inbox.total for role, (_, (_, inbox)) in few.items()}
    pages = {u.role: page(client, u, reverse("web:inbox"))[0] for u in users}
    grow(w, 12)
    for user in users:
        (count_queries, count), (build_queries, _) = few[user.role]
        assert count == few_totals[user.role]
        (count_queries_many, count_many) = counted(lambda u=user: inbox_count(user=u))
        (build_queries_many, inbox_many) = counted(lambda u=user: inbox_build(user=u))
        # Three for the cases' kinds, one for the supervision instruments (issue 14, part B), one for
        # the reminders (issue 15, item 9), one for the monthly reports of a head or a supervisor (item 4).
        assert count_queries_many == count_queries <= 6, user.role
        assert build_queries_many == build_queries <= 6, user.role
        assert page(client, user, reverse("web:inbox"))[0] == pages[user.role], user.role
        assert count_many == inbox_many.total
    # 14 of each kind, for those each kind waits for (the head is no officer of the cases).
    totals = {u.role: {g.kind: g.count for g in inbox_build(user=u).groups
                       if not g.kind.startswith("supervision") and g.kind not in ("reminder", "monthly_reports")}
              for u in users}
    assert totals[Role.AGENCY_HEAD] == {"opening": 14, "discussion": 14, "publication": 14, "deadline": 0, "fine": 14}
    assert totals[Role.REVIEWER] == {"review": 14, "deadline": 0, "fine": 0}
    assert totals[Role.OFFICER] == {"deadline": 14, "fine": 14}
    assert totals[Role.AGENCY_ADMIN] == {"publication": 14}
    assert totals[Role.SUPERVISOR] == {"complaint": 0}  # issue 14, part D: complaints to triage


def test_the_navigation_shows_the_count_read_once_per_request(client, w, monkeypatch):
    grow(w, 1)
    client.force_login(w.head)
    response = client.get(reverse("cases:case_list"))
    nav = response.context["nav"]
    assert [tuple(e[:2]) for e in nav[:2]] == [("web:home", "工作台"), ("web:inbox", "待办")]
    assert nav[1][2] == 4 and nav[0][2] is None
    assert 'data-testid="nav-count-web:inbox">4</span>' in response.content.decode()
    # A page that built the inbox (the inbox, the head's home) gives the navigation its total: the
    # count is not read again.
    calls = []
    real = inbox_module.inbox_count
    monkeypatch.setattr(inbox_module, "inbox_count", lambda **kw: calls.append(kw) or real(**kw))
    for name in ("web:inbox", "web:home"):
        response = client.get(reverse(name))
        assert response.context["nav"][1][2] == 4 and calls == []
    client.get(reverse("cases:case_list"))
    assert len(calls) == 1
    # Nothing waits for the supervisor: no number beside the entry.
    client.force_login(w.supervisor)
    response = client.get(reverse("web:home"))
    assert not response.context["nav"][1][2]
    assert 'nav-count-web:inbox' not in response.content.decode()


def test_the_inbox_page_lists_each_kind_with_its_count_and_each_count_opens_its_records(client, w):
    grow(w, SHOWN_ON_INBOX + 1)
    n = SHOWN_ON_INBOX + 1
    _, html = page(client, w.head, reverse("web:inbox"))
    assert f"待办（{4 * n}）" in html
    for kind, label in (("opening", "立案审批"), ("discussion", "集体讨论"), ("publication", "公示审核"),
                        ("fine", "逾期未缴纳的罚款")):
        assert f'href="{reverse("web:inbox")}?kind={kind}" data-testid="inbox-count-{kind}"' in html
        assert label in html
    # The overview shows the first few of a kind; its count opens all of them.
    assert html.count('data-testid="inbox-item"') == 4 * SHOWN_ON_INBOX
    assert f"查看全部{n}项" in html
    _, html = page(client, w.head, reverse("web:inbox") + "?kind=opening")
    assert "待办：立案审批" in html and html.count('data-testid="inbox-item"') == n
    # An unknown kind is no error: everything is listed.
    _, html = page(client, w.head, reverse("web:inbox") + "?kind=nonsense")
    assert html.count('data-testid="inbox-item"') == 4 * SHOWN_ON_INBOX
    main = re.search(r"<main>(.*)</main>", html, re.S).group(1)
    words = set(re.findall(r"(?<![\w/=\"'-])[A-Za-z]{2,}(?![\w/=\"'-])", re.sub(r"<[^>]+>", " ", main)))
    assert not words, words  # Chinese only
    # Nothing for the supervisor (no complaint to triage, no instrument to read): said so.
    _, html = page(client, w.supervisor, reverse("web:inbox"))
    assert "待办（0）" in html and "目前没有等待您办理的事项" in html


def test_the_head_and_the_reviewer_homes_list_their_queues(client, w):
    grow(w, SHOWN_ON_HOME + 1)
    _, html = page(client, w.head, reverse("web:home"))
    assert 'data-testid="home-queues"' in html
    for kind in ("opening", "discussion", "publication", "fine"):
        assert f'data-testid="inbox-{kind}"' in html
    assert html.count('data-testid="inbox-item"') == 4 * SHOWN_ON_HOME
    assert f"查看全部{SHOWN_ON_HOME + 1}项" in html
    _, html = page(client, w.reviewer, reverse("web:home"))
    assert 'data-testid="inbox-review"' in html and html.count('data-testid="inbox-item"') == SHOWN_ON_HOME
    # Only the queues with something in them; an empty inbox says so.
    assert 'data-testid="inbox-deadline"' not in html
    _, html = page(client, w.officer, reverse("web:home"))
    assert 'data-testid="home-queues"' not in html
    _, html = page(client, user_make(role=Role.REVIEWER, agency=w.agency, officer=officer_make(agency=w.agency)),
                   reverse("web:home"))
    assert 'data-testid="home-queues"' in html and "目前没有等待您办理的事项" in html


def finished(w, n: int) -> None:
    """n cases archived while their projection still holds open deadline rows (a case closed in
    the registry of a county: its rows are never shown again), handled by both officers and the
    head's officer."""
    officers = (w.zhang, w.li, w.head.officer)
    cases = [case_with_facts(w.agency, state="investigating", officers=officers, opened_on=AGO, discovered_on=AGO)
             for _ in range(n)]
    case_projection_refresh(case_ids=[c.pk for c in cases])
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(state="archived")


def test_the_homes_and_the_inbox_cost_the_same_queries_at_10_and_200_cases(client, w):
    """Issue 12: the officer's and the head's homes (their worklists, queues and panels) and the
    inbox of each cost a number of queries that does not grow with the cases, open or finished;
    what they show grows with what waits."""
    head_case = case_with_facts(w.agency, state="investigating", officers=(w.head.officer,), opened_on=AGO,
                                discovered_on=AGO)
    case_projection_refresh(case_ids=[head_case.pk])
    grow(w, 1)  # 5 cases waiting
    finished(w, 4)
    assert Case.objects.count() == 10
    pages = [(w.officer, "web:home"), (w.head, "web:home"), (w.officer, "web:inbox"), (w.head, "web:inbox"),
             (w.reviewer, "web:home")]
    few = [page(client, user, reverse(name)) for user, name in pages]
    grow(w, 20)
    finished(w, 90)
    assert Case.objects.count() == 200
    many = [page(client, user, reverse(name)) for user, name in pages]
    assert [n for n, _ in many] == [n for n, _ in few]
    # What waits is shown (the head's home: the first few of each kind, each count opening all of
    # them); the archived cases' deadline rows are not.
    officer_inbox, head_inbox = inbox_build(user=w.officer), inbox_build(user=w.head)
    # (The supervision instruments' kinds, issue 14, are there with nothing to answer.)
    instruments = {"supervision_instrument": 0, "supervision_instrument_overdue": 0, "reminder": 0}
    assert {g.kind: g.count for g in officer_inbox.groups} == {"deadline": 21, "fine": 21, **instruments}
    assert {g.kind: g.count for g in head_inbox.groups} == {
        "opening": 21, "discussion": 21, "publication": 21, "deadline": 1, "fine": 21, "monthly_reports": 0,
        **instruments}
    head_home = many[1][1]
    assert 'title="查看全部21项">21项</a>' in head_home and head_home.count('data-testid="inbox-item"') == 4 * SHOWN_ON_HOME + 1
    assert f"待办（{4 * 21 + 1}）" in many[3][1]
    # The worklists list the open cases of each officer, none of the archived ones.
    assert many[0][1].count('href="/staff/cases/') >= 21 and Case.objects.get(pk=head_case.pk).number in head_home
    archived = Case.objects.filter(state="archived").values_list("number", flat=True)
    assert not any(number in html for _, html in many for number in archived)


def test_one_kind_is_listed_a_page_at_a_time_for_the_same_queries_at_any_size(client, w, monkeypatch):
    """Issue 12: `?kind=` lists a page of one kind (INBOX_PAGE_SIZE), with a pager in Chinese;
    every item is on exactly one page, and a page costs the same queries at 2 and at 12 items of
    the kind."""
    monkeypatch.setattr(inbox_module, "INBOX_PAGE_SIZE", 5)
    url = reverse("web:inbox") + "?kind=opening"
    grow(w, 2)
    few, html = page(client, w.head, url)
    assert html.count('data-testid="inbox-item"') == 2 and 'data-testid="inbox-pager"' not in html
    grow(w, 10)
    many, html = page(client, w.head, url)
    assert many == few
    # The heading counts all 12; the first page lists 5 and says where it is.
    assert "待办：立案审批（12）" in html and html.count('data-testid="inbox-item"') == 5
    assert "第 1 / 3 页，共 12 项" in html and "?kind=opening&amp;page=2" in html and "上一页" not in html
    seen = []
    for number in (1, 2, 3):
        queries, html = page(client, w.head, f"{url}&page={number}")
        assert queries == few
        seen += re.findall(r'data-testid="inbox-item">\s*<a href="([^"]+)"', html)
    assert len(seen) == 12 and len(set(seen)) == 12
    assert "第 3 / 3 页，共 12 项" in html and "下一页" not in html and "首页" in html
    assert html.count('data-testid="inbox-item"') == 2
    # A page number that is no number or out of range gives the first or the last page.
    assert "第 1 / 3 页" in page(client, w.head, url + "&page=abc")[1]
    assert "第 3 / 3 页" in page(client, w.head, url + "&page=99")[1]
    # The overview still shows the first few of each kind, without a pager.
    _, html = page(client, w.head, reverse("web:inbox"))
    assert 'data-testid="inbox-pager"' not in html and "查看全部12项" in html


def test_the_drafts_waiting_for_approval_are_read_as_far_as_a_page_shows_them(client, w):
    """Issue 12: drafts waiting for publication approval can pile up by the thousand (5,878 in one
    agency of the county grown to 100,000 cases, read whole on every page of the head: 0.6 s of
    CPU). The head's home, inbox and the kind's page read their number and the rows they show (a
    LIMIT), never every draft; the first ones are those of the earliest due day."""
    grow(w, 4)
    group = inbox_build(user=w.head).group("publication")
    assert group.count > SHOWN_ON_HOME
    earliest = sorted(PublicationDraft.objects.filter(status="draft"), key=lambda d: (d.due_on, d.pk))
    assert [item.url for item in group.items[:2]] == [reverse("publication:draft_detail", args=[d.pk])
                                                      for d in earliest[:2]]
    client.force_login(w.head)
    for url, shown in ((reverse("web:home"), SHOWN_ON_HOME), (reverse("web:inbox"), min(group.count, SHOWN_ON_INBOX)),
                       (reverse("web:inbox") + "?kind=publication", group.count)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        html = response.content.decode()
        section = html.split('data-testid="inbox-publication"')[1].split("</section>")[0]
        assert section.count('data-testid="inbox-item"') == shown, url
        rows = [q["sql"] for q in queries.captured_queries
                if 'FROM "publication_publicationdraft"' in q["sql"] and "COUNT(" not in q["sql"]]
        assert rows and all("LIMIT" in sql for sql in rows), url

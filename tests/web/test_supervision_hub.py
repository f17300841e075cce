"""行政执法监督 in the navigation (issue 14): one entry instead of up to seven, leading to a hub that
lists the supervision pages the user may open (each link opens for them: the rules are the pages'
own), with the counts of what waits, each number opening the inbox's list of those records. The
hub's queries do not grow with the number of rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.supervision.instrument_services import instrument_issue
from sanxiang.supervision.services import matter_accept, matter_open, matter_pair_assign
from tests.factories import user_make
from tests.querycount import queries_without_ledger_writes
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db
HUB = "/staff/supervision-overview/"
SUPERVISION_PAGES = ("/staff/supervision/", "/staff/registry/supervisors/")


def _matter(desk, subject="未按期公示行政处罚决定"):
    from django.utils import timezone

    matter = matter_open(bureau=desk.bureau, source="routine", subject=subject, summary="",
                         received_on=timezone.localdate(), agency=desk.agency, actor=desk.first)
    matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    return matter_accept(matter=matter, actor=desk.first)


def _issue(desk, n=1):
    for i in range(n):
        instrument_issue(actor=desk.first, matter=_matter(desk, f"事项{i}"), kind="opinion", findings="问题",
                         supervisors=[desk.first, desk.second])


def _nav(html: str) -> str:
    return html.split('class="sidenav"')[1].split("</nav>")[0]


def _hub_links(html: str) -> list[str]:
    hub = html.split('data-testid="supervision-hub"')[1]
    return re.findall(r'href="([^"]+)"', hub)


def test_an_agency_head_has_one_supervision_entry_and_the_hub_counts_what_waits(client):
    desk = desk_make()
    head = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    _issue(desk)
    client.force_login(head)
    page = client.get(reverse("web:home")).content.decode()
    nav = _nav(page)
    assert nav.count("/staff/supervision") == 1 and f'href="{HUB}"' in nav and "行政执法监督" in nav
    for label in ("监督文书", "通报", "处理执法人员建议", "重大决定备案", "执法协调"):
        assert label not in nav, label

    html = client.get(HUB).content.decode()
    for label in ("监督事项", "监督文书", "重大决定备案", "执法协调", "通报", "处理执法人员建议"):
        assert label in html, label
    assert "投诉举报" not in html and "问题线索移送" not in html and "监督人员" not in html.replace("监督人员名册", "")
    # The instrument served on the agency waits for its reply: the number opens those records.
    assert 'data-testid="hub-count-supervision_instrument">1<' in html
    inbox = client.get(reverse("web:inbox") + "?kind=supervision_instrument").content.decode()
    assert "待办理的监督文书" in inbox
    for link in _hub_links(html):  # every link of the hub opens for the user
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN])
def test_every_link_of_the_hub_opens_for_its_user(client, role):
    desk = desk_make()
    user = user_make(role=role, agency=None if role == Role.SYSTEM_ADMIN else desk.agency)
    client.force_login(user)
    html = client.get(HUB).content.decode()
    links = _hub_links(html)
    assert links and reverse("supervision:desk") in links
    assert (reverse("supervision:proposal_list") in links) == (role == Role.SYSTEM_ADMIN)
    for link in links:
        assert client.get(link).status_code == 200, (role, link)


def test_a_supervisor_reaches_every_supervision_page_and_the_register_from_the_hub(client):
    desk = desk_make()
    _matter(desk)
    client.force_login(desk.first)
    html = client.get(HUB).content.decode()
    links = _hub_links(html)
    for name in ("supervision:desk", "supervision:complaint_list", "supervision:instrument_list",
                 "supervision:filing_list", "supervision:coordination_list", "supervision:notice_list",
                 "supervision:proposal_list", "supervision:referral_list", "registry:supervisor_list"):
        assert reverse(name) in links, name
    assert 'data-testid="hub-count-supervision_matters">1<' in html  # the accepted matter the pair handles
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_hub_costs_the_same_queries_whatever_the_number_waiting(client):
    desk = desk_make()
    head = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    _issue(desk, 1)
    client.force_login(head)
    client.get(HUB)
    with queries_without_ledger_writes() as few:
        assert 'hub-count-supervision_instrument">1<' in client.get(HUB).content.decode()
    _issue(desk, 5)
    with queries_without_ledger_writes() as many:
        assert 'hub-count-supervision_instrument">6<' in client.get(HUB).content.decode()
    assert many.count == few.count, many.sql


def test_a_supervision_page_marks_the_hubs_entry_as_current(client):
    desk = desk_make()
    client.force_login(desk.first)
    nav = _nav(client.get(reverse("supervision:instrument_list")).content.decode())
    assert f'href="{HUB}" aria-current="page"' in nav
    nav = _nav(client.get(reverse("web:inbox")).content.decode())
    assert f'href="{HUB}" aria-current' not in nav

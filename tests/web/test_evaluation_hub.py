"""考核评估 in the navigation (issue 15): one entry instead of the five or six assessment pages
(indicators, monthly reports, system documents, training, reminders, scheduled work), leading to a
hub that lists the pages the user may open (each link opens for them: the rules are the pages' own)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db
HUB = "/staff/evaluation-overview/"


def _nav(html: str) -> str:
    return html.split('class="sidenav"')[1].split("</nav>")[0]


def _hub_links(html: str) -> list[str]:
    hub = html.split('data-testid="evaluation-hub"')[1]
    return re.findall(r'href="(/staff/[^"?]+)"', hub)


@pytest.mark.parametrize(
    ("role", "bureau", "shown", "hidden"),
    [
        (Role.SUPERVISOR, True, ("数据看板", "执法指标", "工作月报", "制度文件", "培训", "年度执法数据", "定时任务"), ()),
        (Role.AGENCY_HEAD, False, ("数据看板", "执法指标", "工作月报", "制度文件", "培训", "年度执法数据"), ("定时任务",)),
        (Role.OFFICER, False, ("工作月报", "制度文件", "培训", "年度执法数据"), ("数据看板", "执法指标", "定时任务")),
    ],
)
def test_one_entry_leads_to_the_pages_the_user_may_open(client, role, bureau, shown, hidden):
    agency = agency_make(name="乌审旗司法局" if bureau else "乌审旗市场监督管理局", is_judicial_bureau=bureau)
    client.force_login(user_make(role=role, agency=agency))
    nav = _nav(client.get(reverse("web:home")).content.decode())
    assert f'href="{HUB}"' in nav and "考核评估" in nav
    for label in ("执法指标", "工作月报", "制度文件", "年度执法数据", "定时任务"):
        assert label not in nav, label

    html = client.get(HUB).content.decode()
    for label in shown:
        assert label in html, label
    for label in hidden:
        assert label not in html, label
    links = _hub_links(html)
    assert links
    for link in links:  # every page the hub offers opens for this user
        assert client.get(link).status_code == 200, link
    # a page of the assessment app marks the hub's entry as the current one
    page = client.get(links[0]).content.decode()
    assert f'href="{HUB}" aria-current="page"' in _nav(page)


def test_the_annual_statistics_page_is_under_the_hubs_entry(client):
    agency = agency_make(name="乌审旗市场监督管理局")
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=agency))
    page = client.get(reverse("publication:annual")).content.decode()
    assert f'href="{HUB}" aria-current="page"' in _nav(page)
    assert 'href="/staff/evaluation-overview/"' in _nav(page) and "年度执法数据" not in _nav(page)

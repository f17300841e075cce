"""行政检查 in the navigation (issue 17): one entry instead of 今日检查 alone, leading to a hub that
lists the inspection pages the user may open (the part A registers, plans and draws included); each
link opens for them, and a page of the inspection app marks the entry as current."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from tests.factories import agency_make, user_make
from tests.web.crawl import page_read

pytestmark = pytest.mark.django_db
HUB = "/staff/inspection-overview/"


def _nav(html: str) -> str:
    return html.split('class="sidenav"')[1].split("</nav>")[0]


@pytest.mark.parametrize(
    ("role", "bureau", "shown", "hidden"),
    [
        (Role.AGENCY_HEAD, False, ("今日检查", "双随机一公开", "检查频次统计", "本单位的抽查事项清单"), ()),
        (Role.AGENCY_ADMIN, False, ("双随机一公开", "检查频次统计"), ("今日检查",)),
        (Role.SUPERVISOR, True, ("双随机一公开", "各执法主体的抽查事项清单"), ("今日检查",)),
    ],
)
def test_one_entry_leads_to_the_inspection_pages_the_user_may_open(client, role, bureau, shown, hidden):
    agency = agency_make(name="乌审旗司法局" if bureau else "乌审旗市场监督管理局", is_judicial_bureau=bureau)
    client.force_login(user_make(role=role, agency=agency))
    nav = _nav(client.get(reverse("web:home")).content.decode())
    assert f'href="{HUB}"' in nav and "行政检查" in nav
    assert "今日检查" not in nav

    html = client.get(HUB).content.decode()
    assert page_read(html)[0] == []  # Chinese only
    for label in shown:
        assert label in html, label
    for label in hidden:
        assert label not in html, label
    links = re.findall(r'href="(/staff/[^"?]+)"', html.split('data-testid="inspection-hub"')[1])
    assert "/staff/inspection/" in links
    for link in links:  # every page the hub offers opens for this user (an agency's is a redirect to its page)
        response = client.get(link, follow=True)
        assert response.status_code == 200, link
    # the registers' page (part A) is under the hub's entry
    page = client.get("/staff/inspection/", follow=True).content.decode()
    assert f'href="{HUB}" aria-current="page"' in _nav(page)

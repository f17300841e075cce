"""The inbox at phone size (390×844) in headless Chromium: the head's home lists the queues, the
navigation's 待办 shows the count, a group's count opens all its records, an item opens its case;
no page scrolls sideways."""

import shutil

import pytest

from tests.e2e.conftest import browser_page  # noqa: F401 (a fixture)
from tests.e2e.support import login
from tests.web.test_inbox_pages import grow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
              pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width}px wide"


def test_the_head_works_the_inbox_on_a_phone(browser_page, live_server):  # noqa: F811
    from tests.cases.support import world_make

    w = world_make()
    grow(w, 4)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, w.head)
    page.goto(f"{live_server.url}/staff/")
    queues = page.get_by_test_id("home-queues")
    assert queues.get_by_test_id("inbox-item").count() == 4 * 3
    assert page.get_by_test_id("nav-count-web:inbox").inner_text() == "16"
    no_sideways_scroll(page)
    page.goto(f"{live_server.url}/staff/inbox/")
    no_sideways_scroll(page)
    page.get_by_test_id("inbox-count-opening").click()
    page.wait_for_url("**/staff/inbox/?kind=opening")
    assert page.get_by_test_id("inbox-item").count() == 4
    assert page.locator("h1").inner_text() == "待办：立案审批（4）"
    no_sideways_scroll(page)
    page.get_by_test_id("inbox-item").first.get_by_role("link").click()
    page.wait_for_url("**/cases/**")
    assert "负责人审批立案" in page.content()


def test_one_kind_pages_through_its_items_on_a_phone(browser_page, live_server, monkeypatch):  # noqa: F811
    """Issue 12: a kind's page lists INBOX_PAGE_SIZE items with a pager in Chinese, at 390 px
    without sideways scroll; 下一页 opens the rest."""
    from sanxiang.web import inbox as inbox_module
    from tests.cases.support import world_make
    from tests.e2e.support import scroll_width

    monkeypatch.setattr(inbox_module, "INBOX_PAGE_SIZE", 3)
    w = world_make()
    grow(w, 4)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, w.head)
    page.goto(f"{live_server.url}/staff/inbox/?kind=opening")
    assert page.get_by_test_id("inbox-item").count() == 3
    pager = page.get_by_test_id("inbox-pager")
    assert "第 1 / 2 页，共 4 项" in pager.inner_text()
    assert scroll_width(page) <= 390
    pager.get_by_role("link", name="下一页").click()
    page.wait_for_url("**/staff/inbox/?kind=opening&page=2")
    assert page.get_by_test_id("inbox-item").count() == 1
    assert "第 2 / 2 页，共 4 项" in page.get_by_test_id("inbox-pager").inner_text()
    assert scroll_width(page) <= 390

"""The case list's search on a phone (issue 12): at 390×844 an officer finds a case by two
characters of its title, by a piece of its party's name and by a longer phrase; what does not
occur finds nothing; the page never scrolls sideways."""

import shutil

import pytest

from tests.cases.support import lead_make, world_make
from tests.e2e.support import login, scroll_width

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_an_officer_searches_the_case_list_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    w = world_make()
    food = lead_make(w, title="涉嫌经营超过保质期的食品案")
    street = lead_make(w, title="占道经营案", party=w.citizen)

    login(page, live_server, w.officer)
    page.goto(f"{live_server.url}/staff/cases/")
    table = page.locator("[data-testid=case-list]")

    def search(text: str) -> str:
        page.locator("input[name=q]").fill(text)
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert scroll_width(page) <= 390
        return table.inner_text()

    listed = search("食品")
    assert food.number in listed and street.number not in listed
    listed = search("草原味道")  # the party's name, 乌审旗草原味道餐饮有限公司
    assert food.number in listed and street.number not in listed
    listed = search("占道经营")
    assert street.number in listed and food.number not in listed
    assert "没有案件" in search("无照经营")

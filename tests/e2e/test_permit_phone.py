"""A licence application (行政许可) on a phone (390×844), factories not the demo: the case page shows
the decision period as counted (第四十二条: 20 working days; 第四十五条: a hearing's time told in
writing does not count), the head grants the licence through its form (its content required,
第三十八条) after confirming it, the 准予行政许可决定书 is listed with the case's documents, and no page scrolls sideways."""

import shutil

import pytest
from django.utils import timezone

from tests.cases.support import lead_make, perform, world_make
from tests.e2e.support import login, scroll_width

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_a_licence_is_granted_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    w = world_make()
    today = timezone.localdate()
    case = lead_make(w, procedure="permit", title="食品经营许可申请", act_date=today, discovered_on=today)
    perform(case, "permit_materials", today, w.officer, materials_complete=True)
    perform(case, "permit_accept", today, w.officer)
    perform(case, "permit_exclusion", today, w.officer, kind="expert_review", start=today, end=today, told_on=today)
    url = f"{live_server.url}/staff/cases/{case.pk}/"

    login(page, live_server, w.head)
    page.goto(url)
    assert scroll_width(page) <= 390
    body = page.locator("body").inner_text()
    assert "作出行政许可决定（20个工作日；不计入期限：专家评审" in body
    step = page.locator("[data-testid=action-permit_grant]")
    step.locator("summary").first.click()
    step.locator("textarea[name=content]").fill("预包装食品销售（含冷藏冷冻食品）")
    step.locator("input[name=licence_name]").fill("食品经营许可证")
    step.locator("input[name=category][value=普通]").check()
    assert scroll_width(page) <= 390
    step.locator("[data-testid=perform-permit_grant]").click()
    # An irreversible decision asks for confirmation, on a page that fits the phone too.
    page.wait_for_selector("[data-testid=confirm]")
    assert "预包装食品销售" in page.locator("[data-testid=confirm-entered]").inner_text()
    assert scroll_width(page) <= 390
    page.locator("[data-testid=confirm-perform]").click()
    page.wait_for_selector(".msg:has-text('已完成：作出准予行政许可决定')")
    assert "准予行政许可决定书" in page.locator("body").inner_text()
    assert scroll_width(page) <= 390

"""The plan's targets at phone size (390×844): a supervisor reads the county's share against the
target, follows an agency holding it back to its reasons and the records behind one of them; the
司法局 defines the county's next campaign, a bad stage answered in Chinese beside its field. No page
scrolls sideways. The judgements themselves are tested in tests/evaluation/test_targets.py."""

import shutil

import pytest
from django.utils import timezone

from tests.e2e.support import login, scroll_width
from tests.evaluation.target_support import county_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_targets_and_sets_the_next_one_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = county_make(timezone.localdate())
    login(page, live_server, county.supervisor)
    page.goto(f"{live_server.url}/staff/evaluation/targets/")
    assert page.inner_text("[data-testid=share]") == "33.3%"
    assert no_sideways_scroll(page)
    held = page.locator(f"[data-testid=held-back][data-agency='{county.b.pk}']")
    # (Here every commit refreshes the 事前 publicity, so only the late decision holds 乙局 back.)
    assert "应当公示的决定1件，按期公示0件" in held.inner_text()
    held.get_by_role("link", name="乙局").click()
    page.wait_for_selector("[data-testid=kind][data-kind=penalty]")
    assert no_sideways_scroll(page)
    row = page.locator("tr[data-criterion=publication_timely]")
    assert row.get_attribute("data-status") == "not_met"
    row.get_by_role("link", name="查看记录").click()
    page.wait_for_selector("[data-testid=target-records]")
    assert page.locator("tr[data-record]").count() == 1
    assert no_sideways_scroll(page)
    # The next campaign: a stage that goes backwards is refused beside its field, in Chinese.
    page.goto(f"{live_server.url}/staff/evaluation/targets/")
    page.click("[data-testid=campaign-new]")
    page.fill("#id_title", "2027年目标")
    page.fill("#id_due_on_1", "2099-06-30")
    page.fill("#id_percent_1", "95")
    page.fill("#id_due_on_2", "2099-01-01")
    page.fill("#id_percent_2", "100")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=violations]")
    assert "第2阶段的期限应晚于前一阶段" in page.content()
    assert no_sideways_scroll(page)
    page.fill("#id_due_on_2", "2099-12-31")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=target]")
    assert "到2099年6月30日达到95%" in page.inner_text("[data-testid=target]")

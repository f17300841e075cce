"""The case page in headless Chromium: a blocked step is shown disabled with its reason and legal
basis, an allowed step is performed through its form, and the timeline (read from the ledger)
grows by the step."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from tests.cases.support import lead_make, world_make
from tests.e2e.support import login

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]






@pytest.mark.django_db(transaction=True)
def test_blocked_step_with_its_reason_then_a_step_performed_grows_the_timeline(browser_page, live_server):
    page = browser_page
    w = world_make()
    today = timezone.localdate()
    case = lead_make(w, act_date=today - dt.timedelta(days=3), discovered_on=today)
    url = f"{live_server.url}/staff/cases/{case.pk}/"

    login(page, live_server, w.officer)
    page.goto(url)
    blocked = page.locator("[data-testid=perform-open]")
    assert blocked.is_disabled()
    reasons = page.locator("[data-testid=reasons-open]").inner_text()
    assert "立案（或者不予立案）须经行政机关负责人批准，尚无负责人审批意见" in reasons
    assert "《中华人民共和国行政处罚法》第五十四条第二款" in reasons
    assert page.locator("[data-testid=perform-approve_opening]").is_disabled()  # the head's step

    login(page, live_server, w.head)
    page.goto(url)
    before = page.locator("[data-testid=timeline] li").count()
    step = page.locator("[data-testid=action-approve_opening]")
    step.locator("summary").click()
    step.locator("input[name=opinion]").fill("同意立案，由张三、李四承办。")
    step.locator("[data-testid=perform-approve_opening]").click()
    page.wait_for_selector(".msg:has-text('已完成：负责人审批立案')")
    timeline = page.locator("[data-testid=timeline] li")
    assert timeline.count() == before + 1
    assert "负责人审批立案" in timeline.last.inner_text()
    # The step it was waiting for is now open, with its form.
    assert page.locator("[data-testid=action-open]").get_attribute("data-allowed") == "1"
    assert not page.locator("[data-testid=perform-open]").is_disabled()

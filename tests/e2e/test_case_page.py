"""The case page in headless Chromium: a blocked step is shown disabled with its reason and legal
basis, an allowed step is performed through its form, and the timeline (read from the ledger)
grows by the step."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from tests.cases.support import lead_make, world_make
from tests.e2e.support import login, scroll_width

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
    # The officer can take no step of a lead: every step is folded under 其他步骤.
    page.locator("[data-testid=other-steps] > summary").click()
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
    step.locator("summary").first.click()
    step.locator("input[name=approval][value=agree]").check()
    step.locator("input[name=opinion]").fill("同意立案，由张三、李四承办。")
    step.locator("[data-testid=perform-approve_opening]").click()
    page.wait_for_selector(".msg:has-text('已完成：负责人审批立案')")
    timeline = page.locator("[data-testid=timeline] li")
    assert timeline.count() == before + 1
    assert "负责人审批立案" in timeline.last.inner_text()
    # The step it was waiting for is now open, with its form.
    assert page.locator("[data-testid=action-open]").get_attribute("data-allowed") == "1"
    assert not page.locator("[data-testid=perform-open]").is_disabled()


def no_sideways_scroll(page) -> None:
    width = scroll_width(page)
    assert width <= 390, f"{page.url}: {width}px wide"


@pytest.mark.django_db(transaction=True)
def test_the_case_page_at_phone_size_steps_now_others_folded_refusal_beside_its_control(browser_page, live_server):
    from tests.cases.support import perform

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    w = world_make()
    today = timezone.localdate()
    case = lead_make(w, act_date=today - dt.timedelta(days=3), discovered_on=today)
    case = perform(case, "approve_opening", today, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", today, w.officer, source="inspection", summary="检查发现销售过期食品。",
                   handler_opinion="建议立案。", violated=["《中华人民共和国食品安全法》第三十四条第（十）项"])
    case = perform(case, "investigate", today, w.officer)
    url = f"{live_server.url}/staff/cases/{case.pk}/"

    login(page, live_server, w.officer)
    page.goto(url)
    no_sideways_scroll(page)
    # The steps the officer can take now are open; the head's (撤销立案 …) are folded.
    assert page.locator("[data-testid=action-record_inquiry]").is_visible()
    assert not page.locator("[data-testid=action-withdraw_case]").is_visible()
    page.locator("[data-testid=other-steps] > summary").click()
    assert page.locator("[data-testid=action-withdraw_case]").is_visible()
    no_sideways_scroll(page)

    # A questioning by one officer alone is refused: the reasons appear beside its button, in view.
    step = page.locator("[data-testid=action-record_inquiry]")
    step.locator("summary").first.click()
    step.locator("input[name=place]").fill("本局询问室")
    step.locator(f"input[name=officer_ids][value='{w.zhang.pk}']").check()
    step.locator(f"input[name=officer_ids][value='{w.li.pk}']").uncheck()
    step.locator("input[name=recorder]").fill("李四")
    step.locator("input[name=interviewee]").fill("巴特尔")
    step.locator("textarea[name=exchanges]").fill("问：姓名？\n答：巴特尔。")
    step.locator("[data-testid=perform-record_inquiry]").click()
    page.wait_for_selector("[data-testid=action-record_inquiry] [data-testid=violations]")
    assert page.url.endswith("#step-record_inquiry")
    no_sideways_scroll(page)
    refusal = page.locator("[data-testid=action-record_inquiry] [data-testid=violations]")
    button = page.locator("[data-testid=perform-record_inquiry]")
    assert refusal.is_visible()
    gap = button.bounding_box()["y"] - (refusal.bounding_box()["y"] + refusal.bounding_box()["height"])
    assert 0 <= gap < 200, gap  # right above the button it answers
    # The form came back as it was filled in; a reload does not send it again.
    assert step.locator("textarea[name=exchanges]").input_value() == "问：姓名？\n答：巴特尔。"
    page.reload()
    assert page.locator("[data-testid=violations]").count() == 0

    # A step that issues a document to the party asks for confirmation first, at phone size too.
    step = page.locator("[data-testid=action-record_preservation]")
    step.locator("summary").first.click()
    step.locator("input[name=approved_on]").fill(today.isoformat())
    step.locator("textarea[name=items]").fill("纯牛奶12箱")
    step.locator("input[name=storage_place]").fill("本局物证室")
    step.locator("[data-testid=perform-record_preservation]").click()
    page.wait_for_selector("[data-testid=confirm]")
    assert "先行登记保存通知书" in page.locator("[data-testid=confirm-consequences]").inner_text()
    no_sideways_scroll(page)
    page.locator("[data-testid=confirm-revise]").click()
    page.wait_for_selector("[data-testid=action-record_preservation]")
    assert page.locator("[data-testid=action-record_preservation] input[name=storage_place]").input_value() == "本局物证室"

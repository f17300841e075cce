"""A correction refused for want of its reason, at phone size: the message stands beside the
reason box (not only above the button), the page does not scroll sideways, and the corrected
record, once the reason is given, says 已更正."""

import shutil

import pytest

from tests.cases.support import D, inquiry, perform, to_investigating, world_make
from tests.e2e.support import login, scroll_width

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_the_correction_reason_error_beside_its_box_at_phone_size(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    w = world_make()
    case = perform(to_investigating(w), "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    record_id = case.details["step_values"][-1]["id"]

    login(page, live_server, w.officer)
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/#record-{record_id}")
    record = page.locator(f"[data-testid=record-{record_id}]")
    record.locator("summary").first.click()
    record.locator("summary:has-text('更正此记录')").click()
    record.locator("input[name=place]").fill("当事人经营场所")
    record.locator(f"[data-testid=correct-{record_id}]").click()

    record = page.locator(f"[data-testid=record-{record_id}]")
    beside = record.locator("[data-testid=correction-reason-errors]")
    assert beside.is_visible() and "请写明更正的理由" in beside.inner_text()
    box = record.locator("textarea[name=correction_reason]")
    assert box.get_attribute("aria-invalid") == "true"
    # Beside: just above the box, not somewhere else on the page.
    gap = box.bounding_box()["y"] - (beside.bounding_box()["y"] + beside.bounding_box()["height"])
    assert 0 <= gap < 80
    assert scroll_width(page) <= 390

    box.fill("询问地点记错")
    record.locator(f"[data-testid=correct-{record_id}]").click()
    page.wait_for_selector(".msg:has-text('已更正')")
    assert page.locator(f"[data-testid=record-{record_id}] [data-testid=corrected]").count() == 1

"""扫码入企 on a phone (issue 17 part B acceptance): at 390×844 the officer opens the day's
inspection, begins it, the enterprise opens the 检查码 page from the QR the officer shows, the
officer records the checklist with a photo and sends the result. No page scrolls sideways."""

import shutil

import pytest

from sanxiang.inspection.inspection_services import inspection_act
from sanxiang.inspection.models import Inspection, InspectionState
from tests.e2e.support import login, scroll_width
from tests.e2e.test_portal_phone import PHONE
from tests.evidence.test_evidence_capture import png_bytes
from tests.inspection.builders import world_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]


@pytest.mark.django_db(transaction=True)
def test_an_inspection_on_a_phone(browser_page, live_server, tmp_path):
    page = browser_page
    page.set_viewport_size(PHONE)
    world = world_make()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    login(page, live_server, world.users[0])

    page.goto(f"{live_server.url}/staff/inspection/today/")
    assert scroll_width(page) <= PHONE["width"], "today"
    page.get_by_test_id("today-item").click()
    page.get_by_test_id("start").click()
    page.wait_for_selector("[data-testid=record-form]")
    assert scroll_width(page) <= PHONE["width"], "inspection"
    # The QR is drawn and the code's page opens, for anyone (a fresh context: the enterprise's phone).
    assert page.evaluate("() => document.querySelector('img.qr').naturalWidth") > 0
    code_url = page.get_by_test_id("code-link").get_attribute("href")
    enterprise = page.context.browser.new_context(viewport=PHONE).new_page()
    enterprise.goto(code_url)
    assert enterprise.get_by_test_id("code-valid").is_visible()
    assert world.agency.name in enterprise.get_by_test_id("code-agency").inner_text()
    assert enterprise.get_by_test_id("code-officer").count() == 2
    assert scroll_width(enterprise) <= PHONE["width"], "code page"
    enterprise.context.close()

    picture = tmp_path / "现场.png"
    picture.write_bytes(png_bytes())
    page.get_by_label("拍照或选择照片").set_input_files(str(picture))
    page.get_by_test_id("photo-upload").click()
    page.wait_for_selector("[data-testid=photo-count]")
    assert page.get_by_test_id("photo-count").inner_text() == "1"
    page.get_by_role("radio", name="符合", exact=True).check()
    page.get_by_label("已向企业出示执法证件").check()
    page.get_by_label("企业人员已签名确认").check()
    page.get_by_test_id("record-submit").click()
    page.wait_for_selector("[data-testid=result-form]")
    page.get_by_label("未发现问题").check()
    page.get_by_test_id("result-submit").click()
    page.wait_for_selector("[data-testid=result]")
    assert "已告知企业" in page.get_by_test_id("result").inner_text()
    assert scroll_width(page) <= PHONE["width"], "result"
    assert Inspection.objects.get(pk=world.inspection.pk).state == InspectionState.CLOSED

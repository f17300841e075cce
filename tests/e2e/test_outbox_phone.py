"""事件推送 on a phone (issue 19, item 4): at 390×844 an agency's administrator opens the page from the
navigation, creates a subscription (a mistake first: the reason beside the field), keeps the secret
shown once, and reads the delivery log and one delivery's attempts. No page scrolls sideways or shows
an English word."""

import shutil

import pytest

from sanxiang.accounts.models import Role
from sanxiang.outbox.models import Delivery, Subscription
from sanxiang.outbox.services import Response, deliveries_run
from tests.e2e.support import login
from tests.e2e.test_portal_phone import PHONE, assert_chinese, assert_fits
from tests.factories import agency_make, user_make
from tests.outbox.support import entry_write

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_an_administrator_subscribes_and_reads_the_delivery_log_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    agency = agency_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    login(page, live_server, admin)

    page.goto(live_server.url + "/staff/outbox/")
    assert_fits(page, "index")
    assert_chinese(page, "index")
    page.get_by_role("link", name="新建订阅").click()
    page.get_by_label("接收系统名称").fill("市场监管综合平台")
    page.get_by_label("接收地址").fill("ftp://receiver")
    page.get_by_label("立案/登记案件").check()
    page.get_by_role("button", name="创建").click()
    page.get_by_text("接收地址应以 https:// 开头，并写明主机").wait_for()  # beside its field
    assert_fits(page, "form with errors")
    page.get_by_label("接收地址").fill("https://zf.example.gov.cn/api/webhooks/sanxiang/receive?channel=county")
    page.get_by_role("button", name="创建").click()
    page.get_by_test_id("secret").wait_for()
    secret = page.get_by_test_id("secret").inner_text().strip()
    assert secret == Subscription.objects.get().secret
    assert_fits(page, "secret shown once")
    assert_chinese(page, "secret shown once", data=(secret,))

    for n in range(3):
        entry_write(agency_id=agency.pk, case_id=n + 1)
    deliveries_run(sender=lambda *a: Response(503, "busy", "对方返回状态码503"))
    page.goto(live_server.url + "/staff/outbox/")
    assert secret not in page.locator("body").inner_text()
    page.get_by_role("link", name="3", exact=True).click()  # 待推送: the deliveries behind the number
    page.get_by_test_id("deliveries").wait_for()
    assert page.get_by_test_id("deliveries").locator("tbody tr").count() == 3
    assert_fits(page, "delivery log")
    assert_chinese(page, "delivery log")
    delivery = Delivery.objects.filter(attempts=1).get()
    page.goto(live_server.url + f"/staff/outbox/deliveries/{delivery.pk}/")
    assert "对方返回状态码503" in page.get_by_test_id("attempts").inner_text()
    assert_fits(page, "delivery")
    assert_chinese(page, "delivery", data=(str(delivery.event_id),))

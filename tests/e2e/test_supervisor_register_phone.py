"""The bureau's register of supervisors on a phone (390×844): the bureau's administrator registers a
supervisor (a wrong ID number is refused beside its field, the input kept), records the 监督检查证,
and revokes it: the page asks first (dismissed: nothing changes), a reason is required, and once
revoked the certificate offers no change. No page scrolls sideways."""

import datetime as dt
import shutil

import pytest
from playwright.sync_api import expect

from sanxiang.accounts.models import Role
from sanxiang.registry.models import SupervisionCertificate, Supervisor
from tests.e2e.support import login, scroll_width
from tests.factories import agency_make, id_number, user_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]


def assert_fits(page, where: str) -> None:
    assert scroll_width(page) <= 390, where


@pytest.mark.django_db(transaction=True)
def test_the_bureau_admin_keeps_the_register_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    answers = {"accept": False}
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if answers["accept"] else dialog.dismiss()

    page.on("dialog", answer)
    login(page, live_server, admin)
    page.goto(f"{live_server.url}/staff/supervision-overview/")
    page.get_by_role("link", name="监督人员", exact=True).click()
    assert_fits(page, "list")
    page.get_by_test_id("supervisor-create").click()
    page.get_by_label("姓名").fill("李监督")
    page.get_by_label("公民身份号码").fill("150626198506150001")  # a wrong check character
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert page.get_by_label("姓名").input_value() == "李监督"
    assert_fits(page, "form with errors")
    page.get_by_label("公民身份号码").fill(id_number(serial=555))
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("h1:has-text('李监督')")
    supervisor = Supervisor.objects.get()

    page.get_by_role("link", name="登记监督检查证").click()
    page.get_by_label("监督检查证号").fill("JD150626000555")
    page.get_by_label("发证机关").fill("鄂尔多斯市人民政府")
    page.get_by_label("有效期自").fill((dt.date.today() - dt.timedelta(days=10)).isoformat())
    page.get_by_label("有效期至").fill((dt.date.today() + dt.timedelta(days=1000)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("[data-testid=supervision-certificates] >> text=JD150626000555")
    assert_fits(page, "detail")

    page.get_by_role("link", name="暂扣、注销或恢复").click()
    assert_fits(page, "status")
    page.get_by_label("注销").check()
    page.get_by_role("button", name="保存").click()  # the question dismissed: nothing sent
    page.wait_for_timeout(300)
    assert questions and "注销不能撤销" in questions[0]
    assert SupervisionCertificate.objects.get().status == "valid"
    answers["accept"] = True
    page.get_by_role("button", name="保存").click()  # no reason: refused beside the field
    page.wait_for_selector("text=暂扣或注销监督检查证需要说明理由")
    page.get_by_label("理由").fill("调离监督岗位")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("[data-testid=supervision-certificates] >> text=注销")
    assert SupervisionCertificate.objects.get().status == "revoked"
    assert page.get_by_role("link", name="暂扣、注销或恢复").count() == 0
    assert_fits(page, "detail after revocation")
    assert supervisor.certificates.count() == 1

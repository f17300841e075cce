"""Issue 14's acceptance, in the browser from end to end: a citizen files a complaint on the portal; it
becomes a supervision matter that a supervisor triages (assigns the pair, accepts); the pair calls up
the agency's case (a read grant) and reads it, then issues an 意见书 from the matter (confirmed first);
the agency replies with a 整改报告 on a phone (390 px, no sideways scroll); the other supervisor accepts
the report and the matter is concluded; the public tracking page shows the complaint's status and none
of the complainant's personal data. The data is built with factories and services (no demo load)."""

import shutil

import pytest

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.supervision.models import Complaint, Instrument, ReadGrant
from tests.e2e.support import login, scroll_width
from tests.factories import user_make
from tests.supervision.complaint_support import desk_public

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]

NAME, PHONE_NUMBER = "褚翊珩", "13966667777"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}



@pytest.mark.django_db(transaction=True)
def test_a_portal_complaint_ends_in_an_accepted_rectification_and_a_public_status(browser_page, live_server):
    page = browser_page
    desk = desk_public()
    agency_head = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    case = case_create(actor=None, agency=desk.agency, number="e2e-accept-001", title="被投诉的处罚案件")
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)

    # 1. The citizen files the complaint on the portal and keeps the receipt number and query code.
    page.goto(f"{live_server.url}/complaints/new/")
    page.get_by_label("被投诉的执法机关").select_option(label=desk.agency.name)
    page.get_by_label("发生了什么").fill("执法人员检查时未出示执法证件，处罚决定也没有公示。")
    page.get_by_label("姓名或者名称").fill(NAME)
    page.get_by_label("联系电话").fill(PHONE_NUMBER)
    page.get_by_role("button", name="提交投诉举报").click()
    number = page.get_by_test_id("receipt-number").inner_text().strip()
    code = page.get_by_test_id("query-code").inner_text().strip()
    complaint = Complaint.objects.get(receipt_number=number)
    matter = complaint.matter
    assert matter.source == "complaint" and matter.state == "received"

    # 2. Triage: a supervisor finds it among the complaints, opens its matter, assigns the pair, accepts.
    login(page, live_server, desk.first)
    page.goto(f"{live_server.url}/staff/supervision/complaints/")
    page.get_by_role("link", name=number).click()
    assert NAME not in page.locator("body").inner_text()  # masked; the full data is behind a logged page
    page.get_by_test_id("complaint-matter").click()
    pair = page.locator("[data-action=pair]")
    pair.locator("summary").click()
    pair.get_by_label(str(desk.first)).check()
    pair.get_by_label(str(desk.second)).check()
    pair.get_by_test_id("do-pair").click()
    page.wait_for_selector(f"[data-testid=pair] >> text={desk.second}")
    page.locator("[data-action=accept] summary").click()
    page.get_by_test_id("do-accept").click()
    page.wait_for_selector("[data-testid=matter-state]:has-text('办理中')")

    # 3. The pair calls up the agency's case (调阅案卷: a read grant on that case only) and reads it.
    measure = page.locator("[data-action=measure]")
    measure.locator("summary").click()
    measure.locator("select[name=kind]").select_option("file_call")
    measure.locator("input[name=taken_on]").fill(matter.received_on.isoformat())
    measure.locator("label:has-text('e2e-accept-001') input").check()
    measure.get_by_test_id("do-measure").click()
    page.wait_for_selector("[data-testid=grant]")
    assert ReadGrant.objects.filter(matter=matter, case=case).count() == 1
    page.locator("[data-testid=grant] a").click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert "被投诉的处罚案件" in page.content()

    # 4. The pair issues an 意见书 from the matter; the page asks before issuing.
    page.goto(f"{live_server.url}/staff/supervision/matters/{matter.pk}/")
    page.get_by_test_id("issue-instrument").click()
    page.fill("textarea[name=findings]", "执法人员检查时未出示执法证件；行政处罚决定未按期公示。")
    page.select_option("select[name=second]", str(desk.second.pk))
    page.get_by_test_id("issue").click()
    page.wait_for_selector("[data-testid=state]")
    assert questions and "不能撤回" in questions[-1]
    assert page.inner_text("[data-testid=state]") == "待被监督机关答复"
    instrument = Instrument.objects.get(matter=matter)
    assert instrument.kind == "opinion" and instrument.agency_id == desk.agency.pk

    # 5. The agency replies with a 整改报告, on a phone: the reply page fits 390 px.
    page.set_viewport_size(PHONE)
    login(page, live_server, agency_head)
    page.goto(f"{live_server.url}/staff/supervision/instruments/?waiting=1")
    page.get_by_role("link", name=instrument.number).click()
    page.wait_for_selector("[data-testid=agency-report]")
    assert scroll_width(page) <= PHONE["width"]
    page.fill("[data-testid=agency-report] textarea[name=text]", "已当场向当事人出示证件并致歉；处罚决定已补充公示。")
    page.click("[data-testid=agency-report] button[type=submit]")
    page.wait_for_selector("[data-testid=state]:has-text('整改报告待审阅')")
    assert scroll_width(page) <= PHONE["width"]

    # 6. The other supervisor of the pair accepts the report, then concludes the matter.
    page.set_viewport_size(DESKTOP)
    login(page, live_server, desk.second)
    page.goto(f"{live_server.url}/staff/supervision/instruments/{instrument.pk}/")
    page.select_option("[data-testid=desk-accept] select[name=second]", str(desk.first.pk))
    page.click("[data-testid=desk-accept] button[type=submit]")
    page.wait_for_selector("[data-testid=state]:has-text('已办结')")
    instrument.refresh_from_db()
    assert instrument.state == "accepted"
    page.goto(f"{live_server.url}/staff/supervision/matters/{matter.pk}/")
    conclude = page.locator("[data-action=conclude]")
    conclude.locator("summary").click()
    conclude.locator("textarea[name=outcome]").fill("制发意见书，被监督机关已整改，监督人员验收通过。")
    conclude.get_by_test_id("do-conclude").click()
    page.wait_for_selector("[data-testid=matter-state]:has-text('办结')")

    # 7. The public tracking page: the complaint's status, and none of the complainant's data.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/complaints/track/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("complaint-status-label").inner_text().startswith("已办结")
    body = page.locator("body").inner_text()
    html = page.content()
    assert number in body
    for personal in (NAME, PHONE_NUMBER, "未出示执法证件，处罚决定也没有公示"):
        assert personal not in body and personal not in html, personal

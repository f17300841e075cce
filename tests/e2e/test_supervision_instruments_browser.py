"""At phone size (390×844): a pair of supervisors issue an 意见书 from a matter (confirmed before it
is issued), the agency replies with a 整改报告, the supervisors accept it; no page scrolls sideways."""

import shutil

import pytest

from sanxiang.supervision.models import Instrument
from tests.e2e.support import login, scroll_width
from tests.supervision.instruments_support import desk_with_matter

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_issue_reply_accept_at_phone_size(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    desk, matter, agency_user = desk_with_matter()
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)

    login(page, live_server, desk.first)
    page.goto(f"{live_server.url}/staff/supervision/instruments/new/?matter={matter.pk}&kind=opinion")
    assert no_sideways_scroll(page)
    page.fill("textarea[name=findings]", "行政处罚决定未在七个工作日内公示")
    page.select_option("select[name=second]", str(desk.second.pk))
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=state]")
    assert questions and "不能撤回" in questions[0]
    assert page.inner_text("[data-testid=state]") == "待被监督机关答复"
    assert no_sideways_scroll(page)
    instrument = Instrument.objects.get()

    login(page, live_server, agency_user)
    page.goto(f"{live_server.url}/staff/supervision/instruments/?waiting=1")
    assert no_sideways_scroll(page)
    page.click(f"text={instrument.number}")
    page.fill("[data-testid=agency-report] textarea[name=text]", "已于次日公示，并组织全员学习。")
    page.click("[data-testid=agency-report] button[type=submit]")
    page.wait_for_selector("[data-testid=state]:has-text('整改报告待审阅')")
    assert no_sideways_scroll(page)

    login(page, live_server, desk.second)
    page.goto(f"{live_server.url}/staff/supervision/instruments/{instrument.pk}/")
    page.select_option("[data-testid=desk-accept] select[name=second]", str(desk.first.pk))
    page.click("[data-testid=desk-accept] button[type=submit]")
    page.wait_for_selector("[data-testid=state]:has-text('已办结')")
    assert no_sideways_scroll(page)
    instrument.refresh_from_db()
    assert instrument.state == "accepted"

"""At phone size (390×844): a supervisor drafts a public 通报, cannot approve it (the reason stands
beside the button), a second supervisor approves it after confirming it will be published, and the
portal's /supervision/notices/ shows it; no page scrolls sideways."""

import shutil

import pytest

from sanxiang.supervision.models import Notice
from tests.e2e.support import login, scroll_width
from tests.factories import officer_make
from tests.supervision.instruments_support import desk_with_matter

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_draft_approve_and_publish_a_public_notice_at_phone_size(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    desk, matter, _ = desk_with_matter()
    officer_make(agency=desk.agency, name="钱执法")
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)

    login(page, live_server, desk.first)
    # The proposal form reached from the matter's instrument form fits the phone too.
    page.goto(f"{live_server.url}/staff/supervision/proposals/new/?matter={matter.pk}")
    assert "钱执法" in page.inner_text("select[name=officer]")
    assert no_sideways_scroll(page)
    page.goto(f"{live_server.url}/staff/supervision/notices/")
    page.click("[data-testid=notice-new]")
    assert no_sideways_scroll(page)
    page.check("input[name=scope][value=public]")
    page.check(f"input[name=agencies][value='{desk.agency.pk}']")
    page.fill("input[name=title]", "关于行政处罚决定逾期公示的通报")
    page.fill("textarea[name=body]", "经检查，该单位有三宗行政处罚决定未在七个工作日内公示。")
    page.fill("textarea[name=indicators]", "按期公示率 85%")
    page.click("[data-testid=draft]")
    page.wait_for_selector("[data-testid=notice-state]")
    assert page.inner_text("[data-testid=notice-state]") == "待审核批准"
    assert page.is_disabled("[data-testid=approve]")
    assert "起草人以外" in page.inner_text("[data-testid=approve-blockers]")
    assert no_sideways_scroll(page)
    notice = Notice.objects.get()

    login(page, live_server, desk.second)
    page.goto(f"{live_server.url}/staff/supervision/notices/")
    page.click("text=关于行政处罚决定逾期公示的通报")
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=notice-state]:has-text('已向社会公开')")
    assert questions and "向社会公开" in questions[-1]
    assert no_sideways_scroll(page)
    notice.refresh_from_db()
    assert notice.approved_by_id == desk.second.pk

    page.goto(f"{live_server.url}/supervision/notices/")
    assert "关于行政处罚决定逾期公示的通报" in page.content()
    assert no_sideways_scroll(page)

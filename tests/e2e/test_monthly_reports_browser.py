"""Issue 15's acceptance for the monthly reports (月报), in a phone-sized browser (390×844): on the 1st
the draft exists; the head edits and submits it (after confirming: dismissing the question sends
nothing); the supervisor returns it; the head resubmits; a second agency never submits and shows as
overdue on the 26th (the plan's due day is the 25th). No page scrolls sideways. The day the pages
see is set through `report_views.today`; the data are built with factories, not the demo."""

import datetime as dt
import shutil

import pytest

from sanxiang.evaluation import report_views
from sanxiang.evaluation.models import MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from tests.e2e.support import login, scroll_width
from tests.evaluation.report_support import case_on, county_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]

D = dt.date


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_draft_submit_return_resubmit_and_a_missing_report_overdue_on_the_26th(browser_page, live_server,
                                                                               monkeypatch):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = county_make()
    case_on(agency=county.agency, day=D(2026, 9, 8), title="销售过期食品案")

    def day(on: dt.date) -> None:
        monkeypatch.setattr(report_views, "today", lambda: on)

    # The 1st: the platform drafts September's reports; the head finds the draft.
    day(D(2026, 10, 1))
    assert report_drafts_create(on=D(2026, 10, 1)) == 2
    report = MonthlyReport.objects.get(agency=county.agency)
    login(page, live_server, county.head)
    page.goto(f"{live_server.url}/staff/evaluation/reports/")
    row = page.locator("[data-testid=report-row]", has_text="2026年9月")
    assert row.locator("[data-testid=report-state]").inner_text() == "草稿"
    assert no_sideways_scroll(page)
    row.locator("a").click()
    page.wait_for_selector("[data-testid=sections-form]")
    assert page.locator("[data-testid=figure-row][data-key='cases.registered'] [data-testid=figure-live]").inner_text() \
        .startswith("1")
    assert no_sideways_scroll(page)

    # The head writes and submits; dismissing the question sends nothing.
    day(D(2026, 10, 9))
    page.fill("textarea[name=problems]", "一件决定公示晚了两天。")
    page.fill("textarea[name=results]", "执法记录仪全覆盖。")
    page.fill("textarea[name=next_plan]", "开展案卷自查。")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=submit]")
    page.wait_for_timeout(300)
    assert MonthlyReport.objects.get(pk=report.pk).state == "draft"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector(".msg:has-text('月报已报送司法局')")
    assert page.inner_text("[data-testid=report-state]") == "已报送"

    # The supervisor returns it with what to change.
    day(D(2026, 10, 12))
    login(page, live_server, county.first)
    page.goto(f"{live_server.url}/staff/evaluation/reports/?month=2026-09")
    mine = page.locator("[data-testid=month-row]", has_text=county.agency.name)
    assert mine.locator("[data-testid=report-state]").inner_text() == "已报送"
    assert no_sideways_scroll(page)
    mine.locator("a").click()
    page.fill("textarea[name=text]", "请写明公示晚的原因和整改措施。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=return]")
    page.wait_for_selector(".msg:has-text('月报已退回')")
    assert page.inner_text("[data-testid=report-state]") == "已退回"
    assert no_sideways_scroll(page)

    # The head reads why, changes the text and submits again.
    day(D(2026, 10, 13))
    login(page, live_server, county.head)
    page.goto(f"{live_server.url}/staff/evaluation/reports/{report.pk}/")
    assert "请写明公示晚的原因和整改措施。" in page.inner_text("[data-testid=history]")
    page.fill("textarea[name=problems]", "一件决定公示晚了两天，原因是录入延误，已指定专人每日核对。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector(".msg:has-text('月报已报送司法局')")
    assert page.inner_text("[data-testid=report-state]") == "已重新报送"

    # The 26th: the second agency, which never submitted, shows as overdue; the first does not.
    day(D(2026, 10, 26))
    login(page, live_server, county.first)
    page.goto(f"{live_server.url}/staff/evaluation/reports/?month=2026-09")
    other = page.locator("[data-testid=month-row]", has_text=county.other.name)
    assert other.locator("[data-testid=overdue]").inner_text() == "逾期未报送"
    mine = page.locator("[data-testid=month-row]", has_text=county.agency.name)
    assert mine.locator("[data-testid=overdue]").count() == 0
    assert mine.locator("[data-testid=report-state]").inner_text() == "已重新报送"
    assert no_sideways_scroll(page)
    # The day before, it was not overdue yet.
    day(D(2026, 10, 25))
    page.reload()
    assert page.locator("[data-testid=month-row]", has_text=county.other.name).locator(
        "[data-testid=overdue]").count() == 0

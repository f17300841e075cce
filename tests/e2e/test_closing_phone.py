"""Issue 15 item 7 in a phone-sized browser (390×844): the head submits the summary (after confirming:
dismissing the question sends nothing); the supervisor receives it, opens the year's acceptance,
scores a checklist (a refusal names the problems beside the fields), concludes every agency, closes
the round, generates the work report, submits it, and follows a figure to its records. No page
scrolls sideways. The day the pages see is set through `closing_views.today`; factories, not the demo."""

import datetime as dt
import shutil

import pytest

from sanxiang.evaluation import closing_views
from sanxiang.evaluation.closing_services import acceptance_check_score, summary_drafts_create
from sanxiang.evaluation.models import AcceptanceCheck, AnnualSummary, WorkReport
from tests.e2e.support import login, scroll_width
from tests.evaluation.report_support import county_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]

D = dt.date
FULL = {
    "documents": "15",
    "training": "15",
    "publicity": "20",
    "recording": "20",
    "review": "20",
    "reporting": "10",
}


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_summary_acceptance_and_work_report_on_a_phone(browser_page, live_server, monkeypatch):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = county_make()
    summary_drafts_create(on=D(2026, 11, 1))
    summary = AnnualSummary.objects.get(agency=county.agency, year=2026)

    def day(on: dt.date) -> None:
        monkeypatch.setattr(closing_views, "today", lambda: on)

    # The head writes and submits; dismissing the question sends nothing.
    day(D(2026, 11, 10))
    login(page, live_server, county.head)
    page.goto(f"{live_server.url}/staff/evaluation/summaries/")
    page.locator("[data-testid=summary-row] a", has_text="2026年").click()
    page.wait_for_selector("[data-testid=sections-form]")
    assert no_sideways_scroll(page)
    for name, text in (
        ("work", "全面推行。"),
        ("results", "公示按期。"),
        ("problems", "无"),
        ("next", "继续培训。"),
    ):
        page.fill(f"textarea[name={name}]", text)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=submit]")
    page.wait_for_timeout(300)
    assert AnnualSummary.objects.get(pk=summary.pk).state == "draft"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector(".msg:has-text('工作总结已报送司法局')")
    assert page.inner_text("[data-testid=summary-state]") == "已报送"

    # The supervisor receives it and opens the acceptance.
    day(D(2026, 11, 20))
    login(page, live_server, county.first)
    page.goto(f"{live_server.url}/staff/evaluation/summaries/{summary.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=receive]")
    page.wait_for_selector(".msg:has-text('工作总结已接收')")
    page.goto(f"{live_server.url}/staff/evaluation/acceptance/?year=2026")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=open-round]")
    page.wait_for_selector("[data-testid=check-row]")
    assert no_sideways_scroll(page)
    page.locator("[data-testid=check-row] a", has_text=county.agency.name).click()
    page.wait_for_selector("[data-testid=check-form]")
    assert no_sideways_scroll(page)
    for code, score in FULL.items():
        page.fill(f"input[name=score_{code}]", score)
    page.fill("input[name=score_recording]", "12")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=conclude]")
    page.wait_for_selector(".errorlist")
    assert "“执法全过程记录”扣了分，请写明发现的问题" in page.inner_text("[data-testid=check-form]")
    page.fill("textarea[name=findings_recording]", "记录仪不足。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=conclude]")
    page.wait_for_selector(".msg:has-text('验收结论已作出')")
    assert "通过" in page.inner_text("[data-testid=check-result]")
    assert no_sideways_scroll(page)
    for check in AcceptanceCheck.objects.filter(result=""):
        acceptance_check_score(
            check=check, actor=county.first, on=D(2026, 11, 21), scores=FULL, findings={}, conclude=True
        )
    page.goto(f"{live_server.url}/staff/evaluation/acceptance/?year=2026")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=close-round]")
    page.wait_for_selector("[data-testid=round-closed]")

    # The work report: generated, written, submitted; a figure opens its records.
    page.click("[data-testid=to-work-report]")
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=sections-form]")
    assert no_sideways_scroll(page)
    for name in ("overview", "measures", "problems", "next"):
        page.fill(f"textarea[name={name}]", "内容。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector(".msg:has-text('工作报告已报送旗人民政府')")
    assert WorkReport.objects.get(year=2026).submitted_on == D(2026, 11, 20)
    page.locator("[data-testid=figure-row][data-key='acceptance.passed'] a").click()
    page.wait_for_selector("[data-testid=closing-records]")
    assert (
        page.locator("[data-testid=closing-record]").count()
        == AcceptanceCheck.objects.filter(result="passed").count()
    )
    assert no_sideways_scroll(page)

"""At phone size (390×844): a supervisor adds an item to the year's plan, a second supervisor approves
it (confirming first), a matter is opened from the item; the scoring page of an evaluation, its
blocked publication (the reason beside the button), and the portal's plan and evaluation pages.
No page scrolls sideways."""

import datetime as dt
import shutil

import pytest

from sanxiang.supervision import plan_services as services
from sanxiang.supervision.models import Plan
from tests.e2e.support import login, scroll_width
from tests.factories import agency_make
from tests.supervision.support import desk_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]
STANDARDS = "# 行政执法公示\n## 事后公开\n- 行政处罚决定自作出之日起7个工作日内公开，公开内容依法隐去个人信息 | 60\n" \
            "- 未公开即撤下 | 40 | 否决\n"


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_plan_and_evaluation_at_phone_size(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    desk = desk_make()
    other = agency_make(name="鄂尔多斯市生态环境局乌审旗分局综合行政执法大队")
    plan = services.plan_draft(actor=desk.first, year=dt.date.today().year, title="年度行政执法监督工作计划",
                               objectives="全面落实行政执法三项制度。")
    login(page, live_server, desk.first)
    page.goto(f"{live_server.url}/staff/supervision/plans/{plan.pk}/")
    page.select_option("select[name=kind]", "focused")
    page.fill("input[name=subject]", "行政处罚决定公示情况专项监督")
    page.check(f"input[name=agencies][value='{desk.agency.pk}']")
    page.check("input[name=months][value='3']")
    page.check(f"input[name=supervisors][value='{desk.first.pk}']")
    page.click("[data-testid=add-item]")
    page.wait_for_selector("[data-testid=plan-items]")
    assert "行政处罚决定公示情况专项监督" in page.inner_text("[data-testid=plan-items]")
    assert page.is_disabled("[data-testid=approve]")  # the drafter may not approve
    assert no_sideways_scroll(page)

    login(page, live_server, desk.second)
    page.goto(f"{live_server.url}/staff/supervision/plans/")
    page.click("text=年度行政执法监督工作计划")
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=plan-state]:has-text('已批准')")
    assert questions and "确定批准" in questions[-1]
    page.select_option("[data-testid=open-matter-1] select", str(desk.agency.pk))
    page.click("[data-testid=open-matter-1] button")
    page.wait_for_url("**/staff/supervision/matters/**")
    page.goto(f"{live_server.url}/staff/supervision/plans/{plan.pk}/")
    assert "已登记1件" in page.inner_text("[data-testid=progress-1]")
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=plan-state]:has-text('公开')")
    assert Plan.objects.get().state == "published"
    assert no_sideways_scroll(page)

    evaluation = services.evaluation_draft(
        actor=desk.first, title="年度执法质效评议", scheme="评议方案", process="一、自查；二、评查；三、公布。",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), agencies=[desk.agency, other],
        standards=STANDARDS)
    services.evaluation_approve(actor=desk.second, evaluation=evaluation)
    page.goto(f"{live_server.url}/staff/supervision/evaluations/{evaluation.pk}/")
    assert page.is_disabled("[data-testid=publish]")
    assert other.name in page.inner_text("[data-testid=publish-blockers]")
    assert no_sideways_scroll(page)
    page.click(f"[data-testid=score-{desk.agency.pk}]")
    page.fill("[data-testid='awarded-1.1.1']", "50")
    page.fill("[data-testid='awarded-1.1.2']", "40")
    page.fill("textarea[name^=reason]", "2件行政处罚决定逾期公开")
    page.select_option("select[name=second]", str(desk.first.pk))
    assert no_sideways_scroll(page)
    page.click("[data-testid=submit-score]")
    page.wait_for_selector("[data-testid=evaluation-agencies]")
    assert "90/100" in page.inner_text("[data-testid=evaluation-agencies]")

    page.goto(f"{live_server.url}/supervision/plans/{plan.pk}/")
    assert "行政处罚决定公示情况专项监督" in page.inner_text("[data-testid=plan-items]")
    assert no_sideways_scroll(page)
    page.goto(f"{live_server.url}/supervision/evaluations/{evaluation.pk}/")
    assert "评议正在进行" in page.inner_text("[data-testid=no-results]")
    assert no_sideways_scroll(page)

"""Reminders and the scheduled work at phone size (390×844): an officer whose certificate ends in
30 days finds the reminder in the inbox, opens the officer page from it, and dismisses it; a system
administrator reads the scheduled tasks and their failures. No page scrolls sideways."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.evaluation.models import Reminder
from sanxiang.evaluation.reminder_services import certificate_reminders_refresh
from sanxiang.jobs.models import RunState, ScheduledRun
from tests.e2e.support import login, scroll_width
from tests.factories import agency_make, officer_make, user_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_an_officer_dismisses_a_certificate_reminder_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    today = timezone.localdate()
    agency = agency_make(name="乌审旗市场监督管理局")
    officer = officer_make(agency=agency, name="张三", valid_to=today + dt.timedelta(days=30))
    user = user_make(role=Role.OFFICER, agency=agency, officer=officer)
    certificate_reminders_refresh(on=today)
    login(page, live_server, user)
    page.goto(f"{live_server.url}/staff/inbox/?kind=reminder")
    item = page.locator("[data-testid=inbox-reminder] [data-testid=inbox-item]")
    assert "张三的执法证" in item.inner_text() and "还有30日" in item.inner_text()
    assert no_sideways_scroll(page)
    page.click("[data-testid=inbox-reminder] [data-testid=inbox-item] a")
    page.wait_for_url(f"**/officers/{officer.pk}/**")
    page.go_back()
    page.click("[data-testid=reminder-dismiss]")
    page.wait_for_selector(".msg:has-text('已知悉')")
    assert page.locator("[data-testid=inbox-reminder] [data-testid=inbox-item]").count() == 0
    assert Reminder.objects.get(recipient_user=user).dismissed_by == user


@pytest.mark.django_db(transaction=True)
def test_an_administrator_reads_the_scheduled_work_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    ScheduledRun.objects.create(task="publication_daily", period_key="2026-06-15", on=dt.date(2026, 6, 15),
                                state=RunState.DONE, summary="下架3条；事前公开更新12个执法主体；暂缓公开转入审核0条")
    ScheduledRun.objects.create(task="sessions_clear", period_key="2026-06-15", on=dt.date(2026, 6, 15),
                                state=RunState.FAILED, attempts=3,
                                error="OperationalError: database is locked while clearing the sessions")
    admin = user_make(role=Role.SYSTEM_ADMIN)
    login(page, live_server, admin)
    page.goto(f"{live_server.url}/staff/evaluation/schedule/")
    assert "下架3条" in page.inner_text("[data-testid=schedule-tasks]")
    # Said in Chinese; the exception's own text folded away as a technical detail, there when opened.
    failures = page.locator("[data-testid=schedule-failures]")
    assert "运行出错" in failures.inner_text() and "database is locked" not in failures.inner_text()
    failures.locator("summary").first.click()
    assert "database is locked" in failures.inner_text()
    assert no_sideways_scroll(page)
    page.click("[data-testid=schedule-retry]")
    page.wait_for_selector(".msg:has-text('已安排重新运行')")
    assert ScheduledRun.objects.get(task="sessions_clear").attempts == 0

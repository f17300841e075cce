"""A monthly report's figure list at phone size (390×844), read by a supervisor: the case numbers
and states are there, the titles (which may name a party) only for the case under a read grant.
No sideways scroll."""

import datetime as dt
import shutil

import pytest

from sanxiang.evaluation.models import MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from tests.e2e.support import login, scroll_width
from tests.evaluation.report_support import case_on, county_make
from tests.supervision.support import read_grant_give

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_a_figures_records_on_a_phone_without_unreadable_titles(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = county_make()
    granted = case_on(agency=county.agency, day=dt.date(2026, 9, 3), title="张三销售过期食品案")
    hidden = case_on(agency=county.agency, day=dt.date(2026, 9, 4), title="李四无照经营案")
    report_drafts_create(on=dt.date(2026, 10, 1))
    report = MonthlyReport.objects.get(agency=county.agency, year=2026, month=9)
    read_grant_give(case=granted, user=county.first)
    login(page, live_server, county.first)
    page.goto(f"{live_server.url}/staff/evaluation/reports/{report.pk}/figures/cases.registered/")
    table = page.inner_text("[data-testid=figure-records]")
    assert granted.number in table and hidden.number in table
    assert "张三销售过期食品案" in table and "李四" not in table
    assert page.locator("[data-testid=title-withheld]").count() == 1
    assert scroll_width(page) <= 390

"""Part C of the supervision desk at phone size (390×844): a supervisor opens a filing from the inbox
and examines it after confirming; an agency head raising a competence dispute without naming the
other agency is told so beside the field, and nothing typed is lost. No page scrolls sideways."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.supervision.models import Coordination, Filing
from tests.e2e.support import login, scroll_width
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_examines_a_filing_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    desk = desk_make()
    today = timezone.localdate()
    case = case_create(actor=None, agency=desk.agency, number="乌市监罚〔2026〕88号", title="销售过期食品案")
    filing = Filing.objects.create(case=case, agency=desk.agency, bureau=desk.bureau, kind="penalty", action="decide",
                                   decision_label="行政处罚决定", decided_on=today - dt.timedelta(days=5),
                                   filed_on=today - dt.timedelta(days=5), due_on=today + dt.timedelta(days=10))
    login(page, live_server, desk.first)
    page.goto(f"{live_server.url}/staff/inbox/")
    page.click("[data-testid=inbox-supervision_filing] [data-testid=inbox-item] a")
    page.wait_for_selector("[data-testid=filing-clock]")
    assert "还有10日" in page.inner_text("[data-testid=filing-clock]")
    assert no_sideways_scroll(page)
    page.fill("textarea[name=note]", "决定合法，无异议。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=examine]")
    page.wait_for_selector(".msg:has-text('已记录审查无异议')")
    assert page.inner_text("[data-testid=filing-state]") == "审查无异议"
    filing.refresh_from_db()
    assert filing.state == "examined" and filing.examined_by == desk.first
    page.goto(f"{live_server.url}/staff/supervision/filings/")
    assert no_sideways_scroll(page)


@pytest.mark.django_db(transaction=True)
def test_a_dispute_without_the_other_agency_is_refused_beside_the_field(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    desk = desk_make()
    other = agency_make(name="乌审旗城市管理综合执法局")
    head = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    login(page, live_server, head)
    page.goto(f"{live_server.url}/staff/supervision/coordination/new/")
    page.select_option("select[name=kind]", "competence")
    page.fill("input[name=subject]", "占道经营的查处职责")
    page.fill("textarea[name=description]", "两局意见不一")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector("text=执法职责争议须写明与哪个机关发生争议")
    assert page.input_value("input[name=subject]") == "占道经营的查处职责"
    assert no_sideways_scroll(page)
    page.select_option("select[name=other_agency]", str(other.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=coordination-state]")
    assert page.inner_text("[data-testid=coordination-state]") == "已提请，待司法局受理"
    assert Coordination.objects.get().other_agency == other
    assert no_sideways_scroll(page)

"""The supervision desk at phone size (part A): the pair opens the matter page, accepts the matter
(a plain button), orders a 调阅案卷 of a case and reads the case under the grant; a colleague not in
the pair gets the 需经调阅 page. Closing a matter asks first. No sideways scroll at 390 px."""

import shutil

import pytest

from sanxiang.cases.services import case_create
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.supervision import services
from sanxiang.supervision.models import Matter
from tests.e2e.support import login, scroll_width
from tests.supervision.support import desk_make, supervisor_user_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_the_pair_accepts_calls_up_a_case_and_reads_it_at_phone_size(browser_page, live_server):
    from django.utils import timezone

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    desk = desk_make()
    case = case_create(actor=None, agency=desk.agency, number="e2e-001", title="被调阅的案件")
    matter = services.matter_open(bureau=desk.bureau, source=MatterSource.HOTLINE_12345, subject="热线反映未出示证件",
                                  summary="", received_on=timezone.localdate(), agency=desk.agency, actor=desk.first)
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)

    login(page, live_server, desk.first)
    page.goto(f"{live_server.url}/staff/supervision/")
    assert scroll_width(page) <= 390
    page.click(f"text={matter.number}")
    page.locator("[data-action=accept] summary").click()
    page.locator("[data-testid=do-accept]").click()
    page.wait_for_selector("[data-testid=matter-state]:has-text('办理中')")
    assert scroll_width(page) <= 390

    measure = page.locator("[data-action=measure]")
    measure.locator("summary").click()
    measure.locator("select[name=kind]").select_option("file_call")
    measure.locator("input[name=taken_on]").fill(timezone.localdate().isoformat())
    measure.locator("label:has-text('e2e-001') input, input[name=cases]").first.check()
    measure.locator("[data-testid=do-measure]").click()
    page.wait_for_selector("[data-testid=grant]")
    page.click("[data-testid=grant] a")
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert "被调阅的案件" in page.content()

    colleague = supervisor_user_make(bureau=desk.bureau)
    login(page, live_server, colleague)
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    assert page.locator("[data-testid=read-grant-required]").is_visible()
    assert scroll_width(page) <= 390

    # Closing asks first; dismissing the question leaves the matter as it was.
    other = services.matter_open(bureau=desk.bureau, source=MatterSource.ROUTINE, subject="待结束", summary="",
                                 received_on=timezone.localdate(), agency=desk.agency, actor=desk.first)
    services.matter_pair_assign(matter=other, users=[desk.first, desk.second], actor=desk.first)
    login(page, live_server, desk.first)
    page.goto(f"{live_server.url}/staff/supervision/matters/{other.pk}/")
    page.on("dialog", lambda dialog: dialog.dismiss())
    close = page.locator("[data-action=close]")
    close.locator("summary").click()
    close.locator("select[name=reason]").select_option("no_facts")
    close.locator("[data-testid=do-close]").click()
    page.wait_for_timeout(300)
    assert Matter.objects.get(pk=other.pk).state == "received"

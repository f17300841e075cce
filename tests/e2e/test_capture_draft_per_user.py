"""The record kept on a phone is its writer's (security review M3): on a shared phone another
officer's page neither shows nor sends the draft someone else left there; its writer gets it back."""

import pytest

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.cases.support import investigating_today
from tests.e2e.support import login
from tests.e2e.test_officer_day import PHONE

FINDINGS = "仓库内查见过期纯牛奶3箱（张三的草稿）。"


@pytest.mark.django_db(transaction=True)
def test_an_officer_s_page_never_restores_or_sends_a_colleague_s_draft(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    w, case = investigating_today()
    url = f"{live_server.url}/staff/cases/{case.pk}/"
    login(page, live_server, w.officer)
    page.goto(url)
    step = page.locator("[data-testid=action-record_inspection]")
    step.locator("summary").first.click()
    step.locator("textarea[name=findings]").fill(FINDINGS)

    # The colleague on the same phone: an empty record, no notice of a kept draft.
    login(page, live_server, w.colleague)
    page.goto(url)
    step = page.locator("[data-testid=action-record_inspection]")
    assert step.locator("textarea[name=findings]").input_value() == ""
    assert step.locator("[data-draft-notice]").is_hidden()
    assert not Entry.objects.filter(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:record_inspection").exists()

    # The allowed path: its writer finds it again.
    login(page, live_server, w.officer)
    page.goto(url)
    step = page.locator("[data-testid=action-record_inspection]")
    page.wait_for_selector("[data-draft-notice]:has-text('已恢复本机保存的笔录草稿')")
    assert step.locator("textarea[name=findings]").input_value() == FINDINGS
    # Kept under its writer, case and step.
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('sanxiang-draft:'))") == [
        f"sanxiang-draft:{w.officer.pk}:{case.pk}:record_inspection"
    ]

"""The case page at phone size (390×844) while an internal document's files are still to come
(procedure.document_timing): they read 生成中 without a link, nothing scrolls sideways; once the job
has run the PDF and Word links are there."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from tests.cases.support import OPEN, lead_make, perform, world_make
from tests.e2e.support import login, scroll_width

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_a_word_copy_to_come_reads_in_progress_on_a_phone_then_is_offered(browser_page, live_server, settings):
    from sanxiang.jobs.services import jobs_run_due

    settings.SANXIANG_DOCUMENT_COPIES = "background"
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    w = world_make()
    today = timezone.localdate()
    case = lead_make(w, act_date=today - dt.timedelta(days=3), discovered_on=today)
    case = perform(case, "approve_opening", today, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", today, w.officer, **OPEN)

    login(page, live_server, w.officer)
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    documents = page.locator("[data-testid=documents]")
    # The 立案审批表 is an internal document: its PDF follows with its Word copy.
    assert documents.locator("[data-testid=files-pending]").first.inner_text() == "PDF和Word文本生成中"
    assert documents.locator("a:has-text('Word')").count() == 0
    assert documents.locator("a:has-text('PDF')").count() == 0
    width = scroll_width(page)
    assert width <= 390, f"{width}px wide"

    assert jobs_run_due().done >= 1
    page.reload()
    assert documents.locator("[data-testid=files-pending]").count() == 0
    assert documents.locator("[data-testid=copy-pending]").count() == 0
    assert documents.locator("a:has-text('PDF')").count() >= 1
    assert documents.locator("a:has-text('Word')").count() == documents.locator("a:has-text('PDF')").count()

"""制度文件 and 培训 on a phone (issue 15, items 5-6): at 390×844 an agency head submits a document
(confirming first), the 司法局's supervisor returns it with a reason, the head sees the reason and the
overdue items; the head marks the attendees of a session; the supervisor reads the county's
checklist and the training summary. No page scrolls sideways."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest

from sanxiang.evaluation.models import SystemDocument
from sanxiang.evaluation.training_services import training_session_record
from tests.e2e.support import login
from tests.e2e.test_portal_phone import PHONE, assert_fits
from tests.evaluation.support import PDF, county_make
from tests.factories import officer_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_documents_and_training_on_a_phone(browser_page, live_server, tmp_path):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    county = county_make()
    officer = officer_make(agency=county.agency, name="王芳")
    login(page, live_server, county.head)

    page.goto(live_server.url + "/staff/evaluation/documents/")
    assert page.get_by_test_id("overdue").is_visible()
    assert_fits(page, "agency checklist")
    page.get_by_test_id("submit-document").click()
    page.get_by_label("类别").select_option(label="流程图")
    page.get_by_label("标题").fill("行政处罚流程图")
    pdf = tmp_path / "流程图.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("文件").set_input_files(str(pdf))
    assert_fits(page, "submit form")
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("document-state").inner_text() == "已报送，待司法局审查"
    assert_fits(page, "document")
    document = SystemDocument.objects.get()

    login(page, live_server, county.supervisor)
    page.goto(live_server.url + "/staff/evaluation/documents/")
    assert page.get_by_test_id("waiting").is_visible() and page.get_by_test_id("county-checklist").is_visible()
    assert_fits(page, "county checklist")
    page.get_by_test_id("waiting").get_by_role("link").click()
    page.get_by_label("退回理由（退回时必填）").fill("未标明法制审核环节")
    page.get_by_test_id("return").click()
    assert page.get_by_test_id("document-state").inner_text() == "已退回，待重新报送"
    document.refresh_from_db()
    assert document.state == "returned"

    today = dt.date.today()
    session = training_session_record(actor=county.head, kind="three_systems", topic="三项制度培训", held_on=today,
                                      hours=Decimal(4), today=today)
    page.goto(live_server.url + "/staff/evaluation/training/summary/")
    assert page.get_by_test_id("summary").is_visible()
    assert_fits(page, "training summary")

    login(page, live_server, county.head)
    page.goto(live_server.url + f"/staff/evaluation/documents/{document.pk}/")
    assert "未标明法制审核环节" in page.get_by_test_id("return-reason").inner_text()
    page.goto(live_server.url + f"/staff/evaluation/training/{session.pk}/")
    page.get_by_label("王芳").check()
    page.get_by_test_id("mark").click()
    assert page.get_by_test_id("attendance-row").count() == 1
    assert_fits(page, "training session")
    assert list(session.attendances.values_list("officer_id", flat=True)) == [officer.pk]

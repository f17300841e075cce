"""年度行政执法数据 on a phone (issue 15 item 8): at 390×844 the agency head reads the 行政处罚 table
(a decision of two kinds counted once under the heavier), writes the 行政执法情况说明 (a section left
empty is refused in Chinese), submits it and publishes; the system administrator reads the county's
table; the public reads the table and the narrative on the portal. No page scrolls sideways."""

import datetime as dt
import shutil

import pytest

from sanxiang.accounts.models import Role
from sanxiang.procedure.annual_counting import NARRATIVE_SECTIONS
from sanxiang.publication.models import AnnualReport
from tests.e2e.support import login, scroll_width
from tests.e2e.test_portal_phone import PHONE
from tests.factories import user_make
from tests.publication.test_annual_statistics import agency_with_penalty_power, decision

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]
YEAR = dt.date.today().year - 1


@pytest.mark.django_db(transaction=True)
def test_annual_statistics_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    bureau = agency_with_penalty_power("乌审旗市场监督管理局")
    decision(bureau, dt.date(YEAR, 3, 1), {"fine", "suspend_business"}, fine=50_000)
    decision(bureau, dt.date(YEAR, 4, 1), {"fine"}, fine=2_000)
    head = user_make(role=Role.AGENCY_HEAD, agency=bureau)
    login(page, live_server, head)

    page.goto(f"{live_server.url}/staff/publication/annual/?year={YEAR}")
    assert page.get_by_test_id("annual-penalty-suspend_close").inner_text() == "1"
    assert page.get_by_test_id("annual-penalty-fine").inner_text() == "1"
    assert page.get_by_test_id("annual-penalty-amount").inner_text() == "5.20"
    assert scroll_width(page) <= PHONE["width"]

    labels = list(NARRATIVE_SECTIONS.values())
    page.get_by_label(labels[0]).fill("本局共有执法人员42名。")
    page.get_by_role("button", name="提交情况说明").click()
    assert f"请填写“{labels[1]}”" in page.get_by_test_id("annual-narrative-form").inner_text()
    assert scroll_width(page) <= PHONE["width"]
    for label in labels[1:]:
        page.get_by_label(label).fill(f"{label}：已落实。")
    page.get_by_role("button", name="提交情况说明").click()
    assert "本局共有执法人员42名。" in page.get_by_test_id("annual-narrative").inner_text()
    page.get_by_role("button", name="核对无误，向社会公开").click()
    page.wait_for_load_state("load")
    assert (
        AnnualReport.objects.get(year=YEAR).narrative[next(iter(NARRATIVE_SECTIONS))]
        == "本局共有执法人员42名。"
    )

    login(page, live_server, user_make(role=Role.SYSTEM_ADMIN))
    page.goto(f"{live_server.url}/staff/publication/annual/?year={YEAR}")
    assert "全县合计" in page.get_by_test_id("annual-county-penalty").inner_text()
    assert scroll_width(page) <= PHONE["width"]

    page.goto(f"{live_server.url}/annual/?year={YEAR}")
    assert page.get_by_test_id("annual-penalty-rows").is_visible()
    assert "本局共有执法人员42名。" in page.get_by_test_id("annual-narrative").inner_text()
    assert scroll_width(page) <= PHONE["width"]

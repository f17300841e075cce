"""The indicator table at phone size (390×844): a supervisor opens the county's table for March 2026,
each row is a card whose figures are labelled with their indicator, and a number opens the records
behind it; no page scrolls sideways. The figures themselves are tested in tests/evaluation."""

import shutil

import pytest

from tests.e2e.support import login, scroll_width
from tests.evaluation.indicator_support import EXPECTED_A, county_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


def no_sideways_scroll(page) -> bool:
    return scroll_width(page) <= 390


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_indicators_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = county_make()
    login(page, live_server, county.supervisor)
    page.goto(f"{live_server.url}/staff/evaluation/indicators/?period=2026-03")
    page.wait_for_selector("[data-testid=indicator-table]")
    assert no_sideways_scroll(page)
    # A card per agency: the cell carries its indicator's name (the header is hidden at this width).
    cell = page.locator(f"tr[data-agency='{county.a.pk}'] td", has=page.locator("[data-figure='filing_timely-numerator']"))
    assert cell.get_attribute("data-label") == "重大执法决定备案及时率"
    _, d = EXPECTED_A["filing_timely"]
    assert cell.locator("[data-figure='filing_timely-denominator']").inner_text() == str(d)
    cell.locator("[data-figure='filing_timely-denominator']").click()
    page.wait_for_selector("[data-testid=indicator-records]")
    assert page.locator("tr[data-record]").count() == d
    assert no_sideways_scroll(page)
    # The form's period field, and an error in Chinese without losing the page.
    page.goto(f"{live_server.url}/staff/evaluation/indicators/?period=2026-13")
    assert "月份应在 1 至 12 之间" in page.inner_text("[data-testid=bad-query]")
    assert no_sideways_scroll(page)

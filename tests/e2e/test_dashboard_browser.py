"""The assessment dashboard in a browser, on a desktop and at phone size (390×844): a supervisor
opens the county's dashboard for March 2026; ECharts (the vendored static file) draws each chart
into its box (a canvas), under each a table of the same figures; no page scrolls sideways and the
CSP reports nothing. The figures themselves are tested in tests/evaluation/test_dashboard_pages.py."""

import shutil

import pytest

from tests.e2e.support import login, scroll_width
from tests.evaluation.indicator_support import county_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]

CHARTS = ("indicators", "trend", "ranking", "overdue")


@pytest.mark.django_db(transaction=True)
def test_the_dashboards_charts_render_on_a_desktop_and_a_phone(browser_page, live_server):
    page = browser_page
    problems = []
    # Script errors and CSP refusals are console errors; a missing file (the favicon aside) a failed response.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None
        ),
    )
    page.on(
        "response", lambda r: problems.append(r.url) if r.status >= 400 and "favicon" not in r.url else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    county = county_make()
    login(page, live_server, county.supervisor)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/staff/evaluation/dashboard/?period=2026-03&indicator=legal_review_rate")
        for key in CHARTS:
            page.wait_for_selector(f"[data-chart={key}] canvas", state="attached")
            box = page.locator(f"[data-chart={key}] canvas").first.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100, (width, key, box)
            assert box["x"] + box["width"] <= width, (width, key, box)
            assert page.locator(f"[data-testid=dashboard-{key}] tbody tr").count() >= 1, (width, key)
        # The ranking's table under its chart: B (100 %) first, then A.
        ranked = page.locator("[data-testid=dashboard-ranking] tbody tr")
        assert ranked.nth(0).get_attribute("data-agency") == str(county.b.pk)
        assert scroll_width(page) <= width, width
    assert not problems, problems
    # A number under a chart opens its records.
    page.locator(
        "[data-testid=dashboard-ranking] [data-figure='legal_review_rate-denominator']"
    ).first.click()
    page.wait_for_selector("[data-testid=indicator-records]")
    assert scroll_width(page) <= 390

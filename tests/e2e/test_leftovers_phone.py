"""Issue 13's leftovers at phone size (390×844): the parameters page with its Chinese checking
notes beside each basis, and the officer list with its 内设机构 column, as cards without sideways
scrolling."""

import shutil

import pytest

from sanxiang.accounts.models import Role
from tests.e2e.support import login, scroll_width
from tests.factories import agency_make, officer_make, user_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.mark.django_db(transaction=True)
def test_the_parameters_page_and_the_officer_list_read_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    agency = agency_make()
    officer_make(agency=agency, name="王芳", department="执法一中队")
    officer_make(agency=agency, name="王芳", department="法制股")
    reviewer = user_make(role=Role.REVIEWER, agency=agency)

    login(page, live_server, reviewer)
    page.goto(f"{live_server.url}/staff/review/parameters/")
    notes = page.locator("[data-testid=parameter-note]")
    assert notes.count() > 20
    assert notes.first.is_visible() and notes.first.inner_text().startswith("核实要点：")
    assert scroll_width(page) <= 390

    page.goto(f"{live_server.url}/staff/registry/officers/")
    cells = page.locator("td[data-label=内设机构]")
    assert sorted(cells.all_inner_texts()) == ["执法一中队", "法制股"]
    assert scroll_width(page) <= 390

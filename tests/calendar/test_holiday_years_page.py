"""Who entered a holiday year is shown to those who maintain the calendar only (review r4): the years
belong to no county, every signed-in role reads them, and a login name shown to every officer is half
of a lockout of that account (django-axes counts failures by name)."""

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.calendar.services import holiday_year_save
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered():
    far_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    supervisor = user_make(role=Role.SUPERVISOR, agency=far_bureau, username="hjq_sup_login")
    holiday_year_save(actor=supervisor, year=2031, holidays=["2031-01-01"], adjusted_working_days=[],
                      source="国务院办公厅关于2031年部分节假日安排的通知")
    return supervisor


def test_an_officer_reads_the_years_without_who_entered_them(client, entered):
    officer = user_make(role=Role.OFFICER, agency=agency_make())
    item = client.get("/api/calendar/holiday-years", **bearer(officer)).json()["items"][0]
    assert item["year"] == 2031 and item["holidays"] == ["2031-01-01"]
    assert item["entered_by_id"] is None and item["entered_by_name"] == ""
    client.force_login(officer)
    page = client.get(reverse("calendar:holiday_year_list")).content.decode()
    assert "2031" in page and "hjq_sup_login" not in page and "登记人" not in page


def test_a_supervisor_sees_who_entered_them(client, entered):
    item = client.get("/api/calendar/holiday-years", **bearer(entered)).json()["items"][0]
    assert item["entered_by_id"] == entered.pk and item["entered_by_name"]
    client.force_login(entered)
    page = client.get(reverse("calendar:holiday_year_list")).content.decode()
    assert "登记人" in page

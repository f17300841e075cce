"""Administrators enter a year the calendar package does not know yet; deadlines in it stop
being estimates (DESIGN: "the deployment can add later years ... in the database")."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.calendar import selectors
from sanxiang.calendar.services import holiday_year_save
from sanxiang.procedure.violations import Refused
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

# Illustrative 2027 data (the official schedule was not published when this test was written).
HOLIDAYS_2027 = ["2027-01-01", "2027-01-02", "2027-01-03"]


def workdays(*args) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_without_the_year_a_2027_result_is_an_estimate():
    assert workdays("2026-12-28", "5") == "2027-01-04 (estimated)"


def test_an_entered_year_is_used_and_the_estimate_flag_goes():
    supervisor = user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True))
    holiday_year_save(actor=supervisor, year=2027, holidays=HOLIDAYS_2027, adjusted_working_days=[],
                      source="国务院办公厅关于2027年部分节假日安排的通知（示例）")
    # 12-29, 12-30, 12-31, then 01-04 and 01-05 (01-01 Friday is now a holiday).
    assert workdays("2026-12-28", "5") == "2027-01-05"


def test_inconsistent_schedules_are_refused_with_every_reason():
    with pytest.raises(Refused) as refused:
        holiday_year_save(actor=None, year=2027, holidays=["2027-01-01", "2027-13-01", "2028-01-01"],
                          adjusted_working_days=["2027-01-01"], source="")
    messages = [v.message for v in refused.value.violations]
    assert any("2027-13-01" in m for m in messages)
    assert any("依据" in m for m in messages)


def test_officers_cannot_change_the_calendar():
    from django.core.exceptions import PermissionDenied

    officer = user_make(role=Role.OFFICER, agency=agency_make())
    with pytest.raises(PermissionDenied):
        holiday_year_save(actor=officer, year=2027, holidays=HOLIDAYS_2027, adjusted_working_days=[], source="x")


@pytest.mark.parametrize("role", list(Role))
def test_only_supervisors_and_system_administrators_maintain_the_calendar(role):
    """The calendar sits below accounts and asks Django's permission API; accounts answers it from
    the role (系统权限规则). Supervisors get that permission and no other through it."""
    county = role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)
    user = user_make(role=role, agency=agency_make(is_judicial_bureau=county) if role != Role.SYSTEM_ADMIN else None)
    assert user.has_perm("calendar.change_holidayyear") is county
    assert not user.has_perm("calendar.delete_holidayyear") or role == Role.SYSTEM_ADMIN
    user.is_active = False
    assert not user.has_perm("calendar.change_holidayyear")


def test_the_page_keeps_its_address():
    from django.urls import reverse

    assert reverse("calendar:holiday_year_list") == "/staff/cases/calendar/"


def test_bad_input_to_the_command_is_a_clear_error():
    with pytest.raises(CommandError):
        workdays("2026-02-30", "3")


def test_supervisor_enters_a_year_through_the_page(client):
    from django.urls import reverse

    from sanxiang.calendar.models import HolidayYear

    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True)))
    response = client.post(reverse("calendar:holiday_year_list"), {
        "year": 2027, "holidays": "2027-01-01\n2027-01-02, 2027-01-03", "adjusted_working_days": "",
        "source": "国务院办公厅关于2027年部分节假日安排的通知（示例）"})
    assert response.status_code == 302
    assert HolidayYear.objects.get(year=2027).holidays == HOLIDAYS_2027
    bad = client.post(reverse("calendar:holiday_year_list"), {
        "year": 2027, "holidays": "2027-01-01", "adjusted_working_days": "2027-01-04", "source": "x"})
    assert bad.status_code == 400
    assert "不是周六或周日" in bad.content.decode()


def test_a_bad_date_is_reported_beside_its_field_not_only_at_the_top(client):
    """Issue 13 item 1: a refusal stands next to the control that caused it."""
    from django.urls import reverse

    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True)))
    page = client.post(reverse("calendar:holiday_year_list"), {
        "year": 2027, "holidays": "2027-01-01 2027-13-01", "adjusted_working_days": "", "source": "通知"})
    assert page.status_code == 400
    html = page.content.decode()
    message = "法定节假日中的“2027-13-01”不是有效日期（应为年-月-日，如2027-01-01）"
    assert html.count(message) == 1
    # Django puts a field's errors right before its label and control, inside the same block.
    error_at = html.index(message)
    assert error_at < html.index('name="holidays"') < html.index('name="adjusted_working_days"')
    assert html.index('name="year"') < error_at
    assert "请按各栏旁标出的原因改正" in html


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN])
def test_every_agency_role_reads_the_holidays_it_counts_with_and_enters_none(client, role):
    from django.urls import reverse

    from sanxiang.calendar.models import HolidayYear

    this_year = timezone.localdate().year
    holiday_year_save(actor=None, year=this_year + 1, holidays=[f"{this_year + 1}-01-01"], adjusted_working_days=[],
                      source="国务院办公厅关于部分节假日安排的通知（示例）")
    client.force_login(user_make(role=role, agency=agency_make()))
    page = client.get(reverse("calendar:holiday_year_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="counted-{this_year}"' in html and f'data-testid="counted-{this_year + 1}"' in html
    assert "国务院办公厅关于部分节假日安排的通知（示例）" in html and "本平台登记" in html
    assert 'data-testid="holiday-year-form"' not in html and "登记或更正一年" not in html
    assert f'href="{reverse("calendar:holiday_year_list")}"' in html  # in the menu
    refused = client.post(reverse("calendar:holiday_year_list"), {
        "year": this_year + 2, "holidays": f"{this_year + 2}-01-01", "adjusted_working_days": "", "source": "通知"})
    assert refused.status_code == 403
    assert not HolidayYear.objects.filter(year=this_year + 2).exists()


def test_the_page_shows_the_package_years_and_estimates(client):
    from django.urls import reverse

    client.force_login(user_make(role=Role.OFFICER, agency=agency_make()))
    html = client.get(reverse("calendar:holiday_year_list")).content.decode()
    counted = selectors.holiday_years_counted(years=[2025, 2099])
    assert counted[0].known and dt.date(2025, 10, 1) in counted[0].holidays
    assert dt.date(2025, 9, 28) in counted[0].adjusted_working_days and not counted[0].entered
    assert not counted[1].known and counted[1].holidays == []
    assert "期限计算所用的安排" in html


def test_supervisors_still_see_the_form(client):
    from django.urls import reverse

    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True)))
    assert 'data-testid="holiday-year-form"' in client.get(reverse("calendar:holiday_year_list")).content.decode()

"""Issue 19: the working-day calendar's holiday arrangements through the API, as the 节假日安排 page
reads and records them: read by every role, recorded by supervisors and system administrators only, a later year recorded (201)
or corrected (200) in the ledger and counted with at once, every reason of a refusal as 422 naming
its field, and a save sent twice with one Idempotency-Key saved once. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.calendar.models import HolidayYear
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.calendar.services import holiday_year_save
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

URL = "/api/calendar/holiday-years"
SOURCE = "国务院办公厅关于2031年部分节假日安排的通知"
YEAR = {"year": 2031, "holidays": ["2031-01-01", "2031-01-02"], "adjusted_working_days": ["2031-01-04"],
        "source": SOURCE}


def post(client, auth: dict, body: dict, **headers):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **auth, **headers)


@pytest.fixture
def people():
    own = agency_make()
    return {
        "supervisor": user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True)),
        "admin": user_make(role=Role.SYSTEM_ADMIN),
        "officer": user_make(role=Role.OFFICER, agency=own),
        "head": user_make(role=Role.AGENCY_HEAD, agency=own),
        "reviewer": user_make(role=Role.REVIEWER, agency=own),
    }


def test_a_later_year_is_recorded_then_corrected_counted_with_and_listed(client, people):
    auth = bearer(people["supervisor"])
    assert working_day_calendar_current().is_working_day(dt.date(2031, 1, 2)).estimated
    recorded = post(client, auth, YEAR)
    assert recorded.status_code == 201, recorded.content
    body = recorded.json()
    assert body["year"] == 2031 and body["holidays"] == ["2031-01-01", "2031-01-02"] and body["source"] == SOURCE
    assert body["entered_by_id"] == people["supervisor"].pk
    calendar = working_day_calendar_current()
    assert not calendar.is_working_day(dt.date(2031, 1, 2)).working and calendar.is_working_day(dt.date(2031, 1, 4)).working
    assert not calendar.is_working_day(dt.date(2031, 1, 2)).estimated

    corrected = post(client, bearer(people["admin"]), YEAR | {"holidays": ["2031-01-01"]})
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["id"] == body["id"] and corrected.json()["holidays"] == ["2031-01-01"]
    assert working_day_calendar_current().is_working_day(dt.date(2031, 1, 2)).working
    assert Entry.objects.filter(kind=EventKind.HOLIDAY_YEAR_SAVED).count() == 2

    holiday_year_save(actor=None, year=2030, holidays=["2030-01-01"], adjusted_working_days=[], source="通知")
    listed = client.get(URL, **auth).json()
    assert [row["year"] for row in listed["items"]] == [2031, 2030]
    assert listed["items"][1]["entered_by_id"] is None and listed["items"][1]["entered_by_name"] == ""
    page = client.get(URL, {"ordering": "year", "limit": 1}, **auth).json()
    assert [row["year"] for row in page["items"]] == [2030]
    assert [row["year"] for row in client.get(page["next"], **auth).json()["items"]] == [2031]


def test_everyone_reads_and_only_supervisors_and_administrators_record(client, people):
    # Officers, reviewers and heads check which holidays their deadlines count with; they record none.
    holiday_year_save(actor=None, year=2030, holidays=["2030-01-01"], adjusted_working_days=[], source="通知")
    for role in ("officer", "head", "reviewer"):
        auth = bearer(people[role])
        listed = client.get(URL, **auth)
        assert listed.status_code == 200 and [row["year"] for row in listed.json()["items"]] == [2030]
        assert post(client, auth, YEAR).status_code == 403
    assert list(HolidayYear.objects.values_list("year", flat=True)) == [2030]
    assert client.get(URL, **bearer(people["admin"])).status_code == 200


@pytest.mark.parametrize("change, fields", [
    ({"year": 1999}, {"year"}),
    ({"holidays": ["2031-02-30"]}, {"holidays.0"}),
    ({"holidays": []}, {"holidays"}),
    ({"source": ""}, {"source"}),
    ({"year": None}, {"year"}),  # missing
])
def test_bad_fields_are_422_naming_them_and_nothing_is_saved(client, people, change, fields):
    body = {key: value for key, value in (YEAR | change).items() if value is not None}
    response = post(client, bearer(people["supervisor"]), body)
    assert response.status_code == 422, response.content
    assert fields <= {v["field"] for v in response.json()["violations"]}
    assert not HolidayYear.objects.exists()


def test_an_inconsistent_schedule_is_422_with_every_reason(client, people):
    response = post(client, bearer(people["supervisor"]), YEAR | {
        "holidays": ["2031-01-01", "2032-01-01"], "adjusted_working_days": ["2031-01-01", "2031-01-06"]})
    assert response.status_code == 422, response.content
    [violation] = response.json()["violations"]
    message = violation["message"]
    assert "2032-01-01 不在 2031 年内" in message and "不能既是节假日又是调休上班日" in message
    assert "2031-01-06 不是周六或周日" in message
    assert not HolidayYear.objects.exists() and not Entry.objects.filter(kind=EventKind.HOLIDAY_YEAR_SAVED).exists()


def test_a_save_sent_twice_with_one_idempotency_key_is_saved_once(client, people):
    auth = bearer(people["supervisor"])
    once, twice = (post(client, auth, YEAR, HTTP_IDEMPOTENCY_KEY="holiday-2031") for _ in range(2))
    assert once.status_code == twice.status_code == 201 and once.json() == twice.json()
    assert Entry.objects.filter(kind=EventKind.HOLIDAY_YEAR_SAVED).count() == 1

"""The working-day calendar is built once per version of the entered years and kept in the process
(issue 12: rebuilding it cost 2–3 ms of every transition); a year saved — here, in this transaction,
or by another server — is counted with at once, and a rolled-back save is forgotten."""

import datetime as dt

import pytest
from django.db import transaction

from sanxiang.calendar import selectors
from sanxiang.calendar.models import HolidayYear
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.calendar.services import holiday_year_save

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = dt.date(2027, 1, 1)  # a Friday, not known to the calendar package
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（示例）"


def _save_2027() -> None:
    holiday_year_save(actor=None, year=2027, holidays=["2027-01-01"], adjusted_working_days=[], source=SOURCE)


def test_the_calendar_is_built_once_and_read_again_from_the_process():
    first = working_day_calendar_current()
    assert working_day_calendar_current() is first


def test_a_year_saved_is_counted_with_at_once_in_the_same_transaction_and_after():
    before = working_day_calendar_current()
    assert before.is_working_day(NEW_YEAR_2027).estimated
    with transaction.atomic():
        _save_2027()
        inside = working_day_calendar_current()
        assert inside is not before
        assert inside.is_working_day(NEW_YEAR_2027).holiday_name is not None
    after = working_day_calendar_current()
    assert not after.is_working_day(NEW_YEAR_2027).working
    assert not after.is_working_day(NEW_YEAR_2027).estimated


def test_a_save_rolled_back_is_forgotten():
    before = working_day_calendar_current()
    with pytest.raises(RuntimeError), transaction.atomic():
        _save_2027()
        assert not working_day_calendar_current().is_working_day(NEW_YEAR_2027).working
        raise RuntimeError("rolled back")
    assert working_day_calendar_current().is_working_day(NEW_YEAR_2027).estimated
    assert working_day_calendar_current() is before


def test_a_year_written_by_another_server_is_seen_without_its_event():
    """Another process saved the year: no event here, the table's version changed all the same."""
    working_day_calendar_current()
    HolidayYear.objects.create(year=2027, holidays=["2027-01-01"], adjusted_working_days=[], source=SOURCE)
    assert not working_day_calendar_current().is_working_day(NEW_YEAR_2027).working
    HolidayYear.objects.filter(year=2027).delete()
    assert working_day_calendar_current().is_working_day(NEW_YEAR_2027).estimated


def test_the_save_event_empties_the_process_cache(django_capture_on_commit_callbacks):
    working_day_calendar_current()
    assert selectors._CALENDARS
    with django_capture_on_commit_callbacks(execute=True):
        _save_2027()
    # The save's HolidayYearSaved, once committed, forgot every calendar built before it.
    assert not selectors._CALENDARS

"""Typed events of the calendar, for the apps above that keep what depends on it (the cases'
stored deadlines): the calendar sits below them and never imports them."""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.hooks import EventBus


@dataclass(frozen=True)
class HolidayYearSaved:
    """A year's official schedule was entered or corrected: periods counted across it may move."""

    year: int


# Subscribers react inside the transaction of the save (atomic=True) or after it commits.
CALENDAR_EVENTS = EventBus("calendar")

__all__ = ["CALENDAR_EVENTS", "HolidayYearSaved"]

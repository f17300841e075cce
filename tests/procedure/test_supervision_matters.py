"""The transfer period of a supervision matter outside the bureau's jurisdiction (《四川省行政执法监督条例》
第三十一条: 10 days, an unverified parameter), pure: counted from receipt by calendar days (a last day
on a rest day moves to the next working day) or by working days, as
`supervision.periods_count_working_days` names."""

import datetime as dt

from sanxiang.procedure.calendar import working_day_calendar_default
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.supervision.matters import transfer_due

CALENDAR = working_day_calendar_default()
WORKING = parameters_default().with_overrides(
    {"supervision.periods_count_working_days": [ParameterPeriod(start=dt.date(2026, 2, 2), value=True)]}
)


def test_by_calendar_days_a_matter_received_on_2_march_is_transferred_by_12_march():
    assert parameters_default()["supervision.transfer_days"].reference.startswith("《四川省行政执法监督条例》第三十一条")
    assert transfer_due(received_on=dt.date(2026, 3, 2), calendar=CALENDAR).date == dt.date(2026, 3, 12)


def test_by_calendar_days_a_last_day_in_the_qingming_holiday_moves_to_7_april():
    """2026-03-25 + 10 days = 04-04, 清明 (04-04..06): the period ends on 04-07 (民法典第二百零三条)."""
    assert transfer_due(received_on=dt.date(2026, 3, 25), calendar=CALENDAR).date == dt.date(2026, 4, 7)


def test_by_working_days_the_same_matter_is_transferred_by_16_march():
    assert transfer_due(received_on=dt.date(2026, 3, 2), calendar=CALENDAR, parameters=WORKING).date == dt.date(2026, 3, 16)

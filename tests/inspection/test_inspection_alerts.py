"""High-frequency inspection of one enterprise raises a platform alert for the supervision desk
(issue 17 part B; a platform rule: `inspection.high_frequency_alert_*`, 4 inspections in 90 days
by default), every body and source counted, once per inspection that reached the threshold."""

import datetime as dt

import pytest

from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState, InspectionTarget
from sanxiang.supervision.alerts import platform_alerts_open
from sanxiang.supervision.models import Matter
from tests.factories import agency_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 10)


def inspected(agency, credit_code: str, day: dt.date, source=InspectionSource.COMPLAINT,
              state=InspectionState.CLOSED) -> Inspection:
    target, _ = InspectionTarget.objects.get_or_create(agency=agency, credit_code=credit_code,
                                                       defaults={"name": "示例商贸有限公司"})
    return Inspection.objects.create(agency=agency, target=target, source=source, planned_from=day, planned_to=day,
                                     started_on=day, state=state)


def test_four_inspections_in_ninety_days_open_one_matter_once():
    desk = desk_make()
    other_body = agency_make()
    code = "91150626MA0000001X"
    inspected(desk.agency, code, ON - dt.timedelta(days=80), source=InspectionSource.RANDOM)
    inspected(other_body, code, ON - dt.timedelta(days=40))
    inspected(desk.agency, code, ON - dt.timedelta(days=20), source=InspectionSource.REFERRAL)
    inspected(desk.agency, code, ON - dt.timedelta(days=100))  # outside the window
    inspected(other_body, code, ON - dt.timedelta(days=5), state=InspectionState.CANCELLED)  # not carried out
    assert platform_alerts_open(on=ON) == 0
    last = inspected(other_body, code, ON - dt.timedelta(days=1))
    assert platform_alerts_open(on=ON) == 1
    assert platform_alerts_open(on=ON) == 0  # once
    matter = Matter.objects.get(alert_key=f"inspection_frequency:{last.pk}")
    assert matter.bureau == desk.bureau and matter.agency == other_body and "示例商贸有限公司" in matter.subject
    assert "90日内被检查4次" in matter.summary and "平台规则" in matter.summary

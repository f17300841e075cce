"""High-frequency inspection of one enterprise raises a platform alert for the supervision desk
(issue 17 part B; a platform rule: `inspection.high_frequency_alert_*`, 4 inspections in 90 days
by default), every body and source counted, once per inspection that reached the threshold."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.inspection.inspection_services import inspection_results_publish
from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState, InspectionTarget
from sanxiang.supervision.alerts import platform_alerts_open
from sanxiang.supervision.models import Matter
from tests.factories import agency_make
from tests.inspection.builders import closed, world_make
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


def test_a_random_result_unpublished_after_its_due_day_opens_one_matter_once():
    """优化营商环境条例 第五十四条 (results of 双随机 checks published in time; 20 working days from the
    end of the check, `inspection.random_results_publication_working_days`, unverified): on the
    due day nothing; the day after, one matter for the bureau naming the enterprise, the due day
    and the basis, once. The lawful path: a result published by its due day raises nothing."""
    ended = timezone.localdate() - dt.timedelta(days=60)
    world = world_make(on=ended)
    bureau = agency_make(name="乌审旗司法局（结果公示）", is_judicial_bureau=True)
    late = closed(world, on=ended)
    on_time_world = world_make(on=ended)
    on_time = closed(on_time_world, on=ended)
    inspection_results_publish(actor=on_time_world.head, agency_id=on_time_world.agency.pk)
    due = late.publish_due
    assert due is not None and due > late.result_sent_on + dt.timedelta(days=20)  # 20 working days
    assert platform_alerts_open(on=due) == 0
    assert platform_alerts_open(on=due + dt.timedelta(days=1)) == 1
    assert platform_alerts_open(on=due + dt.timedelta(days=2)) == 0  # once
    matter = Matter.objects.get(alert_key=f"inspection_results_unpublished:{late.pk}")
    assert matter.bureau == bureau and matter.agency == world.agency and world.target.name in matter.subject
    assert "逾期未公示" in matter.subject and f"最迟于{due.isoformat()}公示" in matter.summary
    assert "《优化营商环境条例》第五十四条" in matter.summary
    assert not Matter.objects.filter(alert_key=f"inspection_results_unpublished:{on_time.pk}").exists()


def test_a_planned_inspection_has_no_result_to_publish_and_no_alert():
    agency_make(name="乌审旗司法局（计划检查）", is_judicial_bureau=True)
    ended = timezone.localdate() - dt.timedelta(days=60)
    world = world_make(source=InspectionSource.PLANNED, on=ended)
    inspection = closed(world, on=ended)
    assert inspection.publish_due is None and inspection.published_on is None
    assert platform_alerts_open(on=timezone.localdate()) == 0

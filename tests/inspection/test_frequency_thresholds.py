"""The high-frequency alert under a region's or a sector's own threshold (issue 17; a platform rule
on 国办发〔2024〕54号's warnings of 多头、重复、高频次 checks and 海南省涉企行政检查条例（试行） 第十二条:
`inspection.high_frequency_alert_*`, 4 inspections in 90 days by default). A county or a sector
may set its own, e.g. a stricter one: the most specific value in force applies, with its own
reference; an enterprise inspected by bodies of several regions or sectors is held to the
strictest of theirs. Pure rules, plus the selector that feeds the supervision desk."""

import datetime as dt

import pytest

from sanxiang.inspection.inspection_selectors import inspection_frequency_alerts
from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState, InspectionTarget
from sanxiang.procedure.inspection.rules import PriorInspection, frequency_alert, frequency_alert_strictest
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from tests.factories import agency_make

ON = dt.date(2026, 6, 10)
COUNTY = "150626"
COUNTY_RULE = "平台规则：乌审旗对涉企检查从严预警（乌审旗司法局2026年第1号通知）"
FOOD_RULE = "平台规则：食品安全领域检查从严预警"
LOCAL = parameters_default().with_overrides({
    "inspection.high_frequency_alert_inspections": [
        ParameterPeriod(dt.date(2026, 1, 1), 3, region=COUNTY, reference=COUNTY_RULE),
        ParameterPeriod(dt.date(2026, 1, 1), 2, region=COUNTY, sector="食品安全", reference=FOOD_RULE),
    ],
    "inspection.high_frequency_alert_days": [ParameterPeriod(dt.date(2026, 1, 1), 180, region=COUNTY,
                                                             reference=COUNTY_RULE)],
})


def visits(*days_before: int) -> list[PriorInspection]:
    return [PriorInspection(i + 1, 10 + i % 2, ON - dt.timedelta(days=d), "complaint") for i, d in enumerate(days_before)]


def test_a_county_stricter_threshold_applies_to_its_own_bodies_with_its_own_reference():
    three = visits(150, 60, 1)  # three checks in 180 days: under the default (4 in 90), over the county's
    assert frequency_alert(target_id=1, inspections=three, on=ON, parameters=LOCAL) is None  # no region: default
    assert frequency_alert(target_id=1, inspections=three, on=ON, region="150627", parameters=LOCAL) is None
    alert = frequency_alert(target_id=1, inspections=three, on=ON, region=COUNTY, parameters=LOCAL)
    assert alert is not None and (alert.threshold, alert.days, alert.inspections) == (3, 180, 3)
    assert alert.basis == COUNTY_RULE and "180日内被检查3次" in alert.message and "180日内3次" in alert.message
    # the lawful path: two checks stay under the county's threshold
    assert frequency_alert(target_id=1, inspections=visits(60, 1), on=ON, region=COUNTY, parameters=LOCAL) is None


def test_a_sector_threshold_of_the_county_is_more_specific_still():
    two = visits(30, 1)
    assert frequency_alert(target_id=1, inspections=two, on=ON, region=COUNTY, sector="市场监管", parameters=LOCAL) is None
    alert = frequency_alert(target_id=1, inspections=two, on=ON, region=COUNTY, sector="食品安全", parameters=LOCAL)
    assert alert is not None and alert.threshold == 2 and alert.basis == FOOD_RULE


def test_an_enterprise_inspected_in_several_scopes_is_held_to_the_strictest():
    two = visits(30, 1)
    scopes = [("150627", "市场监管"), (COUNTY, "食品安全")]
    alert = frequency_alert_strictest(target_id=1, inspections=two, on=ON, scopes=scopes, parameters=LOCAL)
    assert alert is not None and alert.threshold == 2 and alert.basis == FOOD_RULE
    assert frequency_alert_strictest(target_id=1, inspections=two, on=ON, scopes=scopes[:1], parameters=LOCAL) is None


@pytest.mark.django_db
def test_the_desk_alerts_use_the_county_threshold_of_the_bodies_that_inspected():
    county_body = agency_make(region_code=COUNTY)
    elsewhere = agency_make(region_code="150627")

    def inspected(agency, code: str, days_before: int) -> Inspection:
        target, _ = InspectionTarget.objects.get_or_create(agency=agency, credit_code=code,
                                                           defaults={"name": f"企业{code[-4:]}", "sector": "市场监管"})
        day = ON - dt.timedelta(days=days_before)
        return Inspection.objects.create(agency=agency, target=target, source=InspectionSource.COMPLAINT,
                                         planned_from=day, planned_to=day, started_on=day, state=InspectionState.CLOSED)

    for days_before in (150, 60, 1):
        inspected(county_body, "91150626MA0000011X", days_before)
        inspected(elsewhere, "91150627MA0000012X", days_before)
    found = inspection_frequency_alerts(on=ON, parameters=LOCAL)
    assert [(f.credit_code, f.alert.threshold, f.alert.basis) for f in found] == [
        ("91150626MA0000011X", 3, COUNTY_RULE)]
    assert inspection_frequency_alerts(on=ON) == []  # the default: 4 in 90 days

"""检查频次 through the API (issue 19): the page /staff/inspection/frequency/'s table (per agency, the
enterprises inspected once, twice, three times or more in a year, counting the inspections that count
in the annual statistics) and, for one agency and one figure, its enterprises with their inspections,
for the page's readers (an agency's staff their agency, the county's supervisors and a system
administrator every agency), through the page's selectors. Handlers parse, call and render."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from sanxiang.api.schemas import answers
from sanxiang.inputs import ID_MAX
from sanxiang.inspection import frequency_selectors as sel
from sanxiang.procedure.annual_counting import INSPECTION_FREQUENCY_BANDS, INSPECTION_FREQUENCY_SOURCE

router = Router(tags=["inspections"])
YEARS_BACK = 5  # the page's years: this year and the five before


class FrequencyBandOut(Schema):
    times: int = Field(..., description="检查次数档（3 为三次及以上）")
    label: str
    enterprises: int = Field(..., description="该档的企业数")


class FrequencyAgencyOut(Schema):
    agency_id: int
    agency_name: str
    bands: list[FrequencyBandOut]
    enterprises: int = Field(..., description="被检查的企业合计")


class FrequencyInspectionOut(Schema):
    id: int
    started_on: dt.date | None = Field(..., description="检查日期")
    result_sent_on: dt.date | None = Field(..., description="结果送达日期")
    result_outcome: str = Field(..., description="检查结果")


class FrequencyEnterpriseOut(Schema):
    target_id: int
    name: str
    credit_code: str
    times: int = Field(..., description="本年计入统计的检查次数")
    inspections: list[FrequencyInspectionOut]


class FrequencyOut(Schema):
    year: int
    basis: str = Field(..., description="统计口径（平台统计口径）")
    agencies: list[FrequencyAgencyOut]
    enterprises: list[FrequencyEnterpriseOut] | None = Field(
        ..., description="填写 agency 与 times 时：该档的企业及其检查；否则为 null")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ("query", field), "msg": message}])


@router.get("/inspection-frequency", response=answers({200: FrequencyOut}, 403, 404))
def inspection_frequency_get(
    request: HttpRequest,
    year: int | None = Query(None, ge=1, le=9999, description="年度（本年及以前五年；默认本年）"),
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法机关（本县的读者可选；机关人员总是本机关）"),
    times: int | None = Query(None, ge=1, le=max(INSPECTION_FREQUENCY_BANDS),
                              description="检查次数档：1、2 或 3（三次及以上），须同时为一个机关，列出该档的企业"),
):
    """企业检查频次：每个执法机关一年内被检查一次、两次、三次及以上的企业数（只计入年度统计的检查），与页面相同；
    填写 times 时列出一个机关该档的企业及其检查。机关人员看到本机关，司法局监督人员看到本县各机关，系统管理员看到全部；
    其他人 403，他县的机关 404。"""
    this_year = timezone.localdate().year
    if year is None:
        year = this_year
    elif not this_year - YEARS_BACK <= year <= this_year:
        raise _invalid("year", f"年度须在{this_year - YEARS_BACK}年至{this_year}年之间")
    scope = sel.frequency_scope(viewer=request.user, agency_id=agency)
    if times is not None and scope.agency is None:
        raise _invalid("agency", "列出某档的企业须选择一个执法机关")
    rows = sel.inspection_frequency(agencies=scope.agencies, year=year)
    enterprises = None
    if times is not None:
        enterprises = [{
            "target_id": e.target_id, "name": e.name, "credit_code": e.credit_code, "times": e.times,
            "inspections": [{"id": i.pk, "started_on": i.started_on, "result_sent_on": i.result_sent_on,
                             "result_outcome": i.result_outcome or ""} for i in e.inspections],
        } for e in sel.inspection_frequency_records(agency=scope.agency, year=year, band=times)]
    return {
        "year": year, "basis": INSPECTION_FREQUENCY_SOURCE,
        "agencies": [{"agency_id": r.agency.pk, "agency_name": r.agency.name, "enterprises": r.enterprises,
                      "bands": [{"times": b, "label": INSPECTION_FREQUENCY_BANDS[b], "enterprises": n}
                                for b, n in r.bands.items()]} for r in rows],
        "enterprises": enterprises,
    }

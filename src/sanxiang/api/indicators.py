"""执法指标 through the API (issue 19 item 1): the same table as the page
`/staff/evaluation/indicators/`, for the periods the page accepts (its form's bounds), computed by the same selector (one grouped query per indicator part,
whatever the number of records), for a month, a year or a range of days."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from sanxiang.api.schemas import answers
from sanxiang.evaluation.indicator_forms import FIRST_YEAR, LAST_YEAR, LONGEST_RANGE_DAYS
from sanxiang.evaluation.indicators import (
    indicator_table,
    period_month,
    period_range,
    period_year,
    user_reads_indicators,
)

router = Router(tags=["indicators"])
_SINCE = Query(None, description="自某日起（含）：与 until 同填为一段日期，不填 year；ISO 日期 YYYY-MM-DD")
_UNTIL = Query(None, description="至某日止（含），不早于 since")
_START = Query(None, deprecated=True, description="已弃用，请用 since（下一版本移除）")
_END = Query(None, deprecated=True, description="已弃用，请用 until（下一版本移除）")


class IndicatorOut(Schema):
    code: str
    version: int
    name: str
    numerator: str = Field(..., description="分子的口径")
    denominator: str = Field(..., description="分母的口径")
    unit: str = Field(..., description="percent（百分比，保留一位小数）或 count（项数）")
    higher_is_better: bool
    basis: str = Field(..., description="指标对应的法定职责及依据")


class FigureOut(Schema):
    numerator: int
    denominator: int
    value: float | None = Field(..., description="百分比或项数；分母为0时为 null")


class AgencyFiguresOut(Schema):
    agency_id: int
    agency_name: str
    figures: dict[str, FigureOut] = Field(..., description="指标代码 → 数值")


class IndicatorTableOut(Schema):
    period_start: dt.date
    period_end: dt.date
    period_label: str
    indicators: list[IndicatorOut]
    pending: list[IndicatorOut] = Field(..., description="尚无数据来源、暂不计算的指标")
    agencies: list[AgencyFiguresOut]
    totals: dict[str, FigureOut]


def _invalid(field: str) -> ValidationError:
    return ValidationError([{"type": "period_invalid", "loc": ("query", field), "msg": "period invalid"}])


def _indicator_out(indicator) -> dict:
    return {"code": indicator.code, "version": indicator.version, "name": indicator.name,
            "numerator": indicator.numerator, "denominator": indicator.denominator, "unit": str(indicator.unit),
            "higher_is_better": indicator.higher_is_better, "basis": indicator.basis_text()}


def _figure(figure) -> dict:
    return {"numerator": figure.numerator, "denominator": figure.denominator, "value": figure.value}


@router.get("/indicators", response=answers({200: IndicatorTableOut}, 403))
def indicator_table_get(
    request: HttpRequest,
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="年度；与 month 同填为某月"),
    month: int | None = Query(None, ge=1, le=12, description="月份（需同时填写 year）"),
    since: dt.date | None = _SINCE,
    until: dt.date | None = _UNTIL,
    start: dt.date | None = _START,
    end: dt.date | None = _END,
):
    """执法指标：本人可见的执法机关 × 指标，及合计。司法局监督人员为本县（区）各执法机关，机关负责人为本机关。
    期间为 year（某年）、year 与 month（某月），或 since 与 until（一段日期，含首尾两日）。"""
    if not user_reads_indicators(request.user):
        raise PermissionDenied("只有司法局监督人员、系统管理员和机关负责人可以查看执法指标")
    if (since is not None or until is not None) and (start is not None or end is not None):
        raise _invalid("since")
    # start and end: the names of the first release, kept one release as aliases (errors name them).
    first, last = ("start", "end") if start is not None or end is not None else ("since", "until")
    start, end = (start, end) if first == "start" else (since, until)
    if start is not None or end is not None:
        if start is None or end is None or year is not None or month is not None:
            raise _invalid(first if start is None else last if end is None else "year")
        if end < start or (end - start).days > LONGEST_RANGE_DAYS:
            raise _invalid(last)
        period = period_range(start, end)
    elif year is not None:
        period = period_month(year, month) if month is not None else period_year(year)
    elif month is not None:
        raise _invalid("year")
    else:
        raise _invalid("year")
    table = indicator_table(viewer=request.user, period=period)
    return {
        "period_start": period.start, "period_end": period.end, "period_label": period.label,
        "indicators": [_indicator_out(i) for i in table.indicators],
        "pending": [_indicator_out(i) for i in table.pending],
        "agencies": [{"agency_id": a.pk, "agency_name": a.name,
                      "figures": {i.code: _figure(f) for i, f in row}} for a, row in table.rows()],
        "totals": {i.code: _figure(f) for i, f in table.total_row()},
    }

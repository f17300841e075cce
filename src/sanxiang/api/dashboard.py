"""驾驶舱 through the API (issue 19): what /staff/evaluation/dashboard/ shows — the totals of every
indicator, the ranking of the agencies by the chosen one, its trend month by month and the overdue
lists — for the page's readers (the county's supervisors, a system administrator, an agency's head
for their agency), built by the page's own selector (evaluation.dashboard_selectors.dashboard_build).
Handlers parse, call and render."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sanxiang.api.indicators import (
    FigureOut,
    IndicatorOut,
    figure_out,
    indicator_out,
    parameters_in_force,
    period_asked,
)
from sanxiang.api.schemas import answers
from sanxiang.evaluation.dashboard_selectors import dashboard_build, user_reads_dashboard
from sanxiang.evaluation.indicator_forms import FIRST_YEAR, LAST_YEAR
from sanxiang.evaluation.indicators import SOURCES

router = Router(tags=["indicators"])
_SINCE = Query(None, description="自某日起（含）：与 until 同填为一段日期，不填 year")
_UNTIL = Query(None, description="至某日止（含），不早于 since")
_INDICATOR = Query(None, description="排名与趋势所按的指标（不填为第一项现行指标）")
IndicatorCodeIn = Literal[tuple(SOURCES)]  # type: ignore[valid-type]


class DashboardRankOut(Schema):
    rank: int = Field(..., description="名次（按该指标的方向，最好的为1）；期间内没有应计事项的为 0，排在最后")
    agency_id: int
    agency_name: str
    figure: FigureOut


class DashboardTotalOut(Schema):
    indicator: IndicatorOut
    figure: FigureOut


class DashboardMonthOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    figure: FigureOut


class DashboardPartOut(Schema):
    label: str
    count: int


class DashboardOverdueRowOut(Schema):
    agency_name: str
    reference: str
    title: str | None = Field(..., description="标题；本人无权阅读的案件为 null")
    due: dt.date | None = Field(..., description="期限")
    days_over: int | None = Field(..., description="逾期天数")


class DashboardOverdueOut(Schema):
    key: str
    label: str
    meaning: str
    count: int
    parts: list[DashboardPartOut] = Field(..., description="分布在几个列表时的各部分")
    rows: list[DashboardOverdueRowOut] = Field(..., description="最需要处理的几条（页面显示的）")
    more: int = Field(..., description="未列出的条数")


class DashboardOut(Schema):
    period_start: dt.date
    period_end: dt.date
    period_label: str
    county: bool = Field(..., description="为本县（区）各机关的看板；机关负责人看到本机关的为 false")
    indicator: IndicatorOut = Field(..., description="排名与趋势所按的指标")
    totals: list[DashboardTotalOut]
    ranking: list[DashboardRankOut]
    trend: list[DashboardMonthOut]
    overdue: list[DashboardOverdueOut]


@router.get("/dashboard", response=answers({200: DashboardOut}, 403))
def dashboard_get(
    request: HttpRequest,
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="年度；与 month 同填为某月；都不填为本年"),
    month: int | None = Query(None, ge=1, le=12, description="月份（需同时填写 year）"),
    since: dt.date | None = _SINCE,
    until: dt.date | None = _UNTIL,
    indicator: IndicatorCodeIn | None = _INDICATOR,
):
    """驾驶舱（数据看板）：期间内各指标的合计、各执法机关按所选指标的排名、该指标的逐月趋势和逾期事项，与页面相同。
    司法局监督人员看到本县（区）各机关，系统管理员看到全部，机关负责人看到本机关；其他人 403。"""
    user = request.user
    if not user_reads_dashboard(user):
        raise PermissionDenied("只有司法局监督人员、系统管理员和机关负责人可以查看数据看板")
    today = timezone.localdate()
    if year is None and month is None and since is None and until is None:
        year = today.year
    period = period_asked(year=year, month=month, since=since, until=until)
    if since is not None:
        period_query = f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    else:
        period_query = f"period={year}" + (f"-{month:02d}" if month else "")
    with parameters_in_force(year=None if since else year):  # a period (or its months) before a rule it reads
        built = dashboard_build(viewer=user, period=period, period_query=period_query,
                                indicator_code=indicator or "", today=today)
    return {
        "period_start": period.start, "period_end": period.end, "period_label": period.label,
        "county": built.viewer_county, "indicator": indicator_out(built.indicator),
        "totals": [{"indicator": indicator_out(i), "figure": figure_out(f)} for i, f in built.totals()],
        "ranking": [{"rank": rank, "agency_id": a.pk, "agency_name": a.name, "figure": figure_out(f)}
                    for rank, a, f in built.ranking()],
        "trend": [{"start": m.start, "end": m.end, "label": m.label, "figure": figure_out(f)} for m, f in built.trend],
        "overdue": [{"key": o.key, "label": o.label, "meaning": o.meaning, "count": o.count, "more": o.more,
                     "parts": [{"label": p.label, "count": p.count} for p in o.parts],
                     "rows": [{"agency_name": r.agency_name, "reference": r.reference,
                               "title": None if r.withheld else r.title, "due": r.due, "days_over": r.days_over}
                              for r in o.rows]} for o in built.overdue],
    }

"""执法指标 through the API (issue 19 item 1): the same table as the page
`/staff/evaluation/indicators/`, for the periods the page accepts (its form's bounds), computed by the same selector (one grouped query per indicator part,
whatever the number of records), for a month, a year or a range of days."""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import PageOut, cursor_query, limit_query
from sanxiang.api.schemas import answers
from sanxiang.evaluation.indicator_forms import FIRST_YEAR, LAST_YEAR, LONGEST_RANGE_DAYS
from sanxiang.evaluation.indicators import (
    NUMERATOR,
    SIDE_LABELS,
    SOURCES,
    Period,
    RecordList,
    indicator_agencies,
    indicator_records,
    indicator_table,
    indicator_trend,
    period_month,
    period_range,
    period_year,
    user_reads_indicators,
)
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.indicators import indicator_current
from sanxiang.procedure.parameters import ParameterMissing

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


def indicator_out(indicator) -> dict:
    return {"code": indicator.code, "version": indicator.version, "name": indicator.name,
            "numerator": indicator.numerator, "denominator": indicator.denominator, "unit": str(indicator.unit),
            "higher_is_better": indicator.higher_is_better, "basis": indicator.basis_text()}


def figure_out(figure) -> dict:
    return {"numerator": figure.numerator, "denominator": figure.denominator, "value": figure.value}


def period_asked(*, year: int | None, month: int | None, since: dt.date | None, until: dt.date | None,
            start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """The period asked: a year, a month of a year, or a range of days (422 naming the field otherwise)."""
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
        if not FIRST_YEAR <= start.year <= end.year <= LAST_YEAR:  # the years a period may fall in, as `year`'s
            raise _invalid(first if not FIRST_YEAR <= start.year <= LAST_YEAR else last)
        period = period_range(start, end)
    elif year is not None:
        period = period_month(year, month) if month is not None else period_year(year)
    elif month is not None:
        raise _invalid("year")
    else:
        raise _invalid("year")
    return period


@contextmanager
def parameters_in_force(*, year: int | None) -> Iterator[None]:
    """A period before a rule an indicator counts by was in force (the hours of training required,
    the steps to be recorded on video ...) cannot be counted: 422 on `year` (or `since`) with the
    reason, where it was a server error."""
    try:
        yield
    except ParameterMissing as missing:
        raise InputRefused([dataclasses.replace(missing.violation, field="year" if year is not None else "since")],
                           ) from None


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
    period = period_asked(year=year, month=month, since=since, until=until, start=start, end=end)
    with parameters_in_force(year=year):
        table = indicator_table(viewer=request.user, period=period)
        return _table_out(table, period)


def _table_out(table, period: Period) -> dict:
    return {
        "period_start": period.start, "period_end": period.end, "period_label": period.label,
        "indicators": [indicator_out(i) for i in table.indicators],
        "pending": [indicator_out(i) for i in table.pending],
        "agencies": [{"agency_id": a.pk, "agency_name": a.name,
                      "figures": {i.code: figure_out(f) for i, f in row}} for a, row in table.rows()],
        "totals": {i.code: figure_out(f) for i, f in table.total_row()},
    }


# --- the records behind a number, and a number month by month (issue 19: every number opens its records) ------------

_CODES = list(SOURCES)
_CURSOR_SALT = "sanxiang.api.indicator-records"
_READ_REFUSED = "只有司法局监督人员、系统管理员和机关负责人可以查看执法指标"
_INDICATOR = Query(..., max_length=60, description="指标代码（见 GET /api/indicators 的 indicators[].code）："
                   + "、".join(_CODES))
_AGENCY = Query(None, ge=1, le=ID_MAX, description="只看一个执法机关的（不填为本人可查看的全部执法机关）")
_YEAR = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="年度；与 month 同填为某月")
_MONTH = Query(None, ge=1, le=12, description="月份（需同时填写 year）")


def _code_and_period(code: str, **asked) -> tuple[str, Period]:
    """The indicator and the period asked, or one 422 naming every field wrong of both."""
    errors = []
    if code not in SOURCES:
        errors.append({"type": "indicator_unknown", "loc": ("query", "indicator"), "msg": "unknown"})
    try:
        period = period_asked(**asked)
    except ValidationError as invalid:
        errors += invalid.errors
    if errors:
        raise ValidationError(errors)
    return code, period


class IndicatorRecordDateOut(Schema):
    label: str = Field(..., description="日期的含义（如 决定日期、公示期限）")
    date: dt.date | None


class IndicatorRecordOut(Schema):
    agency_name: str
    reference: str = Field(..., description="案件编号、文书编号或者执法人员姓名等")
    title: str = Field(..., description="记录的标题；司法局监督人员无调阅授权的案件为空字符串（title_withheld）")
    title_withheld: bool = Field(..., description="案件标题因未经调阅而不提供")
    case_id: int | None = Field(..., description="记录所属的案件；不是案件的记录为 null")
    dates: list[IndicatorRecordDateOut]
    note: str = Field(..., description="说明（如 逾期天数）")


class IndicatorRecordPartOut(Schema):
    label: str
    count: int


class IndicatorRecordPageOut(PageOut):
    indicator: IndicatorOut
    side: str = Field(..., description="numerator（分子）或 denominator（分母）")
    side_label: str
    side_meaning: str = Field(..., description="该口径的含义")
    period_start: dt.date
    period_end: dt.date
    period_label: str
    agency_id: int | None
    agency_name: str | None
    count: int = Field(..., description="记录总数，即指标表中的该数字")
    parts: list[IndicatorRecordPartOut] = Field(..., description="由几类记录组成的指标：每类的条数")
    items: list[IndicatorRecordOut]


def _cursor_scope(code: str, side: str, period: Period, agency_id: int | None) -> str:
    return f"{_CURSOR_SALT}:{code}:{side}:{period.start}:{period.end}:{agency_id or ''}"


def _offset(cursor: str | None, scope: str) -> int:
    """The position a cursor of this very list (same indicator, side, period and agency) stands at."""
    if not cursor:
        return 0
    try:
        offset = signing.loads(cursor, salt=scope)
    except (signing.BadSignature, ValueError, UnicodeError):
        offset = None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise ValidationError([{"type": "cursor_invalid", "loc": ("query", "cursor"), "msg": "cursor invalid"}])
    return offset


def indicator_record_page(*, request: HttpRequest, code: str, side: str, period: Period, agency_id: int | None,
                          limit: int, cursor: str | None, path: str = "/api/indicators/records",
                          query: dict | None = None) -> dict | None:
    """One page of the records behind a number, as GET /api/indicators/records answers it (None: an
    agency the viewer does not read). Shared with the work report's records (api.acceptance)."""
    scope = _cursor_scope(code, side, period, agency_id)
    offset = _offset(cursor, scope)
    today = timezone.localdate()
    indicator = indicator_current(code, on=period.as_of(today))
    listing: RecordList | None = indicator_records(viewer=request.user, indicator=indicator, side=side, period=period,
                                                   agency_id=agency_id, offset=offset, limit=limit, today=today)
    if listing is None:
        return None
    after = offset + len(listing.rows)
    next_cursor = signing.dumps(after, salt=scope) if after < listing.count else None
    if query is None:
        query = {key: value for key, value in request.GET.items() if key != "cursor"}
    return {
        "indicator": indicator_out(indicator), "side": side, "side_label": SIDE_LABELS[side],
        "side_meaning": indicator.numerator if side == NUMERATOR else indicator.denominator,
        "period_start": period.start, "period_end": period.end, "period_label": period.label,
        "agency_id": listing.agency.pk if listing.agency else None,
        "agency_name": listing.agency.name if listing.agency else None,
        "count": listing.count, "parts": [{"label": label, "count": n} for label, n in listing.parts],
        "items": [{"agency_name": r.agency_name, "reference": r.reference, "title": r.title,
                   "title_withheld": r.withheld, "case_id": r.case_id,
                   "dates": [{"label": label, "date": day} for label, day in r.dates], "note": r.note}
                  for r in listing.rows],
        "next_cursor": next_cursor,
        "next": f"{path}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None,
    }


@router.get("/indicators/records", response=answers({200: IndicatorRecordPageOut}, 403, 404))
def indicator_records_get(
    request: HttpRequest,
    indicator: str = _INDICATOR,
    side: Literal["numerator", "denominator"] = Query(..., description="numerator：分子的记录；denominator：分母的记录"),
    year: int | None = _YEAR,
    month: int | None = _MONTH,
    since: dt.date | None = _SINCE,
    until: dt.date | None = _UNTIL,
    agency: int | None = _AGENCY,
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """指标表中一个数字背后的记录，与指标记录页面相同：某项指标在某期间（year、year 与 month，或 since 与 until）
    分子或分母的每一条记录（案件、文书、执法人员等），count 即表中的数字。司法局监督人员为本县各执法机关的
    （未经调阅的案件不提供标题），机关负责人为本机关的；不可查看的执法机关返回 404。"""
    if not user_reads_indicators(request.user):
        raise PermissionDenied(_READ_REFUSED)
    code, period = _code_and_period(indicator, year=year, month=month, since=since, until=until)
    with parameters_in_force(year=year):
        page = indicator_record_page(request=request, code=code, side=side, period=period, agency_id=agency,
                                     limit=limit, cursor=cursor)
    if page is None:
        raise Http404
    return page


class IndicatorMonthOut(Schema):
    period_start: dt.date
    period_end: dt.date
    period_label: str
    numerator: int
    denominator: int
    value: float | None = Field(..., description="百分比或项数；分母为0时为 null")


class IndicatorTrendOut(Schema):
    indicator: IndicatorOut
    period_start: dt.date
    period_end: dt.date
    period_label: str
    agency_id: int | None
    agency_name: str | None
    months: list[IndicatorMonthOut] = Field(..., description="已开始的每个月（首尾两月截至期间的首尾）")


@router.get("/indicators/trend", response=answers({200: IndicatorTrendOut}, 403, 404))
def indicator_trend_get(
    request: HttpRequest,
    indicator: str = _INDICATOR,
    year: int | None = _YEAR,
    month: int | None = _MONTH,
    since: dt.date | None = _SINCE,
    until: dt.date | None = _UNTIL,
    agency: int | None = _AGENCY,
):
    """一项指标逐月的数值，与指标趋势页面相同：本人可查看的全部执法机关合计，或者一个执法机关的；
    每个月的记录见 GET /api/indicators/records（since、until 为该月首尾）。不可查看的执法机关返回 404。"""
    if not user_reads_indicators(request.user):
        raise PermissionDenied(_READ_REFUSED)
    code, period = _code_and_period(indicator, year=year, month=month, since=since, until=until)
    chosen = None
    if agency is not None:
        chosen = indicator_agencies(viewer=request.user).filter(pk=agency).first()
        if chosen is None:
            raise Http404
    with parameters_in_force(year=year):
        trend = indicator_trend(viewer=request.user, code=code, period=period, agency_id=agency)
        indicator_now = indicator_current(code, on=period.end)
    return {
        "indicator": indicator_out(indicator_now),
        "period_start": period.start, "period_end": period.end, "period_label": period.label,
        "agency_id": chosen.pk if chosen else None, "agency_name": chosen.name if chosen else None,
        "months": [{"period_start": m.start, "period_end": m.end, "period_label": m.label,
                    "numerator": f.numerator, "denominator": f.denominator, "value": f.value} for m, f in trend],
    }

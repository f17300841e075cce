"""The working-day calendar's holiday arrangements through the API (issue 19), as the 节假日安排 page
(/staff/cases/calendar/) shows and records them, through the calendar's own selectors and service:
the years entered here (which override the calendar package's data), and a year recorded or
corrected, in the ledger, with every stored deadline recomputed. As on the page, every signed-in
user reads them; the judicial bureau's supervisors and system administrators record them, everyone
else 403. Handlers parse, call and render."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
)
from sanxiang.api.schemas import Status, Text, answers
from sanxiang.calendar import selectors, services
from sanxiang.calendar.models import HolidayYear
from sanxiang.procedure.violations import Refused

router = Router(tags=["calendar"])

HOLIDAY_YEAR_ORDERING = {"year": ("year", "年份"), "id": ("id", "登记先后")}


class HolidayYearOut(Schema):
    id: int
    year: int = Field(..., description="年份")
    holidays: list[dt.date] = Field(..., description="法定节假日（所有放假日期，含假期中的周末）")
    adjusted_working_days: list[dt.date] = Field(..., description="调休上班日（调整为上班的周六、周日）")
    source: str = Field(..., description="依据（国务院办公厅通知的名称）")
    entered_by_id: int | None = Field(..., description="登记人（系统登记为 null；仅向负责登记的司法局监督人员和系统管理员提供，其他角色为 null）")
    entered_by_name: str = Field(..., description="登记人姓名（系统登记为空；仅向负责登记的人员提供，其他角色为空）")
    entered_at: dt.datetime = Field(..., description="登记或最后更正的时间")


class HolidayYearPageOut(PageOut):
    items: list[HolidayYearOut]


def _year_out(row: HolidayYear, *, reveal: bool = True) -> dict:
    """A year; who entered it only to those who maintain the calendar (`reveal`): the years belong to no
    county, and a login name shown to every officer is half of a lockout of that account."""
    user = row.entered_by if reveal else None
    return {
        "id": row.pk, "year": row.year, "holidays": row.holidays, "adjusted_working_days": row.adjusted_working_days,
        "source": row.source, "entered_by_id": user.pk if user else None,
        "entered_by_name": (user.display_name or user.username) if user else "", "entered_at": row.entered_at,
    }


@router.get("/calendar/holiday-years", response=answers({200: HolidayYearPageOut}, 403))
def calendar_holiday_year_list(
    request: HttpRequest,
    ordering: str = ordering_query(HOLIDAY_YEAR_ORDERING, default="-year"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """在本平台登记的各年节假日安排（覆盖日历程序包自带的数据；未登记的年份用程序包的数据，其后的年份按周一至周五估算），
    默认按年份从新到旧，分页返回，与节假日安排页面相同。各角色都可以查看（核对期限按哪些节假日和调休上班日计算）。"""
    order = order_resolve(ordering, keys=HOLIDAY_YEAR_ORDERING, default="-year")
    reveal = request.user.has_perm(services.MAINTAIN_PERMISSION)
    return paginate(request, selectors.holiday_years_list(), order=order, limit=limit, cursor=cursor,
                    item=lambda row: _year_out(row, reveal=reveal))


class HolidayYearIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年份")
    holidays: list[dt.date] = Field(..., min_length=1, max_length=120,
                                    description="法定节假日：该年所有放假日期（含假期中的周末），YYYY-MM-DD")
    adjusted_working_days: list[dt.date] = Field([], max_length=60,
                                                 description="调休上班日：调整为上班的周六、周日（可为空）")
    source: Text(200) = Field(..., min_length=1, description="依据，如：国务院办公厅关于2027年部分节假日安排的通知")


@router.post("/calendar/holiday-years", response=answers({200: HolidayYearOut, 201: HolidayYearOut}, 403))
def calendar_holiday_year_save(request: HttpRequest, payload: HolidayYearIn):
    """登记一年的节假日安排（国务院办公厅公布次年安排后），或更正已登记的一年，与节假日安排页面相同：记入账本，
    各案件已存的期限按新的安排重算。新登记的返回 201，更正的返回 200。日期不在该年内、既是节假日又是调休上班日、
    调休上班日不是周六或周日的，返回 422 并列出全部理由；司法局监督人员和系统管理员以外的 403。"""
    services.calendar_maintainer_require(request.user)
    entered = selectors.holiday_years_list().filter(year=payload.year).exists()
    try:
        row = services.holiday_year_save(
            actor=request.user, year=payload.year, source=payload.source,
            holidays=[day.isoformat() for day in payload.holidays],
            adjusted_working_days=[day.isoformat() for day in payload.adjusted_working_days],
        )
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(200 if entered else 201, _year_out(selectors.holiday_years_list().get(pk=row.pk)))

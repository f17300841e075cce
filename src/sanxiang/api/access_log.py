"""The access log through the API (issue 19): listed as the 访问日志 page lists it (/staff/access/),
through the page's own selector and permission: the judicial bureau's supervisors their county's,
a system administrator all, an agency head their agency's entries; everyone else 403. The page's
CSV and Excel exports are this list in a file: they need no operation of their own. Handlers parse,
call and render."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sanxiang.access import selectors
from sanxiang.access.models import OBJECT_KIND_LABELS, AccessAction, AccessLogEntry
from sanxiang.access.permissions import user_can_read_access_log
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    date_range_check,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import Text, answers

router = Router(tags=["access"])

ACCESS_ACTIONS = [(value, str(label)) for value, label in AccessAction.choices]
AccessActionIn = Literal[tuple(value for value, _ in ACCESS_ACTIONS)]  # type: ignore[valid-type]
ACCESS_ORDERING = {"at": ("at", "时间"), "id": ("id", "记录先后")}
CASE = Query("", description="案号（部分即可）")
USER = Query("", description="用户：用户名（完全相同）或姓名的一部分")
ACTION = Query(None, description=status_description(ACCESS_ACTIONS, what="操作"))
AT_SINCE, AT_UNTIL = since_query("访问日期（北京时间）"), until_query("访问日期（北京时间）")
DENIED = "只有司法局监督人员、系统管理员和机关负责人可以查看访问记录"


class AccessLogEntryOut(Schema):
    id: int
    at: dt.datetime = Field(..., description="时间")
    user_id: int | None = Field(..., description="用户（命令行操作为 null）")
    user_name: str = Field(..., description="用户姓名")
    action: str = Field(..., description=status_description(ACCESS_ACTIONS, what="操作"))
    action_label: str
    object_kind: str = Field(..., description="对象类别")
    object_kind_label: str
    object_id: str = Field(..., description="对象")
    object_label: str = Field(..., description="对象名称")
    case_id: int | None = Field(..., description="案件（无为 null）")
    case_number: str = Field(..., description="案号（无为空）")
    agency_id: int | None = Field(..., description="对象所属执法主体（无为 null）")
    agency_name: str = Field(..., description="执法主体名称（无为空）")
    ip_address: str | None = Field(..., description="IP 地址")
    ledger_seq: int | None = Field(..., description="账本序号")


class AccessLogPageOut(PageOut):
    items: list[AccessLogEntryOut]


def _entry_out(entry: AccessLogEntry) -> dict:
    user = entry.user
    return {
        "id": entry.pk, "at": entry.at, "user_id": entry.user_id,
        "user_name": (user.display_name or user.username) if user else "",
        "action": entry.action, "action_label": dict(ACCESS_ACTIONS).get(entry.action, entry.action),
        "object_kind": entry.object_kind,
        "object_kind_label": str(OBJECT_KIND_LABELS.get(entry.object_kind, entry.object_kind)),
        "object_id": entry.object_id, "object_label": entry.object_label,
        "case_id": entry.case_id, "case_number": entry.case.number if entry.case else "",
        "agency_id": entry.agency_id, "agency_name": entry.agency.name if entry.agency else "",
        "ip_address": entry.ip_address, "ledger_seq": entry.ledger_seq,
    }


@router.get("/access-log", response=answers({200: AccessLogPageOut}, 403))
def access_log_list(
    request: HttpRequest,
    case: Text(80) = CASE,
    user: Text(150) = USER,
    action: AccessActionIn | None = ACTION,
    since: dt.date | None = AT_SINCE,
    until: dt.date | None = AT_UNTIL,
    ordering: str = ordering_query(ACCESS_ORDERING, default="-at"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """访问记录（谁在何时查看、下载、导出了什么），默认按时间从新到旧，分页返回，与访问日志页面相同：司法局监督人员看到本县的，
    系统管理员看到全部，机关负责人看到本机关对象的；其他人 403。页面的 CSV、Excel 导出即本列表。"""
    if not user_can_read_access_log(request.user):
        raise PermissionDenied(DENIED)
    date_range_check(since, until)
    filters = selectors.AccessLogFilter(case=case.strip(), user=user.strip(), date_from=since, date_to=until,
                                        action=action or "")
    rows = selectors.access_log_list(viewer=request.user, filters=filters)
    order = order_resolve(ordering, keys=ACCESS_ORDERING, default="-at")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_entry_out)

"""The inbox (待办) through the API (issue 19), as the page `/staff/inbox/` shows it to the same user:
the kinds of work that concern the user (codes and labels of `sanxiang.inbox.selectors`), each
with its count and its items, an item with the resource it opens as an API path where the API has
one (`ApiLinks`). Each kind pages by its own position cursor (`kind` + `cursor`); a reminder's
dismissal is the reminders' operation (`POST /api/reminders/{id}/actions/dismiss`), linked from the
item. The count is the navigation's, and `total` equals it: every kind but the cases' queues is read
as a COUNT and the slice asked for (`ItemsRead`), never cut off. Given `kind`, only that kind is read
(and the total counted). A bounded number of queries whatever the number of rows
(`sanxiang.inbox.selectors`' docstring). Handlers parse, call and render."""

import datetime as dt
from typing import Literal
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from sanxiang.api.pagination import cursor_query, limit_query, status_description
from sanxiang.api.schemas import answers
from sanxiang.inbox import selectors as inbox_selectors
from sanxiang.inbox.selectors import KIND_LABELS, Inbox, InboxGroup, InboxItem, Target

router = Router(tags=["inbox"])

KindIn = Literal[tuple(KIND_LABELS)]  # type: ignore[valid-type]
KIND_DESCRIPTION = status_description(KIND_LABELS, what="待办种类")
KIND_QUERY = Query(None, description=f"只列该种类（{KIND_DESCRIPTION}）")
_CURSOR_SALT = "sanxiang.api.inbox"
RESOURCE_LABELS = {
    inbox_selectors.CASE: "案件",
    inbox_selectors.PUBLICATION_DRAFT: "公示草稿",
    inbox_selectors.COMPLAINT_RESOURCE: "投诉举报",
    inbox_selectors.INSTRUMENT: "监督文书",
    inbox_selectors.FILING: "重大执法决定备案",
    inbox_selectors.COORDINATION: "执法协调",
    inbox_selectors.MATTER: "监督事项",
    inbox_selectors.NOTICE: "通报",
    inbox_selectors.MONTHLY_REPORT: "工作月报",
    inbox_selectors.REMINDER_RESOURCE: "提醒",
}

# The API operation that reads each resource (its URL name) and the name of its path parameter.
_OPERATIONS = {
    inbox_selectors.CASE: ("api:case_get", "case_id"),
    inbox_selectors.PUBLICATION_DRAFT: ("api:publication_draft_get", "draft_id"),
    inbox_selectors.COMPLAINT_RESOURCE: ("api:supervision_complaint_get", "complaint_id"),
    inbox_selectors.INSTRUMENT: ("api:supervision_instrument_get", "instrument_id"),
    inbox_selectors.FILING: ("api:supervision_filing_get", "filing_id"),
    inbox_selectors.COORDINATION: ("api:supervision_coordination_get", "coordination_id"),
    inbox_selectors.MATTER: ("api:supervision_matter_get", "matter_id"),
    inbox_selectors.NOTICE: ("api:supervision_notice_get", "notice_id"),
    inbox_selectors.MONTHLY_REPORT: ("api:monthly_report_get", "report_id"),
}


class ApiLinks:
    """The API's paths: each resource's GET; a reminder has no GET of its own (it is listed by
    `GET /api/reminders`) but is dismissed by its POST."""

    def target(self, target: Target) -> str:
        operation = _OPERATIONS.get(target.resource)
        if operation is None:
            return ""
        name, parameter = operation
        return reverse(name, kwargs={parameter: target.id})

    def dismiss(self, reminder_id: int) -> str:
        return reverse("api:reminder_dismiss_action", kwargs={"reminder_id": reminder_id})


API_LINKS = ApiLinks()


class InboxItemOut(Schema):
    what: str = Field(..., description="待办的事项（须办理的环节、将届满的期限等），与待办页面的标题相同")
    resource: str | None = Field(..., description=status_description(RESOURCE_LABELS, what="所涉资源的种类"))
    resource_id: int | None = Field(..., description="所涉资源的 id（种类见 resource）")
    path: str | None = Field(..., description="所涉资源在接口中的地址（GET）；接口没有单独读取的（如提醒）为 null")
    case_id: int | None = Field(..., description="所涉案件的 id；不涉及案件的为 null")
    number: str = Field(..., description="编号：案号、文书编号、受理编号等（页面上标题前的一项，可能为空）")
    title: str = Field(..., description="标题：案由、事项、所涉机关等（可能为空）")
    detail: str = Field(..., description="说明（可能为空）")
    since_label: str = Field(..., description="起始日期的含义，如“登记于”“送审于”“逾期自”")
    since: dt.date = Field(..., description="起始日期（含义见 since_label）")
    due: dt.date | None = Field(..., description="届满日或者到期日；没有的为 null")
    due_note: str = Field(..., description="届满情况，如“已逾期3日”“今日到期”“还有2日”（没有届满日的为空）")
    overdue: bool = Field(..., description="已逾期")
    estimated: bool = Field(..., description="届满日为估算（其后的节假日安排尚未公布）")
    dismiss: str | None = Field(..., description="提醒：知悉（不再提醒本阶段）的接口地址（POST）；其他为 null")


class InboxKindOut(Schema):
    kind: str = Field(..., description=KIND_DESCRIPTION)
    label: str = Field(..., description="待办种类的中文名称，与待办页面相同")
    count: int = Field(..., description="该种类的待办条数（与待办页面相同）")
    items: list[InboxItemOut] = Field(..., description="该种类的待办，按页面的顺序，至多 limit 条")
    next_cursor: str | None = Field(None, description="该种类下一页的翻页标记（与 kind 一起传回）；没有下一页时为 null")
    next: str | None = Field(None, description="该种类下一页的地址；没有下一页时为 null")


class InboxOut(Schema):
    on: dt.date = Field(..., description="计算待办的日期（今日，北京时间）")
    total: int = Field(..., description="待办总数（各种类之和，与导航栏“待办”旁的数字相同）")
    kinds: list[InboxKindOut] = Field(..., description="与本人有关的各种类，按待办页面的顺序（包括没有待办的种类）；"
                                                    "给出 kind 时只有该种类")


class InboxCountOut(Schema):
    total: int = Field(..., description="待办总数，即导航栏“待办”旁的数字")


def _offset(cursor: str | None, kind: str | None) -> int:
    """The position a cursor of this kind's list stands at; a cursor without its kind, of another
    kind, or not given by this server is refused (422 on `cursor`)."""
    if not cursor:
        return 0
    offset = None
    if kind is not None:
        try:
            offset = signing.loads(cursor, salt=f"{_CURSOR_SALT}:{kind}")
        except (signing.BadSignature, ValueError, UnicodeError):
            offset = None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise ValidationError([{"type": "cursor_invalid", "loc": ("query", "cursor"), "msg": "cursor invalid"}])
    return offset


def _item_out(item: InboxItem) -> dict:
    target = item.target
    return {
        "what": item.what, "resource": target.resource if target else None, "resource_id": target.id if target else None,
        "path": item.url or None, "case_id": item.case_id, "number": item.number, "title": item.title,
        "detail": item.detail, "since_label": item.since_label, "since": item.since, "due": item.due,
        "due_note": item.due_note, "overdue": item.overdue, "estimated": item.estimated,
        "dismiss": item.dismiss_url or None,
    }


def _kind_out(request: HttpRequest, group: InboxGroup, *, offset: int, limit: int) -> dict:
    # A kind read a slice at a time (ItemsRead: all but the cases' queues) reads its count and this slice only.
    count = group.count
    items = group.items[offset:offset + limit] if offset < count else []
    after = offset + len(items)
    next_cursor = signing.dumps(after, salt=f"{_CURSOR_SALT}:{group.kind}") if after < count else None
    query = {"kind": group.kind, "limit": limit, "cursor": next_cursor}
    return {
        "kind": group.kind, "label": group.label, "count": count, "items": [_item_out(i) for i in items],
        "next_cursor": next_cursor, "next": f"{request.path}?{urlencode(query)}" if next_cursor else None,
    }


@router.get("/inbox", summary="待办事项", response=answers({200: InboxOut}))
def inbox_get(
    request: HttpRequest,
    kind: KindIn | None = KIND_QUERY,
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """本人的待办事项，与待办页面相同：与本人有关的各种类（立案审批、法制审核、集体讨论、公示审核、期限、罚款、
    监督文书、监督事项、备案审查、月报、提醒等），每类的条数和其中的待办（每类至多 limit 条），每项附所涉资源的接口地址。
    一类的下一页：传回该类的 kind 和 next_cursor（或直接请求 next）；翻页标记记的是位置，翻页期间办结或新增的待办
    可能使某条重复或略过。提醒的知悉见各项的 dismiss（POST /api/reminders/{id}/actions/dismiss）。"""
    offset = _offset(cursor, kind)
    # Given a kind, only that kind is built (the others are not read), and the total is counted.
    inbox: Inbox = inbox_selectors.inbox_build(user=request.user, links=API_LINKS, only=kind)
    total = inbox.total if kind is None else inbox_selectors.inbox_count(user=request.user, on=inbox.on)
    return {
        "on": inbox.on, "total": total,
        "kinds": [_kind_out(request, g, offset=offset, limit=limit) for g in inbox.groups],
    }


@router.get("/inbox/count", summary="待办事项的条数", response=answers({200: InboxCountOut}))
def inbox_count_get(request: HttpRequest):
    """待办总数，与导航栏“待办”旁的数字相同（按条数计算，不读取待办本身）。"""
    return {"total": inbox_selectors.inbox_count(user=request.user)}

"""Events for other systems: subscriptions and their delivery log (issue 19, item 4). The secret of
a subscription is in the answer to its creation only."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from sanxiang.accounts.permissions import permission_require
from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.outbox import selectors, services
from sanxiang.outbox.models import Delivery, DeliveryStatus, Subscription
from sanxiang.outbox.views import DENIED, event_label
from sanxiang.procedure.violations import Refused, Violation

try:
    from ninja import Status
except ImportError:  # django-ninja before 1.5 takes a (status, body) tuple

    def Status(status_code: int, value: Any) -> tuple[int, Any]:
        return status_code, value


router = Router(tags=["outbox"])


DeliveryStatusIn = Literal[tuple(DeliveryStatus.values)]  # type: ignore[valid-type]


class SubscriptionIn(Schema):
    name: Text(100)
    url: Text(500)
    scope: Literal["agency", "county"]
    agency_id: int | None = Field(None, ge=1, le=ID_MAX)
    region_code: str = Field("", max_length=6)
    kinds: list[str] = Field(default_factory=list, max_length=50)


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str
    scope: str
    agency_id: int | None
    region_code: str
    kinds: list[str]
    active: bool
    secret_hint: str
    created_at: dt.datetime


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str  # shown this once


class SubscriptionPageOut(PageOut):
    items: list[SubscriptionOut]


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    subscription_id: int
    status: str
    attempts: int
    response_code: int | None
    last_error: str
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


class DeliveryPageOut(PageOut):
    items: list[DeliveryOut]


class DeliveryAttemptOut(Schema):
    number: int = Field(..., description="第几次推送")
    at: dt.datetime
    response_code: int | None = Field(..., description="对方应答的 HTTP 状态码；没有应答为 null")
    error: str = Field(..., description="推送失败的原因")
    response: str = Field(..., description="对方应答的内容（截取的开头部分）")
    duration_ms: int = Field(..., description="耗时（毫秒）")


class DeliveryDetailOut(DeliveryOut):
    event_label: str = Field(..., description="事件的中文名称")
    attempt_log: list[DeliveryAttemptOut] = Field(..., description="每次推送的记录，与推送记录页面相同")


def _subscription_out(s: Subscription) -> dict:
    return {
        "id": s.pk, "name": s.name, "url": s.url, "scope": s.scope, "agency_id": s.agency_id,
        "region_code": s.region_code, "kinds": s.kinds, "active": s.active, "secret_hint": s.secret_hint,
        "created_at": s.created_at,
    }


def _delivery_out(d: Delivery) -> dict:
    return {
        "id": d.pk, "event_id": str(d.event_id), "event_type": d.event.kind, "subscription_id": d.subscription_id,
        "status": d.status, "attempts": d.attempts, "response_code": d.response_code, "last_error": d.last_error,
        "next_attempt_at": d.next_attempt_at if d.status == DeliveryStatus.PENDING else None,
        "delivered_at": d.delivered_at, "created_at": d.created_at,
    }


def _require(request: HttpRequest) -> None:
    permission_require(selectors.user_manages_subscriptions(request.user), DENIED)


SUBSCRIPTION_ORDERING = {"id": ("id", "创建先后"), "name": ("name", "名称")}
DELIVERY_ORDERING = {"id": ("id", "生成先后")}
SUBSCRIPTION_SINCE, SUBSCRIPTION_UNTIL = since_query("创建日期"), until_query("创建日期")
DELIVERY_SINCE, DELIVERY_UNTIL = since_query("生成日期"), until_query("生成日期")
DELIVERY_STATUS = Query(None, description=status_description(DeliveryStatus.choices))


@router.get("/outbox/subscriptions", response=answers({200: SubscriptionPageOut}, 403))
def subscription_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="订阅的执法主体"),
    since: dt.date | None = SUBSCRIPTION_SINCE,
    until: dt.date | None = SUBSCRIPTION_UNTIL,
    ordering: str = ordering_query(SUBSCRIPTION_ORDERING, default="-id"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """本人可管理的事件订阅（不含签名密钥），默认最新创建的在前。"""
    _require(request)
    rows = selectors.subscription_list(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    rows = date_range_filter(rows, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=SUBSCRIPTION_ORDERING, default="-id")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_subscription_out)


@router.post("/outbox/subscriptions", response=answers({201: SubscriptionCreatedOut}, 403, 409))
def subscription_create(request: HttpRequest, response: HttpResponse, payload: SubscriptionIn):
    """新建订阅。签名密钥 secret 只在本次应答中给出；字段不合格时返回 422 并指明字段。"""
    _require(request)
    missing = []
    if payload.scope == "agency" and payload.agency_id is None:
        missing.append(Violation("outbox.agency_missing", "请选择执法主体", "数据校验", "agency_id"))
    if payload.scope == "county" and not payload.region_code.strip():
        missing.append(Violation("outbox.region_missing", "请填写县（区）的行政区划代码", "数据校验", "region_code"))
    if missing:
        raise InputRefused(missing)
    permission_require(
        selectors.user_can_subscribe(request.user, scope=payload.scope, agency_id=payload.agency_id,
                                     region_code=payload.region_code),
        "您只能为本单位（或本县区）创建订阅",
    )
    try:
        subscription, secret = services.subscription_create(
            actor=request.user, scope=payload.scope, agency_id=payload.agency_id, region_code=payload.region_code,
            name=payload.name, url=payload.url, kinds=payload.kinds,
        )
    except Refused as refused:
        return Status(422, {"error": {"code": "invalid", "message": "请求格式不正确"},
                            "violations": [v.as_dict() for v in refused.violations]})
    response["Cache-Control"] = "no-store"  # the secret, once: neither caches nor Idempotency-Key replays keep it
    return Status(201, {**_subscription_out(subscription), "secret": secret})


@router.get("/outbox/deliveries", response=answers({200: DeliveryPageOut}, 403))
def delivery_list(
    request: HttpRequest,
    subscription: int | None = Query(None, ge=1, le=ID_MAX, description="订阅"),
    subscription_id: int | None = Query(None, ge=1, le=ID_MAX, deprecated=True,
                                        description="已弃用，请用 subscription（下一版本移除）"),
    status: DeliveryStatusIn | None = DELIVERY_STATUS,
    since: dt.date | None = DELIVERY_SINCE,
    until: dt.date | None = DELIVERY_UNTIL,
    ordering: str = ordering_query(DELIVERY_ORDERING, default="-id"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """推送记录，默认最新的在前。"""
    _require(request)
    rows = selectors.delivery_list(viewer=request.user, subscription_id=subscription or subscription_id, status=status)
    rows = date_range_filter(rows, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=DELIVERY_ORDERING, default="-id")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_delivery_out)


@router.post("/outbox/deliveries/{delivery_id}/redeliver", response=answers({200: DeliveryOut}, 403, 404, 409))
def delivery_redeliver(request: HttpRequest, delivery_id: int = Path(..., ge=1, le=ID_MAX)):
    """重新推送一条记录（给足尝试次数）；正在推送或订阅已停用时返回 409。"""
    _require(request)
    delivery = selectors.delivery_get(viewer=request.user, delivery_id=delivery_id)
    delivery = services.delivery_redeliver(actor=request.user, delivery=delivery)
    return _delivery_out(Delivery.objects.select_related("event").get(pk=delivery.pk))


SUBSCRIPTION_ID = Path(..., ge=1, le=ID_MAX, description="订阅的 id")
DELIVERY_ID = Path(..., ge=1, le=ID_MAX, description="推送记录的 id")


@router.get("/outbox/subscriptions/{subscription_id}", response=answers({200: SubscriptionOut}, 403, 404))
def subscription_get(request: HttpRequest, subscription_id: int = SUBSCRIPTION_ID):
    """读取一个订阅（不含签名密钥）；不是本人可管理的返回 404。"""
    _require(request)
    return _subscription_out(selectors.subscription_get(viewer=request.user, subscription_id=subscription_id))


@router.post("/outbox/subscriptions/{subscription_id}/deactivate",
             response=answers({200: SubscriptionOut}, 403, 404))
def subscription_deactivate(request: HttpRequest, subscription_id: int = SUBSCRIPTION_ID):
    """停用订阅，与订阅页面的“停用”相同：此后不再推送，尚待推送的记录标为失败，记入账本；已停用的照旧返回。
    不是本人可管理的返回 404。"""
    _require(request)
    subscription = selectors.subscription_get(viewer=request.user, subscription_id=subscription_id)
    services.subscription_deactivate(actor=request.user, subscription=subscription)
    return _subscription_out(selectors.subscription_get(viewer=request.user, subscription_id=subscription.pk))


@router.get("/outbox/deliveries/{delivery_id}", response=answers({200: DeliveryDetailOut}, 403, 404))
def delivery_get(request: HttpRequest, delivery_id: int = DELIVERY_ID):
    """读取一条推送记录及每次推送的结果（状态码、错误、对方应答），与推送记录页面相同；不是本人可管理的订阅的返回 404。"""
    _require(request)
    delivery = selectors.delivery_get(viewer=request.user, delivery_id=delivery_id)
    return {**_delivery_out(delivery), "event_label": event_label(delivery.event.kind), "attempt_log": [{
        "number": a.number, "at": a.at, "response_code": a.response_code, "error": a.error, "response": a.response,
        "duration_ms": a.duration_ms} for a in selectors.delivery_attempts(delivery=delivery)]}

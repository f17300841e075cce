"""Pages of the outbox for agency and county administrators: subscriptions (the secret shown once,
when one is created) and the delivery log. Views parse, call a selector or service, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from sanxiang.accounts.permissions import permission_require
from sanxiang.inputs import id_from_query
from sanxiang.outbox import rules, selectors, services
from sanxiang.outbox.forms import SubscriptionForm
from sanxiang.outbox.models import DeliveryStatus, Scope
from sanxiang.procedure.violations import Refused
from sanxiang.textsearch import CappedPaginator

DENIED = "只有单位管理员、司法局监督人员和系统管理员可以管理事件推送"
PAGE_SIZE = 50
LOG_COUNT_CAP = 1000  # the log counts this many deliveries and no more (a count of all of them grows each day)


def _require(request: HttpRequest) -> None:
    permission_require(selectors.user_manages_subscriptions(request.user), DENIED)


@login_required
@require_safe
def subscription_index(request: HttpRequest) -> HttpResponse:
    _require(request)
    subscriptions = list(selectors.subscription_list(viewer=request.user))
    counts = selectors.subscription_counts(subscription_ids=[s.pk for s in subscriptions])
    rows = [
        {"s": s, "kinds": "、".join(rules.OFFERED[k].label for k in s.kinds if k in rules.OFFERED) or "全部类型",
         "waiting": counts[s.pk][selectors.WAITING], "failed": counts[s.pk][DeliveryStatus.FAILED]}
        for s in subscriptions
    ]
    return render(request, "outbox/subscription_index.html", {"rows": rows})


@login_required
def subscription_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = SubscriptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data.get("agency")
        region = data.get("region_code") or ""
        if agency is not None or data["scope"] == Scope.COUNTY:  # without a target the service says what is missing
            permission_require(
                selectors.user_can_subscribe(request.user, scope=data["scope"], agency_id=agency and agency.pk,
                                             region_code=region),
                "您只能为本单位（或本县区）创建订阅",
            )
        try:
            subscription, secret = services.subscription_create(
                actor=request.user, scope=data["scope"], agency_id=agency and agency.pk, region_code=region,
                name=data["name"], url=data["url"], kinds=data["kinds"],
            )
        except Refused as refused:
            for field, violations in refused.by_field().items():
                for v in violations:
                    form.add_error(field if field in form.fields else None, v.message)
        else:
            # The secret is on this page only: not in a URL, not stored anywhere it could be shown again.
            response = render(request, "outbox/subscription_created.html", {"s": subscription, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "outbox/subscription_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def subscription_deactivate(request: HttpRequest, subscription_id: int) -> HttpResponse:
    _require(request)
    subscription = selectors.subscription_get(viewer=request.user, subscription_id=subscription_id)
    services.subscription_deactivate(actor=request.user, subscription=subscription)
    return redirect("outbox:index")


@login_required
@require_safe
def delivery_log(request: HttpRequest) -> HttpResponse:
    _require(request)
    subscription_id = id_from_query(request.GET.get("subscription"))
    statuses = [(selectors.WAITING, "待推送和推送中"), *DeliveryStatus.choices]
    status = request.GET.get("status", "")
    status = status if status in dict(statuses) else ""
    subscription = (
        selectors.subscription_get(viewer=request.user, subscription_id=subscription_id) if subscription_id else None
    )
    rows = selectors.delivery_list(viewer=request.user, subscription_id=subscription_id, status=status or None)
    page = CappedPaginator(rows, PAGE_SIZE, cap=LOG_COUNT_CAP).get_page(request.GET.get("page"))
    for d in page:
        d.label = _label(d.event.kind)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "outbox/delivery_log.html", {
        "page": page, "subscription": subscription, "status": status, "statuses": statuses,
        "query": query.urlencode(),
    })


def event_label(kind: str) -> str:
    """The Chinese name of an event kind (shared with the API's delivery read)."""
    offered = rules.OFFERED.get(kind)
    return offered.label if offered else "其他事件"


_label = event_label


def _detail(request: HttpRequest, delivery, *, refusal: list[str] | None = None, status: int = 200) -> HttpResponse:
    return render(request, "outbox/delivery_detail.html", {
        "d": delivery, "attempts": selectors.delivery_attempts(delivery=delivery), "label": _label(delivery.event.kind),
        "refusal": refusal,
    }, status=status)


@login_required
@require_safe
def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    _require(request)
    return _detail(request, selectors.delivery_get(viewer=request.user, delivery_id=delivery_id))


@login_required
@require_POST
def delivery_redeliver(request: HttpRequest, delivery_id: int) -> HttpResponse:
    _require(request)
    delivery = selectors.delivery_get(viewer=request.user, delivery_id=delivery_id)
    try:
        services.delivery_redeliver(actor=request.user, delivery=delivery)
    except Refused as refused:
        return _detail(request, delivery, refusal=[v.message for v in refused.violations], status=409)
    return redirect("outbox:delivery", delivery_id=delivery.pk)

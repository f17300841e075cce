"""Reads of the outbox, and who may manage which subscriptions (系统权限规则).

- An agency's administrator (单位管理员) manages its agency's subscriptions and sees their deliveries.
- A supervisor of the judicial bureau manages the subscriptions of their county (every agency of
  it, or the county as a whole); a system administrator manages all of them.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from sanxiang.accounts.models import Role
from sanxiang.accounts.permissions import user_county_region
from sanxiang.outbox.models import Delivery, DeliveryStatus, Scope, Subscription

WAITING = "waiting"  # a filter of the log: pending or being sent


def user_manages_subscriptions(user) -> bool:
    return user.is_authenticated and (
        user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN) or (user.role == Role.AGENCY_ADMIN and user.agency_id)
    )


def user_can_subscribe(user, *, scope: str, agency_id: int | None, region_code: str) -> bool:
    """May `user` create a subscription of this scope?"""
    if not user_manages_subscriptions(user):
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    if user.role == Role.AGENCY_ADMIN:
        return scope == Scope.AGENCY and agency_id == user.agency_id
    region = user_county_region(user)
    if scope == Scope.COUNTY:
        return region_code == region
    from sanxiang.registry.models import Agency

    return agency_id is not None and Agency.objects.filter(pk=agency_id, region_code=region).exists()


def _visible(user) -> Q:
    if not user_manages_subscriptions(user):
        return Q(pk__in=[])
    if user.role == Role.SYSTEM_ADMIN:
        return Q()
    if user.role == Role.AGENCY_ADMIN:
        return Q(agency_id=user.agency_id)
    region = user_county_region(user)
    return Q(region_code=region, scope=Scope.COUNTY) | Q(agency__region_code=region)


def subscription_list(*, viewer) -> QuerySet[Subscription]:
    return Subscription.objects.filter(_visible(viewer)).select_related("agency").order_by("-active", "-created_at", "-pk")


def subscription_counts(*, subscription_ids: list[int]) -> dict[int, dict[str, int]]:
    """{subscription id: {"waiting": n, "failed": n}}: the deliveries waiting (pending or being sent)
    and failed of each, in one query read through the (status, next_attempt_at) index. Delivered ones
    are not counted: they only grow, and a page that counted them would cost more each day."""
    counts: dict[int, dict[str, int]] = {pk: {WAITING: 0, DeliveryStatus.FAILED: 0} for pk in subscription_ids}
    rows = (
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED],
            subscription_id__in=subscription_ids,
        )
        .values_list("subscription_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for subscription_id, status, n in rows:
        key = DeliveryStatus.FAILED if status == DeliveryStatus.FAILED else WAITING
        counts[subscription_id][key] += n
    return counts


def subscription_get(*, viewer, subscription_id: int) -> Subscription:
    subscription = subscription_list(viewer=viewer).filter(pk=subscription_id).first()
    if subscription is None:
        raise Http404
    return subscription


def delivery_list(*, viewer, subscription_id: int | None = None, status: str | None = None) -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(subscription__in=subscription_list(viewer=viewer).values("pk"))
    if subscription_id is not None:
        rows = rows.filter(subscription_id=subscription_id)
    if status == WAITING:
        rows = rows.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    elif status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    # Newest first by id (made in the order of their creation), read backwards through the primary key.
    return rows.select_related("event", "subscription").order_by("-pk")


def delivery_get(*, viewer, delivery_id: int) -> Delivery:
    delivery = delivery_list(viewer=viewer).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    return delivery


def delivery_attempts(*, delivery: Delivery) -> list:
    return list(delivery.attempt_log.order_by("number", "pk"))

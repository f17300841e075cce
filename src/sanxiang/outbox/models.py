"""Subscriptions of other systems, the events offered to them and the log of their deliveries.

The outbox is the ledger itself: an entry is written in the transaction of the change it records, so
an event exists exactly when its change does. The worker reads each ledger past its `Cursor` and
writes, in one transaction with the cursor's move, an `OutboxEvent` for each entry of an offered
kind that some subscription wants, and one `Delivery` per such subscription. Nothing is written on
the append path of the ledger."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    AGENCY = "agency", _("本单位")
    COUNTY = "county", _("全县（区）")


class Subscription(models.Model):
    """Where to send the events of one agency, or of every agency of one county (`region_code`).

    The secret signs every delivery (HMAC-SHA256), so it is stored as it is; it is shown once, when
    the subscription is created, and never again (pages and the API show its first characters)."""

    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices)
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    name = models.CharField(_("接收系统"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(max_length=100)
    kinds = models.JSONField(_("事件类型"), default=list, blank=True)  # [] = every offered kind
    # Where each ledger stood when the subscription was made ({ledger id: next seq}): it receives
    # the entries after that, not the history.
    starts = models.JSONField(default=dict)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="agency", agency__isnull=False) | models.Q(scope="county", agency__isnull=True)),
                name="outbox_subscription_scope",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:10]}…"


class Cursor(models.Model):
    """How far the worker has turned one ledger's entries into events: the next seq to read."""

    ledger_id = models.PositiveSmallIntegerField(primary_key=True)
    next_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ledger {self.ledger_id} @ {self.next_seq}"


class OutboxEvent(models.Model):
    """One ledger entry offered to other systems. Its id is derived from the ledger's origin and the
    entry's seq (uuid5), so it is the same on every retry and on every delivery of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("事件类型"), max_length=64)
    ledger_id = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    agency_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(_("发生时间"))

    class Meta:
        verbose_name = _("推送事件")
        verbose_name_plural = _("推送事件")
        constraints = [models.UniqueConstraint(fields=["ledger_id", "seq"], name="outbox_event_once_per_entry")]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待推送")
    SENDING = "sending", _("推送中")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("推送失败")


class Delivery(models.Model):
    """One event for one subscription, tried until the receiver answers 2xx or the attempts are spent.

    A worker claims a due delivery (status `sending`, `lease_until`, a fresh `claim` token) in a short
    transaction and sends it after that commits; its outcome is written only if the claim is still
    its own. A worker killed while sending leaves the claim, which another takes once the lease has
    run out: at least once, never lost."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(_("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次推送时间"))
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近一次错误"), blank=True, default="")
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [models.UniqueConstraint(fields=["event", "subscription"], name="outbox_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscription_id} ({self.status})"


class Attempt(models.Model):
    """One attempt of a delivery: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"))
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True, default="")
    response = models.TextField(_("响应内容"), blank=True, default="")
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"

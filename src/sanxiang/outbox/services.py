"""Writes of the outbox: subscriptions, turning ledger entries into events, delivering them.

**The outbox is the ledger.** Every change appends its ledger entry in its own transaction, so an
entry exists exactly when its change does; appends to one ledger are serialized on its head, so its
entries commit in seq order and a reader that has seen seq n has seen every seq below it.
`events_fan_out` reads each ledger past its `Cursor` (never beyond the committed head) and, in one
transaction with the cursor's move, writes an `OutboxEvent` for each entry of an offered kind that
an active subscription wants and a `Delivery` for each such subscription. A worker killed there
rolls back and the next one reads the same entries again. The append path of the ledger is not
touched (no query added to any change).

**Delivery, at least once.** `deliveries_claim` takes due deliveries (`SKIP LOCKED` on PostgreSQL,
the one writer on SQLite), marks them `sending` with a lease and a claim token, and commits; the
request is made outside any transaction, after the claim's lease is renewed (only while the claim is
still the worker's: a batch sent one after another never outlives its lease); `_outcome_record` writes the outcome only while the claim
is still the worker's. A worker killed mid-request leaves a claim that runs out: the next worker
sends the event again, with the same event id, so the receiver de-duplicates by it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sanxiang.inputs import ID_MAX, text_problem
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.models import Entry, Head
from sanxiang.ledger.selectors import ledger_name, ledger_origin_for
from sanxiang.ledger.services import entry_append
from sanxiang.outbox import rules
from sanxiang.outbox.models import (
    Attempt,
    Cursor,
    Delivery,
    DeliveryStatus,
    OutboxEvent,
    Scope,
    Subscription,
)
from sanxiang.outbox.signing import EVENT_ID_HEADER, EVENT_KIND_HEADER, SIGNATURE_HEADER, signature_header
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency

logger = logging.getLogger(__name__)

# uuid5 namespace of event ids: uuid5(EVENT_NAMESPACE, "<ledger origin>#<seq>").
EVENT_NAMESPACE = uuid.UUID("6f1d3a52-9c1b-5d1e-8a53-2f3b7e0c9a11")


def event_id_for(*, origin: str, seq: int) -> uuid.UUID:
    return uuid.uuid5(EVENT_NAMESPACE, f"{origin}#{seq}")


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): JSON with sorted keys, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# --- subscriptions ------------------------------------------------------------------------------


def _url_violations(url: str) -> list[Violation]:
    if problem := text_problem(url, max_length=500):
        return [Violation("outbox.url.text", f"接收地址{problem}", rules.PLATFORM_BASIS, field="url")]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a port out of range raises here)
    except ValueError:
        return [Violation("outbox.url.invalid", "接收地址格式不正确", rules.PLATFORM_BASIS, field="url")]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Violation("outbox.url.invalid", "接收地址应以 https:// 开头，并写明主机", rules.PLATFORM_BASIS,
                          field="url")]
    if parts.username or parts.password:
        return [Violation("outbox.url.credentials", "接收地址不能包含用户名或密码，请改用签名验证", rules.PLATFORM_BASIS,
                          field="url")]
    refusal, _ = destination_check(url, unresolved_ok=True)
    if refusal:
        return [Violation("outbox.url.destination", refusal, rules.PLATFORM_BASIS, field="url")]
    return []


def _address_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or any(
        (ip.is_loopback, ip.is_link_local, ip.is_private, ip.is_multicast, ip.is_reserved, ip.is_unspecified)
    )


def destination_check(url: str, *, unresolved_ok: bool = False) -> tuple[str, str | None]:
    """May an event be sent to `url`, and to which address? Returns (why not, in Chinese, or "";
    the checked address to connect to). A platform rule (`rules`): https only, and a host that is or
    resolves to a loopback, private, link-local, multicast, reserved or unspecified address is
    refused, unless it is one of `rules.allowed_hosts()` (the county intranet), for which http is
    accepted too. A host that does not resolve is refused, or passed when `unresolved_ok` (at
    creation: it is checked again before every request)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = host in rules.allowed_hosts()
    if parts.scheme != "https" and not allowed:
        return "接收地址应以 https:// 开头（县内网的接收系统须由系统管理员列入允许的主机）", None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        return ("", None) if unresolved_ok else ("找不到对方主机（域名无法解析）", None)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allowed:
        internal = [a for a in addresses if _address_internal(a)]
        if internal:
            return (f"接收地址指向本机或内部网络地址（{internal[0]}），不能推送；"
                    "县内网的接收系统须由系统管理员列入允许的主机"), None
    return "", addresses[0] if addresses else None


def subscription_create(
    *, actor, scope: str, agency_id: int | None, region_code: str, name: str, url: str, kinds: Iterable[str]
) -> tuple[Subscription, str]:
    """Create a subscription and return it with its secret, which is shown this once. Refused with
    every reason at once. Who may create it is the caller's check (`selectors.user_can_subscribe`)."""
    kinds = sorted(set(kinds))
    name = (name or "").strip()
    url = (url or "").strip()
    violations: list[Violation] = []
    if not name:
        violations.append(Violation("outbox.name.missing", "请填写接收系统的名称", rules.PLATFORM_BASIS, field="name"))
    elif problem := text_problem(name, max_length=100):
        violations.append(Violation("outbox.name.text", f"接收系统名称{problem}", rules.PLATFORM_BASIS, field="name"))
    violations += _url_violations(url)
    unknown = [k for k in kinds if k not in rules.OFFERED]
    if unknown:
        violations.append(Violation("outbox.kinds.unknown", f"有{len(unknown)}个事件类型不在推送范围内", rules.PLATFORM_BASIS,
                                    field="kinds"))
    if scope == Scope.AGENCY:
        if agency_id is None or not 1 <= agency_id <= ID_MAX or not Agency.objects.filter(pk=agency_id).exists():
            violations.append(Violation("outbox.agency.missing", "请选择执法主体", rules.PLATFORM_BASIS, field="agency"))
        region_code = ""
    elif scope == Scope.COUNTY:
        agency_id = None
        if not (region_code.isdigit() and len(region_code) == 6):
            violations.append(Violation("outbox.region.invalid", "行政区划代码应为6位数字", rules.PLATFORM_BASIS,
                                        field="region_code"))
    else:
        violations.append(Violation("outbox.scope.invalid", "请选择推送范围", rules.PLATFORM_BASIS, field="scope"))
    if violations:
        raise Refused(violations)
    secret = "whsec_" + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # The cursors are locked before the heads are read: a worker pass fanning out a ledger either
        # has finished it (and this subscription starts past what it read) or reads this subscription.
        existing = set(Cursor.objects.select_for_update().order_by("ledger_id").values_list("ledger_id", flat=True))
        starts = {str(ledger_id): size for ledger_id, size in Head.objects.values_list("id", "size")}
        # The ledgers' cursors start where they stand now (a ledger made later starts at 0).
        Cursor.objects.bulk_create(
            [Cursor(ledger_id=int(i), next_seq=size) for i, size in starts.items() if int(i) not in existing],
            ignore_conflicts=True,
        )
        subscription = Subscription.objects.create(
            scope=scope, agency_id=agency_id, region_code=region_code, name=name, url=url, secret=secret,
            kinds=kinds, starts=starts, created_at=now, created_by=actor,
        )
        entry_append(
            event=LedgerEvent(
                EventKind.OUTBOX_SUBSCRIPTION_CREATED,
                # The address without its query (which may carry a receiver's token), and its digest.
                {"subscription": subscription.pk, "scope": scope, "region_code": region_code, "name": name,
                 "url": urlsplit(url)._replace(query="", fragment="").geturl(),
                 "url_sha256": hashlib.sha256(url.encode()).hexdigest(), "kinds": kinds},
                agency_id=agency_id,
                subject=f"outbox_subscription:{subscription.pk}",
            ),
            actor=actor,
        )
    return subscription, secret


def subscription_deactivate(*, actor, subscription: Subscription) -> Subscription:
    """Stop a subscription: nothing more is sent to it; its waiting deliveries are marked failed."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if not subscription.active:
            return subscription
        subscription.active = False
        subscription.save(update_fields=["active"])
        Delivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, last_error="订阅已停用"
        )
        entry_append(
            event=LedgerEvent(
                EventKind.OUTBOX_SUBSCRIPTION_DEACTIVATED, {"subscription": subscription.pk},
                agency_id=subscription.agency_id, subject=f"outbox_subscription:{subscription.pk}",
            ),
            actor=actor,
        )
    return subscription


def delivery_redeliver(*, actor, delivery: Delivery) -> Delivery:
    """Send a delivery again, with a full set of attempts (an administrator fixed the receiver, or
    the receiver lost the event). Refused while it is being sent or its subscription is stopped."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
        violations = []
        if delivery.status == DeliveryStatus.SENDING:
            violations.append(Violation("outbox.delivery.sending", "正在推送，请稍后再试", rules.PLATFORM_BASIS))
        if not delivery.subscription.active:
            violations.append(Violation("outbox.subscription.inactive", "订阅已停用，不能重新推送", rules.PLATFORM_BASIS))
        if violations:
            raise Refused(violations)
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        entry_append(
            event=LedgerEvent(
                EventKind.OUTBOX_DELIVERY_REDELIVERED,
                {"delivery": delivery.pk, "event": str(delivery.event_id), "subscription": delivery.subscription_id},
                agency_id=delivery.subscription.agency_id, subject=f"outbox_delivery:{delivery.pk}",
            ),
            actor=actor,
        )
    return delivery


# --- events -------------------------------------------------------------------------------------


def event_payload(
    *, event_id: uuid.UUID, origin: str, ledger: str, entry: Entry | Any, body: dict[str, Any]
) -> dict[str, Any]:
    """What a receiver gets for one ledger entry: the envelope, and only the payload keys its kind
    offers (`rules.OFFERED`): never a party's personal data."""
    offered = rules.OFFERED[entry.kind]
    data = body.get("payload") or {}
    return {
        "id": str(event_id),
        "type": entry.kind,
        "label": offered.label,
        "created": body.get("at"),
        "agency": entry.agency_id,
        "case": entry.case_id,
        "subject": entry.subject,
        "data": {k: data[k] for k in offered.keys if k in data},
        # Enough to ask for the entry's inclusion proof: /ledger/proof/inclusion?ledger=<name>&seq=<seq>
        "ledger": {"origin": origin, "name": ledger, "seq": entry.seq, "leaf_hash": bytes(entry.leaf_hash).hex()},
    }


def _wants(subscription: Subscription, *, ledger_id: int, entry, regions: dict[int, str]) -> bool:
    if subscription.kinds and entry.kind not in subscription.kinds:
        return False
    if entry.seq < int(subscription.starts.get(str(ledger_id), 0)):
        return False
    if subscription.scope == Scope.AGENCY:
        return entry.agency_id is not None and entry.agency_id == subscription.agency_id
    return entry.agency_id is not None and regions.get(entry.agency_id) == subscription.region_code


@dataclass(frozen=True)
class FanOut:
    read: int = 0  # ledger entries the cursors moved past
    made: int = 0  # deliveries made


def events_fan_out(*, limit: int = rules.BATCH) -> FanOut:
    """Turn the committed ledger entries past each cursor into events and deliveries (up to `limit`
    entries per ledger). The active subscriptions are read in each ledger's transaction after its
    cursor is locked, so one made during the pass is not missed (`subscription_create` locks the
    cursors before it reads the heads)."""
    made = read = 0
    for ledger_id, size in Head.objects.order_by("id").values_list("id", "size"):
        with transaction.atomic():
            cursor, _ = Cursor.objects.select_for_update().get_or_create(ledger_id=ledger_id)
            upper = min(cursor.next_seq + limit, size)
            if upper <= cursor.next_seq:
                continue
            subscriptions = list(Subscription.objects.filter(active=True))
            if not subscriptions:
                continue
            entries = list(
                Entry.objects.filter(ledger_id=ledger_id, seq__gte=cursor.next_seq, seq__lt=upper,
                                     kind__in=list(rules.OFFERED), agency_id__isnull=False)
                .only("seq", "kind", "agency_id", "case_id", "subject", "created_at", "body", "leaf_hash")
                .order_by("seq")
            )
            agency_ids = {e.agency_id for e in entries}
            regions = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "region_code")) if entries else {}
            origin = ledger_origin_for(ledger_id) if entries else ""
            name = ledger_name(ledger_id) if entries else ""
            now = timezone.now()
            events: list[OutboxEvent] = []
            deliveries: list[Delivery] = []
            for entry in entries:
                wanting = [s for s in subscriptions if _wants(s, ledger_id=ledger_id, entry=entry, regions=regions)]
                if not wanting:
                    continue
                event_id = event_id_for(origin=origin, seq=entry.seq)
                body = json.loads(bytes(entry.body))
                events.append(OutboxEvent(
                    id=event_id, kind=entry.kind, ledger_id=ledger_id, seq=entry.seq, agency_id=entry.agency_id,
                    payload=event_payload(event_id=event_id, origin=origin, ledger=name, entry=entry, body=body),
                    created_at=entry.created_at,
                ))
                deliveries += [
                    Delivery(event_id=event_id, subscription=s, next_attempt_at=now, created_at=now) for s in wanting
                ]
            OutboxEvent.objects.bulk_create(events)
            Delivery.objects.bulk_create(deliveries)
            read += upper - cursor.next_seq
            cursor.next_seq = upper
            cursor.save(update_fields=["next_seq"])
            made += len(deliveries)
    return FanOut(read=read, made=made)


# --- delivery -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    token: uuid.UUID
    attempt: int  # which attempt this claim makes (its number in the log)
    subscription_id: int = 0


def deliveries_claim(
    *, limit: int = 20, now: dt.datetime | None = None, exclude: Iterable[int] = ()
) -> list[Claim]:
    """Claim up to `limit` due deliveries (pending and due, or left `sending` by a worker whose lease
    ran out) in a transaction of their own, leaving out the ids in `exclude` (sent in this pass). A
    delivery whose attempts are spent is failed instead."""
    now = now or timezone.now()
    claims: list[Claim] = []
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                    | Q(status=DeliveryStatus.SENDING, lease_until__lte=now))
            .exclude(pk__in=list(exclude))
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for d in due:
            if d.attempts >= rules.ATTEMPTS_MAX:
                d.status, d.claim, d.lease_until = DeliveryStatus.FAILED, None, None
                d.last_error = d.last_error or "推送中断，且已达到最大尝试次数"
                continue
            d.status = DeliveryStatus.SENDING
            d.attempts += 1
            d.lease_until = now + rules.lease()
            d.claim = uuid.uuid4()
            claims.append(Claim(d.pk, d.claim, d.attempts, d.subscription_id))
        Delivery.objects.bulk_update(due, ["status", "attempts", "lease_until", "claim", "last_error"])
    return claims


@dataclass(frozen=True)
class Response:
    status: int | None
    text: str = ""
    error: str = ""


Sender = Callable[[str, bytes, dict[str, str], float], Response]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that `destination_check` checked (`pinned`), not to whatever the
    name resolves to a moment later; the Host header and TLS's server name stay the host's name."""

    pinned: str

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned, self.port), self.timeout, self.source_address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPS(http.client.HTTPSConnection, _PinnedHTTP):
    pass  # HTTPSConnection.connect wraps what _PinnedHTTP.connect opened


def _failure_text(failed: BaseException, *, timeout: float) -> str:
    """Why a request got no answer, in Chinese for the delivery log."""
    if isinstance(failed, ssl.SSLCertVerificationError):
        return "对方的HTTPS证书未通过验证"
    if isinstance(failed, ssl.SSLError):
        return "与对方建立加密连接失败"
    if isinstance(failed, http.client.RemoteDisconnected):
        return "对方未应答即断开了连接"
    reason = getattr(failed, "reason", failed)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"对方在{timeout:g}秒内没有应答"
    if isinstance(reason, ConnectionRefusedError):
        return "对方拒绝连接（接收服务未运行）"
    if isinstance(reason, socket.gaierror):
        return "找不到对方主机（域名无法解析）"
    return f"无法连接对方（{type(reason).__name__}：{reason}）"[:1000]


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST with the standard library (no dependency); no redirects followed (a 3xx is an answer,
    not an invitation to send the event elsewhere). The destination is checked first
    (`destination_check`: a refused one is a failed attempt, no request made) and the connection
    goes to the checked address. `timeout` is the whole request's: a receiver trickling its answer
    byte by byte is cut off when it is spent (the socket is shut down from a timer)."""
    refusal, address = destination_check(url)
    if refusal or address is None:
        return Response(None, "", refusal or "找不到对方主机（域名无法解析）")
    parts = urlsplit(url)
    connection = (_PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP)(
        parts.hostname, parts.port, timeout=timeout
    )
    connection.pinned = address
    spent = threading.Event()

    def cut() -> None:
        spent.set()
        if connection.sock is not None:
            try:
                socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)  # the raw socket, TLS or not
            except OSError:
                pass

    timer = threading.Timer(timeout, cut)
    timer.daemon = True
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        timer.start()
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        status = answer.status
        text = answer.read(rules.RESPONSE_KEPT).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException, ValueError) as failed:
        if spent.is_set():
            return Response(None, "", f"对方在{timeout:g}秒内没有应答")
        return Response(None, "", _failure_text(failed, timeout=timeout))
    finally:
        timer.cancel()
        connection.close()
    if spent.is_set():
        return Response(None, "", f"对方在{timeout:g}秒内没有应答")
    if 200 <= status < 300:
        return Response(status, text)
    return Response(status, text, f"对方返回状态码{status}")


def delivery_send(*, claim: Claim, sender: Sender = http_post) -> str:
    """Send one claimed delivery and record the outcome (if the claim is still ours). Returns the
    delivery's status afterwards."""
    # The lease counts from now, not from the claim: the deliveries claimed with this one may have
    # taken their time. Only while the claim is still ours.
    if not Delivery.objects.filter(pk=claim.delivery_id, claim=claim.token).update(
        lease_until=timezone.now() + rules.lease()
    ):
        return Delivery.objects.values_list("status", flat=True).get(pk=claim.delivery_id)
    delivery = Delivery.objects.select_related("event", "subscription").get(pk=claim.delivery_id)
    if delivery.claim != claim.token:
        return delivery.status
    body = body_bytes(delivery.event.payload)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Sanxiang-Webhooks/1",
        SIGNATURE_HEADER: signature_header(secret=delivery.subscription.secret, body=body, timestamp=timestamp),
        EVENT_ID_HEADER: str(delivery.event_id),
        EVENT_KIND_HEADER: delivery.event.kind,
    }
    started = time.monotonic()
    if delivery.subscription.active:
        answer = sender(delivery.subscription.url, body, headers, rules.TIMEOUT_SECONDS)
    else:
        answer = Response(None, "", "订阅已停用")
    took = int((time.monotonic() - started) * 1000)
    return _outcome_record(claim=claim, answer=answer, took_ms=took, stop=not delivery.subscription.active)


def _outcome_record(*, claim: Claim, answer: Response, took_ms: int, stop: bool = False) -> str:
    ok = answer.status is not None and 200 <= answer.status < 300
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=claim.delivery_id)
        Attempt.objects.create(
            delivery=delivery, number=claim.attempt, at=now, response_code=answer.status,
            error="" if ok else (answer.error or f"对方返回状态码{answer.status}"),
            response=answer.text[: rules.RESPONSE_KEPT],
            duration_ms=took_ms,
        )
        if delivery.claim != claim.token:
            return delivery.status  # the lease ran out and another worker took it: its outcome counts
        delivery.claim, delivery.lease_until, delivery.response_code = None, None, answer.status
        if ok:
            delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, now, ""
        else:
            delivery.last_error = (answer.error or f"对方返回状态码{answer.status}")[:1000]
            if stop or delivery.attempts >= rules.ATTEMPTS_MAX:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.status = DeliveryStatus.PENDING
                delivery.next_attempt_at = now + rules.retry_delay(delivery.attempts)
        delivery.save(update_fields=["claim", "lease_until", "response_code", "status", "delivered_at", "last_error",
                                     "next_attempt_at"])
        return delivery.status


def _claim_release(*, claim: Claim, until: dt.datetime) -> None:
    """Give a claim back unsent (its receiver has just failed in this pass): not an attempt."""
    Delivery.objects.filter(pk=claim.delivery_id, claim=claim.token).update(
        status=DeliveryStatus.PENDING, attempts=F("attempts") - 1, claim=None, lease_until=None, next_attempt_at=until
    )


@dataclass(frozen=True)
class DeliverRun:
    read: int = 0  # ledger entries looked at
    made: int = 0  # deliveries made from them
    delivered: int = 0
    retried: int = 0  # attempts that failed and will be tried again
    failed: int = 0  # deliveries given up

    @property
    def busy(self) -> bool:
        """Did this pass find work (so that another may find more at once)?"""
        return bool(self.read or self.delivered or self.retried or self.failed)

    def __add__(self, other: DeliverRun) -> DeliverRun:
        return DeliverRun(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def deliveries_run(*, limit: int = 100, sender: Sender = http_post, now: dt.datetime | None = None) -> DeliverRun:
    """One pass of the worker: new entries into events, then up to `limit` due deliveries sent, each
    at most once in the pass. Once a receiver has failed in the pass, its other deliveries wait for
    the next attempt time instead of each waiting for the same dead receiver's timeout (one slow or
    absent receiver does not hold up the others)."""
    fan_out = events_fan_out()
    delivered = retried = failed = 0
    sent: set[int] = set()
    failing: set[int] = set()  # subscriptions whose receiver failed in this pass
    while len(sent) < limit:
        claims = deliveries_claim(limit=min(20, limit - len(sent)), now=now, exclude=sent)
        if not claims:
            break
        for claim in claims:
            sent.add(claim.delivery_id)
            if claim.subscription_id in failing:
                _claim_release(claim=claim, until=timezone.now() + rules.RETRY_FIRST)
                continue
            status = delivery_send(claim=claim, sender=sender)
            if status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED):
                failing.add(claim.subscription_id)
            if status == DeliveryStatus.DELIVERED:
                delivered += 1
            elif status == DeliveryStatus.FAILED:
                failed += 1
            else:
                retried += 1
    return DeliverRun(read=fan_out.read, made=fan_out.made, delivered=delivered, retried=retried, failed=failed)

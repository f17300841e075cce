"""Issue 19, item 4: events for other systems. The ledger is the outbox; a worker turns entries of
offered kinds into events and delivers them signed, retried with backoff, at least once, with an
event id by which the receiver de-duplicates."""

import datetime as dt
import json
import random
import uuid

import pytest
from django.utils import timezone

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.outbox import rules
from sanxiang.outbox.models import Attempt, Delivery, DeliveryStatus, OutboxEvent
from sanxiang.outbox.services import (
    EVENT_NAMESPACE,
    FanOut,
    Response,
    deliveries_claim,
    deliveries_run,
    delivery_redeliver,
    delivery_send,
    events_fan_out,
    http_post,
    subscription_create,
    subscription_deactivate,
)
from sanxiang.outbox.signing import signature_verify
from sanxiang.procedure.violations import Refused
from tests.factories import agency_make
from tests.outbox.support import Receiver, entry_write

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(days=2)  # past any retry delay: every pending delivery is due


def subscribe(*, agency=None, region="", url="http://127.0.0.1:9/hook", kinds=()):
    scope = "agency" if agency is not None else "county"
    return subscription_create(actor=None, scope=scope, agency_id=agency and agency.pk, region_code=region,
                               name="市场监管综合平台", url=url, kinds=kinds)


def test_a_receiver_that_fails_twice_then_succeeds_gets_every_event_exactly_once_after_dedup():
    agency = agency_make()
    with Receiver(fail_first=2) as receiver:
        _, secret = subscribe(agency=agency, url=receiver.url)
        entries = [entry_write(agency_id=agency.pk, case_id=n) for n in (1, 2, 3)]
        first = deliveries_run()
        # The receiver failed: its two other events wait for the next pass instead of failing too.
        assert (first.made, first.delivered, first.retried) == (3, 0, 1)
        # Retries wait (1 min and more, with jitter): nothing is due at once.
        assert deliveries_run().retried == 0 and len(receiver.requests) == 1
        later = timezone.now()
        for _ in range(10):
            later += LATER
            deliveries_run(now=later)
        assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 3

    assert len(receiver.requests) == 9  # at least once: three tries of each
    for request in receiver.requests:
        assert signature_verify(secret=secret, body=request["body"], header=request["headers"]["X-Sanxiang-Signature"])
        assert json.loads(request["body"])["id"] == request["id"]
    unique = receiver.unique_events()
    assert sorted(e["ledger"]["seq"] for e in unique.values()) == sorted(e.seq for e in entries)
    # The same event id and the same content on every retry.
    for event_id, event in unique.items():
        assert {r["body"] for r in receiver.requests if r["id"] == event_id} == {json.dumps(
            event, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()}
    assert all(d.status == DeliveryStatus.DELIVERED and d.attempts == 3 for d in Delivery.objects.all())
    log = list(Attempt.objects.filter(delivery__event__seq=entries[0].seq).values_list("number", "response_code"))
    assert log == [(1, 500), (2, 500), (3, 200)]
    # Nothing is sent again once delivered.
    assert deliveries_run(now=timezone.now() + 3 * LATER).delivered == 0


def test_a_dead_receiver_does_not_hold_up_the_others():
    agency = agency_make()
    subscribe(agency=agency, url="https://dead.example/hook")
    subscribe(agency=agency, url="https://alive.example/hook")
    for n in range(5):
        entry_write(agency_id=agency.pk, case_id=n + 1)
    calls = []

    def sender(url, body, headers, timeout):
        calls.append(url)
        return Response(None, "", "timed out") if "dead" in url else Response(200)

    run = deliveries_run(sender=sender)
    assert calls.count("https://dead.example/hook") == 1  # one timeout per pass, not five
    assert (run.delivered, run.retried) == (5, 1)
    waiting = Delivery.objects.filter(subscription__url="https://dead.example/hook", status=DeliveryStatus.PENDING)
    assert sorted(waiting.values_list("attempts", flat=True)) == [0, 0, 0, 0, 1]


def test_the_log_says_in_chinese_why_a_request_failed():
    assert http_post("http://127.0.0.1:9/hook", b"{}", {}, 1.0).error == "对方拒绝连接（接收服务未运行）"
    with Receiver(hang=True) as receiver:
        answer = http_post(receiver.url, b"{}", {}, 0.3)
    assert (answer.status, answer.error) == (None, "对方在0.3秒内没有应答")
    with Receiver(fail_first=1) as receiver:
        answer = http_post(receiver.url, b"{}", {"X-Sanxiang-Event-Id": "e1"}, 5.0)
    assert (answer.status, answer.error, answer.text) == (500, "对方返回状态码500", "try later")


def test_event_ids_are_derived_from_the_ledger_and_fanning_out_twice_makes_nothing_twice():
    agency = agency_make()
    subscribe(agency=agency)
    entry = entry_write(agency_id=agency.pk)
    entry_write(agency_id=None)  # read past, not offered
    # Read past: the subscription's own entry, the case's, the one without an agency; one offered.
    assert events_fan_out() == FanOut(read=3, made=1)
    assert events_fan_out() == FanOut(read=0, made=0)
    event = OutboxEvent.objects.get()
    assert event.id == uuid.uuid5(EVENT_NAMESPACE, f"sanxiang.local/ledger#{entry.seq}")
    assert event.payload["ledger"] == {"origin": "sanxiang.local/ledger", "name": "default", "seq": entry.seq,
                                       "leaf_hash": bytes(entry.leaf_hash).hex()}


def test_personal_data_and_scope():
    """Agency scope: its agency's events only; county scope: every agency of its region. No event
    carries the facts or the party (personal data), whatever the scope; entries of kinds not
    offered (a party registered) and entries written before the subscription are not sent."""
    a = agency_make(region_code="150626")
    b = agency_make(region_code="150626")
    other_county = agency_make(region_code="150627")
    before = entry_write(agency_id=a.pk)
    own, _ = subscribe(agency=a)
    county, _ = subscribe(region="150626")
    only_documents, _ = subscribe(agency=a, kinds=["case.document_issued"])
    for agency in (a, b, other_county):
        entry_write(agency_id=agency.pk)
    entry_write(agency_id=a.pk, kind=EventKind.PARTY_CREATED, payload={"name": "张三", "id_number": "1506"})
    entry_write(agency_id=None)
    events_fan_out()

    def agencies_of(subscription):
        return sorted(Delivery.objects.filter(subscription=subscription).values_list("event__agency_id", flat=True))

    assert agencies_of(own) == [a.pk]
    assert agencies_of(county) == sorted([a.pk, b.pk])
    assert agencies_of(only_documents) == []
    assert not OutboxEvent.objects.filter(seq=before.seq).exists()
    assert not OutboxEvent.objects.exclude(kind="case.opened").exists()
    for event in OutboxEvent.objects.all():
        data = event.payload["data"]
        assert data == {"number": "乌市监立〔2026〕1号", "procedure": "penalty", "state": "opened"}
        assert "张三" not in json.dumps(event.payload, ensure_ascii=False)


def test_a_claim_whose_worker_died_is_taken_again_after_its_lease_and_a_late_answer_does_not_count():
    agency = agency_make()
    subscribe(agency=agency)
    entry_write(agency_id=agency.pk)
    events_fan_out()
    [claim] = deliveries_claim()
    assert deliveries_claim() == []  # held by the (dead) worker until the lease runs out
    [again] = deliveries_claim(now=timezone.now() + rules.lease() + dt.timedelta(seconds=1))
    assert again.delivery_id == claim.delivery_id and again.token != claim.token
    assert delivery_send(claim=claim, sender=lambda *a: Response(200)) == DeliveryStatus.SENDING  # not sent: not ours
    # A slow worker: its lease runs out while its request is in flight and another worker claims it.
    [slow] = deliveries_claim(now=timezone.now() + 2 * (rules.lease() + dt.timedelta(seconds=1)))
    taken = []

    def slow_answer(*args):
        taken.extend(deliveries_claim(now=timezone.now() + 3 * (rules.lease() + dt.timedelta(seconds=1))))
        return Response(500, "late")

    # Its late answer is logged but does not count: the claim is the other worker's now.
    assert delivery_send(claim=slow, sender=slow_answer) == DeliveryStatus.SENDING
    assert delivery_send(claim=taken[0], sender=lambda *a: Response(200, "ok")) == DeliveryStatus.DELIVERED
    delivery = Delivery.objects.get()
    assert delivery.attempts == 4
    assert list(delivery.attempt_log.values_list("number", "response_code")) == [(3, 500), (4, 200)]


def test_a_delivery_is_given_up_after_the_last_attempt_and_an_administrator_can_send_it_again():
    agency = agency_make()
    subscription, _ = subscribe(agency=agency)
    entry_write(agency_id=agency.pk)
    refusing = lambda *a: http_post("http://127.0.0.1:9/hook", b"{}", {}, 1.0)  # noqa: E731  (nothing listens)
    later = timezone.now()
    for _ in range(rules.ATTEMPTS_MAX):
        later += LATER
        deliveries_run(now=later, sender=refusing)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, rules.ATTEMPTS_MAX)
    assert delivery.last_error == "对方拒绝连接（接收服务未运行）"
    assert deliveries_run(now=later + LATER, sender=refusing).retried == 0

    entries = Entry.objects.count()
    delivery_redeliver(actor=None, delivery=delivery)
    assert Entry.objects.count() == entries + 1  # the administrator's action is in the ledger
    assert deliveries_run(sender=lambda *a: Response(204)).delivered == 1

    subscription_deactivate(actor=None, subscription=subscription)
    with pytest.raises(Refused) as refused:
        delivery_redeliver(actor=None, delivery=delivery)
    assert [v.code for v in refused.value.violations] == ["outbox.subscription.inactive"]


def test_a_subscription_is_refused_with_every_reason_and_nothing_written():
    entries = Entry.objects.count()
    with pytest.raises(Refused) as refused:
        subscription_create(actor=None, scope="county", agency_id=None, region_code="15062x", name=" ",
                            url="ftp://user:pw@host/", kinds=["registry.party_created"])
    assert {v.field for v in refused.value.violations} == {"name", "url", "kinds", "region_code"}
    assert all(v.legal_basis.startswith("平台规则") for v in refused.value.violations)
    assert Entry.objects.count() == entries


def test_the_backoff_doubles_from_a_minute_to_a_day_with_jitter():
    rng = random.Random(7)
    delays = [rules.retry_delay(n, rng=rng) for n in range(1, 60)]
    assert dt.timedelta(seconds=48) <= delays[0] <= dt.timedelta(minutes=1)
    assert all(rules.RETRY_MAX * 0.8 <= d <= rules.RETRY_MAX for d in delays[15:])
    assert all(d <= rules.RETRY_MAX for d in delays)

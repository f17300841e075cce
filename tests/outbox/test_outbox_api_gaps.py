"""Issue 19 (the audit of pages against the API): what the outbox's pages show or do and the API did
not — one subscription's read, its deactivation, one delivery with its attempts — for whom the
pages allow it (an agency's administrator its agency's, a supervisor their county's), 404 across
agencies and counties, 403 to other roles, 422 naming the field, CSRF checks on."""

import json

import pytest
from django.test import Client

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.outbox.models import Delivery, DeliveryStatus
from sanxiang.outbox.services import Response, deliveries_run, subscription_create
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.outbox.support import entry_write

pytestmark = pytest.mark.django_db

URL = "https://receiver.example.cn/hook"


@pytest.fixture
def w():
    class W:
        pass

    w = W()
    w.bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    w.own, w.other = agency_make(), agency_make()
    w.far_bureau = agency_make(is_judicial_bureau=True, region_code="150627")
    w.admin = user_make(role=Role.AGENCY_ADMIN, agency=w.own)
    w.other_admin = user_make(role=Role.AGENCY_ADMIN, agency=w.other)
    w.officer = user_make(role=Role.OFFICER, agency=w.own)
    w.supervisor = user_make(role=Role.SUPERVISOR, agency=w.bureau)
    w.far_supervisor = user_make(role=Role.SUPERVISOR, agency=w.far_bureau)
    w.subscription, _ = subscription_create(actor=None, scope="agency", agency_id=w.own.pk, region_code="",
                                            name="本局对接", url=URL, kinds=[])
    return w


def browser(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/staff/outbox/")
    return client, client.cookies["csrftoken"].value


def deactivate(client, pk, **headers):
    return client.post(f"/api/outbox/subscriptions/{pk}/deactivate", content_type="application/json", **headers)


def test_a_subscription_is_read_by_who_manages_it_and_nobody_else(client, w):
    pk = w.subscription.pk
    for user in (w.admin, w.supervisor):
        read = client.get(f"/api/outbox/subscriptions/{pk}", **bearer(user))
        assert read.status_code == 200, read.content
        assert (read.json()["name"], read.json()["active"]) == ("本局对接", True) and "secret" not in read.json()
    for user in (w.other_admin, w.far_supervisor):
        assert client.get(f"/api/outbox/subscriptions/{pk}", **bearer(user)).status_code == 404
    assert client.get(f"/api/outbox/subscriptions/{pk}", **bearer(w.officer)).status_code == 403
    bad = client.get("/api/outbox/subscriptions/0", **bearer(w.admin))
    assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == "subscription_id"


def test_a_subscription_is_deactivated_once_with_csrf_on_its_waiting_deliveries_failed(w):
    entry_write(agency_id=w.own.pk)
    deliveries_run(sender=lambda *a: Response(503))  # one waiting for its next attempt
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    client, token = browser(w.admin)
    assert deactivate(client, w.subscription.pk).status_code == 403  # no CSRF token: refused
    for outsider in (w.other_admin, w.far_supervisor):
        outside, outside_token = browser(outsider)
        assert deactivate(outside, w.subscription.pk, HTTP_X_CSRFTOKEN=outside_token).status_code == 404
    officer, officer_token = browser(w.officer)
    assert deactivate(officer, w.subscription.pk, HTTP_X_CSRFTOKEN=officer_token).status_code == 403
    w.subscription.refresh_from_db()
    assert w.subscription.active
    entries = Entry.objects.count()
    done = deactivate(client, w.subscription.pk, HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 200, done.content
    assert done.json()["active"] is False
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    assert Entry.objects.count() == entries + 1
    assert Entry.objects.order_by("-pk").first().kind == EventKind.OUTBOX_SUBSCRIPTION_DEACTIVATED
    again = deactivate(client, w.subscription.pk, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 200 and again.json()["active"] is False and Entry.objects.count() == entries + 1


def test_a_delivery_is_read_with_each_attempt(client, w):
    entry_write(agency_id=w.own.pk)
    deliveries_run(sender=lambda *a: Response(503, "服务暂不可用"))
    delivery = Delivery.objects.get()
    read = client.get(f"/api/outbox/deliveries/{delivery.pk}", **bearer(w.supervisor))
    assert read.status_code == 200, read.content
    body = read.json()
    assert (body["id"], body["event_type"], body["status"], body["attempts"]) == (
        delivery.pk, "case.opened", "pending", 1)
    assert body["event_label"] and not body["event_label"].isascii()
    [attempt] = body["attempt_log"]
    assert (attempt["number"], attempt["response_code"]) == (1, 503)
    for user in (w.other_admin, w.far_supervisor):
        assert client.get(f"/api/outbox/deliveries/{delivery.pk}", **bearer(user)).status_code == 404
    assert client.get(f"/api/outbox/deliveries/{delivery.pk}", **bearer(w.officer)).status_code == 403
    bad = client.get("/api/outbox/deliveries/x", **bearer(w.admin))
    assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == "delivery_id"
    assert json.loads(client.get("/api/outbox/deliveries", **bearer(w.admin)).content)["items"][0]["id"] == delivery.pk

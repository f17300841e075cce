"""Issue 19, item 4: the pages and the API of the outbox. An agency's administrator manages its own
agency's subscriptions, a supervisor those of their county; the secret is shown once; bad input is
a clear Chinese error on the page and a 422 with fields in the API; a page costs a bounded number of
queries."""

import json

import pytest
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.ledger.models import Entry
from sanxiang.outbox.models import Delivery, DeliveryStatus, Subscription
from sanxiang.outbox.services import Response, deliveries_run, subscription_create
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
    w.far = agency_make(region_code="150627")
    w.admin = user_make(role=Role.AGENCY_ADMIN, agency=w.own)
    w.other_admin = user_make(role=Role.AGENCY_ADMIN, agency=w.other)
    w.officer = user_make(role=Role.OFFICER, agency=w.own)
    w.supervisor = user_make(role=Role.SUPERVISOR, agency=w.bureau)
    return w


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf(client: Client, path: str) -> str:
    page = client.get(path)
    client.cookies["csrftoken"] = page.wsgi_request.META["CSRF_COOKIE"]
    return get_token(page.wsgi_request)


def test_an_agency_administrator_creates_a_subscription_and_sees_the_secret_once(w):
    client = browser(w.admin)
    token = csrf(client, reverse("outbox:create"))
    response = client.post(reverse("outbox:create"), {
        "name": "市场监管综合平台", "url": URL, "scope": "agency", "agency": w.own.pk,
        "kinds": ["case.opened", "disclosure.published"], "csrfmiddlewaretoken": token})
    assert response.status_code == 200, response.content.decode()[:500]
    subscription = Subscription.objects.get()
    html = response.content.decode()
    assert subscription.secret in html and response["Cache-Control"] == "no-store"
    assert (subscription.agency_id, subscription.kinds) == (w.own.pk, ["case.opened", "disclosure.published"])
    assert Entry.objects.filter(kind="outbox.subscription_created").count() == 1
    index = client.get(reverse("outbox:index")).content.decode()
    assert "市场监管综合平台" in index and subscription.secret not in index
    assert "立案/登记案件、公示" in index and "case.opened" not in index  # labels, never codes


def test_the_form_reports_each_bad_field_in_chinese_and_writes_nothing(w):
    client = browser(w.admin)
    token = csrf(client, reverse("outbox:create"))
    response = client.post(reverse("outbox:create"), {
        "name": "", "url": "ftp://x", "scope": "agency", "agency": w.other.pk, "kinds": ["registry.party_created"],
        "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "agency", "kinds"}  # the other agency is not among the choices
    response = client.post(reverse("outbox:create"), {
        "name": "平台", "url": "ftp://x", "scope": "agency", "agency": w.own.pk, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert response.context["form"].errors["url"] == ["接收地址应以 https:// 开头，并写明主机"]
    assert not Subscription.objects.exists()


def test_who_reaches_which_subscription(w):
    mine, _ = subscription_create(actor=None, scope="agency", agency_id=w.own.pk, region_code="", name="本局对接",
                                  url=URL, kinds=[])
    county, _ = subscription_create(actor=None, scope="county", agency_id=None, region_code="150626",
                                    name="县级平台", url=URL, kinds=[])
    far, _ = subscription_create(actor=None, scope="agency", agency_id=w.far.pk, region_code="", name="外县对接",
                                 url=URL, kinds=[])
    entry_write(agency_id=w.own.pk)
    deliveries_run(sender=lambda *a: Response(500))
    own_delivery = Delivery.objects.get(subscription=mine)

    def names(user):
        html = browser(user).get(reverse("outbox:index")).content.decode()
        return {s.name for s in (mine, county, far) if s.name in html}

    assert names(w.admin) == {"本局对接"}
    assert names(w.other_admin) == set()
    assert names(w.supervisor) == {"本局对接", "县级平台"}
    assert browser(w.officer).get(reverse("outbox:index")).status_code == 403
    # Another agency's delivery and subscription are absent (404), reading or posting.
    other = browser(w.other_admin)
    assert other.get(reverse("outbox:delivery", args=[own_delivery.pk])).status_code == 404
    token = csrf(other, reverse("outbox:index"))
    assert other.post(reverse("outbox:redeliver", args=[own_delivery.pk]),
                      {"csrfmiddlewaretoken": token}).status_code == 404
    assert other.post(reverse("outbox:deactivate", args=[mine.pk]), {"csrfmiddlewaretoken": token}).status_code == 404
    assert Subscription.objects.get(pk=mine.pk).active
    # The supervisor may not create a subscription for another county.
    supervisor = browser(w.supervisor)
    token = csrf(supervisor, reverse("outbox:create"))
    response = supervisor.post(reverse("outbox:create"), {"name": "x", "url": URL, "scope": "county",
                                                          "region_code": "150627", "csrfmiddlewaretoken": token})
    assert response.status_code == 403


def test_the_delivery_log_opens_each_number_and_costs_bounded_queries(w, django_assert_max_num_queries):
    subscription, _ = subscription_create(actor=None, scope="agency", agency_id=w.own.pk, region_code="",
                                          name="本局对接", url=URL, kinds=[])
    for n in range(12):
        entry_write(agency_id=w.own.pk, case_id=n + 1)
    deliveries_run(sender=lambda *a: Response(503, "busy"))
    client = browser(w.admin)
    index = client.get(reverse("outbox:index")).content.decode()
    link = f"{reverse('outbox:deliveries')}?subscription={subscription.pk}&amp;status=waiting"
    assert f'<a href="{link}">12</a>' in index
    with django_assert_max_num_queries(12):
        log = client.get(reverse("outbox:deliveries") + f"?subscription={subscription.pk}&status=waiting")
    assert log.status_code == 200 and log.content.decode().count('data-testid="delivery-') == 12
    delivery = Delivery.objects.first()
    detail = client.get(reverse("outbox:delivery", args=[delivery.pk])).content.decode()
    assert "立案/登记案件" in detail and "对方返回状态码503" in detail and str(delivery.event_id) in detail
    # Bad filters are no filter, never a 500.
    for query in ("?subscription=99999999999999999999", "?status=nonsense", "?page=x"):
        assert client.get(reverse("outbox:deliveries") + query).status_code in (200, 404)
    token = csrf(client, reverse("outbox:index"))
    response = client.post(reverse("outbox:redeliver", args=[delivery.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Delivery.objects.get(pk=delivery.pk).attempts == 0


def test_the_api_lists_creates_with_the_secret_once_and_redelivers_with_csrf_on(w):
    client = browser(w.admin)
    body = {"name": "对接", "url": URL, "scope": "agency", "agency_id": w.own.pk, "kinds": ["case.opened"]}
    refused = client.post("/api/outbox/subscriptions", json.dumps(body), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    token = csrf(client, reverse("outbox:index"))
    created = client.post("/api/outbox/subscriptions", json.dumps(body), content_type="application/json",
                          HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and secret == Subscription.objects.get().secret
    listed = client.get("/api/outbox/subscriptions").json()["items"]
    assert [s["name"] for s in listed] == ["对接"] and "secret" not in listed[0]

    bad = client.post("/api/outbox/subscriptions", json.dumps({**body, "url": "javascript:alert(1)", "kinds": ["x"]}),
                      content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert bad.status_code == 422
    assert {v["field"] for v in bad.json()["violations"]} == {"url", "kinds"}
    other = client.post("/api/outbox/subscriptions", json.dumps({**body, "agency_id": w.other.pk}),
                        content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert other.status_code == 403
    # An agency's subscription without its agency, or a name with a NUL: 422 naming the field, not 403 or 500.
    unnamed = client.post("/api/outbox/subscriptions", json.dumps({**body, "agency_id": None}),
                          content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert unnamed.status_code == 422 and unnamed.json()["violations"][0]["field"] == "agency_id"
    nul = client.post("/api/outbox/subscriptions", json.dumps({**body, "name": "对\x00接"}),
                      content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert nul.status_code == 422 and "name" in {v["field"] for v in nul.json()["violations"]}
    assert Subscription.objects.count() == 1

    entry_write(agency_id=w.own.pk)
    deliveries_run(sender=lambda *a: Response(None, "", "对方在15秒内没有应答"))
    [item] = client.get("/api/outbox/deliveries?status=pending").json()["items"]
    assert item["attempts"] == 1 and item["last_error"] == "对方在15秒内没有应答" and item["event_type"] == "case.opened"
    again = client.post(f"/api/outbox/deliveries/{item['id']}/redeliver", content_type="application/json",
                        HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 200 and again.json()["attempts"] == 0
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert browser(w.officer).get("/api/outbox/deliveries").status_code == 403


def test_the_index_counts_waiting_and_failed_deliveries_only_in_queries_that_do_not_grow(
    w, django_assert_max_num_queries
):
    """Delivered deliveries only grow: the index links to them without counting them. It costs the
    same number of queries with one subscription as with six."""
    one, _ = subscription_create(actor=None, scope="agency", agency_id=w.own.pk, region_code="", name="本局对接",
                                 url=URL, kinds=[])
    for n in range(3):
        entry_write(agency_id=w.own.pk, case_id=n + 1)
    deliveries_run(sender=lambda *a: Response(200))  # three delivered
    entry_write(agency_id=w.own.pk, case_id=9)
    deliveries_run(sender=lambda *a: Response(503))  # one waiting for its next attempt
    Delivery.objects.filter(status=DeliveryStatus.DELIVERED).filter(pk=Delivery.objects.order_by("pk")[0].pk).update(
        status=DeliveryStatus.FAILED)
    client = browser(w.admin)
    client.get(reverse("outbox:index"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        index = client.get(reverse("outbox:index")).content.decode()
    base = f"{reverse('outbox:deliveries')}?subscription={one.pk}&amp;status="
    assert f'<a href="{base}waiting">1</a>' in index and f'<a href="{base}failed">1</a>' in index
    assert f'<a href="{base}delivered">查看</a>' in index
    for n in range(5):
        subscription_create(actor=None, scope="agency", agency_id=w.own.pk, region_code="", name=f"对接{n}", url=URL,
                            kinds=[])
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("outbox:index")).status_code == 200


def test_the_delivery_log_counts_up_to_a_cap(w, monkeypatch):
    """The log's count stops at LOG_COUNT_CAP (here 5): the page says there are more and lists the newest."""
    from sanxiang.outbox import views

    monkeypatch.setattr(views, "LOG_COUNT_CAP", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    subscription_create(actor=None, scope="agency", agency_id=w.own.pk, region_code="", name="本局对接", url=URL,
                        kinds=[])
    for n in range(7):
        entry_write(agency_id=w.own.pk, case_id=n + 1)
    deliveries_run(sender=lambda *a: Response(200))
    page = browser(w.admin).get(reverse("outbox:deliveries")).content.decode()
    assert "第 1 / 3 页，超过 5 条，列出最新的 5 条（可按订阅或状态筛选）" in page
    newest = Delivery.objects.order_by("-pk")[0]
    assert page.index(f'data-testid="delivery-{newest.pk}"') < page.index(f'data-testid="delivery-{newest.pk - 1}"')

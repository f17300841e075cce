"""Findings of an attacker review of the outbox: a subscription may not make the platform call its
own network (SSRF), a subscription made during a worker pass is not missed, a receiver trickling its
answer does not hold a delivery past the request's timeout, and a batch of claims does not outlive
its lease. Platform rules (平台规则：事件推送), not law."""

import datetime as dt
import http.client
import socket
import ssl
import threading

import pytest
from django.utils import timezone

from sanxiang.ledger.models import Head
from sanxiang.outbox import rules, services
from sanxiang.outbox.models import Attempt, Delivery, DeliveryStatus
from sanxiang.outbox.services import (
    Response,
    deliveries_claim,
    deliveries_run,
    delivery_send,
    events_fan_out,
    http_post,
    subscription_create,
)
from sanxiang.procedure.violations import Refused
from tests.factories import agency_make
from tests.outbox.support import Receiver, entry_write

pytestmark = pytest.mark.django_db


def subscribe(*, agency, url):
    return subscription_create(actor=None, scope="agency", agency_id=agency.pk, region_code="",
                               name="对接系统", url=url, kinds=[])


INTERNAL = [
    "https://127.0.0.1:5432/",
    "https://169.254.169.254/latest/meta-data/",
    "https://localhost:8000/api/cases",
    "https://[::1]/",
    "https://0x7f000001/",
    "https://10.0.0.5:9200/",
    "https://[::ffff:127.0.0.1]/",
    "https://224.0.0.1/",
    "https://0.0.0.0/",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_a_subscription_to_the_platforms_own_network_is_refused(settings, url):
    settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = []
    agency = agency_make()
    with pytest.raises(Refused) as refused:
        subscribe(agency=agency, url=url)
    [violation] = refused.value.violations
    assert (violation.code, violation.field) == ("outbox.url.destination", "url")
    assert violation.message.startswith("接收地址指向本机或内部网络地址（")
    assert violation.legal_basis == rules.PLATFORM_BASIS


@pytest.mark.parametrize("url", ["http://127.0.0.1:5432/", "http://localhost:8000/api/cases",
                                 "http://receiver.example.cn/hook"])
def test_http_is_refused_unless_the_host_is_an_allowed_intranet_host(settings, url):
    settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = []
    with pytest.raises(Refused) as refused:
        subscribe(agency=agency_make(), url=url)
    assert [v.message for v in refused.value.violations] == [
        "接收地址应以 https:// 开头（县内网的接收系统须由系统管理员列入允许的主机）"]


def test_an_allowed_intranet_host_is_accepted_over_http(settings):
    settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = ["10.0.0.5", "LOCALHOST"]
    agency = agency_make()
    subscribe(agency=agency, url="http://10.0.0.5:9200/hook")
    subscribe(agency=agency, url="https://localhost/hook")
    with pytest.raises(Refused):
        subscribe(agency=agency, url="https://10.0.0.6/hook")  # another intranet host: not allowed


def test_a_destination_refused_at_send_time_is_a_failed_attempt_and_no_request_is_made(settings):
    agency = agency_make()
    with Receiver() as receiver:
        subscribe(agency=agency, url=receiver.url)  # allowed when made (tests' conftest)
        entry_write(agency_id=agency.pk)
        settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = []  # the administrator took the host off the list
        run = deliveries_run()
        assert (run.made, run.delivered, run.retried) == (1, 0, 1)
        assert receiver.requests == []
        settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = ["127.0.0.1"]
        assert deliveries_run(now=timezone.now() + dt.timedelta(days=2)).delivered == 1
    [refused, sent] = Attempt.objects.order_by("number")
    assert (refused.response_code, refused.error) == (
        None, "接收地址应以 https:// 开头（县内网的接收系统须由系统管理员列入允许的主机）")
    assert sent.response_code == 200 and len(receiver.requests) == 1


def test_a_host_that_resolves_to_an_internal_address_is_refused_at_send_time(settings, monkeypatch):
    """A name that resolved to a public address when the subscription was made, and to 127.0.0.1 now."""
    settings.SANXIANG_OUTBOX_ALLOWED_HOSTS = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **kw: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))])
    answer = http_post("https://receiver.example.cn/hook", b"{}", {}, 1.0)
    assert (answer.status, answer.error) == (
        None, "接收地址指向本机或内部网络地址（127.0.0.1），不能推送；县内网的接收系统须由系统管理员列入允许的主机")


def test_a_subscription_made_during_a_worker_pass_gets_the_entries_written_after_it(monkeypatch):
    """The pass reads the ledgers' heads; then a subscription is made and an entry written (before
    the pass locks the ledger's cursor). The entry is the new subscription's."""
    agency = agency_make()
    first, _ = subscribe(agency=agency, url="https://a.example.cn/hook")
    made = {}
    heads = Head.objects

    class Heads:
        """The heads as the pass sees them; subscription_create reads them as they are."""

        def values_list(self, *fields):
            return heads.values_list(*fields)

        def order_by(self, *fields):
            rows = list(heads.order_by(*fields).values_list("id", "size"))
            made["subscription"], _ = subscribe(agency=agency, url="https://b.example.cn/hook")
            made["entry"] = entry_write(agency_id=agency.pk)
            size = {ledger: size for ledger, size in heads.values_list("id", "size")}
            return _Rows([(ledger, size[ledger]) for ledger, _ in rows])

    class _Rows(list):
        def values_list(self, *fields):
            return self

    monkeypatch.setattr(services, "Head", type("Head", (), {"objects": Heads()}))
    events_fan_out()
    assert Delivery.objects.filter(subscription=made["subscription"], event__seq=made["entry"].seq).exists()
    assert Delivery.objects.filter(subscription=first, event__seq=made["entry"].seq).exists()


class Trickler:
    """A receiver that answers one byte every `every` seconds (a slowloris in reverse) and records
    whether it got to the end of its answer."""

    def __init__(self, *, every: float = 0.05, length: int = 200) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.every, self.length = every, length
        self.finished = threading.Event()
        self.cut_off = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/hook"

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            connection.recv(65536)
            answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + b"x" * self.length + b"\r\n\r\nok"
            try:
                for i in range(len(answer)):
                    connection.sendall(answer[i:i + 1])
                    if self.cut_off.wait(self.every):
                        return
                self.finished.set()
            except OSError:
                self.cut_off.set()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.cut_off.set()
        self.thread.join(5)
        self.server.close()


def test_a_receiver_trickling_its_answer_is_cut_off_when_the_request_s_time_is_spent():
    """Each byte comes well within the timeout (0.05 s < 0.5 s), the whole answer would take 10 s:
    the request is given up when its 0.5 s are spent, not 10 s later."""
    with Trickler() as trickler:
        answer = http_post(trickler.url, b"{}", {}, 0.5)
        finished = trickler.finished.is_set()
    assert (answer.status, answer.error) == (None, "对方在0.5秒内没有应答")
    assert not finished


def test_the_lease_is_renewed_just_before_sending():
    """A batch of claims sent one after another: by the time the last is sent its lease (counted
    from the claim) may have run out. delivery_send renews it first, so no other worker takes it
    while its request is in flight."""
    agency = agency_make()
    subscribe(agency=agency, url="https://a.example.cn/hook")
    entry_write(agency_id=agency.pk)
    events_fan_out()
    [claim] = deliveries_claim()
    Delivery.objects.update(lease_until=timezone.now())  # the batch before it took the whole lease
    taken = []

    def sender(*args):
        taken.extend(deliveries_claim())  # another worker looks for due deliveries meanwhile
        return Response(200)

    assert delivery_send(claim=claim, sender=sender) == DeliveryStatus.DELIVERED
    assert taken == []
    assert Delivery.objects.get().attempts == 1


def test_the_log_says_in_chinese_why_a_tls_connection_failed():
    from sanxiang.outbox.services import _failure_text

    verify = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] self-signed certificate")
    assert _failure_text(verify, timeout=15) == "对方的HTTPS证书未通过验证"
    assert _failure_text(ssl.SSLError(1, "WRONG_VERSION_NUMBER"), timeout=15) == "与对方建立加密连接失败"
    assert _failure_text(http.client.RemoteDisconnected("closed"), timeout=15) == "对方未应答即断开了连接"

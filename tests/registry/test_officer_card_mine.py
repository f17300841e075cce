"""我的执法证 (issue 13 item 9): an officer signed in opens their own certificates, each with its
state today and, once published, the printable card whose QR code opens the public verification."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.publication.models import PublicCertificate
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services as registry
from tests.cases.support import world_make
from tests.factories import certificate_make, user_make

pytestmark = pytest.mark.django_db


def test_an_officer_opens_and_prints_their_own_card(client):
    w = world_make()
    public_registry_refresh()
    certificate = w.zhang.certificates.get()
    token = PublicCertificate.objects.get(source_id=certificate.pk).token
    client.force_login(w.officer)
    response = client.get(reverse("registry:officer_card_mine"))
    assert response.status_code == 200
    html = response.content.decode()
    card = html.split('data-testid="my-certificate"')[1]
    assert certificate.number in card and "张三" in card
    assert 'data-testid="my-certificate-state">有效<' in card
    assert "<svg" in card.split('data-testid="certificate-qr"')[1]  # the QR code, inline
    assert reverse("portal:certificate_verify", args=[token]) in card
    assert "data-print" in card and "registry/officer-card.css" in html  # a print button, a print style
    # Only one's own: 李四's certificate is not on 张三's page; the navigation leads there.
    assert w.li.certificates.get().number not in html
    assert reverse("registry:officer_card_mine") in html.split('class="sidenav"')[1]


def test_an_unpublished_or_suspended_certificate_says_so(client):
    w = world_make()
    today = timezone.localdate()
    suspended = w.zhang.certificates.get()
    registry.certificate_update(actor=None, certificate=suspended, status="suspended", reason="涉嫌违纪")
    fresh = certificate_make(officer=w.zhang, valid_to=today + dt.timedelta(days=20))
    client.force_login(w.officer)
    html = client.get(reverse("registry:officer_card_mine")).content.decode()
    sections = html.split('data-testid="my-certificate"')[1:]
    # The certificate that lets him act first (即将到期 within the warning window), then the suspended one.
    assert fresh.number in sections[0] and ">即将到期<" in sections[0]
    assert suspended.number in sections[1] and ">暂扣<" in sections[1]
    assert all('data-testid="not-published"' in s for s in sections)


def test_an_account_without_an_officer_is_told_so(client):
    w = world_make()
    clerk = user_make(role=Role.AGENCY_ADMIN, agency=w.agency)
    client.force_login(clerk)
    response = client.get(reverse("registry:officer_card_mine"))
    assert response.status_code == 200 and 'data-testid="no-officer"' in response.content.decode()
    assert reverse("registry:officer_card_mine") not in response.content.decode().split('class="sidenav"')[1]

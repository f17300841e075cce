"""Every record of the demo is written through the services, so each has its ledger entry.

Counted at the call sites of `entry_append`, so that the test holds whatever the ledger's
storage looks like."""

from collections import Counter

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.accounts.models import User
from sanxiang.demo.county import demo_county_load
from sanxiang.ledger.events import EventKind
from sanxiang.registry.models import Agency, Certificate, Matter, Officer, Party


@pytest.fixture
def appended(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    events = []

    def record(*, event, actor=None):
        events.append((event, actor))

    for module in ("sanxiang.registry.services", "sanxiang.accounts.services", "sanxiang.demo.county"):
        monkeypatch.setattr(f"{module}.entry_append", record)
    return events


@pytest.mark.django_db
def test_every_demo_record_has_its_ledger_entry(appended):
    assert demo_county_load().created
    kinds = Counter(event.kind for event, _ in appended)
    assert kinds == {
        EventKind.AGENCY_CREATED: Agency.objects.count(),
        EventKind.OFFICER_CREATED: Officer.objects.count(),
        EventKind.CERTIFICATE_CREATED: Certificate.objects.count(),
        EventKind.MATTER_CREATED: Matter.objects.count(),
        EventKind.PARTY_CREATED: Party.objects.count(),
        EventKind.USER_CREATED: User.objects.count(),
        EventKind.TOTP_ENABLED: TOTPDevice.objects.filter(confirmed=True).count(),
    }
    assert all(actor is None for _, actor in appended)
    appended.clear()
    assert not demo_county_load().created
    assert appended == []

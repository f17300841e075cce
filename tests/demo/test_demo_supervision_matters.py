"""Part A of the demo year of supervision, loaded after the demo county through the services."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from sanxiang.demo.county import demo_county_load
from sanxiang.demo.supervision_matters import supervision_matters_demo_load
from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.registry.models import SupervisionCertificate
from sanxiang.supervision.models import Matter, ReadGrant

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_the_demo_year_has_matters_from_every_source_in_every_state():
    today = timezone.localdate() - dt.timedelta(days=1)
    demo_county_load(today=today)
    count = supervision_matters_demo_load(today=today)
    assert count >= 10
    assert supervision_matters_demo_load(today=today) == 0  # once
    sources = set(Matter.objects.values_list("source", flat=True))
    assert sources >= {s.value for s in MatterSource} - {MatterSource.PLATFORM_ALERT}
    states = set(Matter.objects.values_list("state", flat=True))
    assert states == {"received", "accepted", "merged", "transferred", "closed", "concluded"}
    assert Matter.objects.filter(listed=True).exists() and Matter.objects.filter(escalated=True).exists()
    assert ReadGrant.objects.exists()
    assert SupervisionCertificate.objects.filter(valid_to__lt=timezone.localdate()).count() == 1
    assert Entry.objects.filter(kind__startswith="supervision.").count() > count

"""The demo's year of supervision (issue 14 acceptance): matters from every source, instruments in
every state, a public 通报, complaints and filings, produced through the services and loaded once."""

import datetime as dt

import pytest
from django.test import override_settings

from sanxiang.demo.county import demo_county_load
from sanxiang.demo.supervision import demo_supervision_load
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.supervision.instruments import InstrumentState
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.publication.models import PublicComplaint, PublicSupervisionNotice
from sanxiang.supervision.models import Complaint, Filing, Instrument, Matter

TODAY = dt.date(2026, 11, 20)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_the_demo_year_of_supervision_covers_every_source_and_state_and_loads_once():
    demo_county_load(today=TODAY)
    count = demo_supervision_load(today=TODAY)
    assert count == Matter.objects.count() > 10
    assert demo_supervision_load(today=TODAY) == count  # once
    assert {s.value for s in MatterSource} - {MatterSource.PLATFORM_ALERT} <= set(
        Matter.objects.values_list("source", flat=True))
    states = set(Instrument.objects.values_list("state", flat=True))
    assert {InstrumentState.ISSUED, InstrumentState.ACCEPTED} <= {InstrumentState(s) for s in states}
    assert PublicSupervisionNotice.objects.exists()
    assert Complaint.objects.filter(matter__isnull=False).count() == PublicComplaint.objects.count() > 0
    assert Filing.objects.exists()
    report = ledger_verify()
    assert report.ok, sorted({f.message.split(":")[0].rsplit(" ", 1)[0] for f in report.findings})

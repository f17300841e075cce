"""The demo's year of supervision (issue 14 acceptance): matters from every source in every state,
instruments in every state, a public 通报, complaints from every channel in every public state, and
filings, produced through the services and loaded once. One load of the demo for all of it (the
demo county takes tens of seconds to load; CI's budget)."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sanxiang.demo.county import demo_county_load
from sanxiang.demo.supervision import demo_supervision_load
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.supervision.instruments import InstrumentState
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.publication.models import PublicComplaint, PublicSupervisionNotice
from sanxiang.registry.models import SupervisionCertificate
from sanxiang.supervision.models import Complaint, Filing, Instrument, Matter, ReadGrant

TODAY = timezone.localdate() - dt.timedelta(days=1)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        demo_county_load(today=TODAY)
        count = demo_supervision_load(today=TODAY)
        again = demo_supervision_load(today=TODAY)
        report = ledger_verify()  # here, beside the files the load stored (each test has its own folder)
        yield count, again, report
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_year_is_loaded_once_and_the_ledger_verifies(loaded):
    count, again, report = loaded
    assert count == Matter.objects.count() > 10 and again == count
    assert Entry.objects.filter(kind__startswith="supervision.").count() > count
    assert report.ok, sorted({f.message for f in report.findings})[:5]


@pytest.mark.django_db
def test_matters_come_from_every_source_and_stand_in_every_state(loaded):
    assert {s.value for s in MatterSource} - {MatterSource.PLATFORM_ALERT} <= set(
        Matter.objects.values_list("source", flat=True))
    states = set(Matter.objects.values_list("state", flat=True))
    assert states == {"received", "accepted", "merged", "transferred", "closed", "concluded"}
    assert Matter.objects.filter(listed=True).exists() and Matter.objects.filter(escalated=True).exists()
    assert ReadGrant.objects.exists()
    assert SupervisionCertificate.objects.filter(valid_to__lt=timezone.localdate()).count() == 1


@pytest.mark.django_db
def test_instruments_in_their_states_and_a_public_notice(loaded):
    states = {InstrumentState(s) for s in Instrument.objects.values_list("state", flat=True)}
    assert {InstrumentState.ISSUED, InstrumentState.ACCEPTED} <= states
    assert PublicSupervisionNotice.objects.exists()
    assert Filing.objects.exists()


@pytest.mark.django_db
def test_complaints_from_every_channel_in_every_public_state_without_gaps(loaded):
    assert Complaint.objects.count() == 10
    assert Complaint.objects.filter(matter__isnull=False).count() == PublicComplaint.objects.count() == 10
    statuses = set(PublicComplaint.objects.values_list("status_label", flat=True))
    assert statuses == {"已收到", "已受理", "不予受理", "已办结"}
    assert set(Complaint.objects.values_list("channel", flat=True)) == {"portal", "hotline_12345", "enterprise"}
    for year in set(Complaint.objects.values_list("year", flat=True)):
        numbers = sorted(Complaint.objects.filter(year=year).values_list("sequence", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))  # no gap in the year
    assert PublicComplaint.objects.filter(reason__contains="第三十三条").exists()


@pytest.mark.django_db
def test_the_indicators_of_the_demo_year_each_open_a_list_of_their_length(loaded):
    """Issue 15: on records made through the services, every indicator of every agency of the
    county (and the total) equals the length of the list behind it, and the main ones count."""
    from sanxiang.accounts.models import Role, User
    from sanxiang.evaluation.indicators import indicator_records, indicator_table, period_range

    supervisor = User.objects.filter(role=Role.SUPERVISOR, agency__is_judicial_bureau=True).first()
    period = period_range(TODAY - dt.timedelta(days=365), TODAY)
    table = indicator_table(viewer=supervisor, period=period, today=TODAY)
    assert len(table.agencies) > 1
    for indicator in table.indicators:
        for agency_id in [None, *(a.pk for a in table.agencies)]:
            figure = table.totals[indicator.code] if agency_id is None else table.figures[indicator.code][agency_id]
            for side, number in (("numerator", figure.numerator), ("denominator", figure.denominator)):
                listing = indicator_records(viewer=supervisor, indicator=indicator, side=side, period=period,
                                            agency_id=agency_id, limit=100_000, today=TODAY)
                assert listing.count == number == len(listing.rows), (indicator.code, agency_id, side)
            assert figure.numerator <= figure.denominator
    counted = {code for code, total in table.totals.items() if total.denominator}
    assert {"publication_timely", "legal_review_rate", "filing_timely", "certificate_rate",
            "deadlines_overdue"} <= counted, table.totals

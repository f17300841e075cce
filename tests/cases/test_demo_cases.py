"""The demo county's cases: one in every state of both procedures, produced through the service
(each state change has its STEP_DONE entry), the same for the same day, and loaded once."""

import datetime as dt
from collections import Counter

import pytest

from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.demo.county import demo_county_load
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.catalog import procedure_spec
from sanxiang.procedure.penalty import ORDINARY, SUMMARY
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 11, 26)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.conf import settings

    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        data_dir = loaded.data_dir
        assert settings.DATA_DIR == data_dir
        yield data_dir


@pytest.mark.django_db
def test_every_state_of_both_procedures_has_a_demo_case(demo):
    states = Counter(Case.objects.values_list("procedure", "state"))
    assert {s.name for s in ORDINARY.states} == {state for procedure, state in states if procedure == "ordinary"}
    assert {s.name for s in SUMMARY.states} == {state for procedure, state in states if procedure == "summary"}


@pytest.mark.django_db
def test_every_state_change_went_through_the_service_and_the_ledger(demo, settings):
    settings.DATA_DIR, settings.MEDIA_ROOT = demo, demo / "files"  # where the demo stored its files
    for case in Case.objects.all():
        if case.state == procedure_spec(case.procedure).engine.initial:
            continue  # registered, no step yet
        steps = Entry.objects.filter(case_id=case.pk, kind=EventKind.STEP_DONE).count()
        assert steps >= 1, case
    documents = IssuedDocument.objects.count()
    assert Entry.objects.filter(kind=EventKind.DOCUMENT_ISSUED).count() == documents > 50
    assert IssuedDocument.objects.filter(kind="decision_document").exclude(number="").count() >= 5
    assert ledger_verify().ok


@pytest.mark.django_db
def test_loading_again_adds_no_case(demo):
    before = Case.objects.count(), Entry.objects.count()
    demo_county_load(today=TODAY + dt.timedelta(days=3))
    assert (Case.objects.count(), Entry.objects.count()) == before

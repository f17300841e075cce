"""The daily publicity command, and the public registry kept current after a registry change."""

import datetime as dt

import pytest
from django.core.management import call_command

from sanxiang.publication.models import Publication, PublicationDraft, PublicationStatus, PublicCertificate
from sanxiang.publication.services import publication_approve
from sanxiang.registry import services as registry
from tests.cases.support import to_decided, world_make
from tests.factories import certificate_make, officer_make
from tests.ledger.helpers import ledger_purge

D = dt.date


@pytest.mark.django_db
def test_the_tick_takes_down_expired_publications_and_reports_what_is_overdue(capsys):
    w = world_make()
    published = to_decided(w)
    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=published), on=D(2026, 4, 1))
    to_decided(w)  # left as a draft
    with pytest.raises(SystemExit) as status:
        call_command("publication_tick", "--on", "2026-07-01")
    assert status.value.code == 1
    out = capsys.readouterr().out
    assert "下架1条" in out and "逾期未公示" in out
    assert Publication.objects.get().status == PublicationStatus.EXPIRED


@pytest.fixture
def purged():
    yield
    ledger_purge()  # a transactional test leaves ledger rows the flush may not delete


@pytest.mark.django_db(transaction=True)
def test_a_registry_change_refreshes_the_public_registry_after_commit(purged):
    """事前公开 is kept current: a new certificate is verifiable once its transaction committed."""
    w = world_make()
    officer = officer_make(agency=w.agency, certificate=False, name="新来的")
    certificate = certificate_make(officer=officer)
    row = PublicCertificate.objects.get(number=certificate.number)
    assert row.officer_name == "新来的" and row.state == "valid"
    registry.certificate_update(actor=None, certificate=certificate, status="suspended", reason="涉嫌违纪，暂扣")
    assert PublicCertificate.objects.get(number=certificate.number).state == "suspended"

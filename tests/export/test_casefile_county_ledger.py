"""The case file of a case whose agency writes to a county ledger: its entries and proofs are of
that ledger, against that ledger's signed head, and the stand-alone verifier accepts it."""

import json
import zipfile

import pytest
from django.db import transaction

from sanxiang.casefile.services import case_file_export
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.models import DEFAULT_LEDGER, Entry
from sanxiang.ledger.services import entry_append, ledger_agency_assign, ledger_county_create
from sanxiang.ledger.verification import ledgers_verify
from sanxiang_verify.__main__ import main
from sanxiang_verify.verify import case_file_verify
from tests.export.conftest import jpeg_bytes, media_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_case(agency, officer_user):
    """The default ledger has entries of its own first, so that seqs differ between ledgers."""
    with transaction.atomic():
        for i in range(5):
            entry_append(event=LedgerEvent(EventKind.USER_CREATED, {"user": i}))  # no agency
        wushen = ledger_county_create(name="wushen", title="乌审旗")
        ledger_agency_assign(agency_id=agency.pk, ledger=wushen)
    case = case_create(actor=officer_user, agency=agency, number="乌审市监罚〔2026〕901号", title="无照经营")
    return wushen, case


def test_a_case_in_a_county_ledger_exports_and_verifies_stand_alone(county_case, ingest, tmp_path, capsys):
    wushen, case = county_case
    first = ingest(media_bytes(20_000, seed=5), case=case)
    ingest(jpeg_bytes(2_000, seed=6), case=case, kind="photo", name="现场照片.jpg")
    case_entries = Entry.objects.filter(case_id=case.pk)
    assert set(case_entries.values_list("ledger_id", flat=True)) == {wushen.id}
    # ledger_seq is a seq within the case's ledger.
    assert Entry.objects.get(ledger_id=wushen.id, seq=first.ledger_seq).subject == f"evidence:{first.pk}"

    path = tmp_path / "case.zip"
    summary = case_file_export(case=case, destination=path)
    assert summary.complete, summary.problems
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        checkpoint = archive.read("ledger/checkpoint.txt").decode()
    assert manifest["ledger"]["origin"] == "sanxiang.local/ledger/wushen"
    assert checkpoint.startswith("sanxiang.local/ledger/wushen\n")
    assert summary.checkpoint_size == Entry.objects.filter(ledger_id=wushen.id).count()
    assert summary.export_seq < summary.checkpoint_size  # the export's own entry, in the county ledger

    report = case_file_verify(str(path), vkeys=[summary.vkey])
    assert report.ok, [f.text() for f in report.findings]
    assert main([str(path), "--key", summary.vkey]) == 0
    assert "核验通过" in capsys.readouterr().out
    # The export signed the county's head, which the log of heads records: everything verifies.
    assert ledgers_verify().ok
    assert Entry.objects.filter(ledger_id=DEFAULT_LEDGER, case_id=case.pk).count() == 0

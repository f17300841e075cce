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


@pytest.mark.django_db(transaction=True)
def test_checkpoints_of_every_ledger_and_an_export_at_the_same_moment_do_not_deadlock(tmp_path, monkeypatch):
    """Two threads on PostgreSQL: `checkpoints_issue_all` (the default head, the log of heads, then
    the county head) and a county case's export (its entry, then its checkpoint and the log). Both
    are held at the point where, before, one held the log and the other the county head, each
    waiting for the other: PostgreSQL aborted one of them ("deadlock detected"). Now both take the
    heads in one global order (ascending id): the export waits, then both finish."""
    import threading

    from django.db import connection

    from sanxiang.accounts.models import Role
    from sanxiang.casefile import services as casefile_services
    from sanxiang.ledger import services as ledger_services
    from sanxiang.ledger.models import Checkpoint
    from tests.factories import agency_make, officer_make, user_make
    from tests.ledger.helpers import ledger_purge

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer for the whole database")
    try:
        agency = agency_make(name="乌审旗市场监督管理局")
        officer_user = user_make(role=Role.OFFICER, agency=agency, officer=officer_make(agency=agency))
        with transaction.atomic():
            entry_append(event=LedgerEvent(EventKind.USER_CREATED, {"user": 0}))
            wushen = ledger_county_create(name="wushen", title="乌审旗")
            ledger_agency_assign(agency_id=agency.pk, ledger=wushen)
        case = case_create(actor=officer_user, agency=agency, number="乌审市监罚〔2026〕902号", title="无照经营")
        both_holding = threading.Barrier(2, timeout=3)

        def meet() -> None:
            try:
                both_holding.wait()
            except threading.BrokenBarrierError:  # the other thread waits for a lock: go on
                pass

        real_issue = ledger_services.checkpoint_issue

        def issue_all_pausing(*, ledger_id):
            if threading.current_thread().name == "issue-all" and ledger_id == wushen.id:
                meet()  # holding the default head and the log, about to take the county head
            return real_issue(ledger_id=ledger_id)

        def export_pausing(*, ledger_id):
            meet()  # holding the county head (its export entry), about to take the log
            return real_issue(ledger_id=ledger_id)

        monkeypatch.setattr(ledger_services, "checkpoint_issue", issue_all_pausing)
        monkeypatch.setattr(casefile_services, "checkpoint_issue", export_pausing)
        errors: list[BaseException] = []

        def run(work) -> None:
            try:
                work()
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                connection.close()

        def issue_all():
            with transaction.atomic():
                ledger_services.checkpoints_issue_all()

        threads = [
            threading.Thread(target=run, args=(issue_all,), name="issue-all"),
            threading.Thread(target=run, args=(lambda: case_file_export(case=case, destination=tmp_path / "c.zip"),),
                             name="export"),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert (tmp_path / "c.zip").exists()
        assert Checkpoint.objects.filter(ledger_id=wushen.id).exists()
        assert ledgers_verify(run_extra_checks=False).ok
    finally:
        ledger_purge()

"""Many ledgers in one database: entries follow their agency to its county's ledger, each ledger
verifies on its own, the log of heads records every county's signed heads, and a tampered ledger
is named."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from sanxiang.ledger import keys, selectors
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import DEFAULT_LEDGER, Checkpoint, Entry, Head, Ledger
from sanxiang.ledger.notes import checkpoint_verify
from sanxiang.ledger.services import (
    LedgerError,
    checkpoints_issue_all,
    entries_append,
    entry_append,
    ledger_agency_assign,
    ledger_batch,
    ledger_county_create,
)
from sanxiang.ledger.verification import ledgers_verify
from tests.ledger.helpers import make_event, raw, triggers_dropped

pytestmark = pytest.mark.django_db

WUSHEN_AGENCY, OTOG_AGENCY = 41, 42


@pytest.fixture
def two_counties():
    """The default ledger (agency 1..5 of make_event), and county ledgers for agencies 41 and 42."""
    with transaction.atomic():
        wushen = ledger_county_create(name="wushen", title="乌审旗")
        otog = ledger_county_create(name="otog", title="鄂托克旗")
        ledger_agency_assign(agency_id=WUSHEN_AGENCY, ledger=wushen)
        ledger_agency_assign(agency_id=OTOG_AGENCY, ledger=otog)
    return wushen, otog


def _event(i: int, agency_id: int):
    base = make_event(i)
    return base.__class__(base.kind, base.payload, agency_id=agency_id, case_id=i, subject=base.subject, files=base.files)


def test_a_single_county_has_one_ledger_and_no_log(settings):
    settings.SANXIANG_LEDGER_ORIGIN = "county.example/ledger"
    with transaction.atomic():
        entry = entry_append(event=make_event(1))
    assert entry.ledger_id == DEFAULT_LEDGER and entry.seq == 0
    assert selectors.ledger_log_of_heads() is None and selectors.ledger_ids() == [DEFAULT_LEDGER]
    assert selectors.ledger_origin_for(DEFAULT_LEDGER) == "county.example/ledger"


def test_entries_are_routed_by_agency_each_ledger_numbering_from_zero(two_counties):
    wushen, otog = two_counties
    log = selectors.ledger_log_of_heads()
    assert log is not None and log.is_log_of_heads and log.name == "heads"
    with transaction.atomic():
        for i in range(5):
            entry_append(event=_event(i, WUSHEN_AGENCY))
            entry_append(event=_event(i, OTOG_AGENCY))
        entry_append(event=_event(9, 3))  # an agency without a county ledger
        entry_append(event=make_event(9).__class__(EventKind.USER_CREATED, {"x": 1}))  # no agency
        # A batch spanning two ledgers: each gets its own seq, one head update each.
        with ledger_batch():
            a = entry_append(event=_event(5, WUSHEN_AGENCY))
            b = entry_append(event=_event(5, OTOG_AGENCY))
        entries_append(events=[_event(i, OTOG_AGENCY) for i in range(6, 9)])
    assert (a.entry.ledger_id, a.seq) == (wushen.id, 5) and (b.entry.ledger_id, b.seq) == (otog.id, 5)
    by_ledger = {
        lid: list(Entry.objects.filter(ledger_id=lid).order_by("seq").values_list("seq", "agency_id"))
        for lid in (DEFAULT_LEDGER, wushen.id, otog.id)
    }
    assert by_ledger[wushen.id] == [(s, WUSHEN_AGENCY) for s in range(6)]
    assert by_ledger[otog.id] == [(s, OTOG_AGENCY) for s in range(9)]
    assert by_ledger[DEFAULT_LEDGER] == [(0, 3), (1, None)]
    assert dict(Head.objects.values_list("id", "size")) == {DEFAULT_LEDGER: 2, wushen.id: 6, otog.id: 9, log.id: 0}
    assert selectors.ledger_of_agency(WUSHEN_AGENCY) == wushen.id and selectors.ledger_of_agency(7) == DEFAULT_LEDGER


def test_each_ledger_signs_its_own_origin_and_the_log_records_every_head(two_counties, settings):
    settings.SANXIANG_LEDGER_ORIGIN = "wushen.example/ledger"
    _wushen, _otog = two_counties
    with transaction.atomic():
        for i in range(3):
            entry_append(event=_event(i, WUSHEN_AGENCY))
        entry_append(event=make_event(1))
        signed = checkpoints_issue_all()
    origins = [c.note.split("\n")[0] for c in signed]
    assert origins == [
        "wushen.example/ledger",
        "wushen.example/ledger/wushen",
        "wushen.example/ledger/otog",
        "wushen.example/ledger/heads",
    ]
    log = selectors.ledger_log_of_heads()
    recorded = [json.loads(bytes(b))["payload"] for b in Entry.objects.filter(ledger_id=log.id).order_by("seq").values_list("body", flat=True)]
    assert [(p["ledger"], p["size"]) for p in recorded] == [("default", 1), ("wushen", 3), ("otog", 0)]
    assert [p["checkpoint"] for p in recorded] == [c.note for c in signed[:3]]
    # The log's signed head covers the three records: one signature commits to every county's head.
    assert signed[3].size == 3
    checkpoint_verify(signed[3].note, [keys.verifier_get()], origin="wushen.example/ledger/heads")
    # Signing again without new entries signs nothing new and records nothing new.
    with transaction.atomic():
        again = checkpoints_issue_all()
    assert [c.pk for c in again] == [c.pk for c in signed]
    assert Entry.objects.filter(ledger_id=log.id).count() == 3
    report = ledgers_verify()
    assert report.ok, report.as_json()
    assert [name for name, _, _ in report.reports] == ["default", "wushen", "otog", "heads"]
    assert report.report_of("wushen").checkpoints_checked == 2  # its own, and the log's record of it


def test_tampering_in_one_county_ledger_is_named_and_the_others_still_verify(two_counties, capsys):
    _wushen, otog = two_counties
    with transaction.atomic():
        for i in range(6):
            entry_append(event=_event(i, WUSHEN_AGENCY))
            entry_append(event=_event(i, OTOG_AGENCY))
        checkpoints_issue_all()
    body = raw("SELECT body FROM ledger_entry WHERE ledger_id = %s AND seq = 4", [otog.id])[0][0]
    with triggers_dropped():
        raw(
            "UPDATE ledger_entry SET body = %s WHERE ledger_id = %s AND seq = 4",
            [bytes(body).replace(b'"amount_fen":400', b'"amount_fen":4'), otog.id],
        )
        report = ledgers_verify()
        assert report.failed() == ["otog"]
        assert report.report_of("otog").differing_seqs() == [4]
        assert report.report_of("wushen").ok and report.report_of("heads").ok
        with pytest.raises(CommandError, match="otog"):
            call_command("verify", "--no-progress")
    out = capsys.readouterr().out
    assert "== ledger otog (sanxiang.local/ledger/otog)" in out and "entries concerned: 4" in out


def test_a_county_ledger_cut_short_is_caught_by_the_log_even_when_its_own_checkpoints_go_too(two_counties):
    wushen, _otog = two_counties
    with transaction.atomic():
        for i in range(8):
            entry_append(event=_event(i, WUSHEN_AGENCY))
        checkpoints_issue_all()
    with triggers_dropped():
        # Someone removes the county's last entries and the checkpoint that signed them: the log
        # of heads still holds its signed record.
        raw("DELETE FROM ledger_entry WHERE ledger_id = %s AND seq >= 6", [wushen.id])
        raw("DELETE FROM ledger_node WHERE ledger_id = %s AND level >= 2", [wushen.id])
        raw("DELETE FROM ledger_checkpoint WHERE ledger_id = %s", [wushen.id])
        report = ledgers_verify()
    codes = {f.code for f in report.report_of("wushen").findings}
    assert "entries_cut_off" in codes
    assert any("log of heads entry" in f.message for f in report.report_of("wushen").findings)


def test_the_log_of_heads_row_deleted_is_named_and_the_county_cut_short_still_caught(two_counties):
    """Review r3, F6: the same cut as above, the county's own checkpoints gone, and the log's ledger
    row deleted too (with the triggers dropped; they refuse it now): the log's entries are under an
    id that names no ledger, and county ledgers without a log of heads are named."""
    wushen, _otog = two_counties
    log = selectors.ledger_log_of_heads()
    with transaction.atomic():
        for i in range(8):
            entry_append(event=_event(i, WUSHEN_AGENCY))
        checkpoints_issue_all()
    with triggers_dropped():
        raw("DELETE FROM ledger_entry WHERE ledger_id = %s AND seq >= 4", [wushen.id])
        raw('DELETE FROM ledger_node WHERE ledger_id = %s AND ("index" + 1) * (1 << level) > 4', [wushen.id])
        raw("DELETE FROM ledger_checkpoint WHERE ledger_id = %s", [wushen.id])
        (root,) = raw('SELECT hash FROM ledger_node WHERE ledger_id = %s AND level = 2 AND "index" = 0', [wushen.id])[0]
        raw("UPDATE ledger_head SET size = 4, root = %s, compact_range = %s WHERE id = %s", [root, root, wushen.id])
        assert "entries_cut_off" in {f.code for f in ledgers_verify(run_extra_checks=False).report_of("wushen").findings}
        raw("DELETE FROM ledger_ledger WHERE is_log_of_heads")
        report = ledgers_verify(run_extra_checks=False)
    assert not report.ok
    assert report.report_of("wushen").ok  # alone, the county's cut ledger is consistent: the log was its witness
    assert [f.code for f in report.report_of("heads").findings] == ["log_of_heads_missing"]
    unknown = report.report_of(f"unknown-{log.id}")
    assert [f.code for f in unknown.findings] == ["ledger_unknown"]
    assert unknown.entries == Entry.objects.filter(ledger_id=log.id).count() > 0
    assert set(report.failed()) == {"heads", f"unknown-{log.id}"}


def test_entries_under_an_id_that_names_no_ledger_are_named_with_what_lies_there(two_counties):
    """Review r3, F5: a plain INSERT (no trigger refuses it) under ledger id 200."""
    with transaction.atomic():
        entry_append(event=_event(1, WUSHEN_AGENCY))
        checkpoints_issue_all()
    assert ledgers_verify(run_extra_checks=False).ok
    raw("INSERT INTO ledger_entry (ledger_id, seq, kind, actor_id, agency_id, case_id, subject, created_at, body, "
        "leaf_hash) SELECT 200, 0, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash "
        "FROM ledger_entry WHERE ledger_id = %s AND seq = 0", [two_counties[0].id])
    raw('INSERT INTO ledger_node (ledger_id, level, "index", hash) VALUES (201, 1, 0, %s)', [b"x" * 32])
    report = ledgers_verify(run_extra_checks=False)
    assert set(report.failed()) == {"unknown-200", "unknown-201"}
    (finding,) = report.report_of("unknown-200").findings
    assert finding.code == "ledger_unknown" and "ledger id 200" in finding.message and "entries" in finding.message
    assert report.report_of("unknown-200").entries == 1
    assert "subtree nodes" in report.report_of("unknown-201").findings[0].message


def test_an_agency_with_entries_elsewhere_cannot_move(two_counties):
    wushen, otog = two_counties
    with transaction.atomic():
        entry_append(event=_event(1, 7))
    with transaction.atomic(), pytest.raises(LedgerError, match="entries of cases in another ledger"):
        ledger_agency_assign(agency_id=7, ledger=wushen)
    with transaction.atomic(), pytest.raises(LedgerError, match="already writes"):
        ledger_agency_assign(agency_id=WUSHEN_AGENCY, ledger=otog)
    with transaction.atomic(), pytest.raises(LedgerError):
        ledger_county_create(name="wushen")
    with transaction.atomic(), pytest.raises(LedgerError):
        ledger_county_create(name="Not A Slug")


def test_an_append_routed_to_the_default_ledger_is_refused_if_its_agency_was_assigned_meanwhile(
    two_counties, monkeypatch,
):
    """The race of `ledger_agency_assign`: a transaction reads that agency 7 is not mapped (its
    entries go to the default ledger), then the agency is assigned to a county before it moves the
    default head. The head is moved only if no agency of the batch was mapped meanwhile: the
    append is refused (its transaction rolls back) rather than splitting the case's entries."""
    from sanxiang.ledger import services
    from sanxiang.ledger.models import LedgerAgency
    from sanxiang.ledger.services import LedgerStateError

    wushen, _ = two_counties
    real = services._agency_head_row_locked

    def routed_then_assigned(cursor, agency_id):
        found = real(cursor, agency_id)
        # What a concurrent assignment commits between the routing and the write.
        LedgerAgency.objects.create(agency_id=agency_id, ledger=wushen, created_at=timezone.now())
        return found

    monkeypatch.setattr(services, "_agency_head_row_locked", routed_then_assigned)
    size = Head.objects.get(pk=DEFAULT_LEDGER).size
    with pytest.raises(LedgerStateError, match="assigned to another ledger"), transaction.atomic():
        entry_append(event=_event(3, 7))
    with pytest.raises(LedgerStateError), transaction.atomic(), ledger_batch():
        entry_append(event=_event(4, 7))
        entry_append(event=_event(5, 7))
    assert Head.objects.get(pk=DEFAULT_LEDGER).size == size
    assert not Entry.objects.filter(agency_id=7).exists() and not LedgerAgency.objects.filter(agency_id=7).exists()
    monkeypatch.undo()
    with transaction.atomic():
        assert entry_append(event=_event(6, 7)).ledger_id == DEFAULT_LEDGER  # nothing assigned: appended


def test_verify_names_a_case_entry_outside_its_agencys_ledger(two_counties):
    """A case's entries must lie in its agency's ledger (the case file proves them under one head):
    `verify` names an entry of a case of agency 7 left in the default ledger once agency 7 writes
    to a county ledger (here mapped behind the service's back)."""
    from sanxiang.ledger.models import LedgerAgency

    wushen, _ = two_counties
    with transaction.atomic():
        entry_append(event=_event(1, 7))
        entry_append(event=_event(2, WUSHEN_AGENCY))
    assert ledgers_verify(run_extra_checks=False).ok
    stray = Entry.objects.get(agency_id=7)
    LedgerAgency.objects.create(agency_id=7, ledger=wushen, created_at=timezone.now())
    report = ledgers_verify(run_extra_checks=False)
    assert report.failed() == ["default"]
    [finding] = report.report_of("default").findings
    assert finding.code == "entry_wrong_ledger" and finding.seqs == [stray.seq]
    assert f"agency 7, whose entries go to ledger {wushen.id}" in finding.message


def test_verify_names_a_case_entry_left_in_a_county_ledger_its_agency_moved_away_from(two_counties):
    """The same rule in a county ledger (decided by verify from the rows it reads, issue 20): once
    agency 41's mapping points to the other county (rewritten behind the service's back), its
    case entry in 乌审旗's ledger is named there; its entry of no case is not (only a case's
    entries must lie in one ledger)."""
    from sanxiang.ledger.events import LedgerEvent

    _wushen, otog = two_counties
    with transaction.atomic():
        entry_append(event=_event(1, WUSHEN_AGENCY))
        entry_append(event=LedgerEvent(EventKind.USER_CREATED, {"x": 1}, agency_id=WUSHEN_AGENCY))
    assert ledgers_verify(run_extra_checks=False).ok
    with transaction.atomic():
        with triggers_dropped():
            raw("UPDATE ledger_ledgeragency SET ledger_id = %s WHERE agency_id = %s", [otog.id, WUSHEN_AGENCY])
        report = ledgers_verify(run_extra_checks=False)
        transaction.set_rollback(True)
    assert report.failed() == ["wushen"]
    [finding] = report.report_of("wushen").findings
    assert finding.code == "entry_wrong_ledger" and finding.seqs == [0]
    assert f"agency {WUSHEN_AGENCY}, whose entries go to ledger {otog.id}" in finding.message


def test_the_new_tables_refuse_update_and_delete(two_counties):
    wushen, _ = two_counties
    with transaction.atomic():
        entry_append(event=_event(1, WUSHEN_AGENCY))
        checkpoints_issue_all()
    for sql in (
        f"UPDATE ledger_entry SET ledger_id = 1 WHERE ledger_id = {wushen.id}",
        "UPDATE ledger_node SET ledger_id = 1",
        f"UPDATE ledger_checkpoint SET ledger_id = 1 WHERE ledger_id = {wushen.id}",
        "UPDATE ledger_ledgeragency SET ledger_id = 1",
        "DELETE FROM ledger_ledgeragency",
        "UPDATE ledger_ledger SET name = 'other' WHERE name = 'wushen'",
        f"DELETE FROM ledger_ledger WHERE id = {wushen.id}",
        "DELETE FROM ledger_ledger WHERE is_log_of_heads",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            raw(sql)
    assert Ledger.objects.get(pk=wushen.id).name == "wushen"
    assert Checkpoint.objects.filter(ledger_id=wushen.id).count() == 1


@pytest.mark.urls("tests.ledger.urls")
def test_proofs_and_checkpoints_are_served_per_ledger(two_counties, client):
    _wushen, _ = two_counties
    with transaction.atomic():
        for i in range(3):
            entry_append(event=_event(i, WUSHEN_AGENCY))
        checkpoints_issue_all()
    response = client.get("/ledger/checkpoint", {"ledger": "wushen"})
    assert response.status_code == 200 and response.content.decode().startswith("sanxiang.local/ledger/wushen\n3\n")
    proof = client.get("/ledger/proof/inclusion", {"ledger": "wushen", "seq": 2})
    assert proof.status_code == 200 and proof.json()["tree_size"] == 3
    assert client.get("/ledger/checkpoint", {"ledger": "nowhere"}).status_code == 400


def test_ledgers_command_creates_assigns_and_lists(capsys):
    call_command("ledgers", "create", "wushen", "--title", "乌审旗")
    call_command("ledgers", "assign", "wushen", "41", "42")
    call_command("ledgers", "list")
    out = capsys.readouterr().out
    assert "sanxiang.local/ledger/wushen" in out and "2 agencies" in out and "heads" in out
    with pytest.raises(CommandError):
        call_command("ledgers", "assign", "nowhere", "1")


def test_a_ledger_seq_column_is_a_seq_in_its_agencys_ledger_and_verify_names_one_that_is_not(two_counties):
    """The rule for `ledger_seq` columns (documents, evidence, the access log, catalogues): the seq
    is in the ledger of the row's agency. An access-log row of a county agency names an entry of
    the county's ledger; pointed elsewhere (a seq the ledger does not have, an entry of another
    agency), `verify` names the row."""
    from sanxiang.access.models import AccessAction, AccessLogEntry
    from sanxiang.access.services import access_record
    from tests.factories import agency_make

    wushen, _ = two_counties
    agency = agency_make(name="乌审旗市场监督管理局")
    with transaction.atomic():
        ledger_agency_assign(agency_id=agency.pk, ledger=wushen)
        for i in range(3):
            entry_append(event=_event(i, WUSHEN_AGENCY))
        row = access_record(actor=None, action=AccessAction.EXPORT, object_kind="report", object_id=1,
                            object_label="年度报告", agency_id=agency.pk)
    assert Entry.objects.get(ledger_id=wushen.id, seq=row.ledger_seq).subject == "report:1"
    assert ledgers_verify(run_extra_checks=False).ok
    AccessLogEntry.objects.filter(pk=row.pk).update(ledger_seq=99)
    report = ledgers_verify(run_extra_checks=False)
    assert report.failed() == ["wushen"]
    [finding] = report.report_of("wushen").findings
    assert finding.code == "ledger_seq_dangling"
    assert finding.message == f"access.AccessLogEntry {row.pk}: its ledger_seq 99 names no entry in ledger {wushen.id}"
    AccessLogEntry.objects.filter(pk=row.pk).update(ledger_seq=0)  # an entry of agency 41
    [finding] = ledgers_verify(run_extra_checks=False).report_of("wushen").findings
    assert "names an entry of another agency" in finding.message

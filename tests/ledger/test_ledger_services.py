"""Appending, the canonical body, append-only triggers, hash choice, checkpoints and keys."""

import base64
import datetime as dt
import hashlib
import json
import os
import stat
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.db.transaction import TransactionManagementError

from sanxiang.ledger import keys, merkle, notes, selectors
from sanxiang.ledger.canonical import CanonicalJSONError, canonical_json
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.models import Checkpoint, Entry, Head, Node
from sanxiang.ledger.services import (
    LedgerError,
    LedgerStateError,
    checkpoint_issue,
    entries_append,
    entry_append,
    ledger_create,
)
from tests.ledger.helpers import make_event, raw, triggers_dropped


def _append(n: int, **kwargs) -> list[Entry]:
    with transaction.atomic():
        return [entry_append(event=make_event(i), **kwargs) for i in range(n)]


@pytest.mark.django_db
def test_entries_get_gapless_seq_and_the_tree_matches_a_recomputation():
    entries = _append(37)
    assert [e.seq for e in entries] == list(range(37))
    hasher = merkle.hasher_for("sha256")
    stored = list(Entry.objects.order_by("seq"))
    assert all(hasher.leaf(bytes(e.body)) == bytes(e.leaf_hash) for e in stored)
    tree = merkle.MemoryTree(hasher, [bytes(e.leaf_hash) for e in stored])
    head = Head.objects.get()
    assert (head.size, bytes(head.root), head.algorithm) == (37, tree.root(), "sha256")
    # Every complete subtree (levels >= 1) is stored, and nothing else.
    expected = {(lvl, i): h for lvl in range(1, len(tree.levels)) for i, h in enumerate(tree.levels[lvl])}
    assert {(n.level, n.index): bytes(n.hash) for n in Node.objects.all()} == expected
    assert len(expected) == 37 - (37).bit_count()


@pytest.mark.django_db
def test_body_is_canonical_json_with_the_recorded_fields(system_user):
    event = LedgerEvent(
        EventKind.DOCUMENT_ISSUED,
        {"文书": "行政处罚决定书", "amount_fen": 50000, "b": [1, "二"], "a": None},
        agency_id=4,
        case_id=12,
        subject="case:12",
        files=(FileDigest(sha256="ab" * 32, size=2048, sm3="cd" * 32),),
    )
    with transaction.atomic():
        entry = entry_append(event=event, actor=system_user)
    body = bytes(Entry.objects.get(seq=entry.seq).body)
    doc = json.loads(body)
    assert body == json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert "行政处罚决定书".encode() in body  # UTF-8, not \u escapes
    assert doc == {
        "v": 1,
        "seq": 0,
        "kind": "case.document_issued",
        "actor": {"id": system_user.pk, "username": "ledger-admin"},
        "at": entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "agency": 4,
        "case": 12,
        "subject": "case:12",
        "payload": {"文书": "行政处罚决定书", "amount_fen": 50000, "b": [1, "二"], "a": None},
        "files": [{"sha256": "ab" * 32, "size": 2048, "sm3": "cd" * 32}],
    }
    assert doc["at"].endswith("Z")
    stored = Entry.objects.get(seq=0)
    assert (stored.kind, stored.actor_id, stored.agency_id, stored.case_id) == (
        "case.document_issued",
        system_user.pk,
        4,
        12,
    )


def test_canonical_json_refuses_what_has_no_single_form():
    assert canonical_json({"b": 1, "a": [True, None, "é"]}) == '{"a":[true,null,"é"],"b":1}'.encode()
    for bad in ({"x": 1.5}, {1: "int key"}, {"d": Decimal("1")}):
        with pytest.raises(CanonicalJSONError):
            canonical_json(bad)


@pytest.mark.django_db
def test_bad_file_digests_and_float_payloads_are_refused():
    with transaction.atomic():
        with pytest.raises(ValueError, match="sha256"):
            entry_append(event=LedgerEvent(EventKind.FILE_RECEIVED, {}, files=(FileDigest("AB" * 32, 1),)))
        with pytest.raises(CanonicalJSONError):
            entry_append(event=LedgerEvent(EventKind.FILE_RECEIVED, {"ratio": 0.5}))
        # A refused append leaves nothing half-written, and the next one still gets seq 0.
        assert entry_append(event=make_event(0)).seq == 0
    assert Entry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(TransactionManagementError, match=r"transaction\.atomic"):
        entry_append(event=make_event(0))
    assert not Entry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_append_in_a_rolled_back_transaction_leaves_nothing(purge_ledger_after):
    _append(3)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        for i in range(5):
            entry_append(event=make_event(i))
        assert Entry.objects.count() == 8  # visible inside the transaction
        raise Boom
    assert Entry.objects.count() == 3
    assert Node.objects.count() == 3 - (3).bit_count()
    assert Head.objects.get().size == 3
    # The numbers of the rolled-back entries are reused: no gap.
    with transaction.atomic():
        assert entry_append(event=make_event(9)).seq == 3
    assert list(Entry.objects.order_by("seq").values_list("seq", flat=True)) == [0, 1, 2, 3]
    call_command("verify", "--no-progress", stdout=open(os.devnull, "w"))


@pytest.mark.django_db(transaction=True)
def test_triggers_refuse_update_and_delete_outside_test_transactions(purge_ledger_after):
    _append(4)
    with transaction.atomic():
        checkpoint_issue()
    for sql in (
        "UPDATE ledger_entry SET kind = 'x' WHERE seq = 1",
        "DELETE FROM ledger_entry WHERE seq = 3",
        "UPDATE ledger_node SET hash = hash",
        "DELETE FROM ledger_node",
        "UPDATE ledger_checkpoint SET note = ''",
        "DELETE FROM ledger_checkpoint",
    ):
        with pytest.raises((IntegrityError, DatabaseError), match="append-only"), transaction.atomic():
            raw(sql)
    with pytest.raises((IntegrityError, DatabaseError), match="append-only"), transaction.atomic():
        Entry.objects.filter(seq=0).delete()
    assert Entry.objects.count() == 4 and Node.objects.count() == 3 and Checkpoint.objects.count() == 1
    assert raw("SELECT kind FROM ledger_entry WHERE seq = 1")[0][0] == make_event(1).kind
    # The head is the mutable pointer: it stays updatable.
    raw("UPDATE ledger_head SET updated_at = updated_at")


@pytest.mark.django_db
def test_trigger_names_the_table_and_operation():
    _append(1)
    with pytest.raises((IntegrityError, DatabaseError)) as info, transaction.atomic():
        raw("DELETE FROM ledger_entry")
    assert "ledger_entry is append-only: DELETE refused" in str(info.value)
    # And once an attacker drops the trigger, the database no longer refuses (verify must catch it).
    with triggers_dropped():
        raw("DELETE FROM ledger_entry")
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_bulk_append_writes_exactly_what_single_appends_write():
    with transaction.atomic():
        assert entries_append(events=[make_event(i) for i in range(300)], batch_size=64) == 300
        entry_append(event=make_event(300))
    head = Head.objects.get()
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    tree = merkle.MemoryTree(merkle.hasher_for("sha256"), leaves)
    assert head.size == 301 and bytes(head.root) == tree.root()
    assert Node.objects.count() == 301 - (301).bit_count()
    assert [
        json.loads(bytes(b))["seq"] for b in Entry.objects.order_by("seq").values_list("body", flat=True)
    ] == list(range(301))


@pytest.mark.django_db
@pytest.mark.skipif(not merkle.sm3_available(), reason="this OpenSSL has no SM3")
def test_sm3_ledger_selected_at_creation():
    with transaction.atomic():
        ledger_create(algorithm="sm3")
        _append(10)
    head = Head.objects.get()
    sm3 = merkle.hasher_for("sm3")
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert head.algorithm == "sm3"
    assert leaves[0] == sm3.leaf(bytes(Entry.objects.get(seq=0).body))
    assert (
        bytes(head.root) == merkle.root_of(sm3, leaves) != merkle.root_of(merkle.hasher_for("sha256"), leaves)
    )
    with pytest.raises(LedgerError, match="already holds entries"), transaction.atomic():
        ledger_create(algorithm="sha256")
    call_command("verify", "--no-progress", stdout=open(os.devnull, "w"))


@pytest.mark.django_db
def test_algorithm_comes_from_settings_on_first_append(settings):
    settings.SANXIANG_LEDGER_HASH = "md5"
    with pytest.raises(merkle.UnsupportedHashError), transaction.atomic():
        entry_append(event=make_event(0))
    assert not Head.objects.exists()


@pytest.mark.django_db
def test_missing_head_with_entries_refuses_to_restart_numbering():
    _append(2)
    raw("DELETE FROM ledger_head")
    with pytest.raises(LedgerStateError, match="head row is missing"), transaction.atomic():
        entry_append(event=make_event(2))


@pytest.mark.django_db
def test_checkpoint_is_a_signed_c2sp_note(settings):
    _append(5)
    with transaction.atomic():
        checkpoint = checkpoint_issue()
    key_file = settings.DATA_DIR / "ledger_ed25519.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    lines = checkpoint.note.split("\n")
    head = Head.objects.get()
    assert lines[:4] == ["sanxiang.local/ledger", "5", base64.b64encode(bytes(head.root)).decode(), ""]
    assert lines[4].startswith("— sanxiang.local/ledger ") and lines[5] == ""
    # Key id = SHA-256(name || "\n" || 0x01 || public key)[:4], prefixed to the signature.
    verifier = keys.verifier_get()
    sig = base64.b64decode(lines[4].split(" ")[2])
    expected_id = hashlib.sha256(b"sanxiang.local/ledger\n\x01" + verifier.public_key).digest()[:4]
    assert sig[:4] == expected_id == bytes(checkpoint.key_id)
    assert verifier.verify("\n".join(lines[:3]).encode() + b"\n", sig[4:])
    signed = notes.checkpoint_verify(checkpoint.note, [verifier], origin="sanxiang.local/ledger")
    assert (signed.size, signed.root) == (5, bytes(head.root))
    # Nothing new: the same checkpoint is returned rather than signed again.
    with transaction.atomic():
        assert checkpoint_issue().pk == checkpoint.pk
        entry_append(event=make_event(5))
        assert checkpoint_issue().size == 6
    assert Checkpoint.objects.count() == 2


@pytest.mark.django_db
def test_signing_key_from_the_environment_and_origin_from_settings(monkeypatch, settings):
    seed = bytes(range(32))
    monkeypatch.setenv(keys.ENV_KEY, base64.b64encode(seed).decode())
    settings.SANXIANG_LEDGER_ORIGIN = "wushen.example/ledger"
    _append(1)
    with transaction.atomic():
        checkpoint = checkpoint_issue()
    assert checkpoint.note.startswith("wushen.example/ledger\n1\n")
    assert not (settings.DATA_DIR / "ledger_ed25519.key").exists()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    expected = notes.Signer("wushen.example/ledger", Ed25519PrivateKey.from_private_bytes(seed)).verifier
    assert keys.verifier_get() == expected
    notes.checkpoint_verify(checkpoint.note, [expected])


def test_notes_reject_tampering_and_unknown_keys():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signer = notes.Signer("example.org/log", Ed25519PrivateKey.generate())
    other = notes.Signer("example.org/log", Ed25519PrivateKey.generate())
    note, _ = notes.note_sign(notes.Checkpoint("example.org/log", 3, b"\x07" * 32).body(), signer)
    assert notes.checkpoint_verify(note, [signer.verifier]).size == 3
    with pytest.raises(notes.NoteError, match="trusted"):
        notes.checkpoint_verify(note, [other.verifier])
    with pytest.raises(notes.NoteError):
        notes.checkpoint_verify(note.replace("\n3\n", "\n4\n"), [signer.verifier])
    vkey = signer.verifier.vkey
    assert notes.Verifier.from_vkey(vkey) == signer.verifier
    with pytest.raises(notes.NoteError):
        notes.Verifier.from_vkey(vkey.replace("+", "+0", 1))


@pytest.mark.django_db
def test_proofs_served_from_the_database_verify_against_a_checkpoint():
    _append(45)
    with transaction.atomic():
        checkpoint = checkpoint_issue()
    hasher = merkle.hasher_for("sha256")
    root = bytes(checkpoint.root)
    for seq in range(45):
        proof = selectors.inclusion_proof_get(seq=seq)
        assert proof.tree_size == 45 and proof.root_hash == root
        merkle.verify_inclusion(
            hasher, seq, 45, hasher.leaf(bytes(Entry.objects.get(seq=seq).body)), proof.path, root
        )
    for first in range(1, 46):
        proof = selectors.consistency_proof_get(first=first)
        merkle.verify_consistency(hasher, first, 45, proof.path, proof.first_root, root)
    # Proofs against an older size use the nodes stored then: they match that size's root.
    older = selectors.inclusion_proof_get(seq=3, size=17)
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    merkle.verify_inclusion(hasher, 3, 17, leaves[3], older.path, merkle.root_of(hasher, leaves[:17]))


@pytest.mark.django_db
def test_verify_command_exits_zero_on_an_untouched_ledger(capsys):
    _append(20)
    with transaction.atomic():
        checkpoint_issue()
    call_command("verify", "--no-progress")
    out = capsys.readouterr().out
    assert "20 entries" in out and "OK" in out and "1 checkpoints" in out


@pytest.mark.django_db
def test_checkpoint_command_prints_the_note(capsys):
    _append(2)
    call_command("checkpoint")
    out = capsys.readouterr().out
    assert out == Checkpoint.objects.get().note and out.startswith("sanxiang.local/ledger\n2\n")


@pytest.mark.django_db
def test_head_tampering_is_refused_by_checkpoint_issue():
    _append(4)
    raw("UPDATE ledger_head SET root = %s", [b"\x00" * 32])
    with pytest.raises(LedgerStateError, match="root differs"), transaction.atomic():
        checkpoint_issue()

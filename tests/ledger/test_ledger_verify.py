"""`sanxiang verify` on a ledger of 2,500 entries, untouched and tampered with through raw SQL
after dropping the append-only triggers (as a database administrator could).

The suite builds the ledger for every test; with 10,000 entries that took up to 20 s a test on PostgreSQL.
SANXIANG_LEDGER_TEST_ENTRIES=10000 runs these tests at the earlier scale (any size above 2,123);
benchmarks/ledger_verify.py times a million."""

import base64
import io
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import transaction

from sanxiang.ledger import merkle, notes
from sanxiang.ledger.models import Checkpoint, Entry, Head
from sanxiang.ledger.services import checkpoint_issue, entries_append
from sanxiang.ledger.verification import Finding, ledger_verify, verification_check_register
from tests.ledger.helpers import make_event, raw, triggers_dropped

SIZE = int(os.environ.get("SANXIANG_LEDGER_TEST_ENTRIES", "2500"))
FIRST_CHECKPOINT = 1024  # a power of two below SIZE: the first signed tree head
LATE = SIZE - 100  # an entry only the newest checkpoint covers
assert FIRST_CHECKPOINT < 2023 < LATE, "SANXIANG_LEDGER_TEST_ENTRIES must be above 2,123"


def run_verify(*args) -> tuple[int, dict, str]:
    """Run the command as the CLI would; return (exit code, JSON report, text output)."""
    reports = []
    for fmt in (["--json"], []):
        out = io.StringIO()
        try:
            call_command("verify", "--no-progress", *fmt, *args, stdout=out)
            code = 0
        except CommandError as exc:
            code = exc.returncode
        reports.append((code, out.getvalue()))
    (code, json_text), (text_code, text) = reports
    assert code == text_code
    return code, json.loads(json_text), text


@pytest.fixture
def ledger(system_user):
    """SIZE entries (every third by a user, every seventh with a file digest), checkpoints at
    FIRST_CHECKPOINT and SIZE entries."""
    with transaction.atomic():
        entries_append(events=[make_event(i) for i in range(0, FIRST_CHECKPOINT)], actor=system_user)
        checkpoint_issue()
        entries_append(events=[make_event(i) for i in range(FIRST_CHECKPOINT, SIZE)])
        checkpoint_issue()
    assert Entry.objects.count() == SIZE and Checkpoint.objects.count() == 2
    return system_user


def _codes(report: dict) -> set[str]:
    return {f["code"] for f in report["findings"]}


def _set_body(seq: int, body: bytes) -> None:
    raw("UPDATE ledger_entry SET body = %s WHERE seq = %s", [body, seq])


def _body(seq: int) -> bytes:
    return bytes(raw("SELECT body FROM ledger_entry WHERE seq = %s", [seq])[0][0])


@pytest.mark.django_db
def test_untouched_ledger_exits_zero(ledger):
    code, report, text = run_verify()
    assert code == 0
    assert report["ok"] is True and report["findings"] == []
    assert (report["entries"], report["tree_size"], report["checkpoints_checked"]) == (SIZE, SIZE, 2)
    assert report["nodes_checked"] == SIZE - SIZE.bit_count()
    assert report["root"] == base64.b64encode(bytes(Head.objects.get().root)).decode()
    assert "OK" in text


@pytest.mark.django_db
def test_a_changed_byte_is_named(ledger):
    seq = FIRST_CHECKPOINT + 210
    body = _body(seq)
    at = body.index(b'"amount_fen":') + len(b'"amount_fen":')
    tampered = body[:at] + (b"9" if body[at : at + 1] != b"9" else b"8") + body[at + 1 :]
    assert len(tampered) == len(body) and tampered != body
    with triggers_dropped():
        _set_body(seq, tampered)
    code, report, text = run_verify()
    assert code == 1
    assert report["differing_seqs"] == [seq]
    # The head row (which appends build on) no longer matches the recomputed tree either.
    assert {"leaf_hash_mismatch", "checkpoint_root_mismatch", "head_mismatch"} == _codes(report)
    # Only the newest checkpoint covers an entry after the first.
    assert [f["checkpoint"] for f in report["findings"] if f["code"] == "checkpoint_root_mismatch"] == [
        f"#{Checkpoint.objects.order_by('size').last().pk}"
    ]
    assert f"entry {seq}: stored leaf hash differs" in text and "FAILED" in text


@pytest.mark.django_db
def test_an_entry_rewritten_with_its_leaf_hash_is_named_by_its_pair(ledger):
    seq = 2023
    hasher = merkle.hasher_for("sha256")
    tampered = _body(seq).replace(b'"subject":"case:202"', b'"subject":"case:203"')
    with triggers_dropped():
        raw(
            "UPDATE ledger_entry SET body = %s, leaf_hash = %s, subject = %s WHERE seq = %s",
            [tampered, hasher.leaf(tampered), "case:203", seq],
        )
    code, report, _ = run_verify()
    assert code == 1
    node_findings = [f for f in report["findings"] if f["code"] == "node_mismatch"]
    # Only the lowest differing node is reported, and it names the two entries under it.
    assert [(f["node"]["level"], f["node"]["index"], f["seqs"]) for f in node_findings] == [
        (1, seq // 2, [2022, 2023])
    ]
    assert report["differing_seqs"] == [2022, 2023]
    assert "checkpoint_root_mismatch" in _codes(report)


@pytest.mark.django_db
def test_a_deleted_row_is_named(ledger):
    with triggers_dropped():
        raw("DELETE FROM ledger_entry WHERE seq = 777")
    code, report, text = run_verify()
    assert code == 1
    assert report["differing_seqs"] == [777]
    assert [f["message"] for f in report["findings"] if f["code"] == "entry_missing"] == [
        "entries 777 are missing (gap in seq)"
    ]
    # Both checkpoints cover entry 777: their roots can no longer be recomputed.
    assert sum(f["code"] == "checkpoint_unconfirmed" for f in report["findings"]) == 2
    assert "777" in text


@pytest.mark.django_db
def test_two_swapped_rows_are_named(ledger):
    with triggers_dropped():
        raw("UPDATE ledger_entry SET seq = -1 WHERE seq = 100")
        raw("UPDATE ledger_entry SET seq = 100 WHERE seq = %s", [LATE])
        raw("UPDATE ledger_entry SET seq = %s WHERE seq = -1", [LATE])
    code, report, text = run_verify()
    assert code == 1
    assert report["differing_seqs"] == [100, LATE]
    seq_findings = sorted(f["message"] for f in report["findings"] if f["code"] == "body_seq_mismatch")
    assert seq_findings == [f"entry 100: body records seq {LATE}", f"entry {LATE}: body records seq 100"]
    # Leaf hashes moved with their bodies, so the tree is what shows the damage, not the leaves.
    assert "leaf_hash_mismatch" not in _codes(report)
    assert "node_mismatch" not in _codes(report)  # explained by the two named entries
    assert "checkpoint_root_mismatch" in _codes(report)
    assert f"entry 100: body records seq {LATE}" in text


@pytest.mark.django_db
def test_newest_entries_cut_off_are_named(ledger):
    """The attacker deletes the last 10 entries and their nodes, and rewinds the head to match:
    only the signed checkpoint still remembers them."""
    keep = SIZE - 10
    hasher = merkle.hasher_for("sha256")
    with triggers_dropped():
        raw("DELETE FROM ledger_entry WHERE seq >= %s", [keep])
        for level in range(1, 15):
            raw('DELETE FROM ledger_node WHERE level = %s AND "index" >= %s', [level, keep >> level])
        leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
        cr = merkle.CompactRange(hasher)
        for leaf in leaves:
            cr.append(leaf)
        Head.objects.update(size=keep, root=cr.root(), compact_range=cr.to_bytes())
    code, report, text = run_verify()
    assert code == 1
    assert _codes(report) == {"entries_cut_off"}
    assert report["differing_seqs"] == list(range(keep, SIZE))
    assert f"entries {keep}..{SIZE - 1} are gone" in text


@pytest.mark.django_db
def test_a_forged_checkpoint_signature_is_named(ledger):
    latest = Checkpoint.objects.order_by("size").last()
    text_part = latest.note[: latest.note.index("\n\n") + 1]
    forger = notes.Signer(latest.key_name, Ed25519PrivateKey.generate())
    forged_note, _ = notes.note_sign(text_part, forger)
    with triggers_dropped():
        raw("UPDATE ledger_checkpoint SET note = %s WHERE id = %s", [forged_note, latest.pk])
    code, report, text = run_verify()
    assert code == 1
    assert [(f["code"], f["checkpoint"]) for f in report["findings"]] == [
        ("checkpoint_signature", f"#{latest.pk}")
    ]
    assert f"checkpoint #{latest.pk} (size {SIZE}): signature does not verify" in text


@pytest.mark.django_db
def test_a_flipped_signature_bit_is_named(ledger):
    first = Checkpoint.objects.order_by("size").first()
    head, sig_line = first.note.rsplit("\n— ", 1)
    name, b64 = sig_line.strip().split(" ")
    raw_sig = bytearray(base64.b64decode(b64))
    raw_sig[10] ^= 0x01
    forged = f"{head}\n— {name} {base64.b64encode(bytes(raw_sig)).decode()}\n"
    with triggers_dropped():
        raw("UPDATE ledger_checkpoint SET note = %s WHERE id = %s", [forged, first.pk])
    code, report, _ = run_verify()
    assert code == 1
    assert [(f["code"], f["checkpoint"]) for f in report["findings"]] == [
        ("checkpoint_signature", f"#{first.pk}")
    ]


@pytest.mark.django_db
def test_an_altered_node_and_column_are_named(ledger):
    with triggers_dropped():
        raw('UPDATE ledger_node SET hash = %s WHERE level = 3 AND "index" = 5', [b"\x00" * 32])
        raw("UPDATE ledger_entry SET case_id = 999999 WHERE seq = 55")
    code, report, _ = run_verify()
    assert code == 1
    assert sorted(
        (f["code"], f.get("node", {}).get("level"), tuple(f.get("seqs", []))) for f in report["findings"]
    ) == [
        ("columns_mismatch", None, (55,)),
        ("node_mismatch", 3, ()),
    ]


@pytest.mark.django_db
def test_external_checkpoint_catches_a_rewritten_history(ledger, tmp_path):
    """Even with every stored checkpoint gone, a note kept outside the database still names the
    cut-off entries."""
    note_file = tmp_path / "checkpoint.txt"
    note_file.write_text(Checkpoint.objects.order_by("size").last().note)
    with triggers_dropped():
        raw("DELETE FROM ledger_checkpoint")
        raw("DELETE FROM ledger_entry WHERE seq >= %s", [SIZE - 1])
    code, report, _ = run_verify("--checkpoint", str(note_file))
    assert code == 1
    assert "entries_cut_off" in _codes(report)
    assert SIZE - 1 in report["differing_seqs"]


@pytest.mark.django_db
def test_registered_extra_checks_run_and_can_fail(ledger, monkeypatch):
    from sanxiang.ledger import verification

    monkeypatch.setattr(verification, "EXTRA_CHECKS", [])
    seen = []

    @verification_check_register
    def files_check(context):
        seen.append(context.report.tree_size)
        yield Finding("file_digest_mismatch", "evidence/ab.. differs", file="ab" * 32)

    report = ledger_verify()
    assert seen == [SIZE]
    assert not report.ok and [f.file for f in report.findings] == ["ab" * 32]


@pytest.mark.django_db
def test_the_collector_is_paused_for_the_batches_and_restored_even_on_an_error(ledger, monkeypatch):
    """Issue 20: the cyclic garbage collector is off while the batches are read and hashed (a cost
    without use there) and as it was afterwards, also when the loop fails."""
    import gc

    from sanxiang.ledger import verification

    states: list[bool] = []
    report = ledger_verify(progress=lambda stage, done, total: states.append(gc.isenabled()), run_extra_checks=False)
    assert report.ok and states and not any(states)
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("disk error")

    monkeypatch.setattr(verification, "_rows_clean", broken)
    with pytest.raises(RuntimeError):
        ledger_verify(run_extra_checks=False)
    assert gc.isenabled()
    monkeypatch.undo()
    gc.disable()  # off before: left off
    try:
        ledger_verify(run_extra_checks=False)
        assert not gc.isenabled()
    finally:
        gc.enable()

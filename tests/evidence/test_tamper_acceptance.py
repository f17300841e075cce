"""Issue 3's tamper acceptance on one database: at least 10,000 ledger entries and some stored
files. `sanxiang verify` exits 0 untouched, and for each kind of tampering exits 1 naming the
entry or the file. (tests/ledger/test_ledger_verify.py covers more entry tampering in depth.)"""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_issue, entries_append
from tests.evidence.conftest import jpeg_bytes, mp4_bytes, pdf_bytes
from tests.ledger.helpers import make_event, raw, triggers_dropped

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(ingest, case, settings):
    with transaction.atomic():
        entries_append(events=[make_event(i) for i in range(10_000)])
    files = {
        "video": ingest(mp4_bytes(seed=7), case=case, step="inspection"),
        "photo": ingest(jpeg_bytes(seed=8), kind="photo", case=case),
        "scan": ingest(pdf_bytes(seed=9), kind="document", case=case),
    }
    with transaction.atomic():
        checkpoint_issue()
    assert Entry.objects.count() >= 10_000
    return files


def verify() -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("verify", "--no-progress", "--json", stdout=out)
        code = 0
    except CommandError as error:
        code = error.returncode
    return code, json.loads(out.getvalue())


def blob(settings, record) -> Path:
    sha = record.stored_file.sha256
    path = Path(settings.DATA_DIR) / "evidence" / sha[:2] / sha[2:4] / sha
    os.chmod(path, 0o644)  # blobs are stored read-only; an attacker with file rights changes that
    return path


def messages(report: dict) -> str:
    return "\n".join(f["message"] for f in report["findings"])


def test_untouched_database_with_files_verifies(world):
    code, report = verify()
    assert code == 0, messages(report)


def test_a_changed_entry_byte_is_named(world):
    seq = 5000
    body = bytes(raw("SELECT body FROM ledger_entry WHERE seq = %s", [seq])[0][0])
    with triggers_dropped():
        raw("UPDATE ledger_entry SET body = %s WHERE seq = %s", [body.replace(b"5000", b"5001", 1), seq])
    code, report = verify()
    assert code == 1 and report["differing_seqs"] == [seq]


def test_a_deleted_and_a_swapped_row_are_named(world):
    with triggers_dropped():
        raw("DELETE FROM ledger_entry WHERE seq = 321")
        raw("UPDATE ledger_entry SET seq = -1 WHERE seq = 100")
        raw("UPDATE ledger_entry SET seq = 100 WHERE seq = 9000")
        raw("UPDATE ledger_entry SET seq = 9000 WHERE seq = -1")
    code, report = verify()
    assert code == 1
    assert {100, 321, 9000} <= set(report["differing_seqs"])


def test_newest_entries_cut_off_are_named(world):
    newest = Entry.objects.order_by("-seq").values_list("seq", flat=True)[0]
    with triggers_dropped():
        raw("DELETE FROM ledger_entry WHERE seq >= %s", [newest - 2])
    code, report = verify()
    assert code == 1
    assert str(newest - 2) in messages(report)


def test_a_flipped_byte_in_a_stored_file_is_named(world, settings):
    path = blob(settings, world["video"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x80
    path.write_bytes(bytes(data))
    code, report = verify()
    assert code == 1
    assert world["video"].stored_file.sha256 in messages(report)


def test_a_file_replaced_by_another_is_named(world, settings):
    blob(settings, world["photo"]).write_bytes(blob(settings, world["scan"]).read_bytes())
    code, report = verify()
    assert code == 1
    assert world["photo"].stored_file.sha256 in messages(report)


def test_a_forged_checkpoint_signature_is_named(world):
    checkpoint_id, note = raw("SELECT id, note FROM ledger_checkpoint ORDER BY size DESC LIMIT 1")[0]
    signature_line = note.rstrip("\n").splitlines()[-1]
    prefix, signature = signature_line.rsplit(" ", 1)
    forged_signature = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    with triggers_dropped():
        raw("UPDATE ledger_checkpoint SET note = %s WHERE id = %s",
            [note.replace(signature_line, f"{prefix} {forged_signature}"), checkpoint_id])
    code, report = verify()
    assert code == 1
    assert f"#{checkpoint_id}" in json.dumps(report, ensure_ascii=False)

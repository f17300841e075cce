"""The case-file export: what it writes, what it records, and its command."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from sanxiang.access.models import AccessAction, AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.casefile.selectors import CaseFile
from sanxiang.casefile.services import case_file_export
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.models import Checkpoint, Entry, Head
from sanxiang.ledger.services import checkpoint_issue, entry_append
from sanxiang_verify import casefile as fmt
from sanxiang_verify.verify import case_file_verify
from tests.export.conftest import media_bytes
from tests.export.helpers import manifest_of, members
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"


def test_round_trip_verifies_with_the_published_key(exported):
    path, summary = exported
    report = case_file_verify(str(path), vkeys=[summary.vkey])
    assert report.ok, [f.text() for f in report.findings]
    assert report.key_source == "given" and not report.warnings
    assert report.entries == summary.entries
    assert report.files == {"evidence": 2, "documents": 0}


def test_round_trip_with_only_the_archives_key_passes_with_a_warning(exported):
    path, _ = exported
    report = case_file_verify(str(path))
    assert report.ok
    assert report.key_source == "archive"
    assert any("--key" in zh for zh, _ in report.warnings)


def test_archive_layout_and_manifest(exported, case):
    path, summary = exported
    content = members(path)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        assert zf.testzip() is None
    # Stored, so that a changed byte of a file is a changed byte under our digests.
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
    names = [i.filename for i in infos]
    assert names[:6] == [fmt.README, fmt.LEDGER_DIR, fmt.CHECKPOINT, fmt.KEY, fmt.ENTRIES, fmt.PROOFS]
    assert names[-2:] == [fmt.DOCUMENTS_DIR, fmt.MANIFEST]
    evidence = [n for n in names if n.startswith("evidence/") and n != "evidence/"]
    assert len(evidence) == 2  # the video uploaded twice is stored once

    manifest = json.loads(content[fmt.MANIFEST])
    assert manifest["case"] == {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "agency_id": case.agency_id,
        "agency_name": case.agency.name,
    }
    assert manifest["export"]["seq"] == summary.export_seq and manifest["export"]["by"] is None
    assert manifest["ledger"]["checkpoint_size"] == summary.checkpoint_size
    assert [p["path"] for p in manifest["parts"]] == [
        n for n in names if not n.endswith("/") and n != fmt.MANIFEST
    ]
    for part in manifest["parts"]:
        assert part["size"] == len(content[part["path"]])

    lines = content[fmt.ENTRIES].decode().splitlines()
    bodies = [json.loads(line) for line in lines]
    stored = {e.seq: bytes(e.body) for e in Entry.objects.filter(case_id=case.pk)}
    # Every entry of the case, as the exact bytes that were hashed; nothing of the other case.
    assert [line.encode() for line in lines] == [stored[s] for s in sorted(stored)]
    assert {b["case"] for b in bodies} == {case.pk}
    kinds = [b["kind"] for b in bodies]
    assert kinds == [EventKind.CASE_OPENED, *[EventKind.FILE_RECEIVED] * 3, EventKind.ACCESS]
    proofs = json.loads(content[fmt.PROOFS])
    assert [p["leaf_index"] for p in proofs["proofs"]] == [b["seq"] for b in bodies]
    assert content[fmt.KEY].decode().strip() == summary.vkey
    assert content[fmt.README] == fmt.README_TEXT.encode()


def test_the_export_is_recorded_in_the_access_log_and_inside_the_archive(exported, case):
    path, summary = exported
    record = AccessLogEntry.objects.get(object_kind="casefile")
    assert (record.action, record.case_id, record.agency_id, record.user) == (
        AccessAction.EXPORT,
        case.pk,
        case.agency_id,
        None,
    )
    assert record.ledger_seq == summary.export_seq
    body = json.loads(bytes(Entry.objects.get(seq=summary.export_seq).body))
    assert body["payload"]["details"]["case"] == manifest_of(path)["case"]
    assert body["payload"]["object_id"] == str(case.pk)


def test_a_fresh_checkpoint_covers_every_entry(case, ingest, tmp_path):
    ingest(media_bytes(2_000, seed=5), case=case)
    with transaction.atomic():
        before = checkpoint_issue()
    summary = case_file_export(case=case, destination=tmp_path / "a.zip")
    # The export's own entry came after `before`, so a new checkpoint had to be signed.
    assert Checkpoint.objects.count() == 2
    assert summary.checkpoint_size == Head.objects.get().size > before.size
    assert case_file_verify(str(tmp_path / "a.zip"), vkeys=[summary.vkey]).ok


def test_entries_appended_during_the_export_stay_out_of_it(case, ingest, tmp_path):
    """Another upload arrives while the zip is written: it is after the checkpoint and is not
    exported, and the archive still verifies."""
    ingest(media_bytes(2_000, seed=6), case=case)
    from sanxiang.casefile.selectors import case_files_stored

    def provider(c):
        with transaction.atomic():
            entry_append(
                event=LedgerEvent(
                    EventKind.STEP_DONE,
                    {"step": "调查取证"},
                    agency_id=c.agency_id,
                    case_id=c.pk,
                    subject=f"case:{c.pk}",
                )
            )
        return case_files_stored(c)

    summary = case_file_export(case=case, destination=tmp_path / "b.zip", files=provider)
    late = Entry.objects.filter(case_id=case.pk).order_by("-seq").first()
    assert late.seq >= summary.checkpoint_size
    lines = members(tmp_path / "b.zip")[fmt.ENTRIES].decode().splitlines()
    assert late.seq not in [json.loads(line)["seq"] for line in lines]
    assert case_file_verify(str(tmp_path / "b.zip"), vkeys=[summary.vkey]).ok


def _file_received(case, data: bytes):
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        entry_append(
            event=LedgerEvent(
                EventKind.FILE_RECEIVED,
                {"record": 0},
                agency_id=case.agency_id,
                case_id=case.pk,
                subject="evidence:0",
                files=(FileDigest(sha256=digest, size=len(data)),),
            )
        )
    return digest


def test_export_with_an_injected_provider_and_no_evidence_store(case, tmp_path):
    """The export needs only ledger entries and a 'files of a case' provider."""
    import io

    data = b"recorded bytes" * 100
    digest = _file_received(case, data)
    provider = lambda c: [CaseFile(fmt.EVIDENCE_DIR, digest, len(data), lambda: io.BytesIO(data))]  # noqa: E731
    summary = case_file_export(case=case, destination=tmp_path / "c.zip", files=provider)
    assert summary.complete and summary.files["evidence"] == 1
    assert members(tmp_path / "c.zip")[f"evidence/{digest}"] == data
    assert case_file_verify(str(tmp_path / "c.zip"), vkeys=[summary.vkey]).ok


def test_a_file_lost_by_the_store_is_reported_and_the_verifier_names_it(case, tmp_path):
    digest = _file_received(case, b"lost")

    def gone():
        raise FileNotFoundError(digest)

    summary = case_file_export(
        case=case,
        destination=tmp_path / "d.zip",
        files=lambda c: [CaseFile(fmt.EVIDENCE_DIR, digest, 4, gone)],
    )
    assert not summary.complete and digest in summary.problems[0]
    report = case_file_verify(str(tmp_path / "d.zip"), vkeys=[summary.vkey])
    assert not report.ok and report.failed_parts == [f"evidence/{digest}"]


def test_a_file_altered_in_the_store_is_exported_as_found_and_named(case, tmp_path):
    import io

    digest = _file_received(case, b"original content")
    summary = case_file_export(
        case=case,
        destination=tmp_path / "e.zip",
        files=lambda c: [CaseFile(fmt.EVIDENCE_DIR, digest, 16, lambda: io.BytesIO(b"altered content!"))],
    )
    assert not summary.complete
    report = case_file_verify(str(tmp_path / "e.zip"), vkeys=[summary.vkey])
    assert report.failed_parts == [f"evidence/{digest}"]
    assert report.findings[0].code == "file_digest"


def test_a_stored_file_without_a_ledger_entry_is_not_exported(case, tmp_path):
    import io

    summary = case_file_export(
        case=case,
        destination=tmp_path / "f.zip",
        files=lambda c: [CaseFile(fmt.EVIDENCE_DIR, "ab" * 32, 3, lambda: io.BytesIO(b"abc"))],
    )
    assert "没有记录它的账本条目" in summary.problems[0]
    assert not [n for n in members(tmp_path / "f.zip") if n.startswith("evidence/") and n != "evidence/"]
    assert case_file_verify(str(tmp_path / "f.zip"), vkeys=[summary.vkey]).ok


def test_a_user_of_another_agency_may_not_export(case, tmp_path):
    stranger = user_make(role=Role.AGENCY_HEAD, agency=agency_make())
    with pytest.raises(PermissionDenied):
        case_file_export(case=case, destination=tmp_path / "g.zip", actor=stranger)
    assert not (tmp_path / "g.zip").exists()
    assert not AccessLogEntry.objects.filter(object_kind="casefile").exists()


def test_a_supervisor_export_is_recorded_under_their_name(case, tmp_path):
    from django.core.exceptions import PermissionDenied

    from tests.supervision.support import read_grant_give

    supervisor = user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True))
    # Only under a read grant naming the case (调阅案卷).
    with pytest.raises(PermissionDenied):
        case_file_export(case=case, destination=tmp_path / "refused.zip", actor=supervisor)
    read_grant_give(case=case, user=supervisor)
    summary = case_file_export(case=case, destination=tmp_path / "h.zip", actor=supervisor)
    by = manifest_of(tmp_path / "h.zip")["export"]["by"]
    assert by == {"id": supervisor.pk, "username": supervisor.username}
    assert AccessLogEntry.objects.get(ledger_seq=summary.export_seq).user == supervisor
    assert case_file_verify(str(tmp_path / "h.zip"), vkeys=[summary.vkey]).ok


def test_sm3_digests_when_evidence_has_them(settings, case, ingest, tmp_path):
    from sanxiang.ledger.merkle import sm3_available

    if not sm3_available():
        pytest.skip("this OpenSSL has no SM3")
    settings.SANXIANG_EVIDENCE_SM3 = "auto"
    ingest(media_bytes(3_000, seed=8), case=case)
    summary = case_file_export(case=case, destination=tmp_path / "sm3.zip")
    manifest = manifest_of(tmp_path / "sm3.zip")
    assert manifest["digests"] == ["sha256", "sm3"] and all("sm3" in p for p in manifest["parts"])
    assert case_file_verify(str(tmp_path / "sm3.zip"), vkeys=[summary.vkey]).ok


# The command ------------------------------------------------------------------------------


def test_command_writes_the_zip_and_says_what_it_wrote(exported, case, tmp_path, capsys):
    target = tmp_path / "cmd.zip"
    call_command("export-case", case.number, str(target))
    out = capsys.readouterr().out
    assert f"已导出案卷：{case.number}" in out
    for name in (fmt.README, fmt.ENTRIES, fmt.PROOFS, fmt.CHECKPOINT, fmt.KEY, fmt.MANIFEST):
        assert name in out
    assert "python -m sanxiang_verify" in out
    vkey = out.split("--key '")[1].split("'")[0]
    assert case_file_verify(str(target), vkeys=[vkey]).ok
    details = json.loads(bytes(Entry.objects.filter(kind=EventKind.ACCESS).order_by("-seq").first().body))
    assert details["payload"]["details"]["channel"] == "command"


def test_command_refuses_an_unknown_case_number_in_chinese(db, tmp_path):
    with pytest.raises(CommandError, match="案号“不存在的案号”不存在") as refused:
        call_command("export-case", "不存在的案号", str(tmp_path / "x.zip"))
    assert refused.value.returncode == 1  # what `sanxiang export-case` exits with
    assert not (tmp_path / "x.zip").exists()


def test_command_does_not_overwrite_without_force(case, tmp_path):
    target = tmp_path / "exists.zip"
    target.write_bytes(b"keep")
    with pytest.raises(CommandError, match="已存在"):
        call_command("export-case", case.number, str(target))
    assert target.read_bytes() == b"keep"
    call_command("export-case", case.number, str(target), "--force")
    assert zipfile.is_zipfile(target)


def test_command_exits_1_when_the_case_file_is_incomplete(case, tmp_path, capsys):
    _file_received(case, b"never stored")
    with pytest.raises(CommandError, match="不完整"):
        call_command("export-case", case.number, str(tmp_path / "incomplete.zip"))
    assert "存储中没有该文件" in capsys.readouterr().err


def test_the_command_is_reachable_as_sanxiang_export_case():
    result = subprocess.run(
        [sys.executable, "-m", "sanxiang", "help", "export-case"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "CASE_NUMBER" in result.stdout and "FILE.zip" in result.stdout


def test_standard_zip_tools_read_the_archive(exported, tmp_path):
    path, _ = exported
    unzip = shutil.which("unzip")
    if unzip is None:
        pytest.skip("no unzip on this machine")
    result = subprocess.run([unzip, "-t", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "No errors detected" in result.stdout


def test_an_sm3_ledger_exports_and_verifies(db, tmp_path):
    from sanxiang.ledger.merkle import sm3_available
    from sanxiang.ledger.services import ledger_create

    if not sm3_available():
        pytest.skip("this OpenSSL has no SM3")
    with transaction.atomic():
        ledger_create(algorithm="sm3")  # chosen when the ledger is created, before any entry
    agency = agency_make()
    from sanxiang.cases.services import case_create

    case = case_create(actor=None, agency=agency, number="乌审市监罚〔2026〕88号", title="国密账本")
    summary = case_file_export(case=case, destination=tmp_path / "sm3-ledger.zip")
    manifest = manifest_of(tmp_path / "sm3-ledger.zip")
    assert manifest["ledger"]["hash"] == "sm3" and manifest["digests"] == ["sha256", "sm3"]
    assert json.loads(members(tmp_path / "sm3-ledger.zip")[fmt.PROOFS])["algorithm"] == "sm3"
    report = case_file_verify(str(tmp_path / "sm3-ledger.zip"), vkeys=[summary.vkey])
    assert report.ok and report.algorithm == "sm3"

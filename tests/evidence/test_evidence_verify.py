"""`sanxiang verify` re-hashes every stored file and names the one that differs."""

import datetime
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.ledger.verification import EXTRA_CHECKS, ledger_verify
from tests.evidence.conftest import jpeg_bytes, mp4_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def blob(settings, record) -> Path:
    sha = record.stored_file.sha256
    return Path(settings.DATA_DIR) / "evidence" / sha[:2] / sha[2:4] / sha


def writable(path: Path) -> Path:
    os.chmod(path, 0o644)  # stored blobs are read-only; the attacker has the rights to change that
    return path


@pytest.fixture
def files(ingest, case):
    video = ingest(mp4_bytes(seed=41), case=case, step="inspection")
    again = ingest(mp4_bytes(seed=41), case=case, step="inquiry")  # same bytes: one blob, two records
    photo = ingest(jpeg_bytes(seed=42), kind="photo", case=case)
    scan = ingest(pdf_bytes(seed=43), kind="document", case=case)
    return {"video": video, "again": again, "photo": photo, "scan": scan}


def findings(report) -> list:
    return [f for f in report.findings if f.code.startswith("evidence_")]


def test_the_check_is_registered_by_the_app():
    from sanxiang.evidence.verification import evidence_files_check

    assert evidence_files_check in EXTRA_CHECKS


def test_an_untouched_store_verifies(files):
    report = ledger_verify()
    assert report.ok, [f.message for f in report.findings]
    assert report.extra["evidence"]["files_checked"] == 3


def test_a_flipped_byte_is_named_with_its_records(files, settings):
    path = writable(blob(settings, files["video"]))
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))

    report = ledger_verify()
    assert not report.ok
    (finding,) = findings(report)
    sha = files["video"].stored_file.sha256
    assert finding.code == "evidence_file_mismatch" and finding.file == sha
    assert sha in finding.message
    assert f"#{files['video'].pk}" in finding.message and f"#{files['again'].pk}" in finding.message


def test_a_file_replaced_by_another_is_named(files, settings):
    writable(blob(settings, files["photo"])).write_bytes(blob(settings, files["scan"]).read_bytes())
    (finding,) = findings(ledger_verify())
    assert finding.file == files["photo"].stored_file.sha256
    assert f"replaced by the content of stored file {files['scan'].stored_file.sha256}" in finding.message


def test_a_file_replaced_by_unknown_content_is_named(files, settings):
    writable(blob(settings, files["scan"])).write_bytes(b"%PDF-1.7 forged")
    (finding,) = findings(ledger_verify())
    assert finding.code == "evidence_file_mismatch" and finding.file == files["scan"].stored_file.sha256


def test_a_missing_file_is_named(files, settings):
    blob(settings, files["photo"]).unlink()
    (finding,) = findings(ledger_verify())
    assert finding.code == "evidence_file_missing" and finding.file == files["photo"].stored_file.sha256


def test_a_record_pointed_at_another_file_contradicts_its_ledger_entry(files):
    # A database user re-points a record at different evidence: the ledger entry written at upload
    # still holds the original digest.
    EvidenceRecord.objects.filter(pk=files["scan"].pk).update(stored_file=files["photo"].stored_file)
    (finding,) = findings(ledger_verify())
    assert finding.code == "evidence_digest_mismatch"
    assert finding.seqs == [files["scan"].ledger_seq]
    assert files["scan"].stored_file.sha256 in finding.message


def test_a_stored_file_row_rewritten_with_another_digest_is_caught(files, settings):
    stored = files["photo"].stored_file
    StoredFile.objects.filter(pk=stored.pk).update(size=stored.size + 1)
    codes = {f.code for f in findings(ledger_verify())}
    assert codes == {"evidence_file_mismatch", "evidence_digest_mismatch"}


def test_a_record_without_its_ledger_entry_is_caught(files, ingest, case):
    EvidenceRecord.objects.filter(pk=files["photo"].pk).update(ledger_seq=None)
    codes = [f.code for f in findings(ledger_verify())]
    assert codes == ["evidence_ledger_seq_mismatch"]


def test_a_record_moved_to_another_case_or_redated_is_named_field_by_field(ingest, case, user, agency):
    """Review r1, F5: what someone with the database (not the ledger, whose tables refuse UPDATE)
    can change in an evidence row is each named against its FILE_RECEIVED entry."""
    import datetime as dt

    from django.utils import timezone

    from sanxiang.cases.services import case_create

    taken = timezone.now() - dt.timedelta(days=2)
    record = ingest(jpeg_bytes(seed=77), kind="photo", case=case, step="inspection", captured_at=taken,
                    location="现场A", name="现场.jpg")
    other = case_create(actor=user, agency=agency, number="乌审旗市监罚〔2026〕999号", title="另一案件")
    assert ledger_verify().ok
    EvidenceRecord.objects.filter(pk=record.pk).update(
        case=other, captured_at=taken - dt.timedelta(days=30), step="record_inquiry", kind="document",
        location="别处", original_name="伪造.jpg",
    )
    report = ledger_verify()
    assert not report.ok
    (finding,) = findings(report)
    assert finding.code == "evidence_metadata_mismatch" and finding.seqs == [record.ledger_seq]
    assert finding.message.endswith(
        "in: captured_at, kind, location_sha256, original_name_sha256, step, case"
    ), finding.message
    assert finding.file == record.stored_file.sha256


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("device_number", "DSJ-999", "device_number"),
        ("draft_key", "d" * 32, "draft_key_sha256"),
        ("captured_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), "captured_at"),
    ],
)
def test_each_recorded_field_changed_alone_is_named(files, field, value, named):
    EvidenceRecord.objects.filter(pk=files["video"].pk).update(**{field: value})
    (finding,) = findings(ledger_verify())
    assert finding.code == "evidence_metadata_mismatch"
    assert finding.message.endswith(f"in: {named}"), finding.message


def test_a_record_given_its_case_by_the_attach_entry_verifies_but_not_by_an_update(ingest, case, user):
    from sanxiang.evidence.services import evidence_records_attach

    filed, unfiled = ingest(jpeg_bytes(seed=80), kind="photo"), ingest(jpeg_bytes(seed=81), kind="photo")
    assert filed.case_id is None
    assert evidence_records_attach(actor=user, records=[filed], case=case) == 1
    report = ledger_verify()
    assert report.ok, [f.message for f in report.findings]
    EvidenceRecord.objects.filter(pk=unfiled.pk).update(case=case)  # no ledger entry says so
    (finding,) = findings(ledger_verify())
    assert finding.seqs == [unfiled.ledger_seq] and finding.message.endswith("in: case")


def test_the_command_exits_1_and_names_the_file(files, settings):
    path = writable(blob(settings, files["video"]))
    raw = bytearray(path.read_bytes())
    raw[7] ^= 0x80
    path.write_bytes(bytes(raw))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("verify", "--json", "--no-progress", stdout=out)
    assert failed.value.returncode == 1
    report = json.loads(out.getvalue())
    assert [f["file"] for f in report["findings"]] == [files["video"].stored_file.sha256]


def test_the_command_exits_0_on_the_untouched_store(files):
    out = io.StringIO()
    call_command("verify", "--no-progress", stdout=out)
    assert "OK" in out.getvalue()

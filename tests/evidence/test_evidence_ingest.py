"""Ingest: content addressing, deduplication, sniffing, limits, names, and nothing half-written."""

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.evidence import services, storage
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.evidence.selectors import case_record_steps, case_records
from sanxiang.evidence.sniffing import DOCX, OFD, XLSX, content_type_sniff
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.evidence.conftest import jpeg_bytes, mp4_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def blob_path(settings, sha256: str) -> Path:
    return Path(settings.DATA_DIR) / "evidence" / sha256[:2] / sha256[2:4] / sha256


def file_entries() -> list[dict]:
    return [json.loads(bytes(b)) for b in Entry.objects.filter(kind=EventKind.FILE_RECEIVED).order_by("seq").values_list("body", flat=True)]


def leftovers(settings) -> list[str]:
    tmp = Path(settings.DATA_DIR) / "evidence" / "tmp"
    return sorted(os.listdir(tmp)) if tmp.exists() else []


def test_a_file_uploaded_twice_is_stored_once_with_two_records_and_two_ledger_entries(ingest, case, settings):
    data = mp4_bytes()
    sha = hashlib.sha256(data).hexdigest()
    first = ingest(data, case=case, step="inspection", device_number="DSJ-001")
    second = ingest(data, case=case, step="inquiry", name="另一次上传.mp4")

    assert StoredFile.objects.count() == 1
    stored = StoredFile.objects.get()
    assert (stored.sha256, stored.size, stored.content_type) == (sha, len(data), "video/mp4")
    assert first.stored_file_id == second.stored_file_id == stored.pk
    assert EvidenceRecord.objects.count() == 2
    assert blob_path(settings, sha).read_bytes() == data

    entries = file_entries()
    assert len(entries) == 2
    assert [e["payload"]["record"] for e in entries] == [first.pk, second.pk]
    for entry, record in zip(entries, (first, second), strict=True):
        assert entry["files"] == [{"sha256": sha, "size": len(data), "sm3": None}]
        assert entry["case"] == case.pk
        assert entry["seq"] == EvidenceRecord.objects.get(pk=record.pk).ledger_seq
    assert entries[0]["payload"]["step"] == "inspection"
    assert leftovers(settings) == []


def test_storing_an_existing_blob_does_not_rewrite_it(ingest, settings):
    data = mp4_bytes(seed=5)
    record = ingest(data)
    path = blob_path(settings, record.stored_file.sha256)
    before = path.stat()
    ingest(data)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not before.st_mode & 0o222  # stored read-only


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe1\x00\x10Exif", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "video/quicktime"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", "video/quicktime"),
        (b"RIFF\x10\x00\x00\x00AVI LIST", "video/x-msvideo"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "video/x-matroska"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64\x00", "audio/mpeg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"#!AMR\n\x3c", "audio/amr"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom", "audio/mp4"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        ("询问笔录\n当事人：张三\n".encode(), "text/plain"),
        ("询问笔录".encode("gb18030"), "text/plain"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_type_is_sniffed_from_the_magic_bytes(head, expected):
    assert content_type_sniff(head) == expected


def _zip(*names: str) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("[Content_Types].xml", "_rels/.rels", "word/document.xml"), DOCX),
        (("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), XLSX),
        (("OFD.xml", "Doc_0/Document.xml"), OFD),
        (("readme.txt",), "application/zip"),
    ],
)
def test_zip_based_documents_are_told_apart(names, expected):
    assert content_type_sniff(_zip(*names)) == expected


def test_the_client_name_does_not_decide_the_type(ingest):
    record = ingest(pdf_bytes(), kind="document", name="看起来是录像.mp4")
    assert record.stored_file.content_type == "application/pdf"


def test_a_video_that_is_a_pdf_is_refused_in_chinese_and_leaves_nothing(ingest, settings):
    with pytest.raises(Refused) as refused:
        ingest(pdf_bytes(), kind="video", name="录像.mp4")
    message = str(refused.value)
    assert "PDF" in message and "录像" in message and "不符" in message
    assert refused.value.violations[0].code == "evidence.kind_mismatch"
    assert StoredFile.objects.count() == EvidenceRecord.objects.count() == 0
    assert file_entries() == []
    assert leftovers(settings) == []


@pytest.mark.parametrize(
    ("kind", "maker", "accepted"),
    [
        ("photo", jpeg_bytes, True),
        ("photo", mp4_bytes, False),
        ("audio", mp4_bytes, False),
        ("document", jpeg_bytes, True),  # a scanned paper document
        ("document", mp4_bytes, False),
        ("electronic_data", mp4_bytes, True),
    ],
)
def test_kind_must_match_the_content(ingest, kind, maker, accepted):
    if accepted:
        assert ingest(maker(), kind=kind).kind == kind
    else:
        with pytest.raises(Refused):
            ingest(maker(), kind=kind)


def test_size_limit(ingest, settings):
    settings.SANXIANG_EVIDENCE_MAX_BYTES = 100_000
    with pytest.raises(Refused) as refused:
        ingest(mp4_bytes(100_001))
    assert "大小上限" in str(refused.value)
    assert StoredFile.objects.count() == 0 and leftovers(settings) == []
    assert ingest(mp4_bytes(100_000)).stored_file.size == 100_000


def test_an_empty_file_is_refused(ingest):
    with pytest.raises(Refused, match="空的"):
        ingest(b"")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\Desktop\\询问录像.mp4", "询问录像.mp4"),
        ("evil\u202egpj.exe", "evilgpj.exe"),  # a right-to-left override would disguise the extension
        ("a\x00b\x1fc\x7f.jpg", "abc.jpg"),
        ("多行\n名字\t.pdf", "多行 名字.pdf"),
        ('what?<is>:"this"|*.txt', "what__is___this___.txt"),
        ("CON.txt", "_CON.txt"),
        ("  ...  ", "未命名文件"),
        ("", "未命名文件"),
    ],
)
def test_original_names_are_sanitized(given, expected):
    assert services.filename_sanitize(given) == expected


def test_long_names_are_cut_keeping_the_extension():
    name = services.filename_sanitize("现场检查" * 100 + ".mp4")
    assert name.endswith(".mp4")
    assert len(name) <= services.MAX_NAME_CHARS and len(name.encode()) <= services.MAX_NAME_BYTES


def test_the_record_keeps_the_sanitized_name(ingest):
    record = ingest(mp4_bytes(), name="../../../tmp/\x07录像.mp4")
    assert record.original_name == "录像.mp4"


def test_a_failure_after_the_blob_is_placed_leaves_no_file_no_row_no_entry(ingest, settings, monkeypatch):
    placed = []
    original = storage.LocalBlobStore.place

    def place_then_fail(self, writer, sha256, **kwargs):
        original(self, writer, sha256, **kwargs)
        placed.append(self.path(sha256))
        assert self.path(sha256).exists()  # the blob really was in place when the failure came
        raise OSError("disk failed right after the blob was placed")

    monkeypatch.setattr(storage.LocalBlobStore, "place", place_then_fail)
    with pytest.raises(OSError, match="disk failed"):
        ingest(mp4_bytes(seed=9))
    assert placed and not placed[0].exists()
    assert StoredFile.objects.count() == EvidenceRecord.objects.count() == 0
    assert file_entries() == []
    assert leftovers(settings) == []


def test_a_failure_of_the_ledger_append_rolls_back_the_rows_and_the_blob(ingest, settings, monkeypatch):
    def broken_append(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(services, "entry_append", broken_append)
    data = mp4_bytes(seed=10)
    with pytest.raises(RuntimeError):
        ingest(data)
    assert StoredFile.objects.count() == EvidenceRecord.objects.count() == 0
    assert not blob_path(settings, hashlib.sha256(data).hexdigest()).exists()
    assert leftovers(settings) == []


def test_a_failure_while_reading_the_source_leaves_no_temporary(user, settings):
    class Broken(io.RawIOBase):
        sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            if self.sent > 3 * 1024 * 1024:
                raise ConnectionResetError("client went away")
            buffer[:] = b"\x00" * len(buffer)
            self.sent += len(buffer)
            return len(buffer)

    meta = services.evidence_metadata_check(actor=user, kind="electronic_data", original_name="x.bin")
    with pytest.raises(ConnectionResetError):
        services.evidence_ingest(actor=user, source=io.BufferedReader(Broken()), meta=meta)
    assert leftovers(settings) == [] and StoredFile.objects.count() == 0


def test_a_failure_on_a_duplicate_keeps_the_existing_blob(ingest, settings, monkeypatch):
    data = mp4_bytes(seed=11)
    record = ingest(data)
    monkeypatch.setattr(services, "entry_append", lambda **kw: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        ingest(data)
    assert blob_path(settings, record.stored_file.sha256).read_bytes() == data
    assert EvidenceRecord.objects.count() == 1


def test_an_orphan_blob_left_by_a_crash_is_replaced_by_the_verified_bytes(ingest, settings):
    data = mp4_bytes(seed=12)
    path = blob_path(settings, hashlib.sha256(data).hexdigest())
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half-written junk")  # no row names it
    ingest(data)
    assert path.read_bytes() == data


def test_a_missing_blob_is_restored_by_the_next_upload_of_the_same_bytes(ingest, settings):
    data = mp4_bytes(seed=13)
    record = ingest(data)
    path = blob_path(settings, record.stored_file.sha256)
    path.unlink()
    ingest(data)
    assert path.read_bytes() == data


def test_sm3_is_computed_when_enabled(ingest, settings):
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3")
    settings.SANXIANG_EVIDENCE_SM3 = "auto"
    data = mp4_bytes(seed=14)
    record = ingest(data)
    expected = hashlib.new("sm3", data).hexdigest()
    assert record.stored_file.sm3 == expected
    assert file_entries()[-1]["files"][0]["sm3"] == expected


def test_sm3_required_but_unavailable_is_refused_clearly(ingest, settings, monkeypatch):
    settings.SANXIANG_EVIDENCE_SM3 = "required"
    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})
    with pytest.raises(Refused) as refused:
        ingest(mp4_bytes(seed=15))
    assert "SM3" in str(refused.value) and "OpenSSL" in str(refused.value)
    assert StoredFile.objects.count() == 0


def test_sm3_off_by_default(ingest):
    assert ingest(mp4_bytes(seed=16)).stored_file.sm3 == ""


def test_only_members_of_the_agency_may_file_evidence(case, other_user, supervisor):
    for actor in (other_user, supervisor):
        with pytest.raises(PermissionDenied):
            services.evidence_metadata_check(actor=actor, kind="video", original_name="a.mp4", case=case)


def test_the_capturing_officer_must_belong_to_the_agency(user, other_user):
    with pytest.raises(Refused, match="采集人员"):
        services.evidence_metadata_check(actor=user, kind="video", original_name="a.mp4", officer=other_user.officer)


def test_the_capturing_officer_defaults_to_the_uploader(ingest, user):
    assert ingest(mp4_bytes(seed=17)).officer_id == user.officer_id


def test_record_checklist_per_case_and_step(ingest, case):
    ingest(mp4_bytes(seed=20), case=case, step="inspection")
    ingest(pdf_bytes(), kind="document", case=case, step="inquiry")
    ingest(mp4_bytes(seed=21), kind="electronic_data", case=case, step="inquiry")

    everything = case_records(case_id=case.pk)
    assert len(everything.records) == 3 and everything.has_audio_video
    assert everything.steps_with_audio_video == {"inspection"}

    inquiry = case_records(case_id=case.pk, step="inquiry")
    assert {r.kind for r in inquiry.records} == {"document", "electronic_data"}
    # An MP4 filed as electronic data is not an audio-video record of the step.
    assert not inquiry.has_audio_video

    inspection = case_records(case_id=case.pk, step="inspection")
    assert inspection.has_audio_video and inspection.records[0].content_type == "video/mp4"
    assert not case_records(case_id=case.pk, step="hearing").records

    with pytest.raises(AttributeError):
        inspection.step = "other"  # frozen

    # The lean read a case's snapshot takes judges each record as the checklist does (an MP4 filed
    # as electronic data is no audio-video record), in one query.
    with CaptureQueriesContext(connection) as queries:
        steps = case_record_steps(case_id=case.pk)
    assert sorted(steps) == sorted((r.step, r.is_audio_video) for r in everything.records)
    assert sorted(steps) == [("inquiry", False), ("inquiry", False), ("inspection", True)]
    assert len(queries) == 1

"""The ZIP64 layout, used when a file, an offset or the member count outgrows the classic
fields (a case with hours of body-camera video passes 4 GiB). The limits are lowered here so
that a small archive takes the same paths."""

import shutil
import subprocess
import tracemalloc
import zipfile

import pytest

from sanxiang.casefile.selectors import CaseFile
from sanxiang.casefile.services import case_file_export
from sanxiang_verify import casefile as fmt
from sanxiang_verify import zipformat
from sanxiang_verify.verify import case_file_verify
from sanxiang_verify.zipformat import END_PART, ZIP64_EOCD_SIG, ZIP64_LOCATOR_SIG
from tests.export.conftest import media_bytes
from tests.export.helpers import byte_changed, regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(zipformat, "ZIP64_SIZE_LIMIT", 2_000)
    monkeypatch.setattr(zipformat, "ZIP64_COUNT_LIMIT", 5)


def test_zip64_archive_round_trips_and_standard_tools_read_it(small_limits, case, ingest, tmp_path):
    ingest(media_bytes(30_000, seed=11), case=case)
    path = tmp_path / "zip64.zip"
    summary = case_file_export(case=case, destination=path)
    data = path.read_bytes()
    assert ZIP64_EOCD_SIG in data[-200:] and ZIP64_LOCATOR_SIG in data[-200:]
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert len(zf.infolist()) == 10  # more than the lowered count limit
    if shutil.which("unzip"):
        assert subprocess.run(["unzip", "-tq", str(path)], capture_output=True, timeout=60).returncode == 0
    assert case_file_verify(str(path), vkeys=[summary.vkey]).ok

    # Every byte of the headers (with their ZIP64 extra fields) and of the end records, changed.
    work = tmp_path / "work.zip"
    work.write_bytes(data)
    structural = [(s, e, n) for s, e, n, r in regions(path) if r != "data"]
    end = regions(path)[-1][1]
    offsets = [(o, n) for s, e, n in structural for o in range(s, e)] + [
        (o, END_PART) for o in range(end, len(data))
    ]
    for offset, owner in offsets:
        with byte_changed(work, offset, 0xFF):
            report = case_file_verify(str(work), vkeys=[summary.vkey])
        assert report.failed_parts == [owner], (offset, owner, report.failed_parts)


def test_memory_stays_flat_while_exporting_and_verifying_a_large_file(case, tmp_path):
    """64 MiB of evidence goes through the export and the verifier in 1 MiB chunks: the peak of
    Python allocations stays a few chunks high, far below the file's size."""
    import hashlib

    from django.db import transaction

    from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
    from sanxiang.ledger.services import entry_append

    size = 64 * 1024 * 1024
    blob = tmp_path / "video.mp4"
    digest = hashlib.sha256()
    with open(blob, "wb") as handle:
        chunk = media_bytes(1024 * 1024, seed=12)
        for i in range(size // len(chunk)):
            piece = chunk[:-8] + i.to_bytes(8, "big")
            handle.write(piece)
            digest.update(piece)
    sha256 = digest.hexdigest()
    with transaction.atomic():
        entry_append(
            event=LedgerEvent(
                EventKind.FILE_RECEIVED,
                {"record": 1},
                agency_id=case.agency_id,
                case_id=case.pk,
                subject="evidence:1",
                files=(FileDigest(sha256=sha256, size=size),),
            )
        )
    provider = lambda c: [CaseFile(fmt.EVIDENCE_DIR, sha256, size, lambda: open(blob, "rb"))]  # noqa: E731
    limit = 8 * 1024 * 1024

    tracemalloc.start()
    try:
        summary = case_file_export(case=case, destination=tmp_path / "large.zip", files=provider)
        _, export_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        report = case_file_verify(str(tmp_path / "large.zip"), vkeys=[summary.vkey])
        _, verify_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok and summary.complete
    assert export_peak < limit, export_peak
    assert verify_peak < limit, verify_peak

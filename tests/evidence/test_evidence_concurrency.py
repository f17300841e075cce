"""Two uploads of the same bytes at the same moment: one blob, two records, two ledger entries
(on PostgreSQL the second waits on the first's unique key, then files a duplicate)."""

import hashlib
import io
import threading
from pathlib import Path

import pytest
from django.db import connection

from sanxiang.evidence import services, storage
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from tests.evidence.conftest import mp4_bytes
from tests.ledger.helpers import ledger_purge


@pytest.fixture
def purge_ledger_after(transactional_db):
    yield
    ledger_purge()


def test_concurrent_uploads_of_the_same_bytes(purge_ledger_after, user, settings, monkeypatch):
    if connection.vendor != "postgresql":
        # SQLite takes its write lock at BEGIN, so two writers never overlap; and the test
        # database is an in-memory shared cache that answers "table is locked" instead of waiting.
        pytest.skip("the race exists on PostgreSQL only")
    data = mp4_bytes(2_000_000, seed=61)
    both_staged = threading.Barrier(2, timeout=30)
    original_stage = services._blob_stage

    def stage_then_wait(**kwargs):
        staged = original_stage(**kwargs)
        both_staged.wait()  # both have hashed the bytes before either commits
        return staged

    monkeypatch.setattr(services, "_blob_stage", stage_then_wait)
    records, errors = [], []

    def upload(name: str) -> None:
        try:
            meta = services.evidence_metadata_check(actor=user, kind="video", original_name=name)
            records.append(services.evidence_ingest(actor=user, source=io.BytesIO(data), meta=meta))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(f"{i}.mp4",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    sha = hashlib.sha256(data).hexdigest()
    assert StoredFile.objects.count() == 1 and StoredFile.objects.get().sha256 == sha
    assert EvidenceRecord.objects.count() == 2
    assert Entry.objects.filter(kind=EventKind.FILE_RECEIVED).count() == 2
    blob = storage.LocalBlobStore(Path(settings.DATA_DIR) / "evidence").path(sha)
    assert blob.read_bytes() == data
    assert list((Path(settings.DATA_DIR) / "evidence" / "tmp").iterdir()) == []
    assert ledger_verify().ok

"""Content held whole (one read: a rendered document, most photos) and content streamed in many
reads take different paths through ingest; they store the same blob under the same digests and
refuse the same files the same way, leaving nothing behind."""

import hashlib
import io
import os
from pathlib import Path

import pytest

from sanxiang.evidence import services
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.procedure.violations import Refused
from tests.evidence.conftest import jpeg_bytes, mp4_bytes

pytestmark = pytest.mark.django_db


class Trickle(io.RawIOBase):
    """A stream that hands out at most `step` bytes a read, as a network upload does."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.position = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = self.step if size is None or size < 0 else min(size, self.step)
        chunk = self.data[self.position : self.position + size]
        self.position += len(chunk)
        return chunk


def ingest(user, source, *, kind: str = "video", name: str = "录像.mp4") -> EvidenceRecord:
    meta = services.evidence_metadata_check(actor=user, kind=kind, original_name=name)
    return services.evidence_ingest(actor=user, source=source, meta=meta)


def leftovers(settings) -> list[str]:
    tmp = Path(settings.DATA_DIR) / "evidence" / "tmp"
    return sorted(os.listdir(tmp)) if tmp.exists() else []


@pytest.mark.parametrize("sm3", ["off", "auto"])
def test_whole_and_streamed_content_store_the_same_blob_under_the_same_digests(user, settings, sm3):
    if sm3 == "auto" and "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3")
    settings.SANXIANG_EVIDENCE_SM3 = sm3
    data = mp4_bytes(300_000, seed=7)
    streamed = ingest(user, Trickle(data, 65_536))  # five reads: the overlapped path
    whole = ingest(user, io.BytesIO(data))  # one read
    assert whole.stored_file_id == streamed.stored_file_id
    stored = StoredFile.objects.get()
    assert (stored.sha256, stored.size, stored.content_type) == (hashlib.sha256(data).hexdigest(), len(data), "video/mp4")
    assert stored.sm3 == (hashlib.new("sm3", data).hexdigest() if sm3 == "auto" else "")
    blob = Path(settings.DATA_DIR) / "evidence" / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert blob.read_bytes() == data
    other = jpeg_bytes(9_000, seed=8)
    first = ingest(user, io.BytesIO(other), kind="photo", name="照片.jpg")  # new content, one read
    assert first.stored_file.sha256 == hashlib.sha256(other).hexdigest()
    assert leftovers(settings) == []


@pytest.mark.parametrize("source", [io.BytesIO, lambda data: Trickle(data, 1_000)])
def test_both_paths_refuse_alike_and_leave_nothing(user, settings, source):
    settings.SANXIANG_EVIDENCE_MAX_BYTES = 4_000
    with pytest.raises(Refused) as too_large:
        ingest(user, source(mp4_bytes(5_000)))
    with pytest.raises(Refused) as empty:
        ingest(user, source(b""))
    with pytest.raises(Refused) as mismatch:
        ingest(user, source(jpeg_bytes(3_000)), kind="video")
    codes = [refusal.value.violations[0].code for refusal in (too_large, empty, mismatch)]
    assert codes == ["evidence.too_large", "evidence.empty", "evidence.kind_mismatch"]
    assert not StoredFile.objects.exists() and not EvidenceRecord.objects.exists()
    assert leftovers(settings) == []


@pytest.mark.parametrize("returning", [True, False])
def test_new_and_known_content_claim_their_row_with_or_without_insert_returning(user, settings, monkeypatch, returning):
    if not returning:
        monkeypatch.setattr(services, "_insert_returns", lambda: False)
    data = mp4_bytes(50_000, seed=11)
    first = ingest(user, io.BytesIO(data))
    second = ingest(user, io.BytesIO(data), name="再次上传.mp4")
    stored = StoredFile.objects.get()
    assert first.stored_file_id == second.stored_file_id == stored.pk
    assert first.stored_file.pk == stored.pk and first.stored_file.created_at == stored.created_at
    assert (stored.sha256, stored.size, stored.storage_name) == (
        hashlib.sha256(data).hexdigest(), len(data), f"{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}"
    )
    assert EvidenceRecord.objects.filter(stored_file=stored).count() == 2
    assert leftovers(settings) == []

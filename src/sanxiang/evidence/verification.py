"""The evidence part of `sanxiang verify`: re-hash every stored file and cross-check the ledger.

- every `StoredFile`: its blob exists, and re-hashes (read in 1 MiB chunks) to its SHA-256, its
  size, and its SM3 when it has one; a differing blob is named by its SHA-256 with the records
  that point to it, and when its content is now another stored file's, that is said too;
- every FILE_RECEIVED ledger entry: its record exists and points to a stored file whose
  SHA-256, size and SM3 are the ones the entry recorded, and the entry's event, rebuilt from the
  record as it is now (by the function the upload used), is the one recorded: each differing
  field is named (kind, step, capture time, place, file name, case, agency, uploader, ...);
- every evidence record has its ledger entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from sanxiang.evidence.events import file_received_event
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.evidence.storage import blob_store_get, stream_hash
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import Finding, VerificationContext


def _records_of(stored_file_id: int) -> str:
    ids = list(EvidenceRecord.objects.filter(stored_file_id=stored_file_id).order_by("pk").values_list("pk", flat=True)[:20])
    return "records " + ", ".join(f"#{i}" for i in ids) if ids else "no record"


def evidence_files_check(context: VerificationContext) -> Iterator[Finding]:
    store = blob_store_get()
    sm3_available = "sm3" in hashlib.algorithms_available
    total = StoredFile.objects.count()
    checked = bytes_read = 0
    known = dict(StoredFile.objects.values_list("sha256", "pk"))
    for stored in StoredFile.objects.order_by("pk").iterator(chunk_size=500):
        try:
            with store.open(stored.sha256) as blob:
                got = stream_hash(blob, sm3=bool(stored.sm3) and sm3_available)
        except FileNotFoundError:
            yield Finding(
                "evidence_file_missing",
                f"stored file {stored.sha256} ({_records_of(stored.pk)}) is missing from the {store.kind} store",
                file=stored.sha256,
            )
        else:
            bytes_read += got.size
            if got.sha256 != stored.sha256 or got.size != stored.size:
                other = known.get(got.sha256)
                how = (
                    f"it was replaced by the content of stored file {got.sha256}"
                    if other is not None and other != stored.pk
                    else f"its content now hashes to {got.sha256}"
                )
                yield Finding(
                    "evidence_file_mismatch",
                    f"stored file {stored.sha256} ({_records_of(stored.pk)}) differs: {how} "
                    f"({got.size} bytes, recorded {stored.size})",
                    file=stored.sha256,
                )
            elif got.sm3 and got.sm3 != stored.sm3:
                yield Finding(
                    "evidence_file_sm3_mismatch",
                    f"stored file {stored.sha256} ({_records_of(stored.pk)}): its SM3 differs from the recorded one",
                    file=stored.sha256,
                )
        checked += 1
        context.progress("files", checked, total)
    yield from _ledger_cross_check()
    context.report.extra["evidence"] = {"files_checked": checked, "bytes_rehashed": bytes_read}


def _attachments() -> dict[int, set[int]]:
    """record id -> the cases an EVIDENCE_ATTACHED entry put it in (a record filed before any case
    existed gets its case once, after its FILE_RECEIVED entry)."""
    attached: dict[int, set[int]] = {}
    entries = Entry.objects.filter(kind=str(EventKind.EVIDENCE_ATTACHED)).values_list("body", flat=True)
    for body in entries.iterator(chunk_size=2000):
        try:
            payload = json.loads(bytes(body))["payload"]
            for record_id in payload["records"]:
                attached.setdefault(record_id, set()).add(payload["case"])
        except (ValueError, KeyError, TypeError):
            continue
    return attached


def _metadata_differences(doc: dict, record: EvidenceRecord, attached: dict[int, set[int]]) -> list[str]:
    """The fields in which the record, as it is now, differs from what its FILE_RECEIVED entry
    recorded: the event is rebuilt from the row by the function the upload used, and compared
    with the entry's body (payload, agency, case, uploader)."""
    event = file_received_event(record=record, stored=record.stored_file)
    recorded = doc.get("payload")
    if not isinstance(recorded, dict):
        return ["payload"]
    differing = sorted(
        key for key in set(event.payload) | set(recorded) if event.payload.get(key) != recorded.get(key)
    )
    if doc.get("agency") != event.agency_id:
        differing.append("agency")
    if doc.get("case") != event.case_id and not (
        doc.get("case") is None and event.case_id in attached.get(record.pk, ())
    ):
        differing.append("case")
    actor = doc.get("actor")
    if not isinstance(actor, dict) or actor.get("id") != record.uploaded_by_id:
        differing.append("uploaded_by")
    return differing


def _ledger_cross_check() -> Iterator[Finding]:
    records = {
        pk: (sha, size, sm3, seq)
        for pk, sha, size, sm3, seq in EvidenceRecord.objects.values_list(
            "pk", "stored_file__sha256", "stored_file__size", "stored_file__sm3", "ledger_seq"
        )
    }
    attached = _attachments()
    seen: set[int] = set()
    entries = Entry.objects.filter(kind=str(EventKind.FILE_RECEIVED)).order_by("seq").values_list("seq", "body")
    batch: list[tuple[int, dict, int, bool]] = []
    for seq, body in entries.iterator(chunk_size=2000):
        try:
            doc = json.loads(bytes(body))
            record_id = doc["payload"]["record"]
            (digest,) = doc["files"]
        except (ValueError, KeyError, TypeError):
            # The ledger's own check reports a body that is not what was appended.
            continue
        row = records.get(record_id)
        if row is None:
            yield Finding(
                "evidence_record_missing",
                f"ledger entry {seq} records evidence #{record_id} (file {digest.get('sha256')}), which no longer exists",
                seqs=[seq],
                file=digest.get("sha256"),
            )
            continue
        seen.add(record_id)
        sha, size, sm3, ledger_seq = row
        if digest.get("sha256") != sha or digest.get("size") != size or (digest.get("sm3") and sm3 and digest["sm3"] != sm3):
            yield Finding(
                "evidence_digest_mismatch",
                f"ledger entry {seq} recorded file {digest.get('sha256')} ({digest.get('size')} bytes) for evidence "
                f"#{record_id}, but the record now points to stored file {sha} ({size} bytes)",
                seqs=[seq],
                file=sha,
            )
        if ledger_seq != seq:
            yield Finding(
                "evidence_ledger_seq_mismatch",
                f"evidence #{record_id} names ledger entry {ledger_seq}, but its FILE_RECEIVED entry is {seq}",
                seqs=[seq],
                file=sha,
            )
        # A record pointed at another file is named above; the content type that comes with it is not again.
        batch.append((seq, doc, record_id, digest.get("sha256") == sha))
        if len(batch) >= 500:
            yield from _metadata_check(batch, attached)
            batch = []
    yield from _metadata_check(batch, attached)
    for record_id, (sha, _size, _sm3, ledger_seq) in sorted(records.items()):
        if record_id not in seen:
            yield Finding(
                "evidence_unrecorded",
                f"evidence #{record_id} (file {sha}) has no FILE_RECEIVED ledger entry"
                + (f" (it names entry {ledger_seq})" if ledger_seq is not None else ""),
                seqs=[ledger_seq] if ledger_seq is not None else [],
                file=sha,
            )


def _metadata_check(batch: list[tuple[int, dict, int, bool]], attached: dict[int, set[int]]) -> Iterator[Finding]:
    """Each record of `batch` against its entry's body, field by field (a record moved to another
    case, back-dated, or its kind, step, place or name rewritten in the database)."""
    rows = EvidenceRecord.objects.select_related("stored_file").in_bulk([record_id for _s, _d, record_id, _f in batch])
    for seq, doc, record_id, same_file in batch:
        record = rows.get(record_id)
        if record is None:
            continue  # deleted meanwhile: named as missing by the next run
        differing = [
            name for name in _metadata_differences(doc, record, attached) if same_file or name != "content_type"
        ]
        if differing:
            yield Finding(
                "evidence_metadata_mismatch",
                f"evidence #{record_id} differs from its FILE_RECEIVED ledger entry {seq} in: {', '.join(differing)}",
                seqs=[seq],
                file=record.stored_file.sha256,
            )

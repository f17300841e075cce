"""The ledger event of an evidence upload."""

import hashlib

from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.ledger.canonical import utc_iso
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent


def _fingerprint(value: str) -> str:
    # File names and places may name people; the ledger is kept for ever and travels in case-file
    # exports, so it holds their digest and the row holds the text (as in the registry's events).
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else ""


def file_received_event(*, record: EvidenceRecord, stored: StoredFile) -> LedgerEvent:
    payload: dict = {
        "record": record.pk,
        "kind": record.kind,
        "step": record.step,
        "content_type": stored.content_type,
        "captured_at": utc_iso(record.captured_at) if record.captured_at else None,
        "device_number": record.device_number,
        "officer": record.officer_id,
        "original_name_sha256": _fingerprint(record.original_name),
        "location_sha256": _fingerprint(record.location),
    }
    if record.draft_key:
        # Captured inside a record being written; the record's own entry names the file in turn.
        # Its digest only: the key in clear, read from the ledger, would let another user upload
        # files under a record still being written.
        payload["draft_key_sha256"] = _fingerprint(record.draft_key)
    if record.kind == "signature":
        payload["signer_role"] = record.signer_role
        payload["signer_name_sha256"] = _fingerprint(record.signer_name)
    return LedgerEvent(
        EventKind.FILE_RECEIVED,
        payload,
        agency_id=record.agency_id,
        case_id=record.case_id,
        subject=f"evidence:{record.pk}",
        files=(FileDigest(sha256=stored.sha256, size=stored.size, sm3=stored.sm3 or None),),
    )

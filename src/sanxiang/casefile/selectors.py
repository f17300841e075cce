"""Reads for the case-file export: the case's ledger entries under a checkpoint, their inclusion
proofs, and the stored files those entries record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from sanxiang.cases.models import Case
from sanxiang.ledger.merkle import Hasher, hashes_of_ranges, inclusion_ranges
from sanxiang.ledger.models import DEFAULT_LEDGER, Entry
from sanxiang.ledger.selectors import DatabaseNodeStore
from sanxiang_verify import casefile as fmt

# Proofs of this many entries share one node query: a proof at a million entries needs about 20
# subtree hashes, so a batch stays far below SQLite's and PostgreSQL's parameter limits.
PROOF_BATCH = 64


@dataclass(frozen=True)
class LedgerLine:
    seq: int
    body: bytes
    leaf_hash: bytes


def case_entries(*, case_id: int, below: int, ledger_id: int = DEFAULT_LEDGER) -> list[LedgerLine]:
    """The case's entries in its ledger with seq < `below` (the checkpoint's size), in seq order."""
    rows = (
        Entry.objects.filter(case_id=case_id, ledger_id=ledger_id, seq__lt=below)
        .order_by("seq")
        .values_list("seq", "body", "leaf_hash")
    )
    return [LedgerLine(seq, bytes(body), bytes(leaf)) for seq, body, leaf in rows.iterator(chunk_size=2000)]


def _batched(values: Iterable[int], size: int) -> Iterator[tuple[int, ...]]:
    it = iter(values)  # itertools.batched is Python 3.12+
    while batch := tuple(islice(it, size)):
        yield batch


def inclusion_paths(
    *, hasher: Hasher, seqs: Iterable[int], size: int, ledger_id: int = DEFAULT_LEDGER
) -> Iterator[tuple[int, list[bytes]]]:
    """(seq, inclusion path in the ledger's tree of `size` entries) for each seq, a batch per query."""
    store = DatabaseNodeStore(ledger_id)
    for batch in _batched(seqs, PROOF_BATCH):
        per_seq = [inclusion_ranges(seq, size) for seq in batch]
        hashes = hashes_of_ranges(hasher, store, [r for ranges in per_seq for r in ranges])
        at = 0
        for seq, ranges in zip(batch, per_seq, strict=True):
            yield seq, hashes[at : at + len(ranges)]
            at += len(ranges)


@dataclass(frozen=True)
class CaseFile:
    """A stored file that may go into the case file: its folder in the zip (evidence/ or
    documents/), its digest and size as stored, and how to open it for streaming."""

    folder: str
    sha256: str
    size: int
    open: Callable[[], BinaryIO]  # raises FileNotFoundError when the store has lost it


CaseFilesProvider = Callable[[Case], Iterable[CaseFile]]


def case_files_stored(case: Case) -> list[CaseFile]:
    """The default provider: the case's evidence files from the evidence store, and its
    documents once they are stored (see `_document_files`)."""
    return [*_evidence_files(case), *_document_files(case)]


def _evidence_files(case: Case) -> list[CaseFile]:
    from sanxiang.evidence.models import StoredFile
    from sanxiang.evidence.storage import blob_store_get

    store = blob_store_get()
    stored = (
        StoredFile.objects.filter(records__case=case)
        .distinct()
        .order_by("sha256")
        .values_list("sha256", "size")
    )

    def opener(sha256: str) -> Callable[[], BinaryIO]:
        return lambda: store.open(sha256)

    return [CaseFile(fmt.EVIDENCE_DIR, sha256, size, opener(sha256)) for sha256, size in stored]


def _document_files(case: Case) -> list[CaseFile]:
    """The case's issued documents (PDF and DOCX), stored in the evidence store and recorded by
    their DOCUMENT_ISSUED entries: the export puts each under documents/<sha256>."""
    from sanxiang.cases.models import IssuedDocument
    from sanxiang.evidence.storage import blob_store_get

    store = blob_store_get()
    files: dict[str, int] = {}
    for document in IssuedDocument.objects.filter(case=case).select_related("pdf__stored_file", "docx__stored_file"):
        for record in (document.pdf, document.docx):
            if record is not None:  # a Word copy still to follow (the export renders it first)
                files[record.stored_file.sha256] = record.stored_file.size

    def opener(sha256: str) -> Callable[[], BinaryIO]:
        return lambda: store.open(sha256)

    return [CaseFile(fmt.DOCUMENTS_DIR, sha256, size, opener(sha256)) for sha256, size in sorted(files.items())]

"""Case-file export (案卷导出): a zip that anyone can verify offline with `sanxiang_verify`.

The export is recorded first (an access entry of the case, action export), then a checkpoint
is signed over the case's ledger as it stands (its agency's county ledger, or the default one:
`sanxiang.ledger.services`; `ledger_seq` values are seqs within that ledger), so the zip carries the record of its own export,
proved like every other entry. The case block, time and user in the manifest are those of
that entry, which is what lets the verifier hold the manifest against the signed ledger.

Only that short first step runs in a transaction: it holds the ledger's head lock, which every
append waits for. Reading stored files and writing the zip happen afterwards; the entries they
read are below the checkpoint and cannot change (the ledger tables are append-only).

The format itself (names, JSON forms, the ZIP layout) lives in `sanxiang_verify`, shared with
the verifier, so that what is written here is by construction what the verifier expects.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require, user_can_read_case
from sanxiang.casefile import selectors
from sanxiang.casefile.selectors import CaseFile, CaseFilesProvider, LedgerLine
from sanxiang.cases.document_copies import case_document_copies_complete
from sanxiang.cases.models import Case
from sanxiang.ledger import keys
from sanxiang.ledger.canonical import parse_utc_iso
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.merkle import ProofError, hasher_for, sm3_available, verify_inclusion
from sanxiang.ledger.models import Checkpoint, Head
from sanxiang.ledger.notes import NoteError, checkpoint_verify
from sanxiang.ledger.selectors import ledger_of_agency, ledger_origin_for
from sanxiang.ledger.services import checkpoint_issue, checkpoint_locks, ledger_heads_lock
from sanxiang_verify import casefile as fmt
from sanxiang_verify.zipformat import CaseZipWriter, WrittenPart

FOLDER_KINDS = {
    fmt.EVIDENCE_DIR: EventKind.FILE_RECEIVED.value,
    fmt.DOCUMENTS_DIR: EventKind.DOCUMENT_ISSUED.value,
}
assert FOLDER_KINDS == fmt.FILE_FOLDERS, "the verifier's entry kinds must be the ledger's"


class CaseFileExportError(Exception):
    """The case file cannot be written (the message is for the user, in Chinese)."""


@dataclass
class ExportSummary:
    case_number: str
    path: str | None
    size: int
    export_seq: int
    checkpoint_size: int
    algorithm: str
    vkey: str
    entries: int
    parts: list[WrittenPart]
    files: dict[str, int] = field(default_factory=dict)  # folder -> number of files written
    # What keeps the case file from being complete (missing or altered stored files, records
    # without a ledger entry). The zip is written anyway, as the evidence of that state; the
    # verifier will fail on it and name the same parts.
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Ledger:
    origin: str
    checkpoint: Checkpoint
    algorithm: str
    vkey: str
    lines: list[LedgerLine]
    bodies: dict[int, dict]
    proofs: bytes


def case_file_export(
    *,
    case: Case,
    destination: str | os.PathLike | BinaryIO,
    actor: User | None = None,
    files: CaseFilesProvider | None = None,
    details: Mapping[str, Any] | None = None,
) -> ExportSummary:
    """Write the case file of `case` to `destination` (a path, replaced only once complete, or a
    seekable binary file at offset 0) and return what was written.

    `actor` is the platform user who exports, None on the server's command line; `files` gives
    the stored files (default: the evidence store); `details` are recorded with the export in the
    ledger (e.g. the operating-system user of a command-line export).

    Call it outside any transaction: its first step commits the export record and the checkpoint
    so that the ledger's head lock is released before the long part begins."""
    if actor is not None:
        permission_require(user_can_read_case(actor, agency_id=case.agency_id, case_id=case.pk),
                           "您没有权限导出该案件的案卷（监督人员须经调阅）")
    case_block = fmt.export_case_details(
        case_id=case.pk,
        number=case.number,
        title=case.title,
        agency_id=case.agency_id,
        agency_name=case.agency.name,
    )
    ledger_id = ledger_of_agency(case.agency_id)
    # Every document's Word copy exists before the checkpoint that the case file is proven against:
    # a copy still to follow its step (procedure.document_timing) is rendered now, or waited for.
    case_document_copies_complete(case=case)
    with transaction.atomic():
        # The export's entry locks the case's ledger head, and its checkpoint then locks the log of
        # heads: both are taken first, in the ledger's global order, so that a checkpoint of every
        # ledger at the same moment (`checkpoints_issue_all`: the log, then this head) cannot
        # deadlock with this export (this head, then the log).
        ledger_heads_lock(ledger_ids=checkpoint_locks(ledger_id=ledger_id))
        access = access_record(
            actor=actor,
            action=AccessAction.EXPORT,
            object_kind=fmt.EXPORT_OBJECT_KIND,
            object_id=case.pk,
            object_label=f"{case.number} {case.title}",
            case_id=case.pk,
            agency_id=case.agency_id,
            details={**(details or {}), "case": case_block},
        )
        checkpoint = checkpoint_issue(ledger_id=ledger_id)
    ledger = _ledger_read(case=case, checkpoint=checkpoint, ledger_id=ledger_id)
    export_body = ledger.bodies[access.ledger_seq]

    provided = {(f.folder, f.sha256): f for f in (files or selectors.case_files_stored)(case)}
    recorded = _recorded_files(ledger)
    problems = [
        f"{'证据' if folder == fmt.EVIDENCE_DIR else '文书'}文件 {sha256} 没有记录它的账本条目，未导出"
        for folder, sha256 in sorted(provided.keys() - recorded.keys())
    ]
    digests = ["sha256"]
    if sm3_available() and (ledger.algorithm == "sm3" or any(f.get("sm3") for f in recorded.values())):
        digests.append("sm3")

    with _destination_open(destination) as (out, path):
        writer = CaseZipWriter(out, moment=parse_utc_iso(export_body["at"]), digests=digests)
        writer.add_bytes(fmt.README, fmt.README_TEXT.encode())
        writer.add_directory(fmt.LEDGER_DIR)
        writer.add_bytes(fmt.CHECKPOINT, ledger.checkpoint.note.encode())
        writer.add_bytes(fmt.KEY, fmt.vkey_text(ledger.vkey))
        writer.add_bytes(fmt.ENTRIES, b"".join(line.body + b"\n" for line in ledger.lines))
        writer.add_bytes(fmt.PROOFS, ledger.proofs)
        counts = {}
        for folder in (fmt.EVIDENCE_DIR, fmt.DOCUMENTS_DIR):
            writer.add_directory(folder)
            wanted = [(sha256, f) for (f_folder, sha256), f in recorded.items() if f_folder == folder]
            counts[folder.rstrip("/")] = _files_write(writer, folder, wanted, provided, problems)
        manifest = {
            "format": fmt.FORMAT,
            "format_version": fmt.FORMAT_VERSION,
            "case": case_block,
            "export": {"seq": access.ledger_seq, "at": export_body["at"], "by": export_body["actor"]},
            "ledger": {
                "origin": ledger.origin,
                "hash": ledger.algorithm,
                "key_name": ledger.checkpoint.key_name,
                "checkpoint_size": ledger.checkpoint.size,
                "entries": len(ledger.lines),
            },
            "digests": digests,
            "directories": fmt.DIRECTORIES,
            "parts": [
                {"path": p.name, "size": p.size, **{a: p.digests[a] for a in digests}}
                for p in writer.parts
                if not p.is_dir
            ],
        }
        writer.add_bytes(fmt.MANIFEST, fmt.json_part(manifest))
        size = writer.close()
    return ExportSummary(
        case_number=case.number,
        path=path,
        size=size,
        export_seq=access.ledger_seq,
        checkpoint_size=ledger.checkpoint.size,
        algorithm=ledger.algorithm,
        vkey=ledger.vkey,
        entries=len(ledger.lines),
        parts=writer.parts,
        files=counts,
        problems=problems,
    )


def _ledger_read(*, case: Case, checkpoint: Checkpoint, ledger_id: int) -> _Ledger:
    """The case's entries under the checkpoint with their proofs, each checked here as the
    verifier will check it: a ledger that no longer matches its checkpoint is not exported."""
    algorithm = Head.objects.filter(pk=ledger_id).values_list("algorithm", flat=True).get()
    hasher = hasher_for(algorithm)
    verifier = keys.verifier_get()
    origin = ledger_origin_for(ledger_id)
    try:
        signed = checkpoint_verify(checkpoint.note, [verifier], origin=origin, digest_size=hasher.digest_size)
    except NoteError as exc:
        raise CaseFileExportError(f"检查点签名无法用当前公钥核验（{exc}），请先运行 sanxiang verify") from exc
    lines = selectors.case_entries(case_id=case.pk, below=signed.size, ledger_id=ledger_id)
    bodies: dict[int, dict] = {}
    for line in lines:
        if hasher.leaf(line.body) != line.leaf_hash:
            raise CaseFileExportError(f"账本条目 {line.seq} 与其叶哈希不符，请先运行 sanxiang verify")
        bodies[line.seq] = json.loads(line.body)
    leaf_of = {line.seq: line.leaf_hash for line in lines}
    proofs = []
    for seq, path in selectors.inclusion_paths(
        hasher=hasher, seqs=list(leaf_of), size=signed.size, ledger_id=ledger_id
    ):
        try:
            verify_inclusion(hasher, seq, signed.size, leaf_of[seq], path, signed.root)
        except ProofError as exc:
            raise CaseFileExportError(
                f"账本条目 {seq} 不在检查点所签的树中（{exc}），请先运行 sanxiang verify"
            ) from exc
        proofs.append(
            {"leaf_index": seq, "leaf_hash": _b64(leaf_of[seq]), "inclusion_path": [_b64(h) for h in path]}
        )
    document = {
        "algorithm": algorithm,
        "tree_size": signed.size,
        "root_hash": _b64(signed.root),
        "proofs": proofs,
    }
    return _Ledger(origin, checkpoint, algorithm, verifier.vkey, lines, bodies, fmt.json_part(document))


def _recorded_files(ledger: _Ledger) -> dict[tuple[str, str], dict]:
    """(folder, sha256) -> the file as the first entry recording it states it, in ledger order."""
    recorded: dict[tuple[str, str], dict] = {}
    for line in ledger.lines:
        body = ledger.bodies[line.seq]
        for folder, kind in FOLDER_KINDS.items():
            if body.get("kind") == kind:
                for f in body.get("files") or []:
                    recorded.setdefault((folder, f["sha256"]), f)
    return recorded


def _files_write(
    writer: CaseZipWriter,
    folder: str,
    wanted: list[tuple[str, dict]],
    provided: dict[tuple[str, str], CaseFile],
    problems: list[str],
) -> int:
    what = "证据" if folder == fmt.EVIDENCE_DIR else "文书"
    written = 0
    for sha256, recorded in wanted:
        name = fmt.file_path(folder, sha256)
        source = provided.get((folder, sha256))
        if source is None:
            problems.append(f"{what}文件 {name} 由账本记录，但存储中没有该文件（未导出）")
            continue
        try:
            stream = source.open()
        except FileNotFoundError:
            problems.append(f"{what}文件 {name} 在存储中缺失（未导出）")
            continue
        with contextlib.closing(stream):
            part = writer.add_stream(name, stream, size=recorded["size"])
        written += 1
        if part.digests["sha256"] != sha256 or part.size != recorded["size"]:
            # Exported as found, so that the zip shows what the store holds; the verifier names it.
            problems.append(f"{what}文件 {name} 的存储内容与账本记录的摘要或大小不符（已按现状导出）")
    return written


@contextlib.contextmanager
def _destination_open(destination: str | os.PathLike | BinaryIO) -> Iterator[tuple[BinaryIO, str | None]]:
    if hasattr(destination, "write"):
        yield destination, None
        return
    final = Path(destination)
    # A temporary file beside the target, renamed once complete: a failed export never leaves a
    # half-written zip under the requested name. mkstemp's mode 0600 stays: a case file holds
    # personal data.
    fd, temporary = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w+b") as out:
            yield out, str(final)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _b64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode()

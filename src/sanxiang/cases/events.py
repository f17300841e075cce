"""The events of cases.

- The typed events that the apps above subscribe to (`CASE_EVENTS`): `cases` never imports them,
  it emits an event and they react (DESIGN.md, "Shape").
- Typed factories for the ledger events of cases: one per kind of change, built from the rows and
values of the change, appended by the services in the same transaction.

Free text of a step (what a party said, an address, a name) is kept in the case row and
recorded here by its SHA-256 digest, as the registry and evidence events do: the ledger is kept
for ever and travels in case-file exports, and the digest proves what was entered without
disclosing it. Dates, amounts, choices and flags are recorded as entered."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.evidence.models import StoredFile
from sanxiang.hooks import EventBus
from sanxiang.ledger.canonical import utc_iso
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.procedure.back_entry import BackEntry
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot
from sanxiang.procedure.steps import Field

# --- events the apps above subscribe to ------------------------------------------------------------

CASE_EVENTS = EventBus("cases")


@dataclass(frozen=True)
class CaseDecided:
    """The case's decision was made (决定, or 当场处罚决定), in the transaction that is recording it.

    Publication subscribes inside that transaction: the decision's draft publication (事后公开) is
    created with it or not at all."""

    case: Case
    snapshot: PenaltyCaseSnapshot
    on: dt.date
    actor: User | None


@dataclass(frozen=True)
class CompulsoryDecided:
    """A compulsory decision was made or changed (行政强制: a measure taken, extended or ended; an
    execution or 代履行 decision), in the transaction that is recording it. `action` is the
    step's name; `snapshot` is the procedure's (`procedure.catalog`: the case's `procedure`).
    Publication subscribes (事后公开 of compulsory decisions)."""

    case: Case
    procedure: str
    action: str
    snapshot: Any
    on: dt.date
    actor: User | None
    # The day the step was recorded: `on` unless the step was back-entered (补录, then today). What
    # the portal does in reaction (a publication withdrawn, its conclusion corrected) happens that
    # day, not on the day the decision was made.
    recorded_on: dt.date | None = None


@dataclass(frozen=True)
class CompulsoryDecidedBatch:
    """Many decisions recorded at once (licence decisions made in another system and imported:
    `cases.permit_import`), in the transaction that is recording them: each is the
    `CompulsoryDecided` a native step would have emitted, in order. Their cases were written in
    bulk, so no save signal followed them: a subscriber that keeps something per saved case does it
    here, for all of them at once. Publication subscribes (its drafts in one bulk insert)."""

    decisions: tuple[CompulsoryDecided, ...]


# --- ledger events ---------------------------------------------------------------------------------


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else ""


def _clear(value: Any) -> Any:
    """A form value as canonical JSON allows it (no floats, no dates)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | frozenset | set):
        return [_clear(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def form_value_stored(value: Any) -> Any:
    """A parsed form value as the case row keeps it (JSON: dates in ISO form, money as text)."""
    return _clear(value)


def step_data_recorded(fields: tuple[Field, ...], data: dict[str, Any]) -> dict[str, Any]:
    """The step's form data as the ledger keeps it: clear where harmless, digested where personal."""
    recorded: dict[str, Any] = {}
    for f in fields:
        value = data.get(f.name)
        if value in (None, "", [], ()):
            continue
        if f.recorded_in_clear:
            recorded[f.name] = _clear(value)
        else:
            text = "\n".join(value) if isinstance(value, list | tuple) else str(value)
            recorded[f"{f.name}_sha256"] = _fingerprint(text)
    return recorded


def _back_entry_recorded(back_entry: BackEntry) -> dict[str, str]:
    """A back-entry (补录) as the ledger keeps it: the day it happened and why it is entered late,
    in clear (supervisors read it); the entry's own time is when it was entered."""
    return {"occurred_on": back_entry.occurred_on.isoformat(), "reason": back_entry.reason}


def case_opened_event(*, case: Case, back_entry: BackEntry | None = None) -> LedgerEvent:
    payload: dict[str, Any] = {
        # What registration set: the facts it starts with (the day the act was found, a
        # measure's kind, the decision an execution enforces: structured values), and the
        # case it belongs to.
        "facts": case.facts,
        "parent": case.parent_id,
        "number": case.number,
        # 案由 is free text and may name the party: recorded by its digest (issue 10, item 9).
        "title_sha256": _fingerprint(case.title),
        "matter": case.matter_id,
        "procedure": case.procedure,
        "state": case.state,
        "party": case.party_id,
        "officers": sorted(case.officers.values_list("pk", flat=True)) if case.pk else [],
        "enforcement_field": case.enforcement_field,
        "act_date": case.act_date.isoformat() if case.act_date else None,
    }
    if back_entry is not None:
        payload["back_entry"] = _back_entry_recorded(back_entry)
    return LedgerEvent(
        EventKind.CASE_OPENED,
        payload,
        agency_id=case.agency_id,
        case_id=case.pk,
        subject=f"case:{case.pk}",
    )


def step_done_event(
    *,
    case: Case,
    action: str,
    label: str,
    data: dict[str, Any],
    state_from: str,
    state_to: str,
    on: dt.date,
    documents: list[IssuedDocument],
    major_criteria: list[str] | None = None,
    device_time: dt.datetime | None = None,
    evidence: list | None = None,
    back_entry: BackEntry | None = None,
) -> LedgerEvent:
    payload: dict[str, Any] = {
        "action": action,
        "label": label,
        "data": data,
        "state_from": state_from,
        "state_to": state_to,
        "on": on.isoformat(),
        "documents": [{"id": d.pk, "kind": d.kind, "number": d.number} for d in documents],
    }
    if major_criteria is not None:
        # The engine's answer to "is this a major decision" changed with this step (重大执法决定).
        payload["major_criteria"] = major_criteria
    if device_time is not None:
        # When the officer's device says the record was written (it may have been sent later,
        # when the connection returned); the entry's own time is the server's.
        payload["device_time"] = utc_iso(device_time)
    if back_entry is not None:
        # 补录: `on` is the day the step happened (the engine judged it at that day); the entry's
        # own time is when it was entered.
        payload["back_entry"] = _back_entry_recorded(back_entry)
    if evidence:
        # The files captured inside this record (photos, video, drawn signatures), by digest.
        payload["evidence"] = [{"record": r.pk, "kind": r.kind, "sha256": r.stored_file.sha256} for r in evidence]
    return LedgerEvent(
        EventKind.STEP_DONE,
        payload,
        agency_id=case.agency_id,
        case_id=case.pk,
        # The action is part of the subject so that one step's history is one indexed query
        # (e.g. whether a reviewer has given a legal-review opinion before).
        subject=f"case:{case.pk}:{action}",
    )


def document_issued_event(*, document: IssuedDocument, pdf: StoredFile | None, docx: StoredFile | None,
                          context_sha256: str = "") -> LedgerEvent:
    """The document as issued, with its files' digests. Without `docx`, the Word copy follows
    (procedure.document_timing): its own entry (`document_copy_event`) records it when rendered.
    Without `pdf` (an internal document, whose files both follow), the entry records the digest of
    the context they will be rendered from (`context_sha256`), which fixes their content, and
    `document_rendered_event` records the files."""
    payload: dict[str, Any] = {
        "document": document.pk,
        "kind": document.kind,
        "title": document.title,
        "number": document.number,
        "record_kind": document.record_kind,
        "action": document.action,
        "issued_on": document.issued_on.isoformat(),
    }
    files = []
    if pdf is None:
        payload["pdf_follows"] = True
        payload["context_sha256"] = context_sha256
    else:
        payload["pdf_sha256"] = pdf.sha256
        files.append(FileDigest(sha256=pdf.sha256, size=pdf.size, sm3=pdf.sm3 or None))
    if docx is not None:
        payload["docx_sha256"] = docx.sha256
        files.append(FileDigest(sha256=docx.sha256, size=docx.size, sm3=docx.sm3 or None))
    else:
        payload["docx_follows"] = True
    return LedgerEvent(
        EventKind.DOCUMENT_ISSUED,
        payload,
        agency_id=document.agency_id,
        case_id=document.case_id,
        subject=f"document:{document.pk}",
        files=tuple(files),
    )


def document_copy_event(*, document: IssuedDocument, docx: StoredFile) -> LedgerEvent:
    """The Word copy of an issued document, rendered after its step from the same context: an entry
    of the document's kind (so that a case file's documents/ folder is backed by it as by the
    document's own), marked as the copy, with the digest of the PDF it copies."""
    return LedgerEvent(
        EventKind.DOCUMENT_ISSUED,
        {
            "document": document.pk,
            "copy_of": document.ledger_seq,
            "copy": "docx",
            "kind": document.kind,
            "title": document.title,
            "number": document.number,
            "issued_on": document.issued_on.isoformat(),
            "pdf_sha256": document.pdf.stored_file.sha256,
            "docx_sha256": docx.sha256,
        },
        agency_id=document.agency_id,
        case_id=document.case_id,
        subject=f"document:{document.pk}",
        files=(FileDigest(sha256=docx.sha256, size=docx.size, sm3=docx.sm3 or None),),
    )


def document_rendered_event(*, document: IssuedDocument, pdf: StoredFile, docx: StoredFile,
                            context_sha256: str) -> LedgerEvent:
    """The PDF and the Word copy of an internal document, rendered after its step from the context
    whose digest the document's own entry recorded: an entry of the document's kind (so that a
    case file's documents/ folder is backed by it), with both files' digests."""
    return LedgerEvent(
        EventKind.DOCUMENT_ISSUED,
        {
            "document": document.pk,
            "copy_of": document.ledger_seq,
            "copy": "pdf+docx",
            "kind": document.kind,
            "title": document.title,
            "number": document.number,
            "issued_on": document.issued_on.isoformat(),
            "context_sha256": context_sha256,
            "pdf_sha256": pdf.sha256,
            "docx_sha256": docx.sha256,
        },
        agency_id=document.agency_id,
        case_id=document.case_id,
        subject=f"document:{document.pk}",
        files=(FileDigest(sha256=pdf.sha256, size=pdf.size, sm3=pdf.sm3 or None),
               FileDigest(sha256=docx.sha256, size=docx.size, sm3=docx.sm3 or None)),
    )


def document_pdf_rendered_event(*, document: IssuedDocument, pdf: StoredFile, context_sha256: str) -> LedgerEvent:
    """The PDF of an internal document rendered by a later step that serves a document or decides
    (its job had not run yet), from the context whose digest the document's own entry recorded; its
    Word copy follows with the job (`document_copy_event`)."""
    return LedgerEvent(
        EventKind.DOCUMENT_ISSUED,
        {
            "document": document.pk,
            "copy_of": document.ledger_seq,
            "copy": "pdf",
            "kind": document.kind,
            "title": document.title,
            "number": document.number,
            "issued_on": document.issued_on.isoformat(),
            "context_sha256": context_sha256,
            "pdf_sha256": pdf.sha256,
        },
        agency_id=document.agency_id,
        case_id=document.case_id,
        subject=f"document:{document.pk}",
        files=(FileDigest(sha256=pdf.sha256, size=pdf.size, sm3=pdf.sm3 or None),),
    )

"""Writes of 制度文件 (issue 15, item 5): an agency's head or administrator submits a document of a
kind on the plan's checklist with its file, the supervisors of the county's 司法局 accept it or
return it with a reason, the agency resubmits a corrected file (or later a revision of an accepted
one). Each step is a row of the history and a ledger entry in one transaction; the file goes
through the evidence store (content-addressed, hashed, its own ledger entry). An accepted public
document reaches the portal through the public read model (`SystemDocumentPublished`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, BinaryIO

from django.db import transaction

from sanxiang.accounts.models import Role, User
from sanxiang.evaluation.models import SystemDocument, SystemDocumentStep
from sanxiang.evidence.models import EvidenceKind, EvidenceRecord
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check
from sanxiang.evidence.sniffing import DOCX, SNIFF_BYTES, XLSX, content_type_sniff, type_label
from sanxiang.inputs import PLATFORM_RULE, text_problem
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.documents import (
    ACTIONS,
    AGENCY,
    BUREAU,
    DOCUMENT_KIND_LABELS,
    INPUT_BASIS,
    DocumentAction,
    DocumentKind,
    DocumentState,
    document_action_violations,
    document_kinds_required,
    document_submit_violations,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import SystemDocumentPublished, system_document_published_emit
from sanxiang.supervision.filing_selectors import bureau_of_agency, user_is_bureau_supervisor

# Who speaks for the agency: its head or its administrator.
SUBMITTING_ROLES = (Role.AGENCY_HEAD, Role.AGENCY_ADMIN)
# Formats any reviewer (and, once public, any visitor) can open; judged from the bytes, never the name.
ACCEPTED_TYPES = frozenset({"application/pdf", DOCX, XLSX, "image/jpeg", "image/png"})
# The step the evidence list shows beside the file (as people read it: the list prints a step as stored).
EVIDENCE_STEP = "制度文件报送"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def agency_side(user: User) -> bool:
    """Whether the user may submit for their agency (its head or administrator)."""
    return (user.is_authenticated and user.role in SUBMITTING_ROLES and user.agency_id is not None
            and not user.agency.is_judicial_bureau)


def document_side(*, document: SystemDocument, user: User) -> str | None:
    """Which side the user acts for on `document`: the receiving bureau's supervisor or its agency."""
    if user_is_bureau_supervisor(user) and user.agency_id == document.bureau_id:
        return BUREAU
    if user.is_authenticated and user.role in SUBMITTING_ROLES and user.agency_id == document.agency_id:
        return AGENCY
    return None


def _file_violations(upload: BinaryIO | None) -> list[Violation]:
    if upload is None:
        return []
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head:
        return [Violation("evaluation.document.file_empty", "上传的文件是空的，请重新选择", INPUT_BASIS, "upload")]
    content_type = content_type_sniff(head)
    if content_type not in ACCEPTED_TYPES:
        return [Violation(
            "evaluation.document.file_type",
            f"文件内容是{type_label(content_type)}，不能作为制度文件报送。请上传 PDF、Word（DOCX）、Excel（XLSX）"
            "文件或图片（JPEG、PNG）；系统按文件内容识别格式，不看扩展名",
            INPUT_BASIS, "upload",
        )]
    return []


def _file_store(*, actor: User, upload: BinaryIO, fallback_name: str) -> EvidenceRecord:
    """The file into the evidence store (size limit and SM3 by the store; Refused on the field)."""
    name = getattr(upload, "name", "") or fallback_name
    meta = evidence_metadata_check(actor=actor, kind=EvidenceKind.DOCUMENT, original_name=name, step=EVIDENCE_STEP)
    try:
        return evidence_ingest(actor=actor, source=upload, meta=meta)
    except Refused as refusal:
        raise Refused([Violation(v.code, v.message, v.legal_basis, "upload") for v in refusal.violations]) from refusal


def _event(*, document: SystemDocument, kind: EventKind, payload: dict[str, Any],
           record: EvidenceRecord | None = None) -> LedgerEvent:
    files = ()
    if record is not None:
        stored = record.stored_file
        files = (FileDigest(stored.sha256, stored.size, stored.sm3 or None),)
    return LedgerEvent(
        kind,
        {"document": document.pk, "state": document.state, "version": document.version, **payload},
        agency_id=document.agency_id, subject=f"system_document:{document.pk}", files=files,
    )


@transaction.atomic
def system_document_submit(
    *, actor: User, kind: str, title: str, public: bool, upload: BinaryIO | None, on: dt.date
) -> SystemDocument:
    """An agency sends a new document of a kind on the checklist to its county's 司法局. Raises
    Refused with every reason (side, kind, title, file, type, size) before anything is stored."""
    side = AGENCY if agency_side(actor) else None
    region = actor.agency.region_code if actor.agency_id else ""
    violations = document_submit_violations(
        side=side, kind=kind, title=title, has_file=upload is not None,
        kinds_required=[k.value for k in document_kinds_required(on=on, region=region)],
    )
    violations += _file_violations(upload)
    problem = text_problem((title or "").strip())
    if problem:
        violations.append(Violation("evaluation.document.title_text", f"标题{problem}", PLATFORM_RULE, "title"))
    bureau = bureau_of_agency(agency=actor.agency) if side == AGENCY else None
    if side == AGENCY and bureau is None:
        violations.append(Violation("evaluation.document.no_bureau", "本县尚未登记司法局，无法报送制度文件",
                                    "平台规则：制度文件报送本县司法局"))
    if violations:
        raise Refused(violations)
    assert upload is not None and bureau is not None
    title = title.strip()
    record = _file_store(actor=actor, upload=upload, fallback_name=title)
    document = SystemDocument.objects.create(
        agency=actor.agency, bureau=bureau, kind=kind, title=title, public=bool(public), file=record,
        submitted_on=on, updated_on=on,
    )
    SystemDocumentStep.objects.create(document=document, action=DocumentAction.SUBMIT, on=on, actor=actor,
                                      file=record, version=1, state_to=document.state)
    entry_append(event=_event(document=document, kind=EventKind.EVALUATION_DOCUMENT_SUBMITTED, record=record,
                              payload={"action": DocumentAction.SUBMIT.value, "bureau": bureau.pk, "kind": kind,
                                       "title": title, "public": document.public, "on": on.isoformat(),
                                       "filename": record.original_name}),
                 actor=actor)
    return document


@transaction.atomic
def system_document_resubmit(
    *, actor: User, document: SystemDocument, upload: BinaryIO | None, on: dt.date
) -> SystemDocument:
    """The agency sends a corrected file after a return, or a revision of an accepted document (the
    accepted version stays public until the revision is accepted)."""
    document = SystemDocument.objects.select_for_update().get(pk=document.pk)
    side = document_side(document=document, user=actor)
    violations = document_action_violations(state=document.state, action=DocumentAction.RESUBMIT, side=side,
                                            has_file=upload is not None)
    violations += _file_violations(upload)
    if violations:
        raise Refused(violations)
    assert upload is not None
    record = _file_store(actor=actor, upload=upload, fallback_name=document.title)
    document.state = ACTIONS[DocumentAction.RESUBMIT].to
    document.file = record
    document.version += 1
    document.submitted_on = on
    document.updated_on = on
    document.save(update_fields=["state", "file", "version", "submitted_on", "updated_on"])
    SystemDocumentStep.objects.create(document=document, action=DocumentAction.RESUBMIT, on=on, actor=actor,
                                      file=record, version=document.version, state_to=document.state)
    entry_append(event=_event(document=document, kind=EventKind.EVALUATION_DOCUMENT_SUBMITTED, record=record,
                              payload={"action": DocumentAction.RESUBMIT.value, "on": on.isoformat(),
                                       "filename": record.original_name}),
                 actor=actor)
    return document


@transaction.atomic
def system_document_review(
    *, actor: User, document: SystemDocument, action: str, reason: str = "", on: dt.date
) -> SystemDocument:
    """A supervisor of the receiving bureau accepts the document or returns it with a reason. An
    accepted public document is published (the public row is written in this transaction)."""
    document = SystemDocument.objects.select_for_update().select_related("bureau", "file__stored_file").get(
        pk=document.pk)
    side = document_side(document=document, user=actor)
    if action not in (DocumentAction.ACCEPT, DocumentAction.RETURN):
        raise Refused([Violation("evaluation.document.action", "没有这项操作", INPUT_BASIS)])
    violations = document_action_violations(state=document.state, action=action, side=side, reason=reason)
    problem = text_problem((reason or "").strip(), multiline=True)
    if problem:
        violations.append(Violation("evaluation.document.reason_text", f"退回理由{problem}", PLATFORM_RULE, "reason"))
    if violations:
        raise Refused(violations)
    reason = (reason or "").strip()
    document.state = ACTIONS[DocumentAction(action)].to
    document.decided_on = on
    document.updated_on = on
    document.return_reason = reason if action == DocumentAction.RETURN else ""
    document.save(update_fields=["state", "decided_on", "updated_on", "return_reason"])
    SystemDocumentStep.objects.create(document=document, action=action, on=on, actor=actor, reason=reason,
                                      version=document.version, state_to=document.state)
    published = action == DocumentAction.ACCEPT and document.public
    entry_append(event=_event(document=document, kind=EventKind.EVALUATION_DOCUMENT_REVIEWED,
                              payload={"action": action, "on": on.isoformat(), "reason_sha256": _digest(reason),
                                       "published": published}),
                 actor=actor)
    if published:
        stored = document.file.stored_file
        system_document_published_emit(SystemDocumentPublished(
            document_id=document.pk, agency_id=document.agency_id,
            kind_label=DOCUMENT_KIND_LABELS[DocumentKind(document.kind)], title=document.title,
            filename=document.file.original_name, content_type=stored.content_type, sha256=stored.sha256,
            size=stored.size, version=document.version, accepted_on=on, bureau_name=document.bureau.name,
        ))
    return document


__all__ = ["ACCEPTED_TYPES", "DocumentState", "agency_side", "document_side", "system_document_resubmit",
           "system_document_review", "system_document_submit"]

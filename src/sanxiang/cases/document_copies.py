"""The Word copy of an issued document, rendered after its step (procedure.document_timing).

`document_issue` renders and stores the PDF in the step's transaction and, unless the deployment
keeps copies in the step (`SANXIANG_DOCUMENT_COPIES = "in_step"`), enqueues a job with the very
context the PDF was rendered from. The job (`document_copy_render`, run by a server's runner or
`sanxiang jobs`) renders the DOCX from it — the bytes the step would have rendered —, stores it in
the evidence store, links it to the document and appends its ledger entry, in one transaction.
Until then the document offers no Word download and the case page says 生成中; a case-file export
renders what is missing first (`case_document_copies_complete`).

An internal document (procedure.document_timing.DOCUMENT_KINDS_INTERNAL) has neither file after its
step: its entry records the digest of the context (`context_digest`), and the same job renders both
files from it (`document_rendered_event`). A later step that serves a document or decides renders
the PDF first if the job has not run (`case_document_files_complete`, `document_pdf_rendered_event`);
the Word copy then follows alone.
"""

from __future__ import annotations

import hashlib
import io
import json

from django.conf import settings
from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.cases import events
from sanxiang.cases.facts import facts_dump, facts_load
from sanxiang.cases.models import IMPORTED_DOCUMENT_ACTION, Case, IssuedDocument
from sanxiang.documents import DocumentContext, document_render, document_render_docx
from sanxiang.jobs.models import Job
from sanxiang.jobs.services import job_enqueue, job_run_now
from sanxiang.ledger.services import entry_append, ledger_batch
from sanxiang.procedure.document_timing import document_format_may_follow, document_pdf_may_follow

DOCUMENT_COPY_JOB = "cases.document_copy"


def document_copies_follow() -> bool:
    """Whether this deployment renders Word copies after the step (the default) or in it."""
    return settings.SANXIANG_DOCUMENT_COPIES != "in_step" and document_format_may_follow("docx")


def document_files_follow(kind: str) -> bool:
    """Whether both files of a document of `kind` follow its step (an internal document)."""
    return document_pdf_may_follow(kind)


def context_digest(dumped: dict) -> str:
    """SHA-256 of a document's context as its job keeps it (sorted JSON): what the step's entry
    records of a document whose files follow, and the job's entry repeats."""
    text = json.dumps(dumped, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_copy_key(document_id: int) -> str:
    return f"document_copy:{document_id}"


def document_copy_enqueue(*, document: IssuedDocument, context: DocumentContext, actor: User) -> Job:
    """In the issuing step's transaction: the job that will render the document's Word copy."""
    return job_enqueue(
        kind=DOCUMENT_COPY_JOB,
        key=document_copy_key(document.pk),
        payload={"document": document.pk, "kind": document.kind, "actor": actor.pk, "context": facts_dump(context)},
        case_id=document.case_id,
    )


def document_copy_render(job: Job) -> None:
    """The job: render, store, link and enter the Word copy, unless it is there already (done by an
    export). The document's row is locked first, so two runs of one copy queue and the second
    finds it done."""
    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    document = (
        IssuedDocument.objects.select_for_update(of=("self",)).select_related("pdf__stored_file")
        .get(pk=job.payload["document"])
    )
    if document.docx_id is not None:
        return
    context = facts_load(DocumentContext, job.payload["context"])
    # With what the evidence's metadata check reads of the actor.
    actor = User.objects.select_related("officer", "agency").get(pk=job.payload["actor"])
    # The file's entry and the document's, appended together at the end (one lock and one update
    # of the ledger's head, not one for each), in the order they were made, as a step's are.
    with ledger_batch():
        if document.pdf_id is None:
            _document_files_render(document=document, context=context, actor=actor, dumped=job.payload["context"])
            return
        content = document_render_docx(kind=document.kind, context=context)
        meta = evidence_metadata_check(actor=actor, kind="document", original_name=f"{document.filename_stem}.docx",
                                       step=f"document:{document.kind}")
        docx = evidence_ingest(actor=actor, source=io.BytesIO(content), meta=meta)
        document.docx = docx
        IssuedDocument.objects.filter(pk=document.pk).update(docx=docx)
        entry_append(event=events.document_copy_event(document=document, docx=docx.stored_file), actor=actor)


def _document_files_render(*, document: IssuedDocument, context: DocumentContext, actor: User, dumped: dict) -> None:
    """Both files of an internal document, from the context its step fixed: stored, linked and
    entered in the ledger with the context's digest the step's entry recorded."""
    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    rendered = document_render(kind=document.kind, context=context)
    stored = []
    for suffix, content in (("pdf", rendered.pdf), ("docx", rendered.docx)):
        meta = evidence_metadata_check(actor=actor, kind="document", original_name=f"{document.filename_stem}.{suffix}",
                                       step=f"document:{document.kind}")
        stored.append(evidence_ingest(actor=actor, source=io.BytesIO(content), meta=meta))
    document.pdf, document.docx = stored
    IssuedDocument.objects.filter(pk=document.pk).update(pdf=stored[0], docx=stored[1])
    entry_append(event=events.document_rendered_event(document=document, pdf=stored[0].stored_file,
                                                      docx=stored[1].stored_file,
                                                      context_sha256=context_digest(dumped)), actor=actor)


def case_document_files_complete(*, case: Case) -> int:
    """Before a step that serves a document or decides (procedure.document_timing): render now the PDF
    of every internal document of the case still to follow, in the caller's transaction (the Word
    copy stays with the job, which then renders it alone). One query when there is none."""
    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    # Locked as the job locks them, in pk order: a runner rendering one now is waited for, and then
    # it is there (PostgreSQL reads the row again after the wait: it no longer matches).
    documents = list(IssuedDocument.objects.select_for_update(of=("self",)).filter(case=case, pdf__isnull=True)
                     .order_by("pk"))
    if not documents:
        return 0
    jobs: dict[str, Job] = {}
    for job in Job.objects.filter(key__in=[document_copy_key(d.pk) for d in documents]).order_by("pk"):
        jobs.setdefault(job.key, job)
    actors: dict[int, User] = {}
    rendered = 0
    for document in documents:
        if document.pdf_id is not None:
            continue
        job = jobs.get(document_copy_key(document.pk))
        if job is None:
            raise LookupError(f"document {document.pk} has no PDF and no job to render it")
        dumped = job.payload["context"]
        if job.payload["actor"] not in actors:
            # With what the evidence's metadata check reads of the actor.
            actors[job.payload["actor"]] = User.objects.select_related("officer", "agency").get(pk=job.payload["actor"])
        actor = actors[job.payload["actor"]]
        content = document_render(kind=document.kind, context=facts_load(DocumentContext, dumped), docx=False).pdf
        meta = evidence_metadata_check(actor=actor, kind="document", original_name=f"{document.filename_stem}.pdf",
                                       step=f"document:{document.kind}")
        pdf = evidence_ingest(actor=actor, source=io.BytesIO(content), meta=meta)
        document.pdf = pdf
        IssuedDocument.objects.filter(pk=document.pk).update(pdf=pdf)
        entry_append(event=events.document_pdf_rendered_event(document=document, pdf=pdf.stored_file,
                                                              context_sha256=context_digest(dumped)), actor=actor)
        rendered += 1
    return rendered


def case_document_copies_complete(*, case: Case) -> int:
    """Render now every Word copy of the case still to follow (waiting for a runner that is rendering
    one): for what must hold every document (a case-file export). Returns how many were rendered."""
    # A document imported from another system (cases.permit_import) has no copy to render.
    missing = list(IssuedDocument.objects.filter(case=case, docx__isnull=True).exclude(action=IMPORTED_DOCUMENT_ACTION)
                   .order_by("pk").values_list("pk", flat=True))
    rendered = 0
    for document_id in missing:
        with transaction.atomic():
            job = job_run_now(key=document_copy_key(document_id))
            if job is None:
                raise LookupError(f"document {document_id} has no Word copy and no job to render it")
        rendered += 1
    return rendered


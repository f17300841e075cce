"""The PDF of an internal document follows its step (procedure.document_timing, a platform rule):
an approval form or the investigator's report is never served to the party nor signed by it, so the
step fixes its content (the step's entry records the digest of the context) and the job renders its
PDF and Word copy from that very context, links them and enters their digests in the ledger. Until
then the case page and both downloads say 生成中 (no file, no error); a step that serves a document
to the party or decides first renders every PDF still to follow, in its own transaction; a case-file
export renders them too. Documents served to the party, or read and signed by it, stay in the step."""

import json

import pytest
from django.urls import reverse

from sanxiang.casefile.services import case_file_export
from sanxiang.cases.document_copies import context_digest, document_copy_key
from sanxiang.cases.models import IssuedDocument
from sanxiang.documents import ALL_DOCUMENT_KINDS, DocumentContext, document_render
from sanxiang.evidence.storage import blob_store_get
from sanxiang.jobs.models import Job, JobState
from sanxiang.jobs.services import jobs_run_due
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.document_timing import (
    DOCUMENT_INTERNAL_RULE,
    DOCUMENT_KINDS_INTERNAL,
    document_pdf_may_follow,
    document_served_to_party,
    documents_complete_before_step,
)
from sanxiang.procedure.violations import Violation
from sanxiang_verify.verify import case_file_verify
from tests.cases import support as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    settings.SANXIANG_DOCUMENT_COPIES = "background"


def _entries(document: IssuedDocument) -> list[dict]:
    return [json.loads(bytes(e.body)) for e in Entry.objects.filter(
        kind=EventKind.DOCUMENT_ISSUED, subject=f"document:{document.pk}").order_by("seq")]


def _opened(w):
    case = s.perform(s.lead_make(w), "approve_opening", s.OPENED, w.head, approval="agree", opinion="同意立案")
    return s.perform(case, "open", s.OPENED, w.officer, **s.OPEN)


def test_only_internal_documents_may_follow_and_it_is_a_platform_rule():
    assert not Violation("x", "x", DOCUMENT_INTERNAL_RULE).is_law
    assert DOCUMENT_KINDS_INTERNAL <= set(ALL_DOCUMENT_KINDS)
    # Every document issued to the party under a 文号, the 送达回证, and the records and lists the
    # party reads and signs are rendered in the step.
    for key, kind in ALL_DOCUMENT_KINDS.items():
        if kind.numbered or key in ("service_receipt", "inquiry_record", "inspection_record", "on_site_record",
                                    "inventory", "hearing_transcript"):
            assert not document_pdf_may_follow(key), key
    assert document_pdf_may_follow("opening_approval") and document_pdf_may_follow("investigation_report")
    # What is served to the party: every numbered document and the 送达回证; not a record.
    served = {k for k, v in ALL_DOCUMENT_KINDS.items() if document_served_to_party(k, numbered=v.numbered)}
    assert {"advance_notice", "decision_document", "service_receipt"} <= served
    assert not served & (DOCUMENT_KINDS_INTERNAL | {"inquiry_record", "on_site_record"})
    # A step that serves a document or decides renders the pending PDFs first; another does not wait.
    assert documents_complete_before_step(serves=True, decides=False)
    assert documents_complete_before_step(serves=False, decides=True)
    assert not documents_complete_before_step(serves=False, decides=False)


def test_an_internal_documents_files_follow_its_step_from_the_context_it_fixed(background):
    w = s.world_make()
    case = _opened(w)
    document = IssuedDocument.objects.get(case=case)
    assert document.kind == "opening_approval" and document.title == "立案审批表"
    assert document.pdf_id is None and document.docx_id is None
    assert document.filename_stem.startswith("立案审批表")
    job = Job.objects.get(key=document_copy_key(document.pk))
    assert job.state == JobState.PENDING
    (issued,) = _entries(document)
    # The step's entry fixes the content: the digest of the context the job keeps, no file yet.
    assert issued["payload"]["pdf_follows"] is True and issued["payload"]["docx_follows"] is True
    assert issued["payload"]["context_sha256"] == context_digest(job.payload["context"])
    assert "pdf_sha256" not in issued["payload"] and issued["files"] == []
    assert document.ledger_seq is not None

    # Nothing is served before it exists: 生成中 on the page, 409 and a Chinese page on both downloads.
    client = s.csrf_client(w.officer)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "PDF和Word文本生成中" in page
    assert reverse("cases:document_pdf", args=[document.pk]) not in page
    for name in ("cases:document_pdf", "cases:document_docx"):
        pending = client.get(reverse(name, args=[document.pk]))
        assert pending.status_code == 409 and "正在后台生成" in pending.content.decode()
    assert ledger_verify().ok

    assert jobs_run_due().done == 1
    document.refresh_from_db()
    assert document.pdf_id is not None and document.docx_id is not None
    issued, rendered = _entries(document)
    assert rendered["payload"]["copy"] == "pdf+docx" and rendered["payload"]["copy_of"] == document.ledger_seq
    assert rendered["payload"]["context_sha256"] == issued["payload"]["context_sha256"]
    assert [f["sha256"] for f in rendered["files"]] == [document.pdf.stored_file.sha256,
                                                        document.docx.stored_file.sha256]
    # The bytes are those the step would have rendered from the same context.
    from sanxiang.cases.facts import facts_load

    expected = document_render(kind=document.kind, context=facts_load(DocumentContext, job.payload["context"]))
    with blob_store_get().open(document.pdf.stored_file.sha256) as blob:
        assert blob.read() == expected.pdf
    assert ledger_verify().ok
    download = client.get(reverse("cases:document_pdf", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith(".pdf")
    assert jobs_run_due().done == 0


def test_a_step_that_serves_a_document_renders_the_pending_pdfs_first(background):
    w = s.world_make()
    case = _opened(w)
    case = s.perform(case, "investigate", s.D(2026, 3, 9), w.officer)
    case = s.perform(case, "record_inquiry", s.D(2026, 3, 10), w.officer, **s.inquiry(w, s.D(2026, 3, 10)))
    inquiry = IssuedDocument.objects.get(case=case, kind="inquiry_record")
    assert inquiry.pdf_id is not None  # read and signed by the interviewee: in the step
    case = s.perform(case, "end_investigation", s.D(2026, 3, 16), w.officer, **s.end_investigation_data())
    assert set(IssuedDocument.objects.filter(case=case, pdf__isnull=True).values_list("kind", flat=True)) == {
        "opening_approval", "investigation_report"}
    # 事先告知 serves the notice: the approval form's and the report's PDFs exist before it commits;
    # their Word copies stay with the job.
    case = s.perform(case, "notify", s.NOTICE_SERVED, w.officer, **s.notice_data(s.NOTICE_SERVED))
    assert not IssuedDocument.objects.filter(case=case, pdf__isnull=True).exists()
    report = IssuedDocument.objects.get(case=case, kind="investigation_report")
    assert report.docx_id is None
    issued, pdf = _entries(report)
    assert pdf["payload"]["copy"] == "pdf" and pdf["payload"]["copy_of"] == report.ledger_seq
    assert pdf["payload"]["context_sha256"] == issued["payload"]["context_sha256"]
    assert [f["sha256"] for f in pdf["files"]] == [report.pdf.stored_file.sha256]
    assert ledger_verify().ok
    jobs_run_due()
    report.refresh_from_db()
    assert report.docx_id is not None
    assert [e["payload"].get("copy") for e in _entries(report)] == [None, "pdf", "docx"]
    assert ledger_verify().ok


def test_the_case_file_export_renders_the_pending_pdfs_first_and_verifies(background, tmp_path):
    w = s.world_make()
    case = _opened(w)
    path = tmp_path / "case.zip"
    summary = case_file_export(case=case, destination=path)
    assert summary.complete, summary.problems
    document = IssuedDocument.objects.get(case=case)
    assert document.pdf_id is not None and document.docx_id is not None
    report = case_file_verify(str(path), vkeys=[summary.vkey])
    assert report.ok, [f.text() for f in report.findings]


def test_a_document_whose_files_could_not_follow_is_refused_in_its_step():
    """What the PDF writer would refuse (a character the embedded font cannot print, a missing
    item) is checked in the step, so that no document is issued whose files could never be rendered."""
    import dataclasses

    from sanxiang.documents import CharactersUnprintable, DocumentIncomplete, document_names
    from tests.documents import samples

    context = samples.disputed_discussion_context()
    assert document_names(kind="opening_approval", context=context)[0] == "立案审批表"
    bad = dataclasses.replace(context, agency=dataclasses.replace(context.agency, name=context.agency.name + "\U0001F600"))
    with pytest.raises(CharactersUnprintable):
        document_names(kind="opening_approval", context=bad)
    with pytest.raises(DocumentIncomplete):
        document_names(kind="opening_approval", context=dataclasses.replace(
            context, agency=dataclasses.replace(context.agency, name="")))

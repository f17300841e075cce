"""A document's Word copy follows its step (procedure.document_timing, a platform rule): the PDF, the
text served to the party and read by every later step, is rendered, numbered and entered in the
ledger in the step's transaction; the DOCX is rendered afterwards by a job from the same context,
to the same bytes, linked to the document and entered in the ledger. Nothing is served before it
exists, a job is done once even with two runners, a failure is retried and shown, and a case-file
export renders what is missing first."""

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from sanxiang.casefile.services import case_file_export
from sanxiang.cases import document_copies
from sanxiang.cases.document_copies import DOCUMENT_COPY_JOB, document_copy_key
from sanxiang.cases.facts import facts_dump, facts_load
from sanxiang.cases.models import IssuedDocument
from sanxiang.documents import ALL_DOCUMENT_KINDS, DocumentContext, document_problems, document_render
from sanxiang.evidence.storage import blob_store_get
from sanxiang.jobs.models import Job, JobState
from sanxiang.jobs.services import JOB_ATTEMPTS_MAX, job_run_now, jobs_run_due
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.document_timing import DOCUMENT_COPY_RULE, document_format_may_follow
from sanxiang.procedure.violations import Violation
from sanxiang_verify.verify import case_file_verify
from tests.cases.support import OPEN, OPENED, D, csrf_client, lead_make, perform, refusal, world_make
from tests.documents import coercion_samples, samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def word_copy_alone(monkeypatch):
    """These tests follow the Word copy alone, through the 立案审批表: an internal document, whose PDF
    follows its step too (tests/cases/test_document_files_follow.py), taken here as if its PDF were
    rendered in the step like every document served to the party."""
    monkeypatch.setattr(document_copies, "document_files_follow", lambda kind: False)


@pytest.fixture
def background(settings):
    settings.SANXIANG_DOCUMENT_COPIES = "background"


def _approved(w):
    """A lead approved by the head, then opened: 立案 issues the 立案审批表 (one document)."""
    case = perform(lead_make(w), "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    return perform(case, "open", OPENED, w.officer, **OPEN)


def _entries(document: IssuedDocument) -> list[dict]:
    return [json.loads(bytes(e.body)) for e in Entry.objects.filter(
        kind=EventKind.DOCUMENT_ISSUED, subject=f"document:{document.pk}").order_by("seq")]


def _later():
    return timezone.now() + timezone.timedelta(days=1)


def test_the_rule_lets_only_the_word_copy_follow_and_is_a_platform_rule():
    assert document_format_may_follow("docx") and not document_format_may_follow("pdf")
    assert not Violation("x", "x", DOCUMENT_COPY_RULE).is_law
    with pytest.raises(ValueError):
        document_format_may_follow("odt")


@pytest.mark.parametrize("make", [
    *(v for k, v in sorted(vars(samples).items()) if k.endswith("_context") and callable(v)),
    *(v for k, v in sorted(vars(coercion_samples).items()) if k.endswith("_context") and callable(v)),
])
def test_the_context_kept_with_the_job_renders_the_same_word_bytes(make):
    """The job renders from the context stored as JSON: the bytes are those the step would have made."""
    context = make()
    kept = facts_load(DocumentContext, json.loads(json.dumps(facts_dump(context))))
    assert kept == context
    kinds = [k for k in sorted(ALL_DOCUMENT_KINDS) if not document_problems(kind=k, context=context)]
    assert kinds
    for kind in kinds:
        assert document_copies.document_render_docx(kind=kind, context=kept) == document_render(
            kind=kind, context=context).docx


def test_the_step_issues_the_pdf_and_the_word_copy_follows_once(background, django_capture_on_commit_callbacks):
    w = world_make()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = _approved(w)
    assert callbacks  # the runners are woken once the step commits
    document = IssuedDocument.objects.get(case=case)
    # In the step: the PDF, its entry (one file, the copy announced), and the job.
    assert document.pdf_id is not None and document.docx_id is None
    (issued,) = _entries(document)
    assert issued["payload"]["docx_follows"] is True and "docx_sha256" not in issued["payload"]
    assert [f["sha256"] for f in issued["files"]] == [document.pdf.stored_file.sha256]
    job = Job.objects.get(key=document_copy_key(document.pk))
    assert (job.kind, job.state, job.case_id) == (DOCUMENT_COPY_JOB, JobState.PENDING, case.pk)

    # Nothing is served before it exists: the page says 生成中, the download answers 409 with no file.
    client = csrf_client(w.officer)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Word文本生成中" in page and reverse("cases:document_docx", args=[document.pk]) not in page
    pending = client.get(reverse("cases:document_docx", args=[document.pk]))
    assert pending.status_code == 409 and "正在生成" in pending.content.decode()
    assert pending["Content-Type"].startswith("text/html")
    assert ledger_verify().ok  # `sanxiang verify` holds while the copy is still to come

    assert jobs_run_due().done == 1
    document.refresh_from_db()
    job.refresh_from_db()
    assert document.docx_id is not None and job.state == JobState.DONE and job.attempts == 1
    issued, copy = _entries(document)
    assert copy["payload"]["copy"] == "docx" and copy["payload"]["copy_of"] == document.ledger_seq
    assert copy["payload"]["docx_sha256"] == document.docx.stored_file.sha256
    assert [f["sha256"] for f in copy["files"]] == [document.docx.stored_file.sha256]
    # The bytes are those the step would have rendered from the same context.
    context = facts_load(DocumentContext, job.payload["context"])
    with blob_store_get().open(document.docx.stored_file.sha256) as blob:
        assert blob.read() == document_render(kind=document.kind, context=context).docx

    assert ledger_verify().ok  # and once it is there (its file re-hashed, its entry in the tree)

    # Done once: a second run, or an export asking for it, changes nothing.
    assert jobs_run_due().done == 0
    job_run_now(key=job.key)
    assert len(_entries(document)) == 2
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Word文本生成中" not in page and reverse("cases:document_docx", args=[document.pk]) in page
    assert "生成文书Word文本：立案审批表" in page
    download = client.get(reverse("cases:document_docx", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith(".docx")


def test_in_step_the_word_copy_is_rendered_with_the_pdf_and_no_job(settings):
    settings.SANXIANG_DOCUMENT_COPIES = "in_step"
    case = _approved(world_make())
    document = IssuedDocument.objects.get(case=case)
    assert document.docx_id is not None and not Job.objects.exists()
    (issued,) = _entries(document)
    assert issued["payload"]["docx_sha256"] == document.docx.stored_file.sha256


def test_a_failing_copy_is_retried_later_and_shown_when_it_has_failed_every_attempt(background, monkeypatch):
    w = world_make()
    case = _approved(w)
    document = IssuedDocument.objects.get(case=case)

    def broken(**kwargs):
        raise RuntimeError("字体文件缺失")

    monkeypatch.setattr(document_copies, "document_render_docx", broken)
    run = jobs_run_due()
    assert (run.done, run.failed) == (0, 1)
    job = Job.objects.get(key=document_copy_key(document.pk))
    assert job.state == JobState.PENDING and job.attempts == 1 and "字体文件缺失" in job.last_error
    assert job.run_after > timezone.now()  # retried later, not at once
    document.refresh_from_db()
    assert document.docx_id is None and len(_entries(document)) == 1  # nothing half-written
    assert jobs_run_due().failed == 0  # not yet due

    for _ in range(JOB_ATTEMPTS_MAX - 1):
        jobs_run_due(now=_later())
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == JOB_ATTEMPTS_MAX
    page = csrf_client(w.officer).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Word文本生成失败" in page
    out = io.StringIO()
    with pytest.raises(SystemExit) as failed:
        call_command("jobs", "--failed", stdout=out)
    assert failed.value.code == 1 and document_copy_key(document.pk) in out.getvalue()

    # The cause fixed, the administrator retries: done, and the page offers the Word copy.
    monkeypatch.undo()
    out = io.StringIO()
    call_command("jobs", "--retry-failed", stdout=out)
    assert "完成1个任务" in out.getvalue()
    document.refresh_from_db()
    assert document.docx_id is not None
    page = csrf_client(w.officer).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Word文本生成失败" not in page and "Word文本生成中" not in page


def test_a_refused_step_leaves_no_job(background):
    w = world_make()
    case = perform(lead_make(w), "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    # 立案 without the violated provisions the 立案审批表 prints: refused, with nothing left behind.
    assert refusal(lambda: perform(case, "open", OPENED, w.officer, **{**OPEN, "violated": []}))
    assert not Job.objects.exists() and not IssuedDocument.objects.exists()


def test_the_case_file_export_renders_the_missing_copies_first_and_verifies(background, tmp_path):
    w = world_make()
    case = _approved(w)
    assert IssuedDocument.objects.filter(case=case, docx__isnull=True).exists()
    path = tmp_path / "case.zip"
    summary = case_file_export(case=case, destination=path)
    assert summary.complete, summary.problems
    documents = IssuedDocument.objects.filter(case=case)
    assert not documents.filter(docx__isnull=True).exists()
    assert not Job.objects.exclude(state=JobState.DONE).exists()
    files = {r.stored_file.sha256 for d in documents for r in (d.pdf, d.docx)}
    assert summary.files["documents"] == len(files)
    report = case_file_verify(str(path), vkeys=[summary.vkey])
    assert report.ok, [f.text() for f in report.findings]
    # Then the runner finds nothing left to do.
    assert jobs_run_due().done == 0


@pytest.fixture
def purge_after(transactional_db):
    from tests.ledger.helpers import ledger_purge

    yield
    ledger_purge()


@pytest.mark.django_db(transaction=True)
def test_two_runners_do_each_job_once(purge_after, settings):
    """Two runners (threads, each its own connection) at the same jobs: SKIP LOCKED gives each job
    to one of them, and a job held by one is skipped by the other, not waited for nor done twice."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer and no row locks")
    settings.SANXIANG_DOCUMENT_COPIES = "background"
    w = world_make()
    cases = [_approved(w) for _ in range(4)]
    keys = sorted(Job.objects.values_list("key", flat=True))
    assert len(keys) == len(cases)

    # One runner holds the first job's row (as while rendering it): the other skips it at once.
    held, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            Job.objects.select_for_update().get(key=keys[0])
            held.set()
            release.wait(30)
        connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(30)
    try:
        assert jobs_run_due().done == len(keys) - 1
        assert Job.objects.get(key=keys[0]).state == JobState.PENDING
    finally:
        release.set()
        thread.join(30)

    # Two runners racing for what is left, and more: each job done once.
    cases += [_approved(w) for _ in range(4)]
    results = []

    def runner():
        try:
            results.append(jobs_run_due())
        finally:
            connections.close_all()

    runners = [threading.Thread(target=runner) for _ in range(2)]
    for r in runners:
        r.start()
    for r in runners:
        r.join(60)
    assert sum(r.done for r in results) == 5 and sum(r.failed for r in results) == 0
    assert not Job.objects.exclude(state=JobState.DONE).exists()
    for document in IssuedDocument.objects.filter(case__in=cases):
        entries = _entries(document)
        assert len(entries) == 2 and entries[1]["payload"]["copy"] == "docx"
    assert all(j.attempts == 1 for j in Job.objects.all())


def test_the_next_step_is_taken_while_the_copy_is_still_to_come(background):
    """What a later step's guards read (the document's record, its number) is written by the step
    that issues it: the case goes on while the Word copy is still to come."""
    w = world_make()
    case = _approved(w)
    case = perform(case, "investigate", D(2026, 3, 9), w.officer)
    assert case.state == "investigating"
    assert IssuedDocument.objects.filter(case=case, docx__isnull=True).count() == Job.objects.filter(
        case_id=case.pk, state=JobState.PENDING).count() >= 1


@pytest.mark.django_db(transaction=True)
def test_the_servers_runner_renders_the_copy_once_the_step_commits(purge_after, settings):
    """The runner thread of `sanxiang serve` is woken by the step's commit (its poll is far away)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the runner thread opens its own connection to the test database")
    import time

    from sanxiang.jobs.runner import job_runner_start, job_runner_stop

    settings.SANXIANG_DOCUMENT_COPIES = "background"
    w = world_make()
    runner = job_runner_start(poll=3600)
    try:
        case = _approved(w)
        document = IssuedDocument.objects.get(case=case)
        for _ in range(300):
            document.refresh_from_db()
            if document.docx_id is not None:
                break
            time.sleep(0.1)
        assert document.docx_id is not None
        assert Job.objects.get(key=document_copy_key(document.pk)).state == JobState.DONE
    finally:
        job_runner_stop(runner)
    assert not runner.is_alive()


def test_a_copys_two_entries_take_the_ledger_head_once_in_order(background, monkeypatch):
    """The job appends the file's entry and the document's together at its end, as a step appends its
    own: one append (one lock and one update of the ledger's head), the file's entry first, the
    evidence record knowing its seq."""
    from sanxiang.ledger import services as ledger_services

    w = world_make()
    case = _approved(w)
    document = IssuedDocument.objects.get(case=case)
    appends: list[int] = []
    append_all = ledger_services._append_all

    def counted(pending):
        appends.append(len(pending))
        return append_all(pending)

    monkeypatch.setattr(ledger_services, "_append_all", counted)
    before = Entry.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert jobs_run_due().done == 1
    assert appends == [2]
    document.refresh_from_db()
    added = list(Entry.objects.filter(seq__gt=before).order_by("seq"))
    assert added[1].subject == f"document:{document.pk}"
    assert json.loads(bytes(added[0].body))["files"][0]["sha256"] == document.docx.stored_file.sha256
    assert document.docx.ledger_seq == added[0].seq
    assert ledger_verify().ok

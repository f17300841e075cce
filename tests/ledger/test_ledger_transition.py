"""A case transition renders and stores all its documents before the ledger is touched, and then
appends all its entries together: the head is read, locked and updated once, after the last
document is stored. The entries are those the transition always wrote, in the same order."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.cases import events as case_events
from sanxiang.cases.models import IssuedDocument
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.violations import Refused
from tests.cases.support import (
    NOTICE_SERVED,
    end_investigation_data,
    notice_data,
    perform,
    to_investigating,
    world_make,
)
from tests.cases.support import inquiry as inquiry_data

pytestmark = pytest.mark.django_db


def _before_notice(w):
    from sanxiang.cases.services import case_action_perform  # noqa: F401  (the service under test)
    from tests.cases.support import D

    case = to_investigating(w)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry_data(w, D(2026, 3, 10)))
    return perform(case, "end_investigation", D(2026, 3, 16), w.officer, **end_investigation_data())


def _index(queries, predicate) -> list[int]:
    return [i for i, q in enumerate(queries) if predicate(q["sql"])]


def test_the_head_is_locked_only_after_every_document_is_stored_and_updated_once():
    w = world_make()
    case = _before_notice(w)
    first_new = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() + 1
    with CaptureQueriesContext(connection) as captured:
        perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED))
    queries = captured.captured_queries
    documents = list(IssuedDocument.objects.filter(case=case, action="notify").order_by("pk"))
    assert documents, "the notice step issues its documents"
    head_reads = _index(queries, lambda s: s.lstrip().upper().startswith("SELECT") and "ledger_head" in s)
    head_updates = _index(queries, lambda s: "UPDATE ledger_head" in s)
    document_inserts = _index(queries, lambda s: 'INSERT INTO "cases_issueddocument"' in s)
    evidence_inserts = _index(queries, lambda s: 'INSERT INTO "evidence_evidencerecord"' in s)
    assert len(document_inserts) == len(documents) and len(evidence_inserts) == 2 * len(documents)
    # The ledger's head is read (and locked) once, after the last document and file are stored.
    assert len(head_reads) == 1 and len(head_updates) == 1
    assert head_reads[0] > max(document_inserts + evidence_inserts)
    # The same entries as ever, in the same order: each document's PDF, DOCX and itself, then the step.
    entries = list(Entry.objects.filter(seq__gte=first_new).order_by("seq"))
    kinds = [e.kind for e in entries]
    assert kinds == [EventKind.FILE_RECEIVED, EventKind.FILE_RECEIVED, EventKind.DOCUMENT_ISSUED] * len(documents) + [
        EventKind.STEP_DONE
    ]
    assert [e.seq for e in entries] == list(range(first_new, first_new + len(entries)))
    # The seqs stored on the documents and their files name their entries.
    for document in documents:
        entry = next(e for e in entries if e.seq == document.ledger_seq)
        assert entry.kind == EventKind.DOCUMENT_ISSUED and json.loads(bytes(entry.body))["payload"]["document"] == document.pk
        for record in EvidenceRecord.objects.filter(pk__in=[document.pdf_id, document.docx_id]):
            recorded = next(e for e in entries if e.seq == record.ledger_seq)
            assert json.loads(bytes(recorded.body))["payload"]["record"] == record.pk
    step = json.loads(bytes(entries[-1].body))["payload"]
    assert [d["id"] for d in step["documents"]] == [d.pk for d in documents]
    assert ledger_verify(run_extra_checks=False).ok


def test_a_failure_while_the_step_entry_is_built_leaves_no_document_file_or_entry(monkeypatch):
    w = world_make()
    case = _before_notice(w)
    counts = (Entry.objects.count(), IssuedDocument.objects.count(), EvidenceRecord.objects.count())
    real = case_events.step_done_event

    def broken(**kwargs):
        event = real(**kwargs)
        return event.__class__(event.kind, {**event.payload, "ratio": 0.5}, agency_id=event.agency_id,
                               case_id=event.case_id, subject=event.subject)

    monkeypatch.setattr(case_events, "step_done_event", broken)
    with pytest.raises(TypeError):
        perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED))
    assert (Entry.objects.count(), IssuedDocument.objects.count(), EvidenceRecord.objects.count()) == counts
    case.refresh_from_db()
    assert case.state != "notified"


def test_a_refused_step_leaves_nothing():
    w = world_make()
    case = _before_notice(w)
    counts = (Entry.objects.count(), IssuedDocument.objects.count(), EvidenceRecord.objects.count())
    with pytest.raises(Refused):
        perform(case, "decide", NOTICE_SERVED, w.officer)
    assert (Entry.objects.count(), IssuedDocument.objects.count(), EvidenceRecord.objects.count()) == counts


def test_a_decision_and_its_publication_draft_append_together_after_every_document():
    from sanxiang.publication.models import PublicationDraft
    from tests.cases.support import FIRST_DECISION_DAY, PENALTY

    w = world_make()
    case = _before_notice(w)
    case = perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED))
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    drafts = PublicationDraft.objects.count()
    first_new = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() + 1
    with CaptureQueriesContext(connection) as captured:
        perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    queries = captured.captured_queries
    assert PublicationDraft.objects.count() == drafts + 1  # the subscriber drafted the publication
    head_reads = _index(queries, lambda s: s.lstrip().upper().startswith("SELECT") and "ledger_head" in s)
    head_updates = _index(queries, lambda s: "UPDATE ledger_head" in s)
    stored = _index(queries, lambda s: 'INSERT INTO "cases_issueddocument"' in s or 'INSERT INTO "publication_' in s)
    assert len(head_reads) == 1 and len(head_updates) == 1 and head_reads[0] > max(stored)
    kinds = list(Entry.objects.filter(seq__gte=first_new).order_by("seq").values_list("kind", flat=True))
    step_at = kinds.index(EventKind.STEP_DONE)
    assert kinds[step_at + 1 :] and all(k.startswith("disclosure.") for k in kinds[step_at + 1 :])
    assert ledger_verify(run_extra_checks=False).ok

"""Bulk publication (issue 20): many approved decisions stored at once (`publications_record`) give
what storing each one does (`publication_record`): the same public rows, search text, drafts'
approval and PUBLICATION ledger entries; a failing batch leaves nothing; the rows are found."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.ledger.canonical import CanonicalJSONError
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry, Head
from sanxiang.ledger.verification import ledger_verify
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft
from sanxiang.publication.search import (
    PG_INDEX,
    SQLITE_TRIGGERS,
    publication_search_text,
    publications_search_page,
)
from sanxiang.publication.services import publication_record, publications_record
from sanxiang.textsearch import GramsPipeline, grams_text
from tests.cases.support import D, to_decided, world_make
from tests.publication.bulk_support import drafts_copy, record_of

pytestmark = pytest.mark.django_db
ON = D(2026, 4, 2)
COUNT = 11  # three batches of 4, 4 and 3
TEXTS = [{"title": f"销售过期食品案{i}", "facts": f"经查，当事人销售超过保质期的食品{i}件。" + "广告" * (i % 2)}
         for i in range(COUNT)]


@pytest.fixture
def w():
    return world_make()


@pytest.fixture
def draft(w):
    return PublicationDraft.objects.get(case=to_decided(w))


PUBLIC_COLUMNS = [f.attname for f in Publication._meta.concrete_fields if f.attname not in ("id", "updated_at")]
DRAFT_COLUMNS = ("public", "redactions", "status", "approved_by_id", "decided_on", "due_on")


def entries(publications: list[Publication]) -> list[dict]:
    """The PUBLICATION entries of `publications`, in their order, their own ids replaced by the
    row's position (the two paths give different ids to the same content)."""
    at = {p.pk: i for i, p in enumerate(publications)}
    drafts = {p.pk: PublicationDraft.objects.get(publication=p).pk for p in publications}
    found = []
    rows = Entry.objects.filter(kind=EventKind.PUBLICATION, subject__in=[f"publication:{p.pk}" for p in publications])
    for entry in rows:
        body = json.loads(bytes(entry.body))
        payload = body["payload"]
        assert payload["draft"] == drafts[payload["publication"]]
        position = at[payload.pop("publication")]
        payload.pop("draft")
        found.append((position, {"payload": payload, "kind": body["kind"], "agency": entry.agency_id,
                                 "case": entry.case_id, "actor": entry.actor_id}))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


@pytest.mark.parametrize("workers", [0, 1], ids=["grams-here", "grams-in-a-second-process"])
def test_the_bulk_path_stores_what_the_row_by_row_path_does(w, draft, monkeypatch, workers):
    monkeypatch.setattr("sanxiang.ledger.services._COPY_FROM", 2)  # PostgreSQL: the entries by COPY
    one_by_one = drafts_copy(draft, count=COUNT, prefix="乌审旗市监罚决〔2026〕", texts=TEXTS)
    in_bulk = drafts_copy(draft, count=COUNT, prefix="乌审旗市监罚决〔2026〕", copy="b", texts=TEXTS)
    for copy in one_by_one:
        r = record_of(copy, on=ON)
        publication_record(draft=r.draft, publication=r.publication, public=r.public, redactions=r.redactions,
                           actor=w.head, on=ON, period=r.period)
    head = Head.objects.get().size
    stored = publications_record(records=[record_of(d, on=ON) for d in in_bulk], actor=w.head, on=ON, batch_size=4,
                                 workers=workers)
    assert Head.objects.get().size == head + COUNT  # one entry a publication

    expected = [Publication.objects.get(pk=PublicationDraft.objects.get(pk=d.pk).publication_id) for d in one_by_one]
    got = [Publication.objects.get(pk=p.pk) for p in stored]
    for a, b in zip(expected, got, strict=True):
        values = [(name, getattr(a, name), getattr(b, name)) for name in PUBLIC_COLUMNS]
        assert [v for v in values if v[1] != v[2]] == []
        assert b.search_text == publication_search_text(b)
        assert ("广告" in b.search_text.split()) == ("广告" in b.facts)
    for a, b in zip(one_by_one, in_bulk, strict=True):
        a, b = PublicationDraft.objects.get(pk=a.pk), PublicationDraft.objects.get(pk=b.pk)
        assert b.status == DraftStatus.PUBLISHED and b.approved_at is not None and b.publication_id is not None
        assert {c: getattr(a, c) for c in DRAFT_COLUMNS} == {c: getattr(b, c) for c in DRAFT_COLUMNS}
    assert entries(expected) == entries(got)
    assert ledger_verify().ok
    # Searched as any other row: 广告 in the odd ones, of both paths, newest first.
    found = publications_search_page(Publication.objects.all(), "广告", per_page=50)
    assert sorted(p.pk for p in found.rows) == sorted(p.pk for p in expected + got if "广告" in p.facts)
    assert len(found.rows) == 2 * (COUNT // 2)


def test_a_failing_batch_leaves_nothing_and_the_index_as_it_was(w, draft):
    """The third batch cannot be appended to the ledger (a float in its entry: no canonical form):
    nothing of the first two stays, neither rows nor drafts' approval nor entries nor index."""
    copies = drafts_copy(draft, count=COUNT, prefix="乌审旗市监罚决〔2024〕", texts=TEXTS)
    records = [record_of(d, on=ON) for d in copies]
    bad = records[-1]
    records[-1] = type(bad)(**{**bad.__dict__, "entry": {"amount": 1.5}})
    head, rows, entries_before = Head.objects.get().size, Publication.objects.count(), Entry.objects.count()
    assert rows == 0  # an empty table: on PostgreSQL the load drops the index, which the rollback must bring back
    with pytest.raises(CanonicalJSONError):
        publications_record(records=records, actor=w.head, on=ON, batch_size=4)
    assert (Head.objects.get().size, Publication.objects.count(), Entry.objects.count()) == (head, rows, entries_before)
    assert set(PublicationDraft.objects.filter(pk__in=[d.pk for d in copies]).values_list("status", flat=True)) == {
        DraftStatus.DRAFT}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert set(SQLITE_TRIGGERS) <= {name for (name,) in cursor.fetchall()}
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            assert "fastupdate=off" in cursor.fetchone()[0]
    assert publications_search_page(Publication.objects.all(), "广告", per_page=50).rows == []
    # The same publications then go through whole.
    fine = [record_of(PublicationDraft.objects.get(pk=d.pk), on=ON) for d in copies]
    publications_record(records=fine, actor=w.head, on=ON, batch_size=4)
    if connection.vendor == "postgresql":  # loaded into the empty table: the index dropped, built again, as installed
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            assert "fastupdate=off" in cursor.fetchone()[0]
    assert len(publications_search_page(Publication.objects.all(), "广告", per_page=50).rows) == COUNT // 2
    assert ledger_verify().ok


def _grams_fail(rows):
    raise RuntimeError("the worker failed")


def test_a_failing_worker_leaves_nothing(w, draft, monkeypatch):
    """The second process's failure (here its work raises; its death raises BrokenProcessPool the
    same way) reaches the writer, whose transaction rolls back whole."""
    copies = drafts_copy(draft, count=COUNT, prefix="乌审旗市监罚决〔2023〕", texts=TEXTS)
    records = [record_of(d, on=ON) for d in copies]
    monkeypatch.setattr("sanxiang.textsearch.grams_texts", _grams_fail)
    head, rows = Head.objects.get().size, Publication.objects.count()
    # Forked (no other thread), the worker runs the failing work; started fresh (a test run with
    # threads, as under xdist), it cannot import this test module and dies: either reaches the writer.
    with pytest.raises(RuntimeError, match=r"the worker failed|terminated abruptly"):
        publications_record(records=records, actor=w.head, on=ON, batch_size=4, workers=1)
    assert (Head.objects.get().size, Publication.objects.count()) == (head, rows)
    assert set(PublicationDraft.objects.filter(pk__in=[d.pk for d in copies]).values_list("status", flat=True)) == {
        DraftStatus.DRAFT}


@settings(max_examples=6, deadline=None)
@given(rows=st.lists(st.lists(st.text(max_size=30), min_size=6, max_size=6), max_size=9))
def test_the_second_process_writes_the_grams_written_here(rows):
    with GramsPipeline(workers=1) as grams:
        for start in range(0, len(rows), 4):
            grams.submit(rows[start : start + 4])
        assert [text for _ in range(0, len(rows), 4) for text in grams.result()] == [grams_text(r) for r in rows]

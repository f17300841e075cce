"""Batched appends: `ledger_batch` queues appends and writes them at its end under one head lock,
with one head update; the entries are those single appends write."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sanxiang.ledger.merkle import hasher_for, root_of
from sanxiang.ledger.models import Entry, Head, Node
from sanxiang.ledger.services import LedgerError, PendingEntry, entry_append, ledger_batch
from sanxiang.ledger.verification import ledger_verify
from tests.ledger.helpers import make_event

pytestmark = pytest.mark.django_db


def _head_statements(queries) -> tuple[int, int]:
    """(reads of the head, updates of the head) among captured queries."""
    sqls = [q["sql"] for q in queries]
    reads = sum(1 for s in sqls if s.lstrip().upper().startswith("SELECT") and "ledger_head" in s)
    updates = sum(1 for s in sqls if "UPDATE ledger_head" in s or 'UPDATE "ledger_head"' in s)
    return reads, updates


def test_a_batch_appends_at_its_end_gapless_in_queue_order_with_one_head_read_and_update():
    with transaction.atomic():
        entry_append(event=make_event(0))  # the head exists
    seen = []
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        with ledger_batch():
            pending = [entry_append(event=make_event(i), then=seen.append) for i in range(1, 9)]
            assert all(isinstance(p, PendingEntry) for p in pending)
            assert Entry.objects.count() == 1  # nothing written yet
            with pytest.raises(LedgerError):
                pending[0].seq  # noqa: B018  (known only after the flush)
            at_flush = len(captured.captured_queries)
        flushed = captured.captured_queries[at_flush:]
    assert [p.seq for p in pending] == list(range(1, 9))
    assert [e.seq for e in seen] == list(range(1, 9))  # `then` got each appended entry, in order
    assert _head_statements(flushed) == (1, 1)
    # Entries and nodes in one INSERT each (one statement in all on PostgreSQL).
    inserts = [q["sql"] for q in flushed if "INSERT INTO ledger_entry" in q["sql"]]
    assert len(inserts) == 1
    assert list(Entry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(9))
    head = Head.objects.get()
    hasher = hasher_for(head.algorithm)
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert bytes(head.root) == root_of(hasher, leaves) and head.size == 9
    assert Node.objects.count() == 9 - (9).bit_count()  # every complete subtree stored
    assert ledger_verify().ok


def test_batched_bodies_are_those_of_single_appends():
    with transaction.atomic():
        single = entry_append(event=make_event(7))
        with ledger_batch():
            queued = entry_append(event=make_event(7))
    one, two = json.loads(bytes(single.body)), json.loads(bytes(queued.entry.body))
    assert two["seq"] == one["seq"] + 1
    for body in (one, two):
        body.pop("seq")
        body.pop("at")
    assert one == two


def test_an_exception_in_a_batch_leaves_nothing_and_the_next_transaction_starts_clean():
    with pytest.raises(RuntimeError), transaction.atomic():
        with ledger_batch():
            entry_append(event=make_event(1))
            raise RuntimeError("the step failed after its first append was queued")
    assert not Entry.objects.exists()
    with transaction.atomic():  # no queue survives: this append is written at once
        entry = entry_append(event=make_event(2))
    assert entry.seq == 0 and Entry.objects.count() == 1


def test_a_rollback_after_the_flush_leaves_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        with ledger_batch():
            for i in range(3):
                entry_append(event=make_event(i))
        assert Entry.objects.count() == 3
        raise RuntimeError("a subscriber failed after the batch")
    assert not Entry.objects.exists() and not Node.objects.exists()
    assert not Head.objects.filter(size__gt=0).exists()


def test_a_bad_event_is_refused_when_queued_not_at_the_flush():
    with transaction.atomic(), ledger_batch():
        with pytest.raises(TypeError):
            entry_append(event=make_event(1).__class__(make_event(1).kind, {"amount": 1.5}))
        entry_append(event=make_event(2))
    assert list(Entry.objects.values_list("seq", flat=True)) == [0]


def test_nested_batches_join_the_outer_one_and_one_head_update_per_transaction():
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        with ledger_batch():
            entry_append(event=make_event(1))
            with ledger_batch():
                inner = entry_append(event=make_event(2))
            assert isinstance(inner, PendingEntry) and inner.entry is None
            entry_append(event=make_event(3))
    assert _head_statements(captured.captured_queries)[1] == 1
    assert list(Entry.objects.order_by("seq").values_list("seq", flat=True)) == [0, 1, 2]


def test_outside_a_batch_an_append_is_written_at_once_and_then_is_called():
    seen = []
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        entry = entry_append(event=make_event(1), then=seen.append)
    assert isinstance(entry, Entry) and entry.seq == 0 and seen == [entry]
    assert _head_statements(captured.captured_queries)[1] == 1


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_a_transaction_is_refused():
    from django.db.transaction import TransactionManagementError

    with pytest.raises(TransactionManagementError), ledger_batch():
        pass


def test_entries_queued_in_a_savepoint_rolled_back_inside_a_batch_are_dropped_with_it():
    """A step that tries something in a savepoint, catches its failure and goes on: the entries
    the savepoint queued go with its rows (never appended, their `then` never called), those
    queued before, after and in a savepoint that was released are appended, gapless."""
    called = []
    with transaction.atomic(), ledger_batch():
        before = entry_append(event=make_event(1))
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                dropped = entry_append(event=make_event(2), then=called.append)
                with transaction.atomic():  # released, but inside the one rolled back
                    dropped_inner = entry_append(event=make_event(3), then=called.append)
                raise RuntimeError("tried and failed")
        with transaction.atomic():
            kept = entry_append(event=make_event(4))
        after = entry_append(event=make_event(5))
    assert called == [] and dropped.entry is None and dropped_inner.entry is None
    assert [p.seq for p in (before, kept, after)] == [0, 1, 2]
    stored = [json.loads(bytes(b))["payload"]["step"] for b in Entry.objects.order_by("seq").values_list("body", flat=True)]
    assert stored == ["调查取证-1", "调查取证-4", "调查取证-5"]
    assert Head.objects.get().size == 3
    assert ledger_verify(run_extra_checks=False).ok
    # No marker is left to run after the commit.
    assert not [c for c in connection.run_on_commit if type(c[1]).__name__ == "_SavepointMarker"]


def test_the_access_log_and_a_catalogue_publication_store_their_seq_inside_a_batch():
    """`access_record` and `catalogue_publish` read their entry's seq: inside a ledger batch they
    store it when the batch is flushed instead of failing on a queued entry."""
    from sanxiang.access.models import AccessAction, AccessLogEntry
    from sanxiang.access.services import access_record
    from sanxiang.review.models import CataloguePublication
    from sanxiang.review.services import catalogue_publish
    from tests.factories import agency_make

    agency = agency_make(name="乌审旗市场监督管理局")
    with transaction.atomic(), ledger_batch():
        row = access_record(actor=None, action=AccessAction.EXPORT, object_kind="report", object_id=1,
                            object_label="年度报告", agency_id=agency.pk)
        publication = catalogue_publish(actor=None, agency=agency)
        assert row.ledger_seq is None and publication.ledger_seq is None  # queued
    assert AccessLogEntry.objects.get(pk=row.pk).ledger_seq == row.ledger_seq
    assert CataloguePublication.objects.get(pk=publication.pk).ledger_seq == publication.ledger_seq
    assert Entry.objects.get(seq=row.ledger_seq).subject == "report:1"
    assert Entry.objects.get(seq=publication.ledger_seq).subject == f"review-catalogue:{agency.pk}:v1"

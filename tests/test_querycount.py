"""The shared query count of the bounded-page tests (tests/querycount.py) leaves out the ledger's
writes, whose number follows the ledger's size, and nothing else."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import entry_append
from tests.ledger.helpers import make_event
from tests.querycount import ledger_write, queries_without_ledger_writes

pytestmark = pytest.mark.django_db


def test_appends_count_the_same_whatever_subtree_nodes_they_close_and_ledger_reads_still_count():
    with transaction.atomic():
        entry_append(event=make_event(0))
    counted, raw, node_writes = [], [], []
    for i in range(1, 5):  # sizes 2 and 4 close nodes, 3 and 5 do not
        with CaptureQueriesContext(connection) as everything, queries_without_ledger_writes() as queries:
            with transaction.atomic():
                entry_append(event=make_event(i))
            list(Entry.objects.filter(seq=i).values_list("seq", flat=True))  # a read of the ledger
        counted.append(queries.count)
        raw.append(len(everything.captured_queries))
        node_writes.append(sum("ledger_node" in q["sql"] for q in everything.captured_queries))
    assert len(set(counted)) == 1
    assert node_writes[0] and node_writes[2] and not node_writes[1] and not node_writes[3]  # what varies
    assert any("ledger_entry" in sql and sql.lstrip().upper().startswith("SELECT") for sql in queries.sql)
    if connection.vendor == "sqlite":
        assert len(set(raw)) == 2  # the nodes' INSERT comes and goes with the ledger's size


@pytest.mark.parametrize(("sql", "write"), [
    ('INSERT INTO ledger_entry (ledger_id, seq) VALUES (%s, %s)', True),
    ('INSERT INTO ledger_node (ledger_id, level, "index", hash) VALUES (%s, %s, %s, %s)', True),
    ('WITH e AS (INSERT INTO ledger_entry (seq) VALUES (%s)) UPDATE ledger_head SET size = %s WHERE id = %s', True),
    ('UPDATE "ledger_head" SET "size" = %s', True),
    ('SELECT "ledger_entry"."seq" FROM "ledger_entry" WHERE "ledger_entry"."case_id" = %s', False),
    ('INSERT INTO "access_accesslogentry" ("ledger_seq") VALUES (%s)', False),
])
def test_what_is_a_ledger_write(sql, write):
    assert ledger_write(sql) is write

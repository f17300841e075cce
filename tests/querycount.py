"""Counting a page's queries for the tests that assert a page costs the same whatever the number
of cases: the ledger's writes are left out. A page that records an access appends a ledger entry,
and what that append writes depends on the ledger's size, not on the cases: the subtree nodes it
closes (one INSERT into ledger_node on SQLite, none when no node closes) and, on PostgreSQL, one
statement for entry, nodes and head that names ledger_node only when there are nodes. Reads of the
ledger (a timeline, a proof) are counted like any other query."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

_LEDGER_WRITE = re.compile(r'\b(?:INSERT\s+INTO|UPDATE)\s+"?ledger_(?:entry|node|head)"?\b', re.IGNORECASE)


def ledger_write(sql: str) -> bool:
    """Whether a statement writes the ledger (an entry, its nodes, the head), in either engine's form."""
    return _LEDGER_WRITE.search(sql) is not None


def queries_counted(captured: Iterable[dict]) -> int:
    """The captured queries (`CaptureQueriesContext.captured_queries`) but the ledger's writes."""
    return sum(not ledger_write(q["sql"]) for q in captured)


class QueryCount:
    def __init__(self, context: CaptureQueriesContext) -> None:
        self._context = context

    @property
    def count(self) -> int:
        return queries_counted(self._context.captured_queries)

    @property
    def sql(self) -> list[str]:
        return [q["sql"] for q in self._context.captured_queries if not ledger_write(q["sql"])]


@contextmanager
def queries_without_ledger_writes() -> Iterator[QueryCount]:
    """`with queries_without_ledger_writes() as counted: ...; counted.count`."""
    with CaptureQueriesContext(connection) as context:
        yield QueryCount(context)

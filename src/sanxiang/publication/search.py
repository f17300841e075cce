"""Search over the published decisions, the same on SQLite and PostgreSQL: a substring search of
the public text through an index of its character grams (`sanxiang.textsearch`).

What a search means, on both engines: every whitespace-separated term of the query (those with a
letter or a digit, at most `MAX_TERMS`, of the first `MAX_QUERY_CHARS` characters) occurs, as
typed, in one of the public text columns (`SEARCH_FIELDS`), case-insensitive; newest decision
first; published rows only.

`Publication.search_text` holds the tokens of the unigrams and bigrams of each public column
(`publication_search_text`), written by every service that writes the public text, in its
transaction. Each engine indexes that column (`INDEX`: SQLite FTS5 with triggers, PostgreSQL a GIN
index over its words). A term is looked up by its bigrams (one character: its unigram):

- a term of one or two characters is decided by the index alone (the gram is the term, found in
  one column since grams never span two);
- a longer term is narrowed by the index, then decided by a LIKE over the candidates (its bigrams
  may occur apart: 品安 and 安全 without 食品安全).

The cost of a search is the length of the posting lists of its grams, not the size of the table
(benchmarks/portal_search.py). Before issue 12 the text was cut into words by jieba; a query with
no dictionary word in it (a name, a number, one character) fell back to a LIKE over every row.

On SQLite, Django rebuilds a table for many schema changes (create, copy, drop, rename), which
drops its triggers: a later migration that alters `Publication` must run
`RunPython(search_index_install_operation)` after the change (tests/portal/test_search.py checks
that the triggers exist).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

from sanxiang.publication.models import Publication, PublicationStatus
from sanxiang.textsearch import CappedPaginator, GramIndex, grams_text, query_exact, query_tokens

# The public text a search looks in: what `search_text` must be built from (`publication_search_text`).
SEARCH_FIELDS: tuple[str, ...] = ("number", "title", "party_name", "violation_type", "facts", "content")

INDEX = GramIndex(table="publication_publication", column="search_text")
FTS_TABLE = INDEX.fts_table
PG_INDEX = INDEX.pg_index
SQLITE_TRIGGERS = INDEX.sqlite_triggers
# A term must have a letter or a digit: punctuation and symbols alone are dropped.
_HAS_ALNUM = re.compile(r"[^\W_]")
# A query is typed by a person; longer ones are cut so that one request cannot cost much.
MAX_QUERY_CHARS = 100
MAX_TERMS = 8
# The decisions a search counts before it says "more than" (`textsearch.CappedPaginator`): 50 pages.
SEARCH_COUNT_CAP = 1000


def search_text_build(*, texts: list[str]) -> str:
    """The index tokens of `texts` (each text apart), each once, separated by single spaces."""
    return grams_text(texts)


def publication_search_text(publication: Publication) -> str:
    """`search_text` for a publication: its `SEARCH_FIELDS` and nothing else, so that the index
    holds exactly the text a search is checked against."""
    return search_text_build(texts=[getattr(publication, field) or "" for field in SEARCH_FIELDS])


def search_text_refresh(*, queryset: QuerySet[Publication] | None = None, batch_size: int = 1000) -> int:
    """Recompute `search_text` (rows written without it, or by an earlier way of indexing);
    returns how many rows changed. The triggers (SQLite) and the expression index (PostgreSQL)
    follow the update by themselves. A withdrawn or expired row keeps the empty text its
    service gave it: its content is no longer searched."""
    rows = (queryset if queryset is not None else Publication.objects.all()).filter(
        status=PublicationStatus.PUBLISHED
    ).only("id", "search_text", *SEARCH_FIELDS)
    changed: list[Publication] = []
    count = 0
    for publication in rows.order_by("id").iterator(chunk_size=batch_size):
        text = publication_search_text(publication)
        if text != publication.search_text:
            publication.search_text = text
            changed.append(publication)
        if len(changed) >= batch_size:
            Publication.objects.bulk_update(changed, ["search_text"])
            count += len(changed)
            changed = []
    if changed:
        Publication.objects.bulk_update(changed, ["search_text"])
        count += len(changed)
    return count


# --- the query -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchTerm:
    """One term of a query: the text that must occur, the index tokens every row holding it has,
    and whether the index alone decides (one or two characters)."""

    text: str
    tokens: tuple[str, ...]
    exact: bool


def search_terms(q: str) -> list[SearchTerm]:
    """The query cut into terms at whitespace, each once, without those of punctuation alone."""
    terms: list[SearchTerm] = []
    for raw in q[:MAX_QUERY_CHARS].split():
        if not _HAS_ALNUM.search(raw) or any(t.text == raw for t in terms):
            continue
        terms.append(SearchTerm(text=raw, tokens=tuple(query_tokens(raw)), exact=query_exact(raw)))
        if len(terms) == MAX_TERMS:
            break
    return terms


def _occurs(text: str) -> Q:
    return Q.create([(f"{field}__icontains", text) for field in SEARCH_FIELDS], connector=Q.OR)


def publications_search(queryset: QuerySet[Publication], q: str) -> QuerySet[Publication]:
    """The published rows of `queryset` in which every term of `q` occurs (see the module's
    docstring), newest decision first. Withdrawn and expired rows are never searched: their
    content is no longer public, and a match would reveal it."""
    rows = queryset.filter(status=PublicationStatus.PUBLISHED)
    terms = search_terms(q)
    tokens = list(dict.fromkeys(token for term in terms for token in term.tokens))
    vendor = connections[rows.db].vendor
    rows = INDEX.holding(rows, tokens, vendor=vendor)
    for term in terms:
        if not term.exact or vendor not in ("sqlite", "postgresql"):
            rows = rows.filter(_occurs(term.text))
    return rows.order_by("-decided_on", "-id")


def publications_search_paginator(rows: QuerySet[Publication], per_page: int) -> CappedPaginator:
    """The pages of a search's results, counted up to `SEARCH_COUNT_CAP` (a common term's count
    would read every row it finds): past it, `more` is set and the page says so."""
    return CappedPaginator(rows, per_page, cap=SEARCH_COUNT_CAP)


# --- the index -----------------------------------------------------------------------------------


def search_index_install(*, connection: Any) -> None:
    """Create the engine's index where missing and (SQLite) fill it from `search_text`.
    Idempotent: safe to run again after a migration that rebuilt the table."""
    INDEX.install(connection=connection)


def search_index_uninstall(*, connection: Any) -> None:
    INDEX.uninstall(connection=connection)


def search_index_install_operation(apps: Any, schema_editor: Any) -> None:
    """For `migrations.RunPython`."""
    search_index_install(connection=schema_editor.connection)


def search_index_uninstall_operation(apps: Any, schema_editor: Any) -> None:
    search_index_uninstall(connection=schema_editor.connection)


# --- the projection (`sanxiang projection check|rebuild`) -------------------------------------------

_CHECK_CHUNK = 1000


def search_projection_check() -> list[str]:
    """The published rows whose `search_text` differs from their public text's grams, and (SQLite)
    whether the FTS5 table agrees with the column; [] when all is in step."""
    lines: list[str] = []
    rows = Publication.objects.filter(status=PublicationStatus.PUBLISHED).only("id", "search_text", *SEARCH_FIELDS)
    for publication in rows.order_by("id").iterator(chunk_size=_CHECK_CHUNK):
        if publication.search_text != publication_search_text(publication):
            lines.append(f"公示决定{publication.number}：检索索引与公示内容不一致")
    connection = connections[rows.db]
    if connection.vendor == "sqlite":
        from django.db import DatabaseError

        try:
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
        except DatabaseError as error:
            lines.append(f"公示决定检索索引表与公示表不一致（{error}）")
    return lines


def search_projection_rebuild() -> int:
    """Recompute `search_text` of every published row and (SQLite) rebuild the FTS5 table from the
    column; returns the number of rows whose text changed."""
    from django.db import transaction

    with transaction.atomic():
        changed = search_text_refresh()
        connection = connections[Publication.objects.db]
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return changed

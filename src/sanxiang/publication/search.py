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

The portal reads a search a page at a time (`publications_search_page`, issue 20): the index also
holds each row's day, and a page is read a range of days at a time from the newest, so that its cost
follows the page, not the rows a common term finds (issue 20 measured 14.2 s for 广告 in 133,188 of
1,000,000 rows when every row found was read before page 1); `publications_search` stays the
meaning of a search (all its rows), which the pages are tested against (benchmarks/portal_search.py). Before issue 12 the text was cut into words by jieba; a query with
no dictionary word in it (a name, a number, one character) fell back to a LIKE over every row.

On SQLite, Django rebuilds a table for many schema changes (create, copy, drop, rename), which
drops its triggers: a later migration that alters `Publication` must run
`RunPython(search_index_install_operation)` after the change (tests/portal/test_search.py checks
that the triggers exist).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet

from sanxiang.inputs import DATE_EARLIEST
from sanxiang.publication.models import Publication, PublicationStatus
from sanxiang.textsearch import GramIndex, GramsPipeline, grams_text, query_exact, query_tokens

# The public text a search looks in: what `search_text` must be built from (`publication_search_text`).
SEARCH_FIELDS: tuple[str, ...] = ("number", "title", "party_name", "violation_type", "facts", "content")

# Dated (`textsearch.date_tokens`): a search reads the index a range of days at a time, newest first.
INDEX = GramIndex(table="publication_publication", column="search_text", date_column="decided_on")
FTS_TABLE = INDEX.fts_table
PG_INDEX = INDEX.pg_index
SQLITE_TRIGGERS = INDEX.sqlite_triggers
# A term must have a letter or a digit: punctuation and symbols alone are dropped.
_HAS_ALNUM = re.compile(r"[^\W_]")
# A query is typed by a person; longer ones are cut so that one request cannot cost much.
MAX_QUERY_CHARS = 100
MAX_TERMS = 8
# A search counts the rows it finds exactly up to this many; past it, the count of the ranges of days
# read so far is extrapolated over the whole span ("约13万件"): counting is reading every row
# counted (a platform rule of cost, not of law).
SEARCH_COUNT_EXACT = 500
# The first range of days a search reads; each next one is twice as long (`_day_ranges`).
FIRST_RANGE_DAYS = 1


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


# --- a page of a search: cost by the page, not by the rows found --------------------------------


@dataclass(frozen=True)
class SearchCursor:
    """Where a page ends in the order of a search (newest decision first): the next page holds
    the rows strictly after it. Written into a link as `20240315-1234`."""

    decided_on: dt.date
    id: int

    def __str__(self) -> str:
        return f"{self.decided_on:%Y%m%d}-{self.id}"

    @classmethod
    def parse(cls, raw: str) -> SearchCursor | None:
        """None for anything that is not a cursor this module wrote (a link typed by hand)."""
        match = re.fullmatch(r"(\d{8})-(\d{1,18})", raw or "")
        if not match:
            return None
        try:
            day = dt.datetime.strptime(match[1], "%Y%m%d").date()
        except ValueError:
            return None
        return cls(decided_on=day, id=int(match[2]))


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its rows, the cursor of the next page ("" on the last), and the
    count of all the rows found: exact, or (`estimated`) the count of the newest days read,
    at least SEARCH_COUNT_EXACT rows, extrapolated over the whole span of days."""

    rows: list[Publication]
    next_cursor: str
    count: int
    estimated: bool
    queries: int  # the ranges of days read (for the benchmark and the tests of the bound)


def _published_days(queryset: QuerySet[Publication]) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the published decisions of `queryset` (its filters, such as an
    agency or a kind, included: the count is extrapolated over this span), or None when there are
    none. Days before the platform's earliest date (`inputs.DATE_EARLIEST`: a typing slip in a decision's date,
    year 202 for 2026) are left out of the span, which would otherwise run back past year 1."""
    published = queryset.filter(status=PublicationStatus.PUBLISHED, decided_on__gte=DATE_EARLIEST)
    last = published.order_by("-decided_on").values_list("decided_on", flat=True).first()
    first = published.order_by("decided_on").values_list("decided_on", flat=True).first()
    return None if last is None or first is None else (first, last)


def _day_ranges(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    """From `last` back to `first`: ranges of FIRST_RANGE_DAYS, then twice as long each time, so
    that a search that finds little reads the whole span in about log2(days) ranges."""
    length, end = FIRST_RANGE_DAYS, last
    while end >= first:
        start = first if (end - first).days < length else end - dt.timedelta(days=length - 1)
        yield start, end
        if start == first:
            return
        end, length = start - dt.timedelta(days=1), length * 2


def _search_rows(
    queryset: QuerySet[Publication], terms: list[SearchTerm], days: tuple[dt.date, dt.date]
) -> QuerySet[Publication]:
    vendor = connections[queryset.db].vendor
    tokens = list(dict.fromkeys(token for term in terms for token in term.tokens))
    rows = INDEX.holding(queryset.filter(status=PublicationStatus.PUBLISHED), tokens, vendor=vendor, days=days)
    for term in terms:
        if not term.exact or vendor not in ("sqlite", "postgresql"):
            rows = rows.filter(_occurs(term.text))
    return rows


def publications_search_page(
    queryset: QuerySet[Publication],
    q: str,
    *,
    per_page: int,
    after: SearchCursor | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    count_exact: int | None = None,
) -> SearchPage:
    """A page of `publications_search(queryset, q)` (the same rows in the same order) read through
    the dated index a range of days at a time, newest first: a range is read with the index alone
    (the rows of those days holding the query's grams), and the next, twice as long, only while
    the page is not full. A common term fills its page from the newest day; a rare one reads
    longer ranges, each of few rows. The rows found are counted so, from the newest day, until
    `count_exact` (SEARCH_COUNT_EXACT) are counted; the count is then extrapolated over the span.

    `date_from`/`date_to` bound the days read (the caller's queryset may filter on them too);
    `after` continues after a page (keyset: no OFFSET, page 500 costs what page 1 does)."""
    exact = SEARCH_COUNT_EXACT if count_exact is None else count_exact
    terms = search_terms(q)
    span = _published_days(queryset)
    if span is not None:
        first, last = max(span[0], date_from or span[0]), min(span[1], date_to or span[1])
        span = (first, last) if first <= last else None
    if span is None:
        return SearchPage(rows=[], next_cursor="", count=0, estimated=False, queries=0)
    reads = 0
    rows: list[Publication] = []
    page_last = min(span[1], after.decided_on) if after else span[1]
    for days in _day_ranges(span[0], page_last):
        found = _search_rows(queryset, terms, days)
        if after is not None and days[1] == after.decided_on:
            found = found.exclude(decided_on=after.decided_on, id__gte=after.id)
        rows += list(found.order_by("-decided_on", "-id")[: per_page + 1 - len(rows)])
        reads += 1
        if len(rows) > per_page:
            break
    # The count: whole ranges from the newest day (a range holds about as many rows as all those
    # before it, so one is read up to four times the bound; past that, it is at least what it read).
    count, estimated = 0, False
    # A first page that read the whole span without filling up holds every row found: its count.
    counted = after is None and len(rows) <= per_page
    if counted:
        count = len(rows)
    for days in () if counted else _day_ranges(*span):
        limit = 4 * exact + 1
        in_range = _search_rows(queryset, terms, days).order_by()[:limit].count()
        count += in_range
        reads += 1
        if in_range == limit or (days[0] > span[0] and count > exact):
            covered = (span[1] - days[0]).days + 1
            count = round(count * ((span[1] - span[0]).days + 1) / covered)
            estimated = True
            break
    next_cursor = ""
    if len(rows) > per_page:
        next_cursor = str(SearchCursor(decided_on=rows[per_page - 1].decided_on, id=rows[per_page - 1].pk))
    return SearchPage(rows=rows[:per_page], next_cursor=next_cursor, count=count, estimated=estimated,
                      queries=reads)


# --- many rows at once (a county backfilling its past decisions) -----------------------------------

# Rows written per statement and per round of index maintenance.
BULK_BATCH = 5000
# From this many rows, a bulk load computes the grams in a second process (`textsearch.GramsPipeline`)
# while this one writes: below, starting the process costs more than it saves (a platform rule of
# cost).
BULK_WORKER_FROM = 2 * BULK_BATCH


def _bulk_columns(connection: Any) -> tuple[list[str], list[tuple[str, Any]]]:
    """The columns of an insert (the primary key first: the caller reserves the ids) and, per column,
    how a value is prepared as Django prepares it for this engine, without the per-value machinery of
    `bulk_create` (which costs a bulk load more than its grams): plain values (text, numbers, days)
    go as they are, the rest (JSON, date-times) through their field."""
    from django.db import models
    from django.utils import timezone

    now = timezone.now()
    columns, converters = [], []
    for field in Publication._meta.concrete_fields:
        columns.append(connection.ops.quote_name(field.column))
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            stamp = field.get_db_prep_save(now, connection)
            converters.append((field.attname, lambda value, stamp=stamp: stamp))
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            converters.append((field.attname, connection.ops.adapt_datefield_value))
        elif isinstance(field, (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
                                models.ForeignKey)):
            converters.append((field.attname, None))
        else:
            converters.append((field.attname, lambda value, field=field: field.get_db_prep_save(value, connection)))
    return columns, converters


def _bulk_values(publications: list[Publication], converters: list[tuple[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows of an insert: every column's value read at once (`attrgetter`), the few that need
    it prepared (`_bulk_columns`)."""
    from operator import attrgetter

    read = attrgetter(*(name for name, _ in converters))
    prepared = [(i, convert) for i, (_, convert) in enumerate(converters) if convert is not None]
    rows = []
    for publication in publications:
        row = list(read(publication))
        for i, convert in prepared:
            row[i] = convert(row[i])
        rows.append(tuple(row))
    return rows


def _ids_reserve(cursor: Any, connection: Any, count: int) -> list[int]:
    """`count` new primary keys, above every id ever given: PostgreSQL takes them from the column's
    sequence in one statement; SQLite (whose write lock the caller's transaction holds from its
    first write on) after the table's AUTOINCREMENT counter and its largest id."""
    table = Publication._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                       [count])
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(
        f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0))"
    )
    (last,) = cursor.fetchone()
    return list(range(last + 1, last + 1 + count))


def search_bulk_insert(
    *, publications: list[Publication], batch_size: int = BULK_BATCH,
    then: Callable[[list[Publication]], None] | None = None, workers: int | None = None,
) -> int:
    """Insert `publications` (new rows, their public text set, `pk` unset) with their
    `search_text` a batch at a time, in one transaction (the caller's, if open), setting each one's
    `pk`; returns the rows inserted. `then` is called with each batch once it is written, in the
    transaction: the calling service writes what goes with the rows there (the ledger's entries,
    `publication.services.publications_record`). The index is maintained by batches
    (`GramIndex.bulk_loading`) and put back as it was before the transaction ends; a failure
    anywhere rolls every batch back.

    A batch is one statement: PostgreSQL's COPY, SQLite's executemany. SQLite indexes each batch by
    one `INSERT … SELECT` into the FTS5 table, its trigger set aside; PostgreSQL's GIN index gathers
    the load in its pending list and merges it once at the end, or, into an empty table, is dropped
    and built once at the end (`GramIndex.bulk_loading`).

    The grams (`publication_search_text`, the same strings) are computed by `workers` second
    processes while this one writes (`textsearch.GramsPipeline`): by default one from
    BULK_WORKER_FROM rows, none below; 0 computes them here."""
    from django.db import transaction

    connection = connections[Publication.objects.db]
    columns, converters = _bulk_columns(connection)
    table = Publication._meta.db_table
    postgres = connection.vendor == "postgresql"
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    copy = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    published = PublicationStatus.PUBLISHED
    if workers is None:
        workers = 1 if len(publications) >= BULK_WORKER_FROM else 0
    read = attrgetter(*SEARCH_FIELDS)
    with (GramsPipeline(workers=workers) as grams, transaction.atomic(), INDEX.bulk_loading(connection=connection),
          connection.cursor() as cursor):
        starts = range(0, len(publications), batch_size)
        for start in starts:  # every batch's texts to the worker first: it runs ahead of the writes
            grams.submit([[text or "" for text in read(p)] for p in publications[start : start + batch_size]
                          if p.status == published])
        for start in starts:
            batch = publications[start : start + batch_size]
            texts = iter(grams.result())
            for publication, pk in zip(batch, _ids_reserve(cursor, connection, len(batch)), strict=True):
                publication.pk = pk
                publication.search_text = next(texts) if publication.status == published else ""
            rows = _bulk_values(batch, converters)
            if postgres:
                with cursor.cursor.copy(copy) as stream:
                    for row in rows:
                        stream.write_row(row)
            else:
                cursor.executemany(insert, rows)
                INDEX.index_rows(connection=connection, first=batch[0].pk)
            for publication in batch:
                publication._state.adding = False
                publication._state.db = connection.alias
            if then is not None:
                then(batch)
    return len(publications)


# --- the kind filter (the portal's list by 决定种类) -------------------------------------------------
#
# `Publication.kinds` is a JSON list of keys (fine, warning, seizure, …). A filter by one key read
# every row before (JSON containment has no index on SQLite; the text LIKE none on either engine): 6
# to 11 s for a rare kind at 1,000,000 rows. Each key now has a partial index of the rows holding
# it, by (status, decided_on): the rows of a kind are read newest first from its own index, a rare
# kind's from a small one. The engine keeps it (no copy of the kinds to maintain); its condition is
# written as the filter's, literally (`KindHeld`), so that both planners see that the index applies.

_KIND_KEY = re.compile(r"[a-z][a-z_]{0,39}")


def kind_index_name(kind: str) -> str:
    return f"publication_kind_{kind}"


def _kind_condition(kind: str, vendor: str, column: str) -> str:
    if not _KIND_KEY.fullmatch(kind):  # the key goes into SQL as a literal
        raise ValueError(f"not a decision kind: {kind!r}")
    if vendor == "postgresql":
        return f"""{column} @> '["{kind}"]'::jsonb"""
    # Keys are plain ASCII words stored with their quotes: '"fine"' occurs only for fine.
    return f"""instr({column}, '"{kind}"') > 0"""


class KindHeld(Func):
    """The publication's `kinds` holds `kind`: the condition of the kind's partial index."""

    output_field = BooleanField()

    def __init__(self, kind: str) -> None:
        super().__init__(F("kinds"))
        self.kind = kind

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        return _kind_condition(self.kind, connection.vendor, column), tuple(params)


def publications_of_kind(queryset: QuerySet[Publication], kind: str) -> QuerySet[Publication]:
    """The rows of `queryset` whose kinds hold `kind` (a key such as "fine"), through its index."""
    return queryset.filter(KindHeld(kind))


def kind_indexes_install(*, connection: Any, kinds: list[str]) -> None:
    """A partial index of the rows of each kind (idempotent). A new kind of decision needs its
    own, added by a migration (tests/portal/test_kind_filter.py checks that each has one)."""
    table = Publication._meta.db_table
    with connection.cursor() as cursor:
        for kind in kinds:
            condition = _kind_condition(kind, connection.vendor, "kinds")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {kind_index_name(kind)} ON {table} (status, decided_on) "
                           f"WHERE {condition}")


def kind_indexes_uninstall(*, connection: Any, kinds: list[str]) -> None:
    with connection.cursor() as cursor:
        for kind in kinds:
            cursor.execute(f"DROP INDEX IF EXISTS {kind_index_name(kind)}")


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
        INDEX.rebuild(connection=connections[Publication.objects.db])
    return changed

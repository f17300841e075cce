"""Substring search of Chinese text through an index of character grams, the same on SQLite and
PostgreSQL (issue 12: the case list's and the portal's search at scale).

Neither engine can cut Chinese into words, and a search box is read as "the text contains what I
typed". So a text is indexed by its characters and its pairs of neighbouring characters (its
unigrams and bigrams), folded to lower case; a query term is looked up by its bigrams (a term of one
character by its unigram). Every row that contains the term contains all of the term's bigrams in
the same field, so the index never misses a row (recall); for a term of one or two characters the
gram *is* the term, and for longer ones rows with the bigrams apart (食品 … 品安 … 安全 in
不同的食品、品安、安全) are removed by a LIKE over the candidates, which decides on both engines (the
callers do it). The cost of a search is the length of the grams' posting lists, not the number of
rows in the table.

The grams of a row are computed in Python at write time and stored as one column of
space-separated tokens (`grams_text`); each engine indexes that column as plain words:

- SQLite: an FTS5 table (`unicode61`) with external content, kept in step by triggers
  (`GramIndex.install`), queried with MATCH on quoted tokens;
- PostgreSQL: a GIN expression index on `sanxiang_gram_tokens(column)` (`string_to_array(column,
  ' ')` in a STRICT SQL function declared costly, so that it is not inlined and the planner knows
  that splitting a row's text costs far more than looking a token up in the index: without it, it
  chose a scan of the whole table for a common token), queried with `@>`.

A token is the gram itself where it is made only of lower-case ASCII letters, digits and CJK
unified ideographs (what both engines take as one word), else "x" and the hex of its UTF-8 bytes
(punctuation, spaces, other scripts): no tokenizer ever splits or changes a token, and the two
forms cannot collide (a raw ASCII token has at most two characters, an encoded one at least three).

Folding is `str.lower`, character by character: at least as broad as Django's `icontains` on either
engine (SQLite folds ASCII only, PostgreSQL compares UPPER()), so the index keeps every row the
LIKE may accept. A term of one or two characters is decided by the index, so with this folding on
both engines; a longer one by the LIKE, so as the engine folds. They differ only for letters with
case outside ASCII (full-width Ａ/ａ, Greek, Cyrillic) on SQLite, where a term of three or more
characters then matches their case exactly, as before the index.

On SQLite, Django rebuilds a table for many schema changes and drops its triggers: a later
migration that alters an indexed table must run the index's `install` again (idempotent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import BooleanField, F, Func, Value
from django.utils.functional import cached_property

# A gram taken as it is: lower-case ASCII letters and digits, CJK unified ideographs.
_RAW = re.compile(r"[0-9a-z\u4e00-\u9fff]+")


def fold(text: str) -> str:
    """Lower case, one character for one (a character whose lower case is longer stays as it is),
    so that positions, and so grams, are those of the text."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _gram_token(gram: str) -> str:
    return gram if _RAW.fullmatch(gram) else "x" + gram.encode().hex()


# Grams repeat from one text to the next (a county's texts share their vocabulary): their tokens
# are remembered, up to a bound, so that indexing a text is mostly dictionary look-ups.
_TOKENS: dict[str, str] = {}
_TOKENS_MAX = 500_000


def gram_token(gram: str) -> str:
    """The index token of a gram: itself where every engine reads it as one word, else encoded."""
    token = _TOKENS.get(gram)
    if token is None:
        token = _gram_token(gram)
        if len(_TOKENS) < _TOKENS_MAX:
            _TOKENS[gram] = token
    return token


def text_grams(text: str) -> set[str]:
    """The unigrams and bigrams of a folded text."""
    folded = fold(text)
    grams = set(folded)
    grams.update(map(str.__add__, folded, folded[1:]))
    return grams


def grams_text(texts: Iterable[str]) -> str:
    """The stored column: the tokens of every gram of each text (each text apart, so that no gram
    spans two fields), each once, sorted (a rebuild writes the same string), space-separated."""
    # What a bulk load spends its time on: the grams of each text gathered by set updates from
    # iterators (no loop in Python over the characters), their tokens looked up by one map over
    # the remembered ones, the others made once.
    grams: set[str] = set()
    update = grams.update
    for text in texts:
        if text:
            folded = fold(text)
            update(folded)
            update(map(str.__add__, folded, folded[1:]))
    words = set(map(_TOKENS.get, grams))
    if None in words:
        words.discard(None)
        words.update([gram_token(g) for g in grams if g not in _TOKENS])
    return " ".join(sorted(words))  # type: ignore[arg-type]


def grams_texts(rows: list[list[str]]) -> list[str]:
    """`grams_text` of each row (a list of texts): the work a bulk load hands to a second process
    (`GramsPipeline`), a batch at a time."""
    return [grams_text(texts) for texts in rows]


class GramsPipeline:
    """The grams of a bulk load's batches computed in a second process while this one writes the
    batches before (issue 20: grams are pure CPU, half a bulk load's; a second core takes them).
    `submit` every batch's texts in order, then `result` each batch's texts in the same order: the
    worker runs ahead of the writer. Without a worker (`workers=0`, or no way to start a process
    safely) the grams are computed here, on `result`: the same strings either way.

    The worker is forked where the platform allows it and this process runs no other thread
    (forking a threaded process may copy a lock another thread holds); else started fresh
    ("forkserver", or "spawn": it imports this module only). It computes `grams_texts` and
    nothing else; a failure there (or its death) raises from `result`, in the caller's
    transaction, which then rolls back whole."""

    def __init__(self, *, workers: int) -> None:
        self._pending: list[Any] = []
        self._executor = None
        if workers > 0:
            import multiprocessing
            import threading
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            method = ("fork" if "fork" in methods and threading.active_count() == 1
                      else "forkserver" if "forkserver" in methods else "spawn")
            self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))

    def submit(self, rows: list[list[str]]) -> None:
        self._pending.append(rows if self._executor is None else self._executor.submit(grams_texts, rows))

    def result(self) -> list[str]:
        item = self._pending.pop(0)
        return grams_texts(item) if self._executor is None else item.result()

    def close(self) -> None:
        """Stop the worker (and the batches not yet computed); waits for its end, so that its CPU is
        counted in this process's children (`resource.getrusage(RUSAGE_CHILDREN)`)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> GramsPipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def query_tokens(term: str) -> list[str]:
    """The tokens a row must hold to contain `term`: its unigram for one character, else its
    bigrams (each once). Empty for an empty term."""
    folded = fold(term)
    if len(folded) <= 1:
        return [gram_token(folded)] if folded else []
    return list(dict.fromkeys(gram_token(folded[i : i + 2]) for i in range(len(folded) - 1)))


def query_exact(term: str) -> bool:
    """Whether the index alone decides `term` (one or two characters: the gram is the term)."""
    return len(term) <= 2


# --- the day of a row as tokens (a dated index) ------------------------------------------------
#
# A dated index (`GramIndex(date_column=...)`) also holds, for each row with text, three tokens of
# its day: y2024, m202403, d20240315. A search then asks for its grams *within a range of days*
# (`date_range_tokens`: the fewest year, month and day tokens covering the range) and so reads, for
# a range, only the rows of those days: the portal walks back from the newest day in ranges of
# growing length until its page is full (`sanxiang.publication.search`), and its cost follows the
# page, not the number of rows a common term finds. These tokens cannot meet a gram's: a raw gram
# has at most two characters, an encoded one starts with "x".


def date_tokens(day: dt.date) -> tuple[str, str, str]:
    """The tokens of one day in a dated index (the engines compute the same in SQL)."""
    return (f"y{day.year:04d}", f"m{day.year:04d}{day.month:02d}", f"d{day.year:04d}{day.month:02d}{day.day:02d}")


def date_range_tokens(first: dt.date, last: dt.date) -> list[str]:
    """The fewest tokens whose days are exactly those from `first` to `last` inclusive: whole years
    as a year token, whole months as a month token, the rest as days (at most ~ 2 x 30 + 2 x 11
    tokens plus the years between). Empty when `first` is after `last`."""
    tokens: list[str] = []
    day = first
    while day <= last:
        year_end = dt.date(day.year, 12, 31)
        month_end = (dt.date(day.year, 12, 31) if day.month == 12
                     else dt.date(day.year, day.month + 1, 1) - dt.timedelta(days=1))
        if day.month == 1 and day.day == 1 and year_end <= last:
            tokens.append(f"y{day.year:04d}")
            end = year_end
        elif day.day == 1 and month_end <= last:
            tokens.append(date_tokens(day)[1])
            end = month_end
        else:
            tokens.append(date_tokens(day)[2])
            end = day
        if end == dt.date.max:
            break
        day = end + dt.timedelta(days=1)
    return tokens


# PostgreSQL: the words of a grams column. STRICT over the non-strict string_to_array keeps it from
# being inlined, so the planner charges COST per row (a seq scan filtering with it is costed as
# what it is) and matches the index's expression as written.
PG_FUNCTION = "sanxiang_gram_tokens"
_PG_FUNCTION_SQL = (
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE COST 1000 AS $$ SELECT string_to_array($1, ' ') $$"
)
# A dated index: the words, and for a row with words its day's three tokens (`date_tokens`). Like
# the function above, STRICT over a non-strict body (the CASE) keeps it from being inlined and COST
# tells the planner what a row costs: measured at 200,000 rows, an inlined one led the planner to
# read a day's rows through the (status, decided_on) index and split every row's text twice
# (~100 µs a row) rather than take the GIN index (~2 ms for the range). Its body uses immutable
# functions only (extract and lpad, not to_char).
PG_DATED_FUNCTION = "sanxiang_gram_tokens_dated"
_PG_DAY = "(extract(year from $2) * 10000 + extract(month from $2) * 100 + extract(day from $2))::int"
_PG_DATED_FUNCTION_SQL = (
    f"CREATE OR REPLACE FUNCTION {PG_DATED_FUNCTION}(text, date) RETURNS text[] LANGUAGE sql IMMUTABLE "
    "STRICT PARALLEL SAFE COST 1000 AS $$ SELECT CASE WHEN $1 = '' THEN '{}'::text[] ELSE string_to_array($1, ' ') || ARRAY["
    f"'y' || lpad(({_PG_DAY} / 10000)::text, 4, '0'), 'm' || lpad(({_PG_DAY} / 100)::text, 6, '0'), "
    f"'d' || lpad({_PG_DAY}::text, 8, '0')] END $$"
)
# SQLite: the same text, as the triggers and the rebuild give it to the FTS5 table.
_SQLITE_DATED_TEXT = (
    "CASE WHEN {p}{c} = '' THEN '' ELSE {p}{c} || ' ' || strftime('y%Y m%Y%m d%Y%m%d', {p}{d}) END"
)


# The index compares its words bytewise (COLLATE "C"): a GIN index sorts and looks up its keys with
# the column's collation, and the database's default (C.UTF-8 here, a locale elsewhere) compares
# through the C library's collation, where "C" is a memcmp. Measured on PostgreSQL 15 at 100,000
# publications (benchmarks/publication_bulk.py's rows, backend CPU of CREATE INDEX): the dated index
# 324 -> 209 us a row, the plain one 120 -> 90. Equality of words is the same under both (both are
# deterministic), so the rows found are the same; a query must name the same collation, or the
# planner does not match the index (`_pg_words`).
PG_COLLATION = 'COLLATE "C"'


def _pg_words(expression: str) -> str:
    """The indexed expression as the index is declared: the words under the bytewise collation."""
    return f"({expression} {PG_COLLATION})"


class _GramsContain(Func):
    """PostgreSQL: `sanxiang_gram_tokens(column) @> tokens`, written as the index's own expression
    (or the planner cannot use it). An expression, not raw SQL, so that the column keeps its alias
    inside a subquery."""

    output_field = BooleanField()

    def __init__(self, column: str, tokens: list[str], date_column: str = "", any_of: list[str] | None = None) -> None:
        expressions = [F(column), Value(tokens)]
        if date_column:
            expressions += [F(date_column), Value(any_of or [])]
        super().__init__(*expressions)
        self.dated = bool(date_column)
        self.has_tokens = bool(tokens)
        self.has_any = any_of is not None

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        column, tokens, *dated = (compiler.compile(e) for e in self.get_source_expressions())
        if not self.dated:
            return f"{_pg_words(f'{PG_FUNCTION}({column[0]})')} @> ({tokens[0]})::text[]", (*column[1], *tokens[1])
        (date_sql, date_params), (any_sql, any_params) = dated
        words, words_params = _pg_words(f"{PG_DATED_FUNCTION}({column[0]}, {date_sql})"), [*column[1], *date_params]
        # No `@> '{}'` (true of every row, and a scan of the whole GIN index): the days alone.
        parts = [(f"{words} @> ({tokens[0]})::text[]", [*words_params, *tokens[1]])] if self.has_tokens else []
        if self.has_any:
            parts.append((f"{words} && ({any_sql})::text[]", [*words_params, *any_params]))
        return " AND ".join(sql for sql, _ in parts), tuple(p for _, params in parts for p in params)


@dataclass(frozen=True)
class GramIndex:
    """The index of one column of grams (`grams_text`) of one table, keyed by its integer primary
    key: its installation on each engine and the condition that finds the rows holding tokens."""

    table: str
    column: str
    pk: str = "id"
    # A dated index (see `date_tokens`): the row's day is indexed with its grams. On SQLite the FTS5
    # table is then contentless (the text it indexes is not a column of the table).
    date_column: str = ""

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def pg_index(self) -> str:
        return f"{self.table}_grams"

    @property
    def sqlite_triggers(self) -> tuple[str, str, str]:
        return (f"{self.fts_table}_ai", f"{self.fts_table}_ad", f"{self.fts_table}_au")

    def _sqlite_dated_install(self) -> tuple[str, ...]:
        fts, t, c, pk, d = self.fts_table, self.table, self.column, self.pk, self.date_column
        ai, ad, au = self.sqlite_triggers
        new, old = (_SQLITE_DATED_TEXT.format(p=p, c=c, d=d) for p in ("new.", "old."))
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
            f"{c}, content='', tokenize='unicode61 remove_diacritics 0')",
            f"CREATE TRIGGER IF NOT EXISTS {ai} AFTER INSERT ON {t} BEGIN "
            f"INSERT INTO {fts}(rowid, {c}) VALUES (new.{pk}, {new}); END",
            # A contentless FTS5 table must be told the old text to remove it.
            f"CREATE TRIGGER IF NOT EXISTS {ad} AFTER DELETE ON {t} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.{pk}, {old}); END",
            f"CREATE TRIGGER IF NOT EXISTS {au} AFTER UPDATE OF {c}, {d} ON {t} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.{pk}, {old}); "
            f"INSERT INTO {fts}(rowid, {c}) VALUES (new.{pk}, {new}); END",
        )

    def _sqlite_dated_fill(self) -> tuple[str, ...]:
        """Empty the contentless table and index every row again (its 'rebuild')."""
        fts, t, c, pk = self.fts_table, self.table, self.column, self.pk
        text = _SQLITE_DATED_TEXT.format(p="", c=c, d=self.date_column)
        return (f"INSERT INTO {fts}({fts}) VALUES ('delete-all')",
                f"INSERT INTO {fts}(rowid, {c}) SELECT {pk}, {text} FROM {t}")

    def _sqlite_install(self) -> tuple[str, ...]:
        if self.date_column:
            return self._sqlite_dated_install()
        fts, t, c, pk = self.fts_table, self.table, self.column, self.pk
        ai, ad, au = self.sqlite_triggers
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
            f"{c}, content='{t}', content_rowid='{pk}', tokenize='unicode61 remove_diacritics 0')",
            f"CREATE TRIGGER IF NOT EXISTS {ai} AFTER INSERT ON {t} BEGIN "
            f"INSERT INTO {fts}(rowid, {c}) VALUES (new.{pk}, new.{c}); END",
            # An external-content FTS5 table must be told the old text to remove it.
            f"CREATE TRIGGER IF NOT EXISTS {ad} AFTER DELETE ON {t} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.{pk}, old.{c}); END",
            # Only when the grams are written: an update of another column leaves the index alone.
            f"CREATE TRIGGER IF NOT EXISTS {au} AFTER UPDATE OF {c} ON {t} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.{pk}, old.{c}); "
            f"INSERT INTO {fts}(rowid, {c}) VALUES (new.{pk}, new.{c}); END",
        )

    def _sqlite_uninstall(self) -> tuple[str, ...]:
        return (*(f"DROP TRIGGER IF EXISTS {name}" for name in self.sqlite_triggers),
                f"DROP TABLE IF EXISTS {self.fts_table}")

    def _pg_install(self) -> tuple[str, ...]:
        if self.date_column:
            # fastupdate off: every search scans the whole pending list of recent writes, up to 4 MB
            # (measured at 200,000 rows: 10-15 ms on each read of a range, 5 times the read); the
            # rows are written to the index as they come, and a bulk load turns it on for its
            # transaction (`bulk_loading`).
            return (_PG_DATED_FUNCTION_SQL, self._pg_index_sql(name=self.pg_index))
        return (_PG_FUNCTION_SQL, self._pg_index_sql(name=self.pg_index))

    def _pg_index_sql(self, *, name: str, concurrently: bool = False) -> str:
        how = "CONCURRENTLY " if concurrently else ""
        if self.date_column:
            return (f"CREATE INDEX {how}IF NOT EXISTS {name} ON {self.table} "
                    f"USING gin ({_pg_words(f'{PG_DATED_FUNCTION}({self.column}, {self.date_column})')}) "
                    "WITH (fastupdate = off)")
        return (f"CREATE INDEX {how}IF NOT EXISTS {name} ON {self.table} "
                f"USING gin ({_pg_words(f'{PG_FUNCTION}({self.column})')})")

    def _pg_uninstall(self) -> tuple[str, ...]:
        # The function stays: another table's index may use it.
        return (f"DROP INDEX IF EXISTS {self.pg_index}",)

    def install(self, *, connection: Any, fill: bool = True) -> None:
        """Create the engine's index where missing and (SQLite, unless `fill` is False: the
        triggers only) fill it from the column. Idempotent: safe to run again after a migration
        that rebuilt the table."""
        statements = {"sqlite": self._sqlite_install, "postgresql": self._pg_install}.get(connection.vendor)
        with connection.cursor() as cursor:
            for sql in statements() if statements else ():
                cursor.execute(sql)
        if fill:
            self.rebuild(connection=connection)

    @contextmanager
    def bulk_loading(self, *, connection: Any) -> Iterator[None]:
        """Inside the caller's transaction, while many rows are inserted: SQLite sets the insert
        trigger aside (the caller indexes each batch with `index_rows`). PostgreSQL, into an empty
        table, drops the index and builds it once at the end (one sort of every row's words, instead
        of a pending list merged: the server's CPU a row of benchmarks/publication_bulk.py went from
        243 to 204 µs at 20,000 rows, of which the build is ~135 µs, 0.75 µs for each of a row's
        ~180 words); the DROP holds the table's
        ACCESS EXCLUSIVE lock to the end of the transaction, so a reader of the (empty) table waits
        for the load instead of seeing it empty. Into a table with rows, where readers must go on,
        the new entries gather in the GIN index's pending list, made large, and are merged once at
        the end (one sorted merge instead of a random insert per gram per row; ALTER INDEX SET takes
        a SHARE UPDATE EXCLUSIVE lock, which blocks neither reads nor writes). Both engines put
        things back in the same transaction; a failure rolls the change of the index back with the
        rest."""
        rebuild = False
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {self.sqlite_triggers[0]}")
            elif connection.vendor == "postgresql":
                cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.table})")
                (rebuild,) = cursor.fetchone()
                if rebuild:
                    cursor.execute(f"DROP INDEX {self.pg_index}")
                else:
                    cursor.execute(f"ALTER INDEX {self.pg_index} SET (fastupdate = on)")
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                self.install(connection=connection, fill=False)  # the trigger again
            elif connection.vendor == "postgresql":
                if rebuild:
                    # CREATE INDEX refuses a table with pending trigger events: the deferred checks of
                    # the rows' foreign keys (Django's are DEFERRABLE INITIALLY DEFERRED) run now, as
                    # they would at commit, then are deferred again (no constraint of the schema is
                    # deferrable and initially immediate, so this restores each one's mode).
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    self.install(connection=connection, fill=False)  # the index, as installed
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                else:
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [self.pg_index])
                    if self.date_column:
                        cursor.execute(f"ALTER INDEX {self.pg_index} SET (fastupdate = off)")

    def index_rows(self, *, connection: Any, first: int) -> None:
        """SQLite: index the rows from primary key `first` on (inserted while the insert trigger was
        set aside) in one statement. A dated index only."""
        if connection.vendor != "sqlite":
            return
        text = _SQLITE_DATED_TEXT.format(p="", c=self.column, d=self.date_column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.fts_table}(rowid, {self.column}) SELECT {self.pk}, {text} FROM {self.table} "
                f"WHERE {self.pk} >= %s",
                [first],
            )

    def rebuild(self, *, connection: Any) -> None:
        """SQLite: index every row again from the table (a no-op on an empty table; PostgreSQL's
        index reads the column)."""
        if connection.vendor != "sqlite":
            return
        statements = self._sqlite_dated_fill() if self.date_column else (
            f"INSERT INTO {self.fts_table}({self.fts_table}) VALUES ('rebuild')",)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def uninstall(self, *, connection: Any) -> None:
        statements = {"sqlite": self._sqlite_uninstall, "postgresql": self._pg_uninstall}.get(connection.vendor)
        with connection.cursor() as cursor:
            for sql in statements() if statements else ():
                cursor.execute(sql)

    def pg_rebuild(self, *, connection: Any) -> None:
        """PostgreSQL: build the index as declared now beside the one in place, then put it in that
        one's place (for a migration that changes its declaration: `install` keeps an index of the
        same name as it is). Built and dropped CONCURRENTLY, so that the portal and the case list go
        on reading and writing the table meanwhile (a plain DROP and CREATE held the table's ACCESS
        EXCLUSIVE lock for the whole build: ~20 s at 100,000 publications); so outside a
        transaction (the migration is `atomic = False`). Run again after a failure, it drops the
        invalid index a failed concurrent build leaves and builds again. Other engines: nothing."""
        if connection.vendor != "postgresql":
            return
        if connection.in_atomic_block:
            raise RuntimeError("pg_rebuild builds CONCURRENTLY: run it outside a transaction (atomic = False)")
        building = f"{self.pg_index}_new"
        with connection.cursor() as cursor:
            cursor.execute(_PG_DATED_FUNCTION_SQL if self.date_column else _PG_FUNCTION_SQL)
            cursor.execute("SET maintenance_work_mem = '256MB'")
            try:
                cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {building}")
                cursor.execute(self._pg_index_sql(name=building, concurrently=True))
                cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {self.pg_index}")
                cursor.execute(f"ALTER INDEX {building} RENAME TO {self.pg_index}")
            finally:
                cursor.execute("RESET maintenance_work_mem")
            # The planner's statistics are kept per indexed expression, and the new one has none until
            # the table is analysed (ANALYZE samples the table and takes no lock that blocks it).
            cursor.execute(f"ANALYZE {self.table}")

    def install_operation(self, apps: Any, schema_editor: Any) -> None:
        """For `migrations.RunPython`."""
        self.install(connection=schema_editor.connection)

    def uninstall_operation(self, apps: Any, schema_editor: Any) -> None:
        self.uninstall(connection=schema_editor.connection)

    def holding(
        self, queryset: Any, tokens: list[str], *, vendor: str, days: tuple[dt.date, dt.date] | None = None
    ) -> Any:
        """`queryset`, a queryset of this table, narrowed to the rows holding every token and (a
        dated index) decided on one of `days` (first, last inclusive), found by the index alone. On
        an engine without an index (none today) the tokens are ignored: the caller's LIKE decides."""
        if days is not None and not self.date_column:
            raise ValueError("days need a dated index")
        any_of = date_range_tokens(*days) if days is not None else None
        if days is not None and not any_of:
            return queryset.none()
        if not tokens and any_of is None:
            return queryset
        if vendor == "sqlite":
            from django.db.models.expressions import RawSQL

            # Tokens hold no double quote (raw tokens are letters, digits, ideographs; the rest hex).
            match = " AND ".join(f'"{token}"' for token in tokens)
            if any_of is not None:
                within = "(" + " OR ".join(f'"{token}"' for token in any_of) + ")"
                match = f"{match} AND {within}" if match else within
            sql = f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s"
            return queryset.filter(pk__in=RawSQL(sql, [match]))
        if days is not None:
            # Said twice: for an engine without an index, and so that the planner may also narrow
            # the range through a B-tree on the day (either way, a read is bounded by it).
            queryset = queryset.filter(**{f"{self.date_column}__range": days})
        if vendor == "postgresql":
            return queryset.filter(_GramsContain(self.column, tokens, self.date_column, any_of))
        return queryset


class CappedPaginator(Paginator):
    """A paginator that counts the rows found up to `cap` and no further: counting every row a
    common term finds (食品 in a fifth of a million decisions) reads every one of them, however
    well indexed, while a page is read in a bounded time. `count` is then `cap`, `more` is set,
    and the pages stop there: the page says "more than", and the reader narrows the search."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.more = False

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.more = found > self.cap
        return min(found, self.cap)

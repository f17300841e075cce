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

import re
from collections.abc import Iterable
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


def gram_token(gram: str) -> str:
    """The index token of a gram: itself where every engine reads it as one word, else encoded."""
    return gram if _RAW.fullmatch(gram) else "x" + gram.encode().hex()


def text_grams(text: str) -> set[str]:
    """The unigrams and bigrams of a folded text."""
    folded = fold(text)
    grams = set(folded)
    grams.update(folded[i : i + 2] for i in range(len(folded) - 1))
    return grams


def grams_text(texts: Iterable[str]) -> str:
    """The stored column: the tokens of every gram of each text (each text apart, so that no gram
    spans two fields), each once, sorted (a rebuild writes the same string), space-separated."""
    grams: set[str] = set()
    for text in texts:
        if text:
            grams |= text_grams(text)
    return " ".join(sorted(gram_token(g) for g in grams))


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


# PostgreSQL: the words of a grams column. STRICT over the non-strict string_to_array keeps it from
# being inlined, so the planner charges COST per row (a seq scan filtering with it is costed as
# what it is) and matches the index's expression as written.
PG_FUNCTION = "sanxiang_gram_tokens"
_PG_FUNCTION_SQL = (
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE COST 1000 AS $$ SELECT string_to_array($1, ' ') $$"
)


class _GramsContain(Func):
    """PostgreSQL: `sanxiang_gram_tokens(column) @> tokens`, written as the index's own expression
    (or the planner cannot use it). An expression, not raw SQL, so that the column keeps its alias
    inside a subquery."""

    output_field = BooleanField()

    def __init__(self, column: str, tokens: list[str]) -> None:
        super().__init__(F(column), Value(tokens))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        column, tokens = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        tokens_sql, tokens_params = compiler.compile(tokens)
        return f"{PG_FUNCTION}({column_sql}) @> ({tokens_sql})::text[]", (*column_params, *tokens_params)


@dataclass(frozen=True)
class GramIndex:
    """The index of one column of grams (`grams_text`) of one table, keyed by its integer primary
    key: its installation on each engine and the condition that finds the rows holding tokens."""

    table: str
    column: str
    pk: str = "id"

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def pg_index(self) -> str:
        return f"{self.table}_grams"

    @property
    def sqlite_triggers(self) -> tuple[str, str, str]:
        return (f"{self.fts_table}_ai", f"{self.fts_table}_ad", f"{self.fts_table}_au")

    def _sqlite_install(self) -> tuple[str, ...]:
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
            # Fill it from the rows already there (a no-op on an empty table).
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        )

    def _sqlite_uninstall(self) -> tuple[str, ...]:
        return (*(f"DROP TRIGGER IF EXISTS {name}" for name in self.sqlite_triggers),
                f"DROP TABLE IF EXISTS {self.fts_table}")

    def _pg_install(self) -> tuple[str, ...]:
        return (_PG_FUNCTION_SQL, f"CREATE INDEX IF NOT EXISTS {self.pg_index} ON {self.table} "
                f"USING gin ({PG_FUNCTION}({self.column}))")

    def _pg_uninstall(self) -> tuple[str, ...]:
        # The function stays: another table's index may use it.
        return (f"DROP INDEX IF EXISTS {self.pg_index}",)

    def install(self, *, connection: Any) -> None:
        """Create the engine's index where missing and (SQLite) fill it from the column.
        Idempotent: safe to run again after a migration that rebuilt the table."""
        statements = {"sqlite": self._sqlite_install, "postgresql": self._pg_install}.get(connection.vendor)
        with connection.cursor() as cursor:
            for sql in statements() if statements else ():
                cursor.execute(sql)

    def uninstall(self, *, connection: Any) -> None:
        statements = {"sqlite": self._sqlite_uninstall, "postgresql": self._pg_uninstall}.get(connection.vendor)
        with connection.cursor() as cursor:
            for sql in statements() if statements else ():
                cursor.execute(sql)

    def install_operation(self, apps: Any, schema_editor: Any) -> None:
        """For `migrations.RunPython`."""
        self.install(connection=schema_editor.connection)

    def uninstall_operation(self, apps: Any, schema_editor: Any) -> None:
        self.uninstall(connection=schema_editor.connection)

    def holding(self, queryset: Any, tokens: list[str], *, vendor: str) -> Any:
        """`queryset`, a queryset of this table, narrowed to the rows holding every token. On an
        engine without an index (none today) it is left as it is: the caller's LIKE decides alone."""
        if not tokens:
            return queryset
        if vendor == "sqlite":
            from django.db.models.expressions import RawSQL

            # Tokens hold no double quote (raw tokens are letters, digits, ideographs; the rest hex).
            match = " AND ".join(f'"{token}"' for token in tokens)
            sql = f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s"
            return queryset.filter(pk__in=RawSQL(sql, [match]))
        if vendor == "postgresql":
            return queryset.filter(_GramsContain(self.column, tokens))
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

"""Full-text search over the published decisions, the same on SQLite and PostgreSQL (tech_notes §4,
"Portable design").

Neither engine can segment Chinese, so the words are cut in Python (rjieba, jieba's dictionary in
Rust; jieba itself where rjieba is missing) and stored space-separated in `Publication.search_text`.
Each engine then indexes that text as plain words:

- SQLite: an FTS5 table (`unicode61`) with external content `publication_publication`, keyed by
  `Publication.id`, kept in step by AFTER INSERT/UPDATE/DELETE triggers (`search_index_install`).
- PostgreSQL: a GIN expression index on `to_tsvector('simple', search_text)`.

What a search means, on both engines: every whitespace-separated term of the query occurs, as
typed, in one of the public text columns (`SEARCH_FIELDS`), case-insensitive for Latin letters.
The index only narrows the rows down; a `LIKE` over those columns decides. That is what makes the
two engines agree, and agree with a plain substring check:

- Recall. `search_text` holds, besides jieba's search-mode words, every dictionary word (two or more
  Chinese characters) that occurs anywhere in the text (`cut_all`), not only those on jieba's
  preferred path. So 食品安全 is indexed in 违反食品安全法规定 although search mode cuts it
  食品 / 安全法, and 广告 in 户外广告. A term is cut with `cut`; each dictionary word it contains
  is then certainly in the index of every row that contains the term.
- Precision. Tokens found apart (没收 … 违法 … 所得) are not the phrase 没收违法所得; the LIKE
  on the candidates removes them.
- Terms with no dictionary word in them (one character, names jieba does not know, numbers,
  Latin) are answered by the LIKE alone, over the content table: never by LIKE on the FTS table,
  which matches nothing useful (tech_notes §4).

The user dictionary (`LEGAL_TERMS`) only changes how jieba cuts; a word added later is missing
from `search_text` of rows written before, so refresh them (`search_text_refresh`) after changing it.

On SQLite, Django rebuilds a table for many schema changes (create, copy, drop, rename), which
drops its triggers: a later migration that alters `Publication` must run
`RunPython(search_index_install_operation)` after the change (tests/portal/test_search.py checks
that the triggers exist).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from sanxiang.publication.models import Publication, PublicationStatus

# The public text a search looks in: what `search_text` must be built from (`publication_search_text`).
SEARCH_FIELDS: tuple[str, ...] = ("number", "title", "party_name", "violation_type", "facts", "content")

# Terms of enforcement that jieba's general dictionary lacks or cuts apart. Added to the
# segmenter's own dictionary, so that the query 没收违法所得 is one word, as it is in the text.
LEGAL_TERMS: tuple[str, ...] = (
    "行政处罚",
    "行政执法",
    "行政强制",
    "行政许可",
    "行政检查",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "责令停产停业",
    "责令关闭",
    "责令改正",
    "暂扣许可证件",
    "吊销许可证件",
    "吊销营业执照",
    "吊销",
    "降低资质等级",
    "限制从业",
    "通报批评",
    "行政拘留",
    "食品安全",
    "食品经营",
    "食品生产",
    "虚假宣传",
    "虚假广告",
    "户外广告",
    "市场监管",
    "市场监督管理",
    "综合执法",
    "生态环境",
    "安全生产",
    "违法所得",
    "违法行为",
    "当事人",
    "法定代表人",
    "统一社会信用代码",
)

FTS_TABLE = "publication_publication_fts"
PG_INDEX = "publication_search_tsv"
# The characters jieba's dictionary words are made of (jieba's own `re_han`): only words of these
# are looked up in the index, the rest is left to LIKE.
_HAN_WORD = re.compile(r"[\u4e00-\u9fd5]{2,}")
# A word worth indexing has a letter or a digit: punctuation, symbols and spaces are dropped.
_HAS_ALNUM = re.compile(r"[^\W_]")
# A query is typed by a person; longer ones are cut so that one request cannot cost much.
MAX_QUERY_CHARS = 100
MAX_TERMS = 8


# --- segmentation --------------------------------------------------------------------------------


class Segmenter(Protocol):
    def cut(self, text: str) -> list[str]: ...
    def cut_for_search(self, text: str) -> list[str]: ...
    def cut_all(self, text: str) -> list[str]: ...
    def has_word(self, word: str) -> bool: ...


class _Rjieba:
    """rjieba, with its own dictionary instance: adding the legal terms to the module's shared
    instance would change the words every other caller in the process gets."""

    name = "rjieba"

    def __init__(self, module: Any) -> None:
        self._jieba = module.Jieba()
        for word in LEGAL_TERMS:
            self._jieba.add_word(word, None, None)  # frequency suggested so that `cut` keeps it whole

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, False)

    def cut_for_search(self, text: str) -> list[str]:
        return self._jieba.cut_for_search(text, True)

    def cut_all(self, text: str) -> list[str]:
        return self._jieba.cut_all(text)

    def has_word(self, word: str) -> bool:
        return self._jieba.has_word(word)


class _Jieba:
    """jieba (pure Python, about 35 times slower): the same dictionary and the same words."""

    name = "jieba"

    def __init__(self, module: Any) -> None:
        module.setLogLevel(30)  # it logs the dictionary loading at INFO
        self._jieba = module.Tokenizer()
        self._jieba.check_initialized()
        for word in LEGAL_TERMS:
            self._jieba.add_word(word)

    def cut(self, text: str) -> list[str]:
        return list(self._jieba.cut(text, HMM=False))

    def cut_for_search(self, text: str) -> list[str]:
        return list(self._jieba.cut_for_search(text, HMM=True))

    def cut_all(self, text: str) -> list[str]:
        return list(self._jieba.cut(text, cut_all=True))

    def has_word(self, word: str) -> bool:
        # Prefixes of words are kept in FREQ with frequency 0; they are not words.
        return bool(self._jieba.FREQ.get(word))


@cache
def segmenter() -> Segmenter:
    """The process's segmenter, loaded on first use (about 0.15 s for rjieba, 1 s for jieba)."""
    try:
        import rjieba
    except ImportError:
        import jieba

        return _Jieba(jieba)
    return _Rjieba(rjieba)


def _words(tokens: Iterable[str]) -> Iterator[str]:
    """Lowercase, split on whitespace, drop what has no letter or digit (punctuation, symbols)."""
    for token in tokens:
        yield from filter(_HAS_ALNUM.search, token.lower().split())


def search_text_build(*, texts: list[str]) -> str:
    """The words of `texts` for the index, each once, separated by single spaces.

    Search-mode words (综合执法 + 综合 + 执法), plus every dictionary word of two or more Chinese
    characters found anywhere in a text (`cut_all`): search mode follows one path through a
    sentence and would leave 食品安全 out of 违反食品安全法, which the query 食品安全 needs.
    Texts are cut one by one so that no word spans two fields. Each word is kept once: the index
    answers "does it contain", results are ordered by date, not by relevance."""
    seg = segmenter()
    tokens: list[str] = []
    for text in texts:
        if text:
            tokens += filter(_HAS_ALNUM.search, seg.cut_for_search(text))
            tokens += filter(_HAN_WORD.fullmatch, seg.cut_all(text))
    # Lowercase and split once, over the joined text: a loop over the tokens in Python costs
    # several times the segmentation itself (benchmarks/portal_search.py).
    return " ".join(dict.fromkeys(" ".join(tokens).lower().split()))


def publication_search_text(publication: Publication) -> str:
    """`search_text` for a publication: its `SEARCH_FIELDS` and nothing else, so that the index
    holds exactly the text a search is checked against."""
    return search_text_build(texts=[getattr(publication, field) or "" for field in SEARCH_FIELDS])


def search_text_refresh(*, queryset: QuerySet[Publication] | None = None, batch_size: int = 1000) -> int:
    """Recompute `search_text` (after the dictionary changed, or for rows written without it);
    returns how many rows changed. The triggers (SQLite) and the expression index (PostgreSQL)
    follow the update by themselves."""
    rows = (queryset if queryset is not None else Publication.objects.all()).only(
        "id", "search_text", *SEARCH_FIELDS
    )
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
    """One term of a query: the text that must occur, and the dictionary words of it that the
    index certainly holds for every row where it occurs (empty: LIKE alone)."""

    text: str
    index_words: tuple[str, ...]


def search_terms(q: str) -> list[SearchTerm]:
    """The query cut into terms at whitespace; each term segmented with `cut` (not search mode:
    the query should name the words it is made of, not every sub-word)."""
    seg = segmenter()
    terms: list[SearchTerm] = []
    for raw in q[:MAX_QUERY_CHARS].split():
        if not _HAS_ALNUM.search(raw) or any(t.text == raw for t in terms):
            continue
        words = dict.fromkeys(w for w in _words(seg.cut(raw)) if _HAN_WORD.fullmatch(w) and seg.has_word(w))
        terms.append(SearchTerm(text=raw, index_words=tuple(words)))
        if len(terms) == MAX_TERMS:
            break
    return terms


def _occurs(text: str) -> Q:
    return Q.create([(f"{field}__icontains", text) for field in SEARCH_FIELDS], connector=Q.OR)


class _TsMatch(Func):
    """`to_tsvector('simple', search_text) @@ plainto_tsquery('simple', words)`, written out as the
    index's own expression (`search_index_install`), or the planner cannot use the index. An
    expression, not raw SQL, so that the column keeps its alias inside a subquery."""

    output_field = BooleanField()

    def __init__(self, words: str) -> None:
        super().__init__(F("search_text"), Value(words))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        column, query = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        query_sql, query_params = compiler.compile(query)
        sql = f"to_tsvector('simple'::regconfig, {column_sql}) @@ plainto_tsquery('simple'::regconfig, {query_sql})"
        return sql, (*column_params, *query_params)


def _index_filter(queryset: QuerySet[Publication], words: list[str]) -> QuerySet[Publication]:
    """Rows whose `search_text` holds all `words` (words of Chinese characters only, so nothing
    in them needs quoting for FTS5 or tsquery)."""
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        match = " AND ".join(f'"{w}"' for w in words)
        return queryset.filter(
            id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        )
    if vendor == "postgresql":
        return queryset.filter(_TsMatch(" ".join(words)))
    return queryset  # another engine: no index, LIKE alone


def publications_search(queryset: QuerySet[Publication], q: str) -> QuerySet[Publication]:
    """The published rows of `queryset` in which every term of `q` occurs (see the module's
    docstring), newest decision first. Withdrawn and expired rows are never searched: their
    content is no longer public, and a match would reveal it."""
    rows = queryset.filter(status=PublicationStatus.PUBLISHED)
    terms = search_terms(q)
    words = list(dict.fromkeys(w for term in terms for w in term.index_words))
    if words:
        rows = _index_filter(rows, words)
    for term in terms:
        rows = rows.filter(_occurs(term.text))
    return rows.order_by("-decided_on", "-id")


# --- the index -----------------------------------------------------------------------------------

_TABLE = "publication_publication"
_SQLITE_INSTALL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"search_text, content='{_TABLE}', content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    # An external-content FTS5 table must be told the old text to remove it.
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    # Only when search_text is written: a change of status leaves the index alone.
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Fill it from the rows already there (a no-op on an empty table).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
_SQLITE_UNINSTALL = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
SQLITE_TRIGGERS = (f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au")
_PG_INSTALL = (
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {_TABLE} "
    f"USING gin (to_tsvector('simple'::regconfig, search_text))",
)
_PG_UNINSTALL = (f"DROP INDEX IF EXISTS {PG_INDEX}",)


def search_index_install(*, connection: Any) -> None:
    """Create the engine's index where missing and (SQLite) fill it from `search_text`.
    Idempotent: safe to run again after a migration that rebuilt the table."""
    statements = {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(connection.vendor, ())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def search_index_uninstall(*, connection: Any) -> None:
    statements = {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(connection.vendor, ())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def search_index_install_operation(apps: Any, schema_editor: Any) -> None:
    """For `migrations.RunPython`."""
    search_index_install(connection=schema_editor.connection)


def search_index_uninstall_operation(apps: Any, schema_editor: Any) -> None:
    search_index_uninstall(connection=schema_editor.connection)

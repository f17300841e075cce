"""The case list's search, through an index of character grams (`sanxiang.textsearch`), the same on
SQLite and PostgreSQL (issue 12).

What a search means (as before the index): the typed text, stripped, occurs in the case's number,
its title or its party's name, case-insensitive. It is one term, spaces and all.

`CaseSearch.grams` holds the tokens of the unigrams and bigrams of those three texts. It is written
by `case_search_refresh`, which the case projection's refresh calls for the cases it refreshes: in
the transaction of every change of a case (its registration included) and of every edit of a
party's name (`cases.projection.registry_party_changed`). The grams live in a table of their own so
that the case's row stays as it is; the index is an FTS5 table on SQLite, a GIN index on
PostgreSQL (`INDEX`).

A text of one or two characters is decided by the index alone (the gram is the text); a longer
one is narrowed by the index to the cases holding all its bigrams, then decided by a LIKE over
those. `case_search_check` and `case_search_rebuild` are the projection "cases.search".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from sanxiang.cases.models import Case, CaseSearch
from sanxiang.textsearch import GramIndex, grams_text, query_exact, query_tokens

INDEX = GramIndex(table="cases_casesearch", column="grams", pk="case_id")
CHUNK = 1000
# A longer text needs no more tokens to narrow the candidates to a handful: the LIKE decides.
MAX_TOKENS = 32
# Above this many cases holding a term's grams, SQLite walks the list's own order and probes the
# grams' rows instead of reading every case found (`_sqlite_holding`). Reading and sorting this
# many rows costs a few ms.
COMMON_ROWS = 1000


def case_search_text(*, number: str, title: str, party_name: str) -> str:
    """The stored grams of a case (each text apart: no gram spans two of them)."""
    return grams_text([number, title, party_name])


def _expected(ids: list[int], cases: dict[int, Case] | None = None) -> dict[int, str]:
    given = {pk: cases[pk] for pk in ids if cases and pk in cases}
    found = {
        pk: case_search_text(number=case.number, title=case.title, party_name=case.party.name if case.party_id else "")
        for pk, case in given.items()
    }
    missing = [pk for pk in ids if pk not in given]
    if missing:
        rows = Case.objects.filter(pk__in=missing).values_list("pk", "number", "title", "party__name")
        found |= {pk: case_search_text(number=number, title=title, party_name=name or "")
                  for pk, number, title, name in rows}
    return found


def case_search_refresh(*, case_ids: Iterable[int], cases: dict[int, Case] | None = None) -> int:
    """Store the grams of these cases, in the caller's transaction (or one of its own); returns
    the number of rows written. `cases` (by id): rows as saved, with their party, whose texts are
    then not read again."""
    ids = sorted({int(i) for i in case_ids if i is not None})
    written = 0
    # No savepoint: a failure here fails the caller's transaction, which is what it would do anyway.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            expected = _expected(chunk, cases)
            stored = dict(CaseSearch.objects.filter(case_id__in=chunk).values_list("case_id", "grams"))
            stale = [pk for pk, grams in expected.items() if stored.get(pk) != grams]
            if not stale:
                continue
            # Delete and insert (not update): the same statements on both engines, and the FTS5
            # triggers see a delete of the old text and an insert of the new.
            CaseSearch.objects.filter(case_id__in=stale).delete()
            CaseSearch.objects.bulk_create([CaseSearch(case_id=pk, grams=expected[pk]) for pk in stale])
            written += len(stale)
    return written


def case_search_check() -> list[str]:
    """The cases whose stored grams differ from their texts' (or are missing), and (SQLite) whether
    the FTS5 table agrees with the column; [] when all is in step."""
    lines: list[str] = []
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        expected = _expected(chunk)
        stored = dict(CaseSearch.objects.filter(case_id__in=chunk).values_list("case_id", "grams"))
        numbers = dict(Case.objects.filter(pk__in=chunk).values_list("pk", "number"))
        for pk, grams in expected.items():
            if pk not in stored:
                lines.append(f"案件{numbers[pk]}：缺少检索索引")
            elif stored[pk] != grams:
                lines.append(f"案件{numbers[pk]}：检索索引与案号、案由或当事人名称不一致")
    connection = connections[CaseSearch.objects.db]
    if connection.vendor == "sqlite":
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {INDEX.fts_table}({INDEX.fts_table}, rank) VALUES ('integrity-check', 1)")
        except DatabaseError as error:
            lines.append(f"案件检索索引表与案件检索表不一致（{error}）")
    return lines


def case_search_rebuild() -> int:
    """Recompute the grams of every case and (SQLite) rebuild the FTS5 table; returns the number
    of rows written."""
    with transaction.atomic():
        written = case_search_refresh(case_ids=Case.objects.values_list("pk", flat=True))
        connection = connections[CaseSearch.objects.db]
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {INDEX.fts_table}({INDEX.fts_table}) VALUES ('rebuild')")
    return written


def cases_search(queryset: QuerySet[Case], search: str) -> QuerySet[Case]:
    """The cases of `queryset` whose number, title or party's name contains `search` (stripped by
    the caller; an empty text leaves the queryset as it is)."""
    if not search:
        return queryset
    vendor = connections[queryset.db].vendor
    tokens = query_tokens(search)[:MAX_TOKENS]
    if vendor == "sqlite":
        queryset = _sqlite_holding(queryset, tokens)
        if query_exact(search):
            return queryset
    elif vendor == "postgresql":
        holding = INDEX.holding(CaseSearch.objects.all(), tokens, vendor=vendor)
        queryset = queryset.filter(pk__in=holding.values("case_id"))
        if query_exact(search):
            return queryset
    return queryset.filter(Q(number__icontains=search) | Q(title__icontains=search) | Q(party__name__icontains=search))


def _sqlite_holding(queryset: QuerySet[Case], tokens: list[str]) -> QuerySet[Case]:
    """SQLite: the cases of `queryset` whose grams hold every token, by the FTS5 table's rowids
    (the cases' ids: no detour through `cases_casesearch`). With the planner's statistics (ANALYZE,
    daily) SQLite reads such a list of ids first: each case it names, then a sort of them all for
    the newest fifty, which grows with the cases a term finds (食品: 52,950 of 100,000 cases, the
    page's query 123 ms). Where the term is common (more than COMMON_ROWS cases hold its grams; one
    capped query of the FTS5 table alone decides it), the list is only probed: the case's id is
    written as an expression (`id + 0`), which no index serves, and SQLite walks the list's order
    (the agency's newest cases) instead, stopping at the page's last row (9.6 ms). A rare term
    keeps the list first: a few rows read and sorted (a walk would read the whole agency: 23 ms for
    one case found). The walk's worst case, a term common elsewhere and absent from the agency
    (征收 for the market bureau: 5,867 cases found, none its own), reads the agency's index whole:
    26 + 37 ms for the count and the page at 100,000 cases, against 7 + 6 ms the other way."""
    if not tokens:
        return queryset
    # Tokens hold no double quote (raw tokens are letters, digits, ideographs; the rest hex).
    match = " AND ".join(f'"{token}"' for token in tokens)
    fts = INDEX.fts_table
    holding = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match])
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH %s LIMIT %s)",
                       [match, COMMON_ROWS + 1])
        (found,) = cursor.fetchone()
    if found <= COMMON_ROWS:
        return queryset.filter(pk__in=holding)
    return queryset.alias(_probed_id=F("pk") + 0).filter(_probed_id__in=holding)


def search_index_install_operation(apps: Any, schema_editor: Any) -> None:
    """For `migrations.RunPython`."""
    INDEX.install(connection=schema_editor.connection)


def search_index_uninstall_operation(apps: Any, schema_editor: Any) -> None:
    INDEX.uninstall(connection=schema_editor.connection)

"""The case list's search through the grams' index (issue 12): the same answers as a substring check
of the case's number, title and party's name, on SQLite (FTS5) and PostgreSQL (GIN); the grams
follow a case's registration and its party's renaming in the same transaction; the projection
"cases.search" reports and repairs what is out of step; the page's queries do not grow with the
cases found."""

import itertools

import pytest
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.cases.models import Case, CaseSearch
from sanxiang.cases.search import (
    INDEX,
    case_search_check,
    case_search_rebuild,
    case_search_refresh,
    cases_search,
)
from sanxiang.cases.selectors import case_list
from sanxiang.projections import projections_all
from sanxiang.registry import services as registry
from sanxiang.registry.models import Party
from tests.cases.support import lead_make, world_make
from tests.factories import agency_make
from tests.querycount import queries_without_ledger_writes
from tests.supervision.support import read_grant_give

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


@pytest.fixture
def w():
    return world_make()


def found(search: str, queryset=None) -> set[int]:
    return set(cases_search(queryset if queryset is not None else Case.objects.all(), search).values_list("pk", flat=True))


def test_index_installed_by_the_migration():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_casesearch'")
            assert set(INDEX.sqlite_triggers) <= {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX.pg_index])
            (indexdef,) = cursor.fetchone()
            assert "gin" in indexdef and "sanxiang_gram_tokens(grams)" in indexdef
            assert 'COLLATE "C"' in indexdef  # words compared bytewise (textsearch.PG_COLLATION)
    assert "cases.search" in {p.name for p in projections_all()}


def test_a_registered_case_is_found_by_number_title_and_party(w):
    case = lead_make(w, title="涉嫌经营超过保质期的食品案")
    other = lead_make(w, title="占道经营案", party=w.citizen)
    assert found("食品") == {case.pk}  # two characters: the index alone
    assert found("保质期的食品") == {case.pk}  # longer: the index, then the LIKE
    assert found("餐饮") == found("草原味道餐饮") == {case.pk}  # the party's name (乌审旗草原味道餐饮有限公司)
    assert found("刘某") == {other.pk}
    assert found(case.number) == {case.pk}
    assert found("经营") == {case.pk, other.pk}
    assert found("占") == {other.pk}  # one character: its unigram
    assert found("食品 案") == set()  # one term, space and all, as before the index
    assert found("不存在的案由") == set()


def test_latin_letters_are_case_insensitive(w):
    case = lead_make(w, title="销售ABC牌假冒商品案")
    assert found("abc") == found("ABC") == found("bC") == found("aBc牌") == {case.pk}


def test_the_grams_follow_a_party_renamed_in_the_same_transaction(w):
    case = lead_make(w)
    with transaction.atomic():
        registry.party_update(actor=None, party=w.company, name="乌审旗蒙餐美食有限公司")
        assert found("美食") == {case.pk}  # before the commit: written in the edit's transaction
    assert found("草原") == set() and found("蒙餐美食") == {case.pk}
    assert case_search_check() == []


def test_the_projection_reports_and_repairs(w):
    case = lead_make(w, title="涉嫌无照经营案")
    assert case_search_check() == []
    CaseSearch.objects.filter(case=case).update(grams="")
    assert found("无照") == set()  # the index decides which cases are looked at
    assert case_search_check() == [f"案件{case.number}：检索索引与案号、案由或当事人名称不一致"]
    CaseSearch.objects.filter(case=case).delete()
    assert case_search_check() == [f"案件{case.number}：缺少检索索引"]
    assert case_search_rebuild() == 1
    assert case_search_check() == [] and found("无照") == {case.pk}


def test_the_case_list_keeps_its_scope(w):
    mine = lead_make(w, title="涉嫌无照经营案")
    theirs = _case_make(agency_make(), number=f"他案{next(_serial)}", title="涉嫌无照经营案", party_name="")
    case_search_refresh(case_ids=[theirs.pk])
    assert set(case_list(viewer=w.officer, search="无照").values_list("pk", flat=True)) == {mine.pk}
    # A supervisor finds only what a read grant calls up (调阅案卷, issue 14).
    assert set(case_list(viewer=w.supervisor, search="无照").values_list("pk", flat=True)) == set()
    read_grant_give(case=theirs, user=w.supervisor)
    assert set(case_list(viewer=w.supervisor, search="无照").values_list("pk", flat=True)) == {theirs.pk}


def test_the_page_costs_the_same_queries_whatever_it_finds(client, w):
    client.force_login(w.head)
    lead_make(w, title="涉嫌无照经营案")
    url = reverse("cases:case_list")
    with queries_without_ledger_writes() as one:
        response = client.get(url, {"q": "无照经营"})
    assert response.status_code == 200 and "涉嫌无照经营案" in response.content.decode()
    for _ in range(5):
        lead_make(w, title="涉嫌无照经营案", party=w.citizen)
    with queries_without_ledger_writes() as six:
        response = client.get(url, {"q": "无照经营"})
    assert response.content.decode().count("涉嫌无照经营案") >= 6
    assert six.count == one.count


# --- the property: the index's answer == a substring check ----------------------------------------

# Ideographs, Latin letters in both cases, digits, punctuation and a space: every kind of gram.
# A small alphabet, so that a query's bigrams often occur apart in a text (品安 and 安品 in
# 品安品 without 安品安): what the LIKE after the index must remove.
_ALPHABET = "食品安Aa1〔，- "
_text = st.text(alphabet=_ALPHABET, min_size=0, max_size=12)


def _case_make(agency, *, number: str, title: str, party_name: str) -> Case:
    """A case written directly (the texts are what is tested, not the registration); `number`
    must be unique."""
    party = None
    if party_name:
        party = Party.objects.create(agency=agency, kind="legal_person", name=party_name)
    return Case.objects.create(agency=agency, number=number, title=title, party=party)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_text, _text, _text), min_size=1, max_size=6), data=st.data())
def test_search_is_a_substring_check(w, rows, data):
    """For random numbers, titles and party names and a random query (a piece of one of them, or
    any text), the index returns exactly the cases whose texts contain it (Latin case folded)."""
    with transaction.atomic():
        # "#i" keeps the numbers unique, the same on every run of an example (hypothesis replays them).
        cases = [_case_make(w.agency, number=f"{n}#{i}", title=t, party_name=p) for i, (n, t, p) in enumerate(rows)]
        case_search_refresh(case_ids=[c.pk for c in cases])
        texts = [(c.pk, [c.number, c.title, c.party.name if c.party else ""]) for c in cases]
        _, source = data.draw(st.sampled_from(texts))
        whole = data.draw(st.sampled_from(source))
        i = data.draw(st.integers(0, max(len(whole) - 1, 0)))
        piece = whole[i : data.draw(st.integers(i, len(whole)))]
        search = data.draw(st.one_of(st.just(piece), st.text(alphabet=_ALPHABET, min_size=2, max_size=4))).strip()
        if search:
            expected = {pk for pk, fields in texts if any(search.lower() in f.lower() for f in fields)}
            assert found(search, Case.objects.filter(pk__in=[c.pk for c in cases])) == expected, search
        transaction.set_rollback(True)


def test_a_common_term_finds_the_same_cases_in_the_same_order(w, monkeypatch):
    """Where a term is common (more cases hold its grams than `COMMON_ROWS`), SQLite probes the
    grams' rows while it walks the agency's newest cases instead of reading every case found
    first (issue 12): the same cases, newest first, within the viewer's scope, as the rare term's
    path; a longer term is still decided by the LIKE."""
    from sanxiang.cases import search

    mine = [lead_make(w, title=title) for title in ("涉嫌无照经营案", "无照经营食品案", "涉嫌无照行医案")]
    lead_make(w, title="占道经营案")
    theirs = _case_make(agency_make(), number=f"他案{next(_serial)}", title="涉嫌无照经营案", party_name="")
    case_search_refresh(case_ids=[theirs.pk])

    def listed(term: str) -> list[int]:
        return list(case_list(viewer=w.head, search=term).values_list("pk", flat=True))

    rare = {term: listed(term) for term in ("无照", "无照经营", "照经营食")}
    newest_first = [c.pk for c in sorted(mine, key=lambda c: (c.created_at, c.pk), reverse=True)]
    assert rare["无照"] == newest_first
    assert rare["无照经营"] == [mine[1].pk, mine[0].pk] and rare["照经营食"] == [mine[1].pk]
    monkeypatch.setattr(search, "COMMON_ROWS", 1)  # every one of these terms is now common
    assert {term: listed(term) for term in rare} == rare
    assert listed("无照行医") == [mine[2].pk] and listed("不存在") == []

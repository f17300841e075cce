"""Issue 20: a page of the portal's search is read through the dated grams' index a range of days
at a time, newest first, so that its cost follows the page and not the rows found. The pages give
exactly the rows (and order) of the plain search, on either engine; the count stops at its bound;
deep pages follow a cursor."""

import datetime as dt
import itertools
import math

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus
from sanxiang.publication.search import (
    PG_INDEX,
    SEARCH_FIELDS,
    SearchCursor,
    publications_search,
    publications_search_page,
    search_text_build,
)
from sanxiang.textsearch import date_range_tokens, date_tokens, gram_token, grams_text, text_grams

_serial = itertools.count(1)
DAY0 = dt.date(2024, 12, 20)


# --- the grams of a row (no database) ------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="广告食品安全发布虚假罚款〔〕号ＡａAbİẞΣ12 ，\0", max_size=30), max_size=7))
def test_the_grams_column_is_each_texts_grams_as_tokens_sorted(texts):
    """`grams_text` (rewritten for the bulk load's speed) is still its definition: the tokens of
    the unigrams and bigrams of each text apart (none spanning two texts; a text holding NUL
    keeps its own), each once, sorted, so that a rebuild writes the same string."""
    expected = " ".join(sorted({gram_token(g) for text in texts if text for g in text_grams(text)}))
    assert grams_text(texts) == expected


# --- the days as tokens (no database) ------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)), st.integers(0, 1200))
def test_a_range_of_days_is_covered_by_its_tokens_exactly(first, length):
    last = first + dt.timedelta(days=length)
    tokens = date_range_tokens(first, last)
    assert len(tokens) == len(set(tokens))
    wanted = set(tokens)
    around = _days(first - dt.timedelta(days=400), last + dt.timedelta(days=400))
    assert [day for day in around if wanted & set(date_tokens(day))] == _days(first, last)
    # The fewest: at most 30 days and 11 months on each side of the whole years.
    assert len(tokens) <= 2 * (30 + 11) + (last.year - first.year + 1)


def _days(first, last):
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_an_empty_range_has_no_tokens_and_whole_periods_one():
    assert date_range_tokens(dt.date(2025, 1, 2), dt.date(2025, 1, 1)) == []
    assert date_range_tokens(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == ["y2025"]
    assert date_range_tokens(dt.date(2024, 2, 1), dt.date(2024, 2, 29)) == ["m202402"]
    assert date_range_tokens(dt.date(2024, 12, 31), dt.date(2026, 2, 1)) == [
        "d20241231", "y2025", "m202601", "d20260201"]
    assert date_tokens(dt.date(2024, 3, 5)) == ("y2024", "m202403", "d20240305")


def test_cursor_parses_only_what_it_wrote():
    cursor = SearchCursor(decided_on=dt.date(2024, 3, 5), id=17)
    assert str(cursor) == "20240305-17" and SearchCursor.parse(str(cursor)) == cursor
    for raw in ("", "x", "20240230-1", "2024035-1", "20240305-", "20240305-1 ", "20240305--1", "1" * 40):
        assert SearchCursor.parse(raw) is None


# --- pages over the database ---------------------------------------------------------------------


@pytest.fixture
def agency(db):
    return PublicAgency.objects.create(source_id=1, name="乌审旗市场监督管理局", kind="行政机关",
                                       refreshed_at=timezone.now())


def rows_make(agency, specs):
    """Publications from (title, day offset, status) in one statement."""
    objects = []
    for title, offset, status in specs:
        n = next(_serial)
        values = {"number": f"乌审旗市监处罚〔2026〕{n}号", "title": title, "party_name": "某某商贸有限公司",
                  "violation_type": "其他", "facts": "经查属实。", "content": "给予警告。"}
        objects.append(Publication(
            agency=agency, agency_name=agency.name, party_kind="法人及非法人组织", basis="《行政处罚法》",
            kinds=["warning"], kinds_label="警告", decided_on=DAY0 + dt.timedelta(days=offset),
            published_on=DAY0, display_until=dt.date(2099, 1, 1), status=status,
            search_text=search_text_build(texts=[values[f] for f in SEARCH_FIELDS]), **values))
    Publication.objects.bulk_create(objects)


def all_pages(q, per_page, **kwargs):
    rows, after, pages = [], None, []
    while True:
        page = publications_search_page(Publication.objects.all(), q, per_page=per_page, after=after, **kwargs)
        pages.append(page)
        rows += [p.pk for p in page.rows]
        assert len(page.rows) <= per_page
        if not page.next_cursor:
            return rows, pages
        assert len(page.rows) == per_page
        after = SearchCursor.parse(page.next_cursor)


_WORDS = ["广告", "户外广告", "虚假广告", "食品安全", "食品", "安全", "罚款", "张三", "经营"]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(st.tuples(st.lists(st.sampled_from(_WORDS), max_size=3).map("".join),
                             st.integers(0, 800), st.sampled_from(list(PublicationStatus.values))),
                   min_size=1, max_size=25),
    q=st.sampled_from([*_WORDS, "广告 罚款", "告户", "无此词"]),
    per_page=st.integers(1, 4),
)
def test_the_pages_are_the_search_in_its_order(agency, specs, q, per_page):
    """Every row of `publications_search` (published, each term a substring, newest first, ties by
    id), once, in its order, across the pages that follow the cursor; the count exact below its
    bound."""
    with transaction.atomic():
        rows_make(agency, specs)
        expected = list(publications_search(Publication.objects.all(), q).values_list("id", flat=True))
        rows, pages = all_pages(q, per_page)
        assert rows == expected
        assert all(p.count == len(expected) and not p.estimated for p in pages)
        transaction.set_rollback(True)


def test_date_bounds_and_filters_of_the_queryset_apply(agency):
    rows_make(agency, [("发布虚假广告", day, PublicationStatus.PUBLISHED) for day in range(0, 60, 3)])
    first, last = DAY0 + dt.timedelta(days=10), DAY0 + dt.timedelta(days=30)
    page = publications_search_page(Publication.objects.filter(decided_on__range=(first, last)), "广告",
                                    per_page=50, date_from=first, date_to=last)
    assert [p.decided_on for p in page.rows] == [DAY0 + dt.timedelta(days=d) for d in range(30, 10, -3)]
    assert page.count == 7 and page.next_cursor == ""
    assert publications_search_page(Publication.objects.none(), "广告", per_page=5).rows == []


def test_reads_are_bounded_by_the_log_of_the_span_whatever_is_found(agency):
    """Over 1,000 days: a term found nowhere reads about log2(1000) ranges for the page and as
    many for the count; a term on every row fills its page from the first ranges."""
    rows_make(agency, [("发布虚假广告", day, PublicationStatus.PUBLISHED) for day in range(1000)])
    bound = math.ceil(math.log2(1000)) + 1
    nothing = publications_search_page(Publication.objects.all(), "无此词", per_page=20)
    # The first page read the whole span: its rows are the count, nothing is read again.
    assert nothing.rows == [] and nothing.count == 0 and nothing.queries <= bound
    after = SearchCursor(decided_on=DAY0 + dt.timedelta(days=500), id=1)
    later = publications_search_page(Publication.objects.all(), "无此词", per_page=20, after=after)
    assert later.rows == [] and later.count == 0 and later.queries <= 2 * bound
    common = publications_search_page(Publication.objects.all(), "广告", per_page=5, count_exact=5)
    # The page: 1 + 2 + 4 days hold 7 rows (5 wanted, one more to know a next page exists); the
    # count reads the same three ranges, finds 7 > 5 in 7 of the 1,000 days and extrapolates.
    assert len(common.rows) == 5 and common.queries == 3 + 3
    assert (common.count, common.estimated) == (1000, True)
    deep = publications_search_page(Publication.objects.all(), "广告", per_page=5, count_exact=5,
                                    after=SearchCursor(decided_on=DAY0 + dt.timedelta(days=100), id=10**9))
    assert deep.rows[0].decided_on == DAY0 + dt.timedelta(days=100)
    assert deep.queries == 3 + 3  # page 20 costs what page 1 does
    exact = publications_search_page(Publication.objects.all(), "广告", per_page=5)
    assert (exact.count, exact.estimated) == (1000, True)  # past SEARCH_COUNT_EXACT (500) in 511 days
    assert publications_search_page(Publication.objects.all(), "广告", per_page=5, count_exact=2000).count == 1000


def test_the_portal_pages_by_cursor_and_a_bad_cursor_is_the_first_page(client, agency):
    from sanxiang.portal.decisions import PAGE_SIZE

    rows_make(agency, [("发布虚假广告", day, PublicationStatus.PUBLISHED) for day in range(PAGE_SIZE + 3)])
    url = reverse("portal:decision_list")
    first = client.get(url, {"q": "广告"}).content.decode()
    assert first.count('data-testid="decision-row"') == PAGE_SIZE and "回到第一页" not in first
    cursor = first.split("after=")[1].split('"')[0]
    second = client.get(url, {"q": "广告", "after": cursor}).content.decode()
    assert second.count('data-testid="decision-row"') == 3 and "回到第一页" in second and "下一页" not in second
    for bad in ("abc", "20241301-5", "9" * 30):
        response = client.get(url, {"q": "广告", "after": bad})
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="decision-row"') == PAGE_SIZE


def test_bulk_insert_indexes_its_rows_and_leaves_the_index_as_it_was(agency):
    """A backfill through `search_bulk_insert`: its published rows are found (and only those), the
    index agrees with the rows (projection check), and a row written afterwards the usual way is
    indexed by the engine again (SQLite: the insert trigger is back)."""
    from sanxiang.publication.search import search_bulk_insert, search_projection_check

    rows_make(agency, [("销售过期食品", 0, PublicationStatus.PUBLISHED)])
    statuses = [PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN, PublicationStatus.PUBLISHED]
    backfill = [
        Publication(agency=agency, agency_name=agency.name, number=f"乌审旗市监处罚〔2019〕{i}号",
                    title="发布虚假广告" if i % 2 else "无照经营", party_name="某某商贸有限公司", party_kind="法人",
                    violation_type="其他", facts="经查属实。", basis="《行政处罚法》", kinds=["fine"], kinds_label="罚款",
                    content="罚款1000元。", decided_on=dt.date(2019, 1, 1) + dt.timedelta(days=i),
                    published_on=dt.date(2019, 1, 8), display_until=dt.date(2099, 1, 1), status=statuses[i % 3])
        for i in range(7)
    ]
    assert search_bulk_insert(publications=backfill, batch_size=3) == 7
    expected = [p.pk for p in Publication.objects.filter(title="发布虚假广告", status=PublicationStatus.PUBLISHED)
                .order_by("-decided_on", "-id")]
    assert len(expected) == 2
    assert [p.pk for p in publications_search_page(Publication.objects.all(), "广告", per_page=10).rows] == expected
    assert Publication.objects.get(number="乌审旗市监处罚〔2019〕1号").kinds == ["fine"]
    assert search_projection_check() == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            assert "fastupdate=off" in cursor.fetchone()[0]  # as the migration left it
    rows_make(agency, [("擅自设置户外广告", 5, PublicationStatus.PUBLISHED)])
    found = publications_search_page(Publication.objects.all(), "广告", per_page=10)
    assert found.count == 3 and found.rows[0].title == "擅自设置户外广告"


def test_the_estimate_spans_the_days_of_the_filtered_rows_not_of_the_county(agency):
    """A reviewer's case: another agency's one decision ten years old made the estimate of this
    agency's 600 recent rows 约7万 (the span of days came from every agency)."""
    other = PublicAgency.objects.create(source_id=2, name="乌审旗交通运输局", kind="行政机关", refreshed_at=timezone.now())
    rows_make(other, [("超限运输", -3650, PublicationStatus.PUBLISHED)])
    rows_make(agency, [("发布虚假广告", day, PublicationStatus.PUBLISHED) for day in range(0, 60) for _ in range(2)])
    page = publications_search_page(Publication.objects.filter(agency=agency), "广告", per_page=20, count_exact=10)
    assert page.estimated and 60 <= page.count <= 240, page.count  # 120 rows found over 60 days


def test_a_decision_dated_in_year_202_does_not_break_the_search(agency):
    rows_make(agency, [("发布虚假广告", 0, PublicationStatus.PUBLISHED)])
    Publication.objects.create(
        agency=agency, agency_name=agency.name, party_kind="法人及非法人组织", basis="《行政处罚法》", kinds=["warning"],
        kinds_label="警告", decided_on=dt.date(202, 3, 15), published_on=DAY0, display_until=dt.date(2099, 1, 1),
        number="乌审旗市监处罚〔0202〕1号", title="虚假广告", party_name="某公司", violation_type="其他", facts="经查属实。",
        content="给予警告。", status=PublicationStatus.PUBLISHED,
        search_text=search_text_build(texts=["虚假广告"]))
    page = publications_search_page(Publication.objects.all(), "广告", per_page=20)
    assert [p.decided_on for p in page.rows] == [DAY0]

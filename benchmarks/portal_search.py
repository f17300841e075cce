"""Search of the portal over synthetic published decisions (issue 20): a page read through the dated
grams' index a range of days at a time (`sanxiang.publication.search.publications_search_page`),
beside LIKE alone over the same columns in the same run, and the bulk load of a backfill.

    python benchmarks/portal_search.py                                  # both engines, 20,000 and 200,000
    python benchmarks/portal_search.py --engine sqlite --rows 20000
    python benchmarks/portal_search.py --engine postgres --rows 1000000 # minutes of the machine
    python benchmarks/portal_search.py --existing --engine postgres --pg-url postgres://…/pg_search_big

A fresh database each run (a temporary SQLite file; on PostgreSQL the database named in --pg-url is
dropped and created again), or with --existing the database as it is. Printed:
- the load: the grams of the public text (`search_text_build`: docs/s by the clock and by the
  process's CPU, the machine being shared), then a first slice inserted as a service writes a row
  (the index kept by the engine row by row: SQLite's FTS5 triggers, PostgreSQL's GIN), then the
  rest through `search_bulk_insert` (grams and index maintained by batches): rows/s, wall and CPU;
- per kind of query (2-char, 4-char, phrase, no match, and a few more): the rows found (counted
  once, untimed), median and p95 of the first page with its count (exact up to `SEARCH_COUNT_EXACT`, then
  estimated: the estimate is printed beside the true count), of a
  deep page (a cursor half-way back in the span of days), the ranges read, LIKE alone (its first
  page and its count up to the same bound), and the whole page `portal:decision_list?q=…` through
  the test client; the first page is checked to be LIKE's;
- the list without a search term (`decisions_page`, keyset, its count bounded), unfiltered and by
  agency, kind and year: its first page and a deep one, and the whole page through the client
  (`--list-only`: this alone, e.g. with --existing);
- the raw limits: a `SELECT 1` round trip and an indexed `SELECT` of 20 publications.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARTIES = [
    "鄂尔多斯市某某商贸有限公司",
    "乌审旗某某餐饮店",
    "张某",
    "李某某",
    "某某建材经营部",
    "某某汽车修理厂",
]
ACTS = [
    "销售不符合食品安全标准的食品",
    "在户外广告中发布虚假广告",
    "未取得食品经营许可从事食品经营活动",
    "对商品作虚假宣传",
    "未按规定明码标价",
    "擅自设置户外广告设施",
    "超标排放大气污染物",
    "未按规定进行安全生产教育培训",
    "销售超过保质期的食品",
    "使用未经检定的计量器具",
    "无照经营",
    "违法占用耕地建房",
]
FACTS = [
    "经查，当事人于{m}月{d}日在其经营场所{act}，货值金额{n}元，违法所得{g}元。",
    "执法人员现场检查发现，当事人{act}，现场查获相关物品{n}件。",
    "根据群众举报，执法人员依法对当事人进行检查，查明当事人{act}，情节较轻，已及时改正。",
    "当事人的上述行为违反了有关法律法规的规定，有现场检查笔录、询问笔录、照片等证据证实。",
]
CONTENTS = [
    "给予警告。",
    "罚款{n}元。",
    "没收违法所得{g}元，并处罚款{n}元。",
    "责令停产停业，并处罚款{n}元。",
    "吊销营业执照。",
]
QUERIES = [
    ("2-char", "广告"),
    ("4-char", "食品安全"),
    ("phrase", "发布虚假广告"),
    ("no match", "违章停车"),
    ("1-char", "罚"),
    ("2 terms", "广告 罚款"),
    ("name", "张某"),
    ("number", "〔2026〕1234号"),
]
# The span of days the synthetic decisions are spread over (about three years).
SPAN_DAYS = 1000
# The rows inserted as a service writes them (row by row into the index), before the bulk load.
ROW_BY_ROW = 10_000
# The temporary directories of this run (the data folder, the SQLite database's folder), removed by
# `scratch` when the run ends, whether it ends well, on an error or on Ctrl-C / SIGTERM.
_SCRATCH: list[str] = []


def _scratch_dir(prefix: str) -> str:
    path = tempfile.mkdtemp(prefix=prefix)
    _SCRATCH.append(path)
    return path


@contextlib.contextmanager
def scratch():
    """Remove the temporary directories made inside the block when it ends, also on an exception;
    SIGTERM becomes SystemExit meanwhile so that a killed run cleans up too (SIGKILL cannot)."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if "django" in sys.modules:  # the SQLite file is closed before its folder goes
            from django.db import connections

            connections.close_all()
        while _SCRATCH:
            shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    if "SANXIANG_DATA_DIR" not in os.environ:  # (setdefault made a folder even when it was set)
        os.environ["SANXIANG_DATA_DIR"] = _scratch_dir("sanxiang-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _texts(rng: random.Random, i: int) -> dict[str, str]:
    act = rng.choice(ACTS)
    values = {"act": act, "m": rng.randint(1, 12), "d": rng.randint(1, 28), "n": rng.randint(1, 200) * 100}
    values["g"] = rng.randint(1, 50) * 10
    facts = "".join(rng.choice(FACTS).format(**values) for _ in range(rng.randint(1, 3)))
    return {
        "number": f"乌审旗市监处罚〔2026〕{i}号",
        "title": f"{act}案",
        "party_name": rng.choice(PARTIES),
        "violation_type": act,
        "facts": facts,
        "content": rng.choice(CONTENTS).format(**values),
    }


def _publications(texts, rng):
    import datetime as dt

    from django.utils import timezone

    from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus

    agency = PublicAgency.objects.create(
        source_id=1, name="乌审旗市场监督管理局", kind="行政机关", refreshed_at=timezone.now()
    )
    statuses = [PublicationStatus.PUBLISHED] * 8 + [PublicationStatus.WITHDRAWN, PublicationStatus.EXPIRED]
    return [
        Publication(
            agency=agency,
            agency_name=agency.name,
            party_kind="法人及非法人组织",
            basis="《中华人民共和国行政处罚法》",
            kinds=["fine"],
            kinds_label="罚款",
            decided_on=dt.date(2024, 1, 1) + dt.timedelta(days=i % SPAN_DAYS),
            published_on=dt.date(2024, 1, 8) + dt.timedelta(days=i % SPAN_DAYS),
            display_until=dt.date(2099, 1, 1),
            status=rng.choice(statuses),
            **x,
        )
        for i, x in enumerate(texts)
    ]


def _clock():
    return time.perf_counter(), time.process_time()


def _since(start):
    return time.perf_counter() - start[0], time.process_time() - start[1]


def _build(rows: int) -> dict[str, float]:
    from django.db import connection, transaction

    from sanxiang.publication.models import Publication, PublicationStatus
    from sanxiang.publication.search import SEARCH_FIELDS, search_bulk_insert, search_text_build

    rng = random.Random(1)
    texts = [_texts(rng, i) for i in range(rows)]
    chars = sum(len(t[f]) for t in texts for f in SEARCH_FIELDS)
    figures: dict[str, float] = {}

    start = _clock()
    search_texts = [search_text_build(texts=[x[f] for f in SEARCH_FIELDS]) for x in texts]
    wall, cpu = _since(start)
    figures["grams/s"] = rows / wall
    print(
        f"  grams of {rows:,} publications:  {wall:7.2f} s  ({rows / wall:,.0f} docs/s by the clock,"
        f" {rows / cpu:,.0f} by CPU; {chars / rows:.0f} chars/doc,"
        f" {sum(len(s.split()) for s in search_texts) / rows:.0f} tokens/doc)"
    )
    objects = _publications(texts, rng)
    first = min(ROW_BY_ROW, rows // 10)
    for publication, search_text in zip(objects[:first], search_texts[:first], strict=True):
        publication.search_text = search_text if publication.status == PublicationStatus.PUBLISHED else ""
    start = _clock()
    with transaction.atomic():
        for i in range(0, first, 1000):
            Publication.objects.bulk_create(objects[i : i + 1000])
    wall, cpu = _since(start)
    print(f"  {first:,} rows, index kept row by row:  {wall:7.2f} s  ({first / wall:,.0f} rows/s; CPU of"
          f" this process {first / cpu:,.0f} rows/s)")
    rest = objects[first:]
    start = _clock()
    search_bulk_insert(publications=rest)
    wall, cpu = _since(start)
    figures["bulk rows/s"] = len(rest) / wall
    print(f"  {len(rest):,} rows, search_bulk_insert (grams + batches): {wall:7.2f} s  ({len(rest) / wall:,.0f}"
          f" rows/s; CPU of this process {len(rest) / cpu:,.0f} rows/s)")
    # The withdrawn and expired rows of the bulk were indexed like the rest: as their services
    # do, they lose their search text (only published rows are searched).
    Publication.objects.exclude(status=PublicationStatus.PUBLISHED).update(search_text="")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return figures


def _timed(fn, runs: int) -> tuple[float, float]:
    """Median and p95 in ms of `runs` calls after one to warm the cache and the statement."""
    fn()
    timings = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]


def _queries(runs: int) -> dict[str, tuple[float, float]]:
    import datetime as dt

    from django.conf import settings
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from sanxiang.publication.models import Publication, PublicationStatus
    from sanxiang.publication.search import (
        SEARCH_COUNT_EXACT,
        SEARCH_FIELDS,
        SearchCursor,
        publications_search_page,
        search_terms,
    )

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    url = reverse("portal:decision_list")
    columns = ("id", "number", "title", "party_name", "agency_name", "decided_on")

    def like_only(q):
        qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
        for term in search_terms(q):
            qs = qs.filter(Q.create([(f"{f}__icontains", term.text) for f in SEARCH_FIELDS], connector=Q.OR))
        return qs.order_by("-decided_on", "-id")

    def like_page(q):
        qs = like_only(q)
        count = qs.order_by()[: SEARCH_COUNT_EXACT + 1].count()
        return count, list(qs.only(*columns)[:20])

    published = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
    days = published.order_by("decided_on").values_list("decided_on", flat=True)
    middle = days.first() + (days.last() - days.first()) / 2 if days.exists() else dt.date.today()
    deep = SearchCursor(decided_on=middle, id=10**12)
    print(f"  {Publication.objects.count():,} publications, {published.count():,} published;"
          f" counted exactly up to {SEARCH_COUNT_EXACT:,}")
    print(f"  {'query':22} {'rows':>8} {'counted':>9} {'page 1 p50 / p95':>18} {'rd':>3} {'deep page p50 / p95':>20} {'rd':>3}"
          f" {'LIKE alone p50':>15} {'client p50 / p95':>18}")
    results = {}
    for label, q in QUERIES:
        rows = like_only(q).count()  # every row found, once, untimed

        def first(q=q):
            return publications_search_page(Publication.objects.all(), q, per_page=20)

        page = first()
        _, like_rows = like_page(q)
        assert [p.pk for p in page.rows] == [p.pk for p in like_rows], q
        assert page.estimated or page.count == rows, q
        p50, p95 = _timed(first, runs)
        deep_reads = publications_search_page(Publication.objects.all(), q, per_page=20, after=deep).queries
        d50, d95 = _timed(lambda q=q: publications_search_page(Publication.objects.all(), q, per_page=20,
                                                                after=deep), runs)
        like50, _ = _timed(lambda q=q: like_page(q), max(2, runs // 5))
        assert client.get(url, {"q": q}).status_code == 200
        c50, c95 = _timed(lambda q=q: client.get(url, {"q": q}), runs)
        results[label] = (p50, p95)
        counted = f"~{page.count:,}" if page.estimated else f"{page.count:,}"
        print(f"  {label + ' ' + q:22} {rows:8,} {counted:>9} {p50:8.1f} / {p95:6.1f} ms {page.queries:3}"
              f" {d50:9.1f} / {d95:6.1f} ms {deep_reads:3} {like50:12.1f} ms {c50:8.1f} / {c95:6.1f} ms")

    def select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()

    def select20():
        list(published.order_by("-decided_on", "-id").only(*columns)[:20])

    print(f"  raw: SELECT 1 {_timed(select1, 200)[0]:.2f} ms; indexed SELECT of 20 publications"
          f" {_timed(select20, 100)[0]:.2f} ms; client GET of the portal without a query"
          f" {_timed(lambda: client.get(url), runs)[0]:.1f} ms")
    return results


def _list_queries(runs: int) -> None:
    """The list without a search term (issue 20: it counted every row and paged by OFFSET, 8.1 s at
    1,000,000 on SQLite): its first page and a deep one (a cursor half-way back in the span of days),
    unfiltered and filtered, through `decisions_page` and the whole page through the test client."""
    import datetime as dt

    from django.conf import settings
    from django.test import Client, utils
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from sanxiang.portal.decisions import (
        LIST_COLUMNS,
        PAGE_SIZE,
        decisions_filter,
        decisions_page,
        decisions_visible,
    )
    from sanxiang.publication.models import PublicAgency
    from sanxiang.publication.search import SearchCursor

    if not hasattr(utils._TestState, "saved_data"):
        setup_test_environment()  # once a process: the search's queries above have set it up
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    url = reverse("portal:decision_list")
    visible = decisions_visible()
    days = visible.order_by("decided_on").values_list("decided_on", flat=True)
    first, last = days.first(), days.last()
    if first is None:
        return
    middle = first + (last - first) / 2
    deep = SearchCursor(decided_on=middle, id=10**12)
    agency = PublicAgency.objects.order_by("id").first()
    year = str(middle.year)
    filters = [
        ("none", {}),
        ("agency", {"agency_id": agency.pk} if agency else {}),
        ("kind fine", {"kind": "fine"}),
        ("year " + year, {"date_from": dt.date(middle.year, 1, 1), "date_to": dt.date(middle.year, 12, 31)}),
        ("kind warning (rare)", {"kind": "warning"}),
    ]
    print(f"  list without a search term ({PAGE_SIZE} a page; deep page: after {deep}):")
    print(f"  {'filter':22} {'count':>9} {'page 1 p50 / p95':>18} {'deep page p50 / p95':>20} {'client p50 / p95':>18}")
    for label, kwargs in filters:
        rows = decisions_filter(visible, **kwargs).only(*LIST_COLUMNS)
        page = decisions_page(rows, per_page=PAGE_SIZE)
        p50, p95 = _timed(lambda rows=rows: decisions_page(rows, per_page=PAGE_SIZE), runs)
        d50, d95 = _timed(lambda rows=rows: decisions_page(rows, per_page=PAGE_SIZE, after=deep), runs)
        params = {k: v for k, v in {"agency": kwargs.get("agency_id"), "kind": kwargs.get("kind"),
                                    "from": kwargs.get("date_from"), "to": kwargs.get("date_to")}.items() if v}
        assert client.get(url, params).status_code == 200
        c50, c95 = _timed(lambda params=params: client.get(url, params), runs)
        counted = f"~{page.count:,}" if page.estimated else f"{page.count:,}"
        print(f"  {label:22} {counted:>9} {p50:8.1f} / {p95:6.1f} ms {d50:9.1f} / {d95:6.1f} ms"
              f" {c50:8.1f} / {c95:6.1f} ms")


def _database(engine: str, pg_url: str, existing: bool) -> str:
    if existing:
        if engine == "postgres":
            return pg_url
        return os.environ.get("DATABASE_URL") or f"sqlite:///{os.environ['SANXIANG_DATA_DIR']}/sanxiang.sqlite3"
    if engine == "sqlite":
        return f"sqlite:///{_scratch_dir('sanxiang-search-bench-')}/bench.sqlite3"
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(pg_url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg_url


def _one(args: argparse.Namespace) -> int:
    """One engine and one size, in this process (Django is set up once per process); its temporary
    directories go when it ends (`scratch`)."""
    with scratch():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    _setup(_database(args.engine[0], args.pg_url, args.existing))
    import sqlite3

    from django.db import connection

    version = sqlite3.sqlite_version if connection.vendor == "sqlite" else str(connection.pg_version)
    if args.existing:
        print(f"{args.engine[0]} {version}: the existing database", flush=True)
    else:
        print(f"{args.engine[0]} {version}: {args.rows[0]:,} synthetic publications (80 % published,"
              f" {SPAN_DAYS} days)", flush=True)
        _build(args.rows[0])
    if not args.list_only:
        _queries(args.runs)
    _list_queries(args.runs)
    if not args.existing and connection.vendor == "postgresql":
        connection.close()  # the database stays for --existing; drop it by hand
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_portal_search_bench")
    parser.add_argument("--existing", action="store_true",
                        help="measure the database as it is (DATABASE_URL for SQLite, --pg-url), without building rows")
    parser.add_argument("--list-only", action="store_true", help="only the list without a search term")
    args = parser.parse_args()
    if len(args.engine) == 1 and (len(args.rows) == 1 or args.existing):
        return _one(args)
    status = 0
    for engine in args.engine:
        for rows in [args.rows[0]] if args.existing else args.rows:
            command = [sys.executable, __file__, "--engine", engine, "--rows", str(rows), "--runs", str(args.runs),
                       "--pg-url", args.pg_url, *(["--existing"] if args.existing else []),
                       *(["--list-only"] if args.list_only else [])]
            status |= subprocess.run(command, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())

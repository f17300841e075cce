"""Search of the portal over synthetic published decisions (the grams' index of
`sanxiang.publication.search`): the time to index them and to answer a query, beside LIKE alone
over the same columns and beside the raw limits of the same connection.

    python benchmarks/portal_search.py                          # SQLite, 20,000 publications
    python benchmarks/portal_search.py --rows 100000 --engine postgres
    python benchmarks/portal_search.py --existing --engine postgres --pg-url postgres://…/pg_search_big

A fresh database each run (a temporary SQLite file; on PostgreSQL the database named in --pg-url is
dropped and created again), or with --existing the database as it is (a grown county: nothing is
written, the queries run over its publications). Printed:
- indexing: the grams of the public text (`search_text_build`), then inserting the rows, which
  fills the index (SQLite: FTS5 triggers; PostgreSQL: the GIN index), and rebuilding the index
  from scratch;
- per query: the rows found (all of them, counted once), then what the decision list does (the
  count up to `SEARCH_COUNT_CAP`, the first page of 20) through `publications_search`, median and
  p95 of the runs and its number of queries; the same with LIKE alone (no index); and the whole
  page `portal:decision_list?q=…` through the test client;
- the raw limits: a `SELECT 1` round trip and an indexed `SELECT` of 20 publications.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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
    ("2 terms", "广告 罚款"),
    ("name", "张某"),
    ("food", "食品"),
    ("1-char", "罚"),
    ("number", "〔2026〕1234号"),
]


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SANXIANG_DATA_DIR", tempfile.mkdtemp(prefix="sanxiang-bench-"))
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


def _build(rows: int) -> None:
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus
    from sanxiang.publication.search import PG_INDEX, SEARCH_FIELDS, search_index_install, search_text_build

    rng = random.Random(1)
    agency = PublicAgency.objects.create(
        source_id=1, name="乌审旗市场监督管理局", kind="行政机关", refreshed_at=timezone.now()
    )
    texts = [_texts(rng, i) for i in range(rows)]
    chars = sum(len(t[f]) for t in texts for f in SEARCH_FIELDS)

    t = time.perf_counter()
    search_texts = [search_text_build(texts=[x[f] for f in SEARCH_FIELDS]) for x in texts]
    segment = time.perf_counter() - t
    print(
        f"  grams of {rows:,} publications:    {segment:8.2f} s  ({rows / segment:,.0f} docs/s,"
        f" {chars / segment / 1e6:.1f} M chars/s; {chars / rows:.0f} chars/doc,"
        f" {sum(len(s.split()) for s in search_texts) / rows:.0f} tokens/doc,"
        f" {sum(len(s.encode()) for s in search_texts) / rows:,.0f} bytes/doc)"
    )

    statuses = [PublicationStatus.PUBLISHED] * 8 + [PublicationStatus.WITHDRAWN, PublicationStatus.EXPIRED]
    objects = [
        Publication(
            agency=agency,
            agency_name=agency.name,
            party_kind="法人及非法人组织",
            basis="《中华人民共和国行政处罚法》",
            kinds=["fine"],
            kinds_label="罚款",
            decided_on=dt.date(2024, 1, 1) + dt.timedelta(days=i % 1000),
            published_on=dt.date(2024, 1, 8) + dt.timedelta(days=i % 1000),
            display_until=dt.date(2029, 1, 1),
            status=rng.choice(statuses),
            search_text=search_text,
            **x,
        )
        for i, (x, search_text) in enumerate(zip(texts, search_texts, strict=True))
    ]
    t = time.perf_counter()
    with transaction.atomic():
        Publication.objects.bulk_create(objects, batch_size=2000)
    insert = time.perf_counter() - t
    print(f"  insert, index kept by the engine: {insert:8.2f} s  ({rows / insert:,.0f} rows/s)")
    t = time.perf_counter()
    with transaction.atomic():
        search_index_install(connection=connection)  # SQLite: FTS5 'rebuild'; PostgreSQL: no-op
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"REINDEX INDEX {PG_INDEX}")
    print(f"  rebuild the index from scratch:   {time.perf_counter() - t:8.2f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


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


def _queries(runs: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from sanxiang.publication.models import Publication, PublicationStatus
    from sanxiang.publication.search import SEARCH_COUNT_CAP, SEARCH_FIELDS, publications_search, search_terms
    from sanxiang.textsearch import CappedPaginator

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    url = reverse("portal:decision_list")

    def page(qs):
        """What the decision list does for a search: the count up to its bound, the first page."""
        count = CappedPaginator(qs, 20, cap=SEARCH_COUNT_CAP).count
        list(qs.only("id", "number", "title", "party_name", "agency_name", "decided_on")[:20])
        return count

    def like_only(q):
        qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
        for term in q.split():
            qs = qs.filter(Q.create([(f"{f}__icontains", term) for f in SEARCH_FIELDS], connector=Q.OR))
        return qs.order_by("-decided_on", "-id")

    total = Publication.objects.count()
    published = Publication.objects.filter(status=PublicationStatus.PUBLISHED).count()
    print(f"  {total:,} publications, {published:,} published")
    print(f"  {'query':24} {'tokens':>6} {'rows':>7} {'search median / p95':>20} {'q':>3}"
          f" {'LIKE alone':>11} {'page (client) median / p95':>27} {'q':>3}")
    for label, q in QUERIES:
        tokens = sum(len(t.tokens) for t in search_terms(q))
        searched = publications_search(Publication.objects.all(), q)
        connection.queries_log.clear()  # a full log (DEBUG) would count nothing
        with CaptureQueriesContext(connection) as captured:
            page(searched)
        search_queries = len(captured.captured_queries)
        count = searched.count()  # every row found, once, untimed
        assert count == like_only(q).count(), q
        fast, fast95 = _timed(lambda searched=searched: page(searched), runs)
        slow, _ = _timed(lambda q=q: page(like_only(q)), max(3, runs // 4))
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as view_queries:
            response = client.get(url, {"q": q})
        assert response.status_code == 200
        page_queries = len(view_queries.captured_queries)
        view, view95 = _timed(lambda q=q: client.get(url, {"q": q}), runs)
        print(f"  {label + ' ' + q:24} {tokens:6} {count:7,} {fast:9.1f} / {fast95:6.1f} ms"
              f" {search_queries:3} {slow:8.1f} ms {view:15.1f} / {view95:6.1f} ms"
              f" {page_queries:3}")

    def select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()

    def select20():
        list(Publication.objects.filter(status=PublicationStatus.PUBLISHED).order_by("-decided_on", "-id")
             .only("id", "number", "title", "party_name", "agency_name", "decided_on")[:20])

    print(f"  raw: SELECT 1 {_timed(select1, 200)[0]:.2f} ms; indexed SELECT of 20 publications"
          f" {_timed(select20, 100)[0]:.2f} ms; client GET of the portal without a query"
          f" {_timed(lambda: client.get(url), runs)[0]:.1f} ms")
    for q in ("食品", "食品安全"):
        plan = publications_search(Publication.objects.all(), q).order_by().explain()
        print(f"  plan of the count of {q}: " + " | ".join(line.strip() for line in plan.splitlines() if line.strip()))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_portal_search_bench")
    parser.add_argument("--existing", action="store_true",
                        help="measure the database as it is (DATABASE_URL for SQLite, --pg-url), without building rows")
    args = parser.parse_args()
    if args.existing:
        url = args.pg_url if args.engine == "postgres" else os.environ.get("DATABASE_URL", "")
        if args.engine == "sqlite" and not url:
            url = f"sqlite:///{os.environ['SANXIANG_DATA_DIR']}/sanxiang.sqlite3"
    elif args.engine == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='sanxiang-search-bench-')}/bench.sqlite3"
    else:
        from urllib.parse import urlparse

        import psycopg

        parsed = urlparse(args.pg_url)
        name = parsed.path.lstrip("/")
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = args.pg_url
    _setup(url)
    import sqlite3

    from django.db import connection

    version = sqlite3.sqlite_version if args.engine == "sqlite" else str(connection.pg_version)
    if args.existing:
        print(f"{args.engine} {version}: the existing database")
    else:
        print(f"{args.engine} {version}: {args.rows:,} synthetic publications (80 % published)")
        _build(args.rows)
    _queries(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

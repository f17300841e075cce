"""The portal's decision list filtered by a kind of decision (issue 20: a rare kind took 6-11 s at
1,000,000 publications, every row read), before and after the kinds' partial indexes, in one run.

    python benchmarks/portal_kind.py                              # both engines, 1,000,000 rows
    python benchmarks/portal_kind.py --engine sqlite --rows 100000

A fresh database (a temporary SQLite file; on PostgreSQL the database of --pg-url dropped and
created again), its rows made by one INSERT … SELECT in SQL (the list reads no search text): 80 %
published, 10 % withdrawn, 10 % expired, over 1000 days; kinds ["fine"], one row in 10,000
["warning"] (the rare kind) and one in 100 ["confiscate_gains", "fine"]. ANALYZE, then:
- before: the kinds' indexes dropped, the filter as it was (the JSON's text LIKE '%"warning"%');
- after: the indexes created (their build timed), ANALYZE, the filter as it is (`decisions_filter`);
each: the first page newest first with its count (`decisions_page`), p50 / p95, and the page
through the test client; beside `SELECT 1` and an indexed 20-row `SELECT` in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from portal_search import _database, _setup, scratch  # noqa: E402

KINDS = ["warning", "fine"]


def _timed(fn, runs: int) -> tuple[float, float]:
    fn()
    timings = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]


def _build(rows: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from sanxiang.publication.models import PublicAgency

    agency = PublicAgency.objects.create(source_id=1, name="乌审旗市场监督管理局", kind="行政机关",
                                         refreshed_at=timezone.now())
    kinds = ("CASE WHEN i % 10000 = 0 THEN '[\"warning\"]' WHEN i % 100 = 0 THEN '[\"confiscate_gains\", \"fine\"]' "
             "ELSE '[\"fine\"]' END")
    status = "CASE i % 10 WHEN 8 THEN 'withdrawn' WHEN 9 THEN 'expired' ELSE 'published' END"
    if connection.vendor == "postgresql":
        kinds, status = kinds.replace(" % ", " %% "), status.replace(" % ", " %% ")
        series = "generate_series(1, %s) AS n(i)"
        day = "(date '2023-01-01' + (i %% 1000))"
        kinds_sql, now = f"({kinds})::jsonb", "now()"
        prefix = f"SELECT i FROM {series}"
        source = f"FROM ({prefix}) AS s"
    else:
        day = "date('2023-01-01', '+' || (i % 1000) || ' days')"
        kinds_sql, now = kinds, "strftime('%Y-%m-%d %H:%M:%f', 'now')"
        source = "FROM s"
    select = (
        f"SELECT {agency.pk}, '{agency.name}', '', 'penalty', '乌审旗市监处罚〔2026〕' || i || '号', '案件' || i, '某某商贸有限公司', "
        f"'法人及非法人组织', '', '', '其他', '经查属实。', '《中华人民共和国行政处罚法》', {kinds_sql}, '罚款', '罚款2000元。', "
        f"200000, 0, '', {day}, {day}, date('2099-01-01'), {status}, NULL, '', '', {now} {source}"
    )
    if connection.vendor == "postgresql":
        select = select.replace("date('2099-01-01')", "date '2099-01-01'")
    columns = ("agency_id, agency_name, agency_credit_code, decision_kind, number, title, party_name, party_kind, "
               "party_credit_code, legal_representative, violation_type, facts, basis, kinds, kinds_label, content, "
               "fine_fen, confiscation_fen, licence, decided_on, published_on, display_until, status, withdrawn_on, "
               "withdrawal_statement, search_text, updated_at")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"INSERT INTO publication_publication ({columns}) {select}", [rows])
        else:
            cursor.execute(f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) "
                           f"INSERT INTO publication_publication ({columns}) {select}", [rows])
        cursor.execute("ANALYZE")
    print(f"  {rows:,} rows made in SQL and analysed: {time.perf_counter() - start:.1f} s", flush=True)


def _measure(label: str, filtered, runs: int, client_params: dict | None) -> None:
    from django.test import Client

    from sanxiang.portal.decisions import LIST_COLUMNS, PAGE_SIZE, decisions_page, decisions_visible

    for kind in KINDS:
        rows = filtered(decisions_visible(), kind).only(*LIST_COLUMNS)
        page = decisions_page(rows, per_page=PAGE_SIZE)
        p50, p95 = _timed(lambda rows=rows: decisions_page(rows, per_page=PAGE_SIZE), runs)
        client = ""
        if client_params is not None:
            from django.urls import reverse

            url = reverse("portal:decision_list")
            c = Client()
            assert c.get(url, {"kind": kind}).status_code == 200
            c50, c95 = _timed(lambda c=c, url=url, kind=kind: c.get(url, {"kind": kind}), runs)
            client = f"  client {c50:8.1f} / {c95:8.1f} ms"
        counted = f"~{page.count:,}" if page.estimated else f"{page.count:,}"
        print(f"  {label:7} kind {kind:8} count {counted:>9}  page 1 {p50:8.1f} / {p95:8.1f} ms{client}", flush=True)


def _one(args: argparse.Namespace) -> int:
    _setup(_database(args.engine[0], args.pg_url, False))
    import sqlite3

    from django.conf import settings
    from django.db import connection
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from django.test.utils import setup_test_environment

    from sanxiang.portal.decisions import DECISION_KINDS, decisions_filter
    from sanxiang.publication.models import Publication
    from sanxiang.publication.search import kind_indexes_install, kind_indexes_uninstall

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    version = sqlite3.sqlite_version if connection.vendor == "sqlite" else str(connection.pg_version)
    print(f"{args.engine[0]} {version}: {args.rows[0]:,} publications", flush=True)
    kinds = list(DECISION_KINDS)
    kind_indexes_uninstall(connection=connection, kinds=kinds)
    _build(args.rows[0])

    def select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def select20():
        list(Publication.objects.filter(pk__in=range(1000, 1020)).only("id", "number"))

    s50, _ = _timed(select1, args.runs)
    i50, _ = _timed(select20, args.runs)
    print(f"  raw: SELECT 1 {s50:.2f} ms, an indexed SELECT of 20 publications {i50:.2f} ms")

    def before(queryset, kind):  # the filter as it was before the indexes (portal/decisions.py)
        return queryset.alias(kinds_text=Cast("kinds", TextField())).filter(
            kinds_text__contains=f'"{kind}"').order_by("-decided_on", "-id")

    _measure("before", before, args.runs, None)
    start = time.perf_counter()
    kind_indexes_install(connection=connection, kinds=kinds)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publication_publication")
    print(f"  the {len(kinds)} kinds' indexes made and analysed: {time.perf_counter() - start:.1f} s", flush=True)
    _measure("after", lambda queryset, kind: decisions_filter(queryset, kind=kind), args.runs, {})
    if connection.vendor == "postgresql":
        connection.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_portal_kind_bench")
    args = parser.parse_args()
    if len(args.engine) == 1 and len(args.rows) == 1:
        with scratch():  # the temporary folders go with the run, also on an error
            return _one(args)
    status = 0
    for engine in args.engine:
        for rows in args.rows:
            command = [sys.executable, __file__, "--engine", engine, "--rows", str(rows), "--runs", str(args.runs),
                       "--pg-url", args.pg_url]
            status |= subprocess.run(command, check=False, env={**os.environ}).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())

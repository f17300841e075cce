"""The assessment dashboard (issue 15 item 2) at N cases, beside the same page on an empty county.

    python benchmarks/dashboard_scale.py --cases 100000
    python benchmarks/dashboard_scale.py --existing /tmp/bench-data   # again, on a county grown before
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_dashboard python benchmarks/dashboard_scale.py --cases 100000

The county is `indicators_scale.py`'s (a bureau, 12 agencies, per case three deadline rows and the
review tallies, drafts and publications, filings, hearing documents and recordings the indicators
read), written in bulk, with each agency's monthly reports of the year (the last two not submitted)
and 240 open platform alerts on the supervision desk. The whole page is requested as a supervisor
would (Django's test client: middleware, view, template, the charts' JSON): the year (the default)
and a month, and the year's XLSX; each the median of a few runs with its query count. Beside them,
raw limits measured in the same run: `SELECT count(*)` over the cases table and over the deadline
rows, and a request of a page with no query of its own (the login page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import indicators_scale as scale  # this folder is first on sys.path

YEAR = scale.YEAR
TODAY = dt.date(YEAR, 12, 4)


def _extras(bureau, agencies, user) -> None:
    """The monthly reports of the year (January to October; October and September never
    submitted) and open platform alerts, in bulk."""
    from sanxiang.evaluation.models import MonthlyReport
    from sanxiang.supervision.models import Matter

    reports = []
    for agency in agencies:
        for month in range(1, 11):
            due = dt.date(YEAR, month + 1, 25)
            submitted = None if month >= 9 else due - dt.timedelta(days=3)
            reports.append(
                MonthlyReport(
                    agency=agency,
                    bureau=bureau,
                    year=YEAR,
                    month=month,
                    due_on=due,
                    drafted_on=dt.date(YEAR, month + 1, 1),
                    state="submitted" if submitted else "draft",
                    first_submitted_on=submitted,
                    sections={},
                    figures=[],
                )
            )
    MonthlyReport.objects.bulk_create(reports)
    Matter.objects.bulk_create(
        Matter(
            bureau=bureau,
            agency=agencies[n % len(agencies)],
            number=f"BYJ-{n}",
            source="platform_alert",
            state="received" if n % 3 else "accepted",
            subject="平台预警",
            received_on=scale._day(n),
            alert_key=f"bench:{n}",
        )
        for n in range(240)
    )


def _timed(function, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries


def _measure(label: str, supervisor, runs: int) -> None:
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(supervisor)
    dashboard, xlsx = reverse("evaluation:dashboard"), reverse("evaluation:dashboard_xlsx")

    def get(url, query=None):
        def run():
            response = client.get(url, query or {})
            assert response.status_code == 200, (url, response.status_code)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)

        return run

    def count(table):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {table}")
                cursor.fetchone()

        return run

    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        for name, function in (
            ("dashboard, year (default)", get(dashboard)),
            ("dashboard, a month (2026-06)", get(dashboard, {"period": f"{YEAR}-06"})),
            ("dashboard XLSX, year", get(xlsx)),
            ("raw: count(*) cases_case", count("cases_case")),
            ("raw: count(*) cases_casedeadline", count("cases_casedeadline")),
            ("raw: login page (no query)", lambda: Client().get(reverse("accounts:login"))),
        ):
            seconds, queries = _timed(function, runs)
            print(f"{label:>14} | {name:<30} | {seconds * 1000:8.1f} ms | {queries:3d} queries", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--existing",
        metavar="DATA_DIR",
        help="measure again a county this script grew there (SQLite), without growing",
    )
    args = parser.parse_args()
    if args.existing:
        # No migrate: its post-migrate hook would build the case projection of the bulk cases.
        import os

        import django
        from django.test.utils import setup_test_environment

        os.environ["SANXIANG_DATA_DIR"] = args.existing
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
        django.setup()
        setup_test_environment()
        from sanxiang.accounts.models import User
        from sanxiang.cases.models import Case

        _measure(f"{Case.objects.count():,} cases", User.objects.get(username="bench-supervisor"), args.runs)
        return
    scale._setup()
    from django.db import connection

    bureau, agencies, supervisor = scale._county()
    _measure("empty county", supervisor, args.runs)
    scale._grow(args.cases, bureau, agencies, supervisor)
    _extras(bureau, agencies, supervisor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _measure(f"{args.cases:,} cases", supervisor, args.runs)


if __name__ == "__main__":
    main()

"""Annual data, the county dashboard and the API's case list at N cases, beside the old
computation of the annual figures (every case's facts read in Python).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_annual python benchmarks/annual_api_scale.py --cases 100000

The demo county is loaded once; its cases are then copied in bulk (same facts, new numbers) until the database holds N cases. The copies
bypass the services and their ledger entries; each batch of 5,000 shares one registration
instant (ties, which the cursor must break by id): they are read-side load for these pages, not a
lawful county (issue 12's grow command is another piece). Bulk copies do not pass through the
annual projection's post_save, so the projection is rebuilt once (`sanxiang projection rebuild`)
and its time printed. Each page is timed over a few runs (median) with its query count; the
raw limit beside them is a bare `SELECT 1` round trip and `SELECT count(*)` of the cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ.setdefault("SANXIANG_DATA_DIR", tempfile.mkdtemp(prefix="sanxiang-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def _grow(target: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from sanxiang.cases.models import Case
    from sanxiang.demo.county import demo_county_load

    if not Case.objects.exists():
        started = time.perf_counter()
        demo_county_load()
        print(f"demo county loaded: {Case.objects.count()} cases, {time.perf_counter() - started:.1f} s")
    have = Case.objects.count()
    if have >= target:
        return
    models = list(Case.objects.order_by("pk"))
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for n in range(have, target):
        model = models[n % len(models)]
        batch.append(Case(agency_id=model.agency_id, number=f"BENCH-{n:08d}", title=model.title, matter_id=model.matter_id,
                          procedure=model.procedure, state=model.state, party_id=model.party_id,
                          enforcement_field=model.enforcement_field, act_date=model.act_date, facts=model.facts,
                          details={}))
        if len(batch) == 5000 or n == target - 1:
            with transaction.atomic():
                created = Case.objects.bulk_create(batch)
                Case.objects.filter(pk__in=[c.pk for c in created]).update(created_at=now - dt.timedelta(days=n % 1000))
            batch = []
    print(f"grown to {Case.objects.count()} cases in {time.perf_counter() - started:.1f} s (bulk copies)")


def _timed(function, runs: int = 5) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    _setup()
    _grow(args.cases)

    from django.db import connection
    from django.test import Client

    from sanxiang.accounts.models import Role, User
    from sanxiang.cases.models import Case
    from sanxiang.publication.annual import annual_projection_rebuild, annual_report_generate
    from sanxiang.publication.models import AnnualAct
    from sanxiang.registry.models import Agency

    started = time.perf_counter()
    rows = annual_projection_rebuild()
    with connection.cursor() as cursor:  # fresh statistics after the bulk load, as autovacuum keeps them
        cursor.execute("ANALYZE")
    print(f"projection rebuild: {rows} annual acts in {time.perf_counter() - started:.1f} s")
    cases = Case.objects.count()
    year = dt.date.today().year - 1
    # The agency with the most acts: the worst case of the annual page.
    busiest = Agency.objects.get(pk=AnnualAct.objects.values("agency_id").order_by().annotate(
        n=__import__("django.db.models", fromlist=["Count"]).Count("id")).order_by("-n")[0]["agency_id"])
    print(f"\n{cases} cases; busiest agency {busiest.name}: "
          f"{Case.objects.filter(agency=busiest).count()} cases, {AnnualAct.objects.filter(agency=busiest).count()} acts")

    def raw_select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def raw_count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")

    supervisor = User.objects.filter(role=Role.SUPERVISOR).first()
    client = Client()
    client.force_login(supervisor)
    for path in ("/staff/", "/api/cases"):  # warm: session, templates
        client.get(path)

    def page(path):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return get

    measured = [
        ("raw: SELECT 1 round trip", raw_select1),
        ("raw: SELECT count(*) FROM cases_case", raw_count),
        ("annual figures (SQL), busiest agency", lambda: annual_report_generate(agency=busiest, year=year)),
        ("annual figures, old computation (facts in Python)",
         lambda: annual_report_generate(agency=busiest, year=year, recompute=True)),
        ("annual data page (supervisor, busiest agency)", page(f"/staff/publication/annual/?agency={busiest.pk}&year={year}")),
        ("county dashboard (supervisor home)", page("/staff/")),
        ("GET /api/cases first page (50)", page("/api/cases")),
        ("GET /api/cases?limit=200", page("/api/cases?limit=200")),
    ]
    for label, function in measured:
        seconds, queries = _timed(function, runs=1 if "old" in label else 5)
        print(f"{label:<55} {seconds * 1000:9.1f} ms  {queries:4d} queries")
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

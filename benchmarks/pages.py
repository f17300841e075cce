"""Pages at county scale: the demo county grown to 1k / 10k / 100k cases (`sanxiang grow`), then
each page of issue 12 measured with Django's test client, logged in as the demo accounts
(officer, agency head, reviewer, supervisor): median and p95 latency, query count and the peak
resident memory of the process during the page; beside them the raw limits measured in the same
run (a bare `SELECT 1` round trip, a bare indexed `SELECT` of 50 case rows, and a request through
the test client to a view that reads nothing from the database).

    python benchmarks/pages.py --cases 1000 10000                       # SQLite
    python benchmarks/pages.py --cases 1000 --engine postgres --pg-url postgres://postgres@127.0.0.1:5432/h_bench
    python benchmarks/pages.py --cases 1000 10000 --json /tmp/pages.json  # also for benchmarks/projection.py
    python benchmarks/pages.py --existing /tmp/data-big --engine postgres --pg-url postgres://…/big --only "case list"

Per size, each step in its own process: a fresh data folder (on PostgreSQL the database of --pg-url
dropped and created again), `sanxiang demo --no-serve` (once per engine; SQLite sizes start from a
copy of that folder), `sanxiang grow --cases N` (its time and the database's size are printed:
bytes per case and per ledger entry), then the measurement. Every page is requested once to warm
up (caches, templates, the first connection) and then `--repeat` times, or fewer when its
requests have used `--page-budget` seconds; a page whose time at the previous size, scaled by the
growth in cases, would pass `--max-seconds` is skipped at the larger size and marked so.

With `--existing DATA_DIR` nothing is loaded nor grown: the pages are measured on that data folder
(and, on PostgreSQL, the database of --pg-url) as it is, e.g. a copy of a county already grown to
100k cases migrated with this checkout's code; `--only` measures just the pages whose label
contains one of its words.

Latency is wall time around `Client.get` (the view, its queries, the template; no network, no
WSGI server). Peak memory: the process's high-water mark (VmHWM) reset before each page through
/proc/self/clear_refs, so that each page's figure is its own peak, not an earlier page's.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, child_env, pg_admin

# (label, user, url name, query string). The url names are those of main on 2026-12-03.
PAGES = (
    ("officer home", "officer", "web:home", ""),
    ("head home", "head", "web:home", ""),
    ("inbox (officer)", "officer", "web:inbox", ""),
    ("inbox (agency head)", "head", "web:inbox", ""),
    ("review desk", "reviewer", "review:desk", ""),
    ("case list", "head", "cases:case_list", ""),
    ("case list with search", "head", "cases:case_list", "q=食品"),
    ("review supervision view", "supervisor", "review:supervision", "year={year}"),
    ("review supervision CSV", "supervisor", "review:supervision_csv", "year={year}"),
    ("annual data (agency head)", "head", "publication:annual", "year={year}"),
    ("annual data (supervisor)", "supervisor", "publication:annual", "year={year}&agency={agency}"),
    ("county dashboard (supervisor home)", "supervisor", "web:home", ""),
    ("API GET /api/cases (first page)", "officer", "api:case_list", ""),
    ("portal decisions", None, "portal:decision_list", ""),
    ("portal search", None, "portal:decision_list", "q=食品"),
)


# ---------------------------------------------------------------------------------------------
# The orchestrator: no Django in this process.




def _run(args: list[str], env: dict, cwd: Path) -> str:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


def _demo(engine: str, work: Path, pg_url: str | None) -> Path:
    data_dir = work / "demo"
    if engine == "postgres":
        pg_admin(pg_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(pg_url, "CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    started = time.perf_counter()
    _run([sys.executable, "-m", "sanxiang", "demo", "--no-serve"], child_env(data_dir, pg_url if engine == "postgres" else None),
         work)
    print(f"demo county loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return data_dir


def run_size(engine: str, cases: int, args, work: Path, demo_dir: Path, previous: dict | None) -> dict:
    data_dir = work / f"n{cases}"
    if engine == "sqlite":
        shutil.copytree(demo_dir, data_dir)
    else:
        if previous is not None:  # each size starts from the demo again
            demo_dir = _demo(engine, work / f"demo-{cases}", args.pg_url)
        data_dir = demo_dir
    env = child_env(data_dir, args.pg_url if engine == "postgres" else None)
    started = time.perf_counter()
    grow = _run([sys.executable, "-m", "sanxiang", "grow", "--cases", str(cases), "--open", str(args.open),
                 "--verbosity", "0"], env, work)
    grow_seconds = time.perf_counter() - started
    config = {"cases": cases, "repeat": args.repeat, "page_budget": args.page_budget,
              "skip": [label for label, *_ in PAGES if any(part in label for part in args.skip)]}
    if previous is not None:
        scale = cases / previous["cases"]
        config["skip"] += [
            label for label, figures in previous["pages"].items()
            if figures.get("skipped") or figures["median_ms"] / 1000 * scale > args.max_seconds
        ]
    out = _run([sys.executable, __file__, "_measure", json.dumps(config)], env, work)
    result = json.loads(out.strip().splitlines()[-1])
    result |= {"engine": engine, "cases": cases, "grow_seconds": grow_seconds,
               "grow_output": grow.strip().splitlines()[-3:]}
    if engine == "sqlite" and not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def _fmt_ms(ms: float) -> str:
    if ms < 1:
        return f"{ms * 1000:.0f} µs"
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def report(engine: str, results: list[dict]) -> None:
    sizes = [r["cases"] for r in results]
    print(f"\n### Pages on {engine}, demo county grown to " + " / ".join(f"{n:,}" for n in sizes) + " cases\n")
    print("Each cell: median (median CPU time of the process) / p95 latency (runs), queries, peak RSS during the page."
          " Load average of the machine"
          " (2 cores, shared) while measuring: " + " / ".join(r["load"] for r in results) + ".\n")
    print("| Page | " + " | ".join(f"{n:,} cases" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for label, *_ in PAGES:
        cells = []
        for r in results:
            f = r["pages"].get(label)
            if f is None or f.get("skipped"):
                cells.append("skipped (--skip, or projected over --max-seconds)")
            elif f.get("error"):
                cells.append(f"error: {f['error']}")
            else:
                cpu = f" (CPU {_fmt_ms(f['cpu_median_ms'])})" if "cpu_median_ms" in f else ""
                cells.append(f"{_fmt_ms(f['median_ms'])}{cpu} / {_fmt_ms(f['p95_ms'])} ({f['runs']}), "
                             f"{f['queries']:,} q, {f['rss_mb']:.0f} MB")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| **raw: `SELECT 1` round trip** | " + " | ".join(_fmt_ms(r["raw"]["select1_ms"]) for r in results) + " |")
    print("| **raw: indexed SELECT of 50 case rows** | "
          + " | ".join(_fmt_ms(r["raw"]["select50_ms"]) for r in results) + " |")
    print("| **raw: test client GET of a view without queries** | "
          + " | ".join(_fmt_ms(r["raw"]["client_ms"]) for r in results) + " |")
    print("\n| Database | " + " | ".join(f"{n:,} cases" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    print("| grow time | " + " | ".join(f"{r['grow_seconds']:.0f} s" if r["grow_output"] else "— (grown before)"
                                     for r in results) + " |")
    print("| ledger entries | " + " | ".join(f"{r['db']['entries']:,}" for r in results) + " |")
    print("| database size | " + " | ".join(f"{r['db']['bytes'] / 2**20:,.0f} MB" for r in results) + " |")
    print("| process peak RSS (whole run) | " + " | ".join(f"{r['peak_rss_mb']:.0f} MB" for r in results) + " |")
    for a, b in itertools.pairwise(results):
        dcases = b["cases"] - a["cases"]
        dentries = b["db"]["entries"] - a["db"]["entries"]
        print(f"\nGrowth {a['cases']:,} → {b['cases']:,}: {(b['db']['bytes'] - a['db']['bytes']) / dcases:,.0f} bytes "
              f"per case in all; ledger {(b['db']['ledger_bytes'] - a['db']['ledger_bytes']) / max(dentries, 1):,.0f} "
              f"bytes per entry ({dentries / dcases:.1f} entries per case); grow "
              f"{(b['grow_seconds'] - a['grow_seconds']) / dcases * 1000:.2f} ms per case")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--open", type=int, default=250, help="open cases among them (sanxiang grow --open)")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/h_bench")
    parser.add_argument("--repeat", type=int, default=7, help="measured requests per page after the warm-up")
    parser.add_argument("--page-budget", type=float, default=20, help="seconds of measured requests per page at most")
    parser.add_argument("--max-seconds", type=float, default=120,
                        help="skip a page whose projected time at the next size passes this")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip the pages whose label contains this (repeatable), e.g. 'review supervision'")
    parser.add_argument("--only", action="append", default=[],
                        help="measure only the pages whose label contains this (repeatable), e.g. 'portal'")
    parser.add_argument("--existing", type=Path,
                        help="measure this data folder (and --pg-url's database on postgres) as it is: no demo, no grow")
    parser.add_argument("--json", type=Path, help="write the figures here (input of benchmarks/projection.py)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if args.only:
        args.skip += [label for label, *_ in PAGES if not any(part in label for part in args.only)]
    if args.existing:
        return measure_existing(args)
    work = Path(tempfile.mkdtemp(prefix=f"sanxiang-pages-{args.engine}-"))
    results: list[dict] = []
    try:
        demo_dir = _demo(args.engine, work, args.pg_url)
        for cases in sorted(args.cases):
            print(f"== {args.engine}: {cases:,} cases", flush=True)
            result = run_size(args.engine, cases, args, work, demo_dir, results[-1] if results else None)
            results.append(result)
            print(f"   grown in {result['grow_seconds']:.0f} s; measured in {result['measure_seconds']:.0f} s",
                  flush=True)
    finally:
        if results:
            report(args.engine, results)
            if args.json:
                args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            if args.engine == "postgres":
                pg_admin(args.pg_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


def measure_existing(args) -> int:
    """The pages on a data folder (and database) as they are: nothing written but the sessions."""
    env = child_env(args.existing.resolve(), args.pg_url if args.engine == "postgres" else None)
    config = {"cases": 0, "repeat": args.repeat, "page_budget": args.page_budget,
              "skip": [label for label, *_ in PAGES if any(part in label for part in args.skip)]}
    out = _run([sys.executable, __file__, "_measure", json.dumps(config)], env, ROOT)
    result = json.loads(out.strip().splitlines()[-1])
    result |= {"engine": args.engine, "cases": result["db"]["cases"], "grow_seconds": 0.0, "grow_output": []}
    report(args.engine, [result])
    if args.json:
        args.json.write_text(json.dumps([result], ensure_ascii=False, indent=1))
    return 0


# ---------------------------------------------------------------------------------------------
# _measure: inside Django, on the grown data folder. Prints the figures as JSON (last line).


def _hwm_reset() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(config: dict) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    import resource

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.cases.models import Case
    from sanxiang.ledger.models import Entry

    setup_test_environment()  # the test client's templates and ALLOWED_HOSTS
    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    year = timezone.localdate().year
    officer = User.objects.get(username="officer")
    clients: dict[str | None, Client] = {None: Client()}
    for username in ("officer", "head", "reviewer", "supervisor"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    figures: dict[str, dict] = {}
    peak = _hwm_mb()
    for label, username, name, query in PAGES:
        if label in config["skip"]:
            figures[label] = {"skipped": True}
            continue
        url = reverse(name) + ("?" + query.format(year=year, agency=officer.agency_id) if query else "")
        client = clients[username]
        _hwm_reset()
        try:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                # A streamed response (the CSV) runs its queries while it is read.
                size = len(response.content) if not response.streaming else sum(map(len, response.streaming_content))
            if response.status_code != 200:
                figures[label] = {"error": f"HTTP {response.status_code}"}
                continue
            queries = len(captured.captured_queries)
            times: list[float] = []
            cpu: list[float] = []
            budget = time.perf_counter() + config["page_budget"]
            for _ in range(config["repeat"]):
                if times and time.perf_counter() > budget:
                    break
                t, c = time.perf_counter(), time.process_time()
                response = client.get(url)
                if response.streaming:
                    for _chunk in response.streaming_content:
                        pass
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
        except Exception as error:  # a page that fails at this size is reported, not fatal
            figures[label] = {"error": f"{type(error).__name__}: {str(error)[:80]}"}
            continue
        peak = max(peak, _hwm_mb())
        figures[label] = {
            "url": url, "runs": len(times), "median_ms": statistics.median(times),
            # This process's CPU time (SQLite's work included, not PostgreSQL's): on a shared
            # machine the wall time counts the waits for a core as well.
            "cpu_median_ms": statistics.median(cpu),
            "p95_ms": _percentile(times, 0.95), "queries": queries, "bytes": size, "rss_mb": _hwm_mb(),
        }
        print(f"  {label:40} {figures[label]['median_ms']:10.1f} ms {figures[label]['cpu_median_ms']:10.1f} ms CPU"
              f" {queries:7d} q", file=sys.stderr, flush=True)

    # The raw limits, on the same connection.
    def timed(fn, n: int) -> float:
        fn()
        samples = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        return statistics.median(samples)

    def select1() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()

    def select50() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM cases_case WHERE agency_id = %s ORDER BY id DESC LIMIT 50", [officer.agency_id])
            cursor.fetchall()

    key_url = reverse("ledger:public_key")
    raw = {
        "select1_ms": timed(select1, 500),
        "select50_ms": timed(select50, 200),
        "client_ms": timed(lambda: clients[None].get(key_url), 100),
    }
    db = {"entries": Entry.objects.count(), "cases": Case.objects.count()}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            db["bytes"] = Path(settings.DATABASES["default"]["NAME"]).stat().st_size
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'ledger_%'")
                db["ledger_bytes"] = cursor.fetchone()[0] or 0
            except Exception:
                db["ledger_bytes"] = 0
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
            db["bytes"] = cursor.fetchone()[0]
            cursor.execute("SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'ledger_%%'"
                           " AND c.relkind = 'r'")
            db["ledger_bytes"] = int(cursor.fetchone()[0] or 0)
    print(json.dumps({
        "pages": figures, "raw": raw, "db": db, "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "measure_seconds": time.perf_counter() - started,
        "peak_rss_mb": max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_measure"]:
        measure(json.loads(sys.argv[2]))
    else:
        sys.exit(main())

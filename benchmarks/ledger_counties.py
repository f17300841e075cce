"""Two county ledgers on one PostgreSQL: do appends to one wait for the other?

    python benchmarks/ledger_counties.py --seconds 5 \\
        --database-url postgres://postgres@127.0.0.1:5432/sanxiang_ledger_bench

Two writer processes append for `--seconds`, each transaction like a transition's: a
`ledger_batch` of 4 entries, with `--hold-ms` of work after the flush while the head stays locked
(what a transition does between its appends and its commit). Three runs, in one go:

- 2 writers on 2 ledgers (county A's agency and county B's agency);
- 2 writers on 1 ledger (both in county A);
- the raw limit: 2 processes doing a bare 4-row INSERT + COMMIT of similar bytes, plus the same hold.

Printed per run: transactions/s and appends/s of both writers together, and the time each writer
spent waiting for the head lock (measured around the locking SELECT). The database named in the
URL is dropped and created afresh, then migrated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PER = 4


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def worker(*, database_url: str, seconds: float, agency_id: int, hold_ms: float, raw: bool) -> dict:
    _django(database_url)
    from django.db import connection, transaction

    from sanxiang.ledger import services
    from sanxiang.ledger.events import EventKind, LedgerEvent

    waited = 0.0

    def timed(real):
        def lock(cursor, key):
            nonlocal waited
            started = time.perf_counter()
            try:
                return real(cursor, key)
            finally:
                waited += time.perf_counter() - started

        return lock

    # The two ways an append locks its head (by ledger id, or by agency in one round trip).
    services._head_row_locked = timed(services._head_row_locked)
    services._agency_head_row_locked = timed(services._agency_head_row_locked)
    hold = hold_ms / 1000
    transactions = 0
    n = 0
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    while time.monotonic() < deadline:
        events = [
            LedgerEvent(
                EventKind.STEP_DONE,
                {"step": "调查取证", "n": n + k, "amount_fen": 300000},
                agency_id=agency_id,
                case_id=n // 100,
                subject=f"case:{n // 100}",
            )
            for k in range(PER)
        ]
        with transaction.atomic():
            if raw:
                body = json.dumps([e.payload for e in events]).encode()
                with connection.cursor() as cur:
                    cur.execute(
                        f"INSERT INTO bench_raw (agency, body) VALUES {', '.join(['(%s, %s)'] * PER)}",
                        [v for _ in range(PER) for v in (agency_id, body)],
                    )
            else:
                with services.ledger_batch():
                    for event in events:
                        services.entry_append(event=event)
            if hold:
                time.sleep(hold)
        transactions += 1
        n += PER
    elapsed = time.perf_counter() - started
    return {"agency": agency_id, "transactions": transactions, "seconds": elapsed, "lock_wait": waited}


def _fresh(database_url: str) -> None:
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup(database_url: str) -> None:
    _django(database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from sanxiang.ledger.services import ledger_agency_assign, ledger_county_create

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        a = ledger_county_create(name="county-a")
        b = ledger_county_create(name="county-b")
        ledger_agency_assign(agency_id=1, ledger=a)
        ledger_agency_assign(agency_id=2, ledger=b)
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, agency bigint, body bytea)")


def _run(database_url: str, seconds: float, agencies: tuple[int, int], hold_ms: float, raw: bool) -> dict:
    cmd = [sys.executable, __file__, "worker", "--database-url", database_url, "--seconds", str(seconds),
           "--hold-ms", str(hold_ms)] + (["--raw"] if raw else [])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([*cmd, "--agency", str(a)], stdout=subprocess.PIPE, text=True, env=env) for a in agencies]
    results = [json.loads(p.communicate()[0]) for p in procs]
    if any(p.returncode for p in procs):
        raise SystemExit("a worker failed")
    seconds_max = max(r["seconds"] for r in results)
    tx = sum(r["transactions"] for r in results)
    return {
        "tx_per_s": tx / seconds_max,
        "appends_per_s": tx * PER / seconds_max,
        "lock_wait_share": [r["lock_wait"] / r["seconds"] for r in results],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "worker"])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/sanxiang_ledger_bench")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--hold-ms", type=float, default=5, help="work after the flush, head locked (ms)")
    parser.add_argument("--agency", type=int, default=1)
    parser.add_argument("--raw", action="store_true")
    args = parser.parse_args()
    if args.mode == "worker":
        print(json.dumps(worker(database_url=args.database_url, seconds=args.seconds, agency_id=args.agency,
                                hold_ms=args.hold_ms, raw=args.raw)))
        return 0
    if urlparse(args.database_url).scheme.startswith("sqlite"):
        raise SystemExit("PostgreSQL only: SQLite has one writer for the whole database")
    os.environ.setdefault("SANXIANG_DATA_DIR", "/tmp/sanxiang-ledger-bench")
    Path(os.environ["SANXIANG_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    _fresh(args.database_url)
    _setup(args.database_url)
    print(f"2 writers, {PER} entries per transaction, {args.hold_ms:g} ms of work after the flush, "
          f"{args.seconds:g} s per run")
    runs = [
        ("2 writers on 2 ledgers", (1, 2), False),
        ("2 writers on 1 ledger ", (1, 1), False),
        ("raw limit (bare 4-row INSERT + COMMIT, same hold)", (1, 2), True),
    ]
    figures = {}
    for label, agencies, raw in runs:
        r = _run(args.database_url, args.seconds, agencies, args.hold_ms, raw)
        figures[label] = r
        waits = ", ".join(f"{100 * w:.0f}%" for w in r["lock_wait_share"])
        print(f"{label}: {r['tx_per_s']:7,.0f} transactions/s, {r['appends_per_s']:7,.0f} appends/s"
              + ("" if raw else f"; time waiting for the head lock per writer: {waits}"))
    two, one, raw_limit = (figures[label]["tx_per_s"] for label, _, _ in runs)
    print(f"2 ledgers / 1 ledger: {two / one:.2f}x; 2 ledgers = {100 * two / raw_limit:.0f}% of the raw limit, "
          f"1 ledger = {100 * one / raw_limit:.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())

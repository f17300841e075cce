"""Ledger appends per second, beside the raw limit of the same database measured in the same run.

    python benchmarks/ledger_append.py                  # SQLite and PostgreSQL
    python benchmarks/ledger_append.py --engine sqlite --count 5000

Each append is its own transaction (as in the application: one domain change, one entry).
The raw limit is a bare INSERT of the same bytes into a plain table, one transaction each, through
the database driver directly with the same connection settings: what the database itself allows.
Appends and raw inserts run in interleaved blocks of 100 transactions, so that on a shared machine
both see the same load.
Then batched: 4 entries per transaction in a `ledger_batch` (as a transition appends a document's
two files, the document and the step), beside a bare multi-row INSERT of the same 4 bodies + COMMIT.
The PostgreSQL database named by --pg-url is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANXIANG_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _event(i: int):
    from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent

    return LedgerEvent(
        EventKind.STEP_DONE,
        {"step": "调查取证", "case_number": f"乌审旗市监罚〔2026〕{i}号", "amount_fen": i * 100},
        agency_id=3,
        case_id=i // 10,
        subject=f"case:{i // 10}",
        files=(FileDigest(sha256=f"{i:064x}", size=1000 + i),) if i % 5 == 0 else (),
    )


def bench(engine: str, database_url: str, count: int) -> None:
    data_dir = tempfile.mkdtemp(prefix="sanxiang-bench-")
    _setup(database_url, data_dir)
    from django.db import connection, transaction

    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.services import entries_append, entry_append

    try:
        from sanxiang.ledger.services import ledger_batch
    except ImportError:  # a version before batches (to compare): 4 single appends in one transaction
        import contextlib

        ledger_batch = contextlib.nullcontext

    events = [_event(i) for i in range(count)]
    # Warm up (first append creates the head row, imports are loaded).
    with transaction.atomic():
        entry_append(event=events[0])

    # The machine may be shared: appends and the raw limit are measured in interleaved blocks of
    # BLOCK transactions, so that both see the same load; the figures are the sums over blocks.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        with transaction.atomic():
            entry_append(event=events[1])
    per = 4
    with CaptureQueriesContext(connection) as four:
        with transaction.atomic(), ledger_batch():
            for event in events[2 : 2 + per]:
                entry_append(event=event)
    raw_one, raw_four = _RawInserter(engine, connection, 1), _RawInserter(engine, connection, per)
    timings = {"append": 0.0, "raw": 0.0, "batch": 0.0, "raw4": 0.0}
    done = {"append": 0, "batch": 0}
    for block in range(0, count, BLOCK):
        chunk = events[block : block + BLOCK]
        first = Entry.objects.count()
        started = time.perf_counter()
        for event in chunk:
            with transaction.atomic():
                entry_append(event=event)
        timings["append"] += time.perf_counter() - started
        done["append"] += len(chunk)
        bodies = _bodies(Entry, first, len(chunk))
        timings["raw"] += raw_one.run(bodies)
        usable = len(chunk) - len(chunk) % per
        first = Entry.objects.count()
        started = time.perf_counter()
        for i in range(0, usable, per):
            with transaction.atomic(), ledger_batch():
                for event in chunk[i : i + per]:
                    entry_append(event=event)
        timings["batch"] += time.perf_counter() - started
        done["batch"] += usable
        timings["raw4"] += raw_four.run(_bodies(Entry, first, usable))
    raw_one.close()
    raw_four.close()

    started = time.perf_counter()
    with transaction.atomic():
        entries_append(events=events)
    bulk = time.perf_counter() - started

    rate, raw_rate = done["append"] / timings["append"], done["append"] / timings["raw"]
    print(
        f"{engine:10s} entry_append, one transaction each: {rate:8,.0f} appends/s"
        f"   | raw limit (bare INSERT + COMMIT of the same bytes): {raw_rate:8,.0f} rows/s"
        f"   = {100 * rate / raw_rate:.0f}% of raw"
        f"   [{len(one.captured_queries)} statements per append, BEGIN and COMMIT included; raw: 3]"
    )
    rate, raw_rate = done["batch"] / timings["batch"], done["batch"] / timings["raw4"]
    print(
        f"{engine:10s} ledger_batch, {per} entries per transaction: {rate:8,.0f} appends/s"
        f" ({rate / per:,.0f} transactions/s)"
        f"   | raw limit (bare {per}-row INSERT + COMMIT of the same bytes): {raw_rate:8,.0f} rows/s"
        f"   = {100 * rate / raw_rate:.0f}% of raw"
        f"   [{len(four.captured_queries)} statements per transaction, BEGIN and COMMIT included; raw: 3]"
    )
    print(f"{engine:10s} entries_append, one transaction:      {count / bulk:8,.0f} appends/s")
    same_rate = _raw_same_statements(engine, connection, _bodies(Entry, 0, count))
    print(
        f"{engine:10s} (for comparison: the former append's 4 statements, lock/read head, insert entry,"
        f" insert node, update head, through the driver alone: {same_rate:8,.0f} appends/s)"
    )


BLOCK = 100


def _bodies(Entry, first: int, n: int) -> list[bytes]:
    rows = Entry.objects.filter(seq__gte=first).order_by("seq").values_list("body", flat=True)[:n]
    return [bytes(b) for b in rows]


class _RawInserter:
    """Bare inserts through the driver, outside Django, with the connection's own settings:
    `per` rows (one multi-row INSERT) per transaction."""

    def __init__(self, engine: str, connection, per: int) -> None:
        self.engine, self.per, self.seq = engine, per, 0
        self.table = f"bench_raw_{per}"
        if engine == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
            self.conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
            self.conn.execute(f"CREATE TABLE {self.table} (seq INTEGER PRIMARY KEY, body BLOB, leaf_hash BLOB)")
            self.mark = "?"
        else:
            import psycopg

            s = connection.settings_dict
            self.conn = psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"])
            self.conn.execute(f"CREATE TABLE {self.table} (seq bigint PRIMARY KEY, body bytea, leaf_hash bytea)")
            self.conn.commit()
            self.mark = "%s"

    def run(self, bodies: list[bytes]) -> float:
        import hashlib

        rows = []
        for body in bodies:
            rows.append((self.seq, body, hashlib.sha256(b"\x00" + body).digest()))
            self.seq += 1
        groups = [rows[i : i + self.per] for i in range(0, len(rows), self.per)]
        row = f"({self.mark}, {self.mark}, {self.mark})"
        started = time.perf_counter()
        for group in groups:
            if self.engine == "sqlite":
                self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(
                f"INSERT INTO {self.table} VALUES " + ", ".join([row] * len(group)), [v for r in group for v in r]
            )
            if self.engine == "sqlite":
                self.conn.execute("COMMIT")
            else:
                self.conn.commit()
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


def _raw_same_statements(engine: str, connection, bodies: list[bytes]) -> float:
    """What entry_append's statements cost without Django or Python hashing: the schema's limit."""
    import hashlib

    leaf = [hashlib.sha256(b"\x00" + body).digest() for body in bodies]
    ddl = [
        "CREATE TABLE bench_head (id integer PRIMARY KEY, size bigint, compact bytea)",
        "CREATE TABLE bench_entry (seq bigint PRIMARY KEY, kind varchar(64), body bytea, leaf bytea)",
        "CREATE TABLE bench_node (level smallint, idx bigint, hash bytea, PRIMARY KEY (level, idx))",
        "INSERT INTO bench_head VALUES (1, 0, %s)",
    ]
    select = "SELECT size, compact FROM bench_head WHERE id = 1"
    statements = [
        "INSERT INTO bench_entry VALUES (%s, 'case.step_done', %s, %s)",
        "INSERT INTO bench_node VALUES (1, %s, %s)",
        "UPDATE bench_head SET size = %s, compact = %s WHERE id = 1",
    ]
    if engine == "sqlite":
        import sqlite3

        conn = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        q = lambda sql: sql.replace("%s", "?").replace("bytea", "blob")  # noqa: E731
        for sql in ddl:
            conn.execute(q(sql), [b""] if "%s" in sql else [])
        started = time.perf_counter()
        for i, body in enumerate(bodies):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(select).fetchone()
            conn.execute(q(statements[0]), [i, body, leaf[i]])
            if i % 2:
                conn.execute(q(statements[1]), [i >> 1, leaf[i]])
            conn.execute(q(statements[2]), [i + 1, leaf[i]])
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
    else:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"]
        ) as conn:
            for sql in ddl:
                conn.execute(sql, [b""] if "%s" in sql else None)
            conn.commit()
            started = time.perf_counter()
            for i, body in enumerate(bodies):
                conn.execute(select + " FOR UPDATE").fetchone()
                conn.execute(statements[0], [i, body, leaf[i]])
                if i % 2:
                    conn.execute(statements[1], [i >> 1, leaf[i]])
                conn.execute(statements[2], [i + 1, leaf[i]])
                conn.commit()
            elapsed = time.perf_counter() - started
    return len(bodies) / elapsed


def _fresh_pg(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--pg-url", default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/sanxiang_ledger_bench")
    args = parser.parse_args()
    if args.engine == "both":
        for engine in ("sqlite", "postgres"):
            cmd = [
                sys.executable,
                __file__,
                "--engine",
                engine,
                "--count",
                str(args.count),
                "--pg-url",
                args.pg_url,
            ]
            subprocess.run(cmd, check=True)
        return 0
    if args.engine == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='sanxiang-bench-')}/ledger.sqlite3"
    else:
        _fresh_pg(args.pg_url)
        url = args.pg_url
    bench(args.engine, url, args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())

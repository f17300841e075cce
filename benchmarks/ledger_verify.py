"""Verifying a ledger of 1,000,000 entries, beside hashlib over the same bytes; proof times.

    python benchmarks/ledger_verify.py                       # SQLite, 1,000,000 entries
    python benchmarks/ledger_verify.py --entries 100000 --engine postgres

The ledger is built once with the bulk append path (kept in --sqlite-path and reused when it
already holds the requested number of entries). Printed beside `sanxiang verify`'s time:
- reading the same rows from the database (the same keyset-paginated query, nothing else);
- hashlib SHA-256 over the same bodies (the leaf hashes alone: the raw hashing limit).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SANXIANG_DATA_DIR", tempfile.mkdtemp(prefix="sanxiang-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(entries: int) -> None:
    from django.db import transaction

    from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
    from sanxiang.ledger.models import Head
    from sanxiang.ledger.services import checkpoint_issue, entries_append

    head = Head.objects.first()
    have = head.size if head else 0
    if have > entries:
        raise SystemExit(f"the database already holds {have} entries; use another path")
    started = time.perf_counter()
    chunk = 50_000
    while have < entries:
        n = min(chunk, entries - have)
        events = (
            LedgerEvent(
                EventKind.STEP_DONE,
                {"step": "调查取证", "case_number": f"乌审旗市监罚〔2026〕{i}号", "amount_fen": i * 100},
                agency_id=3,
                case_id=i // 10,
                subject=f"case:{i // 10}",
                files=(FileDigest(sha256=f"{i:064x}", size=1000 + i),) if i % 5 == 0 else (),
            )
            for i in range(have, have + n)
        )
        with transaction.atomic():
            entries_append(events=events, batch_size=5000)
            checkpoint_issue()
        have += n
        print(f"\r  built {have:,} entries ({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr)
    print(file=sys.stderr)


def _raw_read_and_hash(batch: int) -> tuple[float, float, int, int]:
    """Read every body with the verifier's own query, then hash them with hashlib alone."""
    from django.db import connection

    read = hashed = 0.0
    count = size = 0
    start = 0
    with connection.cursor() as cur:
        cur.execute("SELECT MAX(seq) FROM ledger_entry")
        end = cur.fetchone()[0] + 1
    sha256 = hashlib.sha256
    while start < end:
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT seq, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash "
                "FROM ledger_entry WHERE seq >= %s AND seq < %s ORDER BY seq",
                [start, start + batch],
            )
            rows = cur.fetchall()
        read += time.perf_counter() - t
        t = time.perf_counter()
        for row in rows:
            sha256(b"\x00" + bytes(row[7])).digest()
        hashed += time.perf_counter() - t
        count += len(rows)
        size += sum(len(row[7]) for row in rows)
        start += batch
    return read, hashed, count, size


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sqlite-path", default="/tmp/sanxiang-ledger-verify-bench.sqlite3")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_ledger_verify_bench")
    args = parser.parse_args()
    if args.engine == "sqlite":
        url = f"sqlite:///{args.sqlite_path}"
    else:
        from urllib.parse import urlparse

        import psycopg

        parsed = urlparse(args.pg_url)
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [parsed.path.lstrip("/")]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{parsed.path.lstrip("/")}"')
        url = args.pg_url
    _setup(url)
    _build(args.entries)

    from django.test import Client
    from django.urls import include, path

    from sanxiang.ledger import merkle, selectors
    from sanxiang.ledger.models import Head
    from sanxiang.ledger.verification import ledger_verify

    head = Head.objects.get()
    print(f"{args.engine}: ledger of {head.size:,} entries ({head.algorithm})")

    report = ledger_verify(run_extra_checks=False)
    assert report.ok, [f.message for f in report.findings[:5]]
    read, hashed, count, size = _raw_read_and_hash(1 << 14)
    print(
        f"  sanxiang verify:            {report.seconds:6.1f} s  ({report.entries / report.seconds:,.0f} entries/s;"
        f" leaves, {report.nodes_checked:,} nodes, {report.checkpoints_checked} checkpoints)"
    )
    print(f"  raw: read the same rows:    {read:6.1f} s")
    print(f"  raw: hashlib sha256 only:   {hashed:6.1f} s  ({count:,} bodies, {size / 1e6:,.0f} MB)")
    print(
        f"  raw: read + hash:           {read + hashed:6.1f} s  -> verify = {report.seconds / (read + hashed):.1f}x"
    )

    hasher = merkle.hasher_for(head.algorithm)
    rng = random.Random(1)
    size_now = head.size
    timings = []
    for _ in range(200):
        seq = rng.randrange(size_now)
        t = time.perf_counter()
        proof = selectors.inclusion_proof_get(seq=seq, size=size_now)
        timings.append(time.perf_counter() - t)
        merkle.verify_inclusion(hasher, seq, size_now, proof.leaf_hash, proof.path, bytes(head.root))
    print(
        f"  inclusion proof at {size_now:,}: median {statistics.median(timings) * 1000:.2f} ms, "
        f"max {max(timings) * 1000:.2f} ms (selector, {len(proof.path)} hashes, all verified)"
    )
    timings = []
    for _ in range(100):
        first = rng.randrange(1, size_now)
        t = time.perf_counter()
        selectors.consistency_proof_get(first=first, second=size_now)
        timings.append(time.perf_counter() - t)
    print(f"  consistency proof:          median {statistics.median(timings) * 1000:.2f} ms")

    # Through the HTTP view as a client would call it (urlconf of the ledger alone).
    import sys as _sys

    module = type(_sys)("bench_urls")
    module.urlpatterns = [path("ledger/", include("sanxiang.ledger.urls"))]
    _sys.modules["bench_urls"] = module
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="bench_urls", ALLOWED_HOSTS=["testserver"]):
        client = Client()
        timings = []
        for _ in range(200):
            seq = rng.randrange(size_now)
            t = time.perf_counter()
            response = client.get("/ledger/proof/inclusion", {"seq": seq, "size": size_now})
            timings.append(time.perf_counter() - t)
            assert response.status_code == 200
    print(f"  inclusion proof over HTTP:  median {statistics.median(timings) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

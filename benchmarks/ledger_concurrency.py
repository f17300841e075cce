"""Several processes append to one ledger at the same time; afterwards there must be no gap, no
fork (every append acknowledged to a worker is in the ledger exactly once) and `verify` passes.

    python benchmarks/ledger_concurrency.py --seconds 60 --processes 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/sanxiang_ledger_bench

The database named in the URL is dropped and created afresh (PostgreSQL), or the SQLite file
removed, then migrated. Worker 0 also issues a checkpoint every second, racing the appends.
`python benchmarks/ledger_concurrency.py worker ...` is one worker (used by the test suite).
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


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def worker(*, database_url: str, seconds: float, worker_id: int, checkpoints: bool) -> dict:
    _django(database_url)
    from django.db import transaction

    from sanxiang.ledger.events import EventKind, LedgerEvent
    from sanxiang.ledger.services import checkpoint_issue, entry_append

    appended: list[int] = []
    issued = 0
    deadline = time.monotonic() + seconds
    next_checkpoint = time.monotonic() + 1
    n = 0
    while time.monotonic() < deadline:
        event = LedgerEvent(EventKind.STEP_DONE, {"worker": worker_id, "n": n}, subject=f"worker:{worker_id}")
        with transaction.atomic():
            entry = entry_append(event=event)
        appended.append(entry.seq)
        n += 1
        if checkpoints and time.monotonic() >= next_checkpoint:
            with transaction.atomic():
                checkpoint_issue()
            issued += 1
            next_checkpoint += 1
    return {"worker": worker_id, "appended": len(appended), "seqs": appended, "checkpoints": issued}


def _fresh_database(database_url: str) -> None:
    url = urlparse(database_url)
    if url.scheme.startswith("sqlite"):
        path = Path(url.path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "worker"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_ledger_bench")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--worker-id", type=int, default=0)
    parser.add_argument("--checkpoints", action="store_true")
    args = parser.parse_args()

    if args.mode == "worker":
        result = worker(
            database_url=args.database_url,
            seconds=args.seconds,
            worker_id=args.worker_id,
            checkpoints=args.checkpoints,
        )
        print(json.dumps(result))
        return 0

    data_dir = Path(os.environ.setdefault("SANXIANG_DATA_DIR", "/tmp/sanxiang-ledger-bench"))
    data_dir.mkdir(parents=True, exist_ok=True)
    _fresh_database(args.database_url)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DATABASE_URL": args.database_url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    print(
        f"{args.processes} processes appending for {args.seconds:.0f} s to {urlparse(args.database_url).scheme}"
    )
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "worker",
                "--database-url",
                args.database_url,
                "--seconds",
                str(args.seconds),
                "--worker-id",
                str(i),
                *(["--checkpoints"] if i == 0 else []),
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(args.processes)
    ]
    results = [json.loads(p.communicate()[0]) for p in procs]
    elapsed = time.monotonic() - started
    return report(results, elapsed, args.database_url)


def report(results: list[dict], elapsed: float, database_url: str) -> int:
    _django(database_url)
    from sanxiang.ledger.models import Entry, Head
    from sanxiang.ledger.verification import ledger_verify

    acknowledged = sorted(seq for r in results for seq in r["seqs"])
    total = len(acknowledged)
    rows = Entry.objects.count()
    head = Head.objects.get()
    # Each worker's own entries, read back from the bodies: every acknowledged append is there once.
    per_worker = {}
    for body in Entry.objects.values_list("body", flat=True).iterator(chunk_size=5000):
        doc = json.loads(bytes(body))
        per_worker.setdefault(doc["payload"]["worker"], []).append(doc["payload"]["n"])
    no_fork = all(sorted(per_worker.get(r["worker"], [])) == list(range(r["appended"])) for r in results)
    gapless = acknowledged == list(range(total)) and rows == total == head.size
    verified = ledger_verify(run_extra_checks=False)
    for r in results:
        print(f"  worker {r['worker']}: {r['appended']} appends, {r['checkpoints']} checkpoints")
    print(f"total {total} appends in {elapsed:.1f} s = {total / elapsed:,.0f} appends/s across processes")
    print(
        f"gapless seq 0..{total - 1}: {gapless}; every acknowledged append present once (no fork): {no_fork}"
    )
    print(
        f"verify: {'OK' if verified.ok else 'FAILED'} ({verified.checkpoints_checked} checkpoints, "
        f"{verified.seconds:.2f} s); findings: {[f.message for f in verified.findings[:5]]}"
    )
    return 0 if (gapless and no_fork and verified.ok) else 1


if __name__ == "__main__":
    sys.exit(main())

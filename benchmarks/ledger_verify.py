"""Verifying a ledger of 1,000,000 entries, beside reading and hashing the same bytes; proof times.

    python benchmarks/ledger_verify.py                       # SQLite, 1,000,000 entries
    python benchmarks/ledger_verify.py --entries 100000 --engine postgres
    python benchmarks/ledger_verify.py --bodies small        # the short synthetic bodies of before

The ledger is built once with the bulk append path (kept in --sqlite-path, one file per kind of
body, and reused when it already holds the requested number of entries). `--bodies case` (the
default) appends bodies shaped like a county's (steps, evidence, documents, a monthly report one
time in ten: nested objects, Chinese text, ~0.8 kB on average); `--bodies small` the ~0.3 kB
bodies this benchmark used first. Printed beside the verification's time, measured in the same run:
- reading the same rows from the database (the verifier's own entry query, nothing else);
- hashlib SHA-256 over the same bodies (the leaf hashes alone: the raw hashing limit);
- the verification with the standard library's canonical-JSON check alone (orjson set aside), as
  before issue 20's fast check (`--no-before` skips it);
- with `--gc-compare N`, N runs each with the cyclic garbage collector paused during the batch loop
  (as `ledger_verify` does since issue 20) and left on, alternately, as medians;
- where the verification's time goes (`--profile`: cProfile of one more run, by function).
Each time is printed as wall time and as the process's CPU time (SQLite's work is in the process;
on a shared machine the wall time counts the waits for a core, so compare CPU times).
The proofs are measured by `ledger_proofs.py` on the same database.
"""

from __future__ import annotations

import argparse
import hashlib
import os
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


_HEX = "0123456789abcdef"


def _sha(i: int, salt: int) -> str:
    return hashlib.sha256(f"{salt}:{i}".encode()).hexdigest()


_FIGURES = [
    ("案件办理", "cases.registered", "本月登记案件"),
    ("执法决定与法制审核", "decisions.penalty", "本月作出的行政处罚决定"),
    ("执法决定与法制审核", "decisions.compulsory", "本月作出的行政强制决定"),
    ("执法决定与法制审核", "reviews.major", "其中重大执法决定"),
    ("执法决定与法制审核", "reviews.reviewed", "重大执法决定决定前经法制审核"),
    ("执法决定与法制审核", "reviews.unreviewed", "重大执法决定未经法制审核"),
    ("执法决定与法制审核", "reviews.sent_back", "法制审核曾退回或者不同意"),
    ("行政执法公示", "publications.due", "本月应当公示的执法决定"),
    ("行政执法公示", "publications.on_time", "按期公示"),
    ("行政执法公示", "publications.late", "逾期公示"),
    ("行政执法公示", "publications.waiting", "至今未公示"),
    ("音像记录", "recordings.audio", "本月归集的录音"),
    ("音像记录", "recordings.video", "本月归集的录像"),
]


def _case_payload(i: int) -> dict:
    """A payload shaped like the county's entries (the demo county's kinds, ~0.8 kB a body)."""
    shape = i % 10
    if shape < 5:  # a step of a case
        return {
            "action": "submit_review",
            "data": {"evidence_list_sha256": _sha(i, 1), "explanation_sha256": _sha(i, 2)},
            "documents": [],
            "label": "送法制审核",
            "on": "2026-11-12",
            "state_from": "notified",
            "state_to": "notified",
        }
    if shape < 8:  # a file received
        return {
            "captured_at": "2026-11-11T02:00:00.000000Z",
            "content_type": "video/mp4",
            "device_number": f"DSJ-{i % 1000:04d}",
            "kind": "video",
            "location_sha256": "",
            "officer": i % 300,
            "original_name_sha256": _sha(i, 3),
            "record": i,
            "step": "hearing",
        }
    if shape == 8:  # a document issued
        return {
            "document": {
                "kind": "penalty_decision",
                "number": f"乌审旗市监罚〔2026〕{i}号",
                "pages": 3,
                "sha256": _sha(i, 4),
                "title": "行政处罚决定书",
            },
            "served": {"method": "直接送达", "on": "2026-11-20", "recipient": "内蒙古某某商贸有限公司"},
        }
    return {  # a monthly report's step
        "action": "submit",
        "figures": [{"group": g, "key": k, "label": label, "value": i % 7} for g, k, label in _FIGURES],
        "month": "2026-01",
        "sections": {
            "next_plan": "完善执法记录仪管理制度，落实音像记录归档。",
            "problems": "部分执法人员使用执法记录仪不规范，现场音像记录有中断。",
            "results": "重大执法决定全部经法制审核后作出。",
        },
        "state": "submitted",
    }


def _small_payload(i: int) -> dict:
    return {"step": "调查取证", "case_number": f"乌审旗市监罚〔2026〕{i}号", "amount_fen": i * 100}


def _build(entries: int, bodies: str = "case") -> None:
    from django.db import transaction

    from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
    from sanxiang.ledger.models import Head
    from sanxiang.ledger.services import checkpoint_issue, entries_append

    head = Head.objects.first()
    have = head.size if head else 0
    if have > entries:
        raise SystemExit(f"the database already holds {have} entries; use another path")
    started = time.perf_counter()
    payload = _case_payload if bodies == "case" else _small_payload
    chunk = 50_000
    while have < entries:
        n = min(chunk, entries - have)
        events = (
            LedgerEvent(
                EventKind.STEP_DONE,
                payload(i),
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


def _raw_read_and_hash(batch: int) -> tuple[tuple[float, float], tuple[float, float], int, int]:
    """Read every row with the verifier's own entry query, then hash the bodies with hashlib
    alone: ((wall, cpu) of the reads, (wall, cpu) of the hashing, rows, body bytes)."""
    from django.db import connection

    from sanxiang.ledger.verification import _entry_sql

    read = [0.0, 0.0]
    hashed = [0.0, 0.0]
    count = size = 0
    start = 0
    sql = _entry_sql()
    with connection.cursor() as cur:
        cur.execute("SELECT MAX(seq) FROM ledger_entry WHERE ledger_id = 1")
        end = cur.fetchone()[0] + 1
    sha256 = hashlib.sha256
    while start < end:
        t, c = time.perf_counter(), time.process_time()
        with connection.cursor() as cur:
            cur.execute(sql, [1, start, start + batch])
            rows = cur.fetchall()
        read[0] += time.perf_counter() - t
        read[1] += time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        for row in rows:
            sha256(b"\x00" + bytes(row[7])).digest()
        hashed[0] += time.perf_counter() - t
        hashed[1] += time.process_time() - c
        count += len(rows)
        size += sum(len(row[7]) for row in rows)
        start += batch
    return (read[0], read[1]), (hashed[0], hashed[1]), count, size


def _timed(fn):
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - t, time.process_time() - c


def _database(args) -> str:
    if args.engine == "sqlite":
        path = args.sqlite_path or f"/tmp/sanxiang-ledger-verify-bench-{args.bodies}.sqlite3"
        return f"sqlite:///{path}"
    from urllib.parse import urlparse

    import psycopg

    url = args.pg_url or f"postgres://postgres@127.0.0.1:5432/sanxiang_ledger_verify_bench_{args.bodies}"
    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed.path.lstrip("/")]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parsed.path.lstrip("/")}"')
    return url


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--bodies", choices=["case", "small"], default="case")
    parser.add_argument("--sqlite-path", default=None, help="default /tmp/sanxiang-ledger-verify-bench-BODIES.sqlite3")
    parser.add_argument("--pg-url", default=None)
    return parser


def prepare(args) -> None:
    """The database of the benchmark, built if it does not hold the requested entries yet."""
    _setup(_database(args))
    _build(args.entries, args.bodies)


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--command", action="store_true", help="also time `sanxiang verify` itself (every ledger, extra checks)")
    parser.add_argument("--profile", action="store_true", help="cProfile one more verification, by function")
    parser.add_argument("--no-before", action="store_true", help="skip the run with the standard library's JSON check")
    parser.add_argument("--gc-compare", type=int, default=0, metavar="N",
                        help="N more runs each, alternately, with the cyclic collector paused (as shipped) and"
                             " left on (before issue 20): medians of wall and CPU")
    args = parser.parse_args()
    prepare(args)

    from sanxiang.ledger.models import Head
    from sanxiang.ledger.verification import ledger_verify, ledgers_verify

    head = Head.objects.get(pk=1)
    print(f"{args.engine}: ledger of {head.size:,} entries ({head.algorithm}), {args.bodies} bodies")

    report, wall, cpu = _timed(lambda: ledger_verify(run_extra_checks=False))
    assert report.ok, [f.message for f in report.findings[:5]]
    if not args.no_before:
        from sanxiang.ledger import canonical, verification

        saved = canonical.orjson
        canonical.orjson = verification.orjson = None  # the standard library's check alone, as before
        try:
            before, before_wall, before_cpu = _timed(lambda: ledger_verify(run_extra_checks=False))
        finally:
            canonical.orjson = verification.orjson = saved
        assert before.ok
    (read, read_cpu), (hashed, hashed_cpu), count, size = _raw_read_and_hash(1 << 14)
    print(
        f"  verify (ledger_verify):     {wall:6.1f} s wall, {cpu:6.1f} s CPU  ({report.entries / wall:,.0f} entries/s;"
        f" leaves, {report.nodes_checked:,} nodes, {report.checkpoints_checked} checkpoints)"
    )
    if not args.no_before:
        print(f"  verify, stdlib JSON (before): {before_wall:6.1f} s wall, {before_cpu:6.1f} s CPU")
    print(f"  raw: read the same rows:    {read:6.1f} s wall, {read_cpu:6.1f} s CPU")
    print(
        f"  raw: hashlib sha256 only:   {hashed:6.1f} s wall, {hashed_cpu:6.1f} s CPU"
        f"  ({count:,} bodies, {size / 1e6:,.0f} MB, {size / max(count, 1):,.0f} B a body)"
    )
    print(
        f"  raw: read + hash:           {read + hashed:6.1f} s wall, {read_cpu + hashed_cpu:6.1f} s CPU"
        f"  -> verify = {wall / (read + hashed):.1f}x wall, {cpu / (read_cpu + hashed_cpu):.1f}x CPU"
    )
    if args.gc_compare:
        import contextlib
        import statistics

        from sanxiang.ledger import verification

        paused = verification._gc_paused
        runs: dict[str, list[tuple[float, float]]] = {"paused": [], "on": []}
        for _ in range(args.gc_compare):
            for label in runs:
                verification._gc_paused = paused if label == "paused" else contextlib.nullcontext
                try:
                    _, w, c = _timed(lambda: ledger_verify(run_extra_checks=False))
                finally:
                    verification._gc_paused = paused
                runs[label].append((w, c))
        for label, times in runs.items():
            w, c = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
            print(f"  verify, collector {label:6} (median of {len(times)}): {w:6.2f} s wall, {c:6.2f} s CPU"
                  f"  -> {w / (read + hashed):.2f}x wall, {c / (read_cpu + hashed_cpu):.2f}x CPU")
    if args.command:
        result, wall, cpu = _timed(lambda: ledgers_verify())
        assert result.ok, result.failed()
        print(f"  `sanxiang verify` (all ledgers, extra checks): {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(ledger_verify, run_extra_checks=False)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())

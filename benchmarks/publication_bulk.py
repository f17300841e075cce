"""Bulk publication (issue 20: "at least 10,000 rows/s"): approved decisions stored through
`publication.services.publications_record` (rows with their grams, the search index maintained by
batches, the drafts' approval, one PUBLICATION ledger entry each, one transaction), beside the raw
limit of the same engine in the same run: the same rows inserted by a bare COPY (PostgreSQL) or
executemany (SQLite) with no grams, no drafts and no ledger, rolled back.

    python benchmarks/publication_bulk.py                                    # both engines, 100,000 rows
    python benchmarks/publication_bulk.py --engine sqlite --rows 100000 --profile
    python benchmarks/publication_bulk.py --engine postgres --rows 1000000 --pg-url postgres://…/name

A fresh database each run (a temporary SQLite file; on PostgreSQL the database of --pg-url is dropped
and created again). The decisions: one decided case of the tests' county (`tests.cases.support`), its
draft copied N times (each its own number, the synthetic public texts of `portal_search.py`, days
spread over about three years), inserted in bulk before the clock starts. Printed: rows/s by the
clock and by this process's CPU (the machine is shared: the CPU figure is the steadier one), the
CPU a row of each process at work (this one, the grams' worker, PostgreSQL's server process read
from /proc) and from them the clock of an idle 2-core machine (rows / max(the longest process's
CPU, the total CPU / 2): a bound, reached only if the pipeline overlaps perfectly and nothing waits
on the disk), the parts (grams alone, ledger entries alone, by CPU), then a check that every row
has its entry and is found by a search. `--profile`: cProfile of the load, by function (CPU
clock, this process only). `--workers 0`: the grams in this process, as before.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import os
import pstats
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from portal_search import SPAN_DAYS, _database, _setup, _texts, scratch  # noqa: E402

ON = dt.date(2026, 4, 2)


def _clock():
    return time.perf_counter(), time.process_time()


def _since(start):
    return time.perf_counter() - start[0], time.process_time() - start[1]


def _children_cpu() -> float:
    """CPU of this process's ended children (the grams' worker, once it is joined)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(connection) -> float | None:
    """PostgreSQL: CPU of this connection's server process so far, from /proc (a server on this
    machine, readable by this user), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rate(rows: int, wall: float, cpu: float) -> str:
    return f"{wall:7.2f} s  {rows / wall:9,.0f} rows/s by the clock, {rows / max(cpu, 1e-9):9,.0f} by CPU"


def _records(rows: int):
    from sanxiang.publication import services
    from sanxiang.publication.models import PublicationDraft
    from tests.cases.support import to_decided, world_make
    from tests.publication.bulk_support import drafts_copy, record_of

    w = world_make()
    draft = PublicationDraft.objects.get(case=to_decided(w))
    rng = random.Random(1)
    texts = [{k: v for k, v in _texts(rng, i).items() if k != "party_name"} for i in range(rows)]
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i % SPAN_DAYS) for i in range(rows)]
    start = time.perf_counter()
    drafts = drafts_copy(draft, count=rows, prefix="乌审旗市监罚决〔2026〕", texts=texts, decided_on=days)
    # One agency's public row, read once (the service reads it for each draft).
    services.public_agency_get = functools.lru_cache(maxsize=None)(services.public_agency_get)
    records = [record_of(d, on=ON) for d in drafts]
    print(f"  {rows:,} drafts copied and their records made (untimed): {time.perf_counter() - start:.1f} s", flush=True)
    return w, records


def _raw_limit(records) -> tuple[float, float]:
    """The same rows by one bare statement a batch, no grams (empty search text), no drafts, no
    ledger; rolled back."""
    from django.db import connection, transaction

    from sanxiang.publication.models import Publication
    from sanxiang.publication.search import BULK_BATCH, _bulk_columns, _ids_reserve

    class Rollback(Exception):
        pass

    columns, converters = _bulk_columns(connection)
    table = Publication._meta.db_table
    publications = [r.publication for r in records]
    start = _clock()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for first in range(0, len(publications), BULK_BATCH):
                batch = publications[first : first + BULK_BATCH]
                ids = _ids_reserve(cursor, connection, len(batch))
                rows = [(pk, *(getattr(p, name) if convert is None else convert(getattr(p, name))
                               for name, convert in converters[1:])) for pk, p in zip(ids, batch, strict=True)]
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as stream:
                        for row in rows:
                            stream.write_row(row)
                else:
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                       f"({', '.join(['%s'] * len(columns))})", rows)
            wall_cpu = _since(start)
            raise Rollback
    except Rollback:
        pass
    for p in publications:
        p.pk = None
        p._state.adding = True
    return wall_cpu


def _parts(records, actor) -> None:
    """Grams alone and ledger entries alone, by CPU (the ledger's rolled back)."""
    from django.db import transaction

    from sanxiang.ledger.events import EventKind, LedgerEvent
    from sanxiang.ledger.services import entries_append
    from sanxiang.publication.search import publication_search_text

    start = _clock()
    for r in records:
        publication_search_text(r.publication)
    wall, cpu = _since(start)
    print(f"  part: grams alone                                  {_rate(len(records), wall, cpu)}")

    class Rollback(Exception):
        pass

    events = [LedgerEvent(EventKind.PUBLICATION, {"draft": r.draft.pk, "publication": i, "published_on": ON.isoformat(),
                                                   "due_on": r.draft.due_on.isoformat(), "late": False,
                                                   "display_until": r.period.ends_on.isoformat(),
                                                   "display_basis": r.period.basis, "redactions": []},
                          agency_id=r.draft.agency_id, case_id=r.draft.case_id, subject=f"publication:{i}")
              for i, r in enumerate(records)]
    start = _clock()
    try:
        with transaction.atomic():
            entries_append(events=events, actor=actor, batch_size=5000)
            wall, cpu = _since(start)
            raise Rollback
    except Rollback:
        pass
    print(f"  part: ledger entries alone (rolled back)           {_rate(len(records), wall, cpu)}")


def _one(args: argparse.Namespace) -> int:
    _setup(_database(args.engine[0], args.pg_url, False))
    import sqlite3

    from django.db import connection

    from sanxiang.ledger.events import EventKind
    from sanxiang.ledger.models import Entry
    from sanxiang.publication.models import Publication
    from sanxiang.publication.search import publications_search_page
    from sanxiang.publication.services import publications_record

    rows = args.rows[0]
    version = sqlite3.sqlite_version if connection.vendor == "sqlite" else str(connection.pg_version)
    print(f"{args.engine[0]} {version}: {rows:,} approved publications", flush=True)
    w, records = _records(rows)
    if not args.no_parts:
        _parts(records, w.head)
    wall, cpu = _raw_limit(records)
    print(f"  raw limit: bare {'COPY' if connection.vendor == 'postgresql' else 'executemany'} of the same rows"
          f" {_rate(rows, wall, cpu)}", flush=True)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    children, server = _children_cpu(), _server_cpu(connection)
    start = _clock()
    if profile:
        profile.enable()
    publications_record(records=records, actor=w.head, on=ON, workers=args.workers)
    if profile:
        profile.disable()
    wall, cpu = _since(start)
    worker = _children_cpu() - children
    server = None if server is None else _server_cpu(connection) - server
    print(f"  publications_record (grams, index, drafts, ledger) {_rate(rows, wall, cpu)}", flush=True)
    # Each process's CPU a row, and what the clock would be on an idle 2-core machine: the load is a
    # pipeline (the worker's grams beside this process's writes, the server beside both), so it
    # takes at least the longest process's CPU, and at least the total CPU shared by 2 cores.
    parts = {"this process": cpu, "grams worker": worker, **({} if server is None else {"PostgreSQL server": server})}
    print("  CPU a row: " + ", ".join(f"{name} {seconds * 1e6 / rows:.0f} µs" for name, seconds in parts.items()))
    bound = max(max(parts.values()), sum(parts.values()) / 2)
    print(f"  idle 2-core estimate: {rows / bound:,.0f} rows/s (rows / max(longest process's CPU, total CPU / 2));"
          f" load average {os.getloadavg()[0]:.2f} during the run", flush=True)
    entries = Entry.objects.filter(kind=EventKind.PUBLICATION).count()
    found = publications_search_page(Publication.objects.all(), "虚假广告", per_page=20)
    print(f"  check: {Publication.objects.count():,} rows, {entries:,} PUBLICATION entries, "
          f"虚假广告 found {found.count:,}{' (estimated)' if found.estimated else ''}")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(18)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    if connection.vendor == "postgresql":
        connection.close()
    else:  # the temporary database (~8 KB a row: the drafts' texts) goes with the run
        import shutil

        path = Path(connection.settings_dict["NAME"])
        connection.close()
        shutil.rmtree(path.parent, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_publication_bulk_bench")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-parts", action="store_true", help="skip the grams-alone and ledger-alone figures")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes computing the grams (default: the service's choice; 0: in this one)")
    args = parser.parse_args()
    if len(args.engine) == 1 and len(args.rows) == 1:
        with scratch():  # the temporary folders go with the run, also on an error
            return _one(args)
    status = 0
    for engine in args.engine:
        for rows in args.rows:
            command = [sys.executable, __file__, "--engine", engine, "--rows", str(rows), "--pg-url", args.pg_url,
                       *(["--profile"] if args.profile else []), *(["--no-parts"] if args.no_parts else []),
                       *([] if args.workers is None else ["--workers", str(args.workers)])]
            status |= subprocess.run(command, check=False, env={**os.environ}).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())

"""Case transitions per second through the service, and where their time goes.

    python benchmarks/transition_profile.py                          # SQLite in a temporary folder
    python benchmarks/transition_profile.py --pg-url postgres://postgres@127.0.0.1:5432/h_speed --cases 10
    python benchmarks/transition_profile.py --pg-url ... --no-profile --pgbench 10   # beside pgbench TPC-B
    python benchmarks/transition_profile.py --clock cpu             # profile this process's CPU time only
    python benchmarks/transition_profile.py --profiler sample       # sampled CPU time: no cProfile distortion

A minimal county is made through the test builders (tests/cases/support.py: an agency, its officers
with certificates, a head, a company), then each case is registered and taken through the nine
steps of an ordinary penalty case that issue its documents, every one through
`cases.services.case_action_perform`: approve_opening → open → investigate → record_inquiry →
end_investigation → notify → draft_decision → decide → serve. The first case warms the process up
(imports, fonts, templates) and is timed apart; the others are timed and profiled (cProfile, only
inside the service calls; or, with --profiler sample, a sampling profiler of this process's CPU
time, which does not slow each Python call down as cProfile does: cProfile makes the ORM's many
small calls look several times as costly as C code such as zlib and hashing).

Printed: transitions/s, with the CPU time of this process and the queries of one transition (load on a
shared machine moves the first, not the other two); with --pgbench, pgbench's TPC-B (1 client) on the same PostgreSQL, the raw
limit, and the ratio; then the profiled time by area (cumulative: an area includes the SQL it runs,
so the rows overlap and do not add up to 100%), and the functions with the most time of their own.
The PostgreSQL database named by --pg-url is dropped and created afresh (as benchmarks/ledger_append.py
does); SQLite runs in a new temporary folder unless SANXIANG_DATA_DIR names one.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Areas of a transition, each the cumulative time of the functions that do it (file suffix, name).
AREAS = (
    ("documents: DOCX", (("sanxiang/documents/word.py", "layout_render_docx"),)),
    ("documents: PDF", (("sanxiang/documents/pdf.py", "layout_render_pdf"),)),
    ("documents: checks", (("sanxiang/documents/render.py", "document_problems"),)),
    ("evidence ingest", (("sanxiang/evidence/services.py", "evidence_ingest"),)),
    ("ledger appends", (("sanxiang/ledger/services.py", "entry_append"),)),
    ("snapshot building", (("sanxiang/cases/selectors.py", "case_snapshot_build"),)),
    ("case info", (("sanxiang/cases/selectors.py", "case_info_build"),)),
    ("document contexts", (
        ("sanxiang/cases/paperwork.py", "document_context"),
        ("sanxiang/cases/paperwork_coercion.py", "measure_document_context"),
        ("sanxiang/cases/paperwork_enforcement.py", "enforcement_document_context"),
    )),
    ("engine (step_evaluate)", (("sanxiang/procedure/catalog.py", "step_evaluate"),)),
    ("projection refresh", (("sanxiang/cases/projection.py", "case_projection_refresh"),)),
    ("family lock", (("sanxiang/cases/services.py", "_case_family_lock"),)),
    ("SQL (all, driver included)", (("django/db/backends/utils.py", "_execute"),)),
    ("ORM: SQL compiled", (("django/db/models/sql/compiler.py", "as_sql"),)),
    ("ORM: rows to models", (("django/db/models/query.py", "__iter__"),)),
)


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANXIANG_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As the tests do: hashing the builders' passwords properly takes 0.3 s a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def _pg_recreate(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _steps(w) -> list[tuple[str, object, object, dict]]:
    """(action, day, actor, data) of an ordinary penalty case from the lead to the decision served."""
    from tests.cases import support as s

    return [
        ("approve_opening", s.OPENED, w.head, {"approval": "agree", "opinion": "同意立案"}),
        ("open", s.OPENED, w.officer, s.OPEN),
        ("investigate", s.D(2026, 3, 9), w.officer, {}),
        ("record_inquiry", s.D(2026, 3, 10), w.officer, s.inquiry(w, s.D(2026, 3, 10))),
        ("end_investigation", s.D(2026, 3, 16), w.officer, s.end_investigation_data()),
        ("notify", s.NOTICE_SERVED, w.officer, s.notice_data(s.NOTICE_SERVED)),
        ("draft_decision", s.FIRST_DECISION_DAY, w.officer, {"outcome": "penalty", **s.PENALTY}),
        ("decide", s.FIRST_DECISION_DAY, w.officer, {}),
        ("serve", s.D(2026, 3, 26), w.officer,
         {"method": "direct", "served_on": s.D(2026, 3, 26), "place": "经营场所"}),
    ]


@dataclass
class Run:
    transitions: int = 0
    seconds: float = 0.0  # wall-clock time inside the service
    cpu: float = 0.0  # CPU time of this process inside the service (the database's is not in it)
    db_cpu: float | None = None  # CPU time of the PostgreSQL backend serving this process (Linux /proc)
    queries: int = 0
    documents: int = 0
    job_cpu: float = 0.0  # CPU time of the job runner's work between the steps (--runner between)
    jobs: int = 0


def _backend_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used (server on this machine, Linux)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


RUNNER_BETWEEN = False  # --runner between: the server's runner renders what follows each step before the next


def _case_run(w, profile, run: Run) -> None:
    """One case through its steps, added to `run`."""
    from django.db import connection

    from sanxiang.cases.models import IssuedDocument
    from sanxiang.cases.services import case_action_perform
    from tests.cases import support as s

    def counted(execute, sql, params, many, context):
        run.queries += 1
        return execute(sql, params, many, context)

    case = s.lead_make(w)
    steps = _steps(w)
    db_before = _backend_cpu()
    for action, day, actor, data in steps:
        started, cpu = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        with connection.execute_wrapper(counted):
            case = case_action_perform(actor=actor, case=case, action=action, data=dict(data), on=day)
        if profile is not None:
            profile.disable()
        run.seconds += time.perf_counter() - started
        run.cpu += time.process_time() - cpu
        if RUNNER_BETWEEN:
            # As the server's runner thread does once the step has committed (steps are hours or
            # days apart in an agency): off the request path, not off the machine; timed apart.
            from sanxiang.jobs.services import jobs_run_due

            cpu = time.process_time()
            run.jobs += jobs_run_due(limit=1_000_000).done
            run.job_cpu += time.process_time() - cpu
    db_after = _backend_cpu()
    if db_before is not None and db_after is not None:
        # Registering the case is in it (one transaction of the ten).
        run.db_cpu = (run.db_cpu or 0.0) + db_after - db_before
    assert case.state == "served", case.state
    run.transitions += len(steps)
    run.documents += IssuedDocument.objects.filter(case=case).count()


def _pgbench(database_url: str, seconds: int) -> float:
    """TPC-B through pgbench, 1 client, on the same server (its own tables in the same database)."""
    from urllib.parse import urlparse

    url = urlparse(database_url)
    args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    name = url.path.lstrip("/")
    subprocess.run(["pgbench", *args, "-i", "-q", "-s", "1", name], check=True, capture_output=True)
    done = subprocess.run(["pgbench", *args, "-c", "1", "-T", str(seconds), name], check=True, capture_output=True,
                          text=True)
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    return float(found.group(1)) if found else 0.0


def _areas(stats: pstats.Stats, total: float) -> list[tuple[str, float]]:
    rows = []
    raw = stats.stats  # type: ignore[attr-defined]
    for label, functions in AREAS:
        seconds = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in raw.items():
            if any(filename.endswith(suffix) and name == wanted for suffix, wanted in functions):
                seconds += cumulative
        rows.append((label, seconds))
    return rows


def _sampled_print(sampler, run: Run, top: int) -> None:
    total = max(1, sampler.samples)
    # The kernel delivers the timer at its own tick (often 4 ms, not the interval asked for): the
    # shares come from the samples, the milliseconds from the CPU time measured around the calls.
    each = run.cpu * 1000 / run.transitions
    print(f"\nsampled CPU time: {sampler.samples} samples, {each:.1f} ms of CPU a transition;"
          f" by area (inclusive, overlapping):")
    for label, functions in AREAS:
        n = sampler.inclusive(functions)
        print(f"  {label:28s} {100 * n / total:5.1f}%  {each * n / total:5.1f} ms a transition")
    print(f"\nthe project's functions by samples under them (top {top}):")
    for n, name in sampler.top(top, own=False, only="sanxiang"):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"\nfunctions by samples of their own (top {top}):")
    for n, name in sampler.top(top, own=True):
        print(f"  {100 * n / total:5.1f}%  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", help="PostgreSQL to run on (default: SQLite in a temporary folder)")
    parser.add_argument("--cases", type=int, default=5, help="cases timed after the warm-up case (default 5)")
    parser.add_argument("--pgbench", type=int, default=0, metavar="SECONDS",
                        help="also run pgbench TPC-B for this long on the same PostgreSQL")
    parser.add_argument("--top", type=int, default=25, help="functions listed by their own time")
    parser.add_argument("--no-profile", action="store_true", help="time only (cProfile slows Python down)")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="cProfile's clock: wall (waits on the database included) or this process's CPU time,"
                             " steadier on a shared machine")
    parser.add_argument("--dump", type=Path, help="also write the profile (pstats) to this file, to explore it")
    parser.add_argument("--profiler", choices=["cprofile", "sample"], default="cprofile",
                        help="cProfile (exact calls, distorted times) or sampling of this process's CPU time")
    parser.add_argument("--runner", choices=["after", "between"], default="after",
                        help="when the job runner renders what follows the steps: after the last case (a step that"
                             " serves a document then renders the internal documents' PDFs still to come itself), or"
                             " between the steps, as a server's runner woken by each commit does")
    args = parser.parse_args()
    global RUNNER_BETWEEN
    RUNNER_BETWEEN = args.runner == "between"

    data_dir = os.environ.get("SANXIANG_DATA_DIR") or tempfile.mkdtemp(prefix="sanxiang-transitions-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    database_url = args.pg_url or f"sqlite:///{Path(data_dir) / 'transitions.sqlite3'}"
    if args.pg_url:
        _pg_recreate(args.pg_url)
    else:
        Path(data_dir, "transitions.sqlite3").unlink(missing_ok=True)
    _setup(database_url, data_dir)
    from tests.cases.support import world_make

    engine = "postgresql" if args.pg_url else "sqlite"
    w = world_make()
    warm = Run()
    _case_run(w, None, warm)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    if args.no_profile:
        profile = None
    elif args.profiler == "sample":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from _sampler import Sampler

        profile = Sampler()
    else:
        profile = cProfile.Profile(clock)
    run = Run()
    for _ in range(args.cases):
        _case_run(w, profile, run)
    rate = run.transitions / run.seconds
    each = 1000 / run.transitions
    print(f"{engine}: {args.cases} cases, {run.transitions} transitions, {run.documents} documents issued"
          f" ({run.documents / max(1, args.cases):.0f} a case), {'profiled' if profile else 'not profiled'}")
    print(f"  warm-up case (first in the process): {warm.transitions / warm.seconds:6.1f} transitions/s")
    print(f"  transitions/s, 1 client:             {rate:6.1f}   ({run.seconds * each:.1f} ms each, of which"
          f" {run.cpu * each:.1f} ms CPU in this process; {run.queries / run.transitions:.1f} queries each)")
    if run.db_cpu is not None:
        print(f"  PostgreSQL backend CPU:               {run.db_cpu * each:.1f} ms a transition (its registration included;"
              f" clock ticks of 10 ms, summed over {run.transitions} transitions)")
    if run.jobs:
        print(f"  job runner between the steps:         {run.job_cpu * each:.1f} ms CPU a transition ({run.jobs} jobs:"
              f" Word copies and internal documents' files); request path + runner = "
              f"{(run.cpu + run.job_cpu) * each:.1f} ms CPU a transition")
    # The work that follows the steps (documents' Word copies, procedure.document_timing), done as the
    # server's job runner does it, timed apart: it is off the request path, not off the machine.
    from sanxiang.jobs.models import Job, JobState
    from sanxiang.jobs.services import jobs_run_due

    pending = Job.objects.filter(state=JobState.PENDING).count()
    if pending:
        started, cpu = time.perf_counter(), time.process_time()
        done = jobs_run_due(limit=1_000_000).done
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"  after the steps: {done} Word copies rendered by the job runner, {wall / done * 1000:.1f} ms each"
              f" ({cpu / done * 1000:.1f} ms CPU); {done / (run.transitions + warm.transitions):.2f} a transition")
    if args.pgbench:
        if not args.pg_url:
            print("  (pgbench needs --pg-url)")
        else:
            tps = _pgbench(args.pg_url, args.pgbench)
            print(f"  raw limit: pgbench TPC-B, 1 client:  {tps:6.0f} tps   -> transitions = {100 * rate / tps:.2f}% of it")
    if profile is None:
        return
    if args.profiler == "sample":
        _sampled_print(profile, run, args.top)
        return
    stats = pstats.Stats(profile)
    if args.dump:
        stats.dump_stats(args.dump)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\nprofiled time ({args.clock} clock) {total:.2f} s, by area (cumulative, overlapping):")
    for label, area_seconds in _areas(stats, total):
        print(f"  {label:28s} {area_seconds:7.2f} s  {100 * area_seconds / total:5.1f}%")
    print(f"\nfunctions with the most time of their own (top {args.top}):")
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()

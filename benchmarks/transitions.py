"""Case transitions per second through the service (`case_action_perform`) on PostgreSQL, with 1, 4
and 8 client processes, beside pgbench's TPC-B on the same server in the same run; then where the
time of one transition goes (cProfile, by area).

    python benchmarks/transitions.py                                  # 1, 4 and 8 clients, 30 s each
    python benchmarks/transitions.py --clients 1 4 --seconds 20 --pg-url postgres://postgres@127.0.0.1:5432/h_bench

Set-up, in its own process: the database of --pg-url dropped and created again, `sanxiang demo
--no-serve`, then for each client an agency of the demo county with two officers whose
certificates cover one of its enforcement fields, its own officer and head accounts and a party
(`_setup`). Each client process then works only on its own agency's cases, as fast as it can for
--seconds: it registers a penalty case (普通程序) and takes it through 立案审批, 立案, 调查, 询问笔录,
调查终结 and 事先告知 (six transitions; four of them issue documents: 立案审批表, 询问笔录, 调查终结报告,
告知书 and its 送达回证). What procedure.document_timing keeps in the step (询问笔录, 告知书, 送达回证) is
rendered as PDF there, stored as evidence and entered in the ledger; the internal documents' PDFs
(立案审批表, 调查终结报告) and every Word copy follow the step in the job runner. Then the client
starts the next case. Beside the clients a process does what the server's job runner does
(`jobs_run_due`), on the same cores; the jobs it did in the window and those still pending at its
end are printed, with the CPU time a transition costs in the window (the clients', registrations
included; their PostgreSQL backends', from /proc; the runner's and its backend's): steadier than
transitions/s on a shared machine. Work still pending at the end of the window is work moved
off the request path, not done: its CPU is not in the window's figures (pending × a job's CPU). All clients start on the same signal; a transition counts when its
transaction has committed within the window. Registering a case (`case_create`) is not a transition
and is not counted, but its time is inside the window.

Raw limit: `pgbench -i` on a scratch database (<pg-url database>_pgbench, dropped at the end) and
`pgbench -c N -j N -T --pgbench-seconds` (TPC-B like) for each number of clients, on the same server.

Where the time goes: for each number of --profile-clients (1 and 4 by default), that many clients at
once, each under cProfile (wall clock) for --profile-cases cases, their profiles merged; the
cumulative time of the functions of each area (steps, registrations, documents DOCX, PDF, SQL,
evidence ingest, snapshot building, ledger append, document numbers, projection, waits on
PostgreSQL and fsync) as a share of all transitions' time. The areas nest (SQL runs inside the
evidence ingest and the ledger append), so the shares overlap and do not add up to 100 %.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from _common import child_env, pg_admin


def _run(args: list[str], env: dict, cwd: Path) -> str:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:4])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


def _pgbench(url: str, clients: list[int], seconds: int) -> dict[int, float]:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") + "_pgbench"
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    pg_admin(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', name)
    pg_admin(url, 'CREATE DATABASE "{name}"', name)
    try:
        subprocess.run(["pgbench", *base, "-i", "-q", name], check=True, capture_output=True)
        tps = {}
        for n in clients:
            out = subprocess.run(["pgbench", *base, "-c", str(n), "-j", str(n), "-T", str(seconds), name],
                                 check=True, capture_output=True, text=True).stdout
            match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out) or re.search(
                r"tps = ([\d.]+)", out)
            tps[n] = float(match[1]) if match else 0.0
        return tps
    finally:
        pg_admin(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', name)


def _per(seconds: float, transitions: int) -> float:
    return seconds * 1000 / transitions if transitions else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=30, help="measured window per number of clients")
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--profile-cases", type=int, default=5, help="cases run under cProfile by each profiled"
                        " client (0: no profile)")
    parser.add_argument("--profile-clients", type=int, nargs="+", default=[1, 4],
                        help="profile with this many clients at once (each a profile; merged)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/h_bench")
    parser.add_argument("--keep", type=Path, help="data folder kept between runs: the demo is loaded only the first"
                        " time (the database is then kept too)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sanxiang-transitions-"))
    data_dir = args.keep or work / "var"
    env = child_env(data_dir, args.pg_url)
    started = time.perf_counter()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if not (args.keep and (data_dir / "secret_key").exists()):
        pg_admin(args.pg_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(args.pg_url, "CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        _run([sys.executable, "-m", "sanxiang", "demo", "--no-serve"], env, work)
    world = json.loads(_run([sys.executable, __file__, "_setup", str(max(args.clients))], env, work))
    print(f"demo county and {len(world['clients'])} client agencies ready in {time.perf_counter() - started:.0f} s",
          flush=True)
    if len(world["clients"]) < max(args.clients):
        print(f"only {len(world['clients'])} agencies could take a client: fewer clients than asked")

    results = {}
    for n in args.clients:
        n = min(n, len(world["clients"]))
        start_at = time.time() + 8  # every process imported and connected before the window opens
        # The server's job runner (documents' Word copies, which follow their step) works beside the
        # clients, on the same two cores, as it would inside the server.
        runner = subprocess.Popen([sys.executable, __file__, "_jobs", json.dumps(
            {"start_at": start_at, "seconds": args.seconds})], env=env, cwd=work, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        processes = [
            subprocess.Popen([sys.executable, __file__, "_client", json.dumps(
                world["clients"][i] | {"start_at": start_at, "seconds": args.seconds, "tag": f"{n}-{i}"})],
                env=env, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(n)
        ]
        outs = []
        for process in processes:
            out, err = process.communicate()
            if process.returncode:
                raise SystemExit(f"a client failed:\n{err[-5000:]}")
            outs.append(json.loads(out.strip().splitlines()[-1]))
        out, err = runner.communicate()
        if runner.returncode:
            raise SystemExit(f"the job runner failed:\n{err[-5000:]}")
        jobs = json.loads(out.strip().splitlines()[-1])
        transitions = sum(o["transitions"] for o in outs)
        latencies = sorted(t for o in outs for t in o["latencies_ms"])
        results[n] = {
            "transitions": transitions, "per_second": transitions / args.seconds,
            "p50_ms": latencies[len(latencies) // 2] if latencies else 0,
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0,
            "cases": sum(o["cases"] for o in outs),
            "jobs_done": jobs["done"], "jobs_pending": jobs["pending"],
            # CPU in the window, whatever the load: the clients' (their registrations included), their
            # PostgreSQL backends', the job runner's and its backend's, each per transition counted.
            "cpu_ms": _per(sum(o.get("cpu_s", 0.0) for o in outs), transitions),
            "backend_ms": _per(sum(o.get("backend_cpu_s") or 0.0 for o in outs), transitions),
            "runner_ms": _per(jobs.get("cpu_s", 0.0) + (jobs.get("backend_cpu_s") or 0.0), transitions),
            # The jobs left pending at the window's end, done after it (their backend's CPU included).
            "left_ms": _per(jobs.get("drain_cpu_s", 0.0), transitions),
        }
        results[n]["total_ms"] = sum(results[n][k] for k in ("cpu_ms", "backend_ms", "runner_ms", "left_ms"))
        print(f"{n} client(s): {results[n]['per_second']:.1f} transitions/s; job runner: {jobs['done']} jobs (files"
              f" that follow their step) done in the window, {jobs['pending']} pending at its end; CPU a transition: clients"
              f" {results[n]['cpu_ms']:.1f} ms, their PostgreSQL backends {results[n]['backend_ms']:.1f} ms, the job"
              f" runner and its backend {results[n]['runner_ms']:.1f} ms, the jobs left pending (done after the window)"
              f" {results[n]['left_ms']:.1f} ms: in all {results[n]['total_ms']:.1f} ms (load average"
              f" {os.getloadavg()[0]:.1f})", flush=True)
    tps = _pgbench(args.pg_url, list(results), args.pgbench_seconds)

    print(f"\n### Case transitions on PostgreSQL beside pgbench TPC-B (same server, same run, {args.seconds:.0f} s"
          f" windows; pgbench {args.pgbench_seconds} s)\n")
    print("| clients | transitions/s | p50 / p95 per transition | pgbench TPC-B tps (raw limit) | ratio |"
          " jobs left pending | CPU ms a transition: request path + runner + jobs left = total |")
    print("|---|---|---|---|---|---|---|")
    for n, r in results.items():
        ratio = r["per_second"] / tps[n] * 100 if tps.get(n) else 0
        print(f"| {n} | {r['per_second']:.1f} ({r['transitions']} in {r['cases']} cases) | {r['p50_ms']:.0f} / "
              f"{r['p95_ms']:.0f} ms | {tps.get(n, 0):,.0f} | {ratio:.2f} % | {r['jobs_pending']} "
              f"({r['jobs_pending'] / max(1, r['transitions']):.2f} a transition) | {r['cpu_ms'] + r['backend_ms']:.1f} + "
              f"{r['runner_ms']:.1f} + {r['left_ms']:.1f} = {r['total_ms']:.1f} |")

    for n in (args.profile_clients if args.profile_cases else []):
        n = min(n, len(world["clients"]))
        # n clients at once, each under cProfile (wall clock: the waits for a core, the disk and the
        # locks are in it), their profiles merged: where a transition's time goes at that load.
        start_at = time.time() + 8
        dumps = [work / f"profile-{n}-{i}.pstats" for i in range(n)]
        processes = [
            subprocess.Popen([sys.executable, __file__, "_profile", json.dumps(
                world["clients"][i] | {"cases": args.profile_cases, "dump": str(dumps[i]), "start_at": start_at})],
                env=env, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(n)
        ]
        outs = []
        for process in processes:
            out, err = process.communicate()
            if process.returncode:
                raise SystemExit(f"a profiled client failed:\n{err[-5000:]}")
            outs.append(json.loads(out.strip().splitlines()[-1]))
        profile = _profile_merge(dumps)
        transitions = sum(o["transitions"] for o in outs)
        wall = sum(o["total"] for o in outs)
        print(f"\n### Where one transition's time goes ({n} client(s) at once, cProfile, {transitions} transitions, "
              f"{wall / transitions * 1000:.0f} ms each under the profiler, wall clock)\n")
        print("| area | share of the time (inclusive; areas nest) | ms per transition |")
        print("|---|---|---|")
        for area, seconds in profile["areas"].items():
            print(f"| {area} | {seconds / wall * 100:.0f} % | {seconds / transitions * 1000:.1f} |")
        print("\nTop functions by own time:")
        for line in profile["top"]:
            print(f"  {line}")
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores, shared)")
    if not args.keep:
        pg_admin(args.pg_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(work, ignore_errors=True)
    return 0


# ---------------------------------------------------------------------------------------------
# Inside Django.


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()


PASSWORD = "Qv7!mZ2#wL9s-transitions"
FIELD_STAFFING = ("administrative", "civil_service_managed", "public_institution")


def setup(count: int) -> None:
    """Pick `count` agencies that can run penalty cases, with their accounts and a party."""
    _django()
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from sanxiang.accounts.models import Role, User
    from sanxiang.accounts.services import user_create
    from sanxiang.procedure.identifiers import id_number_check_character
    from sanxiang.procedure.registry_rules import certificate_is_valid_on
    from sanxiang.registry.models import Agency, Officer, Party
    from sanxiang.registry.services import party_create

    today = timezone.localdate()
    start = today - dt.timedelta(days=60)
    from sanxiang.cases.services import agency_abbreviation

    clients = []
    # Case numbers are the agency's abbreviation and its own counter (乌综执立〔2026〕1号): two
    # agencies with one abbreviation would be given the same numbers, so one of each.
    abbreviations: set[str] = set()
    agencies = Agency.objects.filter(is_judicial_bureau=False).order_by("pk")
    for agency in agencies:
        if len(clients) == count:
            break
        if agency_abbreviation(agency) in abbreviations:
            continue
        officers = list(
            Officer.objects.filter(agency=agency, status="active", staffing_type__in=FIELD_STAFFING)
            .prefetch_related("certificates").order_by("pk")
        )
        fields = [f for f in agency.enforcement_fields.split("、") if f]
        chosen, field = [], ""
        for candidate in fields:
            chosen = [
                o for o in officers
                if any(certificate_is_valid_on(c.snapshot(), start, enforcement_field=candidate)
                       and certificate_is_valid_on(c.snapshot(), today, enforcement_field=candidate)
                       for c in o.certificates.all())
            ]
            if len(chosen) >= 3:
                field = candidate
                break
        if not field:
            continue
        index = len(clients)
        free = [o for o in chosen if not User.objects.filter(officer=o).exists()]
        if len(free) < 2:
            continue
        with transaction.atomic():
            officer_user = User.objects.filter(username=f"bench_officer_{index}").first() or user_create(
                actor=None, username=f"bench_officer_{index}", password=PASSWORD, role=Role.OFFICER, agency=agency,
                officer=free[1], display_name=free[1].name)
            head_user = User.objects.filter(username=f"bench_head_{index}").first() or user_create(
                actor=None, username=f"bench_head_{index}", password=PASSWORD, role=Role.AGENCY_HEAD, agency=agency,
                officer=free[0], display_name=free[0].name)
            first17 = f"150626{dt.date(1980, 1, 1) + dt.timedelta(days=index):%Y%m%d}{201 + 2 * index:03d}"
            number = first17 + id_number_check_character(first17)
            party = Party.objects.filter(agency=agency, id_number=number).first() or party_create(
                actor=None, agency=agency, kind="natural_person", name="测试当事人", id_type="resident_id_card",
                id_number=number, address="乌审旗嘎鲁图镇乌审路1号", phone="13904770001")
        chosen = [officer_user.officer] + [o for o in chosen if o.pk != officer_user.officer_id]
        abbreviations.add(agency_abbreviation(agency))
        clients.append({
            "agency": agency.pk, "officer_user": officer_user.pk, "head_user": head_user.pk, "party": party.pk,
            "officers": [chosen[0].pk, chosen[1].pk], "field": field,
        })
    print(json.dumps({"clients": clients}))


def _case_steps(client: dict):
    """A generator of (transition, seconds) for one case, registering it first."""
    import datetime as dt

    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.calendar.selectors import working_day_calendar_current
    from sanxiang.cases.services import case_action_perform, case_create
    from sanxiang.registry.models import Agency, Officer, Party

    agency = Agency.objects.get(pk=client["agency"])
    officer = User.objects.get(pk=client["officer_user"])
    head = User.objects.get(pk=client["head_user"])
    party = Party.objects.get(pk=client["party"])
    officers = list(Officer.objects.filter(pk__in=client["officers"]).order_by("pk"))
    calendar = working_day_calendar_current()
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    ids = [str(o.pk) for o in officers]
    violated = ["《中华人民共和国行政处罚法》第三十二条"]
    penalty = {"penalty_kinds": ["fine"], "fine_yuan": "3000", "penalty_bases": ["《中华人民共和国行政处罚法》第九条"]}

    def wd(day, n):
        return calendar.working_days_after(day, n).date

    def run(number: int):
        case = case_create(actor=officer, agency=agency, title=f"压力测试案件{number}", procedure="ordinary",
                           party=party, officers=officers, enforcement_field=client["field"],
                           act_date=start - dt.timedelta(days=3), discovered_on=start, on=start)
        day = start + dt.timedelta(days=1)
        investigate_day = wd(day, 1)
        end_day = wd(investigate_day, 2)
        notify_day = wd(end_day, 1)
        act = {"on": investigate_day, "start_time": "09:30", "end_time": "10:30", "officer_ids": ids,
               "certificate_shown": True, "recorder": "记录员"}
        steps = (
            ("approve_opening", head, day, {"approval": "agree", "opinion": "同意。"}),
            ("open", officer, day, {"source": "inspection", "summary": "经核查有关线索。", "handler_opinion": "建议立案调查。",
                                    "violated": violated, "major_case": False}),
            ("investigate", officer, investigate_day, {}),
            ("record_inquiry", officer, investigate_day, act | {
                "place": "本局询问室", "interviewee": "当事人", "relation": "当事人本人",
                "exchanges": ["问：你是否看清执法证件？", "答：看清了。"]}),
            ("end_investigation", officer, end_day, {
                "process": "经询问当事人，调查终结。", "facts": "当事人违法事实清楚。", "evidence": ["询问笔录：经过"],
                "violated": violated, **penalty}),
            ("notify", officer, notify_day, {"served_on": notify_day, "method": "direct", "place": "当事人住所",
                                             **penalty}),
        )
        for action, actor, on, data in steps:
            t = time.perf_counter()
            case = case_action_perform(actor=actor, case=case, action=action, data=data, on=on)
            yield action, time.perf_counter() - t

    return run


def jobs_run(config: dict) -> None:
    """The server's job runner, as a process: due jobs run as they come during the window."""
    _django()
    try:
        from sanxiang.jobs.models import Job, JobState
        from sanxiang.jobs.services import jobs_run_due
    except ImportError:  # code from before the job runner (to measure it beside the same script)
        print(json.dumps({"done": 0, "pending": 0}))
        return

    while time.time() < config["start_at"]:
        time.sleep(0.01)
    end = time.perf_counter() + config["seconds"]
    done = 0
    cpu, backend = time.process_time(), _backend_cpu()
    while time.perf_counter() < end:
        run = jobs_run_due(limit=5)
        done += run.done
        if not run.done:
            time.sleep(0.1)
    cpu, backend = time.process_time() - cpu, _cpu_delta(backend, _backend_cpu())
    pending = Job.objects.filter(state=JobState.PENDING).count()
    # The rest, after the window (the next window starts clean), timed: the CPU the window's
    # transitions left to do.
    drain_cpu, drain_backend = time.process_time(), _backend_cpu()
    drained = jobs_run_due(limit=1_000_000).done
    drain_cpu, drain_backend = time.process_time() - drain_cpu, _cpu_delta(drain_backend, _backend_cpu())
    print(json.dumps({"done": done, "pending": pending, "cpu_s": cpu, "backend_cpu_s": backend, "drained": drained,
                      "drain_cpu_s": drain_cpu + (drain_backend or 0.0)}))


def _backend_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL backend serving this process's connection (the
    server on this machine, Linux /proc; clock ticks of 10 ms), or None."""
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


def _cpu_delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def client_run(config: dict) -> None:
    _django()
    from django.db import connection

    run = _case_steps(config)
    connection.ensure_connection()
    list(run(0))  # warm: templates, fonts, the first documents
    while time.time() < config["start_at"]:
        time.sleep(0.01)
    end = time.perf_counter() + config["seconds"]
    transitions, cases, latencies = 0, 0, []
    cpu, backend = time.process_time(), _backend_cpu()
    while time.perf_counter() < end:
        cases += 1
        for _action, seconds in run(cases):
            if time.perf_counter() > end:
                break
            transitions += 1
            latencies.append(seconds * 1000)
    cpu, backend = time.process_time() - cpu, _cpu_delta(backend, _backend_cpu())
    print(json.dumps({"transitions": transitions, "cases": cases, "latencies_ms": latencies, "cpu_s": cpu,
                      "backend_cpu_s": backend}))


AREAS = (
    ("steps (case_action_perform)", ("sanxiang/cases/services.py", "case_action_perform")),
    ("case registration (case_create)", ("sanxiang/cases/services.py", "case_create")),
    ("documents: DOCX rendering", ("sanxiang/documents/word.py", "layout_render_docx")),
    ("documents: PDF rendering", ("sanxiang/documents/pdf.py", "layout_render_pdf")),
    ("SQL (Django cursor execute)", ("django/db/backends/utils.py", "_execute")),
    ("evidence ingest (store, hash, row, entry)", ("sanxiang/evidence/services.py", "evidence_ingest")),
    ("snapshot building", ("sanxiang/cases/selectors.py", "case_snapshot_build")),
    ("ledger append", ("sanxiang/ledger/services.py", "entry_append")),
    ("document numbers (counter row lock)", ("sanxiang/cases/services.py", "document_number_allocate")),
    ("projection refresh", ("sanxiang/cases/projection.py", "case_projection_refresh_related")),
    ("waiting for PostgreSQL (psycopg wait)", ("psycopg/connection.py", "wait")),
    ("file fsync", ("~", "<built-in method posix.fsync>")),
)


def _profile_merge(dumps: list[Path]) -> dict:
    import io
    import pstats

    stats = pstats.Stats(*(str(d) for d in dumps))
    areas = {}
    for label, (path, name) in AREAS:
        areas[label] = sum(
            values[3] for (filename, _line, function), values in stats.stats.items()
            if filename.endswith(path) and function == name
        )
    buffer = io.StringIO()
    pstats.Stats(*(str(d) for d in dumps), stream=buffer).sort_stats("tottime").print_stats(12)
    top = [line.strip() for line in buffer.getvalue().splitlines() if re.match(r"\s+\d", line)][:12]
    return {"areas": areas, "top": top}


def profile_run(config: dict) -> None:
    """One client under cProfile for config["cases"] cases, from config["start_at"]; the profile dumped
    to config["dump"] (merged by the parent with the other clients')."""
    _django()
    import cProfile

    run = _case_steps(config)
    list(run(0))
    while time.time() < config.get("start_at", 0):
        time.sleep(0.01)
    profiler = cProfile.Profile()
    transitions = 0
    started = time.perf_counter()
    profiler.enable()
    for number in range(1, config["cases"] + 1):
        for _ in run(number):
            transitions += 1
    profiler.disable()
    wall = time.perf_counter() - started
    profiler.dump_stats(config["dump"])
    print(json.dumps({"transitions": transitions, "total": wall}))


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["_setup"]:
        setup(int(sys.argv[2]))
    elif command == ["_jobs"]:
        jobs_run(json.loads(sys.argv[2]))
    elif command == ["_client"]:
        client_run(json.loads(sys.argv[2]))
    elif command == ["_profile"]:
        profile_run(json.loads(sys.argv[2]))
    else:
        sys.exit(main())

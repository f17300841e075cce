"""Load on the real server: 50 users (locust, headless, as a library) against `sanxiang serve`
(waitress) on loopback, on a fresh demo data folder, for SQLite and for PostgreSQL; then
`sanxiang verify` must pass. Printed per engine: requests/s, p50/p95/p99 and errors, overall and
per kind of request, beside the raw limit of the same server measured in the same run.

    python benchmarks/load.py                                 # both engines, 30 s of load each
    python benchmarks/load.py --engine sqlite --seconds 180   # the 3-minute run
    python benchmarks/load.py --users 50 --raw-seconds 10 --pg-url postgres://postgres@127.0.0.1:5432/x

Per engine, each step in its own process: a new data folder (and on PostgreSQL the database named
by --pg-url, dropped and created again, and dropped at the end), `sanxiang demo --no-serve`, API
tokens created through the service (`api_token_create`), `sanxiang serve` on a free port of
127.0.0.1, the load, then the server is stopped and `sanxiang verify` run on the data folder.
The default (--seconds 30 --raw-seconds 6) keeps the load of both engines to 72 s and the whole run,
set-up and verification included, to about three minutes; --seconds 180 is the three-minute run.

The mix, by number of simulated users (weights 20:15:10:5 of --users):
- portal: anonymous pages of the public site (home, decision list, search, a decision, feeds,
  agencies, certificates, annual reports, the ledger's checkpoint);
- staff: pages of the officer, the head, the reviewer and the supervisor (each logged in through
  the real login pages before the load starts; the supervisor with the demo's TOTP secret);
- api: reads with `Authorization: Bearer` (cases, a case, its actions, agencies, officers,
  matters);
- writes: an officer registers a case (POST /api/cases), the head approves its opening and the
  officer opens it (POST /api/cases/{id}/actions/...): the officer with a Bearer token, the head
  with a session and its CSRF token as the browser does (--session-writes: both with sessions).
Reading users do not pause between requests (the server is saturated: requests/s is its
capacity at this concurrency); writers pause 0.5-1.5 s between steps.

Raw limit: the same number of users fetching one static file, which waitress and WhiteNoise
answer without a view or a database: what this server can do on this machine at best.
A request fails unless it gets the status it expects (200, 201 for a new case; redirects are not
followed, so a lost login is a failure). Errors are listed with the request, the status and the
reason, and the server's tracebacks are printed.
"""

from __future__ import annotations

import sys

if sys.argv[1:2] == ["_load"]:
    # locust runs on gevent, which must patch the standard library before anything imports ssl.
    from gevent import monkey

    monkey.patch_all()

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from _common import child_env, pg_admin

STATIC = "/static/web/site.css"
ACCOUNT_LINE = re.compile(r"\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+两步验证密钥 TOTP secret: (\S+))?\s*$")
STAFF_USERNAMES = ("officer", "head", "reviewer", "supervisor")


# ---------------------------------------------------------------------------------------------
# The orchestrator: no Django, no locust in this process.




def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accounts(demo_output: str) -> dict[str, dict]:
    accounts = {}
    for line in demo_output.splitlines():
        match = ACCOUNT_LINE.match(line)
        if match and match.group(2) in STAFF_USERNAMES:
            _, username, password, secret = match.groups()
            accounts[username] = {"password": password, "totp_secret": secret}
    missing = set(STAFF_USERNAMES) - set(accounts)
    if missing:
        raise SystemExit(f"`sanxiang demo` printed no account for {sorted(missing)}:\n{demo_output}")
    return accounts


def _serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    handle = open(log, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "sanxiang", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not answer within 60 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _tracebacks(log: Path) -> list[str]:
    """The last line of every traceback the server logged (the exception and its message)."""
    found, inside = [], False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line.startswith((" ", "\t")):
            found.append(line)
            inside = False
    return found


def run_engine(engine: str, args) -> bool:
    work = Path(tempfile.mkdtemp(prefix=f"sanxiang-load-{engine}-"))
    data_dir = work / "var"
    database_url = args.pg_url if engine == "postgres" else None
    env = child_env(data_dir, database_url)
    print(f"\n== {engine}: fresh demo data folder {data_dir}" + (f", database {args.pg_url}" if database_url else ""),
          flush=True)
    server = None
    try:
        if database_url:
            pg_admin(database_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg_admin(database_url, "CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        started = time.perf_counter()
        demo = subprocess.run([sys.executable, "-m", "sanxiang", "demo", "--no-serve"], env=env, cwd=work,
                              capture_output=True, text=True)
        if demo.returncode:
            raise SystemExit(f"sanxiang demo failed:\n{demo.stdout}\n{demo.stderr}")
        accounts = _accounts(demo.stdout)
        setup = subprocess.run([sys.executable, __file__, "_setup"], env=env, cwd=work, capture_output=True, text=True)
        if setup.returncode:
            raise SystemExit(f"set-up failed:\n{setup.stderr}")
        world = json.loads(setup.stdout) | {"accounts": accounts}
        print(f"demo county and tokens ready in {time.perf_counter() - started:.0f} s", flush=True)

        port = _free_port()
        log = work / "server.log"
        server = _serve(env, port, log)
        config = work / "load.json"
        config.write_text(json.dumps(world | {
            "url": f"http://127.0.0.1:{port}", "users": args.users, "seconds": args.seconds,
            "raw_seconds": args.raw_seconds, "bearer_writes": not args.session_writes,
        }))
        load = subprocess.run([sys.executable, __file__, "_load", str(config)], env=env, cwd=work,
                              capture_output=True, text=True)
        _stop(server)
        server = None
        if load.returncode:
            raise SystemExit(f"the load run failed:\n{load.stderr[-5000:]}")
        result = json.loads(load.stdout)
        _report(engine, result)
        tracebacks = _tracebacks(log)
        if tracebacks:
            print(f"server tracebacks ({len(tracebacks)}; full log kept in {log}):")
            for line, count in _counted(tracebacks):
                print(f"  {count:5d} × {line}")

        verify = subprocess.run([sys.executable, "-m", "sanxiang", "verify", "--no-progress"], env=env, cwd=work,
                                capture_output=True, text=True)
        last = (verify.stdout.strip().splitlines() or [""])[-1]
        print(f"sanxiang verify: exit {verify.returncode}  {last}")
        if verify.returncode:
            print(verify.stdout[-3000:] + verify.stderr[-3000:])
        ok = verify.returncode == 0 and result["mix"]["failures"] == 0 and result["raw"]["failures"] == 0
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif not ok:
            print(f"kept for inspection: {work}")
        return ok
    finally:
        if server is not None:
            _stop(server)
        if database_url and not args.keep:
            pg_admin(database_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counted(lines: list[str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def _report(engine: str, result: dict) -> None:
    raw, mix = result["raw"], result["mix"]
    print(f"{engine}: {result['users']} users, {mix['seconds']:.0f} s of mixed load after {raw['seconds']:.0f} s "
          f"of the raw limit ({result['logins']} logins before, not counted)")
    header = f"  {'':54} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>7}"
    print(header)

    def row(label: str, s: dict) -> None:
        print(f"  {label:54} {s['requests']:9d} {s['rps']:8.1f} {s['p50']:7.0f} {s['p95']:7.0f} {s['p99']:7.0f} {s['max']:7.0f} "
              f"{s['failures']:7d}")

    row(f"raw limit (GET {STATIC})", raw)
    row("mix, all requests", mix)
    for group, s in mix["groups"].items():
        row(f"  {group}", s)
    slowest = sorted(mix["requests_by_name"].items(), key=lambda item: (-item[1]["p50"], -item[1]["max"]))[:5]
    slowest += [item for item in sorted(mix["requests_by_name"].items(), key=lambda item: -item[1]["max"])[:2]
                if item not in slowest]
    print("  slowest kinds of request (the five by p50, the two by max):")
    for name, s in slowest:
        row(f"    {name[:50]}", s)
    share = mix["rps"] / raw["rps"] * 100 if raw["rps"] else 0
    print(f"  the mix runs at {share:.0f} % of the raw limit's requests/s")
    if mix["errors"] or raw["errors"]:
        print("  errors (request, reason, count):")
        for error in raw["errors"] + mix["errors"]:
            print(f"    {error['occurrences']:5d} × {error['method']} {error['name']}: {error['error']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30, help="mixed load per engine (180: the 3-minute run)")
    parser.add_argument("--raw-seconds", type=float, default=6, help="the raw limit's run per engine")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_load_bench")
    parser.add_argument("--session-writes", action="store_true",
                        help="the officer's case actions with a session instead of the API token")
    parser.add_argument("--keep", action="store_true", help="keep the data folders and the database")
    args = parser.parse_args()
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    started = time.perf_counter()
    results = {engine: run_engine(engine, args) for engine in engines}
    print(f"\n== load benchmark finished in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{engine} {'passed' if ok else 'FAILED'}" for engine, ok in results.items()))
    return 0 if all(results.values()) else 1


# ---------------------------------------------------------------------------------------------
# _setup: inside Django, on the demo data folder. Prints what the users need, as JSON.


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from sanxiang.accounts.models import User
    from sanxiang.accounts.services import api_token_create
    from sanxiang.cases.models import Case
    from sanxiang.portal.decisions import decisions_visible
    from sanxiang.publication.models import PublicAgency
    from sanxiang.registry.models import Officer, Party

    officer = User.objects.get(username="officer")
    supervisor = User.objects.get(username="supervisor")
    agency = officer.agency
    cases = list(Case.objects.filter(agency=agency).values_list("pk", flat=True))
    # A second officer who really acts on cases of this agency (a valid certificate).
    colleague = (
        Officer.objects.filter(cases__agency=agency).exclude(pk=officer.officer_id).values_list("pk", flat=True).first()
    )
    tokens = {
        user.username: api_token_create(actor=None, user=user, name="负载测试 load benchmark")[1]
        for user in (officer, supervisor)
    }
    print(json.dumps({
        "tokens": tokens,
        "cases": cases,
        "officer_ids": [officer.officer_id, colleague],
        "parties": list(Party.objects.filter(agency=agency).values_list("pk", flat=True)),
        "publications": list(decisions_visible().values_list("pk", flat=True)),
        "agencies": list(PublicAgency.objects.values_list("pk", flat=True)),
    }))


# ---------------------------------------------------------------------------------------------
# _load: locust as a library (it patches the standard library with gevent, hence its own process).


def load(config_path: str) -> None:
    import datetime as dt
    import hashlib
    import hmac
    import itertools
    import random
    import struct
    from base64 import b32decode

    import gevent
    import requests
    from locust import HttpUser, between, constant, task
    from locust.clients import HttpSession
    from locust.env import Environment

    config = json.loads(Path(config_path).read_text())
    url = config["url"]

    def totp(secret: str) -> str:
        key = b32decode(secret.upper() + "=" * (-len(secret) % 8))
        digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"

    def csrf_of(session: requests.Session, path: str) -> str:
        page = session.get(url + path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not match:
            raise SystemExit(f"no CSRF token on {path}: {page.status_code}")
        return match.group(1)

    def login(username: str) -> dict:
        """Through the real pages: the password form, then the TOTP form if the account has one."""
        account = config["accounts"][username]
        session = requests.Session()
        token = csrf_of(session, "/accounts/login/")
        response = session.post(url + "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": username, "password": account["password"]},
            headers={"Referer": url + "/accounts/login/"}, allow_redirects=False)
        if response.status_code == 302 and "/accounts/login/totp/" in response.headers.get("Location", ""):
            token = csrf_of(session, "/accounts/login/totp/")
            response = session.post(url + "/accounts/login/totp/", data={
                "csrfmiddlewaretoken": token, "code": totp(account["totp_secret"] or "")},
                headers={"Referer": url + "/accounts/login/totp/"}, allow_redirects=False)
        if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
            raise SystemExit(f"login of {username} failed: {response.status_code} {response.text[:300]}")
        if session.get(url + "/staff/", allow_redirects=False).status_code != 200:
            raise SystemExit(f"{username} is not logged in after the login pages")
        return dict(session.cookies)

    # Two sessions per account without a second factor (several tabs of one user), one for the
    # supervisor, whose TOTP code can be used only once.
    sessions = {username: [login(username) for _ in range(1 if username == "supervisor" else 2)]
                for username in STAFF_USERNAMES}
    logins = sum(len(v) for v in sessions.values())
    publications, cases, agencies = config["publications"], config["cases"], config["agencies"]
    numbers = itertools.count(1)
    identities = itertools.cycle(STAFF_USERNAMES)

    def expect(response, status: int = 200) -> None:
        if response.status_code != status:
            body = re.sub(r"\s+", " ", response.text or "")[:160]
            response.failure(f"HTTP {response.status_code} (expected {status}): {body}")
        else:
            response.success()

    def get(client, path: str, name: str, **kwargs) -> None:
        with client.get(path, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            expect(response)

    class Portal(HttpUser):
        weight = 20
        wait_time = constant(0)

        @task(3)
        def home(self):
            get(self.client, "/", "portal /")

        @task(3)
        def decisions(self):
            get(self.client, f"/decisions/?page={random.randint(1, 3)}", "portal /decisions/?page=")

        @task(2)
        def search(self):
            get(self.client, f"/decisions/?q={random.choice(['食品', '广告', '罚款', '乌审旗'])}", "portal /decisions/?q=")

        @task(4)
        def decision(self):
            if publications:
                get(self.client, f"/decisions/{random.choice(publications)}/", "portal /decisions/<id>/")

        @task(1)
        def feed(self):
            get(self.client, "/decisions/feed.rss", "portal /decisions/feed.rss")

        @task(2)
        def agencies(self):
            get(self.client, "/agencies/", "portal /agencies/")

        @task(2)
        def agency(self):
            get(self.client, f"/agencies/{random.choice(agencies)}/", "portal /agencies/<id>/")

        @task(1)
        def certificates(self):
            get(self.client, "/certificates/", "portal /certificates/")

        @task(1)
        def annual(self):
            get(self.client, "/annual/", "portal /annual/")

        @task(1)
        def checkpoint(self):
            get(self.client, "/ledger/checkpoint", "portal /ledger/checkpoint")

    pages = {
        "officer": ["/staff/", "/staff/cases/", "case", "/staff/registry/officers/", "/staff/registry/parties/"],
        "head": ["/staff/", "/staff/cases/", "case", "/staff/publication/", "/staff/registry/officers/"],
        "reviewer": ["/staff/", "/staff/review/", "/staff/cases/", "case"],
        "supervisor": ["/staff/", "/staff/review/supervision/", "/staff/cases/", "/staff/registry/agencies/"],
    }

    class Staff(HttpUser):
        weight = 15
        wait_time = constant(0)

        def on_start(self):
            self.username = next(identities)
            self.client.cookies.update(random.choice(sessions[self.username]))

        @task
        def page(self):
            path = random.choice(pages[self.username])
            if path == "case":
                get(self.client, f"/staff/cases/{random.choice(cases)}/", "staff /staff/cases/<id>/")
            else:
                get(self.client, path, f"staff {path}")

    class Api(HttpUser):
        weight = 10
        wait_time = constant(0)

        def on_start(self):
            self.headers = {"Authorization": f"Bearer {random.choice(list(config['tokens'].values()))}"}

        @task(3)
        def case_list(self):
            get(self.client, "/api/cases", "api /api/cases", headers=self.headers)

        @task(3)
        def case(self):
            get(self.client, f"/api/cases/{random.choice(cases)}", "api /api/cases/<id>", headers=self.headers)

        @task(2)
        def actions(self):
            get(self.client, f"/api/cases/{random.choice(cases)}/actions", "api /api/cases/<id>/actions",
                headers=self.headers)

        @task(1)
        def agencies(self):
            get(self.client, "/api/registry/agencies", "api /api/registry/agencies", headers=self.headers)

        @task(1)
        def officers(self):
            get(self.client, "/api/registry/officers", "api /api/registry/officers", headers=self.headers)

        @task(1)
        def matters(self):
            get(self.client, "/api/registry/matters", "api /api/registry/matters", headers=self.headers)

    class Writer(HttpUser):
        """Registers a case as the officer, has the head approve its opening, opens it."""

        weight = 5
        wait_time = between(0.5, 1.5)

        def on_start(self):
            self.officer = self.client
            self.head = HttpSession(base_url=url, request_event=self.environment.events.request, user=self)
            for client, username in ((self.officer, "officer"), (self.head, "head")):
                if config["bearer_writes"] and username == "officer":
                    client.headers["Authorization"] = f"Bearer {config['tokens']['officer']}"
                    continue
                cookies = random.choice(sessions[username])
                client.cookies.update(cookies)
                client.headers["X-CSRFToken"] = cookies["csrftoken"]

        def post(self, client, path: str, name: str, body: dict, status: int = 200) -> dict | None:
            with client.post(path, name=name, json=body, allow_redirects=False, catch_response=True) as response:
                expect(response, status)
                return response.json() if response.status_code == status else None

        @task
        def register_and_open(self):
            n = next(numbers)
            case = self.post(self.officer, "/api/cases", "write POST /api/cases", {
                "procedure": "ordinary", "title": f"负载测试案件{n}", "party_id": random.choice(config["parties"]),
                "officer_ids": config["officer_ids"], "enforcement_field": "市场监管",
                "act_date": (dt.date.today() - dt.timedelta(days=5)).isoformat(),
            }, status=201)
            if case is None:
                return
            self.wait()
            approved = self.post(self.head, f"/api/cases/{case['id']}/actions/approve_opening",
                                 "write POST /api/cases/<id>/actions/approve_opening", {"data": {"approval": "agree", "opinion": "同意立案"}})
            if approved is None:
                return
            self.wait()
            with self.officer.get(f"/api/cases/{case['id']}/actions", name="write GET /api/cases/<id>/actions",
                                  catch_response=True) as response:
                expect(response)
                actions = {a["action"]: a for a in response.json()} if response.status_code == 200 else {}
            fields = {f["name"]: f for f in actions.get("open", {}).get("fields", [])}
            source = (fields.get("source", {}).get("choices") or [{"value": ""}])[0]["value"]
            self.post(self.officer, f"/api/cases/{case['id']}/actions/open", "write POST /api/cases/<id>/actions/open",
                      {"data": {"source": source, "summary": "负载测试：现场检查发现涉嫌违法行为。",
                                "handler_opinion": "建议立案调查", "violated": "《中华人民共和国食品安全法》第三十四条"}})

    def run(user_classes, seconds: float) -> dict:
        env = Environment(user_classes=user_classes, host=url)
        runner = env.create_local_runner()
        runner.start(config["users"], spawn_rate=config["users"])
        gevent.sleep(1)  # all users spawned; the measurement starts now
        env.stats.reset_all()
        started = time.perf_counter()
        gevent.sleep(seconds)
        runner.stop()
        elapsed = time.perf_counter() - started
        runner.quit()
        return summary(env.stats, elapsed)

    def figures(entry, elapsed: float) -> dict:
        return {
            "requests": entry.num_requests, "failures": entry.num_failures, "rps": entry.num_requests / elapsed,
            "p50": entry.get_response_time_percentile(0.5) or 0, "p95": entry.get_response_time_percentile(0.95) or 0,
            "p99": entry.get_response_time_percentile(0.99) or 0, "max": entry.max_response_time or 0,
        }

    def summary(stats, elapsed: float) -> dict:
        from locust.stats import StatsEntry

        groups: dict[str, StatsEntry] = {}
        for (name, _method), entry in sorted(stats.entries.items()):
            group = name.split(" ", 1)[0]
            groups.setdefault(group, StatsEntry(stats, group, "")).extend(entry)
        return figures(stats.total, elapsed) | {
            "seconds": elapsed,
            "groups": {g: figures(e, elapsed) for g, e in groups.items()},
            "requests_by_name": {name: figures(e, elapsed) for (name, _method), e in stats.entries.items()},
            "errors": [{"method": e.method, "name": e.name, "error": str(e.error), "occurrences": e.occurrences}
                       for e in stats.errors.values()],
        }

    class Raw(HttpUser):
        wait_time = constant(0)

        @task
        def static(self):
            get(self.client, STATIC, f"raw {STATIC}")

    raw = run([Raw], config["raw_seconds"])
    mix = run([Portal, Staff, Api, Writer], config["seconds"])
    print(json.dumps({"users": config["users"], "logins": logins, "raw": raw, "mix": mix}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_setup"]:
        setup()
    elif sys.argv[1:2] == ["_load"]:
        load(sys.argv[2])
    else:
        sys.exit(main())

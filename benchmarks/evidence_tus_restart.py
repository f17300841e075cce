"""A 2 GiB upload through tus to a real server process that is killed halfway and restarted.

    python benchmarks/evidence_tus_restart.py                  # 2 GiB, 32 MiB chunks, SQLite
    python benchmarks/evidence_tus_restart.py --size-mib 256 --pg-url postgres://postgres@127.0.0.1:5432/bench_tus

Steps: generate a pseudo-random MP4-looking file in /tmp; migrate a temporary data folder; create
an agency, officer, user and case; start `python -m sanxiang serve`; log in through the login page;
create the upload (POST) and send PATCHes of --chunk-mib with an sha256 Upload-Checksum; when half
is sent, SIGKILL the server in the middle of a PATCH body; start a new server process on the same
data; HEAD for the offset and PATCH the rest. Then the stored blob is compared with `sha256sum` of
the source, and `sanxiang verify` must pass.

Throughout, the server's resident memory is sampled from /proc/PID/status (VmRSS every 20 ms,
and VmHWM, the kernel's own peak, just before the kill and at the end); the limit is 200 MB. The
idle server's RSS after login is printed beside it as the baseline measured in the same run, and
the upload throughput beside the throughput of `sha256sum` over the same file.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
LIMIT_MB = 200
USERNAME, PASSWORD = "bench-officer", "Bench-Password-2026!"

SETUP = """
import sys
sys.path.insert(0, {root!r})
import django
django.setup()
from sanxiang.accounts.services import user_create
from sanxiang.cases.services import case_create
from sanxiang.registry import services
from tests.factories import credit_code, id_number
agency = services.agency_create(actor=None, name="基准测试执法局", credit_code=credit_code(serial=434343),
    kind="administrative_organ", region_code="150626", parent_government="乌审旗人民政府", enforcement_fields="市场监管")
officer = services.officer_create(actor=None, agency=agency, name="基准执法员", id_number=id_number(serial=434),
    staffing_type="administrative")
user = user_create(actor=None, username={username!r}, password={password!r}, role="officer", agency=agency,
    officer=officer, validate=False)
case = case_create(actor=user, agency=agency, number="乌审旗市监罚〔2026〕9999号", title="基准测试案件")
print(case.pk)
"""


def make_file(path: Path, size: int) -> None:
    rng = random.Random(2026)
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    with open(path, "wb") as out:
        out.write(ftyp)
        written = len(ftyp)
        while written < size:
            block = rng.randbytes(min(8 * MIB, size - written))
            out.write(block)
            written += len(block)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sampler(threading.Thread):
    """Samples a process's VmRSS; remembers the peak and the last VmHWM seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_kb = 0
        self.hwm_kb = 0
        self.samples = 0
        self.running = True

    def read(self) -> None:
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            return
        fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
        if fields:
            self.peak_rss_kb = max(self.peak_rss_kb, int(fields.get("VmRSS", 0)))
            self.hwm_kb = max(self.hwm_kb, int(fields.get("VmHWM", 0)))
            self.samples += 1

    def run(self) -> None:
        while self.running:
            self.read()
            time.sleep(0.02)

    def stop(self) -> None:
        self.read()
        self.running = False


class Server:
    def __init__(self, env: dict, port: int, log: Path) -> None:
        self.log = open(log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sanxiang", "serve", "--port", str(port), "--threads", "4"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.sampler = Sampler(self.process.pid)
        self.sampler.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start within 60 s")

    def rss_now_mb(self) -> float:
        self.sampler.read()
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024

    def kill(self) -> None:
        self.sampler.stop()  # the last VmHWM before the process goes
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        self.sampler.stop()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Session:
    """HTTP with cookies and Django's CSRF token, on one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600, blocksize=MIB)
        return self.conn

    def reset(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def _headers(self, headers: dict) -> dict:
        out = dict(headers)
        if self.cookies:
            out["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            out["X-CSRFToken"] = self.cookies["csrftoken"]
        return out

    def _remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = self._connection()
        conn.request(method, path, body=body, headers=self._headers(headers or {}))
        response = conn.getresponse()
        data = response.read()
        self._remember(response)
        return response, data

    def login(self) -> None:
        self.request("GET", "/accounts/login/")
        form = urllib.parse.urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        ).encode()
        response, _ = self.request(
            "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed: {response.status}")


TUS = {"Tus-Resumable": "1.0.0"}


def patch_headers(offset: int, chunk: bytes) -> dict:
    return TUS | {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": str(offset),
        "Upload-Checksum": "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode(),
    }


def patch_interrupted(session: Session, path: str, offset: int, chunk: bytes, server: Server) -> None:
    """Send the headers and half of a PATCH body, then SIGKILL the server."""
    conn = session._connection()
    conn.putrequest("PATCH", path)
    for name, value in session._headers(patch_headers(offset, chunk) | {"Content-Length": str(len(chunk))}).items():
        conn.putheader(name, value)
    conn.endheaders()
    conn.send(chunk[: len(chunk) // 2])
    server.kill()
    try:
        conn.send(chunk[len(chunk) // 2 :])
        conn.getresponse()
    except OSError:
        pass
    session.reset()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--chunk-mib", type=int, default=32)
    parser.add_argument("--pg-url", default="", help="PostgreSQL database to use (dropped and created afresh)")
    parser.add_argument("--dir", default="/tmp")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sanxiang-tus-", dir=args.dir))
    source = work / "bodycam.mp4"
    data_dir = work / "data"
    size = args.size_mib * MIB
    chunk_size = args.chunk_mib * MIB
    servers: list[Server] = []
    try:
        env = dict(os.environ)
        env.update(
            {
                "SANXIANG_DATA_DIR": str(data_dir),
                "DATABASE_URL": args.pg_url or f"sqlite:///{data_dir / 'sanxiang.sqlite3'}",
                "SANXIANG_EVIDENCE_MAX_BYTES": str(max(size, 8 * 1024**3)),
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])),
            }
        )
        env.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
        if args.pg_url:
            _pg_recreate(args.pg_url)
        data_dir.mkdir()
        subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "-v", "0"], env=env, check=True)
        code = SETUP.format(root=str(ROOT), username=USERNAME, password=PASSWORD)
        case_id = int(subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True).stdout.split()[-1])

        print(f"generating {size / MIB:.0f} MiB in {source} ...", flush=True)
        make_file(source, size)
        started = time.perf_counter()
        raw_sha = subprocess.run(["sha256sum", str(source)], check=True, capture_output=True, text=True).stdout.split()[0]
        raw_seconds = time.perf_counter() - started

        port = free_port()
        server = Server(env, port, work / "server.log")
        servers.append(server)
        session = Session(port)
        session.login()
        idle_mb = server.rss_now_mb()

        meta = ",".join(
            f"{k} {base64.b64encode(str(v).encode()).decode()}"
            for k, v in {"filename": "执法记录仪-0001.mp4", "kind": "video", "case": case_id, "step": "inspection",
                         "device": "DSJ-0001"}.items()
        )
        response, body = session.request("POST", "/staff/evidence/tus/", None, TUS | {"Upload-Length": str(size), "Upload-Metadata": meta})
        if response.status != 201:
            raise RuntimeError(f"creation failed: {response.status} {body!r}")
        upload_path = urllib.parse.urlsplit(response.headers["Location"]).path
        print(f"upload {upload_path}: {size / MIB:.0f} MiB in {args.chunk_mib} MiB chunks", flush=True)

        upload_started = time.perf_counter()
        killed_at = None
        offset = 0
        result_headers = None
        with open(source, "rb") as handle:
            while offset < size:
                handle.seek(offset)
                chunk = handle.read(chunk_size)
                if killed_at is None and offset + len(chunk) > size // 2:
                    patch_interrupted(session, upload_path, offset, chunk, server)
                    killed_at = offset
                    first_peak = server.sampler
                    print(f"SIGKILL at offset {offset / MIB:.0f} MiB (mid-PATCH); restarting", flush=True)
                    server = Server(env, port, work / "server.log")
                    servers.append(server)
                    response, _ = session.request("HEAD", upload_path, None, TUS)
                    if response.status != 200:
                        raise RuntimeError(f"HEAD after restart: {response.status}")
                    offset = int(response.headers["Upload-Offset"])
                    print(f"HEAD after restart: Upload-Offset {offset / MIB:.0f} MiB", flush=True)
                    continue
                response, body = session.request("PATCH", upload_path, chunk, patch_headers(offset, chunk))
                if response.status != 204:
                    raise RuntimeError(f"PATCH at {offset}: {response.status} {body!r}")
                offset = int(response.headers["Upload-Offset"])
                result_headers = response.headers
        upload_seconds = time.perf_counter() - upload_started

        stored_sha = result_headers["Sanxiang-Evidence-Sha256"]
        blob = data_dir / "evidence" / stored_sha[:2] / stored_sha[2:4] / stored_sha
        blob_sha = subprocess.run(["sha256sum", str(blob)], check=True, capture_output=True, text=True).stdout.split()[0]
        server.sampler.stop()
        second_peak = server.sampler

        verify = subprocess.run(
            [sys.executable, "-m", "sanxiang", "verify", "--no-progress"], env=env, capture_output=True, text=True
        )

        mb = size / 1e6
        peak_mb = max(first_peak.hwm_kb, first_peak.peak_rss_kb, second_peak.hwm_kb, second_peak.peak_rss_kb) / 1024
        print()
        print(f"sha256sum of the source      {raw_sha}")
        print(f"stored digest (server)       {stored_sha}")
        print(f"sha256sum of the stored blob {blob_sha}")
        print(f"digests equal: {'YES' if raw_sha == stored_sha == blob_sha else 'NO'}")
        print(f"evidence record #{result_headers['Sanxiang-Evidence-Record']}; sanxiang verify exit {verify.returncode}")
        print()
        print(f"server RSS, idle after login (baseline): {idle_mb:7.1f} MB")
        print(
            f"server peak, first process (killed):     {max(first_peak.hwm_kb, first_peak.peak_rss_kb) / 1024:7.1f} MB"
            f"  (VmHWM {first_peak.hwm_kb / 1024:.1f}, max sampled VmRSS {first_peak.peak_rss_kb / 1024:.1f}, {first_peak.samples} samples)"
        )
        print(
            f"server peak, second process (finished):  {max(second_peak.hwm_kb, second_peak.peak_rss_kb) / 1024:7.1f} MB"
            f"  (VmHWM {second_peak.hwm_kb / 1024:.1f}, max sampled VmRSS {second_peak.peak_rss_kb / 1024:.1f}, {second_peak.samples} samples)"
        )
        print(f"peak resident memory: {peak_mb:.1f} MB, limit {LIMIT_MB} MB: {'PASS' if peak_mb < LIMIT_MB else 'FAIL'}")
        print()
        print(f"upload incl. kill, restart and finalization: {upload_seconds:6.1f} s  {mb / upload_seconds:6.0f} MB/s")
        print(f"raw limit, sha256sum of the same file:       {raw_seconds:6.1f} s  {mb / raw_seconds:6.0f} MB/s")
        ok = raw_sha == stored_sha == blob_sha and peak_mb < LIMIT_MB and verify.returncode == 0
        if verify.returncode:
            print(verify.stdout[-2000:], verify.stderr[-2000:])
        sys.exit(0 if ok else 1)
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.stop()
        shutil.rmtree(work, ignore_errors=True)


def _pg_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()

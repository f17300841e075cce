"""`sanxiang demo` run as a user runs it (the README's first command), in a process of its own on the
embedded SQLite: what tests/e2e/test_demo.py, test_crawl.py and their fixtures (conftest) share."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
ROLE_TEST_IDS = {
    "执法人员": "home-officer",
    "法制审核人员": "home-reviewer",
    "机关负责人": "home-agency_head",
    "单位管理员": "home-agency_admin",
    "司法局监督人员": "home-supervisor",
    "系统管理员": "home-system_admin",
}


def embedded_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"SANXIANG_DATA_DIR": str(data_dir), "PYTHONPATH": SRC + os.pathsep + env.get("PYTHONPATH", "")}
    return env


def sanxiang(*args: str, data_dir: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sanxiang", *args],
        env=embedded_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def parse_accounts(output: str) -> list[dict]:
    accounts = []
    for line in output.splitlines():
        match = re.match(r"\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$", line)
        if match and match.group(1) in ROLE_TEST_IDS:
            role_label, username, password, secret = match.groups()
            accounts.append({"role_label": role_label, "username": username, "password": password, "secret": secret})
    return accounts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_serve(data_dir: Path):
    """`sanxiang demo` on `data_dir`, serving on a free port until the generator is closed."""
    port = free_port()
    process = sanxiang("demo", "--port", str(port), data_dir=data_dir)
    lines = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "提供服务" in line:
            break
    output = "".join(lines)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"sanxiang demo did not start serving:\n{output}")
    try:
        yield {"url": f"http://127.0.0.1:{port}", "output": output, "data_dir": data_dir}
    finally:
        process.terminate()
        process.wait(timeout=20)

"""The README's first command: `sanxiang demo` sets everything up on the embedded default and
serves it; then each demo account logs in and sees its role's home page."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanxiang.accounts.totp import totp_code

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


# The command runs on the embedded SQLite whatever DATABASE_URL says (embedded_env): the run of the
# suite on SQLite covers it, the run on PostgreSQL would repeat the same thing.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="sanxiang demo runs on the embedded SQLite; tested in the SQLite run")


@pytest.fixture(scope="module")
def demo_first_run(tmp_path_factory):
    """`sanxiang demo --no-serve` on a new data folder: it loads the county."""
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    process = sanxiang("demo", "--no-serve", data_dir=data_dir)
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 0, output
    return {"data_dir": data_dir, "output": output}


@pytest.fixture(scope="module")
def demo_server(demo_first_run):
    """`sanxiang demo` again on the same folder: it finds the county there, loads nothing and serves."""
    data_dir = demo_first_run["data_dir"]
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
    yield {"url": f"http://127.0.0.1:{port}", "output": output, "data_dir": data_dir}
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.e2e
def test_demo_prints_one_account_per_role_and_serves(demo_server):
    accounts = parse_accounts(demo_server["output"])
    assert sorted(a["role_label"] for a in accounts) == sorted(ROLE_TEST_IDS)
    assert (demo_server["data_dir"] / "sanxiang.sqlite3").exists()


@pytest.mark.e2e
def test_each_demo_role_logs_in_and_sees_its_home_page(demo_server, chromium_page):
    page = chromium_page
    for account in parse_accounts(demo_server["output"]):
        page.context.clear_cookies()
        page.goto(demo_server["url"] + "/")
        page.get_by_role("link", name="工作人员登录").click()
        page.fill("input[name=username]", account["username"])
        page.fill("input[name=password]", account["password"])
        page.get_by_role("button", name="登录").click()
        if account["secret"]:
            page.wait_for_selector("input[name=code]")
            # Each account remembers the last code it accepted; a fresh account's first code is new.
            page.fill("input[name=code]", totp_code(account["secret"]))
            page.get_by_role("button", name="验证").click()
        home = page.locator(f"[data-testid={ROLE_TEST_IDS[account['role_label']]}]")
        home.wait_for(timeout=15000)
        assert account["role_label"] in page.locator("[data-testid=who]").inner_text()


def test_demo_twice_adds_nothing(demo_first_run, demo_server):
    first, second = demo_first_run["output"], demo_server["output"]
    assert "已加载演示旗县" in first
    assert "演示旗县已存在，未重复加载" in second
    # Both runs print the same accounts, so a user can always find them again.
    assert parse_accounts(first) == parse_accounts(second)
    assert len(parse_accounts(second)) == 6

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


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "var"
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


def test_demo_twice_adds_nothing(tmp_path):
    data_dir = tmp_path / "var"
    first = sanxiang("demo", "--no-serve", data_dir=data_dir).communicate(timeout=600)[0]
    second_process = sanxiang("demo", "--no-serve", data_dir=data_dir)
    second = second_process.communicate(timeout=600)[0]
    assert second_process.returncode == 0, second
    assert "已加载演示旗县" in first
    assert "演示旗县已存在，未重复加载" in second
    # Both runs print the same accounts, so a user can always find them again.
    assert parse_accounts(first) == parse_accounts(second)
    assert len(parse_accounts(second)) == 6

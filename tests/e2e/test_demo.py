"""The README's first command: `sanxiang demo` sets everything up on the embedded default and
serves it; then each demo account logs in and sees its role's home page."""

import os

import pytest

from sanxiang.accounts.totp import totp_code
from tests.e2e import demo_cli
from tests.e2e.demo_cli import ROLE_TEST_IDS, parse_accounts

# The command runs on the embedded SQLite whatever DATABASE_URL says (embedded_env): the run of the
# suite on SQLite covers it, the run on PostgreSQL would repeat the same thing.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="sanxiang demo runs on the embedded SQLite; tested in the SQLite run")


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


def test_the_readme_command_is_the_installed_sanxiang_script(tmp_path):
    # The fixtures above run `python -m sanxiang`; the README says `sanxiang demo`: the console
    # script the install puts beside the interpreter must be there and reach the same commands.
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "sanxiang"
    assert script.exists(), "pip install -e . did not install the sanxiang command"
    run = subprocess.run([str(script), "help", "demo"], capture_output=True, text=True, timeout=120,
                         env=demo_cli.embedded_env(tmp_path / "var"), check=False)
    assert run.returncode == 0, run.stderr
    assert "--no-serve" in run.stdout

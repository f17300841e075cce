"""`sanxiang workdays START N` works anywhere: with a migrated database it uses the years entered
there; without a data folder, or with a database never migrated, it uses the package's calendar and
never creates a database. The date goes to stdout; where the schedules came from and which years
the result estimates go to stderr."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.calendar.services import holiday_year_save

SRC = Path(__file__).resolve().parents[2] / "src"
ESTIMATED_2027 = "2027年节假日安排尚未录入，按周一至周五为工作日估算"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


@pytest.mark.django_db
def test_with_a_database_the_entered_years_count_and_stderr_names_the_estimated_ones():
    date, notes = run("2026-12-28", "5")
    assert date == "2027-01-04 (estimated)"
    assert ESTIMATED_2027 in notes and "软件包内置" in notes
    holiday_year_save(actor=None, year=2027, holidays=["2027-01-01"], adjusted_working_days=[], source="示例")
    date, notes = run("2026-12-28", "5")
    assert date == "2027-01-05"
    assert "本系统录入的年份：2027年" in notes and "估算" not in notes
    # A result within the package's years is no estimate.
    date, notes = run("2026-10-03", "7")
    assert date == "2026-10-15" and "估算" not in notes


def command(tmp_path: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SANXIANG_")}
    env |= {"SANXIANG_DATA_DIR": str(data_dir), "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "sanxiang.settings"}
    return subprocess.run([sys.executable, "-m", "sanxiang", "workdays", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_outside_any_data_folder_it_uses_the_package_calendar(tmp_path):
    missing = tmp_path / "nonexistent"
    done = command(tmp_path, missing, "2026-12-28", "5")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2027-01-04 (estimated)"
    assert "Traceback" not in done.stderr and "未找到数据库" in done.stderr and ESTIMATED_2027 in done.stderr
    assert not missing.exists()  # nothing was created


def test_a_database_never_migrated_is_not_read(tmp_path):
    folder = tmp_path / "unmigrated"
    folder.mkdir()
    (folder / "sanxiang.sqlite3").touch()
    done = command(tmp_path, folder, "2026-10-03", "7")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2026-10-15" and "数据库尚未初始化" in done.stderr


@pytest.mark.django_db
def test_a_result_past_the_last_date_is_an_error_not_a_traceback():
    with pytest.raises(CommandError, match="超出可表示的日期范围"):
        run("9999-12-30", "5")
    with pytest.raises(CommandError, match="不能超过"):
        run("2026-10-03", "1000000")

"""Migration 0003 on an existing single ledger (a fresh SQLite file, in its own process): every
entry, node and checkpoint becomes ledger 1 unchanged, verifies, numbering continues, and the
triggers still refuse changes. (PostgreSQL changes its keys in place; checked by hand, see the
migration's docstring.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.engine_independent  # its own SQLite file, whatever DATABASE_URL says
def test_an_existing_ledger_becomes_the_default_ledger_unchanged(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT),
        "DJANGO_SETTINGS_MODULE": "sanxiang.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "SANXIANG_DATA_DIR": str(tmp_path),
    }
    env.pop("SANXIANG_LEDGER_SIGNING_KEY", None)
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("migration_script.py"))],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout)
    assert out["unchanged"] and out["ledgers"] == [1]
    assert out["checkpoint"] == [1, 11, True]
    assert out["verified"], out["findings"]
    assert out["next"] == [1, 11]
    assert out["refused"] == [True, True, True]

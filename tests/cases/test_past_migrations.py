"""The data code of two past migrations, on rows written in the schema before each (a fresh SQLite
file in its own process, migrated forwards only; see past_migrations_script.py):

- cases 0004 moved the holiday years from `cases` to `calendar`: a year entered before the move is
  still there, read through the calendar's model, and the model's content type (with its
  permissions) follows it to the new label;
- cases 0007 typed the penalty's texts: the stored legacy cases load typed, the decision's digest a
  reviewer covered is the same, nothing is dropped, a case of another procedure is untouched, and
  migrating back gives the old keys back.

The conversion itself is tested case by case in test_texts_migration.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.engine_independent  # its own SQLite file, whatever DATABASE_URL says
def test_rows_written_before_the_calendar_move_and_the_typed_texts_come_through_both(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT),
        "DJANGO_SETTINGS_MODULE": "sanxiang.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "SANXIANG_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("past_migrations_script.py"))],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    # The holiday years' move.
    assert found["calendar_before"] is False  # the rows were written before the calendar app existed
    assert found["year"] == [2027, ["2027-01-01", "2027-01-02"], {"2027-01-01": "元旦"}]
    assert found["year_known"]
    assert found["content_type_kept"] and found["old_content_type_gone"]
    # The typed texts: nothing is dropped (the old details kept beside the typed texts, unread).
    assert found["texts_keys"] == ["before_0007", "records", "texts"]
    assert found["before_0007_kept"]
    assert found["texts_typed"] and found["texts_typed_at_the_end"]
    assert found["digest_kept"]
    assert found["receipt"] == "财0001"
    assert found["other_untouched"] == {"texts": {"items": []}, "records": []}  # not a penalty case
    assert found["backwards_covers"]

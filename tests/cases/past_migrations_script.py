"""Run by test_past_migrations.py in its own process, on a fresh SQLite file: the data code of two
past migrations, each fed with rows written in the schema before it, migrating forwards only
(which is cheap) instead of taking the test database back through every later migration.

1. cases 0004 moved the holiday years to `calendar`: a year entered before the move (and the
   model's content type) must be there after it.
2. cases 0007 typed the penalty's texts: the legacy cases load typed after it, and migrating back
   gives the old keys back.

Prints one JSON object of what it found; test_past_migrations.py states what it must be."""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402


def state(targets):
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(targets).apps


def migrate(*targets):
    """Migrate as the test database's migrations ran (no post_migrate handlers: they read cases
    through today's code, which the artificial case of another procedure below would not satisfy)."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


found = {}

# --- 1. the holiday years' move ----------------------------------------------------------------------
migrate(("cases", "0003_case_procedure"), ("contenttypes", "0002_remove_content_type_name"))
old = state([("cases", "0003_case_procedure"), ("contenttypes", "0002_remove_content_type_name")])
found["calendar_before"] = "calendar" in {model._meta.app_label for model in old.get_models()}
old.get_model("cases", "HolidayYear").objects.create(
    year=2027, holidays=["2027-01-01", "2027-01-02"], adjusted_working_days=[],
    holiday_names={"2027-01-01": "元旦"}, source="国务院办公厅关于2027年部分节假日安排的通知（示例）",
)
OldContentType = old.get_model("contenttypes", "ContentType")
OldContentType.objects.filter(app_label="calendar", model="holidayyear").delete()
old_type, _ = OldContentType.objects.get_or_create(app_label="cases", model="holidayyear")

# --- 2. the typed texts ------------------------------------------------------------------------------
migrate(("cases", "0006_case_parent"))
from tests.cases.test_texts_migration import LEGACY, covers, typed  # noqa: E402

old = state([("cases", "0006_case_parent")])
Agency, Case = old.get_model("registry", "Agency"), old.get_model("cases", "Case")
agency = Agency.objects.create(name="乌审旗市场监督管理局（迁移）", credit_code="11150626MB0000000X",
                               kind="administrative_organ", region_code="150626", parent_government="乌审旗人民政府")
major = Case.objects.create(agency=agency, number="迁移〔2026〕1号", title="涉嫌经营超过保质期的食品案",
                            procedure="ordinary", state="closed", facts=LEGACY["major"]["facts"],
                            details=LEGACY["major"]["details"])
on_spot = Case.objects.create(agency=agency, number="迁移〔2026〕2号", title="占道经营案", procedure="summary",
                              state="filed", facts=LEGACY["summary"]["facts"], details=LEGACY["summary"]["details"])
other = Case.objects.create(agency=agency, number="迁移〔2026〕3号", title="查封案", procedure="seal_seizure",
                            details={"texts": {"items": []}, "records": []})

migrate(("cases", "0007_penalty_texts_typed"))
from sanxiang.cases.models import Case as CaseNow  # noqa: E402
from sanxiang.cases.selectors import case_texts  # noqa: E402

case = CaseNow.objects.only("details", "facts").get(pk=major.pk)
found["texts_keys"] = sorted(case.details)
found["before_0007_kept"] = case.details["before_0007"] == {
    k: v for k, v in LEGACY["major"]["details"].items() if k != "records"
}
found["texts_typed"] = case_texts(case) == typed("major")
found["digest_kept"] = case_texts(case).decision_digest() == case.facts["decision"]["content_digest"]
found["receipt"] = case_texts(CaseNow.objects.only("details").get(pk=on_spot.pk)).on_spot.receipt_number
found["other_untouched"] = CaseNow.objects.only("details").get(pk=other.pk).details

migrate(("cases", "0006_case_parent"))
found["backwards_covers"] = covers(Case.objects.get(pk=major.pk).details, LEGACY["major"]["details"])

# --- everything after, and the holiday year read through today's code ----------------------------------
migrate()
from django.contrib.contenttypes.models import ContentType  # noqa: E402

from sanxiang.calendar.models import HolidayYear  # noqa: E402
from sanxiang.calendar.selectors import working_day_calendar_current  # noqa: E402

ContentType.objects.clear_cache()
year = HolidayYear.objects.get()
found["year"] = [year.year, year.holidays, year.holiday_names]
found["year_known"] = 2027 in working_day_calendar_current().known_years
found["content_type_kept"] = ContentType.objects.get_for_model(HolidayYear).pk == old_type.pk
found["old_content_type_gone"] = not ContentType.objects.filter(app_label="cases", model="holidayyear").exists()
found["texts_typed_at_the_end"] = case_texts(CaseNow.objects.get(pk=major.pk)) == typed("major")
json.dump(found, sys.stdout, ensure_ascii=False)

"""Moving the holiday years from `cases` to `calendar` moved no data: a database migrated before
the move keeps every entered year, now read through the calendar's model, and the model's content
type (with its permissions) follows it to the new label."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0003_case_procedure"), ("calendar", None)]  # calendar: none of its migrations
OLD_STATE = [("cases", "0003_case_procedure"), ("contenttypes", "0002_remove_content_type_name")]


@pytest.mark.engine_independent  # a past migration's data code: checked once, on SQLite
@pytest.mark.django_db(transaction=True)
def test_years_entered_before_the_move_are_still_there_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(OLD_STATE).apps
    assert "calendar" not in {model._meta.app_label for model in old_apps.get_models()}
    OldHolidayYear = old_apps.get_model("cases", "HolidayYear")
    OldHolidayYear.objects.create(
        year=2027, holidays=["2027-01-01", "2027-01-02"], adjusted_working_days=[],
        holiday_names={"2027-01-01": "元旦"}, source="国务院办公厅关于2027年部分节假日安排的通知（示例）",
    )
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldContentType.objects.filter(app_label="calendar", model="holidayyear").delete()
    old_type, _ = OldContentType.objects.get_or_create(app_label="cases", model="holidayyear")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from sanxiang.calendar.models import HolidayYear
    from sanxiang.calendar.selectors import working_day_calendar_current

    ContentType.objects.clear_cache()
    year = HolidayYear.objects.get()
    assert (year.year, year.holidays, year.holiday_names) == (2027, ["2027-01-01", "2027-01-02"], {"2027-01-01": "元旦"})
    assert 2027 in working_day_calendar_current().known_years
    assert ContentType.objects.get_for_model(HolidayYear).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="cases", model="holidayyear").exists()

"""The installation's daily work (`maintenance.daily`), run by the scheduler (`jobs.schedule`):
Django's `clearsessions` and the signed checkpoint run once a day, inside the server or from cron
(`sanxiang daily_work`, `sanxiang tick`), however many servers share the database; running it
again the same day changes nothing. The scheduler's own guarantees: tests/jobs/test_schedule.py."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from sanxiang.jobs.models import RunState, ScheduledRun
from sanxiang.jobs.schedule import schedule_tick
from sanxiang.ledger.models import Checkpoint

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)
NOON = dt.datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def sessions(live: int, expired: int) -> set[str]:
    """`live` sessions and `expired` ones; the keys of the live ones."""
    keys = set()
    for _ in range(live):
        store = SessionStore()
        store["user"] = 1
        store.create()
        keys.add(store.session_key)
    for _ in range(expired):
        store = SessionStore()
        store.create()
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() - dt.timedelta(minutes=1))
    return keys


def test_expired_sessions_are_deleted_once_a_day_and_live_ones_kept():
    live = sessions(live=2, expired=3)
    [outcome] = schedule_tick(now=NOON, tasks=["sessions_clear"])
    assert (outcome.task, outcome.ran, outcome.summary) == ("sessions_clear", True, "删除过期会话3个")
    assert set(Session.objects.values_list("session_key", flat=True)) == live
    sessions(live=0, expired=2)  # expired after the day's run: left to the next day
    assert schedule_tick(now=NOON + dt.timedelta(hours=6), tasks=["sessions_clear"]) == []
    assert Session.objects.count() == 4
    [next_day] = schedule_tick(now=NOON + dt.timedelta(days=1), tasks=["sessions_clear"])
    assert next_day.summary == "删除过期会话2个" and set(Session.objects.values_list("session_key", flat=True)) == live
    assert list(ScheduledRun.objects.filter(task="sessions_clear").order_by("on").values_list("on", "state")) == [
        (DAY, RunState.DONE), (DAY + dt.timedelta(days=1), RunState.DONE)]


def test_the_daily_checkpoint_signs_the_ledger_s_head(settings):
    [outcome] = schedule_tick(now=NOON, tasks=["ledger_checkpoint"])
    assert outcome.ok and outcome.summary.startswith("账本检查点覆盖")
    assert Checkpoint.objects.exists()


def test_the_cron_command_runs_the_same_work_once_a_day():
    sessions(live=0, expired=1)
    out = io.StringIO()
    call_command("daily_work", "--on", "2026-06-15", stdout=out)
    call_command("daily_work", "--on", "2026-06-15", stdout=out)
    assert out.getvalue().splitlines() == [
        "2026-06-15 sessions_clear：删除过期会话1个",
        "2026-06-15 ledger_checkpoint：" + ScheduledRun.objects.get(task="ledger_checkpoint").summary,
        "2026-06-15 database_statistics：已更新数据库查询统计",
        "今天的每日维护工作已经运行",
    ]
    assert Session.objects.count() == 0


def test_the_planner_s_statistics_are_updated_once_a_day():
    """Issue 12: without statistics SQLite reads an agency's queues through the index on its
    `agency_id` alone (every case of the agency); the daily run gives it the statistics by which it
    takes the index on (agency, procedure, state)."""
    from django.db import connection

    [outcome] = schedule_tick(now=NOON, tasks=["database_statistics"])
    assert (outcome.task, outcome.ran, outcome.ok, outcome.summary) == (
        "database_statistics", True, True, "已更新数据库查询统计")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
    assert schedule_tick(now=NOON + dt.timedelta(hours=6), tasks=["database_statistics"]) == []

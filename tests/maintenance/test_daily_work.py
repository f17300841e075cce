"""The server's daily work (`maintenance.daily`): Django's `clearsessions` runs once a day, inside
the server (`sanxiang serve` starts the loop) or from cron (`sanxiang daily_work`), however many
servers share the database; running it again the same day changes nothing."""

import datetime as dt
import io
import threading

import pytest
import waitress
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from sanxiang.hooks import server_periodic_work
from sanxiang.maintenance import daily
from sanxiang.maintenance.daily import DailyJob, daily_work_run, periodic_work_loop
from sanxiang.maintenance.models import DailyRun
from sanxiang.web.management.commands import serve

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)


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


def test_expired_sessions_are_deleted_and_live_ones_kept():
    live = sessions(live=2, expired=3)
    [outcome] = daily_work_run(on=DAY)
    assert (outcome.job, outcome.ran, outcome.outcome) == ("sessions_clear", True, "删除过期会话3个")
    assert set(Session.objects.values_list("session_key", flat=True)) == live
    run = DailyRun.objects.get()
    assert (run.job, run.day, run.outcome) == ("sessions_clear", DAY, "删除过期会话3个")
    assert run.finished_at is not None


def test_a_second_run_the_same_day_is_skipped_and_the_next_day_runs_again():
    live = sessions(live=1, expired=1)
    daily_work_run(on=DAY)
    sessions(live=0, expired=2)  # expired after the day's run: left to the next day

    again = daily_work_run(on=DAY)

    assert [(o.ran, o.outcome) for o in again] == [(False, "今天已经运行")]
    assert Session.objects.count() == 3 and DailyRun.objects.count() == 1
    next_day = daily_work_run(on=DAY + dt.timedelta(days=1))
    assert [(o.ran, o.outcome) for o in next_day] == [(True, "删除过期会话2个")]
    assert set(Session.objects.values_list("session_key", flat=True)) == live
    assert DailyRun.objects.count() == 2


def test_a_job_another_server_claimed_today_is_not_run_here():
    # Several servers share the database: the one that inserted the day's row runs the job.
    DailyRun.objects.create(job="sessions_clear", day=DAY)
    sessions(live=0, expired=1)
    assert [o.ran for o in daily_work_run(on=DAY)] == [False]
    assert Session.objects.count() == 1


def test_a_failing_job_is_recorded_and_the_others_still_run():
    ran = []

    def broken() -> str:
        raise RuntimeError("storage down")

    jobs = (DailyJob("broken", broken), DailyJob("other", lambda: ran.append(1) or "完成"))
    outcomes = daily_work_run(on=DAY, jobs=jobs)
    assert [(o.job, o.outcome) for o in outcomes] == [("broken", "失败：RuntimeError"), ("other", "完成")]
    assert ran == [1]
    assert DailyRun.objects.get(job="broken").outcome == "失败：RuntimeError"


def test_the_server_loop_runs_the_day_s_work_until_it_is_stopped():
    sessions(live=0, expired=2)
    stop = threading.Event()
    stop.set()  # one round, then stop
    rounds = []
    periodic_work_loop(stop=stop, interval=0, today=lambda: DAY, after_round=lambda: rounds.append(1))
    assert rounds == [1]
    assert Session.objects.count() == 0
    assert DailyRun.objects.filter(job="sessions_clear", day=DAY).exists()


def test_serve_starts_the_periodic_work_through_the_slot_maintenance_installed(monkeypatch):
    assert server_periodic_work.installed
    started = []
    monkeypatch.setattr(daily.threading.Thread, "start", lambda thread: started.append(thread))
    thread = server_periodic_work()
    assert started == [thread] and thread.daemon and thread.name == "sanxiang-periodic-work"

    served = []
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.append(options))
    serve.serve_forever(host="127.0.0.1", port=0, stdout=io.StringIO())
    # The daily work's thread (and the job runner's beside it).
    assert [t.name for t in started].count("sanxiang-periodic-work") == 2 and served


def test_the_cron_command_runs_the_same_work_once_a_day():
    sessions(live=0, expired=1)
    out = io.StringIO()
    call_command("daily_work", "--on", "2026-06-15", stdout=out)
    call_command("daily_work", "--on", "2026-06-15", stdout=out)
    assert out.getvalue().splitlines() == ["2026-06-15 sessions_clear：删除过期会话1个", "2026-06-15 sessions_clear：今天已经运行"]
    assert Session.objects.count() == 0

"""The scheduler (`jobs.schedule`): a periodic task runs at most once per period, whoever ticks
(several servers, cron), catches up the periods missed while no server ran, and a failed run is
retried, by itself a few times, then by an administrator. Operating rules of the platform, not law."""

import datetime as dt
import io
import threading
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sanxiang.jobs import schedule
from sanxiang.jobs.models import RunState, ScheduledRun
from sanxiang.jobs.schedule import (
    SCHEDULE_ATTEMPTS_MAX,
    SCHEDULE_LEASE,
    Daily,
    Monthly,
    PeriodicTask,
    Yearly,
    periodic_task_register,
    periodic_task_unregister,
    periodic_tasks,
    periods_due,
    schedule_tick,
    scheduled_run_retry,
)

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=12, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CST)


class Recorder:
    """A task function that records the days it ran for, and fails while told to."""

    def __init__(self, failures: int = 0, write: bool = False):
        self.days: list[dt.date] = []
        self.failures = failures
        self.write = write

    def __call__(self, on: dt.date) -> str:
        self.days.append(on)
        if self.write:  # something the run's transaction carries
            Session.objects.create(session_key=f"k{len(self.days)}", session_data="", expire_date=timezone.now())
        if self.failures:
            self.failures -= 1
            raise RuntimeError("存储不可用")
        return f"完成{on.isoformat()}"


@pytest.fixture
def task_of():
    names = []

    def make(period, *, name="test_task", catch_up=31, **recorder) -> Recorder:
        recorder_ = Recorder(**recorder)
        periodic_task_register(PeriodicTask(name=name, label="测试任务", period=period, run=recorder_, catch_up=catch_up))
        names.append(name)
        return recorder_

    yield make
    for name in names:
        periodic_task_unregister(name)


def test_the_apps_register_the_periodic_work_of_the_platform():
    names = {t.name for t in periodic_tasks()}
    assert {"sessions_clear", "ledger_checkpoint", "publication_daily", "supervision_alerts", "uploads_expire",
            "certificate_reminders"} <= names
    assert all(t.label and t.period.label for t in periodic_tasks())


def test_every_registered_task_runs_on_a_fresh_installation():
    """The apps' tasks, run as the scheduler runs them (their own tests cover what each does)."""
    names = [t.name for t in periodic_tasks()]
    outcomes = schedule_tick(now=at(2026, 6, 15, 23), tasks=names)
    assert sorted(o.task for o in outcomes) == sorted(names)
    assert [(o.task, o.summary) for o in outcomes if not o.ok] == []


# --- when a period is due ------------------------------------------------------------------------


def test_a_daily_task_is_due_from_its_time_of_day():
    task = PeriodicTask(name="t", label="t", period=Daily(at=dt.time(6, 0)), run=str)
    before, after = at(2026, 6, 15, 5, 59).replace(tzinfo=None), at(2026, 6, 15, 6, 0).replace(tzinfo=None)
    # Never ran: the latest due period only (yesterday's before 06:00, today's from 06:00).
    assert periods_due(task, local_now=before, last_on=None) == [dt.date(2026, 6, 14)]
    assert periods_due(task, local_now=after, last_on=None) == [dt.date(2026, 6, 15)]
    assert periods_due(task, local_now=after, last_on=dt.date(2026, 6, 15)) == []


def test_a_monthly_task_on_the_31st_runs_on_the_last_day_of_shorter_months():
    task = PeriodicTask(name="t", label="t", period=Monthly(day=31, at=dt.time(1, 0)), run=str)
    now = dt.datetime(2026, 4, 30, 2, 0)
    assert periods_due(task, local_now=now, last_on=dt.date(2026, 1, 31)) == [
        dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    assert Monthly(day=31).key(dt.date(2026, 2, 28)) == "2026-02"
    with pytest.raises(ValueError):
        Monthly(day=32)
    assert Yearly(month=1, day=31).occurrences(dt.date(2025, 6, 1), dt.date(2027, 1, 30)) == [dt.date(2026, 1, 31)]


# --- once per period ------------------------------------------------------------------------------


def test_a_task_runs_once_per_period_however_often_it_is_ticked(task_of):
    ran = task_of(Daily(at=dt.time(6, 0)))
    first = schedule_tick(now=at(2026, 6, 15, 7), tasks=["test_task"])
    again = schedule_tick(now=at(2026, 6, 15, 20), tasks=["test_task"])
    assert [(o.period_key, o.ran, o.ok, o.summary) for o in first] == [("2026-06-15", True, True, "完成2026-06-15")]
    assert again == [] and ran.days == [dt.date(2026, 6, 15)]
    run = ScheduledRun.objects.get()
    assert (run.task, run.period_key, run.on, run.state, run.attempts, run.summary) == (
        "test_task", "2026-06-15", dt.date(2026, 6, 15), RunState.DONE, 1, "完成2026-06-15")
    assert run.finished_at is not None
    # The next day runs the next period.
    schedule_tick(now=at(2026, 6, 16, 7), tasks=["test_task"])
    assert ran.days == [dt.date(2026, 6, 15), dt.date(2026, 6, 16)]


def test_a_period_another_server_claimed_is_left_to_it(task_of):
    """The claim is the row: a second claimer of the same period meets the unique constraint."""
    ran = task_of(Daily())
    task = schedule.periodic_task_get("test_task")
    now = at(2026, 6, 15)
    first = schedule._claim(task, dt.date(2026, 6, 15), now=now, runner="server-a")
    assert first is not None
    assert schedule._claim(task, dt.date(2026, 6, 15), now=now, runner="server-b") is None
    assert ScheduledRun.objects.get().runner == "server-a" and ran.days == []


# --- catch-up -------------------------------------------------------------------------------------


def test_missed_days_run_once_each_when_the_server_comes_back(task_of):
    ran = task_of(Daily(at=dt.time(6, 0)))
    schedule_tick(now=at(2026, 6, 10, 7), tasks=["test_task"])
    # Down from the 11th to the 14th, back on the 15th at 05:00 (before the 15th's time).
    outcomes = schedule_tick(now=at(2026, 6, 15, 5), tasks=["test_task"])
    assert [o.on for o in outcomes] == [dt.date(2026, 6, d) for d in (11, 12, 13, 14)]
    assert schedule_tick(now=at(2026, 6, 15, 5, 30), tasks=["test_task"]) == []
    schedule_tick(now=at(2026, 6, 15, 6), tasks=["test_task"])
    assert ran.days == [dt.date(2026, 6, d) for d in range(10, 16)]
    assert ScheduledRun.objects.count() == 6


def test_a_server_down_on_the_1st_drafts_that_month_when_it_comes_back(task_of):
    ran = task_of(Monthly(day=1, at=dt.time(1, 0)))
    schedule_tick(now=at(2026, 10, 1, 2), tasks=["test_task"])
    # No server from 30 October to 3 December: November's and December's runs, once each.
    outcomes = schedule_tick(now=at(2026, 12, 3, 9), tasks=["test_task"])
    assert [(o.period_key, o.on) for o in outcomes] == [("2026-11", dt.date(2026, 11, 1)), ("2026-12", dt.date(2026, 12, 1))]
    assert schedule_tick(now=at(2026, 12, 20, 9), tasks=["test_task"]) == []
    assert ran.days == [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]


def test_catch_up_goes_back_at_most_its_number_of_periods(task_of):
    ran = task_of(Daily(at=dt.time(0, 0)), catch_up=3)
    schedule_tick(now=at(2026, 1, 1), tasks=["test_task"])
    schedule_tick(now=at(2026, 3, 1), tasks=["test_task"])
    assert ran.days == [dt.date(2026, 1, 1), dt.date(2026, 2, 27), dt.date(2026, 2, 28), dt.date(2026, 3, 1)]


# --- failure and retry -----------------------------------------------------------------------------


def test_a_failed_run_is_recorded_its_writes_undone_and_retried_after_a_while(task_of):
    ran = task_of(Daily(at=dt.time(6, 0)), failures=1, write=True)
    [failed] = schedule_tick(now=at(2026, 6, 15, 7), tasks=["test_task"])
    assert (failed.ran, failed.ok, failed.summary) == (True, False, "RuntimeError: 存储不可用")
    run = ScheduledRun.objects.get()
    assert (run.state, run.attempts, run.error) == (RunState.FAILED, 1, "RuntimeError: 存储不可用")
    assert not Session.objects.exists()  # the failed run's writes went with it
    # Not before its retry time; then once, by one ticker.
    assert schedule_tick(now=at(2026, 6, 15, 7, 5), tasks=["test_task"]) == []
    [retried] = schedule_tick(now=at(2026, 6, 15, 7, 11), tasks=["test_task"])
    assert (retried.on, retried.ok) == (dt.date(2026, 6, 15), True)
    run.refresh_from_db()
    assert (run.state, run.attempts, run.error, run.summary) == (RunState.DONE, 2, "", "完成2026-06-15")
    assert Session.objects.count() == 1 and ran.days == [dt.date(2026, 6, 15)] * 2


def test_after_its_attempts_a_run_stays_failed_until_an_administrator_retries_it(task_of):
    task_of(Daily(at=dt.time(6, 0)), failures=SCHEDULE_ATTEMPTS_MAX)
    now = at(2026, 6, 15, 7)
    for hour in range(SCHEDULE_ATTEMPTS_MAX):
        schedule_tick(now=now + dt.timedelta(hours=2 * hour), tasks=["test_task"])
    run = ScheduledRun.objects.get()
    assert (run.state, run.attempts) == (RunState.FAILED, SCHEDULE_ATTEMPTS_MAX)
    assert schedule_tick(now=now + dt.timedelta(days=0, hours=12), tasks=["test_task"]) == []
    assert scheduled_run_retry(run_id=run.pk, actor=None) is True
    [outcome] = schedule_tick(now=now + dt.timedelta(hours=13), tasks=["test_task"])
    assert outcome.ok and outcome.on == dt.date(2026, 6, 15)
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert scheduled_run_retry(run_id=run.pk, actor=None) is False  # done: nothing to retry


def test_a_run_left_running_by_a_dead_server_is_taken_again_after_the_lease(task_of):
    ran = task_of(Daily(at=dt.time(6, 0)))
    ScheduledRun.objects.create(task="test_task", period_key="2026-06-15", on=dt.date(2026, 6, 15),
                                started_at=at(2026, 6, 15, 6), runner="dead")
    assert schedule_tick(now=at(2026, 6, 15, 7), tasks=["test_task"]) == []
    [outcome] = schedule_tick(now=at(2026, 6, 15, 6) + SCHEDULE_LEASE + dt.timedelta(minutes=1), tasks=["test_task"])
    assert outcome.ok and ran.days == [dt.date(2026, 6, 15)]
    assert ScheduledRun.objects.get().attempts == 2


# --- cron -------------------------------------------------------------------------------------------


def test_the_tick_command_runs_the_day_s_work_once_and_reports_failures(task_of):
    task_of(Daily(at=dt.time(6, 0)))
    task_of(Daily(at=dt.time(6, 0)), name="test_broken", failures=5)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("tick", "--on", "2026-06-15", "--task", "test_task", "--task", "test_broken", stdout=out)
    assert exited.value.code == 1
    assert out.getvalue().splitlines() == [
        "2026-06-15 test_task：完成2026-06-15", "2026-06-15 test_broken：失败：RuntimeError: 存储不可用"]
    out = io.StringIO()
    call_command("tick", "--on", "2026-06-15", "--task", "test_task", stdout=out)
    assert out.getvalue().splitlines() == ["没有到期的定时任务"]
    assert ScheduledRun.objects.get(task="test_task").runner == "cron"
    with pytest.raises(CommandError, match="没有这个定时任务"):
        call_command("tick", "--task", "no_such_task", stdout=io.StringIO())
    with pytest.raises(CommandError, match="日期格式"):
        call_command("tick", "--on", "2026-13-01", stdout=io.StringIO())
    listed = io.StringIO()
    call_command("tick", "--list", stdout=listed)
    assert "test_task：测试任务（每天06:00）" in listed.getvalue().splitlines()


# --- the server's thread ----------------------------------------------------------------------------


def test_serve_starts_the_scheduler_unless_it_is_off(monkeypatch, settings):
    import waitress

    from sanxiang.web.management.commands import serve

    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread.name))
    monkeypatch.setattr(waitress, "serve", lambda app, **options: None)
    settings.SANXIANG_SCHEDULE = True
    serve.serve_forever(host="127.0.0.1", port=0, stdout=io.StringIO())
    assert sorted(started) == ["sanxiang-deliver", "sanxiang-jobs", "sanxiang-schedule"]
    started.clear()
    settings.SANXIANG_SCHEDULE = False
    serve.serve_forever(host="127.0.0.1", port=0, stdout=io.StringIO())
    assert sorted(started) == ["sanxiang-deliver", "sanxiang-jobs"]
    schedule._runners.clear()


# --- several servers (PostgreSQL: threads with connections of their own) -----------------------------


@pytest.fixture
def purge_after(transactional_db):
    from tests.ledger.helpers import ledger_purge

    yield
    ledger_purge()


@pytest.mark.django_db(transaction=True)
def test_two_servers_ticking_at_once_run_each_period_once(purge_after, task_of):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections to the test database")
    ran = task_of(Daily(at=dt.time(6, 0)))
    slow = threading.Event()

    def slow_task(on):  # holds its run a moment, while the other server tries
        ran.days.append(on)
        slow.wait(0.3)
        return "完成"

    periodic_task_register(PeriodicTask(name="test_task", label="测试任务", period=Daily(at=dt.time(6, 0)), run=slow_task))
    ScheduledRun.objects.create(task="test_task", period_key="2026-06-12", on=dt.date(2026, 6, 12), state=RunState.DONE)
    start = threading.Barrier(4)
    outcomes = []

    def server():
        try:
            start.wait(10)
            outcomes.extend(schedule_tick(now=at(2026, 6, 15, 7), tasks=["test_task"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=server) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # Three missed days (13th, 14th, 15th), each run by exactly one of the four servers.
    assert sorted(ran.days) == [dt.date(2026, 6, d) for d in (13, 14, 15)]
    assert sorted(o.on for o in outcomes if o.ran) == [dt.date(2026, 6, d) for d in (13, 14, 15)]
    assert ScheduledRun.objects.filter(state=RunState.DONE).count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_servers_retrying_one_failed_run_retry_it_once(purge_after, task_of):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections to the test database")
    ran = task_of(Daily(at=dt.time(6, 0)))
    ScheduledRun.objects.create(task="test_task", period_key="2026-06-15", on=dt.date(2026, 6, 15),
                                state=RunState.FAILED, retry_after=at(2026, 6, 15, 7), error="x")
    start = threading.Barrier(3)

    def server():
        try:
            start.wait(10)
            schedule_tick(now=at(2026, 6, 15, 8), tasks=["test_task"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=server) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert ran.days == [dt.date(2026, 6, 15)]
    run = ScheduledRun.objects.get()
    assert (run.state, run.attempts) == (RunState.DONE, 2)


@pytest.mark.django_db(transaction=True)
def test_the_servers_thread_ticks_at_once_and_stops(purge_after, task_of):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the thread opens its own connection to the test database")
    import time

    ran = task_of(Daily(at=dt.time(0, 0)))
    runner = schedule.schedule_runner_start(poll=3600, tasks=["test_task"])
    try:
        for _ in range(100):
            if runner.ticks:
                break
            time.sleep(0.05)
    finally:
        schedule.schedule_runner_stop(runner)
    assert not runner.is_alive()
    assert ran.days == [timezone.localdate()]


# --- the rule of catch-up, over any pattern of ticks (a property of `periods_due`) --------------------------

PERIODS = [Daily(at=dt.time(6, 0)), Monthly(day=1, at=dt.time(1, 0)), Monthly(day=31, at=dt.time(23, 0))]


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(period=st.sampled_from(PERIODS), catch_up=st.integers(min_value=1, max_value=40),
       gaps=st.lists(st.integers(min_value=0, max_value=60 * 24 * 80), min_size=1, max_size=25))
def test_whatever_the_ticks_each_period_runs_once_in_order_and_none_within_reach_is_missed(period, catch_up, gaps):
    """Ticks at any times (gaps in minutes: a server up, down for weeks, ticking twice a minute):
    every period runs at most once, oldest first; and every period between the first run and the
    last tick is run unless the server was away for more than `catch_up` periods at a stretch."""
    task = PeriodicTask(name="t", label="t", period=period, run=str, catch_up=catch_up)
    now = dt.datetime(2026, 1, 1, 0, 0)
    last, ran, longest_away = None, [], 0
    for gap in gaps:
        now += dt.timedelta(minutes=gap)
        due = periods_due(task, local_now=now, last_on=last)
        if last is not None:
            waiting = [d for d in period.occurrences(last + dt.timedelta(days=1), now.date())
                       if dt.datetime.combine(d, period.at) <= now]
            longest_away = max(longest_away, len(waiting))
        assert due == sorted(due) and all(last is None or d > last for d in due)
        assert len(due) <= (1 if last is None else catch_up)
        ran += due
        last = due[-1] if due else last
    assert len({period.key(d) for d in ran}) == len(ran)  # at most once per period
    if ran and longest_away <= catch_up:
        expected = [d for d in period.occurrences(ran[0], now.date()) if dt.datetime.combine(d, period.at) <= now]
        assert ran == expected

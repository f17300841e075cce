"""Scheduled work: periodic tasks that run by themselves, at most once per period, even with several
servers sharing the database, and that can also be run by cron (`sanxiang tick`).

How an app registers its work (in its `AppConfig.ready()`; this app knows nothing of the apps
above it, they hand it their functions)::

    import datetime as dt
    from sanxiang.jobs.schedule import Daily, Monthly, PeriodicTask, periodic_task_register

    def monthly_reports_draft(on: dt.date) -> str:
        ...                      # draft every agency's report of the month before `on`
        return f"起草月报{n}份"    # a short Chinese summary, shown on the staff page

    periodic_task_register(PeriodicTask(
        name="evaluation_monthly_reports_draft",   # stable: it keys the runs table
        label="起草上月的月报",                       # shown on the staff page (Chinese)
        period=Monthly(day=1, at=dt.time(1, 0)),    # the 1st of every month, from 01:00 (local time)
        run=monthly_reports_draft,
    ))
    periodic_task_register(PeriodicTask(
        name="evaluation_monthly_reports_remind", label="提醒月报即将到期",
        period=Daily(at=dt.time(7, 0)), run=...,     # e.g. writes reminders with
    ))                                               # evaluation.reminder_services.reminder_upsert(...)

Periods: `Daily(at=)`, `Monthly(day=, at=)` (a day past the month's end is its last day),
`Yearly(month=, day=, at=)`. A task's function takes the day of the period it runs for (`on`) and
returns a summary; it raises on failure. By default it runs in one transaction with the run's
record (`atomic=True`): its writes and the run's "done" commit together or not at all. A task that
manages its own transactions (long sweeps, per-item savepoints) passes `atomic=False`.

Guarantees (`schedule_tick`):

- **At most once per period.** The run's row (`models.ScheduledRun`, unique on task and period) is
  inserted before the task runs, in a transaction of its own: the server that inserts it runs the
  task; any other server (or cron) meets the unique constraint and leaves it. PostgreSQL makes the
  second insert wait for the first to commit; SQLite has one writer.
- **Catch-up.** When the server was down over a period's time (the 1st of a month), the next tick
  runs every missed period once, oldest first, up to `catch_up` periods back (older ones are not
  run). A task that has never run starts with its latest due period.
- **Retry.** A failed run keeps its row, with its error; later ticks take it again (a conditional
  UPDATE, so one server only) after `SCHEDULE_RETRY_MINUTES`, up to `SCHEDULE_ATTEMPTS_MAX`
  attempts; then it stays failed, listed on the staff page, until an administrator retries it
  (`scheduled_run_retry`). A run left "running" by a server that died is taken again after
  `SCHEDULE_LEASE`.

Where it runs: `sanxiang serve` and `sanxiang demo` start a background thread
(`schedule_runner_start`) that ticks every `SANXIANG_SCHEDULE_POLL_SECONDS`; `SANXIANG_SCHEDULE=off`
leaves it to cron (`sanxiang tick [--on DATE] [--task NAME]`). Tests never start it.

The times, attempts and delays are operating settings of the platform, not rules of law.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from sanxiang.jobs.models import RunState, ScheduledRun
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append

logger = logging.getLogger(__name__)

SCHEDULE_ATTEMPTS_MAX = 3
SCHEDULE_RETRY_MINUTES = (10, 60)  # the wait after the first and the later failed attempts
SCHEDULE_LEASE = dt.timedelta(hours=3)  # a run "running" longer than this was left by a dead server
SUMMARY_MAX = 2000


class Period(Protocol):
    """When a task is due: the days it runs for, each with its key and the local time from which
    it is due."""

    at: dt.time

    def key(self, on: dt.date) -> str: ...

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]: ...

    @property
    def label(self) -> str: ...

    @property
    def span_days(self) -> int: ...  # how far back the latest occurrence can lie


@dataclass(frozen=True)
class Daily:
    at: dt.time = dt.time(1, 0)

    def key(self, on: dt.date) -> str:
        return on.isoformat()

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]

    @property
    def label(self) -> str:
        return f"每天{self.at:%H:%M}"

    @property
    def span_days(self) -> int:
        return 1


def _month_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Monthly:
    day: int = 1
    at: dt.time = dt.time(1, 0)

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 31:
            raise ValueError(f"day of the month {self.day} is not in 1..31")

    def key(self, on: dt.date) -> str:
        return f"{on.year:04d}-{on.month:02d}"

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        found = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            day = _month_day(year, month, self.day)
            if start <= day <= end:
                found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    @property
    def label(self) -> str:
        short = "（当月没有这一天的为月末）" if self.day > 28 else ""
        return f"每月{self.day}日{self.at:%H:%M}{short}"

    @property
    def span_days(self) -> int:
        return 62


@dataclass(frozen=True)
class Yearly:
    month: int = 1
    day: int = 1
    at: dt.time = dt.time(1, 0)

    def key(self, on: dt.date) -> str:
        return f"{on.year:04d}"

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        days = (_month_day(year, self.month, self.day) for year in range(start.year, end.year + 1))
        return [d for d in days if start <= d <= end]

    @property
    def label(self) -> str:
        return f"每年{self.month}月{self.day}日{self.at:%H:%M}"

    @property
    def span_days(self) -> int:
        return 732


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    label: str
    period: Daily | Monthly | Yearly
    run: Callable[[dt.date], str]
    catch_up: int = 31  # at most this many missed periods are run when the server comes back
    atomic: bool = True


_TASKS: dict[str, PeriodicTask] = {}


def periodic_task_register(task: PeriodicTask) -> None:
    """Add (or replace: `ready()` may run twice in tests) a periodic task."""
    _TASKS[task.name] = task


def periodic_task_unregister(name: str) -> None:
    _TASKS.pop(name, None)


def periodic_tasks() -> list[PeriodicTask]:
    return sorted(_TASKS.values(), key=lambda t: t.name)


def periodic_task_get(name: str) -> PeriodicTask:
    try:
        return _TASKS[name]
    except KeyError:
        raise LookupError(f"no periodic task is named {name!r}") from None


@dataclass(frozen=True)
class RunOutcome:
    task: str
    period_key: str
    on: dt.date
    ran: bool  # False: another server (or an earlier tick) holds this period
    ok: bool
    summary: str

    @property
    def text(self) -> str:
        if not self.ran:
            return "本周期已由其他进程运行"
        return self.summary if self.ok else f"失败：{self.summary}"


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def periods_due(task: PeriodicTask, *, local_now: dt.datetime, last_on: dt.date | None) -> list[dt.date]:
    """The days `task` should run for at `local_now` (local time), oldest first: those after its
    last recorded period whose time has come, at most `catch_up` of them; the latest one only
    when it never ran."""
    today = local_now.date()
    if last_on is None:
        start = today - dt.timedelta(days=task.period.span_days)
    else:
        start = max(last_on + dt.timedelta(days=1),
                    today - dt.timedelta(days=task.period.span_days * (task.catch_up + 1)))
    if start > today:
        return []
    due_from = local_now.replace(tzinfo=None)
    due = [
        d for d in task.period.occurrences(start, today)
        if dt.datetime.combine(d, task.period.at) <= due_from
    ]
    if last_on is None:
        return due[-1:]
    return due[-task.catch_up:] if task.catch_up > 0 else []


def _claim(task: PeriodicTask, on: dt.date, *, now: dt.datetime, runner: str) -> ScheduledRun | None:
    """Insert the period's row in a transaction of its own; None when another holds it."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                task=task.name, period_key=task.period.key(on), on=on, state=RunState.RUNNING, attempts=1,
                started_at=now, runner=runner,
            )
    except IntegrityError:
        return None


def _reclaim(run: ScheduledRun, *, now: dt.datetime, runner: str) -> bool:
    """Take a failed (or abandoned) run again: a compare-and-set on the state, attempts and start
    that only one server wins."""
    taken = ScheduledRun.objects.filter(
        pk=run.pk, state=run.state, attempts=run.attempts, started_at=run.started_at
    ).update(state=RunState.RUNNING, attempts=F("attempts") + 1, started_at=now, finished_at=None,
             retry_after=None, error="", runner=runner)
    if taken:
        run.refresh_from_db()
    return bool(taken)


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=SCHEDULE_RETRY_MINUTES[min(attempts, len(SCHEDULE_RETRY_MINUTES)) - 1])


class _LeaseLost(Exception):
    """Another server took the run again while this one worked (its lease ran out)."""


LEASE_LOST = "运行时间超过租约，已由其他服务器重新运行；本次结果未记录"


def _execute(task: PeriodicTask, run: ScheduledRun, *, now: dt.datetime) -> RunOutcome:
    # Every update of the run is conditional on this server still holding it (its attempt and
    # runner): a run that outlived its lease was taken again by another server, whose record this
    # one must not overwrite. An atomic task that lost its lease has its writes undone.
    mine = ScheduledRun.objects.filter(pk=run.pk, state=RunState.RUNNING, attempts=run.attempts, runner=run.runner)

    def finish(summary: str) -> None:
        if not mine.update(state=RunState.DONE, finished_at=timezone.now(), summary=summary[:SUMMARY_MAX], error=""):
            raise _LeaseLost

    try:
        if task.atomic:
            with transaction.atomic():
                summary = str(task.run(run.on) or "")
                finish(summary)
        else:
            summary = str(task.run(run.on) or "")
            finish(summary)
    except _LeaseLost:
        logger.error("scheduled task %s (%s): %s", task.name, run.period_key, LEASE_LOST)
        return RunOutcome(task.name, run.period_key, run.on, ran=True, ok=False, summary=LEASE_LOST)
    except Exception as exc:
        logger.exception("scheduled task %s (%s) failed, attempt %s", task.name, run.period_key, run.attempts)
        error = f"{type(exc).__name__}: {exc}"[:SUMMARY_MAX]
        if not mine.update(state=RunState.FAILED, finished_at=timezone.now(), error=error,
                           retry_after=now + _retry_delay(run.attempts)):
            return RunOutcome(task.name, run.period_key, run.on, ran=True, ok=False, summary=LEASE_LOST)
        return RunOutcome(task.name, run.period_key, run.on, ran=True, ok=False, summary=error)
    return RunOutcome(task.name, run.period_key, run.on, ran=True, ok=True, summary=summary)


def _retriable(names: list[str], now: dt.datetime) -> list[ScheduledRun]:
    return list(
        ScheduledRun.objects.filter(task__in=names)
        .filter(Q(state=RunState.FAILED, attempts__lt=SCHEDULE_ATTEMPTS_MAX)
                & (Q(retry_after__isnull=True) | Q(retry_after__lte=now))
                | Q(state=RunState.RUNNING, started_at__lt=now - SCHEDULE_LEASE))
        .order_by("on", "pk")
    )


def schedule_tick(*, now: dt.datetime | None = None, tasks: Iterable[str] | None = None,
                  runner: str | None = None) -> list[RunOutcome]:
    """Run what is due at `now` (default: now): failed runs whose retry time has come, then every
    task's due periods (catch-up included), each claimed first. `tasks` limits it to those names
    (an unknown name raises LookupError). Call it outside a transaction: each claim must commit
    before its task runs."""
    now = now or timezone.now()
    runner = runner or runner_name()
    selected = [periodic_task_get(n) for n in tasks] if tasks is not None else periodic_tasks()
    names = [t.name for t in selected]
    by_name = {t.name: t for t in selected}
    outcomes: list[RunOutcome] = []
    for run in _retriable(names, now):
        if _reclaim(run, now=now, runner=runner):
            outcomes.append(_execute(by_name[run.task], run, now=now))
    last = dict(
        ScheduledRun.objects.filter(task__in=names).values("task").annotate(last=Max("on")).values_list("task", "last")
    )
    local_now = timezone.localtime(now)
    for task in selected:
        for on in periods_due(task, local_now=local_now, last_on=last.get(task.name)):
            run = _claim(task, on, now=now, runner=runner)
            if run is None:
                outcomes.append(RunOutcome(task.name, task.period.key(on), on, ran=False, ok=True, summary=""))
                continue
            outcomes.append(_execute(task, run, now=now))
    return outcomes


def schedule_tick_on(*, on: dt.date, tasks: Iterable[str] | None = None, runner: str | None = None) -> list[RunOutcome]:
    """`sanxiang tick --on DATE`: tick as at the end of `on` (local time)."""
    end = timezone.make_aware(dt.datetime.combine(on, dt.time(23, 59, 59)))
    return schedule_tick(now=end, tasks=tasks, runner=runner)


@transaction.atomic
def scheduled_run_retry(*, run_id: int, actor) -> bool:
    """Give a failed run its attempts again (an administrator fixed the cause): the next tick runs
    it, and the ledger records who decided it. False (nothing recorded) when the run is not failed."""
    run = ScheduledRun.objects.select_for_update().filter(pk=run_id, state=RunState.FAILED).first()
    if run is None:
        return False
    ScheduledRun.objects.filter(pk=run.pk).update(attempts=0, retry_after=None)
    entry_append(event=LedgerEvent(EventKind.SCHEDULED_RUN_RETRIED, {
        "run": run.pk, "task": run.task, "period": run.period_key, "attempts": run.attempts, "error": run.error,
    }, subject=f"scheduled_run:{run.pk}"), actor=actor)
    transaction.on_commit(schedule_runners_wake)
    return True


# --- the background thread of `sanxiang serve` ---------------------------------------------------

_runners: list[ScheduleRunner] = []
_lock = threading.Lock()


class ScheduleRunner(threading.Thread):
    """Ticks every `poll` seconds (and when woken) until stopped; a daemon, so that it never keeps
    the process alive. Its database connection is closed after each tick."""

    def __init__(self, *, poll: float = 60.0, tasks: list[str] | None = None) -> None:
        super().__init__(name="sanxiang-schedule", daemon=True)
        self.poll = poll
        self.tasks = tasks
        self.woken = threading.Event()
        self.stopped = threading.Event()
        self.ticks = 0

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                schedule_tick(tasks=self.tasks)
            except Exception:  # a database that went away: logged, tried again at the next tick
                logger.exception("the scheduler could not tick")
            finally:
                connection.close()
                self.ticks += 1
            self.woken.wait(self.poll)
            self.woken.clear()

    def stop(self) -> None:
        self.stopped.set()
        self.woken.set()


def schedule_runner_start(*, poll: float = 60.0, tasks: list[str] | None = None) -> ScheduleRunner:
    """Start this process's scheduler thread (in `sanxiang serve` and `sanxiang demo`); it ticks at
    once, then every `poll` seconds. `tasks` limits it to those (tests)."""
    runner = ScheduleRunner(poll=poll, tasks=tasks)
    with _lock:
        _runners.append(runner)
    runner.start()
    return runner


def schedule_runner_stop(runner: ScheduleRunner, *, timeout: float = 10.0) -> None:
    runner.stop()
    runner.join(timeout)
    with _lock:
        if runner in _runners:
            _runners.remove(runner)


def schedule_runners_wake() -> None:
    with _lock:
        for runner in _runners:
            runner.woken.set()

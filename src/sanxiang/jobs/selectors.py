"""Reads of the scheduled work (`schedule.py`) for the staff page: each task with its last run and
its counts, and the failed runs. Three queries whatever the number of runs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from sanxiang.jobs.models import RunState, ScheduledRun
from sanxiang.jobs.schedule import SCHEDULE_ATTEMPTS_MAX, PeriodicTask, periodic_tasks


@dataclass(frozen=True)
class TaskOverview:
    task: PeriodicTask
    last: ScheduledRun | None
    done: int
    failed: int


@dataclass(frozen=True)
class FailedRun:
    run: ScheduledRun
    label: str  # the task's
    retried: bool  # the scheduler will try it again by itself


@dataclass(frozen=True)
class ScheduleOverview:
    tasks: tuple[TaskOverview, ...]
    failures: tuple[FailedRun, ...]  # failed runs, the latest first


def schedule_overview(*, failures_limit: int = 50) -> ScheduleOverview:
    tasks = periodic_tasks()
    names = [t.name for t in tasks]
    latest = ScheduledRun.objects.filter(task=OuterRef("task")).order_by("-on", "-pk").values("pk")[:1]
    last = {r.task: r for r in ScheduledRun.objects.filter(task__in=names, pk=Subquery(latest))}
    counts = {
        row["task"]: row
        for row in ScheduledRun.objects.filter(task__in=names).values("task").annotate(
            done=Count("pk", filter=Q(state=RunState.DONE)), failed=Count("pk", filter=Q(state=RunState.FAILED)))
    }
    labels = {t.name: t.label for t in tasks}
    failures = tuple(
        FailedRun(run, labels[run.task], run.attempts < SCHEDULE_ATTEMPTS_MAX)
        for run in ScheduledRun.objects.filter(task__in=names, state=RunState.FAILED)
        .order_by("-started_at", "-pk")[:failures_limit]
    )
    return ScheduleOverview(
        tasks=tuple(TaskOverview(t, last.get(t.name), counts.get(t.name, {}).get("done", 0),
                                 counts.get(t.name, {}).get("failed", 0)) for t in tasks),
        failures=failures,
    )


def task_runs(*, task: str, state: str = "") -> QuerySet[ScheduledRun]:
    """A task's runs (those in `state`, if one is given), the latest period first: for a paginated list."""
    runs = ScheduledRun.objects.filter(task=task).order_by("-on", "-pk")
    return runs.filter(state=state) if state else runs

"""Enqueue and run jobs (`models.Job`).

A job is enqueued in the transaction of the change it follows (so it exists exactly when the change
does) and run after that change has committed: by the runner thread of any server
(`runner.job_runner_start`, woken on commit), or by `sanxiang jobs` from cron. Each job is taken
with `SELECT ... FOR UPDATE SKIP LOCKED` and marked done in the transaction its handler writes in,
so with several servers and cron running at once a job is done once; a handler should still check
that its work is not already there (an export may have done it first, `job_run_now`).

How often a job is tried and how long a runner waits between attempts are operating settings of
the platform, not rules of law.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.jobs.models import Job, JobState

logger = logging.getLogger(__name__)

# Attempts before a job is left as failed, and the wait after the n-th failed attempt.
JOB_ATTEMPTS_MAX = 5
JOB_RETRY_SECONDS = (10, 60, 300, 1800)

Handler = Callable[[Job], None]
_HANDLERS: dict[str, Handler] = {}


def job_handler_register(kind: str, handler: Handler) -> None:
    """Install the function that does jobs of `kind` (from the upper app's `AppConfig.ready()`). It
    runs inside the runner's transaction and must raise on failure."""
    _HANDLERS[kind] = handler


def job_enqueue(*, kind: str, key: str, payload: dict[str, Any], case_id: int | None = None) -> Job:
    """Add a job in the caller's transaction (it is rolled back with it); the runners are woken once
    that transaction commits. The key names new work (a document just issued): a key already
    enqueued is a bug, refused by the key's unique constraint."""
    if kind not in _HANDLERS:
        raise LookupError(f"no handler for jobs of kind {kind!r}")
    job = Job.objects.create(key=key, kind=kind, payload=payload, case_id=case_id)
    from sanxiang.jobs.runner import job_runners_wake

    transaction.on_commit(job_runners_wake)
    return job


@dataclass(frozen=True)
class JobsRun:
    done: int = 0
    failed: int = 0  # attempts that failed (the job is retried later, or left as failed)


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=JOB_RETRY_SECONDS[min(attempts, len(JOB_RETRY_SECONDS)) - 1])


def _job_run_locked(job: Job) -> bool:
    """Run a job whose row the caller's transaction holds locked; record the outcome on the row.
    True when it is done."""
    handler = _HANDLERS.get(job.kind)
    now = timezone.now()
    job.attempts += 1
    try:
        if handler is None:
            raise LookupError(f"no handler for jobs of kind {job.kind!r}")
        # A savepoint: a failing handler's writes go, the job's row stays to record the failure.
        with transaction.atomic():
            handler(job)
    except Exception as exc:
        logger.exception("job %s failed (attempt %s)", job.key, job.attempts)
        job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts >= JOB_ATTEMPTS_MAX:
            job.state = JobState.FAILED
        else:
            job.run_after = now + _retry_delay(job.attempts)
        job.save(update_fields=["attempts", "last_error", "state", "run_after"])
        return False
    job.state, job.done_at, job.last_error = JobState.DONE, now, ""
    job.save(update_fields=["attempts", "state", "done_at", "last_error"])
    return True


def jobs_run_due(*, limit: int = 100, now: dt.datetime | None = None) -> JobsRun:
    """Run up to `limit` due jobs, each in its own transaction, skipping those another runner holds.
    Returns how many were done and how many attempts failed."""
    done = failed = 0
    for _ in range(limit):
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(state=JobState.PENDING, run_after__lte=now or timezone.now())
                .order_by("run_after", "pk")
                .first()
            )
            if job is None:
                break
            if _job_run_locked(job):
                done += 1
            else:
                failed += 1
    return JobsRun(done=done, failed=failed)


def job_run_now(*, key: str) -> Job | None:
    """Do the job of `key` now if it is not done (waiting for a runner that holds it, then seeing its
    outcome), in the caller's transaction: for work that must exist before it is used (an export).
    A failure raises (the caller cannot go on without the work); the job stays pending for the
    runners."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(key=key).first()
        if job is None or job.state == JobState.DONE:
            return job
        handler = _HANDLERS.get(job.kind)
        if handler is None:
            raise LookupError(f"no handler for jobs of kind {job.kind!r}")
        handler(job)
        job.attempts += 1
        job.state, job.done_at, job.last_error = JobState.DONE, timezone.now(), ""
        job.save(update_fields=["attempts", "state", "done_at", "last_error"])
    return job


def jobs_failed_retry() -> int:
    """Give every failed job its attempts again (an administrator fixed the cause)."""
    return Job.objects.filter(state=JobState.FAILED).update(state=JobState.PENDING, attempts=0,
                                                            run_after=timezone.now())

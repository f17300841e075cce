"""The server's daily work, run once a day whatever the number of servers.

`sanxiang serve` (and `sanxiang demo`) start `periodic_work_loop` in a background thread: every
hour it asks `daily_work_run` for today's jobs. Each job is claimed for the day by inserting its
`DailyRun` row (unique on job and day) before it runs: the first server to insert the row runs the
job, the others skip it. `sanxiang daily_work` runs the same from cron for deployments that prefer
it; running both is harmless.

Jobs:
- `sessions_clear`: Django's `clearsessions` (expired sessions are never deleted otherwise).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from sanxiang.maintenance.models import DailyRun

logger = logging.getLogger(__name__)

# How often the background thread looks for the day's work; a job runs at the first look of its day.
CHECK_SECONDS = 3600.0


def sessions_clear() -> str:
    """Django's `clearsessions`: delete the sessions past their expiry date."""
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    return f"删除过期会话{expired}个"


@dataclass(frozen=True)
class DailyJob:
    name: str
    run: Callable[[], str]


DAILY_JOBS: tuple[DailyJob, ...] = (DailyJob("sessions_clear", sessions_clear),)


@dataclass(frozen=True)
class DailyOutcome:
    job: str
    ran: bool  # False: another server (or an earlier run) had already claimed the job today
    outcome: str


def _claim(job: str, day: dt.date) -> DailyRun | None:
    try:
        with transaction.atomic():
            return DailyRun.objects.create(job=job, day=day)
    except IntegrityError:
        return None


def daily_work_run(*, on: dt.date, jobs: tuple[DailyJob, ...] = DAILY_JOBS) -> list[DailyOutcome]:
    """Run each job not yet claimed for `on`. A job that fails keeps its claim (it is not retried the
    same day; the next day's run catches up) and records the failure; the other jobs still run."""
    outcomes = []
    for job in jobs:
        claim = _claim(job.name, on)
        if claim is None:
            outcomes.append(DailyOutcome(job.name, False, "今天已经运行"))
            continue
        try:
            outcome = job.run()
        except Exception as error:
            logger.exception("daily job %s failed", job.name)
            outcome = f"失败：{type(error).__name__}"
        DailyRun.objects.filter(pk=claim.pk).update(finished_at=timezone.now(), outcome=outcome[:300])
        outcomes.append(DailyOutcome(job.name, True, outcome))
    return outcomes


def periodic_work_loop(*, stop: threading.Event, interval: float = CHECK_SECONDS,
                       today: Callable[[], dt.date] = timezone.localdate,
                       after_round: Callable[[], None] = connections.close_all) -> None:
    """Run the day's work, then wait `interval` seconds (or until `stop` is set) and look again.
    An error is logged and the loop goes on; the thread's database connections are closed after
    each round so that none is held open between rounds."""
    while True:
        try:
            daily_work_run(on=today())
        except Exception:
            logger.exception("periodic work failed")
        finally:
            after_round()
        if stop.wait(interval):
            return


def periodic_work_start() -> threading.Thread:
    """The background thread of `sanxiang serve`: a daemon, so that it never keeps the process alive."""
    thread = threading.Thread(
        target=periodic_work_loop, kwargs={"stop": threading.Event()}, name="sanxiang-periodic-work", daemon=True
    )
    thread.start()
    return thread

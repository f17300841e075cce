"""The installation's own daily work, as periodic tasks of the scheduler (`jobs.schedule`), which
runs each once a day whatever the number of servers, inside `sanxiang serve` (and `sanxiang demo`)
or from cron (`sanxiang tick`, or `sanxiang daily_work` for these tasks only).

Tasks:
- `sessions_clear`: Django's `clearsessions` (expired sessions are never deleted otherwise).
- `ledger_checkpoint`: sign every ledger's tree head (DESIGN, "The ledger": signed tree heads are
  issued periodically); a head already signed is not signed again.
- `database_statistics`: the query planner's statistics of the tables and indexes (`ANALYZE`).
  SQLite keeps none unless asked: without them it chooses an index by its shape alone, and at
  100,000 cases the queues read every case of the agency through the index on `agency_id` instead
  of the few open ones through (agency, procedure, state) (issue 12). Sampled
  (`analysis_limit`), so that the run stays short however large the database; on PostgreSQL
  autovacuum analyses anyway, and the run does it once more.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register
from sanxiang.ledger.services import checkpoints_issue_all


def sessions_clear(on: dt.date | None = None) -> str:
    """Django's `clearsessions`: delete the sessions past their expiry date."""
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    return f"删除过期会话{expired}个"


def ledger_checkpoint(on: dt.date | None = None) -> str:
    with transaction.atomic():
        signed = checkpoints_issue_all()
    return "；".join(f"账本检查点覆盖{c.size}条记录" for c in signed)


# The rows SQLite reads of each index to estimate it (`PRAGMA analysis_limit`): a sample, whatever
# the size of the table (a few seconds at 100,000 cases).
ANALYSIS_LIMIT = 2000


def database_statistics(on: dt.date | None = None) -> str:
    """`ANALYZE`: the planner's statistics, sampled on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return "已更新数据库查询统计"


MAINTENANCE_TASKS: tuple[PeriodicTask, ...] = (
    PeriodicTask(name="sessions_clear", label="删除过期会话", period=Daily(at=dt.time(3, 0)), run=sessions_clear),
    PeriodicTask(name="ledger_checkpoint", label="签署账本检查点", period=Daily(at=dt.time(0, 10)),
                 run=ledger_checkpoint),
    PeriodicTask(name="database_statistics", label="更新数据库查询统计", period=Daily(at=dt.time(3, 30)),
                 run=database_statistics),
)


def maintenance_tasks_register() -> None:
    for task in MAINTENANCE_TASKS:
        periodic_task_register(task)

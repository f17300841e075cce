"""The installation's own daily work, as periodic tasks of the scheduler (`jobs.schedule`), which
runs each once a day whatever the number of servers, inside `sanxiang serve` (and `sanxiang demo`)
or from cron (`sanxiang tick`, or `sanxiang daily_work` for these tasks only).

Tasks:
- `sessions_clear`: Django's `clearsessions` (expired sessions are never deleted otherwise).
- `ledger_checkpoint`: sign every ledger's tree head (DESIGN, "The ledger": signed tree heads are
  issued periodically); a head already signed is not signed again.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
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


MAINTENANCE_TASKS: tuple[PeriodicTask, ...] = (
    PeriodicTask(name="sessions_clear", label="删除过期会话", period=Daily(at=dt.time(3, 0)), run=sessions_clear),
    PeriodicTask(name="ledger_checkpoint", label="签署账本检查点", period=Daily(at=dt.time(0, 10)),
                 run=ledger_checkpoint),
)


def maintenance_tasks_register() -> None:
    for task in MAINTENANCE_TASKS:
        periodic_task_register(task)

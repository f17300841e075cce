"""The supervision desk's scheduled work (`jobs.schedule`): every day, each new platform alert
becomes a supervision matter (来源：平台预警), as `sanxiang supervision_tick` does."""

from __future__ import annotations

import datetime as dt

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register


def supervision_alerts(on: dt.date) -> str:
    from sanxiang.supervision.alerts import platform_alerts_open

    return f"平台预警登记监督事项{platform_alerts_open(on=on)}件"


def supervision_tasks_register() -> None:
    # Its own transactions: one matter per alert, an alert opened meanwhile by another run skipped.
    periodic_task_register(PeriodicTask(name="supervision_alerts", label="平台预警转为监督事项",
                                        period=Daily(at=dt.time(1, 30)), run=supervision_alerts, atomic=False))

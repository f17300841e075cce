"""The evidence store's scheduled work (`jobs.schedule`), as `sanxiang expire_uploads` does: every
day, expire abandoned resumable uploads and free their staged bytes."""

from __future__ import annotations

import datetime as dt

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register


def uploads_expire_daily(on: dt.date) -> str:
    from sanxiang.evidence.services import uploads_expire

    result = uploads_expire()
    return f"过期的上传{result.expired}个；清理残留临时文件{result.temporaries_removed}个"


def evidence_tasks_register() -> None:
    # Its own transactions: each upload expires on its own, and files are removed from storage.
    periodic_task_register(PeriodicTask(name="uploads_expire", label="清理长时间未继续的上传",
                                        period=Daily(at=dt.time(2, 30)), run=uploads_expire_daily, atomic=False))

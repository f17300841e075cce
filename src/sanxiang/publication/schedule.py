"""Publicity's scheduled work (`jobs.schedule`), as `sanxiang publication_tick` does: every day,
take down the publications past their display period, refresh the 事前 publicity from the
registry, and release to the desk the compulsory measures the head has approved since."""

from __future__ import annotations

import datetime as dt

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register


def publication_daily(on: dt.date) -> str:
    from sanxiang.publication.compulsory import compulsory_drafts_refresh
    from sanxiang.publication.registry_sync import public_registry_refresh
    from sanxiang.publication.services import publications_expire

    expired = publications_expire(on=on)
    refreshed = public_registry_refresh(on=on)
    released = compulsory_drafts_refresh(on=on)
    return f"下架{expired}条；事前公开更新{refreshed.agencies}个执法主体；暂缓公开转入审核{released}条"


def publication_tasks_register() -> None:
    periodic_task_register(PeriodicTask(name="publication_daily", label="公示期满下架、事前公开信息更新",
                                        period=Daily(at=dt.time(0, 30)), run=publication_daily))

"""`sanxiang daily_work [--on YYYY-MM-DD]`: the installation's own daily work (`maintenance.daily`:
expired sessions, signed checkpoints, the query planner's statistics) through the scheduler, for cron or a systemd timer. A task
already run that day (by a server or an earlier call) is skipped. `sanxiang tick` runs every
scheduled task."""

import datetime as dt

from django.core.management.base import BaseCommand

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.jobs.schedule import schedule_tick, schedule_tick_on
from sanxiang.maintenance.daily import MAINTENANCE_TASKS


class Command(BaseCommand):
    help = "每日维护工作（删除过期会话、签署账本检查点），每天只运行一次"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, on: dt.date | None = None, **options):
        names = [t.name for t in MAINTENANCE_TASKS]
        outcomes = (schedule_tick_on(on=on, tasks=names, runner="cron") if on
                    else schedule_tick(tasks=names, runner="cron"))
        for outcome in outcomes:
            self.stdout.write(f"{outcome.on} {outcome.task}：{outcome.text}")
        if not outcomes:
            self.stdout.write("今天的每日维护工作已经运行")

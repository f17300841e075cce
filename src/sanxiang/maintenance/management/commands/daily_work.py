"""`sanxiang daily_work`: the server's daily work (`maintenance.daily`), for cron or a systemd timer
where the servers' own background run is not wanted. A job already run today (by a server or an
earlier call) is skipped."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from sanxiang.maintenance.daily import daily_work_run


class Command(BaseCommand):
    help = "每日维护工作（删除过期会话），每天只运行一次"

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, on: dt.date | None = None, **options):
        on = on or timezone.localdate()
        for outcome in daily_work_run(on=on):
            self.stdout.write(f"{on} {outcome.job}：{outcome.outcome}")

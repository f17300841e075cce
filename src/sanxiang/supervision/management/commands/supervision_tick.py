"""`sanxiang supervision_tick`: the daily work of the supervision desk, for cron or a systemd timer
(beside `publication_tick`): opens a supervision matter (来源：平台预警) for each new platform alert."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.supervision.alerts import platform_alerts_open


class Command(BaseCommand):
    help = "平台预警转为监督事项（逾期未公示、重大执法决定未经法制审核），每一预警只登记一次"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, on: dt.date | None = None, **options):
        on = on or timezone.localdate()
        opened = platform_alerts_open(on=on)
        self.stdout.write(f"{on}: 平台预警登记监督事项{opened}件")

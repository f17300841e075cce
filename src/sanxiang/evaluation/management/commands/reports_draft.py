"""`sanxiang reports_draft [--on YYYY-MM-DD]`: drafts each agency's monthly progress report (月报) on the
previous month, from the draft day (the 1st) on; an agency's report is drafted once, however often
this runs (cron, a systemd timer, or the server's scheduler)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.evaluation.report_services import report_drafts_create, report_month_to_draft


class Command(BaseCommand):
    help = "起草各执法机关上月的工作推进情况月报（每一机关每月只起草一次）"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, on: dt.date | None = None, **options):
        on = on or timezone.localdate()
        month = report_month_to_draft(on=on)
        drafted = report_drafts_create(on=on)
        label = month.label if month else "（未到起草日）"
        self.stdout.write(f"{on}: {label}月报起草{drafted}份")

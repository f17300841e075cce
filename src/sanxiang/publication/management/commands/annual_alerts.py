"""`manage.py annual_alerts [--on YYYY-MM-DD] [--exit-code]`: the agencies that have not published
the previous year's enforcement data although 31 January has passed (国办发〔2018〕118号).

Meant for a daily scheduled job: prints nothing alarming up to 31 January, then lists every
agency still missing; with --exit-code it exits with status 1 while any is missing, so that the
scheduler can raise the alert."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.procedure.annual import annual_report_due
from sanxiang.publication.annual import annual_reports_missing


class Command(BaseCommand):
    help = "列出逾期未公开上年度行政执法数据的执法主体（List agencies whose annual enforcement data is overdue）"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按哪一天检查（YYYY-MM-DD），默认今天")
        parser.add_argument("--exit-code", action="store_true", help="有逾期未公开的执法主体时以状态1退出")

    def handle(self, *args, **options):
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as bad:
            raise CommandError(f"日期格式应为YYYY-MM-DD：{options['on']}") from bad
        year = on.year - 1
        due = annual_report_due(year)
        missing = annual_reports_missing(on=on)
        if not missing:
            if on <= due:
                self.stdout.write(f"{year}年度行政执法数据应于{due.isoformat()}前公开，尚未到期。")
            else:
                self.stdout.write(self.style.SUCCESS(f"所有执法主体均已公开{year}年度行政执法数据。"))
            return
        self.stdout.write(
            self.style.WARNING(
                f"{len(missing)}个执法主体逾期未公开{year}年度行政执法数据（应于{due.isoformat()}前公开）："
            )
        )
        for item in missing:
            line = f"  {item.agency_name}（编号{item.agency_id}）逾期{item.days_overdue}天"
            if not item.has_public_agency:
                line += "；尚未公开执法主体信息，需先更新公开的执法主体信息"
            self.stdout.write(line)
        if options["exit_code"]:
            raise SystemExit(1)

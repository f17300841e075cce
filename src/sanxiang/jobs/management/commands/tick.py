"""`sanxiang tick [--on YYYY-MM-DD] [--task NAME] [--list]`: run the scheduled work that is due
(`jobs.schedule`), for cron or a systemd timer where the servers' own scheduler thread is off
(`SANXIANG_SCHEDULE=off`). Safe beside running servers: each period is claimed once. `--on` ticks as
at the end of that day. Exit status 1 when a run failed (for monitoring)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.jobs.schedule import periodic_tasks, schedule_tick, schedule_tick_on


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as bad:
        raise CommandError(f"日期格式应为YYYY-MM-DD：{text}") from bad


class Command(BaseCommand):
    help = "运行到期的定时任务（公示期满下架、平台预警、证件到期提醒等），每个周期只运行一次"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按此日期运行（YYYY-MM-DD），默认现在")
        parser.add_argument("--task", action="append", help="只运行此任务（可重复）")
        parser.add_argument("--list", action="store_true", help="列出已登记的定时任务")

    def handle(self, *args, on: str | None = None, task: list[str] | None = None, list: bool = False, **options):
        if list:
            for t in periodic_tasks():
                self.stdout.write(f"{t.name}：{t.label}（{t.period.label}）")
            return
        try:
            outcomes = schedule_tick_on(on=_date(on), tasks=task, runner="cron") if on else schedule_tick(
                tasks=task, runner="cron")
        except LookupError as unknown:
            raise CommandError(f"没有这个定时任务：{', '.join(task or [])}") from unknown
        for outcome in outcomes:
            self.stdout.write(f"{outcome.period_key} {outcome.task}：{outcome.text}")
        if not outcomes:
            self.stdout.write("没有到期的定时任务")
        if any(o.ran and not o.ok for o in outcomes):
            raise SystemExit(1)

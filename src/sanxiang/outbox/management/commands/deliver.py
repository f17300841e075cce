"""`sanxiang deliver [--once] [--poll SECONDS]`: send the events of the ledger to the subscribed
systems (signed webhooks, retried with backoff). Without `--once` it runs until stopped; it is safe
beside running servers, which run the same worker in a thread (`SANXIANG_DELIVER=off` leaves the
work to this command)."""

import time

from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.outbox.services import DeliverRun, deliveries_run


class Command(BaseCommand):
    help = "向订阅系统推送事件（签名、失败重试），--once 只运行一轮"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理当前到期的推送后退出")
        parser.add_argument("--poll", type=float, default=10.0, help="空闲时每隔多少秒查看一次（默认10）")

    def handle(self, *args, once: bool = False, poll: float = 10.0, **options):
        if poll <= 0:
            raise CommandError("--poll 应为正数")
        while True:
            total = DeliverRun()
            while (run := deliveries_run()).busy:
                total += run
            if once:
                self.stdout.write(f"新事件{total.made}条，送达{total.delivered}次，待重试{total.retried}次，失败{total.failed}次")
                return
            time.sleep(poll)

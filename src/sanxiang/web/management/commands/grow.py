"""`sanxiang grow --cases N`: grow the loaded demo county to N cases (copies of the demo's cases
in every state, with their ledger entries), for the scale benchmarks (sanxiang.demo.grow)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.ledger.services import checkpoint_issue


class Command(BaseCommand):
    help = "把已加载的演示旗县扩充到 N 件案件（复制各状态的演示案件并记入账本），用于规模测试"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="扩充后的案件总数")
        parser.add_argument("--open", type=int, default=250, dest="open_cases", help="其中未办结的案件数（默认 250）")
        parser.add_argument("--spread-days", type=int, default=365, help="已办结案件的日期分布在今天之前多少天内")
        parser.add_argument("--open-spread-days", type=int, default=28, help="未办结案件的日期分布在今天之前多少天内")
        parser.add_argument("--batch", type=int, default=200, help="每批（一个事务）复制的份数")
        parser.add_argument("--seed", type=int, default=12)

    def handle(self, *args, cases: int, open_cases: int, spread_days: int, open_spread_days: int, batch: int,
               seed: int, **options) -> None:
        from sanxiang.demo.grow import GrowError, demo_grow

        if cases < 0 or open_cases < 0 or spread_days < 0 or open_spread_days < 0 or batch < 1:
            raise CommandError("案件数、天数不能为负数，每批份数至少为 1")
        verbosity = options.get("verbosity", 1)

        def progress(done: int, total: int) -> None:
            if verbosity > 1 or (verbosity == 1 and total and done * 20 // total != (done - 1) * 20 // total):
                self.stdout.write(f"  {done}/{total}")

        try:
            result = demo_grow(cases=cases, open_cases=open_cases, spread_days=spread_days,
                               open_spread_days=open_spread_days, batch_size=batch, seed=seed, progress=progress)
        except GrowError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            checkpoint = checkpoint_issue()
        # The planner's statistics of the grown tables, as the daily work keeps them
        # (`maintenance.daily.database_statistics`): the pages are then measured as a county runs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(result.summary))
        if result.approximate:
            self.stdout.write(f"其中 {result.approximate} 件的日期平移后跨越的节假日与原案不同（工作日期限为近似）")
        self.stdout.write(f"账本 Ledger: {checkpoint.size} 条记录，已签发检查点")

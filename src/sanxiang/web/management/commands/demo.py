import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from sanxiang.jobs.services import jobs_run_due
from sanxiang.ledger.services import checkpoint_issue
from sanxiang.web.management.commands.serve import data_folder_prepare, serve_forever


def text_columns(text: str) -> int:
    """How many terminal columns `text` takes: a Chinese (wide or full-width) character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def account_table(accounts) -> list[str]:
    """The demo accounts as a table whose columns line up in a terminal (CJK characters are two
    columns wide, so str.ljust would not do): role, username, password, and the two-factor secret
    of the roles that need one."""
    header = ("角色", "账号", "密码", "两步验证密钥")
    rows = [header] + [(a.role_label, a.username, a.password, a.totp_secret or "") for a in accounts]
    widths = [max(text_columns(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - text_columns(cell)) for i, cell in enumerate(row)]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


class Command(BaseCommand):
    help = "创建数据目录和数据库、加载演示旗县数据并启动服务（Create the data folder and database, load the demo county, serve it）"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        from sanxiang.demo.county import demo_county_load
        from sanxiang.demo.evaluation import demo_evaluation_training_load
        from sanxiang.demo.evaluation_campaigns import demo_evaluation_campaign_load
        from sanxiang.demo.evaluation_closing import demo_evaluation_closing_load
        from sanxiang.demo.evaluation_reports import demo_evaluation_reports_load
        from sanxiang.demo.supervision import demo_supervision_load
        from sanxiang.demo.supervision_matters import demo_supervisor_accounts

        data_folder_prepare()
        self.stdout.write(f"数据目录 Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        result = demo_county_load()
        # A year of the 司法局's supervision (issue 14), once.
        demo_supervision_load()
        # The assessment work (issue 15): training, system documents, a year of monthly reports.
        demo_evaluation_training_load()
        demo_evaluation_reports_load()
        # 总结验收 (issue 15, item 7): the summaries, one acceptance round and the work report.
        demo_evaluation_closing_load()
        # 案卷评查活动 (issue 16, item 4): one campaign, drawn, scored and published.
        demo_evaluation_campaign_load()
        # The Word copies of the demo's documents, which follow their steps (procedure.document_timing).
        jobs_run_due(limit=1_000_000)
        with transaction.atomic():
            # A signed tree head from the start, so /ledger/checkpoint and case-file exports
            # have something to prove against.
            checkpoint = checkpoint_issue()
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"已加载演示旗县 Demo county loaded: {result.summary}"))
        else:
            self.stdout.write(f"演示旗县已存在，未重复加载 Demo county already present: {result.summary}")
        self.stdout.write(f"账本 Ledger: {checkpoint.size} 条记录，已签名检查点 signed checkpoint at /ledger/checkpoint")
        self.stdout.write("\n演示账号 Demo accounts:")
        # The 司法局's supervisors of the supervision year, each with the supervisors' known second factor.
        for line in account_table([*result.accounts, *demo_supervisor_accounts()]):
            self.stdout.write(line)
        if options["no_serve"]:
            return
        serve_forever(host=options["host"], port=options["port"], stdout=self.stdout)

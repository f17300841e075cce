import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from sanxiang.ledger.services import checkpoint_issue
from sanxiang.web.management.commands.serve import data_folder_prepare, serve_forever


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where each Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


class Command(BaseCommand):
    help = "创建数据目录和数据库、加载演示旗县数据并启动服务（Create the data folder and database, load the demo county, serve it）"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        from sanxiang.demo.county import demo_county_load

        data_folder_prepare()
        self.stdout.write(f"数据目录 Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        result = demo_county_load()
        with transaction.atomic():
            # A signed tree head from the start, so /ledger/checkpoint and case-file exports
            # have something to prove against.
            checkpoint = checkpoint_issue()
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"已加载演示旗县 Demo county loaded: {result.summary}"))
        else:
            self.stdout.write(f"演示旗县已存在，未重复加载 Demo county already present: {result.summary}")
        self.stdout.write(f"账本 Ledger: {checkpoint.size} 条记录，已签名检查点 signed checkpoint at /ledger/checkpoint")
        self.stdout.write("\n演示账号 Demo accounts (role · username · password):")
        for account in result.accounts:
            line = f"  {_pad(account.role_label, 16)} {account.username:<12} {account.password}"
            if account.totp_secret:
                line += f"   两步验证密钥 TOTP secret: {account.totp_secret}"
            self.stdout.write(line)
        if options["no_serve"]:
            return
        serve_forever(host=options["host"], port=options["port"], stdout=self.stdout)

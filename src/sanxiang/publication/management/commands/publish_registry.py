"""`sanxiang publish_registry [--agency ID]`: regenerate the public agency pages (事前公开) and
the certificate verification rows (事中公示) from the registry. Run it after a bulk change of the
registry (an import) or periodically: a refresh is idempotent and records one ledger entry."""

from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry.models import Agency


class Command(BaseCommand):
    help = "根据执法主体库更新公示的执法主体和执法证件 (Refresh the public registry pages)"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, default=None, help="只更新这个执法主体（编号）；不填则更新全部")

    def handle(self, *args, **options):
        try:
            result = public_registry_refresh(agency_id=options["agency"])
        except Agency.DoesNotExist as missing:
            raise CommandError(f"执法主体 {options['agency']} 不存在") from missing
        self.stdout.write(
            f"已更新公示信息：执法主体 {result.agencies} 个（新增 {result.agencies_created}，变更 {result.agencies_changed}）；"
            f"执法证件 {result.certificates} 本（新增 {result.certificates_created}，变更 {result.certificates_changed}，"
            f"非有效状态 {result.certificates_not_valid}）；账本序号 {result.ledger_seq}"
        )

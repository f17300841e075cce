"""`sanxiang publication_tick`: the daily work of publicity, for cron or a systemd timer.

Takes down publications past their 公示截止期, refreshes the 事前 publicity from the registry,
releases to the desk the compulsory measures held until the head approved them, and prints what is overdue: drafts not published in time and annual reports not published by 31
January. Exit status 1 while anything is overdue (for monitoring).
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.publication.annual import annual_reports_missing
from sanxiang.publication.compulsory import compulsory_drafts_refresh
from sanxiang.publication.models import DraftStatus, PublicationDraft
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import publications_expire


class Command(BaseCommand):
    help = "公示期满下架、事前公开信息更新，并列出逾期未公示、未撤回和未发布的年度数据"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, on: dt.date | None = None, **options):
        on = on or timezone.localdate()
        expired = publications_expire(on=on)
        refreshed = public_registry_refresh(on=on)
        released = compulsory_drafts_refresh(on=on)
        self.stdout.write(f"{on}: 下架{expired}条；事前公开更新{refreshed.agencies}个执法主体；暂缓公开转入审核{released}条")
        overdue = 0
        for draft in PublicationDraft.objects.filter(status=DraftStatus.DRAFT, due_on__lt=on).select_related("agency", "case"):
            overdue += 1
            self.stdout.write(f"逾期未公示：{draft.agency.name} {draft.case.number}（应于{draft.due_on}前）")
        for missing in annual_reports_missing(on=on):
            overdue += 1
            self.stdout.write(f"年度数据未发布：{missing.agency_name} {missing.year}年（应于{missing.due_on}前）")
        if overdue:
            raise SystemExit(1)

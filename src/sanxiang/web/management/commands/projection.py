"""`sanxiang projection check|rebuild`: compare every stored projection with a full recomputation
from the records, or recompute and store them (sanxiang.projections)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.projections import projections_all


class Command(BaseCommand):
    help = "检查或重建按写入时维护的投影（案件期限、审核统计、年度数据等）"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["check", "rebuild"])
        parser.add_argument("--only", default="", help="只处理这个名称的投影")

    def handle(self, *args, what: str, only: str, **options) -> None:
        chosen = [p for p in projections_all() if not only or p.name == only]
        if only and not chosen:
            raise CommandError(f"没有名为“{only}”的投影")
        differences = 0
        for projection in chosen:
            if what == "rebuild":
                with transaction.atomic():
                    count = projection.rebuild()
                self.stdout.write(f"{projection.label}（{projection.name}）：重建 {count} 行")
                continue
            found = projection.check()
            differences += len(found)
            self.stdout.write(f"{projection.label}（{projection.name}）：{len(found)} 处不一致")
            for line in found[:50]:
                self.stdout.write(f"  {line}")
            if len(found) > 50:
                self.stdout.write(f"  ……另有 {len(found) - 50} 处")
        if what == "check" and differences:
            raise CommandError(f"共 {differences} 处不一致")

"""`sanxiang expire_uploads`: expire abandoned resumable uploads and free their staged bytes.
Run it periodically (cron, a systemd timer or the Windows task scheduler); uploads are also
expired lazily when someone touches them."""

from django.core.management.base import BaseCommand

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.evidence.services import uploads_expire


class Command(BaseCommand):
    help = "使长时间未继续的上传过期并删除其暂存数据 (Expire abandoned evidence uploads)"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def handle(self, *args, **options):
        result = uploads_expire()
        self.stdout.write(
            f"已过期的上传：{result.expired} 个；清理的残留临时文件：{result.temporaries_removed} 个"
        )

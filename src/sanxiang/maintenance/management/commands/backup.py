"""`sanxiang backup FILE`: a consistent copy of the installation while it runs."""

from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.maintenance.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "备份：数据库快照、存储的文件、密钥和最近的签名检查点，写入一个 tar 文件（.gz/.tgz 结尾则压缩），"
        "附各成员的 SHA-256 清单；服务运行时亦可进行。"
        " (Back up the database snapshot, stored files, keys and last checkpoint into one archive.)"
    )
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write (must not exist)")

    def handle(self, *args, **options):
        try:
            summary = backup_create(destination=options["file"], progress=lambda m: self.stderr.write(m))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(f"注意 warning: {warning}"))
        checkpoint = (
            f"最近的签名检查点覆盖 {summary.checkpoint_size} 条 (last checkpoint {summary.checkpoint_size})"
            if summary.checkpoint_size is not None
            else "尚无签名检查点 (no checkpoint yet)"
        )
        self.stdout.write(
            f"已备份 Backed up to {summary.path} ({summary.archive_bytes:,} 字节 bytes)\n"
            f"  数据库 database: {summary.engine}，账本 ledger: {summary.tree_size} 条记录 entries；{checkpoint}\n"
            f"  存储文件 stored files: {summary.files} 个，{summary.file_bytes:,} 字节 bytes\n"
            "  备份中含密钥，请像保管密钥一样保管它 (the archive holds the keys: keep it as safe as they are)"
        )

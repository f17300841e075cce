"""`sanxiang export-case CASE_NUMBER FILE.zip`: write a case's case file (案卷) for offline
verification with `python -m sanxiang_verify FILE.zip --key ...`."""

import getpass
import socket
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.casefile.services import CaseFileExportError, case_file_export
from sanxiang.cases.selectors import case_get_by_number
from sanxiang.command_checks import WITHOUT_URLS


def _size(n: int) -> str:
    for unit in ("字节", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "字节" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class Command(BaseCommand):
    help = "导出案卷：把案件的证据文件、账本条目、包含证明和签名检查点写入一个可离线核验的 zip 文件。"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("case_number", metavar="CASE_NUMBER", help="案号")
        parser.add_argument("file", metavar="FILE.zip", help="要写入的 zip 文件")
        parser.add_argument("--force", action="store_true", help="目标文件已存在时覆盖")

    def handle(self, *args, **options):
        number = options["case_number"].strip()
        target = Path(options["file"])
        case = case_get_by_number(number=number)
        if case is None:
            raise CommandError(f"案号“{number}”不存在，未导出任何内容。")
        if target.exists() and not options["force"]:
            raise CommandError(f"文件“{target}”已存在；如需覆盖，请加 --force。")
        if not target.parent.is_dir():
            raise CommandError(f"目录“{target.parent}”不存在。")
        try:
            summary = case_file_export(
                case=case,
                destination=target,
                actor=None,
                # No platform user runs this command: record who ran it on which server.
                details={"channel": "command", "os_user": _os_user(), "host": socket.gethostname()},
            )
        except CaseFileExportError as exc:
            raise CommandError(f"案卷导出失败：{exc}") from exc
        out = self.stdout
        out.write(f"已导出案卷：{summary.case_number} {case.title}（{case.agency.name}）")
        out.write(f"  文件：{summary.path}（{_size(summary.size)}）")
        out.write(
            f"  账本：{summary.entries} 条条目，包含证明对应检查点 {summary.checkpoint_size}（{summary.algorithm}），"
            f"本次导出记录为第 {summary.export_seq} 号条目"
        )
        out.write(
            f"  证据文件 {summary.files.get('evidence', 0)} 个，文书 {summary.files.get('documents', 0)} 个"
        )
        out.write("  部件：")
        for part in summary.parts:
            if part.is_dir:
                continue
            out.write(f"    {part.name}  {part.size} 字节  SHA-256 {part.digests['sha256']}")
        out.write("  离线核验：")
        out.write(f"    python -m sanxiang_verify {target} --key '{summary.vkey}'")
        if not summary.complete:
            for problem in summary.problems:
                self.stderr.write(f"  问题：{problem}")
            raise CommandError("案卷已写出，但不完整或与账本不符（见上），核验将不会通过。")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return ""

"""`sanxiang exchange`: the exchange with the provincial supervision information system.

    sanxiang exchange validate FILE...            check files against their JSON Schemas (every problem)
    sanxiang exchange export --year 2026 --out DIR  write a year's documents and their manifest
    sanxiang exchange check DIR                   check an export folder against its manifest
    sanxiang exchange import FILE...              register assignments from above as supervision matters
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.exchange.formats import FORMAT_LABELS, file_problems
from sanxiang.exchange.services import (
    ExchangeExportError,
    assignment_import,
    exchange_export,
    exchange_export_check,
)
from sanxiang.procedure.violations import Refused

YEAR_MIN, YEAR_MAX = 2000, 9999


def _year(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise CommandError(f"年度“{text}”不正确：应为{YEAR_MIN}至{YEAR_MAX}之间的四位数字。")
    return int(text)


class Command(BaseCommand):
    help = "与省级行政执法监督信息系统交换数据：校验、导出、核对导出目录、导入上级交办事项。"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", metavar="{validate,export,check,import}")
        commands.required = True
        validate = commands.add_parser("validate", help="按 JSON Schema 校验交换文件，列出每个问题")
        validate.add_argument("files", nargs="+", metavar="FILE")
        export = commands.add_parser("export", help="导出一个年度的案件、决定和年度数据及其清单")
        export.add_argument("--year", required=True, help="年度，如 2026")
        export.add_argument("--out", required=True, metavar="DIR", help="导出目录（空目录或以前的导出将被整体替换；数据目录和其他已有内容一律拒绝）")
        check = commands.add_parser("check", help="按清单核对导出目录：文件齐全、未被改动、符合格式")
        check.add_argument("directory", metavar="DIR")
        imported = commands.add_parser("import", help="把上级交办事项（JSON）登记为监督事项")
        imported.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, **options):
        return getattr(self, f"_{options['command']}")(options)

    def _validate(self, options) -> None:
        failed = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                self.stderr.write(f"{name}：文件不存在")
                failed += 1
                continue
            problems = file_problems(path.read_bytes())
            if problems:
                failed += 1
                self.stderr.write(f"{name}：不符合格式，{len(problems)}个问题")
                for problem in problems:
                    self.stderr.write(f"  {problem}")
            else:
                document_format = json.loads(path.read_bytes())["format"]
                self.stdout.write(f"{name}：符合格式（{FORMAT_LABELS[document_format]}）")
        if failed:
            raise CommandError(f"{len(options['files'])}个文件中有{failed}个不符合格式。")

    def _export(self, options) -> None:
        year = _year(options["year"].strip())
        try:
            summary = exchange_export(year=year, out=Path(options["out"]))
        except ExchangeExportError as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"导出失败：{len(exc.problems)}个问题，未写入任何文件。") from exc
        counts = summary.counts
        self.stdout.write(f"已导出{year}年度交换数据到 {summary.directory}")
        self.stdout.write(
            f"  案件{counts['case']}件，决定{counts['decision']}项，年度数据{counts['year']}份，格式定义{counts['schema']}个"
        )
        self.stdout.write(f"  清单 manifest.json 的 SHA-256：{summary.manifest_sha256}")

    def _check(self, options) -> None:
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"目录“{directory}”不存在。")
        problems = exchange_export_check(directory=directory)
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"导出目录与清单不符：{len(problems)}个问题。")
        self.stdout.write(f"{directory}：文件齐全，与清单一致，均符合格式。")

    def _import(self, options) -> None:
        failed = 0
        for name in options["files"]:
            path = Path(name)
            try:
                document = json.loads(path.read_bytes().decode("utf-8"))
            except FileNotFoundError:
                self.stderr.write(f"{name}：文件不存在")
                failed += 1
                continue
            except (UnicodeDecodeError, ValueError):
                self.stderr.write(f"{name}：不是 UTF-8 编码的有效 JSON")
                failed += 1
                continue
            try:
                result = assignment_import(actor=None, document=document)
            except Refused as refusal:
                failed += 1
                self.stderr.write(f"{name}：未导入")
                for violation in refusal.violations:
                    self.stderr.write(f"  {violation.message}（{violation.legal_basis}）")
                continue
            matter = result.matter
            if result.created:
                self.stdout.write(f"{name}：已登记监督事项 {matter.number} {matter.subject}")
            else:
                self.stdout.write(f"{name}：该交办文号已登记为监督事项 {matter.number}，未重复登记")
        if failed:
            raise CommandError(f"{len(options['files'])}个文件中有{failed}个未导入。")

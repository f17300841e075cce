"""The access log as CSV or Excel, for supervisors and outside auditors."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sanxiang.access.models import AccessLogEntry
from sanxiang.access.selectors import LOG_TIME_ZONE

HEADER = [
    "时间",
    "用户名",
    "姓名",
    "角色",
    "操作",
    "对象类别",
    "对象编号",
    "对象名称",
    "案号",
    "执法主体",
    "IP地址",
    "账本序号",
]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's sheet holds 1,048,576 rows; beyond this the export asks for a narrower filter or CSV.
XLSX_MAX_ROWS = 1_000_000
# Characters that make a spreadsheet treat a cell as a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _row(entry: AccessLogEntry) -> list:
    user = entry.user
    return [
        entry.at.astimezone(LOG_TIME_ZONE).strftime("%Y-%m-%d %H:%M:%S"),
        user.username if user else "",
        (user.display_name if user else "") or ("" if user else "命令行"),
        user.get_role_display() if user else "",
        entry.get_action_display(),
        entry.object_kind_label,
        entry.object_id,
        entry.object_label,
        entry.case.number if entry.case else "",
        entry.agency.name if entry.agency else "",
        entry.ip_address or "",
        entry.ledger_seq if entry.ledger_seq is not None else "",
    ]


def _text(value) -> str:
    text = str(value)
    # Labels come from users (file names, case titles): never let one run as a formula.
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Line:
    """A file-like target for csv.writer that hands back each written line."""

    def write(self, value: str) -> str:
        return value


def access_log_csv(entries: Iterable[AccessLogEntry]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, which Excel needs to read Chinese CSV correctly; streamed
    row by row so that a whole county's log never sits in memory."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode()
    yield writer.writerow(HEADER).encode()
    for entry in entries:
        yield writer.writerow([_text(v) for v in _row(entry)]).encode()


def access_log_xlsx(entries: Iterable[AccessLogEntry]) -> IO[bytes]:
    """An .xlsx in a temporary file (in memory up to 16 MB), positioned at 0."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("访问记录")
    for letter, width in zip("ABCDEFGHIJKL", (20, 14, 12, 14, 8, 10, 12, 36, 26, 24, 16, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for entry in entries:
        cells = []
        for value in _row(entry):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # openpyxl stores a string starting with "=" as a formula; keep it text.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    return out

"""The access log as CSV or Excel, for supervisors and outside auditors."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from sanxiang.access.models import AccessLogEntry
from sanxiang.access.selectors import LOG_TIME_ZONE
from sanxiang.tabular import csv_lines, xlsx_cell, xlsx_row

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


def _row(entry: AccessLogEntry) -> list:
    user = entry.user
    return [
        # Beijing time, to the second; a date-time cell in Excel, "YYYY-MM-DD HH:MM:SS" in CSV.
        entry.at.astimezone(LOG_TIME_ZONE).replace(tzinfo=None, microsecond=0),
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
        entry.ledger_seq,
    ]


def access_log_csv(entries: Iterable[AccessLogEntry]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, which Excel needs to read Chinese CSV correctly; streamed
    row by row so that a whole county's log never sits in memory. Labels come from users (file
    names, case titles): the shared writer keeps them from running as formulas."""
    return csv_lines((_row(entry) for entry in entries), header=HEADER)


def access_log_xlsx(entries: Iterable[AccessLogEntry]) -> IO[bytes]:
    """An .xlsx in a temporary file (in memory up to 16 MB), positioned at 0."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("访问记录")
    for letter, width in zip("ABCDEFGHIJKL", (20, 14, 12, 14, 8, 10, 12, 36, 26, 24, 16, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title in HEADER:
        cell = xlsx_cell(sheet, title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for entry in entries:
        sheet.append(xlsx_row(sheet, _row(entry)))
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    return out

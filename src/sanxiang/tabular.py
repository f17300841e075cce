"""The one writer of every spreadsheet and CSV file that Sanxiang exports (registry, access log,
双公示, supervision tables): every cell goes through here, so that text typed by anyone (an
officer's post, a party's name, a file name) can never run as a formula on the machine of the
person who opens the file (CSV/formula injection, OWASP), and no character in a record can break
an export for everybody.

- XLSX: text is always a string cell (openpyxl would store "=…" as a formula), marked with Excel's
  quote prefix when it starts like a formula, so that it stays text even when someone edits the
  cell. Numbers stay numbers and dates stay dates. The text itself is not changed, so what an
  export wrote, an import reads back.
- CSV: a text cell starting with =, +, -, @, tab or carriage return gets a leading apostrophe
  (OWASP's rule), as does one where such a character (or its full-width form) follows leading
  whitespace; Excel and WPS then show it as text. Numbers and dates are written as such.
- Control characters that an XLSX file cannot hold (openpyxl raises IllegalCharacterError) are
  replaced, in both formats, by U+FFFD “�”, visibly, instead of failing the whole export.

It also reads the rows of every XLSX import (`xlsx_rows`), bounded in width (`SheetTooWide`).

A leaf module: it imports nothing of Sanxiang and no Django, so every app can use it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What a character that a spreadsheet cannot hold becomes.
REPLACEMENT_CHARACTER = "\ufffd"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
BOOL_TEXT = {True: "是", False: "否"}
# UTF-8 with a byte-order mark: Excel reads a Chinese CSV correctly only so.
CSV_BOM = "\ufeff"

Number = int | float | Decimal


def text_clean(text: str) -> str:
    """`text` with the control characters that XLSX refuses (all below U+0020 except tab, line
    feed and carriage return) replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT_CHARACTER, text)


# Defence in depth (系统导出规则): spreadsheets differ in what they still read as a formula, so a cell
# is also neutralised when the formula character comes after leading whitespace (" =1+1",
# "\u3000=…"; some programs trim it on import) or is the full-width form that a Chinese input method
# types (＝ ＋ － ＠; some programs convert it on entry).
FORMULA_START_WIDE = (*FORMULA_START, "\uff1d", "\uff0b", "\uff0d", "\uff20")


def text_is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START_WIDE)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# CSV ----------------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """The text of one CSV cell: numbers and dates as they are, text cleaned and neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOL_TEXT[value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    if _is_number(value):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = text_clean(str(value))
    return "'" + text if text_is_formula_like(text) else text


def csv_row(values: Iterable[Any]) -> list[str]:
    return [csv_cell(value) for value in values]


class _Line:
    """A file-like target for csv.writer that hands back each written line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]], *, header: Sequence[Any] | None = None,
              lineterminator: str = "\r\n") -> Iterator[bytes]:
    """The file, streamed line by line (a county's whole log never sits in memory): UTF-8 with a
    byte-order mark, then `header` (if any) and `rows`."""
    writer = csv.writer(_Line(), lineterminator=lineterminator)
    yield CSV_BOM.encode()
    if header is not None:
        yield writer.writerow(csv_row(header)).encode()
    for row in rows:
        yield writer.writerow(csv_row(row)).encode()


def csv_bytes(rows: Iterable[Sequence[Any]], *, header: Sequence[Any] | None = None,
              lineterminator: str = "\r\n") -> bytes:
    return b"".join(csv_lines(rows, header=header, lineterminator=lineterminator))


# XLSX ---------------------------------------------------------------------------------------------


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any, *, number_format: str | None = None) -> WriteOnlyCell:
    """One cell of a write-only sheet. Text is a string cell whatever it starts with; numbers,
    dates and times keep their type; None is an empty cell. `number_format` (e.g. "@" for a text
    column) applies to any type; dates get yyyy-mm-dd (hh:mm:ss) when none is given."""
    if value is None or _is_number(value):
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=BOOL_TEXT[value])
        cell.data_type = "s"
    elif isinstance(value, dt.datetime):
        # Excel has no time zones: the caller passes the local time it means.
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    else:
        text = text_clean(str(value))
        cell = WriteOnlyCell(sheet, value=text)
        # openpyxl stores a string starting with "=" as a formula: never let it.
        cell.data_type = "s"
        if text_is_formula_like(text):
            # Excel's own "'" marker: the cell stays text even after someone edits it.
            cell.quotePrefix = True
    if number_format is not None:
        cell.number_format = number_format
    return cell


def xlsx_row(sheet: WriteOnlyWorksheet, values: Iterable[Any], *, number_format: str | None = None) -> list[WriteOnlyCell]:
    return [xlsx_cell(sheet, value, number_format=number_format) for value in values]


# --- reading an import sheet ----------------------------------------------------------------------

# PLATFORM_RULE: the columns an import sheet may have beyond its template's (the user's own notes).
# Reading is bounded by it: openpyxl builds every row as wide as its last cell, so one cell at
# column XFD in each of 2,000 rows of a 12 KB file would cost 250 MB.
XLSX_EXTRA_COLUMNS = 20


class SheetTooWide(ValueError):
    """A sheet has content beyond the columns an import reads; `message` says so in Chinese."""

    def __init__(self, *, limit: int, row: int) -> None:
        self.limit = limit
        self.row = row
        self.message = (f"表格超过{limit}列的上限：第{row}行第{limit + 1}列有内容。"
                        "请删除模板以外多余的列，或者下载模板，在模板中填写后再导入")
        super().__init__(self.message)


def xlsx_rows(worksheet: Any, *, columns: int) -> Iterator[tuple[Any, ...]]:
    """The values of each row of a read-only openpyxl worksheet, read no wider than the template's
    `columns` plus XLSX_EXTRA_COLUMNS (each row padded or cut to that width). A value in the column just
    past the limit raises SheetTooWide; cells farther out are never read, so a sheet costs at most
    its rows times that width, whatever its cells' columns."""
    limit = columns + XLSX_EXTRA_COLUMNS
    for number, values in enumerate(worksheet.iter_rows(max_col=limit + 1, values_only=True), start=1):
        if len(values) > limit:
            beyond = values[limit]
            if beyond is not None and not (isinstance(beyond, str) and not beyond.strip()):
                raise SheetTooWide(limit=limit, row=number)
        yield tuple(values[:limit])


# PLATFORM_RULE: how much text an import workbook's shared strings may unpack to. openpyxl reads the
# whole shared-strings part into memory before the first row, even read-only: a 130 KB file of
# 3,000,000 one-letter strings (51 MB unpacked) took 66 s and 180 MB. A template filled with
# 2,000 rows of long Chinese text stays far below this.
XLSX_STRINGS_MAX = 8 * 1024 * 1024


def xlsx_archive_problem(content: bytes, *, inflated_max: int) -> str | None:
    """Why an .xlsx must not be opened, in Chinese, or None: not a zip archive, or unpacking to more
    than `inflated_max` bytes in all or more than XLSX_STRINGS_MAX of shared strings (the sizes the
    archive declares, which zipfile, and so openpyxl, never reads beyond)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "无法读取：文件不是有效的 Excel 工作簿（.xlsx）。请下载模板，在模板中填写后再导入"
    inflated = sum(m.file_size for m in members)
    strings = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if inflated > inflated_max or strings > XLSX_STRINGS_MAX:
        return "文件解压后过大，请确认上传的是填写好的导入模板，或分成几个文件分别导入"
    return None

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

It also reads the rows of every XLSX import (`xlsx_rows`), bounded in width (`SheetTooWide`) and
length (`SheetTooLong`).

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


# PLATFORM_RULE: the rows an import sheet may number beyond its header and the import's row limit
# (blank lines left between the data). Reading is bounded by it: openpyxl yields one empty row for
# every row number a sheet leaves out, so a 7 KB file with one row renumbered 3,000,000 cost 21.7 s
# (linear in the number: r="2000000000" would be hours). Rows beyond it are read only as the sheet
# holds them, never filled in.
XLSX_EXTRA_ROWS = 1_000


class SheetTooLarge(ValueError):
    """A sheet has content beyond what an import reads; `message` says so in Chinese."""

    message: str


class SheetTooWide(SheetTooLarge):
    """A sheet has content beyond the columns an import reads."""

    def __init__(self, *, limit: int, row: int) -> None:
        self.limit = limit
        self.row = row
        self.message = (f"表格超过{limit}列的上限：第{row}行第{limit + 1}列有内容。"
                        "请删除模板以外多余的列，或者下载模板，在模板中填写后再导入")
        super().__init__(self.message)


class SheetTooLong(SheetTooLarge):
    """A sheet has content in a row beyond the last one an import reads (`last`)."""

    def __init__(self, *, rows: int, last: int, row: int) -> None:
        self.last = last
        self.row = row
        self.message = (f"表格超过{last}行的上限：第{row}行有内容（每个文件最多{rows}行数据）。"
                        "请删除多余的行，或者分成几个文件分别导入")
        super().__init__(self.message)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(worksheet: Any, *, width: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of each row that the XML of a read-only openpyxl worksheet holds, in
    order, `width` values each, without the empty rows that openpyxl's iter_rows makes up for every
    row number a sheet leaves out (their number is whatever the file says, so their cost too). The
    same parser iter_rows uses (openpyxl 3.1), with the same options."""
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = worksheet.parent
    with worksheet._get_source() as source:
        parser = WorkSheetParser(source, worksheet._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            values: list[Any] = [None] * width
            for cell in cells:
                column = cell["column"]
                if 1 <= column <= width:
                    values[column - 1] = cell["value"]
            yield number, tuple(values)


def xlsx_rows(worksheet: Any, *, columns: int, rows: int) -> Iterator[tuple[Any, ...]]:
    """The values of each row of a read-only openpyxl worksheet from row 1, read no wider than the
    template's `columns` plus XLSX_EXTRA_COLUMNS (each row padded or cut to that width) and no longer
    than its header, the import's `rows` and XLSX_EXTRA_ROWS. A value in the column just past the
    width limit raises SheetTooWide, a value in a row past the length limit SheetTooLong; cells
    farther out are never read, and rows past the limit cost only what the file holds of them, so a
    sheet costs at most its size plus its rows times that width, whatever its cells' coordinates."""
    limit = columns + XLSX_EXTRA_COLUMNS
    last = 1 + rows + XLSX_EXTRA_ROWS
    empty = (None,) * limit
    expected = 1
    for number, values in _sheet_rows(worksheet, width=limit + 1):
        if number < expected:
            continue  # a row number repeated or going back: openpyxl's iter_rows skips it too
        if number > last:
            if not all(_is_blank(value) for value in values):
                raise SheetTooLong(rows=rows, last=last, row=number)
            continue
        while expected < number:
            yield empty
            expected += 1
        if not _is_blank(values[limit]):
            raise SheetTooWide(limit=limit, row=number)
        yield values[:limit]
        expected += 1


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

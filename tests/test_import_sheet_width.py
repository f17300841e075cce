"""Issue 19 review, finding 2: every Excel import reads a sheet no wider than its template's columns
plus a small platform margin (`tabular.xlsx_rows`). A value in the column just past that is refused
with a clear Chinese message; cells farther out (the reviewer's file: one cell at column XFD in each
row, 12 KB on disk, 250 MB read) are never read, so the file costs what a template-wide one does."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from sanxiang.cases import permit_import
from sanxiang.evaluation.training_services import HEADERS, training_attendance_import, training_session_record
from sanxiang.inspection import register_excel
from sanxiang.registry import discretion_excel, excel
from sanxiang.tabular import XLSX_EXTRA_COLUMNS
from tests.evaluation.support import county_make

XFD = 16_384  # the last column Excel has


def widened(template: bytes | None, header: list[str], *, column: int, rows: int = 1) -> io.BytesIO:
    """The template (or a bare header) with `rows` data rows holding one value at `column`."""
    book = load_workbook(io.BytesIO(template)) if template else Workbook()
    sheet = book.worksheets[0]
    if not template:
        sheet.append(header)
    for row in range(2, rows + 2):
        sheet.cell(row=row, column=1, value="张三")
        sheet.cell(row=row, column=column, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def message_of_too_wide(limit: int) -> str:
    return f"表格超过{limit}列的上限：第2行第{limit + 1}列有内容"


@pytest.mark.django_db
def test_the_training_import_refuses_a_wider_sheet_and_reads_no_far_cell():
    county = county_make()
    session = training_session_record(actor=county.head, kind="three_systems", topic="三项制度培训",
                                      held_on=dt.date(2026, 3, 1), hours=Decimal("4"), today=dt.date(2026, 11, 20))
    limit = len(HEADERS) + XLSX_EXTRA_COLUMNS
    report = training_attendance_import(actor=county.head, session=session,
                                        file=widened(None, list(HEADERS), column=limit + 1))
    [error] = report.errors
    assert message_of_too_wide(limit) in error.message and not session.attendances.exists()
    far = widened(None, list(HEADERS), column=XFD, rows=300)
    assert len(far.getvalue()) < 40_000
    tracemalloc.start()
    try:
        training_attendance_import(actor=county.head, session=session, file=far)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Read as wide as its cells, 300 rows of 16,384 values would be 40 MB; bounded, a few hundred KB.
    assert peak < 8 * 1024 * 1024, peak
    assert not session.attendances.exists()


@pytest.mark.django_db
def test_the_registry_import_refuses_a_wider_sheet():
    sheet = excel.SHEETS["officers"]
    limit = len(sheet.columns) + XLSX_EXTRA_COLUMNS
    report = excel.registry_import(actor=None, kind="officers", file=widened(
        excel.registry_template_build(kind="officers"), [], column=limit + 1))
    assert any(message_of_too_wide(limit) in e.message for e in report.errors), report.errors


@pytest.mark.parametrize("template, columns, read", [
    (discretion_excel.discretion_template_build, discretion_excel.COLUMNS,
     lambda content: discretion_excel.xlsx_rows_read(content, columns=discretion_excel.COLUMNS,
                                                     sheet_title=discretion_excel.SHEET_TITLE, what="裁量基准")),
    (register_excel.targets_template_build, register_excel.COLUMNS,
     lambda content: register_excel.xlsx_rows_read(content, columns=register_excel.COLUMNS,
                                                   sheet_title=register_excel.SHEET_TITLE, what="检查对象")),
    (permit_import.permit_import_template_build, permit_import.COLUMNS,
     lambda content: permit_import.permit_import_file_read(content=content)),
], ids=["discretion", "inspection-register", "permit"])
def test_the_imports_sharing_the_row_reader_refuse_a_wider_sheet(template, columns, read):
    limit = len(columns) + XLSX_EXTRA_COLUMNS
    content = widened(template(), [], column=limit + 1).getvalue()
    try:
        outcome = read(content)
    except discretion_excel.SheetUnreadable as unreadable:
        message = unreadable.message
    else:
        _rows, errors = outcome if isinstance(outcome, tuple) else (outcome, [])
        message = " ".join(e.message for e in errors)
    assert message_of_too_wide(limit) in message


def strings_bomb(template: bytes) -> io.BytesIO:
    """The template with a shared-strings part of 600,000 one-letter strings: 10 MB unpacked, some
    tens of KB on disk (review r-2: openpyxl reads the whole part into memory before the first row)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(template))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            if not member.filename.lower().endswith("sharedstrings.xml"):
                target.writestr(member, source.read(member))
        target.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        + b"<si><t>a</t></si>" * 600_000 + b"</sst>")
    buffer.seek(0)
    return buffer


@pytest.mark.django_db
def test_every_import_refuses_a_workbook_whose_shared_strings_unpack_too_large_before_opening_it(monkeypatch):
    """A small file that unpacks to more shared strings than an import template can hold
    (tabular.XLSX_STRINGS_MAX) is refused with the same Chinese reason by every import, before
    openpyxl reads any of it."""
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    for module in (discretion_excel, excel, openpyxl):
        monkeypatch.setattr(module, "load_workbook", never, raising=False)
    from sanxiang.evaluation import training_services

    monkeypatch.setattr(training_services, "load_workbook", never)
    reason = "文件解压后过大"
    county = county_make()
    session = training_session_record(actor=county.head, kind="three_systems", topic="三项制度培训",
                                      held_on=dt.date(2026, 3, 1), hours=Decimal("4"), today=dt.date(2026, 11, 20))
    bomb = strings_bomb(widened(None, list(HEADERS), column=1).getvalue())
    assert len(bomb.getvalue()) < 200_000
    report = training_attendance_import(actor=county.head, session=session, file=bomb)
    assert any(reason in e.message for e in report.errors) and not session.attendances.exists()
    report = excel.registry_import(actor=None, kind="officers",
                                   file=strings_bomb(excel.registry_template_build(kind="officers")))
    assert any(reason in e.message for e in report.errors), report.errors
    for template, read in [
        (discretion_excel.discretion_template_build,
         lambda c: discretion_excel.xlsx_rows_read(c, columns=discretion_excel.COLUMNS,
                                                   sheet_title=discretion_excel.SHEET_TITLE, what="裁量基准")),
        (register_excel.targets_template_build,
         lambda c: register_excel.xlsx_rows_read(c, columns=register_excel.COLUMNS,
                                                 sheet_title=register_excel.SHEET_TITLE, what="检查对象")),
    ]:
        with pytest.raises(discretion_excel.SheetUnreadable) as refused:
            read(strings_bomb(template()).getvalue())
        assert reason in refused.value.message
    rows, errors = permit_import.permit_import_file_read(
        content=strings_bomb(permit_import.permit_import_template_build()).getvalue())
    assert rows == [] and any(reason in e.message for e in errors), errors


# --- review r1 F3: one row numbered far away (openpyxl yields an empty row for every number skipped) ---

def far_row(content: bytes, *, to: int, value: str | None = "张三") -> bytes:
    """A workbook whose first sheet holds, after its rows, one row numbered `to` (a single cell in
    column A holding `value`, or a styled empty cell when None): a few KB however far `to` is, and
    under every size check (xlsx_archive_problem). What a hand-edited or hostile file does."""
    import re
    import zipfile

    from sanxiang.tabular import xlsx_archive_problem

    source = zipfile.ZipFile(io.BytesIO(content))
    sheet = next(n for n in source.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    cell = (f'<c r="A{to}" t="inlineStr"><is><t>{value}</t></is></c>' if value is not None
            else f'<c r="A{to}" s="0"/>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == sheet:
                data = data.replace(b"</sheetData>", f'<row r="{to}">{cell}</row></sheetData>'.encode(), 1)
                assert f'r="{to}"'.encode() in data
            target.writestr(member, data)
    result = buffer.getvalue()
    assert len(result) < 40_000 and xlsx_archive_problem(result, inflated_max=50 * 1024 * 1024) is None
    return result


FAR = 3_000_000  # 21.7 s before the bound (review r1, linear in the number: 2,000,000,000 would be hours)


def _filled(template: bytes, header: list[str], value: str = "张三") -> bytes:
    return widened(template, header, column=1).getvalue()


def _training_read(content: bytes) -> str:
    county = county_make()
    session = training_session_record(actor=county.head, kind="three_systems", topic="三项制度培训",
                                      held_on=dt.date(2026, 3, 1), hours=Decimal("4"), today=dt.date(2026, 11, 20))
    report = training_attendance_import(actor=county.head, session=session, file=io.BytesIO(content))
    assert not session.attendances.exists()
    return " ".join(e.message for e in report.errors)


def _registry_read(content: bytes) -> str:
    report = excel.registry_import(actor=None, kind="officers", file=io.BytesIO(content))
    return " ".join(e.message for e in report.errors)


def _shared_read(read):
    def message(content: bytes) -> str:
        try:
            outcome = read(content)
        except discretion_excel.SheetUnreadable as unreadable:
            return unreadable.message
        _rows, errors = outcome if isinstance(outcome, tuple) else (outcome, [])
        return " ".join(e.message for e in errors)
    return message


IMPORTS = [
    (lambda: _filled(None, list(HEADERS)), _training_read, 2_000),
    (lambda: _filled(excel.registry_template_build(kind="officers"), []), _registry_read, excel.MAX_ROWS),
    (lambda: _filled(discretion_excel.discretion_template_build(), []),
     _shared_read(lambda c: discretion_excel.xlsx_rows_read(c, columns=discretion_excel.COLUMNS,
                                                            sheet_title=discretion_excel.SHEET_TITLE, what="裁量基准")),
     discretion_excel.MAX_ROWS),
    (lambda: _filled(register_excel.targets_template_build(), []),
     _shared_read(lambda c: register_excel.xlsx_rows_read(c, columns=register_excel.COLUMNS,
                                                          sheet_title=register_excel.SHEET_TITLE, what="检查对象",
                                                          max_rows=register_excel.MAX_ROWS)),
     register_excel.MAX_ROWS),
    (lambda: _filled(permit_import.permit_import_template_build(), []),
     _shared_read(lambda c: permit_import.permit_import_file_read(content=c)), permit_import.MAX_ROWS),
]
IMPORT_IDS = ["training", "registry", "discretion", "inspection-register", "permit"]


@pytest.mark.django_db
@pytest.mark.parametrize("build, read, rows", IMPORTS, ids=IMPORT_IDS)
def test_every_import_refuses_content_in_a_far_row_without_reading_the_rows_between(build, read, rows):
    import time

    from sanxiang.tabular import XLSX_EXTRA_ROWS

    last = 1 + rows + XLSX_EXTRA_ROWS
    content = far_row(build(), to=FAR)
    started = time.monotonic()
    message = read(content)
    elapsed = time.monotonic() - started
    assert f"表格超过{last}行的上限：第{FAR}行有内容（每个文件最多{rows}行数据）" in message, message
    assert elapsed < 2, f"{elapsed:.1f} s"
    # The limit is the last row read, not one row short of it.
    assert f"第{last}行有内容" not in read(far_row(build(), to=last))
    assert f"表格超过{last}行的上限：第{last + 1}行有内容" in read(far_row(build(), to=last + 1))


@pytest.mark.django_db
@pytest.mark.parametrize("build, read, rows", IMPORTS, ids=IMPORT_IDS)
def test_an_empty_far_row_is_skipped_quickly_and_the_rows_before_it_are_read(build, read, rows):
    """A styled but empty row far below the data (a format applied down the sheet) is no content:
    the file is read as without it, and as quickly."""
    import time

    content = far_row(build(), to=FAR, value=None)
    started = time.monotonic()
    message = read(content)
    elapsed = time.monotonic() - started
    assert elapsed < 2, f"{elapsed:.1f} s"
    assert "上限" not in message and message == read(build()), message

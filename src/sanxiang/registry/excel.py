"""Excel (.xlsx) templates, exports and all-or-nothing imports of the registry: agencies
(执法主体), officers (执法人员), certificates (执法证) and matters (执法事项).

An export is a filled-in template, so that a unit can export, correct and import back.

An import sends every row through the same service as the forms (same checks, same ledger
entries), all inside one transaction. If any row is wrong the transaction is rolled back and
the report names every bad row with its row number as Excel shows it, its column (the Chinese
header) and the reason: the unit fixes its spreadsheet once and imports it again, instead of
finding half of its staff imported and the other half not.

No HTTP here; `excel_views.py` is the thin page on top.
"""

import datetime as dt
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from enum import Enum
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, models, transaction
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sanxiang.ledger.services import entry_append
from sanxiang.procedure.citations import MATTER_LEGAL_BASIS_EXAMPLE
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry import events, selectors, services
from sanxiang.registry.legal_bases import legal_bases_parse
from sanxiang.registry.models import (
    Agency,
    AgencyKind,
    AgencyStatus,
    Certificate,
    CertificateStatus,
    Matter,
    MatterKind,
    Officer,
    OfficerStatus,
    StaffingType,
    legal_bases_format,
)
from sanxiang.registry.permissions import (
    Actor,
    permission_require,
    user_can_edit_agency,
    user_can_manage_staff,
    user_can_register_agencies,
    user_sees_full_officer_id_number,
)
from sanxiang.tabular import SheetTooLarge, xlsx_archive_problem, xlsx_cell, xlsx_rows

logger = logging.getLogger(__name__)

# Measured on SQLite: ~1.4 ms a row to create, ~2.2 ms to update (services and ledger included).
# The import holds the database write lock throughout, and other writers wait at most 20 s
# (settings `timeout`), so a file must stay well within that; 5,000 rows is far above a county's
# whole registry.
MAX_ROWS = 5_000
MAX_FILE_BYTES = 10 * 1024 * 1024
# A 10 MB xlsx can inflate to gigabytes (a "zip bomb"); real registry files stay far below this.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# Errors are all collected, but a page listing tens of thousands of them helps nobody.
MAX_ERRORS_SHOWN = 1000
# Data rows carrying the dropdowns of the template.
VALIDATION_LAST_ROW = MAX_ROWS + 1

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_SHEET_TITLE = "说明"
PERMISSION_BASIS = "系统权限规则"
IMPORT_BASIS = "导入模板规则"

# The file format is Chinese whatever language the user reads the site in: choice labels in
# cells and the messages of the report are produced under this language.
FILE_LANGUAGE = "zh-hans"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


# Column specifications -----------------------------------------------------------------------


class CellType(Enum):
    TEXT = "text"
    # Identifiers (身份证号, 统一社会信用代码): text, never numbers, because Excel keeps only 15
    # significant digits and silently turns the end of an 18-digit number into zeros.
    CODE = "code"
    CHOICE = "choice"
    BOOL = "bool"
    DATE = "date"
    LEGAL_BASES = "legal_bases"


BOOL_LABELS = {"是": True, "否": False}


@dataclass(frozen=True)
class Column:
    header: str
    # The service argument this column feeds ("agency" and the like name a looked-up object);
    # a violation about this argument is reported against this column.
    field: str
    cell: CellType = CellType.TEXT
    required: bool = False
    choices: type[models.TextChoices] | None = None
    note: str = ""
    width: int = 16
    # A blank optional cell normally means "not given": the model's default for a new record,
    # the stored value for an existing one. For these columns blank means "none".
    blank_is_none: bool = False
    # Credit codes and ID numbers are upper-cased as the services store them; other codes
    # (事项编码, 执法证号) are kept exactly as the unit writes them.
    uppercase: bool = False
    # A column added to the template after files were made from it: a file without the column
    # still imports, and its records keep what is stored there.
    added_later: bool = False

    def labels(self) -> dict[str, Any]:
        """Cell text -> stored value."""
        if self.cell is CellType.BOOL:
            return BOOL_LABELS
        if self.choices is not None:
            return {str(label): value for value, label in self.choices.choices}
        return {}

    def label_of(self, value: Any) -> str:
        for label, stored in self.labels().items():
            if stored == value:
                return label
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Sheet:
    kind: str
    title: str
    key: str  # field of the natural key that says whether a row creates or updates
    columns: tuple[Column, ...]

    def column(self, field_name: str | None) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    @property
    def key_column(self) -> Column:
        column = self.column(self.key)
        assert column is not None
        return column


def _code(header: str, field_name: str, note: str, *, uppercase: bool = True) -> Column:
    return Column(header, field_name, CellType.CODE, required=True, note=note, width=24, uppercase=uppercase)


AGENCY_CODE_NOTE = "18位统一社会信用代码，按文本填写"
ID_NUMBER_NOTE = "18位公民身份号码，按文本填写（末位X大小写均可）；不能填写脱敏号码"

SHEETS: dict[str, Sheet] = {
    sheet.kind: sheet
    for sheet in (
        Sheet(
            "agencies",
            "执法主体",
            "credit_code",
            (
                Column("名称", "name", required=True, note="执法主体全称", width=30),
                _code("统一社会信用代码", "credit_code", AGENCY_CODE_NOTE + "；系统按此代码识别同一主体"),
                Column("主体类别", "kind", CellType.CHOICE, required=True, choices=AgencyKind, width=18),
                Column(
                    "委托机关统一社会信用代码",
                    "entrusting_agency",
                    CellType.CODE,
                    note="仅受委托组织填写，填委托它的行政机关的统一社会信用代码；该机关须已登记或在本文件中排在前面",
                    width=24,
                    blank_is_none=True,
                    uppercase=True,
                ),
                Column("行政区划代码", "region_code", CellType.CODE, required=True, note="6位行政区划代码", width=12),
                Column("所属人民政府", "parent_government", required=True, width=20),
                Column("职权依据", "legal_basis", note="设定其执法职权的法律、法规、规章", width=30),
                Column("执法领域", "enforcement_fields", note="多个领域用顿号“、”分隔", width=20),
                Column("联系电话", "contact_phone", CellType.CODE, width=16),
                Column("办公地址", "address", width=30),
                Column("状态", "status", CellType.CHOICE, choices=AgencyStatus, note="留空时新登记的主体为“正常”", width=10),
            ),
        ),
        Sheet(
            "officers",
            "执法人员",
            "id_number",
            (
                _code("执法主体统一社会信用代码", "agency", "所在执法主体的统一社会信用代码；单位管理员只能填写本单位"),
                Column("姓名", "name", required=True, width=10),
                Column("职务岗位", "post", width=16),
                Column(
                    "内设机构",
                    "department",
                    note="如：执法一中队、法制股；选择承办人员时据此区分同名人员",
                    width=16,
                    added_later=True,
                ),
                _code("公民身份号码", "id_number", ID_NUMBER_NOTE + "；系统按此号码识别同一人员"),
                Column("人员身份", "staffing_type", CellType.CHOICE, required=True, choices=StaffingType, width=14),
                Column("法律职业资格", "has_legal_qualification", CellType.BOOL, note="是否具有法律职业资格：是/否", width=12),
                Column("法制审核人员", "is_legal_reviewer", CellType.BOOL, note="是否为法制审核人员：是/否", width=12),
                Column("状态", "status", CellType.CHOICE, choices=OfficerStatus, note="留空时新登记的人员为“在岗”", width=10),
            ),
        ),
        Sheet(
            "certificates",
            "执法证",
            "number",
            (
                _code("持证人公民身份号码", "officer", "持证人须已登记为执法人员（先导入执法人员）"),
                _code("执法证号", "number", "系统按执法证号识别同一证件", uppercase=False),
                Column("发证机关", "issuing_authority", required=True, width=20),
                Column("执法领域", "enforcement_fields", required=True, note="多个领域用顿号“、”分隔", width=20),
                Column("执法区域", "enforcement_areas", note="多个区域用顿号“、”分隔", width=16),
                Column("有效期自", "valid_from", CellType.DATE, required=True, note="日期，或按2025-01-31格式填写", width=12),
                Column("有效期至", "valid_to", CellType.DATE, required=True, note="日期，或按2025-01-31格式填写", width=12),
                Column("证件状态", "status", CellType.CHOICE, choices=CertificateStatus, note="留空时新登记的证件为“有效”", width=10),
                Column("变更理由", "reason", note="把已登记的证件改为暂扣或注销时必须填写；不保存在证件信息中，记入变更记录", width=24),
            ),
        ),
        Sheet(
            "matters",
            "执法事项",
            "code",
            (
                _code("实施主体统一社会信用代码", "agency", "实施该事项的执法主体；单位管理员只能填写本单位"),
                _code("事项编码", "code", "权责清单中的事项编码；系统按此编码识别同一事项", uppercase=False),
                Column("事项名称", "name", required=True, width=30),
                Column("事项类别", "kind", CellType.CHOICE, required=True, choices=MatterKind, width=12),
                Column("执法领域", "enforcement_field", width=14),
                Column(
                    "法律依据",
                    "legal_bases",
                    CellType.LEGAL_BASES,
                    required=True,
                    note=f"用书名号写明法律法规名称及条款，多条用分号“；”分隔，如：{MATTER_LEGAL_BASIS_EXAMPLE}",
                    width=40,
                ),
                Column("裁量基准", "discretion_standard", width=30),
                Column("是否有效", "is_active", CellType.BOOL, note="是/否；留空时新事项为“是”", width=10),
            ),
        ),
    )
}


def _sheet_get(kind: str) -> Sheet:
    try:
        return SHEETS[kind]
    except KeyError:
        raise ValueError(f"unknown registry kind: {kind!r}") from None


# Who may do what --------------------------------------------------------------------------------


def registry_excel_allowed(*, user: Actor) -> bool:
    """Bulk work on the registry belongs to those who maintain it: the judicial bureau (its
    agencies), agency administrators (their own staff and matters) and system administrators."""
    return user.is_authenticated and (
        user_can_register_agencies(user) or user_can_manage_staff(user, user.agency_id)
    )


def registry_import_kinds(*, user: Actor) -> list[str]:
    if not user.is_authenticated:
        return []
    kinds = ["agencies"] if user_can_register_agencies(user) else []
    if user_can_manage_staff(user, user.agency_id):
        kinds += ["officers", "certificates", "matters"]
    return kinds


# Writing workbooks ------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="EEF2F6")
REQUIRED_FONT = Font(bold=True, color="B3261E")
OPTIONAL_FONT = Font(bold=True)
NUMBER_FORMATS = {CellType.CODE: "@", CellType.TEXT: "@", CellType.DATE: "yyyy-mm-dd"}


def _choice_validation(column: Column, letter: str) -> DataValidation:
    labels = ",".join(column.labels())
    validation = DataValidation(
        type="list",
        formula1=f'"{labels}"',
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle="请从下拉列表中选择",
        error=f"“{column.header}”只能填写：{labels.replace(',', '、')}",
    )
    validation.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
    return validation


def _notes_rows(sheet: Sheet) -> list[list[str]]:
    key = sheet.key_column.header
    general = [
        f"1. 请在“{sheet.title}”工作表中逐行填写，一行一条记录。第1行是表头，不要修改、删除或调换表头。",
        "2. 整个文件中只要有一行有错误，就不会导入任何数据。导入报告会列出每个错误所在的行号、列名和原因，改正后重新导入整个文件即可。",
        f"3. 系统按“{key}”识别同一条记录：系统中还没有的新增，已有的按本文件更新。同一个文件重复导入不会产生重复数据。",
        "4. 红色表头的列必须填写。选填列留空时：新增的记录取默认值，已有的记录保持原值不变。",
        "5. 身份证号、统一社会信用代码等代码请按文本填写（模板已把这些列设为文本格式），否则 Excel 会把长数字改成科学计数法并丢失末几位。",
        "6. 日期可以直接填日期，也可以按“2025-01-31”的格式填写文字。",
        f"7. 每个文件最多{MAX_ROWS}行数据、{MAX_FILE_BYTES // (1024 * 1024)}MB。",
    ]
    rows = [[f"“{sheet.title}”导入说明"], *([line] for line in general), [], ["列名", "是否必填", "填写说明", "可选值"]]
    for column in sheet.columns:
        rows.append([column.header, "必填" if column.required else "选填", column.note, "、".join(column.labels())])
    return rows


def _cell_value(column: Column, value: Any) -> Any:
    if column.cell in (CellType.CHOICE, CellType.BOOL):
        return column.label_of(value)
    return value


def _workbook_build(sheet: Sheet, rows: Iterable[Sequence[Any]]) -> bytes:
    """The template, filled with `rows` (stored values, in column order). Write-only mode
    streams the rows, so an export of a whole county stays small in memory."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(sheet.title)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = column.width
        # Column styles make Excel keep what the user types there as text (or date) too.
        if column.cell in NUMBER_FORMATS:
            data.column_dimensions[letter].number_format = NUMBER_FORMATS[column.cell]
        if column.labels():
            data.data_validations.append(_choice_validation(column, letter))
    data.freeze_panes = "A2"

    header = []
    for column in sheet.columns:
        cell = xlsx_cell(data, column.header)
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        note = column.note or ("可选：" + "、".join(column.labels()) if column.labels() else "")
        if note:
            cell.comment = Comment(f"{'必填' if column.required else '选填'}。{note}", "Sanxiang")
        header.append(cell)
    data.append(header)

    for values in rows:
        cells = []
        for column, value in zip(sheet.columns, values, strict=True):
            # The shared writer: text (an officer's post “=HYPERLINK(…)”) is a string cell, never a
            # formula, and reads back unchanged on import; dates stay dates.
            cells.append(xlsx_cell(data, _cell_value(column, value), number_format=NUMBER_FORMATS.get(column.cell)))
        data.append(cells)

    notes = workbook.create_sheet(NOTES_SHEET_TITLE)
    for width, letter in zip((22, 10, 70, 40), "ABCD", strict=True):
        notes.column_dimensions[letter].width = width
    for line in _notes_rows(sheet):
        cells = []
        for text in line:
            cell = xlsx_cell(notes, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        notes.append(cells)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registry_template_build(*, kind: str) -> bytes:
    sheet = _sheet_get(kind)
    with translation.override(FILE_LANGUAGE):
        return _workbook_build(sheet, [])


def _agency_rows(viewer: Actor) -> Iterator[list[Any]]:
    for agency in selectors.agency_list(viewer=viewer).order_by("credit_code"):
        entrusting = agency.entrusting_agency
        yield [
            agency.name,
            agency.credit_code,
            agency.kind,
            entrusting.credit_code if entrusting else "",
            agency.region_code,
            agency.parent_government,
            agency.legal_basis,
            agency.enforcement_fields,
            agency.contact_phone,
            agency.address,
            agency.status,
        ]


def _officer_id_number(viewer: Actor, officer: Officer) -> str:
    # Masked numbers cannot be imported back; only those who may see them in full get them.
    if user_sees_full_officer_id_number(viewer, officer.agency_id):
        return officer.id_number
    return officer.id_number_masked


def _officer_rows(viewer: Actor) -> Iterator[list[Any]]:
    for officer in selectors.officer_list(viewer=viewer).order_by("agency__credit_code", "id_number"):
        yield [
            officer.agency.credit_code,
            officer.name,
            officer.post,
            officer.department,
            _officer_id_number(viewer, officer),
            officer.staffing_type,
            officer.has_legal_qualification,
            officer.is_legal_reviewer,
            officer.status,
        ]


def _certificate_rows(viewer: Actor) -> Iterator[list[Any]]:
    for officer in selectors.officer_list(viewer=viewer).order_by("agency__credit_code", "id_number"):
        for certificate in sorted(officer.certificates.all(), key=lambda c: c.number):
            yield [
                _officer_id_number(viewer, officer),
                certificate.number,
                certificate.issuing_authority,
                certificate.enforcement_fields,
                certificate.enforcement_areas,
                certificate.valid_from,
                certificate.valid_to,
                certificate.status,
                "",
            ]


def _matter_rows(viewer: Actor) -> Iterator[list[Any]]:
    for matter in selectors.matter_list(viewer=viewer).order_by("agency__credit_code", "code"):
        yield [
            matter.agency.credit_code,
            matter.code,
            matter.name,
            matter.kind,
            matter.enforcement_field,
            legal_bases_format(matter.legal_bases),
            matter.discretion_standard,
            matter.is_active,
        ]


EXPORT_ROWS: dict[str, Callable[[Actor], Iterator[list[Any]]]] = {
    "agencies": _agency_rows,
    "officers": _officer_rows,
    "certificates": _certificate_rows,
    "matters": _matter_rows,
}


def registry_export_build(*, viewer: Actor, kind: str) -> bytes:
    """What `viewer` may read of `kind`, laid out as the import template."""
    sheet = _sheet_get(kind)
    with translation.override(FILE_LANGUAGE):
        return _workbook_build(sheet, EXPORT_ROWS[kind](viewer))


# Reading workbooks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None  # as Excel numbers it; None when the whole file is refused
    column: str  # Chinese header; "" when the reason concerns the whole row or file
    message: str
    legal_basis: str = ""


@dataclass
class ImportReport:
    kind: str
    rows: int = 0  # data rows read (blank rows are skipped)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def title(self) -> str:
        return SHEETS[self.kind].title

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row is not None})

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:MAX_ERRORS_SHOWN]


class _FileRejected(Exception):
    """The file as a whole cannot be read as this kind's template."""


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, Any]  # field -> parsed value; optional blank cells are absent
    failed: frozenset[str] = frozenset()  # fields whose cell could not be read (already reported)


def _upload_read(file: IO[bytes]) -> bytes:
    size = getattr(file, "size", None)
    if size is None or size <= MAX_FILE_BYTES:
        content = file.read(MAX_FILE_BYTES + 1)
        size = len(content)
    if size > MAX_FILE_BYTES:
        raise _FileRejected(
            f"文件大小超过{MAX_FILE_BYTES // (1024 * 1024)}MB的上限，请分成几个文件分别导入"
        )
    if not content:
        raise _FileRejected("上传的文件是空的")
    return content


def _archive_check(content: bytes) -> None:
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileRejected(
            "这是旧版 Excel（.xls）文件或加了密码的 Excel 文件。请在 Excel 中“另存为”Excel 工作簿（.xlsx）、不设密码后再导入"
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise _FileRejected("无法读取：文件不是 Excel 工作簿（.xlsx）。请下载模板，在模板中填写后再导入")
    problem = xlsx_archive_problem(content, inflated_max=MAX_UNCOMPRESSED_BYTES)
    if problem:
        raise _FileRejected(problem)


def _header_text(value: Any) -> str:
    # A trailing "*" marks required columns in many hand-made templates; tolerate it.
    return re.sub(r"\s+", "", str(value)).rstrip("*＊") if value is not None else ""


def _header_check(sheet: Sheet, header: Sequence[Any]) -> list[tuple[int, Column]]:
    """Where each column of the template is in the file."""
    names = [_header_text(v) for v in header]
    known = {c.header: c for c in sheet.columns}
    positions: list[tuple[int, Column]] = []
    unknown, duplicated, seen = [], [], set()
    for index, name in enumerate(names):
        if not name:
            continue
        if name in seen:
            duplicated.append(name)
        elif name in known:
            positions.append((index, known[name]))
        else:
            unknown.append(name)
        seen.add(name)
    missing = [c.header for c in sheet.columns if c.header not in seen and not c.added_later]
    if not (unknown or duplicated or missing):
        return positions
    present = set(names) - {""}
    for other in SHEETS.values():
        headers = {c.header for c in other.columns}
        if other.kind != sheet.kind and present in (headers, headers - {c.header for c in other.columns if c.added_later}):
            raise _FileRejected(
                f"这是“{other.title}”的导入文件，不是“{sheet.title}”的。请在导入类型中选择“{other.title}”后重新导入"
            )
    if not present:
        raise _FileRejected(f"第1行没有表头。请下载“{sheet.title}”导入模板，在模板中填写后再导入")
    problems = []
    if missing:
        problems.append("缺少列" + "、".join(f"“{h}”" for h in missing))
    if unknown:
        problems.append("有模板中没有的列" + "、".join(f"“{h}”" for h in unknown))
    if duplicated:
        problems.append("重复的列" + "、".join(f"“{h}”" for h in duplicated))
    raise _FileRejected(
        f"第1行表头与“{sheet.title}”导入模板不符：{'；'.join(problems)}。请下载模板，不要修改表头，在模板中填写后再导入"
    )


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _worksheet_rows(sheet: Sheet, content: bytes) -> Iterator[tuple[Any, ...]]:
    # Read-only mode streams the sheet's XML instead of building every cell in memory.
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet.title] if sheet.title in workbook.sheetnames else workbook.worksheets[0]
        # Some programs write a wrong <dimension>; without it rows and columns are read as they are.
        worksheet.reset_dimensions()
        yield from xlsx_rows(worksheet, columns=len(sheet.columns), rows=MAX_ROWS)
    finally:
        workbook.close()


def _rows_read(sheet: Sheet, content: bytes) -> tuple[list[tuple[int, Column]], list[tuple[int, tuple[Any, ...]]]]:
    """The header's column positions and the non-blank data rows, each with its Excel row number."""
    positions: list[tuple[int, Column]] | None = None
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        # closing(): stopping early (row limit, bad header) must not leave the archive open.
        with closing(_worksheet_rows(sheet, content)) as worksheet_rows:
            for number, values in enumerate(worksheet_rows, start=1):
                if positions is None:
                    positions = _header_check(sheet, values)
                    continue
                if all(_is_blank(v) for v in values):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise _FileRejected(f"文件的数据超过{MAX_ROWS}行的上限，请分成几个文件分别导入")
                rows.append((number, tuple(values)))
    except _FileRejected:
        raise
    except SheetTooLarge as wide:
        raise _FileRejected(wide.message) from None
    except Exception as error:
        # openpyxl reports a malformed workbook with many exception types (KeyError,
        # ValueError, XML parse errors...); for the user they all mean one thing.
        logger.info("unreadable registry import file: %r", error)
        raise _FileRejected("无法读取：文件已损坏，或不是有效的 Excel 工作簿（.xlsx）") from error
    if positions is None:
        raise _FileRejected(f"文件是空的。请下载“{sheet.title}”导入模板，在模板中填写后再导入")
    return positions, rows


# Parsing cells ----------------------------------------------------------------------------------


class _CellRefused(Exception):
    pass


DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Excel stores at most 15 significant digits exactly.
EXCEL_EXACT_DIGITS = 10**15


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_parse(column: Column, value: Any) -> str:
    if isinstance(value, bool):
        raise _CellRefused(f"“{column.header}”应填写文字，当前为逻辑值")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise _CellRefused(f"“{column.header}”应填写文字，但单元格被 Excel 识别成了日期或时间；请把该列设为文本格式后重新填写")
    if isinstance(value, float) and column.cell is CellType.CODE and abs(value) >= EXCEL_EXACT_DIGITS:
        raise _CellRefused(
            f"“{column.header}”被 Excel 存成了数字，末几位已经丢失（当前为“{_number_text(value)}”）；"
            "请把该列设为文本格式后重新填写"
        )
    if isinstance(value, int | float):
        return _number_text(value)
    text = str(value).strip()
    return text.upper() if column.uppercase else text


def _date_parse(column: Column, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _number_text(value) if isinstance(value, int | float) else str(value).strip()
    match = DATE_TEXT.match(text)
    if not match:
        raise _CellRefused(f"“{column.header}”应为日期，如2025-01-31，当前为“{text}”")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _CellRefused(f"“{column.header}”的“{text}”不是有效的日期") from None


def _cell_parse(column: Column, value: Any) -> Any:
    if column.cell is CellType.DATE:
        return _date_parse(column, value)
    if column.cell is CellType.BOOL and isinstance(value, bool):
        return value
    text = _text_parse(column, value)
    if column.cell in (CellType.CHOICE, CellType.BOOL):
        labels = column.labels()
        if text not in labels:
            allowed = "、".join(f"“{label}”" for label in labels)
            raise _CellRefused(f"“{column.header}”不能填写“{text}”，只能填写{allowed}")
        return labels[text]
    if column.cell is CellType.LEGAL_BASES:
        bases = legal_bases_parse(text)
        if not bases:
            raise _CellRefused(
                f"未能从“{text[:40]}”中识别出法律依据：请用书名号写明法律法规名称及条款，如{MATTER_LEGAL_BASIS_EXAMPLE}"
            )
        return bases
    if column.field in ("id_number", "officer") and "*" in text:
        raise _CellRefused(f"“{column.header}”是脱敏后的号码（含*），不能用于导入，请填写完整号码")
    return text


def _row_parse(
    sheet: Sheet, positions: list[tuple[int, Column]], number: int, values: tuple[Any, ...]
) -> tuple[_Row, list[RowError]]:
    parsed: dict[str, Any] = {}
    errors, failed = [], set()
    for index, column in positions:
        value = values[index] if index < len(values) else None
        if _is_blank(value):
            if column.required:
                errors.append(RowError(number, column.header, f"“{column.header}”必须填写", IMPORT_BASIS))
                failed.add(column.field)
            elif column.blank_is_none:
                parsed[column.field] = None
            continue
        try:
            parsed[column.field] = _cell_parse(column, value)
        except _CellRefused as refusal:
            errors.append(RowError(number, column.header, str(refusal), IMPORT_BASIS))
            failed.add(column.field)
    used = {index for index, _ in positions}
    for index, value in enumerate(values):
        if index not in used and not _is_blank(value):
            letter = get_column_letter(index + 1)
            errors.append(
                RowError(number, f"{letter}列", f"第{letter}列没有表头，但填写了内容“{str(value)[:20]}”", IMPORT_BASIS)
            )
    return _Row(number, parsed, frozenset(failed)), errors


# Saving rows ------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What rows refer to, looked up once for the whole file and kept current as rows are saved."""

    actor: Actor | None
    agencies: dict[str, Agency] = field(default_factory=dict)  # by credit code
    officers: dict[str, Officer] = field(default_factory=dict)  # by ID number
    certificates: dict[str, Certificate] = field(default_factory=dict)  # by number
    matters: dict[str, Matter] = field(default_factory=dict)  # by code


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    values = sorted(set(values))
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _context_load(actor: Actor | None, rows: list[_Row]) -> _Context:
    context = _Context(actor)
    # A county has tens of agencies: all of them are cheaper than working out which are named.
    context.agencies = {a.credit_code: a for a in Agency.objects.all()}

    def keys(name: str) -> list[str]:
        return [row.values[name] for row in rows if row.values.get(name)]

    for chunk in _chunks(keys("id_number") + keys("officer")):
        for officer in Officer.objects.filter(id_number__in=chunk):
            context.officers[officer.id_number] = officer
    for chunk in _chunks(keys("number")):
        for certificate in Certificate.objects.select_related("officer").filter(number__in=chunk):
            context.certificates[certificate.number] = certificate
    for chunk in _chunks(keys("code")):
        for matter in Matter.objects.filter(code__in=chunk):
            context.matters[matter.code] = matter
    return context


def _refusal(field_name: str, message: str, basis: str = PERMISSION_BASIS) -> Refused:
    return Refused([Violation("import.refused", message, basis, field_name)])


def _changes(instance: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for name, value in fields.items():
        if instance._meta.get_field(name).is_relation:
            current, value_id = getattr(instance, f"{name}_id"), value.pk if value is not None else None
            if current != value_id:
                changed[name] = value
        elif getattr(instance, name) != value:
            changed[name] = value
    return changed


def _managed_agency(context: _Context, code: str, field_name: str, what: str) -> Agency:
    agency = context.agencies.get(code)
    if agency is None or (context.actor is not None and not user_can_manage_staff(context.actor, agency.pk)):
        # Whether another unit's code exists is not this user's business: one message for both.
        raise _refusal(field_name, f"“{code}”不是您可以维护{what}的执法主体：该代码未登记，或不是本单位的统一社会信用代码")
    return agency


def _agency_save(context: _Context, values: dict[str, Any]) -> str:
    actor, fields = context.actor, dict(values)
    if "entrusting_agency" in fields:
        entrusting_code = fields["entrusting_agency"]
        fields["entrusting_agency"] = None
        if entrusting_code:
            entrusting = context.agencies.get(entrusting_code)
            if entrusting is None:
                raise _refusal(
                    "entrusting_agency",
                    f"委托机关“{entrusting_code}”尚未登记（如在本文件中一并登记，请把它排在本行之前）",
                    IMPORT_BASIS,
                )
            fields["entrusting_agency"] = entrusting
    existing = context.agencies.get(fields["credit_code"])
    if existing is None:
        if actor is not None and not user_can_register_agencies(actor):
            raise _refusal("credit_code", "只有司法局监督人员或系统管理员可以登记执法主体")
        agency = services.agency_create(actor=actor, **fields)
        context.agencies[agency.credit_code] = agency
        return CREATED
    if actor is not None and not user_can_edit_agency(actor, existing.pk):
        raise _refusal("credit_code", "您不能修改这个执法主体")
    changed = _changes(existing, fields)
    if not changed:
        return UNCHANGED
    context.agencies[existing.credit_code] = services.agency_update(actor=actor, agency=existing, **changed)
    return UPDATED


def _officer_save(context: _Context, values: dict[str, Any]) -> str:
    fields = dict(values)
    agency = _managed_agency(context, fields.pop("agency"), "agency", "执法人员")
    existing = context.officers.get(fields["id_number"])
    if existing is None:
        officer = services.officer_create(actor=context.actor, agency=agency, **fields)
        context.officers[officer.id_number] = officer
        return CREATED
    if existing.agency_id != agency.pk:
        raise _refusal(
            "id_number",
            "该公民身份号码已登记为其他执法主体的执法人员；人员调动请由原单位办理，不能通过导入变更所属单位",
        )
    changed = _changes(existing, fields)
    if not changed:
        return UNCHANGED
    context.officers[existing.id_number] = services.officer_update(actor=context.actor, officer=existing, **changed)
    return UPDATED


def _certificate_save(context: _Context, values: dict[str, Any]) -> str:
    actor, fields = context.actor, dict(values)
    holder_id = fields.pop("officer")
    reason = fields.pop("reason", "")
    holder = context.officers.get(holder_id)
    if holder is None or (actor is not None and not user_can_manage_staff(actor, holder.agency_id)):
        raise _refusal("officer", "未找到持证人：该公民身份号码没有登记为您单位的执法人员（请先导入执法人员）")
    existing = context.certificates.get(fields["number"])
    if existing is None:
        certificate = services.certificate_create(actor=actor, officer=holder, **fields)
        context.certificates[certificate.number] = certificate
        return CREATED
    if existing.officer_id != holder.pk:
        raise _refusal("number", "该执法证号已登记给其他执法人员，不能改为本行的持证人")
    changed = _changes(existing, fields)
    if not changed:
        return UNCHANGED
    context.certificates[existing.number] = services.certificate_update(
        actor=actor, certificate=existing, reason=reason, **changed
    )
    return UPDATED


def _matter_save(context: _Context, values: dict[str, Any]) -> str:
    fields = dict(values)
    agency = _managed_agency(context, fields.pop("agency"), "agency", "执法事项")
    existing = context.matters.get(fields["code"])
    if existing is None:
        matter = services.matter_create(actor=context.actor, agency=agency, **fields)
        context.matters[matter.code] = matter
        return CREATED
    if existing.agency_id != agency.pk:
        raise _refusal("code", "该事项编码已被其他执法主体使用，同一编码不能属于两个主体")
    changed = _changes(existing, fields)
    if not changed:
        return UNCHANGED
    context.matters[existing.code] = services.matter_update(actor=context.actor, matter=existing, **changed)
    return UPDATED


# The record a row is about: without it readable, a row cannot be checked any further.
LOOKUP_FIELDS = {"agencies": {"credit_code"}, "officers": {"agency", "id_number"},
                 "certificates": {"officer", "number"}, "matters": {"agency", "code"}}

SAVERS: dict[str, Callable[[_Context, dict[str, Any]], str]] = {
    "agencies": _agency_save,
    "officers": _officer_save,
    "certificates": _certificate_save,
    "matters": _matter_save,
}


def _violation_errors(sheet: Sheet, number: int, violations: list[Violation]) -> list[RowError]:
    errors = []
    for violation in violations:
        column = sheet.column(violation.field)
        errors.append(RowError(number, column.header if column else "", violation.message, violation.legal_basis))
    return errors


def _duplicate_errors(sheet: Sheet, rows: list[_Row]) -> list[RowError]:
    """The same record twice in one file: the later row would silently overwrite the earlier."""
    key = sheet.key_column
    first_seen: dict[str, int] = {}
    errors = []
    for row in rows:
        value = row.values.get(key.field)
        if not value:
            continue
        if value in first_seen:
            errors.append(
                RowError(row.number, key.header, f"与第{first_seen[value]}行的{key.header}“{value}”重复", IMPORT_BASIS)
            )
        else:
            first_seen[value] = row.number
    return errors


def _error_order(sheet: Sheet) -> Callable[[RowError], tuple[int, int]]:
    order = {c.header: i for i, c in enumerate(sheet.columns)}
    return lambda e: (e.row or 0, order.get(e.column, len(order)))


def registry_import(*, actor: Actor | None, kind: str, file: IO[bytes]) -> ImportReport:
    """Import a filled-in template of `kind`: all rows, or none if any row is wrong.

    `actor` None is the system itself (demo data, management commands)."""
    sheet = _sheet_get(kind)
    if actor is not None:
        permission_require(kind in registry_import_kinds(user=actor), f"您没有权限导入{sheet.title}")
    report = ImportReport(kind=kind)
    with translation.override(FILE_LANGUAGE):
        try:
            content = _upload_read(file)
            _archive_check(content)
            positions, raw_rows = _rows_read(sheet, content)
        except _FileRejected as rejection:
            report.errors.append(RowError(None, "", str(rejection), IMPORT_BASIS))
            return report

        report.rows = len(raw_rows)
        if not raw_rows:
            report.errors.append(RowError(None, "", f"文件中没有数据行：请从第2行起填写{sheet.title}", IMPORT_BASIS))
            return report
        rows, errors = [], []
        for number, values in raw_rows:
            row, row_errors = _row_parse(sheet, positions, number, values)
            errors += row_errors
            if not row.failed & LOOKUP_FIELDS[kind]:
                rows.append(row)
        duplicates = _duplicate_errors(sheet, rows)
        errors += duplicates
        rows = [row for row in rows if row.number not in {e.row for e in duplicates}]

        outcomes = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        with transaction.atomic():
            context = _context_load(actor, rows)
            save = SAVERS[kind]
            for row in rows:
                # A row with an unreadable cell still goes through the service with the cells
                # that were read, so that one round of corrections fixes all of its problems;
                # what the service says about the unreadable cells was already reported.
                try:
                    outcome = save(context, row.values)
                except Refused as refusal:
                    violations = [v for v in refusal.violations if v.field not in row.failed]
                    errors += _violation_errors(sheet, row.number, violations)
                except PermissionDenied as denial:
                    errors.append(RowError(row.number, "", str(denial) or "您没有权限修改这一行的数据", PERMISSION_BASIS))
                except DatabaseError as error:
                    # Each service runs in its own savepoint, so the import can go on and
                    # report this row like any other.
                    logger.warning("registry import row %s failed: %r", row.number, error)
                    errors.append(RowError(row.number, "", "数据库拒绝保存这一行，请检查是否与已有数据冲突", IMPORT_BASIS))
                else:
                    outcomes[outcome] += 1
            if errors:
                # All or nothing: rows already saved in this transaction are undone too.
                transaction.set_rollback(True)
            elif outcomes[CREATED] or outcomes[UPDATED]:
                digest = hashlib.sha256(content).hexdigest()
                entry_append(
                    event=events.registry_imported_event(
                        agency_id=actor.agency_id if actor is not None else None,
                        file_sha256=digest,
                        file_size=len(content),
                        kind=kind,
                        counts=outcomes,
                    ),
                    actor=actor,
                )

    if errors:
        report.errors = sorted(errors, key=_error_order(sheet))
    else:
        report.created, report.updated, report.unchanged = outcomes[CREATED], outcomes[UPDATED], outcomes[UNCHANGED]
    return report

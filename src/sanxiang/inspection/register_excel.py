"""Excel (.xlsx) template and all-or-nothing import of the 检查对象名录 (target register).

One row per 市场主体; a row whose 统一社会信用代码 is already in the agency's register updates it.
The whole file is imported or nothing: every error is reported with its row (as Excel numbers it)
and its column (the Chinese header), with the sheet reader of the discretion import."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.inspection import events
from sanxiang.inspection.models import InspectionTarget
from sanxiang.inspection.register_permissions import user_keeps_registers
from sanxiang.inspection.register_services import REGISTER_REFUSED, target_apply
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.identifiers import credit_code_normalize
from sanxiang.procedure.inspection.registers import (
    CREDIT_GRADE_LABELS,
    RISK_GRADE_LABELS,
    RISK_GRADES,
    TargetSnapshot,
    target_validate,
)
from sanxiang.registry.discretion_excel import CellError, SheetUnreadable, cell_text, xlsx_rows_read
from sanxiang.registry.models import Agency

SHEET_TITLE = "检查对象名录"
MAX_ROWS = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "市场主体名称"),
    ("credit_code", "统一社会信用代码"),
    ("legal_representative", "法定代表人或负责人"),
    ("address", "住所或经营场所"),
    ("sector", "行业"),
    ("risk_grade", "风险等级"),
    ("credit_grade", "信用等级"),
)
HEADER = dict(COLUMNS)
EXAMPLE = ("乌审旗示例商贸有限公司", "91150626MA0N000088", "张某", "乌审旗嘎鲁图镇示例路1号", "食品销售", "中风险", "B类")


@dataclass
class TargetImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def targets_template_build() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(list(EXAMPLE))
    notes = workbook.create_sheet("填写说明")
    notes.append(["风险等级填写：" + "、".join(RISK_GRADES.values())])
    notes.append(["信用等级填写：A类、B类、C类、D类"])
    notes.append(["统一社会信用代码已在名录中的，按本行更新；整个文件有任何错误时不导入任何一行"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _snapshot(row: dict, errors: list[CellError], number: int) -> TargetSnapshot | None:
    risk_text, credit_text = cell_text(row.get("risk_grade")), cell_text(row.get("credit_grade"))
    risk = RISK_GRADE_LABELS.get(risk_text, risk_text) or "medium"
    credit = CREDIT_GRADE_LABELS.get(credit_text.upper(), CREDIT_GRADE_LABELS.get(credit_text, credit_text)) or "B"
    snapshot = TargetSnapshot(
        name=cell_text(row.get("name")), credit_code=credit_code_normalize(cell_text(row.get("credit_code"))),
        legal_representative=cell_text(row.get("legal_representative")), address=cell_text(row.get("address")),
        sector=cell_text(row.get("sector")), risk_grade=risk, credit_grade=credit,
    )
    problems = target_validate(snapshot)
    errors += [CellError(number, HEADER.get(v.field or "", ""), v.message) for v in problems]
    return None if problems else snapshot


def targets_import(*, actor: User | None, agency: Agency, file: IO[bytes]) -> TargetImportReport:
    """Import every row of the file into the agency's register, or none."""
    if actor is not None:
        permission_require(user_keeps_registers(actor, agency.pk), REGISTER_REFUSED)
    report = TargetImportReport()
    content = file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        report.errors.append(CellError(0, "", f"文件大小超过{MAX_FILE_BYTES // (1024 * 1024)}MB的上限"))
        return report
    try:
        rows = xlsx_rows_read(content, columns=COLUMNS, sheet_title=SHEET_TITLE, what="检查对象", max_rows=MAX_ROWS)
    except SheetUnreadable as unreadable:
        report.errors.append(CellError(0, unreadable.column, unreadable.message))
        return report
    report.rows = len(rows)
    parsed: list[tuple[int, TargetSnapshot]] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        code = credit_code_normalize(cell_text(row.get("credit_code")))
        snapshot = _snapshot(row, report.errors, number)
        if code and code in first_row:
            report.errors.append(CellError(number, HEADER["credit_code"], f"与第{first_row[code]}行的统一社会信用代码重复"))
            continue
        if code:
            first_row[code] = number
        if snapshot is not None:
            parsed.append((number, snapshot))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report
    with transaction.atomic():
        existing = {t.credit_code: t for t in InspectionTarget.objects.select_for_update().filter(
            agency=agency, credit_code__in=list(first_row))}
        new, changed = [], []
        for _number, snapshot in parsed:
            target = existing.get(snapshot.credit_code)
            if target is None:
                target = InspectionTarget(agency=agency)
                new.append(target)
            else:
                changed.append(target)
            target_apply(target, snapshot)
            target.is_active = True
        # bulk_update runs no auto_now: each changed row gets its new version (updated_at) here, so
        # that an edit page or an ETag read before the import is stale (409 / 412), not an overwrite.
        changed_at = timezone.now()
        for target in changed:
            target.updated_at = changed_at
        InspectionTarget.objects.bulk_create(new)
        InspectionTarget.objects.bulk_update(
            changed, ["name", "legal_representative", "address", "sector", "risk_grade", "credit_grade", "is_active",
                      "updated_at"])
        rows_public = [{"credit_code": s.credit_code, "name": s.name, "sector": s.sector, "risk_grade": s.risk_grade,
                        "credit_grade": s.credit_grade} for _, s in parsed]
        entry_append(event=events.targets_imported_event(agency_id=agency.pk, created=len(new), updated=len(changed),
                                                         rows=rows_public), actor=actor)
    report.created, report.updated = len(new), len(changed)
    return report

"""The registry's Excel import through the API (issue 19), as the page /staff/registry/import/ does
it, through `registry.excel`: a filled-in template of 执法主体, 执法人员, 执法证 or 执法事项 sent
as multipart, imported all or nothing (any wrong row: nothing is written, 422 naming each row and
column), and the template downloaded. Who: as the page, those who maintain the registry (the
judicial bureau for 执法主体, an agency's administrator for its staff and matters, system
administrators); others 403."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, File, Path, Router, Schema, UploadedFile

from sanxiang.api.errors import InputRefused, located_message
from sanxiang.api.files import content_answer
from sanxiang.api.schemas import answers, binary_answer
from sanxiang.procedure.violations import Violation
from sanxiang.registry import excel

router = Router(tags=["registry"])

KindIn = Literal[tuple(excel.SHEETS)]  # type: ignore[valid-type]
KINDS = "、".join(f"{kind}（{sheet.title}）" for kind, sheet in excel.SHEETS.items())
KIND = Path(..., description=f"数据类型：{KINDS}")
FILE = File(..., description=f"Excel 文件（.xlsx，multipart/form-data 的字段 file），按模板填写，不超过"
                             f"{excel.MAX_FILE_BYTES // (1024 * 1024)}MB、{excel.MAX_ROWS}行")


class RegistryImportOut(Schema):
    kind: str = Field(..., description=f"数据类型：{KINDS}")
    rows: int = Field(..., description="文件的数据行数（空行不计）")
    created: int = Field(..., description="新登记的条数")
    updated: int = Field(..., description="已登记、本次修改的条数")
    unchanged: int = Field(..., description="已登记、内容相同未修改的条数")


def _field(sheet: excel.Sheet, error: excel.RowError) -> str:
    """`rows.{Excel row}.{field}`, `rows.{Excel row}` for a whole row, `file` for the file."""
    if not error.row:
        return "file"
    column = next((c for c in sheet.columns if c.header == error.column), None)
    return f"rows.{error.row}" + (f".{column.field}" if column is not None else "")


@router.post("/imports/{kind}", response=answers({200: RegistryImportOut}, 403))
def registry_import(request: HttpRequest, kind: KindIn = KIND, file: UploadedFile = FILE):
    """按模板从 Excel 批量导入名录，与“名录 Excel 批量导入”页面相同：执法主体由司法行政部门（或系统管理员）导入，
    执法人员、执法证、执法事项由本单位管理员导入，其他人员 403。已登记的（按统一社会信用代码、身份证号码、证号、事项编码）
    修改，未登记的新增，均记入账本。整个文件全部正确才导入，有任何错误时一条也不导入，返回 422 并逐行逐列列出
    （field 为 rows.行号.字段，行号按 Excel 的编号，表头为第1行；文件无法读取时为 file；错误过多时只列出前 1000 处）。"""
    if kind not in excel.registry_import_kinds(user=request.user):
        raise PermissionDenied(f"您没有权限导入{excel.SHEETS[kind].title}")
    sheet = excel.SHEETS[kind]
    report = excel.registry_import(actor=request.user, kind=kind, file=file)
    if not report.ok:
        violations = [Violation("registry.import", located_message(e.row, e.column, e.message),
                                e.legal_basis or excel.IMPORT_BASIS, _field(sheet, e)) for e in report.errors_shown]
        hidden = len(report.errors) - len(report.errors_shown)
        if hidden > 0:
            violations.append(Violation("registry.import_more", f"另有{hidden}处错误未列出，请先改正以上错误",
                                        excel.IMPORT_BASIS, "file"))
        raise InputRefused(violations)
    return {"kind": kind, "rows": report.rows, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged}


@router.get("/import-templates/{kind}", summary="下载名录导入模板", response=answers({}, 403),
            openapi_extra=binary_answer(excel.XLSX_CONTENT_TYPE, description="名录的 Excel 导入模板"))
def registry_import_template(request: HttpRequest, kind: KindIn = KIND):
    """下载名录的 Excel 导入模板（与导入页面的“下载模板”相同）：表头、填写说明和下拉选项。维护名录的人员可以下载，其他人员 403。"""
    if not excel.registry_excel_allowed(user=request.user):
        raise PermissionDenied("您没有权限使用名录的批量导入")
    sheet = excel.SHEETS[kind]
    return content_answer(excel.registry_template_build(kind=kind), filename=f"{sheet.title}导入模板.xlsx",
                          content_type=excel.XLSX_CONTENT_TYPE)

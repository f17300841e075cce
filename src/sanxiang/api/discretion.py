"""裁量基准 (discretion benchmarks) of a matter through the API (issue 19), as the matter's 裁量基准
page shows and changes them: its versions read in words (`benchmark_public`), a version added, the
Excel file imported, the template downloaded. Who reads them: who reads the matter
(`registry.selectors.matter_get`: another agency's or county's matter is absent, 404); who adds
them: the agency's administrator or a system administrator (`user_can_manage_staff`), as the page.

A version is added, never edited: a version number the matter already has is 409 (a change is a new
version). A version sent as JSON takes the rows of the Excel template (one row per tier of a
violation, or per entry of the 不予处罚 list), parsed by the import's own parser
(`discretion_excel.rows_parse`), so the same rows are refused for the same reasons, each named
`rows.N.field` (N from 0, as pydantic names a malformed field of a row)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, File, Path, Router, Schema, UploadedFile

from sanxiang.accounts.permissions import user_can_manage_staff
from sanxiang.api.errors import InputRefused, located_message
from sanxiang.api.files import content_answer
from sanxiang.api.schemas import PlausibleDate, Status, Text, answers, binary_answer
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.discretion import (
    AMOUNT_MAX_FEN,
    LOOKBACK_MAX_MONTHS,
    MODELS,
    MULTIPLE_MAX,
    NO_PENALTY_KINDS,
    PLATFORM_RULE,
    TIERS,
    benchmark_public,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry import selectors
from sanxiang.registry.discretion_excel import (
    HEADER,
    MAX_FILE_BYTES,
    MAX_ROWS,
    discretion_import,
    discretion_template_build,
    rows_parse,
)
from sanxiang.registry.discretion_selectors import discretion_benchmarks_of
from sanxiang.registry.discretion_services import SOURCE_MAX, VERSION_MAX, discretion_benchmark_add
from sanxiang.registry.models import DiscretionBenchmark, Matter

router = Router(tags=["discretion"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE_REFUSED = "只有本单位管理员可以维护裁量基准"
LEVELS = {**TIERS, **NO_PENALTY_KINDS}
ModelIn = Literal[tuple(MODELS)]  # type: ignore[valid-type]
LevelIn = Literal[tuple(LEVELS)]  # type: ignore[valid-type]
VERSION_FIELDS = ("version", "effective_from", "effective_to", "source")
FIELD_OF_HEADER = {header: name for name, header in HEADER.items()}
YUAN_MAX = Decimal(AMOUNT_MAX_FEN) / 100  # the largest amount a benchmark may state (AMOUNT_MAX_FEN), in 元


class TierOut(Schema):
    level: str = Field(..., description="裁量阶次")
    conditions: str = Field(..., description="适用情形")
    band: str = Field(..., description="处罚幅度")
    explanation: str = Field(..., description="说明")


class NoPenaltyOut(Schema):
    kind: str = Field(..., description="不予处罚的类别（轻微不罚、首违不罚）")
    lookback_months: int = Field(..., description="追溯期限（月；首违不罚）")
    conditions: str = Field(..., description="适用条件")


class BenchmarkEntryOut(Schema):
    code: str = Field(..., description="违法行为编号")
    violation: str = Field(..., description="违法行为")
    violated: str = Field(..., description="违反条款")
    punished_by: str = Field(..., description="处罚依据")
    model: str = Field(..., description="罚款模式")
    sanction: str = Field(..., description="法定处罚幅度")
    rounding: str = Field(..., description="取整单位")
    tiers: list[TierOut]
    no_penalty: list[NoPenaltyOut]


class BenchmarkOut(Schema):
    id: int
    matter_id: int
    version: str = Field(..., description="版本")
    label: str
    effective_from: dt.date = Field(..., description="施行日期")
    effective_to: dt.date | None = Field(..., description="失效日期（最后一日）；未定的为 null")
    source: str = Field(..., description="文件名称及文号")
    content_sha256: str = Field(..., description="内容的 SHA-256（记入账本）")
    entries: list[BenchmarkEntryOut]


class BenchmarkListOut(Schema):
    items: list[BenchmarkOut]


def _benchmark_out(row: DiscretionBenchmark) -> dict:
    words = benchmark_public(row.as_benchmark())
    return {"id": row.pk, "matter_id": row.matter_id, "version": row.version, "label": words["label"],
            "effective_from": row.effective_from, "effective_to": row.effective_to, "source": row.source,
            "content_sha256": row.content_sha256, "entries": words["entries"]}


def _manager_check(request: HttpRequest, matter: Matter) -> None:
    if not user_can_manage_staff(request.user, matter.agency_id):
        raise PermissionDenied(MANAGE_REFUSED)


@router.get("/matters/{matter_id}/discretion", response=answers({200: BenchmarkListOut}, 404))
def discretion_benchmark_list(request: HttpRequest, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    """执法事项的裁量基准，各版本按施行日期从新到旧，以文字说明各违法行为的阶次、适用情形和幅度（与裁量基准页面相同）。
    看得到该执法事项的人可以查看；其他单位或其他县的事项返回 404。"""
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    return {"items": [_benchmark_out(row) for row in discretion_benchmarks_of(matter=matter)]}


class BenchmarkRowIn(Schema):
    """One row of the Excel template: a tier of a violation, or an entry of the 不予处罚 list. The
    violation's columns (violation … rounding_yuan) on its first row only, or repeated alike."""

    code: Text(40) = Field(..., description="违法行为编号")
    violation: Text(500) = Field("", description="违法行为（该违法行为的第一行填写）")
    violated: Text(500) = Field("", description="违反条款（该违法行为的第一行填写）")
    punished_by: Text(500) = Field("", description="处罚依据（该违法行为的第一行填写）")
    model: ModelIn | None = Field(None, description="罚款模式（该违法行为的第一行填写）：" + "；".join(
        f"{k}：{v}" for k, v in MODELS.items()))
    min_yuan: Decimal | None = Field(None, description="法定下限（元）", ge=0, le=YUAN_MAX)
    max_yuan: Decimal | None = Field(None, description="法定上限（元）", ge=0, le=YUAN_MAX)
    base_label: Text(40) = Field("", description="倍数基数，如违法所得、货值金额（倍数模式）")
    min_multiple: Decimal | None = Field(None, description="法定最低倍数", ge=0, le=MULTIPLE_MAX)
    max_multiple: Decimal | None = Field(None, description="法定最高倍数", ge=0, le=MULTIPLE_MAX)
    rounding_yuan: Decimal | None = Field(None, description="取整单位（元），不填为1元", ge=0, le=YUAN_MAX)
    level: LevelIn = Field(..., description="裁量阶次或不予处罚清单：" + "；".join(f"{k}：{v}" for k, v in LEVELS.items()))
    conditions: Text(1000) = Field("", description="适用情形，用“；”分隔，如“及时改正；危害后果：否；违法所得<=5000元；同类违法次数>=1”")
    tier_min_yuan: Decimal | None = Field(None, description="阶次下限（元）；不填按法定幅度的中间值划分", ge=0,
                                          le=YUAN_MAX)
    tier_max_yuan: Decimal | None = Field(None, description="阶次上限（元）", ge=0, le=YUAN_MAX)
    tier_min_multiple: Decimal | None = Field(None, description="阶次最低倍数", ge=0, le=MULTIPLE_MAX)
    tier_max_multiple: Decimal | None = Field(None, description="阶次最高倍数", ge=0, le=MULTIPLE_MAX)
    lookback_months: int | None = Field(None, ge=1, le=LOOKBACK_MAX_MONTHS, description="追溯期限（月，首违不罚），不填为12")
    explanation: Text(1000) = Field("", description="说明（决定书的表述）")


class BenchmarkIn(Schema):
    version: Text(VERSION_MAX) = Field(..., description="版本（本事项中不得重复；修改须另立新版本）")
    effective_from: PlausibleDate = Field(..., description="施行日期")
    effective_to: PlausibleDate | None = Field(None, description="失效日期（最后一日）；不填为至下一版本施行")
    source: Text(SOURCE_MAX) = Field(..., description="文件名称及文号")
    rows: list[BenchmarkRowIn] = Field(..., min_length=1, max_length=MAX_ROWS,
                                       description="各违法行为的裁量阶次和不予处罚清单，与 Excel 模板的行相同")


def _cell(value: Any) -> Any:
    return "" if value is None else (format(value, "f") if isinstance(value, Decimal) else value)


def _sheet_rows(matter: Matter, payload: BenchmarkIn) -> list[tuple[int, dict]]:
    """The rows as the template's sheet holds them (labels in words), numbered from 1."""
    rows = []
    for number, row in enumerate(payload.rows, start=1):
        values = {name: _cell(value) for name, value in row.dict().items()}
        values["model"] = MODELS.get(row.model or "", "")
        values["level"] = LEVELS[row.level]
        if number == 1:
            values |= {"matter": matter.code, "version": payload.version, "effective_from": payload.effective_from,
                       "effective_to": payload.effective_to, "source": payload.source}
        rows.append((number, values))
    return rows


def _row_field(row: int, column: str) -> str:
    """The field of a row's error as the request names it: `rows.N.name` with N the row's index in
    `rows` (from 0, as a malformed field of the row is named), the version's own fields by name."""
    name = FIELD_OF_HEADER.get(column, "")
    if name in VERSION_FIELDS or name == "matter":
        return name if name != "matter" else "rows"
    return f"rows.{row - 1}.{name}" if name else f"rows.{row - 1}"


@router.post("/matters/{matter_id}/discretion", response=answers({201: BenchmarkOut}, 403, 404, 409))
def discretion_benchmark_create(request: HttpRequest, payload: BenchmarkIn, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    """为执法事项新增一版裁量基准（与按模板导入一个版本相同），记入账本：由本单位管理员或系统管理员办理，其他人员 403。
    rows 为 Excel 模板的各行；任何一行有错误时不保存，返回 422 并逐行指明字段（rows.序号.字段，序号从0起，与格式错误的字段相同；
    说明中的“第N行”从1起）；
    阶次或不予处罚清单不合规定（幅度超出法定幅度、阶次重复等）也返回 422；该事项已有同一版本号的返回 409（修改须另立新版本）。"""
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    _manager_check(request, matter)
    benchmarks, errors = rows_parse(_sheet_rows(matter, payload))
    if errors:
        raise InputRefused([Violation("discretion.row", located_message(e.row, e.column, e.message), PLATFORM_RULE, _row_field(e.row, e.column)) for e in errors])
    (_first, benchmark), = benchmarks
    try:
        row = discretion_benchmark_add(actor=request.user, matter=matter, benchmark=benchmark)
    except Refused as refused:
        violations = [v if v.field in VERSION_FIELDS else Violation(v.code, v.message, v.legal_basis, "rows")
                      for v in refused.violations]
        if any(v.code == "discretion.version_exists" for v in violations):
            raise Refused(violations) from None
        raise InputRefused(violations) from None
    return Status(201, _benchmark_out(row))


class BenchmarkImportOut(Schema):
    rows: int = Field(..., description="文件的数据行数")
    versions: list[str] = Field(..., description="导入的版本（事项编码 第N版）")


FILE = File(..., description=f"Excel 文件（.xlsx，multipart/form-data 的字段 file），按模板填写，不超过"
                             f"{MAX_FILE_BYTES // (1024 * 1024)}MB、{MAX_ROWS}行")


@router.post("/matters/{matter_id}/discretion/imports", response=answers({200: BenchmarkImportOut}, 403, 404))
def discretion_benchmark_import(request: HttpRequest, matter_id: int = Path(..., ge=1, le=ID_MAX),
                                file: UploadedFile = FILE):
    """从 Excel 导入裁量基准，与裁量基准页面的“导入”相同：由本单位管理员或系统管理员办理，其他人员 403；文件可以含本单位
    多个执法事项的多个版本。整个文件全部正确才导入，有任何错误时一个版本也不导入，返回 422 并逐行逐列列出
    （field 为 rows.行号.字段，行号按 Excel 的编号，表头为第1行；文件无法读取时为 file）。"""
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    _manager_check(request, matter)
    report = discretion_import(actor=request.user, file=file, agency_ids=[matter.agency_id])
    if report.errors:
        raise InputRefused([Violation("discretion.import", located_message(e.row, e.column, e.message), PLATFORM_RULE,
                                      (f"rows.{e.row}" + (f".{FIELD_OF_HEADER[e.column]}" if e.column in FIELD_OF_HEADER
                                                          else "")) if e.row else "file")
                            for e in report.errors])
    return {"rows": report.rows, "versions": report.versions}


@router.get("/discretion-template", summary="下载裁量基准导入模板", response=answers({}),
            openapi_extra=binary_answer(XLSX, description="裁量基准的 Excel 导入模板"))
def discretion_template(request: HttpRequest):
    """下载裁量基准的 Excel 导入模板（与页面的“下载模板”相同）：表头、一行示例和填写说明。"""
    return content_answer(discretion_template_build(), filename="裁量基准导入模板.xlsx", content_type=XLSX)

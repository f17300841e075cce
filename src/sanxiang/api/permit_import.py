"""Licence decisions made in another system (政务服务), imported as a batch (issue 18, item 4): the
JSON form of the Excel template's rows. All or nothing; idempotent by (source system, source id);
a refused batch is a 422 naming each row, field and reason. The rules are `cases.permit_import`."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from sanxiang.api.errors import InputRefused
from sanxiang.api.schemas import answers
from sanxiang.cases.permit_import import PDF_MAX_BYTES, permit_decisions_import
from sanxiang.inputs import ID_MAX, PLATFORM_RULE
from sanxiang.procedure.violations import Violation
from sanxiang.registry import selectors

router = Router(tags=["permit-import"])

# The service checks each field's length and form (and says which row); this bound only keeps a
# request's size reasonable.
TEXT_MAX = 4000
PDF_TEXT_MAX = (PDF_MAX_BYTES * 4) // 3 + 4
BATCH_MAX = 5000


def _text(description: str, *, max_length: int = TEXT_MAX) -> str:
    return Field("", max_length=max_length, description=description)


class PermitDecisionIn(Schema):
    source_system: str = _text("来源系统名称，如“内蒙古政务服务网”（必填）", max_length=200)
    source_id: str = _text("来源系统中该决定的编号（必填）；同一来源系统和编号只导入一次", max_length=200)
    decision: str = _text("决定类型：准予 或 不予（必填）", max_length=20)
    party_kind: str = _text("行政相对人类别：法人及非法人组织、自然人、个体工商户（必填）", max_length=20)
    party_name: str = _text("行政相对人名称或姓名（必填）")
    party_credit_code: str = _text("统一社会信用代码（法人及非法人组织必填）", max_length=40)
    legal_representative: str = _text("法定代表人")
    party_id_number: str = _text("身份证号码（自然人必填；不公开）", max_length=40)
    matter: str = _text("许可事项名称（必填）")
    matter_code: str = _text("本机关权责清单中的行政许可事项编码（选填；列入重大执法决定法制审核目录的须填写法制审核日期）")
    number: str = _text("行政许可决定书文号（必填）")
    decided_on: str = _text("决定日期，YYYY-MM-DD（必填）", max_length=40)
    received_on: str = _text("申请日期，YYYY-MM-DD", max_length=40)
    accepted_on: str = _text("受理日期，YYYY-MM-DD", max_length=40)
    category: str = _text("许可类别：普通、特许、认可、核准、登记、其他，或代码01–06（准予时必填）", max_length=40)
    content: str = _text("许可内容（准予时必填）")
    reasons: str = _text("不予许可的理由（不予时必填）")
    licence_name: str = _text("许可证书名称")
    licence_number: str = _text("许可编号")
    valid_until: str = _text("有效期至，YYYY-MM-DD（有效期自决定日期起算）", max_length=40)
    delivered_on: str = _text("许可证件送达日期，YYYY-MM-DD；未填写的，导入后在案件中办理送达", max_length=40)
    review_on: str = _text("来源系统中法制审核的日期，YYYY-MM-DD", max_length=40)
    agency_credit_code: str = _text("许可机关统一社会信用代码（必填，须为本机关）", max_length=40)
    document_pdf: str = Field("", max_length=PDF_TEXT_MAX, description="决定书PDF文件，Base64编码（选填）")


class PermitImportIn(Schema):
    agency_id: int | None = Field(None, ge=1, le=ID_MAX,
                                  description="导入到哪个执法主体；不填时为令牌所属用户的单位")
    rows: list[PermitDecisionIn] = Field(..., min_length=1, max_length=BATCH_MAX,
                                         description="行政许可决定，每项一条；整批有任何错误时不导入任何一条")


class PermitImportOut(Schema):
    rows: int = Field(..., description="本批条数")
    imported: int = Field(..., description="本次新导入的条数")
    already: int = Field(..., description="此前已导入、内容相同的条数（未重复导入）")
    imported_ids: list[str] = Field(..., description="本次新导入的来源编号")
    already_ids: list[str] = Field(..., description="已存在的来源编号")


def _row_field(row: int | None, field: str | None) -> str:
    """The field a refusal names: `rows.{index}.{field}` with the row's index in `rows` from 0, as
    pydantic names a malformed field of a row of the same request (the message's 第N条 counts from 1)."""
    if not row:
        return "rows"
    return f"rows.{row - 1}.{field}" if field else f"rows.{row - 1}"


@router.post("/permits/imports", response=answers({200: PermitImportOut}, 403, 404))
def permit_import(request: HttpRequest, payload: PermitImportIn):
    """导入其他系统（政务服务）作出的行政许可决定：逐条逐项校验（与“双公示”XK_*导出相同的规则），
    有任何错误时整批不导入，返回 422 并列出每条的字段和原因（字段为 rows.序号.字段名，序号从 0 起，与请求格式错误时相同；消息中的“第N条”从 1 起）；同一来源系统和编号再次导入时不重复，
    内容不同的作为冲突拒绝。导入后与本平台作出的决定一样公示、法制审核、计入年度数据。"""
    agency_id = payload.agency_id or request.user.agency_id
    if agency_id is None:
        raise InputRefused([Violation("permit_import.agency", "请选择执法主体", PLATFORM_RULE, "agency_id")])
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    rows = [(index, row.model_dump()) for index, row in enumerate(payload.rows, start=1)]
    report = permit_decisions_import(actor=request.user, agency=agency, rows=rows)
    if report.errors:
        raise InputRefused([
            Violation("permit_import.row",
                      (f"第{e.row}条" if e.row else "") + (f"“{e.column}”" if e.column else "") + f"：{e.message}",
                      PLATFORM_RULE, _row_field(e.row, e.field))
            for e in report.errors
        ])
    return {"rows": report.rows, "imported": report.imported, "already": report.already,
            "imported_ids": report.imported_ids, "already_ids": report.already_ids}

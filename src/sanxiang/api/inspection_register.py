"""The registers of 行政检查 through the API (issue 19): the 检查对象名录 (targets: listed, read,
added, changed, imported from the Excel template), the declared relations (回避) of officers to
targets and the expert pool (专家库), as the agency's inspection pages show and change them, through
the same selectors and services (`register_selectors`, `register_services`, `register_excel`).

Who reads them is the pages' rule (`register_selectors.reader_agencies_lookup`): the agency's roles
their agency's, the county's supervisors (and system administrators) every agency's of their
county; another agency's or county's row is absent (404). Who changes them: the agency's head and
administrator, and system administrators (`user_keeps_registers`); the declared relations are shown
only to them, as on the page. A field out of its rules is 422 naming it; an import with any wrong row
is 422 naming every row and imports nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Path, Query, Router, Schema, UploadedFile

from sanxiang.api.errors import InputRefused, located_message
from sanxiang.api.files import content_answer
from sanxiang.api.pagination import (
    Q_MAX_LENGTH,
    PageOut,
    cursor_query,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    status_description,
)
from sanxiang.api.registry import IF_MATCH, precondition_failed, row_etag, row_update_if_current
from sanxiang.api.schemas import Id, Status, Text, answers, binary_answer
from sanxiang.inputs import ID_MAX
from sanxiang.inspection import register_selectors as selectors
from sanxiang.inspection import register_services
from sanxiang.inspection.models import DeclaredRelation, InspectionExpert, InspectionTarget
from sanxiang.inspection.register_excel import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    targets_import,
    targets_template_build,
)
from sanxiang.inspection.register_permissions import user_keeps_registers
from sanxiang.procedure.inspection.registers import CREDIT_GRADES, RISK_GRADES, TargetSnapshot
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.registry.models import Agency

router = Router(tags=["inspection-register"])

COLUMN_FIELDS = {header: name for name, header in COLUMNS}  # a column's Chinese header → its field
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RiskGradeIn = Literal[tuple(RISK_GRADES)]  # type: ignore[valid-type]
CreditGradeIn = Literal[tuple(CREDIT_GRADES)]  # type: ignore[valid-type]
RISK = status_description(list(RISK_GRADES.items()), what="风险等级")
CREDIT = status_description(list(CREDIT_GRADES.items()), what="信用等级")
TARGET_ORDERING = {"name": ("name", "市场主体名称"), "id": ("id", "登记先后")}
EXPERT_ORDERING = {"name": ("name", "姓名"), "id": ("id", "登记先后")}
RELATION_ORDERING = {"declared_at": ("declared_at", "申报时间"), "id": ("id", "登记先后")}


def _agency_of(request: HttpRequest, agency_id: int | None, *, field: str = "agency_id") -> Agency:
    """The agency named (or the caller's own), read as its inspection page opens it: one the caller
    may not read is absent (404). `field`: the request's name for it, in the 422 when none is known."""
    agency_id = agency_id or request.user.agency_id
    if agency_id is None:
        raise InputRefused([Violation("inspection.agency", "请指明执法主体", FORM_BASIS, field)])
    try:
        return selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    except PermissionDenied:
        raise Http404("没有这个执法主体") from None


def _keeper_check(request: HttpRequest, agency_id: int) -> None:
    if not user_keeps_registers(request.user, agency_id):
        raise PermissionDenied(register_services.REGISTER_REFUSED)


# --- 检查对象名录 -------------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    agency_id: int = Field(..., description="名录所属执法主体")
    name: str = Field(..., description="市场主体名称")
    credit_code: str = Field(..., description="统一社会信用代码")
    legal_representative: str = Field(..., description="法定代表人或负责人")
    address: str = Field(..., description="住所或经营场所")
    sector: str = Field(..., description="行业")
    risk_grade: str = Field(..., description=RISK)
    risk_grade_label: str
    credit_grade: str = Field(..., description=CREDIT)
    credit_grade_label: str = Field(..., description="信用等级（文字）")
    is_active: bool = Field(..., description="在册（不在册的不参加抽取）")


class TargetPageOut(PageOut):
    items: list[TargetOut]


def _target_out(t: InspectionTarget) -> dict:
    return {"id": t.pk, "agency_id": t.agency_id, "name": t.name, "credit_code": t.credit_code,
            "legal_representative": t.legal_representative, "address": t.address, "sector": t.sector,
            "risk_grade": t.risk_grade, "risk_grade_label": RISK_GRADES.get(t.risk_grade, ""),
            "credit_grade": t.credit_grade, "credit_grade_label": t.credit_grade_name, "is_active": t.is_active}


def _target_answer(response: HttpResponse, target: InspectionTarget) -> dict:
    response["ETag"] = row_etag(target)
    return _target_out(target)


class TargetIn(Schema):
    agency_id: Id | None = Field(None, description="名录所属执法主体；不填为本人所在的执法主体")
    name: Text(200) = Field(..., description="市场主体名称")
    credit_code: Text(40) = Field(..., description="统一社会信用代码（18位，按国家标准校验；本名录中不得重复）")
    legal_representative: Text(50) = Field("", description="法定代表人或负责人")
    address: Text(200) = Field("", description="住所或经营场所")
    sector: Text(60) = Field("", description="行业")
    risk_grade: RiskGradeIn = Field("medium", description=RISK)
    credit_grade: CreditGradeIn = Field("B", description=CREDIT)


class TargetPatchIn(Schema):
    name: Text(200) | None = Field(None, description="市场主体名称")
    credit_code: Text(40) | None = Field(None, description="统一社会信用代码")
    legal_representative: Text(50) | None = Field(None, description="法定代表人或负责人")
    address: Text(200) | None = Field(None, description="住所或经营场所")
    sector: Text(60) | None = Field(None, description="行业")
    risk_grade: RiskGradeIn | None = Field(None, description=RISK)
    credit_grade: CreditGradeIn | None = Field(None, description=CREDIT)
    is_active: bool | None = Field(None, description="在册；改为 false 即移出名录（此后不参加抽取）")


SNAPSHOT_FIELDS = [f.name for f in dataclasses.fields(TargetSnapshot)]


@router.get("/inspection-targets", response=answers({200: TargetPageOut}))
def inspection_target_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="名录所属执法主体"),
    q: str = Query("", max_length=Q_MAX_LENGTH, description="按市场主体名称或统一社会信用代码查找"),
    active: bool | None = Query(None, description="true：只列在册的；false：只列已移出名录的"),
    ordering: str = ordering_query(TARGET_ORDERING, default="name"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """检查对象名录，默认按市场主体名称排列，分页返回；与检查对象名录页面相同的人可以查看（本单位人员看本单位的，
    司法局监督人员看本县各单位的）。"""
    rows = selectors.targets_for_reader(viewer=request.user, query=q.strip())
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if active is not None:
        rows = rows.filter(is_active=active)
    order = order_resolve(ordering, keys=TARGET_ORDERING, default="name")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_target_out)


@router.get("/inspection-targets/template", summary="下载检查对象名录导入模板", response=answers({}),
            openapi_extra=binary_answer(XLSX, description="检查对象名录的 Excel 导入模板"))
def inspection_target_template(request: HttpRequest):
    """下载检查对象名录的 Excel 导入模板（与页面的“下载模板”相同）：表头、一行示例和填写说明。"""
    return content_answer(targets_template_build(), filename="检查对象名录.xlsx", content_type=XLSX)


class TargetImportOut(Schema):
    rows: int = Field(..., description="文件的数据行数")
    created: int = Field(..., description="新列入名录的")
    updated: int = Field(..., description="统一社会信用代码已在名录中、按本行更新的")


FILE = File(..., description=f"Excel 文件（.xlsx，multipart/form-data 的字段 file），按模板填写，不超过"
                             f"{MAX_FILE_BYTES // (1024 * 1024)}MB、{MAX_ROWS}行")


@router.post("/inspection-targets/imports", response=answers({200: TargetImportOut}, 403, 404))
def inspection_target_import(
    request: HttpRequest,
    file: UploadedFile = FILE,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="名录所属执法主体；不填为本人所在的执法主体"),
):
    """从 Excel 导入检查对象名录，与页面的“导入”相同：由本机关负责人、单位管理员或系统管理员办理，统一社会信用代码已在名录中的按该行更新。
    整个文件有任何错误时一行也不导入，返回 422 并逐行列出（field 为 rows.行号.字段名（name、credit_code 等，与 POST /api/inspection-targets 相同），行号按 Excel 的编号，表头为第1行）；
    文件无法读取时 field 为 file。其他人员 403。"""
    target_agency = _agency_of(request, agency, field="agency")
    _keeper_check(request, target_agency.pk)
    report = targets_import(actor=request.user, agency=target_agency, file=file)
    if report.errors:
        raise InputRefused([
            Violation("inspection.targets.import",
                      located_message(e.row, e.column, e.message),
                      FORM_BASIS, (f"rows.{e.row}" + (f".{COLUMN_FIELDS[e.column]}" if e.column in COLUMN_FIELDS
                                                      else "")) if e.row else "file")
            for e in report.errors
        ])
    return {"rows": report.rows, "created": report.created, "updated": report.updated}


def _target(request: HttpRequest, target_id: int) -> InspectionTarget:
    target = selectors.targets_for_reader(viewer=request.user).filter(pk=target_id).first()
    if target is None:
        raise Http404("没有这个检查对象")
    return target


@router.get("/inspection-targets/{target_id}", response=answers({200: TargetOut}, 404))
def inspection_target_get(request: HttpRequest, response: HttpResponse, target_id: int = Path(..., ge=1, le=ID_MAX)):
    """名录中的一个检查对象；与检查对象名录页面相同的人可以查看，其他单位或其他县的返回 404。响应头 ETag 为其当前版本。"""
    return _target_answer(response, _target(request, target_id))


def _target_refused(refused: Refused) -> InputRefused:
    return InputRefused(refused.violations)


@router.post("/inspection-targets", response=answers({201: TargetOut}, 403, 404))
def inspection_target_create(request: HttpRequest, response: HttpResponse, payload: TargetIn):
    """把一个市场主体列入检查对象名录，与检查对象名录页面的表单相同：由本机关负责人、单位管理员或系统管理员办理，其他人员 403。
    名称为空、统一社会信用代码不合格或已在名录中返回 422 并指明字段。"""
    agency = _agency_of(request, payload.agency_id)
    _keeper_check(request, agency.pk)
    values = payload.dict()
    snapshot = TargetSnapshot(**{name: values[name] for name in SNAPSHOT_FIELDS})
    try:
        target = register_services.target_save(actor=request.user, agency=agency, snapshot=snapshot)
    except Refused as refused:
        raise _target_refused(refused) from None
    return Status(201, _target_answer(response, target))


@router.patch("/inspection-targets/{target_id}", response=answers({200: TargetOut}, 403, 404, 412))
def inspection_target_update(request: HttpRequest, response: HttpResponse, payload: TargetPatchIn,
                             target_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改名录中的检查对象：只改所给的字段；is_active 改为 false 即移出名录。由本机关负责人、单位管理员或系统管理员办理，
    其他人员 403；字段不合格 422；带 If-Match 时，读取之后已被修改的返回 412。"""
    target = _target(request, target_id)
    _keeper_check(request, target.agency_id)
    changes = {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}
    saved = row_update_if_current(response, target, if_match, lambda: register_services.target_update(
        actor=request.user, target=target, **changes))
    if saved is None:
        return precondition_failed()
    return Status(200, _target_answer(response, saved))


# --- 回避: an officer's declared relation to a target ------------------------------------------------


class RelationOut(Schema):
    id: int
    agency_id: int
    officer_id: int
    officer_name: str
    target_id: int
    target_name: str
    relation: str = Field(..., description="关系（亲属、利害关系等）")
    declared_at: dt.datetime = Field(..., description="申报时间")


class RelationPageOut(PageOut):
    items: list[RelationOut]


def _relation_out(r: DeclaredRelation) -> dict:
    return {"id": r.pk, "agency_id": r.target.agency_id, "officer_id": r.officer_id, "officer_name": r.officer.name,
            "target_id": r.target_id, "target_name": r.target.name, "relation": r.relation,
            "declared_at": r.declared_at}


@router.get("/inspection-relations", response=answers({200: RelationPageOut}))
def inspection_relation_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法主体"),
    target: int | None = Query(None, ge=1, le=ID_MAX, description="检查对象"),
    ordering: str = ordering_query(RELATION_ORDERING, default="-declared_at"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """登记的回避关系（执法人员与检查对象的关系，抽取时不选派该人员检查该对象），默认按申报时间从新到旧，分页返回。
    与检查对象名录页面相同：只有本机关负责人、单位管理员和系统管理员看得到，其他人员得到空列表。"""
    rows = selectors.relations_for_keeper(viewer=request.user)
    if agency is not None:
        rows = rows.filter(target__agency_id=agency)
    if target is not None:
        rows = rows.filter(target_id=target)
    order = order_resolve(ordering, keys=RELATION_ORDERING, default="-declared_at")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_relation_out)


class RelationIn(Schema):
    officer_id: Id = Field(..., description="执法人员（名录所属执法主体的）")
    target_id: Id = Field(..., description="检查对象")
    relation: Text(100) = Field(..., description="关系（亲属、利害关系等）")


RELATION_FIELDS = {"officer": "officer_id", "target": "target_id", "relation": "relation"}


@router.post("/inspection-relations", response=answers({201: RelationOut}, 403, 404, 409))
def inspection_relation_create(request: HttpRequest, payload: RelationIn):
    """登记回避关系，与检查对象名录页面的“登记回避关系”相同：由本机关负责人、单位管理员或系统管理员登记，此后抽取时
    该执法人员不会被选派检查该对象。其他人员 403；看不到的检查对象 404；执法人员不是本机关的、关系为空返回 422 并指明字段；
    该关系已经登记的返回 409。"""
    target = _target(request, payload.target_id)
    _keeper_check(request, target.agency_id)
    officer = selectors.officer_of(agency=target.agency, officer_id=payload.officer_id)
    if officer is None:
        raise InputRefused([Violation("inspection.relation.agency", "只能登记本机关执法人员的回避关系", FORM_BASIS,
                                      "officer_id")])
    try:
        declared = register_services.relation_declare(actor=request.user, officer=officer, target=target,
                                                      relation=payload.relation)
    except Refused as refused:
        violations = [dataclasses.replace(v, field=RELATION_FIELDS.get(v.field or "", v.field))
                      for v in refused.violations]
        if any(v.code == "inspection.relation.exists" for v in violations):
            raise Refused(violations) from None
        raise InputRefused(violations) from None
    declared = DeclaredRelation.objects.select_related("officer", "target").get(pk=declared.pk)
    return Status(201, _relation_out(declared))


# --- 专家库 -----------------------------------------------------------------------------------------


class ExpertOut(Schema):
    id: int
    agency_id: int
    name: str = Field(..., description="姓名")
    field: str = Field(..., description="专业领域")
    employer: str = Field(..., description="工作单位")
    is_active: bool = Field(..., description="在库")


class ExpertPageOut(PageOut):
    items: list[ExpertOut]


def _expert_out(e: InspectionExpert) -> dict:
    return {"id": e.pk, "agency_id": e.agency_id, "name": e.name, "field": e.field, "employer": e.employer,
            "is_active": e.is_active}


@router.get("/inspection-experts", response=answers({200: ExpertPageOut}))
def inspection_expert_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法主体"),
    active: bool | None = Query(None, description="true：只列在库的；false：只列已出库的"),
    ordering: str = ordering_query(EXPERT_ORDERING, default="name"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """检查专家库，默认按姓名排列，分页返回；与执法主体的行政检查页面相同的人可以查看。"""
    rows = selectors.experts_for_reader(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if active is not None:
        rows = rows.filter(is_active=active)
    order = order_resolve(ordering, keys=EXPERT_ORDERING, default="name")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_expert_out)


class ExpertIn(Schema):
    agency_id: Id | None = Field(None, description="执法主体；不填为本人所在的执法主体")
    name: Text(50) = Field(..., description="姓名")
    field: Text(60) = Field(..., description="专业领域")
    employer: Text(100) = Field("", description="工作单位")


@router.post("/inspection-experts", response=answers({201: ExpertOut}, 403, 404))
def inspection_expert_create(request: HttpRequest, payload: ExpertIn):
    """把一位专家加入专家库，与执法主体页面的“新增专家”相同：由本机关负责人、单位管理员或系统管理员办理，其他人员 403；
    姓名或专业领域为空返回 422 并指明字段。"""
    agency = _agency_of(request, payload.agency_id)
    _keeper_check(request, agency.pk)
    try:
        expert = register_services.expert_save(actor=request.user, agency=agency, name=payload.name,
                                               field=payload.field, employer=payload.employer)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _expert_out(expert))

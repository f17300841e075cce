"""行政检查 through the API (issue 19): the inspections, listed and read as the inspection pages show
them, their steps, the photos of the visit and the publication of the 双随机 results (结果公示). One
inspection is read through the page's own gate (`inspection_selectors.inspection_for_viewer`): the
司法局's supervisors (and system administrators) read every inspection of their county, the agency's
head and administrator those of their agency (or one it joined), an officer those they were sent on;
another county's, another agency's or another officer's inspection is absent (404). The list narrows
to the same readers by the same rule (`inspection_selectors.inspections_visible`).

Photos are uploaded as the phone page uploads them (multipart, one file in the field `photo`):
`inspection_services.inspection_photo_add` files them through the evidence app under the
inspection's own step, which the resumable tus upload refuses on purpose (a step it reserves to the
platform), so tus is no way for them. The same limits as the page: the evidence size limit
(`SANXIANG_EVIDENCE_MAX_BYTES`) and the type read from the file's first bytes (a photo format)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from ninja import Field, File, Path, Query, Router, Schema, UploadedFile

from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import Id, PlausibleDate, Status, answers
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.inputs import ID_MAX
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection import inspection_services
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState
from sanxiang.inspection.register_permissions import user_is_head_of
from sanxiang.inspection.step_forms import ACTIONS, form_parse
from sanxiang.procedure.draw import RANDOM_INSPECTION_BASIS
from sanxiang.procedure.inspection import rules as r
from sanxiang.procedure.inspection.procedures import INSPECTION
from sanxiang.procedure.violations import Refused, Violation

router = Router(tags=["inspections"])

STATES = [(s.value, INSPECTION.state_label(s.value)) for s in InspectionState]
SOURCES = [(s.value, str(s.label)) for s in InspectionSource]
InspectionStatusIn = Literal[tuple(value for value, _ in STATES)]  # type: ignore[valid-type]
ORDERING = {"planned_from": ("planned_from", "计划检查日期"), "id": ("id", "派出先后")}
PLANNED = "计划检查日期（自）"
STATUS = Query(None, description=status_description(STATES))
TARGET = Query(None, min_length=1, max_length=18, pattern="^[0-9A-Za-z]+$",
               description="检查对象的统一社会信用代码（18位，完全相同）")
SINCE, UNTIL = since_query(PLANNED), until_query(PLANNED)


class InspectionOut(Schema):
    id: int
    agency_id: int = Field(..., description="组织检查的执法主体")
    agency_name: str
    target_name: str = Field(..., description="检查对象（市场主体名称）")
    target_credit_code: str = Field(..., description="检查对象的统一社会信用代码")
    source: str = Field(..., description=status_description(SOURCES, what="任务来源"))
    source_label: str
    status: str = Field(..., description=status_description(STATES))
    status_label: str
    planned_from: dt.date = Field(..., description="计划检查日期自")
    planned_to: dt.date = Field(..., description="计划检查日期至（检查码的有效期）")
    started_on: dt.date | None = Field(..., description="检查日期")
    finished_on: dt.date | None = Field(..., description="办结日期")
    code: str | None = Field(..., description="检查码（批准后生成）")
    result_outcome: str = Field(..., description="检查结果（未告知为空字符串）")
    published_on: dt.date | None = Field(..., description="结果公示日期")


class InspectionPageOut(PageOut):
    items: list[InspectionOut]


class InspectionItemRefOut(Schema):
    id: int
    name: str = Field(..., description="检查事项")
    legal_basis: str = Field(..., description="检查依据")


class InspectorOut(Schema):
    id: int
    name: str
    agency_id: int


class CodeStateOut(Schema):
    code: str = Field(..., description="检查码")
    valid: bool = Field(..., description="今日是否有效（检查进行中、在计划期间内、未被拒绝追认）")
    state_label: str
    valid_from: dt.date
    valid_to: dt.date
    emergency_pending: bool = Field(..., description="紧急先行检查，尚待补办批准")
    emergency_refused: bool = Field(..., description="紧急先行检查，负责人不同意追认：检查码作废")


class InspectionChecklistOut(Schema):
    item_id: int
    item: str = Field(..., description="检查事项")
    point: str = Field(..., description="检查内容")
    finding: str = Field(..., description=status_description(list(r.FINDINGS.items()), what="检查情况") + "；未填写为空字符串")
    finding_label: str
    note: str


class InspectionRecordOut(Schema):
    on: dt.date = Field(..., description="检查日期")
    officer_ids: list[int] = Field(..., description="在场的检查人员")
    certificates_shown: bool = Field(..., description="出示执法证件")
    enterprise_signed: bool = Field(..., description="检查对象签字确认")
    refusal_noted: bool = Field(..., description="检查对象拒绝签字，已在记录中注明")
    needs_testing: bool = Field(..., description="抽样送检测、检验、检疫或者鉴定")
    photos: int
    audio_video: int
    checklist: list[InspectionChecklistOut]


class ResultOut(Schema):
    sent_on: dt.date = Field(..., description="告知检查结果日期")
    outcome: str = Field(..., description=status_description(list(r.OUTCOMES.items()), what="检查结果"))
    outcome_label: str
    findings: str = Field(..., description="发现的问题")
    test_results_on: dt.date | None = Field(..., description="取得检测结果的日期")
    rectification_due: dt.date | None = Field(..., description="整改期限")


class LinkedCaseOut(Schema):
    body_id: int = Field(..., description="立案查处的执法主体")
    body: str
    case_id: int


class PhotoOut(Schema):
    id: int = Field(..., description="证据文件 id")
    agency_id: int = Field(..., description="上传人员所在的执法主体（综合查一次时可为参加检查的单位）")
    agency_name: str
    original_name: str = Field(..., description="原文件名")
    content_type: str = Field(..., description="按文件内容识别的类型")
    size: int = Field(..., description="字节数")
    sha256: str
    uploaded_at: dt.datetime
    ledger_seq: int | None = Field(..., description="记载其存入的账本条目序号")
    case_id: int | None = Field(..., description="已转为案件证据的：该案件；否则为 null")


class InspectionDetailOut(InspectionOut):
    bodies: list[str] = Field(..., description="参加检查的执法主体（综合查一次为多个）")
    items: list[InspectionItemRefOut]
    officers: list[InspectorOut] = Field(..., description="派出的检查人员")
    code_state: CodeStateOut | None = Field(..., description="检查码及其状态；未批准时为 null")
    record: InspectionRecordOut | None = Field(..., description="现场检查记录；未记录时为 null")
    result: ResultOut | None = Field(..., description="告知的检查结果；未告知时为 null")
    cases: list[LinkedCaseOut] = Field(..., description="据本次检查立案查处的案件")
    photos: list[PhotoOut] = Field(..., description="现场照片和音像记录（各参加单位上传的）")


def _out(inspection: Inspection) -> dict:
    return {
        "id": inspection.pk, "agency_id": inspection.agency_id, "agency_name": inspection.agency.name,
        "target_name": inspection.target.name, "target_credit_code": inspection.target.credit_code,
        "source": inspection.source, "source_label": inspection.get_source_display(),
        "status": inspection.state, "status_label": INSPECTION.state_label(inspection.state),
        "planned_from": inspection.planned_from, "planned_to": inspection.planned_to,
        "started_on": inspection.started_on, "finished_on": inspection.finished_on, "code": inspection.code,
        "result_outcome": inspection.result_outcome, "published_on": inspection.published_on,
    }


def _record_out(inspection: Inspection, record: r.InspectionRecord | None) -> dict | None:
    if record is None:
        return None
    names = {i.pk: i.name for i in inspection.items.all()}
    return {
        "on": record.on, "officer_ids": list(record.officer_ids), "certificates_shown": record.certificates_shown,
        "enterprise_signed": record.enterprise_signed, "refusal_noted": record.refusal_noted,
        "needs_testing": record.needs_testing, "photos": record.photos, "audio_video": record.audio_video,
        "checklist": [{"item_id": e.item_id, "item": names.get(e.item_id, ""), "point": e.point, "finding": e.finding,
                       "finding_label": r.FINDINGS.get(e.finding, "未填写"), "note": e.note} for e in record.checklist],
    }


def _result_out(result: r.ResultNotice | None) -> dict | None:
    if result is None:
        return None
    return {"sent_on": result.sent_on, "outcome": result.outcome, "outcome_label": r.OUTCOMES.get(result.outcome, ""),
            "findings": result.findings, "test_results_on": result.test_results_on,
            "rectification_due": result.rectification_due}


def _code_out(inspection: Inspection) -> dict | None:
    if not inspection.code:
        return None
    page = sel.inspection_code_page(code=inspection.code, on=timezone.localdate())
    if page is None:
        return None
    return {"code": page.code, "valid": page.valid, "state_label": page.state_label, "valid_from": page.valid_from,
            "valid_to": page.valid_to, "emergency_pending": page.emergency_pending,
            "emergency_refused": page.emergency_refused}


def _photo_out(record: EvidenceRecord) -> dict:
    stored = record.stored_file
    return {"id": record.pk, "agency_id": record.agency_id, "agency_name": record.agency.name,
            "original_name": record.original_name, "content_type": stored.content_type, "size": stored.size,
            "sha256": stored.sha256, "uploaded_at": record.uploaded_at, "ledger_seq": record.ledger_seq,
            "case_id": record.case_id}


def _detail(inspection: Inspection) -> dict:
    snapshot = sel.inspection_snapshot(inspection)
    return _out(inspection) | {
        "bodies": [name for _, name in snapshot.body_names],
        "items": [{"id": i.pk, "name": i.name, "legal_basis": i.legal_basis} for i in inspection.items.all()],
        "officers": [{"id": o.pk, "name": o.name, "agency_id": o.agency_id} for o in inspection.officers.all()],
        "code_state": _code_out(inspection),
        "record": _record_out(inspection, snapshot.record),
        "result": _result_out(snapshot.result),
        "cases": [{"body_id": body_id, "body": snapshot.body_name(body_id), "case_id": case_id}
                  for body_id, case_id in snapshot.cases],
        "photos": [_photo_out(p) for p in sel.inspection_photos(inspection)],
    }


def _readable(request: HttpRequest, inspection_id: int) -> Inspection:
    """The inspection as its page opens it; one the viewer may not see is absent (404), as another
    county's."""
    try:
        return sel.inspection_for_viewer(viewer=request.user, inspection_id=inspection_id)
    except PermissionDenied:
        raise Http404("没有这次检查") from None


def _actionable(request: HttpRequest, inspection_id: int) -> Inspection:
    """The inspection for a step or an upload: absent (404) as `_readable`; a reader of the county
    is refused (403)."""
    _readable(request, inspection_id)
    return sel.inspection_for_actor(actor=request.user, inspection_id=inspection_id)


@router.get("/inspections", response=answers({200: InspectionPageOut}))
def inspection_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="组织检查的执法主体"),
    status: InspectionStatusIn | None = STATUS,
    target: str | None = TARGET,
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    ordering: str = ordering_query(ORDERING, default="-planned_from"),
    publish_pending: bool | None = Query(None, description="true：只列结果待公示的双随机抽查（已办结、尚未公示，"
                                         "由本单位负责人经 POST /api/inspection-results/publish 公示）；false：其余的"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """行政检查，默认按计划检查日期从新到旧，分页返回。司法局监督人员看到本县的全部检查，执法主体负责人和管理员看到本单位组织或参加的，
    执法人员看到派本人参加的。"""
    rows = sel.inspections_visible(viewer=request.user)
    if publish_pending is not None:
        pending = {"source": InspectionSource.RANDOM, "state": InspectionState.CLOSED, "published_on": None}
        rows = rows.filter(**pending) if publish_pending else rows.exclude(**pending)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if status:
        rows = rows.filter(state=status)
    if target:
        rows = rows.filter(target__credit_code=target.upper())
    rows = date_range_filter(rows, field="planned_from", since=since, until=until)
    order = order_resolve(ordering, keys=ORDERING, default="-planned_from")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_out)


@router.get("/inspections/{inspection_id}", response=answers({200: InspectionDetailOut}, 404))
def inspection_get(request: HttpRequest, inspection_id: int = Path(..., ge=1, le=ID_MAX)):
    """一次行政检查：检查事项、检查人员、检查码及其状态、现场检查记录、检查结果、据此立案的案件。与检查页面相同的人可以查看；
    其他县、其他单位或未参加的检查返回 404。"""
    return _detail(_readable(request, inspection_id))


# --- The steps of an inspection, as the inspection page's forms take them ----------------------------

# Each step of the page (`step_forms.ACTIONS`) with the procedure's label; the page's own
# words for the steps that are not transitions of the procedure (recorded on the inspection).
_PAGE_LABELS = {"inspection_offsite": "先行非现场检查", "inspection_approve_after": "负责人补办批准",
                "inspection_join": "本单位参加检查（综合查一次）", "inspection_case_open": "本单位登记案源（立案查处）"}
_TRANSITION_LABELS = {t.name: t.label for t in INSPECTION.transitions}
STEP_LABELS = {a: _TRANSITION_LABELS.get(a) or _PAGE_LABELS.get(a, a) for a in ACTIONS}
StepIn = Literal[tuple(STEP_LABELS)]  # type: ignore[valid-type]
STEP = Path(..., description=status_description(list(STEP_LABELS.items()), what="步骤"))


class ChecklistIn(Schema):
    item_id: int = Field(..., ge=1, le=ID_MAX, description="本次检查的检查事项")
    point: str = Field("", max_length=200, description="检查内容；不填为检查事项的名称")
    finding: str = Field("", max_length=20, description=status_description(list(r.FINDINGS.items()), what="检查情况"))
    note: str = Field("", max_length=500, description="备注")


class InspectionStepBody(Schema):
    """The fields of the page's forms, by the same names; each step reads those it needs."""

    approval: str = Field("", max_length=20, description="批准时：agree（同意）")
    reason: str = Field("", max_length=2000, description="批准、不予批准、补办批准时：理由")
    emergency_reason: str = Field("", max_length=2000, description="紧急情况先行检查时：紧急情况")
    method: str = Field("", max_length=20, description="非现场检查时：" + status_description(
        list(r.OFFSITE_METHODS.items()), what="方式"))
    offsite_on: PlausibleDate | None = Field(None, description="非现场检查时：检查日期")
    sufficient: bool = Field(False, description="非现场检查时：足以认定，无需现场检查")
    offsite_findings: str = Field("", max_length=2000, description="非现场检查时：核查情况")
    on: PlausibleDate | None = Field(None, description="现场检查记录：检查日期")
    officer_ids: list[Id] = Field([], max_length=50, description="现场检查记录：在场的检查人员（本次检查派出的）")
    certificates_shown: bool = Field(False, description="现场检查记录：出示执法证件")
    enterprise_signed: bool = Field(False, description="现场检查记录：检查对象签字确认")
    refusal_noted: bool = Field(False, description="现场检查记录：检查对象拒绝签字，已注明")
    needs_testing: bool = Field(False, description="现场检查记录：抽样送检")
    checklist: list[ChecklistIn] = Field([], max_length=200, description="现场检查记录：每个检查事项的检查情况")
    outcome: str = Field("", max_length=20, description="告知结果时：" + status_description(
        list(r.OUTCOMES.items()), what="检查结果"))
    findings: str = Field("", max_length=2000, description="告知结果时：发现的问题")
    sent_on: PlausibleDate | None = Field(None, description="告知结果时：告知日期")
    test_results_on: PlausibleDate | None = Field(None, description="告知结果时：取得检测结果的日期")
    rectification_due: PlausibleDate | None = Field(None, description="告知结果时：整改期限")
    join_items: list[Id] = Field([], max_length=50, description="参加检查时：本单位的检查事项")
    join_officers: list[Id] = Field([], max_length=50, description="参加检查时：本单位的检查人员")


def _as_form(body: InspectionStepBody) -> QueryDict:
    """The body as the page's form posts it, for the page's own parsing (`form_parse`)."""
    form = QueryDict(mutable=True)
    for name, value in body.dict().items():
        if name == "checklist":
            for entry in value:
                for key in ("point", "finding", "note"):
                    form[f"{key}_{entry['item_id']}"] = entry[key]
        elif isinstance(value, list):
            form.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                form[name] = "on"
        elif isinstance(value, dt.date):
            form[name] = value.isoformat()
        elif value is not None:
            form[name] = value
    return form


@router.post("/inspections/{inspection_id}/steps/{step}",
             response=answers({200: InspectionDetailOut}, 403, 404, 409))
def inspection_step(request: HttpRequest, payload: InspectionStepBody,
                    inspection_id: int = Path(..., ge=1, le=ID_MAX), step: StepIn = STEP):
    """办理行政检查的一步（批准、开始、记录、告知结果等），与检查页面的表单相同：由负责人或派出的检查人员办理，
    司法局监督人员只能查看（403）。字段不合格返回 422 并指明字段；依法不能办理（未经批准、证件无效、人数不足等）返回 409
    并列出全部理由及依据。"""
    inspection = _actionable(request, inspection_id)  # absent: 404; a reader of the county: 403
    data, problems = form_parse(step, _as_form(payload), inspection)
    if problems:
        raise InputRefused(problems)
    inspection_act(actor=request.user, inspection_id=inspection.pk, action=step, data=data)
    return _detail(sel.inspection_load(pk=inspection.pk))


# --- The photos of the visit, as the phone page uploads them -----------------------------------------

# The evidence app's refusals of the file itself (its size, its type, an empty file): the data sent.
PHOTO_INPUT_CODES = ("evidence.too_large", "evidence.kind_mismatch", "evidence.empty")
PHOTO = File(..., description="现场照片（multipart/form-data 的字段 photo）：JPEG、PNG、HEIC 等，按文件内容识别类型；"
                              "大小不超过平台的证据文件上限")


@router.post("/inspections/{inspection_id}/photos", response=answers({201: PhotoOut}, 403, 404, 409, 413))
def inspection_photo_upload(
    request: HttpRequest,
    inspection_id: int = Path(..., ge=1, le=ID_MAX),
    photo: UploadedFile = PHOTO,
):
    """上传一张现场照片，与检查页面的“拍照或选择照片”相同：由派出的检查人员或本单位负责人在检查中（已批准或检查进行中）上传，
    作为本次检查的证据存入（记入账本），现场检查记录计入照片数。文件过大返回 413，不是照片或为空返回 422，均不保存；
    检查不在进行中返回 409 并说明理由；司法局监督人员只能查看（403）。带 Idempotency-Key 重发时返回首次的应答（此时请求体不超过 10 MB）。"""
    inspection = _actionable(request, inspection_id)
    try:
        record = inspection_photo_add(actor=request.user, inspection_id=inspection.pk, source=photo,
                                      original_name=photo.name or "")
    except Refused as refused:
        if not all(v.code in PHOTO_INPUT_CODES for v in refused.violations):
            raise  # the inspection is not being carried out: 409
        violations = [dataclasses.replace(v, field="photo") for v in refused.violations]
        if any(v.code == "evidence.too_large" for v in violations):
            return Status(413, {"error": {"code": "too_large", "message": "文件过大"},
                                "violations": [v.as_dict() for v in violations]})
        raise InputRefused(violations) from None
    record = EvidenceRecord.objects.select_related("stored_file", "agency").get(pk=record.pk)
    return Status(201, _photo_out(record))


# --- 结果公示: the head publishes the results of the agency's closed 双随机 inspections ------------------


class ResultsPublishIn(Schema):
    inspection_ids: list[Id] = Field(..., min_length=1, max_length=200,
                                     description="要公示结果的检查（本单位已办结、尚未公示的双随机抽查；"
                                                 "GET /api/inspections?publish_pending=true 列出）。公示后不能撤回")


class ResultsPublishedOut(Schema):
    published: int = Field(..., description="本次公示的检查结果数")
    inspection_ids: list[int] = Field(..., description="本次公示的检查")
    published_on: dt.date = Field(..., description="公示日期")


@router.post("/inspection-results/publish", response=answers({200: ResultsPublishedOut}, 403, 409))
def inspection_results_publish(request: HttpRequest, payload: ResultsPublishIn):
    """公示双随机抽查结果（结果公告），与检查页面的“公示抽查结果”相同：由本单位负责人公示所列的检查，公示记录进入门户网站和账本。
    所列检查有一项不是本单位待公示的结果（未办结、已公示、不是双随机抽查、不是本单位的或不存在）即返回 409 并逐项说明，一项也不公示；
    其他人员返回 403。"""
    user = request.user
    if not user_is_head_of(user, user.agency_id):
        raise PermissionDenied("只有本单位负责人可以公示抽查结果")
    ids = list(dict.fromkeys(payload.inspection_ids))
    pending = sel.results_pending_ids(agency_id=user.agency_id, inspection_ids=ids)
    refused = [Violation("inspection.result.not_pending",
                         f"检查（id {pk}）不是本单位待公示的双随机抽查结果：只有本单位已办结、尚未公示的双随机抽查结果可以公示",
                         RANDOM_INSPECTION_BASIS, "inspection_ids") for pk in ids if pk not in pending]
    if refused:
        raise Refused(refused)
    on = timezone.localdate()
    count = inspection_services.inspection_results_publish(actor=user, agency_id=user.agency_id, on=on, inspection_ids=ids)
    published = sorted(Inspection.objects.filter(pk__in=ids, published_on=on).values_list("pk", flat=True))
    return {"published": count, "inspection_ids": published, "published_on": on}

"""制度文件 (system documents) through the API (issue 19), as their pages show them and to whom: an
agency's users see their agency's checklist and documents, the supervisors of a 司法局 those sent to
their bureau and the checklist of every agency of their county, a system administrator all; another
agency's or bureau's document is a 404. The agency's head or administrator submits a document with
its file (multipart) and resubmits a corrected one; the receiving bureau's supervisors accept it or
return it with a reason; a submitted file is downloaded as on the page, each download access-logged.
Handlers parse, call evaluation's document services and selectors, and render."""

import dataclasses
import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Path, Query, Router, Schema, UploadedFile

from sanxiang.access.services import AccessTarget
from sanxiang.accounts.permissions import user_reads_all_agencies
from sanxiang.api.errors import InputRefused
from sanxiang.api.files import file_answer
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
from sanxiang.api.schemas import Status, Text, answers, binary_answer
from sanxiang.evaluation import document_selectors as selectors
from sanxiang.evaluation import document_services as services
from sanxiang.evaluation.models import SystemDocument
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.evaluation.documents import (
    ACTIONS,
    DOCUMENT_ACTION_LABELS,
    DOCUMENT_KIND_LABELS,
    DOCUMENT_STATE_LABELS,
    DocumentAction,
    DocumentKind,
    DocumentState,
    document_actions_open,
    document_kinds_required,
    documents_due_on,
    plan_basis,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation

router = Router(tags=["system-documents"])

KINDS = [(k.value, label) for k, label in DOCUMENT_KIND_LABELS.items()]
STATES = [(s.value, label) for s, label in DOCUMENT_STATE_LABELS.items()]
REVIEWS = [(a.value, DOCUMENT_ACTION_LABELS[a]) for a in (DocumentAction.ACCEPT, DocumentAction.RETURN)]
KindIn = Literal[tuple(value for value, _ in KINDS)]  # type: ignore[valid-type]
StatusIn = Literal[tuple(value for value, _ in STATES)]  # type: ignore[valid-type]
ReviewIn = Literal[tuple(value for value, _ in REVIEWS)]  # type: ignore[valid-type]
ORDERING = {"submitted_on": ("submitted_on", "最近报送日期"), "updated_on": ("updated_on", "最近办理日期"),
            "id": ("id", "报送先后")}
KIND = Query(None, description=status_description(KINDS, what="类别"))
STATUS = Query(None, description=status_description(STATES))
SINCE, UNTIL = since_query("最近报送日期"), until_query("最近报送日期")
FILE_HELP = ("PDF、Word（DOCX）、Excel（XLSX）文件或图片（JPEG、PNG），按文件内容识别格式；大小不超过平台的证据文件上限"
             "（multipart/form-data 的字段 file）")
FILE = File(..., description=FILE_HELP)
# The evidence store's refusal of a file over the platform's limit: 413, as the other uploads of the API.
TOO_LARGE = "evidence.too_large"


class SystemDocumentFileOut(Schema):
    id: int = Field(..., description="文件（下载：GET /api/system-documents/{document_id}/files/{id}）")
    name: str = Field(..., description="文件名")
    content_type: str
    size: int = Field(..., description="字节数")
    sha256: str


class SystemDocumentStepOut(Schema):
    action: str = Field(..., description=status_description(
        [(a.value, label) for a, label in DOCUMENT_ACTION_LABELS.items()], what="办理"))
    label: str
    on: dt.date
    actor: str = Field(..., description="办理人")
    version: int = Field(..., description="第几次报送")
    reason: str = Field(..., description="退回理由")
    file: SystemDocumentFileOut | None = Field(..., description="这一步报送的文件")


class SystemDocumentOut(Schema):
    id: int
    agency_id: int = Field(..., description="报送机关")
    agency_name: str
    bureau_id: int = Field(..., description="审查的司法局")
    kind: str = Field(..., description=status_description(KINDS, what="类别"))
    kind_label: str
    title: str
    public: bool = Field(..., description="审查通过后在门户网站向社会公开")
    status: str = Field(..., description=status_description(STATES))
    status_label: str
    version: int = Field(..., description="报送次数")
    submitted_on: dt.date = Field(..., description="最近报送日期")
    decided_on: dt.date | None = Field(..., description="最近审查日期")
    return_reason: str = Field(..., description="退回理由（已退回时）")


class SystemDocumentDetailOut(SystemDocumentOut):
    file: SystemDocumentFileOut = Field(..., description="现行文件（最近报送的）")
    steps: list[SystemDocumentStepOut] = Field(..., description="办理过程，最早的在前")
    actions: list[str] = Field(..., description="本人现在可以办理的操作：resubmit（重新报送）、accept 和 return（审查）")


class SystemDocumentPageOut(PageOut):
    items: list[SystemDocumentOut]


class SystemDocumentChecklistItemOut(Schema):
    kind: str = Field(..., description=status_description(KINDS, what="类别"))
    label: str
    status: str = Field(..., description="missing 未报送、returned 被退回未重新报送、submitted 已报送待审查、accepted 已通过")
    status_label: str
    overdue: bool = Field(..., description="已过报送期限仍未报送，或被退回后未重新报送")
    why: str = Field(..., description="逾期的说明（未逾期为空字符串）")
    document_ids: list[int]


class SystemDocumentAgencyChecklistOut(Schema):
    agency_id: int
    agency_name: str
    accepted: int = Field(..., description="已通过的类别数")
    overdue: int = Field(..., description="逾期的类别数")
    items: list[SystemDocumentChecklistItemOut]


class SystemDocumentChecklistOut(Schema):
    due_on: dt.date = Field(..., description="报送期限")
    basis: str = Field(..., description="依据")
    kinds: list[str] = Field(..., description="应报送的类别")
    may_submit: bool = Field(..., description="本人可以报送（本机关负责人或者单位管理员）")
    agencies: list[SystemDocumentAgencyChecklistOut] = Field(..., description="本机关的，或者（司法局）本县各执法机关的清单")
    waiting_review: list[SystemDocumentOut] = Field(..., description="（司法局监督人员）待本局审查的文件，最早报送的在前")


class SystemDocumentIn(Schema):
    kind: KindIn = Field(..., description=status_description(KINDS, what="类别") + "（须为清单要求的类别）")
    title: Text(200) = Field(..., description="标题")
    public: bool = Field(True, description="审查通过后在门户网站向社会公开")


class SystemDocumentReviewIn(Schema):
    action: ReviewIn = Field(..., description=status_description(REVIEWS, what="审查结果"))
    reason: Text(2000, multiline=True) = Field("", description="退回理由（退回时必填）")


def _file_out(record) -> dict:
    stored = record.stored_file
    return {"id": record.pk, "name": record.original_name, "content_type": stored.content_type, "size": stored.size,
            "sha256": stored.sha256}


def _document_out(document: SystemDocument) -> dict:
    state = DocumentState(document.state)
    return {
        "id": document.pk, "agency_id": document.agency_id, "agency_name": document.agency.name,
        "bureau_id": document.bureau_id, "kind": document.kind,
        "kind_label": DOCUMENT_KIND_LABELS[DocumentKind(document.kind)], "title": document.title,
        "public": document.public, "status": state.value, "status_label": DOCUMENT_STATE_LABELS[state],
        "version": document.version, "submitted_on": document.submitted_on, "decided_on": document.decided_on,
        "return_reason": document.return_reason,
    }


def _detail(*, viewer, document_id: int) -> dict:
    document = selectors.document_get(viewer=viewer, document_id=document_id)
    side = services.document_side(document=document, user=viewer)
    return _document_out(document) | {
        "file": _file_out(document.file),
        "steps": [{"action": step.action, "label": DOCUMENT_ACTION_LABELS[DocumentAction(step.action)], "on": step.on,
                   "actor": str(step.actor), "version": step.version, "reason": step.reason,
                   "file": _file_out(step.file) if step.file else None}
                  for step in selectors.document_steps(document=document)],
        "actions": [a.value for a in document_actions_open(state=document.state, side=side)],
    }


def one_file_require(request: HttpRequest) -> None:
    """One document is one file: two `file` parts are refused, not the second silently dropped."""
    if len(request.FILES.getlist("file")) != 1:
        raise InputRefused([Violation("form.one_file", "请上传一个文件（字段 file 只能有一个）", FORM_BASIS, "file")])


def document_refusal_answer(refused: Refused):
    """A refusal naming the data sent (kind, title, file, reason) is the input's: 422 (413 for a file
    over the limit), each on its field (the file's as `file`); one that names none (who, the state) 409."""
    violations = [dataclasses.replace(v, field="file") if v.field == "upload" else v for v in refused.violations]
    if any(v.code == TOO_LARGE for v in violations):
        return Status(413, {"error": {"code": "too_large", "message": "文件过大"},
                            "violations": [v.as_dict() for v in violations]})
    if all(v.field for v in violations):
        raise InputRefused(violations) from None
    raise Refused(violations) from None


@router.get("/system-documents/checklist", response=answers({200: SystemDocumentChecklistOut}))
def system_document_checklist(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="（司法局）只看本县这一执法机关的清单"),
):
    """制度文件清单，与制度文件页面相同：执法机关人员看到本机关的，司法局监督人员看到本县各执法机关的（及待本局审查的文件），
    系统管理员看到全部；各类别的报送状态、是否逾期。"""
    user = request.user
    today = timezone.localdate()
    agency_id = agency if user_reads_all_agencies(user) else None
    rows = selectors.checklists(viewer=user, today=today, agency_id=agency_id)
    return {
        "due_on": documents_due_on(on=today), "basis": plan_basis(),
        "kinds": [k.value for k in document_kinds_required(on=today)], "may_submit": services.agency_side(user),
        "agencies": [{"agency_id": row.agency.pk, "agency_name": row.agency.name, "accepted": row.accepted,
                      "overdue": len(row.overdue),
                      "items": [{"kind": i.kind.value, "label": i.label, "status": i.status.value,
                                 "status_label": i.status_label, "overdue": i.overdue, "why": i.why,
                                 "document_ids": list(i.document_ids)} for i in row.items]}
                     for row in rows],
        "waiting_review": [_document_out(d) for d in selectors.document_waiting_review(viewer=user)],
    }


@router.get("/system-documents", response=answers({200: SystemDocumentPageOut}))
def system_document_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="报送机关"),
    kind: KindIn | None = KIND,
    status: StatusIn | None = STATUS,
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    ordering: str = ordering_query(ORDERING, default="-submitted_on"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """制度文件，默认按最近报送日期从新到旧，分页返回：执法机关人员看到本机关的，司法局监督人员看到报送本局的，系统管理员看到全部。"""
    rows = selectors.documents_for(viewer=request.user)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(state=status)
    rows = date_range_filter(rows, field="submitted_on", since=since, until=until)
    order = order_resolve(ordering, keys=ORDERING, default="-submitted_on")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_document_out)


@router.get("/system-documents/{document_id}", response=answers({200: SystemDocumentDetailOut}, 404))
def system_document_get(request: HttpRequest, document_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份制度文件：现行文件、办理过程（各次报送的文件、退回理由）、本人现在可以办理的操作，与文件页面相同。"""
    return _detail(viewer=request.user, document_id=document_id)


@router.post("/system-documents", response=answers({201: SystemDocumentDetailOut}, 403, 409, 413))
def system_document_submit(request: HttpRequest, payload: Form[SystemDocumentIn], file: UploadedFile = FILE):
    """本机关负责人或者单位管理员向本县司法局报送一份清单要求的制度文件（multipart/form-data：kind、title、public 和文件 file），
    与报送页面相同，文件存入证据库并记入账本。类别不在清单上、标题为空、文件为空、格式不对或不是一个文件的，返回 422 并指明字段；文件过大 413；
    本县尚未登记司法局的 409；其他人 403。"""
    if not services.agency_side(request.user):
        raise PermissionDenied("只有执法机关的负责人或者单位管理员可以报送制度文件")
    one_file_require(request)
    try:
        document = services.system_document_submit(actor=request.user, kind=payload.kind, title=payload.title,
                                                    public=payload.public, upload=file, on=timezone.localdate())
    except Refused as refused:
        return document_refusal_answer(refused)
    return Status(201, _detail(viewer=request.user, document_id=document.pk))


def _side_require(request: HttpRequest, document: SystemDocument, action: DocumentAction) -> None:
    if services.document_side(document=document, user=request.user) != ACTIONS[action].side:
        raise PermissionDenied("只有报送机关的负责人或者单位管理员可以重新报送" if action == DocumentAction.RESUBMIT
                               else "只有受理的司法局的监督人员可以审查")


@router.post("/system-documents/{document_id}/resubmit",
             response=answers({200: SystemDocumentDetailOut}, 403, 404, 409, 413))
def system_document_resubmit(request: HttpRequest, document_id: int = Path(..., ge=1, le=ID_MAX),
                             file: UploadedFile = FILE):
    """报送机关的负责人或者单位管理员重新报送被退回的文件，或者报送已通过文件的修订稿（multipart/form-data 的字段 file），
    与文件页面相同。文件为空、格式不对或不是一个文件的 422，过大 413；文件正待审查的，返回 409 并列出全部理由；司法局等其他人 403。"""
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    _side_require(request, document, DocumentAction.RESUBMIT)
    one_file_require(request)
    try:
        services.system_document_resubmit(actor=request.user, document=document, upload=file, on=timezone.localdate())
    except Refused as refused:
        return document_refusal_answer(refused)
    return _detail(viewer=request.user, document_id=document.pk)


@router.post("/system-documents/{document_id}/review", response=answers({200: SystemDocumentDetailOut}, 403, 404, 409))
def system_document_review(request: HttpRequest, payload: SystemDocumentReviewIn,
                           document_id: int = Path(..., ge=1, le=ID_MAX)):
    """受理的司法局的监督人员审查报送的文件：审查通过（accept；须公开的即在门户网站公开），或者退回修改（return，须写明理由），
    与文件页面相同，记入账本，不能撤回。退回未写理由的 422；文件不在待审查状态的，返回 409 并列出全部理由；报送机关等其他人 403。"""
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    _side_require(request, document, DocumentAction(payload.action))
    try:
        services.system_document_review(actor=request.user, document=document, action=payload.action,
                                        reason=payload.reason, on=timezone.localdate())
    except Refused as refused:
        return document_refusal_answer(refused)
    return _detail(viewer=request.user, document_id=document.pk)


@router.get("/system-documents/{document_id}/files/{file_id}", response=answers({}, 404),
            openapi_extra=binary_answer("*/*", description="报送的文件，Content-Type 为存入时按内容识别的类型"))
def system_document_file(request: HttpRequest, document_id: int = Path(..., ge=1, le=ID_MAX),
                         file_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载为这份制度文件报送的一个文件（现行的或者以前各次报送的），与文件页面相同，记入访问日志。"""
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    record = selectors.document_file_get(document=document, record_id=file_id)
    return file_answer(request, record=record, filename=record.original_name, target=AccessTarget(
        "evaluation.system_document", document.pk, f"制度文件 {document.title}", agency_id=document.agency_id))


__all__ = ["router"]

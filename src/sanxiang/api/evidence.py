"""A case's evidence (证据、执法音像记录) through the API (issue 19 item 1): the files filed in a case
with their metadata and digests, one file, and its bytes, to whom the evidence pages show them
(`evidence.selectors.record_list`, `record_get`: the agency's users, the supervisors under a read
grant, a system administrator); each download is recorded in the access log and the ledger before
a byte leaves, as the page's download is. The documents the platform generated are not listed
here but under GET /api/cases/{case_id}/documents.

Files are uploaded with the resumable tus protocol (https://tus.io, version 1.0.0) at
/staff/evidence/tus/ (metadata: case, step, kind, captured_at, device_number, officer, location),
as the upload page does; that endpoint takes a login session (and CSRF on writes), not yet a bearer
token (evidence/tus.py)."""

import datetime as dt
from typing import Literal

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.api.documents import FileOut
from sanxiang.api.pagination import (
    CURSOR_DESCRIPTION,
    CURSOR_MAX_LENGTH,
    DEFAULT_LIMIT,
    LIMIT_DESCRIPTION,
    MAX_LIMIT,
    PageOut,
    date_range_check,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import (
    PlausibleDate,
    answers,
    binary_answer,
)
from sanxiang.cases.selectors import case_get
from sanxiang.evidence import selectors
from sanxiang.evidence.models import EvidenceKind, EvidenceRecord
from sanxiang.evidence.storage import blob_store_get
from sanxiang.inputs import ID_MAX

router = Router(tags=["evidence"])

KIND_LABELS = {value: str(label) for value, label in EvidenceKind.choices}
KindIn = Literal[tuple(EvidenceKind.values)]  # type: ignore[valid-type]
# Newest upload first, as the evidence page lists them.
EVIDENCE_ORDERING = {"uploaded_at": ("uploaded_at", "上传时间"), "id": ("id", "登记先后")}

KIND_QUERY = Query(None, description=status_description(KIND_LABELS, what="类别"))
SINCE_QUERY = since_query("上传日期")
UNTIL_QUERY = until_query("上传日期")

class EvidenceOut(Schema):
    id: int
    case_id: int | None
    agency_id: int
    step: str = Field(..., description="所属程序环节")
    kind: str = Field(..., description=status_description(KIND_LABELS, what="类别"))
    kind_label: str
    original_name: str = Field(..., description="原文件名")
    captured_at: dt.datetime | None = Field(..., description="拍摄（采集）时间")
    device_number: str = Field(..., description="执法记录仪编号")
    officer_id: int | None = Field(..., description="采集人员")
    location: str = Field(..., description="采集地点")
    uploaded_at: dt.datetime
    signer_role: str = Field(..., description="签名的签名人身份（当事人、被询问人、见证人）；其他文件为空字符串")
    signer_name: str
    record_seq: int | None = Field(..., description="随笔录提交的：该笔录步骤的账本条目序号")
    file: FileOut = Field(..., description="文件：类型、大小、摘要、记载其存入的账本条目序号、下载地址")


class EvidencePageOut(PageOut):
    items: list[EvidenceOut]


def _evidence_out(record: EvidenceRecord) -> dict:
    stored = record.stored_file
    return {
        "id": record.pk, "case_id": record.case_id, "agency_id": record.agency_id, "step": record.step,
        "kind": record.kind, "kind_label": KIND_LABELS.get(record.kind, record.kind),
        "original_name": record.original_name, "captured_at": record.captured_at, "device_number": record.device_number,
        "officer_id": record.officer_id, "location": record.location, "uploaded_at": record.uploaded_at,
        "signer_role": record.signer_role, "signer_name": record.signer_name, "record_seq": record.record_seq,
        "file": {"content_type": stored.content_type, "size": stored.size, "sha256": stored.sha256, "sm3": stored.sm3,
                 "ledger_seq": record.ledger_seq, "url": f"/api/evidence/{record.pk}/download"},
    }


@router.get("/cases/{case_id}/evidence", summary="案件的证据文件列表", response=answers({200: EvidencePageOut}, 403, 404))
def case_evidence_list(
    request: HttpRequest,
    case_id: int = Path(..., ge=1, le=ID_MAX),
    kind: KindIn | None = KIND_QUERY,
    step: str | None = Query(None, max_length=64, description="所属程序环节"),
    since: PlausibleDate | None = SINCE_QUERY,
    until: PlausibleDate | None = UNTIL_QUERY,
    ordering: str = ordering_query(EVIDENCE_ORDERING, default="-uploaded_at"),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION),
    cursor: str | None = Query(None, max_length=CURSOR_MAX_LENGTH, description=CURSOR_DESCRIPTION),
):
    """本案的证据文件，最新上传的在前，分页返回：元数据、SHA-256 和 SM3 摘要、账本序号。
    上传证据文件：tus 可续传协议（1.0.0），地址 /staff/evidence/tus/，元数据 case、step、kind 等同上传页面；
    该地址接受接口令牌（Authorization: Bearer，无须 CSRF 令牌），或登录会话（写操作带 CSRF 令牌）。"""
    date_range_check(since, until)
    case = case_get(viewer=request.user, case_id=case_id)
    records = selectors.record_list(viewer=request.user, case_id=case.pk)
    if kind is not None:
        records = records.filter(kind=kind)
    if step is not None:
        records = records.filter(step=step)
    day = dt.timedelta(days=1)
    if since is not None:
        records = records.filter(uploaded_at__gte=_local_midnight(since))
    if until is not None:
        records = records.filter(uploaded_at__lt=_local_midnight(until + day))
    return paginate(request, records, order=order_resolve(ordering, keys=EVIDENCE_ORDERING, default="-uploaded_at"), limit=limit, cursor=cursor, item=_evidence_out)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@router.get("/evidence/{record_id}", summary="读取证据文件元数据", response=answers({200: EvidenceOut}, 403, 404))
def evidence_get(request: HttpRequest, record_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个证据文件的元数据。"""
    return _evidence_out(selectors.record_get(viewer=request.user, record_id=record_id))


@router.get("/evidence/{record_id}/download", summary="下载证据文件", response=answers({}, 403, 404),
            openapi_extra=binary_answer("*/*", description="文件的原始字节，Content-Type 为存入时识别的类型"))
def evidence_download(request: HttpRequest, record_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载证据文件（作为附件；记入访问日志和账本后才发送）。可用 file.sha256 核对下载的内容。"""
    record = selectors.record_get(viewer=request.user, record_id=record_id)
    stored = record.stored_file
    try:
        blob = blob_store_get().open(stored.sha256)
    except FileNotFoundError as missing:
        raise Http404 from missing
    try:
        access_record(actor=request.user, action=AccessAction.DOWNLOAD, object_kind="evidence", object_id=record.pk,
                      object_label=record.original_name, case_id=record.case_id, agency_id=record.agency_id,
                      ip_address=request.META.get("REMOTE_ADDR"))
    except BaseException:
        blob.close()
        raise
    response = FileResponse(blob, as_attachment=True, filename=record.original_name, content_type=stored.content_type)
    response["Content-Length"] = str(stored.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response

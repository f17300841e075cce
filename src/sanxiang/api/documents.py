"""A case's documents (文书) through the API (issue 19 item 1): their metadata with the digests the
ledger holds, and their PDF and Word bytes, to whom the case page shows them
(`cases.selectors.case_get`, `document_get`: the case's agency, the supervisors under a read
grant, a system administrator), each download recorded in the access log before a byte leaves,
as the page's download is."""

import datetime as dt

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
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
    until_query,
)
from sanxiang.api.schemas import (
    PlausibleDate,
    Status,
    answers,
    binary_answer,
)
from sanxiang.cases import selectors
from sanxiang.cases.models import IssuedDocument
from sanxiang.evidence.storage import blob_store_get
from sanxiang.inputs import ID_MAX

router = Router(tags=["documents"])

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# In the order the case page lists them: as issued.
DOCUMENT_ORDERING = {"issued_at": ("issued_at", "签发时间"), "id": ("id", "生成先后")}

SINCE_QUERY = since_query("文书日期")
UNTIL_QUERY = until_query("文书日期")

class FileOut(Schema):
    """A stored file as the ledger names it: whoever holds its bytes can check them against these digests."""

    content_type: str
    size: int = Field(..., description="字节数")
    sha256: str = Field(..., description="SHA-256 摘要（十六进制）")
    sm3: str = Field(..., description="SM3 摘要（十六进制）；未计算的为空字符串")
    ledger_seq: int | None = Field(..., description="记载该文件的账本条目序号")
    url: str = Field(..., description="下载地址")


class DocumentOut(Schema):
    id: int
    case_id: int
    kind: str = Field(..., description="文书种类（见 GET /api/procedures）")
    title: str = Field(..., description="文书名称")
    number: str = Field(..., description="文号；无需编号的文书为空字符串")
    action: str = Field(..., description="制作该文书的步骤")
    issued_on: dt.date = Field(..., description="文书日期")
    issued_at: dt.datetime = Field(..., description="签发（制作）时间")
    ledger_seq: int | None = Field(..., description="文书签发的账本条目序号（DOCUMENT_ISSUED，记载 PDF 和 Word 的摘要）")
    pdf: FileOut | None = Field(..., description="PDF；内部文书的 PDF 可能稍后生成，生成前为 null")
    docx: FileOut | None = Field(..., description="Word 文本；稍后生成，生成前为 null")


class DocumentPageOut(PageOut):
    items: list[DocumentOut]


def _file_out(record, url: str) -> dict | None:
    if record is None:
        return None
    stored = record.stored_file
    return {"content_type": stored.content_type, "size": stored.size, "sha256": stored.sha256, "sm3": stored.sm3,
            "ledger_seq": record.ledger_seq, "url": url}


def _document_out(document: IssuedDocument) -> dict:
    return {
        "id": document.pk, "case_id": document.case_id, "kind": document.kind, "title": document.title,
        "number": document.number, "action": document.action, "issued_on": document.issued_on,
        "issued_at": document.issued_at, "ledger_seq": document.ledger_seq,
        "pdf": _file_out(document.pdf, f"/api/documents/{document.pk}/pdf"),
        "docx": _file_out(document.docx, f"/api/documents/{document.pk}/docx"),
    }


@router.get("/cases/{case_id}/documents", summary="案件的文书列表", response=answers({200: DocumentPageOut}, 403, 404))
def case_document_list(
    request: HttpRequest,
    case_id: int = Path(..., ge=1, le=ID_MAX),
    since: PlausibleDate | None = SINCE_QUERY,
    until: PlausibleDate | None = UNTIL_QUERY,
    ordering: str = ordering_query(DOCUMENT_ORDERING, default="issued_at"),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION),
    cursor: str | None = Query(None, max_length=CURSOR_MAX_LENGTH, description=CURSOR_DESCRIPTION),
):
    """本案的文书，按签发先后排列，分页返回：种类、文号、日期、PDF 和 Word 的摘要及账本序号。能读本案的人员可见。"""
    date_range_check(since, until)
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    documents = selectors.case_documents(case=case)
    if since is not None:
        documents = documents.filter(issued_on__gte=since)
    if until is not None:
        documents = documents.filter(issued_on__lte=until)
    return paginate(request, documents, order=order_resolve(ordering, keys=DOCUMENT_ORDERING, default="issued_at"), limit=limit, cursor=cursor, item=_document_out)


@router.get("/documents/{document_id}", summary="读取文书元数据", response=answers({200: DocumentOut}, 403, 404))
def document_get(request: HttpRequest, document_id: int = Path(..., ge=1, le=ID_MAX)):
    """一份文书的元数据。"""
    return _document_out(selectors.document_get(viewer=request.user, document_id=document_id))


def _pending():
    return Status(409, {"error": {"code": "pending", "message": "文书文件尚在生成"}, "violations": [{
        "code": "document.pending", "message": "该文书的这一文件尚在生成，请稍后再下载", "legal_basis": "平台规则：文书文件的生成",
        "basis_kind": "platform", "field": None}]})


def _document_file(request: HttpRequest, document_id: int, fmt: str):
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    record = document.pdf if fmt == "pdf" else document.docx
    if record is None:
        return _pending()
    try:
        blob = blob_store_get().open(record.stored_file.sha256)
    except FileNotFoundError as missing:
        raise Http404 from missing
    try:
        # Recorded before the first byte leaves, as the page's download: nothing is served unrecorded.
        with transaction.atomic():
            request_access_record(request=request, action=AccessAction.DOWNLOAD, target=AccessTarget(
                "document", document.pk, f"{document.title} {document.number}".strip(), case_id=document.case_id,
                agency_id=document.agency_id))
    except BaseException:
        blob.close()
        raise
    response = FileResponse(blob, as_attachment=True, filename=f"{document.filename_stem}.{fmt}",
                            content_type=PDF if fmt == "pdf" else DOCX)
    response["Content-Length"] = str(record.stored_file.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@router.get("/documents/{document_id}/pdf", summary="下载文书 PDF", response=answers({}, 403, 404, 409),
            openapi_extra=binary_answer(PDF, description="文书的 PDF"))
def document_pdf(request: HttpRequest, document_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载文书的 PDF（记入访问日志）；尚未生成的返回 409。"""
    return _document_file(request, document_id, "pdf")


@router.get("/documents/{document_id}/docx", summary="下载文书 Word 文本", response=answers({}, 403, 404, 409),
            openapi_extra=binary_answer(DOCX, description="文书的 Word 文本"))
def document_docx(request: HttpRequest, document_id: int = Path(..., ge=1, le=ID_MAX)):
    """下载文书的 Word 文本（记入访问日志）；尚未生成的返回 409。"""
    return _document_file(request, document_id, "docx")

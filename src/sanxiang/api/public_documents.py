"""事前公示的文件 through the API (issue 19): the documents an agency publishes itself on the portal
(制度、清单、服务指南、流程图、执法工作手册), listed as /staff/publication/documents/ lists them (an
agency's staff their agency's, the county's supervisors the county's, a system administrator all) and
published as its publish page does (the agency's head or administrator for their agency, a system
administrator for any agency), through publication.documents' selector and service (evidence store,
ledger). Handlers parse, call and render."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from sanxiang.accounts.models import Role
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
from sanxiang.api.schemas import Status, Text, answers
from sanxiang.api.system_documents import document_refusal_answer, one_file_require
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.publication.documents import (
    DOCUMENT_KINDS,
    TITLE_MAX,
    documents_visible,
    public_document_publish,
    user_may_publish_documents_somewhere,
)
from sanxiang.publication.models import PublicDocument
from sanxiang.registry.models import Agency

router = Router(tags=["publication"])
DocumentKindIn = Literal[DOCUMENT_KINDS]  # type: ignore[valid-type]
KINDS = [(k, k) for k in DOCUMENT_KINDS]
ORDERING = {"published_at": ("published_at", "发布时间"), "id": ("id", "发布先后")}
PUBLISHED_SINCE, PUBLISHED_UNTIL = since_query("发布日期"), until_query("发布日期")
FILE = File(..., description="PDF、Word（DOCX）文档或图片（JPEG、PNG、GIF、WebP），按文件内容识别格式（multipart/form-data 的字段 file）")
DENIED = "只有本机关负责人、单位管理员或者系统管理员可以发布制度文件"


class PublicDocumentOut(Schema):
    id: int
    agency_id: int = Field(..., description="发布的执法主体")
    agency_name: str
    kind: str = Field(..., description=status_description(KINDS, what="类别"))
    title: str
    filename: str
    content_type: str
    size: int = Field(..., description="字节数")
    sha256: str
    published_at: dt.datetime


class PublicDocumentPageOut(PageOut):
    items: list[PublicDocumentOut]


class PublicDocumentIn(Schema):
    kind: DocumentKindIn = Field(..., description=status_description(KINDS, what="类别"))
    title: Text(TITLE_MAX) = Field(..., description="标题")
    agency_id: int | None = Field(None, ge=1, le=ID_MAX,
                                  description="发布的执法主体（系统管理员必填；机关人员不填，为本机关）")


def _out(document: PublicDocument) -> dict:
    return {"id": document.pk, "agency_id": document.agency.source_id, "agency_name": document.agency.name,
            "kind": document.kind, "title": document.title, "filename": document.filename,
            "content_type": document.content_type, "size": document.size, "sha256": document.sha256,
            "published_at": document.published_at}


@router.get("/public-documents", response=answers({200: PublicDocumentPageOut}))
def public_document_list(
    request: HttpRequest,
    kind: DocumentKindIn | None = Query(None, description=status_description(KINDS, what="类别")),  # noqa: B008
    since: dt.date | None = PUBLISHED_SINCE,
    until: dt.date | None = PUBLISHED_UNTIL,
    ordering: str = ordering_query(ORDERING, default="-published_at"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """事前公示的文件，默认按发布时间从新到旧，分页返回，与页面相同：机关人员看到本机关的，司法局监督人员看到本县（区）的，
    系统管理员看到全部。"""
    rows = documents_visible(viewer=request.user)
    if kind:
        rows = rows.filter(kind=kind)
    rows = date_range_filter(rows, field="published_at", since=since, until=until)
    order = order_resolve(ordering, keys=ORDERING, default="-published_at")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_out)


@router.post("/public-documents", response=answers({201: PublicDocumentOut}, 403, 404, 413))
def public_document_create(request: HttpRequest, payload: Form[PublicDocumentIn], file: UploadedFile = FILE):
    """在门户网站发布一份事前公示的文件（multipart/form-data：kind、title、系统管理员另填 agency_id，文件 file），与发布页面相同，
    文件存入证据库并记入账本。本机关负责人、单位管理员为本机关发布，系统管理员为任一机关；其他人 403；
    类别、标题、文件不合格的 422 并指明字段，文件过大 413；机关人员填写其他机关的 404。"""
    user = request.user
    if not user_may_publish_documents_somewhere(user):
        raise PermissionDenied(DENIED)
    if user.role == Role.SYSTEM_ADMIN:
        if payload.agency_id is None:
            raise InputRefused([Violation("form.required", "请选择执法主体", FORM_BASIS, "agency_id")])
        agency = get_object_or_404(Agency, pk=payload.agency_id)
    else:
        if payload.agency_id is not None and payload.agency_id != user.agency_id:
            raise Http404  # another agency's: not seen
        agency = user.agency
    one_file_require(request)
    try:
        document = public_document_publish(actor=user, agency=agency, kind=payload.kind, title=payload.title,
                                           upload=file)
    except Refused as refused:
        return document_refusal_answer(refused)
    return Status(201, _out(PublicDocument.objects.select_related("agency").get(pk=document.pk)))

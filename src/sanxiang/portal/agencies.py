"""事前公开 on the portal: the list of enforcement bodies, each body's page (基本信息和职权依据,
执法人员, 执法事项和裁量基准, 执法流程, 救济渠道, 随机抽查事项清单, 服务指南, 法制审核目录, 制度文件)
and the download of its published documents.

Reads `PublicAgency`, `PublicCertificate`, `PublicDocument` and `PublicCatalogue` only; a
document's bytes come through publication (`public_files`, by digest), never an evidence table."""

import datetime as dt

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.publication.models import CertificateState, PublicAgency, PublicCatalogue, PublicDocument
from sanxiang.publication.public_files import public_document_open

# What a visitor is told a file is before downloading it.
TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/gif": "GIF 图片",
    "image/webp": "WebP 图片",
}


def _size_label(size: int) -> str:
    for unit, factor in (("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} 字节"


def _certificates_valid_on(agency: PublicAgency, on: dt.date):
    """The officers who may enforce today: a certificate in force and within its dates. Suspended,
    revoked, expired and not yet valid ones are left out of the list (each card still verifies)."""
    return agency.certificates.filter(state=CertificateState.VALID, valid_from__lte=on, valid_to__gte=on).order_by(
        "officer_name", "number"
    )


@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = PublicAgency.objects.only("pk", "name", "kind", "entrusted_by", "enforcement_fields", "officer_count")
    return render(request, "portal/agencies/list.html", {"agencies": agencies.order_by("name")})


@require_safe
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(PublicAgency, pk=pk)
    today = timezone.localdate()
    documents = [
        {"document": d, "type": TYPE_LABELS.get(d.content_type, d.content_type), "size": _size_label(d.size)}
        for d in agency.documents.all()
    ]
    return render(
        request,
        "portal/agencies/detail.html",
        {
            "agency": agency,
            "certificates": _certificates_valid_on(agency, today),
            "today": today,
            "documents": documents,
            # The catalogue pages are keyed by the registry's agency number, which the public row
            # keeps as its source id.
            "has_catalogue": PublicCatalogue.objects.filter(agency_source_id=agency.source_id).exists(),
        },
    )


@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(PublicDocument, pk=pk)
    try:
        blob = public_document_open(document=document)
    except FileNotFoundError as missing:
        raise Http404("文件暂时无法提供") from missing
    response = FileResponse(blob, as_attachment=True, filename=document.filename, content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    # The bytes behind a digest never change; the document itself may be withdrawn later.
    response["Cache-Control"] = "public, max-age=3600"
    # A published file is never rendered as a page of this site, even if a browser guesses so.
    response["Content-Security-Policy"] = "sandbox"
    return response


urlpatterns = [
    path("agencies/", agency_list, name="agency_list"),
    path("agencies/<int:pk>/", agency_detail, name="agency_detail"),
    path("agencies/documents/<int:pk>/", document_download, name="document_download"),
]

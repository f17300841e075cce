"""事前公开 on the portal: an agency's 制度文件 that the county's 司法局 reviewed and accepted (issue 15,
item 5), newest first by kind, and the download of each. Reads `PublicAgency` and
`PublicSystemDocument` only; a file's bytes come through publication (by digest), never an evidence
table."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.portal.agencies import TYPE_LABELS, _size_label
from sanxiang.publication.models import PublicAgency, PublicSystemDocument
from sanxiang.publication.public_files import public_system_document_open

TYPE_LABELS_MORE = {
    **TYPE_LABELS,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
}


@require_safe
def system_document_list(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(PublicAgency.objects.only("pk", "name", "source_id"), pk=pk)
    rows = [
        {"document": d, "type": TYPE_LABELS_MORE.get(d.content_type, "文件"), "size": _size_label(d.size)}
        for d in PublicSystemDocument.objects.filter(agency=agency).order_by("kind_label", "-accepted_on", "-pk")
    ]
    return render(request, "portal/agencies/system_documents.html", {"agency": agency, "rows": rows})


@require_safe
def system_document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(PublicSystemDocument, pk=pk)
    try:
        blob = public_system_document_open(document=document)
    except FileNotFoundError as missing:
        raise Http404("文件暂时无法提供") from missing
    response = FileResponse(blob, as_attachment=True, filename=document.filename, content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    response["Cache-Control"] = "public, max-age=3600"
    # A published file is never rendered as a page of this site, even if a browser guesses so.
    response["Content-Security-Policy"] = "sandbox"
    return response


urlpatterns = [
    path("agencies/<int:pk>/system-documents/", system_document_list, name="system_document_list"),
    path("agencies/system-documents/<int:pk>/", system_document_download, name="system_document_download"),
]

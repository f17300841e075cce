"""A stored file as the answer of an API download: recorded in the access log before its first byte
leaves (as the pages' downloads), served as an attachment no browser runs, never cached."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.evidence.storage import blob_store_get


def file_answer(request: HttpRequest, *, record: EvidenceRecord, filename: str, target: AccessTarget,
                content_type: str | None = None) -> FileResponse:
    """`record`'s bytes as a download named `filename`, its access to `target` recorded first (a
    file missing from the store is a 404, as on the pages, and is not recorded)."""
    stored = record.stored_file
    try:
        blob = blob_store_get().open(stored.sha256)
    except FileNotFoundError as missing:
        raise Http404 from missing
    try:
        with transaction.atomic():
            request_access_record(request=request, action=AccessAction.DOWNLOAD, target=target)
    except BaseException:
        blob.close()
        raise
    response = FileResponse(blob, as_attachment=True, filename=filename,
                            content_type=content_type or stored.content_type or "application/octet-stream")
    response["Content-Length"] = str(stored.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def content_answer(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes made for this request (a PDF rendered now) as a download named `filename`, with the same
    headers as a stored file's: an attachment, never sniffed, sandboxed if a browser opens it, not cached."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response

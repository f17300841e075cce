"""Evidence pages: the upload page (its widget talks tus, see tus.py), lists and downloads.
Views parse, call a selector or service, and render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.permissions import permission_require
from sanxiang.evidence import selectors, services
from sanxiang.evidence.models import EvidenceKind
from sanxiang.evidence.sniffing import type_label
from sanxiang.evidence.storage import blob_store_get
from sanxiang.inputs import id_from_query
from sanxiang.procedure.catalog import (
    UnknownProcedure,
    audio_video_steps_labelled,
    evidence_step_label,
)
from sanxiang.registry.models import Officer, OfficerStatus


# Steps of whole-process recording that carry audio-video records: the field stays free text
# because procedures name their own steps; the suggestions are the procedures' own
# (`procedure.catalog`), those of the case's procedure when the upload is for a case.
def step_suggestions(procedure: str | None) -> dict[str, str]:
    try:
        return audio_video_steps_labelled(procedure)
    except UnknownProcedure:
        return audio_video_steps_labelled()


INLINE_TYPES = ("image/", "audio/", "video/", "application/pdf")
PAGE_SIZE = 50


def _case_param(request: HttpRequest):
    value = request.GET.get("case", "").strip()
    if not value:
        return None
    case_id = id_from_query(value)  # ASCII digits within the databases' integer, or None
    if case_id is None:
        raise Http404
    return selectors.case_for_viewer(viewer=request.user, case_id=case_id)


@login_required
def upload_page(request: HttpRequest) -> HttpResponse:
    case = _case_param(request)
    agency_id = case.agency_id if case is not None else request.user.agency_id
    permission_require(selectors.user_can_upload_evidence(request.user, agency_id), "只有本单位执法人员可以上传证据材料")
    officers = Officer.objects.filter(agency_id=agency_id, status=OfficerStatus.ACTIVE).order_by("name")
    records = selectors.record_list(viewer=request.user, case_id=case.pk) if case is not None else None
    return render(
        request,
        "evidence/upload.html",
        {
            "case": case,
            # A signature is drawn inside the record it belongs to (the case page), not uploaded here.
            "kinds": [(v, label) for v, label in EvidenceKind.choices if v != EvidenceKind.SIGNATURE],
            "steps": step_suggestions(case.procedure if case is not None else None).items(),
            "officers": officers,
            "default_officer": request.user.officer_id,
            "max_bytes": services.max_bytes(),
            "max_label": services.size_label(services.max_bytes()),
            "expiry_hours": services.upload_expiry().total_seconds() // 3600,
            "tus_url": reverse("evidence:tus_uploads"),
            "records": _rows(records[:20]) if records is not None else None,
        },
    )


def _generated_document_label(step: str) -> str:
    """A generated document is filed with the step "document:<kind>": its title, not the code."""
    from sanxiang.documents import ALL_DOCUMENT_KINDS

    kind = ALL_DOCUMENT_KINDS.get(step.removeprefix("document:")) if step.startswith("document:") else None
    return f"生成文书（{kind.title}）" if kind else step


def step_label(record) -> str:
    """The name of the step a file belongs to, as the procedure names it (a step typed by the
    uploader stays as typed)."""
    if not record.step:
        return ""
    label = evidence_step_label(record.case.procedure, record.step) if record.case is not None else ""
    return label or audio_video_steps_labelled().get(record.step) or _generated_document_label(record.step)


def record_belongs(record) -> str:
    """Which record a file belongs to: the submitted record's ledger entry, or the record still
    being written."""
    if record.record_seq is not None:
        return f"已随笔录提交（全过程记录账本第 {record.record_seq} 条）"
    if record.draft_key:
        return "所属笔录尚未提交"
    return ""


def _rows(records):
    return [
        {
            "record": r,
            "type_label": type_label(r.stored_file.content_type),
            "size_label": services.size_label(r.stored_file.size),
            "step_label": step_label(r),
            "belongs": record_belongs(r),
            "signer": f"{r.get_signer_role_display()} {r.signer_name}" if r.signer_role else "",
        }
        for r in records
    ]


@login_required
def case_records_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_viewer(viewer=request.user, case_id=case_id)
    records = selectors.record_list(viewer=request.user, case_id=case.pk)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/record_list.html",
        {
            "case": case,
            "page": page,
            "rows": _rows(page),
            "can_upload": selectors.user_can_upload_evidence(request.user, case.agency_id),
        },
    )


@login_required
def record_index(request: HttpRequest) -> HttpResponse:
    records = selectors.record_list(viewer=request.user)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/record_list.html",
        {
            "case": None,
            "page": page,
            "rows": _rows(page),
            "can_upload": selectors.user_can_upload_evidence(request.user, request.user.agency_id),
        },
    )


def inline_allowed(content_type: str) -> bool:
    """Shown in the browser only when the sniffed type is one a browser shows without running
    anything of the file's: pictures (never SVG, which can carry script), PDF, audio, video."""
    return content_type != "image/svg+xml" and content_type.startswith(INLINE_TYPES)


def viewer_mode(content_type: str) -> str:
    if not inline_allowed(content_type):
        return ""
    if content_type == "application/pdf":
        return "pdf"
    return content_type.split("/", 1)[0]  # image, audio, video


@login_required
def record_view(request: HttpRequest, record_id: int) -> HttpResponse:
    """A file's own page: the file shown or played in the browser (its bytes come from the
    download URL, which records every access), with the case, record and step it belongs to."""
    record = selectors.record_get(viewer=request.user, record_id=record_id)
    row = _rows([record])[0]
    return render(
        request,
        "evidence/record_view.html",
        {
            "r": record,
            "row": row,
            "mode": viewer_mode(record.stored_file.content_type),
            "inline_url": f"{reverse('evidence:download', args=[record.pk])}?inline=1",
        },
    )


class RangeNotSatisfiable(Exception):
    pass


RANGE_DIGITS = 19


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range (first, last, inclusive) a `Range: bytes=…` header asks for; None to
    send the whole file (no header, another unit, several ranges: a server may answer those with
    the whole file). RangeNotSatisfiable for a range that is malformed or outside the file."""
    header = header.strip()
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    if "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    first_text, last_text = first_text.strip(), last_text.strip()
    if not dash or not all(t == "" or (t.isascii() and t.isdigit()) for t in (first_text, last_text)):
        raise RangeNotSatisfiable(header)
    # No file is larger than 19 digits of bytes; a longer number is refused before int() (which
    # raises ValueError beyond about 4300 digits, and would otherwise be a 500).
    if len(first_text) > RANGE_DIGITS or len(last_text) > RANGE_DIGITS:
        raise RangeNotSatisfiable(header)
    if first_text == "":
        # A suffix: the last N bytes.
        if not last_text or int(last_text) == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(0, size - int(last_text)), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        raise RangeNotSatisfiable(header)
    return first, min(last, size - 1)


class _Part:
    """The bytes `first` .. `first + length - 1` of a blob, read in chunks; closing it closes the
    blob even if no byte was read (Django closes a streamed body when the response ends)."""

    CHUNK = 256 * 1024

    def __init__(self, blob, first: int, length: int) -> None:
        self.blob, self.first, self.length = blob, first, length

    def __iter__(self):
        blob = self.blob
        seekable = getattr(blob, "seekable", None)
        if self.first and seekable is not None and seekable():
            blob.seek(self.first)
        else:
            skip = self.first  # a stream that cannot seek (object storage): read past the start
            while skip:
                data = blob.read(min(self.CHUNK, skip))
                if not data:
                    return
                skip -= len(data)
        left = self.length
        while left:
            data = blob.read(min(self.CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data

    def close(self) -> None:
        self.blob.close()


@login_required
def record_download(request: HttpRequest, record_id: int) -> HttpResponse:
    """The file's bytes: as an attachment, or shown in the browser (`?inline=1`) when its sniffed
    type is safe to show. Range requests (a video or audio player seeking) get 206 with the
    part, or 416 when the range is outside the file. Every request that sends bytes is recorded
    in the access log and the ledger before the first byte leaves."""
    record = selectors.record_get(viewer=request.user, record_id=record_id)
    stored = record.stored_file
    inline = request.GET.get("inline") == "1" and inline_allowed(stored.content_type)
    try:
        part = byte_range(request.headers.get("Range", ""), stored.size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stored.size}"
        response["Accept-Ranges"] = "bytes"
        return response
    try:
        blob = blob_store_get().open(stored.sha256)
    except FileNotFoundError as missing:
        raise Http404("证据文件缺失，请联系系统管理员运行 sanxiang verify") from missing
    # Recorded before the first byte leaves: nothing is served unrecorded.
    try:
        access_record(
            actor=request.user,
            action=AccessAction.VIEW if inline else AccessAction.DOWNLOAD,
            object_kind="evidence",
            object_id=record.pk,
            object_label=record.original_name,
            case_id=record.case_id,
            agency_id=record.agency_id,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except BaseException:
        blob.close()
        raise
    if part is None:
        response = FileResponse(
            blob, as_attachment=not inline, filename=record.original_name, content_type=stored.content_type
        )
        response["Content-Length"] = str(stored.size)
    else:
        first, last = part
        response = StreamingHttpResponse(
            _Part(blob, first, last - first + 1), status=206, content_type=stored.content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{stored.size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = content_disposition_header(not inline, record.original_name)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A stored file is never rendered as a page of this site, even if a browser guesses so: no
    # script, no form, no same-origin access. Shown inline, it may be framed by this site's own
    # viewer page (a PDF), by nothing else.
    response["Content-Security-Policy"] = "sandbox; frame-ancestors 'self'" if inline else "sandbox"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response

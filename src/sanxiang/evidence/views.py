"""Evidence pages: the upload page (its widget talks tus, see tus.py), lists and downloads.
Views parse, call a selector or service, and render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.permissions import permission_require
from sanxiang.evidence import selectors, services
from sanxiang.evidence.models import EvidenceKind
from sanxiang.evidence.sniffing import type_label
from sanxiang.evidence.storage import blob_store_get
from sanxiang.procedure.catalog import UnknownProcedure, audio_video_steps_labelled
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
    if not value.isdigit():
        raise Http404
    return selectors.case_for_viewer(viewer=request.user, case_id=int(value))


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
            "kinds": EvidenceKind.choices,
            "steps": step_suggestions(case.procedure if case is not None else None).items(),
            "officers": officers,
            "default_officer": request.user.officer_id,
            "max_bytes": services.max_bytes(),
            "max_label": services.size_label(services.max_bytes()),
            "expiry_hours": services.upload_expiry().total_seconds() // 3600,
            "tus_url": reverse("evidence:tus_uploads"),
            "records": _labelled(records[:20]) if records is not None else None,
        },
    )


def _generated_document_label(step: str) -> str:
    """A generated document is filed with the step "document:<kind>": its title, not the code."""
    from sanxiang.documents import ALL_DOCUMENT_KINDS

    kind = ALL_DOCUMENT_KINDS.get(step.removeprefix("document:")) if step.startswith("document:") else None
    return f"生成文书（{kind.title}）" if kind else step


def _labelled(records):
    """The records with `step_label`, the step's Chinese name (the upload page's recent list)."""
    labels = audio_video_steps_labelled()
    records = list(records)
    for r in records:
        r.step_label = labels.get(r.step) or _generated_document_label(r.step)
    return records


def _rows(records):
    labels = audio_video_steps_labelled()
    return [
        {
            "record": r,
            "type_label": type_label(r.stored_file.content_type),
            "size_label": services.size_label(r.stored_file.size),
            "step_label": labels.get(r.step) or _generated_document_label(r.step),
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


@login_required
def record_download(request: HttpRequest, record_id: int) -> FileResponse:
    record = selectors.record_get(viewer=request.user, record_id=record_id)
    stored = record.stored_file
    inline = request.GET.get("inline") == "1" and stored.content_type.startswith(INLINE_TYPES)
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
    response = FileResponse(
        blob, as_attachment=not inline, filename=record.original_name, content_type=stored.content_type
    )
    response["Content-Length"] = str(stored.size)
    response["Cache-Control"] = "private, no-store"
    # A stored file is never rendered as a page of this site, even if a browser guesses so.
    response["Content-Security-Policy"] = "sandbox"
    return response

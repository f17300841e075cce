"""Policy documents an agency publishes itself (制度、清单、服务指南、流程图、执法工作手册): the
service that publishes one, and the staff pages (`documents`, `document_publish`), included by the
project under `staff/publication/` in the namespace `publication`.

Files go through the evidence store, like every file of the platform: streamed once, hashed
(SHA-256, and SM3 when enabled), kept by content and recorded in the ledger as the agency's
document (an `EvidenceRecord` of kind document, step `publication:document`, outside any case).
The public row (`PublicDocument`) names the blob by its digest only; the portal streams it
through `publication.public_files` and never imports evidence nor reads an evidence table. The type is judged from the bytes, never from the
name: PDF, Word (DOCX) and images (JPEG, PNG, GIF, WebP), the formats any visitor can open.
"""

from __future__ import annotations

from typing import BinaryIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import county_lookup, permission_require, user_reads_all_agencies
from sanxiang.evidence.models import EvidenceKind
from sanxiang.evidence.services import (
    EvidenceMetadata,
    evidence_ingest,
    evidence_metadata_check,
    filename_sanitize,
    size_label,
)
from sanxiang.evidence.sniffing import DOCX, SNIFF_BYTES, content_type_sniff, type_label
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.publication.models import PublicDocument
from sanxiang.publication.permissions import user_can_publish
from sanxiang.registry.models import Agency

BASIS = "国办发〔2018〕118号（行政执法公示制度：服务指南、执法流程图等事前公开）"
# The kinds of 事前公开 document an agency publishes; stored as the label, as the public reads it.
DOCUMENT_KINDS = ("制度", "清单", "服务指南", "流程图", "执法工作手册")
ACCEPTED_TYPES = frozenset({"application/pdf", DOCX, "image/jpeg", "image/png", "image/gif", "image/webp"})
TITLE_MAX = 200
EVIDENCE_STEP = "publication:document"




def user_may_publish_documents_somewhere(user: User) -> bool:
    return user.is_authenticated and (
        user.role == Role.SYSTEM_ADMIN or (user.agency_id is not None and user_can_publish(user, user.agency_id))
    )


def _violation(code: str, message: str, field: str) -> Violation:
    return Violation(f"publication.document.{code}", message, BASIS, field)


def _content_type_of(upload: BinaryIO) -> str:
    """The type from the first bytes (the evidence store's table), leaving the stream at 0."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return content_type_sniff(head)


def _evidence_metadata(*, actor: User, agency: Agency, name: str) -> EvidenceMetadata:
    """An agency member files through the evidence metadata check, as every upload does. That
    check files under the uploader's own agency; a system administrator has none, so for them the
    metadata names the agency published for (the permission was checked above)."""
    if actor.agency_id == agency.pk:
        return evidence_metadata_check(actor=actor, kind=EvidenceKind.DOCUMENT, original_name=name, step=EVIDENCE_STEP)
    return EvidenceMetadata(
        agency=agency, kind=EvidenceKind.DOCUMENT, original_name=filename_sanitize(name), step=EVIDENCE_STEP
    )


def _published_event(*, document: PublicDocument, agency: Agency, sm3: str) -> LedgerEvent:
    return LedgerEvent(
        EventKind.PUBLIC_DOCUMENT_PUBLISHED,
        {
            "kind": document.kind,
            "title": document.title,
            "filename": document.filename,
            "content_type": document.content_type,
            "sha256": document.sha256,
            "size": document.size,
        },
        agency.pk,
        subject=f"public-document:{document.pk}",
        files=(FileDigest(document.sha256, document.size, sm3 or None),),
    )


@transaction.atomic
def public_document_publish(*, actor: User, agency: Agency, kind: str, title: str, upload: BinaryIO) -> PublicDocument:
    """Publish a policy document of `agency` on the portal. Raises PermissionDenied, or Refused
    with every reason (kind, title, empty file, type, size), before anything is stored."""
    permission_require(user_can_publish(actor, agency.pk), "只有本机关负责人、单位管理员或者系统管理员可以发布制度文件")
    title = (title or "").strip()
    violations = []
    if kind not in DOCUMENT_KINDS:
        violations.append(_violation("kind", f"请选择文件类别：{'、'.join(DOCUMENT_KINDS)}", "kind"))
    if not title:
        violations.append(_violation("title_missing", "请填写标题", "title"))
    elif len(title) > TITLE_MAX:
        violations.append(_violation("title_long", f"标题不能超过{TITLE_MAX}个字", "title"))
    if upload is None:
        violations.append(_violation("file_missing", "请选择要发布的文件", "upload"))
    else:
        content_type = _content_type_of(upload)
        if content_type not in ACCEPTED_TYPES:
            violations.append(
                _violation(
                    "type",
                    f"文件内容是{type_label(content_type)}，不能公开发布。请上传 PDF、Word（DOCX）文档或图片（JPEG、PNG、GIF、WebP）；"
                    "系统按文件内容识别格式，不看扩展名",
                    "upload",
                )
            )
    if violations:
        raise Refused(violations)
    from sanxiang.publication.services import public_agency_get

    public_agency = public_agency_get(agency_id=agency.pk)
    name = getattr(upload, "name", "") or title
    record = evidence_ingest(actor=actor, source=upload, meta=_evidence_metadata(actor=actor, agency=agency, name=name))
    stored = record.stored_file
    document = PublicDocument.objects.create(
        agency=public_agency,
        kind=kind,
        title=title,
        filename=record.original_name,
        content_type=stored.content_type,
        sha256=stored.sha256,
        size=stored.size,
        published_at=timezone.now(),
    )
    entry_append(event=_published_event(document=document, agency=agency, sm3=stored.sm3), actor=actor)
    return document


def documents_visible(*, viewer: User):
    """The published documents a staff member sees: their agency's; the county's for the judicial
    bureau and system administrators."""
    documents = PublicDocument.objects.select_related("agency")
    if user_reads_all_agencies(viewer):
        county = county_lookup(viewer, "")
        return documents.filter(agency__source_id__in=Agency.objects.filter(**county).values("pk")) if county else documents
    if viewer.agency_id is None:
        return documents.none()
    return documents.filter(agency__source_id=viewer.agency_id)


# --- staff pages ----------------------------------------------------------------------------------


class DocumentPublishForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none(), required=True)
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择")] + [(k, k) for k in DOCUMENT_KINDS])
    title = forms.CharField(label="标题", max_length=TITLE_MAX)
    upload = forms.FileField(label="文件", help_text="PDF、Word（DOCX）文档或图片（JPEG、PNG、GIF、WebP）")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.SYSTEM_ADMIN:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
        else:
            # Agency staff publish for their own agency only: no choice to make.
            del self.fields["agency"]
        self.user = user

    def target_agency(self) -> Agency:
        return self.cleaned_data["agency"] if "agency" in self.fields else self.user.agency


FORM_FIELDS = {"kind": "kind", "title": "title", "upload": "upload", "file": "upload"}


@login_required
@require_safe
def documents(request: HttpRequest) -> HttpResponse:
    rows = [
        {"document": d, "size": size_label(d.size), "type": type_label(d.content_type)}
        for d in documents_visible(viewer=request.user)
    ]
    return render(
        request,
        "publication/documents.html",
        {"rows": rows, "can_publish": user_may_publish_documents_somewhere(request.user)},
    )


@login_required
def document_publish(request: HttpRequest) -> HttpResponse:
    permission_require(
        user_may_publish_documents_somewhere(request.user), "只有本机关负责人、单位管理员或者系统管理员可以发布制度文件"
    )
    form = DocumentPublishForm(request.POST or None, request.FILES or None, user=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            document = public_document_publish(
                actor=request.user,
                agency=form.target_agency(),
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except Refused as refusal:
            refused = refusal
            for violation in refusal.violations:
                field = FORM_FIELDS.get(violation.field or "")
                form.add_error(field if field in form.fields else None, violation.message)
        else:
            messages.success(request, f"已发布：{document.title}。公众可在执法主体公示页面查看和下载。")
            return redirect("publication:documents")
    return render(
        request,
        "publication/documents_publish.html",
        {"form": form, "refused": refused, "kinds": DOCUMENT_KINDS},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("documents/", documents, name="documents"),
    path("documents/publish/", document_publish, name="document_publish"),
]

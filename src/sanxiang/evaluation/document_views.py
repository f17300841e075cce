"""Pages of 制度文件 (issue 15, item 5): the checklist (an agency's own; the county's agencies for the
司法局, with the documents waiting for review and the overdue items), submitting a document, a
document with its history and the steps the viewer's side may take, and its files."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from sanxiang.access.services import AccessAction, AccessTarget, access_recorded, access_target_set
from sanxiang.accounts.permissions import user_reads_all_agencies
from sanxiang.evaluation import document_selectors as selectors
from sanxiang.evaluation import document_services as services
from sanxiang.evidence.services import size_label
from sanxiang.evidence.storage import blob_store_get
from sanxiang.inputs import id_from_query
from sanxiang.procedure.evaluation.documents import (
    DOCUMENT_ACTION_LABELS,
    DOCUMENT_KIND_LABELS,
    DocumentAction,
    document_actions_open,
    document_kinds_required,
    documents_due_on,
    plan_basis,
)
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.forms import form_violations_add

FILE_HELP = "PDF、Word（DOCX）、Excel（XLSX）文件或图片（JPEG、PNG）"


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label="类别", required=False)
    title = forms.CharField(label="标题", max_length=200, required=False)
    public = forms.BooleanField(label="审查通过后在门户网站向社会公开", required=False, initial=True)
    upload = forms.FileField(label="文件", required=False, help_text=FILE_HELP)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择"), *((k.value, DOCUMENT_KIND_LABELS[k]) for k in kinds)]


class ResubmitForm(forms.Form):
    upload = forms.FileField(label="修改后的文件", required=False, help_text=FILE_HELP)


class ReviewForm(forms.Form):
    reason = forms.CharField(label="退回理由", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


@login_required
@require_safe
def document_checklist(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    county = user_reads_all_agencies(user)
    # The bureau sees the county's table; an agency's row opens its checklist (?agency=).
    agency_id = id_from_query(request.GET.get("agency")) if county else None
    rows = selectors.checklists(viewer=user, today=today, agency_id=agency_id)
    return render(request, "evaluation/document_checklist.html", {
        "rows": rows,
        "county": county and agency_id is None,
        "filtered": agency_id is not None,
        "kinds": [DOCUMENT_KIND_LABELS[k] for k in document_kinds_required(on=today)],
        "due_on": documents_due_on(on=today),
        "today": today,
        "basis": plan_basis(),
        "waiting": selectors.document_waiting_review(viewer=user),
        "may_submit": services.agency_side(user),
    })


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.agency_side(user):
        raise PermissionDenied
    today = timezone.localdate()
    form = SubmitForm(request.POST or None, request.FILES or None, kinds=document_kinds_required(on=today),
                      initial={"kind": request.GET.get("kind", ""), "public": True})
    general: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.system_document_submit(
                actor=user, kind=data["kind"], title=data["title"], public=data["public"], upload=data["upload"],
                on=today,
            )
        except Refused as refusal:
            general = form_violations_add(form, refusal)
        else:
            messages.success(request, f"已报送：{document.title}。司法局审查后会在这里显示结果。")
            return redirect("evaluation:document_detail", document.pk)
    return render(request, "evaluation/document_new.html", {
        "form": form, "refused": request.method == "POST", "refused_general": general, "basis": plan_basis(),
    }, status=400 if request.method == "POST" else 200)


def _detail(request: HttpRequest, document, *, review_form=None, resubmit_form=None, general=None, status=200):
    side = services.document_side(document=document, user=request.user)
    actions = document_actions_open(state=document.state, side=side)
    steps = selectors.document_steps(document=document)
    return render(request, "evaluation/document_detail.html", {
        "d": document,
        "steps": steps,
        "file_size": size_label(document.file.stored_file.size),
        "may_review": DocumentAction.ACCEPT in actions,
        "may_resubmit": DocumentAction.RESUBMIT in actions,
        "review_form": review_form or ReviewForm(),
        "resubmit_form": resubmit_form or ResubmitForm(),
        "refused_general": general or [],
        "labels": {a.value: label for a, label in DOCUMENT_ACTION_LABELS.items()},
    }, status=status)


@login_required
@require_safe
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    return _detail(request, selectors.document_get(viewer=request.user, document_id=document_id))


@login_required
@require_POST
def document_review(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    action = request.POST.get("action", "")
    form = ReviewForm(request.POST)
    if action not in (DocumentAction.ACCEPT, DocumentAction.RETURN) or not form.is_valid():
        return _detail(request, document, review_form=form, status=400)
    try:
        services.system_document_review(actor=request.user, document=document, action=action,
                                        reason=form.cleaned_data["reason"], on=timezone.localdate())
    except Refused as refusal:
        general = form_violations_add(form, refusal)
        return _detail(request, document, review_form=form, general=general, status=409)
    messages.success(request, "已审查通过" if action == DocumentAction.ACCEPT else "已退回报送机关修改")
    return redirect("evaluation:document_detail", document_id)


@login_required
@require_POST
def document_resubmit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    form = ResubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, document, resubmit_form=form, status=400)
    try:
        services.system_document_resubmit(actor=request.user, document=document, upload=form.cleaned_data["upload"],
                                          on=timezone.localdate())
    except Refused as refusal:
        general = form_violations_add(form, refusal)
        return _detail(request, document, resubmit_form=form, general=general, status=409)
    messages.success(request, "已重新报送，等待司法局审查")
    return redirect("evaluation:document_detail", document_id)


@login_required
@require_safe
@access_recorded(AccessAction.DOWNLOAD)
def document_file(request: HttpRequest, document_id: int, record_id: int) -> FileResponse:
    """A file submitted for the document (the current one or an earlier version), to whoever may
    read the document: its agency and the receiving bureau."""
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    record = selectors.document_file_get(document=document, record_id=record_id)
    try:
        blob = blob_store_get().open(record.stored_file.sha256)
    except FileNotFoundError as missing:
        raise Http404("文件缺失，请联系系统管理员运行 sanxiang verify") from missing
    access_target_set(request, AccessTarget("evaluation.system_document", document.pk, f"制度文件 {document.title}",
                                            agency_id=document.agency_id))
    response = FileResponse(blob, as_attachment=True, filename=record.original_name,
                            content_type=record.stored_file.content_type)
    response["Content-Length"] = str(record.stored_file.size)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response

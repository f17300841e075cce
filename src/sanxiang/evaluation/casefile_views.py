"""The 案卷评查 pages (issue 16, items 1–3): one case file's live score (what loses points and how to put
it right while the case is open), the standards in force with their versions, and the 司法局's form
for its next version. Views parse, call `casefile_selectors` / `casefile_services` and render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.cases.selectors import case_get
from sanxiang.evaluation import casefile_selectors as selectors
from sanxiang.evaluation import casefile_services as services
from sanxiang.evaluation.target_selectors import user_defines_campaigns
from sanxiang.procedure.evaluation.casefile_standard import (
    EDIT_HELP,
    FILE_KIND_LABELS,
    NO_PROCEDURE_NOTE,
    TIER_LABELS,
    UNSCORED_BASIS,
    FileKind,
)
from sanxiang.procedure.evaluation.decision_text import GROUP_LABELS
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.forms import form_violations_add


@login_required
@require_safe
@access_recorded(AccessAction.VIEW)
def casefile_score(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(viewer=request.user, case_id=case_id)
    access_target_set(request, AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id))
    scored = selectors.case_file_score(case)
    return render(request, "evaluation/casefile_score.html", {
        "case": case, "scored": scored, "unscored_basis": UNSCORED_BASIS,
        "group_labels": GROUP_LABELS,
    })


@login_required
@require_safe
def casefile_standards(request: HttpRequest) -> HttpResponse:
    """The standard in force for each kind of file in the viewer's county, its items, and the
    versions its 司法局 published with what each changed."""
    today = timezone.localdate()
    region = request.user.agency.region_code if request.user.agency_id else ""
    kinds = []
    for kind in FileKind:
        standard = selectors.standard_for(kind, today, region)
        tiers = [(TIER_LABELS[t], [i for i in standard.items if i.tier == t]) for t in TIER_LABELS
                 if any(i.tier == t for i in standard.items)]
        kinds.append({"kind": kind, "label": FILE_KIND_LABELS[kind], "standard": standard, "tiers": tiers,
                      "versions": selectors.standard_versions(kind=kind, region=region)})
    return render(request, "evaluation/casefile_standards.html", {
        "kinds": kinds, "today": today, "may_publish": user_defines_campaigns(request.user),
        "no_procedure_note": NO_PROCEDURE_NOTE,
    })


class StandardForm(forms.Form):
    kind = forms.ChoiceField(label="案卷类别", choices=[("", "请选择")] + [(k.value, FILE_KIND_LABELS[k]) for k in FileKind],
                             required=False)
    title = forms.CharField(label="标准名称", max_length=100, required=False)
    version = forms.CharField(label="版本号", max_length=40, required=False)
    valid_from = forms.DateField(label="施行日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "请填写有效的日期，例如 2027-01-01"})
    changes = forms.CharField(label="修改内容", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=EDIT_HELP, max_length=20000)


@login_required
def casefile_standard_new(request: HttpRequest) -> HttpResponse:
    if not user_defines_campaigns(request.user):
        raise PermissionDenied("只有县司法局监督人员可以发布本县的案卷评查标准")
    today = timezone.localdate()
    form = StandardForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    general: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.casefile_standard_publish(
                actor=request.user, kind=data["kind"], changes=data["changes"], version=data["version"],
                title=data["title"], valid_from=data["valid_from"], today=today,
            )
        except Refused as refused:
            general = form_violations_add(form, refused)
        else:
            messages.success(request, f"已发布“{row.title}”（{row.version}），自{row.valid_from.year}年{row.valid_from.month}月{row.valid_from.day}日起施行")
            return redirect("evaluation:casefile_standards")
    status = 422 if request.method == "POST" else 200
    return render(request, "evaluation/casefile_standard_new.html",
                  {"form": form, "refused": request.method == "POST", "refused_general": general}, status=status)

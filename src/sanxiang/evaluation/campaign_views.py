"""Pages of 案卷评查活动 (/staff/evaluation/campaigns/, issue 16 item 4): the list; the 司法局's form
defining a campaign; a campaign with its seed commitment, its files and the draw's public inputs
(downloadable once drawn); a file with its self-check, its evaluators' scores and, for an evaluator
drawn, the copy of the file (each reading recorded) and the scoring form. Views parse, call
`campaign_selectors` / `campaign_services` and render."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record, client_ip
from sanxiang.accounts.models import Role
from sanxiang.evaluation import campaign_selectors as selectors
from sanxiang.evaluation import campaign_services as services
from sanxiang.evaluation.models import EvaluationCampaign
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.draw import ALGORITHM, COMMITMENT_BASIS
from sanxiang.procedure.evaluation.campaigns import (
    CAMPAIGN_BASIS,
    CAMPAIGN_PROCEDURES,
    COURSE_BASIS,
    FAILED,
    GRANT_BASIS,
    MET,
    RECUSAL_BASIS,
    REGRADE_PARAMETER,
    SAMPLE_SIZE_MAX,
    STATE_LABELS,
    State,
    automatic_digest,
    manual_items,
    procedure_label,
)
from sanxiang.procedure.evaluation.casefile_standard import Standard
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.forms import form_violations_add

DENIED = "只有本县司法局监督人员可以组织案卷评查活动"


def procedure_choices() -> list[tuple[str, str]]:
    specs = procedures_all()
    return [(key, procedure_label(key)) for key in CAMPAIGN_PROCEDURES if key in specs]


class CampaignForm(forms.Form):
    title = forms.CharField(label="评查活动名称", required=False, max_length=200)
    period_start = forms.DateField(label="结案期间起", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"invalid": "请填写有效的日期，例如 2026-01-01"})
    period_end = forms.DateField(label="结案期间止", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "请填写有效的日期，例如 2026-06-30"})
    procedures = forms.MultipleChoiceField(label="案件种类", required=False, widget=forms.CheckboxSelectMultiple)
    agencies = forms.ModelMultipleChoiceField(label="被评查机关", required=False, queryset=None,
                                              widget=forms.CheckboxSelectMultiple)
    sample_size = forms.IntegerField(label="抽取数量（份）", required=False, min_value=1, max_value=SAMPLE_SIZE_MAX,
                                     error_messages={"invalid": "请填写正整数", "min_value": "抽取数量须为正整数",
                                                     "max_value": f"抽取数量不超过{SAMPLE_SIZE_MAX}份"})
    sample_percent = forms.IntegerField(label="或抽取比例（%）", required=False, min_value=1, max_value=100,
                                        error_messages={"invalid": "请填写1至100的整数",
                                                        "min_value": "抽取比例须为1至100的整数",
                                                        "max_value": "抽取比例须为1至100的整数"})
    evaluators = forms.ModelMultipleChoiceField(label="评查人员（互查，不评查本机关案卷）", required=False, queryset=None,
                                                widget=forms.CheckboxSelectMultiple)
    results_public = forms.BooleanField(label="评查结果和抽取输入在门户网站向社会公开", required=False)

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].choices = procedure_choices()
        self.fields["agencies"].queryset = selectors.county_agencies(bureau=bureau)
        self.fields["evaluators"].queryset = selectors.evaluator_candidates(bureau=bureau)
        self.fields["evaluators"].label_from_instance = (
            lambda u: f"{u.agency.name} {u.get_full_name() or u.username}（{u.get_role_display()}）")


def scoring_form_class(standard: Standard, automatic: dict | None = None) -> type[forms.Form]:
    """A form of the standard's manual items: a veto item 符合/不符合, another the points lost (扣分),
    with its rule as help. The automatic items (`automatic`, computed from the records) are shown
    read-only beside it, not asked."""
    fields = {}
    for item in manual_items(standard, automatic):
        if item.veto:
            fields[item.code] = forms.ChoiceField(
                label=f"{item.tier_label}：{item.title}", required=False, help_text=item.rule,
                choices=[(MET, "符合"), (FAILED, "不符合")], widget=forms.RadioSelect)
        else:
            fields[item.code] = forms.CharField(
                label=f"{item.tier_label}：{item.title}（{item.points.normalize():f}分）扣分", required=False,
                initial="0", help_text=item.rule, max_length=8,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    return type("ScoringForm", (forms.Form,), fields)


def _results(form: forms.Form) -> dict[str, str]:
    data = getattr(form, "cleaned_data", {})
    return {code: value.strip() for code, value in data.items() if value not in (None, "")}


@login_required
@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaigns_visible(viewer=request.user).order_by("-id")[:200])
    return render(request, "evaluation/campaign_list.html", {
        "campaigns": campaigns,
        "state_labels": STATE_LABELS,
        "may_define": selectors.user_defines_campaigns(request.user),
        "basis": CAMPAIGN_BASIS,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not selectors.user_defines_campaigns(request.user):
        raise PermissionDenied(DENIED)
    form = CampaignForm(request.POST or None, bureau=request.user.agency)
    general: list = []
    if request.method == "POST":
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        try:
            campaign = services.campaign_define(
                actor=request.user, title=data.get("title", ""), period_start=data.get("period_start"),
                period_end=data.get("period_end"), procedures=list(data.get("procedures", [])),
                agencies=list(data.get("agencies", [])), sample_size=data.get("sample_size"),
                sample_percent=data.get("sample_percent"), evaluators=list(data.get("evaluators", [])),
                results_public=bool(data.get("results_public")), today=timezone.localdate(),
            )
        except Refused as refusal:
            # Beside the field each reason names (a field the form could not read keeps its own error).
            # (A sample field the form could not read is not also reported as missing.)
            unread_sample = {"sample_size", "sample_percent"} & set(form.errors)
            refusal = Refused([v for v in refusal.violations if v.field not in form.errors
                               and not (unread_sample and v.code == "campaign.sample")])
            general = form_violations_add(form, refusal)
        else:
            if not form.errors:
                messages.success(request, f"已确定评查活动：{campaign.title}。随机种子的摘要已记录，抽取前不会改变。")
                return redirect("evaluation:campaign_detail", campaign_id=campaign.pk)
    return render(request, "evaluation/campaign_new.html", {
        "form": form,
        "refused": request.method == "POST",
        "refused_general": general,
        "basis": CAMPAIGN_BASIS,
        "course_basis": COURSE_BASIS,
        "recusal_basis": RECUSAL_BASIS,
    }, status=400 if request.method == "POST" else 200)


def _detail_context(request: HttpRequest, campaign: EvaluationCampaign) -> dict:
    viewer = request.user
    # The counts are the campaign's; the files listed, a page at a time, those the viewer sees (an
    # agency's user: the files of their agency and those they evaluate).
    counts = selectors.campaign_counts_of(campaign=campaign)
    page = Paginator(selectors.campaign_files_for(viewer=viewer, campaign=campaign),
                     selectors.FILES_PAGE_SIZE).get_page(request.GET.get("page"))
    files = list(page.object_list)
    return {
        "campaign": campaign,
        "files": files,
        "page": page,
        "results_hidden": {f.pk for f in files if not selectors.final_result_visible(
            viewer=viewer, campaign=campaign, evaluator_ids=[a.evaluator_id for a in f.assignments.all()])},
        "inputs_visible": selectors.draw_inputs_visible(viewer=viewer, campaign=campaign),
        "counts": counts,
        "state_label": STATE_LABELS.get(campaign.state, ""),
        "procedure_labels": dict(procedure_choices()),
        "agencies": list(campaign.agencies.order_by("name")),
        "evaluators": list(campaign.evaluators.select_related("agency").order_by("agency__name", "username")),
        "drawn": campaign.state != State.SELF_CHECK,
        "may_act": selectors.user_defines_campaigns(viewer) and viewer.agency_id == campaign.bureau_id,
        "algorithm": ALGORITHM,
        "commitment_basis": COMMITMENT_BASIS,
        "course_basis": COURSE_BASIS,
        "basis": CAMPAIGN_BASIS,
        "regrade_reference": parameters_default()[REGRADE_PARAMETER].reference,
        "regrade_points": parameters_default().value(REGRADE_PARAMETER, on=timezone.localdate()),
    }


@login_required
@require_safe
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    return render(request, "evaluation/campaign_detail.html", _detail_context(request, campaign))


@login_required
@require_POST
def campaign_act(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    action = request.POST.get("action", "")
    try:
        if action == "draw":
            services.campaign_draw_run(actor=request.user, campaign=campaign)
            messages.success(request, "已抽取案卷和评查人员，随机种子和抽取输入已公布。")
        elif action == "publish":
            services.campaign_results_publish(actor=request.user, campaign=campaign, today=timezone.localdate())
            messages.success(request, "评查结果已公布。")
        else:
            raise PermissionDenied("无此操作")
    except Refused as refusal:
        # The first page of files, without the pager (its links are relative to the campaign's page).
        context = _detail_context(request, campaign) | {"refused": refusal.violations, "page": None}
        return render(request, "evaluation/campaign_detail.html", context, status=400)
    return redirect("evaluation:campaign_detail", campaign_id=campaign.pk)


@login_required
@require_safe
def campaign_inputs(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The draw's public inputs as `python -m sanxiang_verify.draw` reads them: once drawn to the
    bureau's side, once the results are published to whoever sees the campaign (selectors)."""
    campaign = selectors.campaign_get(viewer=request.user, campaign_id=campaign_id)
    if not selectors.draw_inputs_visible(viewer=request.user, campaign=campaign):
        return render(request, "evaluation/campaign_inputs_missing.html", {"campaign": campaign}, status=404)
    body = json.dumps(campaign.draw_inputs, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sanxiang-campaign-{campaign.pk}-draw.json"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_file(request: HttpRequest, campaign_id: int, file_id: int) -> HttpResponse:
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, campaign_id=campaign_id)
    file = selectors.file_get(viewer=viewer, campaign=campaign, file_id=file_id)
    standard = selectors.file_standard_of(file, region=campaign.bureau.region_code)
    now = timezone.now()
    assignment = selectors.assignment_of(file=file, viewer=viewer)
    may_self_check = (campaign.state == State.SELF_CHECK and file.self_total is None
                      and selectors.user_self_checks(viewer, file))
    may_score = (campaign.state == State.DRAWN and assignment is not None and assignment.scored_at is None
                 and selectors.grant_active(assignment, now))
    may_regrade = (campaign.state == State.DRAWN and file.regrade_required and not file.final_grade
                   and selectors.user_defines_campaigns(viewer) and viewer.agency_id == campaign.bureau_id)
    general: list = []
    changed = False
    form = None
    if request.method == "POST":
        # The write computes the automatic items once, under the file's lock, and compares them with
        # the digest of those this page showed (its hidden field): the form needs only which they are.
        form = scoring_form_class(standard, selectors.file_automatic_pending(file, standard))(request.POST)
        form.is_valid()
        action = request.POST.get("action", "")
        shown = request.POST.get("automatic_sha256", "")  # missing or altered: never equal, refused
        try:
            if action == "self_check":
                services.campaign_self_check(actor=viewer, file=file, results=_results(form), automatic_shown=shown)
            elif action == "score" and assignment is not None:
                services.campaign_score(actor=viewer, assignment=assignment, results=_results(form),
                                        automatic_shown=shown)
            elif action == "regrade":
                services.campaign_regrade(actor=viewer, file=file, results=_results(form), automatic_shown=shown)
            else:
                raise PermissionDenied("无此操作")
        except Refused as refusal:
            changed = any(v.code == services.AUTOMATIC_CHANGED for v in refusal.violations)
            refusal = Refused([v for v in refusal.violations if v.field not in form.errors])
            general = form_violations_add(form, refusal)
        else:
            messages.success(request, "评分已提交。")
            return redirect("evaluation:campaign_file", campaign_id=campaign.pk, file_id=file.pk)
    # The automatic items, shown read-only with the records: as stored by the write that first needed
    # them (the draw, a self-check, a score), else computed for this page without storing (a reading
    # never changes the file's record); after a refusal because they changed, the new ones.
    automatic = selectors.file_automatic_shown(file, standard, to_score=may_self_check or may_score or may_regrade)
    if form is None:
        form = scoring_form_class(standard, automatic)()
    # The copy of the file: for an evaluator drawn while the grant runs, and for the 司法局 re-grading;
    # every reading is recorded in the access log (and the ledger) before it is shown.
    copy = None
    if selectors.copy_readable(viewer=viewer, campaign=campaign, file=file, assignment=assignment, at=now):
        access_record(
            actor=viewer, action=AccessAction.VIEW, object_kind="evaluation.campaign_file", object_id=file.pk,
            object_label=f"案卷评查副本 {file.case_number}", agency_id=file.agency_id, ip_address=client_ip(request),
            details={"campaign": campaign.pk, "grant_expires_at": assignment.grant_expires_at.isoformat()
                     if assignment else None},
        )
        copy = selectors.file_copy(file=file)
    return render(request, "evaluation/campaign_file.html", {
        "campaign": campaign,
        "file": file,
        "standard": standard,
        "automatic_rows": [(item, automatic[item.code]) for item in standard.items if item.code in automatic]
        if automatic is not None else [],
        "assignments": list(file.assignments.select_related("evaluator", "evaluator_agency").order_by("position")),
        "assignment": assignment,
        "form": form,
        "action": "self_check" if may_self_check else "score" if may_score else "regrade" if may_regrade else "",
        "automatic_sha256": automatic_digest(automatic) if automatic is not None else "",
        "copy": copy,
        "refused": request.method == "POST",
        "refused_general": general,
        "grant_basis": GRANT_BASIS,
        "course_basis": COURSE_BASIS,
        "is_bureau": viewer.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN),
        "own_agency": viewer.agency_id == file.agency_id,
        "result_shown": selectors.final_result_visible(
            viewer=viewer, campaign=campaign, evaluator_ids=file.assignments.values_list("evaluator_id", flat=True)),
    }, status=409 if changed else 400 if request.method == "POST" else 200)



COPY_DOCUMENT_NOT_SERVED = {"unreadable": "阅卷期限已过或者无权阅读该案卷副本", "absent": "没有这份文书",
                            "missing": "文件缺失，请联系系统管理员运行 sanxiang verify"}


@login_required
@require_safe
def campaign_file_document(request: HttpRequest, campaign_id: int, file_id: int, document_id: int) -> FileResponse:
    """A document of the copy of a file (its PDF as issued), to who reads the copy now; recorded
    before it is sent. Anyone else: not found."""
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, campaign_id=campaign_id)
    file = selectors.file_get(viewer=viewer, campaign=campaign, file_id=file_id)
    opened = services.campaign_copy_document_open(viewer=viewer, campaign=campaign, file=file, document_id=document_id,
                                                  ip_address=client_ip(request), at=timezone.now())
    if isinstance(opened, str):
        raise Http404(COPY_DOCUMENT_NOT_SERVED[opened])
    document, blob = opened
    response = FileResponse(blob, as_attachment=True, filename=f"{document.filename_stem}.pdf",
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response

"""Pages of the annual supervision plan and 执法质效评议 (issue 14, item 5), for the bureau's
supervisors (a system administrator reads them). Views parse, call the services and render; every
refusal names its reasons beside the fields or at the top, and loses nothing typed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanxiang.documents.pdf import CharactersUnprintable
from sanxiang.documents.supervision_plans import plan_render_pdf
from sanxiang.procedure.supervision.plans import (
    PLAN_ITEM_KIND_LABELS,
    STANDARDS_HELP,
    EvaluationState,
    PlanState,
    approval_violations,
    plan_publish_violations,
    results_publish_violations,
)
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import instrument_selectors
from sanxiang.supervision import plan_selectors as selectors
from sanxiang.supervision import plan_services as services
from sanxiang.supervision.instrument_views import refusal_split
from sanxiang.supervision.personal_views import CHOICE_ERRORS, page_number

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]


def _desk_only(request: HttpRequest) -> None:
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以办理")


def _read_only(request: HttpRequest) -> None:
    if not selectors.user_may_read(request.user):
        raise PermissionDenied("只有司法局监督人员可以查看")


class PlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=200)
    objectives = forms.CharField(label="年度工作目标", max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *((k.value, v) for k, v in PLAN_ITEM_KIND_LABELS.items())],
                             error_messages=CHOICE_ERRORS)
    subject = forms.CharField(label="计划事项", max_length=200)
    description = forms.CharField(label="工作内容（可不填）", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    all_agencies = forms.BooleanField(label="全部执法机关", required=False)
    agencies = forms.TypedMultipleChoiceField(label="监督对象", coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              error_messages=CHOICE_ERRORS | {"invalid_list": "请从列表中选择"})
    months = forms.TypedMultipleChoiceField(label="计划月份", coerce=int, choices=MONTH_CHOICES,
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages=CHOICE_ERRORS | {"invalid_list": "请从列表中选择"})
    supervisors = forms.TypedMultipleChoiceField(label="负责的监督人员", coerce=int, widget=forms.CheckboxSelectMultiple,
                                                 error_messages=CHOICE_ERRORS | {"invalid_list": "请从列表中选择"})

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_rows = list(services.county_agencies(bureau=bureau))
        self.supervisor_rows = list(instrument_selectors.bureau_supervisors(bureau_id=bureau.pk))
        self.fields["agencies"].choices = [(a.pk, a.name) for a in self.agency_rows]
        self.fields["supervisors"].choices = [(u.pk, str(u)) for u in self.supervisor_rows]


@login_required
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    _read_only(request)
    page = page_number(request)
    rows, more = selectors.plan_rows(user=request.user, page=page)
    return render(request, "supervision/plan_list.html", {
        "rows": rows, "more": more, "page": page, "desk": selectors.user_is_supervisor(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    _desk_only(request)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    refused, general = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_draft(actor=request.user, year=data["year"], title=data["title"],
                                       objectives=data["objectives"])
        except Refused as refusal:
            refused, general = refusal, refusal_split(form, refusal)
        else:
            messages.success(request, "计划已起草，请逐项增加计划事项，再由另一名监督人员审核批准。")
            return redirect("supervision:plan_detail", plan_id=plan.pk)
    return render(request, "supervision/plan_new.html", {"form": form, "refused": refused, "refused_general": general},
                  status=400 if request.method == "POST" else 200)


def _plan_page(request: HttpRequest, plan, *, item_form=None, refused=None, general=None, status=200) -> HttpResponse:
    user = request.user
    desk = selectors.user_is_supervisor(user)
    return render(request, "supervision/plan_detail.html", {
        "plan": plan, "rows": selectors.plan_item_rows(plan=plan), "desk": desk,
        "item_form": item_form or (PlanItemForm(bureau=plan.bureau) if desk and plan.state == PlanState.DRAFT else None),
        "approve_blockers": approval_violations(
            what="plan", state=plan.state, drafted_by_id=plan.drafted_by_id, approver_id=user.pk,
            approver_may_approve=desk and user.agency_id == plan.bureau_id, empty=not plan.items.exists(),
        ) if desk and plan.state == PlanState.DRAFT else [],
        "publish_blockers": plan_publish_violations(state=plan.state),
        "refused": refused, "refused_general": general or [],
    }, status=status)


@login_required
@require_safe
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    _read_only(request)
    return _plan_page(request, selectors.plan_get(user=request.user, plan_id=plan_id))


@login_required
@require_safe
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as a PDF (rendered on request; a draft's PDF says nothing of approval)."""
    _read_only(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        content = plan_render_pdf(selectors.plan_document_context(plan=plan))
    except CharactersUnprintable:
        messages.error(request, "计划中有无法打印的字符，请联系系统管理员")
        return redirect("supervision:plan_detail", plan_id=plan.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=f"{plan.title}.pdf")
    return response


@login_required
@require_POST
def plan_item_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    _desk_only(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    form = PlanItemForm(request.POST, bureau=plan.bureau)
    if not form.is_valid():
        return _plan_page(request, plan, item_form=form, refused=True, status=400)
    data = form.cleaned_data
    try:
        services.plan_item_add(
            actor=request.user, plan=plan, kind=data["kind"], subject=data["subject"], description=data["description"],
            all_agencies=data["all_agencies"], agencies=[a for a in form.agency_rows if a.pk in set(data["agencies"])],
            months=data["months"], supervisors=[u for u in form.supervisor_rows if u.pk in set(data["supervisors"])],
        )
    except Refused as refusal:
        general = refusal_split(form, refusal)
        return _plan_page(request, plan, item_form=form, refused=refusal, general=general, status=409)
    messages.success(request, "计划事项已增加")
    return redirect("supervision:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    _desk_only(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        services.plan_approve(actor=request.user, plan=plan)
    except Refused as refusal:
        return _plan_page(request, plan, refused=refusal, general=refusal.violations, status=409)
    messages.success(request, "计划已批准，可以据此登记监督事项。")
    return redirect("supervision:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    _desk_only(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        services.plan_publish(actor=request.user, plan=plan)
    except Refused as refusal:
        return _plan_page(request, plan, refused=refusal, general=refusal.violations, status=409)
    messages.success(request, "计划已在门户网站公开。")
    return redirect("supervision:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_item_matter(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    """Open the supervision matter carrying out the item, about the agency chosen."""
    _desk_only(request)
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    item = selectors.plan_item_get(plan=plan, item_id=item_id)
    agency = next((a for a in services.county_agencies(bureau=plan.bureau)
                   if str(a.pk) == request.POST.get("agency", "")), None)
    if agency is None:
        return _plan_page(request, plan, refused=True, general=[_choose_agency()], status=400)
    try:
        matter = services.plan_item_matter_open(actor=request.user, item=item, agency=agency)
    except Refused as refusal:
        return _plan_page(request, plan, refused=refusal, general=refusal.violations, status=409)
    messages.success(request, f"已登记监督事项{matter.number}")
    return redirect("supervision:matter_detail", matter_id=matter.pk)


def _choose_agency():
    from sanxiang.procedure.violations import FORM_BASIS, Violation

    return Violation("plan.matter_agency_missing", "请选择被监督机关", FORM_BASIS, "agency")


# --- 执法质效评议 -----------------------------------------------------------------------------------


class EvaluationForm(forms.Form):
    title = forms.CharField(label="评议名称", max_length=200)
    period_start = forms.DateField(label="评议期间自", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="评议期间至", widget=forms.DateInput(attrs={"type": "date"}))
    agencies = forms.TypedMultipleChoiceField(label="参评机关", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              error_messages=CHOICE_ERRORS | {"invalid_list": "请从列表中选择"})
    scheme = forms.CharField(label="评议方案（目的、范围、方式）", max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    process = forms.CharField(label="评议步骤和时间安排", max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    standards = forms.CharField(label="评议标准", max_length=50000, help_text=STANDARDS_HELP,
                                widget=forms.Textarea(attrs={"rows": 12}))
    plan_item = forms.TypedChoiceField(label="所属计划事项（可不选）", coerce=int, required=False, empty_value=None,
                                       error_messages=CHOICE_ERRORS)

    def __init__(self, *args, bureau, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_rows = list(services.county_agencies(bureau=bureau))
        self.item_rows = list(selectors.plan_items_for_evaluation(user=user))
        self.fields["agencies"].choices = [(a.pk, a.name) for a in self.agency_rows]
        self.fields["plan_item"].choices = [("", "（不选）"), *((i.pk, f"{i.plan.year}年：{i.subject}") for i in self.item_rows)]


@login_required
@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    _read_only(request)
    page = page_number(request)
    rows, more = selectors.evaluation_rows(user=request.user, page=page)
    return render(request, "supervision/evaluation_list.html", {
        "rows": rows, "more": more, "page": page, "desk": selectors.user_is_supervisor(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request: HttpRequest) -> HttpResponse:
    _desk_only(request)
    form = EvaluationForm(request.POST or None, bureau=request.user.agency, user=request.user)
    refused, general = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_draft(
                actor=request.user, title=data["title"], scheme=data["scheme"], process=data["process"],
                period_start=data["period_start"], period_end=data["period_end"],
                agencies=[a for a in form.agency_rows if a.pk in set(data["agencies"])], standards=data["standards"],
                plan_item=next((i for i in form.item_rows if i.pk == data["plan_item"]), None),
            )
        except Refused as refusal:
            refused, general = refusal, refusal_split(form, refusal)
        else:
            messages.success(request, "评议方案已起草，须由另一名监督人员审核批准；批准后方案、步骤和标准在门户网站公开。")
            return redirect("supervision:evaluation_detail", evaluation_id=evaluation.pk)
    return render(request, "supervision/evaluation_new.html",
                  {"form": form, "refused": refused, "refused_general": general},
                  status=400 if request.method == "POST" else 200)


def _evaluation_page(request: HttpRequest, evaluation, *, refused=None, status=200) -> HttpResponse:
    user = request.user
    desk = selectors.user_is_supervisor(user)
    agency_rows = selectors.evaluation_agency_rows(evaluation=evaluation)
    return render(request, "supervision/evaluation_detail.html", {
        "evaluation": evaluation, "desk": desk, "criteria": selectors.criterion_rows(evaluation=evaluation),
        "agency_rows": agency_rows, "scoring": desk and evaluation.state == EvaluationState.APPROVED,
        "approve_blockers": approval_violations(
            what="evaluation", state=evaluation.state, drafted_by_id=evaluation.drafted_by_id, approver_id=user.pk,
            approver_may_approve=desk and user.agency_id == evaluation.bureau_id,
            empty=not (agency_rows and evaluation.criteria.exists()),
        ) if desk and evaluation.state == EvaluationState.DRAFT else [],
        "publish_blockers": results_publish_violations(
            state=evaluation.state, unscored=[r.agency.name for r in agency_rows if r.score is None],
        ) if desk and evaluation.state == EvaluationState.APPROVED else [],
        "refused": refused, "refused_general": refused.violations if refused else [],
    }, status=status)


@login_required
@require_safe
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    _read_only(request)
    return _evaluation_page(request, selectors.evaluation_get(user=request.user, evaluation_id=evaluation_id))


@login_required
@require_POST
def evaluation_approve(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    _desk_only(request)
    evaluation = selectors.evaluation_get(user=request.user, evaluation_id=evaluation_id)
    try:
        services.evaluation_approve(actor=request.user, evaluation=evaluation)
    except Refused as refusal:
        return _evaluation_page(request, evaluation, refused=refusal, status=409)
    messages.success(request, "评议方案已批准，方案、步骤和标准已在门户网站公开，可以开始评分。")
    return redirect("supervision:evaluation_detail", evaluation_id=evaluation.pk)


@login_required
@require_POST
def evaluation_publish(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    _desk_only(request)
    evaluation = selectors.evaluation_get(user=request.user, evaluation_id=evaluation_id)
    try:
        services.evaluation_results_publish(actor=request.user, evaluation=evaluation)
    except Refused as refusal:
        return _evaluation_page(request, evaluation, refused=refusal, status=409)
    messages.success(request, "评议结果已在门户网站公开。")
    return redirect("supervision:evaluation_detail", evaluation_id=evaluation.pk)


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_score(request: HttpRequest, evaluation_id: int, agency_id: int) -> HttpResponse:
    """Score one agency rule by rule: points awarded, the reason of a deduction, a 单项否决 found; the
    second supervisor of the pair is chosen here."""
    _desk_only(request)
    evaluation = selectors.evaluation_get(user=request.user, evaluation_id=evaluation_id)
    agency = selectors.evaluation_agency_get(evaluation=evaluation, agency_id=agency_id)
    criteria = selectors.criterion_rows(evaluation=evaluation)
    colleagues = [u for u in instrument_selectors.bureau_supervisors(bureau_id=evaluation.bureau_id) if u.pk != request.user.pk]
    recorded = selectors.evaluation_score_items(evaluation=evaluation, agency=agency)
    previous = selectors.evaluation_score_get(evaluation=evaluation, agency=agency)
    typed: dict[str, str] = {}
    refused, errors, status = None, {}, 200
    if request.method == "POST":
        typed = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        scores = {}
        for row in criteria:
            c = row.criterion
            if c.level != 3:
                continue
            scores[c.pk] = (_decimal(request.POST.get(f"c{c.pk}", "")), request.POST.get(f"veto{c.pk}") == "1",
                            request.POST.get(f"reason{c.pk}", "")[:2000])
        second = next((u for u in colleagues if str(u.pk) == request.POST.get("second", "")), None)
        try:
            services.evaluation_score(actor=request.user, evaluation=evaluation, agency=agency,
                                      supervisors=[request.user, *([second] if second else [])], scores=scores,
                                      comment=request.POST.get("comment", "")[:5000])
        except Refused as refusal:
            refused, status = refusal, 409
            for v in refusal.violations:
                errors.setdefault(v.field or "", []).append(v.message)
        else:
            messages.success(request, f"已记录{agency.name}的评分")
            return redirect("supervision:evaluation_detail", evaluation_id=evaluation.pk)
    rows = []
    for row in criteria:
        c = row.criterion
        saved = recorded.get(c.pk)
        rows.append({
            "row": row,
            "awarded": typed.get(f"c{c.pk}", f"{saved.awarded}" if saved else ""),
            "reason": typed.get(f"reason{c.pk}", saved.reason if saved else ""),
            "veto": typed.get(f"veto{c.pk}") == "1" if typed else bool(saved and saved.veto),
            "errors": errors.get(f"c{c.pk}", []),
        })
    general = [v for v in refused.violations if not (v.field or "").startswith("c")] if refused else []
    return render(request, "supervision/evaluation_score.html", {
        "evaluation": evaluation, "agency": agency, "rows": rows, "colleagues": colleagues,
        "second": typed.get("second", ""), "comment": typed.get("comment", previous.comment if previous else ""),
        "previous": previous, "refused": refused, "refused_general": general,
        "open": evaluation.state == EvaluationState.APPROVED,
    }, status=status)

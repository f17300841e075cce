"""行政检查 staff pages of part A (registers, plans, draws): parse, call a selector or service,
render. Part B's pages live in its own modules."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from sanxiang.accounts.models import AGENCY_ROLES
from sanxiang.accounts.permissions import permission_require, user_reads_all_agencies
from sanxiang.inspection import draw_services, forms, plan_services, register_services
from sanxiang.inspection import register_selectors as selectors
from sanxiang.inspection.models import InspectionPlan, PlanKind
from sanxiang.inspection.register_excel import targets_import, targets_template_build
from sanxiang.inspection.register_permissions import (
    user_drafts_plans,
    user_is_head_of,
    user_keeps_registers,
    user_records_filing,
    user_runs_draws,
)
from sanxiang.procedure.inspection.registers import TargetSnapshot
from sanxiang.procedure.violations import Refused

TARGETS_PAGE_SIZE = 50


def _render_refused(request, template: str, context: dict, refusal: Refused | None, general: list,
                    status: int | None = None) -> HttpResponse:
    return render(request, template, context | {"refused": refusal, "refused_general": general},
                  status=status or (400 if refusal is not None or request.method == "POST" else 200))


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role in AGENCY_ROLES and user.agency_id is not None:
        return redirect("inspection:agency", user.agency_id)
    rows, awaiting = selectors.county_overview(viewer=user) if user_reads_all_agencies(user) else ([], [])
    return render(request, "inspection/home.html", {"rows": rows, "awaiting": awaiting})


@login_required
@require_safe
def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    return render(request, "inspection/agency.html", {
        "agency": agency, "items": selectors.items_of(agency=agency), "plans": selectors.plans_of(agency=agency),
        "experts": selectors.experts_of(agency=agency),
        "can_keep": user_keeps_registers(request.user, agency.pk),
        "can_draft": user_drafts_plans(request.user, agency.pk),
        "item_form": forms.ItemForm(), "expert_form": forms.ExpertForm(),
    })


@login_required
@require_POST
def item_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    permission_require(user_keeps_registers(request.user, agency.pk), register_services.REGISTER_REFUSED)
    form = forms.ItemForm(request.POST)
    refusal, general = None, []
    if form.is_valid():
        try:
            register_services.item_save(actor=request.user, agency=agency, **form.cleaned_data)
        except Refused as refused:
            refusal, general = refused, forms.form_violations_add(form, refused)
        else:
            messages.success(request, "抽查事项已保存，公开后列入事前公开的随机抽查事项清单")
            return redirect("inspection:agency", agency.pk)
    return _render_refused(request, "inspection/form.html",
                           {"form": form, "title": "新增抽查事项", "agency": agency}, refusal, general)


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.item_for_reader(viewer=request.user, item_id=item_id)
    permission_require(user_keeps_registers(request.user, item.agency_id), register_services.REGISTER_REFUSED)
    return _register_edit(
        request, item, forms.ItemEditForm, title="修改抽查事项",
        save=lambda data: register_services.item_save(actor=request.user, agency=item.agency, item=item, **data),
        reread=lambda: selectors.item_for_reader(viewer=request.user, item_id=item_id),
        saved="抽查事项已修改，重新公开后清单即更新", back=("inspection:agency", item.agency_id))


@login_required
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    target = selectors.target_for_reader(viewer=request.user, target_id=target_id)
    permission_require(user_keeps_registers(request.user, target.agency_id), register_services.REGISTER_REFUSED)

    def save(data: dict):
        is_active, version = data.pop("is_active"), data.pop("version")
        return register_services.target_save(actor=request.user, agency=target.agency, target=target,
                                             snapshot=TargetSnapshot(**data), is_active=is_active, version=version)

    return _register_edit(
        request, target, forms.TargetEditForm, title="修改检查对象", save=save,
        reread=lambda: selectors.target_for_reader(viewer=request.user, target_id=target_id),
        saved="检查对象已修改", back=("inspection:targets", target.agency_id))


def _register_edit(request: HttpRequest, row, form_class, *, title: str, save, reread, saved: str,
                   back: tuple[str, int]) -> HttpResponse:
    """The edit page of a register's row (抽查事项, 检查对象). The form carries the row's version; a
    stale save (the row changed since the form was opened) is refused with 409 and the form is
    filled again with the CURRENT values and version, each field where the user typed something else
    noting what they typed: nothing typed is lost, and saving again without reading changes nothing
    of the other user's (the form no longer carries the old values of fields the user never touched)."""
    initial = {name: getattr(row, name) for name in form_class.base_fields if name != "version"}
    initial["version"] = register_services.register_version(row)
    form = form_class(request.POST or None, initial=initial)
    refusal, general, stale = None, [], False
    if request.method == "POST" and form.is_valid():
        try:
            save(dict(form.cleaned_data))
        except Refused as refused:
            refusal = refused
            stale = any(v.code.endswith(STALE_SUFFIX) for v in refused.violations)
            if stale:
                form = _form_of_current(form_class, reread(), typed=form)
            general = forms.form_violations_add(form, refused)
        else:
            messages.success(request, saved)
            return redirect(*back)
    return _render_refused(request, "inspection/form.html", {
        "form": form, "title": title, "agency": row.agency, "stale": stale,
    }, refusal, general, status=409 if stale else None)


STALE_SUFFIX = ".changed"  # register_services: the row changed since the form was opened


def _form_of_current(form_class, current, *, typed):
    """A form bound to the row as it stands now (its values and version), noting under each field
    whose typed value differs from the current one what the user had typed."""
    data = {name: getattr(current, name) for name in form_class.base_fields if name != "version"}
    data["version"] = register_services.register_version(current)
    form = form_class({name: value for name, value in data.items() if value is not False})
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = typed.cleaned_data.get(name)
        if value == data[name]:
            continue
        if isinstance(value, bool):
            shown = "是" if value else "否"
        elif isinstance(field, django_forms.ChoiceField):  # the label the form shows
            shown = dict(field.choices).get(value, value)
        else:
            shown = value or "（空）"
        # as_p renders help_text unescaped: format_html escapes what was typed.
        field.help_text = format_html('{}{}<span class="typed" data-testid="typed">您填写的是：{}</span>',
                                      field.help_text, " " if field.help_text else "", shown)
    form.is_valid()  # after the notes: a bound field copies its help text when first made
    return form


@login_required
@require_POST
def items_publish(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    try:
        count = register_services.items_publish(actor=request.user, agency=agency)
    except Refused as refused:
        for violation in refused.violations:
            messages.error(request, violation.message)
    else:
        messages.success(request, f"已公开{count}项抽查事项")
    return redirect("inspection:agency", agency.pk)


@login_required
@require_POST
def expert_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    permission_require(user_keeps_registers(request.user, agency.pk), register_services.REGISTER_REFUSED)
    form = forms.ExpertForm(request.POST)
    refusal, general = None, []
    if form.is_valid():
        try:
            register_services.expert_save(actor=request.user, agency=agency, **form.cleaned_data)
        except Refused as refused:
            refusal, general = refused, forms.form_violations_add(form, refused)
        else:
            messages.success(request, "专家已加入专家库")
            return redirect("inspection:agency", agency.pk)
    return _render_refused(request, "inspection/form.html", {"form": form, "title": "新增专家", "agency": agency},
                           refusal, general)


@login_required
def targets(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    can_keep = user_keeps_registers(request.user, agency.pk)
    form, refusal, general = forms.TargetForm(request.POST or None), None, []
    if request.method == "POST":
        permission_require(can_keep, register_services.REGISTER_REFUSED)
        if form.is_valid():
            data = form.cleaned_data
            try:
                register_services.target_save(actor=request.user, agency=agency, snapshot=TargetSnapshot(**data))
            except Refused as refused:
                refusal, general = refused, forms.form_violations_add(form, refused)
            else:
                messages.success(request, "检查对象已列入名录")
                return redirect("inspection:targets", agency.pk)
    query = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.targets_of(agency=agency, query=query), TARGETS_PAGE_SIZE).get_page(request.GET.get("page"))
    officers = selectors.officers_of(agency=agency) if can_keep else []
    return _render_refused(request, "inspection/targets.html", {
        "agency": agency, "page": page, "query": query, "can_keep": can_keep, "form": form,
        "import_form": forms.TargetImportForm(),
        "relation_form": forms.RelationForm(officers=officers, targets=page.object_list) if can_keep else None,
        "relations": selectors.relations_of(agency=agency) if can_keep else [],
    }, refusal, general)


@login_required
@require_POST
def targets_upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    permission_require(user_keeps_registers(request.user, agency.pk), register_services.REGISTER_REFUSED)
    form = forms.TargetImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        report = targets_import(actor=request.user, agency=agency, file=form.cleaned_data["file"])
        if report.ok:
            messages.success(request, f"已导入{report.rows}行：新增{report.created}个，更新{report.updated}个")
            return redirect("inspection:targets", agency.pk)
    return render(request, "inspection/import_report.html", {"agency": agency, "form": form, "report": report},
                  status=400)


@login_required
@require_safe
def targets_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        targets_template_build(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%A3%80%E6%9F%A5%E5%AF%B9%E8%B1%A1%E5%90%8D%E5%BD%95.xlsx"
    return response


@login_required
@require_POST
def relation_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    permission_require(user_keeps_registers(request.user, agency.pk), register_services.REGISTER_REFUSED)
    form = forms.RelationForm(request.POST)
    if form.is_valid():
        officer = selectors.officers_of(agency=agency)
        officer = next((o for o in officer if o.pk == form.cleaned_data["officer"]), None)
        target = selectors.targets_of(agency=agency).filter(pk=form.cleaned_data["target"]).first()
        if officer is None or target is None:
            messages.error(request, "请选择本机关的执法人员和名录中的检查对象")
        else:
            try:
                register_services.relation_declare(actor=request.user, officer=officer, target=target,
                                                   relation=form.cleaned_data["relation"])
            except Refused as refused:
                for violation in refused.violations:
                    messages.error(request, violation.message)
            else:
                messages.success(request, "回避关系已登记，抽取时该执法人员不会被选派检查该对象")
    else:
        messages.error(request, "请选择执法人员和检查对象，并说明关系")
    return redirect("inspection:targets", agency.pk)


@login_required
def plan_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for_reader(viewer=request.user, agency_id=agency_id)
    permission_require(user_drafts_plans(request.user, agency.pk), "只有本机关人员可以起草检查计划")
    form = forms.PlanForm(request.POST or None, agency_id=agency.pk)
    refusal, general = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_services.plan_draft(actor=request.user, agency=agency, **(data | {"items": list(data["items"])}))
        except Refused as refused:
            refusal, general = refused, forms.form_violations_add(form, refused)
        else:
            messages.success(request, "检查计划已起草，请机关负责人批准")
            return redirect("inspection:plan", plan.pk)
    return _render_refused(request, "inspection/form.html", {"form": form, "title": "起草检查计划", "agency": agency},
                           refusal, general)


@login_required
@require_safe
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for_reader(viewer=request.user, plan_id=plan_id)
    user = request.user
    return render(request, "inspection/plan.html", {
        "plan": plan, "items": list(plan.items.order_by("code")), "draws": list(plan.random_inspections.order_by("-pk")),
        "is_special": plan.kind == PlanKind.SPECIAL,
        "can_approve": plan.state == "draft" and user_is_head_of(user, plan.agency_id),
        "can_file": plan.state == "approved" and user_records_filing(user, plan.agency_id),
        "can_publish": plan.state == "filed" and user_is_head_of(user, plan.agency_id),
        "can_draw": plan.state != "draft" and user_runs_draws(user, plan.agency_id),
    })


@login_required
@require_POST
def plan_act(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for_reader(viewer=request.user, plan_id=plan_id)
    form = forms.PlanActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要办理的操作")
        return redirect("inspection:plan", plan.pk)
    data, user = form.cleaned_data, request.user
    try:
        if data["action"] == "approve":
            permission_require(user_is_head_of(user, plan.agency_id), "检查计划须由本机关负责人批准")
            plan_services.plan_approve(actor=user, plan=plan, approval_authority=data["approval_authority"],
                                       approval_reference=data["approval_reference"])
            messages.success(request, "检查计划已批准，请报司法局备案")
        elif data["action"] == "file":
            plan_services.plan_file(actor=user, plan=plan, filing_reference=data["filing_reference"])
            messages.success(request, "已登记备案")
        else:
            plan_services.plan_publish(actor=user, plan=plan)
            messages.success(request, "抽查计划公告已在门户网站公布")
    except Refused as refused:
        for violation in refused.violations:
            messages.error(request, f"{violation.message}（{violation.basis_display}）")
    return redirect("inspection:plan", plan.pk)


@login_required
def draw_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan: InspectionPlan = selectors.plan_for_reader(viewer=request.user, plan_id=plan_id)
    permission_require(user_runs_draws(request.user, plan.agency_id), draw_services.DRAW_REFUSED)
    form = forms.DrawForm(request.POST or None, plan=plan)
    refusal, general = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = draw_services.draw_create(actor=request.user, plan=plan, **(data | {"items": list(data["items"])}))
        except Refused as refused:
            refusal, general = refused, forms.form_violations_add(form, refused)
        else:
            messages.success(request, "抽查任务已建立。请先公布随机种子摘要，再抽取")
            return redirect("inspection:draw", task.pk)
    return _render_refused(request, "inspection/form.html",
                           {"form": form, "title": "新建双随机抽查任务", "agency": plan.agency}, refusal, general)


@login_required
@require_safe
def draw(request: HttpRequest, draw_id: int) -> HttpResponse:
    task = selectors.draw_for_reader(viewer=request.user, draw_id=draw_id)
    can_run = user_runs_draws(request.user, task.plan.agency_id)
    return render(request, "inspection/draw.html", {
        "task": task, "items": list(task.items.order_by("code")), "rows": selectors.draw_rows(task=task),
        "can_commit": can_run and task.state == "prepared", "can_run": can_run and task.state == "committed",
    })


@login_required
@require_POST
def draw_act(request: HttpRequest, draw_id: int) -> HttpResponse:
    task = selectors.draw_for_reader(viewer=request.user, draw_id=draw_id)
    form = forms.DrawActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要办理的操作")
        return redirect("inspection:draw", task.pk)
    try:
        if form.cleaned_data["action"] == "commit":
            draw_services.draw_commit(actor=request.user, task=task)
            messages.success(request, "随机种子摘要已随任务公告公布，可以抽取")
        else:
            draw_services.draw_run(actor=request.user, task=task)
            messages.success(request, "抽取完成，随机种子、公开输入和结果已公布")
    except Refused as refused:
        for violation in refused.violations:
            messages.error(request, f"{violation.message}（{violation.basis_display}）")
    return redirect("inspection:draw", task.pk)



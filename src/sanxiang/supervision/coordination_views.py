"""Pages of 执法协调 (issue 14, part C): the list (the bureau's requests; an agency's own and those
naming it), raising a request, a request with its history and the steps the viewer's side may take."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxiang.procedure.supervision.coordination import (
    ACTIONS,
    COORDINATION_KIND_LABELS,
    coordination_actions_open,
)
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import coordination_selectors as selectors
from sanxiang.supervision import coordination_services as services
from sanxiang.supervision.forms import form_violations_add

KIND_CHOICES = [("", "请选择"), *((k.value, label) for k, label in COORDINATION_KIND_LABELS.items())]


class RaiseForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=KIND_CHOICES, required=False)
    other_agency = forms.ModelChoiceField(label="发生争议的机关", queryset=None, required=False,
                                          help_text="执法职责争议须选择；重大、复杂执法问题不选")
    subject = forms.CharField(label="协调事项", max_length=200, required=False)
    description = forms.CharField(label="问题或者争议的情况", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_agency"].queryset = selectors.agencies_in_county(agency=agency)
        self.fields["other_agency"].empty_label = "（无）"


class ActForm(forms.Form):
    text = forms.CharField(label="内容", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label="决定日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def coordination_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.coordinations_for(viewer=request.user).order_by("-raised_on", "-pk")
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/coordination_list.html", {
        "page": page, "may_raise": request.user.role in services.RAISING_ROLES and request.user.agency_id is not None,
    })


@login_required
def coordination_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in services.RAISING_ROLES or user.agency_id is None:
        raise PermissionDenied
    form = RaiseForm(request.POST or None, agency=user.agency)
    refused_general: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coordination = services.coordination_raise(
                actor=user, kind=data["kind"], subject=data["subject"], description=data["description"],
                other_agency=data["other_agency"], on=timezone.localdate(),
            )
        except Refused as refusal:
            refused_general = form_violations_add(form, refusal)
        else:
            messages.success(request, "已提请司法局协调")
            return redirect("supervision:coordination_detail", coordination.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/coordination_new.html", {
        "form": form, "refused": request.method == "POST", "refused_general": refused_general,
    }, status=status)


def _detail(request: HttpRequest, coordination, *, forms_by_action=None, refused_general=None, status: int = 200):
    side = services.coordination_side(coordination=coordination, user=request.user)
    actions = coordination_actions_open(state=coordination.state, side=side)
    forms_by_action = forms_by_action or {}
    return render(request, "supervision/coordination_detail.html", {
        "c": coordination,
        "steps": selectors.coordination_steps(coordination=coordination),
        "actions": [(a, forms_by_action.get(a.name) or ActForm(prefix=a.name),
                     any(name == "decided_on" for name, _label in a.required)) for a in actions],
        "refused_general": refused_general or [],
    }, status=status)


@login_required
def coordination_detail(request: HttpRequest, coordination_id: int) -> HttpResponse:
    return _detail(request, selectors.coordination_get(viewer=request.user, coordination_id=coordination_id))


@login_required
def coordination_act(request: HttpRequest, coordination_id: int) -> HttpResponse:
    coordination = selectors.coordination_get(viewer=request.user, coordination_id=coordination_id)
    if request.method != "POST":
        return redirect("supervision:coordination_detail", coordination_id)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return _detail(request, coordination, status=400)
    form = ActForm(request.POST, prefix=action)
    if not form.is_valid():
        return _detail(request, coordination, forms_by_action={action: form}, status=400)
    try:
        services.coordination_act(coordination=coordination, actor=request.user, action=action,
                                  data=form.cleaned_data, on=timezone.localdate())
    except Refused as refusal:
        general = form_violations_add(form, refusal)
        return _detail(request, coordination, forms_by_action={action: form}, refused_general=general, status=409)
    messages.success(request, f"已{ACTIONS[action].label}")
    return redirect("supervision:coordination_detail", coordination_id)

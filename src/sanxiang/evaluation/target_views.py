"""The plan's targets pages (/staff/evaluation/targets/): the share of agencies fully applying the three
systems now against the campaign's target and date, its monthly history and the agencies holding it
back with why; one agency's kinds × criteria; the records behind a criterion; the 司法局's form for
the county's next campaign. Views parse, call `evaluation.target_selectors` / `target_services` and
render."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.evaluation import target_selectors as selectors
from sanxiang.evaluation import target_services as services
from sanxiang.procedure.evaluation.targets import (
    CAMPAIGN_BASIS,
    CRITERIA,
    CRITERIA_BY_CODE,
    KIND_LABELS,
    MILESTONES_MAX,
    RULE_BASIS,
    STATUS_LABELS,
    EnforcementKind,
    Status,
    campaign_violations,
    criterion_basis,
    earliest_day,
)
from sanxiang.procedure.violations import Refused
from sanxiang.registry.permissions import permission_require
from sanxiang.supervision.forms import form_violations_add

DENIED = "只有司法局监督人员、系统管理员和机关负责人可以查看三项制度实施目标"
STATUS_BADGES = {Status.MET: "ok", Status.NOT_MET: "danger", Status.NOT_APPLICABLE: "muted"}


def _require(request: HttpRequest) -> None:
    permission_require(selectors.user_reads_targets(request.user), DENIED)


def _on(request: HttpRequest, today: dt.date) -> dt.date | None:
    """The day asked for (?on=YYYY-MM-DD, from the first day the targets can be judged on to today),
    today by default; None when unreadable or out of that range."""
    text = request.GET.get("on", "").strip()
    if not text:
        return today
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if earliest_day() <= day <= today else None


def _criteria_explained() -> list[tuple[str, str, str]]:
    return [(c.name, c.requirement, criterion_basis(c)) for c in CRITERIA]


@login_required
@require_safe
def targets(request: HttpRequest) -> HttpResponse:
    _require(request)
    today = timezone.localdate()
    table = selectors.target_table(viewer=request.user, on=today)
    return render(
        request,
        "evaluation/targets.html",
        {
            "table": table,
            "history": selectors.target_history(viewer=request.user),
            "criteria": _criteria_explained(),
            "rule_basis": RULE_BASIS,
            "badges": STATUS_BADGES,
            "status_labels": STATUS_LABELS,
            "may_define": selectors.user_defines_campaigns(request.user),
            "today": today,
        },
    )


@login_required
@require_safe
def target_agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    _require(request)
    today = timezone.localdate()
    on = _on(request, today)
    if on is None:
        return render(
            request,
            "evaluation/target_agency.html",
            {"result": None, "today": today, "earliest": earliest_day()},
            status=400,
        )
    result = selectors.target_agency(viewer=request.user, agency_id=agency_id, on=on)
    if result is None:
        raise Http404("没有这个执法主体，或者无权查看")
    return render(
        request,
        "evaluation/target_agency.html",
        {
            "result": result,
            "on": on,
            "today": today,
            "window": selectors.window_of(on=on, region=result.agency.region_code),
            "criteria": CRITERIA,
            "badges": STATUS_BADGES,
        },
    )


@login_required
@require_safe
def target_records(request: HttpRequest, agency_id: int) -> HttpResponse:
    _require(request)
    today = timezone.localdate()
    on = _on(request, today)
    kind = request.GET.get("kind", "")
    criterion = request.GET.get("criterion", "")
    if not selectors.target_agencies(viewer=request.user).filter(pk=agency_id).exists():
        raise Http404("没有这个执法主体，或者无权查看")
    if not kind and not criterion:
        # No criterion chosen: the agency's page, where each criterion opens its records.
        return redirect("evaluation:target_agency", agency_id)
    if on is None or kind not in {k.value for k in EnforcementKind} or criterion not in CRITERIA_BY_CODE:
        return render(request, "evaluation/target_records.html", {"listing": None}, status=400)
    listing = selectors.target_records(
        viewer=request.user, agency_id=agency_id, kind=EnforcementKind(kind), criterion=criterion, on=on
    )
    if listing is None:
        raise Http404("没有这个执法主体，或者无权查看")
    return render(
        request,
        "evaluation/target_records.html",
        {
            "listing": listing,
            "on": on,
            "kind_label": KIND_LABELS[listing.kind],
            "badges": STATUS_BADGES,
            "basis": criterion_basis(listing.criterion),
            "date_labels": [label for label, _ in listing.rows[0].dates] if listing.rows else [],
        },
    )


class CampaignForm(forms.Form):
    """The county's next campaign: a title and up to three stages (a date and a share of agencies)."""

    title = forms.CharField(label="目标名称", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MILESTONES_MAX + 1):
            self.fields[f"due_on_{n}"] = forms.DateField(
                label=f"第{n}阶段期限",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": "请填写有效的日期，例如 2027-06-30"},
            )
            self.fields[f"percent_{n}"] = forms.IntegerField(
                label=f"第{n}阶段全面实行的单位占比（%）",
                required=False,
                error_messages={"invalid": "请填写1至100的整数"},
            )

    def milestones(self) -> list[tuple[dt.date | None, int | None]]:
        data = getattr(self, "cleaned_data", {})
        return [(data.get(f"due_on_{n}"), data.get(f"percent_{n}")) for n in range(1, MILESTONES_MAX + 1)]


@login_required
def target_campaign_new(request: HttpRequest) -> HttpResponse:
    if not selectors.user_defines_campaigns(request.user):
        raise PermissionDenied("只有县司法局监督人员可以确定本县的实施目标")
    today = timezone.localdate()
    form = CampaignForm(request.POST or None)
    general: list = []
    if request.method == "POST" and not form.is_valid():
        # Every reason at once: the campaign's own checks on what could be read, beside the fields
        # the form could not read (an unreadable date is not also reported as missing).
        refusal = Refused(
            [
                v
                for v in campaign_violations(
                    title=form.cleaned_data.get("title", ""), milestones=form.milestones()
                )
                if v.field not in form.errors
            ]
        )
        general = form_violations_add(form, refusal)
    elif request.method == "POST":
        try:
            campaign = services.target_campaign_define(
                actor=request.user, title=form.cleaned_data["title"], milestones=form.milestones(), on=today
            )
        except Refused as refusal:
            general = form_violations_add(form, refusal)
        else:
            messages.success(request, f"已确定本县的实施目标：{campaign.title}")
            return redirect("evaluation:targets")
    bureau = request.user.agency
    return render(
        request,
        "evaluation/target_campaign_new.html",
        {
            "form": form,
            "refused": request.method == "POST",
            "refused_general": general,
            "basis": CAMPAIGN_BASIS,
            "in_force": selectors.campaign_in_force(bureau=bureau, on=today),
            "campaigns": selectors.campaigns_of(bureau=bureau),
        },
        status=400 if request.method == "POST" else 200,
    )

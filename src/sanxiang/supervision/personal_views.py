"""Pages of part B for persons and clues: a person-level proposal made from a matter
or an instrument, its page and the competent body's decision (confirmed: it changes the officer's
certificate); referrals to the 监察机关. Views parse, call the services and render."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.accounts.models import Role
from sanxiang.procedure.supervision.instruments import (
    CERTIFICATE_EFFECT,
    PERSONAL_MEASURE_LABELS,
    PersonalMeasure,
)
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import instrument_selectors as selectors
from sanxiang.supervision.instrument_services import (
    personal_decision_record,
    personal_propose,
    referral_record,
)
from sanxiang.supervision.instrument_views import refusal_split
from sanxiang.supervision.models import Matter

CHOICE_ERRORS = {"invalid_choice": "请从列表中选择", "required": "请选择"}
MEASURE_CHOICES = [(m.value, label) for m, label in PERSONAL_MEASURE_LABELS.items()]
CERTIFICATE_EFFECT_LABELS = {"revoked": "注销", "suspended": "暂扣"}


def _today() -> dt.date:
    return timezone.localdate()


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100000))
    except ValueError:
        return 1


def _desk_matter(request: HttpRequest) -> tuple[Matter, str]:
    """The matter named by ?matter=<id>, or the matter of the instrument named by ?instrument=<id>;
    and the query string that names it again."""
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以办理")
    if "instrument" in request.GET:
        try:
            instrument_id = int(request.GET["instrument"])
        except ValueError:
            instrument_id = 0
        instrument = selectors.instrument_get(user=request.user, instrument_id=instrument_id)
        matter = selectors.matter_for_desk(user=request.user, matter_id=instrument.matter_id)
        return matter, f"?instrument={instrument.pk}"
    matter = selectors.matter_for_desk(user=request.user, matter_id=request.GET.get("matter"))
    return matter, f"?matter={matter.pk}"


class PairForm(forms.Form):
    second = forms.TypedChoiceField(label="共同办理的监督人员", coerce=int, required=False, empty_value=None,
                                    help_text="须由两名以上持证监督人员共同办理", error_messages=CHOICE_ERRORS)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = list(colleagues)
        self.fields["second"].choices = [("", "请选择")] + [(u.pk, str(u)) for u in self.colleagues]

    def pair(self, user) -> list:
        second = next((u for u in self.colleagues if u.pk == self.cleaned_data.get("second")), None)
        return [user] + ([second] if second else [])


class ProposalForm(PairForm):
    officer = forms.TypedChoiceField(label="执法人员", coerce=int, empty_value=None, error_messages=CHOICE_ERRORS)
    measure = forms.ChoiceField(label="建议措施", choices=[("", "请选择"), *MEASURE_CHOICES],
                                error_messages=CHOICE_ERRORS)
    reasons = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    competent_body = forms.CharField(label="有权处理的机关", max_length=100,
                                     help_text="如该执法人员所在单位或者其主管部门")

    field_order = ["officer", "measure", "reasons", "competent_body", "second"]

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = list(officers)
        self.fields["officer"].choices = [("", "请选择")] + [(o.pk, o.name) for o in self.officers]


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    """Propose a measure for a named officer of the matter's agency (?matter= or ?instrument=)."""
    matter, query = _desk_matter(request)
    colleagues = selectors.bureau_supervisors(bureau_id=matter.bureau_id).exclude(pk=request.user.pk)
    form = ProposalForm(request.POST or None, colleagues=colleagues, officers=selectors.matter_officers(matter=matter),
                        initial={"competent_body": matter.agency.name if matter.agency_id else ""})
    refused, general = None, []
    if request.method == "POST" and form.is_valid():
        officer = next(o for o in form.officers if o.pk == form.cleaned_data["officer"])
        try:
            proposal = personal_propose(
                actor=request.user, matter=matter, officer=officer, measure=form.cleaned_data["measure"],
                reasons=form.cleaned_data["reasons"], competent_body=form.cleaned_data["competent_body"],
                supervisors=form.pair(request.user),
            )
        except Refused as refusal:
            refused, general = refusal, refusal_split(form, refusal, aliases={"supervisors": "second"})
        else:
            messages.success(request, f"已提出处理建议：{officer.name}，{proposal.get_measure_display()}。")
            return redirect("supervision:proposal_detail", proposal_id=proposal.pk)
    return render(request, "supervision/proposal_new.html", {
        "matter": matter, "form": form, "refused": refused, "refused_general": general, "query": query,
    }, status=400 if request.method == "POST" else 200)


class DecisionForm(PairForm):
    adopted = forms.TypedChoiceField(label="有权机关是否采纳", choices=[("1", "采纳"), ("0", "未采纳")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     error_messages=CHOICE_ERRORS)
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "日期格式不正确"})
    decision = forms.CharField(label="决定情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)

    field_order = ["adopted", "decided_on", "decision", "second"]


def _proposal_context(request: HttpRequest, proposal, form=None, refused=None, general=()) -> dict:
    desk = selectors.user_is_supervisor(request.user) and proposal.decided_on is None
    effect = CERTIFICATE_EFFECT[PersonalMeasure(proposal.measure)]
    if form is None and desk:
        form = DecisionForm(colleagues=_colleagues(request, proposal))
    return {
        "proposal": proposal, "desk": desk, "form": form,
        "effect_label": CERTIFICATE_EFFECT_LABELS.get(effect or "", ""), "refused": refused,
        "refused_general": list(general),
    }


def _colleagues(request: HttpRequest, proposal):
    return selectors.bureau_supervisors(bureau_id=proposal.matter.bureau_id).exclude(pk=request.user.pk)


@login_required
@require_safe
@access_recorded(AccessAction.VIEW)
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    access_target_set(request, AccessTarget("supervision.proposal", proposal.pk,
                                            f"处理建议 {proposal.officer.name}", agency_id=proposal.officer.agency_id))
    return render(request, "supervision/proposal_detail.html", _proposal_context(request, proposal))


@login_required
@require_http_methods(["POST"])
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Record the competent body's decision (the form on the proposal's page, confirmed)."""
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以登记处理决定")
    form = DecisionForm(request.POST, colleagues=_colleagues(request, proposal))
    refused, general = None, []
    if form.is_valid():
        try:
            personal_decision_record(actor=request.user, proposal=proposal, adopted=form.cleaned_data["adopted"],
                                     decision=form.cleaned_data["decision"], decided_on=form.cleaned_data["decided_on"],
                                     supervisors=form.pair(request.user))
        except Refused as refusal:
            refused, general = refusal, refusal_split(form, refusal, aliases={"supervisors": "second"})
        else:
            messages.success(request, "已登记有权机关的处理决定。")
            return redirect("supervision:proposal_detail", proposal_id=proposal.pk)
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    return render(request, "supervision/proposal_detail.html",
                  _proposal_context(request, proposal, form=form, refused=refused, general=general), status=400)


@login_required
@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Supervisors: the bureau's proposals; an agency's head: those about the agency's officers."""
    user = request.user
    if not (selectors.user_is_supervisor(user) or user.role in (Role.AGENCY_HEAD, Role.SYSTEM_ADMIN)):
        raise PermissionDenied("无权查看处理执法人员的建议")
    page = page_number(request)
    rows, more = selectors.page_of(selectors.proposals_visible(user=user), page=page)
    return render(request, "supervision/proposal_list.html", {"rows": rows, "more": more, "page": page})


class ReferralForm(PairForm):
    what = forms.CharField(label="移送的问题线索", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    to_body = forms.CharField(label="接收的监察机关", max_length=100)
    reference_number = forms.CharField(label="移送文号", max_length=80)
    referred_on = forms.DateField(label="移送日期", widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "日期格式不正确"})

    field_order = ["what", "to_body", "reference_number", "referred_on", "second"]


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Log the transfer of a clue to the 监察机关 from a matter (?matter= or ?instrument=)."""
    matter, query = _desk_matter(request)
    colleagues = selectors.bureau_supervisors(bureau_id=matter.bureau_id).exclude(pk=request.user.pk)
    form = ReferralForm(request.POST or None, colleagues=colleagues, initial={"referred_on": _today()})
    refused, general = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_record(actor=request.user, matter=matter, what=data["what"], to_body=data["to_body"],
                            referred_on=data["referred_on"], reference_number=data["reference_number"],
                            supervisors=form.pair(request.user))
        except Refused as refusal:
            refused, general = refusal, refusal_split(form, refusal, aliases={"supervisors": "second"})
        else:
            messages.success(request, f"已登记问题线索移送（{data['reference_number']}）。")
            return redirect(reverse("supervision:referral_list"))
    return render(request, "supervision/referral_new.html", {
        "matter": matter, "form": form, "refused": refused, "refused_general": general, "query": query,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def referral_list(request: HttpRequest) -> HttpResponse:
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以查看问题线索移送")
    page = page_number(request)
    rows, more = selectors.page_of(selectors.referrals_visible(user=request.user), page=page)
    return render(request, "supervision/referral_list.html", {"rows": rows, "more": more, "page": page})

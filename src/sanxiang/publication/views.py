"""Staff pages of 事后公开: the drafts, the side-by-side approval, and the withdrawal."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.procedure import citations
from sanxiang.procedure.violations import Refused
from sanxiang.publication import selectors, services


class WithdrawForm(forms.Form):
    kind = forms.ChoiceField(label="决定被", choices=list(services.CHANGE_KINDS.items()))
    changed_on = forms.DateField(label="变更或者撤销的日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    statement = forms.CharField(label="公开说明的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, draft=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if draft is not None:
            self.fields["kind"].choices = list(selectors.draft_change_kinds(draft).items())


class CorrectReasonForm(forms.Form):
    reason = forms.CharField(label="更正的理由", max_length=2000)


def approve_form_class(draft=None) -> type[forms.Form]:
    """The editable public texts of the draft's kind of decision (a penalty's without a draft)."""
    texts = selectors.draft_fields(draft)[1] if draft is not None else services.TEXT_FIELDS
    fields = {
        name: forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
        for name, label in texts.items()
    }
    return type("ApproveForm", (forms.Form,), fields)


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    drafts = selectors.drafts_for(viewer=request.user)
    return render(
        request,
        "publication/draft_list.html",
        {"drafts": drafts[:500], "today": today, "alerts": selectors.publication_alerts(viewer=request.user, on=today)},
    )


def _page(request: HttpRequest, draft, *, approve_form=None, withdraw_form=None, refused: Refused | None = None,
          status: int = 200) -> HttpResponse:
    access_target_set(request, AccessTarget("publication_draft", draft.pk, str(draft.case), case_id=draft.case_id,
                                            agency_id=draft.agency_id))
    return render(
        request,
        "publication/draft_detail.html",
        {
            "draft": draft,
            "rows": selectors.draft_comparison(draft),
            "redactions": selectors.draft_redactions(draft),
            "approve_form": approve_form or approve_form_class(draft)(initial=_initial(draft)),
            "withdraw_form": withdraw_form or WithdrawForm(initial={"changed_on": timezone.localdate()}, draft=draft),
            "reason_form": CorrectReasonForm(),
            "can_publish": services.user_can_publish(request.user, draft.agency_id),
            "refused": refused,
            "today": timezone.localdate(),
            "withdrawal_basis": citations.PUBLICATION_WITHDRAWAL,
        },
        status=status,
    )


def _initial(draft) -> dict[str, str]:
    """The public texts as they stand; a compulsory decision's later conclusion waiting for a
    person (`publication.compulsory`) is offered in its place, to be taken in by a correction."""
    initial = {k: draft.public.get(k, "") for k in selectors.draft_fields(draft)[1]}
    pending = draft.facts.get("update_pending") if draft.is_compulsory else ""
    if pending:
        initial["content"] = pending
    return initial


@login_required
@access_recorded(AccessAction.VIEW)
def draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    return _page(request, selectors.draft_get(viewer=request.user, draft_id=draft_id))


@login_required
@access_recorded(AccessAction.VIEW)
def draft_approve(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    if request.method != "POST":
        return redirect("publication:draft_detail", draft_id)
    form = approve_form_class(draft)(request.POST)
    if form.is_valid() and request.POST.get("confirmed") != "1":
        # 发布公示 cannot be taken back (only withdrawn or corrected as the law says): a second
        # step shows the texts as the public will read them and asks for confirmation.
        sent = [name for name in form.fields if name in request.POST]
        access_target_set(request, AccessTarget("publication_draft", draft.pk, str(draft.case), case_id=draft.case_id,
                                                agency_id=draft.agency_id))
        return render(request, "publication/draft_confirm.html", {
            "draft": draft,
            "texts": [(form.fields[name].label, form.cleaned_data[name]) for name in sent],
            "hidden": [(name, request.POST.get(name, "")) for name in sent],
        })
    if form.is_valid():
        try:
            # A field the request did not send is not an edit (an empty one it sent is).
            edits = {k: v for k, v in form.cleaned_data.items() if k in request.POST}
            services.publication_approve(actor=request.user, draft=draft, edits=edits)
        except Refused as refusal:
            return _page(request, draft, approve_form=form, refused=refusal, status=409)
        messages.success(request, "已发布公示")
        return redirect("publication:draft_detail", draft_id)
    return _page(request, draft, approve_form=form, status=400)


@login_required
@access_recorded(AccessAction.VIEW)
def draft_correct(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    if request.method != "POST":
        return redirect("publication:draft_detail", draft_id)
    form = approve_form_class(draft)(request.POST)
    reason = CorrectReasonForm(request.POST)
    if form.is_valid() and reason.is_valid():
        edits = {k: v for k, v in form.cleaned_data.items() if k in request.POST}
        try:
            services.publication_correct(actor=request.user, draft=draft, edits=edits, reason=reason.cleaned_data["reason"])
        except Refused as refusal:
            return _page(request, draft, approve_form=form, refused=refusal, status=409)
        messages.success(request, "已更正公示信息")
        return redirect("publication:draft_detail", draft_id)
    return _page(request, draft, approve_form=form, status=400)


@login_required
@access_recorded(AccessAction.VIEW)
def draft_withdraw(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    if request.method != "POST":
        return redirect("publication:draft_detail", draft_id)
    form = WithdrawForm(request.POST, draft=draft)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.publication_decision_change(
                actor=request.user, draft=draft, kind=data["kind"], changed_on=data["changed_on"], statement=data["statement"]
            )
        except Refused as refusal:
            return _page(request, draft, withdraw_form=form, refused=refusal, status=409)
        messages.success(request, "已撤回公示并公开说明理由")
        return redirect("publication:draft_detail", draft_id)
    return _page(request, draft, withdraw_form=form, status=400)


__all__ = ["draft_approve", "draft_correct", "draft_detail", "draft_list", "draft_withdraw"]

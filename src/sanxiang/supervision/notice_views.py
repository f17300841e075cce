"""Pages of part B for 通报: the list, drafting (internal or public, the agencies named,
text and indicators), the page with the approval by a second supervisor (the reasons why the
viewer cannot approve stand beside the button; a public one is confirmed before it is published),
and the named agencies' view of an internal one. Views parse, call the services and render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.accounts.models import Role
from sanxiang.procedure.supervision.instruments import NOTICE_SCOPE_LABELS, notice_approval_violations
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import instrument_selectors as selectors
from sanxiang.supervision.instrument_services import notice_approve as notice_approve_service
from sanxiang.supervision.instrument_services import notice_draft
from sanxiang.supervision.instrument_views import refusal_split
from sanxiang.supervision.personal_views import CHOICE_ERRORS, page_number


class NoticeForm(forms.Form):
    scope = forms.ChoiceField(label="通报范围", choices=list(NOTICE_SCOPE_LABELS.items()), widget=forms.RadioSelect,
                              error_messages=CHOICE_ERRORS)
    agencies = forms.TypedMultipleChoiceField(label="通报的被监督机关", coerce=int,
                                              widget=forms.CheckboxSelectMultiple,
                                              error_messages=CHOICE_ERRORS | {"invalid_list": "请从列表中选择"})
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    indicators = forms.CharField(label="指标情况（可不填）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 max_length=20000)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_rows = list(agencies)
        self.fields["agencies"].choices = [(a.pk, a.name) for a in self.agency_rows]


@login_required
@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    """Supervisors: the bureau's 通报 (those awaiting approval marked); an agency's staff: the approved ones naming it."""
    user = request.user
    if not (selectors.user_is_supervisor(user) or selectors.user_is_agency_staff(user) or user.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied("无权查看通报")
    page = page_number(request)
    rows, more = selectors.page_of(
        selectors.notices_visible(user=user).select_related("drafted_by").order_by("-drafted_on", "-id"), page=page)
    return render(request, "supervision/notice_list.html", {
        "rows": rows, "more": more, "page": page, "supervisor": selectors.user_is_supervisor(user),
        "scope_labels": NOTICE_SCOPE_LABELS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以起草通报")
    bureau = request.user.agency
    # The 指标情况 offered from the indicators (案卷评查合格率 of the latest campaign …), editable.
    initial = {"indicators": "\n".join(selectors.notice_indicator_lines(bureau=bureau, on=timezone.localdate()))}
    form = NoticeForm(request.POST or None, agencies=selectors.bureau_agencies(bureau=bureau), initial=initial)
    refused, general = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [a for a in form.agency_rows if a.pk in set(data["agencies"])]
        try:
            notice = notice_draft(actor=request.user, bureau=bureau, title=data["title"], body=data["body"],
                                  scope=data["scope"], agencies=chosen, indicators=data["indicators"])
        except Refused as refusal:
            refused, general = refusal, refusal_split(form, refusal)
        else:
            messages.success(request, "通报已起草，须由另一名监督人员审核批准。")
            return redirect("supervision:notice_detail", notice_id=notice.pk)
    return render(request, "supervision/notice_new.html",
                  {"form": form, "refused": refused, "refused_general": general},
                  status=400 if request.method == "POST" else 200)


def _notice_context(request: HttpRequest, notice, refused=None) -> dict:
    desk = selectors.user_is_supervisor(request.user) and notice.approved_on is None
    blockers = notice_approval_violations(
        drafted_by_id=notice.drafted_by_id, approver_id=request.user.pk,
        approver_may_approve=request.user.role == Role.SUPERVISOR and request.user.agency_id == notice.bureau_id,
    ) if desk else []
    return {
        "notice": notice, "desk": desk, "blockers": blockers, "scope_label": NOTICE_SCOPE_LABELS[notice.scope],
        "agencies": list(notice.agencies.order_by("name")), "matters": list(notice.matters.order_by("number")),
        "refused": refused, "refused_general": refused.violations if refused else [],
    }


@login_required
@require_safe
@access_recorded(AccessAction.VIEW)
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, notice_id=notice_id)
    access_target_set(request, AccessTarget("supervision.notice", notice.pk, f"通报 {notice.title}"[:200],
                                            agency_id=notice.bureau_id))
    return render(request, "supervision/notice_detail.html", _notice_context(request, notice))


@login_required
@require_http_methods(["POST"])
def notice_approve(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, notice_id=notice_id)
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以批准通报")
    try:
        notice_approve_service(actor=request.user, notice=notice)
    except Refused as refusal:
        notice = selectors.notice_get(user=request.user, notice_id=notice_id)
        return render(request, "supervision/notice_detail.html", _notice_context(request, notice, refused=refusal),
                      status=400)
    messages.success(request, "通报已批准并向社会公开。" if notice.scope == "public" else "通报已批准，被通报机关可以查看。")
    return redirect("supervision:notice_detail", notice_id=notice.pk)

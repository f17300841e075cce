"""Pages of 重大执法决定备案 (issue 14, part C): the list (the supervisors' queue with the clock and
the agencies' figures; an agency's own filings), a filing, and the supervisors' examination."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.inputs import id_from_query
from sanxiang.procedure.supervision.filings import FILING_STATE_LABELS
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import filing_selectors as selectors
from sanxiang.supervision import filing_services as services
from sanxiang.supervision.models import Matter

STATE_FILTERS = {str(k): v for k, v in FILING_STATE_LABELS.items()}


class ExamineForm(forms.Form):
    note = forms.CharField(label="审查意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def opinion_url(filing_id: int) -> str | None:
    """The matter opened from the filing taken to an opinion, where its pair issues the 意见书."""
    matter = Matter.objects.filter(origin=f"supervision_filing:{filing_id}").order_by("-pk").first()
    return reverse("supervision:matter_detail", args=[matter.pk]) if matter else None


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.filings_for(viewer=request.user).order_by("state", "due_on", "-pk")
    state = request.GET.get("state", "")
    if state in STATE_FILTERS:
        rows = rows.filter(state=state)
    agency = id_from_query(request.GET.get("agency"))
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    year = today.year
    rates = []
    if selectors.user_is_bureau_supervisor(request.user):
        rates = selectors.filing_rates(bureau=request.user.agency, year=year)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/filing_list.html", {
        "page": page, "state": state, "states": STATE_FILTERS, "agency": agency or "", "rates": rates, "year": year,
        "today": today,
    })


def _detail(request: HttpRequest, filing, *, form=None, refused: Refused | None = None, status: int = 200):
    access_target_set(request, AccessTarget("supervision_filing", filing.pk, str(filing.case), case_id=filing.case_id,
                                            agency_id=filing.agency_id))
    today = timezone.localdate()
    return render(request, "supervision/filing_detail.html", {
        "filing": filing,
        "documents": list(filing.documents.all()),
        "form": form or ExamineForm(),
        "may_examine": selectors.filing_may_examine(viewer=request.user, filing=filing) and filing.state == "awaiting",
        "opinion_url": opinion_url(filing.pk),
        "refused": refused,
        "days_left": (filing.due_on - today).days,
        "days_over": (today - filing.due_on).days,
        "today": today,
    }, status=status)


@login_required
@access_recorded(AccessAction.VIEW)
def filing_detail(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _detail(request, selectors.filing_get(viewer=request.user, filing_id=filing_id))


def _examine(request: HttpRequest, filing_id: int, service, done: str) -> HttpResponse:
    filing = selectors.filing_get(viewer=request.user, filing_id=filing_id)
    if request.method != "POST":
        return redirect("supervision:filing_detail", filing_id)
    form = ExamineForm(request.POST)
    if not form.is_valid():
        return _detail(request, filing, form=form, status=400)
    try:
        filing = service(filing=filing, actor=request.user, on=timezone.localdate(), note=form.cleaned_data["note"])
    except Refused as refusal:
        return _detail(request, filing, form=form, refused=refusal, status=409)
    messages.success(request, done)
    return filing


@login_required
@access_recorded(AccessAction.VIEW)
def filing_examine(request: HttpRequest, filing_id: int) -> HttpResponse:
    result = _examine(request, filing_id, services.filing_examine, "已记录审查无异议")
    if isinstance(result, HttpResponse):
        return result
    return redirect("supervision:filing_detail", filing_id)


@login_required
@access_recorded(AccessAction.VIEW)
def filing_opinion(request: HttpRequest, filing_id: int) -> HttpResponse:
    result = _examine(request, filing_id, services.filing_opinion_take, "已记录：本备案拟制发监督意见书")
    if isinstance(result, HttpResponse):
        return result
    # On to the matter opened from the filing: its pair accepts it and issues the 意见书 there.
    url = opinion_url(filing_id)
    return redirect(url) if url else redirect("supervision:filing_detail", filing_id)

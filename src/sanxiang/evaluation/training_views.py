"""Pages of 培训 (issue 15, item 6): the sessions, recording one, a session with its attendees (marked
on the page or imported from Excel), the per-agency summary (the training agencies report to the
司法局) and the officers' hours behind every number of it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from sanxiang.evaluation import training_selectors as selectors
from sanxiang.evaluation import training_services as services
from sanxiang.inputs import id_from_query
from sanxiang.procedure.evaluation.training import (
    PLAN_TRAINING,
    TRAINING_KIND_LABELS,
    hours_parse,
    required_hours_basis,
    required_hours_first_year,
    required_hours_unverified,
)
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.forms import form_violations_add

KIND_CHOICES = [("", "请选择"), *((k.value, label) for k, label in TRAINING_KIND_LABELS.items())]
YEAR_MIN, YEAR_MAX = 2000, 2099


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label="培训类别", choices=KIND_CHOICES, required=False)
    topic = forms.CharField(label="培训主题", max_length=200, required=False)
    held_on = forms.DateField(label="培训日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(label="学时", max_length=10, required=False, help_text="以0.5学时为单位，例如 2 或 3.5")


class ImportForm(forms.Form):
    file = forms.FileField(label="参训人员名单（Excel .xlsx）", required=False)


def _year(request: HttpRequest, *, first: int = YEAR_MIN) -> int:
    """The year asked for, or this year for one that is not a year or is out of range (`first`: the
    earliest the page can show)."""
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    try:
        year = int(raw)
    except ValueError:
        return today.year
    return year if max(first, YEAR_MIN) <= year <= YEAR_MAX else today.year


def _judged_years() -> range:
    """The years whose training hours can be judged, newest first (five at most)."""
    this_year = timezone.localdate().year
    return range(this_year, max(this_year - 5, required_hours_first_year() - 1), -1)


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.sessions_for(viewer=request.user).filter(
        held_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))).order_by("-held_on", "-pk")
    organiser_id = id_from_query(request.GET.get("organiser"))
    if organiser_id is not None:  # the sessions behind an agency's figures in the summary
        rows = rows.filter(organiser_id=organiser_id)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/training_list.html", {
        "page": page, "year": year, "organiser_id": organiser_id, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "may_record": services.user_may_organise(request.user), "basis": PLAN_TRAINING,
    })


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.user_may_organise(user):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    general: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.training_session_record(
                actor=user, kind=data["kind"], topic=data["topic"], held_on=data["held_on"],
                hours=hours_parse(data["hours"]) if data["hours"] else None, today=timezone.localdate(),
            )
        except Refused as refusal:
            general = form_violations_add(form, refusal)
        else:
            messages.success(request, "已登记培训，请登记参训人员")
            return redirect("evaluation:training_detail", session.pk)
    return render(request, "evaluation/training_new.html", {"form": form, "refused": request.method == "POST",
                                                             "refused_general": general},
                  status=400 if request.method == "POST" else 200)


def _detail(request: HttpRequest, session, *, report=None, import_form=None, status: int = 200) -> HttpResponse:
    organises = services.user_organises(session=session, user=request.user)
    attendances = selectors.session_attendances(viewer=request.user, session=session)
    present = {a.officer_id for a in attendances}
    candidates = list(selectors.attendee_candidates(session=session)) if organises else []
    return render(request, "evaluation/training_detail.html", {
        "s": session, "attendances": attendances, "organises": organises,
        "candidates": [(o, o.pk in present) for o in candidates],
        "import_form": import_form or ImportForm(), "report": report,
    }, status=status)


@login_required
@require_safe
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _detail(request, selectors.session_get(viewer=request.user, session_id=session_id))


@login_required
@require_POST
def session_attendees(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, session_id=session_id)
    ids = [i for i in (id_from_query(v) for v in request.POST.getlist("officers")) if i is not None]
    try:
        added, removed = services.training_attendance_mark(actor=request.user, session=session, officer_ids=ids)
    except Refused as refusal:
        for v in refusal.violations:
            messages.error(request, v.message)
        return _detail(request, session, status=409)
    messages.success(request, f"已登记参训人员：新增{added}人，取消{removed}人")
    return redirect("evaluation:training_detail", session_id)


@login_required
@require_POST
def session_import(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, session_id=session_id)
    form = ImportForm(request.POST, request.FILES)
    upload = form.cleaned_data.get("file") if form.is_valid() else None
    if upload is None:
        form.add_error("file", "请选择要导入的 Excel 文件")
        return _detail(request, session, import_form=form, status=400)
    try:
        report = services.training_attendance_import(actor=request.user, session=session, file=upload)
    except Refused as refusal:
        for v in refusal.violations:
            messages.error(request, v.message)
        return _detail(request, session, status=409)
    if not report.ok:
        return _detail(request, session, report=report, import_form=form, status=400)
    messages.success(request, f"已导入参训人员{report.added}人（已登记的{report.unchanged}人未变）")
    return redirect("evaluation:training_detail", session_id)


@login_required
@require_safe
def attendance_template(request: HttpRequest) -> HttpResponse:
    if not services.user_may_organise(request.user):
        raise PermissionDenied
    response = HttpResponse(services.attendance_template_build(), content_type=services.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%8F%82%E8%AE%AD%E4%BA%BA%E5%91%98.xlsx"
    return response


@login_required
@require_safe
def training_summary(request: HttpRequest) -> HttpResponse:
    year = _year(request, first=required_hours_first_year())
    rows, compliance = selectors.agency_training_summary(viewer=request.user, year=year)
    return render(request, "evaluation/training_summary.html", {
        "rows": rows, "compliance": compliance, "year": year, "years": _judged_years(),
        "required_basis": required_hours_basis(), "required_unverified": required_hours_unverified(),
        "basis": PLAN_TRAINING,
    })


@login_required
@require_safe
def training_officers(request: HttpRequest) -> HttpResponse:
    """The officers behind a number of the summary: of one agency (or all the viewer reads), all or
    only those meeting (met=1) or short of (met=0) the hours, each with the sessions they attended."""
    year = _year(request, first=required_hours_first_year())
    agencies = selectors.agencies_visible(viewer=request.user)
    agency_id = id_from_query(request.GET.get("agency"))
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    compliance = selectors.training_compliance([a.pk for a in agencies], year)
    met = request.GET.get("met", "")
    rows = compliance.met if met == "1" else [o for o in compliance.officers if not o.met] if met == "0" else (
        compliance.officers)
    attendance_ids = [i for o in rows for i in o.attendance_ids]
    attendances: dict[int, list] = {}
    for a in selectors.attendances_visible(viewer=request.user).filter(pk__in=attendance_ids).order_by(
            "session__held_on", "pk"):
        attendances.setdefault(a.officer_id, []).append(a)
    return render(request, "evaluation/training_officers.html", {
        "rows": [(o, attendances.get(o.officer_id, [])) for o in rows], "year": year, "met": met,
        "agency": agencies.first() if agency_id is not None else None, "required": compliance.required,
    })

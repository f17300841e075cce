"""Pages of the monthly progress reports (月报, issue 15 item 4): the agency's list and a report to
write and submit; the bureau's month of every agency with states and overdue flags; a report with
its figures (as submitted beside the live ones), its history and the bureau's actions; the records
behind a figure; the report as PDF and DOCX."""

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
from django.views.decorators.http import require_POST, require_safe

from sanxiang.evaluation import report_selectors as selectors
from sanxiang.evaluation import report_services as services
from sanxiang.evaluation.report_documents import report_document
from sanxiang.procedure.evaluation.reports import (
    REPORT_SECTION_LABELS,
    REQUIRED_SECTIONS,
    ReportAction,
    ReportActor,
    ReportMonth,
    ReportState,
    report_actions_allowed,
    report_due_basis,
)
from sanxiang.procedure.violations import Refused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def today() -> dt.date:
    """The county's today (one place, so that a test can set the day the pages see)."""
    return timezone.localdate()


class SectionsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in REPORT_SECTION_LABELS.items():
            self.fields[str(key)] = forms.CharField(
                label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                help_text="报送时必填，没有的写“无”" if key in REQUIRED_SECTIONS else "可不填")


class ActForm(forms.Form):
    text = forms.CharField(label="意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


def _month_from_query(value: str | None) -> ReportMonth | None:
    """2026-11 → ReportMonth(2026, 11); anything else None."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return ReportMonth(year, month) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """The bureau's supervisors: every agency's report on a month. An agency's staff: its reports."""
    user = request.user
    now = today()
    if selectors.user_is_supervisor(user):
        months = selectors.report_months(bureau=user.agency)
        month = _month_from_query(request.GET.get("month")) or (months[0] if months else ReportMonth.of(now).previous())
        rows = selectors.bureau_month(bureau=user.agency, month=month, today=now)
        # Each count opens the agencies it counts (?show=).
        shown = {
            "all": lambda r: True,
            "submitted": lambda r: bool(r.report and r.report.first_submitted_on),
            "received": lambda r: bool(r.report and r.report.state == ReportState.RECEIVED),
            "overdue": lambda r: bool(r.flags and r.flags.overdue),
        }
        counts = {key: sum(1 for r in rows if keep(r)) for key, keep in shown.items()}
        show = request.GET.get("show", "all")
        if request.GET.get("overdue") == "1":
            show = "overdue"
        keep = shown.get(show, shown["all"])
        return render(request, "evaluation/report_month.html", {
            "rows": [r for r in rows if keep(r)], "month": month, "months": months, "counts": counts, "today": now,
            "month_value": f"{month.year}-{month.month:02d}", "due_basis": report_due_basis(),
            "show": show if show in shown else "all",
        })
    return render(request, "evaluation/report_list.html", {
        "reports": selectors.agency_reports(viewer=user, today=now), "today": now, "due_basis": report_due_basis(),
    })


def _general(form: forms.Form, refusal: Refused) -> list:
    general = []
    for violation in refusal.violations:
        if violation.field and violation.field in form.fields:
            form.add_error(violation.field, violation.message)
        else:
            general.append(violation)
    return general


def _detail(request: HttpRequest, report, *, sections_form=None, act_form=None, act_action: str = "",
            refused: list | None = None, status: int = 200) -> HttpResponse:
    now = today()
    actor = services.report_actor(user=request.user, report=report)
    allowed = report_actions_allowed(state=ReportState(report.state), actor=actor)
    may_edit = ReportAction.EDIT in allowed
    matter_possible = actor == ReportActor.SUPERVISOR and not services.report_matter_violations(
        report=report, actor=request.user, on=now)
    lines = selectors.report_figure_lines(report=report)
    return render(request, "evaluation/report_detail.html", {
        "report": report,
        "flags": selectors.report_flags(report, today=now),
        "sections": [(REPORT_SECTION_LABELS[k], report.sections.get(str(k), "")) for k in REPORT_SECTION_LABELS],
        "sections_form": sections_form or (SectionsForm(initial=report.sections) if may_edit else None),
        "may_edit": may_edit,
        "supervisor_actions": [a for a in allowed if a in (ReportAction.RETURN, ReportAction.COMMENT,
                                                            ReportAction.RECEIVE)],
        "act_form": act_form or ActForm(),
        "act_action": act_action,
        "matter_possible": matter_possible,
        "lines": lines,
        "any_difference": report.figures_frozen_on is not None and any(line.differs for line in lines),
        "steps": selectors.report_steps(report=report),
        "refused": refused or [],
        "due_basis": report_due_basis(),
        "today": now,
    }, status=status)


@login_required
@require_safe
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _detail(request, selectors.report_get(viewer=request.user, report_id=report_id))


@login_required
@require_POST
def report_save(request: HttpRequest, report_id: int) -> HttpResponse:
    """The agency head saves the sections, or saves and submits them (the button pressed)."""
    report = selectors.report_get(viewer=request.user, report_id=report_id)
    form = SectionsForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, sections_form=form, status=400)
    submitting = "submit" in request.POST
    try:
        if submitting:
            report = services.report_submit(report=report, actor=request.user, on=today(), sections=form.cleaned_data)
        else:
            report = services.report_sections_save(report=report, actor=request.user, on=today(),
                                                   sections=form.cleaned_data)
    except Refused as refusal:
        return _detail(request, report, sections_form=form, refused=_general(form, refusal), status=409)
    messages.success(request, "月报已报送司法局" if submitting else "已保存")
    return redirect("evaluation:report_detail", report.pk)


_ACTS = {
    ReportAction.RETURN: (services.report_return, "reason", "月报已退回"),
    ReportAction.COMMENT: (services.report_comment, "text", "已批注"),
    ReportAction.RECEIVE: (services.report_receive, "text", "月报已接收"),
}


@login_required
@require_POST
def report_act(request: HttpRequest, report_id: int) -> HttpResponse:
    """The bureau's actions: return, comment, receive; or open a supervision matter on a late report."""
    report = selectors.report_get(viewer=request.user, report_id=report_id)
    action = request.POST.get("action", "")
    if action == "matter":
        try:
            matter = services.report_matter_open(report=report, actor=request.user, on=today())
        except Refused as refusal:
            return _detail(request, report, refused=refusal.violations, status=409)
        messages.success(request, f"已转为监督事项{matter.number}")
        return redirect("supervision:matter_detail", matter.pk)
    if action not in {str(a) for a in _ACTS}:
        return _detail(request, report, status=400)
    service, argument, done = _ACTS[ReportAction(action)]
    form = ActForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, act_form=form, act_action=action, status=400)
    try:
        service(report=report, actor=request.user, on=today(), **{argument: form.cleaned_data["text"]})
    except Refused as refusal:
        return _detail(request, report, act_form=form, act_action=action, refused=_general(form, refusal),
                       status=409)
    messages.success(request, done)
    return redirect("evaluation:report_detail", report.pk)


@login_required
@require_safe
def report_figure(request: HttpRequest, report_id: int, key: str) -> HttpResponse:
    """The records behind one figure of a report (live: the records as they are now)."""
    report = selectors.report_get(viewer=request.user, report_id=report_id)
    line = next((line for line in selectors.report_figure_lines(report=report) if line.key == key), None)
    records = selectors.report_figure_records(report=report, key=key, viewer=request.user)
    if line is None or records is None:
        return render(request, "evaluation/report_figure.html", {"report": report, "line": line, "records": None},
                      status=404)
    # A supervisor reads the list, not the cases: a record's title (which may name a party) and
    # its link only where the viewer may read the case (a read grant naming it, or the agency's staff).
    return render(request, "evaluation/report_figure.html", {
        "report": report, "line": line, "records": records, "withheld": any(not r.readable for r in records),
    })


@login_required
@require_safe
def report_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report = selectors.report_get(viewer=request.user, report_id=report_id)
    if fmt not in ("pdf", "docx"):
        raise PermissionDenied
    try:
        rendered = report_document(report=report)
    except ValueError:  # characters the font cannot print: said on the report's page
        messages.error(request, "报告中有无法打印的字符，请修改后再下载")
        return redirect(reverse("evaluation:report_detail", args=[report.pk]))
    body = rendered.pdf if fmt == "pdf" else rendered.docx
    response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else DOCX)
    response["Content-Disposition"] = _attachment(f"{rendered.filename_stem}.{fmt}")
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"report.{filename.rsplit('.', 1)[1]}\"; filename*=UTF-8''{quote(filename)}"

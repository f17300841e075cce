"""Pages of the closing steps (总结验收, issue 15 item 7): the summaries (the agency's to write and
submit, the bureau's year of every agency to receive or return), the acceptance round with a
checklist per agency, the county's work report to the government, the records behind each figure,
and the summary and work report as PDF and DOCX. Views parse, call a service, render."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanxiang.evaluation import closing_selectors as selectors
from sanxiang.evaluation import closing_services as services
from sanxiang.evaluation.closing_documents import summary_document, work_report_document
from sanxiang.evaluation.closing_figures import county_year_figures, figure_url, records_label
from sanxiang.evaluation.report_selectors import user_is_supervisor
from sanxiang.procedure.evaluation.closing import (
    ACCEPTANCE_BASIS,
    ACCEPTANCE_RESULT_LABELS,
    CRITERIA,
    SUMMARY_BASIS,
    SUMMARY_SECTION_LABELS,
    WORK_REPORT_BASIS,
    WORK_REPORT_SECTION_LABELS,
    AcceptanceResult,
    acceptance_scores_basis,
    closing_first_year,
    summary_due_basis,
)
from sanxiang.procedure.evaluation.reports import ReportAction, ReportState, report_actions_allowed
from sanxiang.procedure.violations import Refused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def today() -> dt.date:
    """The county's today (one place, so that a test can set the day the pages see)."""
    return timezone.localdate()


def _year(request: HttpRequest) -> int:
    """The year asked for (?year=), this year when unreadable or outside the closing steps' years
    (from the plan's first year, whose rules the figures read, to next year)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today().year
    return year if closing_first_year() <= year <= today().year + 1 else today().year


def _years() -> range:
    return range(today().year, today().year - 5, -1)


def _sections_form(labels, *, data=None, initial=None, required_note: str) -> forms.Form:
    form = forms.Form(data=data, initial=initial)
    for key, label in labels.items():
        form.fields[str(key)] = forms.CharField(
            label=label,
            required=False,
            max_length=10000,
            help_text=required_note,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
    return form


def _general(form: forms.Form | None, refusal: Refused) -> list:
    """The reasons with a field of the form go beside it; the others are listed above."""
    general = []
    for violation in refusal.violations:
        if form is not None and violation.field and violation.field in form.fields:
            form.add_error(violation.field, violation.message)
        else:
            general.append(violation)
    return general


def _linked(figures: list[dict], *, year: int, agency_id: int | None) -> list[dict]:
    return [{**f, "url": figure_url(key=f["key"], year=year, agency_id=agency_id)} for f in figures]


def _download(rendered, fmt: str) -> HttpResponse:
    from urllib.parse import quote

    body = rendered.pdf if fmt == "pdf" else rendered.docx
    response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else DOCX)
    filename = f"{rendered.filename_stem}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"document.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


# --- Summaries -------------------------------------------------------------------------------------------


@login_required
@require_safe
def summary_list(request: HttpRequest) -> HttpResponse:
    """The bureau's supervisors: every agency's summary of a year. An agency's staff: its summaries."""
    user = request.user
    now = today()
    if user_is_supervisor(user):
        year = _year(request)
        rows = selectors.bureau_summaries(bureau=user.agency, year=year, today=now)
        shown = {
            "all": lambda r: True,
            "submitted": lambda r: bool(r.summary and r.summary.first_submitted_on),
            "received": lambda r: bool(r.summary and r.summary.state == ReportState.RECEIVED),
            "overdue": lambda r: bool(r.flags and r.flags.overdue),
        }
        counts = {key: sum(1 for r in rows if keep(r)) for key, keep in shown.items()}
        show = request.GET.get("show", "all")
        show = show if show in shown else "all"
        return render(
            request,
            "evaluation/summary_year.html",
            {
                "rows": [r for r in rows if shown[show](r)],
                "year": year,
                "years": _years(),
                "counts": counts,
                "show": show,
                "due_basis": summary_due_basis(),
                "basis": SUMMARY_BASIS,
            },
        )
    return render(
        request,
        "evaluation/summary_list.html",
        {
            "summaries": selectors.agency_summaries(viewer=user, today=now),
            "due_basis": summary_due_basis(),
            "basis": SUMMARY_BASIS,
        },
    )


def _summary_page(
    request: HttpRequest, summary, *, form=None, act_form=None, refused=None, status: int = 200
) -> HttpResponse:
    actor = services.summary_actor(user=request.user, summary=summary)
    allowed = report_actions_allowed(state=ReportState(summary.state), actor=actor)
    may_edit = ReportAction.EDIT in allowed
    from sanxiang.evaluation.report_selectors import report_flags

    return render(
        request,
        "evaluation/summary_detail.html",
        {
            "summary": summary,
            "flags": report_flags(summary, today=today()),
            "sections": [
                (label, summary.sections.get(str(key), "")) for key, label in SUMMARY_SECTION_LABELS.items()
            ],
            "form": form
            or (
                _sections_form(
                    SUMMARY_SECTION_LABELS, initial=summary.sections, required_note="报送时必填，没有的写“无”"
                )
                if may_edit
                else None
            ),
            "may_edit": may_edit,
            "supervisor_actions": [a for a in allowed if a in (ReportAction.RETURN, ReportAction.RECEIVE)],
            "act_form": act_form or ActForm(),
            "figures": _linked(summary.figures, year=summary.year, agency_id=summary.agency_id),
            "steps": selectors.summary_steps(summary=summary),
            **_check_context(summary),
            "refused": refused or [],
            "due_basis": summary_due_basis(),
        },
        status=status,
    )


def _check_context(summary) -> dict:
    """The agency's acceptance result of the summary's year, once the round is over."""
    check = selectors.check_concluded(agency_id=summary.agency_id, year=summary.year)
    findings = [
        (c.label, check.findings.get(c.code)) for c in CRITERIA if check and check.findings.get(c.code)
    ]
    return {"check": check, "check_findings": findings}


class ActForm(forms.Form):
    text = forms.CharField(
        label="意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
@require_safe
def summary_detail(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_page(request, selectors.summary_get(viewer=request.user, summary_id=summary_id))


@login_required
@require_POST
def summary_act(request: HttpRequest, summary_id: int) -> HttpResponse:
    """The head saves or submits (the button pressed); the bureau returns or receives."""
    summary = selectors.summary_get(viewer=request.user, summary_id=summary_id)
    action = request.POST.get("action", "")
    if action in ("save", "submit"):
        form = _sections_form(
            SUMMARY_SECTION_LABELS, data=request.POST, required_note="报送时必填，没有的写“无”"
        )
        if not form.is_valid():
            return _summary_page(request, summary, form=form, status=400)
        try:
            if action == "submit":
                services.summary_submit(
                    summary=summary, actor=request.user, on=today(), sections=form.cleaned_data
                )
            else:
                services.summary_sections_save(
                    summary=summary, actor=request.user, on=today(), sections=form.cleaned_data
                )
        except Refused as refusal:
            return _summary_page(request, summary, form=form, refused=_general(form, refusal), status=409)
        messages.success(request, "工作总结已报送司法局" if action == "submit" else "已保存")
        return redirect("evaluation:summary_detail", summary.pk)
    if action not in ("return", "receive"):
        return _summary_page(request, summary, status=400)
    form = ActForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, summary, act_form=form, status=400)
    try:
        if action == "return":
            services.summary_return(
                summary=summary, actor=request.user, on=today(), reason=form.cleaned_data["text"]
            )
        else:
            services.summary_receive(
                summary=summary, actor=request.user, on=today(), text=form.cleaned_data["text"]
            )
    except Refused as refusal:
        return _summary_page(request, summary, act_form=form, refused=_general(form, refusal), status=409)
    messages.success(request, "工作总结已退回" if action == "return" else "工作总结已接收")
    return redirect("evaluation:summary_detail", summary.pk)


@login_required
@require_safe
def summary_file(request: HttpRequest, summary_id: int, fmt: str) -> HttpResponse:
    summary = selectors.summary_get(viewer=request.user, summary_id=summary_id)
    if fmt not in ("pdf", "docx"):
        raise PermissionDenied
    try:
        rendered = summary_document(summary=summary)
    except ValueError:  # characters the font cannot print
        messages.error(request, "工作总结中有无法打印的字符，请修改后再下载")
        return redirect("evaluation:summary_detail", summary.pk)
    return _download(rendered, fmt)


# --- Acceptance --------------------------------------------------------------------------------------------


def _require_supervisor(request: HttpRequest) -> None:
    if not user_is_supervisor(request.user):
        raise PermissionDenied


def _acceptance_page(request: HttpRequest, year: int, *, refused=None, status: int = 200) -> HttpResponse:
    bureau = request.user.agency
    round_ = selectors.acceptance_round_get(bureau=bureau, year=year)
    checks = selectors.round_checks(round_=round_) if round_ else []
    result = request.GET.get("result", "")
    counts = {
        "all": len(checks),
        "passed": sum(1 for c in checks if c.result == AcceptanceResult.PASSED),
        "failed": sum(1 for c in checks if c.result == AcceptanceResult.FAILED),
        "open": sum(1 for c in checks if not c.result),
    }
    if result in ("passed", "failed"):
        checks = [c for c in checks if c.result == result]
    elif result == "open":
        checks = [c for c in checks if not c.result]
    return render(
        request,
        "evaluation/acceptance.html",
        {
            "year": year,
            "years": _years(),
            "round": round_,
            "checks": checks,
            "counts": counts,
            "result": result,
            "criteria": [(c, round_.max_scores.get(c.code)) for c in CRITERIA] if round_ else [],
            "result_labels": {str(k): v for k, v in ACCEPTANCE_RESULT_LABELS.items()},
            "refused": refused or [],
            "basis": ACCEPTANCE_BASIS,
            "scores_basis": acceptance_scores_basis(),
        },
        status=status,
    )


@login_required
@require_safe
def acceptance(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request)
    return _acceptance_page(request, _year(request))


@login_required
@require_POST
def acceptance_act(request: HttpRequest) -> HttpResponse:
    """Open the year's round, or close it."""
    _require_supervisor(request)
    year = _year(request)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            services.acceptance_round_open(
                bureau=request.user.agency, year=year, actor=request.user, on=today()
            )
            messages.success(request, f"{year}年度验收已开始")
        elif action == "close":
            round_ = selectors.acceptance_round_get(bureau=request.user.agency, year=year)
            if round_ is None:
                raise Http404
            services.acceptance_round_close(round_=round_, actor=request.user, on=today())
            messages.success(request, f"{year}年度验收已结束")
        else:
            return _acceptance_page(request, year, status=400)
    except Refused as refusal:
        return _acceptance_page(request, year, refused=refusal.violations, status=409)
    return redirect(f"{_url('evaluation:acceptance')}?year={year}")


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _check_form(check, data=None) -> forms.Form:
    form = forms.Form(data=data)
    for criterion in CRITERIA:
        top = check.round.max_scores.get(criterion.code)
        if top is None:
            continue
        form.fields[f"score_{criterion.code}"] = forms.CharField(
            label=f"{criterion.label}（满分{top}分）",
            required=False,
            max_length=8,
            initial=check.scores.get(criterion.code, ""),
            help_text=criterion.description,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
        form.fields[f"findings_{criterion.code}"] = forms.CharField(
            label=f"{criterion.label}发现的问题",
            required=False,
            max_length=10000,
            initial=check.findings.get(criterion.code, ""),
            help_text="扣分的须写明",
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return form


def _check_page(request: HttpRequest, check, *, form=None, refused=None, status: int = 200) -> HttpResponse:
    summary = (
        selectors.summaries_for(viewer=request.user)
        .filter(agency=check.agency, year=check.round.year)
        .first()
    )
    editable = not check.result and not check.round.closed
    rows = [
        (c, check.round.max_scores.get(c.code), check.scores.get(c.code), check.findings.get(c.code, ""))
        for c in CRITERIA
        if c.code in check.round.max_scores
    ]
    return render(
        request,
        "evaluation/acceptance_check.html",
        {
            "check": check,
            "round": check.round,
            "form": (form or _check_form(check)) if editable else None,
            "rows": rows,
            "summary": summary,
            "figures": _linked(summary.figures, year=summary.year, agency_id=summary.agency_id)
            if summary
            else [],
            "result_label": ACCEPTANCE_RESULT_LABELS[AcceptanceResult(check.result)] if check.result else "",
            "refused": refused or [],
            "basis": ACCEPTANCE_BASIS,
            "scores_basis": acceptance_scores_basis(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def acceptance_check(request: HttpRequest, check_id: int) -> HttpResponse:
    """One agency's checklist: save the scores, or save and conclude (the button pressed)."""
    check = selectors.check_get(viewer=request.user, check_id=check_id)
    if request.method != "POST":
        return _check_page(request, check)
    form = _check_form(check, data=request.POST)
    if not form.is_valid():
        return _check_page(request, check, form=form, status=400)
    data = form.cleaned_data
    conclude = request.POST.get("action") == "conclude"
    try:
        services.acceptance_check_score(
            check=check,
            actor=request.user,
            on=today(),
            conclude=conclude,
            scores={c.code: data.get(f"score_{c.code}", "") for c in CRITERIA},
            findings={c.code: data.get(f"findings_{c.code}", "") for c in CRITERIA},
        )
    except Refused as refusal:
        return _check_page(request, check, form=form, refused=_general(form, refusal), status=409)
    messages.success(request, "验收结论已作出" if conclude else "评分已保存")
    return redirect("evaluation:acceptance_check", check.pk)


# --- The work report ----------------------------------------------------------------------------------------


def _work_report_page(request: HttpRequest, year: int, *, form=None, refused=None, status: int = 200):
    bureau = request.user.agency
    report = selectors.work_report_get(bureau=bureau, year=year)
    round_ = selectors.acceptance_round_get(bureau=bureau, year=year)
    if report is not None:
        figures = report.figures
    else:
        agency_ids = [a.pk for a in services.county_agencies(bureau=bureau)]
        figures = county_year_figures(
            bureau_id=bureau.pk,
            round_id=round_.pk if round_ else None,
            agency_ids=agency_ids,
            year=year,
            today=today(),
        )
    editable = report is not None and report.submitted_on is None
    return render(
        request,
        "evaluation/work_report.html",
        {
            "year": year,
            "years": _years(),
            "report": report,
            "round": round_,
            "figures": _linked(figures, year=year, agency_id=None),
            "form": (
                form
                or _sections_form(
                    WORK_REPORT_SECTION_LABELS, initial=report.sections, required_note="报送时必填"
                )
            )
            if editable
            else None,
            "sections": [
                (label, report.sections.get(str(key), ""))
                for key, label in WORK_REPORT_SECTION_LABELS.items()
            ]
            if report
            else [],
            "checks": selectors.round_checks(round_=round_) if round_ else [],
            "refused": refused or [],
            "basis": WORK_REPORT_BASIS,
        },
        status=status,
    )


@login_required
@require_safe
def work_report(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request)
    return _work_report_page(request, _year(request))


@login_required
@require_POST
def work_report_act(request: HttpRequest) -> HttpResponse:
    """Generate (or regenerate the figures of) the report, save its text, or submit it."""
    _require_supervisor(request)
    year = _year(request)
    action = request.POST.get("action", "")
    form = None
    try:
        if action == "generate":
            services.work_report_save(bureau=request.user.agency, year=year, actor=request.user, on=today())
            done = "工作报告已按目前的记录生成"
        elif action in ("save", "submit"):
            report = selectors.work_report_get(bureau=request.user.agency, year=year)
            if report is None:
                raise Http404
            form = _sections_form(WORK_REPORT_SECTION_LABELS, data=request.POST, required_note="报送时必填")
            if not form.is_valid():
                return _work_report_page(request, year, form=form, status=400)
            if action == "submit":
                services.work_report_submit(
                    report=report, actor=request.user, on=today(), sections=form.cleaned_data
                )
                done = "工作报告已报送旗人民政府"
            else:
                services.work_report_save(
                    bureau=request.user.agency,
                    year=year,
                    actor=request.user,
                    on=today(),
                    sections=form.cleaned_data,
                )
                done = "已保存，数据已按目前的记录更新"
        else:
            return _work_report_page(request, year, status=400)
    except Refused as refusal:
        return _work_report_page(request, year, form=form, refused=_general(form, refusal), status=409)
    messages.success(request, done)
    return redirect(f"{_url('evaluation:work_report')}?year={year}")


@login_required
@require_safe
def work_report_file(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_supervisor(request)
    report = selectors.work_report_get(bureau=request.user.agency, year=_year(request))
    if report is None:
        raise Http404
    if fmt not in ("pdf", "docx"):
        raise PermissionDenied
    try:
        rendered = work_report_document(report=report)
    except ValueError:
        messages.error(request, "工作报告中有无法打印的字符，请修改后再下载")
        return redirect(f"{_url('evaluation:work_report')}?year={report.year}")
    return _download(rendered, fmt)


# --- The records behind a figure ---------------------------------------------------------------------------


@login_required
@require_safe
def closing_records(request: HttpRequest) -> HttpResponse:
    """The monthly reports, summaries or checklists a figure of these pages counts (as they are now)."""
    key = request.GET.get("key", "")
    label = records_label(key)
    try:
        agency_id = int(request.GET["agency"]) if request.GET.get("agency") else None
    except ValueError:
        agency_id = None
    year = _year(request)
    rows = (
        selectors.closing_figure_rows(viewer=request.user, key=key, year=year, agency_id=agency_id)
        if label
        else None
    )
    if rows is None:
        return render(
            request,
            "evaluation/closing_records.html",
            {"label": None, "rows": None, "year": year},
            status=404,
        )
    return render(
        request,
        "evaluation/closing_records.html",
        {
            "label": label,
            "rows": rows,
            "year": year,
            "kind": key.split(".")[0],
            "result_labels": {str(k): v for k, v in ACCEPTANCE_RESULT_LABELS.items()},
            "supervisor": user_is_supervisor(request.user),
        },
    )

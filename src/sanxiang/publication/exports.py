"""Staff pages of enforcement publicity: the “双公示” export and the annual data report.

Included by the project under `staff/publication/` in the namespace `publication`; the names here
(`dual_publicity`, `annual`) are reversed as `publication:<name>`.

Who may open them:
- `dual_publicity`: every logged-in user with an agency role (their own agency's published
  decisions only), supervisors and system administrators (any agency, or all). Each download is
  recorded in the access log and the ledger before it is sent, as every export is.
- `annual`: every logged-in user with an agency role (their own agency's figures), supervisors
  and system administrators (any agency, and the list of reports not published in time).
  Publishing (POST) is for the agency's head or administrator, or a system administrator.
- `annual_records`: whoever reads an agency's annual figures, every record behind one group of
  them a page at a time (the annual page lists the first `annual_selectors.RECORDS_SHOWN`).

The logic is publication's (`dual_publicity`, `annual_selectors`, `annual`), shared with the API
(`api.publication_exports`); these views parse, call and render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.access.services import client_ip
from sanxiang.accounts.permissions import permission_require, user_can_read_agency
from sanxiang.inputs import id_from_query
from sanxiang.procedure.annual import ANNUAL_CATEGORIES, ANNUAL_REPORT_BASIS
from sanxiang.procedure.annual_counting import (
    INSPECTION_FREQUENCY_BANDS,
    NARRATIVE_MAX_CHARS,
    NARRATIVE_SECTIONS,
    PENALTY_COLUMNS,
    wan_yuan,
)
from sanxiang.procedure.dual_publicity import LAYOUT_LABELS
from sanxiang.procedure.violations import Refused
from sanxiang.publication import annual_selectors
from sanxiang.publication.annual import (
    NARRATIVE_PERMISSION_MESSAGE,
    PERMISSION_MESSAGE,
    annual_narrative_submit,
    annual_report_publish,
    user_can_publish,
)
from sanxiang.publication.annual_selectors import (
    RECORD_GROUPS,
    annual_agencies_readable,
    annual_agency_for,
    annual_agency_view,
    annual_county_view,
    annual_missing,
    annual_record_count,
    annual_record_group,
    annual_years,
)
from sanxiang.publication.dual_publicity import (
    FORMATS,
    MAX_PROBLEMS_SHOWN,
    MAX_RANGE_DAYS,
    DualPublicityFile,
    attachment_disposition,
    dual_publicity_check,
    dual_publicity_export,
    dual_publicity_label,
    dual_publicity_rows,
    dual_publicity_scope,
)
from sanxiang.publication.models import PublicAgency
from sanxiang.registry.models import Agency


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DualPublicityForm(forms.Form):
    layout = forms.ChoiceField(
        label="数据类别", choices=list(LAYOUT_LABELS.items())
    )
    start = forms.DateField(label="决定日期自", widget=_date_widget())
    end = forms.DateField(label="至", required=False, widget=_date_widget(), help_text="留空则只导出起始日当天作出的决定")
    format = forms.ChoiceField(label="文件格式", choices=list(FORMATS.items()))
    agency = forms.ChoiceField(label="执法主体", required=False)

    def __init__(self, *args, agencies: list[PublicAgency], all_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "全部执法主体")] if all_allowed else []
        self.fields["agency"].choices = choices + [(str(a.pk), a.name) for a in agencies]
        self.fields["agency"].required = not all_allowed

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None:
            end = end or start
            data["end"] = end
            if end < start:
                self.add_error("end", "截止日期不能早于起始日期")
            elif (end - start).days >= MAX_RANGE_DAYS:
                self.add_error("end", f"一次最多导出{MAX_RANGE_DAYS}天内作出的决定，请缩小日期范围")
        return data

    def agency_id(self) -> int | None:
        chosen = self.cleaned_data.get("agency")
        return int(chosen) if chosen else None


def attachment(file: DualPublicityFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = attachment_disposition(file)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def dual_publicity(request: HttpRequest) -> HttpResponse:
    scope = dual_publicity_scope(user=request.user)
    bound = "layout" in request.GET
    today = timezone.localdate()
    form = DualPublicityForm(
        request.GET if bound else None,
        agencies=scope.agencies,
        all_allowed=scope.all_allowed,
        initial={"layout": "CF", "start": today.replace(day=1), "end": today, "format": "csv"},
    )
    context = {"form": form, "agencies": scope.agencies, "all_allowed": scope.all_allowed, "checked": False}
    if not bound:
        return render(request, "publication/exports/dual_publicity.html", context)
    if not form.is_valid():
        return render(request, "publication/exports/dual_publicity.html", context, status=400)

    data = form.cleaned_data
    layout, start, end, file_format = data["layout"], data["start"], data["end"], data["format"]
    agency_ids = scope.ids(form.agency_id())  # the form offers only what the scope holds

    if request.GET.get("action") == "download":
        return attachment(dual_publicity_export(
            actor=request.user, scope=scope, agency_ids=agency_ids, layout=layout, start=start, end=end,
            file_format=file_format, ip_address=client_ip(request),
        ))

    check = dual_publicity_check(rows=dual_publicity_rows(agency_ids=agency_ids, start=start, end=end, layout=layout),
                                 layout=layout)
    context |= {
        "checked": True,
        "label": dual_publicity_label(layout=layout, start=start, end=end),
        "row_count": check.row_count,
        "problem_count": check.problem_count,
        "problem_rows": check.problem_rows,
        "problems": check.problems,
        "max_problems_shown": MAX_PROBLEMS_SHOWN,
        "download_query": urlencode({**request.GET.dict(), "action": "download"}),
    }
    return render(request, "publication/exports/dual_publicity.html", context)


# --- annual data ----------------------------------------------------------------------------------


# How much of an odd value of the query string the page quotes back when it says what was wrong.
QUOTED_CHARS = 20


def _quoted(raw: str) -> str:
    """A value of the query string as the page quotes it back: without control characters, short."""
    shown = "".join(c for c in raw if c.isprintable())
    return shown if len(shown) <= QUOTED_CHARS else f"{shown[:QUOTED_CHARS]}…"


def _annual_read(request: HttpRequest, params) -> tuple[int, list[int], Agency | None, bool, list[str]]:
    """The year and agency asked for, and what the page says of a choice it cannot show (a year
    that is not a number or not among the finished years offered, an agency that does not exist or
    that the user does not read): the page shows the latest year, or the county's figures, or the
    user's own agency, and says so; the API refuses the same values with 422."""
    years = annual_years(today=timezone.localdate())
    problems = []
    raw_year = (params.get("year") or "").strip()
    year = id_from_query(raw_year)
    if year not in years:
        year = years[0]
        if raw_year:
            problems.append(f"所选年度“{_quoted(raw_year)}”无法查看：年度数据可选{years[-1]}年至{years[0]}年"
                            f"（已结束的最近{len(years)}个年度），下面显示{year}年度的数据。")
    raw_agency = (params.get("agency") or "").strip()
    agency_id = id_from_query(raw_agency)
    agency, county = annual_agency_for(user=request.user, agency_id=agency_id)
    if agency is not None and not user_can_read_agency(request.user, agency.pk):
        raise PermissionDenied
    if raw_agency and county and agency is None:
        problems.append(f"所选执法主体（编号“{_quoted(raw_agency)}”）不存在或不在您可查看的范围内，"
                        "下面显示全县的数据，请在“执法主体”中重新选择。")
    elif raw_agency and not county and agency is not None and agency_id != agency.pk:
        problems.append(f"您只能查看本单位的年度数据，所选执法主体（编号“{_quoted(raw_agency)}”）不能查看，"
                        f"下面显示{agency.name}的数据。")
    return year, years, agency, county, problems


class NarrativeForm(forms.Form):
    """行政执法情况说明: one text per section (the service checks each is written)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in NARRATIVE_SECTIONS.items():
            self.fields[key] = forms.CharField(
                label=label, required=False, max_length=NARRATIVE_MAX_CHARS + 1000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


@login_required
@require_http_methods(["GET", "POST"])
def annual(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    params = request.POST if request.method == "POST" else request.GET
    year, years, agency, county, choice_problems = _annual_read(request, params)
    narrative_form = None

    narrating = params.get("action") == "narrative"
    if request.method == "POST":
        permission_require(agency is not None and user_can_publish(user, agency.pk),
                           NARRATIVE_PERMISSION_MESSAGE if narrating else PERMISSION_MESSAGE)
    if request.method == "POST" and choice_problems:
        # A submission for a year or agency the page cannot show writes nothing (not for the year or
        # agency shown instead): the page says why, with what was typed kept.
        if narrating:
            narrative_form = NarrativeForm(request.POST)
        choice_problems = [*choice_problems, "未提交：请核对年度和执法主体后重新提交。"]
    elif request.method == "POST" and narrating:
        narrative_form = NarrativeForm(request.POST)
        if narrative_form.is_valid():
            try:
                annual_narrative_submit(actor=user, agency=agency, year=year, sections=narrative_form.cleaned_data)
            except Refused as refusal:
                for violation in refusal.violations:
                    narrative_form.add_error(violation.field if violation.field in NARRATIVE_SECTIONS else None,
                                             violation.message)
            else:
                messages.success(request, f"已提交{agency.name}{year}年度行政执法情况说明，发布年度数据时一并公开。")
                query = {"year": year} | ({"agency": agency.pk} if county else {})
                return redirect(f"{reverse('publication:annual')}?{urlencode(query)}")
    elif request.method == "POST":
        try:
            annual_report_publish(actor=user, agency=agency, year=year)
        except Refused as refusal:
            for violation in refusal.violations:
                messages.error(request, violation.message)
        else:
            messages.success(request, f"已向社会公开{agency.name}{year}年度行政执法数据。")
        query = {"year": year} | ({"agency": agency.pk} if county else {})
        return redirect(f"{reverse('publication:annual')}?{urlencode(query)}")

    context = {
        "narrative": None,
        "narrative_form": narrative_form,
        "narrative_sections": NARRATIVE_SECTIONS,
        "penalty_columns": PENALTY_COLUMNS,
        "county_lines": None,
        "county_total": None,
        "county_inspections": None,
        "frequency_bands": INSPECTION_FREQUENCY_BANDS,
        "year": year,
        "years": years,
        "agency": agency,
        "county": county,
        # A supervisor chooses among the agencies of their county only (county_lookup).
        "agencies": annual_agencies_readable(user=user) if county else [],
        "report": None,
        "categories": ANNUAL_CATEGORIES,
        "basis": ANNUAL_REPORT_BASIS,
        "missing": None,
        "choice_problems": choice_problems,
        "records_query": urlencode({"year": year} | ({"agency": agency.pk} if county and agency is not None else {})),
    }
    if county:
        context |= annual_missing(user=user, today=today)
    if agency is not None:
        context |= annual_agency_view(user=user, agency=agency, year=year)
        if narrative_form is None:
            narrative = context["narrative"]
            context["narrative_form"] = NarrativeForm(initial=narrative.sections if narrative is not None else None)
        if context["narrative"] is not None:
            context["narrative_rows"] = [(label, context["narrative"].sections.get(key, ""))
                                         for key, label in NARRATIVE_SECTIONS.items()]
    elif county:
        context |= annual_county_view(user=user, year=year)
    form = context["narrative_form"]
    refused = request.method == "POST" and bool(choice_problems)
    status = 400 if refused or (form is not None and form.is_bound and form.errors) else 200
    return render(request, "publication/exports/annual.html", context, status=status)


@login_required
@require_safe
def annual_records(request: HttpRequest) -> HttpResponse:
    """Every record behind a group of an agency's figures, a page of `RECORDS_SHOWN` at a time: where
    the annual page's list of them stops."""
    year, _years, agency, county, choice_problems = _annual_read(request, request.GET)
    group = request.GET.get("group", "")
    if agency is None or group not in RECORD_GROUPS:
        for problem in choice_problems:
            messages.warning(request, problem)
        # Nothing chosen: the figures, where every group of records opens from its number.
        query = {"year": year} | ({"agency": agency.pk} if county and agency is not None else {})
        return redirect(f"{reverse('publication:annual')}?{urlencode(query)}")
    shown = annual_selectors.RECORDS_SHOWN
    count = annual_record_count(agency=agency, year=year, group=group)
    page = Paginator(range(count), shown).get_page(id_from_query(request.GET.get("page")) or 1)
    records = annual_record_group(viewer=request.user, agency=agency, year=year, group=group,
                                  offset=page.start_index() - 1 if count else 0, count=count)
    query = {"year": year, "group": group} | ({"agency": agency.pk} if county else {})
    return render(request, "publication/exports/annual_records.html", {
        "agency": agency, "year": year, "group": records, "page": page, "query": urlencode(query),
        "choice_problems": choice_problems,
        "back_query": urlencode({"year": year} | ({"agency": agency.pk} if county else {})),
        "records": [{"record": r, "label": PENALTY_COLUMNS.get(r.penalty_column, ""),
                     "amount_wan": wan_yuan(r.amount_fen)} for r in records.records],
    })


urlpatterns = [
    path("dual-publicity/", dual_publicity, name="dual_publicity"),
    path("annual/", annual, name="annual"),
    path("annual/records/", annual_records, name="annual_records"),
]

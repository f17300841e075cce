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
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record, client_ip
from sanxiang.accounts.models import AGENCY_ROLES, User
from sanxiang.accounts.permissions import (
    county_lookup,
    permission_require,
    user_can_read_agency,
    user_reads_all_agencies,
)
from sanxiang.procedure.annual import ANNUAL_CATEGORIES, ANNUAL_REPORT_BASIS, annual_report_due
from sanxiang.procedure.annual_counting import (
    INSPECTION_FREQUENCY_BANDS,
    NARRATIVE_MAX_CHARS,
    NARRATIVE_SECTIONS,
    PENALTY_COLUMNS,
    wan_yuan,
)
from sanxiang.procedure.dual_publicity import (
    LAYOUT_LABELS,
    dual_publicity_fields,
    dual_publicity_row_problems,
)
from sanxiang.procedure.violations import Refused
from sanxiang.publication.annual import (
    NARRATIVE_PERMISSION_MESSAGE,
    PERMISSION_MESSAGE,
    annual_counted_records,
    annual_county_penalty_table,
    annual_inspection_lines,
    annual_narrative_of,
    annual_narrative_submit,
    annual_narratives_submitted,
    annual_report_generate,
    annual_report_publish,
    annual_report_published,
    annual_reports_missing,
    annual_reports_published_agencies,
    user_can_publish,
)
from sanxiang.publication.dual_publicity import (
    CONTENT_TYPES,
    FORMATS,
    dual_publicity_file,
    dual_publicity_rows,
)
from sanxiang.publication.models import PublicAgency
from sanxiang.registry.models import Agency

# One export covers at most a year of decisions: the credit platform takes data by day or month,
# and a county's year is far within what a single file holds.
MAX_RANGE_DAYS = 366
# How many problems the check page lists; the count is always complete.
MAX_PROBLEMS_SHOWN = 500
# How far back the annual page offers years.
ANNUAL_YEARS_BACK = 5


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

    def agency_ids(self) -> list[int] | None:
        chosen = self.cleaned_data.get("agency")
        return [int(chosen)] if chosen else None


def _dual_publicity_scope(user: User) -> tuple[list[PublicAgency], bool]:
    """The public agencies the user may export, and whether "all agencies" is offered."""
    if user_reads_all_agencies(user):
        county = county_lookup(user, "")
        agencies = PublicAgency.objects.order_by("name")
        if county:
            agencies = agencies.filter(source_id__in=Agency.objects.filter(**county).values("pk"))
        return list(agencies), True
    if user.role in AGENCY_ROLES and user.agency_id is not None:
        return list(PublicAgency.objects.filter(source_id=user.agency_id)), False
    raise PermissionDenied("双公示数据由本单位人员、司法局监督人员和系统管理员导出")


def _attachment(content: bytes, *, file_format: str, filename: str, ascii_filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    # RFC 6266 / RFC 5987: the Chinese name for browsers that read filename*, ASCII for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response


def _export_agency_id(user: User, agencies: list[PublicAgency], agency_ids: list[int] | None) -> int | None:
    """The registry agency the access-log entry is filed under: the exported agency when there is
    one (and it is still in the registry), otherwise the user's own."""
    if agency_ids and len(agency_ids) == 1:
        source = next((a.source_id for a in agencies if a.pk == agency_ids[0]), None)
        if source is not None and Agency.objects.filter(pk=source).exists():
            return source
    return user.agency_id


@login_required
@require_safe
def dual_publicity(request: HttpRequest) -> HttpResponse:
    agencies, all_allowed = _dual_publicity_scope(request.user)
    bound = "layout" in request.GET
    today = timezone.localdate()
    form = DualPublicityForm(
        request.GET if bound else None,
        agencies=agencies,
        all_allowed=all_allowed,
        initial={"layout": "CF", "start": today.replace(day=1), "end": today, "format": "csv"},
    )
    context = {"form": form, "agencies": agencies, "all_allowed": all_allowed, "checked": False}
    if not bound:
        return render(request, "publication/exports/dual_publicity.html", context)
    if not form.is_valid():
        return render(request, "publication/exports/dual_publicity.html", context, status=400)

    data = form.cleaned_data
    layout, start, end, file_format = data["layout"], data["start"], data["end"], data["format"]
    agency_ids = form.agency_ids()
    if agency_ids is None and county_lookup(request.user):
        agency_ids = [a.pk for a in agencies]  # "every agency" of a supervisor: of their county
    rows = dual_publicity_rows(agency_ids=agency_ids, start=start, end=end, layout=layout)
    label = f"双公示{LAYOUT_LABELS[layout]}信息（{start.isoformat()}至{end.isoformat()}）"

    if request.GET.get("action") == "download":
        content = dual_publicity_file(rows, layout=layout, file_format=file_format)
        # The data leaves the platform: recorded (access log and ledger) before it is sent.
        access_record(
            actor=request.user,
            action=AccessAction.EXPORT,
            object_kind="publication.dual_publicity",
            object_id=f"{layout}:{start.isoformat()}:{end.isoformat()}",
            object_label=label,
            agency_id=_export_agency_id(request.user, agencies, agency_ids),
            ip_address=client_ip(request),
            details={
                "layout": layout,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "format": file_format,
                "public_agencies": agency_ids if agency_ids is not None else "all",
                "rows": len(rows),
            },
        )
        span = start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"
        return _attachment(
            content,
            file_format=file_format,
            filename=f"双公示_{LAYOUT_LABELS[layout]}_{span}.{file_format}",
            ascii_filename=f"sanxiang-dual-publicity-{layout.lower()}-{span}.{file_format}",
        )

    names = {f.code: f.name for f in dual_publicity_fields(layout)}
    number_field = f"{layout}_WSH"
    problems = []
    for index, row in enumerate(rows, start=1):
        for violation in dual_publicity_row_problems(row, layout=layout):
            problems.append(
                {"row": index, "number": row.get(number_field, ""), "field": violation.field,
                 "field_name": names.get(violation.field or "", ""), "message": violation.message,
                 "basis": violation.legal_basis}
            )
    context |= {
        "checked": True,
        "label": label,
        "row_count": len(rows),
        "problem_count": len(problems),
        "problem_rows": len({p["row"] for p in problems}),
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "max_problems_shown": MAX_PROBLEMS_SHOWN,
        "download_query": urlencode({**request.GET.dict(), "action": "download"}),
    }
    return render(request, "publication/exports/dual_publicity.html", context)


# --- annual data ----------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _annual_year(value: str | None, *, today: dt.date) -> int:
    years = _annual_years(today)
    year = _int(value)
    return year if year in years else years[0]


def _annual_years(today: dt.date) -> list[int]:
    """The finished years the page offers, latest first."""
    return [today.year - n for n in range(1, ANNUAL_YEARS_BACK + 1)]


def _annual_agency(user: User, requested: str | None) -> tuple[Agency | None, bool]:
    """The agency whose figures are shown, and whether the user may choose among all."""
    if user_reads_all_agencies(user):
        agency_id = _int(requested)
        readable = Agency.objects.filter(**county_lookup(user, ""))
        return (readable.filter(pk=agency_id).first() if agency_id else None), True
    if user.role in AGENCY_ROLES and user.agency_id is not None:
        return user.agency, False
    raise PermissionDenied("年度行政执法数据由本单位人员、司法局监督人员和系统管理员查看")


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
    year = _annual_year(params.get("year"), today=today)
    agency, county = _annual_agency(user, params.get("agency"))
    if agency is not None and not user_can_read_agency(user, agency.pk):
        raise PermissionDenied
    narrative_form = None

    if request.method == "POST" and params.get("action") == "narrative":
        permission_require(agency is not None and user_can_publish(user, agency.pk), NARRATIVE_PERMISSION_MESSAGE)
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
        permission_require(agency is not None and user_can_publish(user, agency.pk), PERMISSION_MESSAGE)
        try:
            annual_report_publish(actor=user, agency=agency, year=year)
        except Refused as refusal:
            for violation in refusal.violations:
                messages.error(request, violation.message)
        else:
            messages.success(request, f"已向社会公开{agency.name}{year}年度行政执法数据。")
        query = {"year": year} | ({"agency": agency.pk} if county else {})
        return redirect(f"{reverse('publication:annual')}?{urlencode(query)}")

    previous_year = today.year - 1
    narrative = annual_narrative_of(agency=agency, year=year) if agency is not None else None
    if narrative_form is None and agency is not None:
        narrative_form = NarrativeForm(initial=narrative.sections if narrative is not None else None)
    county_lines = county_total = county_inspections = None
    if county and agency is None:
        county_lines, county_total = annual_county_penalty_table(
            agencies=Agency.objects.filter(**county_lookup(user, "")).order_by("name"), year=year
        )
        # Which agencies have submitted their 行政执法情况说明 and published the year: two queries.
        submitted = annual_narratives_submitted(year=year)
        published_ids = annual_reports_published_agencies(year=year)
        county_lines = [
            {"line": line, "submitted": line.agency_id in submitted, "published": line.agency_id in published_ids}
            for line in county_lines
        ]
        # 行政检查 and 检查频次 of every agency (issue 17, item 7): a bounded number of queries.
        county_inspections = annual_inspection_lines(
            agencies=Agency.objects.filter(**county_lookup(user, ""), is_judicial_bureau=False).order_by("name"),
            year=year,
        )
    context = {
        "narrative": narrative,
        "narrative_form": narrative_form,
        "narrative_sections": NARRATIVE_SECTIONS,
        "penalty_columns": PENALTY_COLUMNS,
        "county_lines": county_lines,
        "county_total": county_total,
        "county_inspections": county_inspections,
        "frequency_bands": INSPECTION_FREQUENCY_BANDS,
        "year": year,
        "years": _annual_years(today),
        "agency": agency,
        "county": county,
        # A supervisor chooses among the agencies of their county only (county_lookup).
        "agencies": Agency.objects.filter(**county_lookup(user, "")).order_by("name") if county else [],
        "report": annual_report_generate(agency=agency, year=year) if agency is not None else None,
        "published": annual_report_published(agency=agency, year=year) if agency is not None else None,
        "has_public_agency": agency is not None and PublicAgency.objects.filter(source_id=agency.pk).exists(),
        "can_publish": agency is not None and user_can_publish(user, agency.pk),
        "categories": ANNUAL_CATEGORIES,
        "basis": ANNUAL_REPORT_BASIS,
        "due_on": annual_report_due(year),
        "missing": annual_reports_missing(on=today, lookup=county_lookup(user, "")) if county else None,
        "missing_year": previous_year,
        "missing_due_on": annual_report_due(previous_year),
    }
    if context["report"] is not None:
        published = context["published"].counts if context["published"] is not None else {}
        # Each category with what is public now beside it: a re-publish shows what it replaces.
        context["rows"] = [row | {"published": published.get(row["key"])} for row in context["report"]["rows"]]
        published_rows = context["published"].coercion_rows if context["published"] is not None else {}
        public_penalty = context["published"].penalty_rows if context["published"] is not None else {}
        context["penalty_lines"] = [
            line | {"published": public_penalty.get(line["key"])} for line in context["report"]["penalty_lines"]
        ]
        records = annual_counted_records(agency=agency, year=year)
        context["penalty_records"] = [
            {"label": PENALTY_COLUMNS.get(r.penalty_column, ""), "record": r, "amount_wan": wan_yuan(r.amount_fen)}
            for r in records if r.kind == "penalty"
        ]
        context["inspection_records"] = [r for r in records if r.kind == "inspection"]
        # The decisions behind the 征收、征用 and other-act figures (issue 18 items 2–3).
        decision_kinds = ("levy", "requisition", *(line["key"] for line in context["report"]["other_act_lines"]))
        context["decision_records"] = annual_counted_records(agency=agency, year=year, kinds=decision_kinds)
        context["published_amount_wan"] = (
            wan_yuan(public_penalty["amount_fen"]) if "amount_fen" in public_penalty else None
        )
        context["coercion_lines"] = [
            line | {"published": published_rows.get(line["key"])} for line in context["report"]["coercion_lines"]
        ]
    if narrative is not None:
        context["narrative_rows"] = [(label, narrative.sections.get(key, "")) for key, label in NARRATIVE_SECTIONS.items()]
    status = 400 if narrative_form is not None and narrative_form.is_bound and narrative_form.errors else 200
    return render(request, "publication/exports/annual.html", context, status=status)


urlpatterns = [
    path("dual-publicity/", dual_publicity, name="dual_publicity"),
    path("annual/", annual, name="annual"),
]

"""年度行政执法数据 on the portal: each agency's published figures by year, in the six categories
of the template, and the rows of 行政强制 (查封、扣押、冻结、本机关强制执行、申请人民法院强制执行、代履行)
whose sum is that category. Reads the public `AnnualReport` and `PublicAgency` tables only; a
category or row the agency has no power in was published as null and shows as "—", never as 0."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.procedure.annual import ANNUAL_CATEGORIES, COERCION_ROWS, annual_report_due
from sanxiang.publication.models import AnnualReport


@require_safe
def annual_list(request: HttpRequest) -> HttpResponse:
    years = list(AnnualReport.objects.order_by("-year").values_list("year", flat=True).distinct())
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    reports = (
        AnnualReport.objects.filter(year=year).select_related("agency").order_by("agency__name")
        if year is not None
        else AnnualReport.objects.none()
    )
    rows = [
        {
            "agency": report.agency,
            "published_at": report.published_at,
            "values": [report.counts.get(key) for key in ANNUAL_CATEGORIES],
            # A report published before the rows were counted has none: not shown as "—".
            "coercion": [report.coercion_rows.get(key) for key in COERCION_ROWS] if report.coercion_rows else None,
        }
        for report in reports
    ]
    for row in rows:
        # Each figure with its category's name: on a phone a row is a card, its cells labelled.
        row["cells"] = list(zip(ANNUAL_CATEGORIES.values(), row["values"], strict=True))
        row["coercion_cells"] = (
            list(zip(COERCION_ROWS.values(), row["coercion"], strict=True)) if row["coercion"] is not None else []
        )
    return render(
        request,
        "portal/annual/list.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "categories": list(ANNUAL_CATEGORIES.values()),
            "coercion_rows": list(COERCION_ROWS.values()),
            "has_coercion_rows": any(row["coercion"] is not None for row in rows),
            "due_on": annual_report_due(year) if year is not None else None,
        },
    )


urlpatterns = [
    path("annual/", annual_list, name="annual_list"),
]

"""年度行政执法数据 on the portal: each agency's published figures by year, in the six categories
of the template, and the rows of 行政强制 (查封、扣押、冻结、本机关强制执行、申请人民法院强制执行、代履行)
whose sum is that category, the rows of 行政许可 (申请、受理 … 不予延续 …) and the other acts
(行政给付、确认、奖励、裁决). Reads the public `AnnualReport` and `PublicAgency` tables only; a
category or row the agency has no power in was published as null and shows as "—", never as 0."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from sanxiang.procedure.annual import ANNUAL_CATEGORIES, COERCION_ROWS, annual_report_due
from sanxiang.procedure.annual_counting import (
    NARRATIVE_SECTIONS,
    PENALTY_COLUMNS,
    STATISTICS_SOURCE,
    PenaltyTable,
    penalty_tables_sum,
)
from sanxiang.procedure.other_acts.rules import ANNUAL_KINDS as OTHER_ACT_ANNUAL_KINDS
from sanxiang.procedure.other_acts.rules import KINDS as OTHER_ACT_KINDS
from sanxiang.procedure.permit.annual import PERMIT_ROWS
from sanxiang.publication.models import AnnualReport

# The other acts' rows, by their stored key (other_act.award …), with their names.
OTHER_ACT_ROWS = {row: OTHER_ACT_KINDS[kind] for kind, row in OTHER_ACT_ANNUAL_KINDS.items()}


@require_safe
def annual_list(request: HttpRequest) -> HttpResponse:
    years = list(AnnualReport.objects.order_by("-year").values_list("year", flat=True).distinct())
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    reports = list(
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
            "coercion": [report.coercion_rows.get(key) for key in COERCION_ROWS]
            if report.coercion_rows
            else None,
        }
        for report in reports
    ]
    for row, report in zip(rows, reports, strict=True):
        penalty = report.penalty_rows
        # The 行政处罚 table: decisions per column of the heaviest kind, 合计, 罚没金额 in 万元.
        row["penalty"] = (
            PenaltyTable({key: penalty.get(key, 0) for key in PENALTY_COLUMNS}, penalty.get("amount_fen", 0))
            if penalty
            else None
        )
        row["penalty_cells"] = (
            [
                *zip(PENALTY_COLUMNS.values(), row["penalty"].columns.values(), strict=True),
                ("合计", row["penalty"].total),
                ("罚没金额（万元）", row["penalty"].amount_wan),
            ]
            if row["penalty"] is not None
            else []
        )
        row["narrative"] = [
            (label, report.narrative[key])
            for key, label in NARRATIVE_SECTIONS.items()
            if report.narrative.get(key)
        ]
    tables = [row["penalty"] for row in rows if row["penalty"] is not None]
    penalty_total = penalty_tables_sum(tables) if tables else None
    for row in rows:
        # Each figure with its category's name: on a phone a row is a card, its cells labelled.
        row["cells"] = list(zip(ANNUAL_CATEGORIES.values(), row["values"], strict=True))
        row["coercion_cells"] = (
            list(zip(COERCION_ROWS.values(), row["coercion"], strict=True))
            if row["coercion"] is not None
            else []
        )
    for row, report in zip(rows, reports, strict=True):
        # The rows of 行政许可 and the other acts; a report published before they were has none.
        row["permit_cells"] = (
            [(label, report.permit_rows.get(key)) for key, label in PERMIT_ROWS.items()] if report.permit_rows else []
        )
        row["other_act_cells"] = (
            [(label, report.other_act_rows.get(key, 0)) for key, label in OTHER_ACT_ROWS.items()]
            if report.other_act_rows
            else []
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
            "permit_rows": list(PERMIT_ROWS.values()),
            "has_permit_rows": any(row["permit_cells"] for row in rows),
            "other_act_rows": list(OTHER_ACT_ROWS.values()),
            "has_other_act_rows": any(row["other_act_cells"] for row in rows),
            "penalty_columns": [*PENALTY_COLUMNS.values(), "合计", "罚没金额（万元）"],
            "penalty_total": penalty_total,
            "penalty_total_cells": list(
                zip(
                    [*PENALTY_COLUMNS.values(), "合计", "罚没金额（万元）"],
                    [*penalty_total.columns.values(), penalty_total.total, penalty_total.amount_wan],
                    strict=True,
                )
            )
            if penalty_total is not None
            else [],
            "statistics_source": STATISTICS_SOURCE,
            "has_narrative": any(row["narrative"] for row in rows),
            "due_on": annual_report_due(year) if year is not None else None,
        },
    )


urlpatterns = [
    path("annual/", annual_list, name="annual_list"),
]

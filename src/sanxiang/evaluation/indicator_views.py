"""The indicator pages (/staff/evaluation/indicators/): the table of agencies × indicators for a
period, the records behind each number, one indicator month by month, and the table as .xlsx.
Views parse, call `evaluation.indicators` and render."""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record, client_ip
from sanxiang.accounts.permissions import user_reads_all_agencies
from sanxiang.evaluation import indicator_exports, indicator_forms
from sanxiang.evaluation.indicators import (
    SIDE_LABELS,
    indicator_agencies,
    indicator_records,
    indicator_table,
    indicator_trend,
    user_reads_indicators,
)
from sanxiang.procedure.evaluation.indicators import indicator_current
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.registry.permissions import permission_require

RECORDS_PAGE_SIZE = 100
DENIED = "只有司法局监督人员、系统管理员和机关负责人可以查看执法指标"


def _require(request: HttpRequest) -> None:
    permission_require(user_reads_indicators(request.user), DENIED)


def _period_in_force(template: str, form_class, empty: str):
    """A period before a rule an indicator counts by was in force (the hours of training required
    from 2022-11-03 ...) cannot be counted: the page again with the reason beside the period, where
    it was a server error."""
    def wrap(view):
        @functools.wraps(view)
        def answered(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except ParameterMissing as missing:
                form = form_class(request.GET)
                form.is_valid()
                form.add_error(None, missing.violation.message)
                return render(request, template, {"form": form, empty: None}, status=400)
        return answered
    return wrap


@login_required
@require_safe
@_period_in_force("evaluation/indicators.html", indicator_forms.TableForm, "table")
def indicators(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = indicator_forms.TableForm(request.GET)
    if not form.is_valid():
        return render(request, "evaluation/indicators.html", {"form": form, "table": None}, status=400)
    table = indicator_table(viewer=request.user, period=form.period_value, rank_by=form.cleaned_data["rank"])
    return render(request, "evaluation/indicators.html", {
        "form": form,
        "table": table,
        "period_query": form.period_query,
        "county": user_reads_all_agencies(request.user),
    })


@login_required
@require_safe
@_period_in_force("evaluation/indicators.html", indicator_forms.TableForm, "table")
def indicators_xlsx(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = indicator_forms.TableForm(request.GET)
    if not form.is_valid():
        return render(request, "evaluation/indicators.html", {"form": form, "table": None}, status=400)
    table = indicator_table(viewer=request.user, period=form.period_value, rank_by=form.cleaned_data["rank"])
    # The figures leave the system: recorded before they are sent, as every export is.
    access_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        object_kind="evaluation.indicators",
        object_id=form.period_query,
        object_label=f"行政执法指标（{table.period.label}）",
        agency_id=request.user.agency_id,
        ip_address=client_ip(request),
    )
    response = FileResponse(indicator_exports.indicator_table_xlsx(table),
                            content_type=indicator_exports.XLSX_CONTENT_TYPE)
    stamp = form.period_query.replace("period=", "").replace("start=", "").replace("&end=", "_")
    response["Content-Disposition"] = (
        f'attachment; filename="sanxiang-indicators-{stamp}.xlsx"; '
        f"filename*=UTF-8''{quote(f'行政执法指标_{table.period.label}.xlsx', safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
@_period_in_force("evaluation/indicator_records.html", indicator_forms.RecordsForm, "listing")
def indicator_records_page(request: HttpRequest) -> HttpResponse:
    """The records behind one number of the table, 100 a page; their count is the number."""
    _require(request)
    form = indicator_forms.RecordsForm(request.GET)
    if not form.is_valid():
        return render(request, "evaluation/indicator_records.html", {"form": form, "listing": None}, status=400)
    today = timezone.localdate()
    period = form.period_value
    indicator = indicator_current(form.cleaned_data["indicator"], on=period.as_of(today))
    side = form.cleaned_data["side"] or "denominator"
    page = form.cleaned_data["page"] or 1
    listing = indicator_records(viewer=request.user, indicator=indicator, side=side, period=period,
                                agency_id=form.cleaned_data["agency"], offset=(page - 1) * RECORDS_PAGE_SIZE,
                                limit=RECORDS_PAGE_SIZE, today=today)
    if listing is None:
        raise Http404("没有这个执法主体，或者无权查看")
    pages = max(1, -(-listing.count // RECORDS_PAGE_SIZE))
    query = f"indicator={indicator.code}&side={side}&{form.period_query}"
    if listing.agency is not None:
        query += f"&agency={listing.agency.pk}"
    return render(request, "evaluation/indicator_records.html", {
        "form": form,
        "listing": listing,
        "side_label": SIDE_LABELS[side],
        "side_meaning": indicator.numerator if side == "numerator" else indicator.denominator,
        "date_labels": [label for label, _ in listing.rows[0].dates] if listing.rows else [],
        "page": page,
        "pages": pages,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None,
        "query": query,
        "period_query": form.period_query,
    })


@login_required
@require_safe
@_period_in_force("evaluation/indicator_trend.html", indicator_forms.TrendForm, "trend")
def indicator_trend_page(request: HttpRequest) -> HttpResponse:
    """One indicator month by month over the period (a year by default)."""
    _require(request)
    form = indicator_forms.TrendForm(request.GET)
    if not form.is_valid():
        return render(request, "evaluation/indicator_trend.html", {"form": form, "trend": None}, status=400)
    agency_id = form.cleaned_data["agency"]
    agency = None
    if agency_id is not None:
        agency = indicator_agencies(viewer=request.user).filter(pk=agency_id).first()
        if agency is None:
            raise Http404("没有这个执法主体，或者无权查看")
    period = form.period_value
    trend = indicator_trend(viewer=request.user, code=form.cleaned_data["indicator"], period=period,
                            agency_id=agency_id)
    indicator = indicator_current(form.cleaned_data["indicator"], on=period.end)
    rows = [(month, figure, f"start={month.start:%Y-%m-%d}&end={month.end:%Y-%m-%d}") for month, figure in trend]
    keep = [("indicator", indicator.code)] + ([("agency", agency.pk)] if agency is not None else [])
    return render(request, "evaluation/indicator_trend.html", {
        "form": form, "trend": rows, "indicator": indicator, "agency": agency, "period": period, "keep": keep,
    })

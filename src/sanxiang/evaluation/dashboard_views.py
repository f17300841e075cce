"""The assessment dashboard (/staff/evaluation/dashboard/): the county's for a supervisor, the
agency's for its head, refused to anyone else; and the same as .xlsx. Views parse, call
`evaluation.dashboard_selectors` and render."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record, client_ip
from sanxiang.evaluation import dashboard_exports, indicator_forms
from sanxiang.evaluation.dashboard_selectors import (
    dashboard_build,
    dashboard_chart_data,
    user_reads_dashboard,
)
from sanxiang.evaluation.indicator_exports import XLSX_CONTENT_TYPE
from sanxiang.evaluation.indicators import SOURCES
from sanxiang.procedure.evaluation.indicators import indicators_current
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.registry.permissions import permission_require

DENIED = "只有司法局监督人员、系统管理员和机关负责人可以查看数据看板"


def _build(request: HttpRequest):
    permission_require(user_reads_dashboard(request.user), DENIED)
    form = indicator_forms.DashboardForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        dashboard = dashboard_build(
            viewer=request.user,
            period=form.period_value,
            period_query=form.period_query,
            indicator_code=form.cleaned_data["indicator"],
            today=timezone.localdate(),
        )
    except ParameterMissing as missing:  # a period (or its trend's months) before a rule it reads
        form.add_error(None, missing.violation.message)
        return form, None
    return form, dashboard


def _choices(dashboard) -> list:
    on = (
        dashboard.period.as_of(dashboard.today)
        if dashboard.period.started(dashboard.today)
        else dashboard.period.start
    )
    return [i for i in indicators_current(on=on, available=True) if i.code in SOURCES]


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form, built = _build(request)
    if built is None:
        return render(request, "evaluation/dashboard.html", {"form": form, "dashboard": None}, status=400)
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "form": form,
            "dashboard": built,
            "period_query": built.period_query,
            "keep": [("indicator", built.indicator.code)],
            "choices": _choices(built),
            "charts": dashboard_chart_data(built),
        },
    )


@login_required
@require_safe
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    form, built = _build(request)
    if built is None:
        return render(request, "evaluation/dashboard.html", {"form": form, "dashboard": None}, status=400)
    # The figures leave the system: recorded before they are sent, as every export is.
    access_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        object_kind="evaluation.dashboard",
        object_id=f"{built.period_query}&indicator={built.indicator.code}",
        object_label=f"数据看板（{built.period.label}）",
        agency_id=request.user.agency_id,
        ip_address=client_ip(request),
    )
    response = FileResponse(dashboard_exports.dashboard_xlsx(built), content_type=XLSX_CONTENT_TYPE)
    stamp = built.period_query.replace("period=", "").replace("start=", "").replace("&end=", "_")
    response["Content-Disposition"] = (
        f'attachment; filename="sanxiang-dashboard-{stamp}.xlsx"; '
        f"filename*=UTF-8''{quote(f'数据看板_{built.period.label}.xlsx', safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response

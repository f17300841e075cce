"""Access-log pages: parse the filter, call the selector, render or send the export."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.access import exports, selectors
from sanxiang.access.forms import AccessLogFilterForm
from sanxiang.access.models import AccessAction
from sanxiang.access.permissions import user_can_read_access_log
from sanxiang.access.services import access_record, client_ip
from sanxiang.accounts.permissions import permission_require, user_reads_all_agencies

PAGE_SIZE = 50
DENIED = "只有司法局监督人员、系统管理员和机关负责人可以查看访问记录"


def _form(request: HttpRequest) -> AccessLogFilterForm:
    permission_require(user_can_read_access_log(request.user), DENIED)
    return AccessLogFilterForm(request.GET or None)


@login_required
@require_safe
def log_list(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    valid = form.is_bound is False or form.is_valid()
    filters = form.to_filter() if form.is_bound and valid else selectors.AccessLogFilter()
    entries = selectors.access_log_list(viewer=request.user, filters=filters) if valid else None
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")) if entries is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "access/log_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "county": user_reads_all_agencies(request.user),
        },
        status=200 if valid else 400,
    )


def _export(request: HttpRequest, fmt: str) -> tuple[selectors.AccessLogFilter, object] | HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "access/log_list.html", {"form": form, "page": None, "query": ""}, status=400)
    filters = form.to_filter() if form.is_bound else selectors.AccessLogFilter()
    entries = selectors.access_log_list(viewer=request.user, filters=filters)
    if fmt == "xlsx" and entries.count() > exports.XLSX_MAX_ROWS:
        form.add_error(None, f"超过 Excel 的行数上限（{exports.XLSX_MAX_ROWS} 行），请缩小范围或导出 CSV")
        return render(request, "access/log_list.html", {"form": form, "page": None, "query": ""}, status=400)
    # The log leaves the system: that is an access too, recorded before the first byte is sent.
    access_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        object_kind="access_log",
        object_id=fmt,
        object_label=f"访问记录导出（{filters.describe()}）"[:200],
        agency_id=request.user.agency_id,
        ip_address=client_ip(request),
    )
    return filters, entries


def _attachment(response: HttpResponse, fmt: str) -> HttpResponse:
    stamp = timezone.now().astimezone(selectors.LOG_TIME_ZONE).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = (
        f'attachment; filename="sanxiang-access-log-{stamp}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'访问记录_{stamp}.{fmt}', safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def log_export_csv(request: HttpRequest) -> HttpResponse:
    result = _export(request, "csv")
    if isinstance(result, HttpResponse):
        return result
    _, entries = result
    response = StreamingHttpResponse(
        exports.access_log_csv(entries.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, "csv")


@login_required
@require_safe
def log_export_xlsx(request: HttpRequest) -> HttpResponse:
    result = _export(request, "xlsx")
    if isinstance(result, HttpResponse):
        return result
    _, entries = result
    response = FileResponse(
        exports.access_log_xlsx(entries.iterator(chunk_size=2000)), content_type=exports.XLSX_CONTENT_TYPE
    )
    return _attachment(response, "xlsx")

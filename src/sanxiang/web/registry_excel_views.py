"""Excel pages of the registry: parse the request, call `registry.excel`, render or send the file."""

import datetime as dt
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.permissions import permission_require
from sanxiang.registry import excel


def _kind_or_404(kind: str) -> excel.Sheet:
    if kind not in excel.SHEETS:
        raise Http404
    return excel.SHEETS[kind]


def _xlsx_response(content: bytes, *, filename: str, ascii_filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    # RFC 6266 / RFC 5987: browsers that read filename* get the Chinese name; the plain
    # filename is the fallback for those that do not.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    # Exports hold personal data: no copy in shared caches or the browser's cache.
    response["Cache-Control"] = "no-store"
    return response


def _today() -> dt.date:
    return timezone.localdate()


@login_required
def registry_template_download(request: HttpRequest, kind: str) -> HttpResponse:
    sheet = _kind_or_404(kind)
    permission_require(excel.registry_excel_allowed(user=request.user))
    return _xlsx_response(
        excel.registry_template_build(kind=kind),
        filename=f"{sheet.title}导入模板.xlsx",
        ascii_filename=f"sanxiang-{kind}-template.xlsx",
    )


@login_required
def registry_export_download(request: HttpRequest, kind: str) -> HttpResponse:
    sheet = _kind_or_404(kind)
    permission_require(excel.registry_excel_allowed(user=request.user))
    today = _today().isoformat()
    content = excel.registry_export_build(viewer=request.user, kind=kind)
    # Exports hand out personal data in bulk: each one is recorded before it is sent.
    access_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        object_kind=f"registry.{kind}",
        object_id="export",
        object_label=sheet.title,
        agency_id=request.user.agency_id,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return _xlsx_response(
        content,
        filename=f"{sheet.title}_{today}.xlsx",
        ascii_filename=f"sanxiang-{kind}-{today}.xlsx",
    )


@login_required
def registry_import_page(request: HttpRequest) -> HttpResponse:
    permission_require(excel.registry_excel_allowed(user=request.user))
    import_kinds = excel.registry_import_kinds(user=request.user)
    report, form_error, chosen = None, "", request.POST.get("kind", "")
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if chosen not in excel.SHEETS:
            form_error = "请选择要导入的数据类型"
        elif upload is None:
            form_error = "请选择要导入的 Excel 文件（.xlsx）"
        else:
            permission_require(chosen in import_kinds, f"您没有权限导入{excel.SHEETS[chosen].title}")
            report = excel.registry_import(actor=request.user, kind=chosen, file=upload)
        # 400 whenever nothing was imported because of what was sent.
        status = 400 if form_error or (report is not None and not report.ok) else 200
    kinds = [
        {
            "kind": sheet.kind,
            "title": sheet.title,
            "template_url": reverse("registry:template", args=[sheet.kind]),
            "export_url": reverse("registry:export", args=[sheet.kind]),
            "can_import": sheet.kind in import_kinds,
        }
        for sheet in excel.SHEETS.values()
    ]
    return render(
        request,
        "registry/import.html",
        {
            "kinds": kinds,
            "import_kinds": [k for k in kinds if k["can_import"]],
            "chosen": chosen or (import_kinds[0] if import_kinds else ""),
            "report": report,
            "form_error": form_error,
            "max_rows": excel.MAX_ROWS,
            "max_megabytes": excel.MAX_FILE_BYTES // (1024 * 1024),
            "max_errors_shown": excel.MAX_ERRORS_SHOWN,
        },
        status=status,
    )

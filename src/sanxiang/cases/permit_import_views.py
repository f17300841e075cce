"""The page on which an agency's head or administrator downloads the template of licence decisions
made in another system and uploads it filled in (`cases.permit_import`): all or nothing, every
error listed by row and column."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.accounts.permissions import permission_require
from sanxiang.cases.permit_import import (
    IMPORT_REFUSED,
    NOTES,
    permit_import_template_build,
    permit_import_upload,
    user_can_import_permits,
)
from sanxiang.registry import selectors as registry_selectors

MAX_FILE_BYTES = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PermitImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


def _agency(request: HttpRequest):
    user = request.user
    permission_require(user.agency_id is not None and user_can_import_permits(user, user.agency_id), IMPORT_REFUSED)
    return registry_selectors.agency_get(viewer=user, agency_id=user.agency_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def permit_import(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    report = None
    if request.method == "POST":
        form = PermitImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read(MAX_FILE_BYTES + 1)
            report = permit_import_upload(actor=request.user, agency=agency, content=content, max_bytes=MAX_FILE_BYTES)
            if report.ok:
                messages.success(request, f"共{report.rows}行：新导入{report.imported}项，已存在{report.already}项（未重复导入）")
                return redirect("cases:permit_import")
    else:
        form = PermitImportForm()
    return render(request, "cases/permit_import.html", {"agency": agency, "form": form, "report": report, "notes": NOTES},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def permit_import_template(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    response = HttpResponse(permit_import_template_build(agency=agency), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('行政许可决定导入模板.xlsx')}"
    return response

"""The 裁量基准 (discretion benchmark) page of a matter: its versions, and the Excel import."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.accounts.permissions import permission_require, user_can_manage_staff
from sanxiang.procedure.discretion import PUBLISHED, benchmark_public
from sanxiang.registry import selectors
from sanxiang.registry.discretion_excel import MAX_ROWS, discretion_import, discretion_template_build
from sanxiang.registry.discretion_selectors import discretion_benchmarks_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def matter_discretion(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    can_manage = user_can_manage_staff(request.user, matter.agency_id)
    report = None
    form_error = ""
    if request.method == "POST":
        permission_require(can_manage)
        upload = request.FILES.get("file")
        if upload is None:
            form_error = "请选择要导入的 Excel 文件"
        else:
            report = discretion_import(actor=request.user, file=upload, agency_ids=[matter.agency_id])
    versions = [benchmark_public(row.as_benchmark()) for row in discretion_benchmarks_of(matter=matter)]
    return render(
        request,
        "registry/matter_discretion.html",
        {
            "matter": matter,
            "versions": versions,
            "can_manage": can_manage,
            "report": report,
            "form_error": form_error,
            "max_rows": MAX_ROWS,
            "published_basis": PUBLISHED,
        },
        status=422 if report is not None and not report.ok else 200,
    )


@login_required
def discretion_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(discretion_template_build(), content_type=XLSX)
    response["Content-Disposition"] = (
        'attachment; filename="sanxiang-discretion-template.xlsx"; '
        f"filename*=UTF-8''{quote('裁量基准导入模板.xlsx', safe='')}"
    )
    return response

"""The 裁量基准 (discretion benchmark) page of a matter: its versions, and the Excel import."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.accounts.permissions import permission_require, user_can_manage_staff
from sanxiang.procedure.discretion import MODELS, NO_PENALTY_KINDS, PUBLISHED, TIERS, yuan
from sanxiang.registry import selectors
from sanxiang.registry.discretion_excel import MAX_ROWS, discretion_import, discretion_template_build
from sanxiang.registry.discretion_selectors import discretion_benchmarks_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def benchmark_view(row) -> dict:
    """What the page shows of a stored version: entries with their tiers, described in Chinese."""
    benchmark = row.as_benchmark()
    entries = []
    for entry in benchmark.entries:
        tiers = []
        for tier in entry.tiers:
            if tier.band is not None:
                band = tier.band.describe()
            elif tier.multiples is not None:
                band = f"{entry.sanction.base_label}{tier.multiples[0].normalize():f}至{tier.multiples[1].normalize():f}倍"
            else:
                band = "按法定幅度中间值划分"
            tiers.append(
                {
                    "level": TIERS[tier.level],
                    "conditions": "；".join(c.describe() for c in tier.conditions) or "其他情形",
                    "band": band,
                    "explanation": tier.explanation,
                }
            )
        rules = [
            {
                "kind": NO_PENALTY_KINDS[rule.kind],
                "lookback": rule.lookback_months,
                "conditions": "；".join(c.describe() for c in (*rule.caps, *rule.conditions)) or "—",
            }
            for rule in benchmark.no_penalty
            if rule.entry == entry.code
        ]
        entries.append(
            {
                "entry": entry,
                "model": MODELS[entry.sanction.model],
                "sanction": entry.sanction.describe(),
                "rounding": yuan(entry.rounding.step_fen),
                "tiers": tiers,
                "rules": rules,
            }
        )
    return {"row": row, "label": benchmark.label(), "entries": entries}


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
    versions = [benchmark_view(row) for row in discretion_benchmarks_of(matter=matter)]
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

"""The officer's phone pages of carrying out an inspection (issue 17, part B): the day's
inspections, one inspection with its 检查码 and the forms of its next steps (approve, begin,
photos, the checklist, the result). Views parse, call a service or a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.models import Role
from sanxiang.accounts.permissions import case_read_require, user_can_read_case
from sanxiang.cases.selectors import guard_context
from sanxiang.evidence.storage import blob_store_get
from sanxiang.evidence.views import inline_allowed
from sanxiang.inputs import id_from_query
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection.code_views import qr_svg
from sanxiang.inspection.inspection_services import (
    inspection_act,
    inspection_photo_add,
    inspection_results_publish,
)
from sanxiang.inspection.models import Inspection
from sanxiang.inspection.step_forms import ACTIONS, form_parse
from sanxiang.procedure.inspection import rules as r
from sanxiang.procedure.inspection.procedures import INSPECTION
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation

# The violations shown beside a field of the forms (the field's key in the page); the others stand in
# the box at the top, with their basis.
BESIDE_FIELDS = {
    "on": "on", "record.on": "on", "sent_on": "sent_on", "result.sent_on": "sent_on",
    "test_results_on": "test_results_on", "result.test_results_on": "test_results_on",
    "rectification_due": "rectification_due", "result.rectification_due": "rectification_due",
    "method": "method", "offsite_on": "offsite_on", "offsite.on": "offsite_on",
    "result.outcome": "outcome", "result.findings": "findings", "photo": "photo", "record.photos": "photo",
    "record.checklist": "checklist", "record.officer_ids": "officer_ids",
    "record.certificates_shown": "certificates_shown", "record.enterprise_signed": "enterprise_signed",
    "findings": "findings", "checklist": "checklist", "officer_ids": "officer_ids",
    "emergency_reason": "emergency_reason",
}

def _reads_only(request: HttpRequest) -> bool:
    return sel.inspection_reads_only(request.user)


def _inspection_for(request: HttpRequest, pk: int) -> Inspection:
    return sel.inspection_for_viewer(viewer=request.user, inspection_id=pk)


def _inspection_to_act(request: HttpRequest, pk: int) -> Inspection:
    """The inspection for a step or an upload: a reader of the county is refused (403)."""
    return sel.inspection_for_actor(actor=request.user, inspection_id=pk)


@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    user = request.user
    mine = sel.inspections_of_the_day(officer_id=user.officer_id, on=on) if user.officer_id else []
    head = user.role == Role.AGENCY_HEAD
    to_approve = sel.inspections_to_approve(agency_id=user.agency_id) if head else []
    to_publish = list(sel.results_to_publish(agency_id=user.agency_id)) if head else []
    to_approve_after = sel.emergencies_to_approve(agency_id=user.agency_id) if head else []
    joinable = sel.inspections_joinable(agency_id=user.agency_id, region_code=user.agency.region_code, on=on) if head else []
    awaiting = sel.inspections_awaiting_approval(officer_id=user.officer_id, on=on) if user.officer_id else []
    return render(request, "inspection/inspection_today.html",
                  {"on": on, "mine": mine, "to_approve": to_approve, "to_publish": to_publish,
                   "to_approve_after": to_approve_after, "awaiting": awaiting, "joinable": joinable})


@login_required
@require_POST
def results_publish(request: HttpRequest) -> HttpResponse:
    # Only the results the page showed (each posted with the form); a value that is no id is left out.
    shown = [n for v in request.POST.getlist("inspection") if (n := id_from_query(v)) is not None]
    count = inspection_results_publish(actor=request.user, agency_id=request.user.agency_id, inspection_ids=shown)
    messages.success(request, f"已公示{count}项双随机抽查结果。")
    return redirect("inspection:today")


def _page(request: HttpRequest, inspection: Inspection, *, refused: list[Violation] | None = None,
          posted: Any = None, status: int = 200) -> HttpResponse:
    on = timezone.localdate()
    reads_only = _reads_only(request)
    snapshot = sel.inspection_snapshot(inspection)
    record = snapshot.record
    errors: dict[str, list[Violation]] = {}
    for v in refused or ():
        if v.field in BESIDE_FIELDS:
            errors.setdefault(BESIDE_FIELDS[v.field], []).append(v)
    refused_general = [v for v in refused or () if v.field not in BESIDE_FIELDS]
    context_today = guard_context(on=on)
    result_due = None
    if record is not None and snapshot.result is None:
        result_due = r.result_due(record_on=record.on, needs_testing=record.needs_testing, test_results_on=None,
                                  calendar=context_today.calendar, region=snapshot.region,
                                  parameters=context_today.parameters)
    lateness = r.result_lateness(snapshot, context_today)
    emergency_due = None
    if snapshot.emergency is not None:
        emergency_due = r.emergency_approval_due(started_on=snapshot.emergency.on, region=snapshot.region,
                                                 parameters=context_today.parameters)
    elif inspection.state == "assigned":
        emergency_due = r.emergency_approval_due(started_on=on, region=snapshot.region,
                                                 parameters=context_today.parameters)
    items = [{"item": i, "finding": (posted or {}).get(f"finding_{i.pk}", ""),
              "point": (posted or {}).get(f"point_{i.pk}", i.name)} for i in inspection.items.all()]
    context = {
        "inspection": inspection,
        "state_label": INSPECTION.state_label(inspection.state),
        "may_act": not reads_only,
        "is_head": not reads_only and request.user.role == Role.AGENCY_HEAD,
        "is_officer": not reads_only and request.user.officer_id is not None,
        "photos": _photo_rows(request, sel.inspection_photos(inspection)),
        "items": items,
        "findings": r.FINDINGS,
        "outcomes": r.OUTCOMES,
        "offsite_methods": r.OFFSITE_METHODS,
        "offsite": snapshot.offsite,
        "offsite_items": [i for i in inspection.items.all() if i.offsite_first],
        "record": record,
        "record_rows": _record_rows(inspection, record),
        "record_officers": [o.name for o in inspection.officers.all() if record and o.pk in record.officer_ids],
        "result": snapshot.result,
        "result_due": result_due,
        "lateness": lateness,
        "emergency": snapshot.emergency,
        "emergency_approval": snapshot.approval if snapshot.emergency is not None else None,
        "emergency_due": emergency_due,
        "emergency_lateness": r.emergency_approval_lateness(snapshot, context_today),
        "emergency_refused": r.emergency_not_refused(snapshot, context_today),
        "bodies": [name for _, name in snapshot.body_names],
        "join": None if reads_only else _join_choices(request, inspection),
        "cases": _cases(request, snapshot),
        "case_open": not reads_only and _may_open_case(request, inspection, snapshot),
        "code_url": request.build_absolute_uri(reverse("inspection_code:page", args=[inspection.code]))
        if inspection.code else "",
        "refused": refused,
        "refused_general": refused_general,
        "errors": errors,
        "posted": posted,
        "today": on,
    }
    return render(request, "inspection/inspection_detail.html", context, status=status)


def _photo_rows(request: HttpRequest, photos: list[Any]) -> list[dict[str, Any]]:
    """The photos of the visit, each with whether the viewer may open it: one a penalty case took
    is the case's evidence and opens under the case's read rule (`photo_file` decides again), so the
    page links only what will open; one check per case, not per photo."""
    readable: dict[int, bool] = {}
    for p in photos:
        if p.case_id is not None and p.case_id not in readable:
            readable[p.case_id] = user_can_read_case(request.user, agency_id=p.agency_id, case_id=p.case_id)
    return [{"record": p, "of_case": p.case_id is not None, "readable": p.case_id is None or readable[p.case_id]}
            for p in photos]


def _cases(request: HttpRequest, snapshot: r.InspectionSnapshot) -> list[dict[str, Any]]:
    """The penalty cases opened on the visit, each with its body; the case opens (a link) for its
    own body's staff."""
    return [{"body": snapshot.body_name(body_id), "case_id": case_id, "own": body_id == request.user.agency_id}
            for body_id, case_id in snapshot.cases]


def _may_open_case(request: HttpRequest, inspection: Inspection, snapshot: r.InspectionSnapshot) -> bool:
    """The form "本单位登记案源（立案查处）" for the head or an officer on the visit of a body whose matter the
    violation is and which has not opened its case yet (the service decides again)."""
    user = request.user
    if inspection.state != "closed" or user.agency_id is None:
        return False
    if user.role != Role.AGENCY_HEAD and not any(o.pk == user.officer_id for o in inspection.officers.all()):
        return False
    return not r.case_open_problems(snapshot, body_id=user.agency_id)


def _record_rows(inspection: Inspection, record: r.InspectionRecord | None) -> list[dict[str, str]]:
    """The checklist of the record as the page shows it: the item's name, the point, the finding."""
    if record is None:
        return []
    names = {i.pk: i.name for i in inspection.items.all()}
    return [{"item": names.get(e.item_id, ""), "point": e.point, "finding": r.FINDINGS.get(e.finding, "未填写"),
             "note": e.note} for e in record.checklist]


def _join_choices(request: HttpRequest, inspection: Inspection) -> dict[str, Any] | None:
    """For the head of a body that may join the visit: its own active items and officers (two
    queries); None for anyone else."""
    user = request.user
    if user.role != Role.AGENCY_HEAD or user.agency_id == inspection.agency_id:
        return None
    if not sel.inspection_joinable_by(inspection, agency_id=user.agency_id, region_code=user.agency.region_code):
        return None
    return {"items": sel.agency_items_active(agency_id=user.agency_id),
            "officers": sel.agency_officers(agency_id=user.agency_id)}


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _inspection_for(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("没有这一步")
    inspection = _inspection_to_act(request, pk)
    data, problems = form_parse(action, request.POST, inspection)
    if problems:
        return _page(request, inspection, refused=problems, posted=request.POST, status=422)
    try:
        inspection_act(actor=request.user, inspection_id=inspection.pk, action=action, data=data)
    except Refused as refusal:
        return _page(request, sel.inspection_load(pk=pk), refused=refusal.violations, posted=request.POST, status=422)
    return redirect("inspection:detail", pk=pk)


@login_required
@require_POST
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_to_act(request, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        problems = [Violation("form.photo", "请选择要上传的现场照片", FORM_BASIS, "photo")]
        return _page(request, inspection, refused=problems, status=422)
    try:
        inspection_photo_add(actor=request.user, inspection_id=pk, source=upload, original_name=upload.name)
    except Refused as refusal:
        return _page(request, inspection, refused=refusal.violations, status=422)
    return redirect("inspection:detail", pk=pk)


@login_required
@require_safe
def photo_file(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    """A photo or recording of the visit, shown to whoever may read the inspection (its bodies'
    staff on it, the county's supervisors), whichever body filed it, until a penalty case takes it:
    then it is that case's evidence and is read under the case's rule, as the evidence pages answer
    (another body: 404; a supervisor without a read grant: 403 需经调阅). The access is recorded
    (access log and ledger) before the first byte leaves."""
    inspection = _inspection_for(request, pk)
    record = next((p for p in sel.inspection_photos(inspection) if p.pk == record_id), None)
    if record is None:
        raise Http404("没有这张照片")
    if record.case_id is not None:
        case_read_require(request.user, agency_id=record.agency_id, case_id=record.case_id)
    stored = record.stored_file
    try:
        blob = blob_store_get().open(stored.sha256)
    except FileNotFoundError as missing:
        raise Http404("证据文件缺失，请联系系统管理员运行 sanxiang verify") from missing
    inline = inline_allowed(stored.content_type)
    try:
        access_record(actor=request.user, action=AccessAction.VIEW if inline else AccessAction.DOWNLOAD,
                      object_kind="evidence", object_id=record.pk, object_label=record.original_name,
                      case_id=record.case_id, agency_id=record.agency_id, ip_address=request.META.get("REMOTE_ADDR"),
                      details={"inspection": inspection.pk})
    except BaseException:
        blob.close()
        raise
    response = FileResponse(blob, as_attachment=not inline, filename=record.original_name,
                            content_type=stored.content_type)
    response["Content-Length"] = str(stored.size)
    return stored_file_headers(response, inline=inline)


def stored_file_headers(response: HttpResponse, *, inline: bool) -> HttpResponse:
    """The headers the evidence download (`evidence.views.record_download`) sends with a stored
    file: never cached; never rendered as a page of this site even if a browser guesses so (no
    script, no form, no same-origin access); shown inline, framed by this site only."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; frame-ancestors 'self'" if inline else "sandbox"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
@require_safe
def qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The 检查码 as a QR image (SVG) for the officer to show the enterprise."""
    inspection = _inspection_for(request, pk)
    if not inspection.code:
        raise Http404("负责人批准后才生成检查码")
    url = request.build_absolute_uri(reverse("inspection_code:page", args=[inspection.code]))
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")

"""Case pages: parse, call a selector or service, render. Scoped like the registry: another
agency's case is absent (404); supervisors read every case and change none."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set, request_access_record
from sanxiang.accounts.permissions import (
    permission_require,
    user_can_manage_parties,
    user_sees_full_party_id_number,
)
from sanxiang.cases import selectors, services
from sanxiang.cases.forms import (
    CaseCreateForm,
    CaseNewPartyForm,
    case_create_options,
    step_form_class,
    step_initial,
)
from sanxiang.cases.models import Case
from sanxiang.evidence.storage import blob_store_get
from sanxiang.procedure.violations import Refused
from sanxiang.registry.models import Officer

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- cases ------------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    cases = selectors.case_list(viewer=request.user, search=search)
    # Fifty a page; a page number that is no number or out of range gives the first or last page.
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page)
    # The next open deadline of each case on the page, from the case projection: one query.
    deadlines = selectors.cases_next_deadlines(case_ids=[c.pk for c in listed])
    rows = [(case, selectors.state_label(case), (deadlines.get(case.pk) or [None])[0]) for case in listed]
    can_create = request.user.agency_id is not None and user_can_manage_parties(request.user, request.user.agency_id)
    return render(request, "cases/case_list.html", {"page": page, "rows": rows, "q": search, "can_create": can_create})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    agency = request.user.agency
    if agency is None or not user_can_manage_parties(request.user, agency.pk):
        raise Http404
    form = CaseCreateForm(request.POST or None, agency=agency, viewer=request.user, on=timezone.localdate())
    # The new party's fields are parsed only when the registration adds one.
    party_form = CaseNewPartyForm(request.POST if form.party_new else None)
    refused = None
    if request.method == "POST" and form.is_valid() and (not form.party_new or party_form.is_valid()):
        data = form.cleaned_data
        case_fields = {
            "title": data["title"],
            "procedure": data["procedure"],
            "officers": list(data["officers"]),
            "matter": data["matter"],
            "enforcement_field": data["enforcement_field"],
            "act_date": data["act_date"],
            "discovered_on": data["discovered_on"],
            "options": case_create_options(form),
            "parent": data["parent"],
        }
        try:
            if form.party_new:
                case = services.case_create_with_new_party(
                    actor=request.user, agency=agency, party_fields=party_form.cleaned_data, **case_fields
                )
            else:
                case = services.case_create(actor=request.user, agency=agency, party=data["party"], **case_fields)
        except Refused as refusal:
            refused = refusal
            for violation in refusal.violations:
                # Each reason beside the field it concerns: the new party's ("party.<field>") in its form.
                field = violation.field or ""
                if field.startswith("party.") or (field == "party" and form.party_new):
                    name = field.removeprefix("party.")
                    party_form.add_error(name if name in party_form.fields else None, violation.message)
                else:
                    form.add_error(field if field in form.fields else None, violation.message)
        else:
            messages.success(request, f"已登记案件 {case.number}")
            return redirect(case)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "cases/case_form.html", {"form": form, "party_form": party_form, "refused": refused}, status=status
    )


def _officer_choices(case: Case) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    agency_officers = [
        (str(o.pk), o.name) for o in Officer.objects.filter(agency_id=case.agency_id, status="active").order_by("name")
    ]
    case_officers = [(str(o.pk), o.name) for o in case.officers.order_by("name")]
    return agency_officers, case_officers


def _case_page(
    request: HttpRequest, case: Case, *, failed: str = "", failed_form=None, refused: Refused | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    snapshot = selectors.case_snapshot_build(case)
    actions = selectors.case_actions(case=case, viewer=request.user, on=today, snapshot=snapshot)
    agency_officers, case_officers = _officer_choices(case)
    proposed = selectors.case_form_initial(case)
    blocks = []
    for view in actions:
        step = selectors.step_for(case, view.action)
        form = None
        if view.fields and view.allowed:
            form_class = step_form_class(step, agency_officers=agency_officers, case_officers=case_officers)
            if view.action == failed and failed_form is not None:
                form = failed_form
            else:
                form = form_class(
                    initial=step_initial(step, today=today, case_officer_ids=[i for i, _ in case_officers],
                                         proposed=proposed),
                    auto_id=f"id_{view.action}_%s",
                )
        blocks.append({"view": view, "form": form, "failed": view.action == failed,
                       "refused": refused if view.action == failed else None})
    deadlines, deadline_problems = selectors.case_deadlines_checked(case=case, on=today, snapshot=snapshot)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "state_label": selectors.state_label(case),
            "procedure_label": selectors.procedure_of(case).label,
            "transitions": [b for b in blocks if b["view"].kind == "transition"],
            "records_steps": [b for b in blocks if b["view"].kind == "record"],
            "deadlines": [(d, selectors.DEADLINE_STATE_LABELS[d.state]) for d in deadlines],
            "deadline_problems": deadline_problems,
            "documents": selectors.case_documents(case=case),
            "timeline": selectors.case_timeline(case=case),
            "records": sorted(selectors.spec_of(case).record_label(r) for r in snapshot.records),
            "review": selectors.case_review_view(case=case, snapshot=snapshot, on=today),
            "officers": case.officers.order_by("name"),
            "full_party": case.party is not None and user_sees_full_party_id_number(request.user, case.agency_id),
            "can_act": selectors.user_can_act_on_case(request.user, case),
            "refused": refused,
        },
        status=status,
    )


@login_required
@access_recorded(AccessAction.VIEW)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    access_target_set(request, AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id))
    return _case_page(request, case)


@login_required
def case_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """Perform a step (POST action=… with the step's form). A GET goes back to the case page."""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    permission_require(selectors.user_can_act_on_case(request.user, case), selectors.READ_ONLY)
    if request.method != "POST":
        return redirect(case)
    action = request.POST.get("action", "")
    step = selectors.step_for(case, action)
    if step is None:
        raise Http404
    agency_officers, case_officers = _officer_choices(case)
    form = step_form_class(step, agency_officers=agency_officers, case_officers=case_officers)(
        request.POST, auto_id=f"id_{action}_%s"
    )
    refused = None
    if form.is_valid():
        try:
            services.case_action_perform(actor=request.user, case=case, action=action, data=form.cleaned_data)
        except Refused as refusal:
            refused = refusal
        else:
            messages.success(request, f"已完成：{step.label}")
            return redirect(f"{reverse('cases:case_detail', args=[case.pk])}#timeline")
    # The page is shown again with the reasons: that is a view of the case, recorded as one.
    case.refresh_from_db()
    request_access_record(
        request=request,
        action=AccessAction.VIEW,
        target=AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id),
    )
    return _case_page(request, case, failed=action, failed_form=form, refused=refused,
                      status=409 if refused else 400)


def _document_response(request: HttpRequest, document_id: int, fmt: str) -> FileResponse:
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    record = document.pdf if fmt == "pdf" else document.docx
    try:
        blob = blob_store_get().open(record.stored_file.sha256)
    except FileNotFoundError as missing:
        raise Http404("文书文件缺失，请联系系统管理员运行 sanxiang verify") from missing
    access_target_set(
        request,
        AccessTarget("document", document.pk, f"{document.title} {document.number}".strip(), case_id=document.case_id,
                     agency_id=document.agency_id),
    )
    response = FileResponse(
        blob,
        as_attachment=True,
        filename=f"{document.filename_stem}.{fmt}",
        content_type="application/pdf" if fmt == "pdf" else DOCX,
    )
    response["Content-Length"] = str(record.stored_file.size)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@access_recorded(AccessAction.DOWNLOAD)
def document_pdf(request: HttpRequest, document_id: int) -> FileResponse:
    return _document_response(request, document_id, "pdf")


@login_required
@access_recorded(AccessAction.DOWNLOAD)
def document_docx(request: HttpRequest, document_id: int) -> FileResponse:
    return _document_response(request, document_id, "docx")


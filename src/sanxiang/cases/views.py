"""Case pages: parse, call a selector or service, render. Scoped like the registry: another
agency's case is absent (404); supervisors read every case and change none."""

import json
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.accounts.permissions import (
    permission_require,
    user_can_manage_parties,
    user_sees_full_party_id_number,
)
from sanxiang.cases import selectors, services
from sanxiang.cases.discretion_selectors import case_discretion_guide
from sanxiang.cases.forms import (
    BackEntryForm,
    CaseCreateForm,
    CaseNewPartyForm,
    case_create_options,
    step_form_class,
    step_initial,
)
from sanxiang.cases.models import Case
from sanxiang.cases.services import CORRECTION_REASON
from sanxiang.evidence.services import record_capture_parse
from sanxiang.evidence.storage import blob_store_get
from sanxiang.inputs import PLATFORM_RULE
from sanxiang.procedure import citations
from sanxiang.procedure.back_entry import BACK_ENTRY_ACTOR_RULE, BACK_ENTRY_RULE
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Officer
from sanxiang.textsearch import CappedPaginator

PAGE_SIZE = 50
# The cases a list counts before it says "more than" (20 pages; a platform rule of the pages): a
# county's 100,000 cases are not counted on every request. The list is narrowed by its search.
CASE_LIST_COUNT_CAP = 1000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- cases ------------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    cases = selectors.case_list(viewer=request.user, search=search)
    # Fifty a page, counted up to CASE_LIST_COUNT_CAP; a page number that is no number or out of
    # range gives the first or last page.
    page = CappedPaginator(cases, PAGE_SIZE, cap=CASE_LIST_COUNT_CAP).get_page(request.GET.get("page"))
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
            "occurred_on": data["occurred_on"],
            "back_entry_reason": data["back_entry_reason"],
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
        request, "cases/case_form.html",
        {"form": form, "party_form": party_form, "refused": refused, "summary_basis": citations.SUMMARY_PROCEDURE},
        status=status,
    )


def _officer_choices(case: Case) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    agency_officers = [
        (str(o.pk), o.name) for o in Officer.objects.filter(agency_id=case.agency_id, status="active").order_by("name")
    ]
    case_officers = [(str(o.pk), o.name) for o in case.officers.order_by("name")]
    return agency_officers, case_officers


# A refused step is not shown in the POST's answer (a reload would send it again): its form data
# and reasons are kept in the session once, and the case page they redirect to takes them back.
FAILED_STEP_KEY = "cases.failed_step"
# The inputs of a back-entry's paper document numbers (补录): "document_numbers.<kind>", the field
# the service's reasons about each name.
PAPER_NUMBER_PREFIX = "document_numbers."


# What a refused form may keep besides the step's own fields (the step, the device's time, the
# draft key of the files captured in a record), and how much: a session is no store for uploads.
FAILED_STEP_EXTRA = ("action", "device_time", "evidence_draft")
FAILED_STEP_MAX_BYTES = 64 * 1024
FAILED_STEP_TOO_LARGE = "表单内容过大，未能保留，请重新填写"


def _failed_step_keep(request: HttpRequest, *, case: Case, action: str, refused: Refused | None,
                      fields: Iterable[str], revise: bool = False) -> None:
    """Keep the refused form (only the step's own `fields` and FAILED_STEP_EXTRA, at most
    FAILED_STEP_MAX_BYTES of it; beyond, nothing but a message) and its reasons, once."""
    allowed = {*fields, *FAILED_STEP_EXTRA}
    data: dict[str, list[str]] | None = {key: request.POST.getlist(key) for key in request.POST if key in allowed}
    violations = [v.as_dict() for v in refused.violations] if refused is not None else []
    if len(json.dumps([data, violations], ensure_ascii=False).encode()) > FAILED_STEP_MAX_BYTES:
        # Nothing of it but the message: the form starts afresh (a refusal, not 返回修改).
        data, revise = None, False
        violations = [Violation("case.form_too_large", FAILED_STEP_TOO_LARGE, PLATFORM_RULE, None).as_dict()]
    request.session[FAILED_STEP_KEY] = {
        "case": case.pk, "action": action, "data": data, "revise": revise, "violations": violations,
    }


def _failed_step_take(request: HttpRequest, case: Case) -> tuple[str, QueryDict | None, Refused | None]:
    """The step refused just before this page, its data and its reasons; once. A form sent back
    from its confirmation (返回修改) comes back the same way, as the action "revise:<step>"."""
    kept = request.session.pop(FAILED_STEP_KEY, None)
    if not isinstance(kept, dict) or kept.get("case") != case.pk:
        return "", None, None
    data: QueryDict | None = None
    if isinstance(kept.get("data"), dict):
        # None: too large to keep (the form starts afresh, the reasons say why).
        data = QueryDict(mutable=True)
        for key, values in kept["data"].items():
            data.setlist(key, values)
    violations = [Violation(v["code"], v["message"], v["legal_basis"], v.get("field")) for v in kept.get("violations") or []]
    action = kept.get("action") or ""
    return f"revise:{action}" if kept.get("revise") else action, data, Refused(violations) if violations else None


def _step_url(case: Case, action: str) -> str:
    return f"{reverse('cases:case_detail', args=[case.pk])}#step-{action}"


def _case_page(request: HttpRequest, case: Case) -> HttpResponse:
    today = timezone.localdate()
    failed, failed_data, refused = _failed_step_take(request, case)
    snapshot = selectors.case_snapshot_build(case)
    actions = selectors.case_actions(case=case, viewer=request.user, on=today, snapshot=snapshot)
    agency_officers, case_officers = _officer_choices(case)
    proposed = selectors.case_form_initial(case)
    context = selectors.guard_context(on=today)
    can_act = selectors.user_can_act_on_case(request.user, case)
    # 补录 only in a paper case (registered by back-entry; procedure.back_entry).
    paper_case = can_act and selectors.case_registered_on_paper(case=case)
    blocks = []
    for view in actions:
        step = selectors.step_for(case, view.action)
        form = None
        is_failed = failed in (view.action, f"revise:{view.action}")
        reasons = list(refused.violations) if is_failed and refused is not None else []
        # 补录（按实际发生日期）: offered in a paper case with every step the user may take in this
        # state, also one blocked today (the engine judges it at the day given: a paper case's decision made within
        # its period then), its form then inside the 补录 disclosure.
        back_offered = paper_case and (view.allowed or not any(v.field in ("state", "role") for v in view.violations))
        if view.fields and (view.allowed or back_offered):
            form_class = step_form_class(step, agency_officers=agency_officers, case_officers=case_officers)
            if is_failed and failed_data is not None:
                # The form as sent, with its errors beside each field; the step's reasons about a
                # field of the form are shown beside that field too, the others beside the button.
                form = form_class(failed_data, auto_id=f"id_{view.action}_%s")
                form.is_valid()
                for violation in list(reasons):
                    if violation.field in form.fields and violation.field not in form.errors:
                        form.add_error(violation.field, violation.message)
                        reasons.remove(violation)
            else:
                form = form_class(
                    initial=step_initial(step, today=today, case_officer_ids=[i for i, _ in case_officers],
                                         proposed=proposed),
                    auto_id=f"id_{view.action}_%s",
                )
        back_form, paper_numbers = None, []
        if back_offered:
            back_form = BackEntryForm(failed_data if is_failed and failed_data is not None else None,
                                      auto_id=f"id_{view.action}_%s")
            if back_form.is_bound:
                back_form.is_valid()
                for violation in list(reasons):
                    if violation.field in back_form.fields and violation.field not in back_form.errors:
                        back_form.add_error(violation.field, violation.message)
                        reasons.remove(violation)
            # The numbers of the paper documents, each with the reasons about it beside it.
            paper_numbers = []
            for kind, title in selectors.step_numbered_documents(step):
                name = f"{PAPER_NUMBER_PREFIX}{kind}"
                errors = [v.message for v in reasons if v.field == name]
                reasons = [v for v in reasons if v.field != name]
                value = failed_data.get(name, "") if is_failed and failed_data is not None else ""
                paper_numbers.append({"name": name, "title": title, "value": value, "errors": errors,
                                      "id": f"id_{view.action}_{kind}_number"})
        consequences = (selectors.step_consequences(case=case, step=step, snapshot=snapshot, context=context)
                        if view.allowed else None)
        blocks.append({"view": view, "form": form, "back_form": back_form, "paper_numbers": paper_numbers,
                       "failed": is_failed, "reasons": reasons,
                       "refused": is_failed and not failed.startswith("revise:")
                       and (refused is not None or failed_data is not None),
                       "consequences": consequences})
    deadlines, deadline_problems = selectors.case_deadlines_checked(case=case, on=today, snapshot=snapshot)
    # The correction forms are offered to an officer of the case and to the head (the service
    # checks the same), from the case's officers the page has already read.
    can_correct = can_act and not selectors.record_corrector_problems(
        user=request.user, case=case, case_officer_ids=[int(i) for i, _ in case_officers])
    records_view = _record_blocks(
        case, snapshot=snapshot, failed=failed, failed_data=failed_data, refused=refused, can_correct=can_correct,
        agency_officers=agency_officers, case_officers=case_officers,
    )
    # The steps the user can take now, open; the others (blocked, another role's) folded.
    now = [b for b in blocks if b["view"].allowed]
    others = [b for b in blocks if not b["view"].allowed]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "discretion_guide": case_discretion_guide(case=case, on=today, actions=[v.action for v in actions]),
            "discretion_applied": getattr(selectors.case_texts(case), "discretion", None),
            "state_label": selectors.state_label(case),
            "procedure_label": selectors.procedure_of(case).label,
            "now_steps": now,
            "other_steps": others,
            "other_open": any(b["failed"] for b in others),
            "finished": case.state in selectors.spec_of(case).final_states,
            "withdrawal": selectors.case_withdrawal(snapshot),
            "deadlines": [(d, selectors.DEADLINE_STATE_LABELS[d.state]) for d in deadlines],
            "deadline_problems": deadline_problems,
            "documents": selectors.case_document_rows(case=case),
            "timeline": selectors.case_timeline(case=case),
            "records": sorted(selectors.spec_of(case).record_label(r) for r in snapshot.records),
            "review": selectors.case_review_view(case=case, snapshot=snapshot, on=today),
            "discussion_basis": citations.COLLECTIVE_DISCUSSION,
            "officers": case.officers.order_by("name"),
            "full_party": case.party is not None and user_sees_full_party_id_number(request.user, case.agency_id),
            "can_act": can_act,
            "back_entry_rules": (BACK_ENTRY_RULE, BACK_ENTRY_ACTOR_RULE),
            "recorded": records_view,
            # 案卷评查: the file's live score, for the officers and the head while the case is open.
            "casefile_score": selectors.casefile_score_summary(case=case, snapshot=snapshot, on=today)
            if can_act else None,
        },
    )


def _shown(field, value) -> str:
    """A stored form value as a person reads it: a choice by its label, a list one item a line."""
    if value in (None, "", [], False):
        return "—"
    if value is True:
        return "是"
    values = value if isinstance(value, list | tuple) else [value]
    if hasattr(field, "choices"):
        labels = {str(k): str(v) for k, v in field.choices}
        return "、".join(labels.get(str(v), str(v)) for v in values)
    return "\n".join(str(v) for v in values)


def _record_blocks(case: Case, *, snapshot, failed: str, failed_data, refused: Refused | None, can_correct: bool,
                   agency_officers: list, case_officers: list) -> list[dict]:
    """The case's recorded facts (the values of its record steps) as the page shows them: the
    current value of each field, marked 已更正 with its history, and the correction form."""
    records = selectors.case_recorded(case)
    if not records:
        return []
    blocks = []
    for record in records:
        step = selectors.step_for(case, record["action"])
        if step is None:
            continue
        form_class = step_form_class(step, agency_officers=agency_officers, case_officers=case_officers)
        corrected = {name for c in record.get("corrections") or [] for name in c["changes"]}
        rows = [(spec.label, _shown(form_class.base_fields[spec.name], record["values"].get(spec.name)),
                 spec.name in corrected) for spec in step.fields]
        history = [
            {"at": parse_datetime(c["at"]), "by": c["by"], "reason": c["reason"],
             "changes": [(ch["label"], _shown(form_class.base_fields[name], ch["old"]),
                          _shown(form_class.base_fields[name], ch["new"]))
                         for name, ch in c["changes"].items() if name in form_class.base_fields]}
            for c in record.get("corrections") or []
        ]
        key = f"correct-{record['id']}"
        form = None
        # The service's reasons: those about a field beside it (the reason's beside its box), the
        # others above the button (or, when the form is no longer offered, in the record's block).
        reasons = list(refused.violations) if failed == key and refused is not None else []
        reason_errors = [v.message for v in reasons if v.field == CORRECTION_REASON]
        reasons = [v for v in reasons if v.field != CORRECTION_REASON]
        if can_correct and step.correctable and selectors.record_correctable(case=case, record=record):
            if failed == key and failed_data is not None:
                form = form_class(failed_data, auto_id=f"id_{key}_%s")
                form.is_valid()
                for violation in list(reasons):
                    if violation.field in form.fields and violation.field not in form.errors:
                        form.add_error(violation.field, violation.message)
                        reasons.remove(violation)
            else:
                form = form_class(initial=record["values"], auto_id=f"id_{key}_%s")
        blocks.append({"record": record, "label": record["label"], "rows": rows, "history": history,
                       "form": form, "key": key, "failed": failed == key, "reasons": reasons,
                       "reason_errors": reason_errors,
                       "reason": failed_data.get(CORRECTION_REASON, "") if failed == key and failed_data else "",
                       "documents_issued": bool(record.get("documents"))})
    return blocks


@login_required
@access_recorded(AccessAction.VIEW)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    access_target_set(request, AccessTarget("case", case.pk, str(case), case_id=case.pk, agency_id=case.agency_id))
    return _case_page(request, case)


def _entered_values(form, step) -> list[tuple[str, str]]:
    """What the person entered, as the confirmation repeats it: (label, value shown)."""
    rows = []
    for spec in step.fields:
        bound = form[spec.name]
        value = form.cleaned_data.get(spec.name)
        if value in (None, "", [], (), False):
            continue
        field = form.fields[spec.name]
        if hasattr(field, "choices"):
            labels = dict((str(k), v) for k, v in field.choices)
            shown = "、".join(labels.get(str(v), str(v)) for v in (value if isinstance(value, list | tuple) else [value]))
        elif value is True:
            shown = "是"
        elif isinstance(value, list | tuple):
            shown = "；".join(str(v) for v in value)
        else:
            shown = str(value)
        rows.append((bound.label, shown))
    return rows


@login_required
def case_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """Perform a step (POST action=… with the step's form). A GET goes back to the case page.

    Post/redirect/get: whatever happens, the answer to the POST is a redirect to the case page
    (a refusal's form and reasons kept in the session for that page, once), so that reloading
    never sends the step again. A step that cannot be undone (it decides, or issues a document to
    the party) first answers with a confirmation page saying what will happen; only its
    "确认办理" (confirmed=1) performs it."""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    permission_require(selectors.user_can_act_on_case(request.user, case), selectors.READ_ONLY)
    if request.method != "POST":
        return redirect(case)
    action = request.POST.get("action", "")
    step = selectors.step_for(case, action)
    if step is None:
        raise Http404
    paper_number_names = [f"{PAPER_NUMBER_PREFIX}{kind}" for kind, _ in selectors.step_numbered_documents(step)]
    own = [*(spec.name for spec in step.fields), *BackEntryForm.base_fields, *paper_number_names]
    if request.POST.get("revise"):
        # 返回修改 from the confirmation: the form comes back as it was filled.
        _failed_step_keep(request, case=case, action=action, refused=None, fields=own, revise=True)
        return redirect(_step_url(case, action))
    agency_officers, case_officers = _officer_choices(case)
    form = step_form_class(step, agency_officers=agency_officers, case_officers=case_officers)(
        request.POST, auto_id=f"id_{action}_%s"
    )
    try:
        # The device's time and the draft key of the files captured in a record (see evidence).
        capture = record_capture_parse(fields=request.POST, step=action)
    except Refused as refusal:
        _failed_step_keep(request, case=case, action=action, refused=refusal, fields=own)
        return redirect(_step_url(case, action))
    back_entry = BackEntryForm(request.POST, auto_id=f"id_{action}_%s")
    if not all([form.is_valid(), back_entry.is_valid()]):
        _failed_step_keep(request, case=case, action=action, refused=None, fields=own)
        return redirect(_step_url(case, action))
    consequences = selectors.step_consequences(case=case, step=step)
    if consequences.irreversible and request.POST.get("confirmed") != "1":
        hidden = [(key, value) for key in request.POST if key not in ("csrfmiddlewaretoken", "confirmed", "revise")
                  for value in request.POST.getlist(key)]
        return render(request, "cases/step_confirm.html", {
            "case": case, "step": step, "consequences": consequences, "hidden": hidden,
            "entered": _entered_values(form, step), "back_entry": back_entry.cleaned_data,
        })
    try:
        services.case_action_perform(actor=request.user, case=case, action=action, data=form.cleaned_data,
                                     device_time=capture.device_time, evidence_draft=capture.draft_key,
                                     occurred_on=back_entry.cleaned_data["occurred_on"],
                                     back_entry_reason=back_entry.cleaned_data["back_entry_reason"],
                                     document_numbers={name.removeprefix(PAPER_NUMBER_PREFIX): request.POST.get(name, "")
                                                       for name in paper_number_names})
    except Refused as refusal:
        _failed_step_keep(request, case=case, action=action, refused=refusal, fields=own)
        return redirect(_step_url(case, action))
    messages.success(request, f"已完成：{step.label}")
    # The page's script clears the record's draft kept on the device once it sees this.
    recorded = f"?recorded={capture.draft_key}" if capture.draft_key else ""
    return redirect(f"{reverse('cases:case_detail', args=[case.pk])}{recorded}#timeline")


@login_required
def record_correct(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    """Correct a recorded fact (POST: the record's form with the corrected values and
    correction_reason). Post/redirect/get, as the steps."""
    case = selectors.case_get(viewer=request.user, case_id=case_id)
    permission_require(selectors.user_can_act_on_case(request.user, case), selectors.READ_ONLY)
    anchor = f"{reverse('cases:case_detail', args=[case.pk])}#record-{record_id}"
    if request.method != "POST":
        return redirect(anchor)
    record = selectors.case_recorded_get(case, record_id)
    step = selectors.step_for(case, record["action"]) if record is not None else None
    if step is None:
        raise Http404
    key = f"correct-{record_id}"
    own = [*(spec.name for spec in step.fields), CORRECTION_REASON]
    agency_officers, case_officers = _officer_choices(case)
    form = step_form_class(step, agency_officers=agency_officers, case_officers=case_officers)(
        request.POST, auto_id=f"id_{key}_%s"
    )
    if not form.is_valid():
        _failed_step_keep(request, case=case, action=key, refused=None, fields=own)
        return redirect(anchor)
    try:
        services.case_record_correct(actor=request.user, case=case, record_id=record_id, data=form.cleaned_data,
                                     reason=request.POST.get(CORRECTION_REASON, ""))
    except Refused as refusal:
        _failed_step_keep(request, case=case, action=key, refused=refusal, fields=own)
        return redirect(anchor)
    messages.success(request, f"已更正：{record['label']}")
    return redirect(anchor)


def _document_response(request: HttpRequest, document_id: int, fmt: str) -> HttpResponse:
    document = selectors.document_get(viewer=request.user, document_id=document_id)
    record = document.pdf if fmt == "pdf" else document.docx
    if record is None:
        # The Word copy (and an internal document's PDF) follows its step (procedure.document_timing):
        # nothing is served before it exists.
        return render(request, "cases/document_pending.html",
                      {"document": document, "pdf_pending": document.pdf_id is None}, status=409)
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
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    return _document_response(request, document_id, "pdf")


@login_required
@access_recorded(AccessAction.DOWNLOAD)
def document_docx(request: HttpRequest, document_id: int) -> HttpResponse:
    return _document_response(request, document_id, "docx")


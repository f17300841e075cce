"""Pages of part B: issue an instrument from a matter, an instrument's page (the supervisors' side
and the agency's), the list of instruments (the agency's to answer), and the files. Views parse,
call the services and render."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.access.services import AccessAction, AccessTarget, access_recorded, access_target_set
from sanxiang.accounts.models import Role
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.evidence.storage import blob_store_get
from sanxiang.inputs import date_problem
from sanxiang.procedure.supervision.instruments import (
    ACTION_LABELS,
    INSTRUMENT_KIND_LABELS,
    InstrumentAction,
    InstrumentKind,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.supervision import instrument_selectors as selectors
from sanxiang.supervision.instrument_services import instrument_act as instrument_act_service
from sanxiang.supervision.instrument_services import instrument_issue

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_CHOICES = [(k.value, label) for k, label in INSTRUMENT_KIND_LABELS.items()]


class InstrumentForm(forms.Form):
    kind = forms.ChoiceField(label="文书种类", choices=KIND_CHOICES)
    second = forms.TypedChoiceField(label="共同监督人员", coerce=int, required=False, empty_value=None,
                                    help_text="监督文书须由两名以上持证监督人员共同制发")
    findings = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    required_actions = forms.CharField(label="要求（不填则用该文书的标准要求）", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second"].choices = [("", "请选择")] + [(u.pk, str(u)) for u in colleagues]


def _today() -> dt.date:
    return timezone.localdate()


def refusal_split(form: forms.Form, refusal: Refused, *, aliases: dict[str, str] | None = None) -> list[Violation]:
    """Put each reason beside its field; return the others for the box at the top."""
    general = []
    for violation in refusal.violations:
        field = (aliases or {}).get(violation.field or "", violation.field)
        if field and field in form.fields:
            form.add_error(field, violation.message)
        else:
            general.append(violation)
    return general


@login_required
@require_http_methods(["GET", "POST"])
def instrument_new(request: HttpRequest) -> HttpResponse:
    """Issue an instrument from a matter: ?matter=<id>&kind=<kind>. Only the matter's bureau's
    supervisors; the second of the pair is named on the form; confirmed before issuing."""
    if not selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以制发监督文书")
    matter = selectors.matter_for_desk(user=request.user, matter_id=request.GET.get("matter"))
    colleagues = list(selectors.bureau_supervisors(bureau_id=matter.bureau_id).exclude(pk=request.user.pk))
    kind = request.GET.get("kind", "")
    initial = {"kind": kind if kind in INSTRUMENT_KIND_LABELS else InstrumentKind.OPINION}
    form = InstrumentForm(request.POST or None, initial=initial, colleagues=colleagues)
    refused, general = None, []
    if request.method == "POST" and form.is_valid():
        second = next((u for u in colleagues if u.pk == form.cleaned_data["second"]), None)
        try:
            instrument = instrument_issue(
                actor=request.user, matter=matter, kind=form.cleaned_data["kind"],
                findings=form.cleaned_data["findings"], required_actions=form.cleaned_data["required_actions"],
                supervisors=[request.user] + ([second] if second else []),
            )
        except Refused as refusal:
            refused = refusal
            general = refusal_split(form, refusal, aliases={"supervisors": "second"})
        else:
            messages.success(request, f"已制发{instrument.get_kind_display()}（{instrument.number}），已在平台送达{instrument.agency}。")
            return redirect(instrument.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/instrument_new.html",
                  {"matter": matter, "form": form, "refused": refused, "refused_general": general}, status=status)


@login_required
@require_safe
def instrument_list(request: HttpRequest) -> HttpResponse:
    """The instruments the user sees: a supervisor the bureau's, an agency's staff those served on
    it (?waiting=1: those waiting on the viewer)."""
    if not (selectors.user_is_supervisor(request.user) or selectors.user_is_agency_staff(request.user)
            or request.user.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied("无权查看监督文书")
    waiting = request.GET.get("waiting") == "1"
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 100000))
    except ValueError:
        page = 1
    rows, more = selectors.instrument_rows(user=request.user, on=_today(), waiting=waiting, page=page)
    return render(request, "supervision/instrument_list.html", {
        "rows": rows, "more": more, "page": page, "waiting": waiting,
        "supervisor": selectors.user_is_supervisor(request.user),
    })


@login_required
@require_safe
@access_recorded(AccessAction.VIEW)
def instrument_detail(request: HttpRequest, instrument_id: int) -> HttpResponse:
    """The instrument's page; each read is access-logged like a case's."""
    page = selectors.instrument_page(user=request.user, instrument_id=instrument_id, on=_today())
    instrument = page.instrument
    access_target_set(request, AccessTarget("supervision_instrument", instrument.pk,
                                            f"{instrument.get_kind_display()} {instrument.number}",
                                            agency_id=instrument.agency_id))
    return render(request, "supervision/instrument_detail.html", {
        "page": page, "instrument": page.instrument
    })


def _date_field(value: str) -> tuple[dt.date | None, str]:
    if not value:
        return None, ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None, "日期格式不正确"
    problem = date_problem(day)
    return (None, problem) if problem else (day, "")


@login_required
@require_http_methods(["GET", "POST"])
def instrument_act(request: HttpRequest, instrument_id: int) -> HttpResponse:
    """A move on the instrument (POST from its page); GET goes back to the page."""
    page = selectors.instrument_page(user=request.user, instrument_id=instrument_id, on=_today())
    instrument = page.instrument
    if request.method == "GET":
        return redirect(instrument.get_absolute_url())
    action = request.POST.get("action", "")  # who may make which move: the service decides
    supervisors = []
    if page.desk_actions:
        try:
            second_id = int(request.POST.get("second", "0"))
        except ValueError:
            second_id = 0
        second = next((u for u in page.colleagues if u.pk == second_id), None)
        supervisors = [request.user] + ([second] if second else [])
    decision_on, date_error = _date_field(request.POST.get("decision_on", ""))
    try:
        if date_error:
            raise Refused([Violation("instrument.decision_on", f"决定书作出日期{date_error}", "数据校验", "decision_on")])
        instrument_act_service(
            actor=request.user, instrument=instrument, action=action, text=request.POST.get("text", ""),
            files=request.FILES.getlist("files"), supervisors=supervisors,
            decision_number=request.POST.get("decision_number", ""), decision_on=decision_on,
        )
    except Refused as refusal:
        page = selectors.instrument_page(user=request.user, instrument_id=instrument_id, on=_today())
        return render(request, "supervision/instrument_detail.html", {
            "page": page, "instrument": page.instrument, "refused": refusal, "refused_general": refusal.violations,
            "failed_action": action, "posted": request.POST,
        }, status=400)
    messages.success(request, f"已{ACTION_LABELS[InstrumentAction(action)]}。")
    return redirect(instrument.get_absolute_url())


def _file_response(request: HttpRequest, *, instrument, record: EvidenceRecord, filename: str, label: str,
                   content_type: str | None = None) -> FileResponse:
    """A stored file of the instrument, logged against it and served as a download that no browser
    runs (sandboxed, never cached)."""
    try:
        blob = blob_store_get().open(record.stored_file.sha256)
    except FileNotFoundError as missing:
        raise Http404("文件缺失，请联系系统管理员运行 sanxiang verify") from missing
    access_target_set(request, AccessTarget("supervision_instrument", instrument.pk,
                                            f"{instrument.get_kind_display()} {instrument.number}{label}",
                                            agency_id=instrument.agency_id))
    response = FileResponse(blob, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Length"] = str(record.stored_file.size)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_safe
@access_recorded(AccessAction.DOWNLOAD)
def instrument_file(request: HttpRequest, instrument_id: int, fmt: str) -> FileResponse:
    instrument = selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    record = instrument.pdf if fmt == "pdf" else instrument.docx if fmt == "docx" else None
    if record is None:
        raise Http404("没有这个文件")
    return _file_response(request, instrument=instrument, record=record, label="",
                          filename=f"{instrument.get_kind_display()}_{instrument.number}.{fmt}",
                          content_type="application/pdf" if fmt == "pdf" else DOCX)


@login_required
@require_safe
@access_recorded(AccessAction.DOWNLOAD)
def instrument_attachment(request: HttpRequest, instrument_id: int, record_id: int) -> FileResponse:
    """A file the agency attached to a reply (整改报告), served to whoever may read the instrument:
    the supervisors reach it here without a read grant on any case, since it is the reply's, not a
    case's. Logged like the instrument's own files."""
    instrument = selectors.instrument_get(user=request.user, instrument_id=instrument_id)
    record = selectors.instrument_attachment_get(instrument=instrument, record_id=record_id)
    return _file_response(request, instrument=instrument, record=record, filename=record.original_name,
                          label=f" 附件 {record.original_name}")

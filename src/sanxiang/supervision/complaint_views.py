"""The supervisors' pages of complaints (issue 14, part D): the list (personal data masked), a
complaint, the complainant's data (each opening access-logged), and the intake of leads from the
12345 hotline and the enterprise channel (which, like the portal's complaint, may name an inspection
by its 检查码: the lead is then linked to it)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, access_recorded, access_target_set
from sanxiang.procedure.supervision.complaints import (
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_PUBLIC_STATUS_LABELS,
    LEADS_BASIS,
    PENDING_REMEDY_LABELS,
    ComplaintChannel,
    PendingRemedy,
    complaint_public_status,
)
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import complaint_selectors as selectors
from sanxiang.supervision.complaint_services import complaint_receive

PAGE_SIZE = 20
LEAD_CHANNELS = [(c.value, COMPLAINT_CHANNEL_LABELS[c]) for c in (ComplaintChannel.HOTLINE_12345, ComplaintChannel.ENTERPRISE)]


def _require_reader(request: HttpRequest) -> None:
    if not selectors.user_reads_complaints(request.user):
        raise PermissionDenied("只有司法局的监督人员可以查看投诉举报")


def _status_label(complaint) -> str:
    return COMPLAINT_PUBLIC_STATUS_LABELS[complaint_public_status(complaint.matter.state)]


@login_required
@require_safe
def complaint_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    page = Paginator(selectors.complaints_of_bureau(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"complaint": c, "status": _status_label(c), "channel": COMPLAINT_CHANNEL_LABELS[ComplaintChannel(c.channel)]}
        for c in page
    ]
    return render(request, "supervision/complaints/list.html", {"page": page, "rows": rows})


@login_required
@require_safe
@access_recorded(AccessAction.VIEW)
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The complaint (its text may name people too): recorded in the access log like the complainant."""
    _require_reader(request)
    complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
    access_target_set(request, AccessTarget("supervision.complaint", complaint.pk,
                                            f"投诉举报（{complaint.receipt_number}）", agency_id=complaint.agency_id))
    return render(request, "supervision/complaints/detail.html", {
        "complaint": complaint,
        "status": _status_label(complaint),
        "channel": COMPLAINT_CHANNEL_LABELS[ComplaintChannel(complaint.channel)],
        "pending_remedy": PENDING_REMEDY_LABELS[PendingRemedy(complaint.pending_remedy)],
        "complainant": complaint.complainant,
    })


@login_required
@require_safe
@access_recorded(AccessAction.VIEW)
def complainant_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The complainant's personal data: recorded in the access log (and the ledger) before it is sent."""
    _require_reader(request)
    complainant = selectors.complainant_open(viewer=request.user, complaint_id=complaint_id)
    complaint = complainant.complaint
    access_target_set(request, AccessTarget("supervision.complainant", complaint.pk,
                                            f"投诉举报人（{complaint.receipt_number}）", agency_id=complaint.agency_id))
    return render(request, "supervision/complaints/complainant.html", {"complaint": complaint, "complainant": complainant})


class LeadForm(forms.Form):
    channel = forms.ChoiceField(label="渠道", choices=LEAD_CHANNELS, error_messages={"required": "请选择渠道"})
    channel_reference = forms.CharField(label="原渠道工单编号", max_length=60, required=False)
    agency = forms.TypedChoiceField(label="被反映的执法机关", coerce=int, empty_value=None,
                                    error_messages={"required": "请选择执法机关", "invalid_choice": "请选择执法机关"})
    description = forms.CharField(label="反映的问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": "请写明反映的问题", "max_length": "不超过5000字"})
    happened_on = forms.DateField(label="发生日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "请按“年-月-日”填写日期"})
    pending_remedy = forms.ChoiceField(label="复议或者诉讼情况", choices=[(r.value, label) for r, label in PENDING_REMEDY_LABELS.items()],
                                       initial=PendingRemedy.NONE.value)
    anonymous = forms.BooleanField(label="反映人不愿留下姓名和联系方式", required=False)
    name = forms.CharField(label="反映人姓名或者名称", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    id_number = forms.CharField(label="身份证号码（可不填）", max_length=30, required=False)
    inspection_code = forms.CharField(
        label="检查码", required=False, max_length=16,
        help_text="反映的是某一次行政检查的，填写企业或者来电人提供的检查码（检查人员出示的10位码），线索即关联该次检查；其他情况不填",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"max_length": "检查码不超过16个字符", "null_characters_not_allowed": "检查码含有不能识别的字符"})

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "请选择"), *[(a.pk, a.name) for a in agencies]]

    def clean_inspection_code(self) -> str:
        code = self.cleaned_data["inspection_code"].strip().upper()
        if code and not (code.isascii() and code.isalnum()):
            raise forms.ValidationError("检查码由字母和数字组成，请核对后填写，或者不填检查码")
        return code


@login_required
@require_http_methods(["GET", "POST"])
def lead_new(request: HttpRequest) -> HttpResponse:
    """12345热线和涉企诉求线索登记."""
    _require_reader(request)
    form = LeadForm(request.POST or None, agencies=selectors.agencies_for_intake(viewer=request.user))
    refused_general = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint, _code = complaint_receive(
                agency_id=data["agency"], channel=data["channel"], channel_reference=data["channel_reference"],
                anonymous=data["anonymous"], name=data["name"], phone=data["phone"], id_number=data["id_number"],
                happened_on=data["happened_on"], description=data["description"],
                pending_remedy=data["pending_remedy"], actor=request.user, inspection_code=data["inspection_code"],
            )
        except Refused as refusal:
            for violation in refusal.violations:
                if violation.field in form.fields:
                    form.add_error(violation.field, violation.message)
                else:
                    refused_general.append(violation)
        else:
            messages.success(request, f"已登记，受理编号{complaint.receipt_number}")
            return redirect("supervision:complaint_detail", complaint_id=complaint.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "supervision/complaints/lead_form.html",
                  {"form": form, "refused_general": refused_general, "basis": LEADS_BASIS}, status=status)

"""投诉举报 on the portal (issue 14, part D): the public form at /complaints/new/ and the tracking page
at /complaints/track/. No account is needed: the complainant receives a receipt number and a secret
query code, shown once.

The portal never imports the supervision app: the form hands the complaint over through the
`public_events.complaint_submit` slot, and the tracking page reads `PublicComplaint` (publication's
public read model) only. Both forms take POST with CSRF, are limited per network address (a platform
rule, `supervision.complaint_*_per_hour`), and the complaint form has a honeypot field."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sanxiang.public_events import ComplaintRefused, ComplaintSubmission, complaint_submit
from sanxiang.publication.complaints import (
    LOOKUP,
    PENDING_REMEDY_BASIS,
    PENDING_REMEDY_CHOICES,
    PENDING_REMEDY_NONE,
    SUBMIT,
    public_complaint_find,
    public_form_attempt,
)
from sanxiang.publication.models import PublicAgency

RATE_LIMITED = "提交过于频繁，请一小时后再试。您填写的内容仍保留在下面。"
LOOKUP_LIMITED = "查询过于频繁，请一小时后再试。"
HONEYPOT = "website"  # hidden from people by CSS; a robot fills it in


class ComplaintForm(forms.Form):
    agency = forms.TypedChoiceField(label="被投诉的执法机关", coerce=int, empty_value=None,
                                    error_messages={"required": "请选择被投诉的执法机关", "invalid_choice": "请选择被投诉的执法机关"})
    description = forms.CharField(label="发生了什么", widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
                                  max_length=5000, error_messages={"required": "请具体写明发生了什么",
                                                                   "max_length": "反映的问题不超过5000字"})
    happened_on = forms.DateField(label="发生日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "请按“年-月-日”填写日期，例如2026-03-05"})
    pending_remedy = forms.ChoiceField(label="是否已经申请行政复议或者提起行政诉讼", choices=PENDING_REMEDY_CHOICES,
                                       initial=PENDING_REMEDY_NONE, widget=forms.RadioSelect,
                                       error_messages={"required": "请选择", "invalid_choice": "请选择"})
    anonymous = forms.BooleanField(label="匿名投诉（不留姓名和联系方式）", required=False)
    name = forms.CharField(label="姓名或者名称", required=False, max_length=100,
                           error_messages={"max_length": "姓名或者名称不超过100个字"})
    phone = forms.CharField(label="联系电话", required=False, max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                            error_messages={"max_length": "联系电话不超过30个字符"})
    id_number = forms.CharField(label="身份证号码（可不填）", required=False, max_length=30,
                                error_messages={"max_length": "身份证号码不超过30个字符"})
    inspection_code = forms.CharField(
        label="检查码", required=False, max_length=16, help_text="对某一次行政检查投诉的，填写检查人员出示的检查码；其他情况不填",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"max_length": "检查码不超过16个字符"})
    website = forms.CharField(label="请勿填写", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = PublicAgency.objects.order_by("name").values_list("source_id", "name")
        self.fields["agency"].choices = [("", "请选择"), *agencies]

    def clean_inspection_code(self) -> str:
        return self.cleaned_data["inspection_code"].strip().upper()


def _prefilled(request: HttpRequest) -> dict[str, str]:
    """From the 检查码's public page (?jc=<code>&agency=<id>): the code and its inspecting body, as
    the form's initial values (checked only when the form is sent, like anything typed)."""
    initial = {}
    code = request.GET.get("jc", "")[:16].strip().upper()
    if code.isascii() and code.isalnum():
        initial["inspection_code"] = code
    agency = request.GET.get("agency", "")
    if agency.isascii() and agency.isdigit() and len(agency) < 10:
        initial["agency"] = agency
    return initial


class TrackForm(forms.Form):
    receipt_number = forms.CharField(label="受理编号", max_length=40, error_messages={"required": "请填写受理编号"})
    query_code = forms.CharField(label="查询码", max_length=40, error_messages={"required": "请填写查询码"},
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None, initial=_prefilled(request) if request.method == "GET" else None)
    context = {"form": form, "basis": PENDING_REMEDY_BASIS, "none": PENDING_REMEDY_NONE}
    if request.method != "POST" or not form.is_valid():
        return render(request, "portal/complaints/new.html", context, status=422 if request.method == "POST" else 200)
    if form.cleaned_data[HONEYPOT]:
        form.add_error(None, "提交未成功，请稍后再试。")
        return render(request, "portal/complaints/new.html", context, status=422)
    if not public_form_attempt(scope=SUBMIT, address=_address(request)):
        form.add_error(None, RATE_LIMITED)
        return render(request, "portal/complaints/new.html", context, status=429)
    data = form.cleaned_data
    submission = ComplaintSubmission(
        agency_id=data["agency"], anonymous=data["anonymous"], name=data["name"], phone=data["phone"],
        id_number=data["id_number"], happened_on=data["happened_on"], description=data["description"],
        pending_remedy=data["pending_remedy"], inspection_code=data["inspection_code"],
    )
    try:
        receipt = complaint_submit(submission)
    except ComplaintRefused as refused:
        for field, messages in refused.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return render(request, "portal/complaints/new.html", context, status=422)
    # The receipt is rendered here, once, and never stored in clear: no redirect to a page that
    # could show the code again.
    return render(request, "portal/complaints/receipt.html", {"receipt": receipt})


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    context: dict = {"form": form, "today": timezone.localdate()}
    if request.method != "POST":
        return render(request, "portal/complaints/track.html", context)
    if not public_form_attempt(scope=LOOKUP, address=_address(request)):
        context["limited"] = LOOKUP_LIMITED
        return render(request, "portal/complaints/track.html", context, status=429)
    if not form.is_valid():
        return render(request, "portal/complaints/track.html", context, status=422)
    complaint = public_complaint_find(
        receipt_number=form.cleaned_data["receipt_number"], query_code=form.cleaned_data["query_code"]
    )
    context["complaint"] = complaint
    context["not_found"] = complaint is None
    return render(request, "portal/complaints/track.html", context)


app_name = "complaints"
urlpatterns = [
    path("new/", complaint_new, name="new"),
    path("track/", complaint_track, name="track"),
]

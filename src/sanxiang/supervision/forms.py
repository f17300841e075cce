"""Forms of the supervision desk (part A): they only parse; the services decide and name every
reason, which the views put beside the field it concerns."""

from __future__ import annotations

from django import forms

from sanxiang.inputs import ID_MAX, date_validator, text_validator
from sanxiang.procedure.supervision.matters import (
    CLOSE_REASON_LABELS,
    DISPUTE_LABELS,
    MARK_LABELS,
    MATTER_STATE_LABELS,
    MEASURE_LABELS,
)
from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS
from sanxiang.procedure.violations import Refused

# The public complaint (part D) and the platform's alerts open matters themselves.
OPENED_AT_THE_DESK = [(s.value, label) for s, label in MATTER_SOURCE_LABELS.items()
                      if s.value not in ("complaint", "platform_alert")]


def _text(label: str, *, required: bool = False, max_length: int = 200, multiline: bool = False) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget,
                           validators=[text_validator(multiline=multiline)])


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, validators=[date_validator],
                           widget=forms.DateInput(attrs={"type": "date"}))


class NoFieldsForm(forms.Form):
    """An action that takes nothing but the click (受理)."""


class MatterOpenForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=OPENED_AT_THE_DESK)
    agency = forms.ModelChoiceField(label="被监督机关", queryset=None, required=False, empty_label="（未指明）")
    subject = _text("事由", required=True)
    summary = _text("基本情况", max_length=4000, multiline=True)
    received_on = _date("收到日期")
    assigning_body = _text("交办（部署）机关", max_length=120)
    assigning_reference = _text("交办文号", max_length=80)
    dispute = forms.ChoiceField(label="是否已进入行政复议或者行政诉讼", choices=list(DISPUTE_LABELS.items()), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class PairForm(forms.Form):
    users = forms.ModelMultipleChoiceField(label="承办监督人员（两名以上）", queryset=None,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = supervisors
        self.fields["users"].label_from_instance = lambda user: str(user)


class RecuseForm(forms.Form):
    user = forms.ModelChoiceField(label="回避的监督人员", queryset=None)
    reason = _text("回避原因", required=True)

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = supervisors
        self.fields["user"].label_from_instance = lambda user: str(user)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label="并入的监督事项", queryset=None)

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = matters
        self.fields["into"].label_from_instance = lambda m: f"{m.number} {m.subject}"


class TransferForm(forms.Form):
    to_body = _text("移送的机关", required=True, max_length=120)
    outcome = _text("告知反映人的内容", max_length=2000, multiline=True)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label="不予监督的原因", choices=list(CLOSE_REASON_LABELS.items()))
    outcome = _text("说明", max_length=2000, multiline=True)


class ConcludeForm(forms.Form):
    outcome = _text("办理结果", required=True, max_length=4000, multiline=True)


class MarkForm(forms.Form):
    mark = forms.ChoiceField(label="标记", choices=list(MARK_LABELS.items()))
    value = forms.TypedChoiceField(label="设置或者取消", choices=[("1", "设置"), ("0", "取消")],
                                   coerce=lambda v: v == "1")
    reason = _text("理由", required=True)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label="监督措施", choices=list(MEASURE_LABELS.items()))
    taken_on = _date("日期")
    summary = _text("内容和发现的情况", max_length=4000, multiline=True)
    reply_on = _date("报告自查情况的日期（责令自查）", required=False)
    attendees = _text("被约谈人和参加人员（约谈）", max_length=300)
    record = _text("约谈记录（约谈）", max_length=8000, multiline=True)
    cases = forms.ModelMultipleChoiceField(label="调阅的案件（调阅案卷）", queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    grant_until = forms.DateTimeField(label="调阅截止时间（不填按默认期限）", required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].label_from_instance = lambda c: f"{c.number} {c.title}"


class DeskFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *MATTER_STATE_LABELS.items()])
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部"), *MATTER_SOURCE_LABELS.items()])
    agency = forms.IntegerField(label="被监督机关", required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)
    mark = forms.ChoiceField(label="标记", required=False, choices=[("", "全部"), *MARK_LABELS.items()])
    overdue = forms.BooleanField(label="移送期限已过", required=False)
    mine = forms.BooleanField(label="我承办的", required=False)


def form_violations_add(form: forms.Form, refusal: Refused) -> list:
    """Put each reason of a refusal beside the field it names; return those that name no field of the
    form (shown above it). For the forms of the supervision and assessment pages."""
    general = []
    for v in refusal.violations:
        if v.field and v.field in form.fields:
            form.add_error(v.field, v.message)
        else:
            general.append(v)
    return general

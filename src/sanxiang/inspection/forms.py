"""Forms of the inspection pages (part A): they parse; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms

from sanxiang.inputs import ID_MAX
from sanxiang.inspection.models import CheckKind, CreditGrade, InspectionItem, PlanKind, RiskGrade
from sanxiang.procedure.inspection.registers import CREDIT_GRADE_NAMES
from sanxiang.procedure.violations import Refused


def form_violations_add(form: forms.Form, refusal: Refused) -> list:
    """Each reason beside the field it names; those naming no field of the form are returned."""
    general = []
    for violation in refusal.violations:
        if violation.field and violation.field in form.fields:
            form.add_error(violation.field, violation.message)
        else:
            general.append(violation)
    return general


class ItemForm(forms.Form):
    code = forms.CharField(label="事项编码", max_length=40)
    name = forms.CharField(label="抽查事项", max_length=200)
    legal_basis = forms.CharField(label="检查依据", widget=forms.Textarea(attrs={"rows": 3}))
    check_kind = forms.ChoiceField(label="检查方式", choices=CheckKind.choices)
    enforcement_field = forms.CharField(label="执法领域", max_length=60, required=False,
                                        help_text="检查人员须持有本领域的有效执法证")
    offsite_first = forms.BooleanField(label="先行非现场检查", required=False)


class VersionedForm(forms.Form):
    """An edit form carrying the row's version when it was opened (register_services.register_version),
    compared by the service: a missing or malformed one is refused as stale (in Chinese), never as an
    error of a hidden field, whose message would show the field's internal name."""

    version = forms.Field(widget=forms.HiddenInput, required=False)

    def clean_version(self) -> str:
        value = self.cleaned_data.get("version")
        return value if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20 else ""


class ItemEditForm(ItemForm, VersionedForm):
    is_active = forms.BooleanField(label="有效（取消勾选即停用，并立即从公开的清单中撤下）", required=False)


class TargetForm(forms.Form):
    name = forms.CharField(label="市场主体名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=40)
    legal_representative = forms.CharField(label="法定代表人或负责人", max_length=50, required=False)
    address = forms.CharField(label="住所或经营场所", max_length=200, required=False)
    sector = forms.CharField(label="行业", max_length=60, required=False)
    risk_grade = forms.ChoiceField(label="风险等级", choices=RiskGrade.choices, initial=RiskGrade.MEDIUM)
    credit_grade = forms.ChoiceField(label="信用等级", choices=list(CREDIT_GRADE_NAMES.items()), initial=CreditGrade.B)


class TargetEditForm(TargetForm, VersionedForm):
    is_active = forms.BooleanField(label="在名录中（取消勾选即移出名录，不再被抽取）", required=False)


class TargetImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


class RelationForm(forms.Form):
    officer = forms.IntegerField(label="执法人员", min_value=1, max_value=ID_MAX, widget=forms.Select)
    target = forms.IntegerField(label="检查对象", min_value=1, max_value=ID_MAX, widget=forms.Select)
    relation = forms.CharField(label="关系", max_length=100)

    def __init__(self, *args, officers=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].widget.choices = [(o.pk, o.name) for o in officers]
        self.fields["target"].widget.choices = [(t.pk, t.name) for t in targets]


class ExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    field = forms.CharField(label="专业领域", max_length=60)
    employer = forms.CharField(label="工作单位", max_length=100, required=False)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=PlanKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=dt.date.today().year)
    title = forms.CharField(label="名称", max_length=200)
    items = forms.ModelMultipleChoiceField(label="检查事项", queryset=InspectionItem.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    scope = forms.CharField(label="检查对象范围", widget=forms.Textarea(attrs={"rows": 2}))
    frequency = forms.CharField(label="检查频次", max_length=200)
    starts_on = forms.DateField(label="实施期间自", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="实施期间至", widget=forms.DateInput(attrs={"type": "date"}))
    approval_authority = forms.CharField(label="批准机关（专项检查）", max_length=100, required=False)
    approval_reference = forms.CharField(label="批准文件文号（专项检查）", max_length=100, required=False)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = InspectionItem.objects.filter(agency_id=agency_id, is_active=True)


class PlanActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "批准"), ("file", "备案"), ("publish", "公布")])
    approval_authority = forms.CharField(max_length=100, required=False)
    approval_reference = forms.CharField(max_length=100, required=False)
    filing_reference = forms.CharField(max_length=100, required=False)


class DrawForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200)
    items = forms.ModelMultipleChoiceField(label="抽查事项", queryset=InspectionItem.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    period_from = forms.DateField(label="检查期间自", widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label="检查期间至", widget=forms.DateInput(attrs={"type": "date"}))
    draw_on = forms.DateField(label="抽取日", widget=forms.DateInput(attrs={"type": "date"}),
                              initial=dt.date.today)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = plan.items.all()


class DrawActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("commit", "公布种子摘要"), ("run", "抽取")])

from django import forms

from sanxiang.access.models import AccessAction
from sanxiang.access.selectors import AccessLogFilter


class AccessLogFilterForm(forms.Form):
    case = forms.CharField(label="案号", required=False, max_length=80)
    user = forms.CharField(label="用户", required=False, max_length=150)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部操作"), *AccessAction.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data

    def to_filter(self) -> AccessLogFilter:
        data = self.cleaned_data
        return AccessLogFilter(
            case=data["case"].strip(),
            user=data["user"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            action=data["action"],
        )

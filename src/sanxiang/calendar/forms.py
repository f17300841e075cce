"""The year form only parses: `holiday_year_save` decides and reports every reason."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


def _date_list(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,，、;；]+", text or "") if part]


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("法定节假日"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("所有放假日期（含假期中的周末），写作年-月-日（如2027-01-01），用空格、逗号或换行分隔"),
    )
    adjusted_working_days = forms.CharField(
        label=_("调休上班日"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("调整为上班的周六、周日"),
    )
    source = forms.CharField(label=_("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))

    def clean_holidays(self) -> list[str]:
        return _date_list(self.cleaned_data["holidays"])

    def clean_adjusted_working_days(self) -> list[str]:
        return _date_list(self.cleaned_data["adjusted_working_days"])

"""The query strings of the indicator pages: a period (a year, a month or a range of days), and for
the records behind a number, which indicator, which side and which agency. Bad input is a Chinese
error on the page, never a 500."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from sanxiang.evaluation.indicators import SIDES, SOURCES, Period, period_month, period_range, period_year

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
LONGEST_RANGE_DAYS = 5 * 366


class PeriodForm(forms.Form):
    default_whole_year = False  # with no period given: this month (the table), or this year (a trend)
    period = forms.CharField(label="统计期", required=False, max_length=7)
    start = forms.DateField(label="开始日期", required=False)
    end = forms.DateField(label="结束日期", required=False)

    def clean(self):
        data = super().clean()
        start, end, text = data.get("start"), data.get("end"), (data.get("period") or "").strip()
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError("按日期统计时，开始日期和结束日期都要填写")
            if start > end:
                raise forms.ValidationError("开始日期不能晚于结束日期")
            if (end - start).days > LONGEST_RANGE_DAYS:
                raise forms.ValidationError("按日期统计的范围不能超过五年")
            if not FIRST_YEAR <= start.year <= end.year <= LAST_YEAR:
                raise forms.ValidationError(f"日期应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间")
            data["period_value"] = period_range(start, end)
            data["period_query"] = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
            return data
        if not text:
            today = timezone.localdate()
            text = f"{today:%Y}" if self.default_whole_year else f"{today:%Y-%m}"
        match = _PERIOD.match(text)
        if match is None:
            raise forms.ValidationError("统计期应写作年份（如 2026）或者年月（如 2026-03）")
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")
        if match.group(2) is None:
            data["period_value"] = period_year(year)
            data["period_query"] = f"period={year}"
            return data
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise forms.ValidationError("月份应在 1 至 12 之间")
        data["period_value"] = period_month(year, month)
        data["period_query"] = f"period={year}-{month:02d}"
        return data

    @property
    def period_value(self) -> Period:
        return self.cleaned_data["period_value"]

    @property
    def period_query(self) -> str:
        return self.cleaned_data["period_query"]


class TableForm(PeriodForm):
    rank = forms.ChoiceField(label="排名", choices=[(code, code) for code in SOURCES], required=False,
                             error_messages={"invalid_choice": "没有这项指标"})


class RecordsForm(PeriodForm):
    indicator = forms.ChoiceField(label="指标", choices=[(code, code) for code in SOURCES], required=False,
                                  error_messages={"invalid_choice": "没有这项指标"})

    def clean_indicator(self) -> str:
        return self.cleaned_data.get("indicator") or next(iter(SOURCES))  # the first, when none is named
    side = forms.ChoiceField(label="口径", choices=[(side, side) for side in SIDES], required=False,
                             error_messages={"invalid_choice": "请从指标表中点击分子或者分母进入"})
    agency = forms.IntegerField(label="执法主体", required=False, min_value=1,
                                error_messages={"invalid": "执法主体编号有误", "min_value": "执法主体编号有误"})
    page = forms.IntegerField(label="页码", required=False, min_value=1, max_value=100_000,
                              error_messages={"invalid": "页码应为正整数", "min_value": "页码应为正整数",
                                              "max_value": "页码过大"})


class TrendForm(PeriodForm):
    default_whole_year = True
    indicator = forms.ChoiceField(label="指标", choices=[(code, code) for code in SOURCES], required=False,
                                  error_messages={"invalid_choice": "没有这项指标"})

    def clean_indicator(self) -> str:
        return self.cleaned_data.get("indicator") or next(iter(SOURCES))  # the first, when none is named
    agency = forms.IntegerField(label="执法主体", required=False, min_value=1,
                                error_messages={"invalid": "执法主体编号有误", "min_value": "执法主体编号有误"})



class DashboardForm(PeriodForm):
    default_whole_year = True
    indicator = forms.ChoiceField(label="指标", choices=[(code, code) for code in SOURCES], required=False,
                                  error_messages={"invalid_choice": "没有这项指标"})

"""The dashboard as an .xlsx file: one sheet a view (the indicators, the trend, the ranking, the
overdue lists with their first rows). Every cell through `sanxiang.tabular`."""

from __future__ import annotations

import tempfile
from typing import IO

from openpyxl import Workbook

from sanxiang.evaluation.dashboard_selectors import Dashboard
from sanxiang.evaluation.indicator_exports import _bold_row
from sanxiang.procedure.evaluation.indicators import UNIT_LABELS
from sanxiang.tabular import xlsx_row

WITHHELD = "（须有权查阅案件）"  # a case's title the viewer may not read (it may name a party)


def _scope(dashboard: Dashboard) -> str:
    if dashboard.viewer_county:
        return "全部执法主体"
    return "、".join(a.name for a in dashboard.agencies)


def dashboard_xlsx(dashboard: Dashboard) -> IO[bytes]:
    """An .xlsx in a temporary file, positioned at 0."""
    workbook = Workbook(write_only=True)
    scope = _scope(dashboard)

    sheet = workbook.create_sheet("指标")
    sheet.append(_bold_row(sheet, [f"行政执法指标（{dashboard.period.label}，{scope}）"]))
    sheet.append(_bold_row(sheet, ["指标", "分子", "分母", "指标值", "单位"]))
    for indicator, figure in dashboard.totals():
        sheet.append(
            xlsx_row(
                sheet,
                [
                    indicator.name,
                    figure.numerator,
                    figure.denominator,
                    figure.value,
                    UNIT_LABELS[indicator.unit],
                ],
            )
        )

    indicator = dashboard.indicator
    unit = UNIT_LABELS[indicator.unit]
    sheet = workbook.create_sheet("月度趋势")
    sheet.append(_bold_row(sheet, [f"{indicator.name}月度趋势（{dashboard.trend_period.label}，{scope}）"]))
    sheet.append(_bold_row(sheet, ["月份", "分子", "分母", f"指标值（{unit}）"]))
    for month, figure in dashboard.trend:
        sheet.append(xlsx_row(sheet, [month.label, figure.numerator, figure.denominator, figure.value]))

    sheet = workbook.create_sheet("排名")
    sheet.append(_bold_row(sheet, [f"按“{indicator.name}”排名（{dashboard.period.label}）"]))
    sheet.append(_bold_row(sheet, ["名次", "执法主体", "分子", "分母", f"指标值（{unit}）"]))
    for rank, agency, figure in dashboard.ranking():
        sheet.append(
            xlsx_row(
                sheet, [rank or "无应办事项", agency.name, figure.numerator, figure.denominator, figure.value]
            )
        )

    sheet = workbook.create_sheet("逾期和预警")
    sheet.append(_bold_row(sheet, [f"逾期和预警（截至{dashboard.today:%Y-%m-%d}，{scope}）"]))
    sheet.append(_bold_row(sheet, ["事项", "说明", "数量"]))
    for listing in dashboard.overdue:
        sheet.append(xlsx_row(sheet, [listing.label, listing.meaning, listing.count]))
        for part in listing.parts:
            sheet.append(xlsx_row(sheet, [f"  其中：{part.label}", "", part.count]))
    for listing in dashboard.overdue:
        sheet.append([])
        sheet.append(_bold_row(sheet, [f"{listing.label}（前{len(listing.rows)}项，共{listing.count}项）"]))
        sheet.append(_bold_row(sheet, ["执法主体", "编号", "内容", "期限", "逾期日数"]))
        for row in listing.rows:
            title = WITHHELD if row.withheld else row.title
            sheet.append(xlsx_row(sheet, [row.agency_name, row.reference, title, row.due, row.days_over]))
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    return out

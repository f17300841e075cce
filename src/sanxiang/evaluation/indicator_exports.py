"""The indicator table as an .xlsx file: the table (agency, then per indicator numerator, denominator
and value) and a sheet with each indicator's definition. Every cell through `sanxiang.tabular`."""

from __future__ import annotations

import tempfile
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from sanxiang.evaluation.indicators import Figure, IndicatorTable
from sanxiang.procedure.evaluation.indicators import UNIT_LABELS, Unit
from sanxiang.tabular import xlsx_cell, xlsx_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bold_row(sheet, values) -> list:
    cells = []
    for value in values:
        cell = xlsx_cell(sheet, value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _figure_cells(figure: Figure, unit: Unit) -> list:
    return [figure.numerator, figure.denominator, figure.value if unit == Unit.PERCENT else figure.numerator]


def indicator_table_xlsx(table: IndicatorTable) -> IO[bytes]:
    """An .xlsx in a temporary file, positioned at 0."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("指标")
    sheet.freeze_panes = "B3"
    sheet.append(_bold_row(sheet, [f"行政执法指标（{table.period.label}）"]))
    header = ["执法主体"]
    for indicator in table.indicators:
        unit = UNIT_LABELS[indicator.unit]
        header += [f"{indicator.name}（分子）", f"{indicator.name}（分母）", f"{indicator.name}（{unit}）"]
    sheet.append(_bold_row(sheet, header))
    for agency, figures in table.rows():
        cells = [agency.name]
        for indicator, figure in figures:
            cells += _figure_cells(figure, indicator.unit)
        sheet.append(xlsx_row(sheet, cells))
    total = ["合计"]
    for indicator, figure in table.total_row():
        total += _figure_cells(figure, indicator.unit)
    sheet.append(_bold_row(sheet, total))

    definitions = workbook.create_sheet("指标说明")
    definitions.append(_bold_row(definitions, ["指标", "版本", "分子", "分母", "统计期归属", "依据", "口径", "方向"]))
    for indicator in [*table.indicators, *table.pending]:
        definitions.append(xlsx_row(definitions, [
            indicator.name, indicator.version, indicator.numerator, indicator.denominator, indicator.period_rule,
            indicator.basis_text(), indicator.formula_basis if indicator.available else f"待接入：{indicator.pending}",
            "越高越好" if indicator.higher_is_better else "越低越好",
        ]))
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    return out

"""An agency's monthly progress report (月报) as PDF and DOCX: the four parts it writes and the figures
of its records (as submitted), written once as blocks and laid out by both writers. Pure: no models
and no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.documents.blocks import Cell, Heading, Layout, NumberLine, Para, Signature, Space, Table
from sanxiang.documents.pdf import layout_render_pdf
from sanxiang.documents.render import RenderedDocument, _filename_stem
from sanxiang.documents.text import date_render
from sanxiang.documents.word import layout_render_docx


@dataclass(frozen=True)
class ReportFigureRow:
    group: str
    label: str
    value: str


@dataclass(frozen=True)
class ReportContext:
    agency: str
    bureau: str  # addressed: the county's judicial bureau
    title: str  # 2026年11月“三项制度”工作推进情况报告
    period: str  # 2026年11月
    state: str  # 草稿 | 已报送 …: printed under the title while not received
    sections: tuple[tuple[str, str], ...]  # (heading, text)
    figures: tuple[ReportFigureRow, ...]
    figures_note: str  # whose figures these are (as submitted on …)
    due_on: dt.date
    dated: dt.date  # the submission day (or the draft day)


_CHINESE_ORDINALS = "一二三四五六七八九十"


def report_layout(context: ReportContext) -> Layout:
    blocks: list = [Heading(context.agency, context.title), NumberLine(context.state), Space(3)]
    blocks.append(Para(f"{context.bureau}：", indent=False))
    blocks.append(Para(f"现将本单位{context.period}推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度"
                       f"的工作推进情况报告如下（报送期限：{date_render(on=context.due_on)}）。"))
    for n, (heading, text) in enumerate(context.sections):
        blocks.append(Para(f"{_CHINESE_ORDINALS[n]}、{heading}", indent=True))
        lines = [line.strip() for line in text.splitlines() if line.strip()] or ["无。"]
        blocks.extend(Para(line) for line in lines)
    n = len(context.sections)
    blocks.append(Para(f"{_CHINESE_ORDINALS[n]}、本月数据（{context.figures_note}）", indent=True))
    rows = [(Cell("类别", label=True), Cell("项目", label=True), Cell("数值", label=True))]
    rows += [(Cell(f.group), Cell(f.label), Cell(f.value)) for f in context.figures]
    blocks.append(Table(rows=tuple(rows), widths=(0.28, 0.52, 0.20)))
    blocks.append(Space(10))
    blocks.append(Signature((context.agency, date_render(on=context.dated))))
    return Layout(blocks=tuple(blocks), body_size=14, page_numbers=True)


def report_render(context: ReportContext) -> RenderedDocument:
    layout = report_layout(context)
    return RenderedDocument(
        kind="monthly_report",
        title=context.title,
        filename_stem=_filename_stem(f"{context.agency}{context.title}", ""),
        pdf=layout_render_pdf(layout=layout, title=context.title, author=context.agency, subject=context.period,
                              dated=context.dated),
        docx=layout_render_docx(layout=layout, title=context.title, author=context.agency, subject=context.period,
                                dated=context.dated),
    )

"""The closing documents of the plan (issue 15 item 7): an agency's summary of its year (工作总结) and
the county's work report to the government (工作报告), written once as blocks and laid out by both
writers (PDF and DOCX): the parts written by people, then tables of the figures from the records.
Pure: no models and no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.documents.blocks import Cell, Heading, Layout, NumberLine, Para, Signature, Space, Table
from sanxiang.documents.pdf import layout_render_pdf
from sanxiang.documents.render import RenderedDocument, _filename_stem
from sanxiang.documents.text import date_render
from sanxiang.documents.word import layout_render_docx

_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class ClosingTable:
    heading: str  # 本年度数据（…）
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]


@dataclass(frozen=True)
class ClosingContext:
    kind: str  # annual_summary | work_report
    author: str  # the agency (or the bureau)
    addressee: str  # the bureau (or the county government)
    title: str
    state: str  # printed under the title while not final ("" once final)
    intro: str
    sections: tuple[tuple[str, str], ...]  # (heading, text)
    tables: tuple[ClosingTable, ...]
    dated: dt.date


def closing_layout(context: ClosingContext) -> Layout:
    blocks: list = [
        Heading(context.author, context.title),
        NumberLine(context.state),
        Space(3),
        Para(f"{context.addressee}：", indent=False),
        Para(context.intro),
    ]
    n = 0
    for heading, text in context.sections:
        blocks.append(Para(f"{_ORDINALS[n]}、{heading}", indent=True))
        blocks.extend(
            Para(line) for line in ([ln.strip() for ln in text.splitlines() if ln.strip()] or ["无。"])
        )
        n += 1
    for table in context.tables:
        blocks.append(Para(f"{_ORDINALS[n]}、{table.heading}", indent=True))
        rows = [tuple(Cell(h, label=True) for h in table.header)]
        rows += [tuple(Cell(value) for value in row) for row in table.rows] or [
            tuple(Cell("无" if i == 0 else "") for i in range(len(table.header)))
        ]
        blocks.append(Table(rows=tuple(rows), widths=table.widths))
        n += 1
    blocks.append(Space(10))
    blocks.append(Signature((context.author, date_render(on=context.dated))))
    return Layout(blocks=tuple(blocks), body_size=14, page_numbers=True)


def closing_render(context: ClosingContext) -> RenderedDocument:
    layout = closing_layout(context)
    options = {
        "title": context.title,
        "author": context.author,
        "subject": context.title,
        "dated": context.dated,
    }
    return RenderedDocument(
        kind=context.kind,
        title=context.title,
        filename_stem=_filename_stem(f"{context.author}{context.title}", ""),
        pdf=layout_render_pdf(layout=layout, **options),
        docx=layout_render_docx(layout=layout, **options),
    )

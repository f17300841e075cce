"""The supervision body's instruments (《行政执法监督条例》第二十六条至第二十九条) as PDF and DOCX:
督办函, 意见书, 建议书 and the 决定书 proposed to the government. Written once as blocks, laid
out by both writers like the case documents. Pure: no models and no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.documents.blocks import Heading, Layout, NumberLine, Para, Signature, Space
from sanxiang.documents.layouts import SEAL
from sanxiang.documents.pdf import layout_render_pdf
from sanxiang.documents.render import RenderedDocument, _filename_stem
from sanxiang.documents.text import date_render
from sanxiang.documents.word import layout_render_docx


@dataclass(frozen=True)
class InstrumentContext:
    kind: str  # supervise_letter | opinion | recommendation | decision_proposal
    title: str  # 行政执法监督意见书
    bureau: str  # the issuing bureau (or, for the 决定书, the government)
    agency: str  # the supervised agency, addressed
    government: str  # the government a 决定书 is proposed to
    number: str
    matter: str  # the matter's number and subject
    findings: str
    required_actions: str
    due_on: dt.date | None
    period_label: str  # 三十日 | 10个工作日
    basis: str  # the article the instrument rests on
    objection_note: str  # how to object (第三十条), empty for the 决定书
    supervisors: tuple[str, ...]
    issued_on: dt.date


def _paragraphs(text: str) -> list[Para]:
    return [Para(line.strip()) for line in text.splitlines() if line.strip()]


def instrument_layout(context: InstrumentContext) -> Layout:
    blocks: list = [Heading(context.bureau, context.title), NumberLine(context.number), Space(3)]
    if context.kind == "decision_proposal":
        blocks.append(Para(f"{context.government}：", indent=False))
        blocks.append(Para(f"本机关在办理监督事项{context.matter}中，发现{context.agency}存在以下问题："))
        blocks.extend(_paragraphs(context.findings))
        blocks.append(Para(f"根据{context.basis}，提请作出行政执法监督决定书，责令{context.agency}：", indent=True))
        blocks.extend(_paragraphs(context.required_actions))
    else:
        blocks.append(Para(f"{context.agency}：", indent=False))
        blocks.append(Para(f"根据{context.basis}，本机关在办理监督事项{context.matter}中，发现你单位存在以下问题："))
        blocks.extend(_paragraphs(context.findings))
        blocks.append(Para("现要求你单位：", indent=True))
        blocks.extend(_paragraphs(context.required_actions))
    if context.due_on is not None:
        blocks.append(Para(f"请于{date_render(on=context.due_on)}前（{context.period_label}内）通过行政执法监督平台书面报告办理情况。"))
    if context.objection_note:
        blocks.append(Para(context.objection_note))
    blocks.append(Para(f"监督人员：{'、'.join(context.supervisors)}", indent=False))
    blocks.append(Space(10))
    blocks.append(Signature((SEAL, context.bureau, date_render(on=context.issued_on))))
    return Layout(blocks=tuple(blocks), body_size=14)


def instrument_render(context: InstrumentContext) -> RenderedDocument:
    layout = instrument_layout(context)
    return RenderedDocument(
        kind=f"supervision_{context.kind}",
        title=context.title,
        filename_stem=_filename_stem(context.title, context.number),
        pdf=layout_render_pdf(layout=layout, title=context.title, author=context.bureau, subject=context.number,
                              dated=context.issued_on),
        docx=layout_render_docx(layout=layout, title=context.title, author=context.bureau, subject=context.number,
                                dated=context.issued_on),
    )

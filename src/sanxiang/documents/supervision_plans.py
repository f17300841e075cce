"""The judicial bureau's annual supervision work plan as a PDF (issue 14, item 5): the objectives
and a numbered list of the items (kind, subject, agencies, months, supervisors responsible). Pure:
no models and no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.documents.blocks import Heading, Layout, Para, Signature, Space
from sanxiang.documents.layouts import SEAL
from sanxiang.documents.pdf import layout_render_pdf
from sanxiang.documents.text import date_render


@dataclass(frozen=True)
class PlanItemLine:
    kind: str
    subject: str
    description: str
    agencies: str
    months: str
    supervisors: str


@dataclass(frozen=True)
class PlanContext:
    bureau: str
    title: str
    objectives: str
    items: tuple[PlanItemLine, ...]
    basis: str
    dated: dt.date  # approval date, or the draft's date


def plan_layout(context: PlanContext) -> Layout:
    blocks: list = [Heading(context.bureau, context.title), Space(3), Para("一、年度工作目标", indent=False)]
    blocks += [Para(line.strip()) for line in context.objectives.splitlines() if line.strip()]
    blocks.append(Para("二、计划事项", indent=False))
    for number, item in enumerate(context.items, 1):
        blocks.append(Para(f"{number}. 【{item.kind}】{item.subject}"))
        if item.description:
            blocks.append(Para(item.description))
        blocks.append(Para(f"监督对象：{item.agencies}；时间：{item.months}；负责人员：{item.supervisors}。"))
    blocks.append(Para(f"依据：{context.basis}", indent=False))
    blocks.append(Space(10))
    blocks.append(Signature((SEAL, context.bureau, date_render(on=context.dated))))
    return Layout(blocks=tuple(blocks), body_size=14)


def plan_render_pdf(context: PlanContext) -> bytes:
    return layout_render_pdf(layout=plan_layout(context), title=context.title, author=context.bureau,
                             subject=context.title, dated=context.dated)

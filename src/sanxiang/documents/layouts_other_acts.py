"""The decision of a 征收征用 and of the other acts (行政给付、确认、奖励、裁决 …), written once as blocks
in the style of the penalty decisions (layouts.py): the party; for a 征收征用 the public interest,
the scope, the assessment and the compensation (宪法第十条第三款、第十三条第三款); the provisions the
decision rests on; what it decides; the remedies; the agency, the date and the seal. The context has
passed the kind's requirements (registry.py)."""

from sanxiang.documents.blocks import Block, Layout, Para, Space
from sanxiang.documents.context import ActDecisionDetails, DocumentContext
from sanxiang.documents.layouts import (
    LETTER_SIZE,
    _cite,
    _heading,
    _numbered,
    _party_paras,
    _prose,
    _sealed,
    decision_remedies_para,
)
from sanxiang.documents.text import amount_render, clause_render


def _details(context: DocumentContext) -> ActDecisionDetails:
    assert context.act_decision is not None
    return context.act_decision


def act_decision_layout(context: DocumentContext) -> Layout:
    details = _details(context)
    blocks: list[Block] = [*_heading(context, details.title, number=context.document_number)]
    if context.party is not None:
        blocks += [*_party_paras(context.party), Space(2)]
    bases = _cite(details.bases)
    expropriation = bool(details.purpose or details.scope)
    if expropriation:
        blocks.append(Para(f"为了{clause_render(details.purpose)}的公共利益需要，依据{bases}的规定，本机关决定"
                           f"{details.kind_label}下列财产：{clause_render(details.scope)}。"))
        if details.assessment:
            blocks.append(Para(f"经评估：{clause_render(details.assessment)}。"))
        compensation = f"补偿方式为{details.compensation_method}" if details.compensation_method else ""
        if details.compensation_fen:
            compensation += f"，补偿金额为{amount_render(fen=details.compensation_fen)}"
        if compensation:
            blocks.append(Para(f"{compensation}。"))
        if details.compensation_items:
            blocks += [Para("补偿项目如下："), *_numbered(details.compensation_items)]
    else:
        blocks.append(Para(f"依据{bases}的规定，本机关决定："))
        blocks += _prose(details.content)
        if details.amount_fen:
            blocks.append(Para(f"金额为{amount_render(fen=details.amount_fen)}。"))
    blocks.append(decision_remedies_para(context, not_suspended=expropriation))
    blocks += _sealed(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


__all__ = ["act_decision_layout"]

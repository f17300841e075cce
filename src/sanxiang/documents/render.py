"""`document_render`: check a context against its kind, then write the PDF and the DOCX."""

import datetime as dt
import re
from dataclasses import dataclass

from sanxiang.documents.context import DocumentContext
from sanxiang.documents.pdf import layout_render_pdf
from sanxiang.documents.registry import DECISION_REQUIREMENTS, DOCUMENT_KINDS, DocumentKind
from sanxiang.documents.requirements import DocumentIncomplete, requirements_check
from sanxiang.documents.word import layout_render_docx
from sanxiang.procedure.violations import Violation

# A document without a date of its own (a 笔录 before it is signed) is dated by its record; this is
# only the last resort, fixed so that the bytes stay reproducible.
UNDATED = dt.date(2000, 1, 1)
FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class RenderedDocument:
    kind: str
    title: str
    filename_stem: str  # 行政处罚决定书_乌市监处罚〔2026〕12号: add .pdf / .docx
    pdf: bytes
    docx: bytes


def document_kind_get(*, kind: str) -> DocumentKind:
    try:
        return DOCUMENT_KINDS[kind]
    except KeyError:
        known = "、".join(f"{k}（{v.title}）" for k, v in DOCUMENT_KINDS.items())
        raise ValueError(f"未知的文书种类“{kind}”，可用的种类：{known}") from None


def document_problems(*, kind: str, context: DocumentContext) -> list[Violation]:
    """Everything the document lacks, each with its legal basis; empty when it can be rendered."""
    document_kind = document_kind_get(kind=kind)
    return requirements_check(
        requirements=document_kind.requirements,
        context=context,
        kind=kind,
        title=document_kind.title,
        legal_basis=document_kind.legal_basis,
    )


def decision_elements_present(*, context: DocumentContext) -> frozenset[str]:
    """Which of 第五十九条's seven elements the decision's context supplies, under the keys of the
    procedure engine's `DecisionDraft.elements` (party, facts_evidence, penalty_basis, performance,
    remedies, agency_date, seal), so the engine's guard and the document agree."""
    failing = {r.element for r in DECISION_REQUIREMENTS if r.element and not r.check(context)}
    # How a penalty is performed cannot be established before the penalty is.
    if "penalty_basis" in failing:
        failing.add("performance")
    return frozenset(r.element for r in DECISION_REQUIREMENTS if r.element and r.element not in failing)


def _reference(document_kind: DocumentKind, context: DocumentContext) -> str:
    """The number a document is filed under: its own 文号, or the case number."""
    return context.document_number if document_kind.numbered else context.case.number


def _filename_stem(title: str, reference: str) -> str:
    stem = f"{title}_{reference}" if reference else title
    return FILENAME_UNSAFE.sub("_", stem).strip("_")


def _dated(context: DocumentContext) -> dt.date:
    if context.issued_on is not None:
        return context.issued_on
    for moment in (
        context.inquiry.started_at if context.inquiry else None,
        context.inspection.started_at if context.inspection else None,
        context.hearing.ended_at or context.hearing.held_at if context.hearing else None,
    ):
        if moment is not None:
            return moment.date()
    return context.case.opened_on or UNDATED


def document_render(*, kind: str, context: DocumentContext) -> RenderedDocument:
    """Render one document as PDF and DOCX, or raise `DocumentIncomplete` listing, in Chinese and
    with the legal basis of each, everything the document still lacks."""
    document_kind = document_kind_get(kind=kind)
    problems = document_problems(kind=kind, context=context)
    if problems:
        raise DocumentIncomplete(kind=kind, title=document_kind.title, violations=problems)
    layout = document_kind.layout(context)
    title = document_kind.title
    subject = _reference(document_kind, context)
    dated = _dated(context)
    author = context.agency.name
    return RenderedDocument(
        kind=kind,
        title=title,
        filename_stem=_filename_stem(title, subject),
        pdf=layout_render_pdf(layout=layout, title=title, author=author, subject=subject, dated=dated),
        docx=layout_render_docx(layout=layout, title=title, author=author, subject=subject, dated=dated),
    )

"""`document_render`: check a context against its kind, then write the PDF and the DOCX."""

import datetime as dt
import re
from dataclasses import dataclass, replace

from sanxiang.documents.blocks import Layout, Para
from sanxiang.documents.context import DocumentContext
from sanxiang.documents.pdf import CharactersUnprintable, characters_unprintable, layout_render_pdf
from sanxiang.documents.registry import ALL_DOCUMENT_KINDS, DECISION_REQUIREMENTS, DocumentKind
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
    docx: bytes | None  # None when only the PDF was asked for (the Word copy follows)


def document_kind_get(*, kind: str) -> DocumentKind:
    try:
        return ALL_DOCUMENT_KINDS[kind]
    except KeyError:
        known = "、".join(f"{k}（{v.title}）" for k, v in ALL_DOCUMENT_KINDS.items())
        raise ValueError(f"未知的文书种类“{kind}”，可用的种类：{known}") from None


def document_problems(*, kind: str, context: DocumentContext) -> list[Violation]:
    """Everything the document lacks, each with its legal basis; empty when it can be rendered."""
    document_kind = document_kind_get(kind=kind)
    return requirements_check(
        requirements=document_kind.requirements,
        context=context,
        kind=kind,
        title=document_kind.title_for(context),
        legal_basis=document_kind.basis_for(context),
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


def document_elements_present(*, kind: str, context: DocumentContext) -> frozenset[str]:
    """Which of the engine's elements of `kind` (`DocumentKind.elements`: 第二十四条第二款 for a
    查封、扣押决定书, 第三十一条 for a 冻结决定书, 第三十五条 for a 催告书, 第三十七条第二款 for a
    强制执行决定书, NO_PENALTY_DECISION_ELEMENTS for a 不予行政处罚决定书) the context supplies: those
    no failing requirement belongs to. What the layout always prints (the party's right to state and
    defend in a 催告书) has no requirement and is always present."""
    if kind == "decision_document":
        return decision_elements_present(context=context)
    document_kind = document_kind_get(kind=kind)
    failing = {r.element for r in document_kind.requirements if r.element and not r.check(context)}
    return frozenset(e for e in document_kind.elements if e not in failing)


def _reference(document_kind: DocumentKind, context: DocumentContext) -> str:
    """The number a document is filed under: its own 文号, or the case number."""
    return context.document_number if document_kind.numbered else context.case.number


def _filename_stem(title: str, reference: str) -> str:
    stem = f"{title}_{reference}" if reference else title
    return FILENAME_UNSAFE.sub("_", stem).strip("_")


def _dated(context: DocumentContext) -> dt.date:
    if context.issued_on is not None:
        return context.issued_on
    on_site = context.measure.on_site if context.measure is not None else None
    for moment in (
        on_site.started_at if on_site is not None else None,
        context.inquiry.started_at if context.inquiry else None,
        context.inspection.started_at if context.inspection else None,
        context.hearing.ended_at or context.hearing.held_at if context.hearing else None,
    ):
        if moment is not None:
            return moment.date()
    return context.case.opened_on or UNDATED


def _layout(document_kind: DocumentKind, context: DocumentContext) -> Layout:
    """The kind's layout, with the back-entry line (补录件) at its end when the context has one."""
    layout = document_kind.layout(context)
    if context.back_entry_note:
        layout = replace(layout, blocks=(*layout.blocks, Para(context.back_entry_note, indent=False, align="left", small=True)))
    return layout


def document_render(*, kind: str, context: DocumentContext, docx: bool = True) -> RenderedDocument:
    """Render one document as PDF and DOCX (only the PDF with `docx=False`: the Word copy is
    rendered later by `document_render_docx` from the same context, to the same bytes), or raise
    `DocumentIncomplete` listing, in Chinese and with the legal basis of each, everything the
    document still lacks."""
    document_kind = document_kind_get(kind=kind)
    problems = document_problems(kind=kind, context=context)
    if problems:
        raise DocumentIncomplete(kind=kind, title=document_kind.title_for(context), violations=problems)
    layout = _layout(document_kind, context)
    title = document_kind.title_for(context)
    subject = _reference(document_kind, context)
    dated = _dated(context)
    author = context.agency.name
    return RenderedDocument(
        kind=kind,
        title=title,
        filename_stem=_filename_stem(title, subject),
        pdf=layout_render_pdf(layout=layout, title=title, author=author, subject=subject, dated=dated),
        docx=layout_render_docx(layout=layout, title=title, author=author, subject=subject, dated=dated) if docx else None,
    )


def document_names(*, kind: str, context: DocumentContext) -> tuple[str, str]:
    """The title and the file name stem `document_render` gives the document, without rendering
    it (a document whose files follow its step is listed under these names meanwhile). Raises what
    `document_render` would raise before writing a byte (`DocumentIncomplete`, `CharactersUnprintable`),
    so that a step never issues a document whose files could not follow."""
    document_kind = document_kind_get(kind=kind)
    problems = document_problems(kind=kind, context=context)
    if problems:
        raise DocumentIncomplete(kind=kind, title=document_kind.title_for(context), violations=problems)
    unprintable = characters_unprintable(_layout(document_kind, context))
    if unprintable:
        raise CharactersUnprintable(unprintable)
    title = document_kind.title_for(context)
    return title, _filename_stem(title, _reference(document_kind, context))


def document_render_docx(*, kind: str, context: DocumentContext) -> bytes:
    """The DOCX of a document alone: the bytes `document_render` gives for the same context."""
    document_kind = document_kind_get(kind=kind)
    problems = document_problems(kind=kind, context=context)
    if problems:
        raise DocumentIncomplete(kind=kind, title=document_kind.title_for(context), violations=problems)
    layout = _layout(document_kind, context)
    return layout_render_docx(layout=layout, title=document_kind.title_for(context), author=context.agency.name,
                              subject=_reference(document_kind, context), dated=_dated(context))

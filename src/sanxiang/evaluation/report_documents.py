"""A monthly report as a document (PDF and DOCX): its sections and its stored figures (as
submitted, or as drafted before submission), rendered by `sanxiang.documents.reports`."""

from __future__ import annotations

from sanxiang.documents.render import RenderedDocument
from sanxiang.documents.reports import ReportContext, ReportFigureRow, report_layout, report_render
from sanxiang.evaluation.models import MonthlyReport
from sanxiang.procedure.evaluation.reports import REPORT_SECTION_LABELS, REPORT_STATE_LABELS, ReportState


def _value(value) -> str:
    return "—" if value is None else str(value)


def report_context(*, report: MonthlyReport) -> ReportContext:
    frozen = report.figures_frozen_on
    state = ReportState(report.state)
    return ReportContext(
        agency=report.agency.name,
        bureau=report.bureau.name if report.bureau else "司法局",
        title=report.title,
        period=f"{report.year}年{report.month}月",
        state="" if state == ReportState.RECEIVED else f"（{REPORT_STATE_LABELS[state]}）",
        sections=tuple((label, report.sections.get(str(key), "")) for key, label in REPORT_SECTION_LABELS.items()),
        figures=tuple(ReportFigureRow(f["group"], f["label"], _value(f["value"])) for f in report.figures),
        figures_note=(f"平台根据记录生成，{frozen.year}年{frozen.month}月{frozen.day}日报送时固定" if frozen
                      else f"平台{report.drafted_on.year}年{report.drafted_on.month}月{report.drafted_on.day}日根据记录生成"),
        due_on=report.due_on,
        dated=report.submitted_on or report.drafted_on,
    )


def report_unprintable(*, report: MonthlyReport, sections: dict[str, str]) -> list[str]:
    """Characters of the sections the document font cannot print."""
    from dataclasses import replace

    from sanxiang.documents.pdf import characters_unprintable

    context = replace(report_context(report=report), sections=tuple(
        (label, sections.get(str(key), "")) for key, label in REPORT_SECTION_LABELS.items()))
    return characters_unprintable(report_layout(context))


def report_document(*, report: MonthlyReport) -> RenderedDocument:
    return report_render(report_context(report=report))

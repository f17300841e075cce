"""The summary (工作总结) and the work report (工作报告) as documents (PDF and DOCX): the parts people
wrote and the stored figures (as submitted, or as drafted before), by `sanxiang.documents.closing`."""

from __future__ import annotations

from sanxiang.documents.closing import ClosingContext, ClosingTable, closing_render
from sanxiang.documents.render import RenderedDocument
from sanxiang.evaluation.closing_figures import score_text
from sanxiang.evaluation.models import AcceptanceCheck, AnnualSummary, WorkReport
from sanxiang.procedure.evaluation.closing import (
    ACCEPTANCE_RESULT_LABELS,
    CRITERIA,
    SUMMARY_SECTION_LABELS,
    WORK_REPORT_SECTION_LABELS,
    AcceptanceResult,
)
from sanxiang.procedure.evaluation.reports import REPORT_STATE_LABELS, ReportState


def _day(on) -> str:
    return f"{on.year}年{on.month}月{on.day}日"


def _figures_table(figures: list[dict], heading: str) -> ClosingTable:
    return ClosingTable(
        heading=heading,
        header=("类别", "项目", "数值"),
        rows=tuple((f["group"], f["label"], f["value"]) for f in figures),
        widths=(0.22, 0.50, 0.28),
    )


def summary_context(*, summary: AnnualSummary) -> ClosingContext:
    state = ReportState(summary.state)
    frozen = summary.figures_frozen_on
    note = (
        f"平台根据记录生成，{_day(frozen)}报送时固定"
        if frozen
        else f"平台{_day(summary.drafted_on)}根据记录生成"
    )
    return ClosingContext(
        kind="annual_summary",
        author=summary.agency.name,
        addressee=summary.bureau.name if summary.bureau else "司法局",
        title=summary.title,
        state="" if state == ReportState.RECEIVED else f"（{REPORT_STATE_LABELS[state]}）",
        intro=(
            f"根据实施方案关于总结评估的要求，现将本单位{summary.year}年推行行政执法公示制度、执法全过程记录制度、"
            f"重大执法决定法制审核制度的工作情况总结如下（报送期限：{_day(summary.due_on)}）。"
        ),
        sections=tuple(
            (label, summary.sections.get(str(key), "")) for key, label in SUMMARY_SECTION_LABELS.items()
        ),
        tables=(_figures_table(summary.figures, f"本年度数据（{note}）"),),
        dated=summary.submitted_on or summary.drafted_on,
    )


def summary_document(*, summary: AnnualSummary) -> RenderedDocument:
    return closing_render(summary_context(summary=summary))


def _result(check: AcceptanceCheck) -> str:
    return ACCEPTANCE_RESULT_LABELS[AcceptanceResult(check.result)] if check.result else "未作结论"


def work_report_context(*, report: WorkReport, checks: list[AcceptanceCheck]) -> ClosingContext:
    findings = []
    for check in checks:
        for criterion in CRITERIA:
            text = (check.findings or {}).get(criterion.code, "")
            if text:
                findings.append(f"{criterion.label}：{text}")
    acceptance = ClosingTable(
        heading="验收结果",
        header=("单位", "得分", "结论", "发现的问题"),
        rows=tuple(
            (
                c.agency.name,
                score_text(c.total),
                _result(c),
                "；".join(f"{cr.label}：{c.findings[cr.code]}" for cr in CRITERIA if c.findings.get(cr.code))
                or "无",
            )
            for c in checks
        ),
        widths=(0.30, 0.12, 0.14, 0.44),
    )
    note = (
        f"平台根据记录生成，{_day(report.figures_on)}报送时固定"
        if report.submitted_on
        else f"平台{_day(report.figures_on)}根据记录生成"
    )
    return ClosingContext(
        kind="work_report",
        author=report.bureau.name,
        addressee="旗人民政府",
        title=report.title,
        state="" if report.submitted_on else "（草稿）",
        intro=(
            f"根据实施方案关于总结验收的要求，{report.bureau.name}在各行政执法机关总结评估的基础上组织了验收，"
            f"现将{report.year}年全面推行行政执法“三项制度”工作情况报告如下。"
        ),
        sections=tuple(
            (label, report.sections.get(str(key), "")) for key, label in WORK_REPORT_SECTION_LABELS.items()
        ),
        tables=(_figures_table(report.figures, f"本年度数据（{note}）"), acceptance),
        dated=report.submitted_on or report.figures_on,
    )


def work_report_document(*, report: WorkReport) -> RenderedDocument:
    checks = list(
        AcceptanceCheck.objects.filter(round_id=report.round_id)
        .select_related("agency")
        .order_by("agency__name", "pk")
    )
    return closing_render(work_report_context(report=report, checks=checks))


def sections_unprintable(
    *, summary: AnnualSummary | None = None, report: WorkReport | None = None, sections: dict[str, str]
) -> list[str]:
    """Characters of the sections about to be submitted that the document font cannot print."""
    from dataclasses import replace

    from sanxiang.documents.closing import closing_layout
    from sanxiang.documents.pdf import characters_unprintable

    if summary is not None:
        context = summary_context(summary=summary)
        labels = SUMMARY_SECTION_LABELS
    else:
        context = work_report_context(report=report, checks=[])
        labels = WORK_REPORT_SECTION_LABELS
    context = replace(
        context, sections=tuple((label, sections.get(str(key), "")) for key, label in labels.items())
    )
    return characters_unprintable(closing_layout(context))

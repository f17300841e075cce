"""The plan's closing steps (总结验收, issue 15 item 7): each agency's summary (工作总结), the 司法局's
acceptance (验收) of each agency, and the county's work report (工作报告) to the government.

The seed plan, 乌政办发〔2022〕115号 三（三）:
1. 总结评估: each agency summarises its work on the three systems and sends the summary to the 司法局
   by 15 November (`evaluation.summary_due`, a parameter marked unverified: the plan names 2023).
2. 组织验收: the 司法局 accepts each agency's work on the basis of the summaries and reports to the
   county government (形成工作报告报旗人民政府).

The summary is handled as a monthly report is (drafted by the platform from the agency's records,
written and submitted by its head, received or returned by the bureau's supervisors, figures frozen
on submission): the states and actions are those of `reports`. The acceptance checklist's criteria
follow the plan's tasks (二、三), each with its basis; their maximum scores and the pass mark are not
in the plan: parameters of the platform (`evaluation.acceptance.*`), for the county to set.
Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sanxiang.procedure.evaluation.reports import (
    REPORT_ACTION_LABELS,
    REPORT_STATE_LABELS,
    ReportAction,
    ReportActor,
    ReportState,
    report_actions_allowed,
)
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

PLAN = "《乌审旗推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度实施方案》"
SUMMARY_DUE = "evaluation.summary_due"
SUMMARY_DRAFT = "evaluation.summary_draft"
ACCEPTANCE_MAX_SCORE = "evaluation.acceptance.max_score"  # .<criterion>
ACCEPTANCE_PASS_SCORE = "evaluation.acceptance.pass_score"

SUMMARY_BASIS = f"{PLAN}三（三）1（总结评估：形成工作总结，报旗司法局）"
ACCEPTANCE_BASIS = f"{PLAN}三（三）2（旗司法局在各行政执法机关总结评估的基础上全面组织验收）"
WORK_REPORT_BASIS = f"{PLAN}三（三）2（形成工作报告报旗人民政府）"

SUMMARY_SUBMITTER_BASIS = (
    f"{PLATFORM_PREFIX}：工作总结由本机关的机关负责人报送（实施方案四（一）：主要负责同志为第一责任人）"
)
SUMMARY_RECEIVER_BASIS = f"{PLATFORM_PREFIX}：工作总结由本县司法局的监督人员接收或者退回"
SUMMARY_STATE_BASIS = (
    f"{PLATFORM_PREFIX}：工作总结按“草稿—已报送—已退回—重新报送—已接收”办理，已接收的不再修改"
)
ACCEPTOR_BASIS = f"{PLATFORM_PREFIX}：验收由本县司法局的监督人员评分和作出结论"
ROUND_STATE_BASIS = f"{PLATFORM_PREFIX}：验收结束后不再修改评分；每年组织一轮验收"
ROUND_YEAR_BASIS = f"{PLATFORM_PREFIX}：验收在各单位总结该年度工作的基础上进行，尚未开始的年度不组织验收"
FINDINGS_BASIS = f"{PLATFORM_PREFIX}：扣分的项目应当写明发现的问题"
WORK_REPORT_STATE_BASIS = f"{PLATFORM_PREFIX}：工作报告在验收结束后生成，报送后不再修改"
SECTION_LIMIT = 10000


# --- The summary (工作总结) ---------------------------------------------------------------------------


class SummarySection(StrEnum):
    WORK = "work"
    RESULTS = "results"
    PROBLEMS = "problems"
    NEXT = "next"


SUMMARY_SECTION_LABELS: dict[SummarySection, str] = {
    SummarySection.WORK: "工作开展情况",
    SummarySection.RESULTS: "取得的成效",
    SummarySection.PROBLEMS: "存在的问题",
    SummarySection.NEXT: "下一步工作打算",
}
# The plan asks agencies to summarise and assess their work (总结评估), the problems and the results
# (三（二）3): each part must say something before the summary is submitted ("无" is an answer).
SUMMARY_SECTIONS_BASIS = f"{PLAN}三（二）3、三（三）1（总结分析存在的问题和取得的成效，形成工作总结）"


def summary_sections_violations(*, sections: dict[str, str], submitting: bool) -> list[Violation]:
    violations: list[Violation] = []
    for section, label in SUMMARY_SECTION_LABELS.items():
        text = (sections.get(section) or "").strip()
        if len(text) > SECTION_LIMIT:
            violations.append(
                Violation(
                    f"summary.section.{section}",
                    f"“{label}”不得超过{SECTION_LIMIT}字",
                    FORM_BASIS,
                    str(section),
                )
            )
        elif submitting and not text:
            violations.append(
                Violation(
                    f"summary.section.{section}",
                    f"请填写“{label}”（没有的写“无”）",
                    SUMMARY_SECTIONS_BASIS,
                    str(section),
                )
            )
    return violations


def summary_action_violations(
    *, state: ReportState, action: ReportAction, actor: ReportActor
) -> list[Violation]:
    """Every reason why `actor` may not take `action` on a summary in `state` (the monthly report's
    workflow, with the summary's words)."""
    violations: list[Violation] = []
    if action in (ReportAction.EDIT, ReportAction.SUBMIT):
        if actor != ReportActor.AGENCY_HEAD:
            violations.append(
                Violation(
                    "summary.submitter",
                    "只有本机关的机关负责人可以修改和报送工作总结",
                    SUMMARY_SUBMITTER_BASIS,
                )
            )
    elif actor != ReportActor.SUPERVISOR:
        violations.append(
            Violation(
                "summary.receiver",
                "只有本县司法局的监督人员可以接收、批注或者退回工作总结",
                SUMMARY_RECEIVER_BASIS,
            )
        )
    allowed = {
        a
        for who in (ReportActor.AGENCY_HEAD, ReportActor.SUPERVISOR)
        for a in report_actions_allowed(state=state, actor=who)
    }
    if action not in allowed:
        violations.append(
            Violation(
                "summary.state",
                f"工作总结{REPORT_STATE_LABELS[state]}，不能{REPORT_ACTION_LABELS[action]}",
                SUMMARY_STATE_BASIS,
            )
        )
    return violations


def _month_day(value: str, year: int) -> dt.date:
    month, day = (int(part) for part in str(value).split("-"))
    return dt.date(year, month, day)


def summary_due_on(*, year: int, parameters: ParameterSet | None = None) -> dt.date:
    """The last day to submit the summary of `year` (15 November of that year)."""
    parameters = parameters or parameters_default()
    return _month_day(parameters.value(SUMMARY_DUE, on=dt.date(year, 1, 1)), year)


def summary_draft_on(*, year: int, parameters: ParameterSet | None = None) -> dt.date:
    parameters = parameters or parameters_default()
    return _month_day(parameters.value(SUMMARY_DRAFT, on=dt.date(year, 1, 1)), year)


def summary_year_to_draft(*, on: dt.date, parameters: ParameterSet | None = None) -> int | None:
    """The year whose summaries are due to exist on `on`: this year, from its draft day on."""
    return on.year if on >= summary_draft_on(year=on.year, parameters=parameters) else None


def summary_due_basis(parameters: ParameterSet | None = None) -> str:
    return (parameters or parameters_default())[SUMMARY_DUE].reference


# --- The acceptance checklist (验收) ------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    description: str  # what the bureau checks
    basis: str  # the plan's task it checks


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "documents",
        "制度建设",
        "制定或修订本部门有关制度、清单、服务指南、流程图、执法工作手册并报司法局",
        f"{PLAN}三（一）2",
    ),
    Criterion(
        "training",
        "培训",
        "经常组织本部门执法人员开展“三项制度”培训，执法人员达到年度培训学时",
        f"{PLAN}三（一）1",
    ),
    Criterion("publicity", "行政执法公示", "依法及时公示执法信息，“谁执法谁公示”", f"{PLAN}二（一）"),
    Criterion(
        "recording", "执法全过程记录", "执法全过程文字、音像记录，全面系统归档，可回溯", f"{PLAN}二（二）"
    ),
    Criterion(
        "review", "重大执法决定法制审核", "重大执法决定决定前经法制审核，审核全覆盖", f"{PLAN}二（三）"
    ),
    Criterion(
        "reporting", "报送情况", "每月25日前报送工作推进情况，按期报送工作总结", f"{PLAN}三（二）1、三（三）1"
    ),
)
CRITERIA_BY_CODE = {c.code: c for c in CRITERIA}


class AcceptanceResult(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


ACCEPTANCE_RESULT_LABELS = {AcceptanceResult.PASSED: "通过", AcceptanceResult.FAILED: "不通过"}


def acceptance_max_scores(*, on: dt.date, parameters: ParameterSet | None = None) -> dict[str, Decimal]:
    """The maximum score of each criterion in force on `on`, in the criteria's order (a criterion
    without a score in force is left out)."""
    parameters = parameters or parameters_default()
    scores = {}
    for criterion in CRITERIA:
        name = f"{ACCEPTANCE_MAX_SCORE}.{criterion.code}"
        if name in parameters:
            scores[criterion.code] = Decimal(str(parameters.value(name, on=on)))
    return scores


def acceptance_pass_score(*, on: dt.date, parameters: ParameterSet | None = None) -> Decimal:
    return Decimal(str((parameters or parameters_default()).value(ACCEPTANCE_PASS_SCORE, on=on)))


def acceptance_scores_basis(parameters: ParameterSet | None = None) -> str:
    return (parameters or parameters_default())[f"{ACCEPTANCE_MAX_SCORE}.{CRITERIA[0].code}"].reference


def points_text(value: Decimal) -> str:
    """A score as printed: 15, 17.5 (no trailing .0)."""
    return f"{value.quantize(Decimal(1))}" if value == value.to_integral_value() else f"{value}"


def score_parse(text: object) -> Decimal | None:
    """A score as typed ("18", "17.5"); None when it is not a number with at most one decimal."""
    if isinstance(text, Decimal):
        value = text
    else:
        try:
            value = Decimal(str(text).strip())
        except InvalidOperation:
            return None
    # A score is at most 4 digits (a maximum of 100 is 3): a longer number, or an exponent that
    # would not fit the decimal context when quantized (e.g. "1e30"), is not a score.
    if not value.is_finite() or value.adjusted() > 3 or value != value.quantize(Decimal("0.1")):
        return None
    return value.quantize(Decimal("0.1")) + 0  # + 0: "-0" reads as 0


def acceptance_scores_violations(
    *, scores: dict[str, object], findings: dict[str, str], max_scores: dict[str, Decimal], concluding: bool
) -> list[Violation]:
    """Every problem of a checklist as filled in: a score not a number or outside 0 to the criterion's
    maximum; to conclude, every criterion scored and every deduction explained by its findings."""
    violations: list[Violation] = []
    for criterion in CRITERIA:
        code = criterion.code
        if code not in max_scores:
            continue
        raw = scores.get(code)
        finding = (findings.get(code) or "").strip()
        if len(finding) > SECTION_LIMIT:
            violations.append(
                Violation(
                    f"acceptance.findings.{code}",
                    f"“{criterion.label}”的问题不得超过{SECTION_LIMIT}字",
                    FORM_BASIS,
                    f"findings_{code}",
                )
            )
        if raw is None or str(raw).strip() == "":
            if concluding:
                violations.append(
                    Violation(
                        f"acceptance.score.{code}",
                        f"请为“{criterion.label}”评分",
                        ACCEPTANCE_BASIS,
                        f"score_{code}",
                    )
                )
            continue
        score = score_parse(raw)
        top = max_scores[code]
        if score is None:
            violations.append(
                Violation(
                    f"acceptance.score.{code}",
                    f"“{criterion.label}”的得分应当是数字（最多一位小数）",
                    FORM_BASIS,
                    f"score_{code}",
                )
            )
        elif not Decimal(0) <= score <= top:
            violations.append(
                Violation(
                    f"acceptance.score.{code}",
                    f"“{criterion.label}”的得分应当在0到{points_text(top)}分之间",
                    acceptance_scores_basis(),
                    f"score_{code}",
                )
            )
        elif concluding and score < top and not finding:
            violations.append(
                Violation(
                    f"acceptance.findings.{code}",
                    f"“{criterion.label}”扣了分，请写明发现的问题",
                    FINDINGS_BASIS,
                    f"findings_{code}",
                )
            )
    return violations


def acceptance_total(*, scores: dict[str, object]) -> Decimal:
    """The sum of the scores that parse (an unscored criterion counts nothing)."""
    return sum(
        (s for s in (score_parse(v) for v in scores.values() if v not in (None, "")) if s is not None),
        Decimal(0),
    )


def acceptance_result(*, total: Decimal, pass_score: Decimal) -> AcceptanceResult:
    return AcceptanceResult.PASSED if total >= pass_score else AcceptanceResult.FAILED


def acceptance_actor_violations(
    *, is_supervisor: bool, round_closed: bool, concluded: bool
) -> list[Violation]:
    """Why a check may not be scored or concluded now (every reason)."""
    violations = []
    if not is_supervisor:
        violations.append(
            Violation("acceptance.actor", "只有本县司法局的监督人员可以验收评分", ACCEPTOR_BASIS)
        )
    if round_closed:
        violations.append(
            Violation("acceptance.round_closed", "本轮验收已经结束，不能再修改评分", ROUND_STATE_BASIS)
        )
    if concluded:
        violations.append(
            Violation("acceptance.concluded", "该单位的验收已经作出结论，不能再修改评分", ROUND_STATE_BASIS)
        )
    return violations


def closing_first_year(parameters: ParameterSet | None = None) -> int:
    """The first year of the closing steps: the year the plan's parameters they read take effect
    (no summary, acceptance or work report before it)."""
    parameters = parameters or parameters_default()
    names = (SUMMARY_DUE, ACCEPTANCE_PASS_SCORE, "evaluation.training.required_hours_per_year")
    return max(min(p.start for p in parameters[name].periods) for name in names).year


def round_year_violations(
    *, year: int, on: dt.date, parameters: ParameterSet | None = None
) -> list[Violation]:
    """Why a round may not be opened for `year` on `on`: a year not yet begun has no work to accept,
    and a year before the plan's rules took effect none to accept by them."""
    first = closing_first_year(parameters)
    if year > on.year:
        return [
            Violation("acceptance.year_future", f"{year}年度尚未开始，不能组织该年度的验收", ROUND_YEAR_BASIS)
        ]
    if year < first:
        return [
            Violation(
                "acceptance.year_early",
                f"{year}年度早于实施方案施行（{first}年），不组织验收",
                ROUND_YEAR_BASIS,
            )
        ]
    return []


def round_close_violations(*, is_supervisor: bool, closed: bool, unconcluded: list[str]) -> list[Violation]:
    """Why a round may not be closed: each agency whose check has no conclusion is named."""
    violations = []
    if not is_supervisor:
        violations.append(
            Violation("acceptance.actor", "只有本县司法局的监督人员可以结束验收", ACCEPTOR_BASIS)
        )
    if closed:
        violations.append(Violation("acceptance.round_closed", "本轮验收已经结束", ROUND_STATE_BASIS))
    for name in unconcluded:
        violations.append(Violation("acceptance.unconcluded", f"{name}尚未作出验收结论", ACCEPTANCE_BASIS))
    return violations


# --- The work report (工作报告) -------------------------------------------------------------------------


class WorkReportSection(StrEnum):
    OVERVIEW = "overview"
    MEASURES = "measures"
    PROBLEMS = "problems"
    NEXT = "next"


WORK_REPORT_SECTION_LABELS: dict[WorkReportSection, str] = {
    WorkReportSection.OVERVIEW: "基本情况",
    WorkReportSection.MEASURES: "主要做法和成效",
    WorkReportSection.PROBLEMS: "存在的问题",
    WorkReportSection.NEXT: "下一步工作",
}


def work_report_violations(
    *, is_supervisor: bool, round_closed: bool, submitted: bool, sections: dict[str, str], submitting: bool
) -> list[Violation]:
    """Why the work report may not be saved or submitted to the government (every reason)."""
    violations = []
    if not is_supervisor:
        violations.append(
            Violation("work_report.actor", "只有本县司法局的监督人员可以编写和报送工作报告", ACCEPTOR_BASIS)
        )
    if not round_closed:
        violations.append(
            Violation(
                "work_report.round_open", "本年度的验收尚未结束，不能生成工作报告", WORK_REPORT_STATE_BASIS
            )
        )
    if submitted:
        violations.append(
            Violation(
                "work_report.submitted", "工作报告已经报送旗人民政府，不能再修改", WORK_REPORT_STATE_BASIS
            )
        )
    for section, label in WORK_REPORT_SECTION_LABELS.items():
        text = (sections.get(section) or "").strip()
        if len(text) > SECTION_LIMIT:
            violations.append(
                Violation(
                    f"work_report.section.{section}",
                    f"“{label}”不得超过{SECTION_LIMIT}字",
                    FORM_BASIS,
                    str(section),
                )
            )
        elif submitting and not text:
            violations.append(
                Violation(
                    f"work_report.section.{section}",
                    f"请填写“{label}”（没有的写“无”）",
                    WORK_REPORT_BASIS,
                    str(section),
                )
            )
    return violations


__all__ = [
    "ACCEPTANCE_RESULT_LABELS",
    "CRITERIA",
    "CRITERIA_BY_CODE",
    "SUMMARY_SECTION_LABELS",
    "WORK_REPORT_SECTION_LABELS",
    "AcceptanceResult",
    "Criterion",
    "SummarySection",
    "WorkReportSection",
    "acceptance_actor_violations",
    "acceptance_max_scores",
    "acceptance_pass_score",
    "acceptance_result",
    "acceptance_scores_violations",
    "acceptance_total",
    "closing_first_year",
    "round_close_violations",
    "round_year_violations",
    "score_parse",
    "summary_action_violations",
    "summary_due_on",
    "summary_sections_violations",
    "summary_year_to_draft",
    "work_report_violations",
]

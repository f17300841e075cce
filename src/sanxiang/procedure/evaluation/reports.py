"""Monthly progress reports (月报, issue 15 item 4): each agency reports its progress in the three
systems to the county's judicial bureau every month, by the due day of
`evaluation.report_due_day` (the seed plan, 乌政办发〔2022〕115号 三（二）1: "各行政执法机关要每月25日前
向旗司法局报送工作推进情况"; a county's plan, so a parameter marked unverified).

- On `evaluation.report_draft_day` (the 1st; a platform rule) the platform drafts each agency's
  report for the previous month from its records; the agency writes its four sections.
- The agency head submits (报送); the bureau's supervisors receive it (接收), comment on it, or return
  it (退回) for changes; the head then submits again (重新报送).
- A report not submitted by the due day is overdue from the next day; one first submitted after the
  due day was submitted late. A return does not make a report overdue: it was submitted on time.
- Submission freezes the figures (those of the submission are kept beside the live ones).
Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

DUE_DAY = "evaluation.report_due_day"
DRAFT_DAY = "evaluation.report_draft_day"

# Who does what: platform rules (the plan says the agencies report to the 司法局; it does not say
# who in them). The plan makes the agency's principal head the first responsible person (四（一)).
SUBMITTER_BASIS = f"{PLATFORM_PREFIX}：月报由本机关的机关负责人报送（实施方案四（一）：主要负责同志为第一责任人）"
RECEIVER_BASIS = f"{PLATFORM_PREFIX}：月报由本县司法局的监督人员接收、批注或者退回"
STATE_BASIS = f"{PLATFORM_PREFIX}：月报按“草稿—已报送—已退回—重新报送—已接收”办理，已接收的月报不再修改"
RETURN_REASON_BASIS = f"{PLATFORM_PREFIX}：退回月报应当写明需要修改的内容"
COMMENT_BASIS = f"{PLATFORM_PREFIX}：批注应当有内容"
SECTION_LIMIT = 5000


class ReportState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    RECEIVED = "received"


REPORT_STATE_LABELS: dict[ReportState, str] = {
    ReportState.DRAFT: "草稿",
    ReportState.SUBMITTED: "已报送",
    ReportState.RETURNED: "已退回",
    ReportState.RESUBMITTED: "已重新报送",
    ReportState.RECEIVED: "已接收",
}


class ReportAction(StrEnum):
    EDIT = "edit"  # the agency writes its sections (a draft, or a returned report)
    SUBMIT = "submit"  # 报送 / 重新报送
    RETURN = "return"  # 退回
    COMMENT = "comment"  # 批注
    RECEIVE = "receive"  # 接收


REPORT_ACTION_LABELS: dict[ReportAction, str] = {
    ReportAction.EDIT: "保存",
    ReportAction.SUBMIT: "报送",
    ReportAction.RETURN: "退回修改",
    ReportAction.COMMENT: "批注",
    ReportAction.RECEIVE: "接收",
}


class ReportActor(StrEnum):
    AGENCY_HEAD = "agency_head"  # the agency's head (机关负责人) of the report's agency
    AGENCY_STAFF = "agency_staff"  # another user of the report's agency: reads only
    SUPERVISOR = "supervisor"  # a supervisor of the county's judicial bureau
    OTHER = "other"


# What each actor may do in each state. The agency edits while the report is with it.
_ALLOWED: dict[ReportActor, dict[ReportAction, frozenset[ReportState]]] = {
    ReportActor.AGENCY_HEAD: {
        ReportAction.EDIT: frozenset({ReportState.DRAFT, ReportState.RETURNED}),
        ReportAction.SUBMIT: frozenset({ReportState.DRAFT, ReportState.RETURNED}),
    },
    ReportActor.SUPERVISOR: {
        ReportAction.RETURN: frozenset({ReportState.SUBMITTED, ReportState.RESUBMITTED}),
        ReportAction.RECEIVE: frozenset({ReportState.SUBMITTED, ReportState.RESUBMITTED}),
        ReportAction.COMMENT: frozenset(
            {ReportState.SUBMITTED, ReportState.RESUBMITTED, ReportState.RETURNED, ReportState.RECEIVED}
        ),
    },
}


def report_state_after(*, state: ReportState, action: ReportAction) -> ReportState:
    """The state an allowed action leads to (editing and commenting change none)."""
    if action == ReportAction.SUBMIT:
        return ReportState.SUBMITTED if state == ReportState.DRAFT else ReportState.RESUBMITTED
    if action == ReportAction.RETURN:
        return ReportState.RETURNED
    if action == ReportAction.RECEIVE:
        return ReportState.RECEIVED
    return state


def report_action_violations(*, state: ReportState, action: ReportAction, actor: ReportActor) -> list[Violation]:
    """Every reason why `actor` may not take `action` on a report in `state` (none when allowed)."""
    violations: list[Violation] = []
    if action in (ReportAction.EDIT, ReportAction.SUBMIT):
        if actor != ReportActor.AGENCY_HEAD:
            violations.append(Violation("report.submitter", "只有本机关的机关负责人可以修改和报送月报", SUBMITTER_BASIS))
    elif actor != ReportActor.SUPERVISOR:
        violations.append(Violation("report.receiver", "只有本县司法局的监督人员可以接收、批注或者退回月报",
                                    RECEIVER_BASIS))
    allowed_states = next((rules[action] for rules in _ALLOWED.values() if action in rules), frozenset())
    if state not in allowed_states:
        label = REPORT_STATE_LABELS[state]
        violations.append(Violation("report.state", f"月报{label}，不能{REPORT_ACTION_LABELS[action]}", STATE_BASIS))
    return violations


def report_actions_allowed(*, state: ReportState, actor: ReportActor) -> list[ReportAction]:
    return [action for action, states in _ALLOWED.get(actor, {}).items() if state in states]


class ReportSection(StrEnum):
    PROBLEMS = "problems"
    RESULTS = "results"
    NEXT_PLAN = "next_plan"
    COORDINATION = "coordination"


# The four parts the agency writes (the plan: 存在的问题和取得的成效 三（二）3, 重大复杂问题提请旗执法协调小组
# 三（二）1; next month's plan as a platform rule).
REPORT_SECTION_LABELS: dict[ReportSection, str] = {
    ReportSection.PROBLEMS: "存在问题",
    ReportSection.RESULTS: "工作成效",
    ReportSection.NEXT_PLAN: "下月计划",
    ReportSection.COORDINATION: "需提请协调的重大复杂问题",
}
# Sections that must say something before a report is submitted ("无" is an answer).
REQUIRED_SECTIONS = (ReportSection.PROBLEMS, ReportSection.RESULTS, ReportSection.NEXT_PLAN)
SECTIONS_BASIS = (
    "《乌审旗推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度实施方案》三（二）1、3"
    "（存在的问题和取得的成效要及时报送；重大复杂问题通过司法局提请执法协调小组研究解决）"
)


def report_sections_violations(*, sections: dict[str, str], submitting: bool) -> list[Violation]:
    """The sections as written: each within the length limit; those required filled in to submit."""
    violations: list[Violation] = []
    for section, label in REPORT_SECTION_LABELS.items():
        text = (sections.get(section) or "").strip()
        if len(text) > SECTION_LIMIT:
            violations.append(Violation(f"report.section.{section}", f"“{label}”不得超过{SECTION_LIMIT}字",
                                        FORM_BASIS, str(section)))
        elif submitting and section in REQUIRED_SECTIONS and not text:
            violations.append(Violation(f"report.section.{section}", f"请填写“{label}”（没有的写“无”）",
                                        SECTIONS_BASIS, str(section)))
    return violations


def return_violations(*, reason: str) -> list[Violation]:
    if not reason.strip():
        return [Violation("report.return_reason", "请写明退回的理由和需要修改的内容", RETURN_REASON_BASIS, "text")]
    return []


def comment_violations(*, text: str) -> list[Violation]:
    if not text.strip():
        return [Violation("report.comment", "请填写批注内容", COMMENT_BASIS, "text")]
    return []


# --- The calendar of a report --------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class ReportMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month}")

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> ReportMonth:
        return ReportMonth(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> ReportMonth:
        return ReportMonth(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @classmethod
    def of(cls, day: dt.date) -> ReportMonth:
        return cls(day.year, day.month)


def report_month_drafted_on(*, on: dt.date, parameters: ParameterSet | None = None) -> ReportMonth | None:
    """The month whose reports are drafted on `on` (the previous month, on the draft day); None on
    any other day."""
    parameters = parameters or parameters_default()
    if on.day != int(parameters.value(DRAFT_DAY, on=on)):
        return None
    return ReportMonth.of(on).previous()


def report_due_on(*, month: ReportMonth, parameters: ParameterSet | None = None) -> dt.date:
    """The last day to submit the report on `month`: the due day of the following month (clamped to
    that month's length)."""
    parameters = parameters or parameters_default()
    following = month.next()
    day = int(parameters.value(DUE_DAY, on=following.first_day))
    return dt.date(following.year, following.month, min(day, following.last_day.day))


def report_due_basis(parameters: ParameterSet | None = None) -> str:
    return (parameters or parameters_default())[DUE_DAY].reference


def report_overdue(*, due_on: dt.date, first_submitted_on: dt.date | None, today: dt.date) -> bool:
    """Not submitted by the due day: overdue from the next day, until it is submitted."""
    return first_submitted_on is None and today > due_on


def report_submitted_late(*, due_on: dt.date, first_submitted_on: dt.date | None) -> bool:
    return first_submitted_on is not None and first_submitted_on > due_on


def report_days_left(*, due_on: dt.date, today: dt.date) -> int:
    return (due_on - today).days


__all__ = [
    "DRAFT_DAY",
    "DUE_DAY",
    "REPORT_ACTION_LABELS",
    "REPORT_SECTION_LABELS",
    "REPORT_STATE_LABELS",
    "REQUIRED_SECTIONS",
    "ReportAction",
    "ReportActor",
    "ReportMonth",
    "ReportSection",
    "ReportState",
    "comment_violations",
    "report_action_violations",
    "report_actions_allowed",
    "report_days_left",
    "report_due_basis",
    "report_due_on",
    "report_month_drafted_on",
    "report_overdue",
    "report_sections_violations",
    "report_submitted_late",
    "return_violations",
]

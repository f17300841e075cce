"""Supervision instruments and what follows them (《行政执法监督条例》第二十六条至第三十三条).

The supervision body issues a 督办函 (第二十七条, a duty not performed), an 意见书 (第二十八条, an act
unlawful or clearly improper) or a 建议书 (统计分析, 《四川省行政执法监督条例》第三十九条), or proposes a
行政执法监督决定书 to the government (第二十九条), which the platform records as issued when the
government issues it. The agency reports its correction (整改报告) within the period, or objects
(异议, 第三十条); the supervisors answer the objection (复查) within its own period, and accept a
report, return it with reasons, or escalate to a 决定书 proposal.

Pure: the states, who may do what in each, the periods (parameters, by calendar or working days as
`supervision.periods_count_working_days` says) and when a reply is overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.supervision.basis import REGULATION, SICHUAN, regulation_article
from sanxiang.procedure.violations import Violation

PLATFORM_RULE = "系统规则：监督文书流转"


class InstrumentKind(StrEnum):
    SUPERVISE_LETTER = "supervise_letter"
    OPINION = "opinion"
    RECOMMENDATION = "recommendation"
    DECISION_PROPOSAL = "decision_proposal"


INSTRUMENT_KIND_LABELS: dict[InstrumentKind, str] = {
    InstrumentKind.SUPERVISE_LETTER: "行政执法监督督办函",
    InstrumentKind.OPINION: "行政执法监督意见书",
    InstrumentKind.RECOMMENDATION: "行政执法监督建议书",
    InstrumentKind.DECISION_PROPOSAL: "行政执法监督决定书（提请）",
}

INSTRUMENT_BASIS: dict[InstrumentKind, str] = {
    InstrumentKind.SUPERVISE_LETTER: regulation_article(27),
    InstrumentKind.OPINION: regulation_article(28),
    InstrumentKind.RECOMMENDATION: f"{regulation_article(26)}；{SICHUAN}第三十九条",
    InstrumentKind.DECISION_PROPOSAL: regulation_article(29),
}

# What each kind adds to the bureau's abbreviation in its number: 乌司监督〔2026〕3号.
INSTRUMENT_NUMBER_WORDS: dict[InstrumentKind, str] = {
    InstrumentKind.SUPERVISE_LETTER: "监督",
    InstrumentKind.OPINION: "监意",
    InstrumentKind.RECOMMENDATION: "监建",
    InstrumentKind.DECISION_PROPOSAL: "监决",
}

# The period of the agency's reply to each kind (a parameter each).
REPLY_PERIOD: dict[InstrumentKind, str] = {
    InstrumentKind.SUPERVISE_LETTER: "supervision.correction_days",
    InstrumentKind.OPINION: "supervision.correction_days",
    InstrumentKind.RECOMMENDATION: "supervision.correction_days",
    InstrumentKind.DECISION_PROPOSAL: "supervision.decision_report_days",
}

# The required actions printed on each kind unless the supervisors write their own.
DEFAULT_ACTIONS: dict[InstrumentKind, str] = {
    InstrumentKind.SUPERVISE_LETTER: "依法履行上述职责，并在期限内书面报告履行情况。",
    InstrumentKind.OPINION: "自行纠正上述行政执法行为，并在期限内书面报告整改情况。",
    InstrumentKind.RECOMMENDATION: "研究改进上述问题，并在期限内书面反馈采纳情况。",
    InstrumentKind.DECISION_PROPOSAL: "执行行政执法监督决定，并在期限内书面报告执行情况。",
}


class InstrumentState(StrEnum):
    PROPOSED = "proposed"  # a 决定书 proposed, not yet issued by the government
    ISSUED = "issued"  # served: the agency's reply is due
    OBJECTED = "objected"  # 异议: the supervisors' 复查 is due
    REPLIED = "replied"  # 整改报告 received: the supervisors read it
    RETURNED = "returned"  # report returned with reasons: the agency replies again
    ACCEPTED = "accepted"  # closed: the correction is accepted
    ESCALATED = "escalated"  # closed: a 决定书 was proposed to the government
    WITHDRAWN = "withdrawn"  # closed: withdrawn on 复查


INSTRUMENT_STATE_LABELS: dict[InstrumentState, str] = {
    InstrumentState.PROPOSED: "已提请政府作出决定",
    InstrumentState.ISSUED: "待被监督机关答复",
    InstrumentState.OBJECTED: "异议待复查",
    InstrumentState.REPLIED: "整改报告待审阅",
    InstrumentState.RETURNED: "已退回，待重新报告",
    InstrumentState.ACCEPTED: "已办结（整改已认可）",
    InstrumentState.ESCALATED: "已提请作出监督决定书",
    InstrumentState.WITHDRAWN: "复查后撤回",
}

CLOSED_STATES = frozenset({InstrumentState.ACCEPTED, InstrumentState.ESCALATED, InstrumentState.WITHDRAWN})
# Whose move it is: the agency's (a reply due) or the supervisors' (a report to read, an objection).
AGENCY_TURN = frozenset({InstrumentState.ISSUED, InstrumentState.RETURNED})
SUPERVISOR_TURN = frozenset({InstrumentState.REPLIED, InstrumentState.OBJECTED})


class InstrumentAction(StrEnum):
    REPORT = "report"  # agency: 整改报告
    OBJECT = "object"  # agency: 异议
    ACCEPT = "accept"  # supervisors: 认可整改
    RETURN = "return"  # supervisors: 退回
    ESCALATE = "escalate"  # supervisors: 提请决定书
    UPHOLD = "uphold"  # supervisors, 复查: 维持
    WITHDRAW = "withdraw"  # supervisors, 复查: 撤回
    DECISION_RECORD = "decision_record"  # the government's decision is recorded


ACTION_LABELS: dict[InstrumentAction, str] = {
    InstrumentAction.REPORT: "报送整改报告",
    InstrumentAction.OBJECT: "提出异议",
    InstrumentAction.ACCEPT: "认可整改",
    InstrumentAction.RETURN: "退回重新报告",
    InstrumentAction.ESCALATE: "提请作出监督决定书",
    InstrumentAction.UPHOLD: "复查维持",
    InstrumentAction.WITHDRAW: "复查撤回",
    InstrumentAction.DECISION_RECORD: "登记政府作出的决定书",
}

AGENCY_ACTIONS = frozenset({InstrumentAction.REPORT, InstrumentAction.OBJECT})
SUPERVISOR_ACTIONS = frozenset(set(InstrumentAction) - AGENCY_ACTIONS)

# (state, action) → next state, with the basis of the move.
TRANSITIONS: dict[tuple[InstrumentState, InstrumentAction], tuple[InstrumentState, str]] = {
    (InstrumentState.ISSUED, InstrumentAction.REPORT): (InstrumentState.REPLIED, f"{regulation_article(27)}、第二十八条"),
    (InstrumentState.RETURNED, InstrumentAction.REPORT): (InstrumentState.REPLIED, f"{regulation_article(27)}、第二十八条"),
    (InstrumentState.ISSUED, InstrumentAction.OBJECT): (InstrumentState.OBJECTED, regulation_article(30)),
    (InstrumentState.REPLIED, InstrumentAction.ACCEPT): (InstrumentState.ACCEPTED, f"{regulation_article(27)}、第二十八条"),
    (InstrumentState.REPLIED, InstrumentAction.RETURN): (InstrumentState.RETURNED, f"{regulation_article(27)}、第二十八条"),
    (InstrumentState.REPLIED, InstrumentAction.ESCALATE): (InstrumentState.ESCALATED, regulation_article(29)),
    (InstrumentState.ISSUED, InstrumentAction.ESCALATE): (InstrumentState.ESCALATED, regulation_article(29)),
    (InstrumentState.RETURNED, InstrumentAction.ESCALATE): (InstrumentState.ESCALATED, regulation_article(29)),
    (InstrumentState.OBJECTED, InstrumentAction.UPHOLD): (InstrumentState.ISSUED, regulation_article(30)),
    (InstrumentState.OBJECTED, InstrumentAction.WITHDRAW): (InstrumentState.WITHDRAWN, regulation_article(30)),
    (InstrumentState.PROPOSED, InstrumentAction.DECISION_RECORD): (InstrumentState.ISSUED, regulation_article(29)),
}

# Only a 督办函 or an 意见书 that is not followed leads to a 决定书 (第二十九条).
ESCALATABLE = frozenset({InstrumentKind.SUPERVISE_LETTER, InstrumentKind.OPINION})


def transition_next(state: str, action: str) -> InstrumentState | None:
    move = TRANSITIONS.get((InstrumentState(state), InstrumentAction(action)))
    return move[0] if move else None


@dataclass(frozen=True)
class InstrumentSnapshot:
    """An instrument as the rule sees it."""

    kind: InstrumentKind
    state: InstrumentState
    served_on: dt.date | None  # the day it reached the agency (the 决定书: the government's issue)
    due_on: dt.date | None  # the reply (or 复查) due in the current state


def action_violations(
    *,
    instrument: InstrumentSnapshot,
    action: str,
    on: dt.date,
    text: str = "",
    objection_deadline: dt.date | None = None,
) -> list[Violation]:
    """Every reason why `action` may not be taken on the instrument on `on` (none when it may).

    `text`: the report, the objection's reasons, the return's reasons or the 复查's answer, each
    required. `objection_deadline`: the last day to object (`objection_deadline_on`)."""
    violations: list[Violation] = []
    try:
        move = InstrumentAction(action)
    except ValueError:
        return [Violation("instrument.action_unknown", "未知的操作", PLATFORM_RULE, "action")]
    state = instrument.state
    if (state, move) not in TRANSITIONS:
        violations.append(
            Violation(
                "instrument.state",
                f"{INSTRUMENT_KIND_LABELS[instrument.kind]}当前状态为“{INSTRUMENT_STATE_LABELS[state]}”，不能{ACTION_LABELS[move]}",
                PLATFORM_RULE,
                "action",
            )
        )
    if move == InstrumentAction.ESCALATE and instrument.kind not in ESCALATABLE:
        violations.append(
            Violation(
                "instrument.not_escalatable",
                "只有督办函、意见书未被执行时，才能提请本级人民政府作出行政执法监督决定书",
                regulation_article(29),
                "action",
            )
        )
    if move == InstrumentAction.OBJECT:
        if instrument.kind == InstrumentKind.DECISION_PROPOSAL:
            violations.append(
                Violation("instrument.objection_decision", "行政执法监督决定书由人民政府作出，应当执行并报告执行情况",
                          regulation_article(29), "action")
            )
        if objection_deadline is not None and on > objection_deadline:
            violations.append(
                Violation(
                    "instrument.objection_late",
                    f"提出异议的期限已于{objection_deadline.isoformat()}届满",
                    parameters_default()["supervision.review_request_days"].reference,
                    "text",
                )
            )
    if move not in (InstrumentAction.ACCEPT, InstrumentAction.ESCALATE, InstrumentAction.DECISION_RECORD) and not text.strip():
        what = {
            InstrumentAction.REPORT: ("instrument.report_empty", "请填写整改（履行）情况"),
            InstrumentAction.OBJECT: ("instrument.objection_reasons", "提出异议应当写明理由"),
            InstrumentAction.RETURN: ("instrument.return_reasons", "退回整改报告应当写明理由"),
            InstrumentAction.UPHOLD: ("instrument.review_answer", "请填写复查意见"),
            InstrumentAction.WITHDRAW: ("instrument.review_answer", "请填写复查意见"),
        }[move]
        basis = regulation_article(30) if move in (InstrumentAction.OBJECT, InstrumentAction.UPHOLD,
                                                    InstrumentAction.WITHDRAW) else PLATFORM_RULE
        violations.append(Violation(what[0], what[1], basis, "text"))
    return violations


# --- periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reply's due date and how it was counted."""

    due_on: dt.date
    days: int
    working_days: bool
    basis: str
    estimated: bool = False

    @property
    def label(self) -> str:
        return f"{self.days}个工作日" if self.working_days else f"{self.days}日"


def period_end(
    *, name: str, start: dt.date, calendar: WorkingDayCalendar, parameters: ParameterSet | None = None
) -> Period:
    """The last day of the period `name` (a parameter in days) counted from `start` (not counted):
    by working days when `supervision.periods_count_working_days` is true on `start`, else by
    calendar days with a last day that falls on a rest day moved to the next working day
    (《中华人民共和国民法典》第二百零三条)."""
    parameters = parameters or parameters_default()
    days = int(parameters.value(name, on=start))
    working = bool(parameters.value("supervision.periods_count_working_days", on=start))
    if working:
        result = calendar.working_days_after(start, days, basis=parameters[name].reference)
    else:
        result = calendar.calendar_days_after(start, days)
    return Period(due_on=result.date, days=days, working_days=working, basis=parameters[name].reference,
                  estimated=result.estimated)


def reply_period(
    *, kind: InstrumentKind, start: dt.date, calendar: WorkingDayCalendar, parameters: ParameterSet | None = None
) -> Period:
    """When the agency's reply to an instrument served (or returned, or upheld on 复查) on `start` is due."""
    return period_end(name=REPLY_PERIOD[kind], start=start, calendar=calendar, parameters=parameters)


def objection_period(*, start: dt.date, calendar: WorkingDayCalendar, parameters: ParameterSet | None = None) -> Period:
    """The last day to object (申请复查) to an instrument served on `start`."""
    return period_end(name="supervision.review_request_days", start=start, calendar=calendar, parameters=parameters)


def review_period(*, start: dt.date, calendar: WorkingDayCalendar, parameters: ParameterSet | None = None) -> Period:
    """When the supervisors' answer (复查) to an objection received on `start` is due."""
    return period_end(name="supervision.review_answer_days", start=start, calendar=calendar, parameters=parameters)


def is_overdue(*, due_on: dt.date | None, state: str, on: dt.date) -> bool:
    """Overdue from the day after the due date (the due date itself is still in time), while the
    instrument waits for the move that was due."""
    return due_on is not None and state in (AGENCY_TURN | {InstrumentState.OBJECTED}) and on > due_on


# --- person-level proposals (第三十二条) ------------------------------------------------------------


class PersonalMeasure(StrEnum):
    CRITICISM = "criticism"
    OFF_POST_TRAINING = "off_post_training"
    REMOVAL = "removal"
    DISQUALIFICATION = "disqualification"


PERSONAL_MEASURE_LABELS: dict[PersonalMeasure, str] = {
    PersonalMeasure.CRITICISM: "批评教育",
    PersonalMeasure.OFF_POST_TRAINING: "离岗教育",
    PersonalMeasure.REMOVAL: "调离执法岗位",
    PersonalMeasure.DISQUALIFICATION: "取消执法资格",
}
PERSONAL_MEASURE_BASIS = regulation_article(32)

# What the competent body's decision does to the officer's enforcement certificate: 取消执法资格
# revokes it; 离岗教育 and 调离执法岗位 take the officer off enforcement, so the certificate is
# suspended (the registry has no "until" date: it is restored by the agency's administrator);
# 批评教育 leaves it as it is.
CERTIFICATE_EFFECT: dict[PersonalMeasure, str | None] = {
    PersonalMeasure.CRITICISM: None,
    PersonalMeasure.OFF_POST_TRAINING: "suspended",
    PersonalMeasure.REMOVAL: "suspended",
    PersonalMeasure.DISQUALIFICATION: "revoked",
}

REFERRAL_BASIS = regulation_article(33)


# --- 通报 (第三十一条) --------------------------------------------------------------------------------

NOTICE_BASIS = regulation_article(31)
NOTICE_SCOPE_LABELS = {"internal": "在一定范围内通报", "public": "向社会公开通报"}


def notice_approval_violations(*, drafted_by_id: int, approver_id: int, approver_may_approve: bool) -> list[Violation]:
    """A 通报 is approved by a second supervisor (or the bureau's head), not by its drafter."""
    violations = []
    if drafted_by_id == approver_id:
        violations.append(Violation("notice.same_person", "通报须由起草人以外的监督人员或者负责人审核批准",
                                    f"{PLATFORM_RULE}（{REGULATION}第三十一条的内部审核）", "approver"))
    if not approver_may_approve:
        violations.append(Violation("notice.approver", "只有本局监督人员可以批准通报", PLATFORM_RULE, "approver"))
    return violations

"""A supervision matter's life (issue 14, part A): its states and what may be done in each, triage
(accept, merge, transfer, close), the disputes already in 行政复议 or 行政诉讼 that are not supervised
again (第三十三条), the measures of 第二十二条, the 挂牌督办 / 提级监督 marks of 第二十条, and the
periods that run from receipt.

Pure: the Django side hands in what it knows (state, source, dispute, dates) and gets back every
reason at once, each with its basis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.calendar import DeadlineResult, WorkingDayCalendar
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.supervision.basis import regulation_article
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation


class MatterState(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    MERGED = "merged"
    TRANSFERRED = "transferred"
    CLOSED = "closed"
    CONCLUDED = "concluded"


MATTER_STATE_LABELS: dict[MatterState, str] = {
    MatterState.RECEIVED: "待受理",
    MatterState.ACCEPTED: "办理中",
    MatterState.MERGED: "已并案",
    MatterState.TRANSFERRED: "已移送",
    MatterState.CLOSED: "不予监督（已结束）",
    MatterState.CONCLUDED: "已办结",
}

FINAL_STATES = frozenset({MatterState.MERGED, MatterState.TRANSFERRED, MatterState.CLOSED, MatterState.CONCLUDED})


class MatterAction(StrEnum):
    ACCEPT = "accept"
    MERGE = "merge"
    TRANSFER = "transfer"
    CLOSE = "close"
    CONCLUDE = "conclude"
    MEASURE = "measure"
    MARK = "mark"


MATTER_ACTION_LABELS: dict[MatterAction, str] = {
    MatterAction.ACCEPT: "受理",
    MatterAction.MERGE: "并案",
    MatterAction.TRANSFER: "移送",
    MatterAction.CLOSE: "不予监督并结束",
    MatterAction.CONCLUDE: "办结",
    MatterAction.MEASURE: "记录监督措施",
    MatterAction.MARK: "挂牌督办、提级监督",
}

# What each action leads to, from the states where it is allowed. Measures and marks keep the state.
TRANSITIONS: dict[MatterState, dict[MatterAction, MatterState]] = {
    MatterState.RECEIVED: {
        MatterAction.ACCEPT: MatterState.ACCEPTED,
        MatterAction.MERGE: MatterState.MERGED,
        MatterAction.TRANSFER: MatterState.TRANSFERRED,
        MatterAction.CLOSE: MatterState.CLOSED,
    },
    MatterState.ACCEPTED: {
        MatterAction.CONCLUDE: MatterState.CONCLUDED,
        MatterAction.MEASURE: MatterState.ACCEPTED,
        MatterAction.MARK: MatterState.ACCEPTED,
    },
}

# Triage and the platform's order of work: the regulation does not name the steps of a matter.
TRIAGE_BASIS = f"{PLATFORM_PREFIX}：监督事项先登记、再受理或者并案、移送、不予监督，受理后采取监督措施直至办结"
TRANSFER_BASIS = "《四川省行政执法监督条例》第三十一条"
NOT_AGAIN_BASIS = regulation_article(33)
MEASURES_BASIS = regulation_article(22)
MARKS_BASIS = regulation_article(20)
SPECIAL_TASK_BASIS = regulation_article(21)


class Dispute(StrEnum):
    """Whether the conduct complained of is already before another remedy (第三十三条)."""

    NONE = ""
    RECONSIDERATION = "reconsideration"
    LITIGATION = "litigation"


DISPUTE_LABELS: dict[Dispute, str] = {
    Dispute.NONE: "未进入行政复议或者行政诉讼",
    Dispute.RECONSIDERATION: "已申请行政复议",
    Dispute.LITIGATION: "已提起行政诉讼",
}


def dispute_redirect_message(dispute: Dispute) -> str:
    """What the complainant is told when the matter is not supervised again: where to go."""
    if dispute == Dispute.RECONSIDERATION:
        return ("该争议已进入行政复议程序，行政执法监督机构不再重复监督；"
                "请向受理您申请的行政复议机关了解办理情况，并依照行政复议程序主张权利。")
    if dispute == Dispute.LITIGATION:
        return ("该争议已进入行政诉讼程序，行政执法监督机构不再重复监督；"
                "请向受理案件的人民法院了解审理情况，并依照诉讼程序主张权利。")
    return ""


class CloseReason(StrEnum):
    IN_RECONSIDERATION = "in_reconsideration"
    IN_LITIGATION = "in_litigation"
    OUT_OF_SCOPE = "out_of_scope"
    NO_FACTS = "no_facts"
    WITHDRAWN = "withdrawn"
    OTHER = "other"


CLOSE_REASON_LABELS: dict[CloseReason, str] = {
    CloseReason.IN_RECONSIDERATION: "已进入行政复议程序，不再重复监督",
    CloseReason.IN_LITIGATION: "已进入行政诉讼程序，不再重复监督",
    CloseReason.OUT_OF_SCOPE: "不属于行政执法监督范围",
    CloseReason.NO_FACTS: "无具体事实、无法核实",
    CloseReason.WITHDRAWN: "反映人撤回",
    CloseReason.OTHER: "其他原因",
}

CLOSE_REASON_FOR_DISPUTE = {Dispute.RECONSIDERATION: CloseReason.IN_RECONSIDERATION,
                            Dispute.LITIGATION: CloseReason.IN_LITIGATION}

# Sources a county only receives from above (上级交办; 专项监督 is provincial, 第二十一条): each carries
# the assigning body and its reference number.
RECEIVED_FROM_ABOVE = frozenset({MatterSource.ASSIGNED, MatterSource.SPECIAL_TASK})


def matter_periods_from(parameters: ParameterSet | None = None) -> dt.date:
    """The first day a matter's periods can be computed on: when every period `matter_open` uses is in force."""
    parameters = parameters or parameters_default()
    return max(min(p.start for p in parameters[name].periods)
               for name in ("supervision.transfer_days", "supervision.periods_count_working_days"))


def matter_open_violations(*, source: MatterSource, subject: str, received_on: dt.date | None,
                           assigning_body: str, assigning_reference: str, today: dt.date,
                           parameters: ParameterSet | None = None) -> list[Violation]:
    """Every reason why a matter cannot be registered as given (a day of receipt before the periods
    of supervision are in force has no transfer period to compute: refused, never a crash)."""
    violations: list[Violation] = []
    if not subject.strip():
        violations.append(Violation("matter.subject", "请填写事由", "数据校验", "subject"))
    if received_on is None:
        violations.append(Violation("matter.received_on", "请填写收到日期", "数据校验", "received_on"))
    elif received_on > today:
        violations.append(Violation("matter.received_on", "收到日期不能晚于今天", "数据校验", "received_on"))
    elif received_on < (earliest := matter_periods_from(parameters)):
        violations.append(Violation(
            "matter.received_on_early", f"收到日期不能早于{earliest.isoformat()}（行政执法监督的期限自该日起适用）",
            f"{PLATFORM_PREFIX}：监督事项的期限按收到之日施行的规定计算", "received_on"))
    if source in RECEIVED_FROM_ABOVE:
        basis = SPECIAL_TASK_BASIS if source == MatterSource.SPECIAL_TASK else TRIAGE_BASIS
        what = "专项监督任务由省级以上行政执法监督机构部署，县级只接收执行，" if source == MatterSource.SPECIAL_TASK else ""
        if not assigning_body.strip():
            violations.append(Violation("matter.assigning_body", f"{what}请填写交办（部署）机关", basis, "assigning_body"))
        if not assigning_reference.strip():
            violations.append(Violation("matter.assigning_reference", "请填写交办文件的文号", basis, "assigning_reference"))
    return violations


def matter_action_violations(*, state: MatterState, action: MatterAction, dispute: Dispute = Dispute.NONE,
                             close_reason: CloseReason | None = None) -> list[Violation]:
    """Every reason why `action` may not be taken on a matter in `state` (the supervisors are checked
    apart, by `rules.supervisors_violations`). Accepting a matter whose dispute is already in 行政复议
    or 行政诉讼 is refused (第三十三条); it is closed instead, and the complainant told where to go."""
    violations: list[Violation] = []
    allowed = TRANSITIONS.get(state, {})
    if action not in allowed:
        if state in FINAL_STATES:
            message = f"监督事项已{MATTER_STATE_LABELS[state].removeprefix('已')}，不能再{MATTER_ACTION_LABELS[action]}"
        elif state == MatterState.RECEIVED:
            message = f"监督事项尚未受理，不能{MATTER_ACTION_LABELS[action]}"
        else:
            message = f"监督事项已受理，不能再{MATTER_ACTION_LABELS[action]}"
        violations.append(Violation("matter.state", message, TRIAGE_BASIS))
    if action == MatterAction.ACCEPT and dispute != Dispute.NONE:
        violations.append(Violation("matter.dispute_pending", dispute_redirect_message(dispute), NOT_AGAIN_BASIS,
                                    "dispute"))
    if action == MatterAction.CLOSE and dispute != Dispute.NONE and close_reason is not None \
            and close_reason != CLOSE_REASON_FOR_DISPUTE[dispute]:
        violations.append(Violation(
            "matter.close_reason", f"该争议{DISPUTE_LABELS[dispute]}，应当以“{CLOSE_REASON_LABELS[CLOSE_REASON_FOR_DISPUTE[dispute]]}”结束",
            NOT_AGAIN_BASIS, "reason"))
    return violations


def matter_state_after(*, state: MatterState, action: MatterAction) -> MatterState:
    """The state an allowed action leads to (call after `matter_action_violations` found none)."""
    return TRANSITIONS[state][action]


def transfer_due(*, received_on: dt.date, calendar: WorkingDayCalendar,
                 parameters: ParameterSet | None = None) -> DeadlineResult:
    """The last day to transfer a matter outside the bureau's jurisdiction to the competent body:
    `supervision.transfer_days` from receipt, in working or calendar days as
    `supervision.periods_count_working_days` says."""
    parameters = parameters or parameters_default()
    days = int(parameters.value("supervision.transfer_days", on=received_on))
    if parameters.value("supervision.periods_count_working_days", on=received_on):
        return calendar.working_days_after(received_on, days, basis=parameters["supervision.transfer_days"].reference)
    return calendar.calendar_days_after(received_on, days)


# --- measures (第二十二条) ---------------------------------------------------------------------------


class MeasureKind(StrEnum):
    SELF_INSPECTION = "self_inspection"
    INSPECTION = "inspection"
    INTERVIEW = "interview"
    UNANNOUNCED_VISIT = "unannounced_visit"
    STATISTICS = "statistics"
    EVALUATION = "evaluation"
    FILE_CALL = "file_call"
    SUMMONS = "summons"


MEASURE_LABELS: dict[MeasureKind, str] = {
    MeasureKind.SELF_INSPECTION: "责令自查",
    MeasureKind.INSPECTION: "实地检查",
    MeasureKind.INTERVIEW: "调查询问",
    MeasureKind.UNANNOUNCED_VISIT: "暗访",
    MeasureKind.STATISTICS: "统计分析",
    MeasureKind.EVALUATION: "评估",
    MeasureKind.FILE_CALL: "调阅案卷",
    MeasureKind.SUMMONS: "约谈",
}

MEASURE_BASES: dict[MeasureKind, str] = {
    MeasureKind.SELF_INSPECTION: regulation_article(22, detail="第一项"),
    MeasureKind.INSPECTION: regulation_article(22, detail="第二项"),
    MeasureKind.INTERVIEW: regulation_article(22, detail="第二项"),
    MeasureKind.UNANNOUNCED_VISIT: regulation_article(22, detail="第二项"),
    MeasureKind.STATISTICS: regulation_article(22, detail="第三项"),
    MeasureKind.EVALUATION: regulation_article(22, detail="第三项"),
    MeasureKind.FILE_CALL: regulation_article(22, detail="第四项"),
    MeasureKind.SUMMONS: regulation_article(22, detail="第五项"),
}


# A supervisor reads a case's records only under a read grant of 调阅案卷, limited in time by the
# parameter `supervision.read_grant_days` (平台规则, the platform's access rule).
READ_GRANT_RULE = "平台规则：调阅案卷限时授权"


@dataclass(frozen=True)
class MeasureDraft:
    kind: MeasureKind
    taken_on: dt.date | None
    summary: str = ""
    reply_on: dt.date | None = None  # self-inspection: when the agency reports
    attendees: str = ""  # 约谈: who was summoned and who spoke
    record: str = ""  # 约谈: what was said
    case_ids: tuple[int, ...] = ()  # 调阅案卷: the named cases
    grant_until: dt.datetime | None = None  # 调阅案卷: when the read grant ends


def measure_violations(draft: MeasureDraft, *, today: dt.date, now: dt.datetime | None = None) -> list[Violation]:
    """Every reason why the measure cannot be recorded as given."""
    basis = MEASURE_BASES[draft.kind]
    violations: list[Violation] = []
    if draft.taken_on is None:
        violations.append(Violation("measure.taken_on", "请填写采取措施的日期", "数据校验", "taken_on"))
    elif draft.taken_on > today:
        violations.append(Violation("measure.taken_on", "采取措施的日期不能晚于今天", "数据校验", "taken_on"))
    if draft.kind == MeasureKind.SELF_INSPECTION:
        if draft.reply_on is None:
            violations.append(Violation("measure.reply_on", "责令自查应当写明报告自查情况的日期", basis, "reply_on"))
        elif draft.taken_on and draft.reply_on <= draft.taken_on:
            violations.append(Violation("measure.reply_on", "报告自查情况的日期应当晚于责令自查的日期", basis, "reply_on"))
    if draft.kind == MeasureKind.SUMMONS:
        if not draft.attendees.strip():
            violations.append(Violation("measure.attendees", "约谈应当记录被约谈人和参加人员", basis, "attendees"))
        if not draft.record.strip():
            violations.append(Violation("measure.record", "约谈应当记录谈话内容", basis, "record"))
    if draft.kind == MeasureKind.FILE_CALL:
        if not draft.case_ids:
            violations.append(Violation("measure.cases", "调阅案卷应当写明调阅哪些案件", basis, "cases"))
        if draft.grant_until is None:
            violations.append(Violation("measure.grant_until", "请填写调阅截止时间", basis, "grant_until"))
        elif now is not None and draft.grant_until <= now:
            violations.append(Violation("measure.grant_until", "调阅截止时间应当晚于现在", basis, "grant_until"))
    else:
        # Only 调阅案卷 opens cases to the supervisors: any other measure naming cases or a read
        # deadline would grant a read without its time limit.
        if draft.case_ids:
            violations.append(Violation("measure.cases_not_file_call", "只有调阅案卷可以指明调阅的案件", READ_GRANT_RULE,
                                        "cases"))
        if draft.grant_until is not None:
            violations.append(Violation("measure.grant_until_not_file_call", "只有调阅案卷可以填写调阅截止时间",
                                        READ_GRANT_RULE, "grant_until"))
        if draft.kind not in (MeasureKind.SUMMONS,) and not draft.summary.strip():
            violations.append(Violation("measure.summary", "请填写措施的内容和发现的情况", "数据校验", "summary"))
    return violations


# --- marks (第二十条) --------------------------------------------------------------------------------


class MatterMark(StrEnum):
    LISTED = "listed"
    ESCALATED = "escalated"


MARK_LABELS: dict[MatterMark, str] = {MatterMark.LISTED: "挂牌督办", MatterMark.ESCALATED: "提级监督"}

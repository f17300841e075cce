"""What every administrative decision of these acts shares, pure Python: its legal basis, the
legal review of a decision the agency's catalogue lists as major, the statement of remedies and
its publication within the period (generic so that 行政征收征用 and the other acts write them once).

The law:
- 国办发〔2018〕118号 (legal_rules.md §1.1): 执法决定 are published after the decision, within 20
  working days (行政许可 and 行政处罚: 7); a decision the agency's 重大执法决定法制审核目录 lists is
  reviewed before it is made; 《中华人民共和国政府信息公开条例》第二十六条: proactive disclosure
  within 20 working days [V-law]; 第十四条、第十五条: what would disclose state secrets, trade
  secrets or personal privacy is not published (or only after redaction) [V-law];
- the remedies (复议、诉讼) are stated in the decision, as the licensing refusal's are
  (《中华人民共和国行政复议法》、《中华人民共和国行政诉讼法》).
The period is the platform's one parameter of it (`publication.other_decision_working_days`,
parameters/publication.toml). Publication after the period is not refused (that would only hide
the decision longer): it is flagged and needs a written explanation of the delay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sanxiang.procedure.engine import GuardContext, LegalCalendar
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.basis import GUIDELINE_118, article
from sanxiang.procedure.penalty.deadlines import (
    Deadline,
    DeadlinePhase,
    DeadlineProblem,
    deadlines_on,
    problems_on,
)
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"
DISCLOSURE_REGULATION = "《中华人民共和国政府信息公开条例》"

REVIEW_BASIS = f"{GUIDELINE_118}（重大执法决定法制审核制度）"
PUBLICATION_BASIS = f"{GUIDELINE_118}（行政执法公示制度）；{article(DISCLOSURE_REGULATION, 26)}"
WITHHOLDING_BASIS = article(DISCLOSURE_REGULATION, 14, 15)
REMEDIES_BASIS = f"{article(RECONSIDERATION_LAW, 20)}；{article(LITIGATION_LAW, 46)}"
ORDER_BASIS = f"{PLATFORM_PREFIX}：各环节按先后顺序记录，日期不得晚于今天"
PUBLICATION_PERIOD = "publication.other_decision_working_days"

REVIEW_OPINIONS: dict[str, str] = {"agree": "同意", "disagree": "不同意", "resubmit": "补充材料后重新提交"}
# 政府信息公开条例 第十四条、第十五条: why a decision is not published.
WITHHOLDING_GROUNDS: dict[str, str] = {
    "state_secret": "依法确定为国家秘密",
    "law_forbids": "法律、行政法规禁止公开",
    "security": "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    # 第十五条: not published unless the third party agrees or withholding would seriously harm the public interest.
    "trade_secret": "涉及商业秘密，公开会对第三方合法权益造成损害（第三方未同意公开）",
    "privacy": "涉及个人隐私，公开会对第三方合法权益造成损害（第三方未同意公开）",
}


@dataclass(frozen=True)
class ReviewOpinion:
    """A 法制审核 opinion on the draft decision (118号)."""

    reviewer_id: int
    opinion: str  # REVIEW_OPINIONS
    given_on: dt.date
    reviewed: str = ""  # the draft decision reviewed (`draft_text`): a changed draft is reviewed again


@dataclass(frozen=True)
class Publicity:
    """The decision's publication: where and when, and why it came after the period, if it did."""

    published_on: dt.date
    place: str
    late_explanation: str = ""


@dataclass(frozen=True)
class Withholding:
    """The decision is not published, for one of the grounds of the 条例 and with the facts."""

    ground: str  # WITHHOLDING_GROUNDS
    facts: str
    decided_on: dt.date


@dataclass(frozen=True)
class PublicationDeadline:
    date: dt.date
    estimated: bool
    basis: str
    days: int


def lines_clean(values: Collection[Any]) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in values if str(v).strip())


def is_major(*, matter: str, catalogue: ReviewCatalogue | None, marked: bool) -> bool:
    """Major when the agency marked it so or its catalogue lists the case's matter."""
    return marked or (catalogue is not None and bool(matter) and matter in catalogue.matters)


def bases_problems(bases: Collection[str], *, code: str, what: str, basis: str) -> list[Violation]:
    if any(b.strip() for b in bases):
        return []
    return [Violation(f"{code}.basis.missing", f"{what}须写明所依据的法律、法规、规章的名称和条款", basis, "bases")]


def draft_text(*parts: object) -> str:
    """The draft decision as a review reads it: its parts, one a line."""
    return "\n".join(str(p) for p in parts)


def review_problems(opinions: Collection[ReviewOpinion], *, major: bool, handler_ids: Collection[int],
                    code: str, what: str, draft: str) -> list[Violation]:
    """A decision the catalogue lists as major is made only after a legal review that agrees with
    this very draft, by a reviewer who did not handle the case (118号)."""
    if not major:
        return []
    if not opinions:
        return [Violation(f"{code}.review.missing",
                          f"本{what}属于重大执法决定法制审核目录所列事项，未经法制审核不得作出决定：请送法制审核",
                          REVIEW_BASIS, "review")]
    # The opinion recorded last (two on one day: the later one), not the first of the latest day.
    latest = tuple(opinions)[-1]
    violations = []
    if latest.opinion != "agree":
        violations.append(Violation(
            f"{code}.review.not_passed",
            f"{latest.given_on.isoformat()}的法制审核意见为“{REVIEW_OPINIONS.get(latest.opinion, '存在问题')}”，"
            "审核未通过不得作出决定，须整改后重新送审",
            REVIEW_BASIS, "review",
        ))
    if latest.reviewer_id in set(handler_ids):
        violations.append(Violation(f"{code}.review.handler", "承办人员不得审核本人承办的案件，请由其他法制审核人员审核",
                                    REVIEW_BASIS, "review"))
    if latest.opinion == "agree" and latest.reviewed != draft:
        violations.append(Violation(f"{code}.review.outdated", "法制审核之后拟作出的决定已改变，须重新进行法制审核",
                                    REVIEW_BASIS, "review"))
    return violations


def remedies_problems(remedies: str, *, code: str, what: str) -> list[Violation]:
    if remedies.strip():
        return []
    return [Violation(f"{code}.remedies", f"{what}须告知当事人依法申请行政复议或者提起行政诉讼的权利、期限和机关",
                      REMEDIES_BASIS, "remedies")]


def date_order_problems(on: dt.date, *, after: dt.date | None, today: dt.date, code: str, what: str) -> list[Violation]:
    if on > today or (after is not None and on < after):
        return [Violation(f"{code}.order", f"{what}的日期须在前一环节之后、不晚于今天", ORDER_BASIS, "on")]
    return []


def publication_deadline(decided_on: dt.date, context: GuardContext, *, region: str = "",
                         sector: str = "") -> PublicationDeadline:
    """The last day to publish a decision made on `decided_on`: 20 working days (118号; 政府信息
    公开条例第二十六条), the parameter in force on the day of the decision."""
    parameter = context.parameters[PUBLICATION_PERIOD]
    period = parameter.period_on(decided_on, region=region, sector=sector)
    days = int(period.value)
    end = context.calendar.working_days_after(decided_on, days)
    return PublicationDeadline(end.date, end.estimated, period.reference, days)


def publicity_problems(publicity: Publicity | None, *, decided_on: dt.date | None, context: GuardContext,
                       region: str, code: str) -> list[Violation]:
    """Published after the decision, where, and no later than the period unless the delay is explained."""
    if publicity is None:
        return [Violation(f"{code}.publication.missing", "请填写公开的日期和途径", ORDER_BASIS, "publicity")]
    violations = []
    if not publicity.place.strip():
        violations.append(Violation(f"{code}.publication.place", "请写明公开的途径（网站栏目、公告地点）",
                                    PUBLICATION_BASIS, "publicity.place"))
    if decided_on is None:
        return violations
    if publicity.published_on > context.today or publicity.published_on < decided_on:
        violations.append(Violation(f"{code}.publication.order", "公开日期须在决定之后、不晚于今天", ORDER_BASIS,
                                    "publicity.published_on"))
    deadline = publication_deadline(decided_on, context, region=region)
    if publicity.published_on > deadline.date and not publicity.late_explanation.strip():
        violations.append(Violation(
            f"{code}.publication.late",
            f"决定于{decided_on.isoformat()}作出，应在{deadline.days}个工作日内（{deadline.date.isoformat()}前）公开，"
            "逾期公开的须写明逾期原因",
            deadline.basis, "publicity.late_explanation",
        ))
    return violations


def withholding_problems(withholding: Withholding | None, *, code: str) -> list[Violation]:
    if withholding is None or withholding.ground not in WITHHOLDING_GROUNDS:
        return [Violation(f"{code}.withholding.ground", "不予公开须属于法定情形之一：" + "；".join(WITHHOLDING_GROUNDS.values()),
                          WITHHOLDING_BASIS, "withholding.ground")]
    if not withholding.facts.strip():
        return [Violation(f"{code}.withholding.facts", "不予公开须写明事实和理由", WITHHOLDING_BASIS, "withholding.facts")]
    return []

def publication_phases(
    *, code: str, label: str, soon_parameter: str, decided_on: dt.date | None, published_on: dt.date | None,
    closed: bool, region: str, calendar: LegalCalendar, on: dt.date, parameters: ParameterSet | None,
) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
    """The decision's publication deadline (20 working days) as one phase (`penalty.deadlines.
    DeadlinePhase`, what the case projection stores), once decided; met when published, none when
    the decision is lawfully withheld. Only the due-soon alert depends on `on`."""
    if decided_on is None or (closed and published_on is None):
        return [], []
    context = GuardContext(today=on, calendar=calendar, parameters=parameters or parameters_default())
    problems: list[DeadlineProblem] = []
    try:
        soon = int(context.parameters.value(soon_parameter, on=on, region=region))
    except ParameterMissing as missing:
        soon, problems = 0, [DeadlineProblem(missing.violation)]
    try:
        end = publication_deadline(decided_on, context, region=region)
    except ParameterMissing as missing:
        return [], [*problems, DeadlineProblem(missing.violation)]
    except OverflowError:
        return [], [*problems, DeadlineProblem(Violation(f"{code}.date_out_of_range", "日期超出可计算的范围，请核对有关日期",
                                                         "系统输入校验规则"))]
    late = published_on is not None and published_on > end.date
    return [DeadlinePhase(code, label, end.date, end.basis, end.estimated, published_on, late, soon_days=soon)], problems


def publication_deadlines(*, today: dt.date, **kwargs) -> tuple[list[Deadline], list[Violation]]:
    """The same deadline as shown on `today`."""
    phases, problems = publication_phases(on=today, **kwargs)
    return deadlines_on(phases, today), problems_on(problems, today)


__all__ = [
    "ORDER_BASIS",
    "PUBLICATION_BASIS",
    "PUBLICATION_PERIOD",
    "REMEDIES_BASIS",
    "REVIEW_BASIS",
    "REVIEW_OPINIONS",
    "WITHHOLDING_BASIS",
    "WITHHOLDING_GROUNDS",
    "PublicationDeadline",
    "Publicity",
    "ReviewOpinion",
    "Withholding",
    "bases_problems",
    "date_order_problems",
    "draft_text",
    "is_major",
    "lines_clean",
    "publication_deadline",
    "publication_deadlines",
    "publication_phases",
    "publicity_problems",
    "remedies_problems",
    "review_problems",
    "withholding_problems",
]

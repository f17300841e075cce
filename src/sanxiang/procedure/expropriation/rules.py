"""The rules of 行政征收征用 (issue 18 item 2), pure Python: the facts its guards read
(`ExpropriationSnapshot`), the guards, and the annual counting.

The law:
- 《中华人民共和国宪法》第十条第三款 (land) and 第十三条第三款 (private property): the state may,
  for the public interest and under a law, expropriate (征收) or requisition (征用) and gives
  compensation. So a decision states its public-interest purpose and its legal basis, and comes
  with a compensation plan; an expropriation's plan states the amount;
- 《国有土地上房屋征收与补偿条例》第八条 (public interest), 第十三条 (the decision announced with the
  compensation plan and the remedies), 第十七条 (what is compensated), 第十九条 (the value assessed by
  a qualified assessor; compensation not below it), 第二十五、二十六条 (agreement, or a compensation
  decision) and 《中华人民共和国土地管理法》第四十五至四十八条: not in the platform's checked
  reference, so the two rules the engine takes from them (when the assessment is made;
  compensation not below the assessment) are parameters flagged unverified
  (parameters/expropriation.toml). The 条例 (第十九、二十条) and the 征收评估办法 (第十条: the value
  is assessed as of the day the decision is announced) put the assessment after the decision, so
  `expropriation.assessment_before_decision` is off by default: the decision is made without the
  report, and the compensation (a 补偿协议 or a 补偿决定, `expropriation_compensate`) is settled only
  on it; a county that turns it on asks for the report before the decision instead;
- 国办发〔2018〕118号: the legal review of a decision the agency's catalogue lists (most 征收 are),
  publication within 20 working days (shared rules: `procedure.other_acts.decision_rules`).
A requisition (征用) returns the property after use; its compensation for damage or loss is settled
then, so its plan need not state an amount at the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts.decision_rules import Publicity, ReviewOpinion
from sanxiang.procedure.penalty.basis import GUIDELINE_118
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

CONSTITUTION = "《中华人民共和国宪法》"
CONSTITUTION_BASIS = f"{CONSTITUTION}第十条第三款、第十三条第三款"
EXPROPRIATION_BASIS = f"{CONSTITUTION_BASIS}；{GUIDELINE_118}"
AMOUNT_BASIS = (f"{PLATFORM_PREFIX}：征收决定所附补偿方案写明补偿金额（宪法第十三条第三款只要求依法给予补偿；"
                "房屋征收的补偿金额可在补偿协议或者补偿决定中确定，待核实）")
SERVICE_BASIS = f"{PLATFORM_PREFIX}：决定书送达被征收、被征用人后再行公开，送达日期不早于决定日期、不晚于今天"
TERMINATION_BASIS = f"{PLATFORM_PREFIX}：未作出决定而终止办理的，须写明理由"
ASSESSMENT_PARAMETER = "expropriation.assessment_before_decision"
# The record the decision then requires (the parameter's own reference is cited by the guard).
ASSESSMENT_BEFORE_BASIS = "《国有土地上房屋征收与补偿条例》第十九条、第二十条（本平台参数开启时：作出征收决定前须有评估报告）"
NOT_BELOW_PARAMETER = "expropriation.compensation_not_below_assessment"
CODE = "expropriation"

KINDS: dict[str, str] = {"expropriation": "征收", "requisition": "征用"}
# The annual data's categories (procedure.annual.ANNUAL_CATEGORIES) of each kind.
ANNUAL_CATEGORY: dict[str, str] = {"expropriation": "levy", "requisition": "requisition"}
COMPENSATION_METHODS: dict[str, str] = {
    "money": "货币补偿",
    "property_exchange": "产权调换",
    "money_and_exchange": "货币补偿和产权调换相结合",
    "after_use": "使用后返还并对毁损、灭失给予补偿",
}
SETTLEMENT_METHODS: dict[str, str] = {
    "agreement": "签订补偿协议",
    "decision": "作出补偿决定",
}
SERVICE_METHODS: dict[str, str] = {
    "direct": "直接送达",
    "left": "留置送达",
    "post": "邮寄送达",
    "announcement": "公告送达",
}


@dataclass(frozen=True)
class Assessment:
    """The assessment report (评估报告): who assessed, its number, the amount and the day."""

    assessor: str
    report_number: str
    amount_fen: int
    reported_on: dt.date


@dataclass(frozen=True)
class CompensationPlan:
    """补偿方案: how and how much (an expropriation's amount at the decision; a requisition's may be
    settled after use), and what it covers."""

    method: str  # COMPENSATION_METHODS
    amount_fen: int
    items: tuple[str, ...] = ()
    drawn_on: dt.date | None = None


@dataclass(frozen=True)
class ExpropriationDecision:
    on: dt.date
    remedies: str = ""
    compensation_fen: int = 0


@dataclass(frozen=True)
class Settlement:
    """The compensation settled after the decision: a 补偿协议 signed or a 补偿决定 made, its number,
    amount and day."""

    method: str  # SETTLEMENT_METHODS
    amount_fen: int
    on: dt.date
    number: str = ""


@dataclass(frozen=True)
class Service:
    served_on: dt.date
    method: str  # SERVICE_METHODS


@dataclass(frozen=True)
class Termination:
    on: dt.date
    reason: str


@dataclass(frozen=True)
class ExpropriationSnapshot:
    state: str
    records: frozenset[str]
    kind: str = "expropriation"  # KINDS
    opened_on: dt.date | None = None
    region: str = ""
    sector: str = ""
    matter: str = ""
    catalogue: ReviewCatalogue | None = None
    officers: tuple[OfficerSnapshot, ...] = ()
    major_marked: bool = False
    purpose: str = ""  # the public interest served
    scope: str = ""  # what is expropriated or requisitioned, where
    bases: tuple[str, ...] = ()
    assessment: Assessment | None = None
    plan: CompensationPlan | None = None
    review_opinions: tuple[ReviewOpinion, ...] = ()
    decision: ExpropriationDecision | None = None
    service: Service | None = None
    publicity: Publicity | None = None
    termination: Termination | None = None
    settlements: tuple[Settlement, ...] = ()

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, KINDS["expropriation"])

    @property
    def major(self) -> bool:
        return d.is_major(matter=self.matter, catalogue=self.catalogue, marked=self.major_marked)

    @property
    def handler_ids(self) -> frozenset[int]:
        return frozenset(o.id for o in self.officers if o.id is not None)

    @property
    def draft(self) -> str:
        """The draft decision a legal review agrees with: purpose, scope, bases, assessment, plan."""
        return d.draft_text(self.kind, self.purpose, self.scope, *self.bases, self.assessment, self.plan)


Snapshot = ExpropriationSnapshot
Context = GuardContext


def _flag(name: str, snapshot: Snapshot, context: Context, on: dt.date) -> tuple[bool, str]:
    parameter = context.parameters[name]
    period = parameter.period_on(on, region=snapshot.region, sector=snapshot.sector)
    # A county's own period may carry no reference of its own: the parameter's basis is cited then.
    return bool(period.value), period.reference or parameter.reference


def assessment_required(snapshot: Snapshot, context: Context) -> bool:
    """Whether the decision itself waits for the assessment report (the parameter on, an expropriation)."""
    return snapshot.kind == "expropriation" and _flag(ASSESSMENT_PARAMETER, snapshot, context, context.today)[0]


def assessment_missing(snapshot: Snapshot) -> bool:
    assessment = snapshot.assessment
    return assessment is None or assessment.amount_fen <= 0


def settlement_problems(snapshot: Snapshot, settlement: Settlement, context: Context) -> list[Violation]:
    """The compensation of an expropriation is settled (补偿协议 or 补偿决定) on the assessment: with
    `expropriation.assessment_before_decision` off the assessment follows the decision, and this is
    where its report is asked for (with it on, the decision already had it); not below the assessed
    value when that parameter holds. A requisition's compensation after use needs no assessment."""
    code = f"{CODE}.settlement"
    violations = []
    if settlement.method not in SETTLEMENT_METHODS:
        violations.append(Violation(f"{code}.method", "请选择签订补偿协议或者作出补偿决定", FORM_BASIS, "method"))
    decision = snapshot.decision
    if decision is None:
        violations.append(Violation(f"{code}.no_decision", "尚未作出征收（征用）决定，不能确定补偿", d.ORDER_BASIS, "method"))
    else:
        violations += d.date_order_problems(settlement.on, after=decision.on, today=context.today, code=code,
                                            what="确定补偿")
    if snapshot.kind != "expropriation":
        return violations
    if settlement.amount_fen <= 0:
        violations.append(Violation(f"{code}.amount", "请填写补偿金额（大于0）", CONSTITUTION_BASIS, "amount_yuan"))
    # The report is asked for here whichever way the parameter is set; its reference is the basis.
    _, reference = _flag(ASSESSMENT_PARAMETER, snapshot, context, settlement.on)
    if assessment_missing(snapshot):
        violations.append(Violation(
            f"{code}.assessment_missing",
            "确定征收补偿须以评估机构出具的评估报告为依据：请先登记评估报告（评估金额），再签订补偿协议或者作出补偿决定",
            reference, "assessment"))
    not_below, below_reference = _flag(NOT_BELOW_PARAMETER, snapshot, context, settlement.on)
    if (not_below and not assessment_missing(snapshot) and 0 < settlement.amount_fen < snapshot.assessment.amount_fen):
        violations.append(Violation(f"{code}.below_assessment",
                                    "补偿金额低于评估金额：对被征收房屋价值的补偿不得低于评估确定的价值",
                                    below_reference, "amount_yuan"))
    return violations


# --- guards -------------------------------------------------------------------------------------------


def purpose_and_basis(snapshot: Snapshot, context: Context) -> list[Violation]:
    """For the public interest and under a law (宪法第十条第三款、第十三条第三款)."""
    what = f"{snapshot.kind_label}决定"
    violations = d.bases_problems(snapshot.bases, code=CODE, what=what, basis=CONSTITUTION_BASIS)
    if not snapshot.purpose.strip():
        violations.append(Violation(f"{CODE}.purpose.missing", f"{snapshot.kind_label}只能为了公共利益的需要，须写明所为的公共利益",
                                    CONSTITUTION_BASIS, "purpose"))
    if not snapshot.scope.strip():
        violations.append(Violation(f"{CODE}.scope.missing", f"须写明{snapshot.kind_label}的对象和范围", CONSTITUTION_BASIS,
                                    "scope"))
    return violations


def compensation_set(snapshot: Snapshot, context: Context) -> list[Violation]:
    """With compensation (宪法): a plan; an expropriation's plan with its amount, on the assessment
    when the (unverified) rule of the 条例 is in force, and not below it."""
    plan, label = snapshot.plan, snapshot.kind_label
    violations = []
    if plan is None or plan.method not in COMPENSATION_METHODS:
        violations.append(Violation(f"{CODE}.compensation.plan_missing",
                                    f"{label}须给予补偿：作出决定前须拟定补偿方案（补偿方式和金额）",
                                    CONSTITUTION_BASIS, "plan"))
    if snapshot.kind != "expropriation":
        return violations
    if plan is not None and plan.method == "after_use":
        violations.append(Violation(f"{CODE}.compensation.method",
                                    "征收取得财产的所有权，不能以“使用后返还”补偿：请选择货币补偿或者产权调换",
                                    CONSTITUTION_BASIS, "plan.method"))
    if plan is not None and plan.amount_fen <= 0:
        # The constitution asks for compensation, not for its amount in the decision: under the 房屋征收
        # 条例 (第二十五、二十六条, 待核实) the amounts follow in 补偿协议 or 补偿决定. A platform rule.
        violations.append(Violation(f"{CODE}.compensation.no_amount",
                                    "征收须给予补偿：补偿方案须写明补偿金额，未确定补偿金额的不得作出征收决定",
                                    AMOUNT_BASIS, "plan.amount"))
    required, reference = _flag(ASSESSMENT_PARAMETER, snapshot, context, context.today)
    assessment = snapshot.assessment
    if required and assessment_missing(snapshot):
        violations.append(Violation(f"{CODE}.assessment.missing",
                                    "作出征收决定前须有评估机构出具的评估报告并写明评估金额：请先登记评估报告",
                                    reference, "assessment"))
    not_below, reference = _flag(NOT_BELOW_PARAMETER, snapshot, context, context.today)
    if (not_below and plan is not None and assessment is not None and 0 < plan.amount_fen < assessment.amount_fen):
        violations.append(Violation(f"{CODE}.compensation.below_assessment",
                                    "补偿金额低于评估金额：对被征收财产价值的补偿不得低于评估确定的价值，请修改补偿方案",
                                    reference, "plan.amount"))
    return violations


def review_gate(snapshot: Snapshot, context: Context) -> list[Violation]:
    return d.review_problems(snapshot.review_opinions, major=snapshot.major, handler_ids=snapshot.handler_ids,
                             code=CODE, what=f"{snapshot.kind_label}决定", draft=snapshot.draft)


def decision_made(snapshot: Snapshot, context: Context) -> list[Violation]:
    decision = snapshot.decision
    if decision is None:
        return [Violation(f"{CODE}.decision.missing", "尚未拟定决定", d.ORDER_BASIS, "decision")]
    return [*d.remedies_problems(decision.remedies, code=f"{CODE}.decision", what=f"{snapshot.kind_label}决定"),
            *d.date_order_problems(decision.on, after=snapshot.opened_on, today=context.today,
                                   code=f"{CODE}.decision", what="决定")]


def served(snapshot: Snapshot, context: Context) -> list[Violation]:
    service, decision = snapshot.service, snapshot.decision
    if service is None or service.method not in SERVICE_METHODS:
        return [Violation(f"{CODE}.service.missing", "请填写送达日期和送达方式", SERVICE_BASIS, "service")]
    return d.date_order_problems(service.served_on, after=decision.on if decision else None, today=context.today,
                                 code=f"{CODE}.service", what="送达")


def published(snapshot: Snapshot, context: Context) -> list[Violation]:
    decision = snapshot.decision
    return d.publicity_problems(snapshot.publicity, decided_on=decision.on if decision else None, context=context,
                                region=snapshot.region, code=CODE)


def terminated(snapshot: Snapshot, context: Context) -> list[Violation]:
    if snapshot.termination is None or not snapshot.termination.reason.strip():
        return [Violation(f"{CODE}.termination.reason", "终止办理须写明理由", TERMINATION_BASIS, "reason")]
    return []


# --- counting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountedDecision:
    kind: str  # KINDS
    decided_on: dt.date | None


def expropriation_annual_acts(snapshot: ExpropriationSnapshot) -> list[tuple[str, dt.date]]:
    """The acts of one case the annual data counts: its decision, under its category, on its day."""
    decision = snapshot.decision
    if decision is None or snapshot.kind not in ANNUAL_CATEGORY or snapshot.state in ("drafting", "terminated"):
        return []
    return [(ANNUAL_CATEGORY[snapshot.kind], decision.on)]


def expropriation_annual_counts(decisions: Iterable[CountedDecision], *, year: int) -> dict[str, int]:
    """The decisions made in `year`, by annual category (行政征收 levy, 行政征用 requisition): a
    征收征用 is counted as completed in the year of its decision."""
    counts = dict.fromkeys(ANNUAL_CATEGORY.values(), 0)
    for decision in decisions:
        if decision.decided_on is not None and decision.decided_on.year == year and decision.kind in ANNUAL_CATEGORY:
            counts[ANNUAL_CATEGORY[decision.kind]] += 1
    return counts


__all__ = [
    "ANNUAL_CATEGORY",
    "COMPENSATION_METHODS",
    "CONSTITUTION_BASIS",
    "KINDS",
    "SERVICE_METHODS",
    "SETTLEMENT_METHODS",
    "Assessment",
    "CompensationPlan",
    "CountedDecision",
    "ExpropriationDecision",
    "ExpropriationSnapshot",
    "Service",
    "Settlement",
    "Termination",
    "assessment_missing",
    "assessment_required",
    "compensation_set",
    "decision_made",
    "expropriation_annual_acts",
    "expropriation_annual_counts",
    "published",
    "purpose_and_basis",
    "review_gate",
    "served",
    "settlement_problems",
    "terminated",
]

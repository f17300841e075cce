"""What each document must contain before it may be issued, with the rule that asks for it.

A defective document is worse than none: once issued it is served, hashed into the ledger and
scored by the 案卷评查 reviewers (a 决定书 lacking one of 第五十九条's seven elements loses its
points, and an element like the remedies changes the party's rights). So rendering refuses while
anything is missing, and says everything that is missing at once, as `Violation`s the workflow
can show like any other refusal.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.documents.context import (
    CHECKLIST_FINDINGS,
    PENALTY_KINDS,
    PENALTY_KINDS_DETAIL,
    PENALTY_KINDS_MONEY,
    PENALTY_KINDS_SELF_EXECUTING,
    RELEASE_GROUNDS,
    REVIEW_OPINIONS,
    SERVICE_METHODS,
    DocumentContext,
    Officer,
    PreservedItem,
)
from sanxiang.procedure.coercion.snapshot import MEASURE_KINDS
from sanxiang.procedure.enforcement.snapshot import EXECUTION_METHODS, OBLIGATION_KINDS
from sanxiang.procedure.penalty.basis import COMPULSION_LAW, article, penalty_article
from sanxiang.procedure.penalty.snapshot import NO_PENALTY_REASONS
from sanxiang.procedure.violations import Refused, Violation

PENALTY_LAW = "《中华人民共和国行政处罚法》"
CIVIL_PROCEDURE_LAW = "《中华人民共和国民事诉讼法》"
GUIDELINE_118 = (
    "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
    "（国办发〔2018〕118号）"
)
# Basis of what every issued document needs (number, date, agency): 118号 asks for standard,
# complete enforcement documents, and 第四十七条 for the written record of every step.
FORM_BASIS = f"{PENALTY_LAW}第四十七条；{GUIDELINE_118}"
ART_42 = f"{PENALTY_LAW}第四十二条"
ART_44 = f"{PENALTY_LAW}第四十四条"
ART_52 = f"{PENALTY_LAW}第五十二条"
ART_54 = f"{PENALTY_LAW}第五十四条"
ART_55 = f"{PENALTY_LAW}第五十五条"
ART_56 = f"{PENALTY_LAW}第五十六条"
ART_57 = f"{PENALTY_LAW}第五十七条"
ART_57_2 = f"{PENALTY_LAW}第五十七条第二款"
ART_58 = f"{PENALTY_LAW}第五十八条"
ART_59 = f"{PENALTY_LAW}第五十九条"
ART_63 = f"{PENALTY_LAW}第六十三条"
ART_64 = f"{PENALTY_LAW}第六十四条"
ART_67 = f"{PENALTY_LAW}第六十七条"
ART_70 = f"{PENALTY_LAW}第七十条"
SERVICE_BASIS = f"{PENALTY_LAW}第六十一条；{CIVIL_PROCEDURE_LAW}第八十七条"
# 重大执法决定法制审核: the law asks for it, 118号 for its checklist and its written opinion.
REVIEW_BASIS = f"{ART_58}；{GUIDELINE_118}"


# 行政强制法: the measures (第十八条 to 第三十三条) and their execution (第三十四条 to 第五十八条).
def compulsion_article(*numbers: int, detail: str = "") -> str:
    """`compulsion_article(24, detail="第二款")` → 《中华人民共和国行政强制法》第二十四条第二款."""
    return article(COMPULSION_LAW, *numbers, detail=detail)


C_18 = compulsion_article(18)
C_18_2 = compulsion_article(18, detail="第二项")
C_18_5 = compulsion_article(18, detail="第五项")
C_18_6 = compulsion_article(18, detail="第六项")
C_18_7 = compulsion_article(18, detail="第七项")
C_18_9 = compulsion_article(18, detail="第九项")
C_24 = compulsion_article(24)
C_24_2 = compulsion_article(24, detail="第二款")
C_24_3 = compulsion_article(24, detail="第三款")
C_25 = compulsion_article(25)
C_25_2 = compulsion_article(25, detail="第二款")
C_28 = compulsion_article(28)
C_30 = compulsion_article(30, detail="第一款")
C_31 = compulsion_article(31)
C_32 = compulsion_article(32)
C_32_2 = compulsion_article(32, detail="第二款")
C_33 = compulsion_article(33)
C_35 = compulsion_article(35)
C_37 = compulsion_article(37)
C_37_2 = compulsion_article(37, detail="第二款")
C_37_3 = compulsion_article(37, detail="第三款")
C_50 = compulsion_article(50)
C_51 = compulsion_article(51, detail="第一款第一项")
C_54 = compulsion_article(54)
C_55 = compulsion_article(55)
C_55_1 = compulsion_article(55, detail="第一款")
C_55_2 = compulsion_article(55, detail="第二款")

# 不予行政处罚 and 移送 (第五十七条第一款第二项至第四项).
ART_27 = penalty_article(27, detail="第一款")
ART_33_3 = penalty_article(33, detail="第三款")
NO_PENALTY_BASIS = penalty_article(57, detail="第一款第二项、第三项")
TRANSFER_REGULATION = "《行政执法机关移送涉嫌犯罪案件的规定》"
TRANSFER_BASIS = f"{penalty_article(27, 57, detail='第一款第四项')}；{TRANSFER_REGULATION}第三条"
TRANSFER_MATERIALS_BASIS = f"{TRANSFER_REGULATION}第六条"
# Which paragraph of its article each ground of NO_PENALTY_REASONS is, and which item of
# 第五十七条第一款 decides on it (the others rest on their own article only).
NO_PENALTY_PARAGRAPHS = {"minor_and_corrected": "第一款", "first_offence": "第一款", "no_fault": "第二款"}
NO_PENALTY_OUTCOME_ITEMS = {
    "minor_and_corrected": "第二项",
    "first_offence": "第二项",
    "facts_unclear": "第三项",
}


def no_penalty_citation(reason: str) -> str:
    """The provisions a 不予行政处罚 rests on: 《中华人民共和国行政处罚法》第三十三条第一款、第五十七条第一款第二项."""
    number = NO_PENALTY_REASONS[reason][1]
    cited = penalty_article(number, detail=NO_PENALTY_PARAGRAPHS.get(reason, ""))
    item = NO_PENALTY_OUTCOME_ITEMS.get(reason)
    return f"{cited}、第五十七条第一款{item}" if item else cited


# 第五十九条's elements, with the keys the procedure engine's DecisionDraft.elements uses.
DECISION_ELEMENTS: dict[str, str] = {
    "party": "当事人的姓名或者名称、地址",
    "facts_evidence": "违反法律、法规、规章的事实和证据",
    "penalty_basis": "行政处罚的种类和依据",
    "performance": "行政处罚的履行方式和期限",
    "remedies": "申请行政复议、提起行政诉讼的途径和期限",
    "agency_date": "作出行政处罚决定的行政机关名称和作出决定的日期",
    "seal": "行政机关的印章",
}

Check = Callable[[DocumentContext], bool]
Describe = Callable[[DocumentContext], str]


@dataclass(frozen=True)
class Requirement:
    key: str  # the context path the workflow can point at: "party.address"
    label: str  # what is missing, in Chinese: "当事人的地址"
    check: Check  # true when the document has it
    legal_basis: str = ""  # empty: the kind's own basis
    element: str | None = None  # the 第五十九条 element it belongs to (decisions only)
    # What exactly is missing when it depends on the context (which checklist items lack a
    # finding); `label` stays the fixed name forms and the API show.
    describe: Describe | None = None

    def missing(self, context: DocumentContext) -> str:
        return self.describe(context) if self.describe is not None else self.label


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, tuple | list | frozenset | set):
        return bool(value)
    return True


def path_get(context: DocumentContext, path: str) -> object:
    """`party.address` → context.party.address, or None where a part on the way is missing."""
    value: object = context
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def given(path: str, label: str, *, legal_basis: str = "", element: str | None = None) -> Requirement:
    return Requirement(path, label, lambda c: _filled(path_get(c, path)), legal_basis, element)


def _officer_complete(officer: Officer) -> bool:
    return _filled(officer.name) and _filled(officer.certificate_number)


def officers_at_least(n: int, *, legal_basis: str = ART_42) -> Requirement:
    """At least `n` named officers (one who signs or serves); every named officer with a
    certificate number, because the document prints it."""

    def check(context: DocumentContext) -> bool:
        return len(context.officers) >= n and all(_officer_complete(o) for o in context.officers)

    return Requirement("officers", "执法人员的姓名和执法证件号", check, legal_basis)


def officers_of_the_act(*, legal_basis: str = ART_42) -> Requirement:
    """第四十二条: the officers who carried out the act, as many as the procedure requires
    (`DocumentContext.officers_required`, read from the parameter by the workflow), each with a
    certificate number, because the document prints it (and the party may refuse an officer
    who shows none)."""

    def required(context: DocumentContext) -> int:
        return max(1, context.officers_required)

    def check(context: DocumentContext) -> bool:
        return len(context.officers) >= required(context) and all(_officer_complete(o) for o in context.officers)

    return Requirement(
        "officers",
        "执法人员的姓名和执法证件号（不少于规定人数）",
        check,
        legal_basis,
        describe=lambda c: f"执法人员的姓名和执法证件号（不少于{required(c)}名，现有{len(c.officers)}名）",
    )


def _penalty_kinds_known(context: DocumentContext) -> bool:
    penalty = context.penalty
    return penalty is not None and bool(penalty.items) and all(i.kind in PENALTY_KINDS for i in penalty.items)


def _penalty_content_complete(context: DocumentContext) -> bool:
    """Every item says how much or what: a fine without an amount, or a revocation without naming
    the permit, cannot be performed or reviewed."""
    if context.penalty is None:
        return True  # reported by the kinds requirement
    for item in context.penalty.items:
        if item.kind in PENALTY_KINDS_MONEY and item.amount_fen <= 0:
            return False
        if item.kind in PENALTY_KINDS_DETAIL and not _filled(item.detail):
            return False
    return True


def penalty_requirements(*, legal_basis: str, element: str | None = None) -> tuple[Requirement, ...]:
    return (
        Requirement(
            "penalty",
            "行政处罚的种类（《中华人民共和国行政处罚法》第九条规定的种类）",
            _penalty_kinds_known,
            legal_basis,
            element,
        ),
        Requirement(
            "penalty.items",
            "每项行政处罚的具体内容（罚款、没收违法所得的数额，没收、暂扣、吊销的对象或者停产停业等的期限）",
            _penalty_content_complete,
            legal_basis,
            element,
        ),
        given(
            "penalty_bases",
            "行政处罚的依据（法律、法规、规章的条款）",
            legal_basis=legal_basis,
            element=element,
        ),
    )


def performance_needed(context: DocumentContext) -> bool:
    """A warning or public criticism alone asks nothing of the party; anything else must say how
    and by when it is performed (第五十九条第四项)."""
    if context.penalty is None:
        return False
    if context.on_spot is not None and context.on_spot.collected_on_spot:
        return False
    return not context.penalty.kinds <= PENALTY_KINDS_SELF_EXECUTING


def _performance_complete(context: DocumentContext) -> bool:
    if not performance_needed(context):
        return True
    performance = context.performance
    return performance is not None and _filled(performance.method) and performance.days > 0


def performance_requirement(*, legal_basis: str, element: str | None = None) -> Requirement:
    return Requirement("performance", "行政处罚的履行方式和期限", _performance_complete, legal_basis, element)


def remedies_requirements(*, legal_basis: str, element: str | None = None) -> tuple[Requirement, ...]:
    def periods(context: DocumentContext) -> bool:
        remedies = context.remedies
        return remedies is None or (remedies.reconsideration_days > 0 and remedies.litigation_months > 0)

    return (
        given(
            "remedies.reconsideration_authority",
            "申请行政复议的途径（复议机关）",
            legal_basis=legal_basis,
            element=element,
        ),
        given("remedies.court", "提起行政诉讼的途径（人民法院）", legal_basis=legal_basis, element=element),
        Requirement("remedies", "申请行政复议、提起行政诉讼的期限", periods, legal_basis, element),
    )


def service_method_known(context: DocumentContext) -> bool:
    return context.service is None or context.service.method in SERVICE_METHODS


def on_spot_collection_documented(context: DocumentContext) -> bool:
    """A fine collected on the spot names its legal ground and the finance receipt (第七十条)."""
    spot = context.on_spot
    if spot is None or not spot.collected_on_spot:
        return True
    return _filled(spot.collection_ground) and _filled(spot.receipt_number)


def penalty_or_opinion(context: DocumentContext) -> bool:
    return _penalty_kinds_known(context) or (
        context.investigation is not None and _filled(context.investigation.opinion)
    )


def statement_window_set(context: DocumentContext) -> bool:
    return context.notice is None or context.notice.statement_days > 0


def hearing_window_set(context: DocumentContext) -> bool:
    notice = context.notice
    return notice is None or not notice.hearing_right or notice.hearing_request_days > 0


def review_round_set(context: DocumentContext) -> bool:
    return context.review is None or 1 <= context.review.round < 100


def review_opinion_known(context: DocumentContext) -> bool:
    return context.review is not None and context.review.opinion.strip() in REVIEW_OPINIONS


CHECKLIST_LABEL = "审核事项及每项的审核结论"


def _checklist_unfinished(context: DocumentContext) -> list[str]:
    """The checklist lines without a finding (符合, 不符合 or 不适用), by the item they review or,
    for a line that names no item, by its position."""
    review = context.review
    if review is None:
        return []
    return [
        line.item.strip() or f"第{index}项"
        for index, line in enumerate(review.checklist, start=1)
        if not _filled(line.item) or line.finding.strip() not in CHECKLIST_FINDINGS
    ]


def checklist_complete(context: DocumentContext) -> bool:
    """118号: the review goes through the checklist (主体、权限、程序、事实、证据、依据、裁量),
    and every item says whether it is met."""
    review = context.review
    return review is not None and bool(review.checklist) and not _checklist_unfinished(context)


def checklist_describe(context: DocumentContext) -> str:
    unfinished = _checklist_unfinished(context)
    if not unfinished:
        return CHECKLIST_LABEL
    listed = "、".join(unfinished)
    return f"审核事项的审核结论（{'、'.join(CHECKLIST_FINDINGS)}）：{listed}"


# --- 行政强制措施 ------------------------------------------------------------------------------------


def measure_kind_in(*kinds: str, legal_basis: str = "") -> Requirement:
    """The measure is one this document is for: a 查封（扣押）决定书 is no 冻结决定书."""
    label = "、".join(MEASURE_KINDS[k] for k in kinds)
    return Requirement(
        "measure.kind",
        f"行政强制措施的种类（{label}）",
        lambda c: c.measure is not None and c.measure.kind in kinds,
        legal_basis,
    )


def items_complete(items: tuple[PreservedItem, ...]) -> bool:
    """Every line names the thing and how many (第二十四条第二款第三项: 名称、数量等)."""
    return bool(items) and all(_filled(i.name) and _filled(i.quantity) for i in items)


def measure_items_complete(context: DocumentContext) -> bool:
    return context.measure is not None and items_complete(context.measure.items)


def measure_period_set(context: DocumentContext) -> bool:
    measure = context.measure
    return (
        measure is not None
        and measure.start is not None
        and measure.end is not None
        and measure.days > 0
        and measure.start <= measure.end
    )


def accounts_complete(context: DocumentContext) -> bool:
    """第三十一条第三项: 冻结的账号和数额, each account with its bank."""
    measure = context.measure
    return (
        measure is not None
        and bool(measure.accounts)
        and all(_filled(a.bank) and _filled(a.account_number) and a.amount_fen > 0 for a in measure.accounts)
    )


def _seal_seizure_on_site(context: DocumentContext) -> bool:
    """The record of a 查封、扣押 follows the whole of 第十八条; a 冻结 only its first, second,
    third and seventh items (第三十条第一款): the party is not called before its deposits are frozen."""
    return (
        context.measure is not None
        and context.measure.is_seal_seizure
        and context.measure.on_site is not None
    )


def on_site_given(path: str, label: str, *, legal_basis: str) -> Requirement:
    """What the party was told, and what it said, on the spot (第十八条第五项、第六项): asked of a
    查封、扣押 the party attended (an absent party is neither told nor heard there; a 冻结 is
    carried out at the bank)."""

    def check(context: DocumentContext) -> bool:
        if not _seal_seizure_on_site(context) or not context.measure.on_site.party_present:  # type: ignore[union-attr]
            return True
        return _filled(path_get(context, path))

    return Requirement(path, label, check, legal_basis)


def witness_when_absent(context: DocumentContext) -> bool:
    """第十八条第九项: the party absent, a witness is invited and signs."""
    if not _seal_seizure_on_site(context):
        return True
    on_site = context.measure.on_site  # type: ignore[union-attr]
    assert on_site is not None
    return on_site.party_present or (on_site.witness is not None and _filled(on_site.witness.name))


def extension_days_set(context: DocumentContext) -> bool:
    measure = context.measure
    return measure is None or measure.extension is None or measure.extension.days > 0


def release_ground_known(context: DocumentContext) -> bool:
    measure = context.measure
    return measure is not None and measure.release is not None and measure.release.ground in RELEASE_GROUNDS


def release_returns_listed(context: DocumentContext) -> bool:
    """第二十八条第二款: what is released is returned, so the decision names it (the measure's items
    when the release lists none of its own); a 冻结 names its accounts (第三十三条第二款)."""
    measure = context.measure
    if measure is None:
        return False
    if measure.kind == "freeze":
        return accounts_complete(context)
    returned = (
        measure.release.items if measure.release is not None and measure.release.items else measure.items
    )
    return items_complete(returned)


# --- 行政强制执行 ------------------------------------------------------------------------------------


def obligation_known(context: DocumentContext) -> bool:
    enforcement = context.enforcement
    return enforcement is not None and enforcement.obligation in OBLIGATION_KINDS


def money_owed(context: DocumentContext) -> bool:
    return context.enforcement is not None and context.enforcement.obligation == "payment"


def demand_amount_set(context: DocumentContext) -> bool:
    """第三十五条第三项: a money duty states the amount and how to pay it."""
    if not money_owed(context):
        return True
    demand = context.enforcement.demand  # type: ignore[union-attr]
    return demand is not None and demand.amount_fen > 0 and _filled(demand.payment_method)


def execution_method_known(context: DocumentContext) -> bool:
    enforcement = context.enforcement
    return (
        enforcement is not None
        and enforcement.execution is not None
        and enforcement.execution.method in EXECUTION_METHODS
        and _filled(enforcement.execution.method_detail)
    )


def immediate_reason_given(context: DocumentContext) -> bool:
    """第三十七条第三款: an immediate execution during the demand period rests on evidence of assets
    being moved or hidden."""
    enforcement = context.enforcement
    if enforcement is None or enforcement.execution is None or not enforcement.execution.immediate:
        return True
    return _filled(enforcement.execution.immediate_reason)


def substitute_cost_set(context: DocumentContext) -> bool:
    enforcement = context.enforcement
    return (
        enforcement is not None
        and enforcement.substitute is not None
        and enforcement.substitute.cost_estimate_fen > 0
    )


# --- 不予行政处罚 ------------------------------------------------------------------------------------


def no_penalty_reason_known(context: DocumentContext) -> bool:
    return context.no_penalty is not None and context.no_penalty.reason in NO_PENALTY_REASONS


def education_given(context: DocumentContext) -> bool:
    """第三十三条第三款: a party not penalised for an illegal act is educated (第三十条、第三十一条: the
    guardian is ordered to discipline or look after); nothing to educate when the act is not established."""
    details = context.no_penalty
    if details is None or details.reason == "facts_unclear":
        return True
    return _filled(details.education)


def requirements_check(
    *,
    requirements: tuple[Requirement, ...],
    context: DocumentContext,
    kind: str,
    title: str,
    legal_basis: str,
) -> list[Violation]:
    """Every requirement that fails, in the document's order, none left out."""
    return [
        Violation(
            code=f"document.{kind}.{requirement.key}.missing",
            message=f"{title}缺少{requirement.missing(context)}",
            legal_basis=requirement.legal_basis or legal_basis,
            field=requirement.key,
        )
        for requirement in requirements
        if not requirement.check(context)
    ]


class DocumentIncomplete(Refused):
    """A document was not rendered because something it must contain is missing. A `Refused`, so
    the workflow reports it like any other refused action (HTTP 409 with every violation)."""

    def __init__(self, *, kind: str, title: str, violations: list[Violation]):
        self.kind = kind
        self.title = title
        super().__init__(violations)
        # Say plainly which document and everything it lacks, in one sentence.
        missing = "；".join(v.message.removeprefix(title + "缺少") for v in self.violations)
        self.args = (f"{title}不完整，缺少：{missing}",)

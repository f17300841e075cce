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
    REVIEW_OPINIONS,
    SERVICE_METHODS,
    DocumentContext,
    Officer,
)
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

"""The facts of a penalty case that the guards read, as immutable values.

The Django side builds a `PenaltyCaseSnapshot` from the database (plus the form being submitted)
and hands it to the engine; nothing here knows about models. Money is integer fen (分), dates are
`datetime.date` in Asia/Shanghai, officers are the registry's `OfficerSnapshot`s, and each record
of whole-process recording that exists is named in `records`.
"""

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.registry_rules import OfficerSnapshot

# 第九条: the kinds of administrative penalty.
PENALTY_KINDS: dict[str, str] = {
    "warning": "警告",
    "public_criticism": "通报批评",
    "fine": "罚款",
    "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "suspend_permit": "暂扣许可证件",
    "downgrade_qualification": "降低资质等级",
    "revoke_permit": "吊销许可证件",
    "restrict_business": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "close": "责令关闭",
    "restrict_practice": "限制从业",
    "detention": "行政拘留",
    "other": "法律、行政法规规定的其他行政处罚",
}

PARTY_KINDS: dict[str, str] = {"natural_person": "公民", "organization": "法人或者其他组织"}

# 第四十四条: what the advance notice (行政处罚事先告知书) must tell the party.
NOTICE_ELEMENTS: dict[str, str] = {
    "facts": "拟作出行政处罚的事实",
    "reasons": "理由",
    "basis": "依据",
    "penalty": "拟作出的行政处罚内容",
    "statement_right": "陈述、申辩的权利",
    "hearing_right": "要求听证的权利",  # only where 第六十三条 applies
}

# 第五十九条: the mandatory content of a 行政处罚决定书.
DECISION_ELEMENTS: dict[str, str] = {
    "party": "当事人的姓名或者名称、地址",
    "facts_evidence": "违反法律、法规、规章的事实和证据",
    "penalty_basis": "行政处罚的种类和依据",
    "performance": "行政处罚的履行方式和期限",
    "remedies": "申请行政复议、提起行政诉讼的途径和期限",
    "agency_date": "作出行政处罚决定的行政机关名称和作出决定的日期",
    "seal": "行政机关的印章",
}
# A 不予行政处罚决定书 states the reason instead of the penalty and its performance.
NO_PENALTY_DECISION_ELEMENTS = ("party", "facts_evidence", "remedies", "agency_date", "seal")
PENALTY_DECISION_ELEMENTS = tuple(DECISION_ELEMENTS)

# 第五十二条: the mandatory content of an on-the-spot decision (当场处罚决定书).
SUMMARY_DECISION_ELEMENTS: dict[str, str] = {
    "act": "当事人的违法行为",
    "penalty_basis": "行政处罚的种类和依据",
    "amount": "罚款数额",
    "time_place": "时间、地点",
    "remedies": "申请行政复议、提起行政诉讼的途径和期限",
    "agency": "行政机关名称",
    "officer_signature": "执法人员签名或者盖章",
}

DECISION_OUTCOMES: dict[str, str] = {
    "penalty": "给予行政处罚",
    "no_penalty": "不予行政处罚",
    "transfer": "移送司法机关",
}

# The legal grounds of a 不予行政处罚 decision, each with its article (第三十条、第三十一条、第三十三条、第四十条).
NO_PENALTY_REASONS: dict[str, tuple[str, int]] = {
    "minor_and_corrected": ("违法行为轻微并及时改正，没有造成危害后果", 33),
    "first_offence": ("初次违法且危害后果轻微并及时改正", 33),
    "no_fault": ("当事人有证据足以证明没有主观过错", 33),
    "facts_unclear": ("违法事实不能成立或者证据不足", 40),
    "under_14": ("不满十四周岁的未成年人", 30),
    "incapacity": ("精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为", 31),
}

SERVICE_METHODS: dict[str, str] = {
    "direct": "直接送达",
    "lien": "留置送达",
    "post": "邮寄送达",
    "electronic": "电子送达（传真、电子邮件等）",
    "public_notice": "公告送达",
}

# 第六十八条、第六十九条: the only grounds for collecting a fine on the spot.
ON_SPOT_COLLECTION_GROUNDS: dict[str, str] = {
    "small_fine": "依法给予一百元以下罚款",
    "hard_to_enforce": "不当场收缴事后难以执行",
    "remote_area": "在边远、水上、交通不便地区，当事人到指定银行或者通过电子支付系统缴纳罚款确有困难，经当事人提出",
}


def yuan(fen: int) -> str:
    """2000050 → "20000.5元": amounts in messages, never through float."""
    whole, cents = divmod(fen, 100)
    return f"{whole}元" if not cents else f"{whole}.{cents:02d}".rstrip("0") + "元"


@dataclass(frozen=True)
class PenaltyTerms:
    """What is imposed (or proposed): the kinds of 第九条 and the amounts in fen."""

    kinds: frozenset[str]
    fine_fen: int = 0
    confiscation_fen: int = 0  # value of the illegal gains or property confiscated

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", frozenset(self.kinds))

    def describe(self) -> str:
        parts = []
        order = list(PENALTY_KINDS)
        for kind in sorted(self.kinds, key=lambda k: (order.index(k) if k in order else len(order), k)):
            label = PENALTY_KINDS.get(kind, kind)
            if kind == "fine":
                label += yuan(self.fine_fen)
            elif kind in ("confiscate_gains", "confiscate_property") and self.confiscation_fen:
                label += f"（{yuan(self.confiscation_fen)}）"
            parts.append(label)
        return "、".join(parts) or "（无）"


def penalty_heavier(terms: PenaltyTerms, than: PenaltyTerms) -> bool:
    """Whether `terms` is heavier than `than` in any respect: a kind added, or a larger amount.

    Deliberately strict: a penalty that is lighter in one respect and heavier in another is still
    heavier for 第四十四条/第四十五条, because the party was never told of the heavier part."""
    return (
        not terms.kinds <= than.kinds
        or terms.fine_fen > than.fine_fen
        or terms.confiscation_fen > than.confiscation_fen
    )


@dataclass(frozen=True)
class Party:
    kind: str  # natural_person | organization (个体工商户 are natural persons here)
    name: str
    id_number: str = ""  # 公民身份号码, natural persons
    credit_code: str = ""  # 统一社会信用代码, organisations
    # Why the identifier above is not checked (foreign passport, other certificate): legal_rules
    # §8.1 item 16 allows overriding the check, and the reason is kept.
    identifier_exemption: str = ""
    birth_date: dt.date | None = None  # when no 公民身份号码 gives it


@dataclass(frozen=True)
class InvestigativeAct:
    """One on-site inspection, questioning or sampling (第五十五条), with its 笔录."""

    kind: str  # inquiry | inspection | sampling
    on: dt.date
    officer_ids: tuple[int, ...]
    certificate_shown: bool  # showing the certificate is recorded (第五十五条)
    record_made: bool = True  # the 询问笔录 / 现场检查笔录 was made and signed (or refusal noted)


@dataclass(frozen=True)
class EvidencePreservation:
    """先行登记保存 (第五十六条): approved by the head, decided within 7 working days."""

    on: dt.date
    approved_by_head: bool
    handled_on: dt.date | None = None  # the 处理决定


@dataclass(frozen=True)
class RecusalRequest:
    """回避 (第四十三条): the head decides; the investigation goes on meanwhile."""

    officer_id: int
    requested_on: dt.date
    decided_on: dt.date | None = None
    granted: bool = False


@dataclass(frozen=True)
class AdvanceNotice:
    """行政处罚事先告知书 (第四十四条) as served."""

    penalty: PenaltyTerms
    elements: frozenset[str]
    served_on: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "elements", frozenset(self.elements))


@dataclass(frozen=True)
class Hearing:
    """听证 (第六十三条至第六十五条)."""

    requested_on: dt.date
    notice_served_on: dt.date | None = None  # 听证通知书
    scheduled_for: dt.date | None = None
    presiding_officer_id: int | None = None
    agent_count: int = 0
    held_on: dt.date | None = None
    party_absent: bool = False  # 无正当理由拒不出席或者中途退出 (第六十四条第六项)
    withdrawn_on: dt.date | None = None  # the party withdrew its request


# 国办发〔2018〕118号 and the agency's catalogue: the conditions under which a decision is major,
# besides the penalty kinds and amounts the catalogue lists. The case office marks them; 第五十八条
# names (一) public interest, (三) complexity (kept in `complex_case`, which also triggers 第五十七条)
# and (四) other laws; a hearing held (二) is derived from the hearing itself.
MAJOR_CONDITIONS: dict[str, str] = {
    "public_interest": "涉及重大公共利益",
    "social_impact": "可能造成重大社会影响或者引发社会风险",
    "major_rights": "直接关系当事人或者第三人重大权益",
    "required_by_law": "法律、法规规定应当进行法制审核",
}

# What the case office sends to the review office (legal_rules §1.3 "Materials").
REVIEW_PACKAGE_ITEMS: dict[str, str] = {
    "draft_decision": "拟作出的处理决定",
    "evidence_list": "证据材料目录",
    "investigation_report": "调查终结报告",
    "hearing_transcript": "听证笔录",
    "explanation": "情况说明",
}

# What the reviewer checks, item by item (118号; legal_rules §1.3 "What the reviewer checks").
REVIEW_CHECKLIST: dict[str, str] = {
    "agency": "执法主体是否合法",
    "officers": "执法人员是否具备执法资格",
    "powers": "是否超越法定权限",
    "procedure": "程序是否合法",
    "facts": "事实是否清楚",
    "evidence": "证据是否合法充分",
    "law": "适用法律是否准确",
    "discretion": "裁量基准运用是否适当",
    "documents": "执法文书是否完备规范",
    "crime": "是否涉嫌犯罪需要移送司法机关",
}
CHECKLIST_FINDINGS: dict[str, str] = {"pass": "符合", "fail": "不符合", "not_applicable": "不适用"}
# For the last item a "fail" means "yes, suspected crime": the decision must be a transfer.

REVIEW_OPINIONS: dict[str, str] = {
    "agree": "同意",
    "disagree": "不同意",
    "resubmit": "补充材料后重新提交",
}

# 裁量: within the discretion standard (including 从轻/从重), or outside it (减轻/加重).
DISCRETION: dict[str, str] = {
    "within": "在裁量基准范围内",
    "mitigated": "减轻处罚（低于裁量基准）",
    "aggravated": "超出裁量基准从重处罚",
}


@dataclass(frozen=True)
class ChecklistFinding:
    item: str  # a key of REVIEW_CHECKLIST
    finding: str  # a key of CHECKLIST_FINDINGS
    note: str = ""


@dataclass(frozen=True)
class ReviewOpinion:
    """A 法制审核 opinion (第五十八条) on a given draft decision."""

    reviewer: OfficerSnapshot
    opinion: str  # a key of REVIEW_OPINIONS
    given_on: dt.date
    reviewed_outcome: str
    reviewed_penalty: PenaltyTerms | None = None
    # The reviewer began doing penalty legal review after 2021-07-15, so 第五十八条第二款 asks
    # for the 法律职业资格 (the Django side knows the reviewer's history).
    reviewer_first_time: bool = False
    round: int = 0  # the ReviewRequest answered; 0 for opinions recorded before rounds existed
    reviewed_draft: str = ""  # DecisionDraft.key() of the draft reviewed
    checklist: tuple[ChecklistFinding, ...] = ()


@dataclass(frozen=True)
class ReviewRequest:
    """One submission of the draft decision to the review office (送审), with its package."""

    round: int  # 1, 2, ...
    submitted_on: dt.date
    draft: str  # DecisionDraft.key() of the draft submitted
    package: frozenset[str]  # keys of REVIEW_PACKAGE_ITEMS provided
    reviewer_id: int | None = None
    extended_to: dt.date | None = None  # an approved extension of the review period
    response_given: bool = False  # the case office answered the previous round's opinion
    submitted_by: int | None = None  # the officer who sent it: never its reviewer

    def __post_init__(self) -> None:
        object.__setattr__(self, "package", frozenset(self.package))


@dataclass(frozen=True)
class MajorOverride:
    """The agency head's decision that catalogue criteria do not make this case major, with the
    reason (recorded in the ledger with the step)."""

    criteria: frozenset[str]  # criterion codes cleared
    reason: str
    by: str
    on: dt.date
    draft: str = ""  # DecisionDraft.key() of the draft the head decided on; "" before keys existed

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", frozenset(self.criteria))


@dataclass(frozen=True)
class CollectiveDiscussion:
    """集体讨论 by the agency's leaders (第五十七条第二款)."""

    held_on: dt.date
    leader_count: int
    # adopt_draft | adopt_review | "": how it settled a disagreement between the case office and
    # the review office (118号: coordination; locally by the leaders' collective discussion).
    resolution: str = ""
    adopted_draft: str = ""  # DecisionDraft.key() of the draft the leaders adopted


@dataclass(frozen=True)
class ReviewCatalogue:
    """An agency's 重大执法决定法制审核目录清单 as the engine reads it. `None` in a snapshot means
    the deployment's defaults (the `penalty.review.catalogue_*` parameters)."""

    kinds: frozenset[str]
    fine_natural_person_fen: int
    fine_organization_fen: int
    amount_inclusive: bool = False  # "以上": the threshold amount itself is major
    matters: frozenset[str] = frozenset()  # matter codes listed as major
    discretion_deviation: bool = True  # 减轻 or 加重 outside the discretion standard is major
    discussion_for: frozenset[str] = frozenset({"major", "complex"})  # when 集体讨论 is required
    reference: str = ""  # which catalogue (agency, version, date): cited in refusals

    def __post_init__(self) -> None:
        for name in ("kinds", "matters", "discussion_for"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))


@dataclass(frozen=True)
class DecisionDraft:
    """The decision about to be issued: one outcome, and the content of its document."""

    outcome: str  # penalty | no_penalty | transfer
    penalty: PenaltyTerms | None = None
    no_penalty_reason: str | None = None
    elements: frozenset[str] = frozenset()
    number: str = ""  # 文号, or the pre-printed number of an on-the-spot form (第五十二条)
    mitigation_recorded: bool = False  # 从轻或者减轻 applied and stated (第三十条 minors)
    discretion: str = "within"  # a key of DISCRETION
    # Digest of the draft's texts (reasons, bases, details), set by the case office's side: a
    # change of wording is a change of the decision that was reviewed.
    content_digest: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "elements", frozenset(self.elements))

    def key(self) -> str:
        """What identifies the decision as proposed: a review opinion holds for this key only."""
        terms = self.penalty
        penalty = (
            f"{','.join(sorted(terms.kinds))}:{terms.fine_fen}:{terms.confiscation_fen}" if terms is not None else "-"
        )
        return "|".join(
            (self.outcome, penalty, self.no_penalty_reason or "-", self.discretion, self.content_digest or "-")
        )


@dataclass(frozen=True)
class Service:
    """How and when the decision reached the party (第六十一条; 民事诉讼法第八十七条至第九十五条)."""

    method: str  # direct | lien | post | electronic | public_notice
    served_on: dt.date
    consent_signed: bool = False  # 电子送达确认书 (第六十一条第二款)
    witnessed_or_recorded: bool = False  # 留置: witnesses sign, or photos/video (民诉法第八十九条)
    other_methods_failed: bool = False  # 公告 only when no other method works (民诉法第九十五条)


@dataclass(frozen=True)
class Payment:
    paid_on: dt.date
    amount_fen: int


@dataclass(frozen=True)
class Instalment:
    due_on: dt.date
    amount_fen: int


@dataclass(frozen=True)
class PaymentArrangement:
    """暂缓或者分期缴纳 approved by the agency (第六十六条第二款); a deferral is one instalment."""

    approved_on: dt.date
    instalments: tuple[Instalment, ...]


@dataclass(frozen=True)
class Challenge:
    """行政复议 or 行政诉讼 against the decision; the surcharge stops meanwhile (第七十三条)."""

    kind: str  # reconsideration | litigation
    started_on: dt.date
    ended_on: dt.date | None = None
    # How it ended (a key of `challenges.CHALLENGE_RESULTS`); None while it runs, and for an end
    # recorded before results were (the correction indicator does not count those).
    result: str | None = None


@dataclass(frozen=True)
class OnSpot:
    """Facts of the summary procedure (第五十一条、第五十二条、第六十八条至第七十一条)."""

    officer_ids: tuple[int, ...]
    certificate_shown: bool
    party_informed: bool  # facts, reasons, basis, and the right to state and defend (第四十四条)
    statement_heard_or_waived: bool  # 第四十五条
    handed_over_on: dt.date | None = None
    party_signed_or_refusal_noted: bool = False
    collection_ground: str | None = None  # a key of ON_SPOT_COLLECTION_GROUNDS
    collected_fen: int = 0
    collected_on: dt.date | None = None
    cash_handed_to_agency_on: dt.date | None = None


@dataclass(frozen=True)
class PenaltyCaseSnapshot:
    """Everything the penalty guards read, nothing more. Every field but the first three has a
    default so that a case can be described by what has happened so far."""

    state: str
    party: Party
    act_date: dt.date  # the act (for the party's age, 第三十条)
    act_ended_on: dt.date | None = None  # a continuing act ends later (第三十六条第二款)
    discovered_on: dt.date | None = None  # when the agency found the act (第三十六条)
    enforcement_field: str = ""  # 执法领域, matched against certificates (第四十二条)
    region: str = ""  # GB/T 2260 code of the agency: regional parameter overrides
    sector: str = ""
    records: frozenset[str] = frozenset()
    # 立案
    life_health_or_financial_harm: bool = False  # 第三十六条: 5-year limitation
    limitation_override_reason: str = ""  # a recorded legal reason to open despite the period
    opening_approved_by_head: bool = False
    # The head's last answer on opening: "agree", "disagree" (the officer may then propose 不予立案
    # or submit again with more material), "" before any.
    opening_head_decision: str = ""
    # 撤销立案: a case opened by mistake (误立案、重复立案 …) closed by the head before any decision,
    # with the kind of mistake and the reason (a platform rule: see guards.case_withdrawal_reasoned).
    withdrawn_on: dt.date | None = None
    withdrawal_kind: str = ""
    withdrawal_reason: str = ""
    opened_on: dt.date | None = None
    # 调查取证
    officers: tuple[OfficerSnapshot, ...] = ()  # the officers assigned to the case
    investigative_acts: tuple[InvestigativeAct, ...] = ()
    preservations: tuple[EvidencePreservation, ...] = ()
    recusals: tuple[RecusalRequest, ...] = ()
    matter: str = ""  # the code of the matter (执法事项), matched against the review catalogue
    # 重大执法决定: the case office's own mark (its judgement that the decision is major), the
    # conditions it found, the head's overrides of catalogue criteria, and the catalogue in force.
    major_case: bool = False
    major_conditions: frozenset[str] = frozenset()
    major_overrides: tuple[MajorOverride, ...] = ()
    catalogue: ReviewCatalogue | None = None
    complex_case: bool = False  # 情节复杂, 疑难复杂、涉及多个法律关系 (第五十七条、第五十八条)
    # 事先告知、陈述申辩、听证
    notice: AdvanceNotice | None = None  # the notice in force: the last one served
    earlier_notices: tuple[AdvanceNotice, ...] = ()  # notices it replaced (重新告知), oldest first
    statement_waived: bool = False  # the party expressly waived, in writing (第六十二条)
    statement_submitted_on: dt.date | None = None  # the party's first statement or defence
    hearing_waived: bool = False
    hearing: Hearing | None = None
    # 法制审核、集体讨论、决定
    review_requests: tuple[ReviewRequest, ...] = ()
    review_opinions: tuple[ReviewOpinion, ...] = ()
    collective_discussions: tuple[CollectiveDiscussion, ...] = ()
    decision: DecisionDraft | None = None
    decided_on: dt.date | None = None
    decision_due_extended_to: dt.date | None = None  # an approved extension of 第六十条
    prior_fines_for_same_act: tuple[str, ...] = ()  # numbers of earlier fine decisions (第二十九条)
    # 送达、执行
    service: Service | None = None
    payment_arrangement: PaymentArrangement | None = None
    payments: tuple[Payment, ...] = ()
    challenges: tuple[Challenge, ...] = ()
    enforcement_demand_served_on: dt.date | None = None  # 催告书 (行政强制法第五十四条)
    # The enforcement cases (行政强制执行) of this case's decision still open, by number: read afresh,
    # never stored. While one is open, the execution goes on there, not here.
    enforcement_cases_open: tuple[str, ...] = ()
    court_applied_on: dt.date | None = None
    # 简易程序
    on_spot: OnSpot | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "records", frozenset(self.records))
        object.__setattr__(self, "major_conditions", frozenset(self.major_conditions))

    def officer(self, officer_id: int | None) -> OfficerSnapshot | None:
        return next((o for o in self.officers if o.id == officer_id), None)


__all__ = [
    "CHECKLIST_FINDINGS",
    "DECISION_ELEMENTS",
    "DECISION_OUTCOMES",
    "DISCRETION",
    "MAJOR_CONDITIONS",
    "NOTICE_ELEMENTS",
    "NO_PENALTY_DECISION_ELEMENTS",
    "NO_PENALTY_REASONS",
    "ON_SPOT_COLLECTION_GROUNDS",
    "PARTY_KINDS",
    "PENALTY_DECISION_ELEMENTS",
    "PENALTY_KINDS",
    "REVIEW_CHECKLIST",
    "REVIEW_OPINIONS",
    "REVIEW_PACKAGE_ITEMS",
    "SERVICE_METHODS",
    "SUMMARY_DECISION_ELEMENTS",
    "AdvanceNotice",
    "Challenge",
    "ChecklistFinding",
    "CollectiveDiscussion",
    "DecisionDraft",
    "EvidencePreservation",
    "Hearing",
    "Instalment",
    "InvestigativeAct",
    "MajorOverride",
    "OnSpot",
    "Party",
    "Payment",
    "PaymentArrangement",
    "PenaltyCaseSnapshot",
    "PenaltyTerms",
    "RecusalRequest",
    "ReviewCatalogue",
    "ReviewOpinion",
    "ReviewRequest",
    "Service",
    "penalty_heavier",
    "yuan",
]

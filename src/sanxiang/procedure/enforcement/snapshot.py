"""The facts of a compulsory-execution case (行政强制执行) that the guards read, as immutable values.

The case enforces one administrative decision (`BasisDecision`): an unpaid penalty decision of the
ordinary or summary procedure, a demolition order, or another decision imposing a duty. Money is
integer fen, dates are `datetime.date` and times naive `datetime.datetime` in Asia/Shanghai; each
record of whole-process recording that exists is named in `records`.
"""

import datetime as dt
from dataclasses import dataclass

# What the decision to be enforced asks of the party.
OBLIGATION_KINDS: dict[str, str] = {
    "payment": "金钱给付义务（罚款等）",
    "act": "作为义务（排除妨碍、恢复原状等）",
    "demolition": "拆除违法的建筑物、构筑物、设施",
}

# Where the decision comes from: an unpaid penalty case can be enforced this way (ordinary or summary).
DECISION_SOURCES: dict[str, str] = {
    "penalty.ordinary": "行政处罚决定（普通程序）",
    "penalty.summary": "行政处罚决定（简易程序）",
    "other": "其他行政决定",
}

# 第三十五条: what a 催告书 must state.
DEMAND_ELEMENTS: dict[str, str] = {
    "deadline": "履行义务的期限",
    "method": "履行义务的方式",
    "amount": "涉及金钱给付的，明确的金额和给付方式",
    "statement_right": "当事人依法享有的陈述权和申辩权",
}

# 第三十八条 with 民事诉讼法: how a 催告书 or a decision may reach the party.
SERVICE_METHODS: dict[str, str] = {
    "direct": "直接送达",
    "lien": "留置送达",
    "entrusted": "委托送达",
    "post": "邮寄送达",
    "public_notice": "公告送达",
}

# 第三十七条第二款: the content of a 强制执行决定书 the platform checks.
EXECUTION_DECISION_ELEMENTS: dict[str, str] = {
    "party": "当事人的姓名或者名称、地址",
    "facts": "强制执行的理由和依据",
    "method_time": "强制执行的方式和时间",
    "remedies": "申请行政复议或者提起行政诉讼的途径和期限",
    "agency_seal": "行政机关的名称、印章和日期",
}

EXECUTION_METHODS: dict[str, str] = {
    "surcharge": "加处罚款或者滞纳金",
    "transfer": "划拨存款、汇款",
    "auction": "拍卖或者依法处理查封、扣押的场所、设施或者财物",
    "removal": "排除妨碍、恢复原状",
    "demolition": "强制拆除",
    "other": "其他强制执行方式",
}

COURT_RULINGS: dict[str, str] = {"granted": "裁定准予执行", "refused": "裁定不予执行"}


@dataclass(frozen=True)
class BasisDecision:
    """The administrative decision to be enforced and what the party did about it."""

    source: str  # a key of DECISION_SOURCES
    obligation: str  # a key of OBLIGATION_KINDS
    decided_on: dt.date
    received_on: dt.date  # served, or handed over on the spot: the challenge periods run from it
    performance_due: dt.date  # the last day the decision gave the party
    principal_fen: int = 0  # the money owed (payment obligations)
    paid_fen: int = 0
    performed_on: dt.date | None = None  # the party performed the duty in full
    number: str = ""
    # False only for a case registered without its decision (one made outside the platform): the
    # values above are then placeholders until the case's first step registers it.
    registered: bool = True
    # The money owed is a fine (罚款): its surcharge is the one 行政处罚法第七十二条 fixes. A
    # penalty decision of the platform always is; a decision registered by hand says so.
    fine: bool = False

    @property
    def is_fine(self) -> bool:
        return self.obligation == "payment" and (self.fine or self.source.startswith("penalty."))


@dataclass(frozen=True)
class Challenge:
    """行政复议 or 行政诉讼 against the decision."""

    kind: str  # reconsideration | litigation
    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class Demand:
    """催告书 (第三十五条): in writing, with the deadline and the party's rights; served (第三十八条)."""

    written_on: dt.date
    deadline: dt.date | None  # the day by which the party must perform
    elements: frozenset[str] = frozenset()
    served_on: dt.date | None = None
    service_method: str = ""  # a key of SERVICE_METHODS
    direct_service_impossible: bool = False  # why another method of 民事诉讼法 was used

    def __post_init__(self) -> None:
        object.__setattr__(self, "elements", frozenset(self.elements))


@dataclass(frozen=True)
class Statement:
    """The party's statement or defence after the 催告 (第三十六条)."""

    submitted_on: dt.date
    recorded: bool = False  # recorded, or the written statement filed
    reexamined_on: dt.date | None = None  # the agency's re-examination


@dataclass(frozen=True)
class Surcharge:
    """加处罚款或者滞纳金 (第四十五条): the rate was told to the party; it runs from `from_day`."""

    notified: bool
    from_day: dt.date  # the first day on which it accrues
    daily_permille: int = 30  # 3% a day = 30‰ (行政处罚法第七十二条)
    claimed_fen: int = 0  # the surcharge the agency claims (in a decision, an application, an agreement)
    # The provision that sets the rate, when it is not the fine's 3% of 行政处罚法第七十二条 (a
    # 滞纳金 of a tax law, …): 第四十五条 lets the agency add a surcharge only "依法".
    basis: str = ""


@dataclass(frozen=True)
class ExecutionDecision:
    """强制执行决定书 (第三十七条) and its service (第三十八条)."""

    decided_on: dt.date
    method: str  # a key of EXECUTION_METHODS
    elements: frozenset[str] = frozenset()
    immediate: bool = False  # 立即强制执行 during the demand period (第三十七条第三款)
    served_on: dt.date | None = None
    service_method: str = ""
    direct_service_impossible: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "elements", frozenset(self.elements))


@dataclass(frozen=True)
class ExecutionPlan:
    """When and how the execution (or the 代履行) is carried out on site (第四十三条)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    emergency: bool = False  # 情况紧急
    emergency_reason: str = ""
    cuts_utilities: bool = False  # stops residents' water, power, heat or gas to force compliance


@dataclass(frozen=True)
class Agreement:
    """执行协议 (第四十二条): may let the party perform in stages; may reduce or waive the surcharge
    when the party takes remedial measures."""

    signed_on: dt.date
    surcharge_waived_fen: int = 0
    remedial_measures_taken: bool = False
    broken_on: dt.date | None = None  # the party did not perform it: execution resumes


@dataclass(frozen=True)
class DemolitionNotice:
    """强制拆除的公告 (第四十四条): a deadline for the party to demolish it itself."""

    published_on: dt.date
    deadline: dt.date


@dataclass(frozen=True)
class Substitute:
    """代履行 (第五十条、第五十一条)."""

    decided_on: dt.date
    decision_served_on: dt.date | None = None
    demand_served_on: dt.date | None = None  # the demand 3 working days before
    supervised_on_site: bool = False
    signed_by_all: bool = False  # the agency's officers, the substitute and the party (or a witness)
    third_party: str = ""


@dataclass(frozen=True)
class CourtApplication:
    """申请人民法院强制执行 (第五十三条至第五十八条) and the court's ruling."""

    applied_on: dt.date
    court: str = ""
    ruling: str = ""  # a key of COURT_RULINGS, "" until the court rules
    ruled_on: dt.date | None = None


@dataclass(frozen=True)
class EnforcementCaseSnapshot:
    """Everything the enforcement guards read, nothing more."""

    state: str
    decision: BasisDecision
    records: frozenset[str] = frozenset()
    region: str = ""
    sector: str = ""
    # A law gives this agency the power to execute itself (第十三条); `court_also_allowed`: that
    # law lets it apply to the court instead.
    execution_power: bool = False
    court_also_allowed: bool = False
    # The provision of a law that grants the power the agency claims (第十三条: 行政强制执行由法律设定),
    # recorded by the head when the power is first used; the platform cannot know the agency's laws.
    execution_power_basis: str = ""
    # The kind of the agency (registry_rules.AGENCY_KINDS), read afresh: an entrusted organisation
    # has no power of its own to execute (第十三条、第七十条).
    agency_kind: str = "administrative_organ"
    challenges: tuple[Challenge, ...] = ()
    demand: Demand | None = None
    statements: tuple[Statement, ...] = ()
    assets_being_hidden: bool = False  # evidence of moving or hiding property (第三十七条第三款)
    # 代履行: not performing harms or will harm traffic safety, pollute the environment or damage
    # natural resources (第五十条)
    harm_grounds: bool = False
    surcharge: Surcharge | None = None
    execution_decision: ExecutionDecision | None = None
    plan: ExecutionPlan | None = None
    agreement: Agreement | None = None
    demolition_notice: DemolitionNotice | None = None
    substitute: Substitute | None = None
    court: CourtApplication | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "records", frozenset(self.records))

    @property
    def executes_itself(self) -> bool:
        """Whether the agency executes the decision itself: a law gives it the power, and it is not
        an entrusted organisation (which holds none of its own, 第十三条、第七十条); otherwise the
        decision is executed by the court, on the agency's application (第十三条第二款)."""
        return self.execution_power and self.agency_kind != "entrusted_organization"


__all__ = [
    "COURT_RULINGS",
    "DECISION_SOURCES",
    "DEMAND_ELEMENTS",
    "EXECUTION_DECISION_ELEMENTS",
    "EXECUTION_METHODS",
    "OBLIGATION_KINDS",
    "SERVICE_METHODS",
    "Agreement",
    "BasisDecision",
    "Challenge",
    "CourtApplication",
    "Demand",
    "DemolitionNotice",
    "EnforcementCaseSnapshot",
    "ExecutionDecision",
    "ExecutionPlan",
    "Statement",
    "Substitute",
    "Surcharge",
]

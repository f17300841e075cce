"""What a document is made from: immutable values the workflow builds from the case.

Nothing here knows about models or the database. Money is integer fen, dates are `datetime.date`
(times `datetime.datetime`, naive, Asia/Shanghai wall-clock time as printed), and identifiers are
printed exactly as given: the caller decides whether a 身份证号 is masked (a published copy) or full
(the copy served on the party).

Sequences are tuples so that a context is hashable and cannot change between validation and
rendering; lists passed in are turned into tuples.
"""

import datetime as dt
from dataclasses import dataclass, fields

from sanxiang.documents.text import amount_render

# 行政强制法第九条: the measures, one list for the engine and the documents.
from sanxiang.procedure.coercion.snapshot import MEASURE_KINDS, SEAL_SEIZURE_KINDS

# 行政处罚法第九条: one list of penalty kinds for the engine and the documents.
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS

# Kinds that are an amount of money, printed in 大写 and figures.
PENALTY_KINDS_MONEY = frozenset({"fine", "confiscate_gains"})
# Kinds that mean nothing without saying what or how long: which permit, which goods, which period.
PENALTY_KINDS_DETAIL = frozenset(
    {
        "confiscate_property",
        "suspend_permit",
        "downgrade_qualification",
        "revoke_permit",
        "restrict_business",
        "suspend_business",
        "restrict_practice",
        "detention",
        "other",
    }
)
# Kinds the party has nothing to perform for: a decision imposing only these has no 履行 paragraph.
PENALTY_KINDS_SELF_EXECUTING = frozenset({"warning", "public_criticism"})

PARTY_KINDS: dict[str, str] = {"natural_person": "公民", "organization": "法人或者其他组织"}

SERVICE_METHODS: dict[str, str] = {
    "direct": "直接送达",
    "lien": "留置送达",
    "post": "邮寄送达",
    "electronic": "电子送达",
    "public_notice": "公告送达",
    "entrusted": "委托送达",
}

# 法制审核 (第五十八条): the reviewer's finding on each checklist item, and the opinion as a whole.
CHECKLIST_FINDINGS = ("符合", "不符合", "不适用")
REVIEW_OPINIONS = ("同意", "不同意", "补充材料后重新提交")

# 行政强制法第二十八条第一款 (查封、扣押) and 第三十三条第一款 (冻结): the grounds of a release, in the
# order of their items; "{m}" is the measure as the document names it (查封, 扣押 or 冻结).
RELEASE_GROUNDS: dict[str, str] = {
    "no_violation": "当事人没有违法行为",
    "unrelated": "{m}的{object}与违法行为无关",
    "decided": "本机关对违法行为已经作出处理决定，不再需要{m}",
    "expired": "{m}期限已经届满",
    "other": "其他不再需要采取{m}措施的情形",
}


def _tuples(instance: object) -> None:
    """Freeze list arguments of a frozen dataclass into tuples."""
    for f in fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, f.name)
        if isinstance(value, list):
            object.__setattr__(instance, f.name, tuple(value))


@dataclass(frozen=True)
class Agency:
    name: str  # 乌审旗市场监督管理局
    credit_code: str = ""  # 统一社会信用代码 of the agency
    address: str = ""
    phone: str = ""
    # The text of the seal the issued document must carry (行政处罚专用章 or the agency's seal). The
    # document prints "（印章）" where it goes; an agency without a seal cannot issue a decision.
    seal_text: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class CaseInfo:
    number: str = ""  # 案件编号
    cause: str = ""  # 案由, e.g. 涉嫌经营超过保质期的食品案
    source: str = ""  # 案件来源: 投诉举报, 监督检查, 上级交办, 其他机关移送 …
    discovered_on: dt.date | None = None  # 案源发现（受理）日期
    opened_on: dt.date | None = None  # 立案日期


@dataclass(frozen=True)
class Party:
    kind: str  # natural_person | organization (个体工商户 here as organization with its 经营者)
    name: str
    id_code: str = ""  # 身份证件号码 or 统一社会信用代码, masked or full as the caller decides
    address: str = ""  # 住所 / 住址
    legal_representative: str = ""  # 法定代表人（负责人）; for a citizen, the 法定代理人 (guardian)
    phone: str = ""
    gender: str = ""  # natural persons
    birth_date: dt.date | None = None  # natural persons

    @property
    def pronoun(self) -> str:
        """How documents address the party: 你 / 你单位."""
        return "你" if self.kind == "natural_person" else "你单位"


@dataclass(frozen=True)
class Person:
    """Someone other than the party who appears in a record: an interviewee, the person in charge
    on the spot, a witness, a recipient."""

    name: str
    gender: str = ""
    id_code: str = ""
    employer: str = ""  # 工作单位
    position: str = ""  # 职务
    address: str = ""
    phone: str = ""
    relation: str = ""  # 与本案关系: 当事人, 当事人的员工, 证人 …


@dataclass(frozen=True)
class Officer:
    name: str
    certificate_number: str = ""  # 行政执法证件号


@dataclass(frozen=True)
class Evidence:
    name: str  # 现场检查笔录, 照片12张, 询问笔录（张三）…
    proves: str = ""  # 证明事项


@dataclass(frozen=True)
class LegalBasis:
    law: str  # 《中华人民共和国食品安全法》
    article: str  # 第一百二十四条第一款第（二）项

    @property
    def citation(self) -> str:
        return f"{self.law}{self.article}"


@dataclass(frozen=True)
class PenaltyItem:
    kind: str  # a key of PENALTY_KINDS
    amount_fen: int = 0  # fine or value of the illegal gains confiscated
    detail: str = ""  # what or how long: 吊销《食品经营许可证》（编号…）; 责令停产停业三个月

    def describe(self) -> str:
        """罚款人民币叁仟元整（¥3,000.00）; 暂扣许可证件：《食品经营许可证》三个月."""
        label = PENALTY_KINDS.get(self.kind, self.kind)
        if self.kind in PENALTY_KINDS_MONEY:
            text = label + amount_render(fen=self.amount_fen)
            return f"{text}（{self.detail}）" if self.detail else text
        return f"{label}：{self.detail}" if self.detail else label


@dataclass(frozen=True)
class Penalty:
    items: tuple[PenaltyItem, ...]

    def __post_init__(self) -> None:
        _tuples(self)

    @property
    def money_fen(self) -> int:
        return sum(item.amount_fen for item in self.items if item.kind in PENALTY_KINDS_MONEY)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(item.kind for item in self.items)

    def describe(self) -> str:
        return "；".join(item.describe() for item in self.items)


@dataclass(frozen=True)
class Performance:
    """行政处罚的履行方式和期限 (第五十九条第四项; 第六十七条: 15 days to pay)."""

    # How to pay or comply, completing "当事人应当自收到本决定书之日起十五日内，…":
    # 到中国农业银行乌审旗支行缴纳罚款，或者通过内蒙古自治区非税收入电子缴款系统缴纳
    method: str
    days: int = 15  # counted from receipt of the decision
    # Deferred or instalment payment approved under 第六十六条, printed after the method.
    arrangement: str = ""


@dataclass(frozen=True)
class Remedies:
    """申请行政复议、提起行政诉讼的途径和期限 (第五十九条第五项), as data: the authority and the
    court are named, the periods are those of 行政复议法第二十条 and 行政诉讼法第四十六条."""

    reconsideration_authority: str  # 乌审旗人民政府
    court: str  # 乌审旗人民法院
    reconsideration_days: int = 60
    litigation_months: int = 6


@dataclass(frozen=True)
class Opinion:
    """One signed opinion on an approval form."""

    text: str
    signer: str
    on: dt.date | None = None


@dataclass(frozen=True)
class Approval:
    """The opinions of an approval form (立案审批表, 结案审批表) or of an internal report."""

    handler: Opinion | None = None  # 承办人意见
    department: Opinion | None = None  # 承办机构意见
    legal_review: Opinion | None = None  # 法制审核意见
    head: Opinion | None = None  # 机关负责人审批意见


@dataclass(frozen=True)
class Exchange:
    """One turn of a 笔录: 问/答 in a questioning, a speaker's words in a hearing."""

    speaker: str  # 问, 答, 主持人, 调查人员, 当事人 …
    text: str


@dataclass(frozen=True)
class InquiryDetails:
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    interviewee: Person
    recorder: str  # 记录人
    exchanges: tuple[Exchange, ...] = ()
    # The interviewee's answer to the opening question 你是否申请回避？ (不申请回避 / 申请回避), as
    # recorded; "" when the record's first exchange answers it, or it is to be written by hand.
    recusal_answer: str = ""

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class InspectionDetails:
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    recorder: str
    findings: str  # 检查情况
    present_person: Person | None = None  # 现场负责人
    witness: Person | None = None
    recording: str = ""  # 现场拍照、录像情况


@dataclass(frozen=True)
class PreservedItem:
    name: str
    specification: str = ""
    quantity: str = ""  # "12"
    unit: str = ""  # 箱
    note: str = ""


@dataclass(frozen=True)
class PreservationDetails:
    approved_on: dt.date | None  # 负责人批准日期 (第五十六条)
    items: tuple[PreservedItem, ...]
    storage_place: str
    storage_method: str = "就地保存"
    # The last day of the 7-working-day handling period, computed by the caller's calendar.
    handling_deadline: dt.date | None = None

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class InvestigationDetails:
    process: str  # 调查经过
    discretion: str = ""  # 裁量理由: 从轻、减轻、从重情节
    opinion: str = ""  # 处理意见 beyond the proposed penalty (e.g. 移送)


@dataclass(frozen=True)
class NoticeDetails:
    """行政处罚事先告知书 (第四十四条): the rights and the windows to use them."""

    statement_days: int  # 陈述、申辩 window in working days (local rule; a parameter upstream)
    hearing_right: bool = False  # whether 第六十三条 applies
    hearing_request_days: int = 5  # 第六十四条第一项
    contact_person: str = ""


@dataclass(frozen=True)
class HearingDetails:
    """听证通知书 and 听证笔录 (第六十四条)."""

    held_at: dt.datetime
    place: str
    presiding: str  # 主持人, who did not investigate the case
    clerk: str  # 书记员
    hearing_officers: tuple[str, ...] = ()  # 听证员
    public: bool = True
    requested_on: dt.date | None = None
    # The record, filled after the hearing:
    ended_at: dt.datetime | None = None
    party_attendees: tuple[str, ...] = ()  # 当事人、法定代表人及委托代理人（一至二人）
    exchanges: tuple[Exchange, ...] = ()

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class DecisionDetails:
    """What a 行政处罚决定书 says besides 第五十九条's elements: how the case went."""

    procedure: str = ""  # 立案、告知、陈述申辩或听证的经过
    reasoning: str = ""  # 本机关认为 … including the review of the party's defence and the discretion


@dataclass(frozen=True)
class ServedDocument:
    title: str
    number: str = ""


@dataclass(frozen=True)
class ServiceDetails:
    documents: tuple[ServedDocument, ...]
    recipient: str  # 受送达人
    place: str
    method: str  # a key of SERVICE_METHODS
    served_at: dt.datetime | None = None  # filled when the receipt comes back signed
    signed_by: str = ""  # 收件人 (the recipient, or who signed for them)
    proxy_reason: str = ""  # 代收理由
    witness: str = ""  # 见证人 (留置送达)
    note: str = ""  # 备注: why 留置, the post tracking number …

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class OnSpotDetails:
    """当场处罚决定书 (第五十二条): when and where the act was found."""

    occurred_at: dt.datetime
    place: str
    collected_on_spot: bool = False  # 当场收缴 (第六十八条、第六十九条)
    collection_ground: str = ""
    receipt_number: str = ""  # 财政部门统一制发的罚款收据 (第七十条)


@dataclass(frozen=True)
class ClosingDetails:
    decision_number: str  # 处罚决定书文号
    decided_on: dt.date | None
    execution: str  # 执行情况: 当事人已于…缴纳罚款…
    closing_reason: str = "处罚决定已执行完毕"


@dataclass(frozen=True)
class ChecklistLine:
    """One item of the 法制审核 checklist and what the reviewer found."""

    item: str  # 审核事项, e.g. 执法主体是否合法
    finding: str  # one of CHECKLIST_FINDINGS: 符合 | 不符合 | 不适用
    note: str = ""


@dataclass(frozen=True)
class ReviewDetails:
    """法制审核意见书 (第五十八条; 国办发〔2018〕118号): one round of review of a proposed decision."""

    round: int  # 第几次送审 (1, 2, ...)
    submitted_on: dt.date | None
    submitted_by: str  # 承办机构: the agency's 内设机构, or the agency (never a person)
    reviewer: str  # 审核人员姓名
    reviewed_on: dt.date | None
    major_criteria: tuple[str, ...]  # 属于重大执法决定的情形 (each a sentence)
    proposed: str  # 拟作出的决定, one sentence
    materials: tuple[str, ...]  # 送审材料
    checklist: tuple[ChecklistLine, ...]
    opinion: str  # one of REVIEW_OPINIONS: 同意 | 不同意 | 补充材料后重新提交
    reasons: str  # 审核意见的理由
    response: str = ""  # 承办机构对上一轮审核意见的说明 (rounds > 1)
    handler: str = ""  # 承办人: who submitted it

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class DiscussionDetails:
    """集体讨论记录 (第五十七条第二款): the agency's heads discussing a complex or major case."""

    held_on: dt.date | None
    place: str
    host: str  # 主持人
    recorder: str  # 记录人
    participants: tuple[str, ...]  # 姓名（职务）
    subject: str  # 讨论事项 (the case and the proposed decision)
    views: tuple[str, ...]  # 姓名：发表的意见
    conclusion: str  # 讨论结论
    absent: tuple[str, ...] = ()  # 缺席人员及原因
    review_summary: str = ""  # 法制审核意见 summary, when the case was reviewed
    resolution: str = ""  # how a disagreement between the case office and the legal reviewer was settled

    def __post_init__(self) -> None:
        _tuples(self)


# --- 行政强制措施 (查封、扣押、冻结) ------------------------------------------------------------------


@dataclass(frozen=True)
class FrozenAccount:
    """One deposit or remittance frozen (行政强制法第三十一条第三项: 冻结的账号和数额)."""

    bank: str  # 开户金融机构: 中国农业银行乌审旗支行
    account_name: str  # 户名
    account_number: str  # 账号, masked or full as the caller decides
    amount_fen: int  # 冻结数额


@dataclass(frozen=True)
class MeasureOnSite:
    """现场笔录 of a measure (行政强制法第十八条; 冻结: 第三十条第一款 asks for its 第七项 only)."""

    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    recorder: str
    findings: str  # 现场情况: what was sealed, seized or frozen, and how
    told: str = ""  # 当场告知的内容: the reasons, basis, rights and remedies as told (第五项)
    statement: str = ""  # 当事人的陈述和申辩, or that the party made none (第六项)
    party_present: bool = True  # 当事人到场 (第四项)
    # Who was there for the party: itself, its agent, the person in charge.
    present_person: Person | None = None
    witness: Person | None = None  # 见证人, when the party is absent (第九项)
    refusal_note: str = ""  # 当事人拒绝签名或者盖章 and how (第八项): printed in the record
    recording: str = ""  # 现场拍照、录像情况


@dataclass(frozen=True)
class MeasureExtension:
    """延长查封、扣押（冻结）期限 (第二十五条; 冻结: 第三十二条): approved by the head, told in writing
    with the reason."""

    days: int  # 延长的天数 (the engine checks the limit)
    reason: str  # 情况复杂的具体情形
    approved_on: dt.date | None  # 负责人批准日期
    new_end: dt.date | None  # the new last day, computed by the caller's calendar


@dataclass(frozen=True)
class MeasureRelease:
    """解除查封、扣押（冻结） (第二十八条; 冻结: 第三十三条)."""

    ground: str  # a key of RELEASE_GROUNDS
    detail: str = ""  # the facts of the ground: 经检验，该批牛奶符合食品安全标准
    items: tuple[PreservedItem, ...] = ()  # returned (第二十八条第二款); empty: every item of the measure
    proceeds_fen: int = 0  # 已拍卖或者变卖的鲜活、不易保管物品的所得款项, returned instead
    collection: str = ""  # 领取的时间、地点或者方式

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class MeasureDetails:
    """A compulsory measure (行政强制措施) as its documents print it: the decision (第二十四条,
    第三十一条), the inventory, the on-site record (第十八条), the extension (第二十五条, 第三十二条) and
    the release (第二十八条, 第三十三条). A document names the measure by `kind`: 查封, 扣押 or 冻结."""

    kind: str  # a key of MEASURE_KINDS: seal_up | seizure | freeze
    reason: str  # 理由: what the party is suspected of and why the measure is needed
    bases: tuple[LegalBasis, ...]  # 依据: the provisions that allow this measure
    start: dt.date | None  # the period's first day
    end: dt.date | None  # its last day, computed by the caller's calendar
    days: int  # 期限 in days (the engine checks the limit)
    # 负责人批准日期 (第十八条第一项); after the act in an emergency (第十九条).
    approved_on: dt.date | None = None
    place: str = ""  # where it is carried out
    items: tuple[PreservedItem, ...] = ()  # 查封、扣押的场所、设施或者财物
    storage_place: str = ""
    storage_method: str = ""  # 就地查封, 异地扣押, 委托第三人保管 …
    accounts: tuple[FrozenAccount, ...] = ()  # 冻结
    # The measure's decision, for the documents that follow it (清单, 延长通知书, 解除决定书); the
    # decision itself takes its number from `DocumentContext.document_number`.
    decision_number: str = ""
    decided_on: dt.date | None = None
    on_site: MeasureOnSite | None = None
    extension: MeasureExtension | None = None
    release: MeasureRelease | None = None

    def __post_init__(self) -> None:
        _tuples(self)

    @property
    def label(self) -> str:
        """查封, 扣押 or 冻结; 查封（扣押） while the kind is unknown."""
        return MEASURE_KINDS.get(self.kind, "查封（扣押）")

    @property
    def is_seal_seizure(self) -> bool:
        return self.kind in SEAL_SEIZURE_KINDS

    @property
    def object(self) -> str:
        """What the measure holds, as the law names it."""
        return "存款、汇款" if self.kind == "freeze" else "场所、设施或者财物"


# --- 行政强制执行 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnforcedDecision:
    """The administrative decision the party did not perform (行政强制法第三十四条、第五十三条)."""

    title: str  # 行政处罚决定书
    number: str  # its 文号
    decided_on: dt.date | None
    duty: str  # what it asks of the party, completing "要求当事人…": 缴纳罚款人民币叁仟元整
    received_on: dt.date | None = None  # served on the party


@dataclass(frozen=True)
class DemandDetails:
    """催告书 (第三十五条; before an application to the court, 第五十四条)."""

    deadline: dt.date | None  # 履行义务的期限
    method: str  # 履行义务的方式
    amount_fen: int = 0  # 金钱给付: the amount to pay (principal and surcharge)
    payment_method: str = ""  # 金钱给付的给付方式
    statement_days: int = 0  # a window for the 陈述、申辩 the agency grants (0: none printed)
    to_court: bool = False  # the agency has no power of execution: it will apply to the court
    number: str = ""  # the demand's 文号, for the documents that follow it
    served_on: dt.date | None = None


@dataclass(frozen=True)
class ExecutionDetails:
    """强制执行决定书 (第三十七条)."""

    reasons: str  # 强制执行的理由
    bases: tuple[LegalBasis, ...]  # 依据: the provisions that give the agency the power
    method: str  # a key of procedure.enforcement EXECUTION_METHODS
    method_detail: str  # what exactly: 划拨当事人在…的存款人民币…
    starts_at: dt.datetime | None  # 强制执行的时间
    immediate: bool = False  # 立即强制执行 during the demand period (第三十七条第三款)
    immediate_reason: str = ""  # the evidence of assets moved or hidden
    reexamination: str = ""  # the re-examination of the party's statement (第三十六条)

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class SubstituteDetails:
    """代履行决定书 (第五十条、第五十一条)."""

    reasons: str  # 代履行的理由, including the harm (交通安全、环境污染、自然资源)
    bases: tuple[LegalBasis, ...]
    method: str  # 方式
    starts_at: dt.datetime | None  # 时间
    target: str  # 标的
    cost_estimate_fen: int  # 费用预算
    performer: str  # 代履行人: the agency, or a third party without interest

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class CourtApplicationDetails:
    """强制执行申请书 (第五十三条至第五十五条)."""

    court: str  # 所在地有管辖权的人民法院
    target: str  # 申请强制执行标的情况 (第五十五条第一款第四项)
    party_opinion: str  # 当事人的意见 (第三项), or that it gave none
    head: str  # 行政机关负责人, who signs (第二款)
    attachments: tuple[str, ...]  # the materials of 第一款: 行政决定书, 催告书及送达回证 …

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class EnforcementDetails:
    """A compulsory execution (行政强制执行) as its documents print it."""

    obligation: str  # a key of procedure.enforcement OBLIGATION_KINDS: payment | act | demolition
    decision: EnforcedDecision
    default: str  # how the party failed: 逾期未缴纳罚款
    principal_fen: int = 0  # 金钱给付义务的数额
    surcharge_fen: int = 0  # 加处罚款或者滞纳金 claimed
    demand: DemandDetails | None = None
    execution: ExecutionDetails | None = None
    substitute: SubstituteDetails | None = None
    court: CourtApplicationDetails | None = None


# --- 不予行政处罚, 移送司法机关 (行政处罚法第五十七条第一款第二项至第四项) --------------------------------


@dataclass(frozen=True)
class NoPenaltyDetails:
    """不予行政处罚决定书: the ground, the agency's reasoning, and the education the law asks for."""

    reason: str  # a key of procedure.penalty NO_PENALTY_REASONS
    reasoning: str  # 本机关认为 …: why the ground applies
    education: str = ""  # 对当事人的教育 (or the order to the guardian)
    correction: str = ""  # 责令改正
    bases: tuple[LegalBasis, ...] = ()  # further provisions (a sector's 不予处罚清单 …)

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class ActDecisionDetails:
    """The decision of a 征收征用 or of another act (行政给付、确认、奖励、裁决 …): what it decides and
    on which provisions; for a 征收征用 its public interest, its scope, the assessment and the
    compensation (宪法第十条第三款、第十三条第三款). Written by `documents.layouts_other_acts`."""

    title: str  # 征收决定书, 行政确认决定书 …
    kind_label: str  # 征收, 行政确认 …
    bases: tuple[LegalBasis, ...] = ()
    content: str = ""  # what is decided (the other acts)
    amount_fen: int = 0  # a payment or award in money
    purpose: str = ""  # the public interest (征收征用)
    scope: str = ""
    assessment: str = ""  # the assessment report, as one sentence
    compensation_method: str = ""
    compensation_fen: int = 0
    compensation_items: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class TransferDetails:
    """涉嫌犯罪案件移送书 (行政处罚法第二十七条; 《行政执法机关移送涉嫌犯罪案件的规定》)."""

    recipient: str  # 受移送的司法机关: 乌审旗公安局
    suspected_offence: str  # 涉嫌的罪名: 生产、销售不符合安全标准的食品罪
    reasons: str  # why a crime is suspected: the amount, the circumstances, the consequences
    attachments: tuple[str, ...]  # the materials sent with it
    approved_by: str = ""  # the head who approved the transfer
    approved_on: dt.date | None = None
    contact_person: str = ""

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class PermitDetails:
    """A licence application (《中华人民共和国行政许可法》) as its documents print it: what was
    applied for, the days the law counts from (computed by the procedure, never typed in) and what
    the step decides. `decision_number` and `decided_on` are the grant's, which a later decision
    (变更、延续、撤回、撤销、注销) cites."""

    matter: str  # 申请的行政许可事项
    received_on: dt.date | None = None
    accepted_on: dt.date | None = None
    deemed_accepted: bool = False
    decision_days: int = 0  # 第四十二条: 二十个工作日
    decision_due: dt.date | None = None
    missing_items: tuple[str, ...] = ()  # 第三十二条第一款第四项: 一次性告知
    reasons: str = ""  # 不予受理、不予许可、延长期限、不予延续的理由
    extension_days: int = 0
    extended_due: dt.date | None = None
    hearing_request_days: int = 0  # 第四十七条
    hearing_request_working: bool = True
    hearing_request_due: dt.date | None = None
    hearing_hold_days: int = 0  # 第四十七条: 二十个工作日
    hearing_notice_days: int = 0  # 第四十八条: 七个工作日
    delivery_days: int = 0  # 第四十四条: 十个工作日
    applied_on: dt.date | None = None  # 延续、变更的申请日期
    # 第四十五条: the latest period that does not count (听证、检验、专家评审 …), told in writing.
    excluded_what: str = ""
    excluded_start: dt.date | None = None
    excluded_end: dt.date | None = None
    content: str = ""  # 准予许可的内容；变更的事项
    licence_name: str = ""  # 许可证件名称 (none when the licence needs no certificate)
    expires_on: dt.date | None = None
    renewed_until: dt.date | None = None
    ground: str = ""  # 撤回、撤销、注销的法定情形
    facts: str = ""
    decision_number: str = ""
    decided_on: dt.date | None = None

    def __post_init__(self) -> None:
        _tuples(self)


@dataclass(frozen=True)
class DocumentContext:
    """Everything any of the documents may print. Each kind needs a part of it; the registry
    says which, and rendering refuses while something it needs is missing."""

    agency: Agency
    case: CaseInfo = CaseInfo()
    party: Party | None = None
    officers: tuple[Officer, ...] = ()
    # How many officers the act the document records must have: the procedure's rule
    # (`team.min_officers_who_may_act`, 第四十二条) as the workflow read it for the act's day. The
    # documents never hold that number themselves; 0 means not stated, and one named officer is
    # then the least a document that names officers needs.
    officers_required: int = 0
    facts: str = ""
    evidence: tuple[Evidence, ...] = ()
    violated: tuple[LegalBasis, ...] = ()  # the provisions the party broke (定性依据)
    penalty_bases: tuple[LegalBasis, ...] = ()  # the provisions the penalty rests on (处罚依据)
    penalty: Penalty | None = None
    performance: Performance | None = None
    remedies: Remedies | None = None
    document_number: str = ""  # 文号, allocated by the workflow
    issued_on: dt.date | None = None  # the document's date (决定日期 for a decision)
    copies_note: str = ""  # 本文书一式两份 … printed small at the end when given
    # 补录件：本文书系于…补录（实际发生日期…）: printed at the end of every document a back-entered
    # step issues (procedure.back_entry), whatever its layout.
    back_entry_note: str = ""
    approval: Approval | None = None
    inquiry: InquiryDetails | None = None
    inspection: InspectionDetails | None = None
    preservation: PreservationDetails | None = None
    investigation: InvestigationDetails | None = None
    notice: NoticeDetails | None = None
    hearing: HearingDetails | None = None
    decision: DecisionDetails | None = None
    service: ServiceDetails | None = None
    on_spot: OnSpotDetails | None = None
    closing: ClosingDetails | None = None
    review: ReviewDetails | None = None
    discussion: DiscussionDetails | None = None
    measure: MeasureDetails | None = None
    enforcement: EnforcementDetails | None = None
    no_penalty: NoPenaltyDetails | None = None
    transfer: TransferDetails | None = None
    act_decision: ActDecisionDetails | None = None
    permit: PermitDetails | None = None

    def __post_init__(self) -> None:
        _tuples(self)

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
    submitted_by: str  # 承办机构或者承办人
    reviewer: str  # 审核人员姓名
    reviewed_on: dt.date | None
    major_criteria: tuple[str, ...]  # 属于重大执法决定的情形 (each a sentence)
    proposed: str  # 拟作出的决定, one sentence
    materials: tuple[str, ...]  # 送审材料
    checklist: tuple[ChecklistLine, ...]
    opinion: str  # one of REVIEW_OPINIONS: 同意 | 不同意 | 补充材料后重新提交
    reasons: str  # 审核意见的理由
    response: str = ""  # 承办机构对上一轮审核意见的说明 (rounds > 1)

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


@dataclass(frozen=True)
class DocumentContext:
    """Everything any of the fourteen documents may print. Each kind needs a part of it; the registry
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

    def __post_init__(self) -> None:
        _tuples(self)

"""案卷评查 scoring standards as versioned data (issue 16 item 1; GLOSSARY `CaseFileEvaluation`).

A standard is an indicator tree per kind of file: tier (基本标准 / 卷面标准 / 内容标准) → item (with its
stage) → rule (the 评分细则 text, the points, the deduction per defect). An item of the 基本标准 is a
单项否决 (veto) item: failing it makes the file 不合格卷 with the score 0. Each item says whether it is
*automatic* (computed from the records by the evaluation app, under its `function` key) or *manual*
(an evaluator scores it: 事实清楚、定性准确、适用法律正确 need judgement).

The default standards follow the common model compiled in `case_file_evaluation.md` (S25 测绘地理信息
案卷评查标准 for the tiers and the 卷面 deductions; S26/S27 provincial and municipal standards and a
deduction list for the 内容标准 weights). The sources disagree on the weights, and the excerpt of the
卷面 table is incomplete: the points are the platform's reading (`POINTS_NOTE`), and a 司法局 publishes
its own version (stored by the evaluation app, never edited once in force). The grade bands are a
parameter (`evaluation.casefile.grade_bands`, unverified). The scoring rules (sum, floor at 0 per tier,
veto → 不合格, grade band) are the shared core of `procedure.scoring`, also used by 执法质效评议.

Public interface (used by the evaluation campaigns): `standard_for(kind, on, region)`, `Standard.items`
(each with `code`, `title`, `tier`, `points`, `veto`, `automatic`, `basis`), `file_score(standard,
results)`. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sanxiang.procedure.coercion.basis import coercion_article
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.penalty.basis import GUIDELINE_118, penalty_article
from sanxiang.procedure.scoring import ScoredItem, score_total
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Violation

ZERO = Decimal("0")
GRADE_BANDS = "evaluation.casefile.grade_bands"
SUPERVISION_REGULATION = "《行政执法监督条例》"
EVALUATION_BASIS = f"{SUPERVISION_REGULATION}第十八条（案卷评查）"
SOURCE = ("案卷评查的通行模型：测绘地理信息行政处罚案卷评查标准（基本标准单项否决、卷面标准20分）；"
          "省、市行政处罚案卷评查评分标准及扣分细则（内容标准80分）；江苏省地方标准DB32/T 4181-2021"
          "《行政执法案卷制作及评查规范》附录A至C按行为类别分列评查标准")
POINTS_NOTE = "待核实：各地评查标准分值不一，卷面标准摘录不全；本分值为平台默认值，以司法局发布的评查标准为准"
NOT_APPLICABLE_BASIS = f"{PLATFORM_PREFIX}：案件不涉及的评查项目不扣分"
UNSCORED_BASIS = f"{PLATFORM_PREFIX}：尚未评查的人工评查项目暂按满分计，评查完成后以评查结果为准"


class FileKind(StrEnum):
    PENALTY_ORDINARY = "penalty_ordinary"
    COERCION_MEASURE = "coercion_measure"
    PERMIT = "permit"
    INSPECTION = "inspection"


FILE_KIND_LABELS = {
    FileKind.PENALTY_ORDINARY: "行政处罚（普通程序）案卷",
    FileKind.COERCION_MEASURE: "行政强制措施案卷",
    FileKind.PERMIT: "行政许可案卷",
    FileKind.INSPECTION: "行政检查案卷",
}


class Tier(StrEnum):
    BASIC = "basic"  # 基本标准: veto items, no points
    FORM = "form"  # 卷面标准
    CONTENT = "content"  # 内容标准


TIER_LABELS = {Tier.BASIC: "基本标准（单项否决）", Tier.FORM: "卷面标准", Tier.CONTENT: "内容标准"}
TIER_ORDER = (Tier.BASIC, Tier.FORM, Tier.CONTENT)


@dataclass(frozen=True)
class Item:
    """One item of a standard. `points` is what it is worth (0 for a veto item); `deduction` is what
    one defect costs (the item's points when any defect loses them all); `function` names the
    automatic check in the evaluation app ("" for a manual item)."""

    code: str
    title: str
    tier: str
    stage: str
    points: Decimal
    rule: str  # the 评分细则: what is checked and what is deducted
    basis: str
    deduction: Decimal = ZERO
    veto: bool = False
    function: str = ""
    fix: str = ""  # how to put it right while the case is open

    @property
    def automatic(self) -> bool:
        return bool(self.function)

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Standard:
    """One version of a standard for one kind of file, in force from `valid_from` (to `valid_to`,
    exclusive, when a later version replaced it) in `region` ("" = everywhere)."""

    kind: str
    version: str
    title: str
    items: tuple[Item, ...]
    valid_from: dt.date
    valid_to: dt.date | None = None
    region: str = ""
    source: str = SOURCE
    note: str = POINTS_NOTE
    on_platform: bool = True  # False: the platform has no procedure for this kind yet (scored by hand only)
    bands: tuple[tuple[Decimal, str], ...] = ()

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def full_marks(self) -> Decimal:
        return sum((i.points for i in self.items), ZERO)

    @property
    def veto_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.veto)

    @property
    def automatic_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.automatic)

    def in_force(self, on: dt.date, region: str = "") -> bool:
        return (self.valid_from <= on and (self.valid_to is None or on < self.valid_to)
                and self.region in ("", region))


@dataclass(frozen=True)
class RecordRef:
    """A record an automatic check looked at: its kind ("document", "evidence", "step", "officer",
    "review", "case"), its id and a Chinese label."""

    kind: str
    id: int | str
    label: str


@dataclass(frozen=True)
class ItemResult:
    """What an item found. `lost`: the points lost (may exceed the item's points: the tier floors the
    sum); `failed`: a veto item not met; `applicable=False`: the case does not involve the item (no
    deduction); `findings`: each defect in Chinese; `records`: what was looked at."""

    lost: Decimal = ZERO
    failed: bool = False
    applicable: bool = True
    findings: tuple[str, ...] = ()
    records: tuple[RecordRef, ...] = ()


def item_result(item: Item, *, defects: Sequence[str], records: Sequence[RecordRef] = (),
                applicable: bool = True) -> ItemResult:
    """The result of a check that found `defects`: a veto item fails on any defect; another loses its
    deduction per defect (its points when no deduction is set), at most its points."""
    if not applicable:
        return ItemResult(applicable=False, records=tuple(records))
    if item.veto:
        return ItemResult(failed=bool(defects), findings=tuple(defects), records=tuple(records))
    per = item.deduction or item.points
    lost = min(item.points, per * len(defects))
    return ItemResult(lost=lost, findings=tuple(defects), records=tuple(records))


@dataclass(frozen=True)
class FileScore:
    total: Decimal
    per_tier: dict[str, Decimal]
    full_marks: Decimal
    grade: str
    failed_vetoes: tuple[str, ...]  # codes of the veto items not met
    lost: dict[str, Decimal]  # points lost, by item code (only items that lost some)
    unscored: tuple[str, ...] = field(default=())  # items without a result (counted at full points)

    @property
    def vetoed(self) -> bool:
        return bool(self.failed_vetoes)

    @property
    def complete(self) -> bool:
        return not self.unscored


def grade_bands(*, on: dt.date, region: str = "", parameters: ParameterSet | None = None) -> tuple[tuple[Decimal, str], ...]:
    parameters = parameters or parameters_default()
    bands = parameters.value(GRADE_BANDS, on=on, region=region)
    return tuple(sorted(((Decimal(str(b["min"])), str(b["label"])) for b in bands), key=lambda b: b[0], reverse=True))


def file_score(standard: Standard, results: Mapping[str, ItemResult]) -> FileScore:
    """The file's score under `standard`: each item scores its points less what it lost; each tier is
    the sum of its items, floored at 0; the total is the sum of the tiers, or 0 with 不合格 when a veto
    item failed. An item without a result counts at full points and is listed in `unscored`."""
    scored = []
    lost: dict[str, Decimal] = {}
    unscored = []
    for item in standard.items:
        result = results.get(item.code)
        if result is None:
            unscored.append(item.code)
            result = ItemResult()
        item_lost = result.lost if result.applicable else ZERO
        if item_lost:
            lost[item.code] = item_lost
        scored.append(ScoredItem(code=item.code, tier=item.tier, points=item.points, score=item.points - item_lost,
                                 vetoed=item.veto and result.applicable and result.failed))
    bands = standard.bands or grade_bands(on=standard.valid_from, region=standard.region)
    total = score_total(scored, bands=bands)
    per_tier = {tier: total.per_tier.get(tier, ZERO) for tier in TIER_ORDER if tier in total.per_tier}
    return FileScore(total=total.total, per_tier=per_tier, full_marks=total.full_marks, grade=total.grade,
                     failed_vetoes=total.vetoed_codes, lost=lost, unscored=tuple(unscored))


# --- the default standards ---------------------------------------------------------------------------

D = Decimal
P = penalty_article
C = coercion_article


def _i(code: str, title: str, tier: Tier, stage: str, points: str, rule: str, basis: str, *, deduction: str = "0",
       veto: bool = False, function: str = "", fix: str = "") -> Item:
    return Item(code=code, title=title, tier=tier, stage=stage, points=D(points), rule=rule, basis=basis,
                deduction=D(deduction), veto=veto, function=function, fix=fix)


B, F, T = Tier.BASIC, Tier.FORM, Tier.CONTENT
GUIDELINE_FORMS = f"{GUIDELINE_118}二、（二）（统一执法文书格式、案卷标准）"
# A compulsory measure's audio-video record: the guideline and the local list (the parameter
# `coercion.audio_video_required_steps`, unverified), not 《行政处罚法》第四十七条 (a penalty's record).
COERCION_AUDIO_VIDEO_BASIS = f"{GUIDELINE_118}（查封扣押财产等现场执法活动推行全程音像记录）；本地区音像记录事项清单"

_FORM_ITEMS = (
    _i("form.templates", "使用规定的文书格式", F, "卷面", "2", "未使用规定或者备案的文书格式的，扣2分", GUIDELINE_FORMS, deduction="2", function="documents_templates",
       fix="使用平台生成的文书，不要上传自制格式的文书"),
    _i("form.filled", "文书填写规范", F, "卷面", "4", "文书有空项、涂改或者表述不清的，每处扣1分", GUIDELINE_FORMS,
       deduction="1"),
    _i("form.one_file", "一案一卷", F, "卷面", "2", "一案多卷或者多案一卷的，扣1分", GUIDELINE_FORMS, deduction="1",
       function="one_case_one_file", fix="一个案件的文书、证据归入同一案卷"),
    _i("form.cover", "卷宗封面统一", F, "卷面", "1", "未使用统一卷宗封面的，扣1分", GUIDELINE_FORMS, deduction="1"),
    _i("form.index", "卷内目录齐全、页码正确", F, "卷面", "2", "无卷内目录或者页码不符的，每处扣1分", GUIDELINE_FORMS,
       deduction="1"),
    _i("form.order", "按程序顺序排列", F, "卷面", "1", "未按立案、调查取证、审查、决定、送达、执行的顺序排列的，扣1分",
       GUIDELINE_FORMS, deduction="1"),
    _i("form.numbered", "文书编号齐全", F, "卷面", "2", "应当编号的文书未编文号的，每件扣1分", GUIDELINE_FORMS,
       deduction="1", function="documents_numbered", fix="在平台签发文书，由平台统一编号"),
    _i("form.complete", "卷面整洁、无缺页缺面", F, "卷面", "6", "组卷脱页、缺面或者卷面不整洁的，每处扣0.5分至2分",
       GUIDELINE_FORMS, deduction="1"),
)

# Without a procedure on the platform there are no records to compute from: every item is manual.
_MANUAL_FORM_ITEMS = tuple(replace(i, function="", fix="") for i in _FORM_ITEMS)

PENALTY_ORDINARY_ITEMS = (
    _i("basic.subject", "实施主体合法", B, "基本标准", "0", "实施机关不具有该项行政处罚权或者超越职权的，为不合格卷",
       P(17), veto=True),
    _i("basic.qualified", "执法人员具有执法资格", B, "基本标准", "0",
       "承办的执法人员在办理之日未持有有效行政执法证件的，为不合格卷", P(42, detail="第一款"), veto=True,
       function="officer_certificates", fix="由持有有效行政执法证的执法人员承办，重新指派承办人员"),
    _i("basic.two_officers", "执法人员不少于两人", B, "基本标准", "0", "调查、检查的执法人员少于两人的，为不合格卷",
       P(42, detail="第一款"), veto=True, function="officer_count", fix="为案件指派至少两名执法人员"),
    _i("basic.transferred", "应移送的已移送", B, "基本标准", "0", "涉嫌犯罪应当移送司法机关而未移送的，为不合格卷",
       P(27, detail="第一款"), veto=True),
    _i("basic.evidence", "证据充分", B, "基本标准", "0", "主要证据不足的，为不合格卷", P(40), veto=True),
    _i("basic.facts", "事实清楚", B, "基本标准", "0", "违法事实不清的，为不合格卷", P(40), veto=True),
    _i("basic.qualification", "定性准确", B, "基本标准", "0", "违法行为定性错误的，为不合格卷", P(57, detail="第一款"),
       veto=True),
    _i("basic.law", "适用法律正确", B, "基本标准", "0", "适用法律、法规、规章错误的，为不合格卷", P(57, detail="第一款"),
       veto=True),
    _i("basic.procedure", "程序合法", B, "基本标准", "0",
       "未告知即作出决定、当事人要求听证而未组织听证、重大执法决定未经法制审核的，为不合格卷",
       P(58, 62, 63), veto=True, function="procedure_lawful",
       fix="作出决定前完成告知、依申请组织听证；属于重大执法决定的，先经法制审核"),
    *_FORM_ITEMS,
    _i("content.opening", "立案审批及时", T, "立案", "3", "无立案审批表的扣2分，立案不及时的扣1分", P(54, detail="第二款"),
       deduction="1", function="opening_timely", fix="补全立案审批并在规定期限内立案"),
    _i("content.records", "调查笔录规范", T, "调查取证", "8",
       "笔录时间、地点、对象、内容齐全，每页由执法人员、记录人和被询问人签名；拒绝签名的由两名见证人签名或者注明情况；"
       "每处缺失扣1分", P(55, detail="第二款"), deduction="1", function="records_signed",
       fix="补齐笔录的签名；当事人拒绝签名的，在笔录中注明拒签情况并由见证人签名"),
    _i("content.evidence", "证据收集规范", T, "调查取证", "8",
       "证据来源合法、与案件关联，由两名执法人员签名、当事人签名或者注明拒签；每份缺失扣1分", P(46, 55),
       deduction="1", function="evidence_signed", fix="为每份证据补登两名执法人员和当事人的签名或者拒签说明"),
    _i("content.audio_video", "音像记录", T, "调查取证", "4",
       "音像记录事项清单要求全程音像记录的环节没有音像记录的，每个环节扣2分", P(47), deduction="2",
       function="audio_video", fix="上传执法记录仪录像，或者说明未录制的原因"),
    _i("content.report", "调查终结报告", T, "调查取证", "5",
       "无调查终结报告的扣3分；报告缺案源、当事人、事实证据、依据、承办人意见的，每项扣0.5分", P(57, detail="第一款"),
       deduction="1"),
    _i("content.approval", "审批表", T, "审查决定", "5", "无处罚审批表或者负责人未签署意见的，扣5分", P(57, detail="第一款"),
       deduction="5"),
    _i("content.notice", "事先告知", T, "审查决定", "8",
       "作出决定前未告知拟作出的处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利的，扣8分；告知内容不全的，扣2分",
       P(44, 62), deduction="8", function="notice_before_decision", fix="作出决定前送达行政处罚事先告知书"),
    _i("content.hearing", "听证", T, "审查决定", "10",
       "属于听证范围的（责令停产停业、吊销许可证件、较大数额罚款等），未告知听证权利或者当事人要求听证而未组织听证的，扣10分",
       P(63, 64), deduction="10", function="hearing_when_required", fix="当事人要求听证的，依法组织听证并制作听证笔录"),
    _i("content.review", "法制审核和集体讨论", T, "审查决定", "5",
       "重大执法决定未经法制审核，或者情节复杂、重大违法行为未经负责人集体讨论的，扣5分", P(57, 58), deduction="5",
       function="review_when_major", fix="提交法制审核；情节复杂或者重大违法的，提请负责人集体讨论"),
    _i("content.decision", "处罚决定书", T, "审查决定", "7",
       "决定书应载明当事人、违法事实和证据、处罚种类和依据、履行方式和期限、复议诉讼途径和期限、机关名称及印章、日期；"
       "每缺一项扣1分", P(59), deduction="1", function="decision_elements", fix="按决定书的检查结果修改决定书后重新生成"),
    _i("content.service", "送达", T, "送达执行", "3",
       "送达回证载明送达地点、时间和签收；决定书未当场交付且未在七日内送达的，扣3分", P(61), deduction="3",
       function="service_within_7_days", fix="在七日内依照民事诉讼法的规定送达决定书，并上传送达回证"),
    _i("content.receipts", "罚没票据", T, "送达执行", "3", "收缴罚没款未出具合法票据的，扣3分", P(70), deduction="3"),
    _i("content.separation", "罚缴分离和没收清单", T, "送达执行", "3", "未执行罚缴分离或者没收物品无清单的，扣3分",
       P(67, 74), deduction="3"),
    _i("content.archive", "结案归档", T, "归档", "8",
       "结案报告、一案一号一卷、封皮、卷内目录、备考表齐全；每缺一项扣1分至2分", GUIDELINE_FORMS, deduction="2"),
)

COERCION_MEASURE_ITEMS = (
    _i("basic.subject", "实施主体合法", B, "基本标准", "0", "实施机关无法定的行政强制措施权或者委托实施的，为不合格卷",
       C(17, detail="第一款"), veto=True),
    _i("basic.qualified", "执法人员具有执法资格", B, "基本标准", "0",
       "实施人员在实施之日未持有有效行政执法证件的，为不合格卷", C(17, detail="第三款"), veto=True,
       function="officer_certificates", fix="由持有有效行政执法证的执法人员实施"),
    _i("basic.two_officers", "执法人员不少于两人", B, "基本标准", "0", "实施的执法人员少于两人的，为不合格卷",
       C(18, detail="第二项"), veto=True, function="officer_count", fix="为案件指派至少两名执法人员"),
    _i("basic.approval", "实施前报经批准", B, "基本标准", "0",
       "实施前未向行政机关负责人报告并经批准，情况紧急的也未在二十四小时内补办批准手续的，为不合格卷",
       C(18, 19), veto=True, function="coercion_approved", fix="报请机关负责人批准；当场实施的，在二十四小时内补办批准手续"),
    _i("basic.facts", "事实清楚、证据充分", B, "基本标准", "0", "实施强制措施的事实不清、证据不足的，为不合格卷",
       C(16), veto=True),
    _i("basic.law", "适用法律正确", B, "基本标准", "0", "强制措施的种类、对象不符合法律规定的，为不合格卷", C(9, 23),
       veto=True),
    *_FORM_ITEMS,
    _i("content.records", "现场笔录", T, "实施", "20",
       "现场笔录由当事人和执法人员签名或者盖章，当事人拒绝的在笔录中注明；当事人不到场的，由见证人签名；每处缺失扣2分",
       C(18, detail="第七项至第九项"), deduction="2", function="records_signed",
       fix="补齐现场笔录的签名；当事人拒绝的，注明拒签情况"),
    _i("content.inform", "告知和听取陈述申辩", T, "实施", "15",
       "未当场告知实施的理由、依据和当事人的权利、救济途径，或者未听取陈述申辩的，扣15分", C(18, detail="第五项、第六项"),
       deduction="15"),
    _i("content.decision", "查封扣押决定书和清单", T, "实施", "20",
       "未制作并当场交付查封、扣押决定书和清单的，扣20分；决定书缺法定事项的，每项扣2分", C(24), deduction="2"),
    _i("content.audio_video", "音像记录", T, "实施", "10",
       "列入音像记录事项清单的强制措施没有全程音像记录的，扣10分", COERCION_AUDIO_VIDEO_BASIS, deduction="10", function="audio_video", fix="上传执法记录仪录像，或者说明未录制的原因"),
    _i("content.term", "期限和解除", T, "处理", "15",
       "查封、扣押超过三十日且未经批准延长，或者应当解除而未及时解除的，扣15分", C(25, 28), deduction="15"),
)

PERMIT_ITEMS = (
    _i("basic.subject", "实施主体合法", B, "基本标准", "0", "实施机关无该项行政许可权的，为不合格卷",
       "《中华人民共和国行政许可法》第二十二条", veto=True),
    _i("basic.facts", "事实清楚、证据充分", B, "基本标准", "0", "申请材料不齐全或者不符合法定形式而准予许可的，为不合格卷",
       "《中华人民共和国行政许可法》第三十四条", veto=True),
    *_MANUAL_FORM_ITEMS,
    _i("content.accept", "受理", T, "受理", "12", "申请材料不全未一次告知需补正内容的，扣3分",
       "《中华人民共和国行政许可法》第三十二条", deduction="3"),
    _i("content.review", "审查与决定", T, "审查决定", "36", "未在法定期限内作出决定的，扣6分",
       "《中华人民共和国行政许可法》第三十四条、第四十二条", deduction="6"),
    _i("content.hearing", "听证", T, "听证", "32", "依法应当听证而未听证，或者听证需要的时间未书面告知的，扣3分至32分",
       "《中华人民共和国行政许可法》第四十六条、第四十七条", deduction="3"),
)

INSPECTION_ITEMS = (
    _i("basic.subject", "实施主体合法", B, "基本标准", "0", "实施机关无该项行政检查权的，为不合格卷",
       f"{SUPERVISION_REGULATION}第十八条", veto=True),
    _i("basic.two_officers", "执法人员不少于两人", B, "基本标准", "0", "检查的执法人员少于两人的，为不合格卷",
       P(42, detail="第一款"), veto=True),
    *_MANUAL_FORM_ITEMS,
    _i("content.plan", "检查计划", T, "检查", "30", "未按检查计划实施检查的，扣10分", f"{SUPERVISION_REGULATION}第十八条",
       deduction="10"),
    _i("content.records", "检查笔录", T, "检查", "30", "检查笔录缺签名或者内容不全的，每处扣2分", P(55, detail="第二款"),
       deduction="2"),
    _i("content.result", "结果公示和处理", T, "处理", "20", "检查结果未依法公示或者未处理的，扣10分",
       f"{SUPERVISION_REGULATION}第十八条", deduction="10"),
)

DEFAULT_FROM = dt.date(2021, 7, 15)  # the 2021 revision of the 行政处罚法 in force

DEFAULT_STANDARDS: tuple[Standard, ...] = (
    Standard(kind=FileKind.PENALTY_ORDINARY, version="默认-1", title="行政处罚（普通程序）案卷评查标准（平台默认）",
             items=PENALTY_ORDINARY_ITEMS, valid_from=DEFAULT_FROM),
    Standard(kind=FileKind.COERCION_MEASURE, version="默认-1", title="行政强制措施案卷评查标准（平台默认）",
             items=COERCION_MEASURE_ITEMS, valid_from=DEFAULT_FROM),
    Standard(kind=FileKind.PERMIT, version="默认-1", title="行政许可案卷评查标准（平台默认）", items=PERMIT_ITEMS,
             valid_from=DEFAULT_FROM, on_platform=False),
    Standard(kind=FileKind.INSPECTION, version="默认-1", title="行政检查案卷评查标准（平台默认）", items=INSPECTION_ITEMS,
             valid_from=DEFAULT_FROM, on_platform=False),
)

NO_PROCEDURE_NOTE = "平台尚无该类案件的办案程序，本标准只用于人工评查"


def standard_for(kind: str, on: dt.date, region: str = "", *, published: Sequence[Standard] = ()) -> Standard:
    """The standard in force for `kind` on `on` in `region`: the latest published version of the
    region (then of everywhere) that is in force, else the platform's default. The evaluation app's
    `casefile_selectors.standard_for` passes the published versions stored by the 司法局."""
    candidates = [s for s in published if s.kind == kind and s.in_force(on, region)]
    if candidates:
        return max(candidates, key=lambda s: (bool(s.region), s.valid_from))
    for standard in DEFAULT_STANDARDS:
        if standard.kind == kind:
            return standard
    raise KeyError(kind)


# --- versions as data, and what a version changed -----------------------------------------------------


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def standard_to_data(standard: Standard) -> dict[str, Any]:
    """The standard as JSON-able data (what the evaluation app stores for a published version)."""
    return {
        "kind": str(standard.kind), "version": standard.version, "title": standard.title,
        "valid_from": standard.valid_from.isoformat(),
        "valid_to": standard.valid_to.isoformat() if standard.valid_to else None,
        "region": standard.region, "source": standard.source, "note": standard.note,
        "on_platform": standard.on_platform,
        "bands": [[_text(bound), label] for bound, label in standard.bands],
        "items": [{"code": i.code, "title": i.title, "tier": str(i.tier), "stage": i.stage, "points": _text(i.points),
                   "rule": i.rule, "basis": i.basis, "deduction": _text(i.deduction), "veto": i.veto,
                   "function": i.function, "fix": i.fix} for i in standard.items],
    }


def standard_from_data(data: Mapping[str, Any]) -> Standard:
    return Standard(
        kind=data["kind"], version=data["version"], title=data["title"],
        valid_from=dt.date.fromisoformat(data["valid_from"]),
        valid_to=dt.date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None,
        region=data.get("region", ""), source=data.get("source", SOURCE), note=data.get("note", ""),
        on_platform=bool(data.get("on_platform", True)),
        bands=tuple((D(b[0]), str(b[1])) for b in data.get("bands", ())),
        items=tuple(Item(code=i["code"], title=i["title"], tier=i["tier"], stage=i["stage"], points=D(i["points"]),
                         rule=i["rule"], basis=i["basis"], deduction=D(i["deduction"]), veto=bool(i["veto"]),
                         function=i.get("function", ""), fix=i.get("fix", "")) for i in data["items"]),
    )


POINTS_LIMIT = D("100")
EDIT_HELP = ("每行改一项：“项目名称 | 分值 | 每处扣分”，例如“事先告知 | 8 | 2”；只写要改的项目。"
             "基本标准（单项否决）项目没有分值。新增人工评查项目写“+ 名称 | 层级（卷面或者内容） | 环节 | 分值 | 每处扣分 | 评分细则”。")
_TIER_BY_LABEL = {"卷面": Tier.FORM, "内容": Tier.CONTENT}
# A deduction of 0 would mean "any defect loses the item's points" to `item_result`, while the diff and the
# page would say 0: both numbers must be positive.
POSITIVE = "分值和每处扣分都应为大于0的数（最多一位小数）"


def _decimal(text: str) -> Decimal | None:
    try:
        value = D(text.strip().removesuffix("分"))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > POINTS_LIMIT or value != value.quantize(D("0.1")):
        return None
    return value.quantize(D("0.1"))


def standard_fields_problems(*, version: str, title: str, valid_from: dt.date | None) -> list[Violation]:
    """What a new version's own fields lack (whatever standard it revises)."""
    violations = []
    if not version.strip():
        violations.append(Violation("standard.version", "请填写版本号", FORM_BASIS, "version"))
    if not title.strip():
        violations.append(Violation("standard.title", "请填写标准名称", FORM_BASIS, "title"))
    if valid_from is None:
        violations.append(Violation("standard.valid_from", "请填写施行日期", FORM_BASIS, "valid_from"))
    return violations


def standard_revise(previous: Standard, *, changes: str, version: str, title: str, valid_from: dt.date | None,
                    region: str) -> tuple[Standard | None, list[Violation]]:
    """A 司法局's new version of `previous`, from its changes typed as lines (`EDIT_HELP`), or every
    problem. The automatic items keep their check; new items are manual."""
    violations = standard_fields_problems(version=version, title=title, valid_from=valid_from)
    if valid_from is not None and valid_from <= previous.valid_from:
        violations.append(Violation("standard.valid_from_order", "施行日期应晚于上一版本的施行日期", EVALUATION_BASIS,
                                    "valid_from"))
    items = {i.code: i for i in previous.items}
    order = [i.code for i in previous.items]

    def problem(number: int, message: str) -> None:
        violations.append(Violation("standard.line", f"第{number}行：{message}", FORM_BASIS, "changes"))

    by_title = {i.title: i.code for i in previous.items}
    added = 0
    for number, raw in enumerate(changes.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if line.startswith(("+", "＋")):
            parts[0] = parts[0][1:].strip()
            if len(parts) != 6:
                problem(number, "新增项目应写六栏：名称、层级、环节、分值、每处扣分、评分细则")
                continue
            name, tier_label, stage, points_text, deduction_text, rule = parts
            tier = _TIER_BY_LABEL.get(tier_label.removesuffix("标准"))
            points, deduction = _decimal(points_text), _decimal(deduction_text)
            if not name or name in by_title:
                problem(number, "项目名称为空或者已经存在")
            elif tier is None:
                problem(number, "层级只能写“卷面”或者“内容”")
            elif not stage or not rule:
                problem(number, "环节、评分细则都要写")
            elif not points or not deduction:
                problem(number, POSITIVE)
            else:
                added += 1
                code = f"custom.{version.strip() or 'new'}.{added}"
                items[code] = Item(code=code, title=name, tier=tier, stage=stage, points=points, rule=rule,
                                   basis=EVALUATION_BASIS, deduction=deduction)
                by_title[name] = code
                order.append(code)
            continue
        if len(parts) != 3:
            problem(number, "应写“项目名称 | 分值 | 每处扣分”")
            continue
        name, points_text, deduction_text = parts
        item = items.get(by_title.get(name, ""))
        points, deduction = _decimal(points_text), _decimal(deduction_text)
        if item is None:
            problem(number, f"没有名称为“{name}”的项目")
        elif item.veto:
            problem(number, f"“{item.title}”是单项否决项目，没有分值")
        elif not points or not deduction:
            problem(number, POSITIVE)
        else:
            items[item.code] = replace(item, points=points, deduction=deduction)
    if violations:
        return None, violations
    return replace(previous, version=version.strip(), title=title.strip(), valid_from=valid_from, valid_to=None,
                   region=region, items=tuple(items[c] for c in order)), []


def standard_diff(previous: Standard | None, current: Standard) -> list[str]:
    """What `current` changed against `previous`, one Chinese line per change."""
    if previous is None:
        return [f"首个版本，共{len(current.items)}项，总分{_text(current.full_marks)}分"]
    lines = []
    before = {i.code: i for i in previous.items}
    after = {i.code: i for i in current.items}
    for code, item in after.items():
        old = before.get(code)
        if old is None:
            lines.append(f"新增“{item.title}”（{_text(item.points)}分）")
            continue
        if old.points != item.points:
            lines.append(f"“{item.title}”分值由{_text(old.points)}分改为{_text(item.points)}分")
        if old.deduction != item.deduction:
            lines.append(f"“{item.title}”每处扣分由{_text(old.deduction)}分改为{_text(item.deduction)}分")
        if old.title != item.title or old.rule != item.rule:
            lines.append(f"“{old.title}”的名称或者评分细则有修改")
    for code, item in before.items():
        if code not in after:
            lines.append(f"删除“{item.title}”")
    if previous.full_marks != current.full_marks:
        lines.append(f"总分由{_text(previous.full_marks)}分改为{_text(current.full_marks)}分")
    return lines or ["分值和项目未改变"]


__all__ = [
    "DEFAULT_STANDARDS",
    "EDIT_HELP",
    "FILE_KIND_LABELS",
    "GRADE_BANDS",
    "NOT_APPLICABLE_BASIS",
    "NO_PROCEDURE_NOTE",
    "TIER_LABELS",
    "TIER_ORDER",
    "FileKind",
    "FileScore",
    "Item",
    "ItemResult",
    "RecordRef",
    "Standard",
    "Tier",
    "file_score",
    "grade_bands",
    "item_result",
    "standard_diff",
    "standard_fields_problems",
    "standard_for",
    "standard_from_data",
    "standard_revise",
    "standard_to_data",
]

"""Complete contexts for the documents of 行政强制 and of the penalty case's other outcomes, built on
the food-safety case of samples.py (乌审旗, made-up people and numbers):

- a seizure (扣押) of the expired milk, extended once and partly released;
- a freeze (冻结) of a taxpayer's deposit by the tax bureau;
- the unpaid fine enforced through the court (催告书, 强制执行申请书);
- gravel heaped in a river channel, removed by the water bureau itself or by substitute (催告书,
  强制执行决定书, 代履行决定书);
- a first offence not penalised (不予行政处罚决定书), and a case sent to the police (移送书).
"""

import datetime as dt
from dataclasses import replace

from sanxiang.documents import (
    Agency,
    CaseInfo,
    CourtApplicationDetails,
    DemandDetails,
    DocumentContext,
    EnforcedDecision,
    EnforcementDetails,
    Evidence,
    ExecutionDetails,
    FrozenAccount,
    LegalBasis,
    MeasureDetails,
    MeasureExtension,
    MeasureOnSite,
    MeasureRelease,
    NoPenaltyDetails,
    Officer,
    Party,
    Person,
    PreservedItem,
    SubstituteDetails,
    TransferDetails,
)
from tests.documents.samples import FOOD_SAFETY_LAW, sample_context

COMPULSION_LAW = "《中华人民共和国行政强制法》"
WATER_LAW = "《中华人民共和国水法》"
TAX_LAW = "《中华人民共和国税收征收管理法》"

MILK = PreservedItem("“草原鲜”牌纯牛奶", "250毫升×24盒", "12", "箱", "保质期至2026年8月28日")
YOGURT = PreservedItem("“草原鲜”牌原味酸奶", "200克×12杯", "3", "箱", "送检")

ON_SITE = MeasureOnSite(
    started_at=dt.datetime(2026, 9, 1, 15, 20),
    ended_at=dt.datetime(2026, 9, 1, 16, 5),
    place="乌审旗嘎鲁图镇团结路12号当事人经营场所",
    recorder="其木格",
    findings=(
        "执法人员对售卖区货架上陈列的“草原鲜”牌纯牛奶12箱、“草原鲜”牌原味酸奶3箱逐箱清点，"
        "当场装箱、加贴封条，运至本机关涉案物品保管室。"
    ),
    told="告知当事人扣押的理由为涉嫌经营超过保质期的食品，依据为食品安全法第一百一十条第（四）项，"
    "当事人有权陈述和申辩，对扣押决定不服的，可以依法申请行政复议或者提起行政诉讼。",
    statement="当事人称纯牛奶系店员疏忽未及时下架，酸奶尚在保质期内，请求不要扣押酸奶。",
    present_person=Person(name="巴特尔", position="法定代表人", phone="139****5678"),
    recording="执法记录仪全程录像，现场拍摄照片8张。",
)

SEIZURE = MeasureDetails(
    kind="seizure",
    reason=(
        "当事人售卖区陈列销售的“草原鲜”牌纯牛奶12箱已超过保质期，同批次进货的“草原鲜”牌原味酸奶3箱"
        "储存温度不符合标签标示的要求，有证据证明属于不符合食品安全标准或者存在安全隐患的食品"
    ),
    bases=(LegalBasis(FOOD_SAFETY_LAW, "第一百一十条第（四）项"),),
    start=dt.date(2026, 9, 1),
    end=dt.date(2026, 9, 30),
    days=30,
    approved_on=dt.date(2026, 9, 1),
    place="乌审旗嘎鲁图镇团结路12号当事人经营场所",
    items=(MILK, YOGURT),
    storage_place="乌审旗市场监督管理局涉案物品保管室",
    storage_method="异地扣押，冷藏保存",
    decision_number="乌市监查扣决〔2026〕3号",
    decided_on=dt.date(2026, 9, 1),
    on_site=ON_SITE,
    extension=MeasureExtension(
        days=30,
        reason="涉案酸奶需送食品检验机构检验，案情复杂",
        approved_on=dt.date(2026, 9, 25),
        new_end=dt.date(2026, 10, 30),
    ),
    release=MeasureRelease(
        ground="unrelated",
        detail="经内蒙古自治区食品检验检测中心检验，涉案酸奶符合食品安全标准",
        items=(YOGURT,),
        collection="请于2026年10月16日前携本决定书到乌审旗市场监督管理局涉案物品保管室领取",
    ),
)


def seizure_context() -> DocumentContext:
    return replace(
        sample_context(),
        measure=SEIZURE,
        document_number="乌市监查扣决〔2026〕3号",
        issued_on=dt.date(2026, 9, 1),
    )


def seal_up_context() -> DocumentContext:
    """The same place sealed up on the spot instead of the goods taken away."""
    return replace(
        seizure_context(),
        measure=replace(
            SEIZURE,
            kind="seal_up",
            items=(PreservedItem("当事人经营场所仓库", "约20平方米", "1", "间", "门窗加贴封条"), MILK),
            storage_method="就地查封",
            storage_place="当事人经营场所仓库",
        ),
    )


TAX_BUREAU = Agency(
    name="国家税务总局乌审旗税务局",
    address="内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇苏力德街6号",
    phone="0477-7219876",
    seal_text="国家税务总局乌审旗税务局",
)

FREEZE = MeasureDetails(
    kind="freeze",
    reason=(
        "当事人在限期缴纳2026年第三季度应纳税款期间，有明显的转移收入的迹象，经责令提供纳税担保，"
        "当事人未能提供"
    ),
    bases=(LegalBasis(TAX_LAW, "第三十八条第一款第（一）项"),),
    start=dt.date(2026, 10, 12),
    end=dt.date(2026, 11, 10),
    days=30,
    approved_on=dt.date(2026, 10, 12),
    accounts=(
        FrozenAccount(
            "中国农业银行乌审旗支行", "乌审旗草原味道餐饮有限公司", "0547************1234", 1_256_000
        ),
    ),
    decision_number="乌税冻决〔2026〕2号",
    decided_on=dt.date(2026, 10, 12),
    on_site=MeasureOnSite(
        started_at=dt.datetime(2026, 10, 12, 10, 0),
        ended_at=dt.datetime(2026, 10, 12, 10, 30),
        place="中国农业银行乌审旗支行营业部",
        recorder="刘洋",
        findings="执法人员向中国农业银行乌审旗支行交付协助冻结通知书，该行当即冻结当事人账户存款人民币12560元。",
        party_present=False,
    ),
    extension=MeasureExtension(
        days=30,
        reason="当事人提出分期缴纳申请，需核实其经营收入",
        approved_on=dt.date(2026, 11, 5),
        new_end=dt.date(2026, 12, 10),
    ),
    release=MeasureRelease(ground="decided", detail="当事人已于2026年11月20日缴清税款"),
)


def freeze_context() -> DocumentContext:
    return replace(
        sample_context(),
        agency=TAX_BUREAU,
        case=CaseInfo(number="乌税稽〔2026〕15号", cause="涉嫌逃避缴纳税款案"),
        measure=FREEZE,
        officers=(Officer("刘洋", "15060009876"), Officer("赵磊", "15060004321")),
        document_number="乌税冻决〔2026〕2号",
        issued_on=dt.date(2026, 10, 12),
    )


# --- 行政强制执行 ------------------------------------------------------------------------------------

UNPAID_FINE = EnforcementDetails(
    obligation="payment",
    decision=EnforcedDecision(
        title="行政处罚决定书",
        number="乌市监处罚〔2026〕12号",
        decided_on=dt.date(2026, 11, 26),
        duty="自收到决定书之日起十五日内缴纳罚没款人民币叁仟肆佰捌拾元整",
        received_on=dt.date(2026, 11, 27),
    ),
    default="在决定书规定的期限内未缴纳罚没款，经电话催缴仍未缴纳",
    principal_fen=348_000,
    surcharge_fen=104_400,
    demand=DemandDetails(
        deadline=dt.date(2027, 6, 30),
        method="到中国农业银行乌审旗支行缴纳，或者通过内蒙古自治区非税收入电子缴款系统缴纳",
        amount_fen=452_400,
        payment_method="一次性缴纳",
        statement_days=3,
        to_court=True,
        number="乌市监催告〔2027〕4号",
        served_on=dt.date(2027, 6, 12),
    ),
    court=CourtApplicationDetails(
        court="乌审旗人民法院",
        target="罚没款人民币叁仟肆佰捌拾元整及加处罚款人民币壹仟零肆拾肆元整，合计人民币肆仟伍佰贰拾肆元整",
        party_opinion="被申请人收到催告书后未提出陈述和申辩",
        head="李明",
        attachments=(
            "《行政处罚决定书》（乌市监处罚〔2026〕12号）及送达回证",
            "作出行政处罚决定的事实、理由和依据（调查终结报告、证据材料）",
            "《催告书》（乌市监催告〔2027〕4号）及送达回证",
            "被申请人的财产状况说明",
        ),
    ),
)


def unpaid_fine_context() -> DocumentContext:
    return replace(
        sample_context(),
        case=CaseInfo(number="乌市监执〔2027〕2号", cause="申请强制执行罚没款案"),
        enforcement=UNPAID_FINE,
        document_number="乌市监强执申〔2027〕1号",
        issued_on=dt.date(2027, 7, 20),
    )


WATER_BUREAU = Agency(
    name="乌审旗水利局",
    address="内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇乌审西街21号",
    phone="0477-7213456",
    seal_text="乌审旗水利局",
)
GRAVEL_COMPANY = Party(
    kind="organization",
    name="乌审旗宏达砂石有限公司",
    id_code="91150626MA0N5678AB",
    address="内蒙古自治区鄂尔多斯市乌审旗无定河镇河南村",
    legal_representative="张宏",
)

GRAVEL = EnforcementDetails(
    obligation="act",
    decision=EnforcedDecision(
        title="责令限期清除违法堆放物决定书",
        number="乌水责〔2027〕3号",
        decided_on=dt.date(2027, 3, 10),
        duty="于2027年4月10日前清除堆放在无定河河道管理范围内的砂石料约300立方米，恢复河道原状",
        received_on=dt.date(2027, 3, 11),
    ),
    default="逾期未清除，砂石料仍堆放在河道管理范围内",
    demand=DemandDetails(
        deadline=dt.date(2027, 5, 20),
        method="自行清除堆放在无定河河道管理范围内的砂石料，恢复河道原状",
        statement_days=3,
        number="乌水催告〔2027〕2号",
        served_on=dt.date(2027, 5, 6),
    ),
    execution=ExecutionDetails(
        reasons="汛期将至，当事人堆放的砂石料阻碍行洪，危及河岸堤防安全。",
        bases=(LegalBasis(WATER_LAW, "第六十五条第一款"),),
        method="removal",
        method_detail="由本机关组织人员和机械清除当事人堆放在无定河河道管理范围内的砂石料，所需费用由当事人负担",
        starts_at=dt.datetime(2027, 6, 3, 9, 0),
    ),
    substitute=SubstituteDetails(
        reasons="当事人逾期不清除堆放的砂石料，汛期将至，其后果将危害河道行洪和交通安全、破坏河道自然资源。",
        bases=(LegalBasis(COMPULSION_LAW, "第五十条"), LegalBasis(WATER_LAW, "第六十五条第一款")),
        method="使用挖掘机、自卸车清运砂石料并平整河道",
        starts_at=dt.datetime(2027, 6, 3, 9, 0),
        target="堆放在无定河河道管理范围内的砂石料约300立方米",
        cost_estimate_fen=1_850_000,
        performer="乌审旗安澜水利工程有限公司（与本案无利害关系）",
    ),
)


def gravel_context() -> DocumentContext:
    return replace(
        sample_context(),
        agency=WATER_BUREAU,
        case=CaseInfo(number="乌水执〔2027〕1号", cause="违法在河道管理范围内堆放砂石料案"),
        party=GRAVEL_COMPANY,
        enforcement=GRAVEL,
        document_number="乌水强执决〔2027〕1号",
        issued_on=dt.date(2027, 5, 28),
    )


# --- 不予行政处罚, 移送 --------------------------------------------------------------------------------


def no_penalty_context() -> DocumentContext:
    """A first offence, minor and corrected at once (第三十三条第一款)."""
    return replace(
        sample_context(),
        facts=(
            "当事人于2026年9月1日在其经营场所售卖区陈列销售超过保质期的“草原鲜”牌纯牛奶1箱（货值60元），"
            "尚未售出，检查当日当事人即将该箱纯牛奶下架销毁。"
        ),
        evidence=(
            Evidence("现场检查笔录1份", "当事人经营场所陈列超过保质期的纯牛奶1箱"),
            Evidence("询问笔录1份（巴特尔）", "当事人系初次违法并已改正"),
        ),
        no_penalty=NoPenaltyDetails(
            reason="first_offence",
            reasoning=(
                "本机关认为，当事人系初次违法，涉案食品仅1箱且尚未售出，危害后果轻微，当事人在检查当日即予以改正，"
                "符合《内蒙古自治区市场监管领域轻微违法行为不予行政处罚清单》所列情形。"
            ),
            education="本机关已对当事人进行了食品安全法律法规的宣传教育，当事人表示今后将严格执行临近保质期食品检查制度。",
            correction="建立并严格执行临近保质期食品检查制度",
        ),
        document_number="乌市监不罚〔2026〕2号",
    )


def transfer_context() -> DocumentContext:
    return replace(
        sample_context(),
        case=replace(sample_context().case, cause="涉嫌销售不符合食品安全标准的食品案"),
        facts=(
            "当事人于2026年8月至9月间，将超过保质期的“草原鲜”牌纯牛奶更换包装、篡改生产日期后销售，"
            "共计销售600箱，销售金额36000元。"
        ),
        transfer=TransferDetails(
            recipient="乌审旗公安局",
            suspected_offence="生产、销售不符合安全标准的食品罪",
            reasons=(
                "经内蒙古自治区食品检验检测中心检验，涉案纯牛奶菌落总数严重超标，足以造成严重食物中毒事故或者其他严重"
                "食源性疾病"
            ),
            attachments=(
                "涉嫌犯罪案件情况的调查报告",
                "涉案物品清单",
                "检验报告（内食检〔2026〕第0915号）",
                "现场检查笔录、询问笔录、进货和销售单据复印件等证据材料",
            ),
            approved_by="李明",
            approved_on=dt.date(2026, 10, 9),
            contact_person="王建国",
        ),
        document_number="乌市监移〔2026〕1号",
        issued_on=dt.date(2026, 10, 9),
    )


# --- one context per document, each with its own 文号 and date -------------------------------------


def extension_context() -> DocumentContext:
    return replace(seizure_context(), document_number="乌市监延期〔2026〕1号", issued_on=dt.date(2026, 9, 26))


def release_context() -> DocumentContext:
    return replace(seizure_context(), document_number="乌市监解强〔2026〕2号", issued_on=dt.date(2026, 10, 9))


def demand_context() -> DocumentContext:
    return replace(
        unpaid_fine_context(), document_number="乌市监催告〔2027〕4号", issued_on=dt.date(2027, 6, 11)
    )


def gravel_demand_context() -> DocumentContext:
    return replace(gravel_context(), document_number="乌水催告〔2027〕2号", issued_on=dt.date(2027, 5, 5))


def substitute_context() -> DocumentContext:
    return replace(gravel_context(), document_number="乌水代履〔2027〕1号")


# The context each kind is rendered from in the tests.
CONTEXTS = {
    "measure_decision": seizure_context,
    "inventory": seizure_context,
    "on_site_record": seizure_context,
    "extension_notice": extension_context,
    "release_decision": release_context,
    "freeze_decision": freeze_context,
    "demand": demand_context,
    "execution_decision": gravel_context,
    "substitute_decision": substitute_context,
    "court_application": unpaid_fine_context,
    "no_penalty_decision": no_penalty_context,
    "transfer_letter": transfer_context,
}

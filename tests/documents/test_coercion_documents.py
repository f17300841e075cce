"""The documents of 行政强制 (《中华人民共和国行政强制法》): each renders to a PDF and a DOCX that say
what the article asks, and is refused, naming the missing element and its article, until the
context supplies it."""

import io
from dataclasses import replace

import docx
import pypdf
import pytest

from sanxiang.documents import (
    ALL_DOCUMENT_KINDS,
    COERCION_KINDS,
    DOCUMENT_KINDS,
    Agency,
    DocumentContext,
    DocumentIncomplete,
    FrozenAccount,
    Officer,
    Person,
    PreservedItem,
    RenderedDocument,
    document_elements_present,
    document_problems,
    document_render,
)
from sanxiang.procedure.coercion.procedures import RECORD_KINDS as COERCION_RECORDS
from sanxiang.procedure.coercion.snapshot import DECISION_ELEMENTS, FREEZE_DECISION_ELEMENTS
from sanxiang.procedure.enforcement.procedures import RECORD_KINDS as ENFORCEMENT_RECORDS
from sanxiang.procedure.enforcement.snapshot import DEMAND_ELEMENTS, EXECUTION_DECISION_ELEMENTS
from tests.documents.coercion_samples import (
    CONTEXTS,
    ON_SITE,
    SEIZURE,
    freeze_context,
    gravel_context,
    gravel_demand_context,
    release_context,
    seal_up_context,
    seizure_context,
    substitute_context,
    unpaid_fine_context,
)
from tests.documents.reading import docx_text, flat, pdf_pages, pdf_text

LAW = "《中华人民共和国行政强制法》"


def art(text: str) -> str:
    return LAW + text


def fields(kind: str, context: DocumentContext) -> list[str]:
    return [v.field for v in document_problems(kind=kind, context=context)]


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedDocument]:
    return {kind: document_render(kind=kind, context=CONTEXTS[kind]()) for kind in COERCION_KINDS}


# --- registry ----------------------------------------------------------------------------------------


def test_the_coercion_documents_are_registered_with_the_engines_records():
    expected = {
        # key: (title, engine record, numbered, number word)
        "measure_decision": ("查封（扣押）决定书", "measure_decision", True, "查扣决"),
        "inventory": ("查封（扣押）财物清单", "inventory", False, ""),
        "on_site_record": ("现场笔录", "on_site_record", False, ""),
        "extension_notice": ("延长查封（扣押）期限通知书", "extension_notice", True, "延期"),
        "release_decision": ("解除查封（扣押）决定书", "release_decision", True, "解强"),
        "freeze_decision": ("冻结决定书", "freeze_decision", True, "冻决"),
        "demand": ("催告书", "demand", True, "催告"),
        "execution_decision": ("强制执行决定书", "execution_decision", True, "强执决"),
        "substitute_decision": ("代履行决定书", "substitute_decision", True, "代履"),
        "court_application": ("强制执行申请书", "court_application", True, "强执申"),
    }
    assert {
        key: (kind.title, kind.record_kind, kind.numbered, kind.number_word)
        for key, kind in COERCION_KINDS.items()
    } == expected
    engine_records = {r.name for r in COERCION_RECORDS} | {r.name for r in ENFORCEMENT_RECORDS}
    assert {kind.record_kind for kind in COERCION_KINDS.values()} <= engine_records
    # Rendered like every other kind, but not one of the penalty case's fourteen.
    assert set(COERCION_KINDS) <= set(ALL_DOCUMENT_KINDS) and not set(COERCION_KINDS) & set(DOCUMENT_KINDS)
    for kind in COERCION_KINDS.values():
        assert kind.legal_basis.startswith(LAW), kind.key
        assert kind.fields, kind.key


def test_every_number_word_is_the_kinds_own():
    words = [kind.number_word for kind in ALL_DOCUMENT_KINDS.values() if kind.number_word]
    assert len(words) == len(set(words))
    assert all(kind.numbered for kind in ALL_DOCUMENT_KINDS.values() if kind.number_word)
    assert all(kind.number_word for kind in COERCION_KINDS.values() if kind.numbered)


@pytest.mark.parametrize("kind", list(COERCION_KINDS))
def test_requirements_have_distinct_codes_and_the_engines_element_keys(kind):
    document_kind = COERCION_KINDS[kind]
    keys = [r.key for r in document_kind.requirements]
    assert len(keys) == len(set(keys))
    assert {r.element for r in document_kind.requirements if r.element} <= set(document_kind.elements)


# --- rendering ---------------------------------------------------------------------------------------

# What each document must say, as printed (the article's elements and the facts of the sample).
KEY_FACTS: dict[str, list[str]] = {
    "measure_decision": [
        "当事人：乌审旗草原味道餐饮有限公司",
        "住所：内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇团结路12号",
        "售卖区陈列销售的“草原鲜”牌纯牛奶12箱已超过保质期",
        "依据《中华人民共和国食品安全法》第一百一十条第（四）项的规定，经本机关负责人于2026年9月1日批准",
        "予以扣押",
        "“草原鲜”牌纯牛奶250毫升×24盒12箱保质期至2026年8月28日",
        "“草原鲜”牌原味酸奶200克×12杯3箱送检",
        "扣押期限为三十日，自2026年9月1日起至2026年9月30日止",
        "自收到本决定书之日起六十日内向乌审旗人民政府申请行政复议",
        "自收到本决定书之日起六个月内依法向乌审旗人民法院提起行政诉讼",
        "清单一式二份，由当事人和本机关分别保存",
        "（印章）乌审旗市场监督管理局2026年9月1日",
    ],
    "inventory": [
        "扣押决定书文号：乌市监查扣决〔2026〕3号",
        "当事人：乌审旗草原味道餐饮有限公司",
        "“草原鲜”牌纯牛奶250毫升×24盒12箱",
        "保管地点：乌审旗市场监督管理局涉案物品保管室",
        "本清单一式二份",
        "王建国（执法证号：15060001234）、其木格（执法证号：15060005678）",
        "当事人（签名或者盖章）",
    ],
    "on_site_record": [
        "时间：2026年9月1日15时20分至16时05分",
        "地点：乌审旗嘎鲁图镇团结路12号当事人经营场所",
        "执法人员：王建国（执法证号：15060001234）、其木格（执法证号：15060005678）",
        "当事人到场情况：到场",
        "出示了执法证件",
        "告知当事人扣押的理由为涉嫌经营超过保质期的食品",
        "当事人的陈述和申辩：当事人称纯牛奶系店员疏忽未及时下架",
        "执法记录仪全程录像",
        "当事人（签名或者盖章）",
    ],
    "extension_notice": [
        "乌市监延期〔2026〕1号",
        "以《扣押决定书》（乌市监查扣决〔2026〕3号）对你单位的有关场所、设施或者财物予以扣押，期限至2026年9月30日止",
        "因涉案酸奶需送食品检验机构检验，案情复杂，经本机关负责人于2026年9月25日批准",
        "《中华人民共和国行政强制法》第二十五条第一款",
        "决定将扣押期限延长三十日，延长后的扣押期限至2026年10月30日止",
        "2026年9月26日",
    ],
    "release_decision": [
        "乌市监解强〔2026〕2号",
        "因扣押的场所、设施或者财物与违法行为无关（经内蒙古自治区食品检验检测中心检验，涉案酸奶符合食品安全标准）",
        "《中华人民共和国行政强制法》第二十八条第一款第二项",
        "现将下列扣押的财物退还你单位",
        "“草原鲜”牌原味酸奶200克×12杯3箱",
        "领取方式：请于2026年10月16日前",
    ],
    "freeze_decision": [
        "国家税务总局乌审旗税务局",
        "当事人：乌审旗草原味道餐饮有限公司",
        "有明显的转移收入的迹象",
        "依据《中华人民共和国税收征收管理法》第三十八条第一款第（一）项的规定",
        "中国农业银行乌审旗支行",
        "0547************1234",
        "人民币壹万贰仟伍佰陆拾元整（¥12,560.00）",
        "冻结期限为三十日，自2026年10月12日起至2026年11月10日止",
        "六十日内向乌审旗人民政府申请行政复议",
        "（印章）国家税务总局乌审旗税务局2026年10月12日",
    ],
    "demand": [
        "乌市监催告〔2027〕4号",
        "《行政处罚决定书》（乌市监处罚〔2026〕12号）",
        "你单位在决定书规定的期限内未缴纳罚没款",
        "《中华人民共和国行政强制法》第三十五条、第五十四条",
        "履行期限：请于2027年6月30日前履行上述义务",
        "履行方式：到中国农业银行乌审旗支行缴纳",
        "应缴金额：人民币肆仟伍佰贰拾肆元整（¥4,524.00）",
        "加处罚款或者滞纳金人民币壹仟零肆拾肆元整（¥1,044.00）",
        "给付方式：一次性缴纳",
        "你单位收到本催告书后有权进行陈述和申辩，可以自收到本催告书之日起三个工作日内向本机关提出",
        "本机关将依法申请人民法院强制执行",
    ],
    "execution_decision": [
        "当事人：乌审旗宏达砂石有限公司",
        "住所：内蒙古自治区鄂尔多斯市乌审旗无定河镇河南村",
        "《责令限期清除违法堆放物决定书》（乌水责〔2027〕3号）",
        "向当事人送达《催告书》（乌水催告〔2027〕2号），催告当事人于2027年5月20日前履行义务。当事人逾期仍不履行，且无正当理由",
        "汛期将至，当事人堆放的砂石料阻碍行洪",
        "依据《中华人民共和国水法》第六十五条第一款的规定",
        "强制执行的方式：排除妨碍、恢复原状，由本机关组织人员和机械清除",
        "强制执行的时间：2027年6月3日9时00分起",
        "六十日内向乌审旗人民政府申请行政复议",
        "（印章）乌审旗水利局2027年5月28日",
    ],
    "substitute_decision": [
        "乌水代履〔2027〕1号",
        "当事人：乌审旗宏达砂石有限公司",
        "住所：内蒙古自治区鄂尔多斯市乌审旗无定河镇河南村",
        "其后果将危害河道行洪和交通安全",
        "依据《中华人民共和国行政强制法》第五十条、《中华人民共和国水法》第六十五条第一款的规定",
        "代履行的方式：使用挖掘机、自卸车清运砂石料并平整河道",
        "代履行的时间：2027年6月3日9时00分起",
        "代履行的标的：堆放在无定河河道管理范围内的砂石料约300立方米",
        "代履行的费用预算：人民币壹万捌仟伍佰元整（¥18,500.00）",
        "代履行人：乌审旗安澜水利工程有限公司（与本案无利害关系）",
        "代履行三日前，本机关将催告当事人履行，当事人履行的，停止代履行",
    ],
    "court_application": [
        "申请人：乌审旗市场监督管理局",
        "被申请人：乌审旗草原味道餐饮有限公司",
        "请求依法强制执行本机关作出的《行政处罚决定书》（乌市监处罚〔2026〕12号）",
        "合计人民币肆仟伍佰贰拾肆元整",
        "被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行该决定",
        "《催告书》（乌市监催告〔2027〕4号）",
        "催告书送达十日后，被申请人仍未履行义务",
        "被申请人的意见：被申请人收到催告书后未提出陈述和申辩",
        "《中华人民共和国行政强制法》第五十三条、第五十四条",
        "此致乌审旗人民法院",
        "《催告书》（乌市监催告〔2027〕4号）及送达回证",
        "行政机关负责人（签名）：李明（印章）乌审旗市场监督管理局2027年7月20日",
    ],
}


def test_every_coercion_kind_has_its_key_facts():
    assert set(KEY_FACTS) == set(COERCION_KINDS)


@pytest.mark.parametrize("kind", list(COERCION_KINDS))
def test_every_kind_renders_a_pdf_and_a_docx_that_say_what_it_must(kind, rendered):
    context = CONTEXTS[kind]()
    document_kind = COERCION_KINDS[kind]
    document = rendered[kind]
    title = document_kind.title_for(context)
    assert document.title == title
    assert document.pdf.startswith(b"%PDF-") and document.docx.startswith(b"PK")
    reader = pypdf.PdfReader(io.BytesIO(document.pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert reader.metadata.title == title
    assert docx.Document(io.BytesIO(document.docx)).core_properties.title == title
    reference = context.document_number if document_kind.numbered else context.case.number
    assert document.filename_stem == f"{title}_{reference}"
    pdf, word = pdf_text(document.pdf), docx_text(document.docx)
    for text in (pdf, word):
        assert context.agency.name in text and title in text
        missing = [fact for fact in KEY_FACTS[kind] if flat(fact) not in text]
        assert missing == []


@pytest.mark.parametrize("kind", list(COERCION_KINDS))
def test_every_kind_refuses_an_empty_context_with_reasons(kind):
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind=kind, context=DocumentContext(agency=Agency(name="乌审旗市场监督管理局")))
    title = COERCION_KINDS[kind].title
    assert refused.value.kind == kind and refused.value.violations
    for violation in refused.value.violations:
        assert violation.message.startswith(title + "缺少")
        assert violation.legal_basis.startswith("《")
    assert str(refused.value).startswith(f"{title}不完整，缺少：")


# --- 查封、扣押 (第二十四条) -------------------------------------------------------------------------------


def test_the_measure_decision_states_every_element_of_article_24():
    """第二十四条第二款: a decision without the names and numbers of what is seized is refused,
    names the element and its article, and the engine's guard sees the element missing; with the
    list, it is issued."""
    kind = COERCION_KINDS["measure_decision"]
    assert kind.elements == tuple(DECISION_ELEMENTS)
    full = seizure_context()
    assert document_elements_present(kind="measure_decision", context=full) == set(DECISION_ELEMENTS)

    unlisted = replace(full, measure=replace(SEIZURE, items=(PreservedItem("“草原鲜”牌纯牛奶"),)))
    problems = document_problems(kind="measure_decision", context=unlisted)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("measure.items", "扣押决定书缺少查封、扣押场所、设施或者财物的名称、数量", art("第二十四条第二款")),
    ]
    assert problems[0].code == "document.measure_decision.measure.items.missing"
    assert document_elements_present(kind="measure_decision", context=unlisted) == set(DECISION_ELEMENTS) - {
        "items"
    }
    with pytest.raises(
        DocumentIncomplete, match="扣押决定书不完整，缺少：查封、扣押场所、设施或者财物的名称、数量"
    ):
        document_render(kind="measure_decision", context=unlisted)

    listed = replace(
        unlisted, measure=replace(SEIZURE, items=(PreservedItem("“草原鲜”牌纯牛奶", quantity="12"),))
    )
    assert document_problems(kind="measure_decision", context=listed) == []


def test_the_period_and_the_remedies_are_elements_too():
    full = seizure_context()
    context = replace(
        full, measure=replace(SEIZURE, end=None), remedies=None, agency=replace(full.agency, seal_text="")
    )
    problems = document_problems(kind="measure_decision", context=context)
    assert [v.field for v in problems] == [
        "measure.days",
        "remedies.reconsideration_authority",
        "remedies.court",
        "agency.seal_text",
    ]
    assert {v.legal_basis for v in problems} == {art("第二十四条第二款")}
    assert document_elements_present(kind="measure_decision", context=context) == {"party", "items"}


def test_a_measure_is_named_by_its_kind():
    """A 查封 prints 查封决定书 and nothing of a seizure; a freeze is no 查封（扣押）决定书."""
    sealed = document_render(kind="measure_decision", context=seal_up_context())
    assert sealed.title == "查封决定书" and sealed.filename_stem == "查封决定书_乌市监查扣决〔2026〕3号"
    text = pdf_text(sealed.pdf)
    assert "查封决定书" in text and "当事人经营场所仓库约20平方米1间门窗加贴封条" in text
    assert "查封期间，当事人不得擅自启封、使用、转移、隐匿、损毁或者处置被查封的场所、设施或者财物" in text
    assert "扣押" not in text
    assert document_render(kind="inventory", context=seal_up_context()).title == "查封财物清单"

    frozen = replace(seizure_context(), measure=replace(SEIZURE, kind="freeze"))
    problems = document_problems(kind="measure_decision", context=frozen)
    assert [(v.field, v.message) for v in problems] == [
        ("measure.kind", "查封（扣押）决定书缺少行政强制措施的种类（查封、扣押）")
    ]


def test_the_inventory_needs_the_officers_who_took_the_measure():
    """第十八条第二项: two officers carry out the measure; the inventory names them."""
    context = replace(seizure_context(), officers=(Officer("王建国", "15060001234"),), officers_required=2)
    problems = document_problems(kind="inventory", context=context)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        (
            "officers",
            "扣押财物清单缺少执法人员的姓名和执法证件号（不少于2名，现有1名）",
            art("第十八条第二项"),
        )
    ]
    assert document_problems(kind="inventory", context=replace(context, officers_required=1)) == []


# --- 现场笔录 (第十八条) -----------------------------------------------------------------------------------


def test_an_absent_party_needs_a_witness_on_the_record():
    """第十八条第九项: the party absent, a witness signs the record. Without one the record is refused;
    with one it prints the witness and the absence, and asks nothing the party could not be told."""
    absent = replace(ON_SITE, party_present=False, present_person=None, told="", statement="")
    context = replace(seizure_context(), measure=replace(SEIZURE, on_site=absent))
    problems = document_problems(kind="on_site_record", context=context)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("measure.on_site.witness", "现场笔录缺少当事人不到场时的见证人", art("第十八条第九项"))
    ]

    witnessed = replace(
        context,
        measure=replace(
            SEIZURE, on_site=replace(absent, witness=Person(name="乌云", employer="团结路社区居委会"))
        ),
    )
    document = document_render(kind="on_site_record", context=witnessed)
    text = pdf_text(document.pdf)
    for expected in (
        "当事人到场情况：经通知未到场",
        "见证人姓名：乌云",
        "执法人员邀请见证人到场",
        "见证人（签名或者盖章）",
    ):
        assert expected in text
    assert "当场告知当事人" not in text
    for page in pdf_pages(document.pdf):
        assert "见证人签名" in page and "执法人员签名" in page


def test_a_present_party_is_told_and_heard_on_the_record():
    """第十八条第五项、第六项: told the reasons, basis, rights and remedies; heard."""
    silent = replace(ON_SITE, told="", statement="")
    context = replace(seizure_context(), measure=replace(SEIZURE, on_site=silent))
    problems = document_problems(kind="on_site_record", context=context)
    assert [(v.field, v.legal_basis) for v in problems] == [
        ("measure.on_site.told", art("第十八条第五项")),
        ("measure.on_site.statement", art("第十八条第六项")),
    ]
    assert problems[1].message == "现场笔录缺少当事人的陈述和申辩（或者当事人未陈述、申辩）"


def test_a_refusal_to_sign_is_noted_and_every_page_is_signed(rendered):
    """第十八条第八项."""
    refused = replace(ON_SITE, refusal_note="当事人巴特尔拒绝在笔录上签名，执法记录仪已录像。")
    text = pdf_text(
        document_render(
            kind="on_site_record",
            context=replace(seizure_context(), measure=replace(SEIZURE, on_site=refused)),
        ).pdf
    )
    assert "当事人拒绝签名或者盖章的情况：当事人巴特尔拒绝在笔录上签名，执法记录仪已录像。" in text
    pages = pdf_pages(rendered["on_site_record"].pdf)
    for number, page in enumerate(pages, start=1):
        assert "当事人签名" in page and f"第{number}页共{len(pages)}页" in page


def test_a_freeze_on_site_record_follows_article_30():
    """第三十条第一款: a freeze follows only 第十八条第一项、第二项、第三项、第七项: no party called,
    told or heard at the bank, no witness; what is missing cites 第三十条."""
    context = freeze_context()
    assert document_problems(kind="on_site_record", context=context) == []
    text = pdf_text(document_render(kind="on_site_record", context=context).pdf)
    assert "中国农业银行乌审旗支行营业部" in text and "依法实施冻结" in text
    assert "当事人到场情况" not in text and "通知当事人到场" not in text
    unrecorded = replace(
        context, measure=replace(context.measure, on_site=replace(context.measure.on_site, findings=""))
    )
    assert [
        (v.field, v.legal_basis) for v in document_problems(kind="on_site_record", context=unrecorded)
    ] == [("measure.on_site.findings", art("第三十条第一款"))]


# --- 延长, 解除 (第二十五条, 第二十八条; 冻结: 第三十二条, 第三十三条) -------------------------------------------


def test_an_extension_states_its_reason_and_the_new_end():
    """第二十五条第二款: the extension is told in writing with its reason."""
    context = CONTEXTS["extension_notice"]()
    unreasoned = replace(
        context, measure=replace(SEIZURE, extension=replace(SEIZURE.extension, reason=" ", days=0))
    )
    problems = document_problems(kind="extension_notice", context=unreasoned)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("measure.extension.reason", "延长扣押期限通知书缺少延长期限的理由", art("第二十五条第二款")),
        ("measure.extension.days", "延长扣押期限通知书缺少延长的期限", art("第二十五条第二款")),
    ]
    assert document_problems(kind="extension_notice", context=context) == []


def test_a_freeze_is_extended_and_released_under_its_own_articles():
    """第三十二条 and 第三十三条, not 第二十五条 and 第二十八条."""
    context = replace(freeze_context(), document_number="乌税延期〔2026〕1号")
    extension = document_render(kind="extension_notice", context=context)
    assert extension.title == "延长冻结期限通知书"
    text = pdf_text(extension.pdf)
    assert "《中华人民共和国行政强制法》第三十二条第一款" in text and "第二十五条" not in text
    assert "决定将冻结期限延长三十日，延长后的冻结期限至2026年12月10日止" in text
    measure = context.measure
    unreasoned = replace(context, measure=replace(measure, extension=replace(measure.extension, reason="")))
    assert [
        (v.field, v.message, v.legal_basis)
        for v in document_problems(kind="extension_notice", context=unreasoned)
    ] == [("measure.extension.reason", "延长冻结期限通知书缺少延长期限的理由", art("第三十二条第二款"))]

    release = document_render(kind="release_decision", context=freeze_context())
    assert release.title == "解除冻结决定书"
    text = pdf_text(release.pdf)
    for expected in (
        "因本机关对违法行为已经作出处理决定，不再需要冻结（当事人已于2026年11月20日缴清税款）",
        "《中华人民共和国行政强制法》第三十三条第一款第三项",
        "本机关将及时通知下列金融机构解除对你单位存款、汇款的冻结",
        "0547************1234",
    ):
        assert expected in text


def test_a_release_returns_only_what_it_releases():
    """第二十八条第一款第二项 and 第二款: the yoghurt, not related to the offence, goes back; the milk
    stays seized."""
    text = pdf_text(document_render(kind="release_decision", context=release_context()).pdf)
    assert "“草原鲜”牌原味酸奶" in text and "“草原鲜”牌纯牛奶" not in text


def test_a_release_states_a_ground_of_the_law():
    context = release_context()
    groundless = replace(
        context, measure=replace(SEIZURE, release=replace(SEIZURE.release, ground="goodwill"))
    )
    problems = document_problems(kind="release_decision", context=groundless)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("measure.release.ground", "解除扣押决定书缺少解除的法定情形", art("第二十八条"))
    ]
    sealed = replace(seal_up_context(), document_number="乌市监解强〔2026〕3号")
    assert "现解除对你单位下列场所、设施或者财物的查封" in pdf_text(
        document_render(kind="release_decision", context=sealed).pdf
    )


# --- 冻结决定书 (第三十一条) ------------------------------------------------------------------------------


def test_the_freeze_decision_states_the_account_and_the_amount():
    """第三十一条第三项: an account without the amount frozen is refused, citing 第三十一条."""
    kind = COERCION_KINDS["freeze_decision"]
    assert kind.elements == tuple(FREEZE_DECISION_ELEMENTS)
    context = freeze_context()
    assert document_elements_present(kind="freeze_decision", context=context) == set(FREEZE_DECISION_ELEMENTS)
    no_amount = replace(
        context,
        measure=replace(
            context.measure, accounts=(FrozenAccount("中国农业银行乌审旗支行", "", "0547****1234", 0),)
        ),
    )
    problems = document_problems(kind="freeze_decision", context=no_amount)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("measure.accounts", "冻结决定书缺少冻结的账号和数额（开户金融机构、账号、数额）", art("第三十一条"))
    ]
    assert "items" not in document_elements_present(kind="freeze_decision", context=no_amount)
    # A seizure is not frozen by a 冻结决定书.
    assert "measure.kind" in fields("freeze_decision", seizure_context())


# --- 催告书 (第三十五条) -----------------------------------------------------------------------------------


def test_a_demand_for_money_states_the_amount_and_how_to_pay():
    """第三十五条第三项: refused without the amount; the engine's element `amount` is then missing."""
    kind = COERCION_KINDS["demand"]
    assert kind.elements == tuple(DEMAND_ELEMENTS)
    context = CONTEXTS["demand"]()
    assert document_elements_present(kind="demand", context=context) == set(DEMAND_ELEMENTS)
    enforcement = context.enforcement
    unpriced = replace(
        context, enforcement=replace(enforcement, demand=replace(enforcement.demand, amount_fen=0))
    )
    problems = document_problems(kind="demand", context=unpriced)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("enforcement.demand.amount_fen", "催告书缺少金钱给付的金额和给付方式", art("第三十五条"))
    ]
    assert document_elements_present(kind="demand", context=unpriced) == set(DEMAND_ELEMENTS) - {"amount"}
    undated = replace(
        context, enforcement=replace(enforcement, demand=replace(enforcement.demand, deadline=None))
    )
    assert document_problems(kind="demand", context=undated)[0].message == "催告书缺少履行义务的期限"


def test_a_demand_to_act_has_no_amount_and_leads_to_an_execution_decision():
    context = gravel_demand_context()
    assert document_problems(kind="demand", context=context) == []
    text = pdf_text(document_render(kind="demand", context=context).pdf)
    assert "应缴金额" not in text and "第五十四条" not in text
    assert "履行方式：自行清除堆放在无定河河道管理范围内的砂石料，恢复河道原状" in text
    assert "你单位逾期仍不履行且无正当理由的，本机关将依法作出强制执行决定。" in text


# --- 强制执行决定书 (第三十七条) ----------------------------------------------------------------------------


def test_the_execution_decision_states_every_element_of_article_37():
    kind = COERCION_KINDS["execution_decision"]
    assert kind.elements == tuple(EXECUTION_DECISION_ELEMENTS)
    context = gravel_context()
    assert document_elements_present(kind="execution_decision", context=context) == set(
        EXECUTION_DECISION_ELEMENTS
    )
    enforcement = context.enforcement
    untimed = replace(
        context, enforcement=replace(enforcement, execution=replace(enforcement.execution, starts_at=None))
    )
    problems = document_problems(kind="execution_decision", context=untimed)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("enforcement.execution.starts_at", "强制执行决定书缺少强制执行的时间", art("第三十七条第二款"))
    ]
    assert "method_time" not in document_elements_present(kind="execution_decision", context=untimed)


def test_execution_follows_a_demand_served():
    """第三十五条、第三十七条第一款: no execution decision before the demand was served."""
    context = gravel_context()
    enforcement = context.enforcement
    unserved = replace(
        context, enforcement=replace(enforcement, demand=replace(enforcement.demand, served_on=None))
    )
    problems = document_problems(kind="execution_decision", context=unserved)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("enforcement.demand.served_on", "强制执行决定书缺少催告书送达日期", art("第三十七条"))
    ]


def test_immediate_execution_rests_on_evidence_of_assets_hidden():
    """第三十七条第三款: refused without the evidence; with it, the decision says 立即 and cites the paragraph."""
    context = gravel_context()
    enforcement = context.enforcement
    immediate = replace(enforcement.execution, immediate=True)
    bare = replace(context, enforcement=replace(enforcement, execution=immediate))
    problems = document_problems(kind="execution_decision", context=bare)
    assert [(v.field, v.legal_basis) for v in problems] == [
        ("enforcement.execution.immediate_reason", art("第三十七条第三款"))
    ]
    grounded = replace(
        context,
        enforcement=replace(
            enforcement,
            execution=replace(immediate, immediate_reason="当事人正在将砂石料装车转运出售，有转移财物的迹象"),
        ),
    )
    text = pdf_text(document_render(kind="execution_decision", context=grounded).pdf)
    assert "在催告期间，当事人正在将砂石料装车转运出售，有转移财物的迹象。" in text
    assert "和《中华人民共和国行政强制法》第三十七条第三款的规定，本机关决定立即对当事人强制执行" in text
    assert "逾期仍不履行" not in text


# --- 代履行决定书 (第五十一条), 强制执行申请书 (第五十五条) ---------------------------------------------------


def test_the_substitute_decision_states_its_cost_estimate():
    """第五十一条第一款第一项."""
    context = substitute_context()
    enforcement = context.enforcement
    unpriced = replace(
        context,
        enforcement=replace(enforcement, substitute=replace(enforcement.substitute, cost_estimate_fen=0)),
    )
    problems = document_problems(kind="substitute_decision", context=unpriced)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        (
            "enforcement.substitute.cost_estimate_fen",
            "代履行决定书缺少代履行的费用预算",
            art("第五十一条第一款第一项"),
        )
    ]
    no_performer = replace(
        context, enforcement=replace(enforcement, substitute=replace(enforcement.substitute, performer=""))
    )
    assert fields("substitute_decision", no_performer) == ["enforcement.substitute.performer"]


def test_the_court_application_is_signed_by_the_head_and_says_the_partys_opinion():
    """第五十五条: the party's opinion (第一款第三项) and the head's signature (第二款)."""
    context = unpaid_fine_context()
    court = context.enforcement.court
    unsigned = replace(
        context, enforcement=replace(context.enforcement, court=replace(court, head="", party_opinion=""))
    )
    problems = document_problems(kind="court_application", context=unsigned)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("enforcement.court.party_opinion", "强制执行申请书缺少当事人的意见", art("第五十五条第一款")),
        ("enforcement.court.head", "强制执行申请书缺少行政机关负责人的签名", art("第五十五条第二款")),
    ]
    undemanded = replace(context, enforcement=replace(context.enforcement, demand=None))
    assert [v.legal_basis for v in document_problems(kind="court_application", context=undemanded)] == [
        art("第五十四条")
    ] * 3

"""The decisions of a penalty case's other outcomes (《中华人民共和国行政处罚法》第五十七条第一款): the
不予行政处罚决定书 (第二项、第三项) and the 涉嫌犯罪案件移送书 (第四项, 第二十七条)."""

from dataclasses import replace

import pytest

from sanxiang.documents import (
    ALL_DOCUMENT_KINDS,
    DOCUMENT_KINDS,
    PENALTY_OUTCOME_KINDS,
    Agency,
    DocumentContext,
    DocumentIncomplete,
    RenderedDocument,
    decision_elements_present,
    document_elements_present,
    document_problems,
    document_render,
)
from sanxiang.procedure.penalty.procedures import RECORD_KINDS
from sanxiang.procedure.penalty.snapshot import NO_PENALTY_DECISION_ELEMENTS
from tests.documents.coercion_samples import no_penalty_context, transfer_context
from tests.documents.reading import docx_text, flat, pdf_text

LAW = "《中华人民共和国行政处罚法》"
REGULATION = "《行政执法机关移送涉嫌犯罪案件的规定》"


@pytest.fixture(scope="module")
def no_penalty() -> RenderedDocument:
    return document_render(kind="no_penalty_decision", context=no_penalty_context())


@pytest.fixture(scope="module")
def transfer() -> RenderedDocument:
    return document_render(kind="transfer_letter", context=transfer_context())


def test_both_outcomes_are_registered_as_the_engines_records():
    no_penalty_kind = PENALTY_OUTCOME_KINDS["no_penalty_decision"]
    transfer_kind = PENALTY_OUTCOME_KINDS["transfer_letter"]
    assert (no_penalty_kind.title, no_penalty_kind.record_kind, no_penalty_kind.number_word) == (
        "不予行政处罚决定书",
        "decision_document",
        "不罚决",
    )
    assert (transfer_kind.title, transfer_kind.record_kind, transfer_kind.number_word) == (
        "涉嫌犯罪案件移送书",
        "transfer_letter",
        "移送",
    )
    assert no_penalty_kind.numbered and transfer_kind.numbered
    assert {no_penalty_kind.record_kind, transfer_kind.record_kind} <= {r.name for r in RECORD_KINDS}
    assert set(PENALTY_OUTCOME_KINDS) <= set(ALL_DOCUMENT_KINDS) and not set(PENALTY_OUTCOME_KINDS) & set(
        DOCUMENT_KINDS
    )
    assert transfer_kind.legal_basis == f"{LAW}第二十七条、第五十七条第一款第四项；{REGULATION}第三条"
    for kind in PENALTY_OUTCOME_KINDS.values():
        keys = [r.key for r in kind.requirements]
        assert len(keys) == len(set(keys))


# --- 不予行政处罚决定书 -----------------------------------------------------------------------------------

NO_PENALTY_TEXTS = [
    "乌市监不罚〔2026〕2号",
    "当事人：乌审旗草原味道餐饮有限公司",
    "住所：内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇团结路12号",
    "经查明：当事人于2026年9月1日在其经营场所售卖区陈列销售超过保质期的“草原鲜”牌纯牛奶1箱（货值60元）",
    "1．现场检查笔录1份，证明当事人经营场所陈列超过保质期的纯牛奶1箱",
    "违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定",
    "本机关认为，当事人系初次违法",
    "本案属于“初次违法且危害后果轻微并及时改正”的情形",
    "依据《中华人民共和国行政处罚法》第三十三条第一款、第五十七条第一款第二项的规定，本机关决定对当事人不予行政处罚",
    "同时，责令当事人建立并严格执行临近保质期食品检查制度",
    "本机关已对当事人进行了食品安全法律法规的宣传教育",
    "可以自收到本决定书之日起六十日内向乌审旗人民政府申请行政复议",
    "自收到本决定书之日起六个月内依法向乌审旗人民法院提起行政诉讼",
    "（印章）乌审旗市场监督管理局2026年11月26日",
]


def test_the_no_penalty_decision_renders_what_article_59_asks_without_a_penalty(no_penalty):
    assert no_penalty.title == "不予行政处罚决定书"
    assert no_penalty.filename_stem == "不予行政处罚决定书_乌市监不罚〔2026〕2号"
    assert no_penalty.pdf.startswith(b"%PDF-") and no_penalty.docx.startswith(b"PK")
    for text in (pdf_text(no_penalty.pdf), docx_text(no_penalty.docx)):
        assert [s for s in NO_PENALTY_TEXTS if flat(s) not in text] == []
        # Nothing to pay or carry out, so nothing that is "not suspended".
        assert "不停止执行" not in text and "罚款" not in text and "十五日内" not in text


def test_the_no_penalty_decision_supplies_the_engines_elements():
    """The engine checks NO_PENALTY_DECISION_ELEMENTS of a 不予 decision; the document says which are
    there, the same way as for a penalty decision (where the penalty's own elements would be missing)."""
    kind = PENALTY_OUTCOME_KINDS["no_penalty_decision"]
    assert kind.elements == tuple(NO_PENALTY_DECISION_ELEMENTS)
    context = no_penalty_context()
    assert document_elements_present(kind="no_penalty_decision", context=context) == set(
        NO_PENALTY_DECISION_ELEMENTS
    )
    assert "penalty_basis" not in decision_elements_present(context=replace(context, penalty=None))
    unaddressed = replace(context, party=replace(context.party, address=""), issued_on=None)
    assert document_elements_present(kind="no_penalty_decision", context=unaddressed) == {
        "facts_evidence",
        "remedies",
        "seal",
    }
    problems = document_problems(kind="no_penalty_decision", context=unaddressed)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        ("party.address", "不予行政处罚决定书缺少当事人的地址", f"{LAW}第五十九条"),
        ("issued_on", "不予行政处罚决定书缺少作出决定的日期", f"{LAW}第五十九条"),
    ]


def test_a_party_not_penalised_for_an_illegal_act_is_educated():
    """第三十三条第三款: refused without the education; a case whose facts are not established
    (第四十条) has nothing to educate, and rests on 第五十七条第一款第三项."""
    context = no_penalty_context()
    uneducated = replace(context, no_penalty=replace(context.no_penalty, education=""))
    problems = document_problems(kind="no_penalty_decision", context=uneducated)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        (
            "no_penalty.education",
            "不予行政处罚决定书缺少对当事人的教育（或者责令监护人管教）",
            f"{LAW}第三十三条第三款",
        )
    ]
    unproven = replace(
        uneducated,
        no_penalty=replace(
            uneducated.no_penalty,
            reason="facts_unclear",
            correction="",
            reasoning="本机关认为，现有证据不能证明涉案纯牛奶系当事人用于销售。",
        ),
        violated=(),
    )
    assert document_problems(kind="no_penalty_decision", context=unproven) == []
    text = pdf_text(document_render(kind="no_penalty_decision", context=unproven).pdf)
    assert (
        "本案属于“违法事实不能成立或者证据不足”的情形。依据《中华人民共和国行政处罚法》第四十条、第五十七条第一款第三项的规定"
        in text
    )
    assert "违反了" not in text


def test_the_ground_must_be_one_of_the_law():
    context = no_penalty_context()
    unknown = replace(context, no_penalty=replace(context.no_penalty, reason="sympathy"))
    problems = document_problems(kind="no_penalty_decision", context=unknown)
    assert [(v.field, v.message, v.legal_basis) for v in problems] == [
        (
            "no_penalty.reason",
            "不予行政处罚决定书缺少不予行政处罚的法定情形",
            f"{LAW}第五十七条第一款第二项、第三项",
        )
    ]
    minor = replace(
        context,
        no_penalty=replace(context.no_penalty, reason="under_14", education="本机关已责令其监护人加以管教。"),
    )
    text = pdf_text(document_render(kind="no_penalty_decision", context=minor).pdf)
    assert "依据《中华人民共和国行政处罚法》第三十条的规定，本机关决定对当事人不予行政处罚" in text


# --- 涉嫌犯罪案件移送书 ------------------------------------------------------------------------------------

TRANSFER_TEXTS = [
    "乌市监移〔2026〕1号",
    "乌审旗公安局：",
    "本机关在查处乌审旗草原味道餐饮有限公司涉嫌销售不符合食品安全标准的食品一案过程中查明",
    "共计销售600箱，销售金额36000元",
    "涉案纯牛奶菌落总数严重超标",
    "当事人的行为涉嫌构成生产、销售不符合安全标准的食品罪，依法需要追究刑事责任",
    "经本机关负责人李明于2026年10月9日批准",
    "根据《中华人民共和国行政处罚法》第二十七条第一款、第五十七条第一款第四项和《行政执法机关移送涉嫌犯罪案件的规定》第三条的规定，现将该案移送你单位依法处理",
    "附件：1．涉嫌犯罪案件情况的调查报告；2．涉案物品清单；3．检验报告（内食检〔2026〕第0915号）",
    "联系人：王建国",
    "（印章）乌审旗市场监督管理局2026年10月9日",
]


def test_the_transfer_letter_says_what_is_sent_and_why(transfer):
    assert transfer.title == "涉嫌犯罪案件移送书"
    assert transfer.filename_stem == "涉嫌犯罪案件移送书_乌市监移〔2026〕1号"
    for text in (pdf_text(transfer.pdf), docx_text(transfer.docx)):
        assert [s for s in TRANSFER_TEXTS if flat(s) not in text] == []


def test_the_transfer_letter_needs_its_reasons_and_its_materials():
    """第二十七条第一款: a crime suspected is the reason to transfer; 《行政执法机关移送涉嫌犯罪案件的规定》
    第六条: the letter goes with the report, the list of articles, the test reports."""
    context = transfer_context()
    bare = replace(context, transfer=replace(context.transfer, reasons="", attachments=()))
    problems = document_problems(kind="transfer_letter", context=bare)
    assert [(v.field, v.legal_basis) for v in problems] == [
        ("transfer.reasons", f"{LAW}第二十七条第一款"),
        ("transfer.attachments", f"{REGULATION}第六条"),
    ]
    assert problems[0].message == "涉嫌犯罪案件移送书缺少移送的理由（涉嫌犯罪的情形）"


@pytest.mark.parametrize("kind", list(PENALTY_OUTCOME_KINDS))
def test_every_outcome_refuses_an_empty_context_with_reasons(kind):
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind=kind, context=DocumentContext(agency=Agency(name="乌审旗市场监督管理局")))
    title = PENALTY_OUTCOME_KINDS[kind].title
    for violation in refused.value.violations:
        assert violation.message.startswith(title + "缺少") and violation.legal_basis.startswith("《")

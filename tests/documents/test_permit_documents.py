"""The documents of 行政许可 (《中华人民共和国行政许可法》): each renders to a PDF and a DOCX that say
what its article asks, and is refused, naming the missing item and its article, until the context
supplies it. Every refusal (不予受理 第三十二条, 不予许可 第三十八条第二款, 不予延续 第五十条) and every
decision that takes the licence away (撤回 第八条, 撤销 第六十九条, 注销 第七十条) states its reasons
and the remedies: the 复议 authority within 60 days, the court within 6 months (行政复议法第二十条,
行政诉讼法第四十六条)."""

import datetime as dt
from dataclasses import replace

import pytest

from sanxiang.documents import (
    ALL_DOCUMENT_KINDS,
    PERMIT_KINDS,
    Agency,
    CaseInfo,
    DocumentContext,
    DocumentIncomplete,
    Officer,
    Party,
    PermitDetails,
    Remedies,
    document_problems,
    document_render,
)
from sanxiang.procedure.permit.procedures import RECORD_KINDS
from sanxiang.procedure.permit.steps import STEPS
from tests.documents.reading import docx_text, flat, pdf_text

D = dt.date
LAW = "《中华人民共和国行政许可法》"
REMEDIES = "可以自收到本决定书之日起六十日内向乌审旗人民政府申请行政复议，也可以自收到本决定书之日起六个月内依法向乌审旗人民法院提起行政诉讼"

PERMIT = PermitDetails(
    matter="食品经营许可申请",
    received_on=D(2026, 9, 24),
    accepted_on=D(2026, 9, 25),
    decision_days=20,
    decision_due=D(2026, 10, 30),
    missing_items=("营业执照复印件", "食品安全管理制度文本"),
    reasons="经营场所与污染源的距离不符合食品安全国家标准的要求",
    extension_days=10,
    extended_due=D(2026, 11, 13),
    hearing_request_days=5,
    hearing_request_due=D(2026, 10, 16),
    hearing_hold_days=20,
    hearing_notice_days=7,
    delivery_days=10,
    applied_on=D(2027, 8, 1),
    excluded_what="专家评审",
    excluded_start=D(2026, 10, 12),
    excluded_end=D(2026, 10, 16),
    content="准予从事预包装食品销售（含冷藏冷冻食品）",
    licence_name="食品经营许可证",
    expires_on=D(2031, 10, 8),
    renewed_until=D(2036, 10, 8),
    ground="被许可人以欺骗、贿赂等不正当手段取得行政许可",
    facts="被许可人提交的经营场所租赁合同系伪造，有出租人证言和房产登记信息为证",
    decision_number="乌市监许准〔2026〕3号",
    decided_on=D(2026, 10, 9),
)


def context(kind: str, **permit) -> DocumentContext:
    return DocumentContext(
        agency=Agency(name="乌审旗市场监督管理局", credit_code="11150626MB1234567X", address="乌审旗嘎鲁图镇",
                      phone="0477-7212345", seal_text="乌审旗市场监督管理局"),
        case=CaseInfo(number="乌市监许〔2026〕7号", cause="食品经营许可申请"),
        party=Party(kind="legal_person", name="乌审旗草原味道餐饮有限公司", id_code="91150626MA0N7XQ45K",
                    address="乌审旗嘎鲁图镇团结路12号", legal_representative="巴特尔"),
        officers=(Officer("张三", "15062600001"),),
        remedies=Remedies(reconsideration_authority="乌审旗人民政府", court="乌审旗人民法院"),
        document_number=f"乌市监{PERMIT_KINDS[kind].number_word}〔2026〕1号",
        issued_on=D(2026, 10, 9),
        permit=replace(PERMIT, **permit),
    )


# What each document must say, beyond its title and agency: the article, the decisive fact.
KEY_FACTS = {
    "permit_acceptance_notice": ["第三十二条第一款第五项", "予以受理", "二十个工作日内", "最迟于2026年10月30日", "延长十个工作日"],
    "permit_non_acceptance": ["第三十二条第一款", "决定不予受理", PERMIT.reasons, REMEDIES],
    "permit_missing_items_notice": ["第三十二条第一款第四项", "一次告知", "1．营业执照复印件；", "2．食品安全管理制度文本。"],
    "permit_extension_notice": ["第四十二条第一款", "延长十个工作日", "最迟于2026年11月13日", PERMIT.reasons],
    "permit_exclusion_notice": ["第四十五条", "2026年10月12日至2026年10月16日专家评审所需时间不计入"],
    "permit_hearing_right_notice": ["第四十七条第一款", "五个工作日内", "最迟于2026年10月16日", "二十个工作日内组织听证",
                                    "七个工作日前通知", "不承担组织听证的费用"],
    "permit_grant_decision": ["第三十八条第一款", "决定准予行政许可", PERMIT.content, "十个工作日内",
                              "《食品经营许可证》"],
    "permit_refusal_decision": ["第三十八条第二款", "决定不予行政许可", PERMIT.reasons, REMEDIES],
    "permit_change_decision": ["第四十九条", "准予变更", "乌市监许准〔2026〕3号", PERMIT.content],
    "permit_renewal_decision": ["第五十条", "准予延续", "2036年10月8日", "乌市监许准〔2026〕3号"],
    "permit_renewal_refusal_decision": ["第五十条、第三十八条第二款", "决定不予延续", PERMIT.reasons, REMEDIES],
    "permit_withdrawal_decision": ["第八条第二款", "决定撤回", "依法给予补偿", REMEDIES, "不停止执行"],
    "permit_revocation_decision": ["第六十九条", "决定撤销", PERMIT.ground, PERMIT.facts, REMEDIES,
                                   "第六十九条第四款", "基于该行政许可取得的利益不受保护"],
    "permit_cancellation_decision": ["第七十条", "决定注销", PERMIT.ground, "乌市监许准〔2026〕3号"],
}
REFUSALS = ("permit_non_acceptance", "permit_refusal_decision", "permit_renewal_refusal_decision")


def test_every_step_document_is_a_registered_kind_providing_the_engines_record():
    engine_records = {kind.name: kind.label for kind in RECORD_KINDS}
    issued = {kind for step in STEPS for kind, _ in step.documents}
    assert issued == set(PERMIT_KINDS) == set(KEY_FACTS)
    for step in STEPS:
        for kind, record in step.documents:
            assert PERMIT_KINDS[kind].record_kind == record and record in engine_records, step.action
            assert engine_records[record] == PERMIT_KINDS[kind].title, kind
    assert all(kind.numbered and kind.legal_basis.startswith(LAW) for kind in PERMIT_KINDS.values())
    words = [kind.number_word for kind in ALL_DOCUMENT_KINDS.values() if kind.number_word]
    assert len(words) == len(set(words))


@pytest.mark.parametrize("kind", list(PERMIT_KINDS))
def test_every_permit_document_renders_and_says_what_its_article_asks(kind):
    document = document_render(kind=kind, context=context(kind))
    assert document.pdf.startswith(b"%PDF-") and document.docx.startswith(b"PK")
    assert document.title == PERMIT_KINDS[kind].title
    pdf, word = pdf_text(document.pdf), docx_text(document.docx)
    for text in (pdf, word):
        assert flat(PERMIT_KINDS[kind].title) in text and "乌审旗市场监督管理局" in text
        assert f"乌市监{PERMIT_KINDS[kind].number_word}〔2026〕1号" in text
        assert [fact for fact in KEY_FACTS[kind] if flat(fact) not in text] == []
    if kind not in ("permit_withdrawal_decision", "permit_revocation_decision", "permit_cancellation_decision"):
        # A refusal changes nothing the applicant holds: nothing to suspend.
        assert "不停止执行" not in pdf


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_refusal_without_reasons_or_remedies_is_refused_with_the_article(kind):
    bare = replace(context(kind, reasons=""), remedies=None)
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind=kind, context=bare)
    fields = {v.field for v in refused.value.violations}
    assert {"permit.reasons", "remedies.reconsideration_authority", "remedies.court"} <= fields
    remedies = next(v for v in refused.value.violations if v.field == "remedies.court")
    assert "第三十八条" in remedies.legal_basis and "行政诉讼法" in remedies.legal_basis
    # The allowed path: with its reasons and remedies it is issued.
    assert document_problems(kind=kind, context=context(kind)) == []


@pytest.mark.parametrize("kind", list(PERMIT_KINDS))
def test_every_permit_document_refuses_an_empty_context_naming_each_item(kind):
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind=kind, context=DocumentContext(agency=Agency(name="乌审旗市场监督管理局")))
    title = PERMIT_KINDS[kind].title
    assert refused.value.violations
    assert all(v.message.startswith(title + "缺少") and v.legal_basis.startswith("《") for v in refused.value.violations)
    assert "permit.matter" in {v.field for v in refused.value.violations}


@pytest.mark.parametrize(("ground", "said", "not_said"), [
    # 第六十九条第一款 (the agency's fault): the holder's damaged lawful rights are compensated.
    ("对不具备申请资格或者不符合法定条件的申请人准予行政许可", "合法权益受到损害的，本机关将依照", "不受保护"),
    ("依法可以撤销行政许可的其他情形", "依法给予赔偿", "不受保护"),
    # 第六十九条第二款 (deceit, bribery): the interest gained is not protected, nothing is compensated.
    ("被许可人以欺骗、贿赂等不正当手段取得行政许可", "基于该行政许可取得的利益不受保护", "赔偿"),
])
def test_a_revocation_letter_says_what_the_holder_is_owed_under_article_69_paragraph_4(ground, said, not_said):
    """行政许可法第六十九条第四款: revoked under 第一款, the holder's lawful rights damaged are
    compensated (依法给予赔偿); under 第二款, the interest gained is not protected."""
    document = document_render(kind="permit_revocation_decision",
                               context=context("permit_revocation_decision", ground=ground))
    for text in (pdf_text(document.pdf), docx_text(document.docx)):
        assert flat(said) in text and flat("第六十九条第四款") in text
        assert flat(not_said) not in text

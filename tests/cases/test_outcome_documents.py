"""The decision's other outcomes issue their own documents (行政处罚法第五十七条第一款第二项至第四项):
a 不予行政处罚决定书 (第五十九条's elements, with the ground of not penalising, and the education of
第三十三条第三款) and a 涉嫌犯罪案件移送书 (第二十七条第一款; 《行政执法机关移送涉嫌犯罪案件的规定》).
Each is numbered, rendered as PDF and DOCX with both digests in the ledger, and refused with its
article while something it must state is missing; a refusal leaves no document and no number."""

import io
import re

import pypdf
import pytest

from sanxiang.cases.models import DocumentCounter, IssuedDocument
from sanxiang.cases.selectors import case_records_present, case_snapshot_build, case_texts
from sanxiang.evidence.storage import blob_store_get
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.cases.support import (
    FIRST_DECISION_DAY,
    LAW,
    D,
    end_investigation_data,
    inquiry,
    perform,
    to_investigating,
    world_make,
)

pytestmark = pytest.mark.django_db
ENDED = D(2026, 3, 16)
NO_PENALTY = {
    "outcome": "no_penalty",
    "no_penalty_reason": "first_offence",
    "reasoning": "当事人系初次违法，涉案纯牛奶尚未售出，已当场下架销毁，危害后果轻微。",
    "education": "本机关已对当事人进行批评教育，责令其建立进货查验制度。",
    "correction": "立即停止销售超过保质期的食品",
}
TRANSFER = {
    "outcome": "transfer",
    "transfer_to": "乌审旗公安局",
    "suspected_offence": "生产、销售不符合安全标准的食品罪",
    "reasoning": "当事人销售的婴幼儿乳粉经检验不符合食品安全标准，足以造成严重食物中毒事故",
    "attachments": ["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "检验报告"],
}


@pytest.fixture
def w():
    return world_make()


def investigated(w):
    case = to_investigating(w)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    return perform(case, "end_investigation", ENDED, w.officer, **end_investigation_data())


def refused(call) -> dict:
    with pytest.raises(Refused) as refusal:
        call()
    return {v.code: v for v in refusal.value.violations}


def pdf_text(document: IssuedDocument) -> str:
    with blob_store_get().open(document.pdf.stored_file.sha256) as blob:
        reader = pypdf.PdfReader(io.BytesIO(blob.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def assert_in_ledger(document: IssuedDocument, case) -> None:
    entry = Entry.objects.get(seq=document.ledger_seq)
    body = bytes(entry.body).decode()
    assert entry.kind == EventKind.DOCUMENT_ISSUED and entry.case_id == case.pk
    assert document.pdf.stored_file.sha256 in body and document.docx.stored_file.sha256 in body


def test_art59_a_decision_not_to_penalise_issues_a_numbered_no_penalty_decision(w):
    case = investigated(w)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, **NO_PENALTY)
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    assert case.state == "decided"
    document = IssuedDocument.objects.select_related("pdf__stored_file", "docx__stored_file").get(case=case, action="decide")
    assert (document.kind, document.title, document.number) == (
        "no_penalty_decision", "不予行政处罚决定书", "乌市监不罚决〔2026〕1号")
    assert document.record_kind == "decision_document" and "decision_document" in case_records_present(case)
    assert_in_ledger(document, case)
    text = pdf_text(document)
    for expected in ("不予行政处罚决定书", "乌市监不罚决〔2026〕1号", w.company.name, "乌审旗嘎鲁图镇团结路12号",
                     "当事人陈列销售超过保质期的纯牛奶12箱", "初次违法且危害后果轻微并及时改正", "本机关决定对当事人不予行政处罚",
                     "责令当事人立即停止销售超过保质期的食品", "批评教育", "乌审旗人民政府", "乌审旗人民法院"):
        assert expected in text, expected
    # The engine's elements of the decision are those the document states (no penalty, no performance).
    snapshot = case_snapshot_build(case)
    assert snapshot.decision.elements == {"party", "facts_evidence", "remedies", "agency_date", "seal"}
    assert snapshot.decision.number == case_texts(case).decision_number == document.number

    # The 送达回证 names it by its title and number.
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26),
                   place="当事人经营场所", signed_by="巴特尔")
    receipt = IssuedDocument.objects.select_related("pdf__stored_file").get(case=case, action="serve")
    assert "不予行政处罚决定书" in pdf_text(receipt) and "乌市监不罚决〔2026〕1号" in pdf_text(receipt)
    assert case.state == "served"


def test_art33_3_a_no_penalty_decision_without_the_education_is_refused_and_leaves_no_number(w):
    """第三十三条第三款: 对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育."""
    case = investigated(w)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, **(NO_PENALTY | {"education": "", "reasoning": ""}))
    before = Entry.objects.count()
    found = refused(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer))
    education = found["document.no_penalty_decision.no_penalty.education.missing"]
    assert education.message == "不予行政处罚决定书缺少对当事人的教育（或者责令监护人管教）"
    assert education.legal_basis == f"{LAW}第三十三条第三款"
    reasoning = found["document.no_penalty_decision.no_penalty.reasoning.missing"]
    assert reasoning.message == "不予行政处罚决定书缺少不予行政处罚的理由"
    assert reasoning.legal_basis == f"{LAW}第五十七条第一款第二项、第三项"
    assert not IssuedDocument.objects.filter(case=case, action="decide").exists() and Entry.objects.count() == before
    assert not DocumentCounter.objects.filter(kind="no_penalty_decision", last__gt=0).exists()
    # The lawful path: the draft states the education and the reasons; the first number is issued.
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, **NO_PENALTY)
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    assert IssuedDocument.objects.get(case=case, action="decide").number == "乌市监不罚决〔2026〕1号"


def test_art59_a_no_penalty_decision_needs_the_partys_address_like_any_decision(w):
    case = investigated(w)
    type(w.company).objects.filter(pk=w.company.pk).update(address="")
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, **NO_PENALTY)
    found = refused(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer))
    assert found["document.no_penalty_decision.party.address.missing"].legal_basis == f"{LAW}第五十九条"
    element = found["penalty.decision.element_missing"]
    assert element.message == "决定书缺少第五十九条规定的内容：“当事人的姓名或者名称、地址”"
    assert element.legal_basis == f"{LAW}第五十九条"


def test_art27_a_transfer_issues_a_numbered_transfer_letter(w):
    case = investigated(w)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, **TRANSFER)
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    assert case.state == "decided"
    document = IssuedDocument.objects.select_related("pdf__stored_file", "docx__stored_file").get(case=case, action="decide")
    assert (document.kind, document.title, document.number) == ("transfer_letter", "涉嫌犯罪案件移送书", "乌市监移送〔2026〕1号")
    assert "transfer_letter" in case_records_present(case)
    assert case_texts(case).transfer_number == document.number and case_texts(case).decision_number == ""
    assert_in_ledger(document, case)
    text = pdf_text(document)
    for expected in ("乌审旗公安局：", "生产、销售不符合安全标准的食品罪", "涉案物品清单", "检验报告", w.company.name,
                     "当事人陈列销售超过保质期的纯牛奶12箱"):
        assert expected in text, expected
    assert not IssuedDocument.objects.filter(case=case, kind="decision_document").exists()


def test_art27_a_transfer_without_the_offence_or_the_materials_is_refused(w):
    """第二十七条第一款: 违法行为涉嫌犯罪的，行政机关应当及时将案件移送司法机关; the materials go with it
    (《行政执法机关移送涉嫌犯罪案件的规定》第六条)."""
    case = investigated(w)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer,
            **(TRANSFER | {"suspected_offence": "", "attachments": []}))
    found = refused(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer))
    offence = found["document.transfer_letter.transfer.suspected_offence.missing"]
    assert offence.message == "涉嫌犯罪案件移送书缺少涉嫌的罪名"
    assert offence.legal_basis == f"{LAW}第二十七条第一款"
    materials = found["document.transfer_letter.transfer.attachments.missing"]
    assert materials.legal_basis == "《行政执法机关移送涉嫌犯罪案件的规定》第六条"
    assert not IssuedDocument.objects.filter(case=case, action="decide").exists()
    # The lawful path.
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, **TRANSFER)
    assert perform(case, "decide", FIRST_DECISION_DAY, w.officer).state == "decided"

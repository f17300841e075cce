"""Every document renders to a PDF that opens and whose text layer says what the law requires, and
to a DOCX that opens and says the same; an incomplete document is refused with every reason."""

import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import replace

import docx
import pypdf
import pytest

from sanxiang.documents import (
    DECISION_ELEMENTS,
    DOCUMENT_KINDS,
    Agency,
    CharactersUnprintable,
    DocumentContext,
    DocumentIncomplete,
    NoticeDetails,
    Party,
    Penalty,
    PenaltyItem,
    Performance,
    RenderedDocument,
    decision_elements_present,
    document_problems,
    document_render,
)
from sanxiang.documents.fonts import document_font
from sanxiang.procedure.violations import Refused
from tests.documents.samples import ISSUED_ON, sample_context, summary_context

ART_59 = "《中华人民共和国行政处罚法》第五十九条"
WHITESPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    """Line breaks and blanks fall anywhere in laid-out Chinese text; compare without them."""
    return WHITESPACE.sub("", text)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return _flat("".join(page.extract_text() for page in reader.pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return _flat("".join(parts))


def context_for(kind: str) -> DocumentContext:
    return summary_context() if kind == "summary_decision" else sample_context()


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedDocument]:
    return {kind: document_render(kind=kind, context=context_for(kind)) for kind in DOCUMENT_KINDS}


def test_the_fourteen_standard_documents_are_registered():
    titles = {kind.title for kind in DOCUMENT_KINDS.values()}
    assert titles == {
        "立案审批表",
        "询问笔录",
        "现场检查笔录",
        "先行登记保存通知书",
        "调查终结报告",
        "行政处罚事先告知书",
        "听证通知书",
        "听证笔录",
        "行政处罚决定书",
        "送达回证",
        "法制审核意见书",
        "集体讨论记录",
        "当场处罚决定书",
        "结案审批表",
    }
    for kind in DOCUMENT_KINDS.values():
        assert kind.fields, kind.key


@pytest.mark.parametrize("kind", list(DOCUMENT_KINDS))
def test_every_kind_renders_a_pdf_and_a_docx_that_open(kind, rendered):
    document = rendered[kind]
    title = DOCUMENT_KINDS[kind].title
    assert document.title == title
    assert document.pdf.startswith(b"%PDF-") and document.docx.startswith(b"PK")

    reader = pypdf.PdfReader(io.BytesIO(document.pdf))
    assert len(reader.pages) >= 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert reader.metadata.title == title
    text = pdf_text(document.pdf)
    assert "乌审旗市场监督管理局" in text and title in text

    reopened = docx.Document(io.BytesIO(document.docx))
    assert reopened.core_properties.title == title
    assert round(reopened.sections[0].page_width.mm) == 210
    assert title in docx_text(document.docx)
    # Chinese text takes its face from the East-Asian slot, which WPS and Word read.
    assert 'w:eastAsia="仿宋"' in zipfile.ZipFile(io.BytesIO(document.docx)).read("word/styles.xml").decode()


def decision_mandatory_texts(context: DocumentContext) -> dict[str, list[str]]:
    """What the 决定书 must say for each element of 第五十九条, as it is printed."""
    return {
        "party": [context.party.name, context.party.address],
        "facts_evidence": [
            "违法所得480元",
            *(e.name for e in context.evidence),
            "《中华人民共和国食品安全法》第三十四条第（十）项",
        ],
        "penalty_basis": [
            "罚款人民币叁仟元整（¥3,000.00）",
            "没收违法所得人民币肆佰捌拾元整（¥480.00）",
            "没收非法财物：超过保质期的“草原鲜”牌纯牛奶12箱",
            "依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定",
        ],
        "performance": [
            "当事人应当自收到本决定书之日起十五日内，到中国农业银行乌审旗支行缴纳罚没款",
            "每日按罚款数额的百分之三加处罚款",
        ],
        "remedies": [
            "可以自收到本决定书之日起六十日内向乌审旗人民政府申请行政复议",
            "自收到本决定书之日起六个月内依法向乌审旗人民法院提起行政诉讼",
        ],
        "agency_date": ["乌审旗市场监督管理局", "2026年11月26日"],
        "seal": ["（印章）"],
    }


def test_decision_pdf_text_layer_carries_party_and_every_mandatory_element(rendered):
    text = pdf_text(rendered["decision_document"].pdf)
    expected = decision_mandatory_texts(sample_context())
    assert set(expected) == set(DECISION_ELEMENTS)
    missing = [(element, s) for element, strings in expected.items() for s in strings if _flat(s) not in text]
    assert missing == []
    assert "乌市监处罚〔2026〕12号" in text
    # The seal and the date close the document, after the remedies.
    assert text.index("提起行政诉讼") < text.index("（印章）") < text.rindex("2026年11月26日")


def test_decision_docx_says_the_same(rendered):
    text = docx_text(rendered["decision_document"].docx)
    expected = decision_mandatory_texts(sample_context())
    assert [s for strings in expected.values() for s in strings if _flat(s) not in text] == []
    assert _flat(pdf_text(rendered["decision_document"].pdf)) == text.replace("\xa0", "")


def test_on_the_spot_decision_carries_article_52_elements(rendered):
    text = pdf_text(rendered["summary_decision"].pdf)
    for expected in (
        "张小明",
        "违法时间：2026年11月26日10时20分",
        "违法地点：乌审旗嘎鲁图镇团结路12号",
        "摆摊销售自制凉皮",
        "1．警告",
        "罚款人民币贰佰元整（¥200.00）",
        "第四十条的规定",
        "六十日内向乌审旗人民政府申请行政复议",
        "王建国（执法证号：15060001234）",
        "乌市监当罚No.0001234",
        "并报所属行政机关备案",
    ):
        assert _flat(expected) in text, expected


def test_records_carry_signature_lines_and_page_numbers_on_every_page(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered["inquiry_record"].pdf))
    for number, page in enumerate(reader.pages, start=1):
        text = _flat(page.extract_text())
        assert "被询问人签名" in text
        assert f"第{number}页共{len(reader.pages)}页" in text
    text = pdf_text(rendered["inquiry_record"].pdf)
    assert "这是我们的执法证件（出示执法证件）" in text and "你有权申请回避" in text


def test_advance_notice_tells_the_rights_and_the_windows():
    context = replace(
        sample_context(),
        party=replace(sample_context().party, kind="natural_person", name="张小明"),
        notice=NoticeDetails(statement_days=3, hearing_right=True),
    )
    text = pdf_text(document_render(kind="advance_notice", context=context).pdf)
    assert "你有权进行陈述和申辩" in text and "你单位" not in text
    assert "自收到本告知书之日起三个工作日内" in text
    assert "你有权要求举行听证" in text and "自收到本告知书之日起五个工作日内" in text
    without_hearing = pdf_text(document_render(kind="advance_notice", context=sample_context()).pdf)
    assert "要求举行听证" not in without_hearing


def test_a_warning_alone_needs_no_performance_paragraph():
    context = replace(sample_context(), penalty=Penalty(items=(PenaltyItem("warning"),)), performance=None)
    assert document_problems(kind="decision_document", context=context) == []
    text = pdf_text(document_render(kind="decision_document", context=context).pdf)
    assert "1．警告。" in text and "加处罚款" not in text and "十五日内" not in text


def test_decision_without_any_article_59_element_lists_every_one_at_once():
    bare = DocumentContext(agency=Agency(name=""))
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind="decision_document", context=bare)
    violations = refused.value.violations
    assert isinstance(refused.value, Refused)
    messages = [v.message for v in violations]
    for label in (
        "当事人的姓名或者名称",
        "当事人的地址",
        "违法事实",
        "证明违法事实的证据",
        "行政处罚的种类",
        "行政处罚的依据",
        "申请行政复议的途径",
        "提起行政诉讼的途径",
        "作出行政处罚决定的行政机关名称",
        "作出决定的日期",
        "行政机关的印章",
        "文号",
    ):
        assert any(label in m for m in messages), label
    assert all(m.startswith("行政处罚决定书缺少") for m in messages)
    article_59 = [v for v in violations if v.field != "document_number"]
    assert {v.legal_basis for v in article_59} == {ART_59}
    assert len({v.code for v in violations}) == len(violations)
    assert str(refused.value).startswith("行政处罚决定书不完整，缺少：当事人的姓名或者名称；当事人的地址")
    assert decision_elements_present(context=bare) == frozenset()


def test_decision_missing_some_elements_reports_exactly_those():
    full = sample_context()
    context = replace(
        full,
        party=replace(full.party, address=""),
        evidence=(),
        performance=None,
        remedies=None,
        agency=replace(full.agency, seal_text=""),
        issued_on=None,
    )
    problems = document_problems(kind="decision_document", context=context)
    assert [v.field for v in problems] == [
        "party.address",
        "evidence",
        "performance",
        "remedies.reconsideration_authority",
        "remedies.court",
        "issued_on",
        "agency.seal_text",
    ]
    assert all(v.legal_basis == ART_59 for v in problems)
    assert problems[0].code == "document.decision_document.party.address.missing"
    assert problems[0].message == "行政处罚决定书缺少当事人的地址"
    assert decision_elements_present(context=context) == {"penalty_basis"}
    assert decision_elements_present(context=full) == set(DECISION_ELEMENTS)


def test_penalty_content_must_be_complete():
    full = sample_context()
    no_amount = replace(full, penalty=Penalty(items=(PenaltyItem("fine"), PenaltyItem("revoke_permit"))))
    assert [v.field for v in document_problems(kind="decision_document", context=no_amount)] == [
        "penalty.items"
    ]
    unknown = replace(full, penalty=Penalty(items=(PenaltyItem("public_shaming"),)))
    assert "penalty" in [v.field for v in document_problems(kind="decision_document", context=unknown)]
    no_method = replace(full, performance=Performance(method=" "))
    assert [v.field for v in document_problems(kind="decision_document", context=no_method)] == [
        "performance"
    ]


@pytest.mark.parametrize("kind", list(DOCUMENT_KINDS))
def test_every_kind_refuses_an_empty_context_with_reasons(kind):
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind=kind, context=DocumentContext(agency=Agency(name="乌审旗市场监督管理局")))
    assert refused.value.kind == kind
    for violation in refused.value.violations:
        assert violation.message.startswith(DOCUMENT_KINDS[kind].title + "缺少")
        assert violation.legal_basis.startswith("《")


def test_every_sample_context_is_complete():
    for kind in DOCUMENT_KINDS:
        assert document_problems(kind=kind, context=context_for(kind)) == [], kind


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="未知的文书种类"):
        document_render(kind="penalty_letter", context=sample_context())


def test_on_spot_collection_needs_its_ground_and_receipt():
    context = summary_context()
    collected = replace(context, on_spot=replace(context.on_spot, collected_on_spot=True), performance=None)
    assert [v.field for v in document_problems(kind="summary_decision", context=collected)] == [
        "on_spot.receipt_number"
    ]
    documented = replace(
        collected,
        on_spot=replace(
            collected.on_spot, collection_ground="依法给予一百元以下罚款", receipt_number="NO.00012"
        ),
    )
    text = pdf_text(document_render(kind="summary_decision", context=documented).pdf)
    assert "收据编号：NO.00012" in text and "十五日内" not in text


def test_filenames_follow_the_number_the_document_is_filed_under(rendered):
    assert rendered["decision_document"].filename_stem == "行政处罚决定书_乌市监处罚〔2026〕12号"
    assert rendered["inquiry_record"].filename_stem == "询问笔录_乌市监立〔2026〕37号"
    assert (
        "/"
        not in document_render(
            kind="decision_document", context=replace(sample_context(), document_number="乌/罚 1号")
        ).filename_stem
    )


# --- reproducible bytes --------------------------------------------------------------------------


def test_same_context_gives_the_same_bytes_whatever_the_clock(rendered, monkeypatch):
    first = rendered["decision_document"]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 86_400 * 400 + 3_723)
    again = document_render(kind="decision_document", context=sample_context())
    assert again.pdf == first.pdf
    assert again.docx == first.docx


def test_files_are_dated_by_the_document(rendered):
    document = rendered["decision_document"]
    info = pypdf.PdfReader(io.BytesIO(document.pdf)).metadata
    assert info["/CreationDate"].startswith("D:20261126") and info["/ModDate"] == info["/CreationDate"]
    core = docx.Document(io.BytesIO(document.docx)).core_properties
    assert core.created == core.modified
    assert core.created.date() == ISSUED_ON
    assert core.author == "乌审旗市场监督管理局" and core.last_modified_by == "乌审旗市场监督管理局"
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(document.docx)).infolist()} == {
        (2026, 11, 26, 0, 0, 0)
    }


def test_a_different_context_gives_different_bytes(rendered):
    changed = document_render(
        kind="decision_document", context=replace(sample_context(), issued_on=dt.date(2026, 11, 27))
    )
    assert changed.pdf != rendered["decision_document"].pdf
    assert changed.docx != rendered["decision_document"].docx


def test_natural_person_party_is_introduced_with_id_and_address():
    context = summary_context()
    assert isinstance(context.party, Party)
    text = pdf_text(document_render(kind="decision_document", context=context).pdf)
    assert "身份证件号码：150626********2345" in text and "住址：内蒙古自治区" in text


def test_the_seal_never_stands_alone_on_the_last_page():
    """Whatever the length of the facts, the page with the seal also carries body text (GB/T 9704
    forbids a page with only the seal), in the PDF and in the DOCX's keep-with-next chain."""
    base = sample_context()
    closing = ("（印章）", "乌审旗市场监督管理局", "2026年11月26日", _flat(base.copies_note))
    for extra_lines in range(0, 34, 2):
        context = replace(base, facts=base.facts + "经营场所另有其他商品，均在保质期内。" * extra_lines)
        pdf = document_render(kind="decision_document", context=context).pdf
        pages = [_flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
        sealed = [page for page in pages if "（印章）" in page]
        assert sealed == [pages[-1]], "the seal, the date and the copies note close the last page"
        for text in closing:
            assert text in pages[-1]
            sealed[0] = sealed[0].replace(text, "")
        assert sealed[0], f"seal alone on the last page with {extra_lines} extra lines"


def test_characters_the_font_cannot_carry_are_refused_not_garbled():
    context = sample_context()
    # U+2A6D6 (CJK Extension B) has no glyph in Noto Serif CJK SC, nor in the standard CID font.
    rare = replace(context, party=replace(context.party, name="张\U0002A6D6"))
    with pytest.raises(CharactersUnprintable, match="U\\+2A6D6"):
        document_render(kind="decision_document", context=rare)
    # With the embedded font, a character beyond the BMP that it has (𠮷, U+20BB7) prints and
    # extracts; the standard CID font (UCS-2) refuses it.
    beyond = replace(context, party=replace(context.party, name="张𠮷"))
    if document_font().embedded:
        assert "张𠮷" in pdf_text(document_render(kind="decision_document", context=beyond).pdf)
    else:
        with pytest.raises(CharactersUnprintable, match="U\\+20BB7"):
            document_render(kind="decision_document", context=beyond)
    # Rare characters inside the Basic Multilingual Plane print and extract.
    common = replace(context, party=replace(context.party, name="李玥堃燚"))
    assert "李玥堃燚" in pdf_text(document_render(kind="decision_document", context=common).pdf)

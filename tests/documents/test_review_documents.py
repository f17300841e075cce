"""法制审核意见书 (第五十八条) and 集体讨论记录 (第五十七条第二款): they render to a PDF and a DOCX that
say what was reviewed or discussed, and are refused, item by item, while something is missing."""

import io
import re
from dataclasses import replace

import docx
import pypdf
import pytest

from sanxiang.documents import (
    DOCUMENT_KINDS,
    Agency,
    ChecklistLine,
    DiscussionDetails,
    DocumentContext,
    DocumentIncomplete,
    ReviewDetails,
    document_problems,
    document_render,
)
from tests.documents.samples import (
    DISCUSSION,
    REVIEW,
    disputed_discussion_context,
    sample_context,
    second_review_context,
)

PENALTY_LAW = "《中华人民共和国行政处罚法》"
WHITESPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return WHITESPACE.sub("", text).replace("\xa0", "")


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return _flat("".join(page.extract_text() for page in reader.pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return _flat("".join(parts))


def docx_table_rows(data: bytes) -> list[list[str]]:
    """Every row of every table, its cells' text (a merged cell once)."""
    document = docx.Document(io.BytesIO(data))
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = _flat(cell.text)
                if not cells or cells[-1] != text:
                    cells.append(text)
            rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def review():
    return document_render(kind="review_opinion", context=sample_context())


@pytest.fixture(scope="module")
def discussion():
    return document_render(kind="collective_discussion", context=sample_context())


def test_both_kinds_are_registered_as_case_records():
    review_kind = DOCUMENT_KINDS["review_opinion"]
    assert review_kind.title == "法制审核意见书"
    assert review_kind.record_kind == "review_opinion"
    assert not review_kind.numbered
    assert (
        f"{PENALTY_LAW}第五十八条" in review_kind.legal_basis
        and "国办发〔2018〕118号" in review_kind.legal_basis
    )

    discussion_kind = DOCUMENT_KINDS["collective_discussion"]
    assert discussion_kind.title == "集体讨论记录"
    assert discussion_kind.record_kind == "collective_discussion_record"
    assert not discussion_kind.numbered
    assert discussion_kind.legal_basis == f"{PENALTY_LAW}第五十七条第二款"

    assert ("review.checklist", "审核事项及每项的审核结论") in review_kind.fields
    assert ("discussion.participants", "出席人员") in discussion_kind.fields


@pytest.mark.parametrize("kind", ["review_opinion", "collective_discussion"])
def test_renders_an_a4_pdf_and_a_docx_filed_under_the_case_number(kind, review, discussion):
    document = review if kind == "review_opinion" else discussion
    title = DOCUMENT_KINDS[kind].title
    assert document.title == title
    assert document.filename_stem == f"{title}_乌市监立〔2026〕37号"
    assert document.pdf.startswith(b"%PDF-") and document.docx.startswith(b"PK")
    reader = pypdf.PdfReader(io.BytesIO(document.pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)
    assert reader.metadata.title == title
    reopened = docx.Document(io.BytesIO(document.docx))
    assert reopened.core_properties.title == title
    for text in (pdf_text(document.pdf), docx_text(document.docx)):
        assert "乌审旗市场监督管理局" in text and title in text
        assert "案件编号：乌市监立〔2026〕37号" in text
        assert "涉嫌经营超过保质期的食品案" in text


def review_texts(details: ReviewDetails) -> list[str]:
    return [
        "乌审旗草原味道餐饮有限公司",
        details.submitted_by,
        "送审日期2026年11月12日",
        "送审次数第一次",
        "1．经过听证程序作出行政处罚决定；",
        "2．涉及食品安全，社会关注度较高。",
        details.proposed,
        "5．听证笔录。",
        *(line.item for line in details.checklist),
        "王建国、其木格均持有行政执法证件",
        "审核意见■同意□不同意□补充材料后重新提交",
        details.reasons,
        "审核人员（签名）：高娜",
        "审核日期：2026年11月16日",
        "法制审核机构（印章）",
    ]


def test_review_opinion_says_what_was_reviewed_and_the_opinion(review):
    pdf = pdf_text(review.pdf)
    word = docx_text(review.docx)
    for expected in review_texts(REVIEW):
        assert _flat(expected) in pdf, expected
        assert _flat(expected) in word, expected
    assert "承办机构说明" not in pdf
    # The checklist comes before the opinion, the opinion before the reviewer's signature.
    assert pdf.index("执法主体是否合法") < pdf.index("■同意") < pdf.index("审核人员（签名）")


def test_docx_carries_the_checklist_as_a_table(review):
    rows = docx_table_rows(review.docx)
    header = rows.index(["审核事项", "审核结论", "说明"])
    body = rows[header + 1 : header + 1 + len(REVIEW.checklist)]
    assert body == [[_flat(line.item), line.finding, _flat(line.note)] for line in REVIEW.checklist]
    assert ["审核意见", "■同意□不同意□补充材料后重新提交"] in rows


def test_a_second_round_says_so_and_prints_the_case_office_answer():
    context = second_review_context()
    document = document_render(kind="review_opinion", context=context)
    for text in (pdf_text(document.pdf), docx_text(document.docx)):
        assert "送审次数第二次" in text
        assert "承办机构说明" + _flat(context.review.response) in text
        assert "审核日期：2026年11月19日" in text


def test_an_opinion_against_the_proposal_is_ticked_as_such():
    context = replace(
        sample_context(),
        review=replace(
            REVIEW,
            checklist=(*REVIEW.checklist[:-1], ChecklistLine("行政裁量是否适当", "不符合", "未说明从轻理由")),
            opinion="补充材料后重新提交",
            reasons="请补充从轻处罚的事实依据。",
        ),
    )
    text = pdf_text(document_render(kind="review_opinion", context=context).pdf)
    assert "□同意□不同意■补充材料后重新提交" in text
    assert "行政裁量是否适当不符合未说明从轻理由" in text


def test_collective_discussion_records_who_said_what_and_the_conclusion(discussion):
    pdf = pdf_text(discussion.pdf)
    word = docx_text(discussion.docx)
    expected = [
        "时间2026年11月20日",
        "地点乌审旗市场监督管理局第二会议室",
        "主持人李明",
        "记录人刘芳",
        "出席人员" + "、".join(DISCUSSION.participants),
        "缺席人员孟和（副局长，外出培训）",
        "一、讨论事项",
        DISCUSSION.subject,
        "二、法制审核意见",
        DISCUSSION.review_summary,
        "三、讨论意见",
        *DISCUSSION.views,
        "四、讨论结论",
        DISCUSSION.conclusion,
        "出席人员签名",
        "主持人（签名）",
        "记录人（签名）",
    ]
    for text in expected:
        assert _flat(text) in pdf, text
        assert _flat(text) in word, text
    assert "分歧处理" not in pdf
    assert pdf.index(_flat(DISCUSSION.views[-1])) < pdf.index("四、讨论结论") < pdf.index("出席人员签名")


def test_a_settled_disagreement_is_recorded():
    context = disputed_discussion_context()
    text = pdf_text(document_render(kind="collective_discussion", context=context).pdf)
    assert "二、法制审核意见" + _flat(context.discussion.review_summary) in text
    assert "五、分歧处理" + _flat(context.discussion.resolution) in text


def test_a_discussion_without_review_or_absentees_numbers_its_sections_on():
    context = replace(sample_context(), discussion=replace(DISCUSSION, review_summary="", absent=[]))
    text = pdf_text(document_render(kind="collective_discussion", context=context).pdf)
    assert "缺席人员无" in text
    assert "法制审核意见" not in text
    assert "二、讨论意见" in text and "三、讨论结论" in text


def test_lists_become_tuples_and_the_context_stays_hashable():
    review = replace(REVIEW, checklist=list(REVIEW.checklist), materials=["立案审批表"], major_criteria=[])
    talk = replace(DISCUSSION, participants=["李明（局长）"], views=[], absent=["孟和（出差）"])
    assert isinstance(review.checklist, tuple) and isinstance(review.materials, tuple)
    assert isinstance(talk.participants, tuple) and isinstance(talk.absent, tuple)
    context = replace(sample_context(), review=review, discussion=talk)
    assert hash(context) == hash(replace(sample_context(), review=review, discussion=talk))


# --- refusals ------------------------------------------------------------------------------------


def test_an_empty_review_is_refused_with_every_missing_item():
    empty = DocumentContext(agency=Agency(name=""))
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind="review_opinion", context=empty)
    violations = {v.field: v for v in refused.value.violations}
    # The round is checked once there is a review: without one, the rest says what is missing.
    assert list(violations) == [
        "agency.name",
        "case.number",
        "case.cause",
        "party.name",
        "review.reviewer",
        "review.reviewed_on",
        "review.proposed",
        "review.checklist",
        "review.opinion",
        "review.reasons",
    ]
    assert violations["review.checklist"].message == "法制审核意见书缺少审核事项及每项的审核结论"
    assert violations["review.reviewer"].message == "法制审核意见书缺少审核人员"
    assert f"{PENALTY_LAW}第五十八条" in violations["review.reasons"].legal_basis
    assert "国办发〔2018〕118号" in violations["review.opinion"].legal_basis
    assert all(v.message.startswith("法制审核意见书缺少") for v in violations.values())
    assert violations["review.opinion"].code == "document.review_opinion.review.opinion.missing"


def test_checklist_items_without_a_finding_are_named():
    lines = (
        ChecklistLine("执法主体是否合法", "符合"),
        ChecklistLine("程序是否合法", ""),
        ChecklistLine("行政裁量是否适当", "基本符合"),
        ChecklistLine("", "符合"),
    )
    context = replace(sample_context(), review=replace(REVIEW, checklist=lines))
    problems = document_problems(kind="review_opinion", context=context)
    assert [v.field for v in problems] == ["review.checklist"]
    assert problems[0].message == (
        "法制审核意见书缺少审核事项的审核结论（符合、不符合、不适用）：程序是否合法、行政裁量是否适当、第4项"
    )
    with pytest.raises(DocumentIncomplete, match="程序是否合法、行政裁量是否适当"):
        document_render(kind="review_opinion", context=context)


def test_an_empty_checklist_or_an_unknown_opinion_is_refused():
    context = replace(
        sample_context(), review=replace(REVIEW, checklist=(), opinion="原则同意", reviewed_on=None, round=0)
    )
    problems = document_problems(kind="review_opinion", context=context)
    assert [(v.field, v.message) for v in problems] == [
        ("review.round", "法制审核意见书缺少送审次数"),
        ("review.reviewed_on", "法制审核意见书缺少审核日期"),
        ("review.checklist", "法制审核意见书缺少审核事项及每项的审核结论"),
        ("review.opinion", "法制审核意见书缺少审核意见（同意、不同意或者补充材料后重新提交）"),
    ]


def test_an_empty_discussion_is_refused_with_every_missing_item():
    context = DocumentContext(agency=Agency(name="乌审旗市场监督管理局"))
    with pytest.raises(DocumentIncomplete) as refused:
        document_render(kind="collective_discussion", context=context)
    problems = refused.value.violations
    assert [v.field for v in problems] == [
        "case.number",
        "case.cause",
        "discussion.held_on",
        "discussion.host",
        "discussion.recorder",
        "discussion.participants",
        "discussion.subject",
        "discussion.conclusion",
    ]
    assert str(refused.value) == (
        "集体讨论记录不完整，缺少：案件编号；案由；讨论时间；主持人；记录人；出席人员；讨论事项；讨论结论"
    )
    assert {v.legal_basis for v in problems[2:]} == {f"{PENALTY_LAW}第五十七条第二款"}


def test_a_discussion_without_participants_is_refused():
    context = replace(
        sample_context(),
        discussion=DiscussionDetails(
            held_on=None,
            place="会议室",
            host="李明",
            recorder="刘芳",
            participants=[],
            subject="本案",
            views=[],
            conclusion=" ",
        ),
    )
    assert [v.message for v in document_problems(kind="collective_discussion", context=context)] == [
        "集体讨论记录缺少讨论时间",
        "集体讨论记录缺少出席人员",
        "集体讨论记录缺少讨论结论",
    ]

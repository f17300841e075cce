"""The defects of issue 13, item 7, each at its source: the 询问笔录's 回避 question has its answer
line, the 法制审核意见书 names an organisation as 承办机构 (and the person as 承办人), and user text
ends a sentence once (集体讨论记录, 决定书's evidence)."""

from dataclasses import replace

from sanxiang.documents import Evidence, Exchange, document_render
from tests.documents.reading import pdf_text
from tests.documents.samples import sample_context


def _inquiry_text(**changes) -> str:
    context = sample_context()
    inquiry = replace(context.inquiry, **changes)
    return pdf_text(document_render(kind="inquiry_record", context=replace(context, inquiry=inquiry)).pdf)


def test_the_recusal_question_is_answered_by_the_recorded_answer():
    text = _inquiry_text(recusal_answer="不申请回避", exchanges=(Exchange("问", "请介绍一下情况。"), Exchange("答", "好的。")))
    assert "你是否申请回避？答：不申请回避。问：请介绍一下情况。" in text


def test_a_first_exchange_that_answers_is_the_answer():
    text = _inquiry_text(exchanges=(Exchange("答", "不申请回避。"), Exchange("问", "请介绍一下情况。"), Exchange("答", "好的。")))
    assert "你是否申请回避？答：不申请回避。问：" in text
    assert text.count("不申请回避") == 1


def test_an_unrecorded_answer_leaves_a_line_to_write_it_on_never_a_bare_question():
    text = _inquiry_text(exchanges=(Exchange("问", "请介绍一下情况。"), Exchange("答", "好的。")))
    assert "你是否申请回避？答：问：请介绍一下情况。" in text  # the blank is a hand-written line


def test_the_review_opinion_names_the_office_and_the_person_apart():
    context = sample_context()
    review = replace(context.review, submitted_by="乌审旗市场监督管理局", handler="王建国")
    text = pdf_text(document_render(kind="review_opinion", context=replace(context, review=review)).pdf)
    assert "承办机构乌审旗市场监督管理局承办人王建国" in text


def test_typed_punctuation_is_not_doubled_nor_the_verb_of_the_evidence():
    context = sample_context()
    discussion = replace(context.discussion, conclusion="经集体讨论，同意拟作出的处罚决定。。", views=("王建国：同意，",))
    text = pdf_text(document_render(kind="collective_discussion", context=replace(context, discussion=discussion)).pdf)
    assert "同意拟作出的处罚决定。" in text and "。。" not in text
    assert "王建国：同意。" in text and "，。" not in text
    decision = replace(context, evidence=(Evidence("现场照片", "证明涉案商品。"), Evidence("询问笔录。", "")))
    text = pdf_text(document_render(kind="decision_document", context=decision).pdf)
    assert "1．现场照片，证明涉案商品；2．询问笔录。" in text
    assert "证明证明" not in text

"""Every document of every demo case, read as the party, the reviewer and a court will read it (issue
13, item 7): no word said twice in a row ("证明证明"), no sentence closed twice ("。。", "，。"), no
question of a 笔录 left without its answer, no field left unfilled ("None", "{…}", "＿＿", a label with
nothing after it), no person where the form names an organisation (承办机构); and every PDF with its
fonts embedded and the PDF/A-2b marks.

Each document is read as it was rendered during the shared demo load of group demo-a (its layout,
and the text layer of its PDF), so nothing is loaded or rendered again."""

import io
import itertools
import re
from dataclasses import dataclass

import pypdf
import pytest

from sanxiang.documents.blocks import Cell, Group, Layout, Para, Signature, Table
from tests.documents.reading import flat
from tests.documents.test_pdf_archival import font_problems, pdfa_problems
from tests.shared_demo import WATCHED_DAY, demo_county_shared

# What a document says and how its PDF is made is rendering, the same on either engine: the demo's
# data through the services is checked on PostgreSQL by the other modules of the shared demo groups,
# so the PostgreSQL run skips this module.
pytestmark = [pytest.mark.engine_independent, pytest.mark.shared_demo(day=WATCHED_DAY)]

# Two or more Chinese characters said twice in a row: 证明证明, 当事人当事人.
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
# A sentence closed twice, or a mark right after a label's colon.
BAD_PUNCTUATION = ("。。", "，。", "；。", "、。", "：。", "。，", "，，", "；；", "：；", "：，", "：）")
UNFILLED = ("None", "{", "}", "＿＿", "__", "null", "undefined")
# Labels that end in a colon because a signature, a hand-written opinion or a list follows.
INTRODUCERS = re.compile(r"(意见|签名|盖章|记录|情况)：$|如下|下列")
# Roles typed where a record must name a person (the demo had 记录人：记录员, 书记员：书记员).
ROLES = ("记录员", "书记员", "当事人的负责人", "办公室工作人员", "局长", "委托代理人一名")
ROLE_AS_NAME = re.compile(rf"：({'|'.join(ROLES)})(?!签名|（|：)")
LABEL = re.compile(r"^[^：]{1,14}：")


@dataclass(frozen=True)
class Rendered:
    reference: str  # the 文号 or the case number
    title: str
    layout: Layout
    text: str  # the PDF's text layer, without blanks
    pdf: bytes


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Each document of the shared demo load of WATCHED_DAY as `document_render` made it during the
    load (its layout and PDF, kept by tests.shared_demo.LoadWatch), with the PDF's text layer."""
    with demo_county_shared(day=WATCHED_DAY, blocker=django_db_blocker) as loaded:
        assert loaded.watch is not None
        yield [
            Rendered(reference=subject, title=title, layout=layout, pdf=pdf,
                     text=flat("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)))
            for title, subject, layout, pdf in loaded.watch.documents
        ]


def _lines(blocks) -> list[str]:
    """The paragraphs in order, a table or a signature block standing as "■" (what follows a label)."""
    found = []
    for block in blocks:
        if isinstance(block, Para):
            found.append(block.text.strip().replace("\u3000", ""))
        elif isinstance(block, Group):
            found += _lines(block.blocks)
        elif isinstance(block, (Table, Signature)):
            found.append("■")
    return found


def _cells(blocks) -> list[tuple[Cell, ...]]:
    rows = []
    for block in blocks:
        if isinstance(block, Table):
            rows += block.rows
        elif isinstance(block, Group):
            rows += _cells(block.blocks)
    return rows


def _problems(document: Rendered) -> list[str]:
    text = document.text
    problems = [f"重复的词“{m.group()}”" for m in DOUBLED.finditer(text)]
    problems += [f"标点“{mark}”" for mark in BAD_PUNCTUATION if mark in text]
    problems += [f"未填写的占位“{mark}”" for mark in UNFILLED if mark in text]
    problems += [f"以职务代替姓名“{m.group(1)}”" for m in ROLE_AS_NAME.finditer(text)]
    paras = _lines(document.layout.blocks)
    for index, line in enumerate(paras):
        # A short label with nothing after it, followed by the next label (or by nothing): a
        # field left empty. A label followed by its text on the next line is a heading.
        following = paras[index + 1] if index + 1 < len(paras) else ""
        if LABEL.fullmatch(line) and not INTRODUCERS.search(line) and (not following or LABEL.match(following)):
            problems.append(f"空白的栏目“{line}”")
    for row in _cells(document.layout.blocks):
        for label, value in itertools.pairwise(row):
            if label.label and not value.label and value.text.strip() in ROLES:
                problems.append(f"以职务代替姓名“{label.text}：{value.text}”")
            if label.label and label.text == "承办机构" and not _organisation(value.text):
                problems.append(f"承办机构填写的不是机构：“{value.text}”")
    if document.title in ("询问笔录", "听证笔录"):
        problems += _unanswered(text)
    return problems


def _organisation(name: str) -> bool:
    return name.endswith(("局", "委员会", "办公室", "中心", "队", "所", "科", "股", "处", "室", "站", "大队"))


def _unanswered(text: str) -> list[str]:
    """In a 笔录's questioning, each 问 is followed by its 答, and each 答 says something."""
    body = text.split("（以下空白）")[0]
    turns = re.findall(r"(问|答)：(.*?)(?=(?:问|答)：|$)", body)
    problems = []
    for index, (speaker, said) in enumerate(turns):
        following = turns[index + 1] if index + 1 < len(turns) else None
        if speaker == "问" and (following is None or following[0] != "答"):
            problems.append(f"没有回答的问题“{said[-20:]}”")
        if speaker == "答" and not said.strip():
            problems.append("空白的回答")
    return problems


@pytest.mark.django_db
def test_every_demo_document_reads_without_defects(rendered):
    titles = {document.title for document in rendered}
    # Every kind of paper the demo's cases produce was read, the 笔录 and the decisions among them.
    assert len(rendered) > 150
    assert {"询问笔录", "调查终结报告", "行政处罚决定书", "集体讨论记录", "法制审核意见书", "听证笔录"} <= titles
    found = {f"{d.title} {d.reference}": problems for d in rendered if (problems := _problems(d))}
    assert found == {}


@pytest.mark.django_db
def test_every_demo_pdf_embeds_its_fonts_and_is_marked_pdfa(rendered):
    found = {
        f"{d.title} {d.reference}": problems
        for d in rendered
        if (problems := font_problems(d.pdf) + pdfa_problems(d.pdf))
    }
    assert found == {}


@pytest.mark.django_db
def test_the_inquiry_records_answer_the_recusal_question(rendered):
    records = [d for d in rendered if d.title == "询问笔录"]
    assert records
    for record in records:
        assert "你是否申请回避？答：不申请回避。" in record.text


@pytest.mark.django_db
def test_the_investigation_reports_list_the_records_not_retyped_lines(rendered):
    """The 调查终结报告's evidence comes from the case: its 询问笔录 (with what the officer said it
    proves), the photo and the scan uploaded to it; none of the documents the case issued."""
    reports = [d for d in rendered if d.title == "调查终结报告"]
    assert reports
    for report in reports:
        evidence = report.text.split("三、证据")[1].split("四、")[0]
        assert re.search(r"询问笔录（.+?，\d{4}年\d+月\d+日），证明进货和销售情况", evidence), evidence
        assert "涉案商品现场照片（照片，" in evidence and "营业执照复印件（书证，" in evidence
        assert "立案审批表" not in evidence and ".pdf" not in evidence


def test_the_check_finds_each_defect_it_looks_for():
    """The checks themselves: each defect of the issue, planted in a document, is reported."""
    layout = Layout(
        blocks=(
            Para("记录人："),
            Para("被询问人姓名：张三"),
            Table(((Cell("承办机构", label=True), Cell("边晓霞")),), widths=(0.5, 0.5)),
            Table(((Cell("送达人", label=True), Cell("书记员")),), widths=(0.5, 0.5)),
        ),
        body_size=12,
    )
    text = "询问笔录问：你是否申请回避？问：涉案商品是什么时候购进的？答：上个月。现场照片，证明证明涉案商品。。记录人：记录员None"
    problems = _problems(Rendered(reference="", title="询问笔录", layout=layout, text=text, pdf=b""))
    assert "重复的词“证明证明”" in problems
    assert "标点“。。”" in problems
    assert "未填写的占位“None”" in problems
    assert "以职务代替姓名“记录员”" in problems
    assert "空白的栏目“记录人：”" in problems
    assert "以职务代替姓名“送达人：书记员”" in problems
    assert "承办机构填写的不是机构：“边晓霞”" in problems
    assert any(p.startswith("没有回答的问题") and "回避" in p for p in problems)

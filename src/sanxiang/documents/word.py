"""Lay out a document as DOCX with python-docx, for offices that edit in WPS or Word.

Chinese text takes its face from the East-Asian slot of a run's fonts (w:rFonts/@w:eastAsia), not
from the Latin name python-docx sets, so both are set: 仿宋 for the body and 宋体 for titles, with
Times New Roman for digits and Latin letters, as Chinese official documents are set.

The bytes are made reproducible: fixed core properties (dated by the document) and a re-packed
zip whose entries carry the document's date instead of the time of writing.
"""

import datetime as dt
import io
import zipfile
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.section import Section
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from sanxiang.documents.blocks import (
    Block,
    Cell,
    Group,
    Heading,
    Layout,
    NumberLine,
    Para,
    Signature,
    Space,
    Table,
)

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
PAGE_WIDTH_MM = 210
TEXT_WIDTH_MM = 210 - 28 - 26
ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _fonts_set(element: Any, east_asian: str) -> None:
    """Set the Latin and the East-Asian face of a run or a style element (python-docx sets only
    the Latin one)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        # Schema order matters to Word: w:lang comes after everything we set, before these.
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph: Paragraph, text: str, *, size: float, font: str = BODY_FONT, bold: bool = False) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _fonts_set(run._element, font)
    return run


def _styles_set(document: Document, size: float, leading: float) -> None:
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = Pt(size)
    _fonts_set(normal.element, BODY_FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    # Exact line spacing, as the PDF's leading: "1.5 lines" of a CJK face is nearly double spacing.
    normal.paragraph_format.line_spacing = Pt(size * leading)


def _paragraph(
    container: Document | _Cell, text: str, *, size: float, align: str = "justify", indent: bool = False
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGNMENTS[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    if text:
        _run(paragraph, text, size=size)
    return paragraph


def _field(paragraph: Paragraph, instruction: str, *, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that WPS and Word compute when the document is shown."""

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        _run(paragraph, "", size=size)._element.append(char)

    field_char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    _run(paragraph, "", size=size)._element.append(code)
    field_char("separate")
    _run(paragraph, "1", size=size)  # shown until the reader updates the field
    field_char("end")


def _table(document: Document, block: Table, size: float) -> DocxTable:
    columns = len(block.widths)
    table = document.add_table(rows=len(block.rows), cols=columns)
    if block.ruled:
        table.style = "Table Grid"
        _cell_margins_set(table, top=60, bottom=60)
    else:
        _cell_margins_set(table, left=0)  # flush with the text above, as in the PDF
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * w) for w in block.widths]
    # Word reads the cells' widths, LibreOffice and WPS the table grid: set both.
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    for r, row in enumerate(block.rows):
        docx_row = table.rows[r]
        if r < len(block.heights) and block.heights[r]:
            docx_row.height = Mm(block.heights[r])
            docx_row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for c in range(columns):
            docx_row.cells[c].width = widths[c]
        column = 0
        for cell in row:
            target = table.cell(r, column)
            if cell.span > 1:
                target = target.merge(table.cell(r, column + cell.span - 1))
            _cell_fill(target, cell, size)
            column += cell.span
    return table


def _cell_margins_set(table: DocxTable, **twips: int) -> None:
    """Cell margins of a table (top, left, bottom in twips): room above and below the text of a
    ruled form's cells, which Table Grid lacks, as the PDF has."""
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom"):  # the schema's order
        if side not in twips:
            continue
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips[side]))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Schema order matters to Word: w:tblCellMar comes before w:tblLook.
    properties.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def _cell_fill(target: _Cell, cell: Cell, size: float) -> None:
    lines = cell.text.split("\n")
    first = target.paragraphs[0]
    first.alignment = ALIGNMENTS["center" if cell.label else "left"]
    first.paragraph_format.line_spacing = Pt(size * 1.4)
    if lines[0]:
        _run(first, lines[0], size=size)
    for line in lines[1:]:
        paragraph = _paragraph(target, line, size=size, align="center" if cell.label else "left")
        paragraph.paragraph_format.line_spacing = Pt(size * 1.4)
    if cell.sign:
        _paragraph(target, "", size=size)
        sign = _paragraph(target, cell.sign, size=size, align="right")
        sign.paragraph_format.line_spacing = Pt(size * 1.4)
    target.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.CENTER if cell.label or not cell.sign else WD_CELL_VERTICAL_ALIGNMENT.TOP
    )


def _footer_set(section: Section, layout: Layout) -> None:
    footer = section.footer
    first = footer.paragraphs[0]
    if layout.footer:
        _run(first, layout.footer, size=10.5)
    if layout.page_numbers:
        numbers = first if not layout.footer else footer.add_paragraph()
        numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(numbers, "第 ", size=10.5)
        _field(numbers, "PAGE", size=10.5)
        _run(numbers, " 页　共 ", size=10.5)
        _field(numbers, "NUMPAGES", size=10.5)
        _run(numbers, " 页", size=10.5)


def _zip_normalize(data: bytes, *, dated: dt.date) -> bytes:
    """Rewrite the package with every entry dated by the document (python-docx stamps the time of
    writing), in the same order and with the same compression: same content, same bytes."""
    stamp = (dated.year, dated.month, dated.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _outline_level_set(paragraph: Paragraph, *, level: int) -> None:
    """Mark the title as a level-1 heading for the navigation pane, without Word's Title style
    (blue, underlined) that no enforcement document uses."""
    properties = paragraph._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    properties.insert_element_before(outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _content_elements(document: Document) -> list[Any]:
    """The body's paragraphs and tables, in order (the section properties always come last)."""
    return [child for child in document.element.body if child.tag != qn("w:sectPr")]


def _keep_with_next(element: CT_P) -> None:
    Paragraph(element, None).paragraph_format.keep_with_next = True  # type: ignore[arg-type]


def _keep_together(elements: list[Any], *, with_next: bool = False) -> None:
    """Keep every paragraph (table rows included) with the next, so the group moves to the next
    page as a whole, as the PDF's KeepTogether does; `with_next` keeps the last one with what
    follows the group too."""
    paragraphs: list[CT_P] = []
    for element in elements:
        if element.tag == qn("w:p"):
            paragraphs.append(element)
        elif element.tag == qn("w:tbl"):
            paragraphs.extend(element.iter(qn("w:p")))
    for paragraph in paragraphs if with_next else paragraphs[:-1]:
        _keep_with_next(paragraph)


def _keep_with_signature(document: Document) -> None:
    """Keep the last paragraph (or signature lines) and the blank lines before the seal with it,
    so the seal never stands on a page of its own."""
    for element in reversed(_content_elements(document)):
        if element.tag == qn("w:tbl"):
            _keep_together([element], with_next=True)
            return
        _keep_with_next(element)
        if Paragraph(element, None).text:  # type: ignore[arg-type]
            return


def _blocks_write(document: Document, blocks: tuple[Block, ...], size: float) -> None:
    for block in blocks:
        match block:
            case Group():
                before = len(_content_elements(document))
                _blocks_write(document, block.blocks, size)
                _keep_together(_content_elements(document)[before:])
            case Heading():
                for text, heading_size, after in ((block.agency, 20.0, 4), (block.title, 22.0, 10)):
                    paragraph = document.add_paragraph()
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    paragraph.paragraph_format.line_spacing = 1.0
                    paragraph.paragraph_format.space_after = Pt(after)
                    _run(paragraph, text, size=heading_size, font=TITLE_FONT, bold=True)
                    if text == block.title:
                        _outline_level_set(paragraph, level=0)
            case NumberLine():
                _paragraph(document, block.text, size=size, align="right")
            case Para():
                text_size = size - 2 if block.small else size
                for line in block.text.split("\n"):
                    _paragraph(document, line, size=text_size, align=block.align, indent=block.indent)
            case Table():
                _table(document, block, size)
            case Signature():
                _keep_with_signature(document)
                for index, line in enumerate(block.lines):
                    paragraph = _paragraph(document, line, size=size, align="center")
                    # Centred in the right half, as the agency's name and the date sit on a 落款,
                    # and never split from each other by a page break.
                    paragraph.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM * 0.5)
                    paragraph.paragraph_format.keep_with_next = index < len(block.lines) - 1 or bool(
                        block.note
                    )
                if block.note:
                    note = _paragraph(document, block.note, size=size - 2, align="left")
                    note.paragraph_format.space_before = Mm(2)
            case Space():
                spacer = document.add_paragraph()
                spacer.paragraph_format.line_spacing = Pt(max(1.0, block.mm * 2.83))


def layout_render_docx(*, layout: Layout, title: str, author: str, subject: str, dated: dt.date) -> bytes:
    document = docx.Document()
    size = layout.body_size
    _styles_set(document, size, layout.leading)
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(12)
    _footer_set(section, layout)

    _blocks_write(document, layout.blocks, size)

    properties = document.core_properties
    moment = dt.datetime(dated.year, dated.month, dated.day)
    properties.title = title
    properties.subject = subject
    properties.author = author
    properties.last_modified_by = author
    properties.comments = ""
    properties.keywords = ""
    properties.category = "行政执法文书"
    properties.language = "zh-CN"
    properties.revision = 1
    properties.created = moment
    properties.modified = moment
    buffer = io.BytesIO()
    document.save(buffer)
    return _zip_normalize(buffer.getvalue(), dated=dated)

"""Lay out a document as DOCX with python-docx, for offices that edit in WPS or Word.

Chinese text takes its face from the East-Asian slot of a run's fonts (w:rFonts/@w:eastAsia), not
from the Latin name python-docx sets, so both are set: 仿宋 for the body and 宋体 for titles, with
Times New Roman for digits and Latin letters, as Chinese official documents are set.

The bytes are made reproducible: fixed core properties (dated by the document) and a zip whose
entries carry the document's date instead of the time of writing.

On the request path (every step that issues a document renders one) the costs are kept per process,
not per document: python-docx's default template (a 350 KB styles part) is parsed once per body
size and copied for each document, the package is zipped once (not saved and re-packed), and the
template's large parts, the same bytes in every document, are deflated once. None of this changes
a byte of the result (tests/documents/test_word_package.py holds the writer to python-docx's own).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter
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


@functools.lru_cache(maxsize=32)
def _run_properties(size: float, font: str, bold: bool) -> Any:
    """The properties (w:rPr) of a run of this size, face and weight, built once through python-docx
    on a run of its own; every run gets a copy (an element copy costs a fraction of the builds)."""
    run = Run(OxmlElement("w:r"), None)  # type: ignore[arg-type]
    run.font.size = Pt(size)
    run.font.bold = bold
    _fonts_set(run._element, font)
    return run._element.rPr


# What python-docx's run text setter turns into other elements than w:t (a tab, a line break).
RUN_CONTROLS = re.compile("[\t\r\n]")


def _run(paragraph: Paragraph, text: str, *, size: float, font: str = BODY_FONT, bold: bool = False) -> Run:
    if text and not RUN_CONTROLS.search(text):
        # The one w:t that python-docx's add_run(text) writes for such a text, without its walk of
        # the text a character at a time.
        element = paragraph._p.add_r()
        element.add_t(text)
        run = Run(element, paragraph)
    else:
        run = paragraph.add_run(text)
    # First in the run, where python-docx's get_or_add_rPr puts it.
    run._element.insert(0, copy.deepcopy(_run_properties(size, font, bold)))
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


@functools.lru_cache(maxsize=64)
def _paragraph_properties(align: str, first_line_indent: float | None, line_spacing: float | None) -> Any:
    """The properties (w:pPr) of a paragraph with this alignment, first-line indent and exact line
    spacing (points), built once through python-docx on a paragraph of its own, as `_run_properties`
    does for runs: python-docx places each child in the schema's order whatever the order of the
    calls, so a copy is the element the calls would have built on the paragraph itself."""
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    paragraph.alignment = ALIGNMENTS[align]
    if first_line_indent is not None:
        paragraph.paragraph_format.first_line_indent = Pt(first_line_indent)
    if line_spacing is not None:
        paragraph.paragraph_format.line_spacing = Pt(line_spacing)
    return paragraph._p.pPr


def _properties_give(paragraph: Paragraph, align: str, *, first_line_indent: float | None = None,
                     line_spacing: float | None = None) -> None:
    """Give a paragraph that has no properties yet a copy of `_paragraph_properties` (first in it,
    where python-docx's get_or_add_pPr puts them)."""
    if paragraph._p.pPr is not None:  # never so for a paragraph just added or a new cell's
        paragraph.alignment = ALIGNMENTS[align]
        if first_line_indent is not None:
            paragraph.paragraph_format.first_line_indent = Pt(first_line_indent)
        if line_spacing is not None:
            paragraph.paragraph_format.line_spacing = Pt(line_spacing)
        return
    paragraph._p.insert(0, copy.deepcopy(_paragraph_properties(align, first_line_indent, line_spacing)))


def _paragraph(
    container: Document | _Cell, text: str, *, size: float, align: str = "justify", indent: bool = False,
    line_spacing: float | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph()
    _properties_give(paragraph, align, first_line_indent=2 * size if indent else None, line_spacing=line_spacing)
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


def _table(document: Document, block: Table, size: float, template: _Template) -> DocxTable:
    columns = len(block.widths)
    table = document.add_table(rows=len(block.rows), cols=columns)
    if block.ruled:
        table._tbl.tblStyle_val = template.table_grid  # table.style = "Table Grid", looked up once
        _cell_margins_set(table, top=60, bottom=60)
    else:
        _cell_margins_set(table, left=0)  # flush with the text above, as in the PDF
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * w) for w in block.widths]
    # Word reads the cells' widths, LibreOffice and WPS the table grid: set both.
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    for r, (row, docx_row) in enumerate(zip(block.rows, table.rows, strict=True)):
        if r < len(block.heights) and block.heights[r]:
            docx_row.height = Mm(block.heights[r])
            docx_row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        # The row's cells, one a grid column while nothing in it is merged yet, read once: python-docx's
        # table.cell() and row.cells walk the whole table's grid at every call. A merge keeps the
        # leftmost cell's element and drops the others, so these stay the cells of their columns.
        cells = [_Cell(tc, table) for tc in docx_row._tr.tc_lst]
        for c in range(columns):
            cells[c].width = widths[c]
        column = 0
        for cell in row:
            target = cells[column]
            if cell.span > 1:
                target = _merge_across(target, cells[column + 1 : column + cell.span])
            _cell_fill(target, cell, size)
            column += cell.span
    return table


def _merge_across(first: _Cell, following: list[_Cell]) -> _Cell:
    """`first.merge(following[-1])` for cells side by side in one row with no span yet: the steps
    of python-docx's horizontal merge (CT_Tc._span_to_width, _swallow_next_tc), without the walks
    of the whole table's grid that python-docx makes to find the span's corners first (the most
    expensive part of writing a form)."""
    tc = first._tc
    for cell in following:
        swallowed = cell._tc
        swallowed._move_content_to(tc)
        tc._add_width_of(swallowed)
        tc.grid_span += swallowed.grid_span
        swallowed._remove()
    tc.vMerge = None
    return _Cell(tc, first._parent)


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
    _properties_give(first, "center" if cell.label else "left", line_spacing=size * 1.4)
    if lines[0]:
        _run(first, lines[0], size=size)
    for line in lines[1:]:
        _paragraph(target, line, size=size, align="center" if cell.label else "left", line_spacing=size * 1.4)
    if cell.sign:
        _paragraph(target, "", size=size)
        _paragraph(target, cell.sign, size=size, align="right", line_spacing=size * 1.4)
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


# Zip records as zipfile writes them on POSIX (version 2.0, made on Unix, deflated, rw-r--r--).
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
ZIP_VERSION = 20
MADE_ON_UNIX = 3
UTF8_NAME = 0x800
# Parts this large are the template's (the styles, 350 KB and 440 KB), the same bytes in every
# document of a body size: deflated once. Keyed by the bytes themselves, so never stale.
DEFLATE_CACHED_FROM = 16 * 1024


def _deflate_now(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate at zlib's default level, as zipfile.ZIP_DEFLATED writes an entry."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


_deflate_cached = functools.lru_cache(maxsize=8)(_deflate_now)


def _deflate(data: bytes) -> tuple[int, bytes]:
    return _deflate_cached(data) if len(data) >= DEFLATE_CACHED_FROM else _deflate_now(data)


def _zip_write(entries: list[tuple[str, bytes]], *, dated: dt.date) -> bytes:
    """The package as one zip, every entry dated by the document (00:00) and deflated, in the given
    order: byte for byte what zipfile.ZipFile.writestr writes for the same entries (a small archive,
    no zip64), without its per-entry work and with the template's parts deflated once."""
    dos_date = (dated.year - 1980) << 9 | dated.month << 5 | dated.day
    dos_time = 0
    body = bytearray()
    central = bytearray()
    for name, data in entries:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), UTF8_NAME
        crc, compressed = _deflate(data)
        offset = len(body)
        body += LOCAL_HEADER.pack(b"PK\x03\x04", ZIP_VERSION, 0, flags, zipfile.ZIP_DEFLATED, dos_time, dos_date,
                                  crc, len(compressed), len(data), len(encoded), 0)
        body += encoded
        body += compressed
        central += CENTRAL_HEADER.pack(b"PK\x01\x02", ZIP_VERSION, MADE_ON_UNIX, ZIP_VERSION, 0, flags,
                                       zipfile.ZIP_DEFLATED, dos_time, dos_date, crc, len(compressed), len(data),
                                       len(encoded), 0, 0, 0, 0, 0o644 << 16, offset)
        central += encoded
    if len(body) + len(central) >= zipfile.ZIP64_LIMIT or len(entries) >= 0xFFFF:
        raise ValueError("a document package this large needs zip64")
    end = END_RECORD.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)


class _PackageEntries:
    """Stands in for python-docx's zip writer (PhysPkgWriter): collects each member's name and
    bytes in the order python-docx writes them."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))

    def close(self) -> None:
        pass


def _package_entries(document: Document, template: _Template) -> list[tuple[str, bytes]]:
    """The package's members as Document.save() writes them (OpcPackage.save, PackageWriter.write),
    the template's shared styles part with its bytes serialized once."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = _PackageEntries()
    PackageWriter._write_content_types_stream(entries, parts)
    PackageWriter._write_pkg_rels(entries, package.rels)
    for part in parts:  # PackageWriter._write_parts
        entries.write(part.partname, template.styles_blob if part is template.styles else part.blob)
        if len(part.rels):
            entries.write(part.partname.rels_uri, part.rels.xml)
    return entries.entries


@dataclass(frozen=True)
class _Template:
    """python-docx's default template with the body style and the A4 page set, parsed once per
    process and body size, never written to: each document is a copy of it (`_document_new`).

    The parts a document never writes to (styles, settings, fonts, theme, numbering...) are
    shared by every copy, not copied; the styles part's 350 KB of XML is serialized once.
    Documents only read styles (the table style's id is looked up once, here), and
    tests/documents/test_word_package.py checks that rendering every kind leaves every part of
    the template as it was."""

    document: Document
    styles: Part
    styles_blob: bytes
    table_grid: str  # the style id of Table Grid
    shared: tuple[Part, ...]  # every part but the two each document writes (body, core properties)


@functools.lru_cache(maxsize=4)
def _template(size: float, leading: float) -> _Template:
    document = docx.Document()
    _styles_set(document, size, leading)
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(12)
    styles = document.part.part_related_by(RT.STYLES)
    package = document.part.package
    written = (document.part, package.part_related_by(RT.CORE_PROPERTIES))
    return _Template(
        document=document,
        styles=styles,
        styles_blob=styles.blob,
        table_grid=document.part.get_style_id("Table Grid", WD_STYLE_TYPE.TABLE),
        shared=tuple(part for part in package.iter_parts() if all(part is not w for w in written)),
    )


def _document_new(template: _Template) -> Document:
    """A fresh document: a deep copy of the template's package, but for its shared parts."""
    return copy.deepcopy(template.document, {id(part): part for part in template.shared})


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


def _blocks_write(document: Document, blocks: tuple[Block, ...], size: float, template: _Template) -> None:
    for block in blocks:
        match block:
            case Group():
                before = len(_content_elements(document))
                _blocks_write(document, block.blocks, size, template)
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
                _table(document, block, size, template)
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
    document, template = _document_build(layout=layout, title=title, author=author, subject=subject, dated=dated)
    return _zip_write(_package_entries(document, template), dated=dated)


def _document_build(
    *, layout: Layout, title: str, author: str, subject: str, dated: dt.date
) -> tuple[Document, _Template]:
    """The document, ready to be packaged, and the template it is a copy of."""
    size = layout.body_size
    template = _template(size, layout.leading)
    document = _document_new(template)
    section = document.sections[0]
    _footer_set(section, layout)

    _blocks_write(document, layout.blocks, size, template)

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
    return document, template

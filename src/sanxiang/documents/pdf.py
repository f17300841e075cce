"""Lay out a document as an A4 PDF with reportlab.

The font is Noto Serif CJK SC (a Song face, 宋体), embedded as a subset of the glyphs each document
uses (`sanxiang.documents.fonts`): the PDF shows the same glyphs on every machine, as an archived
record must, and its text layer is Unicode (a ToUnicode map) that search, copy and our tests read.
Where the font is not installed, Adobe's standard CID font STSong-Light stands in, not embedded.

The file is marked as PDF/A-2b (ISO 19005-2, level B): every font embedded, XMP metadata that
repeats the document information, an sRGB output intent, no encryption.

The bytes depend only on the layout and the document's date: reportlab's invariant mode fixes the
file ID and the timestamps, and the creation date printed in the metadata is the document's own
date, so the same context always hashes to the same ledger digest.
"""

import dataclasses
import datetime as dt
import functools
import io
import re
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from sanxiang.documents import pdfa
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
from sanxiang.documents.fonts import document_font

MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 25 * mm
MARGIN_LEFT = 28 * mm  # the binding edge (订口) is wider, as in GB/T 9704
MARGIN_RIGHT = 26 * mm
FOOTER_RESERVE = 10 * mm  # records print signatures and page numbers below the text
FRAME_PADDING = 6  # platypus frames keep 6 pt inside the margins
TEXT_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT - 2 * FRAME_PADDING
CELL_PADDING = 4
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def font_register() -> str:
    """The name of the documents' font, registered with reportlab on first use."""
    return document_font().name


class BoldCentred(Flowable):
    """A centred line in a heavier face. The Song face has no bold here, so the glyphs are filled and
    stroked (text render mode 2), the way printed 小标宋 titles look, and the text stays extractable."""

    def __init__(self, text: str, size: float, space_after: float):
        super().__init__()
        self.text = text
        self.size = size
        self.space_after = space_after

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.25 + self.space_after

    def draw(self) -> None:
        canvas = self.canv
        font = font_register()
        text_width = pdfmetrics.stringWidth(self.text, font, self.size)
        text = canvas.beginText((self.width - text_width) / 2, self.space_after + self.size * 0.3)
        text.setFont(font, self.size)
        text.setTextRenderMode(2)
        canvas.setLineWidth(self.size * 0.025)
        canvas.setStrokeColor(black)
        text.textOut(self.text)
        canvas.drawText(text)


def _style(
    size: float, *, align: str = "justify", indent: bool = False, leading: float = 1.7
) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{size}{align}{indent}{leading}",
        fontName=font_register(),
        fontSize=size,
        leading=size * leading,
        alignment=ALIGNMENTS[align],
        firstLineIndent=2 * size if indent else 0,
        wordWrap="CJK",  # break between any two Chinese characters
    )


# Paragraphs collapse whitespace, the ideographic space (U+3000) included, but forms need their
# blanks (签名：　　　　年　月　日). A no-break space is kept: each ideographic space becomes as many
# no-break spaces as fill an em, in the embedded font (whose every glyph is embedded, PDF/A). STSong
# has no glyph for it, so without the embedded font they are Helvetica's (0.278 em: 3.6 per em).
IDEOGRAPHIC_SPACES = re.compile("\u3000+")


def _blank(match: re.Match[str]) -> str:
    font = document_font()
    if font.embedded and font.has("\xa0"):
        return "\xa0" * round(len(match.group()) * 1000 / font.width("\xa0"))
    return '<font name="Helvetica">' + "\xa0" * round(len(match.group()) * 3.6) + "</font>"


def _markup(text: str) -> str:
    return IDEOGRAPHIC_SPACES.sub(_blank, escape(text)).replace("\n", "<br/>")


def _paragraphs(block: Para, size: float, leading: float) -> list[Paragraph]:
    size = size - 2 if block.small else size
    style = _style(size, align=block.align, indent=block.indent, leading=1.5 if block.small else leading)
    lines = block.text.split("\n") if block.text else [""]
    return [Paragraph(_markup(line), style) for line in lines]


def _cell_content(cell: Cell, size: float, width: float, min_height: float) -> list[Flowable]:
    style = _style(size, align="center" if cell.label else "left", leading=1.4)
    content: list[Flowable] = [Paragraph(_markup(cell.text), style)]
    if cell.sign:
        sign = Paragraph(_markup(cell.sign), _style(size, align="right", leading=1.4))
        used = sum(f.wrap(width, 10_000)[1] for f in (*content, sign)) + 2 * CELL_PADDING
        # Push the signature to the bottom of the box, where an approver signs.
        content += [Spacer(1, max(2.0, min_height - used)), sign]
    elif min_height and not cell.label:
        used = content[0].wrap(width, 10_000)[1] + 2 * CELL_PADDING
        if used < min_height:
            content.append(Spacer(1, min_height - used))
    return content


def _table(block: Table, size: float) -> PdfTable:
    widths = [TEXT_WIDTH * w for w in block.widths]
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font_register()),  # the empty fillers of spans too
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if block.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.7, black))
    else:
        commands.append(("LEFTPADDING", (0, 0), (0, -1), 0))
    for r, row in enumerate(block.rows):
        min_height = (block.heights[r] if r < len(block.heights) else 0) * mm
        line: list[Any] = []
        column = 0
        for cell in row:
            width = sum(widths[column : column + cell.span]) - 2 * CELL_PADDING
            line.append(_cell_content(cell, size, width, min_height))
            if cell.span > 1:
                line += [""] * (cell.span - 1)
                commands.append(("SPAN", (column, r), (column + cell.span - 1, r)))
            if not cell.label and (cell.sign or min_height):
                commands.append(("VALIGN", (column, r), (column, r), "TOP"))
            column += cell.span
        data.append(line)
    table = PdfTable(data, colWidths=widths)
    table.setStyle(TableStyle(commands))
    return table


def _signature(block: Signature, size: float) -> Flowable:
    """The agency's name and the date centred on each other at the right, the seal above them."""
    style = _style(size, align="center", leading=1.8)
    table = PdfTable(
        [[Paragraph(_markup(line), style)] for line in block.lines], colWidths=[TEXT_WIDTH * 0.5]
    )
    table.hAlign = "RIGHT"
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font_register()),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _flowables(blocks: tuple[Block, ...], size: float, leading: float) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        match block:
            case Group():
                story.append(KeepTogether(_flowables(block.blocks, size, leading)))
            case Heading():
                story.append(BoldCentred(block.agency, 20, 6))
                story.append(BoldCentred(block.title, 22, 10))
            case NumberLine():
                story.append(Paragraph(_markup(block.text), _style(size, align="right")))
            case Para():
                story += _paragraphs(block, size, leading)
            case Table():
                story.append(_table(block, size))
            case Signature():
                # The seal never stands on a page of its own (GB/T 9704: no 此页无正文 pages):
                # it takes the last paragraph (or signature lines) before it along.
                tail: list[Flowable] = []
                while story and isinstance(story[-1], Spacer):
                    tail.insert(0, story.pop())
                if story:
                    tail.insert(0, story.pop())
                closing: list[Flowable] = [*tail, _signature(block, size)]
                if block.note:
                    closing += [
                        Spacer(1, 2 * mm),
                        *_paragraphs(Para(block.note, indent=False, align="left", small=True), size, leading),
                    ]
                story.append(KeepTogether(closing))
            case Space():
                story.append(Spacer(1, block.mm * mm))
    return story


class _DocumentCanvas(Canvas):
    """A canvas that knows the page count before drawing each page's foot (第 x 页 共 y 页) and
    dates the file by the document, not by the clock."""

    def __init__(self, *args: Any, footer: str, page_numbers: bool, dated: dt.date, **kwargs: Any):
        kwargs["invariant"] = 1
        # The canvas starts in the documents' font, not in Helvetica: a PDF/A file may hold no
        # font that is not embedded.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or font_register()
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._page_numbers = page_numbers
        self._pages: list[dict[str, Any]] = []
        stamp = f"D:{dated:%Y%m%d}000000+08'00'"
        self.setDateFormatter(lambda *_: stamp)
        self._dated = dated

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._foot(number, total)
            super().showPage()
        if document_font().embedded:
            pdfa.pdfa_mark(self._doc, dated=self._dated)
        super().save()

    def _foot(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(font_register(), 10.5)
        if self._footer:
            self.drawString(MARGIN_LEFT, MARGIN_BOTTOM + 2 * mm, self._footer)
        if self._page_numbers:
            self.drawCentredString(A4[0] / 2, MARGIN_BOTTOM - 7 * mm, f"第 {number} 页　共 {total} 页")
        self.restoreState()


class CharactersUnprintable(ValueError):
    """The text holds characters the font has no glyph for (without the embedded font: any beyond
    the Basic Multilingual Plane, CJK Extension B and later, e.g. 𠮷 in some names, which the
    standard CID font's UCS-2 encoding cannot carry): a document that prints a party's name as
    garbage must not be issued."""

    def __init__(self, characters: list[str]):
        self.characters = characters
        listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in characters)
        super().__init__(
            f"文书中有PDF标准字体无法显示的字符：{listed}，请改用通用字或者在DOCX中编辑后另行制作PDF"
        )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))


BEYOND_BMP = re.compile("[\U00010000-\U0010FFFF]")


def characters_unprintable(layout: Layout) -> list[str]:
    """Characters of the layout the font cannot print, in order of appearance."""
    font = document_font()
    found: dict[str, None] = {}
    for text in _strings(layout.blocks):
        if text.isascii():
            continue
        if font.cff is None:
            found.update(dict.fromkeys(BEYOND_BMP.findall(text)))
        else:
            found.update(dict.fromkeys(c for c in text if not c.isspace() and not font.has(c)))
    return list(found)


def layout_render_pdf(*, layout: Layout, title: str, author: str, subject: str, dated: dt.date) -> bytes:
    unprintable = characters_unprintable(layout)
    if unprintable:
        raise CharactersUnprintable(unprintable)
    font_register()
    buffer = io.BytesIO()
    reserve = FOOTER_RESERVE if (layout.footer or layout.page_numbers) else 0
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM + reserve,
        title=title,
        author=author,
        subject=subject,
        creator="Sanxiang 三项",
        lang="zh-CN",
        invariant=1,
    )
    document.build(
        _flowables(layout.blocks, layout.body_size, layout.leading),
        canvasmaker=functools.partial(
            _DocumentCanvas, footer=layout.footer, page_numbers=layout.page_numbers, dated=dated
        ),
    )
    return buffer.getvalue()

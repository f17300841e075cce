"""The font of the PDF documents, embedded (PDF/A: a document must carry its glyphs to be read the
same way in thirty years, on a machine that has no 宋体).

The face is Noto Serif CJK SC (SIL Open Font License), a Song face, as the fonts-noto-cjk package of
Debian and Ubuntu installs it (and Fedora's and Arch's packages under their own folders), or the
OpenType file `SANXIANG_DOCUMENT_FONT` names. Each document embeds a subset of the glyphs it uses
(`sanxiang.documents.cff`), as a Type 0 font with a CIDFontType0 descendant, Identity-H encoding and
a ToUnicode map, so that the text stays searchable and copyable.

Without the font, documents are still made, with Adobe's standard CID font STSong-Light, which no
PDF embeds (every reader substitutes its own Song face), a warning is logged, and
`document_font().embedded` tells which; such documents are not marked PDF/A.
"""

from __future__ import annotations

import functools
import logging
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib import textsplit
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from sanxiang.documents.cff import CFFFont, FontUnsupported, cff_font_load

logger = logging.getLogger(__name__)

FONT_ENV = "SANXIANG_DOCUMENT_FONT"
POSTSCRIPT_NAME = "NotoSerifCJKsc-Regular"
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",  # Fedora: google-noto-serif-cjk-fonts
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",  # Arch: noto-fonts-cjk
    "/usr/share/fonts/truetype/noto/NotoSerifCJK-Regular.ttc",
)
EMBEDDED_NAME = "SanxiangSerif"
STANDARD_NAME = "STSong-Light"


def invisible(character: str) -> bool:
    """A control or format character (U+200B, U+202E …): printed as nothing, never refused."""
    return unicodedata.category(character) in ("Cc", "Cf")


@dataclass(frozen=True)
class DocumentFont:
    """The font the PDF writer uses: its reportlab name, and whether documents embed it."""

    name: str
    embedded: bool
    path: str = ""
    cff: CFFFont | None = None

    def has(self, character: str) -> bool:
        """Whether the font can print the character (the standard CID font: UCS-2 only)."""
        if self.cff is not None:
            return ord(character) in self.cff.char_to_glyph or invisible(character)
        return ord(character) <= 0xFFFF

    def width(self, character: str) -> float:
        """Advance width in 1/1000 em."""
        return pdfmetrics.stringWidth(character, self.name, 1000)


class _State:
    """The glyphs a document used (glyph id → the character it prints), and the document's name for the font."""

    def __init__(self) -> None:
        self.glyphs: dict[int, str] = {}
        self.internal_name: str | None = None


class EmbeddedCIDFont:
    """A reportlab dynamic font over a CFF CJK face: text is written as two-byte glyph ids
    (Identity-H), and at the end of the document the glyphs it used are embedded."""

    _dynamicFont = 1
    _multiByte = 1
    shapable = False

    def __init__(self, name: str, cff: CFFFont):
        self.fontName = name
        self.cff = cff
        self.face = SimpleNamespace(
            name=cff.postscript_name.encode("ascii"), ascent=cff.ascent, descent=cff.descent, subfontNameX=b""
        )
        self.encoding = SimpleNamespace(name="Identity-H")
        self.substitutionFonts: list[Any] = []
        self.state: WeakKeyDictionary[Any, _State] = WeakKeyDictionary()
        # Character → advance width in 1/1000 em (0 for what prints nothing), kept for the process:
        # line breaking measures every character of every document, several times. The widths are
        # integers, so a sum over this table is the sum over the glyphs, to the bit.
        self._widths: dict[str, int] = {}

    def _glyph(self, character: str) -> int:
        return self.cff.char_to_glyph.get(ord(character), 0)

    def _printed(self, text: str) -> Iterator[int]:
        """The glyphs of the text; invisible format characters the font lacks (a zero-width
        space, a direction mark) print nothing rather than the .notdef box."""
        for character in text:
            glyph = self._glyph(character)
            if glyph or not invisible(character):
                yield glyph

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:  # reportlab's name
        if isinstance(text, bytes):
            text = text.decode(encoding)
        widths = self._widths
        try:
            total = sum([widths[character] for character in text])
        except KeyError:
            for character in text:
                if character not in widths:
                    glyph = self._glyph(character)
                    widths[character] = self.cff.width(glyph) if glyph or not invisible(character) else 0
            total = sum([widths[character] for character in text])
        return total * size / 1000

    def char_widths(self, word: str, size: float) -> list[float]:
        """`stringWidth` of each character of the word (what reportlab's line breaking of CJK text
        asks, a character at a time), the same floats without a call per character."""
        widths = self._widths
        try:
            return [widths[character] * size / 1000 for character in word]
        except KeyError:
            self.stringWidth(word, size)  # fills the table
            return [widths[character] * size / 1000 for character in word]

    def _state(self, doc: Any) -> _State:
        state = self.state.get(doc)
        if state is None:
            state = self.state[doc] = _State()
        return state

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if isinstance(text, bytes):
            text = text.decode(encoding)
        state = self._state(doc)
        codes = bytearray()
        for character in text:
            glyph = self._glyph(character)
            if not glyph and invisible(character):
                continue
            state.glyphs.setdefault(glyph, character)
            codes += glyph.to_bytes(2, "big")
        return [(0, bytes(codes))]

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        state = self._state(doc)
        if state.internal_name is None:
            state.internal_name = f"F{len(doc.fontMapping) + 1}"
            doc.fontMapping[self.fontName] = "/" + state.internal_name
            doc.delayedFonts.append(self)
        return "/" + state.internal_name

    def addObjects(self, doc: Any) -> None:
        state = self._state(doc)
        internal = state.internal_name or self.getSubsetInternalName(0, doc)[1:]
        glyphs = dict(sorted(state.glyphs.items()))
        name, program = self.cff.subset(set(glyphs))
        font_file = pdfdoc.PDFStream(
            dictionary=pdfdoc.PDFDictionary({"Subtype": "/CIDFontType0C"}), content=program
        )
        if doc.compression:
            font_file.filters = [pdfdoc.PDFZCompress]
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "FontName": pdfdoc.PDFName(name),
                "Flags": 4,  # symbolic: the glyphs are outside the standard Latin set
                "FontBBox": pdfdoc.PDFArray(list(self.cff.bbox)),
                "ItalicAngle": 0,
                "Ascent": self.cff.ascent,
                "Descent": self.cff.descent,
                "CapHeight": self.cff.cap_height,
                "StemV": 80,
                "FontFile3": doc.Reference(font_file, f"fontFile:{name}"),
            }
        )
        widths = _GlyphWidths([(glyph, self.cff.width(glyph)) for glyph in glyphs])
        descendant = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType0",
                "BaseFont": pdfdoc.PDFName(name),
                "CIDSystemInfo": pdfdoc.PDFDictionary(
                    {"Registry": pdfdoc.PDFString("Adobe"), "Ordering": pdfdoc.PDFString("Identity"), "Supplement": 0}
                ),
                "FontDescriptor": doc.Reference(descriptor, f"fontDescriptor:{name}"),
                "DW": 1000,
                "W": widths,
            }
        )
        to_unicode = pdfdoc.PDFStream(content=_to_unicode_cmap(glyphs))
        if doc.compression:
            to_unicode.filters = [pdfdoc.PDFZCompress]
        font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": pdfdoc.PDFName(name),
                "Encoding": "/Identity-H",
                "DescendantFonts": pdfdoc.PDFArray([doc.Reference(descendant, f"cidFont:{name}")]),
                "ToUnicode": doc.Reference(to_unicode, f"toUnicodeCMap:{name}"),
            }
        )
        doc.idToObject["BasicFonts"].dict[internal] = doc.Reference(font, internal)
        del self.state[doc]


class _GlyphWidths(pdfdoc.PDFArray):
    """The W array of the CID font, [glyph [width] glyph [width] …], written as reportlab writes a
    `PDFArray` of numbers and one-number arrays (`PDFArray.format`), in one pass: the same bytes
    without a formatting call for each of the hundreds of numbers a document's subset has."""

    def __init__(self, pairs: list[tuple[int, float]]):
        self.pairs = pairs
        self.sequence = [item for glyph, width in pairs for item in (glyph, pdfdoc.PDFArray([width]))]

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:  # reportlab's signature
        items: list[bytes] = []
        for glyph, width in self.pairs:
            items.append(fp_str(glyph).encode("ascii"))
            items.append(b"[ " + fp_str(width).encode("ascii") + b" ]")
        if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
            return b"[ " + IND.join(items) + b" ]"
        for i in reversed(range(10, len(items), 10)):  # a line break every ten elements
            items.insert(i, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"


def _char_widths_install() -> None:
    """Have reportlab's line breaking of CJK text (`textsplit.getCharWidths`, which measures a word
    a character at a time through `pdfmetrics.stringWidth`) ask an embedded font for the whole
    word at once; any other font is measured as before."""
    original = textsplit.getCharWidths
    if getattr(original, "sanxiang", False):
        return

    def char_widths(word: str, font_name: str, font_size: float) -> list[float]:
        font = pdfmetrics.getFont(font_name)
        if isinstance(font, EmbeddedCIDFont):
            return font.char_widths(word, font_size)
        return original(word, font_name, font_size)

    char_widths.sanxiang = True  # type: ignore[attr-defined]
    textsplit.getCharWidths = char_widths


def _utf16_hex(character: str) -> str:
    return character.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(glyphs: dict[int, str]) -> str:
    """Glyph id → the character it prints, for search and copy (glyph 0 prints nothing)."""
    pairs = [(g, c) for g, c in glyphs.items() if g]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{g:04X}> <{_utf16_hex(c)}>" for g, c in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _font_path() -> str | None:
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured:
        return configured
    return next((path for path in FONT_FILES if Path(path).is_file()), None)


@functools.cache
def document_font() -> DocumentFont:
    """Register the documents' font with reportlab once: Noto Serif CJK embedded, or else the
    standard CID font (logged as a warning: such PDFs are not fit for archiving)."""
    path = _font_path()
    if path is not None:
        try:
            cff = cff_font_load(path, postscript_name=POSTSCRIPT_NAME)
        except (OSError, FontUnsupported) as problem:
            logger.warning("文书字体 %s 无法使用（%s），PDF文书将不嵌入字体", path, problem)
        else:
            pdfmetrics.registerFont(EmbeddedCIDFont(EMBEDDED_NAME, cff))  # type: ignore[arg-type]
            _char_widths_install()
            return DocumentFont(name=EMBEDDED_NAME, embedded=True, path=path, cff=cff)
    else:
        logger.warning("未找到文书字体（Noto Serif CJK，apt-get install fonts-noto-cjk），PDF文书将不嵌入字体")
    pdfmetrics.registerFont(UnicodeCIDFont(STANDARD_NAME))
    return DocumentFont(name=STANDARD_NAME, embedded=False)

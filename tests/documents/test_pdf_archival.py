"""PDF documents for the archive (issue 13, item 7): every font embedded (a subset of Noto Serif CJK
SC, its text still extractable), and the PDF/A-2b marks: XMP metadata identifying the part and the
conformance and repeating the document information, and an sRGB output intent.

The font comes from Debian's fonts-noto-cjk (CI installs it); without it documents fall back to the
standard CID font, which no PDF embeds, and these tests fail to say so."""

import io
import re

import pypdf
import pytest

from sanxiang.documents import document_render
from sanxiang.documents.cff import FontUnsupported, cff_font_load
from sanxiang.documents.fonts import FONT_FILES, document_font
from tests.documents.reading import pdf_text
from tests.documents.samples import sample_context


def font_problems(data: bytes) -> list[str]:
    """Every font of every page that is not embedded, by name; an empty list when all are."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = page["/Resources"].get_object().get("/Font", {})
        for key, ref in fonts.get_object().items():
            font = ref.get_object()
            described = font
            if font["/Subtype"] == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if not embedded:
                problems.append(f"第{number}页 {key} {font.get('/BaseFont')}")
    return problems


def pdfa_problems(data: bytes) -> list[str]:
    """What a PDF/A-2b reader looks for first, missing or inconsistent."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"].get_object()
    problems = []
    metadata = root.get("/Metadata")
    if metadata is None:
        return ["no XMP metadata"]
    stream = metadata.get_object()
    if "/Filter" in stream:
        problems.append("the metadata stream is filtered")
    xmp = stream.get_data().decode("utf-8")
    if "<pdfaid:part>2</pdfaid:part>" not in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" not in xmp:
        problems.append("no PDF/A-2b identification")
    info = reader.metadata
    for key, value in (("title", info.title), ("creator", info.author), ("description", info.subject)):
        if f">{value}</rdf:li>" not in xmp:
            problems.append(f"dc:{key} differs from the document information")
    if f"<pdf:Producer>{info.producer}</pdf:Producer>" not in xmp:
        problems.append("pdf:Producer differs")
    created = re.search(r"D:(\d{4})(\d\d)(\d\d)", info["/CreationDate"])
    if created is None or f"<xmp:CreateDate>{'-'.join(created.groups())}T00:00:00+08:00" not in xmp:
        problems.append("xmp:CreateDate differs from CreationDate")
    intents = root.get("/OutputIntents")
    if not intents or intents[0].get_object()["/S"] != "/GTS_PDFA1":
        problems.append("no PDF/A output intent")
    elif intents[0].get_object()["/DestOutputProfile"].get_object()["/N"] != 3:
        problems.append("the output profile is not RGB")
    if "/Encrypt" in reader.trailer or "/ID" not in reader.trailer:
        problems.append("encrypted, or without a file ID")
    return problems


def test_the_documents_font_is_installed_and_embedded():
    font = document_font()
    assert font.embedded, f"Noto Serif CJK is not installed (apt-get install fonts-noto-cjk; looked in {FONT_FILES})"


def test_a_document_embeds_the_subset_of_its_glyphs_and_reads_back():
    rendered = document_render(kind="decision_document", context=sample_context())
    assert font_problems(rendered.pdf) == []
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert len(fonts) == 1, "one font, no standard Helvetica left over"
    (font,) = fonts
    assert re.fullmatch(r"/[A-Z]{6}\+NotoSerifCJKsc-Regular", font["/BaseFont"])
    program = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()["/FontFile3"].get_object()
    assert program["/Subtype"] == "/CIDFontType0C"
    # A subset: the glyphs of one decision, not the 65,535 of the face (about 26 MB for the collection).
    assert 5_000 < len(program.get_data()) < 400_000
    text = pdf_text(rendered.pdf)
    assert "行政处罚决定书" in text and sample_context().party.name in text


def test_a_document_carries_the_pdfa_2b_marks_and_stays_reproducible():
    first = document_render(kind="decision_document", context=sample_context()).pdf
    assert pdfa_problems(first) == []
    assert document_render(kind="decision_document", context=sample_context()).pdf == first


def test_the_checks_see_a_font_that_is_not_embedded():
    """The check itself: a reportlab PDF in Helvetica (a standard font, never embedded) fails it."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(100, 100, "not embedded")
    canvas.save()
    assert font_problems(buffer.getvalue()) == ["第1页 /F1 /Helvetica"]
    assert pdfa_problems(buffer.getvalue()) == ["no XMP metadata"]


def test_a_file_that_is_not_a_cff_font_is_refused(tmp_path):
    path = tmp_path / "not-a-font.otf"
    path.write_bytes(b"\x00\x01\x00\x00" + bytes(100))
    with pytest.raises(FontUnsupported):
        cff_font_load(path, postscript_name="NotoSerifCJKsc-Regular")


def test_invisible_characters_print_nothing_rather_than_a_box():
    """A zero-width space or a direction mark pasted into a name has no glyph: it is left out of the
    text, not refused and not drawn as the font's .notdef box."""
    from dataclasses import replace

    context = sample_context()
    pasted = replace(context, party=replace(context.party, name="乌审旗\u200b草原\u202e味道餐饮有限公司"))
    data = document_render(kind="decision_document", context=pasted).pdf
    assert "乌审旗草原味道餐饮有限公司" in pdf_text(data)
    reader = pypdf.PdfReader(io.BytesIO(data))
    font = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    widths = font["/DescendantFonts"][0].get_object()["/W"]
    assert 0 not in widths[0::2], "no .notdef glyph used"


@pytest.mark.parametrize("multiline", [0, 1])
@pytest.mark.parametrize("count", [0, 1, 5, 6, 23])
def test_the_fonts_widths_array_is_written_as_reportlab_writes_it(monkeypatch, multiline, count):
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    from sanxiang.documents.fonts import _GlyphWidths

    monkeypatch.setattr(rl_config, "pdfMultiLine", multiline)
    pairs = [(3 * i + 1, 1000 if i % 2 else 523.5) for i in range(count)]
    document = pdfdoc.PDFDocument(invariant=1)
    plain = pdfdoc.PDFArray([item for glyph, width in pairs for item in (glyph, pdfdoc.PDFArray([width]))])
    assert _GlyphWidths(pairs).format(document) == plain.format(document)


def test_line_breaking_measures_the_embedded_font_as_reportlab_did():
    from reportlab.lib import textsplit
    from reportlab.pdfbase import pdfmetrics

    font = document_font()
    if not font.embedded:
        pytest.skip("the documents' font is not installed")
    word = "当事人某某有限公司于2026年3月5日\u200b在ABC路"
    assert textsplit.getCharWidths(word, font.name, 10.5) == [pdfmetrics.stringWidth(c, font.name, 10.5) for c in word]
    # Any other font is measured by reportlab itself.
    assert textsplit.getCharWidths("abc", "Helvetica", 12) == [pdfmetrics.stringWidth(c, "Helvetica", 12) for c in "abc"]

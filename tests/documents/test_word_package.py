"""The DOCX writer's shortcuts change no byte: its zip is zipfile's, its package is python-docx's own
save, its per-process template is never written to, and its caches are keyed by what they hold."""

import copy
import datetime as dt
import io
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.shared import Mm
from docx.table import _Cell

from sanxiang.documents import DocumentIncomplete, document_kind_get, document_render
from sanxiang.documents.registry import ALL_DOCUMENT_KINDS
from sanxiang.documents.render import _dated
from sanxiang.documents.word import (
    _deflate_cached,
    _document_build,
    _merge_across,
    _package_entries,
    _run_properties,
    _template,
    _zip_write,
)
from tests.documents import coercion_samples
from tests.documents.samples import sample_context, summary_context

DATED = dt.date(2026, 11, 26)


def zipfile_written(entries: list[tuple[str, bytes]], *, dated: dt.date) -> bytes:
    """What zipfile itself writes for the entries, dated and deflated (the writer before this one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=(dated.year, dated.month, dated.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def python_docx_saved(document, *, dated: dt.date) -> bytes:
    """python-docx's own Document.save(), re-packed with every entry dated by the document."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return zipfile_written([(i.filename, source.read(i.filename)) for i in source.infolist()], dated=dated)


def build(kind: str, context):
    document_kind = document_kind_get(kind=kind)
    return _document_build(layout=document_kind.layout(context), title=document_kind.title_for(context),
                           author=context.agency.name, subject=context.case.number, dated=_dated(context))


def test_the_zip_is_byte_for_byte_what_zipfile_writes():
    entries = [
        ("[Content_Types].xml", b"<Types/>"),
        ("word/styles.xml", b"<w:styles>" + b"<w:style/>" * 5000 + b"</w:styles>"),  # a cached deflate
        ("word/styles.xml2", b"<w:styles>" + b"<w:style/>" * 5000 + b"</w:styles>"),  # the same bytes again
        ("docProps/empty.xml", b""),
        ("word/media/印章.png", bytes(range(256)) * 3),  # a name zipfile flags as UTF-8
    ]
    assert _zip_write(entries, dated=DATED) == zipfile_written(entries, dated=DATED)
    assert _zip_write(entries[:1], dated=dt.date(1999, 12, 31)) == zipfile_written(entries[:1], dated=dt.date(1999, 12, 31))
    assert _zip_write(entries, dated=DATED) != _zip_write(entries, dated=dt.date(2026, 11, 27))


@pytest.mark.parametrize("kind", ["decision_document", "inquiry_record", "review_opinion", "service_receipt"])
def test_the_package_is_what_python_docx_saves(kind):
    document, template = build(kind, sample_context())
    assert _zip_write(_package_entries(document, template), dated=DATED) == python_docx_saved(document, dated=DATED)


def test_rendering_every_kind_leaves_the_template_as_it_was():
    """Every document shares its template's styles part: a layout that wrote to it would change
    the documents rendered after it."""
    contexts = [sample_context(), summary_context(), *(make() for make in coercion_samples.CONTEXTS.values())]
    for context in contexts:
        for kind in ALL_DOCUMENT_KINDS:
            try:
                document_render(kind=kind, context=context)
            except DocumentIncomplete:  # a context made for another kind
                continue
    for size, leading in ((14.0, 1.7), (12.0, 1.5)):
        template, fresh = _template(size, leading), _template.__wrapped__(size, leading)
        assert template.styles.blob == template.styles_blob == fresh.styles_blob
        assert _package_entries(template.document, template) == _package_entries(fresh.document, fresh)


def test_a_fresh_process_and_a_warm_one_write_the_same_bytes():
    context = sample_context()
    warm = [document_render(kind=kind, context=context).docx for kind in ("decision_document", "inquiry_record")]
    _template.cache_clear()
    _run_properties.cache_clear()
    _deflate_cached.cache_clear()
    cold = [document_render(kind=kind, context=context).docx for kind in ("decision_document", "inquiry_record")]
    assert warm == cold


def test_documents_in_between_do_not_leak_into_the_next():
    """A letter (14 pt), a record (12 pt) and a letter again: the caches are keyed by what differs."""
    context = sample_context()
    first = document_render(kind="decision_document", context=context)
    other = document_render(kind="inquiry_record", context=replace(context, document_number="乌市监罚决〔2026〕99号"))
    again = document_render(kind="decision_document", context=context)
    assert again.docx == first.docx and again.pdf == first.pdf
    assert other.docx != first.docx
    changed = document_render(kind="decision_document", context=replace(context, facts=context.facts + "另查明。"))
    assert changed.docx != first.docx and changed.pdf != first.pdf


@pytest.mark.parametrize("spans", [(2, 1, 1), (1, 3), (4,), (1, 2, 1)])
@pytest.mark.parametrize("filled", [False, True])
def test_merging_across_writes_what_python_docx_merge_writes(spans, filled):
    tables = []
    for fast in (True, False):
        document = docx.Document()
        table = document.add_table(rows=2, cols=4)
        cells = [_Cell(tc, table) for tc in table.rows[0]._tr.tc_lst]
        for number, cell in enumerate(cells):
            cell.width = Mm(20 + number)
            if filled:
                cell.paragraphs[0].add_run(f"第{number}格")
        column = 0
        for span in spans:
            if span > 1:
                if fast:
                    _merge_across(cells[column], cells[column + 1 : column + span])
                else:
                    cells[column].merge(cells[column + span - 1])
            column += span
        tables.append(table._tbl.xml)
    assert tables[0] == tables[1]


@pytest.mark.parametrize("align", ["left", "center", "right", "justify"])
@pytest.mark.parametrize("indent", [None, 32.0])
@pytest.mark.parametrize("line", [None, 22.4])
def test_a_paragraphs_copied_properties_are_what_python_docx_builds(align, indent, line):
    from docx.oxml import OxmlElement
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph

    from sanxiang.documents.word import ALIGNMENTS, _properties_give

    built = Paragraph(OxmlElement("w:p"), None)
    built.alignment = ALIGNMENTS[align]
    if indent is not None:
        built.paragraph_format.first_line_indent = Pt(indent)
    if line is not None:
        built.paragraph_format.line_spacing = Pt(line)
    copied = Paragraph(OxmlElement("w:p"), None)
    _properties_give(copied, align, first_line_indent=indent, line_spacing=line)
    assert copied._p.xml == built._p.xml
    # A paragraph that has properties already gets them set on it, the same.
    again = Paragraph(OxmlElement("w:p"), None)
    again._p.get_or_add_pPr()
    _properties_give(again, align, first_line_indent=indent, line_spacing=line)
    assert again._p.xml == built._p.xml


@pytest.mark.parametrize("text", ["当事人", " 前后有空格 ", "一\t二", "一\n二\r三", "a"])
def test_a_runs_text_is_what_python_docx_writes(text):
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    from sanxiang.documents.word import _run

    built = Paragraph(OxmlElement("w:p"), None)
    built.add_run(text)._element.insert(0, copy.deepcopy(_run_properties(12.0, "仿宋", False)))
    written = Paragraph(OxmlElement("w:p"), None)
    _run(written, text, size=12.0)
    assert written._p.xml == built._p.xml

"""Reading a rendered document back: the text layer of the PDF and the text of the DOCX, without the
blanks and line breaks that fall anywhere in laid-out Chinese text."""

import io
import re

import docx
import pypdf

WHITESPACE = re.compile(r"\s+")


def flat(text: str) -> str:
    return WHITESPACE.sub("", text).replace("\xa0", "")


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return flat("".join(page.extract_text() for page in reader.pages))


def pdf_pages(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return flat("".join(parts))

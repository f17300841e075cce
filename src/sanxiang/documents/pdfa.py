"""PDF/A-2b (ISO 19005-2, level B) marks of a reportlab document: the XMP metadata that identifies
the file as PDF/A and repeats its document information, and the sRGB output intent that fixes what
its device colours (black text and rules) mean. The embedded fonts are `sanxiang.documents.fonts`'.

Only a file whose every font is embedded is marked: without the Noto CJK font the documents use the
standard CID font, which no PDF embeds, and such a file would claim a conformance it lacks.

The ICC profile is littleCMS's sRGB (through Pillow, which reportlab installs), its creation date
fixed so that the bytes, and the ledger digest of each document, stay reproducible.
"""

from __future__ import annotations

import datetime as dt
import functools
import struct
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc

SRGB = "sRGB IEC61966-2.1"
XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<xmp:CreatorTool>{creator}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<pdf:Producer>{producer}</pdf:Producer>
<pdf:Keywords>{keywords}</pdf:Keywords>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


class _UnfilteredStream(pdfdoc.PDFStream):
    """A stream written as it is, without a Filter key (the XMP packet, readable in the bytes)."""

    def format(self, document: Any) -> bytes:
        filters, document.defaultStreamFilters = document.defaultStreamFilters, None
        try:
            return super().format(document)
        finally:
            document.defaultStreamFilters = filters


@functools.cache
def srgb_profile() -> bytes:
    """littleCMS's sRGB profile with a fixed creation date (and no profile ID, which is optional)."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
    profile[84:100] = bytes(16)
    return bytes(profile)


def xmp_metadata(*, title: str, author: str, subject: str, creator: str, producer: str, keywords: str,
                 dated: dt.date) -> bytes:
    """The XMP packet of a PDF/A-2b file, saying what its document information dictionary says."""
    return XMP.format(
        title=escape(title),
        author=escape(author),
        subject=escape(subject),
        creator=escape(creator),
        producer=escape(producer),
        keywords=escape(keywords),
        date=f"{dated:%Y-%m-%d}T00:00:00+08:00",
    ).encode("utf-8")


def pdfa_mark(doc: Any, *, dated: dt.date) -> None:
    """Add the metadata stream and the output intent to a reportlab `PDFDocument` before it is
    written (its information dictionary dated by `dated` at midnight, Beijing time)."""
    info = doc.info
    metadata = _UnfilteredStream(
        dictionary=pdfdoc.PDFDictionary({"Type": "/Metadata", "Subtype": "/XML"}),
        content=xmp_metadata(
            title=info.title,
            author=info.author,
            subject=info.subject,
            creator=info.creator,
            producer=info.producer,
            keywords=info.keywords,
            dated=dated,
        ),
    )
    profile = pdfdoc.PDFStream(dictionary=pdfdoc.PDFDictionary({"N": 3}), content=srgb_profile())
    intent = pdfdoc.PDFDictionary(
        {
            "Type": "/OutputIntent",
            "S": "/GTS_PDFA1",
            "OutputConditionIdentifier": pdfdoc.PDFString(SRGB),
            "Info": pdfdoc.PDFString(SRGB),
            "DestOutputProfile": doc.Reference(profile, "sRGBProfile"),
        }
    )
    catalog = doc.Catalog
    catalog.Metadata = doc.Reference(metadata, "XMPMetadata")
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
    # The catalog writes only the keys it knows; OutputIntents is one more.
    catalog.__NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "OutputIntents"]

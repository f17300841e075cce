"""What a file is, from its first bytes: a small table of magic numbers for the formats that
enforcement evidence comes in (cameras, body cameras, recorders, office documents, OFD).

The type the client claims (file name extension, Content-Type) is never used. No libmagic: the
table is small, has no system dependency, and behaves the same on every deployment.
"""

from __future__ import annotations

import codecs
import struct

from sanxiang.evidence.models import EvidenceKind

SNIFF_BYTES = 64 * 1024  # enough for a zip's first local headers and an MP4's ftyp box

OCTET_STREAM = "application/octet-stream"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OFD = "application/ofd"

# Chinese names of the types, for messages and the evidence list.
TYPE_LABELS = {
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/gif": "GIF 图片",
    "image/webp": "WebP 图片",
    "image/heic": "HEIC 图片",
    "image/heif": "HEIF 图片",
    "video/mp4": "MP4 视频",
    "video/quicktime": "MOV 视频",
    "video/x-msvideo": "AVI 视频",
    "video/x-matroska": "MKV 视频",
    "video/webm": "WebM 视频",
    "video/mp2t": "MPEG-TS 视频",
    "video/3gpp": "3GP 视频",
    "audio/mpeg": "MP3 音频",
    "audio/aac": "AAC 音频",
    "audio/wav": "WAV 音频",
    "audio/amr": "AMR 音频",
    "audio/amr-wb": "AMR-WB 音频",
    "audio/mp4": "M4A 音频",
    "application/pdf": "PDF 文档",
    DOCX: "Word 文档",
    XLSX: "Excel 表格",
    PPTX: "PowerPoint 演示文稿",
    OFD: "OFD 版式文档",
    "application/zip": "ZIP 压缩包",
    "text/plain": "纯文本",
    OCTET_STREAM: "无法识别的格式",
}

# ISO base media file format (MP4 family): the major brand in the ftyp box decides.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"avif"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}
_MOV_BRANDS = {b"qt  "}
_3GP_PREFIXES = (b"3gp", b"3g2")
# Old QuickTime files start with a top-level atom instead of ftyp.
_MOV_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def content_type_sniff(head: bytes) -> str:
    """The MIME type of a file whose first bytes (up to SNIFF_BYTES) are `head`."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": "image/webp", b"AVI ": "video/x-msvideo", b"WAVE": "audio/wav"}.get(head[8:12], OCTET_STREAM)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _iso_bmff(head)
    if len(head) >= 8 and head[4:8] in _MOV_ATOMS:
        return "video/quicktime"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # EBML: WebM is Matroska with DocType "webm" near the start.
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"#!AMR-WB\n"):
        return "audio/amr-wb"
    if head.startswith(b"#!AMR\n"):
        return "audio/amr"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head)
    if _mpeg_ts(head):
        return "video/mp2t"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "audio/aac"  # ADTS sync word, layer 0
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "audio/mpeg"  # MPEG audio frame sync, layer I-III, without an ID3 tag
    if _text(head):
        return "text/plain"
    return OCTET_STREAM


def _iso_bmff(head: bytes) -> str:
    (box_size,) = struct.unpack(">I", head[:4])
    major = head[8:12]
    brands = [major]
    end = min(box_size, len(head)) if box_size >= 16 else 16
    brands += [head[i : i + 4] for i in range(16, end - 3, 4)]
    if major in _HEIC_BRANDS:
        return "image/heic"
    if major in _HEIF_BRANDS:
        return "image/heif"
    if major in _M4A_BRANDS:
        return "audio/mp4"
    if major in _MOV_BRANDS:
        return "video/quicktime"
    if major.startswith(_3GP_PREFIXES):
        return "video/3gpp"
    if any(b in _HEIC_BRANDS for b in brands) and not any(b.startswith((b"iso", b"mp4", b"avc")) for b in brands):
        return "image/heic"
    return "video/mp4"


def _zip_kind(head: bytes) -> str:
    """Office Open XML and OFD are zip files: tell them apart by the names of the first entries.
    Local file headers are walked while their sizes are known; an entry streamed with a data
    descriptor (size 0 in the header) stops the walk, and the names seen so far decide."""
    names: list[bytes] = []
    pos = 0
    while pos + 30 <= len(head) and head[pos : pos + 4] == b"PK\x03\x04" and len(names) < 64:
        flags, = struct.unpack("<H", head[pos + 6 : pos + 8])
        compressed, = struct.unpack("<I", head[pos + 18 : pos + 22])
        name_len, extra_len = struct.unpack("<HH", head[pos + 26 : pos + 30])
        names.append(head[pos + 30 : pos + 30 + name_len])
        if flags & 0x08 and compressed == 0:
            break
        pos += 30 + name_len + extra_len + compressed
    if any(n == b"OFD.xml" for n in names):
        return OFD
    if any(n == b"[Content_Types].xml" or n.startswith((b"word/", b"xl/", b"ppt/")) for n in names):
        for prefix, mime in ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX)):
            if any(n.startswith(prefix) for n in names):
                return mime
        # [Content_Types].xml came first and its size hid the rest: look for the part names.
        for prefix, mime in ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX)):
            if prefix in head:
                return mime
    return "application/zip"


def _mpeg_ts(head: bytes) -> bool:
    # 188-byte packets each starting with the sync byte 0x47.
    packets = min(len(head) // 188, 5)
    return packets >= 2 and all(head[i * 188] == 0x47 for i in range(packets))


def _text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # The head may end inside a multi-byte character: an incremental decoder without
            # `final` accepts that.
            text = codecs.getincrementaldecoder(encoding)().decode(head)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        return controls <= len(text) // 100
    return False


def type_label(content_type: str) -> str:
    return TYPE_LABELS.get(content_type, content_type)


def is_audio_video_type(content_type: str) -> bool:
    return content_type.startswith(("audio/", "video/"))


_DOCUMENT_TYPES = {"application/pdf", DOCX, XLSX, PPTX, OFD, "text/plain"}


def kind_accepts(kind: str, content_type: str) -> bool:
    """Whether a file of `content_type` may be filed as evidence of `kind`."""
    if kind == EvidenceKind.PHOTO:
        return content_type.startswith("image/")
    if kind == EvidenceKind.AUDIO:
        return content_type.startswith("audio/")
    if kind == EvidenceKind.VIDEO:
        return content_type.startswith("video/")
    if kind == EvidenceKind.SIGNATURE:
        # Drawn on the page's canvas, which gives PNG.
        return content_type == "image/png"
    if kind == EvidenceKind.DOCUMENT:
        # Paper documents are often filed as scans or photographs.
        return content_type in _DOCUMENT_TYPES or content_type.startswith("image/")
    # 电子数据 is whatever electronic form the evidence had (chat exports, logs, databases).
    return kind == EvidenceKind.ELECTRONIC_DATA


def kind_mismatch_message(kind: str, content_type: str) -> str:
    label = EvidenceKind(kind).label
    return (
        f"文件内容是{type_label(content_type)}，与所选类别“{label}”不符。"
        "系统按文件内容识别格式，不看扩展名；请核对文件或改选正确的类别。"
    )

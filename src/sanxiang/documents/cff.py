"""An OpenType CJK font with CFF outlines (Noto Serif CJK, as Debian's fonts-noto-cjk installs it),
read and subset in pure Python, so that every PDF carries the glyphs it shows (PDF/A: every font
embedded) without a font file shipped in Sanxiang and without a dependency beyond reportlab.

reportlab embeds TrueType outlines only; Noto CJK's outlines are CFF (PostScript), CID-keyed. A
subset here is a CID-keyed CFF of the glyphs a document uses: each glyph's charstring with its
subroutines inlined (desubroutinized, as fontTools' subsetter can do), the Font DICTs (FDArray) and
Private DICTs those glyphs use, and a charset that keeps each glyph's original glyph id as its CID,
so that the text of the PDF encodes glyph ids (Identity-H) and a ToUnicode map gives its text back.

Only what Noto CJK uses is read: 'ttcf' collections and single fonts, cmap formats 4 and 12, CFF
version 1 with a CID-keyed Top DICT. Anything else raises `FontUnsupported`.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path


class FontUnsupported(ValueError):
    """The file is not a CFF-flavoured OpenType CJK font this module reads."""


# --- sfnt ------------------------------------------------------------------------------------------


def _tables(data: bytes, offset: int) -> dict[bytes, tuple[int, int]]:
    tag = data[offset : offset + 4]
    if tag not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
        raise FontUnsupported(f"not an OpenType font: {tag!r}")
    (count,) = struct.unpack_from(">H", data, offset + 4)
    found = {}
    for index in range(count):
        tag, _checksum, start, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * index)
        found[tag] = (start, length)
    return found


def _names(data: bytes, start: int) -> dict[int, str]:
    """The name table's English (Windows, Unicode) names by name id."""
    _format, count, strings = struct.unpack_from(">HHH", data, start)
    names = {}
    for index in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">6H", data, start + 6 + 12 * index)
        if platform == 3 and encoding == 1 and language == 0x409:
            raw = data[start + strings + offset : start + strings + offset + length]
            names[name_id] = raw.decode("utf-16-be", "replace")
    return names


def _cmap(data: bytes, start: int) -> dict[int, int]:
    """Unicode → glyph id, from the best Unicode subtable (format 12, else format 4)."""
    (_version, count) = struct.unpack_from(">HH", data, start)
    subtables = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, start + 4 + 8 * index)
        (fmt,) = struct.unpack_from(">H", data, start + offset)
        subtables[(platform, encoding, fmt)] = start + offset
    mapping: dict[int, int] = {}
    for key in ((3, 10, 12), (0, 4, 12), (0, 6, 12)):
        if key in subtables:
            at = subtables[key]
            (groups,) = struct.unpack_from(">I", data, at + 12)
            for group in range(groups):
                first, last, glyph = struct.unpack_from(">III", data, at + 16 + 12 * group)
                for code in range(first, last + 1):
                    mapping[code] = glyph + code - first
            return mapping
    for key in ((3, 1, 4), (0, 3, 4)):
        if key in subtables:
            at = subtables[key]
            (segments_x2,) = struct.unpack_from(">H", data, at + 6)
            n = segments_x2 // 2
            ends = struct.unpack_from(f">{n}H", data, at + 14)
            starts = struct.unpack_from(f">{n}H", data, at + 16 + segments_x2)
            deltas = struct.unpack_from(f">{n}h", data, at + 16 + 2 * segments_x2)
            range_at = at + 16 + 3 * segments_x2
            ranges = struct.unpack_from(f">{n}H", data, range_at)
            for i in range(n):
                for code in range(starts[i], ends[i] + 1):
                    if code == 0xFFFF:
                        continue
                    if ranges[i] == 0:
                        glyph = (code + deltas[i]) & 0xFFFF
                    else:
                        (glyph,) = struct.unpack_from(
                            ">H", data, range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                        )
                        glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                    if glyph:
                        mapping[code] = glyph
            return mapping
    raise FontUnsupported("no Unicode cmap")


# --- CFF -------------------------------------------------------------------------------------------


def _index(data: bytes, at: int) -> tuple[list[tuple[int, int]], int]:
    """A CFF INDEX at `at`: the (start, end) of each item in `data`, and where the INDEX ends."""
    (count,) = struct.unpack_from(">H", data, at)
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    offsets_at = at + 3
    raw = data[offsets_at : offsets_at + (count + 1) * size]
    offsets = [int.from_bytes(raw[i * size : (i + 1) * size], "big") for i in range(count + 1)]
    base = offsets_at + (count + 1) * size - 1
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


def _dict(raw: bytes) -> list[tuple[int, list[float], bytes]]:
    """A DICT as (operator, operands, the entry's bytes) in order; escaped operators are 1200 + b1."""
    entries = []
    operands: list[float] = []
    start = i = 0
    while i < len(raw):
        b = raw[i]
        if b <= 21:
            if b == 12:
                op, i = 1200 + raw[i + 1], i + 2
            else:
                op, i = b, i + 1
            entries.append((op, operands, raw[start:i]))
            operands, start = [], i
        elif b == 28:
            operands.append(struct.unpack_from(">h", raw, i + 1)[0])
            i += 3
        elif b == 29:
            operands.append(struct.unpack_from(">i", raw, i + 1)[0])
            i += 5
        elif b == 30:
            text = ""
            i += 1
            done = False
            while not done:
                for nibble in (raw[i] >> 4, raw[i] & 0xF):
                    if nibble == 0xF:
                        done = True
                        break
                    text += "0123456789.EE?-"[nibble] + ("-" if nibble == 0xC else "")
                i += 1
            operands.append(float(text.replace("E-", "e-").replace("E", "e") or 0))
        elif 32 <= b <= 246:
            operands.append(b - 139)
            i += 1
        elif 247 <= b <= 250:
            operands.append((b - 247) * 256 + raw[i + 1] + 108)
            i += 2
        elif 251 <= b <= 254:
            operands.append(-(b - 251) * 256 - raw[i + 1] - 108)
            i += 2
        else:
            raise FontUnsupported(f"bad DICT byte {b}")
    return entries


def _int5(value: int) -> bytes:
    """A DICT integer in its fixed five-byte form, so that offsets can be laid out in one pass."""
    return b"\x1d" + struct.pack(">i", value)


def _pack_index(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = 1 if offsets[-1] < 1 << 8 else 2 if offsets[-1] < 1 << 16 else 3 if offsets[-1] < 1 << 24 else 4
    head = struct.pack(">HB", len(items), size) + b"".join(o.to_bytes(size, "big") for o in offsets)
    return head + b"".join(items)


def _bias(count: int) -> int:
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


@dataclass
class _Desubroutinizer:
    """Inlines a Type 2 charstring's subroutine calls. Numbers stay as encoded; the subroutine
    number before a call is dropped; hintmask bytes follow the stem hints counted so far."""

    global_subrs: list[bytes]
    local_subrs: list[bytes]
    out: bytearray = field(default_factory=bytearray)
    stack: list[tuple[float, bytes]] = field(default_factory=list)
    stems: int = 0

    def run(self, code: bytes, depth: int = 0) -> str:
        if depth > 10:
            raise FontUnsupported("subroutines nested too deep")
        i = 0
        while i < len(code):
            b = code[i]
            if b == 28 or b >= 32:
                if b == 28:
                    size, value = 3, float(struct.unpack_from(">h", code, i + 1)[0])
                elif b <= 246:
                    size, value = 1, float(b - 139)
                elif b <= 250:
                    size, value = 2, float((b - 247) * 256 + code[i + 1] + 108)
                elif b <= 254:
                    size, value = 2, float(-(b - 251) * 256 - code[i + 1] - 108)
                else:
                    size, value = 5, struct.unpack_from(">i", code, i + 1)[0] / 65536
                self.stack.append((value, code[i : i + size]))
                i += size
                continue
            if b == 12:
                op, raw, i = 1200 + code[i + 1], code[i : i + 2], i + 2
            else:
                op, raw, i = b, code[i : i + 1], i + 1
            if op in (10, 29):  # callsubr, callgsubr
                number, _ = self.stack.pop()
                subrs = self.local_subrs if op == 10 else self.global_subrs
                if self.stack and not subrs:
                    raise FontUnsupported("call to a missing subroutine")
                ended = self.run(subrs[int(number) + _bias(len(subrs))], depth + 1)
                if ended == "endchar":
                    return ended
                continue
            if op == 11:  # return
                return "return"
            if 1200 <= op and op in (1203, 1204, 1205, 1209, 1210, 1211, 1212, 1214, 1215, 1218, 1220, 1221,
                                      1222, 1223, 1226, 1227, 1228, 1229, 1230):
                raise FontUnsupported("arithmetic operators in charstrings")
            if op in (1, 3, 18, 23):  # hstem, vstem, hstemhm, vstemhm
                self.stems += len(self.stack) // 2
            mask = 0
            if op in (19, 20):  # hintmask, cntrmask: an implied vstem first
                self.stems += len(self.stack) // 2
                mask = (self.stems + 7) // 8
            for _, encoded in self.stack:
                self.out += encoded
            self.stack.clear()
            self.out += raw
            if mask:
                self.out += code[i : i + mask]
                i += mask
            if op == 14:  # endchar
                return "endchar"
        return ""


@dataclass(frozen=True)
class CFFFont:
    """A CID-keyed OpenType CJK face: its metrics for layout and its glyphs for embedding."""

    path: str
    postscript_name: str
    units_per_em: int
    char_to_glyph: dict[int, int]
    advances: tuple[int, ...]  # in 1/1000 em, by glyph id
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    _cff: bytes
    _charstrings: tuple[tuple[int, int], ...]
    _fd_of_glyph: bytes  # the Font DICT index of each glyph
    _font_dicts: tuple[tuple[bytes, bytes, tuple[tuple[int, int], ...]], ...]  # (dict rest, private rest, subrs)
    _global_subrs: tuple[tuple[int, int], ...]
    _top_raw: tuple[bytes, ...]  # FontBBox, FontMatrix entries of the Top DICT
    _cache: dict[int, bytes] = field(default_factory=dict, compare=False, repr=False)
    _subrs: dict[int, list[bytes]] = field(default_factory=dict, compare=False, repr=False)

    def _subroutines(self, fd: int) -> list[bytes]:
        """The subroutines of Font DICT `fd` (-1: the global ones), sliced once."""
        found = self._subrs.get(fd)
        if found is None:
            spans = self._global_subrs if fd < 0 else self._font_dicts[fd][2]
            found = self._subrs[fd] = [self._cff[a:b] for a, b in spans]
        return found

    def width(self, glyph: int) -> int:
        return self.advances[glyph] if glyph < len(self.advances) else 1000

    def charstring(self, glyph: int) -> bytes:
        """The glyph's charstring with its subroutines inlined (kept for the next document)."""
        found = self._cache.get(glyph)
        if found is None:
            start, end = self._charstrings[glyph]
            worker = _Desubroutinizer(
                global_subrs=self._subroutines(-1), local_subrs=self._subroutines(self._fd_of_glyph[glyph])
            )
            worker.run(self._cff[start:end])
            found = self._cache[glyph] = bytes(worker.out)
        return found

    def subset(self, glyphs: set[int]) -> tuple[str, bytes]:
        """A CID-keyed CFF of .notdef and `glyphs`, each glyph's CID its glyph id here; with the
        subset's PostScript name (a tag of six capitals from its glyphs, as PDF names subsets)."""
        order = [0, *sorted(g for g in glyphs if g)]
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(order).encode()).digest()[:6])
        name = f"{tag}+{self.postscript_name}"
        fds = sorted({self._fd_of_glyph[g] for g in order})
        fd_index = {fd: i for i, fd in enumerate(fds)}
        strings = [b"Adobe", b"Identity"]
        charset = b"\x00" + b"".join(struct.pack(">H", g) for g in order[1:])
        fd_select = b"\x00" + bytes(fd_index[self._fd_of_glyph[g]] for g in order)
        charstrings = _pack_index([self.charstring(g) for g in order])
        privates = [self._font_dicts[fd][1] for fd in fds]

        def top(charset_at: int, select_at: int, strings_at: int, array_at: int) -> bytes:
            return (
                _int5(391) + _int5(392) + _int5(0) + b"\x0c\x1e"  # ROS Adobe-Identity-0 (SIDs 391, 392)
                + b"".join(self._top_raw)
                + _int5(max(order) + 1) + b"\x0c\x22"  # CIDCount
                + _int5(charset_at) + b"\x0f"
                + _int5(select_at) + b"\x0c\x25"
                + _int5(strings_at) + b"\x11"
                + _int5(array_at) + b"\x0c\x24"
            )

        header = b"\x01\x00\x04\x04"
        name_index = _pack_index([name.encode("ascii")])
        string_index = _pack_index(strings)
        global_index = _pack_index([])
        top_size = len(_pack_index([top(0, 0, 0, 0)]))
        charset_at = len(header) + len(name_index) + top_size + len(string_index) + len(global_index)
        select_at = charset_at + len(charset)
        charstrings_at = select_at + len(fd_select)
        array_at = charstrings_at + len(charstrings)
        # Each Font DICT points at its Private DICT, laid out after the FDArray.
        font_dicts_sized = [self._font_dicts[fd][0] + _int5(0) + _int5(0) + b"\x12" for fd in fds]
        array_size = len(_pack_index(font_dicts_sized))
        private_at = array_at + array_size
        font_dicts = []
        for fd, private in zip(fds, privates, strict=True):
            font_dicts.append(self._font_dicts[fd][0] + _int5(len(private)) + _int5(private_at) + b"\x12")
            private_at += len(private)
        data = (
            header
            + name_index
            + _pack_index([top(charset_at, select_at, charstrings_at, array_at)])
            + string_index
            + global_index
            + charset
            + fd_select
            + charstrings
            + _pack_index(font_dicts)
            + b"".join(privates)
        )
        return name, data


def _fd_select(cff: bytes, at: int, glyphs: int) -> bytes:
    fmt = cff[at]
    if fmt == 0:
        return cff[at + 1 : at + 1 + glyphs]
    if fmt == 3:
        (ranges,) = struct.unpack_from(">H", cff, at + 1)
        result = bytearray(glyphs)
        for r in range(ranges):
            first, fd = struct.unpack_from(">HB", cff, at + 3 + 3 * r)
            (after,) = struct.unpack_from(">H", cff, at + 3 + 3 * (r + 1))
            result[first:after] = bytes([fd]) * (after - first)
        return bytes(result)
    raise FontUnsupported(f"FDSelect format {fmt}")


def cff_font_load(path: str | Path, *, postscript_name: str) -> CFFFont:
    """The face named `postscript_name` (NotoSerifCJKsc-Regular) of an OpenType file or collection."""
    data = Path(path).read_bytes()
    if data[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        offsets = struct.unpack_from(f">{count}I", data, 12)
    else:
        offsets = (0,)
    for offset in offsets:
        tables = _tables(data, offset)
        if b"name" in tables and _names(data, tables[b"name"][0]).get(6) == postscript_name:
            break
    else:
        raise FontUnsupported(f"{path} has no face {postscript_name}")
    if b"CFF " not in tables:
        raise FontUnsupported(f"{postscript_name} has no CFF outlines")
    head = tables[b"head"][0]
    (units,) = struct.unpack_from(">H", data, head + 18)
    bbox = struct.unpack_from(">4h", data, head + 36)
    hhea = tables[b"hhea"][0]
    ascent, descent = struct.unpack_from(">hh", data, hhea + 4)
    (metrics,) = struct.unpack_from(">H", data, hhea + 34)
    hmtx = tables[b"hmtx"][0]
    raw_advances = struct.unpack_from(f">{2 * metrics}H", data, hmtx)[0::2]
    cap_height = ascent
    if b"OS/2" in tables:
        # The typographic ascent and descent (880 and -120 in Noto CJK: the ideographic em box).
        os2 = tables[b"OS/2"][0]
        (version,) = struct.unpack_from(">H", data, os2)
        ascent, descent = struct.unpack_from(">hh", data, os2 + 68)
        if version >= 2:
            (cap_height,) = struct.unpack_from(">h", data, os2 + 88)
    start, length = tables[b"CFF "]
    cff = data[start : start + length]
    at = cff[2]
    _name_index, at = _index(cff, at)
    tops, at = _index(cff, at)
    _strings, at = _index(cff, at)
    global_subrs, at = _index(cff, at)
    top = {op: (operands, raw) for op, operands, raw in _dict(cff[tops[0][0] : tops[0][1]])}
    if 1230 not in top or 1236 not in top:
        raise FontUnsupported(f"{postscript_name} is not a CID-keyed CFF")
    charstrings, _ = _index(cff, int(top[17][0][0]))
    glyphs = len(charstrings)
    fd_of_glyph = _fd_select(cff, int(top[1237][0][0]), glyphs)
    font_dicts = []
    for a, b in _index(cff, int(top[1236][0][0]))[0]:
        entries = _dict(cff[a:b])
        kept = b"".join(raw for op, _, raw in entries if op in (1207,))  # FontMatrix
        private = next(((int(ops[0]), int(ops[1])) for op, ops, _ in entries if op == 18), (0, 0))
        size, offset = private
        private_entries = _dict(cff[offset : offset + size])
        private_kept = b"".join(raw for op, _, raw in private_entries if op != 19)
        subrs: list[tuple[int, int]] = []
        for op, ops, _ in private_entries:
            if op == 19:
                subrs = _index(cff, offset + int(ops[0]))[0]
        font_dicts.append((kept, private_kept, tuple(subrs)))
    scale = 1000 / units
    advances = tuple(round(a * scale) for a in raw_advances)
    advances += (advances[-1],) * (glyphs - len(advances))
    top_raw = tuple(top[op][1] for op in (5, 1207) if op in top)
    return CFFFont(
        path=str(path),
        postscript_name=postscript_name,
        units_per_em=units,
        char_to_glyph=_cmap(data, tables[b"cmap"][0]),
        advances=advances,
        ascent=round(ascent * scale),
        descent=round(descent * scale),
        cap_height=round(cap_height * scale),
        bbox=tuple(round(v * scale) for v in bbox),  # type: ignore[arg-type]
        _cff=cff,
        _charstrings=tuple(charstrings),
        _fd_of_glyph=fd_of_glyph,
        _font_dicts=tuple(font_dicts),
        _global_subrs=tuple(global_subrs),
        _top_raw=top_raw,
    )

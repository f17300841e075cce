"""The ZIP layout of a case file (案卷), written and read by this one module.

A case file is a ZIP archive in a single canonical form:

- every member is stored (method 0, no compression), so a changed byte of a file is a changed
  byte of its SHA-256 input, found by our digests and not merely by zlib;
- each local header carries the exact CRC-32 and sizes (no data descriptors: the writer seeks
  back to fill them in), UTF-8 names (flag 0x0800), one timestamp (the export time, Beijing
  time), fixed version fields and attributes, no extra field except ZIP64's when needed;
- the central directory repeats the same, ZIP64 fields appear exactly when a size, offset or
  count needs them, and there is no archive comment.

Ordinary tools open it (Explorer, 7-Zip, unzip, Python's zipfile). Because the form is
canonical, the verifier recomputes every structural byte from the members' names and data and
compares it with the file: a change to any byte, including the many bytes ZIP readers ignore
(timestamps, attributes, version fields, the local header's copy of the sizes), is found and
attributed to the member whose header, data or directory entry holds it.

Pure Python; no import outside the standard library and this package.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from sanxiang_verify.merkle import digest_new

LOCAL_SIG = b"PK\x03\x04"
CENTRAL_SIG = b"PK\x01\x02"
EOCD_SIG = b"PK\x05\x06"
ZIP64_EOCD_SIG = b"PK\x06\x06"
ZIP64_LOCATOR_SIG = b"PK\x06\x07"
LOCAL_FMT = "<4sHHHHHIIIHH"  # 30 bytes
CENTRAL_FMT = "<4sHHHHHHIIIHHHHHII"  # 46 bytes
EOCD_FMT = "<4sHHHHIIH"  # 22 bytes
ZIP64_EOCD_FMT = "<4sQHHIIQQQQ"  # 56 bytes
ZIP64_LOCATOR_FMT = "<4sIQI"  # 20 bytes
LOCAL_LEN = struct.calcsize(LOCAL_FMT)
CENTRAL_LEN = struct.calcsize(CENTRAL_FMT)
EOCD_LEN = struct.calcsize(EOCD_FMT)
ZIP64_EOCD_LEN = struct.calcsize(ZIP64_EOCD_FMT)
ZIP64_LOCATOR_LEN = struct.calcsize(ZIP64_LOCATOR_FMT)

MARKER32 = 0xFFFFFFFF
MARKER16 = 0xFFFF
# Values at or above these go into ZIP64 fields. Module attributes rather than literals so that
# tests can lower them and exercise the ZIP64 layout without writing 4 GiB.
ZIP64_SIZE_LIMIT = 0xFFFFFFFF
ZIP64_COUNT_LIMIT = 0xFFFF

FLAG_UTF8 = 0x0800
METHOD_STORED = 0
SYSTEM_UNIX = 3
VERSION_DEFAULT = 20
VERSION_ZIP64 = 45
FILE_ATTRIBUTES = 0o100644 << 16
DIRECTORY_ATTRIBUTES = (0o40755 << 16) | 0x10  # Unix mode and the MS-DOS directory bit
CHUNK = 1 << 20

# China has one time zone and no daylight saving: a fixed offset needs no tz database.
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
END_PART = "[ZIP 结尾记录 / end of central directory]"


class ZipWriteError(Exception):
    pass


# --- canonical structures -----------------------------------------------------------------------


def dos_stamp(moment: dt.datetime) -> tuple[int, int]:
    """(time, date) in MS-DOS format, Beijing time, 2-second resolution."""
    if moment.tzinfo is None:
        raise ValueError("the export time must be timezone-aware")
    t = moment.astimezone(BEIJING)
    if t.year < 1980:
        raise ValueError("ZIP timestamps start in 1980")
    return (t.hour << 11) | (t.minute << 5) | (t.second // 2), ((t.year - 1980) << 9) | (t.month << 5) | t.day


def _version(size: int, offset: int) -> int:
    return VERSION_ZIP64 if size >= ZIP64_SIZE_LIMIT or offset >= ZIP64_SIZE_LIMIT else VERSION_DEFAULT


def _raw(name: str | bytes) -> bytes:
    return name if isinstance(name, bytes) else name.encode("utf-8")


def local_header(name: str | bytes, *, crc: int, size: int, offset: int, stamp: tuple[int, int]) -> bytes:
    raw = _raw(name)
    big = size >= ZIP64_SIZE_LIMIT
    extra = struct.pack("<HHQQ", 1, 16, size, size) if big else b""
    stored = MARKER32 if big else size
    version = _version(size, offset)
    head = struct.pack(
        LOCAL_FMT,
        LOCAL_SIG,
        version,
        FLAG_UTF8,
        METHOD_STORED,
        stamp[0],
        stamp[1],
        crc,
        stored,
        stored,
        len(raw),
        len(extra),
    )
    return head + raw + extra


def central_header(name: str | bytes, *, crc: int, size: int, offset: int, stamp: tuple[int, int]) -> bytes:
    raw = _raw(name)
    big = size >= ZIP64_SIZE_LIMIT
    far = offset >= ZIP64_SIZE_LIMIT
    wide = ([size, size] if big else []) + ([offset] if far else [])
    extra = struct.pack(f"<HH{len(wide)}Q", 1, 8 * len(wide), *wide) if wide else b""
    version = _version(size, offset)
    attributes = DIRECTORY_ATTRIBUTES if raw.endswith(b"/") else FILE_ATTRIBUTES
    head = struct.pack(
        CENTRAL_FMT,
        CENTRAL_SIG,
        (SYSTEM_UNIX << 8) | version,
        version,
        FLAG_UTF8,
        METHOD_STORED,
        stamp[0],
        stamp[1],
        crc,
        MARKER32 if big else size,
        MARKER32 if big else size,
        len(raw),
        len(extra),
        0,
        0,
        0,
        attributes,
        MARKER32 if far else offset,
    )
    return head + raw + extra


def end_records(*, count: int, cd_offset: int, cd_size: int) -> bytes:
    """The ZIP64 end record and locator when needed, then the end of central directory record."""
    zip64 = count >= ZIP64_COUNT_LIMIT or cd_offset >= ZIP64_SIZE_LIMIT or cd_size >= ZIP64_SIZE_LIMIT
    out = b""
    if zip64:
        out += struct.pack(
            ZIP64_EOCD_FMT,
            ZIP64_EOCD_SIG,
            ZIP64_EOCD_LEN - 12,
            (SYSTEM_UNIX << 8) | VERSION_ZIP64,
            VERSION_ZIP64,
            0,
            0,
            count,
            count,
            cd_size,
            cd_offset,
        )
        out += struct.pack(ZIP64_LOCATOR_FMT, ZIP64_LOCATOR_SIG, 0, cd_offset + cd_size, 1)
    short_count = MARKER16 if count >= ZIP64_COUNT_LIMIT else count
    out += struct.pack(
        EOCD_FMT,
        EOCD_SIG,
        0,
        0,
        short_count,
        short_count,
        MARKER32 if cd_size >= ZIP64_SIZE_LIMIT else cd_size,
        MARKER32 if cd_offset >= ZIP64_SIZE_LIMIT else cd_offset,
        0,
    )
    return out


def name_check(name: str) -> None:
    """Names a recipient can extract safely anywhere: relative, '/'-separated, no '..'."""
    parts = name.rstrip("/").split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or any(p in ("", ".", "..") for p in parts)
        or any(ord(c) < 0x20 for c in name)
    ):
        raise ZipWriteError(f"unsafe member name {name!r}")


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenPart:
    name: str
    size: int
    crc: int
    digests: dict[str, str]

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")


class CaseZipWriter:
    """Writes the canonical layout to a seekable binary file positioned at 0. Member data is
    streamed in 1 MiB chunks and hashed on the way, so memory stays flat whatever the size."""

    def __init__(
        self, fileobj: BinaryIO, *, moment: dt.datetime, digests: Sequence[str] = ("sha256",)
    ) -> None:
        if fileobj.tell() != 0:
            raise ZipWriteError("a case file starts at offset 0 of its file")
        self._f = fileobj
        self._stamp = dos_stamp(moment)
        self._digests = tuple(digests)
        self._parts: list[tuple[WrittenPart, int]] = []  # (part, local header offset)
        self._names: set[str] = set()
        self._pos = 0
        self._closed = False

    @property
    def parts(self) -> list[WrittenPart]:
        return [p for p, _ in self._parts]

    def _begin(self, name: str) -> None:
        if self._closed:
            raise ZipWriteError("the archive is closed")
        name_check(name)
        if name in self._names:
            raise ZipWriteError(f"duplicate member {name!r}")
        self._names.add(name)

    def add_directory(self, name: str) -> WrittenPart:
        if not name.endswith("/"):
            raise ZipWriteError("a directory name ends with '/'")
        self._begin(name)
        return self._record(name, self._write_header(name, crc=0, size=0), 0, 0, {})

    def add_bytes(self, name: str, data: bytes) -> WrittenPart:
        from io import BytesIO

        return self.add_stream(name, BytesIO(data), size=len(data))

    def add_stream(self, name: str, stream: BinaryIO, *, size: int) -> WrittenPart:
        """Copy `stream` to the end. `size` is the expected length; it decides the header layout,
        and the header is rewritten with the real CRC and length once the data is through."""
        if name.endswith("/"):
            raise ZipWriteError("a file name does not end with '/'")
        self._begin(name)
        offset = self._pos
        self._write_header(name, crc=0, size=size)
        hashes = {algorithm: digest_new(algorithm) for algorithm in self._digests}
        crc = 0
        length = 0
        while chunk := stream.read(CHUNK):
            self._f.write(chunk)
            crc = zlib.crc32(chunk, crc)
            for h in hashes.values():
                h.update(chunk)
            length += len(chunk)
        if (length >= ZIP64_SIZE_LIMIT) != (size >= ZIP64_SIZE_LIMIT):
            raise ZipWriteError(f"{name}: {length} bytes read where {size} were expected")
        end = self._f.tell()
        self._f.seek(offset)
        self._f.write(local_header(name, crc=crc, size=length, offset=offset, stamp=self._stamp))
        self._f.seek(end)
        self._pos = end
        return self._record(name, offset, length, crc, {a: h.hexdigest() for a, h in hashes.items()})

    def _write_header(self, name: str, *, crc: int, size: int) -> int:
        offset = self._pos
        header = local_header(name, crc=crc, size=size, offset=offset, stamp=self._stamp)
        self._f.write(header)
        self._pos += len(header)
        return offset

    def _record(self, name: str, offset: int, size: int, crc: int, digests: dict[str, str]) -> WrittenPart:
        part = WrittenPart(name, size, crc, digests)
        self._parts.append((part, offset))
        return part

    def close(self) -> int:
        """Write the central directory and end records; return the archive's size."""
        if self._closed:
            return self._pos
        cd_offset = self._pos
        for part, offset in self._parts:
            self._f.write(
                central_header(part.name, crc=part.crc, size=part.size, offset=offset, stamp=self._stamp)
            )
        cd_size = self._f.tell() - cd_offset
        self._f.write(end_records(count=len(self._parts), cd_offset=cd_offset, cd_size=cd_size))
        self._pos = self._f.tell()
        self._closed = True
        return self._pos


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipFinding:
    """Something wrong in the archive's structure, about member `index` (None: the end records)."""

    index: int | None
    code: str
    zh: str
    en: str


@dataclass
class ZipMember:
    index: int
    raw_names: list[bytes]  # the name as read; two when the local header and directory disagree
    size: int
    offset: int = 0  # of the local header in the canonical layout
    data_offset: int = 0
    crc_computed: int | None = None

    @property
    def names(self) -> list[str]:
        return [_decode_name(n) for n in self.raw_names]

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass
class _Seen:
    """One member as one index (local headers or central directory) describes it."""

    name: bytes
    size: int
    offset: int
    stamp: tuple[int, int]


@dataclass
class _Index:
    entries: list[_Seen] = field(default_factory=list)
    complete: bool = False


def _read_at(f: BinaryIO, offset: int, length: int) -> bytes:
    """Bytes at `offset`, or fewer (none) past the end: offsets come from a file under suspicion,
    and a damaged one may point anywhere, even beyond what the filesystem can seek to."""
    if offset < 0 or length <= 0:
        return b""
    try:
        f.seek(offset)
        return f.read(length)
    except (OSError, OverflowError, ValueError):
        return b""


def _decode_name(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _zip64_values(extra: bytes, wanted: int) -> list[int] | None:
    """The first `wanted` 8-byte values of the ZIP64 extra field (tag 1), or None."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        if tag == 1:
            if len(body) < 8 * wanted:
                return None
            return list(struct.unpack_from(f"<{wanted}Q", body))
        pos += 4 + length
    return None


def _walk_local_headers(f: BinaryIO, file_size: int, cd_offset: int | None) -> _Index:
    """Follow the local headers from offset 0, each member's size leading to the next header,
    up to the central directory (found by its signature, or where the end record puts it)."""
    index = _Index()
    pos = 0
    while pos + 4 <= file_size:
        head = _read_at(f, pos, LOCAL_LEN)
        if head[:4] == CENTRAL_SIG or (pos == cd_offset and head[:4] != LOCAL_SIG):
            index.complete = bool(index.entries)
            return index
        if len(head) < LOCAL_LEN or head[:4] != LOCAL_SIG:
            return index
        _, _, _, _, t, d, _, csize, _, name_len, extra_len = struct.unpack(LOCAL_FMT, head)
        tail = _read_at(f, pos + LOCAL_LEN, name_len + extra_len)
        name, extra = tail[:name_len], tail[name_len:]
        if csize == MARKER32:
            wide = _zip64_values(extra, 2)
            if wide is None:
                return index
            csize = wide[1]
        data_offset = pos + LOCAL_LEN + name_len + extra_len
        if data_offset + csize > file_size:
            return index
        index.entries.append(_Seen(name, csize, pos, (t, d)))
        pos = data_offset + csize
    return index


def _end_values(f: BinaryIO, file_size: int) -> tuple[int, int, int] | None:
    """(count, cd_offset, cd_size) from the end records, which end the file in canonical form."""
    if file_size < EOCD_LEN:
        return None
    eocd = _read_at(f, file_size - EOCD_LEN, EOCD_LEN)
    if eocd[:4] != EOCD_SIG:
        return None
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack(EOCD_FMT, eocd)
    locator_at = file_size - EOCD_LEN - ZIP64_LOCATOR_LEN
    if locator_at >= 0:
        locator = _read_at(f, locator_at, ZIP64_LOCATOR_LEN)
        if locator[:4] == ZIP64_LOCATOR_SIG:
            record = _read_at(f, locator_at - ZIP64_EOCD_LEN, ZIP64_EOCD_LEN)
            if len(record) == ZIP64_EOCD_LEN and record[:4] == ZIP64_EOCD_SIG:
                *_, count, cd_size, cd_offset = struct.unpack(ZIP64_EOCD_FMT, record)
    return count, cd_offset, cd_size


def _read_central_directory(f: BinaryIO, file_size: int) -> _Index:
    index = _Index()
    values = _end_values(f, file_size)
    if values is None:
        return index
    count, cd_offset, cd_size = values
    pos = cd_offset
    if _read_at(f, pos, 4) != CENTRAL_SIG:
        return index
    for _ in range(min(count, file_size // CENTRAL_LEN)):
        head = _read_at(f, pos, CENTRAL_LEN)
        if len(head) < CENTRAL_LEN or head[:4] != CENTRAL_SIG:
            return index
        fields = struct.unpack(CENTRAL_FMT, head)
        t, d, csize = fields[5], fields[6], fields[8]
        name_len, extra_len, comment_len, offset = fields[10], fields[11], fields[12], fields[16]
        tail = _read_at(f, pos + CENTRAL_LEN, name_len + extra_len + comment_len)
        name, extra = tail[:name_len], tail[name_len : name_len + extra_len]
        wide_wanted = (2 if csize == MARKER32 else 0) + (1 if offset == MARKER32 else 0)
        if wide_wanted:
            wide = _zip64_values(extra, wide_wanted)
            if wide is None:
                return index
            if csize == MARKER32:
                csize = wide[1]
            if offset == MARKER32:
                offset = wide[-1]
        index.entries.append(_Seen(name, csize, offset, (t, d)))
        pos += CENTRAL_LEN + len(tail)
    index.complete = len(index.entries) == count and count > 0 and pos == cd_offset + cd_size
    return index


def _layout_key(index: _Index) -> list[tuple[int, int]]:
    return [(e.offset, e.size) for e in index.entries]


class ZipLayout:
    """A case-file archive read against the canonical layout.

    Both indexes of a ZIP file are read: the chain of local headers from the front and the
    central directory from the end. A single damaged byte spoils at most one of them, so the
    intact one gives the members' names and sizes, from which the canonical bytes of the whole
    archive follow; `structure_findings` compares them with the file region by region."""

    def __init__(self, f: BinaryIO, file_size: int) -> None:
        self._f = f
        self.file_size = file_size
        self.findings: list[ZipFinding] = []
        end = _end_values(f, file_size)
        walk = _walk_local_headers(f, file_size, end[1] if end else None)
        central = _read_central_directory(f, file_size)
        # One timestamp in canonical form: the most common one is the original.
        stamps = Counter(e.stamp for e in walk.entries + central.entries)
        self.stamp = stamps.most_common(1)[0][0] if stamps else (0, 0)
        candidates = [index for index in (central, walk) if index.complete]
        if not candidates:
            candidates = [index for index in (central, walk) if index.entries]
            self.findings.append(
                ZipFinding(
                    None,
                    "zip_unreadable",
                    "ZIP 结构损坏，无法完整读取成员列表",
                    "the ZIP structure is damaged: the member list cannot be read completely",
                )
            )
        if len(candidates) == 2 and _layout_key(walk) != _layout_key(central):
            # Both read to the end yet disagree (a changed length field can, by chance, chain
            # exactly): the right one is the layout under which fewer headers differ.
            candidates.sort(key=lambda index: self._differing_headers(self._members_of(index, None)))
        chosen = candidates[0] if candidates else central
        other = walk if chosen is central else central
        self.members = self._members_of(chosen, other)

    def _members_of(self, chosen: _Index, other: _Index | None) -> list[ZipMember]:
        by_offset = {e.offset: e for e in other.entries} if other else {}
        members: list[ZipMember] = []
        pos = 0
        for i, seen in enumerate(chosen.entries):
            names = [seen.name]
            twin = by_offset.get(seen.offset)
            if twin is not None and twin.name != seen.name:
                names.append(twin.name)
            member = ZipMember(i, names, seen.size, offset=pos)
            header_len = len(local_header(seen.name, crc=0, size=seen.size, offset=pos, stamp=(0, 0)))
            member.data_offset = pos + header_len
            pos = member.data_offset + seen.size
            members.append(member)
        return members

    def _differing_headers(self, members: list[ZipMember]) -> int:
        """How many local headers and directory entries differ from their canonical bytes under
        this layout, CRC fields aside (the data has not been read yet)."""
        count = 0
        at = members[-1].data_offset + members[-1].size if members else 0
        for m in members:
            name = m.raw_names[0]
            local = bytearray(local_header(name, crc=0, size=m.size, offset=m.offset, stamp=self.stamp))
            actual = bytearray(_read_at(self._f, m.offset, len(local)))
            central = bytearray(central_header(name, crc=0, size=m.size, offset=m.offset, stamp=self.stamp))
            actual_central = bytearray(_read_at(self._f, at, len(central)))
            at += len(central)
            for expected, got, crc_at in ((local, actual, 14), (central, actual_central, 16)):
                got[crc_at : crc_at + 4] = b"\0\0\0\0"
                count += expected != got
        return count

    def member_chunks(self, member: ZipMember) -> Iterator[bytes]:
        """The member's data as stored at its canonical place, in chunks; the CRC is computed on
        the way and kept for `structure_findings`."""
        remaining = max(0, min(member.size, self.file_size - member.data_offset))
        if remaining:
            self._f.seek(member.data_offset)
        crc = 0
        while remaining:
            chunk = self._f.read(min(CHUNK, remaining))
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            remaining -= len(chunk)
            yield chunk
        member.crc_computed = crc

    def structure_findings(self, names: dict[int, bytes] | None = None) -> list[ZipFinding]:
        """Compare every byte outside the members' data with its canonical value. Call after each
        member's data has been read through `member_chunks` (the canonical headers carry the CRC
        of the data as it is now, so changed data shows here too). `names` picks, for a member
        whose two indexes disagree on its name, the one taken as right."""
        findings = list(self.findings)
        entries = []
        for m in self.members:
            name = (names or {}).get(m.index, m.raw_names[0])
            crc = m.crc_computed or 0
            if name.endswith(b"/") and m.size:
                findings.append(
                    ZipFinding(
                        m.index, "zip_directory_size", "目录成员含有数据", "a directory member holds data"
                    )
                )
            header = local_header(name, crc=crc, size=m.size, offset=m.offset, stamp=self.stamp)
            self._compare(findings, m.index, m.offset, header, "本地文件头", "local file header")
            entries.append(
                (m.index, central_header(name, crc=crc, size=m.size, offset=m.offset, stamp=self.stamp))
            )
        last = self.members[-1] if self.members else None
        cd_offset = last.data_offset + last.size if last else 0
        at = cd_offset
        for index, entry in entries:
            self._compare(findings, index, at, entry, "中央目录项", "central directory entry")
            at += len(entry)
        tail = end_records(count=len(entries), cd_offset=cd_offset, cd_size=at - cd_offset)
        self._compare(findings, None, at, tail, "结尾记录", "end records")
        if self.file_size > at + len(tail):
            extra = self.file_size - at - len(tail)
            findings.append(
                ZipFinding(
                    None,
                    "zip_trailing",
                    f"文件末尾多出 {extra} 字节",
                    f"{extra} unexpected bytes after the end record",
                )
            )
        return findings

    def _compare(
        self, findings: list[ZipFinding], index: int | None, at: int, expected: bytes, zh: str, en: str
    ) -> None:
        actual = _read_at(self._f, at, len(expected))
        if actual == expected:
            return
        first = next(
            (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
            min(len(actual), len(expected)),
        )
        field_zh, field_en = _field_at(en, first, len(expected))
        if field_en == "CRC-32":
            zh_text = f"ZIP {zh}中的 CRC-32 与数据不符（文件偏移 {at + first}）"
            en_text = f"the CRC-32 in the ZIP {en} does not match the data (file offset {at + first})"
        else:
            zh_text = f"ZIP {zh}的{field_zh}与规范格式不符（第 {first} 字节，文件偏移 {at + first}）"
            en_text = f"ZIP {en}: {field_en} differs from the canonical form (byte {first}, file offset {at + first})"
        findings.append(ZipFinding(index, "zip_structure", zh_text, en_text))


# (first byte, Chinese, English) of each field, to say in words which one differs.
_LOCAL_FIELDS = [
    (0, "签名", "signature"),
    (4, "所需版本", "version needed"),
    (6, "标志位", "flags"),
    (8, "压缩方法", "method"),
    (10, "时间", "time"),
    (12, "日期", "date"),
    (14, "CRC-32", "CRC-32"),
    (18, "压缩后大小", "compressed size"),
    (22, "原始大小", "size"),
    (26, "文件名长度", "name length"),
    (28, "扩展字段长度", "extra field length"),
    (30, "文件名或扩展字段", "name or extra field"),
]
_CENTRAL_FIELDS = [
    (0, "签名", "signature"),
    (4, "创建版本", "version made by"),
    (6, "所需版本", "version needed"),
    (8, "标志位", "flags"),
    (10, "压缩方法", "method"),
    (12, "时间", "time"),
    (14, "日期", "date"),
    (16, "CRC-32", "CRC-32"),
    (20, "压缩后大小", "compressed size"),
    (24, "原始大小", "size"),
    (28, "文件名长度", "name length"),
    (30, "扩展字段长度", "extra field length"),
    (32, "注释长度", "comment length"),
    (34, "起始磁盘号", "disk number"),
    (36, "内部属性", "internal attributes"),
    (38, "外部属性", "external attributes"),
    (42, "本地文件头偏移", "local header offset"),
    (46, "文件名或扩展字段", "name or extra field"),
]


def _field_at(structure_en: str, index: int, length: int) -> tuple[str, str]:
    if structure_en == "local file header":
        table = _LOCAL_FIELDS
    elif structure_en == "central directory entry":
        table = _CENTRAL_FIELDS
    else:
        return ("记录", "record") if index < length else ("长度", "length")
    return next((zh, en) for start, zh, en in reversed(table) if index >= start)

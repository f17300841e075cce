"""Helpers of the case-file tests: read an archive's members, rebuild it canonically with
changes (as a forger with the format's own writer would), flip bytes."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from contextlib import contextmanager
from pathlib import Path

from sanxiang_verify import casefile as fmt
from sanxiang_verify.zipformat import CaseZipWriter

ENTRY_REGIONS = ("local header", "data", "central entry")


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def manifest_of(path: Path) -> dict:
    return json.loads(members(path)[fmt.MANIFEST])


def rebuild(
    path: Path,
    out: Path,
    *,
    replace: dict[str, bytes | None] | None = None,
    add: dict[str, bytes] | None = None,
    refresh_manifest: bool = False,
) -> Path:
    """Write `out` in the canonical layout with members replaced (None removes one) or added. With
    `refresh_manifest` the manifest's parts are recomputed to match, as a forger would."""
    replace, add = replace or {}, add or {}
    content = members(path)
    manifest = json.loads(content[fmt.MANIFEST])
    moment = dt.datetime.strptime(manifest["export"]["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    names = [n for n in content if n != fmt.MANIFEST] + list(add)
    with open(out, "wb") as handle:
        writer = CaseZipWriter(handle, moment=moment, digests=manifest["digests"])
        for name in names:
            data = add.get(name, replace.get(name, content.get(name)))
            if name in replace and replace[name] is None:
                continue
            if name.endswith("/"):
                writer.add_directory(name)
            else:
                writer.add_bytes(name, data)
        if refresh_manifest:
            manifest["parts"] = [
                {"path": p.name, "size": p.size, **{a: p.digests[a] for a in manifest["digests"]}}
                for p in writer.parts
                if not p.is_dir
            ]
        manifest_bytes = replace.get(fmt.MANIFEST) or fmt.json_part(manifest)
        writer.add_bytes(fmt.MANIFEST, manifest_bytes)
        writer.close()
    return out


def regions(path: Path) -> list[tuple[int, int, str, str]]:
    """(start, end, member name, region) for every byte range of the archive that belongs to a
    member: its local header, its data and its central directory entry (extra fields included)."""
    out = []
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    for info in infos:
        local_extra = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
        data = info.header_offset + 30 + len(info.filename.encode()) + local_extra
        out.append((info.header_offset, data, info.filename, "local header"))
        out.append((data, data + info.compress_size, info.filename, "data"))
    at = out[-1][1]
    for info in infos:
        length = 46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
        out.append((at, at + length, info.filename, "central entry"))
        at += length
    return out


@contextmanager
def byte_changed(path: Path, offset: int, mask: int):
    """Change one byte of the file in place for the duration of the block (no copy per change)."""
    with open(path, "r+b") as handle:
        handle.seek(offset)
        original = handle.read(1)[0]
        handle.seek(offset)
        handle.write(bytes([original ^ mask]))
    try:
        yield path
    finally:
        with open(path, "r+b") as handle:
            handle.seek(offset)
            handle.write(bytes([original]))


def flipped(source: bytes, offset: int, mask: int, out: Path) -> Path:
    data = bytearray(source)
    data[offset] ^= mask
    out.write_bytes(bytes(data))
    return out

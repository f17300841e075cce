"""Verification of a case-file archive, offline: no database, no server, no Django.

What holds when the verification passes:

- the checkpoint note is signed by a trusted key (the ones given with --key; failing that, the
  archive's own ledger/key.txt, which proves consistency but not origin);
- every line of ledger/entries.jsonl is a canonical entry whose leaf hash is included, by its
  proof in ledger/proofs.json, in the tree the checkpoint signs; every entry belongs to the case;
- every file under evidence/ (documents/) has the SHA-256 of its name, and the name, size and
  SM3 are those recorded by a FILE_RECEIVED (DOCUMENT_ISSUED) entry of the case; every file such
  an entry records is present;
- manifest.json is in its one canonical form, agrees with the ledger (the export's own access
  entry records the case block, time and user), and lists every part with its exact size and
  digests; there is no part it does not list and none is missing;
- the ZIP structure is byte for byte the canonical layout of those members (`zipformat`).

Each failure names the part it is about. When two parts disagree, the manifest's digests tell
which one changed: a part whose bytes still match the manifest is intact, and a part that still
checks out on its own while its manifest digest differs means the manifest was changed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from typing import Any

from sanxiang_verify import casefile as fmt
from sanxiang_verify.merkle import (
    Hasher,
    ProofError,
    UnsupportedHashError,
    digest_new,
    sm3_available,
    verify_inclusion,
)
from sanxiang_verify.notes import Checkpoint, NoteError, Verifier, checkpoint_parse, note_verify
from sanxiang_verify.zipformat import END_PART, ZipLayout

# Members outside the file folders are read into memory; a case's ledger part is a few MB.
SMALL_PART_LIMIT = 512 * 1024 * 1024


@dataclass
class Finding:
    parts: list[str]
    code: str
    zh: str
    en: str

    def as_json(self) -> dict:
        return {"parts": self.parts, "code": self.code, "message": self.zh, "message_en": self.en}

    def text(self) -> str:
        return f"{' | '.join(self.parts)}: {self.zh} ({self.en})"


@dataclass
class Report:
    path: str
    findings: list[Finding] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    case: dict | None = None
    export: dict | None = None
    algorithm: str | None = None
    origin: str | None = None
    checkpoint_size: int | None = None
    entries: int = 0
    files: dict[str, int] = field(default_factory=dict)
    key: str | None = None
    key_source: str | None = None  # "given" or "archive"

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def failed_parts(self) -> list[str]:
        seen: list[str] = []
        for finding in self.findings:
            for part in finding.parts:
                if part not in seen:
                    seen.append(part)
        return seen

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "path": self.path,
            "case": self.case,
            "export": self.export,
            "ledger": {
                "algorithm": self.algorithm,
                "origin": self.origin,
                "checkpoint_size": self.checkpoint_size,
            },
            "entries": self.entries,
            "files": self.files,
            "key": self.key,
            "key_source": self.key_source,
            "failed_parts": self.failed_parts,
            "findings": [f.as_json() for f in self.findings],
            "warnings": [{"message": zh, "message_en": en} for zh, en in self.warnings],
        }


@dataclass
class _Part:
    size: int
    digests: dict[str, str]
    content: bytes | None = None


@dataclass
class _Entry:
    line: int
    seq: int
    body: dict
    leaf: bytes
    included: bool = False


class _Verification:
    def __init__(self, path: str, trusted: list[Verifier]) -> None:
        self.path = path
        self.trusted = trusted
        self.report = Report(path=path)
        self.parts: dict[str, _Part] = {}
        self.directories: list[str] = []
        self.archive_order: list[str] = []
        self.intact: dict[str, bool] = {}
        self.digest_ok: dict[str, bool] = {}
        self._pending: list[Finding] = []
        self._structure: list[Finding] = []
        self.manifest: dict | None = None
        self.checkpoint: Checkpoint | None = None
        self.checkpoint_signed = False
        self.archive_key: Verifier | None = None
        self.proofs: dict | None = None
        self.entries: list[_Entry] = []
        self.entries_by_seq: dict[int, _Entry] = {}
        self._hasher: Hasher | None = None

    # --- findings -------------------------------------------------------------------------------

    def fail(self, part: str, code: str, zh: str, en: str) -> None:
        self.report.findings.append(Finding([part], code, zh, en))
        self.intact[part] = False

    def relate(self, parts: list[str], code: str, zh: str, en: str) -> None:
        """Two or more parts disagree; who is to blame is decided once the manifest is read."""
        self._pending.append(Finding(list(parts), code, zh, en))

    def warn(self, zh: str, en: str) -> None:
        self.report.warnings.append((zh, en))

    # --- reading --------------------------------------------------------------------------------

    def run(self) -> Report:
        try:
            handle = open(self.path, "rb")
        except OSError as exc:
            raise VerifyUsageError(f"无法打开文件 cannot open {self.path}: {exc}") from exc
        with handle:
            layout = ZipLayout(handle, os.fstat(handle.fileno()).st_size)
            self._read_small_parts(layout)
            self._parse_manifest()
            self._parse_ledger()
            self._read_file_parts(layout)
            self._check_structure(layout)
        self._check_key()
        self._check_checkpoint()
        self._check_readme()
        self._check_proofs_and_entries()
        self._check_files()
        self._check_manifest()
        self._resolve()
        self.report.findings.extend(self._structure)
        return self.report

    FIXED = frozenset({fmt.README, fmt.MANIFEST, *fmt.DIRECTORIES, *fmt.LEDGER_PARTS})

    @staticmethod
    def _choose(member, expected: set[str] | frozenset[str]) -> str:
        """The member's name; when its two indexes disagree, the one the format expects."""
        return next((n for n in member.names if n in expected), member.names[0])

    def _read_small_parts(self, layout: ZipLayout) -> None:
        """Everything but the files under evidence/ and documents/, into memory."""
        algorithms = ["sha256", *(["sm3"] if sm3_available() else [])]
        self._names: dict[int, str] = {}
        for member in layout.members:
            name = self._choose(member, self.FIXED)
            if name not in self.FIXED and any(n.startswith(tuple(fmt.FILE_FOLDERS)) for n in member.names):
                continue
            self._names[member.index] = name
            self._take(layout, member, name, algorithms, keep=True)

    def _read_file_parts(self, layout: ZipLayout) -> None:
        """The evidence and document files, streamed through the digests the case file uses."""
        listed = {p["path"] for p in self.manifest["parts"]} if self.manifest else set()
        algorithms = ["sha256"]
        if self._sm3_wanted():
            if sm3_available():
                algorithms.append("sm3")
            else:
                self.warn(
                    "本机 Python 的 OpenSSL 不提供 SM3，只核验了 SHA-256",
                    "this Python's OpenSSL has no SM3: only SHA-256 was checked",
                )
        for member in layout.members:
            if member.index not in self._names:
                name = self._choose(member, self.FIXED | listed)
                self._names[member.index] = name
                self._take(layout, member, name, algorithms, keep=False)
        self.archive_order = [self._names[m.index] for m in layout.members]

    def _check_structure(self, layout: ZipLayout) -> None:
        names = self._names
        raw = {m.index: m.raw_names[m.names.index(names[m.index])] for m in layout.members}
        # Kept aside and listed after the findings about content, which say more to a reader;
        # a header is not the part's content, so these do not count against its integrity.
        for finding in layout.structure_findings(raw):
            part = END_PART if finding.index is None else names[finding.index]
            self._structure.append(Finding([part], finding.code, finding.zh, finding.en))
        for member in layout.members:
            if len(member.names) > 1:
                self._structure.append(
                    Finding(
                        [names[member.index]],
                        "zip_name",
                        f"本地文件头与中央目录中的名称不一致：{member.names}",
                        f"the local header and the central directory name it differently: {member.names}",
                    )
                )

    def _take(self, layout: ZipLayout, member, name: str, algorithms: list[str], *, keep: bool) -> None:
        hashes = {a: digest_new(a) for a in algorithms}
        chunks: list[bytes] = []
        size = 0
        too_big = keep and member.size > SMALL_PART_LIMIT
        for chunk in layout.member_chunks(member):
            size += len(chunk)
            for h in hashes.values():
                h.update(chunk)
            if keep and not too_big:
                chunks.append(chunk)
        if size != member.size:
            self.fail(
                name, "zip_truncated", "数据不完整（文件被截断）", "the data is cut short (truncated file)"
            )
        if name in self.parts or name in self.directories:
            self.fail(name, "duplicate", "压缩包中出现两次", "appears twice in the archive")
            return
        if name.endswith("/"):
            self.directories.append(name)
            return
        if too_big:
            self.fail(name, "too_large", "部件大得不合理，未读取", "part unreasonably large, not read")
        self.parts[name] = _Part(
            size, {a: h.hexdigest() for a, h in hashes.items()}, b"".join(chunks) if keep else None
        )

    def _content(self, name: str) -> bytes | None:
        part = self.parts.get(name)
        if part is None:
            self.fail(name, "missing", "缺少该部件", "part missing from the archive")
            return None
        return part.content

    def _text(self, name: str) -> str | None:
        content = self._content(name)
        if content is None:
            return None
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            self.fail(name, "encoding", "不是有效的 UTF-8 文本", "not valid UTF-8 text")
            return None

    def _json(self, name: str, canonical) -> Any:
        text = self._text(name)
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError as exc:
            self.fail(name, "json", f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}")
            return None
        if canonical(value) != self.parts[name].content:
            self.fail(
                name,
                "not_canonical",
                "不是规范格式（内容被改动或重新排版）",
                "not in its canonical form (changed or reformatted)",
            )
        return value

    # --- manifest -------------------------------------------------------------------------------

    def _parse_manifest(self) -> None:
        value = self._json(fmt.MANIFEST, fmt.json_part)
        if value is None:
            return
        problem = _manifest_problem(value)
        if problem:
            self.fail(
                fmt.MANIFEST, "manifest_schema", f"清单结构不符：{problem}", f"manifest structure: {problem}"
            )
            return
        self.manifest = value
        self.report.case = value["case"]
        self.report.export = value["export"]

    def _sm3_wanted(self) -> bool:
        if self.manifest and "sm3" in self.manifest["digests"]:
            return True
        return any(f.get("sm3") for e in self.entries for f in _files_of(e.body))

    # --- ledger ---------------------------------------------------------------------------------

    def _parse_ledger(self) -> None:
        key_text = self._text(fmt.KEY)
        if key_text is not None:
            try:
                self.archive_key = Verifier.from_vkey(key_text)
            except NoteError as exc:
                self.fail(fmt.KEY, "key", f"公钥无效：{exc}", f"invalid verifier key: {exc}")
            else:
                if fmt.vkey_text(self.archive_key.vkey) != self.parts[fmt.KEY].content:
                    self.fail(fmt.KEY, "not_canonical", "不是规范格式", "not in its canonical form")
        self.proofs = self._json(fmt.PROOFS, fmt.json_part)
        if self.proofs is not None:
            problem = _proofs_problem(self.proofs)
            if problem:
                self.fail(
                    fmt.PROOFS,
                    "proofs_schema",
                    f"证明文件结构不符：{problem}",
                    f"proofs structure: {problem}",
                )
                self.proofs = None
        algorithm = self._algorithm()
        self.report.algorithm = algorithm
        content = self._content(fmt.ENTRIES)
        if content is None or algorithm is None:
            return
        try:
            hasher = Hasher(algorithm)
        except UnsupportedHashError as exc:
            raise VerifyUsageError(f"无法核验：{exc} (cannot verify: {exc})") from exc
        if content and not content.endswith(b"\n"):
            self.fail(fmt.ENTRIES, "entries_format", "最后一行缺少换行符", "the last line has no newline")
        previous = -1
        for number, line in enumerate(
            content.split(b"\n")[:-1] if content.endswith(b"\n") else content.split(b"\n"), 1
        ):
            where = f"第 {number} 行"
            try:
                body = json.loads(line.decode("utf-8"))
                seq = body.get("seq") if isinstance(body, dict) else None
                canonical = fmt.entry_line_canonical(body) == line
            except (ValueError, UnicodeDecodeError):
                body, seq, canonical = None, None, False
            if body is None or type(seq) is not int or not canonical:
                self.fail(
                    fmt.ENTRIES,
                    "entry_format",
                    f"{where}不是规范的账本条目",
                    f"line {number} is not a canonical ledger entry",
                )
                continue
            if seq in self.entries_by_seq:
                self.fail(
                    fmt.ENTRIES,
                    "entry_duplicate",
                    f"{where}（序号 {seq}）重复",
                    f"line {number} (seq {seq}) repeats an entry",
                )
                continue
            if seq <= previous:
                self.fail(
                    fmt.ENTRIES,
                    "entry_order",
                    f"{where}（序号 {seq}）顺序错误",
                    f"line {number} (seq {seq}) is out of order",
                )
            previous = max(previous, seq)
            entry = _Entry(number, seq, body, hasher.leaf(line))
            self.entries.append(entry)
            self.entries_by_seq[seq] = entry
        self.report.entries = len(self.entries)
        self._hasher = hasher

    def _algorithm(self) -> str | None:
        candidates = []
        if self.manifest:
            candidates.append((fmt.MANIFEST, self.manifest["ledger"]["hash"]))
        if self.proofs:
            candidates.append((fmt.PROOFS, self.proofs["algorithm"]))
        supported = [(p, a) for p, a in candidates if a in fmt.DIGEST_ALGORITHMS]
        if len({a for _, a in candidates}) > 1:
            self.relate(
                [p for p, _ in candidates],
                "algorithm",
                f"哈希算法不一致：{candidates}",
                f"hash algorithms disagree: {candidates}",
            )
        for part, name in candidates:
            if name not in fmt.DIGEST_ALGORITHMS:
                self.fail(part, "algorithm", f"未知的哈希算法 {name!r}", f"unknown hash algorithm {name!r}")
        if not supported:
            return None
        # The proofs decide: they are what the tree is checked with.
        return supported[-1][1]

    def _check_key(self) -> None:
        if self.trusted:
            self.report.key = ", ".join(v.vkey for v in self.trusted)
            self.report.key_source = "given"
            if self.archive_key is not None and self.archive_key not in self.trusted:
                self.fail(
                    fmt.KEY, "key_untrusted", "与给定的公钥不同", "differs from the key(s) given with --key"
                )
            return
        if self.archive_key is not None:
            self.report.key = self.archive_key.vkey
            self.report.key_source = "archive"
            self.warn(
                "未用 --key 提供公钥：只用了压缩包自带的 ledger/key.txt。这证明各部分彼此一致，"
                "但不能证明它来自该执法机关。请向执法机关或司法局索取公钥后用 --key 再核验一次。",
                "no --key given: only the archive's own ledger/key.txt was used. This shows the parts agree "
                "with each other, not that they come from the agency; verify again with the published key.",
            )

    def _check_checkpoint(self) -> None:
        note = self._text(fmt.CHECKPOINT)
        if note is None:
            return
        verifiers = self.trusted or ([self.archive_key] if self.archive_key else [])
        try:
            text, _ = note_verify(note, verifiers)
            self.checkpoint_signed = True
        except NoteError as exc:
            blame = [fmt.CHECKPOINT] if self.trusted else [fmt.CHECKPOINT, fmt.KEY]
            if verifiers:
                self.relate(
                    blame,
                    "checkpoint_signature",
                    f"检查点签名无法用公钥核验：{exc}",
                    f"the checkpoint signature does not verify: {exc}",
                )
            text = note[: note.rfind("\n\n") + 1] if "\n\n" in note else note
        try:
            self.checkpoint = checkpoint_parse(text)
        except NoteError as exc:
            self.fail(
                fmt.CHECKPOINT, "checkpoint_format", f"检查点格式错误：{exc}", f"malformed checkpoint: {exc}"
            )
            return
        self.report.origin = self.checkpoint.origin
        self.report.checkpoint_size = self.checkpoint.size

    def _check_readme(self) -> None:
        content = self._content(fmt.README)
        if content is not None and content != fmt.README_TEXT.encode():
            self.fail(fmt.README, "readme", "说明文字被改动", "the text differs from the format's README")

    def _check_proofs_and_entries(self) -> None:
        cp, proofs = self.checkpoint, self.proofs
        if cp is None or proofs is None or self._hasher is None:
            return
        proofs_ok = True
        if proofs["tree_size"] != cp.size:
            self.relate(
                [fmt.PROOFS, fmt.CHECKPOINT],
                "tree_size",
                "证明的树大小与检查点不同",
                "the proofs' tree size differs from the checkpoint's",
            )
            proofs_ok = False
        if _b64(proofs["root_hash"]) != cp.root:
            self.relate(
                [fmt.PROOFS, fmt.CHECKPOINT],
                "root_hash",
                "证明的根哈希与检查点不同",
                "the proofs' root hash differs from the checkpoint's",
            )
            proofs_ok = False
        by_index: dict[int, dict] = {}
        for proof in proofs["proofs"]:
            if proof["leaf_index"] in by_index:
                self.fail(
                    fmt.PROOFS,
                    "proof_duplicate",
                    f"序号 {proof['leaf_index']} 的证明重复",
                    f"two proofs for seq {proof['leaf_index']}",
                )
                proofs_ok = False
            by_index[proof["leaf_index"]] = proof
        case_id = self.manifest["case"]["id"] if self.manifest else None
        for entry in self.entries:
            where_zh, where_en = (
                f"第 {entry.line} 行（序号 {entry.seq}）",
                f"line {entry.line} (seq {entry.seq})",
            )
            proof = by_index.pop(entry.seq, None)
            if proof is None:
                self.relate(
                    [fmt.ENTRIES, fmt.PROOFS],
                    "proof_missing",
                    f"{where_zh}没有包含证明",
                    f"{where_en} has no inclusion proof",
                )
                proofs_ok = False
                continue
            path = [_b64(h) for h in proof["inclusion_path"]]
            try:
                verify_inclusion(self._hasher, entry.seq, cp.size, entry.leaf, path, cp.root)
            except ProofError as exc:
                # The root comes from the checkpoint: any of the three may be what changed.
                self.relate(
                    [fmt.ENTRIES, fmt.PROOFS, fmt.CHECKPOINT],
                    "not_included",
                    f"{where_zh}不在检查点所签的账本中：{exc}",
                    f"{where_en} not included in the signed checkpoint: {exc}",
                )
                proofs_ok = False
                continue
            entry.included = True
            if _b64(proof["leaf_hash"]) != entry.leaf:
                self.fail(
                    fmt.PROOFS,
                    "leaf_hash",
                    f"序号 {entry.seq} 的叶哈希与条目不符",
                    f"the leaf hash given for seq {entry.seq} differs from the entry's",
                )
            if case_id is not None and entry.body.get("case") != case_id:
                self.relate(
                    [fmt.ENTRIES, fmt.MANIFEST],
                    "entry_case",
                    f"{where_zh}不属于本案件",
                    f"{where_en} belongs to another case",
                )
        for seq in sorted(by_index):
            # The proof carries the leaf hash: if it still leads to the signed root, the tree did
            # hold an entry there and it is the entry that went missing.
            proof = by_index[seq]
            try:
                verify_inclusion(
                    self._hasher,
                    seq,
                    cp.size,
                    _b64(proof["leaf_hash"]),
                    [_b64(h) for h in proof["inclusion_path"]],
                    cp.root,
                )
                proven = True
            except ProofError:
                proven = False
            blame = [fmt.ENTRIES] if proven and self.checkpoint_signed else [fmt.ENTRIES, fmt.PROOFS]
            self.relate(
                blame,
                "entry_missing",
                f"序号 {seq} 有包含证明，但条目不在 entries.jsonl 中（条目被删除）",
                f"seq {seq} has a proof but its entry is missing from entries.jsonl (entry removed)",
            )
            if not proven:
                proofs_ok = False
        if not self.entries:
            self.fail(fmt.ENTRIES, "entries_empty", "没有任何账本条目", "no ledger entries")
        self.intact.setdefault(fmt.ENTRIES, all(e.included for e in self.entries) and not by_index)
        self.intact.setdefault(fmt.PROOFS, proofs_ok)
        self.intact.setdefault(fmt.CHECKPOINT, self.checkpoint_signed)
        self.intact.setdefault(
            fmt.KEY,
            self.archive_key is not None
            and (self.archive_key in self.trusted if self.trusted else self.checkpoint_signed),
        )
        self.intact.setdefault(fmt.README, True)

    def _check_files(self) -> None:
        """Each file under a file folder against the entries that record it, and back."""
        # With an entry unproven, a file may be recorded by that very entry: do not call it extra.
        entries_proven = self.intact.get(fmt.ENTRIES, False)
        for folder, kind in fmt.FILE_FOLDERS.items():
            recorded: dict[str, tuple[_Entry, dict]] = {}
            for entry in self.entries:
                if entry.included and entry.body.get("kind") == kind:
                    for f in _files_of(entry.body):
                        recorded.setdefault(f["sha256"], (entry, f))
            present = [name for name in self.parts if name.startswith(folder)]
            self.report.files[folder.rstrip("/")] = len(present)
            for name in present:
                part = self.parts[name]
                digest = name[len(folder) :]
                if not fmt.HEX64.fullmatch(digest):
                    self.fail(name, "file_name", "文件名不是 SHA-256", "the name is not a SHA-256")
                    continue
                if part.digests["sha256"] != digest:
                    recorded.pop(digest, None)  # present, but not as recorded: not also "missing"
                    self.fail(
                        name,
                        "file_digest",
                        "内容的 SHA-256 与文件名不符（文件被改动或替换）",
                        "digest differs: the content's SHA-256 is not its name (changed or replaced)",
                    )
                    continue
                record = recorded.pop(digest, None)
                if record is None:
                    if entries_proven:
                        self.fail(
                            name,
                            "file_unrecorded",
                            "没有记录它的账本条目",
                            "no ledger entry of the case records it",
                        )
                    continue
                entry, recorded_file = record
                if recorded_file.get("size") != part.size:
                    self.fail(
                        name,
                        "file_size",
                        f"大小 {part.size} 与序号 {entry.seq} 的条目记录的 {recorded_file.get('size')} 不符",
                        f"size {part.size} differs from {recorded_file.get('size')} recorded by seq {entry.seq}",
                    )
                sm3 = recorded_file.get("sm3")
                if sm3 and "sm3" in part.digests and part.digests["sm3"] != sm3:
                    self.fail(
                        name,
                        "file_sm3",
                        f"SM3 与序号 {entry.seq} 的条目记录不符",
                        f"SM3 differs from the one recorded by seq {entry.seq}",
                    )
                self.intact.setdefault(name, True)
            for digest, (entry, _) in sorted(recorded.items()):
                self.fail(
                    fmt.file_path(folder, digest),
                    "file_missing",
                    f"序号 {entry.seq} 的条目记录了该文件，但压缩包中没有",
                    f"recorded by seq {entry.seq} but missing from the archive",
                )

    def _check_manifest(self) -> None:
        m = self.manifest
        expected_dirs = fmt.DIRECTORIES
        if sorted(self.directories) != sorted(expected_dirs):
            for d in sorted(set(self.directories) ^ set(expected_dirs)):
                self.fail(d, "directory", "目录条目多余或缺失", "directory entry unexpected or missing")
        foreign = [
            name
            for name in self.parts
            if name not in (fmt.README, fmt.MANIFEST, *fmt.LEDGER_PARTS)
            and not name.startswith(tuple(fmt.FILE_FOLDERS))
        ]
        for name in foreign:
            self.fail(
                name, "extra", "多余的部件：不属于案卷格式", "extra part: not part of the case-file format"
            )
        if m is None:
            return
        if m["directories"] != expected_dirs:
            self.fail(fmt.MANIFEST, "manifest_directories", "目录清单不符", "the directory list differs")
        listed = {p["path"]: p for p in m["parts"]}
        if len(listed) != len(m["parts"]):
            self.fail(fmt.MANIFEST, "manifest_duplicate", "同一部件列出两次", "a part is listed twice")
        order = [name for name in self.archive_order if name in self.parts and name != fmt.MANIFEST]
        for name in order:
            if name not in listed and name not in foreign:
                # An expected part the manifest forgot is the manifest's fault; anything else is extra.
                expected = name in (fmt.README, *fmt.LEDGER_PARTS) or self.intact.get(name, False)
                if expected:
                    self.fail(
                        fmt.MANIFEST,
                        "manifest_unlisted",
                        f"未列出部件 {name}",
                        f"does not list the part {name}",
                    )
                else:
                    self.fail(name, "extra", "多余的部件：清单中没有", "extra part: not in the manifest")
        for path, entry in listed.items():
            part = self.parts.get(path)
            if part is None:
                if path in (fmt.README, *fmt.LEDGER_PARTS):
                    continue  # reported as missing when it was looked for
                if path.startswith(tuple(fmt.FILE_FOLDERS)) and self._recorded_anywhere(path):
                    if not self.intact.get(fmt.ENTRIES, False):
                        self.fail(path, "missing", "缺少该部件", "part missing from the archive")
                    continue  # otherwise reported with the entry that records it
                # Neither a part of the format nor a file the ledger records: the manifest invented it.
                self.fail(
                    fmt.MANIFEST,
                    "manifest_phantom",
                    f"列出了不存在的部件 {path}",
                    f"lists a part that is not there: {path}",
                )
                continue
            differs = [a for a in m["digests"] if a in part.digests and part.digests[a] != entry[a]]
            if part.size != entry["size"]:
                differs.insert(0, "size")
            self.digest_ok[path] = not differs
            if differs:
                what = "、".join(differs)
                if self.intact.get(path):
                    self.fail(
                        fmt.MANIFEST,
                        "manifest_digest",
                        f"记录的 {path} 的 {what} 与该部件不符（该部件本身核验无误）",
                        f"records a {'/'.join(differs)} for {path} that differs from the part, which checks out on its own",
                    )
                else:
                    self.fail(
                        path,
                        "digest",
                        f"{what} 与清单不符（部件被改动）",
                        f"{'/'.join(differs)} differs from the manifest (part changed)",
                    )
        if [p["path"] for p in m["parts"]] != [n for n in order if n in listed]:
            self.fail(
                fmt.MANIFEST,
                "manifest_order",
                "部件顺序与压缩包不符",
                "parts are listed in another order than archived",
            )
        self._check_manifest_ledger(m)

    def _recorded_anywhere(self, path: str) -> bool:
        digest = path.rsplit("/", 1)[-1]
        return any(f.get("sha256") == digest for e in self.entries for f in _files_of(e.body))

    def _check_manifest_ledger(self, m: dict) -> None:
        ledger = m["ledger"]
        cp = self.checkpoint
        if cp is not None:
            if ledger["origin"] != cp.origin:
                self.relate(
                    [fmt.MANIFEST, fmt.CHECKPOINT],
                    "origin",
                    "账本来源（origin）与检查点不符",
                    "the ledger origin differs from the checkpoint's",
                )
            if ledger["checkpoint_size"] != cp.size:
                self.relate(
                    [fmt.MANIFEST, fmt.CHECKPOINT],
                    "checkpoint_size",
                    "检查点大小与检查点不符",
                    "the checkpoint size differs from the checkpoint's",
                )
        key = self.trusted[0] if self.trusted and self.archive_key is None else self.archive_key
        if key is not None and ledger["key_name"] != key.name:
            self.relate(
                [fmt.MANIFEST, fmt.KEY], "key_name", "密钥名与公钥不符", "the key name differs from the key's"
            )
        proof_count = len(self.proofs["proofs"]) if self.proofs else None
        # Entries missing from the jsonl are reported as such; the count then differs in consequence.
        if ledger["entries"] != len(self.entries) and proof_count in (None, len(self.entries)):
            self.relate(
                [fmt.MANIFEST, fmt.ENTRIES],
                "entry_count",
                f"记录了 {ledger['entries']} 条条目，实有 {len(self.entries)} 条",
                f"says {ledger['entries']} entries, there are {len(self.entries)}",
            )
        export = m["export"]
        entry = self.entries_by_seq.get(export["seq"])
        if entry is None:
            self.relate(
                [fmt.MANIFEST, fmt.ENTRIES],
                "export_entry",
                f"导出记录（序号 {export['seq']}）不在条目中",
                f"the export's access entry (seq {export['seq']}) is not among the entries",
            )
            return
        if not entry.included:
            return  # unproven, and reported as such: nothing to hold the manifest against
        body = entry.body
        payload = body.get("payload") if isinstance(body.get("payload"), dict) else {}
        details = payload.get("details") if isinstance(payload.get("details"), dict) else {}
        checks = [
            body.get("kind") == fmt.ACCESS_KIND,
            payload.get("action") == fmt.EXPORT_ACTION,
            payload.get("object_kind") == fmt.EXPORT_OBJECT_KIND,
            payload.get("object_id") == str(m["case"]["id"]),
            details.get("case") == m["case"],
            body.get("case") == m["case"]["id"],
            body.get("agency") == m["case"]["agency_id"],
            body.get("at") == export["at"],
            body.get("actor") == export["by"],
        ]
        if not all(checks):
            self.relate(
                [fmt.MANIFEST, fmt.ENTRIES],
                "export_mismatch",
                f"案件或导出信息与导出记录（序号 {export['seq']}）不符",
                f"the case or export block differs from the export's access entry (seq {export['seq']})",
            )

    def _resolve(self) -> None:
        for finding in self._pending:
            changed = [p for p in finding.parts if self.digest_ok.get(p) is False]
            if changed:
                blamed = changed
            elif fmt.MANIFEST in finding.parts and self.manifest is not None:
                # Every other part still matches its digest in the manifest: the manifest changed.
                blamed = [fmt.MANIFEST]
            else:
                blamed = finding.parts
            self.report.findings.append(Finding(blamed, finding.code, finding.zh, finding.en))


class VerifyUsageError(Exception):
    """The verification could not run at all (unreadable file, bad key, missing SM3)."""


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _files_of(body: dict) -> list[dict]:
    files = body.get("files")
    if not isinstance(files, list):
        return []
    return [f for f in files if isinstance(f, dict) and isinstance(f.get("sha256"), str)]


def _keys_are(value: Any, keys: set[str]) -> bool:
    return isinstance(value, dict) and set(value) == keys


def _is_int(value: Any) -> bool:
    return type(value) is int


def _manifest_problem(m: Any) -> str | None:
    if not _keys_are(
        m, {"format", "format_version", "case", "export", "ledger", "digests", "directories", "parts"}
    ):
        return "top-level keys"
    if m["format"] != fmt.FORMAT or m["format_version"] != fmt.FORMAT_VERSION:
        return f"format {m['format']!r} version {m['format_version']!r} (expected {fmt.FORMAT} {fmt.FORMAT_VERSION})"
    case = m["case"]
    if not _keys_are(case, {"id", "number", "title", "agency_id", "agency_name"}) or not (
        _is_int(case["id"])
        and _is_int(case["agency_id"])
        and all(isinstance(case[k], str) for k in ("number", "title", "agency_name"))
    ):
        return "case"
    export = m["export"]
    if (
        not _keys_are(export, {"seq", "at", "by"})
        or not _is_int(export["seq"])
        or not isinstance(export["at"], str)
    ):
        return "export"
    try:
        dt.datetime.strptime(export["at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return "export.at"
    by = export["by"]
    if by is not None and not (
        _keys_are(by, {"id", "username"}) and _is_int(by["id"]) and isinstance(by["username"], str)
    ):
        return "export.by"
    ledger = m["ledger"]
    if not _keys_are(ledger, {"origin", "hash", "key_name", "checkpoint_size", "entries"}) or not (
        isinstance(ledger["origin"], str)
        and isinstance(ledger["hash"], str)
        and isinstance(ledger["key_name"], str)
        and _is_int(ledger["checkpoint_size"])
        and _is_int(ledger["entries"])
    ):
        return "ledger"
    digests = m["digests"]
    if (
        not isinstance(digests, list)
        or not digests
        or digests[0] != "sha256"
        or len(set(digests)) != len(digests)
        or not set(digests) <= set(fmt.DIGEST_ALGORITHMS)
    ):
        return "digests"
    if not isinstance(m["directories"], list) or not isinstance(m["parts"], list):
        return "directories/parts"
    for part in m["parts"]:
        if (
            not _keys_are(part, {"path", "size", *digests})
            or not isinstance(part["path"], str)
            or not _is_int(part["size"])
        ):
            return "parts"
        if not all(isinstance(part[a], str) and fmt.HEX64.fullmatch(part[a]) for a in digests):
            return f"parts ({part['path']})"
    return None


def _proofs_problem(p: Any) -> str | None:
    if not _keys_are(p, {"algorithm", "tree_size", "root_hash", "proofs"}):
        return "top-level keys"
    if (
        not isinstance(p["algorithm"], str)
        or not _is_int(p["tree_size"])
        or not isinstance(p["root_hash"], str)
    ):
        return "algorithm/tree_size/root_hash"
    if not isinstance(p["proofs"], list):
        return "proofs"
    for proof in p["proofs"]:
        if not _keys_are(proof, {"leaf_index", "leaf_hash", "inclusion_path"}) or not _is_int(
            proof["leaf_index"]
        ):
            return "proof"
        if (
            not isinstance(proof["leaf_hash"], str)
            or not isinstance(proof["inclusion_path"], list)
            or not all(isinstance(h, str) for h in proof["inclusion_path"])
        ):
            return f"proof {proof['leaf_index']}"
    return None


def case_file_verify(path: str, *, vkeys: list[str] = ()) -> Report:
    """Verify the case-file archive at `path`; `vkeys` are the trusted checkpoint keys."""
    try:
        trusted = [Verifier.from_vkey(v) for v in vkeys]
    except NoteError as exc:
        raise VerifyUsageError(f"--key 无效 (invalid --key): {exc}") from exc
    return _Verification(path, trusted).run()

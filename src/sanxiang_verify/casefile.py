"""The case-file (案卷) format, version 1: names, JSON forms and the fixed README.

Shared by the exporter (`sanxiang.casefile`) and the verifier, so that what one writes is by
construction what the other expects.

Layout, in archive order:

    README.txt              what this is and how to verify it (fixed text, Chinese and English)
    ledger/                 the case's ledger entries and their proof
    ledger/checkpoint.txt   a signed C2SP checkpoint note covering every entry below
    ledger/key.txt          the checkpoint key as a verifier key (name+keyid+base64)
    ledger/entries.jsonl    one entry per line: the exact canonical bytes that were hashed
    ledger/proofs.json      an RFC 9162 inclusion proof of each entry in the checkpoint's tree
    evidence/               evidence files, named by SHA-256, each recorded by a FILE_RECEIVED entry
    evidence/<sha256>
    documents/              case documents (文书), named by SHA-256, each recorded by a
    documents/<sha256>      DOCUMENT_ISSUED entry (none are exported yet)
    manifest.json           case, export, ledger and every part's size and digests; last, because
                            it lists the digests of everything before it
"""

from __future__ import annotations

import json
import re
from typing import Any

FORMAT = "sanxiang-case-file"
FORMAT_VERSION = 1

README = "README.txt"
MANIFEST = "manifest.json"
LEDGER_DIR = "ledger/"
CHECKPOINT = "ledger/checkpoint.txt"
KEY = "ledger/key.txt"
ENTRIES = "ledger/entries.jsonl"
PROOFS = "ledger/proofs.json"
EVIDENCE_DIR = "evidence/"
DOCUMENTS_DIR = "documents/"
DIRECTORIES = [LEDGER_DIR, EVIDENCE_DIR, DOCUMENTS_DIR]
LEDGER_PARTS = [CHECKPOINT, KEY, ENTRIES, PROOFS]

# Files kept under a folder, and the ledger entry kind that must record each of them (by digest).
FILE_FOLDERS = {EVIDENCE_DIR: "evidence.file_received", DOCUMENTS_DIR: "case.document_issued"}
ACCESS_KIND = "access.viewed"
EXPORT_ACTION = "export"
EXPORT_OBJECT_KIND = "casefile"

HEX64 = re.compile(r"[0-9a-f]{64}")
DIGEST_ALGORITHMS = ("sha256", "sm3")

README_TEXT = """\
三项制度平台 · 案卷导出包 (Sanxiang case file), 格式第 1 版

本压缩包是一个案件的案卷：证据文件、该案件在全过程记录账本中的全部条目、每个条目的
包含证明，以及一份签名的账本检查点。任何人都可以在不连接服务器的情况下核验它。

  README.txt             本说明
  manifest.json          清单：案件、导出信息、账本信息，以及每个部件的大小和 SHA-256（和 SM3）
  ledger/checkpoint.txt  签名检查点（C2SP tlog-checkpoint，Ed25519）
  ledger/key.txt         检查点公钥（verifier key）
  ledger/entries.jsonl   账本条目，每行一条，即被哈希的原始规范化字节
  ledger/proofs.json     每个条目在检查点所签树中的包含证明（RFC 9162）
  evidence/<sha256>      证据文件，以 SHA-256 命名，每个都由一条“收到文件”账本条目记录
  documents/<sha256>     案件文书（以后的版本导出）

核验方法（需要 Python 3.11+ 和 cryptography）：

  python -m sanxiang_verify 案卷.zip --key "<公钥>"

公钥请从执法机关或司法局公布的渠道获取（服务器地址 /ledger/key），不要只相信
压缩包里的 ledger/key.txt：它只能证明包内各部分彼此一致，不能证明来源。改动本包
任何一个字节，核验都会失败并指出被改动的部分。

This archive is the case file of one case: its evidence files, all of the case's entries in
the whole-process ledger, an inclusion proof for each entry and a signed ledger checkpoint.
Anyone can verify it offline:

  python -m sanxiang_verify casefile.zip --key "<verifier key>"

Obtain the key from the agency or the judicial bureau (the server publishes it at /ledger/key);
the copy in ledger/key.txt only shows that the parts agree with each other, not where they come
from. Changing any byte of this archive makes the verification fail and name the changed part.
"""


def json_part(value: Any) -> bytes:
    """The bytes of a JSON part (manifest, proofs): sorted keys, two-space indent, UTF-8, final
    newline. One form per value, so the verifier can tell a changed byte from a reformatting."""
    return (json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def entry_line_canonical(value: Any) -> bytes:
    """The canonical JSON of a ledger entry body (as `sanxiang.ledger.canonical` writes it)."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def file_path(folder: str, sha256: str) -> str:
    return f"{folder}{sha256}"


def export_case_details(*, case_id: int, number: str, title: str, agency_id: int, agency_name: str) -> dict:
    """What the export's access entry records about the case, and what the manifest repeats: the
    verifier holds one against the other, so the manifest's case block is covered by the ledger."""
    return {
        "id": case_id,
        "number": number,
        "title": title,
        "agency_id": agency_id,
        "agency_name": agency_name,
    }


def vkey_text(vkey: str) -> bytes:
    return (vkey + "\n").encode()

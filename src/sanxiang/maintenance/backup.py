"""`sanxiang backup` and `sanxiang restore`: one archive holding a consistent copy of an
installation, and its restoration into a new data folder.

The archive is a tar file (gzip-compressed when its name ends in .gz or .tgz) of:

    database/sanxiang.sqlite3            SQLite: a snapshot by SQLite's online backup API
    database/postgresql/<table>.copy     PostgreSQL: every table as COPY text, all read in one
                                         REPEATABLE READ, READ ONLY transaction (one snapshot)
    files/evidence/ab/cd/<sha256>        every stored file (evidence, issued documents, published
                                         documents) that the snapshot references
    keys/secret_key, keys/ledger_ed25519.key   when they are kept in the data folder
    ledger/checkpoint.txt                the last signed checkpoint in the snapshot
    manifest.json                        last: what the archive holds and the SHA-256 of every member

Why not pg_dump for PostgreSQL: it is often not installed on the application server (nor on
the Windows desktops of small counties), it refuses a server newer than itself, and restoring
its output needs psql or pg_restore of a matching version as well. What makes pg_dump consistent
is that it reads every table in one REPEATABLE READ transaction with COPY; we do the same through
the connection the application already has, and restore with COPY into a database that our own
migrations created (so the triggers, constraints and indexes are the ones the code expects).

The snapshot is consistent with respect to the files: a stored file's blob is written and synced
before the row that names it commits, and blobs are never deleted, so every file the snapshot
names exists when the backup copies it, whatever is written meanwhile.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

import sanxiang
from sanxiang.evidence.models import StoredFile
from sanxiang.evidence.storage import LocalBlobStore, blob_name, blob_store_get
from sanxiang.ledger import keys
from sanxiang.ledger.models import DEFAULT_LEDGER, Checkpoint, Entry, Head, Ledger
from sanxiang.privatefiles import (
    SECRET_KEY_FILE,
    data_dir_ensure,
    private_dir_make,
    private_file_open,
)
from sanxiang.publication.models import PublicDocument

FORMAT = "sanxiang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/sanxiang.sqlite3"
SQLITE_FILE_NAME = "sanxiang.sqlite3"
PG_PREFIX = "database/postgresql/"
BLOB_PREFIX = "files/evidence/"
SECRET_KEY_MEMBER = "keys/secret_key"
LEDGER_KEY_MEMBER = "keys/ledger_ed25519.key"
CHECKPOINT_MEMBER = "ledger/checkpoint.txt"
READ_SIZE = 1024 * 1024

_BLOB_RE = re.compile(r"files/evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")
_TABLE_RE = re.compile(r"database/postgresql/([a-z_][a-z0-9_]*)\.copy")


class BackupError(Exception):
    """A backup or restore refused, with a message for the operator."""

    exit_code = 2


class ForkRefused(BackupError):
    """The backup is older than a published checkpoint."""

    exit_code = 3


class KeyRefused(BackupError):
    """The backup's ledger key is not the installation's (see `--accept-key-change`)."""

    exit_code = 4


# Writing ------------------------------------------------------------------------------------


class _HashingReader:
    """Reads a stream, hashing what it hands out."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


class _ArchiveWriter:
    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.members: list[dict[str, Any]] = []
        self.mtime = int(dt.datetime.now(dt.UTC).timestamp())

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = self.mtime
        return info

    def add_stream(self, name: str, stream: BinaryIO, size: int) -> str:
        """Add `size` bytes of `stream` (which must hold at least that many) and return their SHA-256."""
        reader = _HashingReader(stream)
        self.tar.addfile(self._info(name, size), reader)
        digest = reader.sha256.hexdigest()
        self.members.append({"name": name, "size": size, "sha256": digest})
        return digest

    def add_file(self, name: str, path: Path) -> str:
        with open(path, "rb") as handle:
            return self.add_stream(name, handle, os.fstat(handle.fileno()).st_size)

    def add_bytes(self, name: str, data: bytes) -> str:
        return self.add_stream(name, io.BytesIO(data), len(data))


@dataclass
class _Snapshot:
    engine: str
    ledger: dict[str, Any]
    checkpoint_note: str | None
    checkpoint: dict[str, Any] | None
    files: dict[str, int]  # sha256 -> recorded size
    migrations: list[list[str]]
    tables: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class BackupSummary:
    path: Path
    engine: str
    tree_size: int
    checkpoint_size: int | None
    files: int
    file_bytes: int
    archive_bytes: int
    warnings: list[str]


def _facts_read(cursor) -> dict[str, Any]:
    """What the backup needs to know of a snapshot, through a DB-API cursor on it (plain SQL
    without parameters: it runs on a sqlite3 copy and on a psycopg transaction alike)."""
    head_table, entry_table = Head._meta.db_table, Entry._meta.db_table
    cursor.execute(f"SELECT algorithm, size, root FROM {head_table} WHERE id = 1")
    head = cursor.fetchone()
    # The default ledger's (county ledgers, if any, are in the same tables and restored with
    # them; the fork checks of a restore are the default ledger's).
    cursor.execute(f"SELECT COUNT(*), MAX(seq) FROM {entry_table} WHERE ledger_id = 1")
    count, max_seq = cursor.fetchone()
    cursor.execute(
        f"SELECT size, root, note FROM {Checkpoint._meta.db_table} WHERE ledger_id = 1"
        " ORDER BY size DESC, id DESC LIMIT 1"
    )
    checkpoint = cursor.fetchone()
    files: dict[str, int] = {}
    for table in (StoredFile._meta.db_table, PublicDocument._meta.db_table):
        cursor.execute(f"SELECT sha256, size FROM {table}")
        for sha256, size in cursor.fetchall():
            files.setdefault(sha256, size)
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations = [[app, name] for app, name in cursor.fetchall()]
    algorithm = head[0] if head else keys.ledger_hash_algorithm()
    return {
        "ledger": {
            "algorithm": algorithm,
            "tree_size": head[1] if head else 0,
            "root": base64.b64encode(bytes(head[2])).decode() if head else None,
            "entries": count,
            "max_seq": max_seq,
            "origin": keys.ledger_origin(),
            "key_name": keys.ledger_key_name(),
        },
        "checkpoint": (
            {"size": checkpoint[0], "root": base64.b64encode(bytes(checkpoint[1])).decode()}
            if checkpoint
            else None
        ),
        "checkpoint_note": checkpoint[2] if checkpoint else None,
        "files": files,
        "migrations": migrations,
    }


def _snapshot_sqlite(workdir: Path, archive: _ArchiveWriter) -> _Snapshot:
    """SQLite's online backup API, in one step: it copies the pages of one read transaction, so
    the copy is the database at one instant while writers (WAL mode) go on."""
    copy_path = workdir / SQLITE_FILE_NAME
    connection.ensure_connection()
    target = sqlite3.connect(copy_path)
    try:
        connection.connection.backup(target)  # pages=-1: all in one step, one snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        facts = _facts_read(target.cursor())
    finally:
        target.close()
    archive.add_file(SQLITE_MEMBER, copy_path)
    copy_path.unlink()
    return _Snapshot(engine="sqlite", tables=[], **facts)


def _snapshot_postgresql(workdir: Path, archive: _ArchiveWriter) -> _Snapshot:
    """Every table through COPY, in one REPEATABLE READ, READ ONLY transaction: all see the
    same snapshot, and the snapshot's facts (files, ledger head) are read in it too."""
    if connection.in_atomic_block:
        raise BackupError("备份不能在事务中进行 (backup must not run inside a transaction)")
    qn = connection.ops.quote_name
    tables: list[dict[str, Any]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        names = sorted(connection.introspection.table_names(cursor))
        raw = connection.connection  # psycopg 3, in the same transaction
        for table in names:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):
                raise BackupError(f"表名 {table!r} 无法备份 (unexpected table name)")
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            column_list = ", ".join(qn(c) for c in columns)
            dump = workdir / f"{table}.copy"
            with open(private_file_open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as out:
                with (
                    raw.cursor() as raw_cursor,
                    raw_cursor.copy(f"COPY {qn(table)} ({column_list}) TO STDOUT") as copy,
                ):
                    for block in copy:
                        out.write(block)
            member = f"{PG_PREFIX}{table}.copy"
            archive.add_file(member, dump)
            dump.unlink()
            tables.append({"name": table, "columns": columns, "member": member})
        facts = _facts_read(cursor)
    return _Snapshot(engine="postgresql", tables=tables, **facts)


def _blob_size(stream: BinaryIO, recorded: int) -> int:
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return recorded  # object storage: the recorded size


def backup_create(
    *, destination: str | os.PathLike, progress: Callable[[str], None] = lambda m: None
) -> BackupSummary:
    """Write a consistent copy of the installation to `destination` (a new file, mode 0600: it
    holds the keys). The archive appears under its name only once complete."""
    destination = Path(destination).absolute()
    if destination.exists():
        raise BackupError(f"{destination} 已存在，不覆盖 (refusing to overwrite an existing file)")
    if not destination.parent.is_dir():
        raise BackupError(f"目录 {destination.parent} 不存在 (folder does not exist)")
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持备份 {vendor} 数据库 (unsupported database)")
    if vendor == "sqlite":
        database = Path(str(connection.settings_dict.get("NAME") or ""))
        if not connection.connection and not database.is_file():  # connecting would create it
            raise BackupError(
                f"找不到数据库 {database}：请检查 SANXIANG_DATA_DIR / DATABASE_URL (no database there)"
            )
    compressed = destination.name.endswith((".gz", ".tgz"))
    warnings: list[str] = []
    # A private folder beside the destination (same filesystem: the final rename is atomic).
    workdir = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        partial = workdir / "archive.part"
        with (
            open(private_file_open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as out,
            tarfile.open(fileobj=out, mode="w:gz" if compressed else "w", format=tarfile.PAX_FORMAT) as tar,
        ):
            archive = _ArchiveWriter(tar)
            progress("数据库快照 database snapshot")
            try:
                snapshot = (_snapshot_sqlite if vendor == "sqlite" else _snapshot_postgresql)(
                    workdir, archive
                )
            except (DatabaseError, sqlite3.DatabaseError) as exc:
                raise BackupError(
                    f"无法读取数据库（是否已运行 sanxiang migrate？）(cannot read the database): {exc}"
                ) from exc
            progress(f"存储文件 stored files: {len(snapshot.files)}")
            store = blob_store_get()
            missing: list[str] = []
            differing: list[str] = []
            file_bytes = 0
            for sha256, recorded in sorted(snapshot.files.items()):
                if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
                    warnings.append(f"数据库中的文件摘要 {sha256!r} 无效，已跳过")
                    continue
                try:
                    blob = store.open(sha256)
                except FileNotFoundError:
                    missing.append(sha256)
                    warnings.append(f"存储文件 {sha256} 缺失，未能备份 (stored file missing)")
                    continue
                with blob:
                    size = _blob_size(blob, recorded)
                    got = archive.add_stream(BLOB_PREFIX + blob_name(sha256), blob, size)
                file_bytes += size
                if got != sha256 or size != recorded:
                    differing.append(sha256)
                    warnings.append(
                        f"存储文件 {sha256} 的内容与记录不符，已按现状备份，恢复后 verify 会指出 (stored file differs)"
                    )
            keys_held = {"secret_key": False, "ledger_signing_key": False}
            secret = Path(settings.DATA_DIR) / SECRET_KEY_FILE
            if not os.environ.get("SANXIANG_SECRET_KEY") and secret.is_file():
                archive.add_file(SECRET_KEY_MEMBER, secret)
                keys_held["secret_key"] = True
            ledger_key = keys.key_file_path()
            if not os.environ.get(keys.ENV_KEY) and ledger_key.is_file():
                archive.add_file(LEDGER_KEY_MEMBER, ledger_key)
                keys_held["ledger_signing_key"] = True
            else:
                warnings.append(
                    "账本签名密钥不在数据目录中（由 SANXIANG_LEDGER_SIGNING_KEY 提供），未放入备份，请另行保管"
                )
            if snapshot.checkpoint_note:
                archive.add_bytes(CHECKPOINT_MEMBER, snapshot.checkpoint_note.encode())
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "sanxiang_version": sanxiang.__version__,
                "engine": snapshot.engine,
                "ledger": snapshot.ledger,
                "checkpoint": snapshot.checkpoint,
                "migrations": snapshot.migrations,
                "tables": snapshot.tables,
                "files": {
                    "count": len(snapshot.files) - len(missing),
                    "bytes": file_bytes,
                    "missing": missing,
                    "differing": differing,
                },
                "keys": keys_held,
                "members": archive.members,
            }
            archive.add_bytes(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            out.flush()
            tar.close()
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(partial, destination)  # refuses an existing name, where rename overwrites
        except FileExistsError as exc:
            raise BackupError(
                f"{destination} 已存在，不覆盖 (refusing to overwrite an existing file)"
            ) from exc
        return BackupSummary(
            path=destination,
            engine=snapshot.engine,
            tree_size=snapshot.ledger["tree_size"],
            checkpoint_size=snapshot.checkpoint["size"] if snapshot.checkpoint else None,
            files=len(snapshot.files) - len(missing),
            file_bytes=file_bytes,
            archive_bytes=destination.stat().st_size,
            warnings=warnings,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# Reading ------------------------------------------------------------------------------------


def _members(archive: Path) -> Iterator[tuple[tarfile.TarInfo, BinaryIO]]:
    """The archive's regular files in order, streamed (works for gzip too)."""
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            for info in tar:
                if not info.isfile():
                    raise BackupError(f"备份文件中有非普通文件成员 {info.name!r} (unexpected member)")
                yield info, tar.extractfile(info)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"备份文件无法读取或已损坏 (unreadable archive): {exc}") from exc


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _manifest_shape_problem(manifest: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a manifest (what restore reads of it), or None: a
    manifest with a field missing or of another type is refused as the damaged archive it is,
    not met later as a KeyError (a traceback, and possibly half-way through)."""
    from sanxiang.ledger.merkle import UnsupportedHashError, hasher_for

    members = manifest.get("members")
    if not isinstance(members, list) or not all(
        isinstance(m, dict) and _is_text(m.get("name")) and _is_int(m.get("size")) and _is_text(m.get("sha256"))
        for m in members
    ):
        return "members"
    names = {m["name"] for m in members}
    if len(names) != len(members):
        return "members（重复 duplicate）"
    engine = manifest.get("engine")
    if engine not in ("sqlite", "postgresql"):
        return "engine"
    if not _is_text(manifest.get("created_at")):
        return "created_at"
    ledger = manifest.get("ledger")
    if not isinstance(ledger, dict):
        return "ledger"
    if not _is_int(ledger.get("tree_size")):
        return "ledger.tree_size"
    for key in ("algorithm", "origin", "key_name"):
        if not _is_text(ledger.get(key)):
            return f"ledger.{key}"
    if not (ledger.get("root") is None or _is_text(ledger.get("root"))):
        return "ledger.root"
    try:
        hasher_for(ledger["algorithm"])
    except (UnsupportedHashError, ValueError):
        return "ledger.algorithm"
    files = manifest.get("files")
    if not isinstance(files, dict) or not _is_int(files.get("count")):
        return "files.count"
    held = manifest.get("keys")
    if not isinstance(held, dict) or not all(isinstance(held.get(k), bool) for k in ("secret_key", "ledger_signing_key")):
        return "keys"
    if held["ledger_signing_key"] != (LEDGER_KEY_MEMBER in names) or held["secret_key"] != (SECRET_KEY_MEMBER in names):
        return "keys（与成员不符 does not match the members）"
    migrations = manifest.get("migrations")
    if not isinstance(migrations, list) or not all(
        isinstance(m, list) and len(m) == 2 and all(_is_text(part) for part in m) for m in migrations
    ):
        return "migrations"
    tables = manifest.get("tables")
    if not isinstance(tables, list) or not all(
        isinstance(t, dict)
        and _is_text(t.get("name"))
        and re.fullmatch(r"[a-z_][a-z0-9_]*", t["name"])
        and t.get("member") == f"{PG_PREFIX}{t['name']}.copy"
        and t["member"] in names
        and isinstance(t.get("columns"), list)
        and t["columns"]
        and all(_is_text(c) for c in t["columns"])
        for t in tables
    ):
        return "tables"
    copies = {name for name in names if _TABLE_RE.fullmatch(name)}
    if engine == "sqlite" and (SQLITE_MEMBER not in names or tables or copies):
        return "engine（SQLite 备份应只有 database/sanxiang.sqlite3）"
    if engine == "postgresql":
        entry = next((t for t in tables if t["name"] == Entry._meta.db_table), None)
        if (
            SQLITE_MEMBER in names
            or copies != {t["member"] for t in tables}
            or entry is None
            or not {"seq", "body"} <= set(entry["columns"])
        ):
            return "tables（PostgreSQL 备份的表与成员不符）"
    return None


def _manifest_shape_check(manifest: dict[str, Any]) -> None:
    problem = _manifest_shape_problem(manifest)
    if problem is not None:
        raise BackupError(
            f"manifest.json 的内容不完整或格式不对（{problem}），备份文件已损坏或被改动，未恢复任何内容 "
            f"(malformed manifest: {problem})"
        )


def archive_check(archive: str | os.PathLike) -> dict[str, Any]:
    """Read the whole archive, check every member against the manifest's SHA-256 and size, and
    return the manifest. Nothing is written."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive} (no such file)")
    seen: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    for info, stream in _members(archive):
        if info.name in seen or (info.name == MANIFEST and manifest_bytes is not None):
            raise BackupError(f"备份文件中成员 {info.name!r} 重复 (duplicate member)")
        if info.name == MANIFEST:
            manifest_bytes = stream.read()
            continue
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: stream.read(READ_SIZE), b""):  # noqa: B023 (consumed at once)
            digest.update(chunk)
            size += len(chunk)
        seen[info.name] = (size, digest.hexdigest())
    if manifest_bytes is None:
        raise BackupError("备份文件中没有 manifest.json，不是 sanxiang backup 生成的备份 (no manifest)")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError("manifest.json 无法解析 (invalid manifest)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不是 sanxiang backup 生成的备份 (not a Sanxiang backup)")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本 {manifest.get('version')!r} 不受本程序支持 (unsupported format version)"
        )
    _manifest_shape_check(manifest)
    listed = {m["name"]: (m["size"], m["sha256"]) for m in manifest["members"]}
    problems = []
    for name in sorted(set(listed) | set(seen)):
        if name not in seen:
            problems.append(f"缺少成员 {name}")
        elif name not in listed:
            problems.append(f"多出未登记的成员 {name}")
        elif seen[name] != tuple(listed[name]):
            problems.append(f"成员 {name} 的 SHA-256 或大小与清单不符")
    if problems:
        shown = "；".join(problems[:20]) + (f"；等 {len(problems)} 处" if len(problems) > 20 else "")
        raise BackupError(f"备份文件已损坏或被改动，未恢复任何内容 (archive fails its manifest): {shown}")
    for name in listed:
        if not (
            name in (SQLITE_MEMBER, SECRET_KEY_MEMBER, LEDGER_KEY_MEMBER, CHECKPOINT_MEMBER)
            or _BLOB_RE.fullmatch(name)
            or _TABLE_RE.fullmatch(name)
        ):
            raise BackupError(f"备份文件中有未知成员 {name!r} (unknown member)")
    return manifest


def archive_read_member(archive: str | os.PathLike, name: str) -> bytes | None:
    for info, stream in _members(Path(archive)):
        if info.name == name:
            return stream.read()
    return None


# Restoring ----------------------------------------------------------------------------------

DEFAULT_LEDGER_ID = DEFAULT_LEDGER  # the ledger a backup's manifest describes


@dataclass(frozen=True)
class PublishedCheckpoint:
    label: str
    size: int
    root: bytes
    ledger_id: int = DEFAULT_LEDGER_ID


@dataclass(frozen=True)
class FoundCheckpoint:
    """The newest checkpoint of one ledger of the installation being replaced."""

    label: str
    note: str
    ledger_id: int
    origin: str


@dataclass
class InstallationLedger:
    """What the installation being replaced has published or written: its ledgers' newest
    checkpoints, and whether its ledger is known to be empty (no entry, no checkpoint)."""

    checkpoints: list[FoundCheckpoint] = field(default_factory=list)
    empty: bool = False


@dataclass
class ForkAssessment:
    tree_size: int
    reachable: list[PublishedCheckpoint]  # within the backup's ledger, and consistent with it
    unreachable: list[PublishedCheckpoint]  # beyond the backup's last entry
    inconsistent: list[PublishedCheckpoint] = field(default_factory=list)  # within, but another root
    key_change: KeyChange | None = None  # accepted with --accept-key-change: recorded with the fork
    sizes: dict[int, int] = field(default_factory=dict)  # each ledger's size in the archive

    def size_of(self, ledger_id: int) -> int:
        return self.sizes.get(ledger_id, self.tree_size if ledger_id == DEFAULT_LEDGER_ID else 0)

    @property
    def forks(self) -> bool:
        return bool(self.unreachable or self.inconsistent)

    def explanation(self) -> str:
        parts = []
        if self.unreachable:
            newest = max(self.unreachable, key=lambda c: (c.ledger_id == DEFAULT_LEDGER_ID, c.size))
            size = self.size_of(newest.ledger_id)
            which = "" if newest.ledger_id == DEFAULT_LEDGER_ID else f"（编号 {newest.ledger_id} 的账本）"
            parts.append(
                f"此备份的账本{which}只有 {size} 条记录，但已公布的签名检查点 {newest.label} 已覆盖 "
                f"{newest.size} 条：第 {size}..{newest.size - 1} 号记录（共 {newest.size - size} 条）"
                "在备份之后写入，不在备份中。若照常恢复并继续记账，新记录将占用同样的序号而内容不同，"
                "账本会与已公布的内容分叉。\n"
                f"The backup's ledger has {size} entries but the published checkpoint {newest.label} "
                f"signs {newest.size}: entries {size}..{newest.size - 1} were written after the backup. "
                "Continuing from this backup would fork the ledger from what was published."
            )
        for cp in self.inconsistent:
            parts.append(
                f"已公布的签名检查点 {cp.label} 签署了前 {cp.size} 条记录的根哈希，而此备份中前 {cp.size} 条记录的根哈希与之不同："
                "备份中的账本与已公布的内容不一致（已分叉）。\n"
                f"The published checkpoint {cp.label} signs another root for the first {cp.size} entries than "
                "the backup's ledger has: the backup is not consistent with what was published."
            )
        parts.append(
            "先找更新的备份；若确无更新的备份，可加 --accept-fork 恢复：这会在账本中追加一条“账本自备份恢复”记录，"
            "写明所恢复的备份、与之不符的已公布检查点和缺失的序号区间，使分叉在账本中可见。"
        )
        return "\n".join(parts)


@dataclass(frozen=True)
class KeyChange:
    """Why the backup's ledger key cannot be taken for the installation's: what the operator
    accepts with --accept-key-change, and what the `ledger.restored` entry then records."""

    reason: str
    backup_vkey: str | None
    installation_vkey: str | None

    def as_payload(self) -> dict[str, Any]:
        return {"backup_key": self.backup_vkey, "installation_key": self.installation_vkey, "reason": self.reason}


def installation_verifier() -> Any:
    """The ledger key of the installation the settings point at (SANXIANG_LEDGER_SIGNING_KEY, or
    the key file in its data folder), as a Verifier; None when it has none. Never creates a key
    (keys.verifier_get would, in a data folder that has none)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sanxiang.ledger.notes import NoteError, Signer

    try:
        configured = os.environ.get(keys.ENV_KEY, "")
        if configured:
            seed = keys._seed_from_base64(configured, keys.ENV_KEY)
        else:
            path = keys.key_file_path()
            if not path.is_file():
                return None
            seed = keys._seed_read(path)
        return Signer(keys.ledger_key_name(), Ed25519PrivateKey.from_private_bytes(seed)).verifier
    except (ImproperlyConfigured, NoteError, OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"本安装的账本签名密钥无法读取 (cannot read this installation's ledger key): {exc}") from exc


def published_checkpoints_check(
    *,
    manifest: dict[str, Any],
    notes: list[tuple[str, str]],
    found: list[FoundCheckpoint] = (),
    ledger_key: bytes | None,
    trusted_vkeys: list[str],
    installation: Any = None,
    accept_key_change: bool = False,
) -> ForkAssessment:
    """Verify the signatures of the published checkpoints the operator gives (label, note text;
    the default ledger's) and of the installation's own (`found`, each ledger's newest). They are
    all returned as `reachable`: `published_consistency_check` then sorts them against the
    archive's own entries (the manifest's sizes are not signed, so they decide nothing).

    The backup's key is not trusted on its own word: the manifest is not signed, so whoever
    holds the file can put another key in it (and drop the checkpoints the old one signed). So
    the installation's checkpoints are verified with the installation's key (`installation`, its
    Verifier or None) and the trusted keys, never with the backup's alone; and a backup whose key
    is not the installation's, or an installation checkpoint that verifies under none of these,
    is refused (KeyRefused) unless `accept_key_change`: then the installation's checkpoint counts
    as published all the same (it was served) and the change is recorded with the fork."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sanxiang.ledger.merkle import hasher_for
    from sanxiang.ledger.notes import (
        NoteError,
        Signer,
        Verifier,
        checkpoint_parse,
        checkpoint_verify,
        note_parse,
    )

    ledger = manifest["ledger"]
    backup_verifier = None
    try:
        if ledger_key is not None:
            seed = keys._seed_from_base64(ledger_key.decode("ascii", "replace"), "备份中的账本签名密钥")
            backup_verifier = Signer(ledger["key_name"], Ed25519PrivateKey.from_private_bytes(seed)).verifier
    except (ImproperlyConfigured, NoteError) as exc:
        raise BackupError(f"账本签名密钥无效 (invalid ledger signing key): {exc}") from exc
    try:
        vkeys = [*getattr(settings, "SANXIANG_LEDGER_TRUSTED_KEYS", []), *trusted_vkeys]
        trusted = [Verifier.from_vkey(v) for v in vkeys]
    except NoteError as exc:
        raise BackupError(f"受信任的检查点公钥无效 (invalid trusted key): {exc}") from exc
    own = [v for v in (backup_verifier, installation) if v is not None]
    verifiers = [*own, *trusted]
    # The installation's own checkpoint: its key when it has one (the backup's only when the
    # installation's key is gone with the rest of it).
    installation_verifiers = [installation if installation is not None else backup_verifier, *trusted]
    installation_verifiers = [v for v in installation_verifiers if v is not None]
    key_change = None
    if (
        backup_verifier is not None
        and installation is not None
        and backup_verifier.public_key != installation.public_key
    ):
        key_change = KeyChange(
            "备份中的账本签名密钥不是本安装的密钥 (the backup's ledger key is not this installation's)",
            backup_verifier.vkey,
            installation.vkey,
        )
    digest_size = hasher_for(ledger["algorithm"]).digest_size
    checked = []
    claims = [(label, note, DEFAULT_LEDGER_ID, ledger["origin"], True) for label, note in notes]
    claims += [(cp.label, cp.note, cp.ledger_id, cp.origin, False) for cp in found]
    for label, note, ledger_id, origin, given in claims:
        try:
            signed = checkpoint_verify(
                note,
                verifiers if given else installation_verifiers,
                origin=origin,
                digest_size=digest_size,
            )
        except NoteError as exc:
            if given:
                raise BackupError(
                    f"检查点 {label} 的签名无法用本账本的密钥验证，未恢复任何内容 (checkpoint does not verify): {exc}"
                ) from exc
            if key_change is None:
                key_change = KeyChange(
                    f"被替换安装的检查点 {label} 无法用本安装的密钥或受信任的密钥验证 "
                    f"(the installation's own checkpoint does not verify with its key): {exc}",
                    backup_verifier.vkey if backup_verifier is not None else None,
                    installation.vkey if installation is not None else None,
                )
            try:  # served from this installation all the same: what it says counts
                signed = checkpoint_parse(note_parse(note)[0], digest_size=digest_size)
            except NoteError as unreadable:
                raise BackupError(
                    f"被替换安装的检查点 {label} 无法读取 (the installation's checkpoint is unreadable): {unreadable}"
                ) from unreadable
        checked.append(PublishedCheckpoint(label, signed.size, signed.root, ledger_id))
    if key_change is not None and not accept_key_change:
        raise KeyRefused(
            "备份的账本签名密钥与本安装的不符，未恢复任何内容 (ledger key mismatch: nothing restored)\n"
            f"{key_change.reason}\n"
            "备份清单没有签名，持有备份文件的人可以换上另一把密钥、删去旧密钥签署的检查点，使早于已公布内容的备份看似无碍。"
            "请确认此备份确是本安装的；若确实换过密钥（或恢复的是另一安装的备份），可加 --accept-key-change 恢复："
            "这会在账本中追加一条“账本自备份恢复”记录，写明两把密钥；早于已公布检查点的备份仍需 --accept-fork。\n"
            "The manifest is not signed: whoever holds the file can swap the key. Check that the backup is this "
            "installation's; if the key really changed, --accept-key-change restores and records the change."
        )
    return ForkAssessment(
        tree_size=int(ledger["tree_size"]), reachable=checked, unreachable=[], key_change=key_change
    )


def installation_checkpoint_read(*, target: str | os.PathLike) -> InstallationLedger:
    """The newest checkpoint of each ledger of the SQLite installation the settings point at
    (typically the damaged one being replaced), read-only and only if its database file exists:
    they were served at /ledger/checkpoint, so they count as published. `empty` when that
    database holds no ledger entry and no checkpoint: its key then never signed anything anyone
    may hold (a fresh machine whose service started once), so it is no key to defend."""
    if connection.vendor != "sqlite":
        return InstallationLedger()  # on PostgreSQL the configured database is the (empty) restore target
    path = Path(str(connection.settings_dict.get("NAME") or ""))
    if not path.is_file() or Path(target).absolute() in path.absolute().parents:
        return InstallationLedger()
    checkpoints, entry_table, ledger_table = Checkpoint._meta.db_table, Entry._meta.db_table, Ledger._meta.db_table
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(
                f"SELECT c.ledger_id, c.id, c.note FROM {checkpoints} c WHERE c.id = ("
                f"SELECT d.id FROM {checkpoints} d WHERE d.ledger_id = c.ledger_id ORDER BY d.size DESC, d.id DESC LIMIT 1"
                ") ORDER BY c.ledger_id"
            ).fetchall()
            names = dict(db.execute(f"SELECT id, name FROM {ledger_table}").fetchall())
            any_entry = db.execute(f"SELECT 1 FROM {entry_table} LIMIT 1").fetchone() is not None
        finally:
            db.close()
    except sqlite3.Error:
        return InstallationLedger()
    origin = keys.ledger_origin()
    found = [
        FoundCheckpoint(
            f"{path}#{row_id}",
            note,
            ledger_id,
            origin if ledger_id == DEFAULT_LEDGER_ID else f"{origin}/{names.get(ledger_id, ledger_id)}",
        )
        for ledger_id, row_id, note in rows
    ]
    return InstallationLedger(checkpoints=found, empty=not found and not any_entry)


def _pg_copy_field(text: str) -> str:
    """Undo COPY's text-format escaping of one field (enough for integers and hex bytea)."""
    return text.replace("\\\\", "\\")


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """Lines of a streamed tar member (COPY text escapes newlines inside values)."""
    pending = b""
    for chunk in iter(lambda: stream.read(READ_SIZE), b""):
        *complete, pending = (pending + chunk).split(b"\n")
        yield from complete
    if pending:
        yield pending


def _copy_rows(archive: Path, manifest: dict[str, Any], model: Any, columns: list[str]) -> Iterator[list[str]]:
    """The named columns of a PostgreSQL backup's COPY member of `model`'s table."""
    table = next((t for t in manifest["tables"] if t["name"] == model._meta.db_table), None)
    if table is None:
        raise BackupError(f"备份中没有 {model._meta.db_table} 表 (table missing from the backup)")
    at = [table["columns"].index(c) if c in table["columns"] else None for c in columns]
    for info, stream in _members(archive):
        if info.name == table["member"]:
            for line in _lines(stream):
                fields = line.decode("utf-8").split("\t")
                yield [str(DEFAULT_LEDGER_ID) if i is None else fields[i] for i in at]
            return


def _ledger_rows(
    archive: Path, manifest: dict[str, Any], workdir: Path, ledger_ids: set[int]
) -> tuple[dict[int, int], Iterator[tuple[int, int, bytes]]]:
    """From the archive itself: each ledger's head size, and (ledger, seq, body) of the entries of
    `ledger_ids` in (ledger, seq) order. A backup made before there were several ledgers has
    no ledger column: all its entries are the default ledger's."""
    if manifest["engine"] == "sqlite":
        copy_path = workdir / SQLITE_FILE_NAME
        for info, stream in _members(archive):
            if info.name == SQLITE_MEMBER:
                _extract_to(stream, copy_path)
                break
        db = sqlite3.connect(f"file:{copy_path}?mode=ro", uri=True)
        heads = {int(i): int(n) for i, n in db.execute(f"SELECT id, size FROM {Head._meta.db_table}")}
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({Entry._meta.db_table})")}
        ledger = "ledger_id" if "ledger_id" in columns else str(DEFAULT_LEDGER_ID)
        wanted = ", ".join(str(int(i)) for i in sorted(ledger_ids)) or "NULL"

        def rows() -> Iterator[tuple[int, int, bytes]]:
            try:
                for ledger_id, seq, body in db.execute(
                    f"SELECT {ledger}, seq, body FROM {Entry._meta.db_table} WHERE {ledger} IN ({wanted})"
                    f" ORDER BY {ledger}, seq"
                ):
                    yield int(ledger_id), int(seq), bytes(body)
            finally:
                db.close()

        return heads, rows()
    heads = {int(i): int(n) for i, n in _copy_rows(archive, manifest, Head, ["id", "size"])}
    found = []
    for ledger_id, seq, body in _copy_rows(archive, manifest, Entry, ["ledger_id", "seq", "body"]):
        if int(ledger_id) not in ledger_ids:
            continue
        body = _pg_copy_field(body)
        if not body.startswith("\\x"):
            raise BackupError("备份中的账本记录格式无法识别 (unexpected bytea format)")
        found.append((int(ledger_id), int(seq), bytes.fromhex(body[2:])))
    found.sort()
    return heads, iter(found)


def published_consistency_check(
    *, archive: str | os.PathLike, manifest: dict[str, Any], assessment: ForkAssessment
) -> None:
    """Take each ledger's size from the archive's own entries and heads (the manifest's is not
    signed: one that disagrees is refused), and sort the published checkpoints against it:
    beyond the backup's entries (`unreachable`), or within them but with another root, or a root
    that cannot be recomputed from them, entries missing (`inconsistent`): both make the restored
    ledger a fork. Done before anything is written, so that a refusal leaves the folder and the
    database untouched."""
    from sanxiang.ledger.merkle import CompactRange, hasher_for

    hasher = hasher_for(manifest["ledger"]["algorithm"])
    checkpoints = [*assessment.reachable, *assessment.unreachable, *assessment.inconsistent]
    wanted: dict[int, set[int]] = {DEFAULT_LEDGER_ID: set()}
    for cp in checkpoints:
        wanted.setdefault(cp.ledger_id, set()).add(cp.size)
    roots: dict[tuple[int, int], bytes] = {}
    ends: dict[int, int] = {}  # one past the largest seq, per ledger
    ranges: dict[int, CompactRange] = {}
    with tempfile.TemporaryDirectory(prefix="sanxiang-restore-check-") as workdir:
        try:
            heads, rows = _ledger_rows(Path(archive), manifest, Path(workdir), set(wanted))
            for ledger_id, seq, body in rows:
                ends[ledger_id] = max(ends.get(ledger_id, 0), seq + 1)
                cr = ranges.setdefault(ledger_id, CompactRange(hasher))
                if seq != cr.size:
                    continue  # a gap (or a duplicate): roots beyond it cannot be recomputed
                cr.append(hasher.leaf(body))
                if cr.size in wanted[ledger_id]:
                    roots[ledger_id, cr.size] = cr.root()
        except (sqlite3.Error, ValueError, IndexError, TypeError, UnicodeDecodeError) as exc:
            raise BackupError(
                f"备份中的账本记录无法读取，未恢复任何内容 (the backed-up ledger entries cannot be read): {exc}"
            ) from exc
    sizes = {i: max(heads.get(i, 0), ends.get(i, 0)) for i in wanted}
    claimed = int(manifest["ledger"]["tree_size"])
    archived = (ends.get(DEFAULT_LEDGER_ID, 0), heads.get(DEFAULT_LEDGER_ID, 0))
    if any(size != claimed for size in archived):
        raise BackupError(
            f"备份清单写明账本有 {claimed} 条记录，而备份中的账本记录有 {archived[0]} 条、账本头记为 {archived[1]} 条："
            "清单与备份内容不符，未恢复任何内容 (the manifest's ledger.tree_size disagrees with the archived ledger)"
        )
    default = ranges.get(DEFAULT_LEDGER_ID)
    claimed_root = manifest["ledger"].get("root")
    if claimed and default is not None and default.size == claimed and claimed_root is not None:
        if claimed_root != base64.b64encode(default.root()).decode():
            raise BackupError(
                "备份清单中的账本根哈希与备份中的账本记录算出的不符，未恢复任何内容 "
                "(the manifest's ledger.root disagrees with the archived entries)"
            )
    for ledger_id in wanted:
        roots.setdefault((ledger_id, 0), hasher.empty_root())
    assessment.sizes = sizes
    assessment.tree_size = sizes[DEFAULT_LEDGER_ID]
    assessment.reachable, assessment.unreachable, assessment.inconsistent = [], [], []
    for cp in checkpoints:
        if cp.size > sizes[cp.ledger_id]:
            assessment.unreachable.append(cp)
        elif roots.get((cp.ledger_id, cp.size)) != cp.root:
            assessment.inconsistent.append(cp)  # another root, or none recomputable: entries missing
        else:
            assessment.reachable.append(cp)


def _target_dir_check(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(
            f"目标目录 {target} 已存在且不为空：恢复只写入新的数据目录 (target folder not empty)"
        )


def _postgresql_target_check(manifest: dict[str, Any]) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"DATABASE_URL 所指的数据库 {connection.settings_dict['NAME']} 不是空的（有 {len(tables)} 张表）："
            "恢复只写入新建的空数据库 (the target database must be empty)"
        )
    _migrations_check(manifest["migrations"])


def _migrations_check(migrations: list[list[str]]) -> None:
    """The backup's applied migrations are exactly this version's: restoring another version's
    schema would leave a database the code does not expect (on SQLite, a file `migrate` would
    then change on the first start; on PostgreSQL, COPY into tables of another shape)."""
    from django.db.migrations.loader import MigrationLoader

    # Without a connection: the graph of this version's code, whatever any database holds (and
    # no SQLite file is created by looking).
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.nodes}
    backed = {f"{app}.{name}" for app, name in migrations}
    if backed != known:
        raise BackupError(
            "备份时的数据库结构与本程序版本不同（迁移 "
            f"{len(backed - known)} 个仅在备份中、{len(known - backed)} 个仅在本程序中）：请用备份时的版本恢复，"
            "再升级并运行 sanxiang migrate (the backup was taken by another version)"
        )


def _extract_to(stream: BinaryIO, path: Path, *, mode: int = 0o600) -> None:
    private_dir_make(path.parent)
    with open(private_file_open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode=0o600), "wb") as out:
        shutil.copyfileobj(stream, out, READ_SIZE)
        out.flush()
        os.fsync(out.fileno())
    if mode != 0o600:
        os.chmod(path, mode)


def _sqlite_migrations_check(path: Path, manifest: dict[str, Any]) -> None:
    """The restored SQLite file's own migration list, which is what counts, is the manifest's
    (checked against this version before anything was written)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            applied = [list(row) for row in db.execute("SELECT app, name FROM django_migrations ORDER BY id")]
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise BackupError(f"备份中的数据库无法读取 (the backed-up database cannot be read): {exc}") from exc
    if sorted(applied) != sorted(manifest["migrations"]):
        _migrations_check(applied)  # names the difference with this version
        raise BackupError("备份中数据库的迁移记录与清单不符，未恢复任何内容 (database migrations differ from the manifest)")


@dataclass
class RestoreResult:
    target: Path
    engine: str
    tree_size: int
    files: int


def restore_into(
    *, archive: str | os.PathLike, manifest: dict[str, Any], target: str | os.PathLike
) -> RestoreResult:
    """Write the archive (already checked by `archive_check`) into the new data folder `target`
    and, for PostgreSQL, into the empty database of the current connection. The folder is
    assembled under a temporary name beside it and renamed at the end; the database rows are
    loaded in one transaction."""
    target = Path(target).absolute()
    engine = manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(
            f"备份来自 {engine} 数据库，而当前 DATABASE_URL 指向 {connection.vendor}：不支持跨数据库恢复 "
            "(restore into the same kind of database)"
        )
    _target_dir_check(target)
    if engine == "postgresql":
        _postgresql_target_check(manifest)
    else:
        _migrations_check(manifest["migrations"])
    private_dir_make(target.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restoring-", dir=target.parent))
    store = LocalBlobStore(staging / "evidence")
    files = 0
    try:
        if engine == "postgresql":
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic() if engine == "postgresql" else contextlib.nullcontext():
            if engine == "postgresql":
                _postgresql_truncate()
            tables = {t["member"]: t for t in manifest.get("tables", [])}
            for info, stream in _members(Path(archive)):
                name = info.name
                if name == SQLITE_MEMBER:
                    _extract_to(stream, staging / SQLITE_FILE_NAME)
                    _sqlite_migrations_check(staging / SQLITE_FILE_NAME, manifest)
                elif name in tables:
                    _postgresql_copy_in(tables[name], stream)
                elif match := _BLOB_RE.fullmatch(name):
                    _extract_to(stream, store.path(match.group(3)), mode=0o400)
                    files += 1
                elif name == SECRET_KEY_MEMBER:
                    _extract_to(stream, staging / SECRET_KEY_FILE)
                elif name == LEDGER_KEY_MEMBER:
                    _extract_to(stream, staging / keys.KEY_FILE_NAME)
            if engine == "postgresql":
                _postgresql_sequences_reset()
        data_dir_ensure(staging)
        if target.exists():
            target.rmdir()  # checked empty above
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreResult(
        target=target,
        engine=engine,
        tree_size=int(manifest["ledger"]["tree_size"]),
        files=files,
    )


def _postgresql_truncate() -> None:
    """Empty what `migrate` wrote (content types, permissions, the migration list) before the
    backup's rows go in. TRUNCATE bypasses the ledger's row triggers, in this fresh database."""
    qn = connection.ops.quote_name
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} CASCADE")


def _postgresql_copy_in(table: dict[str, Any], stream: BinaryIO) -> None:
    qn = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    if table["name"] not in existing:
        raise BackupError(f"备份中的表 {table['name']} 在本程序的数据库结构中不存在 (unknown table)")
    columns = ", ".join(qn(c) for c in table["columns"])
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {qn(table['name'])} ({columns}) FROM STDIN") as copy:
        for chunk in iter(lambda: stream.read(READ_SIZE), b""):
            copy.write(chunk)


def _postgresql_sequences_reset() -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def restored_data_use(*, target: Path, engine: str) -> None:
    """Point this process at the restored data folder (and, for SQLite, its database), so that
    the verification and the fork record run on what was restored."""
    from django.db import connections

    settings.DATA_DIR = target
    if engine == "sqlite":
        default = connections["default"]
        default.close()
        default.settings_dict["NAME"] = str(target / SQLITE_FILE_NAME)
        settings.DATABASES["default"]["NAME"] = str(target / SQLITE_FILE_NAME)


def fork_record(*, manifest: dict[str, Any], assessment: ForkAssessment) -> int:
    """Append the entry that makes a fork visible in the ledger itself: this ledger continues
    from a backup that published checkpoints go beyond, or whose ledger key the operator accepted
    in place of the installation's (`ledger_key_change`). Returns its seq."""
    from sanxiang.ledger.events import EventKind, LedgerEvent
    from sanxiang.ledger.services import entry_append

    def described(checkpoints: list[PublishedCheckpoint]) -> list[dict[str, Any]]:
        return [
            {"source": Path(c.label).name, "size": c.size, "root": base64.b64encode(c.root).decode()}
            | ({} if c.ledger_id == DEFAULT_LEDGER_ID else {"ledger_id": c.ledger_id})
            for c in sorted(checkpoints, key=lambda c: (c.ledger_id, c.size))
        ]

    # The missing seqs of the default ledger, which this entry is written to (the manifest's).
    newest = max(
        (c.size for c in assessment.unreachable if c.ledger_id == DEFAULT_LEDGER_ID), default=assessment.tree_size
    )
    note = (
        "账本自备份恢复：上述已公布的检查点与恢复后的账本不一致，此后的记录与已公布的内容分叉"
        if assessment.forks
        else "账本自备份恢复：备份的账本签名密钥不是被替换安装的密钥，经操作人确认（--accept-key-change）后恢复"
    )
    payload = {
        "backup_created_at": manifest["created_at"],
        "backup_tree_size": assessment.tree_size,
        "backup_root": manifest["ledger"]["root"],
        "unreachable_checkpoints": described(assessment.unreachable),
        "inconsistent_checkpoints": described(assessment.inconsistent),
        "missing_seqs": {"first": assessment.tree_size, "last": newest - 1}
        if newest > assessment.tree_size
        else None,
        "missing_count": newest - assessment.tree_size,
        "ledger_key_change": assessment.key_change.as_payload() if assessment.key_change else None,
        "note": note,
    }
    with transaction.atomic():
        entry = entry_append(event=LedgerEvent(EventKind.LEDGER_RESTORED, payload, subject="ledger"))
    return entry.seq


def note_files_read(paths: list[str]) -> list[tuple[str, str]]:
    notes = []
    for path in paths:
        try:
            notes.append((path, Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise BackupError(f"无法读取检查点文件 {path} (cannot read checkpoint file): {exc}") from exc
    return notes

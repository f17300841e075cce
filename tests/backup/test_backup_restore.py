"""Issue 10 item 13: `sanxiang backup FILE` and `sanxiang restore FILE DIR`, run as an operator
runs them (their own processes, on a real data folder): the round trip on both engines, a
backup taken while another process writes, a damaged archive, and a backup older than a
published checkpoint."""

import base64
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.backup.conftest import SEED, env_for, sanxiang, seed

OK = "OK: everything recomputes"


@pytest.fixture
def source(seeded, tmp_path):
    """A copy of the seeded data folder, for this test alone."""
    data = tmp_path / "source"
    shutil.copytree(seeded[0], data)
    return data


def blobs(data: Path) -> dict[str, bytes]:
    root = data / "evidence"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.parent.name != "tmp"
    }


def last_entry(database: Path) -> tuple[str, dict]:
    with sqlite3.connect(database) as conn:
        kind, body = conn.execute("SELECT kind, body FROM ledger_entry ORDER BY seq DESC LIMIT 1").fetchone()
    return kind, json.loads(body)


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


@pytest.mark.engine_independent
def test_round_trip_on_sqlite_brings_back_database_files_and_keys(source, tmp_path):
    env = env_for(source)
    published = tmp_path / "published.txt"
    checkpoint = sanxiang("checkpoint", env=env)
    assert checkpoint.returncode == 0, checkpoint.stderr
    published.write_text(checkpoint.stdout)
    archive = tmp_path / "backup.tar"

    made = sanxiang("backup", archive, env=env)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds the keys
    manifest = manifest_of(archive)
    assert manifest["engine"] == "sqlite"
    assert manifest["keys"] == {"secret_key": True, "ledger_signing_key": True}
    assert manifest["files"]["count"] == 2 and manifest["files"]["missing"] == []

    target = tmp_path / "restored"
    restored = sanxiang(
        "restore", archive, target, "--checkpoint", published, env=env_for(tmp_path / "elsewhere")
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert OK in restored.stdout
    assert f"{manifest['ledger']['tree_size']} entries" in restored.stdout
    assert "2 checkpoints" in restored.stdout  # the stored one and the published one given
    assert blobs(target) == blobs(source) and len(blobs(target)) == 2
    for key in ("secret_key", "ledger_ed25519.key"):
        assert (target / key).read_bytes() == (source / key).read_bytes()
    with sqlite3.connect(target / "sanxiang.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM evidence_evidencerecord").fetchone() == (3,)
    assert all(not (p.stat().st_mode & 0o077) for p in [target, *target.rglob("*")])

    # The restored folder is a working installation: `verify` there, and writing goes on.
    seed("write", 1, env=env_for(target))
    again = sanxiang("verify", env=env_for(target))
    assert again.returncode == 0 and OK in again.stdout, again.stdout


@pytest.mark.engine_independent
def test_restore_refuses_a_damaged_archive_or_a_used_folder_and_writes_nothing(source, tmp_path):
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env_for(source)).returncode == 0
    with tarfile.open(archive) as tar:
        blob = next(m for m in tar.getmembers() if m.name.startswith("files/evidence/"))
    raw = bytearray(archive.read_bytes())
    raw[blob.offset_data + 100] ^= 0xFF  # one byte of one stored file
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(raw))

    target = tmp_path / "restored"
    result = sanxiang("restore", damaged, target, env=env_for(tmp_path / "elsewhere"))
    assert result.returncode == 2
    assert f"成员 {blob.name} 的 SHA-256 或大小与清单不符" in result.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "restoring" in p.name] == []

    # A sound archive, but into a folder that holds something: refused too.
    into_used = sanxiang("restore", archive, source, env=env_for(tmp_path / "elsewhere"))
    assert into_used.returncode == 2
    assert "不为空" in into_used.stderr


@pytest.mark.engine_independent
def test_backup_older_than_a_published_checkpoint_is_refused_then_recorded_with_accept_fork(source, tmp_path):
    env = env_for(source)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    backed_up = manifest_of(archive)["ledger"]["tree_size"]
    # Work goes on after the backup, and a checkpoint of it is published.
    seed("write", 3, env=env)
    published = tmp_path / "published.txt"
    checkpoint = sanxiang("checkpoint", env=env)
    published.write_text(checkpoint.stdout)
    published_size = int(checkpoint.stdout.splitlines()[1])
    assert published_size == backed_up + 3

    target = tmp_path / "restored"
    # Run where the settings point at the installation being replaced: its own newest checkpoint
    # (served at /ledger/checkpoint, so published) is found without being given.
    found = sanxiang("restore", archive, target, env=env)
    assert found.returncode == 3, found.stdout + found.stderr
    assert f"{source / 'sanxiang.sqlite3'}#" in found.stderr
    assert f"第 {backed_up}..{published_size - 1} 号记录（共 3 条）" in found.stderr
    assert not target.exists()

    # With no checkpoint given and none found, nothing can be compared: the operator is told so
    # (it restored without a word, and the ledger could fork unnoticed).
    unchecked = sanxiang("restore", archive, tmp_path / "unchecked", env=env_for(tmp_path / "elsewhere"))
    assert unchecked.returncode == 0, unchecked.stdout + unchecked.stderr
    assert "未提供已公布的检查点" in unchecked.stderr and "cannot be checked" in unchecked.stderr

    refused = sanxiang(
        "restore", archive, target, "--checkpoint", published, env=env_for(tmp_path / "elsewhere")
    )
    assert refused.returncode == 3
    assert "备份早于已公布的检查点，未恢复任何内容" in refused.stderr
    assert f"第 {backed_up}..{published_size - 1} 号记录（共 3 条）" in refused.stderr
    assert "--accept-fork" in refused.stderr
    assert not target.exists()

    accepted = sanxiang(
        "restore",
        archive,
        target,
        "--checkpoint",
        published,
        "--accept-fork",
        env=env_for(tmp_path / "elsewhere"),
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert f"Fork recorded as ledger entry {backed_up}" in accepted.stdout
    assert OK in accepted.stdout
    kind, body = last_entry(target / "sanxiang.sqlite3")
    assert kind == "ledger.restored"
    assert body["seq"] == backed_up
    assert body["payload"]["backup_tree_size"] == backed_up
    assert body["payload"]["missing_seqs"] == {"first": backed_up, "last": published_size - 1}
    assert [c["size"] for c in body["payload"]["unreachable_checkpoints"]] == [published_size]
    # The published checkpoint no longer matches this ledger, and `verify` says so when given it.
    diverged = sanxiang("verify", "--checkpoint", published, env=env_for(target))
    assert diverged.returncode == 1


def checkpoint_forge(data: Path, size: int) -> str:
    """A checkpoint signed with the installation's own key over another history."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sanxiang.ledger import notes

    seed_bytes = base64.b64decode((data / "ledger_ed25519.key").read_text())
    signer = notes.Signer("sanxiang.local/ledger", Ed25519PrivateKey.from_private_bytes(seed_bytes))
    other_root = hashlib.sha256(b"another history").digest()
    note, _ = notes.note_sign(notes.Checkpoint("sanxiang.local/ledger", size, other_root).body(), signer)
    return note


def _wait_for(path: Path, at_least: int) -> int:
    for _ in range(600):
        if path.exists() and int(path.read_text() or 0) >= at_least:
            return int(path.read_text())
        time.sleep(0.1)
    raise AssertionError(f"the writer did not reach {at_least} writes")


@pytest.mark.parametrize(
    "engine", [pytest.param("sqlite", marks=pytest.mark.engine_independent), "postgresql"]
)
def test_backup_taken_while_another_process_writes_restores_consistent(engine, source, tmp_path, request):
    """On PostgreSQL this is also the round trip (one migrate-heavy test instead of two): into a
    fresh database, files and keys back, sequences past the restored rows, a second restore
    into the now non-empty database refused."""
    if engine == "postgresql":
        databases = request.getfixturevalue("postgres_databases")
        data = tmp_path / "pg-source"
        env = env_for(data, databases.create("src"))
        seed("setup", env=env)
    else:
        data, env = source, env_for(source)
    # Published before the backup: the restore recomputes its root from the archived entries
    # (on PostgreSQL from the COPY text) before writing, and `verify` checks it again after.
    published = tmp_path / "published.txt"
    published.write_text(sanxiang("checkpoint", env=env).stdout)
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    writer = subprocess.Popen(
        [sys.executable, str(SEED), "write-until", str(stop), str(progress)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = _wait_for(progress, 3)
        archive = tmp_path / "backup.tar.gz"
        made = sanxiang("backup", archive, env=env)
        after = int(progress.read_text())
    finally:
        stop.touch()
        _out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err[-3000:]
    assert made.returncode == 0, made.stderr
    assert after > before  # the writer committed while the backup ran
    manifest = manifest_of(archive)
    assert manifest["engine"] == engine
    assert manifest["files"]["count"] >= 2 + before  # the seeded files and those written before

    target = tmp_path / "restored"
    if engine == "postgresql":
        restore_env = env_for(tmp_path / "elsewhere", databases.create("dst"))
    else:
        restore_env = env_for(tmp_path / "elsewhere")
    restored = sanxiang("restore", archive, target, "--checkpoint", published, env=restore_env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert OK in restored.stdout  # entries, nodes, head, checkpoints and every stored file agree
    assert f"{manifest['ledger']['tree_size']} entries" in restored.stdout
    restored_blobs = blobs(target)
    assert len(restored_blobs) == manifest["files"]["count"]
    assert all(
        data.joinpath("evidence", name).read_bytes() == content for name, content in restored_blobs.items()
    )
    for key in ("secret_key", "ledger_ed25519.key"):
        assert (target / key).read_bytes() == (data / key).read_bytes()
    if engine == "postgresql":
        in_target = {**restore_env, "SANXIANG_DATA_DIR": str(target)}
        seed("write", 1, env=in_target)  # sequences were moved past the restored rows
        assert sanxiang("verify", env=in_target).returncode == 0
        again = sanxiang("restore", archive, tmp_path / "second", env=restore_env)
        assert again.returncode == 2
        assert "不是空的" in again.stderr
        assert not (tmp_path / "second").exists()
    # The check against published checkpoints reads the archived entries (COPY text on
    # PostgreSQL): one over another history is refused before anything is written.
    forged = tmp_path / "forged.txt"
    forged.write_text(checkpoint_forge(data, manifest["ledger"]["tree_size"] - 2))
    refused = sanxiang("restore", archive, tmp_path / "third", "--checkpoint", forged, env=restore_env)
    assert refused.returncode == 3, refused.stderr
    assert "备份与已公布的检查点不一致" in refused.stderr
    # The ledger's size is taken from the archived entries (the COPY text on PostgreSQL), not
    # from the unsigned manifest (review r5, F5).

    def bump(manifest):
        manifest["ledger"]["tree_size"] += 1

    crafted = tmp_path / "crafted.tar"
    retar(archive, crafted, manifest_edit=bump, workdir=tmp_path)
    refused = sanxiang("restore", crafted, tmp_path / "fourth", env=restore_env)
    assert refused.returncode == 2, refused.stderr
    assert "ledger.tree_size disagrees with the archived ledger" in refused.stderr
    assert not (tmp_path / "fourth").exists()


@pytest.mark.engine_independent
def test_backup_inconsistent_with_a_published_checkpoint_it_reaches_is_refused_then_recorded(
    source, tmp_path
):
    """A checkpoint within the backup's size but over another history (the backup is of another
    branch): the restored tree would not be consistent with what was published."""
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env_for(source)).returncode == 0
    backed_up = manifest_of(archive)["ledger"]["tree_size"]
    note = checkpoint_forge(source, backed_up - 2)
    published = tmp_path / "published.txt"
    published.write_text(note)

    target = tmp_path / "restored"
    refused = sanxiang(
        "restore", archive, target, "--checkpoint", published, env=env_for(tmp_path / "elsewhere")
    )
    assert refused.returncode == 3
    assert "备份与已公布的检查点不一致，未恢复任何内容" in refused.stderr
    assert f"前 {backed_up - 2} 条记录的根哈希与之不同" in refused.stderr
    assert not target.exists()

    accepted = sanxiang(
        "restore",
        archive,
        target,
        "--checkpoint",
        published,
        "--accept-fork",
        env=env_for(tmp_path / "elsewhere"),
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert OK in accepted.stdout
    kind, body = last_entry(target / "sanxiang.sqlite3")
    assert kind == "ledger.restored"
    assert [c["size"] for c in body["payload"]["inconsistent_checkpoints"]] == [backed_up - 2]
    assert body["payload"]["unreachable_checkpoints"] == [] and body["payload"]["missing_seqs"] is None


def retar_with_own_key(archive: Path, out: Path, workdir: Path) -> None:
    """The operator's backup, changed as anyone holding the file can (review r1, F2): a fresh
    ledger key in place of the installation's, the checkpoint rows signed by the old key removed,
    the manifest's digests recomputed (the manifest is not signed)."""
    import hashlib
    import io

    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    members["keys/ledger_ed25519.key"] = base64.b64encode(os.urandom(32))
    db = workdir / "t.sqlite3"
    db.write_bytes(members["database/sanxiang.sqlite3"])
    conn = sqlite3.connect(db)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DELETE FROM ledger_checkpoint")
    conn.commit()
    conn.close()
    members["database/sanxiang.sqlite3"] = db.read_bytes()
    members.pop("ledger/checkpoint.txt", None)
    manifest["members"] = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in members.items()
    ]
    manifest["checkpoint"] = None
    with tarfile.open(out, "w") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.engine_independent
def test_a_backup_carrying_another_ledger_key_is_refused_and_cannot_skip_the_fork_check(source, tmp_path):
    """Review r1, F2: the installation's own published checkpoint is verified with the
    installation's key, not the one inside the backup; a backup whose key is not the
    installation's is refused (exit 4) unless --accept-key-change, and even then a backup older
    than the published checkpoint is refused as a fork (exit 3)."""
    env = env_for(source)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    backed_up = manifest_of(archive)["ledger"]["tree_size"]
    seed("write", 3, env=env)  # three entries written after the backup ...
    assert sanxiang("checkpoint", env=env).returncode == 0  # ... and published (/ledger/checkpoint)
    assert sanxiang("restore", archive, tmp_path / "genuine", env=env).returncode == 3  # the control
    tampered = tmp_path / "tampered.tar"
    retar_with_own_key(archive, tampered, tmp_path)
    target = tmp_path / "restored"

    refused = sanxiang("restore", tampered, target, env=env)
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert "备份的账本签名密钥与本安装的不符，未恢复任何内容" in refused.stderr
    assert "--accept-key-change" in refused.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "restoring" in p.name] == []

    # Accepting the key change does not accept the fork: the installation's checkpoint, verified
    # with its own key, still goes beyond the backup.
    forked = sanxiang("restore", tampered, target, "--accept-key-change", env=env)
    assert forked.returncode == 3, forked.stdout + forked.stderr
    assert f"第 {backed_up}..{backed_up + 2} 号记录（共 3 条）" in forked.stderr
    assert not target.exists()

    # Both accepted: restored, and the entry names the fork and both keys.
    accepted = sanxiang("restore", tampered, target, "--accept-key-change", "--accept-fork", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    kind, body = last_entry(target / "sanxiang.sqlite3")
    assert kind == "ledger.restored"
    assert body["payload"]["missing_seqs"] == {"first": backed_up, "last": backed_up + 2}
    change = body["payload"]["ledger_key_change"]
    assert change["backup_key"] != change["installation_key"]
    assert change["installation_key"].startswith("sanxiang.local/ledger+")


@pytest.mark.engine_independent
def test_a_backup_with_another_key_but_no_fork_is_recorded_when_accepted(source, tmp_path):
    """The key differs (the installation's key file was replaced since the backup), nothing was
    published after the backup: refused without the flag, and with it the change is recorded."""
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env_for(source)).returncode == 0
    (source / "ledger_ed25519.key").unlink()
    (source / "sanxiang.sqlite3").unlink()  # the installation being replaced: only its key is left
    (source / "ledger_ed25519.key").write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    env = env_for(source)
    target = tmp_path / "restored"
    refused = sanxiang("restore", archive, target, env=env)
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert not target.exists()
    accepted = sanxiang("restore", archive, target, "--accept-key-change", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Key change recorded as ledger entry" in accepted.stdout
    kind, body = last_entry(target / "sanxiang.sqlite3")
    assert kind == "ledger.restored"
    assert body["payload"]["unreachable_checkpoints"] == [] and body["payload"]["missing_count"] == 0
    assert body["payload"]["ledger_key_change"]["installation_key"] != body["payload"]["ledger_key_change"]["backup_key"]


def retar(archive: Path, out: Path, *, manifest_edit=None, database_edit=None, workdir: Path) -> None:
    """`archive` rewritten: its manifest changed by `manifest_edit(manifest)`, or its SQLite
    database by `database_edit(connection)` (the digests recomputed), as a damaged or altered file."""
    import hashlib
    import io

    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    if database_edit is not None:
        db = workdir / "edit.sqlite3"
        db.write_bytes(members["database/sanxiang.sqlite3"])
        with sqlite3.connect(db) as conn:
            database_edit(conn)
        conn.close()
        members["database/sanxiang.sqlite3"] = db.read_bytes()
        db.unlink()
        for m in manifest["members"]:
            if m["name"] == "database/sanxiang.sqlite3":
                data = members[m["name"]]
                m.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    if manifest_edit is not None:
        manifest_edit(manifest)
    with tarfile.open(out, "w") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.engine_independent
def test_a_malformed_manifest_or_another_versions_sqlite_backup_is_refused_with_nothing_written(source, tmp_path):
    """Review r1, S2: a manifest of the wrong shape was a traceback; a SQLite backup of another
    version's schema was restored (the PostgreSQL path already compared the migrations)."""
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env_for(source)).returncode == 0
    elsewhere = env_for(tmp_path / "elsewhere")

    def set_(path, value):
        def edit(manifest):
            *parents, last = path
            node = manifest
            for part in parents:
                node = node[part]
            node[last] = value

        return edit

    cases = {
        "keys": set_(["keys"], None),
        "members": set_(["members", 0], {"nom": "x"}),
        "ledger.tree_size": set_(["ledger", "tree_size"], "12"),
        "ledger.algorithm": set_(["ledger", "algorithm"], "md5"),
        "migrations": set_(["migrations"], {"a": 1}),
        "keys（与成员不符": set_(["keys", "ledger_signing_key"], False),
        "tables（PostgreSQL": set_(["engine"], "postgresql"),
    }
    for i, (problem, edit) in enumerate(cases.items()):
        altered = tmp_path / f"altered-{i}.tar"
        retar(archive, altered, manifest_edit=edit, workdir=tmp_path)
        result = sanxiang("restore", altered, tmp_path / "restored", env=elsewhere)
        assert result.returncode == 2, (problem, result.stderr[-2000:])
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        assert f"manifest.json 的内容不完整或格式不对（{problem}" in result.stderr, result.stderr[-2000:]
        assert not (tmp_path / "restored").exists()

    # Another version's schema: a migration this version does not have, in the manifest and the
    # database alike; then in the database only (the manifest left as this version's).
    future = ["evidence", "9999_from_the_future"]

    def add_future(conn):
        conn.execute("INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')", future)

    newer = tmp_path / "newer.tar"
    retar(archive, newer, database_edit=add_future, workdir=tmp_path,
          manifest_edit=lambda m: m["migrations"].append(future))
    result = sanxiang("restore", newer, tmp_path / "restored", env=elsewhere)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "备份时的数据库结构与本程序版本不同（迁移 1 个仅在备份中、0 个仅在本程序中）" in result.stderr
    hidden = tmp_path / "hidden.tar"
    retar(archive, hidden, database_edit=add_future, workdir=tmp_path)
    result = sanxiang("restore", hidden, tmp_path / "restored", env=elsewhere)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "备份时的数据库结构与本程序版本不同" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "restored").exists()
    assert [p.name for p in tmp_path.iterdir() if "restoring" in p.name] == []
    # The untouched archive still restores.
    assert sanxiang("restore", archive, tmp_path / "restored", env=elsewhere).returncode == 0

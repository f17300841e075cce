"""Restore against the installation being replaced (review r5, F3, F5, F6): a fresh machine's key
is no key change; the ledger's size comes from the archive, not the unsigned manifest; a
checkpoint whose root cannot be recomputed is a fork; with county ledgers, each ledger's newest
checkpoint is held against that ledger."""

import base64
import json
import re
import shutil
import sqlite3

import pytest

from tests.backup.conftest import env_for, sanxiang, seed
from tests.backup.test_backup_restore import OK, manifest_of, retar


@pytest.fixture
def source(seeded, tmp_path):
    data = tmp_path / "source"
    shutil.copytree(seeded[0], data)
    return data


def kinds(database) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [kind for (kind,) in conn.execute("SELECT kind FROM ledger_entry ORDER BY ledger_id, seq")]


# What starting the service does to a data folder (since 87f844f it makes the ledger key there).
PREPARE = "from sanxiang.web.management.commands.serve import data_folder_prepare; data_folder_prepare()"


@pytest.mark.engine_independent
def test_disaster_recovery_on_a_fresh_machine_whose_service_started_once_restores_without_a_key_change(
    source, tmp_path
):
    """F3: serve made a key on the new machine, which never wrote an entry nor signed a checkpoint:
    nothing anyone holds was signed with it, so the backup's key is no key change."""
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env_for(source)).returncode == 0
    fresh = tmp_path / "fresh"
    env = env_for(fresh)
    assert sanxiang("migrate", env=env).returncode == 0
    prepared = sanxiang("shell", "-c", PREPARE, env=env)
    assert prepared.returncode == 0, prepared.stderr
    assert (fresh / "ledger_ed25519.key").exists()
    target = tmp_path / "restored"
    restored = sanxiang("restore", archive, target, env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "ledger.restored" not in kinds(target / "sanxiang.sqlite3")  # no key change recorded
    assert (target / "ledger_ed25519.key").read_bytes() == (source / "ledger_ed25519.key").read_bytes()


@pytest.mark.engine_independent
def test_an_installation_that_wrote_entries_keeps_its_key_defended(source, tmp_path):
    """The F3 exception is only for an empty ledger: a machine that wrote one entry with its own
    key still refuses a backup carrying another key (exit 4)."""
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env_for(source)).returncode == 0
    other = tmp_path / "other"
    env = env_for(other)
    assert sanxiang("migrate", env=env).returncode == 0
    assert sanxiang("shell", "-c", PREPARE, env=env).returncode == 0
    seed("write", 1, env=env)
    assert (other / "ledger_ed25519.key").exists()
    refused = sanxiang("restore", archive, tmp_path / "restored", env=env)
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert not (tmp_path / "restored").exists()


@pytest.mark.engine_independent
def test_an_older_backup_with_its_manifest_tree_size_raised_is_refused(source, tmp_path):
    """F5: the manifest is not signed; its ledger size is checked against the archived entries."""
    env = env_for(source)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    backed_up = manifest_of(archive)["ledger"]["tree_size"]
    seed("write", 3, env=env)
    assert sanxiang("checkpoint", env=env).returncode == 0  # published: backed_up + 3 entries
    assert sanxiang("restore", archive, tmp_path / "genuine", env=env).returncode == 3

    for raised in (backed_up + 3, backed_up + 1000):

        def bump(manifest, raised=raised):
            manifest["ledger"]["tree_size"] = raised

        crafted = tmp_path / f"crafted-{raised}.tar"
        retar(archive, crafted, manifest_edit=bump, workdir=tmp_path)
        target = tmp_path / f"restored-{raised}"
        restored = sanxiang("restore", crafted, target, env=env)
        assert restored.returncode == 2, restored.stdout + restored.stderr
        assert f"备份清单写明账本有 {raised} 条记录，而备份中的账本记录有 {backed_up} 条" in restored.stderr
        assert not target.exists()

    def reroot(manifest):
        manifest["ledger"]["root"] = base64.b64encode(bytes(32)).decode()  # fork_record writes it down

    crafted = tmp_path / "crafted-root.tar"
    retar(archive, crafted, manifest_edit=reroot, workdir=tmp_path)
    restored = sanxiang("restore", crafted, tmp_path / "restored-root", env=env)
    assert restored.returncode == 2, restored.stdout + restored.stderr
    assert "ledger.root disagrees with the archived entries" in restored.stderr
    assert not (tmp_path / "restored-root").exists()


@pytest.mark.engine_independent
def test_a_published_checkpoint_whose_root_cannot_be_recomputed_from_the_backup_is_a_fork(source, tmp_path):
    """F5: an archive missing its first entry (size and head untouched) cannot recompute the root
    of the installation's checkpoint: a fork (exit 3), not a pass."""
    env = env_for(source)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    assert sanxiang("restore", archive, tmp_path / "genuine", env=env).returncode == 0

    def drop_first(conn):
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("DELETE FROM ledger_entry WHERE ledger_id = 1 AND seq = 0")

    crafted = tmp_path / "crafted.tar"
    retar(archive, crafted, database_edit=drop_first, workdir=tmp_path)
    target = tmp_path / "restored"
    restored = sanxiang("restore", crafted, target, env=env)
    assert restored.returncode == 3, restored.stdout + restored.stderr
    assert "备份与已公布的检查点不一致" in restored.stderr
    assert not target.exists()


def verified_checkpoints(output: str) -> int:
    (count,) = re.findall(r"(\d+) checkpoints", output)
    return int(count)


@pytest.mark.engine_independent
def test_the_final_verify_holds_the_installations_own_checkpoint_against_the_restored_ledger(source, tmp_path):
    """F5: the installation's newest checkpoint goes to the final `verify` as well."""
    env = env_for(source)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    target = tmp_path / "restored"
    restored = sanxiang("restore", archive, target, env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert OK in restored.stdout
    alone = sanxiang("verify", "--no-progress", env=env_for(target))
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert verified_checkpoints(restored.stdout) == verified_checkpoints(alone.stdout) + 1


COUNTY = """
from django.db import transaction
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import checkpoints_issue_all, entries_append, ledger_agency_assign, ledger_county_create
from tests.factories import agency_make, credit_code
with transaction.atomic():
    ledger = ledger_county_create(name="county-a")
    agency = agency_make(name="旗县测试局", credit_code=credit_code(serial=777))
    ledger_agency_assign(agency_id=agency.pk, ledger=ledger)
with transaction.atomic():
    entries_append(events=[LedgerEvent(EventKind.STEP_DONE, {"i": i}, agency_id=agency.pk, subject=f"x:{i}")
                           for i in range(300)])
with transaction.atomic():
    print([(c.ledger_id, c.size) for c in checkpoints_issue_all()])
"""

COUNTY_MORE = """
from django.db import transaction
from sanxiang.registry.models import Agency
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import checkpoints_issue_all, entries_append
agency = Agency.objects.get(name="旗县测试局")
with transaction.atomic():
    entries_append(events=[LedgerEvent(EventKind.STEP_DONE, {"i": i}, agency_id=agency.pk, subject=f"y:{i}")
                           for i in range(5)])
with transaction.atomic():
    print([(c.ledger_id, c.size) for c in checkpoints_issue_all()])
"""


@pytest.fixture
def county(source):
    """The source with a county ledger of 300 entries larger than the default one, and every
    ledger's checkpoint signed."""
    made = sanxiang("shell", "-c", COUNTY, env=env_for(source))
    assert made.returncode == 0, made.stderr[-3000:]
    return source


@pytest.mark.engine_independent
def test_a_genuine_backup_of_an_installation_with_county_ledgers_restores(county, tmp_path):
    """F6: the county ledger's checkpoint (the largest) is checked against the county ledger's
    origin and entries, not the default ledger's: no false key change, no false fork."""
    env = env_for(county)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    for flags in ([], ["--accept-key-change"]):
        target = tmp_path / f"restored{len(flags)}"
        restored = sanxiang("restore", archive, target, *flags, env=env)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "ledger.restored" not in kinds(target / "sanxiang.sqlite3")


@pytest.mark.engine_independent
def test_a_backup_older_than_a_county_ledgers_published_checkpoint_is_a_fork(county, tmp_path):
    """F6: each ledger's newest checkpoint is held against that ledger's entries in the backup."""
    env = env_for(county)
    archive = tmp_path / "backup.tar"
    assert sanxiang("backup", archive, env=env).returncode == 0
    more = sanxiang("shell", "-c", COUNTY_MORE, env=env)
    assert more.returncode == 0, more.stderr[-3000:]
    refused = sanxiang("restore", archive, tmp_path / "refused", env=env)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "的账本）只有 301 条记录" in refused.stderr  # the county ledger: its creation, then 300 entries
    assert "第 301..305 号记录（共 5 条）" in refused.stderr
    assert not (tmp_path / "refused").exists()
    target = tmp_path / "restored"
    accepted = sanxiang("restore", archive, target, "--accept-fork", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    with sqlite3.connect(target / "sanxiang.sqlite3") as conn:
        (county_id,) = conn.execute("SELECT id FROM ledger_ledger WHERE name = 'county-a'").fetchone()
        kind, body = conn.execute(
            "SELECT kind, body FROM ledger_entry WHERE ledger_id = 1 ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    body = json.loads(body)["payload"]
    assert kind == "ledger.restored"
    unreachable = {c.get("ledger_id") for c in body["unreachable_checkpoints"]}
    assert county_id in unreachable and None not in unreachable  # the default ledger's is reached
    assert body["missing_seqs"] is None and body["missing_count"] == 0  # the default ledger lost nothing

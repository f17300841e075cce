"""Issue 10 item 9: the data folder, the database (with its -wal/-shm files), stored files,
tus staging files and the keys are the owner's only, whatever the process umask."""

import stat


def test_everything_in_the_data_folder_is_the_owners_only_even_with_umask_0(seeded):
    data, facts = seeded
    # Modes seen by the writing process while its database connection was open, then on disk.
    seen_live = facts["modes"]
    on_disk = {".": stat.S_IMODE(data.stat().st_mode)}
    for path in data.rglob("*"):
        on_disk[str(path.relative_to(data))] = stat.S_IMODE(path.stat().st_mode)
    # What must be there, so that the check below cannot pass on an empty folder.
    expected = {
        ".",
        "sanxiang.sqlite3",
        "sanxiang.sqlite3-wal",
        "sanxiang.sqlite3-shm",
        "secret_key",
        "ledger_ed25519.key",
        "files/exports/note.txt",
        "evidence/tmp",
    }
    assert expected <= set(seen_live), sorted(expected - set(seen_live))
    assert any(name.startswith("evidence/") and len(name) > 70 for name in seen_live)  # a stored blob
    assert any(name.startswith("evidence-uploads/") and name.endswith(".part") for name in seen_live)
    for where in (seen_live, on_disk):
        opened = {name: oct(mode) for name, mode in where.items() if mode & 0o077}
        assert opened == {}, "group or other may read or enter these"
    folders = [name for name in on_disk if (data / name).is_dir()]
    assert all(on_disk[name] == 0o700 for name in folders)
    assert on_disk["sanxiang.sqlite3"] == on_disk["secret_key"] == on_disk["ledger_ed25519.key"] == 0o600

"""Acceptance: a case-file zip verifies, and changing any byte of it makes the verifier fail and
name the part; forged checkpoints, removed entries and swapped files are caught."""

import base64
import hashlib
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sanxiang.ledger import notes
from sanxiang_verify import casefile as fmt
from sanxiang_verify.verify import case_file_verify
from sanxiang_verify.zipformat import END_PART
from tests.export.helpers import byte_changed, flipped, manifest_of, members, rebuild, regions

# The verifier's reading of changed archives: the export they start from is tested on both engines
# (test_casefile_export.py); this module runs on SQLite only.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

# Masks for a changed byte: lowest bit, a middle bit, the top bit, every bit.
MASKS = (0x01, 0x20, 0x80, 0xFF)


def _positions(start: int, end: int) -> list[int]:
    """First, second, middle and last bytes of a region, and a few more in long ones."""
    length = end - start
    picks = {0, 1, length // 2, length - 1, length // 3, (2 * length) // 3}
    return sorted(start + p for p in picks if 0 <= p < length)


def _expect_named(path, vkey, part: str, *, what: str) -> None:
    report = case_file_verify(str(path), vkeys=[vkey])
    assert not report.ok, f"{what}: not detected"
    assert part in report.failed_parts, f"{what}: named {report.failed_parts}, not {part}"
    # Named precisely: the changed part, nothing else.
    assert report.failed_parts == [part], f"{what}: also named {report.failed_parts}"


def test_every_member_header_data_and_directory_entry(exported, tmp_path):
    """For every member of the zip: bytes of its local header, of its data (evidence included:
    stored uncompressed, so the change reaches our digests) and of its central directory entry,
    each changed with several masks."""
    path, summary = exported
    source = path.read_bytes()
    seen_members = set()
    checks = 0
    for start, end, name, region in regions(path):
        for offset in _positions(start, end):
            for mask in MASKS:
                target = flipped(source, offset, mask, tmp_path / "t.zip")
                _expect_named(
                    target, summary.vkey, name, what=f"{name} {region} byte {offset - start} ^{mask:#x}"
                )
                checks += 1
        seen_members.add(name)
    assert seen_members == set(members(path))
    assert any(n.startswith("evidence/") and n != "evidence/" for n in seen_members)
    assert checks > 500


def test_end_of_central_directory(exported, tmp_path):
    path, summary = exported
    source = path.read_bytes()
    end = regions(path)[-1][1]
    assert len(source) - end == 22  # no ZIP64 records for a small archive, no comment
    for offset in range(end, len(source)):
        for mask in MASKS:
            _expect_named(
                flipped(source, offset, mask, tmp_path / "t.zip"),
                summary.vkey,
                END_PART,
                what=f"end record byte {offset - end} ^{mask:#x}",
            )


@pytest.mark.slow
def test_every_byte_of_the_archive(exported, tmp_path):
    """Exhaustive: each byte of the archive changed (all bits), one at a time. Evidence data
    beyond its first and last 64 bytes is sampled every 257th byte: those bytes behave alike."""
    path, summary = exported
    source = path.read_bytes()
    work = tmp_path / "work.zip"
    work.write_bytes(source)
    owner = {}
    for start, end, name, _region in regions(path):
        for offset in range(start, end):
            owner[offset] = name
    long_data = [(s, e) for s, e, n, r in regions(path) if r == "data" and n.startswith("evidence/")]
    for offset in range(len(source)):
        inside = next(((s, e) for s, e in long_data if s + 64 <= offset < e - 64), None)
        if inside and (offset - inside[0]) % 257:
            continue
        with byte_changed(work, offset, 0xFF):
            _expect_named(work, summary.vkey, owner.get(offset, END_PART), what=f"byte {offset}")
    assert work.read_bytes() == source


def test_flips_are_named_without_the_key_too(exported, tmp_path):
    """With only the archive's own key, a change in the key file or the checkpoint is still
    attributed to the right one of the two."""
    path, _ = exported
    source = path.read_bytes()
    for start, end, name, region in regions(path):
        if region != "data" or name not in (fmt.KEY, fmt.CHECKPOINT):
            continue
        for offset in _positions(start, end):
            report = case_file_verify(str(flipped(source, offset, 0x01, tmp_path / "t.zip")))
            assert report.failed_parts == [name]


def _forge_checkpoint(
    note: str, *, size: int | None = None, root: bytes | None = None, signer=None
) -> tuple[str, str]:
    """Re-sign the checkpoint (optionally another size or root) with a new key of the same name."""
    text, _ = notes.note_parse(note)
    cp = notes.checkpoint_parse(text)
    signer = signer or notes.Signer(cp.origin, Ed25519PrivateKey.generate())
    body = notes.Checkpoint(cp.origin, size if size is not None else cp.size, root or cp.root).body()
    forged, _ = notes.note_sign(body, signer)
    return forged, signer.verifier.vkey


def test_checkpoint_forged_with_another_key(exported, tmp_path):
    path, summary = exported
    forged, _ = _forge_checkpoint(members(path)[fmt.CHECKPOINT].decode())
    plain = rebuild(path, tmp_path / "forged.zip", replace={fmt.CHECKPOINT: forged.encode()})
    for keys in ([summary.vkey], []):  # with the published key, and with the archive's own
        report = case_file_verify(str(plain), vkeys=keys)
        assert report.failed_parts == [fmt.CHECKPOINT], keys
        assert "checkpoint_signature" in {f.code for f in report.findings}
    # With the manifest recomputed as well, the published key still singles out the checkpoint;
    # the archive's own key can only say that the checkpoint and the key disagree.
    refreshed = rebuild(
        path, tmp_path / "forged2.zip", replace={fmt.CHECKPOINT: forged.encode()}, refresh_manifest=True
    )
    assert case_file_verify(str(refreshed), vkeys=[summary.vkey]).failed_parts == [fmt.CHECKPOINT]
    assert set(case_file_verify(str(refreshed)).failed_parts) == {fmt.CHECKPOINT, fmt.KEY}


def test_a_complete_forgery_is_caught_only_with_the_published_key(exported, tmp_path):
    """A forger who rewrites an entry, recomputes every proof, signs a checkpoint and puts their
    own key in the archive makes it self-consistent: without --key it passes (with the warning
    that origin was not checked); with the agency's published key it fails."""
    from sanxiang.ledger.merkle import MemoryTree, hasher_for

    path, summary = exported
    content = members(path)
    lines = content[fmt.ENTRIES].splitlines()
    proofs = json.loads(content[fmt.PROOFS])
    # Rebuild a whole tree in which the case's entries sit at their seqs (the other leaves are
    # the forger's filler), with one entry's subject changed.
    tampered = json.loads(lines[0])
    tampered["subject"] = "forged"
    lines[0] = fmt.entry_line_canonical(tampered)
    hasher = hasher_for("sha256")
    by_seq = {json.loads(line)["seq"]: line for line in lines}
    tree = MemoryTree(
        hasher, [hasher.leaf(by_seq.get(i, b"filler %d" % i)) for i in range(proofs["tree_size"])]
    )
    proofs["root_hash"] = base64.b64encode(tree.root()).decode()
    for proof in proofs["proofs"]:
        seq = proof["leaf_index"]
        proof["leaf_hash"] = base64.b64encode(hasher.leaf(by_seq[seq])).decode()
        proof["inclusion_path"] = [base64.b64encode(h).decode() for h in tree.inclusion_proof(seq)]
    forged, forged_vkey = _forge_checkpoint(content[fmt.CHECKPOINT].decode(), root=tree.root())
    target = rebuild(
        path,
        tmp_path / "forgery.zip",
        refresh_manifest=True,
        replace={
            fmt.ENTRIES: b"".join(line + b"\n" for line in lines),
            fmt.PROOFS: fmt.json_part(proofs),
            fmt.CHECKPOINT: forged.encode(),
            fmt.KEY: fmt.vkey_text(forged_vkey),
        },
    )
    alone = case_file_verify(str(target))
    assert alone.ok and alone.key_source == "archive" and alone.warnings
    published = case_file_verify(str(target), vkeys=[summary.vkey])
    assert not published.ok
    assert set(published.failed_parts) >= {fmt.CHECKPOINT, fmt.KEY}


def test_an_entry_removed_from_the_jsonl(exported, tmp_path):
    path, summary = exported
    content = members(path)
    lines = content[fmt.ENTRIES].splitlines(keepends=True)
    removed = json.loads(lines[1])["seq"]
    shorter = b"".join(lines[:1] + lines[2:])
    for refresh in (False, True):  # the manifest left as is, or recomputed by the forger
        target = rebuild(
            path,
            tmp_path / f"removed-{refresh}.zip",
            replace={fmt.ENTRIES: shorter},
            refresh_manifest=refresh,
        )
        report = case_file_verify(str(target), vkeys=[summary.vkey])
        assert report.failed_parts == [fmt.ENTRIES], refresh
        assert any(f.code == "entry_missing" and str(removed) in f.en for f in report.findings)


def test_an_evidence_file_swapped_for_another(exported, tmp_path):
    path, summary = exported
    content = members(path)
    evidence = sorted(n for n in content if n.startswith("evidence/") and n != "evidence/")
    intruder = os.urandom(len(content[evidence[0]]))
    for refresh in (False, True):
        target = rebuild(
            path, tmp_path / f"swap-{refresh}.zip", replace={evidence[0]: intruder}, refresh_manifest=refresh
        )
        report = case_file_verify(str(target), vkeys=[summary.vkey])
        assert report.failed_parts == [evidence[0]], refresh
        assert any("digest differs" in f.en for f in report.findings)
    # The two files exchanged under each other's names.
    target = rebuild(
        path,
        tmp_path / "exchanged.zip",
        refresh_manifest=True,
        replace={evidence[0]: content[evidence[1]], evidence[1]: content[evidence[0]]},
    )
    assert set(case_file_verify(str(target), vkeys=[summary.vkey]).failed_parts) == set(evidence)


def test_an_evidence_file_renamed_to_its_new_digest_is_still_caught(exported, tmp_path):
    """Replaced and renamed consistently, with the manifest recomputed: no entry records it."""
    path, summary = exported
    content = members(path)
    old = sorted(n for n in content if n.startswith("evidence/") and n != "evidence/")[0]
    intruder = b"another video"
    new = f"evidence/{hashlib.sha256(intruder).hexdigest()}"
    target = rebuild(
        path, tmp_path / "renamed.zip", replace={old: None}, add={new: intruder}, refresh_manifest=True
    )
    report = case_file_verify(str(target), vkeys=[summary.vkey])
    assert set(report.failed_parts) == {old, new}


def test_extra_and_missing_parts(exported, tmp_path):
    path, summary = exported
    extra = rebuild(path, tmp_path / "extra.zip", add={"notes.txt": b"hello"})
    assert case_file_verify(str(extra), vkeys=[summary.vkey]).failed_parts == ["notes.txt"]
    extra_listed = rebuild(path, tmp_path / "extra2.zip", add={"notes.txt": b"hello"}, refresh_manifest=True)
    assert case_file_verify(str(extra_listed), vkeys=[summary.vkey]).failed_parts == ["notes.txt"]
    for name in (fmt.PROOFS, fmt.README):
        missing = rebuild(path, tmp_path / "missing.zip", replace={name: None}, refresh_manifest=True)
        assert name in case_file_verify(str(missing), vkeys=[summary.vkey]).failed_parts


def test_a_reformatted_manifest_is_named(exported, tmp_path):
    path, summary = exported
    manifest = manifest_of(path)
    compact = json.dumps(manifest, ensure_ascii=False).encode()
    target = rebuild(path, tmp_path / "reformatted.zip", replace={fmt.MANIFEST: compact})
    assert case_file_verify(str(target), vkeys=[summary.vkey]).failed_parts == [fmt.MANIFEST]


def test_an_archive_repacked_by_another_tool_fails(exported, tmp_path):
    """Re-compressed with zipfile, same names and contents: not the archive that was exported."""
    import zipfile

    path, summary = exported
    target = tmp_path / "rezipped.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members(path).items():
            zf.writestr(name, data)
    report = case_file_verify(str(target), vkeys=[summary.vkey])
    assert not report.ok
    assert "zip_structure" in {f.code for f in report.findings}


def test_damaged_archives_fail_cleanly(exported, tmp_path):
    """Truncated, overwritten or random files: a failing report naming something, never a crash."""
    import random

    path, summary = exported
    source = path.read_bytes()
    rng = random.Random(2026)
    target = tmp_path / "damaged.zip"
    samples = [source[:cut] for cut in range(0, len(source), 997)]
    samples += [source + b"trailing"]
    for _ in range(150):
        data = bytearray(source)
        for _ in range(rng.randrange(2, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        samples.append(bytes(data))
    samples += [rng.randbytes(5000), b"", b"PK\x05\x06" + b"\xff" * 18]
    for data in samples:
        target.write_bytes(data)
        report = case_file_verify(str(target), vkeys=[summary.vkey])
        assert not report.ok and report.failed_parts

"""The verifier stands alone: no Django, a copy of its folder runs by itself, its vendored
Merkle and note code agrees with the ledger's, and its command line behaves."""

import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sanxiang.ledger import merkle as ledger_merkle
from sanxiang.ledger import notes as ledger_notes
from sanxiang_verify import merkle as vendored_merkle
from sanxiang_verify import notes as vendored_notes
from sanxiang_verify.__main__ import main
from tests.export.helpers import flipped, regions

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
VECTORS = ROOT / "tests" / "data" / "rfc6962-merkle"
PACKAGE = SRC / "sanxiang_verify"


def _run(args: list[str], *, cwd: Path, pythonpath: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


# No Django --------------------------------------------------------------------------------


def test_the_package_imports_nothing_of_django_or_the_server():
    for path in PACKAGE.glob("*.py"):
        text = path.read_text()
        for forbidden in (
            "import django",
            "from django",
            "import sanxiang.",
            "from sanxiang ",
            "from sanxiang.",
        ):
            assert forbidden not in text, (path.name, forbidden)


@pytest.mark.django_db
def test_verifying_loads_no_django_module(exported, tmp_path):
    """Run in a subprocess with -X importtime; neither Django nor any `sanxiang` module (the
    server's package) may appear among the imports, and the verification passes."""
    path, summary = exported
    result = _run(
        ["-X", "importtime", "-m", "sanxiang_verify", str(path), "--key", summary.vkey],
        cwd=tmp_path,
        pythonpath=str(SRC),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    imported = {
        line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert "sanxiang_verify.verify" in imported
    assert not {m for m in imported if m.split(".")[0] in ("django", "sanxiang")}, imported


@pytest.mark.django_db
def test_a_copy_of_the_folder_alone_verifies(exported, tmp_path):
    """The folder copied on its own (as handed to a court), beside a `django` package that
    explodes on import: the verification runs with Python and cryptography only."""
    path, summary = exported
    alone = tmp_path / "alone"
    shutil.copytree(PACKAGE, alone / "sanxiang_verify", ignore=shutil.ignore_patterns("__pycache__"))
    (alone / "django").mkdir()
    (alone / "django" / "__init__.py").write_text(
        "raise ImportError('the verifier must not import Django')\n"
    )
    (alone / "sanxiang").mkdir()
    (alone / "sanxiang" / "__init__.py").write_text(
        "raise ImportError('the verifier must not import the server')\n"
    )
    result = _run(
        ["-m", "sanxiang_verify", str(path), "--key", summary.vkey], cwd=alone, pythonpath=str(alone)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "核验通过 / Verified" in result.stdout
    where = _run(
        ["-c", "import sanxiang_verify; print(sanxiang_verify.__file__)"], cwd=alone, pythonpath=str(alone)
    )
    assert where.stdout.startswith(str(alone))


# Command line -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_line_exit_codes_and_output(exported, tmp_path, capsys):
    path, summary = exported
    assert main([str(path), "--key", summary.vkey]) == 0
    out = capsys.readouterr().out
    assert "核验通过 / Verified" in out and summary.case_number in out
    # --key may name a file holding the key, as /ledger/key's vkey would be saved.
    key_file = tmp_path / "vkey.txt"
    key_file.write_text(summary.vkey + "\n")
    assert main([str(path), "--key", str(key_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["key_source"] == "given" and report["failed_parts"] == []
    # Without a key: passes, and says that only the archive's own key was used.
    assert main([str(path)]) == 0
    assert "--key" in capsys.readouterr().out

    start, end, name, _ = next(
        r for r in regions(path) if r[3] == "data" and r[2].startswith("evidence/") and r[1] > r[0]
    )
    bad = flipped(path.read_bytes(), (start + end) // 2, 0x01, tmp_path / "bad.zip")
    assert main([str(bad), "--key", summary.vkey]) == 1
    out = capsys.readouterr().out
    assert "核验失败 / Verification FAILED" in out and name in out and "digest differs" in out
    assert main([str(bad), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["failed_parts"] == [name]

    assert main([str(tmp_path / "missing.zip")]) == 2
    assert main([str(path), "--key", "not-a-key"]) == 2
    assert "--key" in capsys.readouterr().err


def test_console_script_is_declared():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["sanxiang-verify"] == "sanxiang_verify.__main__:main"


# Parity of the vendored code with the ledger's -------------------------------------------


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


@pytest.mark.parametrize("path", sorted((VECTORS / "inclusion").rglob("*.json")), ids=lambda p: p.name)
def test_vendored_inclusion_verification_passes_the_rfc_vectors(path):
    v = json.loads(path.read_text())
    args = (
        vendored_merkle.Hasher("sha256"),
        v["leafIdx"],
        v["treeSize"],
        _b64(v["leafHash"]),
        [_b64(p) for p in v["proof"] or []],
        _b64(v["root"]),
    )
    if v["wantErr"]:
        with pytest.raises(vendored_merkle.ProofError):
            vendored_merkle.verify_inclusion(*args)
    else:
        vendored_merkle.verify_inclusion(*args)


@pytest.mark.parametrize("algorithm", ["sha256", "sm3"])
def test_vendored_code_agrees_with_the_ledgers_on_random_trees(algorithm):
    if algorithm == "sm3" and not ledger_merkle.sm3_available():
        pytest.skip("this OpenSSL has no SM3")
    rng = random.Random(7)
    ours, theirs = ledger_merkle.hasher_for(algorithm), vendored_merkle.Hasher(algorithm)
    for size in (1, 2, 3, 7, 8, 9, 31, 64, 100, 257):
        leaves = [ours.leaf(rng.randbytes(rng.randrange(0, 40))) for _ in range(size)]
        tree = ledger_merkle.MemoryTree(ours, leaves)
        for index in {0, size - 1, rng.randrange(size)}:
            proof = tree.inclusion_proof(index)
            vendored_merkle.verify_inclusion(theirs, index, size, leaves[index], proof, tree.root())
            wrong = bytearray(leaves[index])
            wrong[rng.randrange(len(wrong))] ^= 1 << rng.randrange(8)
            with pytest.raises(vendored_merkle.ProofError):
                vendored_merkle.verify_inclusion(theirs, index, size, bytes(wrong), proof, tree.root())
        data = rng.randbytes(50)
        assert theirs.leaf(data) == ours.leaf(data)


def test_vendored_notes_agree_with_the_ledgers():
    signer = ledger_notes.Signer("example.org/log", Ed25519PrivateKey.generate())
    note, _ = ledger_notes.note_sign(
        ledger_notes.Checkpoint("example.org/log", 12, b"\x07" * 32).body(), signer
    )
    verifier = vendored_notes.Verifier.from_vkey(signer.verifier.vkey)
    assert verifier.vkey == signer.verifier.vkey and verifier.key_id == signer.verifier.key_id
    text, _ = vendored_notes.note_verify(note, [verifier])
    assert vendored_notes.checkpoint_parse(text) == vendored_notes.Checkpoint(
        "example.org/log", 12, b"\x07" * 32
    )
    for i in range(len(note) - 1):  # any changed character of the note breaks it for both
        changed = note[:i] + ("A" if note[i] != "A" else "B") + note[i + 1 :]
        outcomes = []
        for module, key in ((ledger_notes, signer.verifier), (vendored_notes, verifier)):
            try:
                module.checkpoint_verify(changed, [key])
                outcomes.append("ok")
            except (module.NoteError, ValueError):
                outcomes.append("refused")
        assert outcomes[0] == outcomes[1], (i, outcomes)

"""The Merkle module against public vectors, a naive reference and random trees."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sanxiang.ledger import merkle
from sanxiang.ledger.merkle import (
    CompactRange,
    MemoryTree,
    ProofError,
    UnsupportedHashError,
    hasher_for,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parent.parent / "data" / "rfc6962-merkle"
SHA256 = hasher_for("sha256")
needs_sm3 = pytest.mark.skipif(not merkle.sm3_available(), reason="this OpenSSL has no SM3")


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _vector_files(kind: str) -> list[Path]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no {kind} vectors found under {VECTORS}"
    return files


def _ids(files: list[Path]) -> list[str]:
    return [str(f.relative_to(VECTORS)) for f in files]


INCLUSION = _vector_files("inclusion")
CONSISTENCY = _vector_files("consistency")


def test_vector_set_is_complete():
    # 98 + 98 files from transparency-dev/merkle; both outcomes are represented.
    assert len(INCLUSION) == 98 and len(CONSISTENCY) == 98
    wants = [json.loads(f.read_text())["wantErr"] for f in INCLUSION + CONSISTENCY]
    assert wants.count(False) == 12 and wants.count(True) == 184


@pytest.mark.parametrize("path", INCLUSION, ids=_ids(INCLUSION))
def test_inclusion_vector(path):
    v = json.loads(path.read_text())
    args = (SHA256, v["leafIdx"], v["treeSize"], _b64(v["leafHash"]), [_b64(p) for p in v["proof"] or []])
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args, _b64(v["root"]))
    else:
        verify_inclusion(*args, _b64(v["root"]))


@pytest.mark.parametrize("path", CONSISTENCY, ids=_ids(CONSISTENCY))
def test_consistency_vector(path):
    v = json.loads(path.read_text())
    args = (
        SHA256,
        v["size1"],
        v["size2"],
        [_b64(p) for p in v["proof"] or []],
        _b64(v["root1"]),
        _b64(v["root2"]),
    )
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def _check_constants(name: str) -> None:
    data = json.loads((VECTORS / f"tree-8-leaves{'' if name == 'sha256' else '-' + name}.json").read_text())
    hasher = hasher_for(name)
    tree = MemoryTree(hasher, [hasher.leaf(bytes.fromhex(x)) for x in data["leaf_inputs_hex"]])
    assert [tree.root(size).hex() for size in range(9)] == data["root_hash_by_size_hex"]
    for level, hashes in enumerate(data.get("node_hashes_by_level_hex", [])):
        assert [h.hex() for h in tree.levels[level]] == hashes


def test_eight_leaf_tree_constants_sha256():
    _check_constants("sha256")
    assert SHA256.empty_root().hex().startswith("e3b0c442")


@needs_sm3
def test_eight_leaf_tree_constants_sm3():
    _check_constants("sm3")
    # GB/T 32905 example: SM3("abc").
    assert hasher_for("sm3").digest(b"abc").hex().startswith("66c7f0f4")


def test_unknown_or_unavailable_hash_is_refused(monkeypatch):
    with pytest.raises(UnsupportedHashError, match="unsupported"):
        merkle.Hasher("md5")
    monkeypatch.setattr(hashlib, "algorithms_available", set(hashlib.algorithms_available) - {"sm3"})
    with pytest.raises(UnsupportedHashError, match="SM3 is not available"):
        merkle.Hasher("sm3")


# --- against a naive reference (RFC 9162 §2.1.1 definitions, recursively) ---------------------


def _mth(h, leaves):
    if not leaves:
        return h.empty_root()
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split_point(len(leaves))
    return h.node(_mth(h, leaves[:k]), _mth(h, leaves[k:]))


def _path(h, m, leaves):
    if len(leaves) == 1:
        return []
    k = merkle.split_point(len(leaves))
    if m < k:
        return [*_path(h, m, leaves[:k]), _mth(h, leaves[k:])]
    return [*_path(h, m - k, leaves[k:]), _mth(h, leaves[:k])]


def _subproof(h, m, leaves, whole):
    n = len(leaves)
    if m == n:
        return [] if whole else [_mth(h, leaves)]
    k = merkle.split_point(n)
    if m <= k:
        return [*_subproof(h, m, leaves[:k], whole), _mth(h, leaves[k:])]
    return [*_subproof(h, m - k, leaves[k:], False), _mth(h, leaves[:k])]


def _leaves(n):
    return [SHA256.leaf(i.to_bytes(4, "big")) for i in range(n)]


@pytest.mark.parametrize("n", [*range(1, 34), 63, 64, 65, 100])
def test_matches_naive_reference(n):
    leaves = _leaves(n)
    tree = MemoryTree(SHA256, leaves)
    assert tree.root() == _mth(SHA256, leaves) == merkle.root_of(SHA256, leaves)
    for m in range(n):
        assert tree.inclusion_proof(m) == _path(SHA256, m, leaves)
    for m in range(1, n + 1):
        assert tree.consistency_proof(m) == _subproof(SHA256, m, leaves, True)


def test_compact_range_round_trips_and_reports_completed_nodes():
    cr = CompactRange(SHA256)
    closed = []
    for leaf in _leaves(6):
        closed.append([(level, index) for level, index, _ in cr.append(leaf)])
    # Leaf 1 closes (1,0); leaf 3 closes (1,1) and (2,0); leaf 5 closes (1,2).
    assert closed == [[], [(1, 0)], [], [(1, 1), (2, 0)], [], [(1, 2)]]
    again = CompactRange.from_bytes(SHA256, cr.size, cr.to_bytes())
    assert again.root() == cr.root() == _mth(SHA256, _leaves(6))
    with pytest.raises(merkle.MerkleError):
        CompactRange.from_bytes(SHA256, 7, cr.to_bytes())


def test_proof_generation_rejects_impossible_requests():
    tree = MemoryTree(SHA256, _leaves(5))
    with pytest.raises(merkle.MerkleError):
        tree.inclusion_proof(5)
    with pytest.raises(merkle.MerkleError):
        tree.consistency_proof(0)
    with pytest.raises(merkle.MerkleError):
        merkle.consistency_proof(SHA256, tree, 3, 6)  # the store has no sixth leaf


def test_verifier_edge_rules():
    tree = MemoryTree(SHA256, _leaves(8))
    root = tree.root()
    leaf = tree.levels[0][3]
    proof = tree.inclusion_proof(3)
    verify_inclusion(SHA256, 3, 8, leaf, proof, root)
    with pytest.raises(ProofError, match="leaf hash"):
        verify_inclusion(SHA256, 3, 8, leaf[:31], proof, root)
    with pytest.raises(ProofError, match="element 1"):
        verify_inclusion(SHA256, 3, 8, leaf, [proof[0], proof[1] + b"\x00", proof[2]], root)
    with pytest.raises(ProofError, match="longer"):
        verify_inclusion(SHA256, 3, 8, leaf, [*proof, proof[0]], root)
    with pytest.raises(ProofError, match="shorter"):
        verify_inclusion(SHA256, 3, 8, leaf, proof[:-1], root)
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(SHA256, 0, 0, [], SHA256.empty_root(), SHA256.empty_root())
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(SHA256, 0, 8, [], SHA256.empty_root(), root)


# --- random trees -----------------------------------------------------------------------------

_trees: dict[int, MemoryTree] = {}


def _tree(n: int) -> MemoryTree:
    # Trees are prefixes of one another, so one tree of the largest size serves every size.
    if n not in _trees:
        _trees[n] = MemoryTree(SHA256, _leaves(n))
    return _trees[n]


def _flipped(value: bytes, bit: int) -> bytes:
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


HYPOTHESIS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(n=st.integers(min_value=1, max_value=2000))
@example(n=2000)
@example(n=1025)
@example(n=1024)
def test_every_inclusion_and_consistency_proof_verifies(n):
    tree = _tree(n)
    root = tree.root()
    for index in range(n):
        verify_inclusion(SHA256, index, n, tree.levels[0][index], tree.inclusion_proof(index), root)
    for size1 in range(1, n + 1):
        verify_consistency(SHA256, size1, n, tree.consistency_proof(size1, n), tree.root(size1), root)


@HYPOTHESIS
@given(data=st.data(), n=st.integers(min_value=2, max_value=2000))
def test_any_flipped_bit_in_an_inclusion_proof_or_root_is_rejected(data, n):
    tree = _tree(n)
    index = data.draw(st.integers(min_value=0, max_value=n - 1), label="index")
    leaf, proof, root = tree.levels[0][index], tree.inclusion_proof(index), tree.root()
    verify_inclusion(SHA256, index, n, leaf, proof, root)
    # Every bit of every element, of the root and of the leaf hash: exhaustive for this proof.
    for position in range(len(proof)):
        for bit in range(256):
            bad = [*proof]
            bad[position] = _flipped(proof[position], bit)
            with pytest.raises(ProofError):
                verify_inclusion(SHA256, index, n, leaf, bad, root)
    for bit in range(256):
        with pytest.raises(ProofError):
            verify_inclusion(SHA256, index, n, leaf, proof, _flipped(root, bit))
        with pytest.raises(ProofError):
            verify_inclusion(SHA256, index, n, _flipped(leaf, bit), proof, root)


@HYPOTHESIS
@given(data=st.data(), n=st.integers(min_value=2, max_value=2000))
def test_any_flipped_bit_in_a_consistency_proof_or_root_is_rejected(data, n):
    tree = _tree(n)
    size1 = data.draw(st.integers(min_value=1, max_value=n - 1), label="size1")
    proof, root1, root2 = tree.consistency_proof(size1, n), tree.root(size1), tree.root()
    verify_consistency(SHA256, size1, n, proof, root1, root2)
    for position in range(len(proof)):
        for bit in range(256):
            bad = [*proof]
            bad[position] = _flipped(proof[position], bit)
            with pytest.raises(ProofError):
                verify_consistency(SHA256, size1, n, bad, root1, root2)
    for bit in range(256):
        with pytest.raises(ProofError):
            verify_consistency(SHA256, size1, n, proof, _flipped(root1, bit), root2)
        with pytest.raises(ProofError):
            verify_consistency(SHA256, size1, n, proof, root1, _flipped(root2, bit))


@HYPOTHESIS
@given(data=st.data(), n=st.integers(min_value=2, max_value=2000))
def test_proofs_for_another_position_or_size_are_rejected(data, n):
    tree = _tree(n)
    index = data.draw(st.integers(min_value=0, max_value=n - 1), label="index")
    other = data.draw(st.integers(min_value=0, max_value=n - 1).filter(lambda i: i != index), label="other")
    leaf, proof, root = tree.levels[0][index], tree.inclusion_proof(index), tree.root()
    with pytest.raises(ProofError):
        verify_inclusion(SHA256, other, n, leaf, proof, root)
    with pytest.raises(ProofError):
        verify_inclusion(SHA256, index, n, tree.levels[0][other], proof, root)
    size1 = data.draw(st.integers(min_value=1, max_value=n - 1), label="size1")
    with pytest.raises(ProofError):
        verify_consistency(SHA256, size1, n, tree.consistency_proof(size1, n)[:-1], tree.root(size1), root)

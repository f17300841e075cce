"""RFC 6962 / RFC 9162 Merkle tree: hashing, compact ranges, proof generation and verification.

Pure Python, no Django, so that the stand-alone case-file verifier can ship this module as is.

Vocabulary:
- a *leaf hash* is H(0x00 || entry bytes), an interior node H(0x01 || left || right);
- a node id `(level, index)` names the perfect subtree of 2**level leaves starting at leaf
  index * 2**level; level 0 is a leaf;
- a *range* `(begin, end)` is the subtree D[begin:end] of RFC 9162 §2.1.1. Every range a proof
  needs is aligned (begin is a multiple of a power of two >= end - begin), so its hash is the
  right-to-left fold of the perfect subtrees that cover it (`range_nodes`).

Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) step by step, plus
two input rules the RFC pseudo-code leaves out (transparency-dev/merkle proof/verify.go has them,
and the test vectors check them): every hash that enters a hash computation must have the
digest size, and a consistency proof from a tree of size 0 is rejected. Every proof element is
consumed and checked; a proof that is too long or too short fails.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, partial
from typing import Protocol

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

NodeId = tuple[int, int]  # (level, index)
Range = tuple[int, int]  # (begin, end), end exclusive


class MerkleError(ValueError):
    """Base class of the errors of this module."""


class UnsupportedHashError(MerkleError):
    """The hash algorithm is unknown or not offered by this Python's OpenSSL."""


class ProofError(MerkleError):
    """A proof does not verify (or its inputs are malformed)."""


class Hasher:
    """The RFC 6962 tree hash over one algorithm (SHA-256 or SM3)."""

    __slots__ = ("_new", "digest_size", "name")

    def __init__(self, name: str) -> None:
        name = name.lower()
        if name == "sha256":
            # The direct constructor is ~30% faster than hashlib.new on small inputs.
            self._new: Callable[[bytes], hashlib._Hash] = hashlib.sha256
        elif name == "sm3":
            if "sm3" not in hashlib.algorithms_available:
                raise UnsupportedHashError(
                    "SM3 is not available: this Python's OpenSSL does not provide it "
                    "(hashlib.algorithms_available has no 'sm3'); use sha256 or an OpenSSL with SM3"
                )
            self._new = partial(hashlib.new, "sm3")
        else:
            raise UnsupportedHashError(f"unsupported Merkle hash algorithm {name!r} (use 'sha256' or 'sm3')")
        self.name = name
        self.digest_size = self._new(b"").digest_size

    def __repr__(self) -> str:
        return f"Hasher({self.name!r})"

    def digest(self, data: bytes) -> bytes:
        return self._new(data).digest()

    def leaf(self, data: bytes) -> bytes:
        return self._new(LEAF_PREFIX + data).digest()

    def node(self, left: bytes, right: bytes) -> bytes:
        return self._new(NODE_PREFIX + left + right).digest()

    def empty_root(self) -> bytes:
        return self._new(b"").digest()


@cache
def hasher_for(name: str) -> Hasher:
    return Hasher(name)


def sm3_available() -> bool:
    return "sm3" in hashlib.algorithms_available


# --- tree shape -------------------------------------------------------------------------------


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2): RFC 9162 §2.1.1's k."""
    if n < 2:
        raise ValueError("split point needs n >= 2")
    return 1 << ((n - 1).bit_length() - 1)


def range_nodes(begin: int, end: int) -> list[NodeId]:
    """The perfect subtrees covering [begin, end), largest first.

    Only valid for the aligned ranges that occur in an RFC 6962 tree; folding their hashes from
    the right (`fold_right`) then gives MTH(D[begin:end])."""
    if not 0 <= begin < end:
        raise ValueError(f"empty or negative range [{begin}, {end})")
    out: list[NodeId] = []
    while begin < end:
        level = (end - begin).bit_length() - 1
        if begin:
            # A subtree must start on a multiple of its own size.
            level = min(level, (begin & -begin).bit_length() - 1)
        out.append((level, begin >> level))
        begin += 1 << level
    return out


def fold_right(hasher: Hasher, hashes: Sequence[bytes]) -> bytes:
    """Fold subtree hashes (largest first) into the hash of their union: the RFC tree puts the
    smaller right-hand subtrees deeper, so the fold starts from the right."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = hasher.node(h, acc)
    return acc


def perfect_subtree_count(size: int) -> int:
    """How many perfect subtrees of level >= 1 a tree of `size` leaves has (sum of size >> l)."""
    return size - size.bit_count()


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees whose hashes form the inclusion path of leaf `index` in a tree of `size`
    leaves (RFC 9162 §2.1.3.1 PATH), from the leaf upwards."""
    if not 0 <= index < size:
        raise MerkleError(f"leaf index {index} is outside a tree of size {size}")
    ranges: list[Range] = []
    begin, end = 0, size
    while end - begin > 1:
        k = split_point(end - begin)
        if index < begin + k:
            ranges.append((begin + k, end))
            end = begin + k
        else:
            ranges.append((begin, begin + k))
            begin += k
    ranges.reverse()
    return ranges


def consistency_ranges(size1: int, size2: int) -> list[Range]:
    """The subtrees whose hashes form the consistency proof between sizes (RFC 9162 §2.1.4.1
    PROOF/SUBPROOF), in proof order."""
    if not 0 < size1 <= size2:
        raise MerkleError(f"no consistency proof from size {size1} to size {size2} (need 0 < size1 <= size2)")
    ranges: list[Range] = []
    begin, end, m, whole = 0, size2, size1, True
    while True:
        n = end - begin
        if m == n:
            if not whole:
                ranges.append((begin, end))
            break
        k = split_point(n)
        if m <= k:
            ranges.append((begin + k, end))
            end = begin + k
        else:
            ranges.append((begin, begin + k))
            begin += k
            m -= k
            whole = False
    ranges.reverse()
    return ranges


# --- node stores and proofs --------------------------------------------------------------------


class NodeStore(Protocol):
    """Where complete-subtree hashes live (the database, or memory in tests)."""

    def node_hashes(self, ids: Iterable[NodeId]) -> Mapping[NodeId, bytes]:
        """Return the hash of each requested complete subtree (level 0 = leaf hashes)."""
        ...


def hashes_of_ranges(hasher: Hasher, store: NodeStore, ranges: Sequence[Range]) -> list[bytes]:
    """The hash of each range, fetching every needed node in one call to the store."""
    per_range = [range_nodes(b, e) for b, e in ranges]
    wanted = {node for nodes in per_range for node in nodes}
    found = store.node_hashes(wanted)
    missing = wanted - found.keys()
    if missing:
        raise MerkleError(f"node store lacks {len(missing)} node(s), e.g. {min(missing)}")
    return [fold_right(hasher, [found[n] for n in nodes]) for nodes in per_range]


class MemoryNodes(dict):
    """Hashes already read (e.g. in one query), as a node store."""

    def node_hashes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        return {node: self[node] for node in ids if node in self}


def root_from_store(hasher: Hasher, store: NodeStore, size: int) -> bytes:
    if size == 0:
        return hasher.empty_root()
    return hashes_of_ranges(hasher, store, [(0, size)])[0]


def inclusion_proof(hasher: Hasher, store: NodeStore, index: int, size: int) -> list[bytes]:
    return hashes_of_ranges(hasher, store, inclusion_ranges(index, size))


def consistency_proof(hasher: Hasher, store: NodeStore, size1: int, size2: int) -> list[bytes]:
    return hashes_of_ranges(hasher, store, consistency_ranges(size1, size2))


class CompactRange:
    """The roots of the perfect subtrees that make up a tree of `size` leaves, largest first:
    O(log n) state from which the next append and the root follow (popcount(size) hashes)."""

    __slots__ = ("hasher", "hashes", "size")

    def __init__(self, hasher: Hasher, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise MerkleError(
                f"a compact range of size {size} has {size.bit_count()} hashes, not {len(hashes)}"
            )
        self.hasher = hasher
        self.size = size
        self.hashes = list(hashes)

    @classmethod
    def from_bytes(cls, hasher: Hasher, size: int, blob: bytes) -> CompactRange:
        d = hasher.digest_size
        if len(blob) != d * size.bit_count():
            raise MerkleError(f"compact range blob of {len(blob)} bytes does not fit size {size}")
        return cls(hasher, size, [bytes(blob[i : i + d]) for i in range(0, len(blob), d)])

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; return the complete subtrees (level >= 1) it closes as (level, index, hash)."""
        node, level, index, size = leaf_hash, 0, self.size, self.size
        completed: list[tuple[int, int, bytes]] = []
        # Each trailing 1-bit of the old size is a perfect subtree of that level now paired.
        while size & 1:
            node = self.hasher.node(self.hashes.pop(), node)
            level += 1
            index >>= 1
            size >>= 1
            completed.append((level, index, node))
        self.hashes.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.hashes:
            return self.hasher.empty_root()
        return fold_right(self.hasher, self.hashes)


def root_of(hasher: Hasher, leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH over leaf hashes."""
    cr = CompactRange(hasher)
    for leaf in leaf_hashes:
        cr.append(leaf)
    return cr.root()


class MemoryTree:
    """A whole tree in memory: every complete subtree hash by level. For tests and tools."""

    def __init__(self, hasher: Hasher, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.hasher = hasher
        self.levels: list[list[bytes]] = [[]]
        self._range = CompactRange(hasher)
        for leaf in leaf_hashes:
            self.append(leaf)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, leaf_hash: bytes) -> None:
        self.levels[0].append(leaf_hash)
        for level, index, h in self._range.append(leaf_hash):
            if level == len(self.levels):
                self.levels.append([])
            assert len(self.levels[level]) == index
            self.levels[level].append(h)

    def node_hashes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        out = {}
        for level, index in ids:
            if level < len(self.levels) and 0 <= index < len(self.levels[level]):
                out[(level, index)] = self.levels[level][index]
        return out

    def root(self, size: int | None = None) -> bytes:
        return root_from_store(self.hasher, self, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(self.hasher, self, index, self.size if size is None else size)

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        return consistency_proof(self.hasher, self, size1, self.size if size2 is None else size2)


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) -------------------------------------------


def _check_length(hasher: Hasher, value: bytes, what: str) -> None:
    if len(value) != hasher.digest_size:
        raise ProofError(f"{what} is {len(value)} bytes, not the {hasher.digest_size} of {hasher.name}")


def _equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(bytes(a), bytes(b))


def root_from_inclusion(hasher: Hasher, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that leaf `leaf_hash` at `index` and its inclusion proof lead to in a tree of
    `size` leaves (RFC 9162 §2.1.3.2 steps 2-4); ProofError if the proof has not the path's length."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not below tree size {size}")
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = hasher.node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hasher.node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path to the root")
    return r


def verify_inclusion(
    hasher: Hasher, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless `proof` shows leaf `leaf_hash` at `index` in the tree (`size`, `root`)."""
    _check_length(hasher, leaf_hash, "leaf hash")
    _check_length(hasher, root, "root hash")
    for i, p in enumerate(proof):
        _check_length(hasher, p, f"inclusion proof element {i}")
    # Step 1.
    if index < 0 or index >= size:
        raise ProofError(f"leaf index {index} is not below tree size {size}")
    # Steps 2-5.
    r = root_from_inclusion(hasher, index, size, leaf_hash, proof)
    if not _equal(r, root):
        raise ProofError("inclusion proof leads to a different root")


def verify_consistency(
    hasher: Hasher, size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Raise ProofError unless `proof` shows the tree (size1, root1) is a prefix of (size2, root2)."""
    for i, p in enumerate(proof):
        _check_length(hasher, p, f"consistency proof element {i}")
    if size1 < 0 or size2 < size1:
        raise ProofError(f"size2 ({size2}) is smaller than size1 ({size1})")
    if size1 == 0:
        # Everything is consistent with the empty tree, so such a "proof" proves nothing; refusing
        # it keeps a caller from mistaking it for evidence (rule (b) of tech_notes §1.3).
        raise ProofError("a consistency proof from an empty tree proves nothing")
    if size1 == size2:
        # Identical trees: RFC 9162 leaves the proof empty and the roots must be equal. The roots
        # are only compared here, never hashed, and the vector
        # sizes-are-equal-one-and-proof-is-empty.json accepts them whatever their length.
        if proof:
            raise ProofError("sizes are equal but the consistency proof is not empty")
        if not _equal(root1, root2):
            raise ProofError("sizes are equal but the roots differ")
        return
    _check_length(hasher, root1, "first root")
    _check_length(hasher, root2, "second root")
    # Step 1.
    if not proof:
        raise ProofError("consistency proof is empty")
    # Step 2.
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    # Steps 3-4.
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = path[0]
    # Step 6.
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than needed")
        if fn & 1 or fn == sn:
            fr = hasher.node(c, fr)
            sr = hasher.node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hasher.node(sr, c)
        fn >>= 1
        sn >>= 1
    # Step 7.
    if sn != 0:
        raise ProofError("consistency proof is shorter than needed")
    if not _equal(fr, root1):
        raise ProofError("consistency proof does not lead to the first root")
    if not _equal(sr, root2):
        raise ProofError("consistency proof does not lead to the second root")

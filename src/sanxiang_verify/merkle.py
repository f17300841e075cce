"""RFC 6962 / RFC 9162 leaf hashing and inclusion-proof verification.

Vendored from `sanxiang.ledger.merkle` (the verification half only) so that this package stays
a folder that runs with Python and `cryptography` alone, on a machine that has never seen the
server. `tests/export/test_verifier_parity.py` runs this copy against the same RFC vectors and
random trees as the original, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from functools import partial

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class ProofError(ValueError):
    """A proof does not verify (or its inputs are malformed)."""


class UnsupportedHashError(ValueError):
    """The hash algorithm is unknown or not offered by this Python's OpenSSL."""


def sm3_available() -> bool:
    return "sm3" in hashlib.algorithms_available


def digest_new(name: str):
    """A fresh hashlib object for "sha256" or "sm3"."""
    if name == "sha256":
        return hashlib.sha256()
    if name == "sm3":
        if not sm3_available():
            raise UnsupportedHashError("SM3 is not available in this Python's OpenSSL")
        return hashlib.new("sm3")
    raise UnsupportedHashError(f"unsupported hash algorithm {name!r}")


class Hasher:
    """The RFC 6962 tree hash over SHA-256 or SM3."""

    __slots__ = ("_new", "digest_size", "name")

    def __init__(self, name: str) -> None:
        if name == "sha256":
            self._new: Callable[[bytes], object] = hashlib.sha256
        elif name == "sm3":
            if not sm3_available():
                raise UnsupportedHashError("SM3 is not available in this Python's OpenSSL")
            self._new = partial(hashlib.new, "sm3")
        else:
            raise UnsupportedHashError(f"unsupported Merkle hash algorithm {name!r}")
        self.name = name
        self.digest_size = self._new(b"").digest_size

    def leaf(self, data: bytes) -> bytes:
        return self._new(LEAF_PREFIX + data).digest()

    def node(self, left: bytes, right: bytes) -> bytes:
        return self._new(NODE_PREFIX + left + right).digest()


def _check_length(hasher: Hasher, value: bytes, what: str) -> None:
    if len(value) != hasher.digest_size:
        raise ProofError(f"{what} is {len(value)} bytes, not the {hasher.digest_size} of {hasher.name}")


def verify_inclusion(
    hasher: Hasher, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless `proof` shows leaf `leaf_hash` at `index` in the tree (`size`, `root`).

    RFC 9162 §2.1.3.2, consuming every proof element: a proof that is too long or too short fails."""
    _check_length(hasher, leaf_hash, "leaf hash")
    _check_length(hasher, root, "root hash")
    for i, p in enumerate(proof):
        _check_length(hasher, p, f"inclusion proof element {i}")
    if index < 0 or index >= size:
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
    if not hmac.compare_digest(r, root):
        raise ProofError("inclusion proof leads to a different root")

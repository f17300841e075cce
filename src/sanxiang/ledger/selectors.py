"""Reads of the ledger: the stored tree as a node store, proofs, checkpoints, the public key."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from sanxiang.ledger import keys
from sanxiang.ledger.merkle import NodeId, consistency_proof, hasher_for, inclusion_proof, root_from_store
from sanxiang.ledger.models import HEAD_ID, Checkpoint, Entry, Head, Node


class ProofRequestError(ValueError):
    """A proof was asked with parameters that do not describe one (the API answers 400)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class DatabaseNodeStore:
    """The stored tree: leaves from `Entry.leaf_hash`, complete subtrees from `Node`."""

    def node_hashes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        ids = set(ids)
        found: dict[NodeId, bytes] = {}
        leaves = [index for level, index in ids if level == 0]
        if leaves:
            for seq, leaf in Entry.objects.filter(seq__in=leaves).values_list("seq", "leaf_hash"):
                found[(0, seq)] = bytes(leaf)
        by_level: dict[int, list[int]] = {}
        for level, index in ids:
            if level:
                by_level.setdefault(level, []).append(index)
        if by_level:
            # One query for the O(log n) nodes of a proof, whatever their levels.
            where = reduce(or_, (Q(level=level, index__in=indexes) for level, indexes in by_level.items()))
            for level, index, h in Node.objects.filter(where).values_list("level", "index", "hash"):
                found[(level, index)] = bytes(h)
        return found


def head_get() -> Head | None:
    return Head.objects.filter(pk=HEAD_ID).first()


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size", "-id").first()


def _b64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode()


@dataclass(frozen=True)
class InclusionProof:
    algorithm: str
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    path: list[bytes]

    def as_json(self) -> dict:
        return {
            "algorithm": self.algorithm,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf_hash": _b64(self.leaf_hash),
            "root_hash": _b64(self.root_hash),
            "inclusion_path": [_b64(h) for h in self.path],
        }


@dataclass(frozen=True)
class ConsistencyProof:
    algorithm: str
    first: int
    second: int
    first_root: bytes
    second_root: bytes
    path: list[bytes]

    def as_json(self) -> dict:
        return {
            "algorithm": self.algorithm,
            "first": self.first,
            "second": self.second,
            "first_root": _b64(self.first_root),
            "second_root": _b64(self.second_root),
            "consistency_path": [_b64(h) for h in self.path],
        }


def _served_head() -> Head:
    head = head_get()
    if head is None or head.size == 0:
        raise ProofRequestError("size", "the ledger is empty")
    return head


def _size_or_latest(size: int | None, field: str) -> int:
    if size is not None:
        return size
    latest = checkpoint_latest()
    if latest is None:
        raise ProofRequestError(field, "no checkpoint has been issued yet: give the tree size explicitly")
    return latest.size


def inclusion_proof_get(*, seq: int, size: int | None = None) -> InclusionProof:
    """The inclusion proof of entry `seq` in the tree of `size` entries (default: the size of the
    latest checkpoint, the one clients hold a signature for)."""
    head = _served_head()
    size = _size_or_latest(size, "size")
    if not 0 < size <= head.size:
        raise ProofRequestError("size", f"size must be between 1 and {head.size}")
    if not 0 <= seq < size:
        raise ProofRequestError("seq", f"seq must be between 0 and {size - 1}")
    hasher = hasher_for(head.algorithm)
    store = DatabaseNodeStore()
    leaf = store.node_hashes([(0, seq)]).get((0, seq))
    if leaf is None:
        raise ProofRequestError("seq", f"entry {seq} is missing")
    return InclusionProof(
        algorithm=hasher.name,
        leaf_index=seq,
        tree_size=size,
        leaf_hash=leaf,
        root_hash=root_from_store(hasher, store, size),
        path=inclusion_proof(hasher, store, seq, size),
    )


def consistency_proof_get(*, first: int, second: int | None = None) -> ConsistencyProof:
    """The consistency proof from the tree of `first` entries to that of `second` (default: the
    size of the latest checkpoint)."""
    head = _served_head()
    second = _size_or_latest(second, "second")
    if not 0 < second <= head.size:
        raise ProofRequestError("second", f"second must be between 1 and {head.size}")
    if not 0 < first <= second:
        raise ProofRequestError("first", f"first must be between 1 and {second}")
    hasher = hasher_for(head.algorithm)
    store = DatabaseNodeStore()
    return ConsistencyProof(
        algorithm=hasher.name,
        first=first,
        second=second,
        first_root=root_from_store(hasher, store, first),
        second_root=root_from_store(hasher, store, second),
        path=consistency_proof(hasher, store, first, second),
    )


def public_key_get() -> dict:
    verifier = keys.verifier_get()
    head = head_get()
    return {
        "origin": keys.ledger_origin(),
        "key_name": verifier.name,
        "key_id": verifier.key_id.hex(),
        "signature_algorithm": "ed25519",
        "public_key": _b64(verifier.public_key),
        "vkey": verifier.vkey,
        "hash_algorithm": head.algorithm if head else keys.ledger_hash_algorithm(),
    }

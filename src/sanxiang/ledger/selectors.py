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
from sanxiang.ledger.models import DEFAULT_LEDGER, Checkpoint, Entry, Head, Ledger, LedgerAgency, Node


class ProofRequestError(ValueError):
    """A proof was asked with parameters that do not describe one (the API answers 400)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class DatabaseNodeStore:
    """The stored tree of one ledger: leaves from `Entry.leaf_hash`, complete subtrees from `Node`."""

    def __init__(self, ledger_id: int = DEFAULT_LEDGER) -> None:
        self.ledger_id = ledger_id

    def node_hashes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        ids = set(ids)
        found: dict[NodeId, bytes] = {}
        leaves = [index for level, index in ids if level == 0]
        if leaves:
            for seq, leaf in Entry.objects.filter(ledger_id=self.ledger_id, seq__in=leaves).values_list("seq", "leaf_hash"):
                found[(0, seq)] = bytes(leaf)
        by_level: dict[int, list[int]] = {}
        for level, index in ids:
            if level:
                by_level.setdefault(level, []).append(index)
        if by_level:
            # One query for the O(log n) nodes of a proof, whatever their levels.
            where = reduce(or_, (Q(level=level, index__in=indexes) for level, indexes in by_level.items()))
            for level, index, h in Node.objects.filter(where, ledger_id=self.ledger_id).values_list("level", "index", "hash"):
                found[(level, index)] = bytes(h)
        return found


def head_get(ledger_id: int = DEFAULT_LEDGER) -> Head | None:
    return Head.objects.filter(pk=ledger_id).first()


def checkpoint_latest(ledger_id: int = DEFAULT_LEDGER) -> Checkpoint | None:
    return Checkpoint.objects.filter(ledger_id=ledger_id).order_by("-size", "-id").first()


def ledger_log_of_heads() -> Ledger | None:
    """The log that records every other ledger's signed heads (None while there is one ledger)."""
    return Ledger.objects.filter(is_log_of_heads=True).order_by("id").first()


def ledger_ids() -> list[int]:
    """Every ledger's id, the default first (it exists even before its row is read)."""
    ids = list(Ledger.objects.order_by("id").values_list("id", flat=True))
    return ids if DEFAULT_LEDGER in ids else [DEFAULT_LEDGER, *ids]


def ledger_name(ledger_id: int) -> str:
    if ledger_id == DEFAULT_LEDGER:
        return "default"
    return Ledger.objects.filter(pk=ledger_id).values_list("name", flat=True).first() or str(ledger_id)


def ledger_origin_for(ledger_id: int = DEFAULT_LEDGER) -> str:
    """The origin line of a ledger's checkpoints: the configured origin for the default ledger
    (as before there were several), `<origin>/<name>` for the others."""
    if ledger_id == DEFAULT_LEDGER:
        return keys.ledger_origin()
    return f"{keys.ledger_origin()}/{ledger_name(ledger_id)}"


def ledger_of_agency(agency_id: int | None) -> int:
    """The ledger an agency's entries go to (the default one for no agency or no mapping)."""
    if agency_id is None:
        return DEFAULT_LEDGER
    found = LedgerAgency.objects.filter(agency_id=agency_id).values_list("ledger_id", flat=True).first()
    return found if found is not None else DEFAULT_LEDGER


def ledger_by_name(name: str) -> int | None:
    if name == "default":
        return DEFAULT_LEDGER
    return Ledger.objects.filter(name=name).values_list("id", flat=True).first()


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


def _served_head(ledger_id: int) -> Head:
    head = head_get(ledger_id)
    if head is None or head.size == 0:
        raise ProofRequestError("size", "the ledger is empty")
    return head


def _size_or_latest(size: int | None, field: str, ledger_id: int) -> int:
    if size is not None:
        return size
    latest = checkpoint_latest(ledger_id)
    if latest is None:
        raise ProofRequestError(field, "no checkpoint has been issued yet: give the tree size explicitly")
    return latest.size


def inclusion_proof_get(*, seq: int, size: int | None = None, ledger_id: int = DEFAULT_LEDGER) -> InclusionProof:
    """The inclusion proof of entry `seq` in the tree of `size` entries (default: the size of the
    latest checkpoint, the one clients hold a signature for)."""
    head = _served_head(ledger_id)
    size = _size_or_latest(size, "size", ledger_id)
    if not 0 < size <= head.size:
        raise ProofRequestError("size", f"size must be between 1 and {head.size}")
    if not 0 <= seq < size:
        raise ProofRequestError("seq", f"seq must be between 0 and {size - 1}")
    hasher = hasher_for(head.algorithm)
    store = DatabaseNodeStore(ledger_id)
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


def consistency_proof_get(
    *, first: int, second: int | None = None, ledger_id: int = DEFAULT_LEDGER
) -> ConsistencyProof:
    """The consistency proof from the tree of `first` entries to that of `second` (default: the
    size of the latest checkpoint)."""
    head = _served_head(ledger_id)
    second = _size_or_latest(second, "second", ledger_id)
    if not 0 < second <= head.size:
        raise ProofRequestError("second", f"second must be between 1 and {head.size}")
    if not 0 < first <= second:
        raise ProofRequestError("first", f"first must be between 1 and {second}")
    hasher = hasher_for(head.algorithm)
    store = DatabaseNodeStore(ledger_id)
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

"""Reads of the ledger: the stored tree as a node store, proofs, checkpoints, the public key."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from sanxiang.ledger import keys
from sanxiang.ledger.merkle import (
    MemoryNodes,
    NodeId,
    consistency_ranges,
    hasher_for,
    hashes_of_ranges,
    inclusion_ranges,
    range_nodes,
    root_from_inclusion,
)
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
        """The requested hashes in one query: each wanted leaf and node is a lookup on its table's
        primary key, whatever the size of the tree (a proof's O(log n) rows)."""
        by_level: dict[int, list[int]] = {}
        for level, index in set(ids):
            by_level.setdefault(level, []).append(index)
        if not by_level:
            return {}
        qn = connection.ops.quote_name
        parts: list[str] = []
        params: list[int] = []
        leaves = by_level.pop(0, None)
        if leaves:
            parts.append(
                f"SELECT 0, seq, leaf_hash FROM {qn(Entry._meta.db_table)} "
                f"WHERE ledger_id = %s AND seq IN ({', '.join(['%s'] * len(leaves))})"
            )
            params += [self.ledger_id, *leaves]
        if by_level:
            # Each term names the whole primary key, so that both engines look every row up by it.
            terms = []
            for level, indexes in sorted(by_level.items()):
                terms.append(f"(ledger_id = %s AND level = %s AND {qn('index')} IN ({', '.join(['%s'] * len(indexes))}))")
                params += [self.ledger_id, level, *indexes]
            parts.append(f"SELECT level, {qn('index')}, hash FROM {qn(Node._meta.db_table)} WHERE " + " OR ".join(terms))
        with connection.cursor() as cur:
            cur.execute(" UNION ALL ".join(parts), params)
            return {(level, index): bytes(h) for level, index, h in cur.fetchall()}


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
    ranges = inclusion_ranges(seq, size)
    # One query: the leaf and the nodes of the path. The root follows from them (RFC 9162
    # §2.1.3.2's computation), so no other node is read.
    wanted = {(0, seq)} | {node for begin, end in ranges for node in range_nodes(begin, end)}
    found = MemoryNodes(DatabaseNodeStore(ledger_id).node_hashes(wanted))
    leaf = found.get((0, seq))
    if leaf is None:
        raise ProofRequestError("seq", f"entry {seq} is missing")
    path = hashes_of_ranges(hasher, found, ranges)
    return InclusionProof(
        algorithm=hasher.name,
        leaf_index=seq,
        tree_size=size,
        leaf_hash=leaf,
        root_hash=root_from_inclusion(hasher, seq, size, leaf, path),
        path=path,
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
    ranges = consistency_ranges(first, second)
    roots = [(0, first), (0, second)]
    # One query for the nodes of the proof and of both roots.
    wanted = {node for begin, end in [*ranges, *roots] for node in range_nodes(begin, end)}
    found = MemoryNodes(DatabaseNodeStore(ledger_id).node_hashes(wanted))
    first_root, second_root, *path = hashes_of_ranges(hasher, found, [*roots, *ranges])
    return ConsistencyProof(
        algorithm=hasher.name,
        first=first,
        second=second,
        first_root=first_root,
        second_root=second_root,
        path=path,
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

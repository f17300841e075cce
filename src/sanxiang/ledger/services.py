"""Writes to the ledger: appending entries, choosing the hash at creation, issuing checkpoints.

Appends are serialized on the single head row: `SELECT ... FOR UPDATE` on PostgreSQL (held until
the caller's transaction ends, so two application servers queue instead of forking), and on
SQLite the write lock that `transaction_mode=IMMEDIATE` takes at BEGIN. Sequence numbers are
therefore gapless: a rolled-back caller releases its number with its rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from sanxiang.ledger import keys, notes
from sanxiang.ledger.canonical import canonical_json, entry_body
from sanxiang.ledger.events import FileDigest, LedgerEvent
from sanxiang.ledger.merkle import CompactRange, Hasher, hasher_for, root_from_store
from sanxiang.ledger.models import HEAD_ID, Checkpoint, Entry, Head, Node
from sanxiang.ledger.selectors import DatabaseNodeStore

_HEX64 = re.compile(r"[0-9a-f]{64}")


class LedgerError(Exception):
    """The ledger refuses an operation."""


class LedgerStateError(LedgerError):
    """The stored ledger is not in a state an append or checkpoint may build on."""


def _require_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "ledger writes must run inside the transaction of the change they record: "
            "call them within transaction.atomic()"
        )


def _head_locked(*, algorithm: str | None = None) -> Head:
    """Lock the head row (creating it on first use) and return it."""
    head = Head.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    if Entry.objects.exists():
        # Never restart numbering over existing entries: that would fork the ledger.
        raise LedgerStateError("the ledger head row is missing although entries exist; run `sanxiang verify`")
    name = algorithm or keys.ledger_hash_algorithm()
    hasher = hasher_for(name)  # refuses unknown algorithms and SM3 without OpenSSL support
    Head.objects.bulk_create(
        [
            Head(
                id=HEAD_ID,
                algorithm=hasher.name,
                size=0,
                root=hasher.empty_root(),
                compact_range=b"",
                updated_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,  # another process may create it at the same moment
    )
    return Head.objects.select_for_update().get(pk=HEAD_ID)


def _file_digest(f: FileDigest) -> dict[str, Any]:
    if not _HEX64.fullmatch(f.sha256):
        raise ValueError(f"file sha256 must be 64 lower-case hex digits, got {f.sha256!r}")
    if f.sm3 is not None and not _HEX64.fullmatch(f.sm3):
        raise ValueError(f"file sm3 must be 64 lower-case hex digits, got {f.sm3!r}")
    if not isinstance(f.size, int) or isinstance(f.size, bool) or f.size < 0:
        raise ValueError(f"file size must be a non-negative int, got {f.size!r}")
    return {"sha256": f.sha256, "size": f.size, "sm3": f.sm3}


def _actor_ref(actor) -> tuple[int, str] | None:
    if actor is None:
        return None
    if actor.pk is None:
        raise ValueError("the actor of a ledger entry must be a saved user")
    return (actor.pk, actor.get_username())


def _build(
    *, hasher: Hasher, cr: CompactRange, event: LedgerEvent, actor_ref, actor_id, now
) -> tuple[Entry, list[Node]]:
    seq = cr.size
    body = canonical_json(
        entry_body(
            seq=seq,
            kind=event.kind,
            actor=actor_ref,
            at=now,
            agency_id=event.agency_id,
            case_id=event.case_id,
            subject=event.subject,
            payload=event.payload,
            files=[_file_digest(f) for f in event.files],
        )
    )
    leaf = hasher.leaf(body)
    nodes = [Node(level=level, index=index, hash=h) for level, index, h in cr.append(leaf)]
    entry = Entry(
        seq=seq,
        kind=str(event.kind),
        actor_id=actor_id,
        agency_id=event.agency_id,
        case_id=event.case_id,
        subject=event.subject,
        created_at=now,
        body=body,
        leaf_hash=leaf,
    )
    return entry, nodes


def _head_advance(cr: CompactRange, now) -> None:
    Head.objects.filter(pk=HEAD_ID).update(
        size=cr.size, root=cr.root(), compact_range=cr.to_bytes(), updated_at=now
    )


def _head_row_locked(cursor) -> tuple[str, int, bytes] | None:
    """(algorithm, size, compact range) of the head, locked; raw SQL because this runs on every
    append and the ORM's query building costs more than the database work."""
    lock = " FOR UPDATE" if transaction.get_connection().features.has_select_for_update else ""
    cursor.execute(f"SELECT algorithm, size, compact_range FROM ledger_head WHERE id = %s{lock}", [HEAD_ID])
    row = cursor.fetchone()
    return None if row is None else (row[0], row[1], bytes(row[2]))


def entry_append(*, event: LedgerEvent, actor=None) -> Entry:
    """Append one entry in the caller's transaction (which must be open) and return it.

    If the caller's transaction rolls back, the entry goes with it. The head row stays locked
    until that transaction ends, so keep the work after an append short."""
    _require_atomic()
    actor_ref = _actor_ref(actor)
    connection = transaction.get_connection()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
    ):  # a savepoint: a failed append leaves the caller's work intact
        head = _head_row_locked(cursor)
        if head is None:
            _head_locked()
            head = _head_row_locked(cursor)
        algorithm, size, compact = head
        hasher = hasher_for(algorithm)
        cr = CompactRange.from_bytes(hasher, size, compact)
        now = timezone.now()
        entry, nodes = _build(
            hasher=hasher,
            cr=cr,
            event=event,
            actor_ref=actor_ref,
            actor_id=actor_ref and actor_ref[0],
            now=now,
        )
        at = connection.ops.adapt_datetimefield_value(now)
        cursor.execute(
            "INSERT INTO ledger_entry (seq, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                entry.seq,
                entry.kind,
                entry.actor_id,
                entry.agency_id,
                entry.case_id,
                entry.subject,
                at,
                entry.body,
                entry.leaf_hash,
            ],
        )
        if nodes:
            cursor.execute(
                'INSERT INTO ledger_node (level, "index", hash) VALUES '
                + ", ".join(["(%s, %s, %s)"] * len(nodes)),
                [value for n in nodes for value in (n.level, n.index, n.hash)],
            )
        cursor.execute(
            "UPDATE ledger_head SET size = %s, root = %s, compact_range = %s, updated_at = %s WHERE id = %s",
            [cr.size, cr.root(), cr.to_bytes(), at, HEAD_ID],
        )
    # The row exists now: tell Django, so that the instance behaves like a fetched one.
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def entries_append(*, events: Iterable[LedgerEvent], actor=None, batch_size: int = 2000) -> int:
    """Append many entries under one lock (imports, tests): the same rows `entry_append` would
    write, in batched INSERTs. Returns how many were appended."""
    _require_atomic()
    actor_ref = _actor_ref(actor)
    actor_id = actor_ref and actor_ref[0]
    count = 0
    with transaction.atomic():
        head = _head_locked()
        hasher = hasher_for(head.algorithm)
        cr = CompactRange.from_bytes(hasher, head.size, head.compact_range)
        now = timezone.now()
        entries: list[Entry] = []
        nodes: list[Node] = []
        for event in events:
            entry, new_nodes = _build(
                hasher=hasher, cr=cr, event=event, actor_ref=actor_ref, actor_id=actor_id, now=timezone.now()
            )
            entries.append(entry)
            nodes.extend(new_nodes)
            count += 1
            if len(entries) >= batch_size:
                _flush(entries, nodes, batch_size)
        _flush(entries, nodes, batch_size)
        _head_advance(cr, now)
    return count


def _flush(entries: list[Entry], nodes: list[Node], batch_size: int) -> None:
    Entry.objects.bulk_create(entries, batch_size=batch_size)
    Node.objects.bulk_create(nodes, batch_size=batch_size)
    entries.clear()
    nodes.clear()


def ledger_create(*, algorithm: str) -> Head:
    """Create the ledger with the given hash ("sha256" or "sm3"). Allowed while it is empty;
    afterwards the algorithm is fixed, since every stored hash depends on it."""
    _require_atomic()
    hasher = hasher_for(algorithm)
    with transaction.atomic():
        head = _head_locked(algorithm=hasher.name)
        if head.algorithm == hasher.name:
            return head
        if head.size or Entry.objects.exists():
            raise LedgerError(f"the ledger already holds entries hashed with {head.algorithm}")
        head.algorithm = hasher.name
        head.root = hasher.empty_root()
        head.updated_at = timezone.now()
        head.save(update_fields=["algorithm", "root", "updated_at"])
        return head


def checkpoint_issue() -> Checkpoint:
    """Sign the current tree head as a C2SP checkpoint and store it; when the newest checkpoint
    already covers the current size, return it instead of signing the same head again."""
    _require_atomic()
    with transaction.atomic():
        head = _head_locked()
        hasher = hasher_for(head.algorithm)
        # The head is a cache: what gets signed is the root recomputed from the stored nodes.
        root = root_from_store(hasher, DatabaseNodeStore(), head.size)
        if root != bytes(head.root):
            raise LedgerStateError("the head row's root differs from the stored tree; run `sanxiang verify`")
        latest = Checkpoint.objects.order_by("-size", "-id").first()
        signer = keys.signer_get()
        if latest is not None:
            if latest.size > head.size:
                raise LedgerStateError(
                    f"checkpoint {latest.pk} covers {latest.size} entries but the ledger has {head.size}"
                )
            if latest.size == head.size and bytes(latest.root) == root and latest.key_name == signer.name:
                return latest
        return _checkpoint_sign(signer=signer, size=head.size, root=root)


def _checkpoint_sign(*, signer: notes.Signer, size: int, root: bytes) -> Checkpoint:
    text = notes.Checkpoint(keys.ledger_origin(), size, root).body()
    note, signature = notes.note_sign(text, signer)
    return Checkpoint.objects.create(
        size=size,
        root=root,
        note=note,
        key_name=signature.name,
        key_id=signature.key_id,
        signature=signature.signature,
        created_at=timezone.now(),
    )

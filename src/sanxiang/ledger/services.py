"""Writes to the ledger: appending entries, choosing the hash at creation, issuing checkpoints,
creating county ledgers.

**Locking.** Appends to one ledger are serialized on its head row: `SELECT ... FOR UPDATE` on
PostgreSQL (held until the caller's transaction ends, so two application servers queue instead of
forking), and on SQLite the write lock that `transaction_mode=IMMEDIATE` takes at BEGIN. Sequence
numbers are therefore gapless: a rolled-back caller releases its numbers with its rows.

**Batches.** Within `with ledger_batch():` (inside the caller's transaction) `entry_append` only
queues: nothing is locked or written until the block ends, when every queued entry is appended in
one go (the head read and locked once, the entries and their subtree nodes inserted in one
statement each, the head updated once). A transition renders and stores its documents first and
holds the head's lock only for that flush. Queued appends return a `PendingEntry` whose `seq` is
known after the flush; callers that store the seq pass `then=` (called with the `Entry` once it is
appended, still in the transaction). Entry bodies are exactly those of single appends. An
exception inside the block discards the queue (the transaction rolls back with it).

**Savepoints inside a batch.** An entry queued inside a `transaction.atomic()` block nested in
the batch (a savepoint) belongs to that savepoint: if the savepoint is rolled back (its exception
caught further out), its entries are dropped from the queue, as its rows are, and their `then`
is never called. The queue learns of it the way Django's `on_commit` does: one marker callback per
savepoint stack that queued something, which Django discards when one of those savepoints rolls
back; at the flush an entry whose marker is gone is left out.

**Many ledgers (one per county).** A database holds several ledgers, each with its own head,
entries (seq from 0), nodes and checkpoints, signed under its own origin line
(`selectors.ledger_origin_for`): the default ledger (id 1) keeps the configured origin, a county
ledger named `wushen` signs `<origin>/wushen`. Which ledger an entry goes to follows its agency:
the table `LedgerAgency` (agency id -> ledger, append-only, filled by `ledger_agency_assign`, e.g.
from `sanxiang ledger assign`) maps agencies to county ledgers; entries without an agency, and of
agencies not mapped, go to the default ledger. A single-county deployment never maps anything
and behaves exactly as before. When a second ledger is created, so is the log of heads (a ledger
flagged `is_log_of_heads`, origin `<origin>/heads`): every checkpoint signed for another ledger is
appended to it as an entry (`ledger.head_recorded`, with the signed note), so one signed head of
the log commits to every county's head, as Certificate Transparency runs many logs.

**`ledger_seq` columns** (documents, evidence, the access log, published catalogues) do not name
their ledger: a row's seq is in the ledger of the row's agency (its `LedgerAgency`, else the
default ledger). That holds because an agency's ledger never changes once it has case entries
(`ledger_agency_assign`), and `verify` checks every such row against it. A table with a
`ledger_seq` and no agency would need a ledger column of its own.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from sanxiang.ledger import keys, notes
from sanxiang.ledger.canonical import canonical_check, canonical_json, entry_body
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.merkle import CompactRange, Hasher, hasher_for, root_from_store
from sanxiang.ledger.models import (
    DEFAULT_LEDGER,
    Checkpoint,
    Entry,
    Head,
    Ledger,
    LedgerAgency,
)
from sanxiang.ledger.selectors import DatabaseNodeStore, ledger_log_of_heads, ledger_origin_for

_HEX64 = re.compile(r"[0-9a-f]{64}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_BATCH_ATTR = "_sanxiang_ledger_batch"


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


def _head_create(ledger_id: int, algorithm: str | None = None) -> None:
    """Create the head row of a ledger on first use (if another process creates it at the same
    moment, wait for it and keep theirs). `_head_locked` then checks, under the lock, that an
    empty head does not sit over existing entries."""
    name = algorithm or keys.ledger_hash_algorithm()
    hasher = hasher_for(name)  # refuses unknown algorithms and SM3 without OpenSSL support
    Head.objects.bulk_create(
        [
            Head(
                id=ledger_id,
                algorithm=hasher.name,
                size=0,
                root=hasher.empty_root(),
                compact_range=b"",
                updated_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,  # another process may create it at the same moment
    )


def _head_locked(*, ledger_id: int = DEFAULT_LEDGER, algorithm: str | None = None) -> Head:
    """Lock the head row of a ledger (creating it on first use) and return it."""
    head = Head.objects.select_for_update().filter(pk=ledger_id).first()
    if head is None:
        _head_create(ledger_id, algorithm)
        head = Head.objects.select_for_update().get(pk=ledger_id)
    if head.size == 0 and Entry.objects.filter(ledger_id=ledger_id).exists():
        # Never restart numbering over existing entries: that would fork the ledger. (Checked with
        # the lock held, so a head another process created and filled meanwhile is not mistaken.)
        raise LedgerStateError("the ledger head row is missing although entries exist; run `sanxiang verify`")
    return head


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


def _body_parts(event: LedgerEvent) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What an append checks before anything is written (so a bad event fails before any SQL)."""
    files = [_file_digest(f) for f in event.files]
    canonical_check(event.payload)  # floats and other values without one textual form
    return event.payload, files


def _build(
    *, hasher: Hasher, cr: CompactRange, ledger_id: int, event: LedgerEvent, actor_ref, files, now
) -> tuple[Entry, list[tuple[int, int, bytes]]]:
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
            files=files,
        )
    )
    leaf = hasher.leaf(body)
    nodes = cr.append(leaf)
    entry = Entry(
        ledger_id=ledger_id,
        seq=seq,
        kind=str(event.kind),
        actor_id=actor_ref and actor_ref[0],
        agency_id=event.agency_id,
        case_id=event.case_id,
        subject=event.subject,
        created_at=now,
        body=body,
        leaf_hash=leaf,
    )
    return entry, nodes


class PendingEntry:
    """An append queued in a `ledger_batch`: its `entry` (and `seq`) exist once the batch has
    been flushed; `then` is called with the appended `Entry` in the same transaction."""

    __slots__ = ("actor_ref", "entry", "event", "files", "ledger_id", "savepoint", "then")

    def __init__(self, *, event: LedgerEvent, actor_ref, files, then, ledger_id: int | None = None) -> None:
        self.event = event
        self.actor_ref = actor_ref
        self.files = files
        self.then = then
        self.ledger_id = ledger_id  # None: follow the event's agency
        self.entry: Entry | None = None
        self.savepoint: _SavepointMarker | None = None  # queued inside a savepoint of the batch

    @property
    def seq(self) -> int:
        if self.entry is None:
            raise LedgerError("this entry is still queued: its seq is known when the ledger batch ends (use then=)")
        return self.entry.seq

    def __repr__(self) -> str:
        return f"PendingEntry({self.event.kind}, seq={self.entry.seq if self.entry else None})"


class _SavepointMarker:
    """Registered with `transaction.on_commit` under the savepoints open when an entry was queued:
    Django drops it if one of them is rolled back, and so the queue drops the entry. Called after
    the commit, it does nothing."""

    __slots__ = ()

    def __call__(self) -> None:
        pass


class _Batch:
    __slots__ = ("base", "markers", "pending")

    def __init__(self, base: tuple) -> None:
        self.pending: list[PendingEntry] = []
        self.base = base  # the savepoints open when the batch began
        self.markers: dict[tuple, _SavepointMarker] = {}

    def marker(self, connection) -> _SavepointMarker | None:
        """The marker of the savepoints open now, if any was opened inside the batch."""
        stack = tuple(connection.savepoint_ids)
        if stack == self.base:
            return None
        marker = self.markers.get(stack)
        if marker is None:
            marker = self.markers[stack] = _SavepointMarker()
            transaction.on_commit(marker)
        return marker

    def kept(self, connection) -> list[PendingEntry]:
        """The queued entries whose savepoints were not rolled back (and the markers withdrawn)."""
        if not self.markers:
            return self.pending
        # By identity: other callbacks need not be hashable.
        ours = {id(m) for m in self.markers.values()}
        alive = {id(func) for _sids, func, _robust in connection.run_on_commit if id(func) in ours}
        connection.run_on_commit = [c for c in connection.run_on_commit if id(c[1]) not in ours]
        return [p for p in self.pending if p.savepoint is None or id(p.savepoint) in alive]


def _batch_current() -> _Batch | None:
    return getattr(transaction.get_connection(), _BATCH_ATTR, None)


@contextmanager
def ledger_batch() -> Iterator[None]:
    """Queue every `entry_append` of the block and append them all when it ends (see the module
    docstring). Must run inside the caller's transaction; nested batches join the outer one."""
    _require_atomic()
    connection = transaction.get_connection()
    if getattr(connection, _BATCH_ATTR, None) is not None:
        yield
        return
    batch = _Batch(tuple(connection.savepoint_ids))
    setattr(connection, _BATCH_ATTR, batch)
    try:
        yield
    finally:
        # Whatever happens, appends after the block are not queued any more; on an exception the
        # queue is dropped with the transaction that raised it.
        setattr(connection, _BATCH_ATTR, None)
    _require_atomic()
    # Entries queued inside a savepoint that was rolled back are dropped with its rows.
    _append_all(batch.kept(connection))


def entry_append(
    *, event: LedgerEvent, actor=None, then: Callable[[Entry], None] | None = None
) -> Entry | PendingEntry:
    """Append one entry in the caller's transaction (which must be open) and return it.

    If the caller's transaction rolls back, the entry goes with it. The head row stays locked
    until that transaction ends, so keep the work after an append short, or append in a
    `ledger_batch` at the end of the work. Inside a batch the entry is only queued: a
    `PendingEntry` is returned and `then` is called with the entry when the batch ends."""
    _require_atomic()
    _payload, files = _body_parts(event)
    pending = PendingEntry(event=event, actor_ref=_actor_ref(actor), files=files, then=then)
    batch = _batch_current()
    if batch is not None:
        pending.savepoint = batch.marker(transaction.get_connection())
        batch.pending.append(pending)
        return pending
    _append_all([pending])
    return pending.entry


def entries_append(*, events: Iterable[LedgerEvent], actor=None, batch_size: int = 2000) -> int:
    """Append many entries (imports, tests): the same rows `entry_append` would write, in
    batched INSERTs of `batch_size` entries. Returns how many were appended."""
    _require_atomic()
    actor_ref = _actor_ref(actor)
    count = 0
    chunk: list[PendingEntry] = []
    with transaction.atomic():
        for event in events:
            _payload, files = _body_parts(event)
            chunk.append(PendingEntry(event=event, actor_ref=actor_ref, files=files, then=None))
            count += 1
            if len(chunk) >= batch_size:
                _append_all(chunk, batch_size=batch_size)
                chunk = []
        _append_all(chunk, batch_size=batch_size)
    return count


def _route(cursor, pending: list[PendingEntry]) -> dict[int, list[PendingEntry]]:
    """Ledger id -> its queued entries in queue order; one query whatever the number of agencies."""
    agencies = {p.event.agency_id for p in pending if p.ledger_id is None and p.event.agency_id is not None}
    mapped: dict[int, int] = {}
    if agencies:
        ids = sorted(agencies)
        cursor.execute(
            f"SELECT agency_id, ledger_id FROM ledger_ledgeragency WHERE agency_id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        mapped = dict(cursor.fetchall())
    groups: dict[int, list[PendingEntry]] = {}
    for p in pending:
        ledger_id = p.ledger_id
        if ledger_id is None:
            ledger_id = mapped.get(p.event.agency_id, DEFAULT_LEDGER) if p.event.agency_id is not None else DEFAULT_LEDGER
        groups.setdefault(ledger_id, []).append(p)
    return groups


def _head_row_locked(cursor, ledger_id: int) -> tuple[str, int, bytes] | None:
    """(algorithm, size, compact range) of a head, locked; raw SQL because this runs on every
    append and the ORM's query building costs more than the database work."""
    lock = " FOR UPDATE" if transaction.get_connection().features.has_select_for_update else ""
    cursor.execute(f"SELECT algorithm, size, compact_range FROM ledger_head WHERE id = %s{lock}", [ledger_id])
    row = cursor.fetchone()
    return None if row is None else (row[0], row[1], bytes(row[2]))


def _agency_head_row_locked(cursor, agency_id: int) -> tuple[int, tuple[str, int, bytes]] | None:
    """The ledger of an agency and its head, locked, in one round trip (the common case: every
    entry of a transaction is of one agency)."""
    lock = " FOR UPDATE" if transaction.get_connection().features.has_select_for_update else ""
    cursor.execute(
        "SELECT id, algorithm, size, compact_range FROM ledger_head WHERE id = COALESCE("
        f"(SELECT ledger_id FROM ledger_ledgeragency WHERE agency_id = %s), %s){lock}",
        [agency_id, DEFAULT_LEDGER],
    )
    row = cursor.fetchone()
    return None if row is None else (row[0], (row[1], row[2], bytes(row[3])))


_ENTRY_COLUMNS = "(ledger_id, seq, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash)"
_ENTRY_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
# From this many entries in one INSERT, PostgreSQL takes them by COPY.
_COPY_FROM = 200


def _append_all(pending: list[PendingEntry], *, batch_size: int = 2000) -> None:
    """Append queued entries: per ledger (in ascending id, so that two batches spanning the same
    ledgers cannot deadlock) lock the head once, insert the entries and the subtree nodes they
    close, move the head once; then hand each entry to its `then`."""
    if not pending:
        return
    connection = transaction.get_connection()
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        found = None
        agencies = {p.event.agency_id if p.ledger_id is None else -1 for p in pending}
        if len(agencies) == 1 and None not in agencies and -1 not in agencies:
            found = _agency_head_row_locked(cursor, next(iter(agencies)))
        if found is not None:
            groups = {found[0]: pending}
        else:
            groups = _route(cursor, pending)
        for ledger_id in sorted(groups):
            # The agencies whose entries go to the default ledger because they are not mapped: the
            # head is moved only if none was mapped meanwhile (`ledger_agency_assign`), checked in
            # the statement that moves it, after the head's lock was taken (no extra round trip).
            unmapped = sorted({
                p.event.agency_id for p in groups[ledger_id] if p.ledger_id is None and p.event.agency_id is not None
            }) if ledger_id == DEFAULT_LEDGER else []
            head = found[1] if found is not None else _head_row_locked(cursor, ledger_id)
            if head is None or head[1] == 0:
                _head_locked(ledger_id=ledger_id)  # creates it, or refuses an empty head over entries
                head = _head_row_locked(cursor, ledger_id)
            algorithm, size, compact = head
            hasher = hasher_for(algorithm)
            cr = CompactRange.from_bytes(hasher, size, compact)
            now = timezone.now()
            at = connection.ops.adapt_datetimefield_value(now)
            items = groups[ledger_id]
            for start in range(0, len(items), batch_size):
                rows: list[Any] = []
                node_rows: list[Any] = []
                for p in items[start : start + batch_size]:
                    entry, nodes = _build(
                        hasher=hasher, cr=cr, ledger_id=ledger_id, event=p.event, actor_ref=p.actor_ref,
                        files=p.files, now=now,
                    )
                    p.entry = entry
                    rows += [ledger_id, entry.seq, entry.kind, entry.actor_id, entry.agency_id, entry.case_id,
                             entry.subject, at, entry.body, entry.leaf_hash]
                    for level, index, h in nodes:
                        node_rows += [ledger_id, level, index, h]
                last = start + batch_size >= len(items)
                entries_sql = f"INSERT INTO ledger_entry {_ENTRY_COLUMNS} VALUES " + ", ".join(
                    [_ENTRY_ROW] * (len(rows) // 10)
                )
                nodes_sql = 'INSERT INTO ledger_node (ledger_id, level, "index", hash) VALUES ' + ", ".join(
                    ["(%s, %s, %s, %s)"] * (len(node_rows) // 4)
                )
                head_sql = "UPDATE ledger_head SET size = %s, root = %s, compact_range = %s, updated_at = %s WHERE id = %s"
                head_params = [cr.size, cr.root(), cr.to_bytes(), at, ledger_id]
                if unmapped:
                    head_sql += (
                        " AND NOT EXISTS (SELECT 1 FROM ledger_ledgeragency WHERE agency_id IN ("
                        + ", ".join(["%s"] * len(unmapped)) + ") AND ledger_id <> %s)"
                    )
                    head_params += [*unmapped, DEFAULT_LEDGER]
                if postgres and len(rows) >= _COPY_FROM * 10:
                    # Many entries (a bulk load): COPY, which sends the values as they are instead
                    # of quoting each into the statement's text (the hashes' hex) on the client.
                    with cursor.cursor.copy(f"COPY ledger_entry {_ENTRY_COLUMNS} FROM STDIN") as stream:
                        for i in range(0, len(rows), 10):
                            stream.write_row(rows[i : i + 10])
                    if node_rows:
                        with cursor.cursor.copy('COPY ledger_node (ledger_id, level, "index", hash) FROM STDIN') as stream:
                            for i in range(0, len(node_rows), 4):
                                stream.write_row(node_rows[i : i + 4])
                    moved = 1
                    if last:
                        cursor.execute(head_sql, head_params)
                        moved = cursor.rowcount
                elif postgres and last:
                    # One round trip for the whole write: data-modifying CTEs run together.
                    sql = f"WITH e AS ({entries_sql})"
                    params = rows
                    if node_rows:
                        sql += f", n AS ({nodes_sql})"
                        params = params + node_rows
                    cursor.execute(f"{sql} {head_sql}", params + head_params)
                    moved = cursor.rowcount
                else:
                    cursor.execute(entries_sql, rows)
                    if node_rows:
                        cursor.execute(nodes_sql, node_rows)
                    moved = 1
                    if last:
                        cursor.execute(head_sql, head_params)
                        moved = cursor.rowcount
                if last and moved != 1:
                    # The caller's transaction must roll back (the entries were inserted): retrying
                    # routes them to the agency's new ledger.
                    raise LedgerStateError(
                        f"agencies {unmapped} were assigned to another ledger while this transaction appended "
                        "their entries to the default ledger; the change was not recorded, try again"
                    )
    for p in pending:
        # The rows exist now: tell Django, so that each instance behaves like a fetched one.
        p.entry._state.adding = False
        p.entry._state.db = connection.alias
    for p in pending:
        if p.then is not None:
            p.then(p.entry)


# --- ledgers ------------------------------------------------------------------------------------


def ledger_create(*, algorithm: str, ledger_id: int = DEFAULT_LEDGER) -> Head:
    """Choose the hash of a ledger ("sha256" or "sm3"). Allowed while it is empty; afterwards the
    algorithm is fixed, since every stored hash depends on it."""
    _require_atomic()
    hasher = hasher_for(algorithm)
    with transaction.atomic():
        head = _head_locked(ledger_id=ledger_id, algorithm=hasher.name)
        if head.algorithm == hasher.name:
            return head
        if head.size or Entry.objects.filter(ledger_id=ledger_id).exists():
            raise LedgerError(f"the ledger already holds entries hashed with {head.algorithm}")
        head.algorithm = hasher.name
        head.root = hasher.empty_root()
        head.updated_at = timezone.now()
        head.save(update_fields=["algorithm", "root", "updated_at"])
        return head


def _ledger_new(*, name: str, title: str, algorithm: str | None, is_log_of_heads: bool) -> Ledger:
    next_id = (Ledger.objects.order_by("-id").values_list("id", flat=True).first() or DEFAULT_LEDGER) + 1
    ledger = Ledger.objects.create(
        id=next_id, name=name, title=title, is_log_of_heads=is_log_of_heads, created_at=timezone.now()
    )
    _head_create(ledger.id, algorithm)
    return ledger


LOG_OF_HEADS_NAME = "heads"


def ledger_county_create(*, name: str, title: str = "", algorithm: str | None = None) -> Ledger:
    """Create a county's ledger (empty, with its head); the first time, create the log of heads
    too. `name` (lower-case letters, digits, hyphens) ends its origin line: `<origin>/<name>`."""
    _require_atomic()
    if not _SLUG.fullmatch(name) or name in ("default", LOG_OF_HEADS_NAME):
        raise LedgerError(f"a ledger's name is lower-case letters, digits and hyphens, not {name!r}")
    with transaction.atomic():
        # One creator at a time (the default ledger's head is the lock), so ids stay dense.
        _head_locked(ledger_id=DEFAULT_LEDGER)
        if Ledger.objects.filter(name=name).exists():
            raise LedgerError(f"a ledger named {name!r} exists already")
        if ledger_log_of_heads() is None:
            _ledger_new(name=LOG_OF_HEADS_NAME, title="账本头日志", algorithm=None, is_log_of_heads=True)
        return _ledger_new(name=name, title=title, algorithm=algorithm, is_log_of_heads=False)


def ledger_agency_assign(*, agency_id: int, ledger: Ledger) -> LedgerAgency:
    """Send an agency's entries to `ledger` from now on. Refused when the agency is mapped to
    another ledger already, or has entries of cases in another ledger (a case's entries, and so
    its case file, must be in one ledger); assign an agency when it is created, before its first
    case. Its registry entries written before (its creation, its officers) stay where they are."""
    _require_atomic()
    if ledger.is_log_of_heads:
        raise LedgerError("the log of heads records checkpoints, not an agency's entries")
    with transaction.atomic():
        # An agency not mapped writes to the default ledger: its head's lock is held by any
        # transaction appending the agency's entries there until it commits. Taken before the
        # check, so that an append in flight is waited for and then seen (and refused below); an
        # append that routed before this mapping commits and locks the head after it is refused
        # by the guard of `_append_all`. Never splits a case across two ledgers.
        _head_locked(ledger_id=DEFAULT_LEDGER)
        current = LedgerAgency.objects.filter(agency_id=agency_id).first()
        if current is not None:
            if current.ledger_id == ledger.id:
                return current
            raise LedgerError(f"agency {agency_id} already writes to ledger {current.ledger_id}")
        if Entry.objects.filter(agency_id=agency_id, case_id__isnull=False).exclude(ledger_id=ledger.id).exists():
            raise LedgerError(f"agency {agency_id} already has entries of cases in another ledger")
        try:
            with transaction.atomic():
                return LedgerAgency.objects.create(agency_id=agency_id, ledger=ledger, created_at=timezone.now())
        except IntegrityError as exc:  # another process assigned it meanwhile
            raise LedgerError(f"agency {agency_id} was assigned meanwhile") from exc


# --- checkpoints --------------------------------------------------------------------------------


def ledger_heads_lock(*, ledger_ids: Iterable[int]) -> None:
    """Lock these ledgers' heads in the one global order of the ledger (ascending id), in the
    caller's transaction. Whoever holds several heads at once takes them this way (`_append_all`,
    `checkpoint_issue`, a case file's export), so that two of them cannot wait on each other."""
    _require_atomic()
    for ledger_id in sorted(set(ledger_ids)):
        _head_locked(ledger_id=ledger_id)


def checkpoint_locks(*, ledger_id: int) -> list[int]:
    """The heads a checkpoint of `ledger_id` locks: its own, and the log of heads that records it."""
    log = ledger_log_of_heads()
    return [ledger_id] if log is None or log.id == ledger_id else sorted({ledger_id, log.id})


def checkpoint_issue(*, ledger_id: int = DEFAULT_LEDGER) -> Checkpoint:
    """Sign a ledger's current tree head as a C2SP checkpoint and store it; when the newest
    checkpoint already covers the current size, return it instead of signing the same head again.
    A newly signed head of a county ledger is also recorded in the log of heads, if there is one.

    The ledger's head and the log's are locked first, in the global order (`ledger_heads_lock`):
    a caller that appends to the ledger before it asks for the checkpoint (a case file's export)
    takes `checkpoint_locks` before its append."""
    _require_atomic()
    with transaction.atomic():
        ledger_heads_lock(ledger_ids=checkpoint_locks(ledger_id=ledger_id))
        head = _head_locked(ledger_id=ledger_id)
        hasher = hasher_for(head.algorithm)
        # The head is a cache: what gets signed is the root recomputed from the stored nodes.
        root = root_from_store(hasher, DatabaseNodeStore(ledger_id=ledger_id), head.size)
        if root != bytes(head.root):
            raise LedgerStateError("the head row's root differs from the stored tree; run `sanxiang verify`")
        latest = Checkpoint.objects.filter(ledger_id=ledger_id).order_by("-size", "-id").first()
        signer = keys.signer_get()
        if latest is not None:
            if latest.size > head.size:
                raise LedgerStateError(
                    f"checkpoint {latest.pk} covers {latest.size} entries but the ledger has {head.size}"
                )
            if latest.size == head.size and bytes(latest.root) == root and latest.key_name == signer.name:
                return latest
        origin = ledger_origin_for(ledger_id)
        checkpoint = _checkpoint_sign(signer=signer, ledger_id=ledger_id, origin=origin, size=head.size, root=root)
        log = ledger_log_of_heads()
        if log is not None and log.id != ledger_id:
            _head_recorded(log=log, ledger_id=ledger_id, origin=origin, checkpoint=checkpoint)
        return checkpoint


def checkpoints_issue_all() -> list[Checkpoint]:
    """Sign every ledger's head, then the log of heads (which then commits to all of them), in
    the caller's transaction: heads are locked in ascending id (the log's with each ledger's, in
    the same order), never one of lower id after one of higher id."""
    _require_atomic()
    log = ledger_log_of_heads()
    ids = [i for i in Ledger.objects.order_by("id").values_list("id", flat=True) if log is None or i != log.id]
    if DEFAULT_LEDGER not in ids:
        ids.insert(0, DEFAULT_LEDGER)
    signed = [checkpoint_issue(ledger_id=i) for i in ids]
    if log is not None:
        signed.append(checkpoint_issue(ledger_id=log.id))
    return signed


def _head_recorded(*, log: Ledger, ledger_id: int, origin: str, checkpoint: Checkpoint) -> None:
    name = Ledger.objects.filter(pk=ledger_id).values_list("name", flat=True).first() or "default"
    event = LedgerEvent(
        EventKind.LEDGER_HEAD_RECORDED,
        {
            "ledger": name,
            "origin": origin,
            "size": checkpoint.size,
            "root": base64.b64encode(bytes(checkpoint.root)).decode(),
            "checkpoint": checkpoint.note,
        },
        subject=f"ledger:{name}",
    )
    _payload, files = _body_parts(event)
    _append_all([PendingEntry(event=event, actor_ref=None, files=files, then=None, ledger_id=log.id)])


def _checkpoint_sign(*, signer: notes.Signer, ledger_id: int, origin: str, size: int, root: bytes) -> Checkpoint:
    text = notes.Checkpoint(origin, size, root).body()
    note, signature = notes.note_sign(text, signer)
    return Checkpoint.objects.create(
        ledger_id=ledger_id,
        size=size,
        root=root,
        note=note,
        key_name=signature.name,
        key_id=signature.key_id,
        signature=signature.signature,
        created_at=timezone.now(),
    )

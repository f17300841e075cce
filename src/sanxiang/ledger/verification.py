"""`sanxiang verify`: recompute the ledger from its entries and name whatever differs.

Nothing stored is trusted except the entry bodies (the data) and the signatures of checkpoints
under a trusted key. From the bodies we recompute every leaf hash, every complete subtree and the
root at every checkpointed size, and compare them with what is stored:

- each entry: its leaf hash, that its body is canonical JSON, that the body's `seq` is the row's
  seq (a moved row is named exactly), and that the queryable columns agree with the body;
- the sequence: no gap, nothing below 0;
- every stored node (complete subtree) and that no extra node exists;
- every checkpoint (stored, and any given on the command line): its signature, that its columns
  match its signed text, that its root equals the recomputed root at its size, and that the
  entries it covers still exist (cut-off entries are named);
- the head row, which appends build on, against the recomputed tree;
- routing: every entry of a case lies in the ledger of its agency (`LedgerAgency`, else the
  default ledger);
- references: a `ledger_seq` column names no ledger of its own. The rule (kept instead of a
  column per table): it is a seq in the ledger of its row's `agency` (a foreign key to
  registry.Agency; the default ledger for a row without agency or an agency not mapped), which
  `ledger_agency_assign` keeps stable (an agency with case entries cannot move). Every model with
  both fields is found by introspection (no app above is imported), and a row whose seq has no
  entry in that ledger, or an entry of another agency, is named.

Entries are streamed in batches ordered by seq (keyset pagination on the primary key), so memory
stays flat; batches are aligned powers of two so that the nodes they close are fetched by range.

Other apps add checks (the evidence store re-hashes its files) by registering a function with
`verification_check_register`; it receives the `VerificationContext` and yields `Finding`s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import operator
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from sanxiang.ledger import keys
from sanxiang.ledger.canonical import body_parse, float_written_apart, orjson, utc_iso
from sanxiang.ledger.merkle import Hasher, fold_right, hasher_for, perfect_subtree_count, range_nodes
from sanxiang.ledger.models import DEFAULT_LEDGER, Checkpoint, Entry, Head, LedgerAgency, Node
from sanxiang.ledger.notes import NoteError, Verifier, checkpoint_verify
from sanxiang.ledger.selectors import ledger_origin_for

MAX_FINDINGS = 1000  # per verification; the total is always counted


@dataclass
class Finding:
    code: str
    message: str
    seqs: list[int] = field(default_factory=list)  # the entries concerned
    checkpoint: str | None = None  # "#id" of a stored checkpoint, or the file name of a given one
    node: tuple[int, int] | None = None
    file: str | None = None  # for checks of stored files

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.seqs:
            out["seqs"] = self.seqs
        if self.checkpoint is not None:
            out["checkpoint"] = self.checkpoint
        if self.node is not None:
            out["node"] = {"level": self.node[0], "index": self.node[1]}
        if self.file is not None:
            out["file"] = self.file
        return out


@dataclass
class VerificationReport:
    algorithm: str = ""
    entries: int = 0  # rows present
    tree_size: int = 0  # highest seq + 1
    root: bytes | None = None  # recomputed root at tree_size (None if it cannot be recomputed)
    nodes_checked: int = 0
    checkpoints_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    findings_total: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.findings_total == 0

    def add(self, finding: Finding) -> None:
        self.findings_total += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    def differing_seqs(self) -> list[int]:
        return sorted({seq for f in self.findings for seq in f.seqs})

    def as_json(self) -> dict[str, Any]:
        import base64

        return {
            "ok": self.ok,
            "algorithm": self.algorithm,
            "entries": self.entries,
            "tree_size": self.tree_size,
            "root": base64.b64encode(self.root).decode() if self.root is not None else None,
            "nodes_checked": self.nodes_checked,
            "checkpoints_checked": self.checkpoints_checked,
            "findings_total": self.findings_total,
            "findings": [f.as_json() for f in self.findings],
            "differing_seqs": self.differing_seqs(),
            "seconds": round(self.seconds, 3),
            **self.extra,
        }


Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class VerificationContext:
    report: VerificationReport
    progress: Progress


CheckFunc = Callable[[VerificationContext], Iterable[Finding]]

# Further checks run after the ledger's own (e.g. the evidence store re-hashing every stored file).
EXTRA_CHECKS: list[CheckFunc] = []


def verification_check_register(check: CheckFunc) -> CheckFunc:
    """Register a check for `sanxiang verify` (call from an AppConfig.ready; usable as a decorator)."""
    if check not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(check)
    return check


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class _CheckpointClaim:
    label: str
    size: int
    root: bytes


class _Tree:
    """Compact range over recomputed hashes, where None marks a hash that cannot be recomputed (a
    missing entry): everything above it is unknown, everything else still checks."""

    __slots__ = ("hasher", "node", "size", "stack")

    def __init__(self, hasher: Hasher) -> None:
        self.hasher = hasher
        self.node = hasher.node
        self.stack: list[bytes | None] = []
        self.size = 0

    def append(self, leaf: bytes | None, completed: list, level: int = 0) -> None:
        """Add a leaf, or (`level` > 0) the perfect subtree of 2**level leaves starting at the
        current size, which must then be a multiple of 2**level; the subtrees it closes are
        appended to `completed` as (level, index, hash)."""
        h, size = leaf, self.size >> level
        index = size
        stack, node = self.stack, self.node
        self.size += 1 << level
        while size & 1:
            left = stack.pop()
            h = None if left is None or h is None else node(left, h)
            level += 1
            index >>= 1
            size >>= 1
            completed.append((level, index, h))
        stack.append(h)

    def root(self) -> bytes | None:
        return self.root_with([])

    def root_with(self, more: list[bytes]) -> bytes | None:
        """The root of the tree followed by the perfect subtrees `more` (largest first)."""
        hashes = self.stack + more
        if not hashes:
            return self.hasher.empty_root()
        if any(h is None for h in hashes):
            return None
        return fold_right(self.hasher, hashes)  # type: ignore[arg-type]


def _aware(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite without converters
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # Django stores UTC
        value = value.replace(tzinfo=dt.UTC)
    return value


def _entry_sql() -> str:
    """The entries of one batch, with `created_at` formatted by the database as `utc_iso` does
    (so that comparing it with the body's "at" is a string comparison; an entry whose text
    differs is checked again from the column's value, `_created_at_agrees`). SQLite stores the
    naive UTC text of Django ("YYYY-MM-DD HH:MM:SS[.ffffff]") and converts nothing selected
    through an expression."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        at = """to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
    else:
        at = "replace(CAST(created_at AS TEXT), ' ', 'T') || 'Z'"
    return (
        f"SELECT seq, kind, actor_id, agency_id, case_id, subject, {at}, body, leaf_hash "
        f"FROM {qn(Entry._meta.db_table)} WHERE ledger_id = %s AND seq >= %s AND seq < %s ORDER BY seq"
    )


def _created_at_agrees(ledger_id: int, seq: int, at: object) -> bool:
    """The column check of `created_at` from its value (the slow path, for an entry whose
    database text is not the body's "at" as it stands)."""
    value = Entry.objects.filter(ledger_id=ledger_id, seq=seq).values_list("created_at", flat=True).first()
    return value is not None and at == utc_iso(_aware(value))


def ledger_verify(
    *,
    ledger_id: int = DEFAULT_LEDGER,
    batch_size: int = 1 << 14,
    progress: Progress = _no_progress,
    external_checkpoints: Iterable[tuple[str, str]] = (),
    trusted_vkeys: Iterable[str] = (),
    run_extra_checks: bool = True,
) -> VerificationReport:
    """Verify one whole ledger; `external_checkpoints` are (label, note text) pairs held outside
    the database (they catch a rewrite that also replaced the stored checkpoints).

    Each batch of `batch_size` entries (aligned: a perfect subtree) is read in one query and its
    stored nodes of levels 1..log2(batch_size) in another, ordered. When every entry of the batch
    is present with its stored leaf hash, the batch's subtrees are recomputed level by level and
    compared with the stored ones as a whole; only a batch where something differs is walked
    entry by entry (`_batch_slow`), which names the lowest place that differs. Both paths
    compare every node."""
    if batch_size < 2 or batch_size & (batch_size - 1):
        raise ValueError("batch_size must be a power of two")
    started = time.perf_counter()
    report = VerificationReport()
    head = Head.objects.filter(pk=ledger_id).first()
    report.algorithm = head.algorithm if head else keys.ledger_hash_algorithm()
    hasher = hasher_for(report.algorithm)
    verifiers = keys.trusted_verifiers(list(trusted_vkeys))

    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT(*), MIN(seq), MAX(seq) FROM {qn(Entry._meta.db_table)} WHERE ledger_id = %s", [ledger_id]
        )
        count, min_seq, max_seq = cur.fetchone()
    report.entries = count
    report.tree_size = tree_size = (max_seq + 1) if count else 0
    if count and min_seq < 0:
        negatives = list(Entry.objects.filter(ledger_id=ledger_id, seq__lt=0).order_by("seq").values_list("seq", flat=True)[:100])
        report.add(Finding("entry_negative_seq", f"entries with negative seq {negatives}", seqs=negatives))

    claims = _checkpoint_claims(report, hasher, verifiers, external_checkpoints, ledger_id)
    wanted_sizes = sorted({c.size for c in claims if c.size <= tree_size})
    roots_at: dict[int, bytes | None] = {}
    if 0 in wanted_sizes:
        roots_at[0] = hasher.empty_root()

    tree = _Tree(hasher)
    k = batch_size.bit_length() - 1
    node_table = qn(Node._meta.db_table)
    high_nodes = _fetch_nodes(
        f"SELECT level, {qn('index')}, hash FROM {node_table} WHERE ledger_id = %s AND level > %s", [ledger_id, k]
    )
    missing_run = _MissingRun(report)  # consecutive missing seqs, reported as one finding per run
    flush_missing = missing_run.flush

    entry_sql = _entry_sql()
    # The first entry at or after a seq: a batch after one with a gap may be empty, and so may many
    # after it (one row far beyond the others): they are skipped, not read (`_skip_empty`).
    next_sql = f"SELECT MIN(seq) FROM {qn(Entry._meta.db_table)} WHERE ledger_id = %s AND seq >= %s"
    # A batch's stored nodes, when something in it differs: one range of the primary key per
    # level, as UNION ALL (written as one OR, SQLite searched the nodes by the ledger alone and so
    # read every node of the ledger for each batch: 234 ms a batch against 18 ms at 1,000,000).
    node_sql = " UNION ALL ".join(
        f"SELECT level, {qn('index')}, hash FROM {node_table} WHERE ledger_id = %s AND level = {lvl} "
        f"AND {qn('index')} >= %s AND {qn('index')} < %s"
        for lvl in range(1, k + 1)
    ) + " ORDER BY 1, 2"
    # A clean batch's stored nodes, one level at a time: their hashes alone, in index order.
    level_sql = (
        f"SELECT hash FROM {node_table} WHERE ledger_id = %s AND level = %s "
        f"AND {qn('index')} >= %s AND {qn('index')} < %s ORDER BY {qn('index')}"
    )
    leaf_new = hasher._new  # bound constructor: this loop runs a million times
    node_prefix = b"\x01"
    completed: list = []
    # Leaves and nodes already found wrong: a node above them differs as a consequence, and is
    # not reported again, so that each finding names the lowest place that differs.
    tainted: set[tuple[int, int]] = set()
    # Routing (`_check_routing`) from the rows in hand: the agencies whose case entries lie here
    # and may not; the check's own query runs only if one is seen (or rows were not all read).
    misrouted = _routing_refused(ledger_id)
    routing_suspect = bool(count and min_seq < 0)  # entries below 0 are not read by the batches
    # The loop allocates millions of short-lived tuples and bytes and makes no cycle: the cyclic
    # collector's passes over them are pure cost (issue 20), so it is paused here and restored.
    with _gc_paused(), connection.cursor() as cur:
        start, probe = 0, True
        while start < tree_size:
            if probe:
                cur.execute(next_sql, [ledger_id, start])
                (next_seq,) = cur.fetchone()
                if next_seq is None:  # not while the rows are as counted above
                    next_seq = tree_size
                skip_to = min(next_seq - next_seq % batch_size, tree_size)
                if skip_to > start:
                    _skip_empty(report, cur, tree, start, skip_to, ledger_id, k, completed, high_nodes, tainted,
                                missing_run)
                    progress("entries", skip_to, tree_size)
                    start = skip_to
                    continue
            end = start + batch_size
            cur.execute(entry_sql, [ledger_id, start, end])
            rows = cur.fetchall()
            probe = len(rows) < batch_size  # a gap: the next batches may be empty
            stop = min(end, tree_size)
            if not rows:
                _skip_empty(report, cur, tree, start, stop, ledger_id, k, completed, high_nodes, tainted, missing_run)
                progress("entries", stop, tree_size)
                start = end
                continue
            # The batch up to its last row; the entries missing after it are skipped as empty batches are.
            filled = rows[-1][0] + 1
            if not routing_suspect and misrouted(rows):
                routing_suspect = True
            # Most batches are whole and clean: checked in one tight pass (`_rows_clean`); any other is
            # walked entry by entry below, which names what differs.
            leaves: list[bytes | None] | None = _rows_clean(rows, start, filled, leaf_new)
            if leaves is not None:
                clean = True
                flush_missing()  # a run that ended with the previous batch
            else:
                leaves, clean = _rows_walk(report, rows, start, ledger_id, missing_run, flush_missing, tainted,
                                           leaf_new, body_parse)
            fast = clean and _batch_fast(
                tree, leaves, cur, level_sql, ledger_id, start, k, completed, leaf_new, node_prefix, wanted_sizes,
                roots_at,
            )
            if not fast:
                params: list[int] = []
                for lvl in range(1, k + 1):
                    params += [ledger_id, start >> lvl, filled >> lvl]  # the nodes wholly up to `filled`
                cur.execute(node_sql, params)
                stored = cur.fetchall()
                _batch_slow(tree, leaves, stored, start, k, completed, report, high_nodes, tainted, wanted_sizes, roots_at)
                del stored
            if completed:
                _compare_nodes(report, completed, {}, high_nodes, k, tainted)
                completed.clear()
            del rows, leaves
            if filled < stop:
                _skip_empty(report, cur, tree, filled, stop, ledger_id, k, completed, high_nodes, tainted, missing_run)
            progress("entries", stop, tree_size)
            start = end
    flush_missing()

    report.nodes_checked = perfect_subtree_count(tree_size)
    for (level, index), _h in sorted(high_nodes.items()):
        if index < tree_size >> level:  # those beyond the tree are named next, once
            _unexpected_node(report, level, index)
    # Nodes beyond the last entry: always looked for (a node missing elsewhere could hide one
    # from a count), each level by its primary key.
    _unexpected_nodes_beyond(report, tree_size, ledger_id)

    report.root = tree.root()
    _check_claims(report, claims, roots_at, tree_size)
    _check_head(report, head, tree, hasher)
    if routing_suspect:
        _check_routing(report, ledger_id)
    _check_seq_references(report, ledger_id)
    report.checkpoints_checked = len(claims)

    if run_extra_checks:
        context = VerificationContext(report=report, progress=progress)
        for check in list(EXTRA_CHECKS):
            for finding in check(context):
                report.add(finding)
    report.seconds = time.perf_counter() - started
    return report


MAX_SEQS_LISTED = MAX_FINDINGS  # per finding; the span and the count name the rest


class _MissingRun:
    """A run of consecutive missing seqs, reported as one finding: its span, its count, and the
    first `MAX_SEQS_LISTED` seqs (a run may span 2**62 seqs: one forged row far away)."""

    __slots__ = ("count", "first", "last", "report", "seqs")

    def __init__(self, report: VerificationReport) -> None:
        self.report = report
        self.seqs: list[int] = []
        self.first = self.last = self.count = 0

    def __bool__(self) -> bool:
        return self.count > 0

    def append(self, seq: int) -> None:
        self.add_range(seq, seq + 1)

    def add_range(self, begin: int, end: int) -> None:
        """The seqs begin..end - 1, which follow the run's last."""
        if end <= begin:
            return
        if not self.count:
            self.first = begin
        self.last = end - 1
        self.count += end - begin
        room = MAX_SEQS_LISTED - len(self.seqs)
        if room > 0:
            self.seqs.extend(range(begin, min(end, begin + room)))

    def flush(self) -> None:
        if not self.count:
            return
        first, last = self.first, self.last
        span = f"{first}" if first == last else f"{first}..{last}"
        listed = "" if self.count <= len(self.seqs) else f"; {self.count} entries, the first {len(self.seqs)} listed"
        self.report.add(Finding("entry_missing", f"entries {span} are missing (gap in seq){listed}", seqs=self.seqs))
        self.seqs = []
        self.count = 0


def _skip_empty(
    report: VerificationReport, cur, tree: _Tree, start: int, stop: int, ledger_id: int, k: int, completed: list,
    high_nodes: dict, tainted: set, missing_run: _MissingRun,
) -> None:
    """Entries `start`..`stop` - 1 (the tree's size is `start`) do not exist: the end of a batch after
    its last row, or whole batches. They join the run of missing entries and the tree as unknown
    subtrees, without being read or walked seq by seq, so that the cost follows the rows present,
    not the largest seq. The subtree nodes inside the range cannot be recomputed; those not stored
    are named, one by one when they are few (as a batch's walk names them), else as one count."""
    missing_run.add_range(start, stop)
    for level, _index in range_nodes(start, stop):
        tree.append(None, completed, level)
    qn = connection.ops.quote_name
    table, index_col = qn(Node._meta.db_table), qn("index")
    if completed:  # the nodes closed above, over entries before `start` too (a few, at most 2 a level)
        below_k: dict[tuple[int, int], bytes] = {}
        for level, index, _h in completed:
            if level <= k:
                cur.execute(
                    f"SELECT hash FROM {table} WHERE ledger_id = %s AND level = %s AND {index_col} = %s",
                    [ledger_id, level, index],
                )
                found = cur.fetchone()
                if found is not None:
                    below_k[(level, index)] = bytes(found[0])
        _compare_nodes(report, completed, below_k, high_nodes, k, tainted)
        completed.clear()
    inside = []  # (level, first index, end index) of the subtrees wholly inside the range
    for level in range(1, (stop - start).bit_length() + 1):
        low, high = (start + (1 << level) - 1) >> level, stop >> level
        if high > low:
            inside.append((level, low, high))
    expected = sum(high - low for _level, low, high in inside)
    stored_few: set[tuple[int, int]] = set()
    stored_count = 0
    for level, low, high in inside:
        if level > k:
            found = [key for key in high_nodes if key[0] == level and low <= key[1] < high]
            for key in found:
                del high_nodes[key]
            stored_count += len(found)
            stored_few.update(found)
        elif expected <= MAX_FINDINGS:
            cur.execute(
                f"SELECT {index_col} FROM {table} WHERE ledger_id = %s AND level = %s AND {index_col} >= %s "
                f"AND {index_col} < %s",
                [ledger_id, level, low, high],
            )
            found = [(level, index) for (index,) in cur.fetchall()]
            stored_count += len(found)
            stored_few.update(found)
        else:
            cur.execute(
                f"SELECT COUNT(*) FROM {table} WHERE ledger_id = %s AND level = %s AND {index_col} >= %s "
                f"AND {index_col} < %s",
                [ledger_id, level, low, high],
            )
            stored_count += cur.fetchone()[0]
    if expected <= MAX_FINDINGS:
        for level, low, high in inside:
            for index in range(low, high):
                if (level, index) not in stored_few:
                    first, last = _entries_of(level, index)
                    report.add(
                        Finding(
                            "node_missing",
                            f"subtree node ({level}, {index}) over entries {first}..{last} is missing",
                            node=(level, index),
                        )
                    )
    elif expected > stored_count:
        report.add(
            Finding(
                "node_missing",
                f"{expected - stored_count} of the {expected} subtree nodes over entries {start}..{stop - 1} "
                "(entries missing too) are missing",
            )
        )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (reference counting still frees every
    object that holds no cycle), back as it was after it, even on an error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The columns of an entry, as its body records them (a KeyError for a body without one of them:
# the entry walk then decides it).
_BODY_COLUMNS = operator.itemgetter("seq", "kind", "actor", "agency", "case", "subject", "at")


def _rows_clean(rows, start: int, end: int, new) -> list[bytes] | None:
    """The leaves of a batch whose entries are `start`..`end - 1`, every one present, its stored
    leaf hash its body's, its body canonical JSON (`canonical.body_parse`'s fast path) recording
    its seq, its columns its body's; None as soon as anything is otherwise or undecided here (the
    batch is then walked entry by entry, `_rows_walk`, which decides every body as `body_parse`
    does and names what differs). One pass over the rows, one document alive at a time (a batch
    of them kept alive makes the allocator's work cost more than the parsing)."""
    if orjson is None:
        return None
    if len(rows) != end - start or (rows and (rows[0][0] != start or rows[-1][0] != end - 1)):
        return None  # seq is unique in a ledger: first and last in place and the count mean no gap
    if rows and type(rows[0][7]) is not bytes:  # a driver's bytes-like values: compared as bytes
        rows = [(*row[:7], bytes(row[7]), bytes(row[8])) for row in rows]
    loads, dumps, sort_keys, columns = orjson.loads, orjson.dumps, orjson.OPT_SORT_KEYS, _BODY_COLUMNS
    leaves: list[bytes] = []
    append = leaves.append
    try:
        for seq, kind, actor_id, agency_id, case_id, subject, at, body, leaf_hash in rows:
            leaf = new(b"\x00" + body).digest()
            doc = loads(body)
            found = columns(doc)  # TypeError for anything but an object
            actor = found[2]
            if (
                leaf != leaf_hash
                or dumps(doc, option=sort_keys) != body
                or found != (seq, kind, actor, agency_id, case_id, subject, at)
                or (None if actor is None else actor["id"]) != actor_id  # TypeError: not an object
            ):
                return None
            append(leaf)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, TypeError, KeyError):
        return None
    # No float that orjson writes otherwise than the standard library (one search for the batch).
    if float_written_apart(b"\n".join([row[7] for row in rows])):
        return None
    return leaves


def _routing_refused(ledger_id: int) -> Callable[[list], bool]:
    """Whether a batch's rows hold a case entry of an agency whose entries go to another ledger
    (`_check_routing`'s rule, decided on the rows in hand; the mapping is a few rows)."""
    mapped = dict(LedgerAgency.objects.values_list("agency_id", "ledger_id"))
    if ledger_id == DEFAULT_LEDGER:
        elsewhere = frozenset(a for a, lid in mapped.items() if lid != ledger_id)
        return lambda rows: not elsewhere.isdisjoint({row[3] for row in rows if row[4] is not None})
    here = frozenset(a for a, lid in mapped.items() if lid == ledger_id) | {None}
    return lambda rows: not here.issuperset({row[3] for row in rows if row[4] is not None})


def _rows_walk(
    report: VerificationReport, rows, start: int, ledger_id: int, missing_run: _MissingRun, flush_missing, tainted,
    new, parse
) -> tuple[list[bytes | None], bool]:
    """A batch entry by entry: the leaf, the body's form, its seq and the columns, each difference
    named. Returns the leaves from `start` to the last row's seq (None for a missing entry) and
    whether every leaf present is the stored one and recomputable."""
    leaves: list[bytes | None] = []
    append_leaf = leaves.append
    pos = start
    clean = True
    for seq, kind, actor_id, agency_id, case_id, subject, at_text, body, leaf_hash in rows:
        while pos < seq:  # a gap: the entry is gone, its leaf unknown
            missing_run.append(pos)
            append_leaf(None)
            pos += 1
            clean = False
        if missing_run:
            flush_missing()
        body = bytes(body)
        leaf = new(b"\x00" + body).digest()
        append_leaf(leaf)
        pos += 1
        if leaf != leaf_hash and leaf != bytes(leaf_hash):
            report.add(Finding("leaf_hash_mismatch", f"entry {seq}: stored leaf hash differs from its body", [seq]))
            tainted.add((0, seq))
            clean = False
        # Whitespace before or after the value, or anything after it, is not canonical.
        doc, canonical = parse(body)
        if not canonical or not isinstance(doc, dict):
            report.add(Finding("body_not_canonical", f"entry {seq}: body is not canonical JSON", [seq]))
            tainted.add((0, seq))
            clean = False
            continue
        if doc.get("seq") != seq:
            report.add(Finding("body_seq_mismatch", f"entry {seq}: body records seq {doc.get('seq')!r}", [seq]))
            tainted.add((0, seq))
            clean = False
        actor = doc.get("actor")
        if (
            doc.get("kind") != kind
            or (actor["id"] if isinstance(actor, dict) else None) != actor_id
            or doc.get("agency") != agency_id
            or doc.get("case") != case_id
            or doc.get("subject") != subject
            or (doc.get("at") != at_text and not _created_at_agrees(ledger_id, seq, doc.get("at")))
        ):
            report.add(Finding("columns_mismatch", f"entry {seq}: columns differ from its body", [seq]))
    return leaves, clean


def _batch_fast(
    tree: _Tree, leaves, cur, level_sql: str, ledger_id: int, start: int, k: int, completed: list, new,
    prefix: bytes, wanted_sizes, roots_at
) -> bool:
    """Recompute the batch's subtrees level by level (every leaf present and as stored) and
    compare each level, as one list, with the stored hashes of that level's complete subtrees
    (one query a level, in index order). The primary key makes the indexes of a level unique, so
    as many rows as subtrees in their range means every one is there. Nodes stored past the
    tree's last complete subtree are named at the end (`_unexpected_nodes_beyond`). On any
    difference, return False with the tree untouched: the slow path then names it."""
    levels = [leaves]
    current = leaves
    for level in range(1, k + 1):
        if len(current) < 2:
            break
        pairs = iter(current)
        current = [new(prefix + a + b).digest() for a, b in zip(pairs, pairs, strict=False)]
        levels.append(current)
        base = start >> level
        cur.execute(level_sql, [ledger_id, level, base, base + len(current)])
        stored = [h for (h,) in cur.fetchall()]
        if stored != current:
            # psycopg may return bytes-like values other than bytes: compare again as bytes.
            if len(stored) != len(current) or [bytes(h) for h in stored] != current:
                return False
    n = len(leaves)
    for size in wanted_sizes:
        if start < size <= start + n:
            roots_at[size] = tree.root_with(
                [levels[level][index - (start >> level)] for level, index in range_nodes(start, size)]
            )
    for level, index in range_nodes(start, start + n):
        tree.append(levels[level][index - (start >> level)], completed, level)
    return True


def _batch_slow(
    tree: _Tree, leaves, stored, start: int, k: int, completed: list, report, high_nodes, tainted, wanted_sizes, roots_at
) -> None:
    """The batch entry by entry: each leaf (None for a missing entry, everything above it
    unknown) appended, each node it closes compared where it can be recomputed."""
    batch_nodes = {(level, index): bytes(h) for level, index, h in stored}
    wanted = set(wanted_sizes)
    pos = start
    for i, leaf in enumerate(leaves):
        # A leaf found wrong still enters the tree as recomputed from its body (what the
        # stored nodes should have been built from), tainted so that nodes above are not named.
        tree.append(leaf, completed)
        pos = start + i + 1
        if completed:
            _compare_nodes(report, completed, batch_nodes, high_nodes, k, tainted)
            completed.clear()
        if pos in wanted:
            roots_at[pos] = tree.root()
    tree_size = report.tree_size
    for (level, index), _h in sorted(batch_nodes.items()):
        if index < tree_size >> level:  # those beyond the tree are named once, at the end
            _unexpected_node(report, level, index)


def _fetch_nodes(sql: str, params: list) -> dict[tuple[int, int], bytes]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {(level, index): bytes(h) for level, index, h in cur.fetchall()}


def _entries_of(level: int, index: int) -> tuple[int, int]:
    return index << level, ((index + 1) << level) - 1


def _compare_nodes(report, completed, batch_nodes, high_nodes, k, tainted) -> None:
    for level, index, h in completed:
        stored = (batch_nodes if level <= k else high_nodes).pop((level, index), None)
        first, last = _entries_of(level, index)
        left, right = (level - 1, 2 * index), (level - 1, 2 * index + 1)
        below = left in tainted or right in tainted
        tainted.discard(left)
        tainted.discard(right)
        if stored is None:
            report.add(
                Finding(
                    "node_missing",
                    f"subtree node ({level}, {index}) over entries {first}..{last} is missing",
                    node=(level, index),
                )
            )
        elif h is not None and stored != h:
            tainted.add((level, index))
            if below:
                continue
            # Children recompute to what was stored under them, yet this node differs. At level 1
            # that means one of its two entries was rewritten together with its leaf hash.
            report.add(
                Finding(
                    "node_mismatch",
                    f"subtree node ({level}, {index}) over entries {first}..{last} differs from the "
                    + (
                        "recomputed one: one of these entries was rewritten with its leaf hash"
                        if level == 1
                        else "recomputed one: the stored node was altered"
                    ),
                    seqs=[first, last] if level == 1 else [],
                    node=(level, index),
                )
            )


def _unexpected_node(report: VerificationReport, level: int, index: int) -> None:
    report.add(
        Finding(
            "node_unexpected", f"subtree node ({level}, {index}) is not part of the tree", node=(level, index)
        )
    )


def _unexpected_nodes_beyond(report: VerificationReport, tree_size: int, ledger_id: int) -> None:
    """Nodes beyond the last entry (left behind when entries were cut off), at most 100 a level.
    The levels present are found by seeking the primary key (one lookup per level), not by
    scanning the nodes."""
    qn = connection.ops.quote_name
    table, index_col = qn(Node._meta.db_table), qn("index")
    level = -1
    with connection.cursor() as cur:
        while True:
            cur.execute(f"SELECT MIN(level) FROM {table} WHERE ledger_id = %s AND level > %s", [ledger_id, level])
            (level,) = cur.fetchone()
            if level is None:
                return
            cur.execute(
                f"SELECT {index_col} FROM {table} WHERE ledger_id = %s AND level = %s AND {index_col} >= %s "
                f"ORDER BY {index_col} LIMIT 100",
                [ledger_id, level, tree_size >> level],
            )
            for (index,) in cur.fetchall():
                _unexpected_node(report, level, index)


def _checkpoint_claims(
    report: VerificationReport,
    hasher: Hasher,
    verifiers: list[Verifier],
    external: Iterable[tuple[str, str]],
    ledger_id: int,
) -> list[_CheckpointClaim]:
    """Check every checkpoint's signature and return the (size, root) each validly signs."""
    origin = ledger_origin_for(ledger_id)
    claims = []
    for cp in Checkpoint.objects.filter(ledger_id=ledger_id).order_by("size", "id"):
        label = f"#{cp.pk}"
        try:
            signed = checkpoint_verify(cp.note, verifiers, origin=origin, digest_size=hasher.digest_size)
        except NoteError as exc:
            report.add(
                Finding(
                    "checkpoint_signature",
                    f"checkpoint {label} (size {cp.size}): signature does not verify: {exc}",
                    checkpoint=label,
                )
            )
            continue
        if signed.size != cp.size or signed.root != bytes(cp.root):
            report.add(
                Finding(
                    "checkpoint_columns_mismatch",
                    f"checkpoint {label}: stored size/root differ from its signed note",
                    checkpoint=label,
                )
            )
        claims.append(_CheckpointClaim(label, signed.size, signed.root))
    for label, note in external:
        try:
            signed = checkpoint_verify(note, verifiers, origin=origin, digest_size=hasher.digest_size)
        except NoteError as exc:
            report.add(Finding("checkpoint_signature", f"checkpoint {label}: {exc}", checkpoint=label))
            continue
        claims.append(_CheckpointClaim(label, signed.size, signed.root))
    return claims


def _check_claims(report, claims, roots_at, tree_size: int) -> None:
    for claim in claims:
        if claim.size > tree_size:
            missing = list(range(tree_size, min(claim.size, tree_size + MAX_FINDINGS)))
            report.add(
                Finding(
                    "entries_cut_off",
                    f"checkpoint {claim.label} signs {claim.size} entries but the ledger ends at {tree_size}: "
                    f"entries {tree_size}..{claim.size - 1} are gone",
                    seqs=missing,
                    checkpoint=claim.label,
                )
            )
            continue
        root = roots_at.get(claim.size)
        if root is None:
            report.add(
                Finding(
                    "checkpoint_unconfirmed",
                    f"checkpoint {claim.label} (size {claim.size}): root cannot be recomputed (entries missing)",
                    checkpoint=claim.label,
                )
            )
        elif root != claim.root:
            report.add(
                Finding(
                    "checkpoint_root_mismatch",
                    f"checkpoint {claim.label} (size {claim.size}): signed root differs from the recomputed root",
                    checkpoint=claim.label,
                )
            )


def _check_routing(report: VerificationReport, ledger_id: int) -> None:
    """Every entry of a case lies in the ledger of the case's agency (`LedgerAgency`, or the
    default ledger for an agency not mapped): otherwise the case's entries are split across two
    ledgers and its case file cannot prove them under one head."""
    qn = connection.ops.quote_name
    entry_table = qn(Entry._meta.db_table)
    where = (
        f"FROM {entry_table} e LEFT JOIN {qn(LedgerAgency._meta.db_table)} m ON m.agency_id = e.agency_id "
        "WHERE e.ledger_id = %s AND e.case_id IS NOT NULL AND e.agency_id IS NOT NULL "
        "AND COALESCE(m.ledger_id, %s) <> %s"
    )
    params = [ledger_id, DEFAULT_LEDGER, ledger_id]
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) {where}", params)
        (count,) = cur.fetchone()
        if not count:
            return
        cur.execute(f"SELECT e.seq, e.agency_id, e.case_id, COALESCE(m.ledger_id, %s) {where} ORDER BY e.seq LIMIT 100",
                    [DEFAULT_LEDGER, *params])
        rows = cur.fetchall()
    for seq, agency_id, case_id, routed in rows:
        report.add(
            Finding(
                "entry_wrong_ledger",
                f"entry {seq}: an entry of case {case_id} of agency {agency_id}, whose entries go to ledger "
                f"{routed}, lies in ledger {ledger_id}",
                [seq],
            )
        )
    if count > len(rows):
        report.add(Finding("entry_wrong_ledger", f"{count - len(rows)} more case entries lie outside their agency's ledger"))


def _seq_referencing_models() -> list:
    """The models with a `ledger_seq` column and an `agency` foreign key to registry.Agency."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "ledger_seq" not in names or "agency" not in names:
            continue
        agency = model._meta.get_field("agency")
        if agency.related_model is not None and agency.related_model._meta.label == "registry.Agency":
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _check_seq_references(report: VerificationReport, ledger_id: int) -> None:
    """Every row's `ledger_seq` routed to this ledger (by the row's agency) names an entry of it,
    of the same agency (the rule of the module docstring)."""
    qn = connection.ops.quote_name
    for model in _seq_referencing_models():
        table = qn(model._meta.db_table)
        pk = qn(model._meta.pk.column)
        agency = qn(model._meta.get_field("agency").column)
        where = (
            f"FROM {table} t LEFT JOIN {qn(LedgerAgency._meta.db_table)} m ON m.agency_id = t.{agency} "
            f"LEFT JOIN {qn(Entry._meta.db_table)} e ON e.ledger_id = %s AND e.seq = t.ledger_seq "
            "WHERE t.ledger_seq IS NOT NULL AND COALESCE(m.ledger_id, %s) = %s "
            f"AND (e.seq IS NULL OR (e.agency_id IS NOT NULL AND t.{agency} IS NOT NULL AND e.agency_id <> t.{agency}))"
        )
        params = [ledger_id, DEFAULT_LEDGER, ledger_id]
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) {where}", params)
            (count,) = cur.fetchone()
            if not count:
                continue
            cur.execute(f"SELECT t.{pk}, t.ledger_seq, e.seq {where} ORDER BY t.{pk} LIMIT 100", params)
            rows = cur.fetchall()
        label = model._meta.label
        for row_pk, seq, found in rows:
            what = "no entry" if found is None else "an entry of another agency"
            report.add(
                Finding(
                    "ledger_seq_dangling",
                    f"{label} {row_pk}: its ledger_seq {seq} names {what} in ledger {ledger_id}",
                    [seq],
                )
            )
        if count > len(rows):
            report.add(Finding("ledger_seq_dangling", f"{label}: {count - len(rows)} more rows name no entry of theirs"))


def _check_head(report: VerificationReport, head: Head | None, tree: _Tree, hasher: Hasher) -> None:
    if head is None:
        if report.entries:
            report.add(Finding("head_missing", "the head row is missing although entries exist"))
        return
    if head.size != report.tree_size:
        report.add(
            Finding("head_mismatch", f"head row says {head.size} entries, the ledger has {report.tree_size}")
        )
        return
    if report.root is not None and bytes(head.root) != report.root:
        report.add(Finding("head_mismatch", "head row's root differs from the recomputed root"))
    if all(h is not None for h in tree.stack) and bytes(head.compact_range) != b"".join(tree.stack):
        report.add(Finding("head_mismatch", "head row's compact range differs from the recomputed tree"))


def note_file_read(path: str) -> tuple[str, str]:
    """(label, text) of a checkpoint note kept outside the database."""
    with open(path, encoding="utf-8") as handle:
        return path, handle.read()


@dataclass
class LedgersReport:
    """The verification of every ledger of the database, the log of heads included: one report
    per ledger, named, in id order (the default ledger first)."""

    reports: list[tuple[str, str, VerificationReport]]  # (name, origin, report)

    @property
    def ok(self) -> bool:
        return all(r.ok for _, _, r in self.reports)

    def report_of(self, name: str) -> VerificationReport:
        return next(r for n, _, r in self.reports if n == name)

    def failed(self) -> list[str]:
        return [name for name, _, r in self.reports if not r.ok]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "failed": self.failed(),
            "ledgers": [{"ledger": name, "origin": origin, **r.as_json()} for name, origin, r in self.reports],
        }


def _note_origin(note: str) -> str:
    return note.split("\n", 1)[0]


def ledgers_verify(
    *,
    batch_size: int = 1 << 14,
    progress: Progress = _no_progress,
    external_checkpoints: Iterable[tuple[str, str]] = (),
    trusted_vkeys: Iterable[str] = (),
    run_extra_checks: bool = True,
) -> LedgersReport:
    """Verify every ledger and the log of heads. Each checkpoint the log records is checked against
    the ledger it names, like a checkpoint kept outside the database: the log's signed head thus
    vouches for every county's head. Checkpoints given from outside go to the ledger of their
    origin line."""
    from sanxiang.ledger.events import EventKind
    from sanxiang.ledger.selectors import ledger_ids, ledger_log_of_heads, ledger_name

    log = ledger_log_of_heads()
    known = ledger_ids()
    origins = {i: ledger_origin_for(i) for i in known}
    claims: dict[str, list[tuple[str, str]]] = {}
    for label, note in external_checkpoints:
        # With one ledger, every given checkpoint is held against it (a wrong origin is named).
        origin = _note_origin(note) if len(origins) > 1 else origins[DEFAULT_LEDGER]
        claims.setdefault(origin, []).append((label, note))
    reports: list[tuple[str, str, VerificationReport]] = []
    log_report = None
    if log is not None:
        log_report = ledger_verify(
            ledger_id=log.id,
            batch_size=batch_size,
            progress=progress,
            external_checkpoints=claims.pop(origins[log.id], []),
            trusted_vkeys=trusted_vkeys,
            run_extra_checks=False,
        )
        recorded = (
            Entry.objects.filter(ledger_id=log.id, kind=str(EventKind.LEDGER_HEAD_RECORDED))
            .order_by("seq")
            .values_list("seq", "body")
        )
        for seq, body in recorded.iterator(chunk_size=2000):
            try:
                payload = json.loads(bytes(body))["payload"]
                note, origin = payload["checkpoint"], payload["origin"]
            except (ValueError, KeyError, TypeError):
                continue  # the log's own verification names a body that is not what was appended
            if _note_origin(note) != origin:
                log_report.add(
                    Finding("log_entry_mismatch", f"log entry {seq}: its checkpoint is not of {origin}", [seq])
                )
            claims.setdefault(_note_origin(note), []).append((f"log of heads entry {seq}", note))
    extra_done = not run_extra_checks
    for ledger_id, origin in origins.items():
        if log is not None and ledger_id == log.id:
            continue
        report = ledger_verify(
            ledger_id=ledger_id,
            batch_size=batch_size,
            progress=progress,
            external_checkpoints=claims.pop(origin, []),
            trusted_vkeys=trusted_vkeys,
            run_extra_checks=not extra_done,
        )
        extra_done = True
        reports.append((ledger_name(ledger_id), origin, report))
    if log is not None:
        for origin, unmatched in sorted(claims.items()):
            for label, _note in unmatched:
                log_report.add(Finding("checkpoint_unknown_ledger", f"{label}: no ledger has the origin {origin}"))
        reports.append((log.name, origins[log.id], log_report))
    elif claims:
        for origin, unmatched in sorted(claims.items()):
            for label, _note in unmatched:
                reports[0][2].add(
                    Finding("checkpoint_signature", f"checkpoint {label}: no ledger has the origin {origin}", checkpoint=label)
                )
    if log is None and len(known) > 1:
        reports.append(("heads", "", _log_of_heads_missing(known)))
    reports += _unknown_ledgers(set(known))
    return LedgersReport(reports)


def _log_of_heads_missing(known: list[int]) -> VerificationReport:
    """County ledgers exist (`ledger_county_create` makes the log of heads with the first one), yet
    no ledger is the log of heads: its row was deleted, and with it the check of every county's
    head against the signed log."""
    report = VerificationReport()
    others = [i for i in known if i != DEFAULT_LEDGER]
    report.add(
        Finding(
            "log_of_heads_missing",
            f"there are {len(known)} ledgers (ids {others[:20]} besides the default) but no log of heads: "
            "its ledger row is gone, so no county's head is checked against the log",
        )
    )
    return report


def _ledger_ids_in(table: str, column: str) -> list[int]:
    """The distinct ledger ids of a table whose primary key (or an index) starts with the ledger
    id, one index seek each (a DISTINCT would read the whole index on PostgreSQL)."""
    qn = connection.ops.quote_name
    found: list[int] = []
    last = -1
    with connection.cursor() as cur:
        while True:
            cur.execute(f"SELECT MIN({qn(column)}) FROM {qn(table)} WHERE {qn(column)} > %s", [last])
            (last,) = cur.fetchone()
            if last is None:
                return found
            found.append(last)


def _unknown_ledgers(known: set[int]) -> list[tuple[str, str, VerificationReport]]:
    """Entries, nodes, checkpoints or a head under a ledger id that names no ledger: nothing
    verifies them (the ledgers verified are the named ones), so each such id is a finding of its
    own, with what lies there."""
    tables = (
        ("entries", Entry._meta.db_table, "ledger_id"),
        ("subtree nodes", Node._meta.db_table, "ledger_id"),
        ("checkpoints", Checkpoint._meta.db_table, "ledger_id"),
        ("head row", Head._meta.db_table, "id"),
    )
    present: dict[int, list[str]] = {}
    for what, table, column in tables:
        for ledger_id in _ledger_ids_in(table, column):
            if ledger_id not in known:
                present.setdefault(ledger_id, []).append(what)
    out = []
    for ledger_id, what in sorted(present.items()):
        report = VerificationReport()
        report.entries = Entry.objects.filter(ledger_id=ledger_id).count()
        report.add(
            Finding(
                "ledger_unknown",
                f"ledger id {ledger_id} names no ledger, yet holds {', '.join(what)} "
                f"({report.entries} entries): rows outside every ledger, never verified (forged or left behind)",
            )
        )
        out.append((f"unknown-{ledger_id}", "", report))
    return out

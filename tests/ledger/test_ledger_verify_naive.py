"""`sanxiang verify` against a naive recomputation (issue 20): on a small ledger with one random
tamper (or a write that changes nothing), the verification fails exactly when recomputing
everything from the rows, the slow and obvious way, finds a difference; and when every entry is
present, its root is the naive root of the bodies.

The naive check shares no code with `verification.py`: RFC 9162's MTH by recursion over
hashlib, canonical JSON by the standard library, the columns against the body one by one,
every complete subtree against the stored nodes as two dictionaries, every checkpoint's root
and the head. A ledger of 21 entries with checkpoints at 8 and 21: batches of 2, 8 and 16 end
inside it (the fast and the slow path both run)."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.ledger.models import Checkpoint, Head
from sanxiang.ledger.services import checkpoint_issue, entries_append
from sanxiang.ledger.verification import ledger_verify
from tests.ledger.helpers import make_event, raw, triggers_dropped

SIZE = 21
CHECKPOINTS = (8, SIZE)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(system_user):
    """Entries 0..7 by a user, the others by none."""
    with transaction.atomic():
        entries_append(events=[make_event(i) for i in range(CHECKPOINTS[0])], actor=system_user)
        checkpoint_issue()
        entries_append(events=[make_event(i) for i in range(CHECKPOINTS[0], SIZE)])
        checkpoint_issue()


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1, by its definition."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return _h(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:]))


def _utc_text(value) -> str:
    if isinstance(value, str):  # SQLite without converters
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _naive() -> tuple[bool, bytes | None]:
    """(whether nothing differs, the root of the bodies when every entry is there)."""
    rows = raw(
        "SELECT seq, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash "
        "FROM ledger_entry WHERE ledger_id = 1 ORDER BY seq"
    )
    ok = [r[0] for r in rows] == list(range(len(rows)))
    leaves = []
    for seq, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash in rows:
        body = bytes(body)
        leaf = _h(b"\x00" + body)
        leaves.append(leaf)
        ok &= leaf == bytes(leaf_hash)
        try:
            text = body.decode()
            doc = json.loads(text)
        except ValueError:
            ok = False
            continue
        if json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) != text or type(doc) is not dict:
            ok = False
            continue
        actor = doc.get("actor")
        ok &= (doc.get("seq"), doc.get("kind"), actor["id"] if isinstance(actor, dict) else None, doc.get("agency"),
               doc.get("case"), doc.get("subject"), doc.get("at")) == (
            seq, kind, actor_id, agency_id, case_id, subject, _utc_text(created_at))
    if not ok:
        return False, None
    n = len(leaves)
    expected = {
        (level, index): _mth(leaves[index << level : (index + 1) << level])
        for level in range(1, n.bit_length())
        for index in range(n >> level)
    }
    stored = {(level, index): bytes(h) for level, index, h in raw('SELECT level, "index", hash FROM ledger_node')}
    ok &= stored == expected
    ok &= all(bytes(cp.root) == _mth(leaves[: cp.size]) for cp in Checkpoint.objects.all())
    head = Head.objects.get()
    ok &= head.size == n and bytes(head.root) == _mth(leaves)
    return ok, _mth(leaves)


def _body(seq: int) -> bytes:
    return bytes(raw("SELECT body FROM ledger_entry WHERE seq = %s", [seq])[0][0])


def _set_body(seq: int, body: bytes, *, with_leaf: bool) -> None:
    if with_leaf:
        raw("UPDATE ledger_entry SET body = %s, leaf_hash = %s WHERE seq = %s", [body, _h(b"\x00" + body), seq])
    else:
        raw("UPDATE ledger_entry SET body = %s WHERE seq = %s", [body, seq])


def _node(seq: int, level: int) -> tuple[int, int]:
    """A stored node of `level` (1..4) at or before the one above entry `seq`."""
    return level, min(seq >> level, (SIZE >> level) - 1)


def _set_node(seq: int, level: int, value) -> None:
    raw('UPDATE ledger_node SET hash = %s WHERE level = %s AND "index" = %s', [value, *_node(seq, level)])


def _node_hash(seq: int, level: int) -> bytes:
    return bytes(raw('SELECT hash FROM ledger_node WHERE level = %s AND "index" = %s', list(_node(seq, level)))[0][0])


def _node_from_neighbour(seq: int, level: int) -> None:
    """A node given the hash of another stored node of its level (its sibling, or the one before
    it for the last of an odd count; level 4 has one node: level 3 then)."""
    level = min(level, 3)
    index = _node(seq, level)[1]
    other = index ^ 1 if index ^ 1 < SIZE >> level else index - 1
    _set_node(seq, level, _node_hash(other << level, level))


def _bodies_swapped(seq: int) -> None:
    other = (seq + 1) % SIZE
    first, second = _body(seq), _body(other)
    _set_body(seq, second, with_leaf=True)
    _set_body(other, first, with_leaf=True)


def _actor_changed(seq: int) -> None:
    """An entry by the user made one by nobody, or the other way round."""
    user = raw("SELECT id FROM accounts_user")[0][0]
    raw("UPDATE ledger_entry SET actor_id = CASE WHEN actor_id IS NULL THEN %s END WHERE seq = %s", [user, seq])


TAMPERS = {
    # Writes that change nothing: the verification must still pass.
    "the same body": lambda seq, _lv: _set_body(seq, _body(seq), with_leaf=False),
    "the same node": lambda seq, lv: _set_node(seq, lv, _node_hash(seq, lv)),
    "a body": lambda seq, _lv: _set_body(seq, _body(seq).replace(b'"v":1', b'"v":3'), with_leaf=False),
    "a body with its leaf": lambda seq, _lv: _set_body(seq, _body(seq).replace(b'"v":1', b'"v":3'), with_leaf=True),
    "keys out of order with the leaf": lambda seq, _lv: _set_body(
        seq, b'{"v":1,' + _body(seq)[1:].replace(b',"v":1}', b"}"), with_leaf=True
    ),
    "a float with the leaf": lambda seq, _lv: _set_body(seq, _body(seq).replace(b'"v":1', b'"v":1e-7'), with_leaf=True),
    "a column": lambda seq, _lv: raw("UPDATE ledger_entry SET case_id = case_id + 1 WHERE seq = %s", [seq]),
    "the actor column": lambda seq, _lv: _actor_changed(seq),
    "a node": lambda seq, lv: _set_node(seq, lv, b"\x07" * 32),
    "a node the hash of its neighbour": _node_from_neighbour,
    "a node cut short": lambda seq, lv: _set_node(seq, lv, _node_hash(seq, lv)[:31]),
    "a deleted node": lambda seq, lv: raw('DELETE FROM ledger_node WHERE level = %s AND "index" = %s', list(_node(seq, lv))),
    "an extra node": lambda seq, lv: raw(
        'INSERT INTO ledger_node (ledger_id, level, "index", hash) VALUES (1, %s, %s, %s)', [lv, SIZE + seq, b"\x07" * 32]
    ),
    "a deleted entry": lambda seq, _lv: raw("DELETE FROM ledger_entry WHERE seq = %s", [seq]),
    "two bodies swapped with their leaves": lambda seq, _lv: _bodies_swapped(seq),
}


class _Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(TAMPERS)),
    seq=st.integers(min_value=0, max_value=SIZE - 1),
    level=st.integers(min_value=1, max_value=4),
    batch_size=st.sampled_from([2, 8, 16, 1 << 14]),
)
def test_verify_agrees_with_a_naive_recomputation(ledger, kind, seq, level, batch_size):
    try:
        with transaction.atomic():
            with triggers_dropped():
                TAMPERS[kind](seq, level)
            naive_ok, naive_root = _naive()
            report = ledger_verify(batch_size=batch_size, run_extra_checks=False)
            raise _Rollback
    except _Rollback:
        pass
    assert report.ok is naive_ok, (kind, [f.message for f in report.findings])
    if naive_ok:
        assert report.root == naive_root
    # The naive check is no blind one: it passes the writes that change nothing, fails the others.
    assert naive_ok is kind.startswith("the same"), kind


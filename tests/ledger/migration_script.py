"""Run by test_ledger_migration.py in its own process, on a fresh SQLite file: a ledger written in
the schema of migration 0002 (one ledger), then migrated to many ledgers."""

import base64
import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from sanxiang.ledger import keys, notes  # noqa: E402
from sanxiang.ledger.canonical import canonical_json, entry_body  # noqa: E402
from sanxiang.ledger.merkle import CompactRange, hasher_for  # noqa: E402

call_command("migrate", "ledger", "0002", verbosity=0)
hasher = hasher_for("sha256")
cr = CompactRange(hasher)
now = timezone.now()
at = connection.ops.adapt_datetimefield_value(now)
with transaction.atomic(), connection.cursor() as cur:
    for seq in range(11):
        body = canonical_json(
            entry_body(seq=seq, kind="case.step_done", actor=None, at=now, agency_id=7, case_id=seq // 3,
                       subject=f"case:{seq // 3}", payload={"n": seq, "text": "调查取证"}, files=[])
        )
        leaf = hasher.leaf(body)
        for level, index, h in cr.append(leaf):
            cur.execute('INSERT INTO ledger_node (level, "index", hash) VALUES (%s, %s, %s)', [level, index, h])
        cur.execute(
            "INSERT INTO ledger_entry (seq, kind, actor_id, agency_id, case_id, subject, created_at, body, leaf_hash)"
            " VALUES (%s, %s, NULL, 7, %s, %s, %s, %s, %s)",
            [seq, "case.step_done", seq // 3, f"case:{seq // 3}", at, body, leaf],
        )
    cur.execute(
        "INSERT INTO ledger_head (id, algorithm, size, root, compact_range, updated_at) VALUES (1, 'sha256', %s, %s, %s, %s)",
        [cr.size, cr.root(), cr.to_bytes(), at],
    )
    signer = keys.signer_get()
    note, sig = notes.note_sign(notes.Checkpoint(keys.ledger_origin(), cr.size, cr.root()).body(), signer)
    cur.execute(
        "INSERT INTO ledger_checkpoint (size, root, note, key_name, key_id, signature, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [cr.size, cr.root(), note, sig.name, sig.key_id, sig.signature, at],
    )
    cur.execute("SELECT seq, body, leaf_hash FROM ledger_entry ORDER BY seq")
    before = [(s, bytes(b).hex(), bytes(h).hex()) for s, b, h in cur.fetchall()]

call_command("migrate", verbosity=0)

from sanxiang.ledger.events import EventKind, LedgerEvent  # noqa: E402
from sanxiang.ledger.models import Checkpoint, Entry  # noqa: E402
from sanxiang.ledger.services import entry_append  # noqa: E402
from sanxiang.ledger.verification import ledgers_verify  # noqa: E402

after = [(e.seq, bytes(e.body).hex(), bytes(e.leaf_hash).hex()) for e in Entry.objects.order_by("seq")]
ledgers = sorted(set(Entry.objects.values_list("ledger_id", flat=True)))
checkpoint = Checkpoint.objects.get()
report = ledgers_verify(run_extra_checks=False)
with transaction.atomic():
    next_entry = entry_append(event=LedgerEvent(EventKind.STEP_DONE, {"n": 11}, agency_id=7))
refused = []
for sql in ("UPDATE ledger_entry SET kind = 'x' WHERE seq = 1", "DELETE FROM ledger_node", "DELETE FROM ledger_checkpoint"):
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    except Exception as exc:
        refused.append("append-only" in str(exc))
json.dump(
    {
        "unchanged": before == after,
        "ledgers": ledgers,
        "checkpoint": [checkpoint.ledger_id, checkpoint.size, checkpoint.note == note],
        "root": base64.b64encode(cr.root()).decode(),
        "verified": report.ok,
        "findings": [f.message for _, _, r in report.reports for f in r.findings],
        "next": [next_entry.ledger_id, next_entry.seq],
        "refused": refused,
    },
    sys.stdout,
)

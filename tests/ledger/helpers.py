"""Helpers for the ledger tests (imported by the test modules and conftest)."""

import importlib
from contextlib import contextmanager

from django.db import connection, transaction

from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent

triggers = importlib.import_module("sanxiang.ledger.migrations.0004_ledger_rows_not_deleted")


def make_event(i: int, *, case_id: int | None = None) -> LedgerEvent:
    """A varied, realistic event: Chinese text, nested payload, a file digest every 7th entry."""
    files = ()
    if i % 7 == 0:
        files = (FileDigest(sha256=f"{i:064x}", size=1000 + i),)
    return LedgerEvent(
        EventKind.STEP_DONE if i % 3 else EventKind.CASE_OPENED,
        {
            "step": f"调查取证-{i}",
            "amount_fen": i * 100,
            "flags": [i % 2 == 0, None],
            "nested": {"k": str(i)},
        },
        agency_id=1 + i % 5,
        case_id=case_id if case_id is not None else i // 10,
        subject=f"case:{i // 10}",
        files=files,
    )


@contextmanager
def triggers_dropped():
    """Drop the append-only triggers inside the current transaction, as an attacker with DDL
    rights would. Tests run in a transaction that is rolled back, so the triggers come back."""
    vendor = connection.vendor
    with connection.cursor() as cur:
        for sql in triggers.sql_drop(vendor):
            if "FUNCTION" not in sql:
                cur.execute(sql)
    yield


def raw(sql: str, params=()) -> list:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def ledger_purge() -> None:
    """Empty the ledger tables for transactional tests: Django's flush on SQLite DELETEs every
    row, which the triggers refuse, so drop them, delete, and put them back."""
    vendor = connection.vendor
    with transaction.atomic(), connection.cursor() as cur:
        for sql in triggers.sql_drop(vendor):
            cur.execute(sql)
        for table in (
            "ledger_checkpoint",
            "ledger_node",
            "ledger_entry",
            "ledger_head",
            "ledger_ledgeragency",
            "ledger_ledger",
        ):
            cur.execute(f"DELETE FROM {table}")
        for sql in triggers.sql_install(vendor):
            cur.execute(sql)

"""Acceptance of issue 19, item 4: a worker killed with SIGKILL in the middle of a delivery loses no
event. The worker is `python -m sanxiang deliver` in its own process, on a SQLite file cloned from
the test database as this test's transaction sees it (pytest's database is in memory, which another
process cannot open; migrating a fresh file would cost half a minute)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from sanxiang.outbox.models import Delivery, DeliveryStatus
from sanxiang.outbox.services import subscription_create
from sanxiang.outbox.signing import signature_verify
from tests.factories import agency_make
from tests.outbox.support import Receiver, entry_write

ROOT = Path(__file__).resolve().parents[2]
LEASE = 1.0  # seconds: the killed worker's claims run out quickly


def _clone(target: Path) -> None:
    """Copy the schema and the rows of the test database, as this transaction sees them, to a file:
    tables, then rows, then indexes and triggers (the ledger's append-only triggers included)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
        schema = cursor.fetchall()
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            copy.execute("BEGIN")
            # Full-text indexes (virtual tables) are made empty, their shadow tables with them.
            virtual = [name for kind, name, sql in schema if kind == "table" and "VIRTUAL TABLE" in sql.upper()]
            shadow = {name for _, name, _ in schema if any(name.startswith(f"{v}_") for v in virtual)}
            tables = [name for kind, name, _ in schema if kind == "table" and name not in shadow and name not in virtual]
            for kind, name, sql in schema:
                if kind == "table" and name not in shadow:
                    copy.execute(sql)
            for table in [*tables, "sqlite_sequence"]:
                cursor.execute(f'SELECT * FROM "{table}"')
                rows = cursor.fetchall()
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    copy.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
            for kind, name, sql in schema:
                if kind != "table" and name not in shadow:
                    copy.execute(sql)
            copy.execute("COMMIT")
        finally:
            copy.close()


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SANXIANG_DATA_DIR=str(data), DATABASE_URL=f"sqlite:///{data / 'sanxiang.sqlite3'}",
        SANXIANG_DELIVER_LEASE_SECONDS=str(LEASE), SANXIANG_OUTBOX_ALLOWED_HOSTS="127.0.0.1", PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


@pytest.mark.engine_independent
@pytest.mark.django_db
def test_a_worker_killed_mid_delivery_loses_no_event(tmp_path):
    agency = agency_make()
    with Receiver(hang=True) as receiver:
        _, secret = subscription_create(actor=None, scope="agency", agency_id=agency.pk, region_code="",
                                        name="对接系统", url=receiver.url, kinds=[])
        entries = [entry_write(agency_id=agency.pk, case_id=n) for n in range(1, 6)]
        data = tmp_path / "data"
        data.mkdir(mode=0o700, exist_ok=True)
        _clone(data / "sanxiang.sqlite3")
        env = _env(data)

        worker = subprocess.Popen([sys.executable, "-m", "sanxiang", "deliver", "--poll", "0.2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            assert receiver.hanging.wait(120), "the worker never sent the first event"
            os.kill(worker.pid, signal.SIGKILL)  # mid-delivery: the request is open, the claims are held
            assert worker.wait(30) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(30)
        receiver.release.set()
        assert len(receiver.requests) == 1

        time.sleep(LEASE + 0.2)  # the dead worker's lease runs out
        again = subprocess.run([sys.executable, "-m", "sanxiang", "deliver", "--once"], env=env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr[-2000:]

    unique = receiver.unique_events()
    assert sorted(e["ledger"]["seq"] for e in unique.values()) == [e.seq for e in entries]
    assert receiver.seen[receiver.requests[0]["id"]] == 2  # the interrupted one was sent again: at least once
    assert all(signature_verify(secret=secret, body=r["body"], header=r["headers"]["X-Sanxiang-Signature"])
               for r in receiver.requests)
    worker_db = sqlite3.connect(data / "sanxiang.sqlite3")
    try:
        statuses = dict(worker_db.execute("SELECT status, COUNT(*) FROM outbox_delivery GROUP BY status"))
    finally:
        worker_db.close()
    assert statuses == {DeliveryStatus.DELIVERED.value: len(entries)}
    assert not Delivery.objects.exists()  # the test's own database was not the worker's

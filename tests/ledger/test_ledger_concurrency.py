"""Two processes append to one PostgreSQL ledger at once (a few seconds; the 60-second run is
benchmarks/ledger_concurrency.py): no gap, no fork, and verify passes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from sanxiang.ledger.models import Entry, Head
from sanxiang.ledger.verification import ledger_verify

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "ledger_concurrency.py"


@pytest.mark.django_db(transaction=True)
def test_two_processes_append_without_gap_or_fork(purge_ledger_after, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two processes cannot share the in-memory SQLite test database")
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "SANXIANG_DATA_DIR": str(settings.DATA_DIR),
    }  # same signing key
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(SCRIPT),
                "worker",
                "--database-url",
                url,
                "--seconds",
                "3",
                "--worker-id",
                str(i),
            ]
            + (["--checkpoints"] if i == 0 else []),
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    counts = [r["appended"] for r in results]
    assert min(counts) > 0  # both really appended
    acknowledged = sorted(seq for r in results for seq in r["seqs"])
    total = sum(counts)
    assert acknowledged == list(range(total))  # no gap, no seq handed out twice
    assert Entry.objects.count() == Head.objects.get().size == total
    for r in results:
        ns = sorted(
            json.loads(bytes(b))["payload"]["n"]
            for b in Entry.objects.filter(subject=f"worker:{r['worker']}").values_list("body", flat=True)
        )
        assert ns == list(range(r["appended"]))
    report = ledger_verify(run_extra_checks=False)
    assert report.ok, [f.message for f in report.findings]
    assert report.checkpoints_checked >= 1


@pytest.mark.django_db(transaction=True)
def test_a_writer_on_one_county_ledger_does_not_wait_for_another_ledgers_open_transaction(purge_ledger_after):
    """Another connection holds ledger B's head lock in an open transaction; appends to ledger A go
    through at once (a lock wait would hit the lock timeout), while an append to B does wait."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer for the whole database")
    import psycopg
    from django.db import OperationalError, transaction

    from sanxiang.ledger.events import EventKind, LedgerEvent
    from sanxiang.ledger.services import entry_append, ledger_agency_assign, ledger_county_create

    with transaction.atomic():
        a = ledger_county_create(name="county-a")
        b = ledger_county_create(name="county-b")
        ledger_agency_assign(agency_id=101, ledger=a)
        ledger_agency_assign(agency_id=102, ledger=b)
    s = connection.settings_dict
    holder = psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                             password=s.get("PASSWORD") or None, dbname=s["NAME"])
    try:
        holder.execute("SELECT size FROM ledger_head WHERE id = %s FOR UPDATE", [b.id]).fetchone()

        def append(agency_id: int, n: int):
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL lock_timeout = '1500ms'")
                return entry_append(event=LedgerEvent(EventKind.STEP_DONE, {"n": n}, agency_id=agency_id, case_id=n))

        appended = [append(101, n) for n in range(5)]
        assert [(e.ledger_id, e.seq) for e in appended] == [(a.id, n) for n in range(5)]
        with pytest.raises(OperationalError, match="lock timeout"):
            append(102, 0)  # the control: B's head really is held
    finally:
        holder.rollback()
        holder.close()
    assert append(102, 0).seq == 0  # released: B takes its first entry


@pytest.mark.django_db(transaction=True)
def test_assigning_an_agency_waits_for_an_append_in_flight_on_the_default_ledger(purge_ledger_after):
    """`ledger_agency_assign` takes the default head's lock before it looks for the agency's case
    entries: a transaction appending there (holding that lock) is waited for, so its entries are
    seen and the assignment refused, never made beside them (a case split across two ledgers)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer for the whole database")
    import psycopg
    from django.db import OperationalError, transaction

    from sanxiang.ledger.events import EventKind, LedgerEvent
    from sanxiang.ledger.models import LedgerAgency
    from sanxiang.ledger.services import entry_append, ledger_agency_assign, ledger_county_create

    with transaction.atomic():
        county = ledger_county_create(name="county-a")
        entry_append(event=LedgerEvent(EventKind.STEP_DONE, {"n": 0}, agency_id=5))  # the default head exists
    s = connection.settings_dict
    holder = psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                             password=s.get("PASSWORD") or None, dbname=s["NAME"])
    try:
        # An append of agency 7's case in flight: the default head locked until it commits.
        holder.execute("SELECT size FROM ledger_head WHERE id = 1 FOR UPDATE").fetchone()
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '1500ms'")
            ledger_agency_assign(agency_id=7, ledger=county)
    finally:
        holder.rollback()
        holder.close()
    assert not LedgerAgency.objects.filter(agency_id=7).exists()
    with transaction.atomic():
        assert ledger_agency_assign(agency_id=7, ledger=county).ledger_id == county.id

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

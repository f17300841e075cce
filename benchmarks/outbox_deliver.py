"""Events for other systems (issue 19, item 4): how fast the worker turns ledger entries into events
and delivers them, beside the raw limit measured in the same run, and what the outbox costs a change.

    python benchmarks/outbox_deliver.py [--entries 2000] [--pg-url postgres://…/name]

- Fan-out: entries read past the cursors and turned into events and deliveries per second (two
  subscriptions: one agency's, one county's, so each entry of the agency makes two deliveries).
- Delivery: deliveries per second through `deliveries_run` (claim, sign, POST with urllib, record the
  outcome and the attempt) to a local receiver answering 200, beside bare urllib POSTs of the same
  bodies to the same receiver (the transport's limit on this machine).
- The append path: statements of one `entry_append` besides the ledger's own, with and without
  subscriptions (the outbox adds none: the ledger is the outbox).
SQLite in a temporary data folder by default (migrated first, which takes a while); `--pg-url` names a
PostgreSQL database that is migrated and used (not dropped).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--pg-url")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="sanxiang-bench-")
    os.environ["SANXIANG_DATA_DIR"] = data_dir
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from sanxiang.ledger.events import EventKind, LedgerEvent
    from sanxiang.ledger.services import entries_append, entry_append
    from sanxiang.outbox.services import (
        body_bytes,
        deliveries_run,
        events_fan_out,
        http_post,
        subscription_create,
    )
    from sanxiang.registry.models import Agency

    call_command("migrate", verbosity=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    with transaction.atomic():
        agency = Agency.objects.create(name=f"基准测试局{time.time_ns()}", credit_code=f"{time.time_ns() % 10**18:018d}",
                                       kind="administrative_organ", region_code="150626", parent_government="基准")

    def one_append() -> int:
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            entry_append(event=LedgerEvent(EventKind.CASE_OPENED, {"number": "x"}, agency_id=agency.pk, case_id=1))
        # Statements other than the ledger's own (a Merkle node is inserted on every other append).
        return sum(1 for q in captured if "ledger_" not in q["sql"] and q["sql"] not in ("BEGIN IMMEDIATE", "COMMIT"))

    one_append()  # the first append creates the ledger's head
    before = one_append()
    with transaction.atomic():
        subscription_create(actor=None, scope="agency", agency_id=agency.pk, region_code="", name="基准", url=url,
                            kinds=[])
        subscription_create(actor=None, scope="county", agency_id=None, region_code="150626", name="基准县", url=url,
                            kinds=[])
    after = one_append()
    print(f"statements of one entry_append besides the ledger's own: {before} without subscriptions, {after} with two")

    events = (LedgerEvent(EventKind.CASE_OPENED if i % 2 else EventKind.STEP_DONE,
                          {"number": f"乌审旗〔2026〕{i}号", "procedure": "penalty", "state": "opened",
                           "facts": "当事人……" * 10}, agency_id=agency.pk, case_id=i)
              for i in range(args.entries))
    with transaction.atomic():
        entries_append(events=events)

    started = time.perf_counter()
    read = made = 0
    while (fan := events_fan_out()).read:
        read, made = read + fan.read, made + fan.made
    fan_seconds = time.perf_counter() - started
    print(f"fan-out: {read} entries read, {made} deliveries made in {fan_seconds:.2f} s "
          f"({read / fan_seconds:.0f} entries/s, {made / fan_seconds:.0f} deliveries/s)")

    from sanxiang.outbox.models import OutboxEvent

    bodies = [body_bytes(e.payload) for e in OutboxEvent.objects.order_by("seq")[:made]]
    started = time.perf_counter()
    delivered = 0
    while (run := deliveries_run(limit=500)).busy:
        delivered += run.delivered
    deliver_seconds = time.perf_counter() - started
    started = time.perf_counter()
    raw = 0
    while raw < delivered:
        for body in bodies:
            if raw >= delivered:
                break
            http_post(url, body, {"Content-Type": "application/json"}, 15.0)
            raw += 1
    raw_seconds = time.perf_counter() - started
    print(f"delivery: {delivered} deliveries in {deliver_seconds:.2f} s ({delivered / deliver_seconds:.0f}/s); "
          f"bare urllib POSTs of the same bodies: {raw / raw_seconds:.0f}/s")
    server.shutdown()


if __name__ == "__main__":
    main()

"""A local receiver of webhooks (threading http.server) and helpers to write ledger entries."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import transaction

from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append


class Receiver:
    """Records every request; answers 500 to the first `fail_first` requests of each event id, then
    200. `hang` makes it hold the first request open until `release` is set (a worker killed
    mid-delivery)."""

    def __init__(self, *, fail_first: int = 0, hang: bool = False) -> None:
        self.fail_first = fail_first
        self.hang = hang
        self.requests: list[dict] = []
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.hanging = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                event_id = self.headers.get("X-Sanxiang-Event-Id", "")
                with receiver.lock:
                    receiver.seen[event_id] += 1
                    n = receiver.seen[event_id]
                    first = len(receiver.requests) == 0
                    receiver.requests.append({"id": event_id, "body": body, "headers": dict(self.headers)})
                if receiver.hang and first:
                    receiver.hanging.set()
                    receiver.release.wait(30)
                status = 500 if n <= receiver.fail_first else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"try later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def unique_events(self) -> dict[str, dict]:
        """The events after de-duplication by event id (what a receiver keeps)."""
        kept: dict[str, dict] = {}
        for r in self.requests:
            kept.setdefault(r["id"], json.loads(r["body"]))
        return kept


# What a case-opened entry holds: its number and procedure, and personal data (the facts, the party).
CASE_PAYLOAD = {"number": "乌市监立〔2026〕1号", "procedure": "penalty", "state": "opened",
                "facts": "张三（身份证号150626198506150012）无证经营", "party": 7, "officers": [1, 2]}


def entry_write(*, agency_id: int | None, kind: EventKind = EventKind.CASE_OPENED, payload: dict | None = None,
                case_id: int | None = 1):
    with transaction.atomic():
        return entry_append(event=LedgerEvent(kind, dict(payload or CASE_PAYLOAD), agency_id=agency_id,
                                              case_id=case_id, subject=f"case:{case_id}"))

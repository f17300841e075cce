"""Signatures of deliveries, in the scheme GitHub's and Stripe's webhooks use.

Header `X-Sanxiang-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The
receiver recomputes the HMAC over the timestamp and the raw body it received, compares in constant
time, and refuses a timestamp older than its tolerance (a replayed request). The event id
(`X-Sanxiang-Event-Id`, also `id` in the body) stays the same on every retry: receivers de-duplicate
by it. Pure Python: the README's receiver code is this `signature_verify`."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Sanxiang-Signature"
EVENT_ID_HEADER = "X-Sanxiang-Event-Id"
EVENT_KIND_HEADER = "X-Sanxiang-Event"


def signature_header(*, secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def signature_verify(*, secret: str, body: bytes, header: str, tolerance: int = 300, now: float | None = None) -> bool:
    """True when `header` signs `body` with `secret` and its timestamp is within `tolerance` seconds."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, v) for k, v in (i.split("=", 1) for i in header.split(",")) if k == "v1")

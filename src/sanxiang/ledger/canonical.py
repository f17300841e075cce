"""Canonical JSON of ledger entries: the bytes that are hashed, reproducible anywhere.

Sorted keys, UTF-8 without \\u escapes, separators "," and ":", no whitespace. Only strings,
integers, booleans, null, lists and objects with string keys are allowed: floats have no single
textual form across languages (money is integer fen, measures are strings), so they are refused
rather than hashed in a form another verifier might not reproduce. Keys are sorted by code point
(Python's order); it equals RFC 8785's UTF-16 order for every key without characters above
U+FFFF mixed with U+E000..U+FFFF.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

BODY_VERSION = 1


class CanonicalJSONError(TypeError):
    pass


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJSONError(f"{path}: object key {key!r} is not a string")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    if isinstance(value, float):
        raise CanonicalJSONError(f"{path}: floats are not allowed in ledger entries (use an int or a string)")
    raise CanonicalJSONError(f"{path}: {type(value).__name__} is not allowed in ledger entries")


def canonical_check(value: Any) -> None:
    """Raise CanonicalJSONError if `value` holds anything without one textual form."""
    _check(value, "$")


def canonical_json(value: Any) -> bytes:
    _check(value, "$")
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def utc_iso(moment: dt.datetime) -> str:
    """UTC with microseconds and a Z: one textual form per instant."""
    if moment.tzinfo is None:
        raise ValueError("ledger times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def entry_body(
    *,
    seq: int,
    kind: str,
    actor: tuple[int, str] | None,
    at: dt.datetime,
    agency_id: int | None,
    case_id: int | None,
    subject: str,
    payload: dict[str, Any],
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    # `seq` is inside the body so that an entry moved to another position is named exactly by
    # `sanxiang verify`, not merely detected somewhere in a subtree.
    return {
        "v": BODY_VERSION,
        "seq": seq,
        "kind": str(kind),
        "actor": None if actor is None else {"id": actor[0], "username": actor[1]},
        "at": utc_iso(at),
        "agency": agency_id,
        "case": case_id,
        "subject": subject,
        "payload": payload,
        "files": files,
    }

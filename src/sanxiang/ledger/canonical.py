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
import re
from typing import Any

try:  # optional: the exact check below falls back to the standard library without it
    import orjson
except ImportError:  # pragma: no cover - the dependency is declared; kept working without it
    orjson = None

BODY_VERSION = 1


class CanonicalJSONError(TypeError):
    pass


_SCALARS = frozenset({str, bool, int, type(None)})


def _allowed(value: Any) -> bool:
    """Whether `value` holds only what `_check` accepts, by the exact type of each value first (a
    dictionary look-up), `isinstance` only for subclasses; no path is built (`_check` names the
    place when this says no). A ledger append checks every body: this is its common case."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict or (kind not in (list, tuple) and isinstance(value, dict)):
        for key, item in value.items():
            if type(key) is not str and not isinstance(key, str):
                return False
            if type(item) not in _SCALARS and not _allowed(item):
                return False
        return True
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        for item in value:
            if type(item) not in _SCALARS and not _allowed(item):
                return False
        return True
    return isinstance(value, (str, int)) and not isinstance(value, float)


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
    if not _allowed(value):
        _check(value, "$")


def canonical_json_stdlib(value: Any) -> bytes:
    """`canonical_json` by the standard library alone (the definition; tests compare the two)."""
    _check(value, "$")
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of `value` (checked first: see `_check`). orjson writes them when it
    can, a fifth of the standard library's time: for the values `_check` accepts (no float) both
    write the same bytes (keys sorted by code point, which is UTF-8's byte order; UTF-8 without
    escapes but the quote, the backslash and control characters, in the same forms; tuples and
    subclasses of str, int, dict and list as their base). What orjson refuses (an integer beyond
    64 bits, a lone surrogate, nesting deeper than it goes, a key of a subclass it does not take)
    goes to the standard library, which writes it or raises as it always did.
    tests/ledger/test_ledger_canonical.py holds the two to the same bytes over arbitrary values."""
    canonical_check(value)
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


_raw_decode = json.JSONDecoder().raw_decode
# json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) without building an
# encoder for each body.
_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def body_parse_stdlib(body: bytes) -> tuple[Any, bool]:
    """(document, whether `body` is canonical JSON) with the standard library: the body decodes
    as UTF-8, holds one JSON value and nothing around it, and encodes back to the same text.
    The document is None when the body does not parse."""
    try:
        text = body.decode()
        doc, stop = _raw_decode(text)
        return doc, stop == len(text) and _encode(doc) == text
    except (ValueError, RecursionError):
        return None, False


# Where orjson writes a float otherwise than the standard library (repr): below 1e-4 only, as
# "1e-7" for "1e-07" and "0.00001" for "1e-05" (measured over 3,000,000 random doubles, orjson
# 3.13; tests/ledger/test_ledger_canonical.py keeps checking it). Every such text has a negative
# exponent, or starts with "0.0000" (after ':', '[', ',' or '-': a timestamp's "00.000000" does
# not); a body holding either is decided by the standard library. Each pattern starts with a byte
# that is rare in bodies ('-', '.') and looks behind for the rest: the search then runs over the
# text for that byte alone (a 'e' or '0' first, frequent in hex digests, made it 1.4 times slower).
_APART_EXPONENT = re.compile(rb"-[0-9](?<=e-[0-9])")  # "e-" followed by a digit
_APART_POINT = re.compile(rb"\.0000(?<=[:,\[-]0\.0000)")  # "0.0000" after ':', ',', '[' or '-'


def float_written_apart(text: bytes) -> bool:
    """Whether `text` (orjson's JSON) may hold a float that the standard library writes otherwise;
    a text that holds none is written the same by both."""
    return _APART_EXPONENT.search(text) is not None or _APART_POINT.search(text) is not None


def body_parse(body: bytes) -> tuple[Any, bool]:
    """The same answer as `body_parse_stdlib`, in a fifth of its time for a canonical body.

    orjson decodes the body and encodes it again with sorted keys; when its bytes are the body's
    and hold no float written apart (`float_written_apart`), the standard library's answer is the
    same (both parse valid JSON to the same document: a duplicate key keeps its last value in
    both, and the shorter re-encoding then differs; integers beyond 64 bits become floats in
    orjson, written with a point or an exponent, so differ from the body; both escape only
    the quote, the backslash and control characters, in the same forms, and sort keys by code
    point; both write every other float as repr does), so it is returned. Anything else (orjson
    refuses the body, its bytes differ, a float the two write differently) is decided by the
    standard library, as before. tests/ledger/test_ledger_canonical.py holds the two to the same
    answer over arbitrary bodies."""
    if orjson is not None and body[:1] == b"{":
        try:
            doc = orjson.loads(body)
            same = type(doc) is dict and orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) == body
        except (orjson.JSONDecodeError, orjson.JSONEncodeError):  # e.g. nested deeper than orjson goes
            same = False
        if same and not float_written_apart(body):
            return doc, True
    return body_parse_stdlib(body)


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

"""Cursor pagination of the API's lists: an opaque cursor, a page size bounded by MAX_LIMIT, a
stable order with the primary key as the last tie-break.

A page is read with one query (`limit` + 1 rows past the cursor, over the list's own filters and
order), whatever the number of rows before it: keyset pagination, not OFFSET. The cursor carries
the order's values of the last row shown, signed (`django.core.signing`), so that a client cannot
forge one and a changed or truncated cursor is refused with 422 on the field `cursor` rather than
read as some other position. Rows added after the first page never make a row appear twice;
a walk from the first page to the last shows every row that existed throughout exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_MAX_LENGTH = 500
_SALT = "sanxiang.api.cursor"

LIMIT_DESCRIPTION = f"每页条数，默认{DEFAULT_LIMIT}，最多{MAX_LIMIT}"
CURSOR_DESCRIPTION = "翻页标记：上一页响应中的 next_cursor；不填为第一页"


class PageOut(Schema):
    """What every paginated list answers (its `items` typed in each subclass)."""

    next_cursor: str | None = Field(None, description="下一页的翻页标记；没有下一页时为 null")
    next: str | None = Field(None, description="下一页的地址（含原有的筛选条件）；没有下一页时为 null")


def _cursor_invalid() -> ValidationError:
    return ValidationError([{"type": "cursor_invalid", "loc": ("query", "cursor"), "msg": "cursor invalid"}])


def _field_name(key: str) -> str:
    return key.removeprefix("-")


def _plain(value: Any) -> Any:
    # Dates and times in full ISO form (microseconds kept: a rounded value would skip rows).
    return value.isoformat() if hasattr(value, "isoformat") else value


def cursor_encode(values: Sequence[Any]) -> str:
    return signing.dumps([_plain(value) for value in values], salt=_SALT, compress=True)


def cursor_decode(cursor: str, *, queryset: QuerySet, order: Sequence[str]) -> list[Any]:
    """The order's values of the row the cursor stands after; a cursor this server did not give
    (or one of another order) raises the API's 422 on the field `cursor`."""
    try:
        values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise _cursor_invalid() from None
    if not isinstance(values, list) or len(values) != len(order):
        raise _cursor_invalid()
    meta = queryset.model._meta
    try:
        return [meta.get_field(_field_name(key)).to_python(value) for key, value in zip(order, values, strict=True)]
    except Exception:  # a value the field cannot take: not a cursor of this list
        raise _cursor_invalid() from None


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order` (each key "field" ascending or "-field" descending)."""
    condition = Q(pk__in=[])
    for i, key in enumerate(order):
        name = _field_name(key)
        step = Q(**{f"{name}__lt" if key.startswith("-") else f"{name}__gt": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{_field_name(earlier): value})
        condition |= step
    # The same set, with the first key's bound stated alone as well: an index range the database
    # can seek to (an OR of conditions alone makes PostgreSQL filter every row of a large agency).
    first = order[0]
    bound = Q(**{f"{_field_name(first)}__lte" if first.startswith("-") else f"{_field_name(first)}__gte": values[0]})
    return bound & condition


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    order: Sequence[str],
    limit: int,
    cursor: str | None,
    item: Callable[[Any], Any] = lambda row: row,
) -> dict[str, Any]:
    """One page of `queryset` in `order` (its last key must be unique: "-id" or "id"), as
    {"items", "next_cursor", "next"}; `item` turns a row into what the page lists."""
    if _field_name(order[-1]) not in ("id", "pk"):
        raise ValueError("the order must end with the primary key")
    rows = queryset.order_by(*order)
    if cursor:
        rows = rows.filter(_after(order, cursor_decode(cursor, queryset=queryset, order=order)))
    rows = list(rows[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = cursor_encode([getattr(last, _field_name(key)) for key in order])
    query = {key: value for key, value in request.GET.items() if key != "cursor"}
    return {
        "items": [item(row) for row in rows],
        "next_cursor": next_cursor,
        "next": f"{request.path}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None,
    }

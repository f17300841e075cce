"""Cursor pagination of the API's lists: an opaque cursor, a page size bounded by MAX_LIMIT, a
stable order with the primary key as the last tie-break.

A page is read with one query (`limit` + 1 rows past the cursor, over the list's own filters and
order), whatever the number of rows before it: keyset pagination, not OFFSET. The cursor carries
the order's values of the last row shown, signed (`django.core.signing`), so that a client cannot
forge one and a changed or truncated cursor is refused with 422 on the field `cursor` rather than
read as some other position. Rows added after the first page never make a row appear twice;
a walk from the first page to the last shows every row that existed throughout exactly once. A
cursor is signed for its order: one given under another `ordering` is refused too.

The conventions every list follows (docs/api.md): `ordering` takes one key of the list's documented
set, `-` for descending, the primary key appended as the last tie-break (`ordering_query`,
`order_resolve`); `since` and `until` bound the list's main date, inclusive (`since_query`,
`until_query`, `date_range_filter`); each refusal is a 422 naming its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db.models import DateTimeField, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.errors import ValidationError

from sanxiang.inputs import DATE_EARLIEST, DATE_LATEST

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_MAX_LENGTH = 500
_SALT = "sanxiang.api.cursor"

LIMIT_DESCRIPTION = f"每页条数，默认{DEFAULT_LIMIT}，最多{MAX_LIMIT}"
CURSOR_DESCRIPTION = "翻页标记：上一页响应中的 next_cursor；不填为第一页"


def limit_query() -> Any:
    """The `limit` query parameter of every list."""
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)


def cursor_query() -> Any:
    """The `cursor` query parameter of every list."""
    return Query(None, max_length=CURSOR_MAX_LENGTH, description=CURSOR_DESCRIPTION)


Q_MAX_LENGTH = 200  # the longest free-text search `q` of a list


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


def _salt(order: Sequence[str], scope: str = "") -> str:
    # Signed for its order: a cursor of one `ordering` read under another would be some other position;
    # and for its `scope` where the list's own parameters (not filters of the query string) choose it.
    return f"{_SALT}:{','.join(order)}" + (f":{scope}" if scope else "")


def cursor_encode(values: Sequence[Any], *, order: Sequence[str], scope: str = "") -> str:
    return signing.dumps([_plain(value) for value in values], salt=_salt(order, scope), compress=True)


def cursor_decode(cursor: str, *, queryset: QuerySet, order: Sequence[str], scope: str = "") -> list[Any]:
    """The order's values of the row the cursor stands after; a cursor this server did not give
    (or one of another order or scope) raises the API's 422 on the field `cursor`."""
    try:
        values = signing.loads(cursor, salt=_salt(order, scope))
    except (signing.BadSignature, ValueError, UnicodeError):
        raise _cursor_invalid() from None
    if not isinstance(values, list) or len(values) != len(order):
        raise _cursor_invalid()
    meta = queryset.model._meta
    try:
        # "pk" names the primary key of a model whose key is not `id` (a one-to-one key).
        return [(meta.pk if _field_name(key) == "pk" else meta.get_field(_field_name(key))).to_python(value)
                for key, value in zip(order, values, strict=True)]
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
    scope: str = "",
) -> dict[str, Any]:
    """One page of `queryset` in `order` (its last key must be unique: "-id" or "id"), as
    {"items", "next_cursor", "next"}; `item` turns a row into what the page lists. A cursor is
    taken only by a list of the same `scope` (422 on `cursor` otherwise)."""
    query = {key: value for key, value in request.GET.items() if key != "cursor"}
    return paginate_rows(queryset, order=order, limit=limit, cursor=cursor, path=request.path, query=query, item=item,
                         scope=scope)


def paginate_rows(
    queryset: QuerySet,
    *,
    order: Sequence[str],
    limit: int,
    cursor: str | None,
    path: str,
    query: Mapping[str, str],
    item: Callable[[Any], Any] = lambda row: row,
    scope: str = "",
) -> dict[str, Any]:
    """`paginate` for a page whose `next` link is another operation's (`path` with `query`): the
    first page of a list that an answer carries beside other things."""
    if _field_name(order[-1]) not in ("id", "pk"):
        raise ValueError("the order must end with the primary key")
    rows = queryset.order_by(*order)
    if cursor:
        rows = rows.filter(_after(order, cursor_decode(cursor, queryset=queryset, order=order, scope=scope)))
    rows = list(rows[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = cursor_encode([getattr(last, _field_name(key)) for key in order], order=order, scope=scope)
    return {
        "items": [item(row) for row in rows],
        "next_cursor": next_cursor,
        "next": f"{path}?{urlencode(dict(query) | {'cursor': next_cursor})}" if next_cursor else None,
    }


# --- ordering ---------------------------------------------------------------------------------------

ORDERING_MAX_LENGTH = 40


def _ordering_invalid() -> ValidationError:
    return ValidationError([{"type": "ordering_invalid", "loc": ("query", "ordering"), "msg": "不是允许的排序方式"}])


def ordering_values(keys: Mapping[str, tuple[str, str]]) -> list[str]:
    """Every value `ordering` takes: each key, ascending and with `-` descending."""
    return [value for key in keys for value in (key, f"-{key}")]


def ordering_query(keys: Mapping[str, tuple[str, str]], *, default: str) -> Any:
    """The `ordering` query parameter of a list: `keys` maps each key a client may send to the
    model field it orders by and its Chinese label, e.g. {"received_on": ("received_on", "收到日期")};
    `default` (a key, `-` for descending) is what an absent parameter means. Documented in Chinese
    with the allowed values as an enum; checked by `order_resolve`."""
    if default.removeprefix("-") not in keys:
        raise ValueError("the default ordering must be one of the keys")
    labels = "、".join(f"{key}（{label}）" for key, (_, label) in keys.items())
    direction = "倒序" if default.startswith("-") else "正序"
    description = (
        f"排序：{labels}，前加 - 为倒序；默认 {default}（按{keys[default.removeprefix('-')][1]}{direction}）；"
        "取值相同的再按 id 同向排序；翻页时请勿更换排序方式"
    )
    # A pattern rather than an enum: django-ninja's Query keeps json_schema_extra for itself; the
    # pattern states the same set to a generated client and refuses any other value with 422.
    pattern = "^-?(" + "|".join(re.escape(key) for key in keys) + ")$"
    return Query(default, max_length=ORDERING_MAX_LENGTH, pattern=pattern, description=description)


def order_resolve(ordering: str | None, *, keys: Mapping[str, tuple[str, str]], default: str) -> tuple[str, ...]:
    """The `order` for `paginate`: the chosen key's field (with `-` for descending), then the primary
    key in the same direction as the last tie-break, as `pk` (Django resolves it to the model's own
    primary key, whatever its name: a projection's is its case); a value not in `keys` raises the
    API's 422 on the field `ordering`."""
    value = ordering or default
    key = value.removeprefix("-")
    if key not in keys or value.count("-") > 1:
        raise _ordering_invalid()
    sign = "-" if value.startswith("-") else ""
    field = keys[key][0]
    if field in ("id", "pk"):
        return (f"{sign}pk",)
    return (f"{sign}{field}", f"{sign}pk")


# --- date range -------------------------------------------------------------------------------------

BOUNDS = f"{DATE_EARLIEST.isoformat()}至{DATE_LATEST.isoformat()}"


def since_query(label: str) -> Any:
    """The `since` query parameter: the first day (inclusive) of the list's main date, `label`."""
    return Query(None, description=f"自某日起（含），按{label}筛选；ISO 日期 YYYY-MM-DD，{BOUNDS}，不晚于 until")


def until_query(label: str) -> Any:
    """The `until` query parameter: the last day (inclusive) of the list's main date, `label`."""
    return Query(None, description=f"至某日止（含），按{label}筛选；ISO 日期 YYYY-MM-DD，{BOUNDS}，不早于 since")


def _date_invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "date_range_invalid", "loc": ("query", field), "msg": message}])


def date_range_check(since: dt.date | None, until: dt.date | None) -> None:
    """422 on `since` or `until` out of the platform's date bounds, on `until` when before `since`."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and not DATE_EARLIEST <= value <= DATE_LATEST:
            raise _date_invalid(name, f"日期应在{BOUNDS}之间")
    if since is not None and until is not None and since > until:
        raise _date_invalid("until", "截止日期（until）不得早于起始日期（since）")


def date_range_filter(queryset: QuerySet, *, field: str, since: dt.date | None, until: dt.date | None) -> QuerySet:
    """`queryset` narrowed to the rows whose `field` falls from `since` to `until`, both inclusive
    (a date-time field by its day in the server's time zone); checked by `date_range_check`."""
    date_range_check(since, until)
    if isinstance(queryset.model._meta.get_field(field), DateTimeField):
        # The days' bounds as instants, so that an index on the field serves the range.
        def start(day: dt.date) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        if since is not None:
            queryset = queryset.filter(**{f"{field}__gte": start(since)})
        if until is not None:
            queryset = queryset.filter(**{f"{field}__lt": start(until + dt.timedelta(days=1))})
        return queryset
    if since is not None:
        queryset = queryset.filter(**{f"{field}__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{field}__lte": until})
    return queryset


def status_description(choices: Sequence[tuple[str, Any]] | Mapping[str, Any], *, what: str = "状态") -> str:
    """A filter's or field's documented values, each with its Chinese label: "状态：draft（待审核）、…"."""
    pairs = choices.items() if isinstance(choices, Mapping) else choices
    return f"{what}：" + "、".join(f"{value}（{label}）" for value, label in pairs)

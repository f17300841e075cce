"""What the platform accepts as input, checked once before anything is written.

These are platform rules (系统输入校验规则), not law: a date outside the range below cannot be the
date of an enforcement act recorded here, text must fit its column and carry no NUL or control
characters (PostgreSQL refuses NUL; a control character breaks XML-based exports such as XLSX),
and an integer id must fit the databases' 64-bit integer. The web forms and the API schemas both
call the functions of this module, so that a value is refused the same way, with the same
Chinese message, whichever door it came through.

The module sits at the bottom of the layers: it imports nothing of sanxiang.
"""

import datetime as dt
import re

PLATFORM_RULE = "系统输入校验规则"

# The earliest and latest dates that any date entered on the platform may take.
DATE_EARLIEST = dt.date(1990, 1, 1)
DATE_LATEST = dt.date(2099, 12, 31)

# Ids are 64-bit signed integers on every supported database.
ID_MAX = 2**63 - 1

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A lone UTF-16 surrogate: JSON may carry one ("\ud800"), but it is no character, and neither
# database can store it (UTF-8 cannot encode it).
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str | None:
    """Why `value` cannot be stored as text, in Chinese; None when it can.

    A single-line text (a title, a name) may not contain a tab or a line break either."""
    if "\x00" in value:
        return "不能包含空字符（NUL）"
    if _SURROGATE.search(value):
        return "不能包含无效字符（不成对的代理项）"
    if (_CONTROL if multiline else _CONTROL_LINE).search(value):
        return "不能包含控制字符" if multiline else "不能包含换行、制表符等控制字符"
    if max_length is not None and len(value) > max_length:
        return f"不能超过{max_length}个字符（现有{len(value)}个）"
    return None


def date_problem(value: dt.date) -> str | None:
    if not DATE_EARLIEST <= value <= DATE_LATEST:
        return f"日期应在{DATE_EARLIEST.isoformat()}至{DATE_LATEST.isoformat()}之间"
    return None


def id_problem(value: int) -> str | None:
    if not 1 <= value <= ID_MAX:
        return "编号不存在"
    return None


def id_from_query(raw: str | None) -> int | None:
    """An id given in a query string (`?agency=12`), or None when it is absent, not a number or
    beyond the databases' integer: a filter that cannot match anything is no filter, not a 500."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    number = int(raw)
    return number if id_problem(number) is None else None


def path_problem(value: str) -> str | None:
    """Why a URL path cannot be used; None when it can. Its parts become lookups (a certificate's
    token, a slug): PostgreSQL refuses NUL in a parameter, and no address of the platform holds a
    control character, a line break or an unpaired surrogate."""
    if _CONTROL_LINE.search(value) or _SURROGATE.search(value):
        return "网址不能包含空字符、控制字符或无效字符"
    return None


def query_problem(value: str) -> str | None:
    """Why a query-string value (a search, a page number) cannot be used; None when it can."""
    if _CONTROL.search(value) or _SURROGATE.search(value):
        return "查询条件不能包含空字符、控制字符或无效字符"
    return None


# --- Django form validators: the same rules for the web forms -----------------------------------

def text_validator(*, multiline: bool = False):
    """A form-field validator refusing NUL and control characters (the field's max_length is
    checked by Django itself). A list (one item a line) is checked item by item."""
    from django.core.exceptions import ValidationError

    def validate(value) -> None:
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            problem = text_problem(str(item), multiline=multiline)
            if problem:
                raise ValidationError(problem, code="invalid_text")

    return validate


def date_validator(value: dt.date | dt.datetime) -> None:
    from django.core.exceptions import ValidationError

    problem = date_problem(value.date() if isinstance(value, dt.datetime) else value)
    if problem:
        raise ValidationError(problem, code="date_range")


# --- URL path ids --------------------------------------------------------------------------------

class BoundedIntConverter:
    """`<int:…>` in every URL, bounded to the databases' integer: a longer number is no match
    (404) instead of an OverflowError deep in a query (SQLite)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def int_converter_install() -> None:
    """Make `<int:…>` the bounded converter for every URL pattern created afterwards (the root
    URLconf calls this before it includes the apps' URLs). Django's register_converter warns
    when a built-in name is replaced, so the registry is set directly."""
    from django.urls import converters, resolvers

    converters.REGISTERED_CONVERTERS["int"] = BoundedIntConverter()
    converters.get_converters.cache_clear()
    resolvers._route_to_regex.cache_clear()

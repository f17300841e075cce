"""Frozen dataclasses ↔ JSON, driven by their type hints: how a case's snapshot facts live in the
`Case.facts` column.

Generic on purpose: the snapshot types belong to the pure `procedure` package and grow with the
law, so a new field (or a new nested value type) is stored without touching this module. The
JSON is plain and stable: dates in ISO form, frozensets as sorted lists, tuples as lists, nested
dataclasses as objects keyed by field name. Loading is strict about types (a stored value of the
wrong type is a bug, not data to guess at) but tolerant of missing fields, which take their
defaults, so that facts stored before a field existed still load.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class FactsError(ValueError):
    """Stored facts that do not fit their type."""


def facts_dump(value: Any) -> Any:
    """A JSON-ready form of `value` (a dataclass instance or anything inside one)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: facts_dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        # Sorted so that equal sets are stored (and hashed into the ledger) as equal JSON.
        return sorted((facts_dump(v) for v in value), key=_sort_key)
    if isinstance(value, tuple | list):
        return [facts_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): facts_dump(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise FactsError("floats are not stored in case facts: money is integer fen")
    raise FactsError(f"cannot store a {type(value).__name__} in case facts")


def _sort_key(value: Any) -> tuple[str, str]:
    return (type(value).__name__, repr(value))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def facts_load(cls: type[T], data: Any, **given: Any) -> T:
    """The instance of dataclass `cls` that `facts_dump` stored as `data`; fields in `given` are
    taken as they are (the parts of a snapshot that are read afresh, not stored)."""
    if not given:
        return _load(cls, data, cls.__name__)
    _expect(data, dict, cls.__name__)
    return _load(cls, {k: v for k, v in data.items() if k not in given}, cls.__name__, given)


def facts_field_load(cls: type, name: str, stored: dict[str, Any]) -> Any:
    """Field `name` of dataclass `cls` from the dict `facts_dump` stored (its default when the
    dict has no such key: facts stored before the field existed)."""
    field = next((f for f in dataclasses.fields(cls) if f.name == name), None)
    if field is None:
        raise FactsError(f"{cls.__name__} has no field {name}")
    if name not in stored:
        if field.default is not dataclasses.MISSING:
            return field.default
        if field.default_factory is not dataclasses.MISSING:
            return field.default_factory()
        raise FactsError(f"{cls.__name__}.{name}: missing")
    return _load(_hints(cls)[name], stored[name], f"{cls.__name__}.{name}")


def _load(hint: Any, data: Any, path: str, given: dict[str, Any] | None = None) -> Any:
    if hint is Any:
        return data
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if data is None and type(None) in options:
            return None
        problems = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _load(option, data, path)
            except FactsError as problem:
                problems.append(str(problem))
        raise FactsError("; ".join(problems) or f"{path}: no type fits {data!r}")
    if origin is tuple:
        args = typing.get_args(hint)
        _expect(data, list, path)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], item, f"{path}[{i}]") for i, item in enumerate(data))
        if len(args) != len(data):
            raise FactsError(f"{path}: expected {len(args)} items, got {len(data)}")
        return tuple(_load(arg, item, f"{path}[{i}]") for i, (arg, item) in enumerate(zip(args, data, strict=True)))
    if origin in (frozenset, set, list):
        (arg,) = typing.get_args(hint) or (Any,)
        _expect(data, list, path)
        items = [_load(arg, item, f"{path}[{i}]") for i, item in enumerate(data)]
        return {frozenset: frozenset, set: set, list: list}[origin](items)
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint) or (Any, Any)
        _expect(data, dict, path)
        return {_load(key_hint, k, path): _load(value_hint, v, f"{path}.{k}") for k, v in data.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        _expect(data, dict, path)
        hints = _hints(hint)
        kwargs = {}
        for f in dataclasses.fields(hint):
            if not f.init:
                continue
            if given and f.name in given:
                kwargs[f.name] = given[f.name]
            elif f.name in data:
                kwargs[f.name] = _load(hints[f.name], data[f.name], f"{path}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise FactsError(f"{path}.{f.name}: missing")
        return hint(**kwargs)
    if hint is dt.datetime:
        _expect(data, str, path)
        return dt.datetime.fromisoformat(data)
    if hint is dt.date:
        _expect(data, str, path)
        try:
            return dt.date.fromisoformat(data)
        except ValueError as bad:
            raise FactsError(f"{path}: not an ISO date: {data!r}") from bad
    if hint is bool:
        _expect(data, bool, path)
        return data
    if hint is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise FactsError(f"{path}: expected an integer, got {data!r}")
        return data
    if hint is str:
        _expect(data, str, path)
        return data
    if hint is type(None):
        if data is not None:
            raise FactsError(f"{path}: expected null, got {data!r}")
        return None
    raise FactsError(f"{path}: cannot load values of type {hint!r}")


def _expect(data: Any, kind: type, path: str) -> None:
    if not isinstance(data, kind):
        raise FactsError(f"{path}: expected {kind.__name__}, got {type(data).__name__}")

"""Projections kept at write time, and the one way to check and rebuild them.

What lists, homes, desks, indicators and the API need of the records (a case's next deadlines,
a decision's review figures, the annual counts) is stored when the records change, in the same
transaction, so that a page reads indexed columns instead of recomputing the law per row. Each
app that keeps such a projection registers it here in its `AppConfig.ready()`, with:

- `check()`: the differences between what is stored and a full recomputation from the records
  (an empty list when they agree), each a short line naming the row and the field;
- `rebuild()`: recompute everything and store it, returning how many rows were written.

`sanxiang projection check` and `sanxiang projection rebuild` run them all. The module sits at the
bottom of the layers: it imports nothing of sanxiang.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Projection:
    name: str  # a short identifier, e.g. "cases.deadlines"
    label: str  # what it is, in Chinese, for the command's output
    check: Callable[[], list[str]]
    rebuild: Callable[[], int]


_PROJECTIONS: dict[str, Projection] = {}


def projection_register(projection: Projection) -> None:
    """Register (or replace, on a second `ready()`) a projection under its name."""
    _PROJECTIONS[projection.name] = projection


def projections_all() -> list[Projection]:
    return [_PROJECTIONS[name] for name in sorted(_PROJECTIONS)]

"""Reads of the 裁量基准 for a case: what an officer about to draft the decision is shown."""

import datetime as dt
from collections.abc import Iterable

from sanxiang.cases.models import Case
from sanxiang.procedure.discretion import benchmark_facts, benchmark_public
from sanxiang.registry.discretion_selectors import discretion_benchmark_in_force


def case_discretion_guide(*, case: Case, on: dt.date, actions: Iterable[str]) -> dict | None:
    """The benchmark in force for the case's matter, as people read it, with the factors to enter
    for each violation; None when the case cannot draft a decision now or its matter has none."""
    if "draft_decision" not in set(actions) or case.matter_id is None:
        return None
    row = discretion_benchmark_in_force(matter=case.matter, on=on)
    if row is None:
        return None
    benchmark = row.as_benchmark()
    guide = benchmark_public(benchmark)
    for entry in guide["entries"]:
        entry["factors"] = [c.label for c in benchmark_facts(benchmark, entry["code"])]
    return guide

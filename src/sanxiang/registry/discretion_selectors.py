"""Reads of 裁量基准 (discretion benchmarks)."""

import datetime as dt

from sanxiang.registry.models import DiscretionBenchmark, Matter


def discretion_benchmarks_of(*, matter: Matter) -> list[DiscretionBenchmark]:
    return list(DiscretionBenchmark.objects.filter(matter=matter).select_related("matter"))


def discretion_benchmark_in_force(*, matter: Matter, on: dt.date) -> DiscretionBenchmark | None:
    rows = (
        DiscretionBenchmark.objects.filter(matter=matter, effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .select_related("matter")
        .order_by("-effective_from", "-id")
    )
    return rows.first()

"""The register's inspections in the annual enforcement data (issue 17, item 7), for publication's
annual report, which asks through `public_events.inspection_annual_provided` (the two apps are
siblings). Counted: an inspection with a specific object (a target of the register) and a complete
record (its record with the checklist, the result sent), in the year of its result
(procedure.annual_counting). Left out: those whose record is incomplete, and those begun in the
year whose result was not sent. A bounded number of queries whatever the number of inspections:
one grouped count, the frequency bands (one query), the counted ones that opened a penalty case
(one), and the most inspected enterprises of a single agency (one)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from sanxiang.inspection.frequency_selectors import counted_inspections, inspection_frequency
from sanxiang.inspection.models import Inspection, InspectionState
from sanxiang.procedure.annual_counting import INSPECTION_FREQUENCY_TOP, INSPECTION_LEFT_OUT
from sanxiang.public_events import InspectedTimes, InspectionAnnualFigures
from sanxiang.registry.models import Agency


def inspection_annual_figures(*, agency_ids: list[int], year: int, top: bool = False
                              ) -> dict[int, InspectionAnnualFigures]:
    """Each agency's figures for `year` (every agency asked has an entry). `top`: name the most
    inspected enterprises (INSPECTION_FREQUENCY_TOP; one query, asked for one agency's page)."""
    agency_ids = list(dict.fromkeys(agency_ids))
    if not agency_ids:
        return {}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sent_in_year = Q(result_sent_on__gte=first, result_sent_on__lte=last)
    begun_in_year = Q(started_on__gte=first, started_on__lte=last)
    not_counted = Q(counts_in_statistics=False) & ~Q(state=InspectionState.CANCELLED)
    # Counted: as `counted_inspections` (the day of the result, the inspection's day in its stead).
    counted_in_year = Q(counts_in_statistics=True, counted_on__gte=first, counted_on__lte=last)
    grouped = (
        Inspection.objects.filter(agency_id__in=agency_ids)
        .annotate(counted_on=Coalesce("result_sent_on", "started_on"))
        .filter(counted_in_year | sent_in_year | begun_in_year)
        .values("agency_id")
        .annotate(
            counted=Count("id", filter=counted_in_year),
            incomplete=Count("id", filter=not_counted & sent_in_year),
            no_result=Count("id", filter=not_counted & begun_in_year & Q(result_sent_on__isnull=True)),
        )
        .order_by()
    )
    numbers = {row["agency_id"]: row for row in grouped}
    agencies = [Agency(pk=pk) for pk in agency_ids]  # the bands need only the ids
    bands = {row.agency.pk: row.bands for row in inspection_frequency(agencies=agencies, year=year)}
    visits: dict[int, list[tuple[int, dt.date]]] = {}
    for agency_id, case_id, on in (counted_inspections(year=year).filter(agency_id__in=agency_ids,
                                                                        penalty_case__isnull=False)
                                   .order_by("pk").values_list("agency_id", "penalty_case_id", "started_on")):
        visits.setdefault(agency_id, []).append((case_id, on))
    tops: dict[int, list[InspectedTimes]] = {}
    if top:
        rows = (counted_inspections(year=year).filter(agency_id__in=agency_ids)
                .values("agency_id", "target_id", "target__name").annotate(times=Count("id"))
                .order_by("-times", "target__name", "target_id"))
        if len(agency_ids) == 1:
            rows = rows[:INSPECTION_FREQUENCY_TOP]
        for row in rows:
            line = tops.setdefault(row["agency_id"], [])
            if len(line) < INSPECTION_FREQUENCY_TOP:
                line.append(InspectedTimes(row["target_id"], row["target__name"], row["times"]))
    figures = {}
    for pk in agency_ids:
        row = numbers.get(pk, {})
        figures[pk] = InspectionAnnualFigures(
            agency_id=pk,
            counted=row.get("counted", 0),
            left_out={key: row.get(key, 0) for key in INSPECTION_LEFT_OUT},
            bands=bands[pk],
            top=tuple(tops.get(pk, ())),
            case_visits=tuple(visits.get(pk, ())),
        )
    return figures

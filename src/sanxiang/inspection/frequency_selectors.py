"""检查频次 (issue 17, item 7): per agency and year, how many enterprises were inspected once, twice,
three times or more, counting only the inspections that count in the annual statistics (a specific
object and a complete record: `Inspection.counts_in_statistics`, set by the engine when the result
is sent), in the year of the result (as the annual data counts them: `inspection_annual_figures`). The counting is SQL (one grouped query for any number of
agencies); each figure opens its enterprises and their inspections (two queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce

from sanxiang.accounts.models import AGENCY_ROLES
from sanxiang.accounts.permissions import county_lookup, user_reads_all_agencies
from sanxiang.inspection.models import Inspection
from sanxiang.inspection.register_selectors import agency_for_reader
from sanxiang.procedure.annual_counting import INSPECTION_FREQUENCY_BANDS
from sanxiang.registry.models import Agency

TOP_BAND = max(INSPECTION_FREQUENCY_BANDS)


@dataclass
class FrequencyRow:
    agency: Agency
    bands: dict[int, int] = field(default_factory=lambda: dict.fromkeys(INSPECTION_FREQUENCY_BANDS, 0))

    @property
    def enterprises(self) -> int:
        return sum(self.bands.values())


@dataclass(frozen=True)
class InspectedEnterprise:
    target_id: int
    name: str
    credit_code: str
    inspections: tuple[Inspection, ...]

    @property
    def times(self) -> int:
        return len(self.inspections)


@dataclass(frozen=True)
class FrequencyScope:
    county: bool  # the reader reads every agency of the county (supervisor, system administrator)
    agency: Agency | None  # the one agency shown (an agency's staff: always theirs)
    agencies: list[Agency]


def frequency_scope(*, viewer, agency_id: int | None) -> FrequencyScope:
    """Whose figures a reader sees (the page and the API): the county's readers every agency of
    their county, or the one asked (404 for another county's); an agency's staff their own agency
    (the agency asked is ignored, as on the page); anyone else PermissionDenied."""
    county = user_reads_all_agencies(viewer)
    if county:
        agency = agency_for_reader(viewer=viewer, agency_id=agency_id) if agency_id else None
    elif viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        agency = viewer.agency
    else:
        raise PermissionDenied("检查频次由本单位人员、司法局监督人员和系统管理员查看")
    agencies = [agency] if agency is not None else list(
        Agency.objects.filter(**county_lookup(viewer, ""), is_judicial_bureau=False).order_by("name"))
    return FrequencyScope(county=county, agency=agency, agencies=agencies)


def counted_inspections(*, year: int) -> QuerySet[Inspection]:
    """The inspections that count in `year`'s annual statistics: in the year their result was sent
    (procedure.annual_counting.INSPECTION_YEAR_RULE; the engine sets the flag when it sends the
    result, so a counted inspection has that day; the day of the inspection stands in for a row
    without it)."""
    return (Inspection.objects.filter(counts_in_statistics=True)
            .annotate(counted_on=Coalesce("result_sent_on", "started_on"))
            .filter(counted_on__gte=dt.date(year, 1, 1), counted_on__lte=dt.date(year, 12, 31)))


def inspection_frequency(*, agencies: list[Agency], year: int) -> list[FrequencyRow]:
    """One row per agency (in the given order) with the number of enterprises in each band: one
    query, grouped twice in SQL (per enterprise, then per agency and band)."""
    rows = {a.pk: FrequencyRow(agency=a) for a in agencies}
    if not rows:
        return []
    per_target = (counted_inspections(year=year).filter(agency_id__in=list(rows))
                  .values("agency_id", "target_id").annotate(times=Count("id")).order_by())
    inner, params = per_target.query.sql_with_params()
    band = f"CASE WHEN per_target.times >= {TOP_BAND} THEN {TOP_BAND} ELSE per_target.times END"
    sql = (f"SELECT per_target.agency_id, {band}, COUNT(*) FROM ({inner}) per_target "  # no input in the text
           f"GROUP BY per_target.agency_id, {band}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for agency_id, band_key, enterprises in cursor.fetchall():
            rows[agency_id].bands[int(band_key)] = enterprises
    return list(rows.values())


def inspection_frequency_records(*, agency: Agency, year: int, band: int) -> list[InspectedEnterprise]:
    """The enterprises behind one figure, each with its counted inspections of the year (two
    queries: the enterprises of the band, then their inspections)."""
    counted = counted_inspections(year=year).filter(agency=agency)
    per_target = counted.values("target_id").annotate(times=Count("id")).order_by()
    per_target = per_target.filter(times__gte=band) if band == TOP_BAND else per_target.filter(times=band)
    target_ids = [row["target_id"] for row in per_target]
    grouped: dict[int, list[Inspection]] = {}
    for inspection in (counted.filter(target_id__in=target_ids).select_related("target")
                       .order_by("target__name", "target_id", "started_on", "pk")):
        grouped.setdefault(inspection.target_id, []).append(inspection)
    enterprises = [InspectedEnterprise(target_id=tid, name=ins[0].target.name, credit_code=ins[0].target.credit_code,
                                       inspections=tuple(ins)) for tid, ins in grouped.items()]
    return enterprises

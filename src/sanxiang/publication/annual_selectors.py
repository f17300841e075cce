"""Reads of the annual data page (年度行政执法数据) that the page and the API share: which agency a
user reads, the years offered, and the figures assembled as the page shows them, with what is
already public beside each and the records behind every number (bounded: the first
`RECORDS_SHOWN` of each group, the count complete, the rest a page further)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied

from sanxiang.accounts.models import AGENCY_ROLES, User
from sanxiang.accounts.permissions import (
    case_ids_granted,
    county_lookup,
    user_reads_all_agencies,
    user_reads_cases_by_grant,
)
from sanxiang.procedure.annual import annual_report_due
from sanxiang.procedure.annual_counting import PENALTY_COLUMNS, wan_yuan
from sanxiang.publication.annual import (
    OTHER_ACT_ROWS,
    CountedRecord,
    annual_counted_acts,
    annual_counted_records,
    annual_county_penalty_table,
    annual_inspection_lines,
    annual_narrative_of,
    annual_narratives_submitted,
    annual_report_generate,
    annual_report_published,
    annual_reports_missing,
    annual_reports_published_agencies,
)
from sanxiang.publication.models import AnnualNarrative, PublicAgency
from sanxiang.publication.permissions import user_can_publish
from sanxiang.registry.models import Agency

# How far back the annual data is offered: the finished years, latest first.
YEARS_BACK = 5
# How many records behind the figures of a group the page and the API list at once; the count is
# always complete and the rest is a page further (issue 19: the page listed every one).
RECORDS_SHOWN = 100
READ_MESSAGE = "年度行政执法数据由本单位人员、司法局监督人员和系统管理员查看"
# The records behind the figures, by group: what each group's figures count.
RECORD_GROUPS = {
    "penalty": "行政处罚决定",
    "inspection": "案件调查中的现场检查",
    "decision": "征收、征用和其他行政行为决定",
}
RECORD_KINDS = {
    "penalty": ("penalty",),
    "inspection": ("inspection",),
    "decision": ("levy", "requisition", *OTHER_ACT_ROWS),
}


def annual_years(*, today: dt.date) -> list[int]:
    """The finished years offered, latest first."""
    return [today.year - n for n in range(1, YEARS_BACK + 1)]


def annual_agency_for(*, user: User, agency_id: int | None) -> tuple[Agency | None, bool]:
    """The agency whose figures `user` reads, and whether they choose among every agency (of their
    county for a supervisor). For who chooses: the agency asked for, None when none is asked or it
    is outside what they read. An agency's users read their own whatever is asked. PermissionDenied
    for anyone else."""
    if user_reads_all_agencies(user):
        readable = Agency.objects.filter(**county_lookup(user, ""))
        return (readable.filter(pk=agency_id).first() if agency_id else None), True
    if user.role in AGENCY_ROLES and user.agency_id is not None:
        return user.agency, False
    raise PermissionDenied(READ_MESSAGE)


def annual_agencies_readable(*, user: User):
    """The agencies a user who chooses (a supervisor, a system administrator) may choose, by name."""
    return Agency.objects.filter(**county_lookup(user, "")).order_by("name")


@dataclass(frozen=True)
class RecordGroup:
    """The records behind one group of figures: the first ones, and how many there are."""

    key: str
    label: str
    records: list[CountedRecord]
    count: int

    @property
    def more(self) -> bool:
        return self.count > len(self.records)


def annual_titles_withheld(*, viewer: User, records: list[CountedRecord]) -> list[CountedRecord]:
    """The records without the titles of cases `viewer` may not read: a supervisor reads a case's
    title (which may name a party) only under a read grant naming the case (as the indicators'
    records, evaluation.indicators.titles_withheld). One query, for a supervisor only."""
    if not user_reads_cases_by_grant(viewer) or not records:
        return records
    granted = set(case_ids_granted(viewer))
    return [r if r.case_id in granted else replace(r, case_title="", title_withheld=True) for r in records]


def annual_record_count(*, agency: Agency, year: int, group: str) -> int:
    """How many records are behind `group`'s figures: one query."""
    return annual_counted_acts(agency=agency, year=year, kinds=RECORD_KINDS[group]).count()


def annual_record_group(*, viewer: User, agency: Agency, year: int, group: str, offset: int = 0,
                        limit: int | None = None, count: int | None = None) -> RecordGroup:
    """A slice of the records behind `group`'s figures (`RECORDS_SHOWN` of them unless `limit`),
    with their count (`count` when the caller has it), the titles `viewer` may not read left out:
    at most three queries."""
    limit = RECORDS_SHOWN if limit is None else limit
    records = annual_counted_records(agency=agency, year=year, kinds=RECORD_KINDS[group], offset=offset, limit=limit)
    if count is None:
        count = annual_record_count(agency=agency, year=year, group=group)
    return RecordGroup(group, RECORD_GROUPS[group], annual_titles_withheld(viewer=viewer, records=records), count)


def annual_narrative_version(*, agency: Agency, year: int, lock: bool = False) -> str:
    """The version of an agency's narrative for `year` (an entity tag: its submission's instant, 0
    before any); `lock` locks its row (select_for_update) for a write that checks it."""
    rows = AnnualNarrative.objects.filter(agency_id=agency.pk, year=year)
    if lock:
        rows = rows.select_for_update()
    submitted_at = rows.values_list("submitted_at", flat=True).first()
    stamp = int(submitted_at.timestamp() * 1_000_000) if submitted_at is not None else 0
    return f'"narrative-{agency.pk}-{year}-{stamp}"'


def annual_county_view(*, user: User, year: int) -> dict[str, Any]:
    """The county's table for who chooses among every agency, without one chosen: each agency's
    行政处罚 figures with whether it submitted its narrative and published the year, the county
    total, and the 行政检查 lines; a bounded number of queries."""
    lines, total = annual_county_penalty_table(agencies=annual_agencies_readable(user=user), year=year)
    submitted = annual_narratives_submitted(year=year)
    published_ids = annual_reports_published_agencies(year=year)
    return {
        "county_lines": [
            {"line": line, "submitted": line.agency_id in submitted, "published": line.agency_id in published_ids}
            for line in lines
        ],
        "county_total": total,
        # 行政检查 and 检查频次 of every agency (issue 17, item 7).
        "county_inspections": annual_inspection_lines(
            agencies=annual_agencies_readable(user=user).filter(is_judicial_bureau=False), year=year
        ),
    }


def annual_missing(*, user: User, today: dt.date) -> dict[str, Any]:
    """The agencies (of the reader's county) that have not published the previous year in time."""
    previous_year = today.year - 1
    return {
        "missing": annual_reports_missing(on=today, lookup=county_lookup(user, "")),
        "missing_year": previous_year,
        "missing_due_on": annual_report_due(previous_year),
    }


def annual_agency_view(*, user: User, agency: Agency, year: int) -> dict[str, Any]:
    """An agency's year as the page shows it: the report generated from the records, what is public
    now beside each figure (a re-publish shows what it replaces), the narrative, whether the user
    may publish, and the first records of each group behind the figures."""
    report = annual_report_generate(agency=agency, year=year)
    published = annual_report_published(agency=agency, year=year)
    narrative = annual_narrative_of(agency=agency, year=year)
    counts = published.counts if published is not None else {}
    public_coercion = published.coercion_rows if published is not None else {}
    public_penalty = published.penalty_rows if published is not None else {}
    groups = {key: annual_record_group(viewer=user, agency=agency, year=year, group=key) for key in RECORD_GROUPS}
    return {
        "report": report,
        "published": published,
        "narrative": narrative,
        "has_public_agency": PublicAgency.objects.filter(source_id=agency.pk).exists(),
        "can_publish": user_can_publish(user, agency.pk),
        "due_on": annual_report_due(year),
        "rows": [row | {"published": counts.get(row["key"])} for row in report["rows"]],
        "penalty_lines": [line | {"published": public_penalty.get(line["key"])} for line in report["penalty_lines"]],
        "coercion_lines": [line | {"published": public_coercion.get(line["key"])} for line in report["coercion_lines"]],
        "published_amount_wan": wan_yuan(public_penalty["amount_fen"]) if "amount_fen" in public_penalty else None,
        "record_groups": groups,
        "penalty_records": [
            {"label": PENALTY_COLUMNS.get(r.penalty_column, ""), "record": r, "amount_wan": wan_yuan(r.amount_fen)}
            for r in groups["penalty"].records
        ],
        "inspection_records": groups["inspection"].records,
        "decision_records": groups["decision"].records,
    }

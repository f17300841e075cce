"""The assessment dashboard (issue 15 item 2): for a supervisor the county, for an agency head their
own agency. The indicators of a period, one indicator month by month, the agencies ranked by it,
and the lists of what is overdue today (deadlines of cases, publications, monthly reports) with the
open platform alerts of the supervision desk. Every number is the length of a list another page
shows (the indicator records, the drafts, the month's reports, the desk), which the dashboard links.

A bounded number of queries whatever the number of records: the indicator table (one grouped query
an indicator's part), the trend (the same a month), and one or two queries a list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import case_ids_granted, user_reads_cases_by_grant
from sanxiang.evaluation.indicators import (
    DENOMINATOR,
    NUMERATOR,
    SOURCES,
    Figure,
    IndicatorTable,
    Period,
    indicator_table,
    indicator_trend,
    months_of,
    period_month,
    user_reads_indicators,
)
from sanxiang.evaluation.report_selectors import reports_for
from sanxiang.procedure.evaluation.indicators import Indicator
from sanxiang.procedure.evaluation.reports import ReportMonth
from sanxiang.procedure.supervision.matters import FINAL_STATES, MATTER_STATE_LABELS, MatterState
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.publication.selectors import publication_alerts
from sanxiang.registry.models import Agency
from sanxiang.supervision.selectors import matters_visible

ROWS_SHOWN = 10  # rows of each overdue list on the dashboard; its number opens the whole list
TREND_MONTHS = 12  # a period of one month is shown with the eleven months before it

DEADLINES = "deadlines"
PUBLICATIONS = "publications"
REPORTS = "reports"
ALERTS = "alerts"


def user_reads_dashboard(user: User) -> bool:
    """Those who read the indicators: supervisors (their county), system administrators, an agency
    head (their agency)."""
    return user_reads_indicators(user)


@dataclass(frozen=True)
class Count_:
    """A number and the page that lists what it counts."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class OverdueRow:
    agency_name: str
    reference: str
    title: str
    due: dt.date | None
    days_over: int | None
    url: str = ""
    # The title of a case the viewer may not read (a supervisor without a read grant naming it):
    # left out, as on the indicators' records (it may name a party).
    withheld: bool = False


@dataclass(frozen=True)
class OverdueList:
    key: str
    label: str
    meaning: str
    count: int
    url: str  # the page listing all of them
    parts: list[Count_]  # where one list is split over several pages (months, states)
    rows: list[OverdueRow]

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.rows))


@dataclass
class Dashboard:
    viewer_county: bool
    period: Period
    period_query: str
    today: dt.date
    table: IndicatorTable
    indicator: Indicator  # the one whose trend and ranking are shown
    trend_period: Period
    trend: list[tuple[Period, Figure]]
    overdue: list[OverdueList] = field(default_factory=list)

    @property
    def agencies(self) -> list[Agency]:
        return self.table.agencies

    def totals(self) -> list[tuple[Indicator, Figure]]:
        return self.table.total_row()

    def trend_rows(self) -> list[tuple[Period, Figure, str]]:
        """Each month with the query of its own period (its numbers open that month's records)."""
        return [(m, f, f"start={m.start:%Y-%m-%d}&end={m.end:%Y-%m-%d}") for m, f in self.trend]

    def ranking(self) -> list[tuple[int, Agency, Figure]]:
        """The agencies ranked by the chosen indicator, best first in its direction; those with
        nothing due last, without a rank."""
        figures = self.table.figures[self.indicator.code]
        ranked, rank = [], 0
        for agency in self.table.agencies:
            figure = figures[agency.pk]
            if figure.value is not None:
                rank += 1
            ranked.append((rank if figure.value is not None else 0, agency, figure))
        return ranked


def trend_period_of(period: Period) -> Period:
    """The months the trend shows: the period's own when it spans several, else the twelve months
    ending with its month."""
    if len(months_of(period)) > 1:
        return period
    year, month = period.end.year, period.end.month - (TREND_MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    first = period_month(year, month)
    return Period(
        first.start, period.end, f"{first.label}至{period_month(period.end.year, period.end.month).label}"
    )


def _records_url(indicator: Indicator, side: str, period_query: str, agency_id: int | None = None) -> str:
    query = f"indicator={indicator.code}&side={side}" + (f"&agency={agency_id}" if agency_id else "")
    return f"{reverse('evaluation:indicator_records')}?{query}&{period_query}"


def _deadlines_overdue(table: IndicatorTable, period_query: str) -> OverdueList | None:
    """The overdue deadlines of the period: the indicator's numerator, read from the table already
    counted (no query), split by agency, each number opening its records."""
    indicator = next((i for i in table.indicators if i.code == "deadlines_overdue"), None)
    if indicator is None:
        return None
    figures = table.figures[indicator.code]
    parts = [
        Count_(
            agency.name,
            figures[agency.pk].numerator,
            _records_url(indicator, NUMERATOR, period_query, agency.pk),
        )
        for agency in sorted(table.agencies, key=lambda a: (-figures[a.pk].numerator, a.name))
        if figures[agency.pk].numerator
    ]
    return OverdueList(
        DEADLINES,
        "案件期限逾期",
        f"{indicator.numerator}（{table.period.label}）",
        table.totals[indicator.code].numerator,
        _records_url(indicator, NUMERATOR, period_query),
        parts if len(table.agencies) > 1 else [],
        [],
    )


def _publications_overdue(viewer: User, today: dt.date) -> OverdueList:
    """The drafts not published by their due day, as `publication_alerts` reads them for the homes
    and the drafts page (a count and the ten most overdue rows by the index of drafts waiting)."""
    alerts = publication_alerts(viewer=viewer, on=today, limit=ROWS_SHOWN)
    count = alerts.count
    shown = [alert.draft for alert in alerts]
    # A supervisor reads a case's title, and its draft, only under a read grant naming the case.
    by_grant = user_reads_cases_by_grant(viewer) and bool(shown)
    granted = set(case_ids_granted(viewer)) if by_grant else set()
    rows = []
    for draft in shown:
        readable = not by_grant or draft.case_id in granted
        rows.append(
            OverdueRow(
                draft.agency.name,
                draft.case.number,
                draft.case.title if readable else "",
                draft.due_on,
                (today - draft.due_on).days,
                reverse("publication:draft_detail", args=[draft.pk]) if readable else "",
                withheld=not readable,
            )
        )
    return OverdueList(
        PUBLICATIONS,
        "逾期未公示",
        "行政执法决定过了应当公示之日仍未公示",
        count,
        reverse("publication:drafts"),
        [],
        rows,
    )


def _reports_overdue(viewer: User, today: dt.date) -> OverdueList:
    overdue = reports_for(viewer=viewer).filter(first_submitted_on__isnull=True, due_on__lt=today)
    by_month = list(
        overdue.order_by().values_list("year", "month").annotate(n=Count("pk")).order_by("-year", "-month")
    )
    shown = list(overdue.order_by("due_on", "agency__name", "pk")[:ROWS_SHOWN])
    base = reverse("evaluation:report_list")
    county = viewer.role == Role.SUPERVISOR
    parts = [
        Count_(
            ReportMonth(y, m).label,
            n,
            f"{base}?{urlencode({'month': f'{y}-{m:02d}', 'show': 'overdue'})}" if county else base,
        )
        for y, m, n in by_month
    ]
    rows = [
        OverdueRow(
            r.agency.name,
            f"{r.year}年{r.month}月",
            "工作月报未报送",
            r.due_on,
            (today - r.due_on).days,
            reverse("evaluation:report_detail", args=[r.pk]),
        )
        for r in shown
    ]
    return OverdueList(
        REPORTS,
        "月报逾期未报送",
        "过了报送期限仍未报送的工作月报",
        sum(n for _, _, n in by_month),
        parts[0].url if len(parts) == 1 else base,
        parts,
        rows,
    )


def _alerts_open(viewer: User) -> OverdueList:
    alerts = (
        matters_visible(viewer=viewer)
        .filter(source=MatterSource.PLATFORM_ALERT)
        .exclude(state__in=FINAL_STATES)
    )
    by_state = dict(alerts.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    desk = reverse("supervision:desk")
    parts = [
        Count_(
            MATTER_STATE_LABELS[state],
            by_state[state],
            f"{desk}?{urlencode({'source': MatterSource.PLATFORM_ALERT, 'state': state})}",
        )
        for state in MatterState
        if state in by_state
    ]
    rows = [
        OverdueRow(
            m.agency.name if m.agency_id else "",
            m.number,
            m.subject,
            m.received_on,
            None,
            reverse("supervision:matter_detail", args=[m.pk]),
        )
        for m in alerts.select_related("agency").order_by("received_on", "pk")[:ROWS_SHOWN]
    ]
    return OverdueList(
        ALERTS,
        "监督预警未办结",
        "平台预警转为监督事项、尚未办结的",
        sum(by_state.values()),
        f"{desk}?{urlencode({'source': MatterSource.PLATFORM_ALERT})}",
        parts,
        rows,
    )


def dashboard_build(
    *, viewer: User, period: Period, period_query: str, indicator_code: str = "", today: dt.date
) -> Dashboard:
    """The dashboard of the viewer's agencies for `period`, the trend and the ranking by
    `indicator_code` (the first indicator in force when empty or unknown)."""
    table = indicator_table(
        viewer=viewer, period=period, today=today, rank_by=indicator_code or next(iter(SOURCES))
    )
    if table.ranked_by is None and table.indicators:  # not in force over this period: the first that is
        table = indicator_table(viewer=viewer, period=period, today=today, rank_by=table.indicators[0].code)
    indicator = table.ranked_by
    trend_period = trend_period_of(period)
    trend = indicator_trend(viewer=viewer, code=indicator.code, period=trend_period, today=today)
    dashboard = Dashboard(
        viewer_county=viewer.role != Role.AGENCY_HEAD,
        period=period,
        period_query=period_query,
        today=today,
        table=table,
        indicator=indicator,
        trend_period=trend_period,
        trend=trend,
    )
    deadlines = _deadlines_overdue(table, period_query)
    dashboard.overdue = [
        x
        for x in (
            deadlines,
            _publications_overdue(viewer, today),
            _reports_overdue(viewer, today),
            _alerts_open(viewer),
        )
        if x is not None
    ]
    return dashboard


def dashboard_chart_data(dashboard: Dashboard) -> dict:
    """What the charts draw (the tables under them show the same figures)."""
    percent = [(i, f) for i, f in dashboard.totals() if i.unit == "percent"]
    unit = "%" if dashboard.indicator.unit == "percent" else "项"
    return {
        "indicators": {
            "labels": [i.name for i, _ in percent],
            "values": [f.value for _, f in percent],
            "unit": "%",
        },
        "trend": {
            "name": dashboard.indicator.name,
            "unit": unit,
            "labels": [m.label for m, _ in dashboard.trend],
            "values": [f.value for _, f in dashboard.trend],
        },
        "ranking": {
            "name": dashboard.indicator.name,
            "unit": unit,
            "labels": [a.name for _, a, _ in dashboard.ranking()],
            "values": [f.value for _, _, f in dashboard.ranking()],
        },
        "overdue": {
            "labels": [x.label for x in dashboard.overdue],
            "values": [x.count for x in dashboard.overdue],
            "unit": "项",
        },
    }


__all__ = [
    "ALERTS",
    "DEADLINES",
    "DENOMINATOR",
    "NUMERATOR",
    "PUBLICATIONS",
    "REPORTS",
    "Dashboard",
    "OverdueList",
    "OverdueRow",
    "dashboard_build",
    "dashboard_chart_data",
    "trend_period_of",
    "user_reads_dashboard",
]

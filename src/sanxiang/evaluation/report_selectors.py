"""Reads of the monthly progress reports (月报): who sees which report, the bureau's month view of
every agency, a report's live figures beside those submitted, and the records behind a figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.accounts.permissions import case_ids_granted, user_can_read_case, user_reads_cases_by_grant
from sanxiang.evaluation.models import MonthlyReport, ReportStep
from sanxiang.evaluation.report_figures import FigureRecord, figure_records, figures_compute
from sanxiang.procedure.evaluation.reports import (
    ReportMonth,
    report_overdue,
    report_submitted_late,
)
from sanxiang.registry.models import Agency, AgencyStatus


def user_is_supervisor(user: User) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id is not None


def reports_for(*, viewer: User) -> QuerySet[MonthlyReport]:
    """The reports the viewer may read: a supervisor those sent to their bureau, an agency's staff
    their agency's own, the system administrator all; nobody else any."""
    rows = MonthlyReport.objects.select_related("agency", "bureau")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if user_is_supervisor(viewer):
        return rows.filter(bureau_id=viewer.agency_id)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(agency_id=viewer.agency_id)
    return rows.none()


def report_get(*, viewer: User, report_id: int) -> MonthlyReport:
    report = reports_for(viewer=viewer).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


@dataclass(frozen=True)
class ReportFlags:
    overdue: bool  # not submitted, past its due day
    late: bool  # first submitted after its due day
    days_left: int  # to the due day (negative: past it)

    @property
    def days_over(self) -> int:
        return max(0, -self.days_left)


def report_flags(report: MonthlyReport, *, today: dt.date) -> ReportFlags:
    return ReportFlags(
        overdue=report_overdue(due_on=report.due_on, first_submitted_on=report.first_submitted_on, today=today),
        late=report_submitted_late(due_on=report.due_on, first_submitted_on=report.first_submitted_on),
        days_left=(report.due_on - today).days,
    )


@dataclass(frozen=True)
class MonthRow:
    agency: Agency
    report: MonthlyReport | None  # None: not drafted (yet)
    flags: ReportFlags | None


def bureau_month(*, bureau: Agency, month: ReportMonth, today: dt.date) -> list[MonthRow]:
    """Every agency the bureau supervises (its county's active agencies) with its report on `month`,
    its state and whether it is overdue or was late: two queries whatever the number of agencies."""
    agencies = list(Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False,
                                          status=AgencyStatus.ACTIVE).order_by("name"))
    reports = {r.agency_id: r for r in MonthlyReport.objects.filter(bureau=bureau, year=month.year, month=month.month)}
    rows = [MonthRow(a, reports.get(a.pk), report_flags(reports[a.pk], today=today) if a.pk in reports else None)
            for a in agencies]
    # An agency no longer active (or in another county since) keeps its report on the list.
    listed = {a.pk for a in agencies}
    for report in reports.values():
        if report.agency_id not in listed:
            rows.append(MonthRow(report.agency, report, report_flags(report, today=today)))
    return rows


def agency_reports(*, viewer: User, today: dt.date) -> list[tuple[MonthlyReport, ReportFlags]]:
    reports = reports_for(viewer=viewer).filter(agency_id=viewer.agency_id).order_by("-year", "-month")[:36]
    return [(r, report_flags(r, today=today)) for r in reports]


def report_months(*, bureau: Agency) -> list[ReportMonth]:
    """The months that have reports for the bureau, newest first."""
    pairs = (MonthlyReport.objects.filter(bureau=bureau).values_list("year", "month").distinct()
             .order_by("-year", "-month"))
    return [ReportMonth(y, m) for y, m in pairs]


@dataclass(frozen=True)
class FigureLine:
    key: str
    group: str
    label: str
    stored: object  # as drafted, or as submitted once submitted
    live: object  # computed now from the records
    differs: bool


def report_figure_lines(*, report: MonthlyReport) -> list[FigureLine]:
    """The report's figures as stored (drafted, or frozen at submission) beside the live ones, in the
    stored order, then any live figure the stored ones lack. One provider pass for one agency."""
    live = {f["key"]: f for f in figures_compute(agency_ids=[report.agency_id], month=report.report_month)[
        report.agency_id]}
    lines = []
    for figure in report.figures:
        now = live.pop(figure["key"], None)
        now_value = now["value"] if now else None
        lines.append(FigureLine(figure["key"], figure["group"], figure["label"], figure["value"], now_value,
                                now_value != figure["value"]))
    for figure in live.values():
        lines.append(FigureLine(figure["key"], figure["group"], figure["label"], None, figure["value"],
                                figure["value"] not in (None, 0)))
    return lines


def report_steps(*, report: MonthlyReport) -> list[ReportStep]:
    return list(report.steps.select_related("actor").order_by("pk"))


def report_figure_records(*, report: MonthlyReport, key: str, viewer: User | None = None) -> list[FigureRecord] | None:
    """The records behind a figure, each `readable` when the viewer may read its case (the case
    permission check: a supervisor under a read grant naming the case, the agency's own staff): only
    then does the page show its title, which may name a party. Two queries at most, whatever the
    number of records."""
    records = figure_records(agency_id=report.agency_id, month=report.report_month, key=key)
    if records is None or viewer is None:
        return records
    readable = _readable_case_ids(viewer=viewer, agency_id=report.agency_id,
                                  case_ids={r.case_id for r in records if r.case_id is not None})
    return [replace(r, readable=r.case_id in readable) for r in records]


def _readable_case_ids(*, viewer: User, agency_id: int, case_ids: set[int]) -> set[int]:
    if not case_ids:
        return set()
    if user_reads_cases_by_grant(viewer):
        return case_ids & set(case_ids_granted(viewer))
    # Whoever does not read by grant reads every case of an agency they may read, or none.
    return case_ids if user_can_read_case(viewer, agency_id=agency_id, case_id=None) else set()

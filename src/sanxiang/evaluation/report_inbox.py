"""What the monthly reports put in the inbox (`sanxiang.inbox` hooks these in, like supervision.inbox):
for an agency's head, its reports still to submit (drafted, or returned); for a supervisor of the
bureau, the reports submitted and waiting to be received. One query for rows, one for the count."""

from __future__ import annotations

from django.db.models import QuerySet

from sanxiang.accounts.models import Role, User
from sanxiang.evaluation.models import MonthlyReport
from sanxiang.procedure.evaluation.reports import ReportState

REPORTS = "monthly_reports"
REPORTS_LABEL = "工作推进情况月报"


def report_inbox_applies(user: User) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.role in (Role.AGENCY_HEAD, Role.SUPERVISOR)


def _waiting(user: User) -> QuerySet[MonthlyReport]:
    if not report_inbox_applies(user):
        return MonthlyReport.objects.none()
    if user.role == Role.AGENCY_HEAD:
        return MonthlyReport.objects.filter(agency_id=user.agency_id,
                                            state__in=[ReportState.DRAFT, ReportState.RETURNED])
    return MonthlyReport.objects.filter(bureau_id=user.agency_id,
                                        state__in=[ReportState.SUBMITTED, ReportState.RESUBMITTED])


def report_inbox_queryset(*, user: User) -> QuerySet[MonthlyReport]:
    """The reports waiting for the user, the nearest due day first (the agency with each), unread."""
    return _waiting(user).select_related("agency").order_by("due_on", "agency__name", "pk")


def report_inbox_rows(*, user: User, limit: int = 200) -> list[MonthlyReport]:
    """The first `limit` reports waiting for the user (`report_inbox_queryset`)."""
    return list(report_inbox_queryset(user=user)[:limit])


def report_inbox_count(*, user: User) -> int:
    return _waiting(user).count()

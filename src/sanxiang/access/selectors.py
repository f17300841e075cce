"""Reads of the access log, scoped like the registry's: supervisors and system administrators
see every agency, an agency head their own agency's entries, everyone else nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from sanxiang.access.models import AccessLogEntry
from sanxiang.access.permissions import user_can_read_access_log
from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import county_lookup, user_county_region, user_reads_all_agencies

# Periods are calendar days where the county is, whatever the server's clock or TIME_ZONE.
LOG_TIME_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class AccessLogFilter:
    case: str = ""  # part of a case number
    user: str = ""  # a user name exactly, or part of a person's name
    date_from: dt.date | None = None  # first day, inclusive
    date_to: dt.date | None = None  # last day, inclusive
    action: str = ""

    def describe(self) -> str:
        """The filter in words, for the export's own access record."""
        parts = []
        if self.case:
            parts.append(f"案号含“{self.case}”")
        if self.user:
            parts.append(f"用户“{self.user}”")
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '最早'} 至 {self.date_to or '今'}")
        if self.action:
            parts.append(f"操作 {self.action}")
        return "；".join(parts) or "全部"


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOG_TIME_ZONE)


def access_log_list(
    *, viewer: User, filters: AccessLogFilter = AccessLogFilter()
) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.select_related("user", "case", "agency")
    if not user_can_read_access_log(viewer):
        return entries.none()
    if not user_reads_all_agencies(viewer):
        entries = entries.filter(agency_id=viewer.agency_id)
    elif county_lookup(viewer):
        # A supervisor: the reads of their county's agencies' objects, and their county's users' reads
        # of objects of no agency.
        region = user_county_region(viewer)
        entries = entries.filter(Q(agency__region_code=region) | Q(agency__isnull=True, user__agency__region_code=region))
    if filters.case:
        entries = entries.filter(case__number__icontains=filters.case)
    if filters.user:
        entries = entries.filter(
            Q(user__username__iexact=filters.user) | Q(user__display_name__icontains=filters.user)
        )
    if filters.date_from:
        entries = entries.filter(at__gte=day_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.action:
        entries = entries.filter(action=filters.action)
    return entries.order_by("-at", "-id")

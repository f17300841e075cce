"""Reads of 重大执法决定备案 (issue 14, part C): who sees which filing, the supervisors' queue, and the
filing rate and timeliness per agency (重大决定备案率/及时率), counted in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.registry.models import Agency
from sanxiang.review.models import ReviewTally
from sanxiang.supervision.models import Filing, Matter

PAGE_SIZE = 50


def bureau_of_agency(*, agency: Agency) -> Agency | None:
    """The judicial bureau of the agency's county (same region code), which receives its filings.
    Until part A's `agencies_supervised_by` is merged, the county is the region code."""
    return (
        Agency.objects.filter(is_judicial_bureau=True, region_code=agency.region_code)
        .exclude(pk=agency.pk)
        .order_by("pk")
        .first()
    )


def user_is_bureau_supervisor(user: User) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id is not None


def user_is_registered_supervisor(user: User) -> bool:
    """A supervisor account linked to a supervisor of the registry (who holds, or held, a supervision
    certificate): the one whose inbox holds the bureau's work."""
    return user_is_bureau_supervisor(user) and user.supervisor_id is not None


def filings_for(*, viewer: User) -> QuerySet[Filing]:
    """The filings the viewer may read: a supervisor those received by their bureau, an agency's
    staff their agency's own, the system administrator all; nobody else any."""
    rows = Filing.objects.select_related("agency", "case", "bureau")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if user_is_bureau_supervisor(viewer):
        return rows.filter(bureau_id=viewer.agency_id)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(agency_id=viewer.agency_id)
    return rows.none()


def filing_get(*, viewer: User, filing_id: int) -> Filing:
    filing = filings_for(viewer=viewer).filter(pk=filing_id).first()
    if filing is None:
        raise Http404
    return filing


def filings_awaiting(*, viewer: User) -> QuerySet[Filing]:
    """The filings waiting for the viewer's examination (a supervisor of the receiving bureau),
    the oldest deadline first."""
    if not user_is_bureau_supervisor(viewer):
        return Filing.objects.none()
    return (
        Filing.objects.filter(bureau_id=viewer.agency_id, state="awaiting")
        .select_related("agency", "case")
        .order_by("due_on", "pk")
    )


def filing_may_examine(*, viewer: User, filing: Filing) -> bool:
    return user_is_bureau_supervisor(viewer) and viewer.agency_id == filing.bureau_id


@dataclass(frozen=True)
class FilingRate:
    """One agency's figures for a year: major penalty decisions (the legal-review figures), filings
    made, and filings made within the period."""

    agency_id: int
    agency_name: str
    major_penalties: int
    filed: int
    filed_penalties: int
    on_time: int

    @property
    def rate_percent(self) -> int | None:
        """Filed major penalty decisions ÷ major penalty decisions, in percent (None: none made)."""
        if not self.major_penalties:
            return None
        return round(100 * min(self.filed_penalties, self.major_penalties) / self.major_penalties)

    @property
    def on_time_percent(self) -> int | None:
        if not self.filed:
            return None
        return round(100 * self.on_time / self.filed)


def filing_rates(*, bureau: Agency, year: int) -> list[FilingRate]:
    """Every agency of the bureau's county with a major decision or a filing in `year`: two
    aggregate queries whatever the number of decisions."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    filed = {
        row["agency_id"]: row
        for row in Filing.objects.filter(bureau=bureau, decided_on__range=(start, end))
        .values("agency_id", "agency__name")
        .annotate(
            filed=Count("pk"),
            filed_penalties=Count("pk", filter=Q(kind="penalty")),
            on_time=Count("pk", filter=Q(filed_on__lte=F("due_on"))),
        )
    }
    majors = {
        row["agency_id"]: row
        for row in ReviewTally.objects.filter(
            major=True, decided_on__range=(start, end), agency__region_code=bureau.region_code
        )
        .exclude(agency_id=bureau.pk)
        .values("agency_id", "agency__name")
        .annotate(major=Count("pk"))
    }
    rates = []
    for agency_id in sorted(filed.keys() | majors.keys()):
        f, m = filed.get(agency_id, {}), majors.get(agency_id, {})
        rates.append(
            FilingRate(
                agency_id=agency_id,
                agency_name=(f or m)["agency__name"],
                major_penalties=m.get("major", 0),
                filed=f.get("filed", 0),
                filed_penalties=f.get("filed_penalties", 0),
                on_time=f.get("on_time", 0),
            )
        )
    return rates


def filing_matter_id(*, filing_id: int) -> int | None:
    """The supervision matter opened from the filing taken to an opinion (its origin names the filing)."""
    return (Matter.objects.filter(origin=f"supervision_filing:{filing_id}").order_by("-pk")
            .values_list("pk", flat=True).first())

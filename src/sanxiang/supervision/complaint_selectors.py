"""Reads of complaints (issue 14, part D). Only the supervisors of the bureau that received a complaint
read it; its personal data is read only through `complainant_open`, which the view access-logs."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.accounts.models import Role, User
from sanxiang.procedure.supervision.complaints import ComplaintPublicStatus, complaint_matter_states
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Complainant, Complaint


def user_reads_complaints(user: User) -> bool:
    """A supervisor (平台规则: the complainant's data stays with the supervisors of the bureau that
    received it, whose account belongs to that bureau; system administrators do not read it). No
    query: every read below is filtered by the supervisor's bureau."""
    return bool(user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id)


def complaints_of_bureau(*, viewer: User) -> QuerySet[Complaint]:
    """The bureau's complaints, newest first, with what the list shows (masked personal data)."""
    if not user_reads_complaints(viewer):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(bureau_id=viewer.agency_id)
        .select_related("agency", "matter", "complainant", "inspection__target")
        .order_by("-received_on", "-id")
    )


def complaints_with_status(rows: QuerySet[Complaint], *, status: str) -> QuerySet[Complaint]:
    """`rows` whose public status (what the complainant's tracking page shows) is `status`."""
    states, included = complaint_matter_states(ComplaintPublicStatus(status))
    return rows.filter(matter__state__in=states) if included else rows.exclude(matter__state__in=states)


def complaint_get(*, viewer: User, complaint_id: int) -> Complaint:
    complaint = complaints_of_bureau(viewer=viewer).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    # A supervisor who withdrew (回避) from the complaint's matter no longer reads it, nor who complained.
    from sanxiang.supervision.selectors import matter_recused_ids

    if viewer.pk in matter_recused_ids(complaint.matter):
        raise Http404
    return complaint


def complainant_open(*, viewer: User, complaint_id: int) -> Complainant:
    """The complainant's personal data (the caller records the access before showing it)."""
    return complaint_get(viewer=viewer, complaint_id=complaint_id).complainant


def agencies_for_intake(*, viewer: User) -> QuerySet[Agency]:
    """The agencies of the supervisor's county (part A's `agencies_supervised_by` replaces this at the
    merge; until then the region code decides)."""
    if not user_reads_complaints(viewer):
        return Agency.objects.none()
    return Agency.objects.filter(region_code=viewer.agency.region_code).order_by("name")


def complaints_waiting_count(*, user: User) -> int:
    """Complaints and leads received and not yet triaged (the matter still "received"): the inbox."""
    if not user_reads_complaints(user):
        return 0
    return Complaint.objects.filter(bureau_id=user.agency_id, matter__state="received").count()


def complaints_waiting(*, user: User, limit: int) -> list[Complaint]:
    if not user_reads_complaints(user):
        return []
    return list(
        Complaint.objects.filter(bureau_id=user.agency_id, matter__state="received")
        .select_related("agency")
        .order_by("received_on", "id")[:limit]
    )

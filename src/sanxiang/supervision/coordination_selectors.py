"""Reads of 执法协调 (issue 14, part C): both agencies of a request see it and its outcome, the
receiving bureau's supervisors handle it; no other agency sees it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.procedure.supervision.coordination import CoordinationState
from sanxiang.registry.models import Agency
from sanxiang.supervision.filing_selectors import user_is_bureau_supervisor
from sanxiang.supervision.models import Coordination, CoordinationStep

PAGE_SIZE = 50


def coordinations_for(*, viewer: User) -> QuerySet[Coordination]:
    rows = Coordination.objects.select_related("agency", "other_agency", "bureau")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if user_is_bureau_supervisor(viewer):
        return rows.filter(bureau_id=viewer.agency_id)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(Q(agency_id=viewer.agency_id) | Q(other_agency_id=viewer.agency_id))
    return rows.none()


def coordination_get(*, viewer: User, coordination_id: int) -> Coordination:
    found = coordinations_for(viewer=viewer).filter(pk=coordination_id).first()
    if found is None:
        raise Http404
    return found


def coordination_steps(*, coordination: Coordination) -> list[CoordinationStep]:
    return list(coordination.steps.select_related("actor").order_by("id"))


def coordinations_waiting(*, viewer: User) -> QuerySet[Coordination]:
    """What waits for the viewer: for a supervisor, the bureau's requests to accept or coordinate;
    for an agency, its requests whose materials the bureau asked for."""
    if user_is_bureau_supervisor(viewer):
        return Coordination.objects.filter(
            bureau_id=viewer.agency_id, state__in=[CoordinationState.SUBMITTED, CoordinationState.ACCEPTED]
        ).select_related("agency").order_by("updated_on", "pk")
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None and viewer.role in (Role.AGENCY_HEAD,
                                                                                          Role.AGENCY_ADMIN):
        return Coordination.objects.filter(
            agency_id=viewer.agency_id, state=CoordinationState.MATERIALS
        ).select_related("agency").order_by("updated_on", "pk")
    return Coordination.objects.none()


def agencies_in_county(*, agency: Agency) -> QuerySet[Agency]:
    """The other enforcement agencies of the agency's county (a competence dispute names one)."""
    return (Agency.objects.filter(region_code=agency.region_code, is_judicial_bureau=False)
            .exclude(pk=agency.pk).order_by("name"))

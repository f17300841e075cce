"""Reads of 制度文件 (issue 15, item 5): an agency sees its own documents and checklist; the
supervisors of a 司法局 see those sent to their bureau and the checklist of every agency of their
county; the system administrator sees all. No agency sees another's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.evaluation.models import SystemDocument, SystemDocumentStep
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.procedure.evaluation.documents import (
    ChecklistItem,
    DocumentSnapshot,
    DocumentState,
    checklist_items,
    document_kinds_required,
    documents_due_on,
)
from sanxiang.registry.models import Agency, AgencyStatus
from sanxiang.supervision.filing_selectors import user_is_bureau_supervisor

PAGE_SIZE = 50


def documents_for(*, viewer: User) -> QuerySet[SystemDocument]:
    rows = SystemDocument.objects.select_related("agency", "bureau")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if user_is_bureau_supervisor(viewer):
        return rows.filter(bureau_id=viewer.agency_id)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(agency_id=viewer.agency_id)
    return rows.none()


def document_get(*, viewer: User, document_id: int) -> SystemDocument:
    found = documents_for(viewer=viewer).select_related("file__stored_file").filter(pk=document_id).first()
    if found is None:
        raise Http404
    return found


def document_steps(*, document: SystemDocument) -> list[SystemDocumentStep]:
    return list(document.steps.select_related("actor", "file").order_by("id"))


def document_file_get(*, document: SystemDocument, record_id: int) -> EvidenceRecord:
    """A file submitted for `document` (the current one or an earlier version); 404 for any other."""
    submitted = SystemDocumentStep.objects.filter(document=document, file__isnull=False).values("file_id")
    record = EvidenceRecord.objects.select_related("stored_file").filter(pk=record_id, pk__in=submitted).first()
    if record is None:
        raise Http404("没有这个文件")
    return record


def document_waiting_review(*, viewer: User) -> QuerySet[SystemDocument]:
    """For a supervisor, the documents of their bureau waiting for review (oldest first)."""
    if not user_is_bureau_supervisor(viewer):
        return SystemDocument.objects.none()
    return (SystemDocument.objects.filter(bureau_id=viewer.agency_id, state=DocumentState.SUBMITTED)
            .select_related("agency").order_by("submitted_on", "pk"))


def county_agencies(*, viewer: User) -> QuerySet[Agency]:
    """The enforcement agencies whose checklist the viewer sees: the supervisor's county (same region
    code as the bureau), every agency for the system administrator, the agency user's own."""
    rows = Agency.objects.filter(is_judicial_bureau=False, status=AgencyStatus.ACTIVE).order_by("name", "pk")
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return rows
    if user_is_bureau_supervisor(viewer):
        return rows.filter(region_code=viewer.agency.region_code)
    if viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return rows.filter(pk=viewer.agency_id)
    return rows.none()


@dataclass(frozen=True)
class AgencyChecklist:
    agency: Agency
    items: list[ChecklistItem]
    documents: list[SystemDocument]

    @property
    def overdue(self) -> list[ChecklistItem]:
        return [i for i in self.items if i.overdue]

    @property
    def accepted(self) -> int:
        return sum(1 for i in self.items if i.status == "accepted")


def checklists(*, viewer: User, today: dt.date, agency_id: int | None = None) -> list[AgencyChecklist]:
    """The checklist of each agency the viewer sees (or of `agency_id` among them): two queries
    whatever the number of agencies and documents."""
    agencies = county_agencies(viewer=viewer)
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    agencies = list(agencies)
    by_agency: dict[int, list[SystemDocument]] = {a.pk: [] for a in agencies}
    for document in SystemDocument.objects.filter(agency_id__in=list(by_agency)).order_by("kind", "pk"):
        by_agency[document.agency_id].append(document)
    kinds = document_kinds_required(on=today)
    due_on = documents_due_on(on=today)
    return [
        AgencyChecklist(
            agency=agency,
            items=checklist_items(
                kinds=kinds, due_on=due_on, today=today,
                documents=[DocumentSnapshot(d.pk, d.kind, d.state) for d in by_agency[agency.pk]],
            ),
            documents=by_agency[agency.pk],
        )
        for agency in agencies
    ]


def checklists_overdue(*, viewer: User, today: dt.date) -> list[AgencyChecklist]:
    """The agencies with at least one overdue item (the overdue list of both sides)."""
    return [c for c in checklists(viewer=viewer, today=today) if c.overdue]

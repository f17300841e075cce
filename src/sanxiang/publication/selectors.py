"""Reads of 事后公开 for staff: the drafts to approve, their deadlines, and the alerts an agency
and the supervisors see when a publication or a withdrawal is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import (
    case_read_require,
    county_lookup,
    user_can_read_agency,
    user_reads_all_agencies,
)
from sanxiang.procedure.publication import REDACTION_KINDS
from sanxiang.publication import compulsory
from sanxiang.publication.models import DraftStatus, PublicationDraft, PublicCertificate
from sanxiang.publication.permissions import PUBLISHERS
from sanxiang.publication.services import CHANGE_KINDS, KEPT_FIELDS, TEXT_FIELDS


def drafts_for(*, viewer: User) -> QuerySet[PublicationDraft]:
    drafts = PublicationDraft.objects.select_related("case", "agency", "publication").order_by("status", "due_on", "id")
    if user_reads_all_agencies(viewer):
        return drafts.filter(**county_lookup(viewer))
    return drafts.filter(agency_id=viewer.agency_id) if viewer.agency_id else drafts.none()


def draft_get(*, viewer: User, draft_id: int) -> PublicationDraft:
    draft = PublicationDraft.objects.select_related("case", "agency", "publication").filter(pk=draft_id).first()
    if draft is None or not user_can_read_agency(viewer, draft.agency_id):
        raise Http404
    # A draft sets the decision's own text beside the public one: a supervisor reads it only under
    # a read grant on its case (调阅案卷), as the case itself.
    case_read_require(viewer, agency_id=draft.agency_id, case_id=draft.case_id)
    return draft


@dataclass(frozen=True)
class FieldComparison:
    label: str
    original: str
    public: str
    changed: bool


def draft_fields(draft: PublicationDraft) -> tuple[dict[str, str], dict[str, str]]:
    """The structured fields and the editable texts of the draft's kind of decision, with labels."""
    if draft.is_compulsory:
        return compulsory.KEPT_FIELDS, compulsory.TEXT_FIELDS
    if draft.is_permit:
        from sanxiang.publication import permit

        return permit.KEPT_FIELDS, permit.TEXT_FIELDS
    if draft.is_act:
        from sanxiang.publication import acts

        return acts.KEPT_FIELDS, acts.TEXT_FIELDS
    return KEPT_FIELDS, TEXT_FIELDS


def draft_change_kinds(draft: PublicationDraft) -> dict[str, str]:
    """What may have happened to the decision for its publication to be withdrawn."""
    return compulsory.CHANGE_KINDS if draft.is_compulsory else CHANGE_KINDS


def draft_comparison(draft: PublicationDraft) -> list[FieldComparison]:
    """The side-by-side view: each field as in the decision and as the public would read it."""
    rows = []
    kept, texts = draft_fields(draft)
    for name, label in (*kept.items(), *texts.items()):
        original, public = str(draft.original.get(name, "")), str(draft.public.get(name, ""))
        rows.append(FieldComparison(label, original, public, original != public))
    return rows


def draft_redactions(draft: PublicationDraft) -> list[dict]:
    kept, texts = draft_fields(draft)
    # The rules of compulsory decisions name the reason and the conclusion by their own names.
    labels = {**kept, **texts, "reason": texts.get("facts", "理由"), "conclusion": texts.get("content", "执法结论")}
    return [
        {"field": labels.get(r["field"], r["field"]), "kind": REDACTION_KINDS.get(r["kind"], r["kind"]),
         "replacement": r["replacement"], "digest": r["digest"]}
        for r in draft.redactions
    ]


@dataclass(frozen=True)
class PublicationAlert:
    draft: PublicationDraft
    what: str  # 公示 | 撤回
    due_on: dt.date
    days_late: int


# How many overdue drafts a home or the drafts page lists; the count says how many there are.
ALERTS_SHOWN = 20


@dataclass(frozen=True)
class PublicationAlerts:
    """The overdue drafts a page lists (the `shown` most overdue) and how many there are."""

    shown: list[PublicationAlert]
    count: int

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self):
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown)

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


def publication_alerts(*, viewer: User, on: dt.date | None = None, limit: int = ALERTS_SHOWN) -> PublicationAlerts:
    """Drafts not published by their due day: shown to the agency (its own) and to the supervisors
    (every agency), the most overdue first, at most `limit` of them, with their number. (A
    withdrawal is made the moment the change is recorded; the ledger entry says whether that was
    within the 3 working days.)

    Two queries whatever the number of drafts, both by the index of drafts waiting
    (`publication_draft_waiting`): a count, then the `limit` most overdue rows (none when the
    count is 0). One windowed query (the count riding on each row) made the database join and
    sort every overdue draft first: about 2 s at 100,000 cases on SQLite. The homes, the drafts
    page and the county dashboard (`evaluation.dashboard_selectors`) all read the alerts here."""
    on = on or timezone.localdate()
    drafts = drafts_for(viewer=viewer).filter(status=DraftStatus.DRAFT, due_on__lt=on)
    count = drafts.order_by().count()
    rows = (
        list(
            drafts.defer("case__facts", "case__details", "original", "public", "redactions", "refusals", "facts")
            .order_by("due_on", "id")[:limit]
        )
        if count and limit > 0
        else []
    )
    shown = [PublicationAlert(draft, "公示", draft.due_on, (on - draft.due_on).days) for draft in rows]
    return PublicationAlerts(shown=shown, count=count)


def drafts_awaiting_approval(*, viewer: User) -> QuerySet[PublicationDraft]:
    """The drafts waiting for the viewer's approval (公示审核): not yet published nor refused, of the
    agencies the viewer may publish for (its head or administrator; a system administrator, every
    agency), the earliest due first. None for anyone else. Without the texts: a list reads
    the case's number and title and the days."""
    drafts = drafts_for(viewer=viewer).filter(status=DraftStatus.DRAFT)
    if viewer.role != Role.SYSTEM_ADMIN:
        if viewer.role not in PUBLISHERS or viewer.agency_id is None:
            return drafts.none()
        drafts = drafts.filter(agency_id=viewer.agency_id)
    return drafts.defer(
        "case__facts", "case__details", "original", "public", "redactions", "refusals", "facts"
    ).order_by("due_on", "id")


__all__ = [
    "CHANGE_KINDS",
    "FieldComparison",
    "PublicationAlert",
    "PublicationAlerts",
    "draft_change_kinds",
    "draft_comparison",
    "draft_fields",
    "draft_get",
    "draft_redactions",
    "drafts_awaiting_approval",
    "drafts_for",
    "publication_alerts",
]


def public_certificates_of(*, certificate_ids: list[int]) -> dict[int, PublicCertificate]:
    """The public read model's entry (its token, for the card's QR code) of each of these registry
    certificates that is published, by certificate id: one query."""
    return {
        p.source_id: p
        for p in PublicCertificate.objects.filter(source_id__in=certificate_ids).only("source_id", "token")
    }

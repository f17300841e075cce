"""Approved publications in number, for the bulk path's tests and its benchmark
(benchmarks/publication_bulk.py): copies of one decided case's draft, each its own decision number
and, optionally, its own public text."""

from __future__ import annotations

import datetime as dt

from sanxiang.publication.models import PublicationDraft
from sanxiang.publication.services import PublicationToRecord, draft_display_period, penalty_publication


def drafts_copy(draft: PublicationDraft, *, count: int, prefix: str, copy: str = "", texts: list[dict[str, str]] | None = None,
                decided_on: list[dt.date] | None = None) -> list[PublicationDraft]:
    """`count` new drafts of `draft`'s case, as its decision would give them, each with its own
    decision number (`prefix` and its position; `copy` tells the drafts of the same numbers apart), its text from `texts` when given, its day from
    `decided_on` when given; inserted in bulk."""
    copies = []
    for i in range(count):
        public = {**draft.public, "number": f"{prefix}{i}号", **(texts[i] if texts else {})}
        copies.append(PublicationDraft(
            case_id=draft.case_id, decision=draft.decision, document_number=f"{prefix}{i}号{copy}", agency_id=draft.agency_id,
            status=draft.status, decided_on=decided_on[i] if decided_on else draft.decided_on, due_on=draft.due_on,
            due_estimated=draft.due_estimated, original=draft.original, public=public, redactions=draft.redactions,
            refusals=draft.refusals, facts=draft.facts,
        ))
    return PublicationDraft.objects.bulk_create(copies, batch_size=2000)


def record_of(draft: PublicationDraft, *, on: dt.date) -> PublicationToRecord:
    """What `publication_approve` hands to `publication_record` for `draft`, unedited."""
    period = draft_display_period(draft=draft)
    return PublicationToRecord(draft=draft, publication=penalty_publication(draft=draft, public=draft.public, on=on,
                                                                             period=period),
                               public=draft.public, redactions=draft.redactions, period=period)

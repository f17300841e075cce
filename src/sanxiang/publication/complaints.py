"""Complaints from the public in the public read model (issue 14, part D): the row the tracking page
reads (`PublicComplaint`, written when the supervision app publishes a status), its lookup by receipt
number and query code, and the per-address limit of the public forms.

The portal reads this module and the public tables only; the supervision app reaches it through
`sanxiang.public_events`."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.supervision.complaints import (
    NOT_SUPERVISED_AGAIN_BASIS,
    PENDING_REMEDY_LABELS,
    PendingRemedy,
    query_code_matches,
)
from sanxiang.public_events import ComplaintStatusPublished
from sanxiang.publication.models import PublicComplaint, PublicFormAttempt, PublicFormLimit

# The choices of the public form, and the article it cites (the portal imports them from here).
PENDING_REMEDY_CHOICES = [(r.value, label) for r, label in PENDING_REMEDY_LABELS.items()]
PENDING_REMEDY_NONE = PendingRemedy.NONE.value
PENDING_REMEDY_BASIS = NOT_SUPERVISED_AGAIN_BASIS

SUBMIT = "complaint_submit"
LOOKUP = "complaint_lookup"
CODE_LOOKUP = "inspection_code"  # the public page of a 检查码 (the inspection app, by its slot)
_LIMIT_PARAMETERS = {
    SUBMIT: "supervision.complaint_submissions_per_hour",
    LOOKUP: "supervision.complaint_lookups_per_hour",
    CODE_LOOKUP: "inspection.code_lookups_per_hour",
}
_WINDOW = dt.timedelta(hours=1)


def public_complaint_record(event: ComplaintStatusPublished) -> PublicComplaint:
    """Write (or bring up to date) the public row of a complaint; the history keeps each status once."""
    row = PublicComplaint.objects.select_for_update().filter(receipt_number=event.receipt_number).first()
    step = {"status_label": event.status_label, "on": event.status_on.isoformat()}
    if row is None:
        row = PublicComplaint(receipt_number=event.receipt_number, history=[])
    if not row.history or row.history[-1] != step:
        row.history = [*row.history, step]
    row.query_code_digest = event.query_code_digest
    row.bureau_name = event.bureau_name
    row.agency_name = event.agency_name
    row.received_on = event.received_on
    row.status = event.status
    row.status_label = event.status_label
    row.status_on = event.status_on
    row.reason = event.reason
    row.outcome = event.outcome
    row.save()
    return row


def public_complaint_published(*, receipt_number: str) -> tuple[str, str, str] | None:
    """What the public reads of a complaint now (status, reason, outcome); None before its first status."""
    return (PublicComplaint.objects.filter(receipt_number=receipt_number)
            .values_list("status", "reason", "outcome").first())


def public_complaint_find(*, receipt_number: str, query_code: str) -> PublicComplaint | None:
    """The complaint when the number exists and the code is its code; None otherwise, the same None
    for an unknown number and a wrong code (and the same work: a digest is computed either way)."""
    row = PublicComplaint.objects.filter(receipt_number=receipt_number.strip().upper()).first()
    digest = row.query_code_digest if row else "0000000000000000$" + "0" * 64
    matches = query_code_matches(query_code, digest)
    return row if row is not None and matches else None


def _address_digest(address: str | None) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}\x00{address or '-'}".encode()).hexdigest()


@transaction.atomic
def public_form_attempt(*, scope: str, address: str | None, now: dt.datetime | None = None) -> bool:
    """Count one use of the public form `scope` by `address`; False when the address has already
    used it as often as the hour allows (the use is then not counted). Rows older than the hour are
    removed on the way."""
    now = now or timezone.now()
    limit = int(parameters_default().value(_LIMIT_PARAMETERS[scope], on=timezone.localdate(now)))
    digest = _address_digest(address)
    _address_lock(scope=scope, digest=digest, now=now)  # held to the end of the transaction
    PublicFormAttempt.objects.filter(at__lt=now - _WINDOW).delete()
    PublicFormLimit.objects.filter(last_at__lt=now - _WINDOW).delete()
    used = PublicFormAttempt.objects.filter(scope=scope, address_digest=digest, at__gte=now - _WINDOW).count()
    if used >= limit:
        return False
    PublicFormAttempt.objects.create(scope=scope, address_digest=digest, at=now)
    return True


def _address_lock(*, scope: str, digest: str, now: dt.datetime) -> None:
    """Lock the address's row of the form (created when missing, without an error when another
    request creates it first): requests of one address then count and record one after the other."""
    for _ in range(3):
        PublicFormLimit.objects.bulk_create([PublicFormLimit(scope=scope, address_digest=digest, last_at=now)],
                                            ignore_conflicts=True)
        # Marked used now, so that the clean-up of unused rows leaves it.
        if PublicFormLimit.objects.select_for_update().filter(scope=scope, address_digest=digest).update(last_at=now):
            return
    raise RuntimeError("the public form's limit row could not be locked")

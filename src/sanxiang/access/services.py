from django.db import transaction

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import User
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append


@transaction.atomic
def access_record(
    *,
    actor: User,
    action: str,
    object_kind: str,
    object_id: int | str,
    object_label: str = "",
    case_id: int | None = None,
    agency_id: int | None = None,
    ip_address: str | None = None,
) -> AccessLogEntry:
    """Record a view, download or export, in the access table and in the ledger together.
    Call it before the content is sent, so that nothing is served unrecorded."""
    entry = entry_append(
        event=LedgerEvent(
            EventKind.ACCESS,
            {"action": action, "object_kind": object_kind, "object_id": str(object_id), "object_label": object_label},
            agency_id=agency_id,
            case_id=case_id,
            subject=f"{object_kind}:{object_id}",
        ),
        actor=actor,
    )
    return AccessLogEntry.objects.create(
        user=actor,
        action=action,
        object_kind=object_kind,
        object_id=str(object_id),
        object_label=object_label[:200],
        case_id=case_id,
        agency_id=agency_id,
        ip_address=ip_address,
        ledger_seq=entry.seq,
    )

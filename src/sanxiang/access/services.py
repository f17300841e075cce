"""Writes of the access log (访问记录): one row and one ledger entry per view, download or export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from sanxiang.access.models import AccessAction, AccessLogEntry
from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import case_read_grant, user_reads_cases_by_grant
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append


@transaction.atomic
def access_record(
    *,
    actor: User | None,
    action: str,
    object_kind: str,
    object_id: int | str,
    object_label: str = "",
    case_id: int | None = None,
    agency_id: int | None = None,
    ip_address: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AccessLogEntry:
    """Record a view, download or export, in the access table and in the ledger together.
    Call it before the content is sent, so that nothing is served unrecorded.

    `actor` is None only for work done on the server's command line (e.g. `sanxiang
    export-case`), which has no platform user; `details` go into the ledger entry only (the
    case-file export records there what its manifest states, so that the verifier can hold one
    against the other)."""
    payload: dict[str, Any] = {
        "action": action,
        "object_kind": object_kind,
        "object_id": str(object_id),
        "object_label": object_label,
    }
    if details:
        payload["details"] = dict(details)
    grant = _read_grant(actor, case_id)
    if grant is not None:
        # A supervisor's read of a case is under a read grant (调阅案卷): the entry names it.
        payload["read_grant"] = {"grant": grant.pk, "matter": grant.matter.number,
                                 "expires_at": grant.expires_at.isoformat()}
        object_label = f"{object_label}（调阅：{grant.matter.number}）"
        payload["object_label"] = object_label
    row = AccessLogEntry(
        user=actor,
        action=action,
        object_kind=object_kind,
        object_id=str(object_id),
        object_label=object_label[:200],
        case_id=case_id,
        agency_id=agency_id,
        ip_address=ip_address,
    )

    def seq_stored(entry) -> None:
        # At once outside a ledger batch (the row is then inserted with it); inside one, when the
        # batch is flushed (the row was inserted meanwhile).
        row.ledger_seq = entry.seq
        if row.pk is not None:
            AccessLogEntry.objects.filter(pk=row.pk).update(ledger_seq=entry.seq)

    entry_append(
        event=LedgerEvent(
            EventKind.ACCESS,
            payload,
            agency_id=agency_id,
            case_id=case_id,
            subject=f"{object_kind}:{object_id}",
        ),
        actor=actor,
        then=seq_stored,
    )
    row.save(force_insert=True)
    return row


def _read_grant(actor: User | None, case_id: int | None):
    if actor is None or case_id is None or not user_reads_cases_by_grant(actor):
        return None
    return case_read_grant(actor, case_id)


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a trusted
    # proxy sets it, and an audit log must not record a value the audited person chose.
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class AccessTarget:
    """What a view served: the object, and the case and agency it belongs to."""

    object_kind: str
    object_id: int | str
    object_label: str = ""
    case_id: int | None = None
    agency_id: int | None = None


def access_target_set(request: HttpRequest, target: AccessTarget) -> None:
    """Called by a view decorated with `access_recorded` once it knows what it is about to
    serve, i.e. after its selector has found the object and checked the viewer may read it."""
    targets = getattr(request, "_access_targets", None)
    if targets is None:
        raise ImproperlyConfigured(
            "access_target_set() called from a view not decorated with @access_recorded"
        )
    targets.append(target)


def access_recorded(action: str = AccessAction.VIEW) -> Callable:
    """Decorator for views that show or send a case, a document or an evidence file.

    The view declares what it served with `access_target_set(request, AccessTarget(...))`; when
    it answers with a success status the access is recorded before the response goes back to
    Django, so a streamed body starts only after its record is committed. Refusals (403/404) and
    errors are not accesses and are not recorded. A successful response that declared nothing
    is refused with an error rather than sent unrecorded.

        @login_required
        @access_recorded(AccessAction.DOWNLOAD)
        def document_download(request, document_id):
            document = selectors.document_get(viewer=request.user, document_id=document_id)
            access_target_set(request, AccessTarget("document", document.pk, document.title,
                                                    case_id=document.case_id, agency_id=document.agency_id))
            return FileResponse(...)
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            request._access_targets = []
            response = view(request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                return response
            targets = request._access_targets
            if not targets:
                raise ImproperlyConfigured(
                    f"{view.__module__}.{view.__qualname__} is @access_recorded but declared no access_target_set()"
                )
            # If recording fails the response is dropped unsent. Not response.close(): that sends
            # request_finished, which closes the database connection in the middle of a request;
            # a file behind a FileResponse is closed when the response is collected.
            with transaction.atomic():
                for target in targets:
                    request_access_record(request=request, action=action, target=target)
            return response

        return wrapped

    return decorator


def request_access_record(*, request: HttpRequest, action: str, target: AccessTarget) -> AccessLogEntry:
    """`access_record` for the user and address of a request."""
    return access_record(
        actor=request.user,
        action=action,
        object_kind=target.object_kind,
        object_id=target.object_id,
        object_label=target.object_label,
        case_id=target.case_id,
        agency_id=target.agency_id,
        ip_address=client_ip(request),
    )

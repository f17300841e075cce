"""制度文件 accepted by the judicial bureau, in the public read model (issue 15, item 5): the
subscriber that writes a `PublicSystemDocument` when the evaluation app accepts a public document
(`SystemDocumentPublished`, inside the accepting transaction; subscribed in `PublicationConfig.ready`). The
portal opens its file through `publication.public_files`, by digest."""

from __future__ import annotations

from django.utils import timezone

from sanxiang.public_events import SystemDocumentPublished
from sanxiang.publication.models import PublicSystemDocument
from sanxiang.publication.services import public_agency_get


def public_system_document_record(event: SystemDocumentPublished) -> PublicSystemDocument:
    """Write (or, for a later accepted version, replace) the public row. The same event again
    changes nothing; an older version never replaces a newer one."""
    existing = PublicSystemDocument.objects.filter(source_id=event.document_id).first()
    if existing is not None and existing.version >= event.version:
        return existing
    values = {
        "agency": public_agency_get(agency_id=event.agency_id),
        "kind_label": event.kind_label,
        "title": event.title,
        "filename": event.filename,
        "content_type": event.content_type,
        "sha256": event.sha256,
        "size": event.size,
        "version": event.version,
        "accepted_on": event.accepted_on,
        "bureau_name": event.bureau_name,
        "published_at": timezone.now(),
    }
    document, _created = PublicSystemDocument.objects.update_or_create(source_id=event.document_id, defaults=values)
    return document

"""双随机抽查结果公告 in the public read model: the subscriber that writes a `PublicInspectionResult`
when the inspection app publishes a result (`InspectionResultPublished`, inside the publishing
transaction; subscribed in `PublicationConfig.ready`)."""

from __future__ import annotations

from sanxiang.public_events import InspectionResultPublished
from sanxiang.publication.models import PublicInspectionResult


def public_inspection_result_record(event: InspectionResultPublished) -> PublicInspectionResult:
    """Write the public row, once (the same event again changes nothing)."""
    row, _created = PublicInspectionResult.objects.get_or_create(
        source_id=event.inspection_id,
        defaults={
            "agency_name": event.agency_name,
            "target_name": event.target_name,
            "target_credit_code": event.target_credit_code,
            "items": list(event.items),
            "outcome": event.outcome,
            "finished_on": event.finished_on,
            "published_on": event.published_on,
            "basis": event.basis,
        },
    )
    return row

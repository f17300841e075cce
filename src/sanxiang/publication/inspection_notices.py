"""双随机一公开 on the public read model: the published 随机抽查事项清单 of an agency, and the plan
and task notices, written from the inspection app's typed events inside its transaction."""

from __future__ import annotations

from dataclasses import asdict

from sanxiang.public_events import InspectionItemsPublished, InspectionNoticePublished
from sanxiang.publication.models import PublicAgency, PublicInspectionNotice


def public_inspection_items_record(event: InspectionItemsPublished) -> None:
    """The 事前 list of the agency's public row (the registry's refresh writes the same list through
    `inspection_items_provided`); an agency not yet published gets it with its first refresh."""
    PublicAgency.objects.filter(source_id=event.agency_id).update(
        inspections=[asdict(item) for item in event.items]
    )


def public_inspection_notice_record(event: InspectionNoticePublished) -> PublicInspectionNotice:
    values = {
        "kind": event.kind,
        "agency_source_id": event.agency_id,
        "agency_name": event.agency_name,
        "year": event.year,
        "title": event.title,
        "body": event.body,
        "seed_commitment": event.seed_commitment,
        "seed": event.seed,
        "public_inputs": event.public_inputs,
        "drawn": [asdict(d) | {"officers": list(d.officers)} for d in event.drawn],
        "updated_at": event.published_at,
    }
    notice, created = PublicInspectionNotice.objects.get_or_create(
        key=event.key, defaults=values | {"published_at": event.published_at}
    )
    if not created:
        for name, value in values.items():
            setattr(notice, name, value)
        notice.save()
    return notice

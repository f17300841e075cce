"""The catalogues of major decisions in the public read model: the subscriber that writes a
`PublicCatalogue` row when the review app publishes a version (`CataloguePublished`, delivered
inside the publishing transaction; subscribed in `PublicationConfig.ready`)."""

from __future__ import annotations

from dataclasses import asdict

from sanxiang.public_events import CataloguePublished
from sanxiang.publication.models import PublicCatalogue


def public_catalogue_record(event: CataloguePublished) -> PublicCatalogue:
    """Write the public row of a published catalogue version. A version is written once; the same
    event delivered again (a replay of the history) finds its row and changes nothing."""
    catalogue, _created = PublicCatalogue.objects.get_or_create(
        agency_source_id=event.agency_id,
        version=event.version,
        defaults={
            "published_on": event.published_on,
            "published_at": event.published_at,
            "title": event.title,
            "agency_name": event.agency_name,
            "legal_basis": event.legal_basis,
            "listed": list(event.listed),
            "matters": [asdict(m) for m in event.matters],
            "statutory": list(event.statutory),
            "statutory_basis": event.statutory_basis,
            "discussion_for": list(event.discussion_for),
            "discussion_basis": event.discussion_basis,
            "explanation": event.explanation,
        },
    )
    return catalogue

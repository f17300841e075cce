"""Typed factories for the ledger events of legal review.

Long free text (the catalogue's 说明) is recorded by digest, as the registry records its texts:
the row holds the text, the ledger proves which text it was. A publication records the digest of
its whole content (canonical JSON), so that anyone holding the published page can check it
against the ledger, and the values the engine applies in clear."""

import hashlib

from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.review.models import CataloguePublication, MajorDecisionCatalogue


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else ""


def content_digest(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _catalogue_payload(catalogue: MajorDecisionCatalogue, matter_codes: list[str]) -> dict:
    return {
        "kinds": sorted(catalogue.kinds),
        "fine_natural_person_fen": catalogue.fine_natural_person_fen,
        "fine_organization_fen": catalogue.fine_organization_fen,
        "amount_inclusive": catalogue.amount_inclusive,
        "discretion_deviation": catalogue.discretion_deviation,
        "discussion_for": sorted(catalogue.discussion_for),
        "matters": sorted(matter_codes),
        "explanation_sha256": _digest(catalogue.explanation),
    }


def catalogue_updated_event(
    *, catalogue: MajorDecisionCatalogue, matter_codes: list[str], changed: list[str]
) -> LedgerEvent:
    payload = _catalogue_payload(catalogue, matter_codes) | {"changed": sorted(changed)}
    return LedgerEvent(
        EventKind.REVIEW_CATALOGUE_UPDATED, payload, catalogue.agency_id, subject=f"review-catalogue:{catalogue.agency_id}"
    )


def catalogue_published_event(*, publication: CataloguePublication) -> LedgerEvent:
    content = publication.content
    payload = {
        "version": publication.version,
        "published_on": content["published_on"],
        "content_sha256": content_digest(content),
        "kinds": [k["code"] for k in content["kinds"]],
        "fine_natural_person_fen": content["thresholds"]["natural_person_fen"],
        "fine_organization_fen": content["thresholds"]["organization_fen"],
        "amount_inclusive": content["thresholds"]["inclusive"],
        "discretion_deviation": content["discretion_deviation"],
        "discussion_for": [d["code"] for d in content["discussion_for"]],
        "matters": [m["code"] for m in content["matters"]],
    }
    return LedgerEvent(
        EventKind.REVIEW_CATALOGUE_PUBLISHED,
        payload,
        publication.agency_id,
        subject=f"review-catalogue:{publication.agency_id}:v{publication.version}",
    )

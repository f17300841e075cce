"""Public 通报 of the judicial bureau in the public read model: the subscriber that writes a
`PublicSupervisionNotice` when the supervision app approves a public 通报
(`SupervisionNoticePublished`, inside the approving transaction; subscribed in
`PublicationConfig.ready`). The text is redacted as decisions are (`text_redact`): the natural
persons the platform knows around the 通报 (the parties of the cases it cites, its complainants, the
officers) by name, address, ID number and phone, and by pattern every ID number, phone and bank
account."""

from __future__ import annotations

from dataclasses import asdict

from sanxiang.procedure.publication import text_redact
from sanxiang.public_events import SupervisionNoticePublished
from sanxiang.publication.models import PublicSupervisionNotice
from sanxiang.publication.services import redaction_summary

FIELDS = ("title", "body", "indicators")


def public_supervision_notice_record(event: SupervisionNoticePublished) -> PublicSupervisionNotice:
    """Write the public row, once (the same event again changes nothing)."""
    public, redactions = {}, []
    for field in FIELDS:
        result = text_redact(getattr(event, field), field=field, keep=event.agencies, third_parties=event.persons,
                             addresses=event.addresses, known=dict(event.known))
        public[field] = result.text
        redactions += [asdict(r) for r in result.redactions]
    notice, _created = PublicSupervisionNotice.objects.get_or_create(
        source_id=event.notice_id,
        defaults={
            "bureau_name": event.bureau_name,
            "agencies": list(event.agencies),
            "published_on": event.published_on,
            "basis": event.basis,
            "redactions": redaction_summary(redactions),
            **public,
        },
    )
    return notice

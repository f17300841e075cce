"""Ledger events of part B (instruments, replies, person-level proposals, referrals, 通报). Free
text is recorded by its SHA-256 digest (the row keeps the text); files by their digests."""

from __future__ import annotations

import hashlib

from sanxiang.evidence.models import StoredFile
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.supervision.models import Instrument, InstrumentStep, Notice, PersonalProposal, Referral


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def _file(stored: StoredFile) -> FileDigest:
    return FileDigest(sha256=stored.sha256, size=stored.size, sm3=stored.sm3 or None)


def instrument_issued_event(*, instrument: Instrument, supervisor_ids: list[int], files: list[StoredFile]) -> LedgerEvent:
    return LedgerEvent(
        EventKind.SUPERVISION_INSTRUMENT_ISSUED,
        {
            "instrument": instrument.pk,
            "matter": instrument.matter_id,
            "agency": instrument.agency_id,
            "kind": instrument.kind,
            "state": instrument.state,
            "number": instrument.number,
            "issued_on": instrument.issued_on.isoformat(),
            "due_on": instrument.due_on.isoformat() if instrument.due_on else None,
            "supervisors": sorted(supervisor_ids),
            "findings_sha256": _digest(instrument.findings),
            "required_actions_sha256": _digest(instrument.required_actions),
            "files_sha256": [f.sha256 for f in files],
        },
        agency_id=instrument.agency_id,  # the agency served (its ledger, its rows: ledger verify)
        subject=f"supervision_instrument:{instrument.pk}",
        files=tuple(_file(f) for f in files),
    )


def instrument_step_event(*, step: InstrumentStep, instrument: Instrument, files: list[StoredFile]) -> LedgerEvent:
    return LedgerEvent(
        EventKind.SUPERVISION_INSTRUMENT_STEP,
        {
            "instrument": instrument.pk,
            "step": step.pk,
            "action": step.action,
            "state_before": step.state_before,
            "state_after": step.state_after,
            "on": step.on.isoformat(),
            "due_on": instrument.due_on.isoformat() if instrument.due_on else None,
            "text_sha256": _digest(step.text),
            "decision_number": instrument.decision_number,
            "files_sha256": [f.sha256 for f in files],
        },
        agency_id=instrument.agency_id,
        subject=f"supervision_instrument:{instrument.pk}",
        files=tuple(_file(f) for f in files),
    )


def personal_proposed_event(*, proposal: PersonalProposal, bureau_id: int) -> LedgerEvent:
    return LedgerEvent(
        EventKind.SUPERVISION_PERSONAL_PROPOSED,
        {"proposal": proposal.pk, "matter": proposal.matter_id, "officer": proposal.officer_id,
         "measure": proposal.measure, "competent_body": proposal.competent_body,
         "proposed_on": proposal.proposed_on.isoformat(), "reasons_sha256": _digest(proposal.reasons)},
        agency_id=bureau_id,
        subject=f"supervision_proposal:{proposal.pk}",
    )


def personal_decided_event(*, proposal: PersonalProposal, bureau_id: int, certificate_status: str | None,
                           supervisor_ids: list[int]) -> LedgerEvent:
    return LedgerEvent(
        EventKind.SUPERVISION_PERSONAL_DECIDED,
        {"proposal": proposal.pk, "officer": proposal.officer_id, "adopted": proposal.decision_adopted,
         "supervisors": sorted(supervisor_ids),
         "decided_on": proposal.decided_on.isoformat() if proposal.decided_on else None,
         "decision_sha256": _digest(proposal.decision), "certificate": proposal.certificate_id,
         "certificate_status": certificate_status},
        agency_id=bureau_id,
        subject=f"supervision_proposal:{proposal.pk}",
    )


def referral_event(*, referral: Referral, bureau_id: int) -> LedgerEvent:
    return LedgerEvent(
        EventKind.SUPERVISION_REFERRAL,
        {"referral": referral.pk, "matter": referral.matter_id, "to": referral.to_body,
         "referred_on": referral.referred_on.isoformat(), "reference_number": referral.reference_number,
         "what_sha256": _digest(referral.what)},
        agency_id=bureau_id,
        subject=f"supervision_referral:{referral.pk}",
    )


def notice_event(*, notice: Notice, approved: bool) -> LedgerEvent:
    return LedgerEvent(
        EventKind.SUPERVISION_NOTICE_APPROVED if approved else EventKind.SUPERVISION_NOTICE_DRAFTED,
        {"notice": notice.pk, "scope": notice.scope, "title": notice.title,
         "agencies": sorted(a.pk for a in notice.agencies.all()), "matters": sorted(m.pk for m in notice.matters.all()),
         "body_sha256": _digest(notice.body), "indicators_sha256": _digest(notice.indicators),
         "approved_on": notice.approved_on.isoformat() if notice.approved_on else None},
        agency_id=notice.bureau_id,
        subject=f"supervision_notice:{notice.pk}",
    )

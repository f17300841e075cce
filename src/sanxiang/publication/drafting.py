"""The ledger entry of a publication draft made or brought up to date, written once for every kind
of decision whose draft the publication app keeps by itself (licences, compulsory decisions, 征收征用
and the other acts): `disclosure.drafted` for a draft waiting on the desk, `disclosure.not_published`
for one the rules keep back, with its due day, what was hidden and why it is not published."""

from __future__ import annotations

from typing import Any

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.dual_publicity import DecisionParty
from sanxiang.procedure.violations import Violation
from sanxiang.publication.models import DraftStatus, PublicationDraft
from sanxiang.publication.services import redaction_summary
from sanxiang.registry.models import PartyKind


def draft_entry_append(draft: PublicationDraft, *, action: str, refreshed: bool, actor: User | None,
                       refusals: list[Violation] | None = None, extra: dict[str, Any] | None = None) -> None:
    """Append the draft's entry: the step that made it (`action`), whether it only brought an
    earlier draft up to date (`refreshed`), its status and due day, the redactions and the
    refusals (code and basis); `extra` adds to the payload (a compulsory decision's stage)."""
    entry_append(
        event=LedgerEvent(
            EventKind.PUBLICATION_DRAFTED if draft.status == DraftStatus.DRAFT else EventKind.PUBLICATION_NOT_PUBLISHED,
            {
                "draft": draft.pk,
                "decision": draft.decision,
                "action": action,
                **(extra or {}),
                "status": draft.status,
                "refreshed": refreshed,
                "due_on": draft.due_on.isoformat(),
                "redactions": redaction_summary(draft.redactions),
                "refusals": [{"code": v.code, "legal_basis": v.legal_basis} for v in refusals or ()],
                "basis": draft.facts["due_basis"],
            },
            agency_id=draft.agency_id,
            case_id=draft.case_id,
            subject=f"publication_draft:{draft.pk}",
        ),
        actor=actor,
    )


__all__ = ["draft_entry_append"]


def decision_party_build(*, case: Case, unregistered: str) -> DecisionParty:
    """The case's party as a decision names it (`unregistered`: the name shown while the case has
    no party registered)."""
    party = case.party
    if party is None:
        return DecisionParty(kind="natural_person", name=unregistered)
    kind = {
        PartyKind.NATURAL_PERSON: "natural_person",
        PartyKind.INDIVIDUAL_BUSINESS: "individual_business",
    }.get(party.kind, "organization")
    return DecisionParty(kind=kind, name=party.name, credit_code=party.credit_code,
                         legal_representative=party.legal_representative, id_number=party.id_number,
                         address=party.address, phone=party.phone)

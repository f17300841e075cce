"""The `DocumentContext` of each document of a licence application (行政许可, `procedure.permit`):
the answers to the application, the notices while it is examined and the decisions. Pure, like
`paperwork` and `paperwork_coercion`: the service hands in the agency, party and officers
(`CaseInfoIn`), the application's snapshot as the step leaves it, and the document about to be issued.

Where each item comes from:
- the agency, the applicant and the remedies: the registry (`paperwork.agency_of`, `party_of`,
  `remedies_of`), as for every document;
- the matter applied for: the case's title (the registration form asks for the 许可事项);
- every period: the procedure's own computation (`permit.rules`: `decision_deadline`,
  `hearing_request_deadline`) with the case's calendar, so that the document prints the very days
  the deadlines list shows; the numbers of days are the parameters in force on the day;
- what the step decides (reasons, content, ground, facts): the snapshot's facts the step wrote;
- the grant a later decision cites: the case's 准予行政许可决定书 (`documents_issued`, its 文号) and
  the grant's day.
"""

from __future__ import annotations

from sanxiang.cases.paperwork import CaseInfoIn, Issue, agency_of, party_of, remedies_of
from sanxiang.documents import CaseInfo, DocumentContext, Officer, PermitDetails
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.permit import rules as r
from sanxiang.procedure.permit.rules import PermitSnapshot

GRANT_DOCUMENT = "permit_grant_decision"


def _reasons(snapshot: PermitSnapshot, kind: str) -> str:
    if kind == "permit_non_acceptance" and snapshot.acceptance_refusal is not None:
        return snapshot.acceptance_refusal.reasons
    if kind == "permit_extension_notice" and snapshot.extension is not None:
        return snapshot.extension.reasons
    if kind == "permit_refusal_decision" and snapshot.decision is not None:
        return snapshot.decision.reasons
    if kind == "permit_renewal_refusal_decision" and snapshot.renewal_refusal is not None:
        return snapshot.renewal_refusal.reasons
    return ""


def _value(name: str, snapshot: PermitSnapshot, context: GuardContext, on) -> int:
    try:
        return int(context.parameters.value(name, on=on, region=snapshot.region, sector=snapshot.sector))
    except ParameterMissing:
        return 0  # the document then lacks the period and is refused with the item


def permit_details(*, snapshot: PermitSnapshot, matter: str, kind: str, context: GuardContext) -> PermitDetails:
    """What the document `kind` of the application prints, from the snapshot as the step leaves it."""
    accepted = snapshot.accepted_on
    decision_days = extension_days = 0
    decision_due = extended_due = None
    if accepted is not None:
        decision_days = _value("permit.decision_working_days", snapshot, context, accepted)
        extension_days = _value("permit.decision_extension_working_days", snapshot, context, accepted)
        try:
            base = r.decision_deadline(snapshot, context, extended=False)
            decision_due = base.date if base is not None else None
            if snapshot.extension is not None:
                longer = r.decision_deadline(snapshot, context, extended=True)
                extended_due = longer.date if longer is not None else None
        except (ParameterMissing, OverflowError):
            pass
    hearing_days, hearing_working, hearing_due = 0, True, None
    told = snapshot.hearing_right_told_on
    if told is not None:
        hearing_days = _value("permit.hearing_request_days", snapshot, context, told)
        try:
            hearing_working = bool(context.parameters.value("permit.applicant_periods_in_working_days", on=told,
                                                            region=snapshot.region))
            due = r.hearing_request_deadline(snapshot, context)
            hearing_due = due.date if due is not None else None
        except (ParameterMissing, OverflowError):
            pass
    hearing_hold = hearing_notice = 0
    if told is not None:
        hearing_hold = _value("permit.hearing_hold_working_days", snapshot, context, told)
        hearing_notice = _value("permit.hearing_notice_working_days", snapshot, context, told)
    decision = snapshot.decision
    granted = decision is not None and decision.outcome == "grant"
    delivery_days = _value("permit.delivery_working_days", snapshot, context, decision.on) if granted else 0
    renewal = snapshot.renewal
    change = snapshot.change
    ending = snapshot.ending
    applied_on = None
    if kind == "permit_change_decision" and change is not None:
        applied_on = change.applied_on
    elif kind in ("permit_renewal_decision", "permit_renewal_refusal_decision") and renewal is not None:
        applied_on = renewal.applied_on
    content = ""
    if kind == "permit_change_decision" and change is not None:
        content = change.content
    elif granted:
        content = decision.content
    told = r.told_exclusions(snapshot)
    excluded = told[-1] if told else None
    return PermitDetails(
        matter=matter,
        received_on=snapshot.received_on,
        accepted_on=accepted,
        deemed_accepted=snapshot.deemed_accepted,
        decision_days=decision_days,
        decision_due=decision_due,
        missing_items=snapshot.missing_items,
        reasons=_reasons(snapshot, kind),
        extension_days=extension_days,
        extended_due=extended_due,
        hearing_request_days=hearing_days,
        hearing_request_working=hearing_working,
        hearing_request_due=hearing_due,
        hearing_hold_days=hearing_hold,
        hearing_notice_days=hearing_notice,
        delivery_days=delivery_days,
        applied_on=applied_on,
        excluded_what=r.EXCLUDED_KINDS.get(excluded.kind, "") if excluded is not None else "",
        excluded_start=excluded.start if excluded is not None else None,
        excluded_end=excluded.end if excluded is not None else None,
        content=content,
        licence_name=decision.licence_name if granted else "",
        expires_on=snapshot.expires_on,
        renewed_until=renewal.renewed_until if renewal is not None else None,
        ground=ending.reason if ending is not None else "",
        facts=ending.facts if ending is not None else "",
        decision_number=snapshot.issued_number(GRANT_DOCUMENT),
        decided_on=decision.on if granted else None,
    )


def permit_document_context(*, case: CaseInfoIn, snapshot: PermitSnapshot, texts: object, issue: Issue,
                            context: GuardContext) -> DocumentContext:
    """Everything the document `issue.kind` of an application may print, from the case as it
    stands after the step (`texts`: the permit procedure keeps none)."""
    officers = {o.id: o for o in case.officers}
    named = tuple(Officer(officers[i].name, officers[i].certificate_number) for i in case.assigned_ids if i in officers)
    return DocumentContext(
        agency=agency_of(case),
        case=CaseInfo(number=case.number, cause=case.title),
        party=party_of(case),
        officers=named,
        remedies=remedies_of(case),
        document_number=issue.number,
        issued_on=issue.on,
        permit=permit_details(snapshot=snapshot, matter=case.title, kind=issue.kind, context=context),
    )


__all__ = ["permit_details", "permit_document_context"]

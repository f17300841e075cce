"""The `DocumentContext` of the documents of a compulsory-execution case (催告书, 强制执行决定书,
代履行决定书, 强制执行申请书, and the 送达回证 of each service), built from the case's snapshot
(`procedure.enforcement.steps.EnforcementCase`) and its typed texts (`EnforcementTexts`). Pure:
the service hands in the agency, the party and the officers as plain values (`CaseInfoIn`).

What each document must say is checked by `sanxiang.documents`; this module only says where each
item comes from. The decision enforced is named from the penalty case it came from (its fine, its
number, the last day to pay) or from the texts its registration gave.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanxiang.cases.paperwork import (
    CaseInfoIn,
    Issue,
    agency_of,
    basis_parse,
    court_of,
    party_of,
    remedies_of,
)
from sanxiang.documents import (
    CaseInfo,
    CourtApplicationDetails,
    DemandDetails,
    DocumentContext,
    EnforcedDecision,
    EnforcementDetails,
    ExecutionDetails,
    Officer,
    ServedDocument,
    ServiceDetails,
    SubstituteDetails,
    amount_render_capital,
    date_render,
)
from sanxiang.documents.registry import ALL_DOCUMENT_KINDS
from sanxiang.procedure.enforcement.steps import EnforcementCase, outstanding_fen
from sanxiang.procedure.enforcement.texts import EnforcementTexts, ServiceTexts
from sanxiang.procedure.engine import GuardContext

# The title of the decision a penalty case issued, by the source the enforcement case records.
PENALTY_TITLES = {
    "penalty.ordinary": ALL_DOCUMENT_KINDS["decision_document"].title,
    "penalty.summary": ALL_DOCUMENT_KINDS["summary_decision"].title,
}


def enforced_decision(snapshot: EnforcementCase, texts: EnforcementTexts) -> tuple[EnforcedDecision, str]:
    """The decision enforced and how the party failed to perform it."""
    decision = snapshot.decision
    own = texts.decision
    if own is not None and own.title:
        title, duty, default = own.title, own.duty, own.default
    else:
        title = PENALTY_TITLES.get(decision.source, "行政决定书")
        duty = (
            f"于{date_render(on=decision.performance_due)}前缴纳罚款{amount_render_capital(fen=decision.principal_fen)}"
            if decision.obligation == "payment"
            else ""
        )
        if decision.paid_fen:
            default = (
                f"逾期仅缴纳{amount_render_capital(fen=decision.paid_fen)}，"
                f"尚有{amount_render_capital(fen=outstanding_fen(snapshot))}未缴纳"
            )
        else:
            default = "在决定书规定的期限内未缴纳罚款"
    return (
        EnforcedDecision(title=title, number=decision.number, decided_on=decision.decided_on, duty=duty,
                         received_on=decision.received_on),
        default,
    )


def _moment(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime(day.year, day.month, day.day, 9, 0) if day is not None else None


def _service(case: CaseInfoIn, snapshot: EnforcementCase, texts: EnforcementTexts, issue: Issue) -> ServiceDetails:
    """The 送达回证 of the document the step serves: the 催告书 issued with it, or the decision the
    case is waiting to serve (强制执行决定书 or 代履行决定书)."""
    served = issue.served
    method, served_on, service = "", None, ServiceTexts()
    if snapshot.state == "pending" and snapshot.demand is not None:
        method, served_on = snapshot.demand.service_method, snapshot.demand.served_on
        service = texts.demand.service if texts.demand is not None else service
    elif snapshot.state == "decided" and snapshot.execution_decision is not None:
        method, served_on = snapshot.execution_decision.service_method, snapshot.execution_decision.served_on
        service = texts.execution.service if texts.execution is not None else service
        served = served or (("强制执行决定书", snapshot.document_number("execution_decision")),)
    elif snapshot.state == "substitute_decided" and snapshot.substitute is not None:
        service = texts.substitute.decision_service if texts.substitute is not None else service
        method, served_on = service.method, snapshot.substitute.decision_served_on
        served = served or (("代履行决定书", snapshot.document_number("substitute_decision")),)
    return ServiceDetails(
        documents=tuple(ServedDocument(title, number) for title, number in served),
        recipient=case.party.name if case.party is not None else "",
        place=service.place,
        method=method,
        served_at=_moment(served_on),
        signed_by=service.signed_by,
        note=service.note,
    )


def enforcement_document_context(
    *,
    case: CaseInfoIn,
    snapshot: EnforcementCase,
    texts: EnforcementTexts | None,
    issue: Issue,
    context: GuardContext,
) -> DocumentContext:
    """Everything the document `issue.kind` may print, from the case as it stands after the step."""
    texts = texts if texts is not None else EnforcementTexts()
    officers = {o.id: o for o in case.officers}
    decision, default = enforced_decision(snapshot, texts)
    surcharge = snapshot.surcharge.claimed_fen if snapshot.surcharge is not None else 0
    demand = snapshot.demand
    demand_texts = texts.demand
    demand_details = None
    if demand is not None and demand_texts is not None:
        demand_details = DemandDetails(
            deadline=demand.deadline,
            method=demand_texts.method,
            amount_fen=outstanding_fen(snapshot) + surcharge if snapshot.decision.obligation == "payment" else 0,
            payment_method=demand_texts.payment_method,
            statement_days=demand_texts.statement_days,
            to_court=not snapshot.executes_itself,
            number=issue.number if issue.kind == "demand" else snapshot.document_number("demand"),
            served_on=demand.served_on,
        )
    execution = None
    if snapshot.execution_decision is not None and texts.execution is not None:
        reexamined = "；".join(s.reexamination for s in texts.statements if s.reexamination)
        execution = ExecutionDetails(
            reasons=texts.execution.reasons,
            bases=tuple(basis_parse(line) for line in texts.execution.bases),
            method=snapshot.execution_decision.method,
            method_detail=texts.execution.method_detail,
            starts_at=texts.execution.starts_at,
            immediate=snapshot.execution_decision.immediate,
            immediate_reason=texts.execution.immediate_reason,
            reexamination=reexamined,
        )
    substitute = None
    if snapshot.substitute is not None and texts.substitute is not None:
        own = texts.substitute
        substitute = SubstituteDetails(
            reasons=own.reasons,
            bases=tuple(basis_parse(line) for line in own.bases),
            method=own.method,
            starts_at=own.starts_at,
            target=own.target,
            cost_estimate_fen=own.cost_estimate_fen,
            performer=own.performer,
        )
    court = None
    if texts.court is not None:
        court = CourtApplicationDetails(
            court=texts.court.court or court_of(case.agency.parent_government),
            target=texts.court.target,
            party_opinion=texts.court.party_opinion,
            head=texts.court.head,
            attachments=texts.court.attachments,
        )
    values: dict[str, Any] = {
        "agency": agency_of(case),
        "case": CaseInfo(number=case.number, cause=case.title),
        "party": party_of(case),
        "officers": tuple(
            Officer(officers[i].name, officers[i].certificate_number) for i in case.assigned_ids if i in officers
        ),
        "facts": texts.decision.facts if texts.decision is not None else "",
        "remedies": remedies_of(case),
        "document_number": issue.number,
        "issued_on": issue.on,
        "enforcement": EnforcementDetails(
            obligation=snapshot.decision.obligation,
            decision=decision,
            default=default,
            principal_fen=outstanding_fen(snapshot),
            surcharge_fen=surcharge,
            demand=demand_details,
            execution=execution,
            substitute=substitute,
            court=court,
        ),
    }
    if issue.kind == "service_receipt":
        values["service"] = _service(case, snapshot, texts, issue)
    return DocumentContext(**values)


__all__ = ["enforced_decision", "enforcement_document_context"]

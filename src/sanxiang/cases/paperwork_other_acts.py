"""The `DocumentContext` of the decision of a generic act (行政给付、确认、奖励、裁决 …, procedure
`other_act`). Pure, like `paperwork`: the agency, the party and the remedies from the registry
(`paperwork.agency_of`, `party_of`, `remedies_of`) with the periods of the act's kind in force on
the day of the decision (`other_acts.rules.remedy_periods`: a 行政裁决 may have its own); what is
decided, its provisions and its amount from the act's snapshot."""

from __future__ import annotations

from dataclasses import replace

from sanxiang.cases.paperwork import CaseInfoIn, Issue, agency_of, basis_parse, party_of, remedies_of
from sanxiang.documents import CaseInfo, DocumentContext
from sanxiang.documents.context import ActDecisionDetails
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.other_acts.rules import OtherActSnapshot, remedy_periods
from sanxiang.procedure.parameters import ParameterMissing

# The title of each kind's decision.
TITLES = {
    "payment": "行政给付决定书",
    "confirmation": "行政确认决定书",
    "award": "行政奖励决定书",
    "adjudication": "行政裁决书",
    "other": "决定书",
}


def act_document_context(*, case: CaseInfoIn, snapshot: OtherActSnapshot, texts: object, issue: Issue,
                         context: GuardContext) -> DocumentContext:
    decision = snapshot.decision
    remedies = remedies_of(case)
    try:
        periods = remedy_periods(snapshot.kind, on=decision.on if decision is not None else issue.on,
                                 region=snapshot.region, sector=snapshot.sector, parameters=context.parameters)
        remedies = replace(remedies, reconsideration_days=periods.reconsideration_days,
                           litigation_months=periods.litigation_months)
    except ParameterMissing:
        pass  # the general periods (the registry's remedies), as before a county set its own
    return DocumentContext(
        agency=agency_of(case),
        case=CaseInfo(number=case.number, cause=case.title),
        party=party_of(case),
        remedies=remedies,
        document_number=issue.number,
        issued_on=decision.on if decision is not None else issue.on,
        act_decision=ActDecisionDetails(
            title=TITLES.get(snapshot.kind, TITLES["other"]),
            kind_label=snapshot.kind_label,
            bases=tuple(basis_parse(line) for line in snapshot.bases),
            content=decision.content if decision is not None else snapshot.content,
            amount_fen=snapshot.amount_fen,
        ),
    )


__all__ = ["TITLES", "act_document_context"]

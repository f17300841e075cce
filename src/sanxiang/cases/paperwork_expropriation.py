"""The `DocumentContext` of a 征收 or 征用 decision (procedure `expropriation`). Pure, like
`paperwork`: the agency, the party and the remedies from the registry; the public interest, the
scope, the provisions, the assessment and the compensation from the case's snapshot."""

from __future__ import annotations

from sanxiang.cases.paperwork import CaseInfoIn, Issue, agency_of, basis_parse, party_of, remedies_of
from sanxiang.documents import CaseInfo, DocumentContext
from sanxiang.documents.context import ActDecisionDetails
from sanxiang.documents.text import amount_render, date_render
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.expropriation.rules import COMPENSATION_METHODS, ExpropriationSnapshot


def _assessment(snapshot: ExpropriationSnapshot) -> str:
    a = snapshot.assessment
    if a is None:
        return ""
    number = f"（{a.report_number}）" if a.report_number.strip() else ""
    return f"{a.assessor}于{date_render(on=a.reported_on)}出具评估报告{number}，评估金额为{amount_render(fen=a.amount_fen)}"


def expropriation_document_context(*, case: CaseInfoIn, snapshot: ExpropriationSnapshot, texts: object,
                                   issue: Issue, context: GuardContext) -> DocumentContext:
    plan, decision = snapshot.plan, snapshot.decision
    return DocumentContext(
        agency=agency_of(case),
        case=CaseInfo(number=case.number, cause=case.title),
        party=party_of(case),
        remedies=remedies_of(case),
        document_number=issue.number,
        issued_on=decision.on if decision is not None else issue.on,
        act_decision=ActDecisionDetails(
            title=f"{snapshot.kind_label}决定书",
            kind_label=snapshot.kind_label,
            bases=tuple(basis_parse(line) for line in snapshot.bases),
            purpose=snapshot.purpose,
            scope=snapshot.scope,
            assessment=_assessment(snapshot),
            compensation_method=COMPENSATION_METHODS.get(plan.method, "") if plan is not None else "",
            compensation_fen=plan.amount_fen if plan is not None else 0,
            compensation_items=plan.items if plan is not None else (),
        ),
    )


__all__ = ["expropriation_document_context"]

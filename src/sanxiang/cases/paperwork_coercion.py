"""The `DocumentContext` of each document of a compulsory measure's case (查封、扣押、冻结): the
decision and its inventory, the on-site record, the extension notice, the release decision and the
freeze decision. Pure, like `paperwork`: the service hands in the agency, party and officers
(`CaseInfoIn`), the measure's snapshot, its typed texts (with the decision's number) and the document about
to be issued.

Where each item comes from:
- the agency, the party and the remedies: the registry (`paperwork.agency_of`, `party_of`,
  `remedies_of`), as for every document;
- the officers: those who carried the measure out (the on-spot record), with their certificates;
  how many the act needs is the registry rule read for the day (`officers_required`);
- the measure: its typed texts (`procedure.coercion.texts.MeasureTexts`) and its snapshot; its
  period is the procedure's (`coercion.deadlines.measure_period_end`), computed with the case's
  calendar, so that the document prints the very days the deadlines list shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sanxiang.cases.paperwork import CaseInfoIn, Issue, agency_of, basis_parse, party_of, remedies_of
from sanxiang.documents import (
    CaseInfo,
    DocumentContext,
    FrozenAccount,
    MeasureDetails,
    MeasureExtension,
    MeasureOnSite,
    MeasureRelease,
    Officer,
    Person,
    PreservedItem,
)
from sanxiang.procedure.coercion.deadlines import kind_prefix, measure_period_end, parameter
from sanxiang.procedure.coercion.snapshot import MeasureSnapshot
from sanxiang.procedure.coercion.texts import Item, MeasureTexts
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.registry_rules import officers_required


def _item(item: Item) -> PreservedItem:
    return PreservedItem(name=item.name, specification=item.specification, quantity=item.quantity, unit=item.unit,
                         note=item.note)


def _person(name: str) -> Person | None:
    return Person(name) if name.strip() else None


def _period(snapshot: MeasureSnapshot, context: GuardContext) -> tuple[int, dt.date | None, dt.date | None]:
    """The measure's days, last day without the extension and last day with it (when granted)."""
    taken = snapshot.taken_on
    if taken is None:
        return 0, None, None
    try:
        days = int(parameter(context, snapshot, f"{kind_prefix(snapshot)}.period_days", on=taken).value)
        end = measure_period_end(snapshot, context, with_extension=False)
        extended = None
        if snapshot.extension is not None:
            # The extension counts once granted; the notice announces the end it grants.
            extended = measure_period_end(replace(snapshot, state="extended"), context)
    except (ParameterMissing, OverflowError):
        return 0, None, None
    return days, end.date if end else None, extended.date if extended else None


def measure_details(*, snapshot: MeasureSnapshot, texts: MeasureTexts, context: GuardContext) -> MeasureDetails:
    content = texts.content
    days, end, extended_end = _period(snapshot, context)
    on_site = texts.on_site
    extension = texts.extension
    release = texts.release
    approval = snapshot.approval
    return MeasureDetails(
        kind=snapshot.kind,
        reason=content.reason if content else "",
        bases=tuple(basis_parse(line) for line in (content.bases if content else ())),
        start=snapshot.taken_on,
        end=end,
        days=days,
        approved_on=approval.decided_at.date() if approval is not None and approval.approved else None,
        place=content.place if content else "",
        items=tuple(_item(i) for i in content.items) if content else (),
        storage_place=content.storage_place if content else "",
        storage_method=content.storage_method if content else "",
        accounts=tuple(FrozenAccount(a.bank, a.account_name, a.account_number, a.amount_fen) for a in content.accounts)
        if content else (),
        decision_number=texts.decision_number,
        decided_on=snapshot.taken_on,
        on_site=MeasureOnSite(
            started_at=on_site.started_at,
            ended_at=on_site.ended_at,
            place=on_site.place,
            recorder=on_site.recorder,
            findings=on_site.findings,
            told=on_site.told,
            statement=on_site.statement,
            party_present=on_site.party_present,
            present_person=_person(on_site.present_person),
            witness=_person(on_site.witness),
            refusal_note=on_site.refusal_note,
            recording=on_site.recording,
        ) if on_site is not None else None,
        extension=MeasureExtension(days=extension.days, reason=extension.reason, approved_on=extension.approved_on,
                                   new_end=extended_end) if extension is not None else None,
        release=MeasureRelease(ground=release.ground, detail=release.detail,
                               items=tuple(_item(i) for i in release.items), collection=release.collection)
        if release is not None else None,
    )


def measure_document_context(*, case: CaseInfoIn, snapshot: MeasureSnapshot, texts: MeasureTexts | None, issue: Issue,
                             context: GuardContext) -> DocumentContext:
    """Everything the document `issue.kind` of a measure may print, from the case as it stands
    after the step."""
    texts = texts if texts is not None else MeasureTexts()
    officers = {o.id: o for o in case.officers}
    acting = snapshot.on_spot.officer_ids if snapshot.on_spot is not None else case.assigned_ids
    named = tuple(Officer(officers[i].name, officers[i].certificate_number) for i in acting if i in officers)
    # The documents of the act itself (its record, its decision, its inventory) bear the day it
    # was carried out; the later ones the day they are issued.
    of_the_act = issue.kind in ("on_site_record", "measure_decision", "inventory", "freeze_decision")
    issued_on = snapshot.taken_on if of_the_act and snapshot.taken_on is not None else issue.on
    try:
        required, _ = officers_required(on=issued_on, region=snapshot.region, sector=snapshot.sector,
                                        parameters=context.parameters)
    except (ParameterMissing, OverflowError):
        # No rule in force on that day (a date before it took effect): the engine's guard on the
        # officers reports it as a refusal; the document is not issued.
        required = 0
    return DocumentContext(
        agency=agency_of(case),
        case=CaseInfo(number=case.number, cause=case.title),
        party=party_of(case),
        officers=named,
        officers_required=required,
        remedies=remedies_of(case),
        document_number=issue.number,
        issued_on=issued_on,
        measure=measure_details(snapshot=snapshot, texts=texts, context=context),
    )


__all__ = ["measure_details", "measure_document_context"]

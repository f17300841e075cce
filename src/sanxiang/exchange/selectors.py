"""The exchange documents, built from the records: a case document, a decision document (the 双公示
row of a published decision) and a year document (the annual statistics tables, per agency).

What a document may carry of a natural person (the 双公示 rules, legal_rules §4.2 and §5):
- 证件号码 only masked (the first 6 and last 4 characters, `procedure.identifiers.id_number_mask`);
  no address, no phone number, no birth date;
- the name of a natural person who is a party as the publication of the case's decision shows it,
  since that text passed the publication rules (a minor's decision is never published); a case
  whose decision is not (or not yet) public shows the surname only (张某某,
  `procedure.publication.name_masked`);
- the decision document is the public row itself (`publication.dual_publicity`), which holds no
  证件号码 at all.

Every document is a plain dict of JSON values (no floats: amounts in 分 as integers and in 万元 as
decimal text), in a fixed order of lists, so that the same records give the same bytes.

Queries: `case_documents_build` reads a batch of cases in a fixed number of queries (the cases with
their agency, matter, party and parent; their step entries; their documents; their counted acts;
their publication drafts), whatever the batch's size.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from sanxiang.cases.facts import facts_field_load
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.exchange.formats import CASE_FORMAT, DECISION_FORMAT, FORMAT_VERSION, YEAR_FORMAT
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.selectors import entries_of_cases
from sanxiang.procedure.annual import ANNUAL_CATEGORIES, COERCION_ROWS
from sanxiang.procedure.annual_counting import PENALTY_COLUMNS, PenaltyTable, penalty_tables_sum
from sanxiang.procedure.catalog import ACT_KINDS, procedure_spec
from sanxiang.procedure.dual_publicity import (
    PARTY_INDIVIDUAL_BUSINESS,
    PARTY_NATURAL_PERSON,
    PARTY_ORGANIZATION,
    wan_yuan_from_fen,
)
from sanxiang.procedure.penalty.snapshot import DECISION_OUTCOMES, PENALTY_KINDS, REVIEW_OPINIONS
from sanxiang.procedure.publication import name_masked, names_masked_in
from sanxiang.publication.annual import (
    EXECUTION_POWER_DECLARED,
    PENALTY_PROCEDURES,
    annual_report_generate,
    annual_reports_published_agencies,
)
from sanxiang.publication.dual_publicity import LAYOUT_DECISION_KINDS, dual_publicity_row
from sanxiang.publication.models import (
    ACT_DECISION_KINDS,
    COMPULSORY_DECISION_KINDS,
    AnnualAct,
    Publication,
    PublicationDraft,
    PublicationStatus,
)
from sanxiang.publication.permit import permit_rows_published
from sanxiang.registry.models import Agency, PartyKind

# Registry party kinds → 行政相对人类别 (CF_XDR_LB / XK_XDR_LB).
PARTY_CATEGORIES = {
    PartyKind.NATURAL_PERSON: PARTY_NATURAL_PERSON,
    PartyKind.LEGAL_PERSON: PARTY_ORGANIZATION,
    PartyKind.OTHER_ORGANIZATION: PARTY_ORGANIZATION,
    PartyKind.INDIVIDUAL_BUSINESS: PARTY_INDIVIDUAL_BUSINESS,
}
DECISION_KIND_LABELS = {
    "": "行政处罚决定", "penalty": "行政处罚决定", "permit": "行政许可决定", **COMPULSORY_DECISION_KINDS, **ACT_DECISION_KINDS,
}
COUNTED_LABELS = {"penalty": ANNUAL_CATEGORIES["penalty"], "inspection": ANNUAL_CATEGORIES["inspection"], **COERCION_ROWS}
# The publication statuses under which a decision's text is public (or was, until its period ended).
SHOWN = (PublicationStatus.PUBLISHED, PublicationStatus.EXPIRED)
BATCH = 500


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _wan(fen: int) -> str:
    return wan_yuan_from_fen(fen) if fen else ""


# --- cases ------------------------------------------------------------------------------------------


def exchange_cases_of_year(*, year: int) -> QuerySet[Case]:
    """The cases a year's export carries, by case number: registered before the year ended and
    last changed on or after its first day, so that a case is in every year's export from its
    registration to its last change (registered in 2025 and decided in 2026: in both). A document
    shows the case as it is when exported, not as it was at the end of that year."""
    start, end = _year_bounds(year)
    return Case.objects.filter(created_at__lt=end, updated_at__gte=start).order_by("number")


def _party(case: Case, shown_names: list[str]) -> dict[str, Any] | None:
    party = case.party
    if party is None:
        return None
    category = PARTY_CATEGORIES.get(party.kind, PARTY_NATURAL_PERSON)
    person = party.kind == PartyKind.NATURAL_PERSON
    if person:
        name = shown_names[0] if shown_names else name_masked(party.name)
    else:
        name = party.name
    return {
        "category": category,
        "name": name,
        "credit_code": "" if person else party.credit_code,
        "legal_representative": "" if person else party.legal_representative,
        "id_type": party.get_id_type_display() if party.id_number and party.id_type else "",
        "id_number_masked": party.id_number_masked,
    }


def _steps(spec, rows: list[tuple[int, int, bytes]]) -> list[dict[str, Any]]:
    engine = spec.engine
    steps = []
    for ledger_id, seq, body in rows:
        payload = json.loads(bytes(body))["payload"]
        state_from, state_to = payload.get("state_from", ""), payload.get("state_to", "")
        steps.append({
            "ledger": ledger_id,
            "seq": seq,
            "action": payload.get("action", ""),
            "label": payload.get("label") or payload.get("action", ""),
            "on": payload.get("on") or None,
            "state_from": state_from,
            "state_from_label": engine.state_label(state_from) if state_from else "",
            "state_to": state_to,
            "state_to_label": engine.state_label(state_to) if state_to else "",
        })
    return steps


def _penalty_parts(case: Case, spec) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The decision and the legal review of a penalty case, from its typed facts."""
    if case.procedure not in PENALTY_PROCEDURES:
        return None, None
    load = spec.snapshot_type
    decision = facts_field_load(load, "decision", case.facts)
    decided_on = facts_field_load(load, "decided_on", case.facts)
    opinions = facts_field_load(load, "review_opinions", case.facts)
    discussions = facts_field_load(load, "collective_discussions", case.facts)
    review = {
        "opinions": [
            {"round": o.round, "opinion": o.opinion, "opinion_label": REVIEW_OPINIONS.get(o.opinion, o.opinion),
             "given_on": o.given_on.isoformat()}
            for o in opinions
        ],
        "collective_discussions": [{"held_on": d.held_on.isoformat(), "leader_count": d.leader_count}
                                   for d in discussions],
    }
    if decision is None or decided_on is None:
        return None, review
    terms = decision.penalty if decision.outcome == "penalty" else None
    kinds = sorted(terms.kinds, key=list(PENALTY_KINDS).index) if terms is not None else []
    fine = terms.fine_fen if terms is not None else 0
    confiscation = terms.confiscation_fen if terms is not None else 0
    return {
        "outcome": decision.outcome,
        "outcome_label": DECISION_OUTCOMES.get(decision.outcome, decision.outcome),
        "number": decision.number,
        "decided_on": decided_on.isoformat(),
        "penalty_kinds": [PENALTY_KINDS[k] for k in kinds],
        "fine_fen": fine,
        "fine_wan_yuan": _wan(fine),
        "confiscation_fen": confiscation,
        "confiscation_wan_yuan": _wan(confiscation),
    }, review


def _publication(draft: PublicationDraft) -> dict[str, Any]:
    published = draft.publication
    status, label = draft.status, draft.get_status_display()
    if published is not None:
        status, label = published.status, published.get_status_display()
    return {
        "decision_kind": draft.decision or "penalty",
        "decision_kind_label": DECISION_KIND_LABELS.get(draft.decision, draft.decision),
        "status": status,
        "status_label": label,
        "decided_on": draft.decided_on.isoformat(),
        "due_on": draft.due_on.isoformat(),
        "number": published.number if published is not None else "",
        "published_on": _iso(published.published_on) if published is not None else None,
        "display_until": _iso(published.display_until) if published is not None else None,
        "withdrawn_on": _iso(published.withdrawn_on) if published is not None else None,
    }


def case_documents_build(cases: Sequence[Case]) -> list[dict[str, Any]]:
    """The case documents of `cases`, in their order: a fixed number of queries for the batch."""
    ids = [case.pk for case in cases]
    loaded = {
        case.pk: case
        for case in Case.objects.filter(pk__in=ids).select_related("agency", "matter", "party", "parent")
    }
    steps: dict[int, list] = defaultdict(list)
    for case_id, ledger_id, seq, body in (
        entries_of_cases(case_ids=ids).filter(kind=EventKind.STEP_DONE)
        .order_by("case_id", "ledger_id", "seq").values_list("case_id", "ledger_id", "seq", "body").iterator()
    ):
        steps[case_id].append((ledger_id, seq, body))
    documents: dict[int, list] = defaultdict(list)
    for case_id, title, number, issued_on in (
        IssuedDocument.objects.filter(case_id__in=ids).order_by("case_id", "issued_on", "id")
        .values_list("case_id", "title", "number", "issued_on")
    ):
        documents[case_id].append({"title": title, "number": number, "issued_on": issued_on.isoformat()})
    counted: dict[int, list] = defaultdict(list)
    for case_id, kind, on, column, fen in (
        AnnualAct.objects.filter(case_id__in=ids).exclude(kind=EXECUTION_POWER_DECLARED)
        .order_by("case_id", "on", "kind", "penalty_column", "amount_fen")
        .values_list("case_id", "kind", "on", "penalty_column", "amount_fen")
    ):
        counted[case_id].append({
            "kind": kind, "kind_label": COUNTED_LABELS.get(kind, kind), "on": _iso(on),
            "penalty_column": column, "penalty_column_label": PENALTY_COLUMNS.get(column, ""), "amount_fen": fen,
        })
    publications: dict[int, list] = defaultdict(list)
    shown_names: dict[int, list[str]] = defaultdict(list)
    for draft in (
        PublicationDraft.objects.filter(case_id__in=ids).select_related("publication").order_by("case_id", "decision")
    ):
        publications[draft.case_id].append(_publication(draft))
        if draft.publication is not None and draft.publication.status in SHOWN:
            shown_names[draft.case_id].append(draft.publication.party_name)

    built = []
    for case_id in ids:
        case = loaded[case_id]
        spec = procedure_spec(case.procedure)
        party = _party(case, shown_names[case_id])
        title = case.title
        if party is not None and case.party.kind == PartyKind.NATURAL_PERSON and party["name"] != case.party.name:
            # The title names the party as often as not ("刘建国涉嫌…案"): as masked as the party's name.
            title = names_masked_in(title, [case.party.name])
        decision, review = _penalty_parts(case, spec)
        built.append({
            "format": CASE_FORMAT,
            "format_version": FORMAT_VERSION,
            "case": {
                "number": case.number,
                "title": title,
                "procedure": case.procedure,
                "procedure_label": spec.label,
                "act_kind": spec.act_kind,
                "act_kind_label": ACT_KINDS.get(spec.act_kind, spec.act_kind),
                "state": case.state,
                "state_label": spec.engine.state_label(case.state),
                "enforcement_field": case.enforcement_field,
                "act_date": _iso(case.act_date),
                "registered_on": _local_day(case.created_at).isoformat(),
                "parent_number": case.parent.number if case.parent is not None else None,
            },
            "agency": {"name": case.agency.name, "credit_code": case.agency.credit_code},
            "matter": (
                {"code": case.matter.code, "name": case.matter.name, "kind": case.matter.kind,
                 "kind_label": case.matter.get_kind_display()}
                if case.matter is not None else None
            ),
            "party": party,
            "steps": _steps(spec, steps[case_id]),
            "documents": documents[case_id],
            "decision": decision,
            "review": review,
            "counted": counted[case_id],
            "publications": publications[case_id],
        })
    return built


def case_document_build(*, case: Case) -> dict[str, Any]:
    return case_documents_build([case])[0]


def exchange_case_documents(*, year: int) -> Iterator[dict[str, Any]]:
    """The case documents of `year`'s export (`exchange_cases_of_year`), built a batch at a time."""
    ids = list(exchange_cases_of_year(year=year).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(Case.objects.filter(pk__in=ids[start:start + BATCH]).order_by("number"))
        yield from case_documents_build(batch)


# --- decisions ----------------------------------------------------------------------------------------


def exchange_publications_of_year(*, year: int) -> QuerySet[Publication]:
    """The published decisions a year's export carries: 行政处罚 and 行政许可 (the two layouts of the
    双公示 standard) decided in the year, whatever their status now (a withdrawal is news for the
    supervisors), by decision day and number."""
    kinds = list(LAYOUT_DECISION_KINDS.values())
    return Publication.objects.filter(
        decision_kind__in=kinds, decided_on__gte=dt.date(year, 1, 1), decided_on__lte=dt.date(year, 12, 31)
    ).order_by("decided_on", "number", "id")


def decision_documents_build(publications: Sequence[Publication]) -> list[dict[str, Any]]:
    """The decision documents of `publications`: three queries for the batch."""
    layouts = {kind: layout for layout, kind in LAYOUT_DECISION_KINDS.items()}
    case_numbers = dict(
        PublicationDraft.objects.filter(publication__in=[p.pk for p in publications])
        .values_list("publication_id", "case__number")
    )
    # A licence decision's XK row as its rules computed it (with validity and licence number).
    stored = permit_rows_published(Publication.objects.filter(pk__in=[p.pk for p in publications]))
    built = []
    for publication in publications:
        layout = layouts[publication.decision_kind]
        built.append({
            "format": DECISION_FORMAT,
            "format_version": FORMAT_VERSION,
            "layout": layout,
            "case_number": case_numbers.get(publication.pk, ""),
            "status": publication.status,
            "status_label": publication.get_status_display(),
            "published_on": publication.published_on.isoformat(),
            "withdrawn_on": _iso(publication.withdrawn_on),
            "withdrawal_statement": publication.withdrawal_statement,
            "fields": dual_publicity_row(publication, layout=layout, stored=stored.get(publication.pk)),
        })
    return built


def exchange_decision_documents(*, year: int) -> Iterator[dict[str, Any]]:
    publications = list(exchange_publications_of_year(year=year))
    for start in range(0, len(publications), BATCH):
        yield from decision_documents_build(publications[start:start + BATCH])


# --- the year -----------------------------------------------------------------------------------------


def _penalty_table(table: PenaltyTable) -> dict[str, Any]:
    return {
        "columns": dict(table.columns),
        "total": table.total,
        "amount_fen": table.amount_fen,
        "amount_wan_yuan": f"{table.amount_wan:f}",
    }


def exchange_year_agencies() -> QuerySet[Agency]:
    """The agencies whose figures the year document carries: every enforcement agency of the
    installation (the judicial bureau supervises; it is not counted), by name."""
    return Agency.objects.filter(is_judicial_bureau=False).order_by("name", "pk")


def year_document_build(*, year: int) -> dict[str, Any]:
    """The year's figures of every agency, as the annual statistics tables count them
    (`publication.annual.annual_report_generate`: counted from the records, not typed in), whether
    the agency has published them, and the county's 行政处罚 row (the sum of the agencies')."""
    published = annual_reports_published_agencies(year=year)
    lines, tables = [], []
    for agency in exchange_year_agencies():
        report = annual_report_generate(agency=agency, year=year)
        table = report["penalty_table"]
        if table is not None:
            tables.append(table)
        lines.append({
            "name": agency.name,
            "credit_code": agency.credit_code,
            "report_published": agency.pk in published,
            "categories": dict(report["counts"]),
            "coercion_rows": dict(report["coercion_rows"]),
            "penalty_table": _penalty_table(table) if table is not None else None,
            "notes": list(report["notes"]),
        })
    return {
        "format": YEAR_FORMAT,
        "format_version": FORMAT_VERSION,
        "year": year,
        "agencies": lines,
        "county_penalty_table": _penalty_table(penalty_tables_sum(tables)),
    }

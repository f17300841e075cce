"""The `DocumentContext` of each document a step issues, built from the case's snapshot and
details. Pure: the service hands in the agency, party and officers as plain values.

What the law requires a document to say is checked by `sanxiang.documents` (it refuses with
every missing item); this module only says where each item comes from. Values the agency does
not record elsewhere are derived, each with the reason: the seal is the agency's own, the
reconsideration authority is the agency's people's government (a county government reviews its
departments), and the court is that county's people's court.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sanxiang.documents import (
    Agency,
    Approval,
    CaseInfo,
    ChecklistLine,
    ClosingDetails,
    DecisionDetails,
    DiscussionDetails,
    DocumentContext,
    Evidence,
    Exchange,
    HearingDetails,
    InquiryDetails,
    InspectionDetails,
    InvestigationDetails,
    LegalBasis,
    NoticeDetails,
    Officer,
    OnSpotDetails,
    Opinion,
    Party,
    Penalty,
    PenaltyItem,
    Performance,
    Person,
    PreservationDetails,
    PreservedItem,
    Remedies,
    ReviewDetails,
    ServedDocument,
    ServiceDetails,
)
from sanxiang.documents.registry import DOCUMENT_KINDS
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty import PenaltyCaseSnapshot, PenaltyTerms
from sanxiang.procedure.penalty.guards import min_officers
from sanxiang.procedure.penalty.rules import parameter
from sanxiang.procedure.penalty.snapshot import (
    NO_PENALTY_REASONS,
    ON_SPOT_COLLECTION_GROUNDS,
    REVIEW_PACKAGE_ITEMS,
)
from sanxiang.procedure.penalty.steps import terms_load

# Where and how a fine is paid (separation of fines and collection), as the decision prints it.
PAYMENT_METHOD = "到指定的银行或者通过电子支付系统缴纳罚款"


@dataclass(frozen=True)
class AgencyInfo:
    name: str
    credit_code: str
    address: str
    phone: str
    parent_government: str


@dataclass(frozen=True)
class PartyInfo:
    kind: str  # natural_person | organization (as the documents print it)
    name: str
    id_code: str
    address: str
    legal_representative: str
    phone: str


@dataclass(frozen=True)
class OfficerInfo:
    id: int
    name: str
    certificate_number: str  # a certificate valid on the day, or the latest one


@dataclass(frozen=True)
class CaseInfoIn:
    number: str
    title: str
    agency: AgencyInfo
    party: PartyInfo | None
    officers: tuple[OfficerInfo, ...]  # every officer of the agency the case may name
    assigned_ids: tuple[int, ...]  # the case's own officers


@dataclass(frozen=True)
class Issue:
    """The document about to be issued, and what else the context needs to know."""

    kind: str
    number: str  # 文号 of a numbered document, "" otherwise
    on: dt.date
    served: tuple[tuple[str, str], ...] = ()  # (title, number) of what a 送达回证 covers


def agency_of(case: CaseInfoIn) -> Agency:
    """The issuing agency as every document prints it, with its own seal."""
    agency = case.agency
    return Agency(name=agency.name, credit_code=agency.credit_code, address=agency.address, phone=agency.phone,
                  seal_text=agency.name)


def party_of(case: CaseInfoIn) -> Party | None:
    party = case.party
    if party is None:
        return None
    return Party(kind=party.kind, name=party.name, id_code=party.id_code, address=party.address,
                 legal_representative=party.legal_representative, phone=party.phone)


def remedies_of(case: CaseInfoIn) -> Remedies:
    """复议 to the agency's people's government, 诉讼 in that county's court."""
    government = case.agency.parent_government
    return Remedies(reconsideration_authority=government, court=court_of(government))


def court_of(government: str) -> str:
    return government.replace("人民政府", "人民法院") if "人民政府" in government else f"{government}人民法院"


def basis_parse(line: str) -> LegalBasis:
    """A legal basis as written (citations.LEGAL_BASIS_EXAMPLE) → law and article."""
    line = line.strip()
    if "》" in line:
        law, _, article = line.partition("》")
        return LegalBasis(law + "》", article.strip())
    return LegalBasis(line, "")


def exchange_parse(line: str) -> Exchange:
    for separator in ("：", ":"):
        speaker, found, text = line.partition(separator)
        if found and speaker.strip() and len(speaker) <= 12:
            return Exchange(speaker.strip(), text.strip())
    return Exchange("", line.strip())


def evidence_parse(line: str) -> Evidence:
    for separator in ("：", ":", "|"):
        name, found, proves = line.partition(separator)
        if found:
            return Evidence(name.strip(), proves.strip())
    return Evidence(line.strip())


def penalty_of(terms: PenaltyTerms | None, detail: str) -> Penalty | None:
    if terms is None:
        return None
    items = []
    order = ["warning", "public_criticism", "confiscate_property", "confiscate_gains", "fine"]
    for kind in sorted(terms.kinds, key=lambda k: (order.index(k) if k in order else len(order), k)):
        if kind == "fine":
            items.append(PenaltyItem(kind, amount_fen=terms.fine_fen))
        elif kind == "confiscate_gains":
            items.append(PenaltyItem(kind, amount_fen=terms.confiscation_fen))
        elif kind in ("warning", "public_criticism"):
            items.append(PenaltyItem(kind))
        else:
            items.append(PenaltyItem(kind, detail=detail))
    return Penalty(items=tuple(items))


def penalty_detail(details: dict[str, Any], *, summary: bool) -> str:
    """The 具体内容 a decision prints next to the kinds that need one (what is confiscated, which
    licence, how long): the on-the-spot decision's, or the decision's, failing that the findings'."""
    if summary:
        return details.get("on_spot", {}).get("detail", "")
    return details.get("decision", {}).get("detail") or details.get("findings", {}).get("detail", "")


def decided_penalty(*, terms: PenaltyTerms | None, details: dict[str, Any], summary: bool) -> Penalty | None:
    """The penalty as the 决定书 imposes it, item by item: the decided terms, each with the amount
    or the 具体内容 the 决定书 prints for it. Whatever else is said about the decision (the public
    处罚内容) is derived from this, so that it can never state a penalty the 决定书 does not impose."""
    return penalty_of(terms, penalty_detail(details, summary=summary))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(day: str | None, time: str) -> dt.datetime | None:
    if not day:
        return None
    hours, minutes = 9, 0
    if time and ":" in time.replace("：", ":"):
        h, _, m = time.replace("：", ":").partition(":")
        if h.strip().isdigit() and m.strip()[:2].isdigit():
            hours, minutes = min(int(h), 23), min(int(m.strip()[:2]), 59)
    base = dt.date.fromisoformat(day)
    return dt.datetime(base.year, base.month, base.day, hours, minutes)


def document_context(
    *, case: CaseInfoIn, snapshot: PenaltyCaseSnapshot, details: dict[str, Any], issue: Issue, context: GuardContext
) -> DocumentContext:
    """Everything the document `issue.kind` may print, from the case as it stands after the step."""
    party = case.party
    officers = {o.id: o for o in case.officers}
    findings = details.get("findings", {})
    decision_details = details.get("decision", {})

    def named(ids) -> tuple[Officer, ...]:
        return tuple(Officer(officers[i].name, officers[i].certificate_number) for i in ids if i in officers)

    # The penalty a document states: the decision's, or failing that the one proposed.
    decision = snapshot.decision
    terms = decision.penalty if decision is not None and decision.penalty is not None else None
    summary = issue.kind == "summary_decision"
    detail = penalty_detail(details, summary=summary)
    bases = decision_details.get("bases") or findings.get("bases") or []
    if issue.kind in ("advance_notice", "investigation_report") or terms is None:
        terms = terms_load(findings.get("proposed")) if not summary else terms
    on_spot = details.get("on_spot", {})
    if summary:
        bases = on_spot.get("bases", [])
    penalty = penalty_of(terms, detail)
    opening = details.get("opening", {})
    head = details.get("opening_head", {})
    values: dict[str, Any] = {
        "agency": agency_of(case),
        "case": CaseInfo(
            number=case.number,
            cause=case.title,
            source=_source_label(opening.get("source", "")),
            discovered_on=snapshot.discovered_on,
            opened_on=snapshot.opened_on,
        ),
        "party": party_of(case),
        "officers": named(case.assigned_ids),
        "facts": findings.get("facts") or opening.get("summary", ""),
        "evidence": tuple(evidence_parse(line) for line in findings.get("evidence", [])),
        "violated": tuple(basis_parse(line) for line in findings.get("violated") or opening.get("violated", [])),
        "penalty_bases": tuple(basis_parse(line) for line in bases),
        "penalty": penalty,
        "performance": Performance(method=PAYMENT_METHOD),
        "remedies": remedies_of(case),
        "document_number": issue.number,
        "issued_on": issue.on,
    }
    kind = issue.kind
    if kind == "opening_approval":
        values["facts"] = opening.get("summary", "")
        values["approval"] = Approval(
            handler=Opinion(opening.get("handler_opinion", ""), "、".join(o.name for o in values["officers"]), issue.on),
            head=Opinion(head["text"], head["signer"], _date(head.get("on"))) if head else None,
        )
    elif kind == "inquiry_record":
        entry = details["inquiries"][-1]
        values["officers"] = named(entry["officer_ids"])
        values["inquiry"] = InquiryDetails(
            started_at=_moment(entry["on"], entry.get("start", "")),
            ended_at=_moment(entry["on"], entry.get("end", "") or entry.get("start", "")),
            place=entry["place"],
            interviewee=Person(entry["interviewee"], relation=entry.get("relation", "")),
            recorder=entry["recorder"],
            exchanges=tuple(exchange_parse(line) for line in entry.get("exchanges", [])),
        )
        values["issued_on"] = _date(entry["on"])
    elif kind == "inspection_record":
        entry = details["inspections"][-1]
        values["officers"] = named(entry["officer_ids"])
        present = entry.get("present_person", "")
        values["inspection"] = InspectionDetails(
            started_at=_moment(entry["on"], entry.get("start", "")),
            ended_at=_moment(entry["on"], entry.get("end", "") or entry.get("start", "")),
            place=entry["place"],
            recorder=entry["recorder"],
            findings=entry["findings"],
            present_person=Person(present) if present else None,
        )
        values["issued_on"] = _date(entry["on"])
    elif kind == "preservation_notice":
        entry = details["preservations"][-1]
        on = _date(entry["on"])
        days = parameter(context, snapshot, "penalty.preservation.decision_working_days", on=on)
        values["preservation"] = PreservationDetails(
            approved_on=_date(entry.get("approved_on")),
            items=tuple(PreservedItem(line) for line in entry["items"]),
            storage_place=entry["storage_place"],
            handling_deadline=context.calendar.working_days_after(on, days.value).date,
        )
    elif kind == "investigation_report":
        values["investigation"] = InvestigationDetails(
            process=findings.get("process", ""), opinion=findings.get("opinion", "")
        )
    elif kind == "advance_notice":
        notice = details.get("notice", {})
        statement = parameter(context, snapshot, "penalty.statement.window_working_days", on=issue.on)
        request = parameter(context, snapshot, "penalty.hearing.request_working_days", on=issue.on)
        values["notice"] = NoticeDetails(
            statement_days=statement.value,
            hearing_right=bool(notice.get("hearing_right")),
            hearing_request_days=request.value,
            contact_person=notice.get("contact_person", ""),
        )
    elif kind in ("hearing_notice", "hearing_transcript"):
        hearing = details.get("hearing", {})
        requested = snapshot.hearing.requested_on if snapshot.hearing is not None else None
        presiding = snapshot.hearing.presiding_officer_id if snapshot.hearing is not None else None
        held_at = _moment(hearing.get("scheduled_for"), hearing.get("time", ""))
        values["hearing"] = HearingDetails(
            held_at=held_at,
            place=hearing.get("place", ""),
            presiding=officers[presiding].name if presiding in officers else "",
            clerk=hearing.get("clerk", ""),
            public=hearing.get("public", True),
            requested_on=requested,
            ended_at=_moment(hearing.get("scheduled_for"), hearing.get("end_time", "") or hearing.get("time", ""))
            if kind == "hearing_transcript"
            else None,
            party_attendees=tuple(hearing.get("attendees", [])),
            exchanges=tuple(exchange_parse(line) for line in hearing.get("exchanges", [])),
        )
        if kind == "hearing_transcript":
            values["issued_on"] = held_at.date() if held_at else issue.on
    elif kind == "decision_document":
        values["decision"] = DecisionDetails(reasoning=decision_details.get("reasoning", ""))
    elif kind == "service_receipt":
        source = details.get("notice", {}) if _serves_notice(issue) else details.get("service", {})
        values["service"] = ServiceDetails(
            documents=tuple(ServedDocument(title, number) for title, number in issue.served),
            recipient=party.name if party else "",
            place=source.get("place", ""),
            method=source.get("method", ""),
            served_at=_moment(source.get("served_on"), ""),
            signed_by=source.get("signed_by", ""),
            note=source.get("note", ""),
        )
    elif kind == "summary_decision":
        spot = snapshot.on_spot
        values["facts"] = on_spot.get("facts", "")
        values["officers"] = named(spot.officer_ids if spot is not None else ())
        occurred = dt.datetime.fromisoformat(on_spot["occurred_at"]) if on_spot.get("occurred_at") else None
        collected = spot is not None and spot.collected_fen > 0
        values["on_spot"] = OnSpotDetails(
            occurred_at=occurred,
            place=on_spot.get("place", ""),
            collected_on_spot=collected,
            collection_ground=ON_SPOT_COLLECTION_GROUNDS.get(spot.collection_ground or "", "") if spot else "",
            receipt_number=on_spot.get("receipt_number", ""),
        )
    elif kind == "review_opinion":
        values["review"] = review_details(snapshot=snapshot, details=details, context=context, party_name=party.name if party else "")
        values["issued_on"] = values["review"].reviewed_on or issue.on
    elif kind == "collective_discussion":
        values["discussion"] = discussion_details(snapshot=snapshot, details=details)
        values["issued_on"] = values["discussion"].held_on or issue.on
    elif kind == "closing_approval":
        closing = details.get("closing", {})
        numbers = details.get("decision_number", "")
        outcome = decision.outcome if decision is not None else ""
        if not numbers:
            numbers = {
                "transfer": "（移送司法机关，未作出行政处罚决定）",
                "no_penalty": "（不予行政处罚决定书）",
            }.get(outcome, "")
        reason = {
            "transfer": "涉嫌犯罪，已移送司法机关",
            "no_penalty": "不予行政处罚决定已送达"
            + (f"（{NO_PENALTY_REASONS[decision.no_penalty_reason][0]}）"
               if decision is not None and decision.no_penalty_reason in NO_PENALTY_REASONS else ""),
        }.get(outcome, "处罚决定已执行完毕")
        values["closing"] = ClosingDetails(
            decision_number=numbers,
            decided_on=snapshot.decided_on,
            execution=closing.get("execution", ""),
            closing_reason=reason,
        )
        values["approval"] = Approval(
            handler=Opinion(closing.get("handler_opinion", ""), "、".join(o.name for o in values["officers"]), issue.on),
            head=Opinion(closing.get("head_opinion", ""), closing.get("head", ""), issue.on),
        )
    # The number of officers the act needs is the procedure's rule on the act's day (`officers_required`).
    values["officers_required"] = min_officers(snapshot, context, on=values.get("issued_on") or issue.on)[0]
    return DocumentContext(**values)


def proposed_sentence(snapshot: PenaltyCaseSnapshot, details: dict[str, Any]) -> str:
    """The proposed decision in one sentence, as the review opinion and the discussion print it."""
    decision = snapshot.decision
    if decision is None:
        return ""
    if decision.outcome == "penalty" and decision.penalty is not None:
        text = f"拟给予{decision.penalty.describe()}的行政处罚"
        detail = details.get("decision", {}).get("detail", "")
        return text + (f"（{detail}）" if detail else "")
    if decision.outcome == "no_penalty":
        reason = NO_PENALTY_REASONS.get(decision.no_penalty_reason or "", ("", 0))[0]
        return "拟不予行政处罚" + (f"（{reason}）" if reason else "")
    return f"拟移送{details.get('decision', {}).get('transfer_to', '') or '司法机关'}"


def review_details(
    *, snapshot: PenaltyCaseSnapshot, details: dict[str, Any], context: GuardContext, party_name: str = ""
) -> ReviewDetails:
    """The latest opinion with the round it answers, for the 法制审核意见书."""
    from sanxiang.procedure.penalty.review import major_assessment
    from sanxiang.procedure.penalty.snapshot import CHECKLIST_FINDINGS, REVIEW_CHECKLIST, REVIEW_OPINIONS

    review = (details.get("reviews") or [{}])[-1]
    rounds = {r.get("round"): r for r in details.get("review_rounds", [])}
    request = rounds.get(review.get("round"), {})
    materials = [
        label for item, label in REVIEW_PACKAGE_ITEMS.items()
        if item in _package_of(snapshot, review.get("round"))
    ]
    materials += [f"证据：{line}" for line in request.get("evidence_list", [])]
    return ReviewDetails(
        round=int(review.get("round") or 1),
        submitted_on=_date(request.get("on")),
        submitted_by=request.get("by", ""),
        reviewer=review.get("reviewer", ""),
        reviewed_on=_date(review.get("on")),
        major_criteria=tuple(c.label for c in major_assessment(snapshot, context).criteria),
        proposed=proposed_sentence(snapshot, details),
        materials=tuple(materials),
        checklist=tuple(
            ChecklistLine(REVIEW_CHECKLIST.get(c["item"], c["item"]), CHECKLIST_FINDINGS.get(c["finding"], ""), c.get("note", ""))
            for c in review.get("checklist", [])
        ),
        opinion=REVIEW_OPINIONS.get(review.get("opinion", ""), ""),
        reasons=review.get("reasons", "") or review.get("text", ""),
        response=request.get("response", ""),
    )


def _package_of(snapshot: PenaltyCaseSnapshot, round_: int | None) -> frozenset[str]:
    for request in snapshot.review_requests:
        if request.round == round_:
            return request.package
    return frozenset()


def discussion_details(*, snapshot: PenaltyCaseSnapshot, details: dict[str, Any]) -> DiscussionDetails:
    from sanxiang.procedure.penalty.review import latest_opinion
    from sanxiang.procedure.penalty.snapshot import REVIEW_OPINIONS

    discussion = details.get("collective_discussion", {})
    opinion = latest_opinion(snapshot)
    reviews = details.get("reviews") or []
    review_summary = ""
    if opinion is not None:
        reasons = reviews[-1].get("reasons", "") if reviews else ""
        review_summary = f"{opinion.given_on.isoformat()}法制审核意见：{REVIEW_OPINIONS.get(opinion.opinion, opinion.opinion)}" + (
            f"。{reasons}" if reasons else ""
        )
    from sanxiang.procedure.penalty.steps import DISCUSSION_RESOLUTIONS

    return DiscussionDetails(
        held_on=_date(discussion.get("on")),
        place=discussion.get("place", ""),
        host=discussion.get("host", ""),
        recorder=discussion.get("recorder", ""),
        participants=tuple(discussion.get("participants", [])),
        subject=proposed_sentence(snapshot, details),
        views=tuple(discussion.get("views", [])),
        conclusion=discussion.get("conclusion", ""),
        absent=tuple(discussion.get("absent", [])),
        review_summary=review_summary,
        resolution=DISCUSSION_RESOLUTIONS.get(discussion.get("resolution", ""), ""),
    )


def _serves_notice(issue: Issue) -> bool:
    return any(title == DOCUMENT_KINDS["advance_notice"].title for title, _ in issue.served)


def _source_label(source: str) -> str:
    from sanxiang.procedure.penalty.steps import SOURCES

    return SOURCES.get(source, source)


# The document-context builder of each kind of enforcement act (`ProcedureSpec.act_kind`): the
# steps of a procedure issue documents whose contents its builder takes from the case's facts.
DocumentContextBuilder = Callable[..., DocumentContext]


def document_context_builder(act_kind: str) -> DocumentContextBuilder:
    from sanxiang.cases.paperwork_enforcement import enforcement_document_context  # it imports this module

    builders: dict[str, DocumentContextBuilder] = {"penalty": document_context}
    builders["enforcement"] = enforcement_document_context
    return builders[act_kind]

"""The `DocumentContext` of each document a step issues, built from the case's snapshot and its
typed texts (`procedure.penalty.texts`). Pure: the service hands in the agency, party and officers as plain values.

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
    NoPenaltyDetails,
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
    TransferDetails,
)
from sanxiang.documents.registry import DOCUMENT_KINDS
from sanxiang.documents.text import date_render, sentence_render
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty import PenaltyCaseSnapshot, PenaltyTerms
from sanxiang.procedure.penalty.guards import min_officers
from sanxiang.procedure.penalty.rules import parameter
from sanxiang.procedure.penalty.snapshot import (
    NO_PENALTY_REASONS,
    ON_SPOT_COLLECTION_GROUNDS,
    REVIEW_PACKAGE_ITEMS,
)
from sanxiang.procedure.penalty.texts import (
    DecisionTexts,
    Discussion,
    PenaltyTexts,
    Review,
    ReviewRound,
    ServiceTexts,
)

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
class EvidenceFileInfo:
    """A file uploaded to the case as evidence (a photo, a recording, a scanned 书证): never a
    document the platform issued, which is the case's output, not its evidence."""

    title: str  # the file's name as uploaded, without its extension
    kind: str  # photo | audio | video | document | electronic_data (evidence.EvidenceKind)
    on: dt.date | None  # captured (Asia/Shanghai); None when the upload did not say


@dataclass(frozen=True)
class CaseInfoIn:
    number: str
    title: str
    agency: AgencyInfo
    party: PartyInfo | None
    officers: tuple[OfficerInfo, ...]  # every officer of the agency the case may name
    assigned_ids: tuple[int, ...]  # the case's own officers
    # The case's evidence files in the order they were uploaded (the documents it issued left out).
    evidence_files: tuple[EvidenceFileInfo, ...] = ()


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


# How a document names each kind of evidence file (in the words of the 证据种类).
EVIDENCE_FILE_KINDS = {
    "photo": "照片",
    "audio": "录音",
    "video": "录像",
    "document": "书证",
    "electronic_data": "电子数据",
}
# Typed lines that name a record the case already holds: their 证明事项 goes to that record.
RECORD_NAMES = {"询问笔录": "inquiry", "现场检查笔录": "inspection", "现场笔录": "inspection", "检查笔录": "inspection"}


def evidence_of(case: CaseInfoIn, texts: PenaltyTexts) -> tuple[Evidence, ...]:
    """The evidence a document lists (调查终结报告, 事先告知书, 决定书), from the case's records, not
    retyped: each 现场检查笔录 and 询问笔录 the case made, and each file uploaded to it, in the
    order they were made; then the officer's 其他证据 lines. A typed line that names a kind of
    record the case holds ("询问笔录：进货和销售情况") gives that record what it proves instead of
    being listed twice. The documents the platform issued are not evidence and are not listed."""
    typed = [evidence_parse(line) for line in texts.findings.evidence if line.strip()]
    proves = {"inquiry": "", "inspection": ""}
    others = []
    made = {"inquiry": bool(texts.inquiries), "inspection": bool(texts.inspections)}
    for item in typed:
        record = RECORD_NAMES.get(item.name)
        if record is not None and made[record]:
            proves[record] = proves[record] or item.proves
        else:
            others.append(item)
    dated: list[tuple[dt.date, int, Evidence]] = []
    undated = dt.date.max
    for index, inspection in enumerate(texts.inspections):
        where = f"{inspection.place}，" if inspection.place.strip() else ""
        day = f"{date_render(on=inspection.on)}" if inspection.on else ""
        label = f"现场检查笔录（{where}{day}）" if where or day else "现场检查笔录"
        dated.append((inspection.on or undated, index, Evidence(label, proves["inspection"])))
    for index, inquiry in enumerate(texts.inquiries):
        parts = [p for p in (inquiry.interviewee.strip(), date_render(on=inquiry.on) if inquiry.on else "") if p]
        label = f"询问笔录（{'，'.join(parts)}）" if parts else "询问笔录"
        dated.append((inquiry.on or undated, 1000 + index, Evidence(label, proves["inquiry"])))
    for index, upload in enumerate(case.evidence_files):
        kind = EVIDENCE_FILE_KINDS.get(upload.kind, "")
        parts = [p for p in (kind, date_render(on=upload.on) if upload.on else "") if p]
        label = f"{upload.title}（{'，'.join(parts)}）" if parts else upload.title
        dated.append((upload.on or undated, 2000 + index, Evidence(label)))
    dated.sort(key=lambda row: (row[0], row[1]))
    return tuple(evidence for _, _, evidence in dated) + tuple(others)


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


def penalty_detail(texts: PenaltyTexts, *, summary: bool) -> str:
    """The 具体内容 a decision prints next to the kinds that need one (what is confiscated, which
    licence, how long): the on-the-spot decision's, or the decision's, failing that the findings'."""
    if summary:
        return texts.on_spot.detail
    return texts.decision_or_empty.detail or texts.findings.detail


def penalty_bases(texts: PenaltyTexts, *, summary: bool) -> tuple[str, ...]:
    """The 处罚依据 a decision prints: the on-the-spot decision's, or the decision's, failing that
    the findings' (the penalty proposed)."""
    if summary:
        return texts.on_spot.bases
    return texts.decision_or_empty.bases or texts.findings.bases


def decided_penalty(*, terms: PenaltyTerms | None, texts: PenaltyTexts, summary: bool) -> Penalty | None:
    """The penalty as the 决定书 imposes it, item by item: the decided terms, each with the amount
    or the 具体内容 the 决定书 prints for it. Whatever else is said about the decision (the public
    处罚内容) is derived from this, so that it can never state a penalty the 决定书 does not impose."""
    return penalty_of(terms, penalty_detail(texts, summary=summary))


def _moment(day: dt.date | None, time: str) -> dt.datetime | None:
    if day is None:
        return None
    hours, minutes = 9, 0
    if time and ":" in time.replace("：", ":"):
        h, _, m = time.replace("：", ":").partition(":")
        # isdecimal(), not isdigit(): "²" is a digit to str.isdigit() but not to int() (full-width
        # "１４" is decimal, and int() reads it).
        if h.strip().isdecimal() and m.strip()[:2].isdecimal():
            hours, minutes = min(int(h), 23), min(int(m.strip()[:2]), 59)
    return dt.datetime(day.year, day.month, day.day, hours, minutes)


def document_context(
    *, case: CaseInfoIn, snapshot: PenaltyCaseSnapshot, texts: PenaltyTexts, issue: Issue, context: GuardContext
) -> DocumentContext:
    """Everything the document `issue.kind` may print, from the case as it stands after the step."""
    party = case.party
    officers = {o.id: o for o in case.officers}
    findings = texts.findings
    decision_texts = texts.decision_or_empty

    def named(ids) -> tuple[Officer, ...]:
        return tuple(Officer(officers[i].name, officers[i].certificate_number) for i in ids if i in officers)

    # The penalty a document states: the decision's, or failing that the one proposed.
    decision = snapshot.decision
    terms = decision.penalty if decision is not None and decision.penalty is not None else None
    summary = issue.kind == "summary_decision"
    detail = penalty_detail(texts, summary=summary)
    bases = penalty_bases(texts, summary=summary)
    if issue.kind in ("advance_notice", "investigation_report") or terms is None:
        terms = findings.proposed if not summary else terms
    on_spot = texts.on_spot
    penalty = penalty_of(terms, detail)
    opening = texts.opening
    head = texts.opening_head
    values: dict[str, Any] = {
        "agency": agency_of(case),
        "case": CaseInfo(
            number=case.number,
            cause=case.title,
            source=_source_label(opening.source),
            discovered_on=snapshot.discovered_on,
            opened_on=snapshot.opened_on,
        ),
        "party": party_of(case),
        "officers": named(case.assigned_ids),
        "facts": findings.facts or opening.summary,
        "evidence": evidence_of(case, texts),
        "violated": tuple(basis_parse(line) for line in findings.violated or opening.violated),
        "penalty_bases": tuple(basis_parse(line) for line in bases),
        "penalty": penalty,
        "performance": Performance(method=PAYMENT_METHOD),
        "remedies": remedies_of(case),
        "document_number": issue.number,
        "issued_on": issue.on,
    }
    kind = issue.kind
    if kind == "opening_approval":
        values["facts"] = opening.summary
        values["approval"] = Approval(
            handler=Opinion(opening.handler_opinion, "、".join(o.name for o in values["officers"]), issue.on),
            head=Opinion(head.text, head.signer, head.on) if head is not None else None,
        )
    elif kind == "inquiry_record":
        inquiry = texts.inquiries[-1]
        values["officers"] = named(inquiry.officer_ids)
        values["inquiry"] = InquiryDetails(
            started_at=_moment(inquiry.on, inquiry.start),
            ended_at=_moment(inquiry.on, inquiry.end or inquiry.start),
            place=inquiry.place,
            interviewee=Person(inquiry.interviewee, relation=inquiry.relation),
            recorder=inquiry.recorder,
            exchanges=tuple(exchange_parse(line) for line in inquiry.exchanges),
            recusal_answer=inquiry.recusal_answer,
        )
        values["issued_on"] = inquiry.on
    elif kind == "inspection_record":
        inspection = texts.inspections[-1]
        values["officers"] = named(inspection.officer_ids)
        present = inspection.present_person
        values["inspection"] = InspectionDetails(
            started_at=_moment(inspection.on, inspection.start),
            ended_at=_moment(inspection.on, inspection.end or inspection.start),
            place=inspection.place,
            recorder=inspection.recorder,
            findings=inspection.findings,
            present_person=Person(present) if present else None,
        )
        values["issued_on"] = inspection.on
    elif kind == "preservation_notice":
        preservation = texts.preservations[-1]
        on = preservation.on or issue.on
        days = parameter(context, snapshot, "penalty.preservation.decision_working_days", on=on)
        values["preservation"] = PreservationDetails(
            approved_on=preservation.approved_on,
            items=tuple(PreservedItem(line) for line in preservation.items),
            storage_place=preservation.storage_place,
            handling_deadline=context.calendar.working_days_after(on, days.value).date,
        )
    elif kind == "investigation_report":
        values["investigation"] = InvestigationDetails(process=findings.process, opinion=findings.opinion)
    elif kind == "advance_notice":
        notice = texts.notice
        statement = parameter(context, snapshot, "penalty.statement.window_working_days", on=issue.on)
        request = parameter(context, snapshot, "penalty.hearing.request_working_days", on=issue.on)
        values["notice"] = NoticeDetails(
            statement_days=statement.value,
            hearing_right=notice.hearing_right,
            hearing_request_days=request.value,
            contact_person=notice.contact_person,
        )
    elif kind in ("hearing_notice", "hearing_transcript"):
        hearing = texts.hearing
        requested = snapshot.hearing.requested_on if snapshot.hearing is not None else None
        presiding = snapshot.hearing.presiding_officer_id if snapshot.hearing is not None else None
        held_at = _moment(hearing.scheduled_for, hearing.time)
        values["hearing"] = HearingDetails(
            held_at=held_at,
            place=hearing.place,
            presiding=officers[presiding].name if presiding in officers else "",
            clerk=hearing.clerk,
            public=hearing.public,
            requested_on=requested,
            ended_at=_moment(hearing.scheduled_for, hearing.end_time or hearing.time)
            if kind == "hearing_transcript"
            else None,
            party_attendees=hearing.attendees,
            exchanges=tuple(exchange_parse(line) for line in hearing.exchanges),
        )
        if kind == "hearing_transcript":
            values["issued_on"] = held_at.date() if held_at else issue.on
    elif kind == "decision_document":
        # How the 裁量基准 was applied follows the reasons (本机关认为 …), as its last paragraph.
        reasoning = "\n".join(t for t in (decision_texts.reasoning, decision_texts.discretion) if t)
        values["decision"] = DecisionDetails(reasoning=reasoning)
    elif kind == "no_penalty_decision":
        values["no_penalty"] = no_penalty_details(snapshot=snapshot, texts=decision_texts)
    elif kind == "transfer_letter":
        values["transfer"] = TransferDetails(
            recipient=decision_texts.transfer_to,
            suspected_offence=decision_texts.suspected_offence,
            reasons=decision_texts.reasoning,
            attachments=decision_texts.attachments,
        )
    elif kind == "service_receipt":
        # The notice's service (with the 事先告知书) or the decision's.
        served = texts.service
        if _serves_notice(issue):
            notice = texts.notice
            served = ServiceTexts(method=notice.method, served_on=notice.served_on, place=notice.place)
        values["service"] = ServiceDetails(
            documents=tuple(ServedDocument(title, number) for title, number in issue.served),
            recipient=party.name if party else "",
            place=served.place,
            method=served.method,
            served_at=_moment(served.served_on, ""),
            signed_by=served.signed_by,
            note=served.note,
        )
    elif kind == "summary_decision":
        spot = snapshot.on_spot
        values["facts"] = on_spot.facts
        values["officers"] = named(spot.officer_ids if spot is not None else ())
        collected = spot is not None and spot.collected_fen > 0
        values["on_spot"] = OnSpotDetails(
            occurred_at=on_spot.occurred_at,
            place=on_spot.place,
            collected_on_spot=collected,
            collection_ground=ON_SPOT_COLLECTION_GROUNDS.get(spot.collection_ground or "", "") if spot else "",
            receipt_number=on_spot.receipt_number,
        )
    elif kind == "review_opinion":
        values["review"] = review_details(snapshot=snapshot, texts=texts, context=context, office=case.agency.name)
        values["issued_on"] = values["review"].reviewed_on or issue.on
    elif kind == "collective_discussion":
        values["discussion"] = discussion_details(snapshot=snapshot, texts=texts)
        values["issued_on"] = values["discussion"].held_on or issue.on
    elif kind == "closing_approval":
        closing = texts.closing
        numbers = texts.decision_number
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
            execution=closing.execution,
            closing_reason=reason,
        )
        values["approval"] = Approval(
            handler=Opinion(closing.handler_opinion, "、".join(o.name for o in values["officers"]), issue.on),
            head=Opinion(closing.head_opinion, closing.head, issue.on),
        )
    # The number of officers the act needs is the procedure's rule on the act's day (`officers_required`).
    values["officers_required"] = min_officers(snapshot, context, on=values.get("issued_on") or issue.on)[0]
    return DocumentContext(**values)


def no_penalty_details(*, snapshot: PenaltyCaseSnapshot, texts: DecisionTexts) -> NoPenaltyDetails | None:
    """What the 不予行政处罚决定书 states beyond the facts: the ground (the draft's reason), the
    agency's reasoning, the education given and the correction ordered, and any further provisions
    written as the decision's basis."""
    decision = snapshot.decision
    if decision is None or decision.outcome != "no_penalty":
        return None
    return NoPenaltyDetails(
        reason=decision.no_penalty_reason or "",
        reasoning=texts.reasoning,
        education=texts.education,
        correction=texts.correction,
        bases=tuple(basis_parse(line) for line in texts.bases),
    )


def proposed_sentence(snapshot: PenaltyCaseSnapshot, texts: PenaltyTexts) -> str:
    """The proposed decision in one sentence, as the review opinion and the discussion print it."""
    decision = snapshot.decision
    if decision is None:
        return ""
    if decision.outcome == "penalty" and decision.penalty is not None:
        text = f"拟给予{decision.penalty.describe()}的行政处罚"
        detail = texts.decision_or_empty.detail
        return text + (f"（{detail}）" if detail else "")
    if decision.outcome == "no_penalty":
        reason = NO_PENALTY_REASONS.get(decision.no_penalty_reason or "", ("", 0))[0]
        return "拟不予行政处罚" + (f"（{reason}）" if reason else "")
    return f"拟移送{texts.decision_or_empty.transfer_to or '司法机关'}"


def review_details(
    *, snapshot: PenaltyCaseSnapshot, texts: PenaltyTexts, context: GuardContext, office: str = ""
) -> ReviewDetails:
    """The latest opinion with the round it answers, for the 法制审核意见书. The 承办机构 is an
    organisation: `office`, the agency's 内设机构 that handles the case or else the agency itself
    (the registry keeps no 内设机构 yet); the person who submitted is the 承办人."""
    from sanxiang.procedure.penalty.review import major_assessment
    from sanxiang.procedure.penalty.snapshot import CHECKLIST_FINDINGS, REVIEW_CHECKLIST, REVIEW_OPINIONS

    review = texts.reviews[-1] if texts.reviews else Review()
    rounds = {r.round: r for r in texts.review_rounds}
    request = rounds.get(review.round, ReviewRound())
    materials = [
        label for item, label in REVIEW_PACKAGE_ITEMS.items()
        if item in _package_of(snapshot, review.round if texts.reviews else None)
    ]
    materials += [f"证据：{line}" for line in request.evidence_list]
    return ReviewDetails(
        round=review.round or 1,
        submitted_on=request.on,
        submitted_by=office,
        handler=request.by,
        reviewer=review.reviewer,
        reviewed_on=review.on,
        major_criteria=tuple(c.label for c in major_assessment(snapshot, context).criteria),
        proposed=proposed_sentence(snapshot, texts),
        materials=tuple(materials),
        checklist=tuple(
            ChecklistLine(REVIEW_CHECKLIST.get(c.item, c.item), CHECKLIST_FINDINGS.get(c.finding, ""), c.note)
            for c in review.checklist
        ),
        opinion=REVIEW_OPINIONS.get(review.opinion, ""),
        reasons=review.reasons,
        response=request.response,
    )


def _package_of(snapshot: PenaltyCaseSnapshot, round_: int | None) -> frozenset[str]:
    for request in snapshot.review_requests:
        if request.round == round_:
            return request.package
    return frozenset()


def discussion_details(*, snapshot: PenaltyCaseSnapshot, texts: PenaltyTexts) -> DiscussionDetails:
    from sanxiang.procedure.penalty.review import latest_opinion
    from sanxiang.procedure.penalty.snapshot import REVIEW_OPINIONS

    discussion = texts.collective_discussion or Discussion()
    opinion = latest_opinion(snapshot)
    review_summary = ""
    if opinion is not None:
        reasons = texts.reviews[-1].reasons if texts.reviews else ""
        label = REVIEW_OPINIONS.get(opinion.opinion, opinion.opinion)
        review_summary = f"{date_render(on=opinion.given_on)}，法制审核意见为“{label}”。" + sentence_render(reasons)
    from sanxiang.procedure.penalty.steps import DISCUSSION_RESOLUTIONS

    return DiscussionDetails(
        held_on=discussion.on,
        place=discussion.place,
        host=discussion.host,
        recorder=discussion.recorder,
        participants=discussion.participants,
        subject=proposed_sentence(snapshot, texts),
        views=discussion.views,
        conclusion=discussion.conclusion,
        absent=discussion.absent,
        review_summary=review_summary,
        resolution=DISCUSSION_RESOLUTIONS.get(discussion.resolution, ""),
    )


def _serves_notice(issue: Issue) -> bool:
    return any(title == DOCUMENT_KINDS["advance_notice"].title for title, _ in issue.served)


def _source_label(source: str) -> str:
    from sanxiang.procedure.penalty.steps import SOURCES

    return SOURCES.get(source, source)


# The document-context builder of each kind of enforcement act (`ProcedureSpec.act_kind`): the
# steps of a procedure issue documents whose contents its builder takes from the case's facts.
# A builder is called with case= (CaseInfoIn), snapshot=, texts= (the case's typed texts, as the
# step left them), issue= and context=.
DocumentContextBuilder = Callable[..., DocumentContext]


def document_context_builder(act_kind: str) -> DocumentContextBuilder:
    # Imported here: each builder imports this module's shared parts.
    from sanxiang.cases.paperwork_coercion import measure_document_context
    from sanxiang.cases.paperwork_enforcement import enforcement_document_context
    from sanxiang.cases.paperwork_expropriation import expropriation_document_context
    from sanxiang.cases.paperwork_other_acts import act_document_context
    from sanxiang.cases.paperwork_permit import permit_document_context

    builders: dict[str, DocumentContextBuilder] = {
        "penalty": document_context,
        "coercion": measure_document_context,
        "enforcement": enforcement_document_context,
        "expropriation": expropriation_document_context,
        "other": act_document_context,
        "licensing": permit_document_context,
    }
    return builders[act_kind]

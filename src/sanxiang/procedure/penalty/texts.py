"""The texts of a penalty case, typed: what its documents print beyond the snapshot's facts
(places, people, wording, reasons), as the steps write them and every reader finds them.

Stored as `Case.details["texts"]` (the catalogue's `texts_type`), loaded by `cases.facts.facts_load`:
strict about types, tolerant of missing fields, which take their defaults. Dates are
`datetime.date`, lists are tuples, money is integer fen. A section whose presence means something
(the head's approval of the opening, the draft decision, the collective discussion) is optional;
a section read only for its values defaults to an empty one.

Pure Python, like the rest of `sanxiang.procedure`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace

from sanxiang.procedure.penalty.snapshot import PenaltyTerms

# --- 立案 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadOpinion:
    """An opinion the head signs (the approval of opening the case)."""

    text: str = ""
    signer: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class Opening:
    """立案 (or 不予立案): where the case came from, what it is about, the handler's opinion."""

    source: str = ""  # a key of steps.SOURCES
    summary: str = ""
    violated: tuple[str, ...] = ()
    handler_opinion: str = ""
    on: dt.date | None = None
    declined: bool = False


# --- 调查取证 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inquiry:
    """询问笔录."""

    on: dt.date | None = None
    start: str = ""  # as entered: "09:30"
    end: str = ""
    place: str = ""
    officer_ids: tuple[int, ...] = ()
    recorder: str = ""
    interviewee: str = ""
    relation: str = ""
    exchanges: tuple[str, ...] = ()
    recusal_answer: str = ""  # 不申请回避 | 申请回避: the answer to the record's opening question


@dataclass(frozen=True)
class Inspection:
    """现场检查笔录."""

    on: dt.date | None = None
    start: str = ""
    end: str = ""
    place: str = ""
    officer_ids: tuple[int, ...] = ()
    recorder: str = ""
    findings: str = ""
    present_person: str = ""


@dataclass(frozen=True)
class Preservation:
    """先行登记保存."""

    on: dt.date | None = None
    approved_on: dt.date | None = None
    items: tuple[str, ...] = ()
    storage_place: str = ""


@dataclass(frozen=True)
class DatedText:
    """A text of a day: the decision on preserved evidence, the re-examination of a statement."""

    text: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class Findings:
    """调查终结: the investigation's findings and the penalty proposed (the notice may propose
    another, and replaces `proposed`, `detail` and `bases`)."""

    process: str = ""
    facts: str = ""
    evidence: tuple[str, ...] = ()
    violated: tuple[str, ...] = ()
    opinion: str = ""
    proposed: PenaltyTerms | None = None
    detail: str = ""  # 处罚的具体内容
    bases: tuple[str, ...] = ()  # 处罚依据, one a line


# --- 事先告知、陈述申辩、听证 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeTexts:
    served_on: dt.date | None = None
    method: str = ""
    place: str = ""
    hearing_right: bool = False
    contact_person: str = ""


@dataclass(frozen=True)
class Statement:
    on: dt.date | None = None
    summary: str = ""


@dataclass(frozen=True)
class Waiver:
    """The party's written waiver of its statement or hearing."""

    on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class HearingTexts:
    scheduled_for: dt.date | None = None
    time: str = ""
    place: str = ""
    presiding_name: str = ""
    clerk: str = ""
    public: bool = True
    end_time: str = ""
    attendees: tuple[str, ...] = ()
    exchanges: tuple[str, ...] = ()


# --- 决定 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionTexts:
    """The wording of the draft decision: what its document prints beyond the terms."""

    outcome: str = ""  # penalty | no_penalty | transfer
    reasoning: str = ""  # the reasons (for a transfer: why a crime is suspected)
    transfer_to: str = ""  # 受移送的司法机关
    detail: str = ""
    bases: tuple[str, ...] = ()
    # 不予行政处罚: the education given to the party (第三十三条第三款), the correction ordered.
    education: str = ""
    correction: str = ""
    # 移送: the offence suspected and the materials sent with the case.
    suspected_offence: str = ""
    attachments: tuple[str, ...] = ()
    # How the 裁量基准 was applied, as the decision states it (`procedure.discretion`).
    discretion: str = ""


# The texts a review covered before the outcomes' documents had their own; the digest of a
# decision drafted then is over these alone, and stays so for the same content.
DIGEST_FIELDS = ("outcome", "reasoning", "transfer_to", "detail", "bases")
DIGEST_ADDED_FIELDS = ("education", "correction", "suspected_offence", "attachments", "discretion")


def decision_content_digest(texts: DecisionTexts, findings: Findings | None = None) -> str:
    """The digest of the draft's texts: a review covers the wording too (理由、依据、处罚内容). The
    decision prints the investigation's detail and bases where it has none of its own, so those
    count. A field added since (the education, the offence …) counts only when filled, so that a
    draft's digest is the one computed before it existed."""
    findings = findings or Findings()
    content: dict[str, object] = {
        "outcome": texts.outcome,
        "reasoning": texts.reasoning,
        "transfer_to": texts.transfer_to,
        "detail": texts.detail or findings.detail,
        "bases": list(texts.bases or findings.bases),
    }
    for name in DIGEST_ADDED_FIELDS:
        value = getattr(texts, name)
        if value:
            content[name] = list(value) if isinstance(value, tuple) else value
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- 法制审核、集体讨论 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reassignment:
    on: dt.date | None = None
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ReviewExtension:
    to: dt.date | None = None
    reason: str = ""
    by: str = ""


@dataclass(frozen=True)
class ReviewRound:
    """One submission for legal review (送审) and the reviewer it went to."""

    round: int = 0
    on: dt.date | None = None
    by: str = ""
    evidence_list: tuple[str, ...] = ()
    explanation: str = ""
    response: str = ""
    reviewer: str = ""
    reviewer_id: int | None = None
    reassigned: Reassignment | None = None
    extension: ReviewExtension | None = None


@dataclass(frozen=True)
class ChecklistEntry:
    item: str = ""  # a key of REVIEW_CHECKLIST
    finding: str = ""  # a key of CHECKLIST_FINDINGS
    note: str = ""


@dataclass(frozen=True)
class Review:
    """A review opinion's wording (the opinion itself is in the snapshot)."""

    round: int = 0
    on: dt.date | None = None
    opinion: str = ""
    reasons: str = ""
    reviewer: str = ""
    checklist: tuple[ChecklistEntry, ...] = ()


@dataclass(frozen=True)
class Discussion:
    """集体讨论记录."""

    on: dt.date | None = None
    place: str = ""
    host: str = ""
    recorder: str = ""
    participants: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    conclusion: str = ""
    resolution: str = ""
    leader_count: int = 0


@dataclass(frozen=True)
class Extension:
    """The extension of the period to decide."""

    on: dt.date | None = None
    to: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class MajorMark:
    on: dt.date | None = None
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class OfficerChange:
    on: dt.date | None = None
    by: str = ""
    from_ids: tuple[int, ...] = ()
    to_ids: tuple[int, ...] = ()
    reason: str = ""


# --- 送达、执行、结案 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTexts:
    method: str = ""
    served_on: dt.date | None = None
    place: str = ""
    signed_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class PaymentTexts:
    on: dt.date | None = None
    fen: int = 0
    receipt: str = ""


@dataclass(frozen=True)
class Court:
    court: str = ""
    on: dt.date | None = None
    result: str = ""


@dataclass(frozen=True)
class Closing:
    execution: str = ""
    handler_opinion: str = ""
    head_opinion: str = ""
    head: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class Note:
    on: dt.date | None = None
    text: str = ""


# --- 简易程序 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnSpotTexts:
    occurred_at: dt.datetime | None = None
    place: str = ""
    facts: str = ""
    detail: str = ""
    bases: tuple[str, ...] = ()
    receipt_number: str = ""


# --- the party ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyTexts:
    """What the case knows of the party beyond the registry: the birth date read from a document
    that the registry's identifier does not give (a passport)."""

    birth_date: dt.date | None = None


@dataclass(frozen=True)
class DiscretionNoPenalty:
    """A 首违不罚/轻微不罚 entry of the benchmark as the draft found it."""

    kind: str  # a key of procedure.discretion.NO_PENALTY_KINDS
    label: str
    eligible: bool
    reasons: tuple[str, ...] = ()

    @property
    def effect(self) -> str:
        """What the law makes of an eligible entry (行政处罚法第三十三条第一款): a minor act corrected in
        time without harm is not penalised (不予); a first offence with minor harm may be exempted (可以)."""
        return "依法不予行政处罚" if self.kind == "minor" else "可以不予行政处罚"


@dataclass(frozen=True)
class DiscretionApplied:
    """The 裁量基准 applied to the draft decision (procedure.discretion): the version, what the
    platform proposed from the facts entered, where the amount stands, and the officer's reason."""

    benchmark: str  # "<matter code>/<version>"
    label: str  # 第N版（from…）
    source: str
    entry: str
    violation: str
    tier: str
    tier_label: str
    band: str
    suggested_fen: int | None
    position: str
    position_label: str
    basis: tuple[str, ...] = ()
    earlier: tuple[str, ...] = ()  # numbers of the party's earlier cases of the matter in the window
    no_penalty: tuple[DiscretionNoPenalty, ...] = ()
    no_penalty_basis: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class PenaltyTexts:
    opening_head: HeadOpinion | None = None
    opening: Opening = Opening()
    inquiries: tuple[Inquiry, ...] = ()
    inspections: tuple[Inspection, ...] = ()
    preservations: tuple[Preservation, ...] = ()
    preservation_decision: DatedText | None = None
    findings: Findings = Findings()
    notice: NoticeTexts = NoticeTexts()
    statements: tuple[Statement, ...] = ()
    reexamination: DatedText | None = None
    statement_waiver: Waiver | None = None
    hearing_waiver: Waiver | None = None
    hearing: HearingTexts = HearingTexts()
    decision: DecisionTexts | None = None
    discretion: DiscretionApplied | None = None
    decision_number: str = ""  # 文号 of the decision issued (处罚 or 不予处罚)
    transfer_number: str = ""  # 文号 of the 移送书
    major_marks: tuple[MajorMark, ...] = ()
    review_rounds: tuple[ReviewRound, ...] = ()
    reviews: tuple[Review, ...] = ()
    collective_discussion: Discussion | None = None
    extension: Extension | None = None
    officer_changes: tuple[OfficerChange, ...] = ()
    service: ServiceTexts = ServiceTexts()
    payments: tuple[PaymentTexts, ...] = ()
    court: Court = Court()
    closing: Closing = Closing()
    on_spot: OnSpotTexts = OnSpotTexts()
    notes: tuple[Note, ...] = ()
    party: PartyTexts = PartyTexts()
    # Natural persons the case names besides those above, whose names are never published.
    third_parties: tuple[str, ...] = ()
    # The main facts involve state or trade secrets or privacy (not published).
    secrets_or_privacy: bool = False

    def numbered(self, kind: str, number: str) -> PenaltyTexts:
        """The texts once the document `kind` has its 文号 (the service calls this for each): the
        decision's (处罚, 当场处罚 or 不予处罚) and the 移送书's are cited by later documents."""
        if kind == "transfer_letter":
            return replace(self, transfer_number=number)
        if kind in ("decision_document", "summary_decision", "no_penalty_decision"):
            return replace(self, decision_number=number)
        return self

    @property
    def decision_or_empty(self) -> DecisionTexts:
        return self.decision if self.decision is not None else DecisionTexts()

    def decision_digest(self) -> str:
        """The digest of the draft decision's texts as the decision document prints them."""
        return decision_content_digest(self.decision_or_empty, self.findings)


__all__ = [
    "ChecklistEntry",
    "Closing",
    "Court",
    "DatedText",
    "DecisionTexts",
    "Discussion",
    "Extension",
    "Findings",
    "HeadOpinion",
    "HearingTexts",
    "Inquiry",
    "Inspection",
    "MajorMark",
    "Note",
    "NoticeTexts",
    "OfficerChange",
    "OnSpotTexts",
    "Opening",
    "PartyTexts",
    "PaymentTexts",
    "PenaltyTexts",
    "Preservation",
    "Reassignment",
    "Review",
    "ReviewExtension",
    "ReviewRound",
    "ServiceTexts",
    "Statement",
    "Waiver",
    "decision_content_digest",
]

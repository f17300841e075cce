"""Reads of the 案卷评查 (issue 16 items 1–3): the standard in force (the 司法局's published version, else
the platform's default), the facts of one case file gathered for the automatic items, the file's live
score with what loses points and how to fix it, and the veto items that refuse the closing (结案).

One file costs a bounded number of queries whatever the number of cases: the case's snapshot, its
documents, its evidence, and the published versions of its county's standard."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree

from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.documents import ALL_DOCUMENT_KINDS
from sanxiang.evaluation.models import CaseFileStandardVersion
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.evidence.storage import blob_store_get
from sanxiang.procedure.coercion.steps import FREEZE_KEY, SEAL_SEIZURE_KEY
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.evaluation import casefile_standard as standard_rules
from sanxiang.procedure.evaluation.casefile_checks import (
    CaseFileFacts,
    DecisionTextFact,
    DocumentFact,
    EvidenceFact,
    casefile_results,
)
from sanxiang.procedure.evaluation.casefile_standard import (
    FILE_KIND_LABELS,
    TIER_LABELS,
    TIER_ORDER,
    FileKind,
    FileScore,
    Item,
    ItemResult,
    RecordRef,
    Standard,
    file_score,
    standard_from_data,
)
from sanxiang.procedure.evaluation.decision_text import DecisionFacts, decision_text_checks, docx_text
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot
from sanxiang.procedure.violations import Violation
from sanxiang.registry.models import Officer

PROCEDURE_FILE_KINDS = {
    "ordinary": FileKind.PENALTY_ORDINARY,
    SEAL_SEIZURE_KEY: FileKind.COERCION_MEASURE,
    FREEZE_KEY: FileKind.COERCION_MEASURE,
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_LIMIT = 2 * 1024 * 1024  # a decision's file read for its text: larger ones are not read


def case_file_kind(case: Case) -> FileKind | None:
    """The kind of file the case makes for 案卷评查; None when no standard scores it (简易程序 …)."""
    return PROCEDURE_FILE_KINDS.get(case.procedure)


def published_standards(*, kind: str, region: str) -> list[Standard]:
    rows = CaseFileStandardVersion.objects.filter(kind=kind, region_code__in=("", region)).order_by("valid_from", "pk")
    return [standard_from_data(row.data) for row in rows]


def standard_for(kind: str, on: dt.date, region: str = "") -> Standard:
    """The standard in force for `kind` on `on` in `region`: the 司法局's latest published version in
    force, else the platform's default (`procedure.evaluation.casefile_standard.standard_for`)."""
    return standard_rules.standard_for(kind, on, region, published=published_standards(kind=kind, region=region))


def standard_versions(*, kind: str, region: str) -> list[CaseFileStandardVersion]:
    return list(CaseFileStandardVersion.objects.filter(kind=kind, region_code=region)
                .select_related("published_by").order_by("-valid_from", "-pk"))


# --- the facts of one file ---------------------------------------------------------------------------


def _file_text(record: EvidenceRecord) -> str | None:
    """The text of a decision's file (DOCX or plain text); None when it cannot be read as text."""
    stored = record.stored_file
    if stored.size > TEXT_LIMIT or not (stored.content_type == DOCX or stored.content_type.startswith("text/plain")):
        return None
    try:
        with blob_store_get().open(stored.sha256) as stream:
            content = stream.read(TEXT_LIMIT + 1)
        return docx_text(content) if stored.content_type == DOCX else content.decode("utf-8")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None  # a missing file, a corrupt archive or XML, text not in UTF-8: not read as text


def _decision_facts(case: Case, snapshot: PenaltyCaseSnapshot, number: str) -> DecisionFacts:
    party = case.party
    decision = snapshot.decision
    fine = decision.penalty.fine_fen if decision is not None and decision.penalty is not None else 0
    return DecisionFacts(
        party_name=party.name if party is not None else "",
        party_kind=snapshot.party.kind,
        party_identifier=(snapshot.party.credit_code or snapshot.party.id_number),
        agency_name=case.agency.name,
        number=number,
        fine_fen=fine,
        penalty=decision is None or decision.outcome == "penalty",
    )


def case_file_facts(case: Case, *, snapshot=None) -> CaseFileFacts:
    """What the automatic items read: the snapshot, the documents issued, the evidence, and the text
    of the decision (its Word copy, and any decision uploaded as a file)."""
    snapshot = snapshot if snapshot is not None else case_selectors.case_snapshot_build(case)
    issued = list(IssuedDocument.objects.filter(case=case).select_related("docx__stored_file").order_by("issued_on", "pk"))
    documents = tuple(
        DocumentFact(id=d.pk, kind=d.kind, record_kind=d.record_kind, title=d.title, number=d.number,
                     numbered=d.kind in ALL_DOCUMENT_KINDS and ALL_DOCUMENT_KINDS[d.kind].numbered, issued_on=d.issued_on)
        for d in issued
    )
    records = list(EvidenceRecord.objects.filter(case=case).select_related("stored_file").order_by("uploaded_at", "pk"))
    evidence = []
    uploaded_documents = []
    issued_kinds = {d.record_kind for d in issued}
    document_kinds = {kind.record_kind for kind in ALL_DOCUMENT_KINDS.values()}
    texts = []
    unread: list[RecordRef] = []
    for record in records:
        if record.step.startswith("document:"):
            continue  # the files of an issued document
        fact = EvidenceFact(id=record.pk, step=record.step, kind=record.kind,
                            label=f"{record.get_kind_display()}“{record.original_name}”",
                            officer=record.officer_id is not None, captured=record.captured_at is not None,
                            located=bool(record.location.strip()))
        evidence.append(fact)
        if record.kind == "document" and record.step in (document_kinds | {"decision_document"}) \
                and record.step not in issued_kinds:
            uploaded_documents.append(fact)
        if isinstance(snapshot, PenaltyCaseSnapshot) and record.step == "decision_document" and record.kind == "document":
            text = _file_text(record)
            source = RecordRef("evidence", record.pk, f"上传的决定书“{record.original_name}”")
            if text is None:
                unread.append(source)
            else:
                texts.append(DecisionTextFact(source, tuple(decision_text_checks(text, _decision_facts(case, snapshot, "")))))
    if isinstance(snapshot, PenaltyCaseSnapshot):
        for document in issued:
            if document.record_kind != "decision_document":
                continue
            label = f"{document.title}（{document.number}）" if document.number else document.title
            text = _file_text(document.docx) if document.docx is not None else None
            if text is None:
                unread.append(RecordRef("document", document.pk, label))
            else:
                texts.append(DecisionTextFact(RecordRef("document", document.pk, label),
                                              tuple(decision_text_checks(text, _decision_facts(case, snapshot,
                                                                                                document.number)))))
    return CaseFileFacts(case_id=case.pk, case_number=case.number, snapshot=snapshot, documents=documents,
                         evidence=tuple(evidence), decision_texts=tuple(texts),
                         uploaded_documents=tuple(uploaded_documents), unread_texts=tuple(unread),
                         former_officers=_former_officers(case, snapshot))


def _former_officers(case: Case, snapshot) -> tuple:
    """The officers named by an act of the case who are no longer assigned to it (变更承办人员 after
    the act), with their certificates: two queries, and only when there are any."""
    named: set[int] = set()
    for act in getattr(snapshot, "investigative_acts", ()):
        named.update(act.officer_ids)
    on_spot = getattr(snapshot, "on_spot", None)
    if on_spot is not None:
        named.update(on_spot.officer_ids)
    others = named - {o.id for o in snapshot.officers}
    if not others:
        return ()
    rows = Officer.objects.filter(agency_id=case.agency_id, pk__in=others).prefetch_related("certificates").order_by("pk")
    return tuple(o.snapshot() for o in rows)


# --- the live score ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    item: Item
    result: ItemResult | None  # None: a manual item not scored yet
    score: Decimal | None

    @property
    def state(self) -> str:
        if self.result is None:
            return "manual"
        if not self.result.applicable:
            return "not_applicable"
        if self.result.failed or self.result.lost:
            return "failed"
        return "met"

    @property
    def badge(self) -> str:
        return {"met": "ok", "failed": "danger"}.get(self.state, "muted")

    @property
    def state_label(self) -> str:
        return {"manual": "人工评查", "not_applicable": "不涉及", "failed": "不符合" if self.item.veto else "扣分",
                "met": "符合"}[self.state]


@dataclass(frozen=True)
class TierRow:
    code: str
    label: str
    score: Decimal
    full: Decimal
    rows: tuple[ItemRow, ...]


@dataclass(frozen=True)
class CaseFileScore:
    case: Case
    kind: FileKind
    kind_label: str
    standard: Standard
    score: FileScore
    tiers: tuple[TierRow, ...]
    failing: tuple[ItemRow, ...]  # the items that lose points or fail, automatic first
    texts: tuple[DecisionTextFact, ...]
    unread_texts: tuple[RecordRef, ...]
    on: dt.date

    @property
    def vetoed(self) -> bool:
        return self.score.vetoed

    @property
    def manual_count(self) -> int:
        return len(self.score.unscored)


def _context(on: dt.date) -> GuardContext:
    return case_selectors.guard_context(on=on)


CLOSED_STATES = ("closed", "archived")


def closing_day(case: Case, facts: CaseFileFacts) -> dt.date | None:
    """The day a closed file was closed (its 结案审批表's day): it is scored as of that day, under the
    standard then in force; a later version never reaches a file already closed."""
    if case.state not in CLOSED_STATES:
        return None
    days = [d.issued_on for d in facts.documents if d.record_kind == "closing_approval"]
    return max(days) if days else None


def case_file_score(case: Case, *, on: dt.date | None = None, snapshot=None) -> CaseFileScore | None:
    """The file's automatic score as of `on` (today; a closed file: its closing day, whatever `on` the
    caller passes, as the case page passes today), under the standard
    in force that day: manual items count at full points until an evaluator scores them. None when no
    standard scores this kind of case."""
    kind = case_file_kind(case)
    if kind is None:
        return None
    facts = case_file_facts(case, snapshot=snapshot)
    on = closing_day(case, facts) or on or timezone.localdate()
    standard = standard_for(kind, on, case.agency.region_code)
    results = casefile_results(standard, facts, _context(on))
    score = file_score(standard, results)
    rows = {i.code: ItemRow(i, results.get(i.code), None if i.code not in results else i.points - score.lost.get(i.code, Decimal(0)))
            for i in standard.items}
    tiers = tuple(
        TierRow(code=tier, label=TIER_LABELS[tier], score=score.per_tier.get(tier, Decimal(0)),
                full=sum((i.points for i in standard.items if i.tier == tier), Decimal(0)),
                rows=tuple(rows[i.code] for i in standard.items if i.tier == tier))
        for tier in TIER_ORDER if any(i.tier == tier for i in standard.items)
    )
    failing = tuple(r for r in rows.values() if r.state == "failed")
    return CaseFileScore(case=case, kind=kind, kind_label=FILE_KIND_LABELS[kind], standard=standard, score=score,
                         tiers=tiers, failing=failing, texts=facts.decision_texts, unread_texts=facts.unread_texts, on=on)


@dataclass(frozen=True)
class ScoreSummary:
    """What the case page shows of the score (the evaluation page has the rest)."""

    total: Decimal
    full_marks: Decimal
    grade: str
    vetoed: bool
    failing: tuple[str, ...]  # titles of the items that lose points or fail
    url: str


def case_file_score_summary(*, case: Case, snapshot=None, on: dt.date | None = None) -> ScoreSummary | None:
    scored = case_file_score(case, on=on, snapshot=snapshot)
    if scored is None:
        return None
    return ScoreSummary(total=scored.score.total, full_marks=scored.score.full_marks, grade=scored.score.grade,
                        vetoed=scored.vetoed, failing=tuple(r.item.title for r in scored.failing),
                        url=reverse("evaluation:casefile_score", args=[case.pk]))


def casefile_closing_violations(*, case: Case, snapshot=None, on: dt.date | None = None) -> list[Violation]:
    """The veto items of the file's standard that fail: the closing (结案) is refused while one does,
    each with its item, what was found, its basis and how to put it right."""
    scored = case_file_score(case, on=on, snapshot=snapshot)
    if scored is None:
        return []
    violations = []
    for row in scored.failing:
        if not row.item.veto or row.result is None:
            continue
        found = "；".join(row.result.findings)
        message = f"案卷评查单项否决项“{row.item.title}”不符合（{found}），不得结案"
        if row.item.fix:
            message += f"：{row.item.fix}"
        violations.append(Violation(f"casefile.veto.{row.item.code}", message, row.item.basis))
    return violations


__all__ = [
    "CaseFileScore",
    "ScoreSummary",
    "case_file_facts",
    "case_file_kind",
    "case_file_score",
    "case_file_score_summary",
    "casefile_closing_violations",
    "standard_for",
]

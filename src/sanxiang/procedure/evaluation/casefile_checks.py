"""The automatic items of the 案卷评查 standards (issue 16 item 2): what the records can answer,
computed from the facts the cases, documents and evidence apps already store, each with the records it
looked at. The evaluation app gathers the facts (`CaseFileFacts`) in a bounded number of queries and
calls `casefile_results`; the items themselves, their points and bases are in `casefile_standard`.

Where a guard of the procedure already states the rule (officers and certificates on the day of each
act, 告知 before the decision, the hearing, legal review and collective discussion of the decision), the
check runs that guard on the decided case as of the decision's day, so the rule is written once. A veto
item fails only on what makes the decision unlawful (no 告知, a requested hearing not held, a major
decision not reviewed, no collective discussion when required, an act by fewer than two qualified
officers); a lesser defect of the same step loses points under its content item.

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from sanxiang.procedure.coercion.guards import audio_video_missing
from sanxiang.procedure.coercion.snapshot import MeasureSnapshot
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.evaluation.casefile_standard import Item, ItemResult, RecordRef, Standard, item_result
from sanxiang.procedure.evaluation.decision_text import CONTENT_GROUPS, TextCheck
from sanxiang.procedure.penalty import guards as penalty_guards
from sanxiang.procedure.penalty.procedures import AUDIO_VIDEO_STEPS, step_happened
from sanxiang.procedure.penalty.rules import parameter, service_due
from sanxiang.procedure.penalty.snapshot import (
    DECISION_ELEMENTS,
    NO_PENALTY_DECISION_ELEMENTS,
    PenaltyCaseSnapshot,
)
from sanxiang.procedure.registry_rules import (
    CertificateSnapshot,
    OfficerSnapshot,
    certificate_is_valid_on,
    officers_required,
)


@dataclass(frozen=True)
class DocumentFact:
    id: int
    kind: str
    record_kind: str
    title: str
    number: str
    numbered: bool  # the kind carries a 文号
    issued_on: dt.date


@dataclass(frozen=True)
class EvidenceFact:
    id: int
    step: str  # the record kind or step it was filed under
    kind: str  # photo | audio | video | document | electronic_data | signature
    label: str
    officer: bool  # the officer who collected it is recorded
    captured: bool  # the time it was captured is recorded
    located: bool  # where it was captured is recorded


@dataclass(frozen=True)
class DecisionTextFact:
    """The rule checks run on one decision's text: the generated one (its Word copy) or an upload."""

    source: RecordRef
    checks: tuple[TextCheck, ...]

    @property
    def failed_count(self) -> int:
        return sum(not c.passed for c in self.checks)


@dataclass(frozen=True)
class CaseFileFacts:
    case_id: int
    case_number: str
    snapshot: PenaltyCaseSnapshot | MeasureSnapshot
    documents: tuple[DocumentFact, ...] = ()
    evidence: tuple[EvidenceFact, ...] = ()
    decision_texts: tuple[DecisionTextFact, ...] = ()
    # Record kinds the procedure issues as documents that are in the file only as uploaded files.
    uploaded_documents: tuple[EvidenceFact, ...] = ()
    # Decisions whose text could not be read (a scanned PDF, a Word copy still being made): not checked.
    unread_texts: tuple[RecordRef, ...] = ()
    # Officers who acted on the case and are no longer assigned to it (变更承办人员 after the act): the
    # act's guard checked that they were assigned then; their certificates are judged on the act's day.
    former_officers: tuple[OfficerSnapshot, ...] = ()


Checker = Callable[[Item, CaseFileFacts, GuardContext], ItemResult]
CHECKERS: dict[str, Checker] = {}


def checker(key: str):
    def register(function: Checker) -> Checker:
        CHECKERS[key] = function
        return function

    return register


def _iso(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _case_ref(facts: CaseFileFacts) -> RecordRef:
    return RecordRef("case", facts.case_id, f"案件{facts.case_number}")


def _document_refs(facts: CaseFileFacts, *record_kinds: str) -> list[RecordRef]:
    return [RecordRef("document", d.id, f"{d.title}{('（' + d.number + '）') if d.number else ''}")
            for d in facts.documents if not record_kinds or d.record_kind in record_kinds]


def _penalty(facts: CaseFileFacts) -> PenaltyCaseSnapshot | None:
    return facts.snapshot if isinstance(facts.snapshot, PenaltyCaseSnapshot) else None


def _as_decided(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> GuardContext:
    """The context of the day the decision was made: its guards are read as they stood then."""
    return replace(context, today=snapshot.decided_on or context.today)


def _acts(facts: CaseFileFacts) -> list[tuple[dt.date, tuple[int, ...], str]]:
    """(day, officer ids, label) of every act done by officers: the investigative acts of a penalty
    case, the on-the-spot act of a compulsory measure."""
    snapshot = facts.snapshot
    if isinstance(snapshot, PenaltyCaseSnapshot):
        labels = {"inquiry": "询问", "inspection": "现场检查", "sampling": "抽样取证"}
        return [(a.on, a.officer_ids, f"{_iso(a.on)}的{labels.get(a.kind, '调查')}") for a in snapshot.investigative_acts]
    if snapshot.on_spot is not None:
        return [(snapshot.on_spot.on, snapshot.on_spot.officer_ids, f"{_iso(snapshot.on_spot.on)}实施强制措施")]
    return []


@checker("officer_count")
def officer_count(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = facts.snapshot
    defects = []
    acts = _acts(facts)
    for on, officer_ids, label in acts:
        needed, _basis = officers_required(on=on, region=snapshot.region, sector=snapshot.sector,
                                           parameters=context.parameters)
        if len(set(officer_ids)) < needed:
            defects.append(f"{label}只有{len(set(officer_ids))}名执法人员，少于{needed}名")
    if not acts and snapshot.officers:
        # No act recorded: the officers assigned, against the number on the decision's day (or today).
        on = getattr(snapshot, "decided_on", None) or context.today
        needed, _basis = officers_required(on=on, region=snapshot.region, sector=snapshot.sector,
                                           parameters=context.parameters)
        if len(snapshot.officers) < needed:
            defects.append(f"本案只指派了{len(snapshot.officers)}名执法人员，少于{needed}名")
    refs = [_case_ref(facts), *(RecordRef("officer", o.id or 0, o.name) for o in snapshot.officers)]
    return item_result(item, defects=defects, records=refs, applicable=bool(acts or snapshot.officers))


def _valid_on_the_day(certificate: CertificateSnapshot, on: dt.date, enforcement_field: str) -> bool:
    """Whether the certificate allowed its holder to act on `on`: its dates and its field. The registry
    keeps a certificate's status (暂扣、注销) as it is now, without the day it changed, and the act's own
    guard refused an act by a holder whose certificate was not valid when the act was recorded: a status
    changed since does not reach back to the act."""
    return certificate_is_valid_on(replace(certificate, status="valid"), on, enforcement_field=enforcement_field)


@checker("officer_certificates")
def officer_certificates(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = facts.snapshot
    by_id = {o.id: o for o in (*facts.former_officers, *snapshot.officers)}
    defects = []
    for on, officer_ids, label in _acts(facts):
        for officer_id in dict.fromkeys(officer_ids):
            officer = by_id.get(officer_id)
            if officer is None:
                defects.append(f"{label}的执法人员不是本案承办人员")
            elif not any(_valid_on_the_day(c, on, snapshot.enforcement_field) for c in officer.certificates):
                defects.append(f"{officer.name}在{label}时没有有效的执法证")
    refs = [RecordRef("officer", o.id or 0, f"{o.name}（执法证{len(o.certificates)}个）")
            for o in (*snapshot.officers, *facts.former_officers)]
    return item_result(item, defects=defects, records=refs, applicable=bool(_acts(facts)))


# The guard codes that make the decision unlawful (veto), and the lesser ones (points).
PROCEDURE_VETO_CODES = {
    "penalty.decision.notice_missing": "作出处罚决定前未送达事先告知书",
    "penalty.decision.hearing_not_held": "当事人要求听证而未组织听证即作出决定",
    "penalty.decision.review_missing": "重大执法决定未经法制审核即作出决定",
    "penalty.decision.collective_discussion_missing": "应当集体讨论决定的案件没有集体讨论记录",
}


def _decision_guard_findings(snapshot: PenaltyCaseSnapshot, context: GuardContext, *guards) -> list[tuple[str, str]]:
    if snapshot.decided_on is None or snapshot.decision is None:
        return []
    at = _as_decided(snapshot, context)
    found = []
    for guard in guards:
        found += [(v.code, v.message) for v in guard(snapshot, at)]
    return found


@checker("procedure_lawful")
def procedure_lawful(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = _penalty(facts)
    if snapshot is None or snapshot.decided_on is None:
        return item_result(item, defects=[], applicable=False)
    found = _decision_guard_findings(snapshot, context, penalty_guards.decision_notice_served,
                                     penalty_guards.decision_hearing, penalty_guards.decision_review,
                                     penalty_guards.decision_collective_discussion)
    defects = [PROCEDURE_VETO_CODES[code] for code, _ in found if code in PROCEDURE_VETO_CODES]
    return item_result(item, defects=list(dict.fromkeys(defects)),
                       records=_document_refs(facts, "advance_notice", "hearing_transcript", "review_opinion",
                                              "collective_discussion_record", "decision_document"))


def _guard_item(item: Item, facts: CaseFileFacts, context: GuardContext, guards, record_kinds, *,
                applicable: Callable[[PenaltyCaseSnapshot], bool] = lambda s: True) -> ItemResult:
    snapshot = _penalty(facts)
    if snapshot is None or snapshot.decided_on is None or not applicable(snapshot):
        return item_result(item, defects=[], applicable=False)
    found = _decision_guard_findings(snapshot, context, *guards)
    return item_result(item, defects=list(dict.fromkeys(message for _, message in found)),
                       records=_document_refs(facts, *record_kinds))


@checker("notice_before_decision")
def notice_before_decision(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    return _guard_item(item, facts, context, (penalty_guards.decision_notice_served,
                                              penalty_guards.decision_statement_window),
                       ("advance_notice", "notice_service_receipt", "statement_record", "reexamination_record"),
                       applicable=lambda s: s.decision is not None and s.decision.outcome == "penalty")


@checker("hearing_when_required")
def hearing_when_required(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    return _guard_item(item, facts, context, (penalty_guards.decision_hearing,),
                       ("hearing_notice", "hearing_transcript"),
                       applicable=lambda s: s.decision is not None and s.decision.outcome == "penalty")


@checker("review_when_major")
def review_when_major(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    return _guard_item(item, facts, context, (penalty_guards.decision_review, penalty_guards.decision_collective_discussion),
                       ("review_opinion", "collective_discussion_record"))


@checker("decision_elements")
def decision_elements(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    """第五十九条's elements the decision states (as the step recorded them), then the rule checks of
    the decision's text that concern its content (each failed check once)."""
    snapshot = _penalty(facts)
    if snapshot is None or snapshot.decided_on is None or snapshot.decision is None \
            or snapshot.decision.outcome == "transfer":
        return item_result(item, defects=[], applicable=False)  # a draft is not judged before it is decided
    wanted = DECISION_ELEMENTS if snapshot.decision.outcome == "penalty" else NO_PENALTY_DECISION_ELEMENTS
    defects = [f"决定书缺少：{DECISION_ELEMENTS[e]}" for e in wanted if e not in snapshot.decision.elements]
    refs = _document_refs(facts, "decision_document")
    for text in facts.decision_texts:
        if text.source not in refs:  # the generated decision is listed once, as the document
            refs.append(text.source)
        defects += [f"{text.source.label}：{c.message}" for c in text.checks if not c.passed and c.group in CONTENT_GROUPS]
    return item_result(item, defects=defects, records=refs)


@checker("service_within_7_days")
def service_within_7_days(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = _penalty(facts)
    if snapshot is None or snapshot.decided_on is None or snapshot.decision is None \
            or snapshot.decision.outcome == "transfer":
        return item_result(item, defects=[], applicable=False)
    due = service_due(snapshot, context)
    refs = _document_refs(facts, "decision_document", "service_receipt")
    if snapshot.service is None:
        late = due is not None and context.today > due.date
        defects = [f"决定书至今未送达（应于{_iso(due.date)}前送达）"] if late and due else []
        if not late and due is not None:
            # Still in time: nothing lost yet, the page says by when.
            return ItemResult(findings=(f"决定书应于{_iso(due.date)}前送达",), records=tuple(refs))
        return item_result(item, defects=defects, records=refs)
    defects = []
    if due is not None and snapshot.service.served_on > due.date:
        defects.append(f"决定书于{_iso(snapshot.service.served_on)}送达，晚于{_iso(due.date)}")
    return item_result(item, defects=defects, records=refs)


@checker("records_signed")
def records_signed(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = facts.snapshot
    defects = []
    if isinstance(snapshot, PenaltyCaseSnapshot):
        for act in snapshot.investigative_acts:
            what = f"{_iso(act.on)}的笔录"
            if not act.record_made:
                defects.append(f"{what}未制作或者未签名（拒签未注明）")
            if not act.certificate_shown:
                defects.append(f"{what}未记录出示执法证件")
        refs = _document_refs(facts, "inquiry_record", "inspection_record")
        return item_result(item, defects=defects, records=refs, applicable=bool(snapshot.investigative_acts))
    spot = snapshot.on_spot
    if spot is None:
        return item_result(item, defects=[], applicable=False)
    if not spot.officers_signed:
        defects.append("现场笔录缺执法人员签名")
    # 冻结 follows 第十八条第一、二、三、七项 only (第三十条): the party signs no 现场笔录 at the bank.
    if snapshot.kind != "freeze" and not (spot.party_signed or spot.party_refusal_noted or spot.witness_name):
        defects.append("现场笔录缺当事人签名，拒签未注明，当事人不到场也无见证人签名")
    return item_result(item, defects=defects, records=[_case_ref(facts)])


EVIDENCE_KINDS = frozenset({"photo", "audio", "video", "electronic_data"})


@checker("evidence_signed")
def evidence_signed(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    """Every piece of evidence says who collected it, when and where (the platform's form of the two
    officers' signatures and the annotation the standards ask of each piece)."""
    items = [e for e in facts.evidence if e.kind in EVIDENCE_KINDS]
    defects = []
    for evidence in items:
        missing = [label for label, present in (("采集人员", evidence.officer), ("采集时间", evidence.captured),
                                                ("采集地点", evidence.located)) if not present]
        if missing:
            defects.append(f"{evidence.label}未登记{'、'.join(missing)}")
    refs = [RecordRef("evidence", e.id, e.label) for e in items]
    return item_result(item, defects=defects, records=refs, applicable=bool(items))


@checker("audio_video")
def audio_video(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = facts.snapshot
    refs = [RecordRef("evidence", e.id, e.label) for e in facts.evidence if e.kind in ("audio", "video")]
    if isinstance(snapshot, PenaltyCaseSnapshot):
        on = snapshot.decided_on or context.today
        steps = parameter(context, snapshot, "penalty.recording.audio_video_steps", on=on).value
        required = [s for s in steps if s in AUDIO_VIDEO_STEPS and step_happened(s, snapshot)]
        defects = [f"{AUDIO_VIDEO_STEPS[s]}没有音像记录" for s in required if f"audio_video_{s}" not in snapshot.records]
        return item_result(item, defects=defects, records=refs, applicable=bool(required))
    if snapshot.on_spot is None:
        return item_result(item, defects=[], applicable=False)
    # The 音像记录事项清单 in force on the day of the measure says whether it needed one.
    missing = audio_video_missing(step=snapshot.kind, records=snapshot.records, on=snapshot.on_spot.on,
                                  region=snapshot.region, sector=snapshot.sector, parameters=context.parameters)
    listed = snapshot.kind in context.parameters.value("coercion.audio_video_required_steps", on=snapshot.on_spot.on,
                                                       region=snapshot.region, sector=snapshot.sector)
    return item_result(item, defects=["实施强制措施没有全程音像记录"] if missing else [], records=refs, applicable=listed)


@checker("opening_timely")
def opening_timely(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = _penalty(facts)
    if snapshot is None or snapshot.opened_on is None:
        return item_result(item, defects=[], applicable=False)  # a lead is judged once it is opened
    defects = []
    if "opening_approval" not in snapshot.records:
        defects += ["无立案审批表", "无立案审批表"]  # −2 under the standard's −1 per defect
    elif not snapshot.opening_approved_by_head:
        defects.append("立案未经机关负责人批准")
    return item_result(item, defects=defects, records=_document_refs(facts, "opening_approval"))


@checker("documents_templates")
def documents_templates(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    """The platform issues its documents from the filed templates; a document kind that is in the
    file only as an uploaded file was not made on them."""
    defects = [f"{e.label}是上传的文书，未使用规定的文书格式" for e in facts.uploaded_documents]
    refs = _document_refs(facts) + [RecordRef("evidence", e.id, e.label) for e in facts.uploaded_documents]
    return item_result(item, defects=defects, records=refs, applicable=bool(refs))


@checker("documents_numbered")
def documents_numbered(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    defects = [f"{d.title}未编文号" for d in facts.documents if d.numbered and not d.number.strip()]
    numbers = [d.number for d in facts.documents if d.number.strip()]
    defects += [f"文号{n}重复使用" for n in sorted({n for n in numbers if numbers.count(n) > 1})]
    return item_result(item, defects=defects, records=_document_refs(facts), applicable=bool(facts.documents))


@checker("one_case_one_file")
def one_case_one_file(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    """The platform files every record of a case under the case, one file per case (met by
    construction; the documents looked at are listed)."""
    return item_result(item, defects=[], records=[_case_ref(facts)])


@checker("coercion_approved")
def coercion_approved(item: Item, facts: CaseFileFacts, context: GuardContext) -> ItemResult:
    snapshot = facts.snapshot
    if not isinstance(snapshot, MeasureSnapshot) or snapshot.taken_at is None:
        return item_result(item, defects=[], applicable=False)
    approval = snapshot.approval
    refs = [_case_ref(facts)]
    if not snapshot.emergency_reason:
        defects = [] if approval is not None and approval.approved else ["实施前未经机关负责人批准"]
        return item_result(item, defects=defects, records=refs)
    # 第十九条: taken on the spot in an emergency, the head's approval is sought within 24 hours (the
    # head's answer, either way, is the 补办; a refusal then releases the measure).
    due = snapshot.taken_at + dt.timedelta(hours=24)
    if approval is None:
        if context.today > due.date():
            return item_result(item, defects=["情况紧急当场实施后，二十四小时内未补办批准手续"], records=refs)
        return ItemResult(findings=(f"应于{_iso(due.date())}前（实施后二十四小时内）补办批准手续",), records=tuple(refs))
    late = approval.decided_at > due
    return item_result(item, defects=["情况紧急当场实施后，超过二十四小时才补办批准手续"] if late else [], records=refs)


def casefile_results(standard: Standard, facts: CaseFileFacts, context: GuardContext) -> dict[str, ItemResult]:
    """The results of every automatic item of `standard` (manual items are left out: an evaluator
    scores them)."""
    results = {}
    for item in standard.items:
        if item.automatic and item.function in CHECKERS:
            results[item.code] = CHECKERS[item.function](item, facts, context)
    return results


__all__ = [
    "CHECKERS",
    "PROCEDURE_VETO_CODES",
    "CaseFileFacts",
    "DecisionTextFact",
    "DocumentFact",
    "EvidenceFact",
    "casefile_results",
]

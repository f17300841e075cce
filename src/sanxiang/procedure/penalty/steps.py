"""The steps of a penalty case (行政处罚: 普通程序 and 简易程序) as the officer meets them: one spec
per action, with its form fields, what it does to the case's facts, the documents (文书) it issues
and the records it makes (the framework is `sanxiang.procedure.steps`).

Two sorts of step:
- transitions of the engine (`ORDINARY`, `SUMMARY`): the service applies the form to the
  snapshot, then `penalty_apply` decides, with every violation;
- recording steps that happen within a state (a questioning, a statement, a payment, a review
  opinion): they change the facts but not the state, and are checked here, with the engine's
  own rules where it has them (`investigative_act_problems`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sanxiang.procedure import discretion as bench
from sanxiang.procedure.citations import LEGAL_BASIS_EXAMPLE, OFFICERS_ACT, ONE_FINE_PER_ACT
from sanxiang.procedure.penalty import (
    AdvanceNotice,
    Challenge,
    DecisionDraft,
    EvidencePreservation,
    Hearing,
    Instalment,
    InvestigativeAct,
    OnSpot,
    Payment,
    PaymentArrangement,
    PenaltyTerms,
    RecusalRequest,
    ReviewOpinion,
    Service,
    investigative_act_problems,
)
from sanxiang.procedure.penalty.basis import penalty_article
from sanxiang.procedure.penalty.challenges import CHALLENGE_RESULTS, challenge_violations
from sanxiang.procedure.penalty.guards import WITHDRAWAL_KINDS
from sanxiang.procedure.penalty.review import (
    DISCUSSION_RESOLUTIONS,
    collective_discussion_problems,
    major_mark_change_problems,
    major_override_problems,
    pending_request,
    review_extension_problems,
    review_opinion_problems,
    review_submission_problems,
    reviewer_problems,
)
from sanxiang.procedure.penalty.rules import recused_officer_ids
from sanxiang.procedure.penalty.snapshot import (
    CHECKLIST_FINDINGS,
    DISCRETION,
    MAJOR_CONDITIONS,
    NO_PENALTY_REASONS,
    ON_SPOT_COLLECTION_GROUNDS,
    PENALTY_KINDS,
    REVIEW_CHECKLIST,
    REVIEW_OPINIONS,
    SERVICE_METHODS,
    ChecklistFinding,
    CollectiveDiscussion,
    MajorOverride,
    ReviewRequest,
    yuan,
)
from sanxiang.procedure.penalty.texts import (
    ChecklistEntry,
    Closing,
    Court,
    DatedText,
    DecisionTexts,
    DiscretionApplied,
    DiscretionNoPenalty,
    Discussion,
    Extension,
    Findings,
    HeadOpinion,
    HearingTexts,
    Inquiry,
    Inspection,
    MajorMark,
    Note,
    NoticeTexts,
    OfficerChange,
    OnSpotTexts,
    Opening,
    PaymentTexts,
    PenaltyTexts,
    Preservation,
    Reassignment,
    Review,
    ReviewExtension,
    ReviewRound,
    ServiceTexts,
    Statement,
    Waiver,
)
from sanxiang.procedure.registry_rules import OfficerSnapshot, case_officers_problems
from sanxiang.procedure.roles import HEAD, REVIEWER
from sanxiang.procedure.steps import (
    APPROVAL_FORM_RULE,
    CORRECTION_NOT_FOUND,
    Draft,
    Field,
    Step,
    approval_field,
    area_field,
    bool_field,
    choices,
    date_field,
    fen,
    lines_field,
    officer_ids,
    reason_field,
    replaced_last,
    text_field,
)
from sanxiang.procedure.violations import FORM_BASIS, Violation

ORDINARY = "ordinary"
SUMMARY = "summary"
_t, _area, _lines, _date, _bool, _reason = text_field, area_field, lines_field, date_field, bool_field, reason_field


SOURCES = {
    "inspection": "监督检查",
    "complaint": "投诉举报",
    "assigned": "上级交办",
    "transferred": "其他机关移送",
    "other": "其他",
}
CHALLENGE_KINDS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
OUTCOMES = {"penalty": "给予行政处罚", "no_penalty": "不予行政处罚", "transfer": "移送司法机关"}

PENALTY_FIELDS = (
    Field("penalty_kinds", "处罚种类", "choices", required=False, choices=choices(PENALTY_KINDS)),
    Field("fine_yuan", "罚款数额（元）", "yuan", required=False),
    Field("confiscation_yuan", "没收违法所得或者非法财物的数额（元）", "yuan", required=False),
    _t("penalty_detail", "处罚的具体内容", required=False, help="没收的物品、暂扣或者吊销的证照、停产停业的期限等"),
    _lines("penalty_bases", "处罚依据", required=False, help=f"每行一条，如：{LEGAL_BASIS_EXAMPLE}"),
)


# --- parsing helpers --------------------------------------------------------------------------------




# The document the decision issues, by the draft's outcome.
OUTCOME_DOCUMENTS = {"penalty": "decision_document", "no_penalty": "no_penalty_decision", "transfer": "transfer_letter"}


def penalty_document_applies(kind: str, draft: Draft) -> bool:
    """Which of a step's documents this case gets: the decision issues the document of its outcome
    (行政处罚决定书, 不予行政处罚决定书 or 涉嫌犯罪案件移送书); a public notice has no 送达回证."""
    snapshot = draft.snapshot
    if kind in OUTCOME_DOCUMENTS.values():
        decision = snapshot.decision
        return decision is not None and OUTCOME_DOCUMENTS.get(decision.outcome) == kind
    if kind == "service_receipt" and snapshot.service is not None:
        return snapshot.service.method != "public_notice"
    return True


def terms_from(data: dict[str, Any]) -> PenaltyTerms | None:
    kinds = frozenset(data.get("penalty_kinds") or ())
    if not kinds:
        return None
    return PenaltyTerms(kinds, fine_fen=fen(data.get("fine_yuan")), confiscation_fen=fen(data.get("confiscation_yuan")))


def penalty_details(data: dict[str, Any]) -> dict[str, Any]:
    """The 具体内容 and the 处罚依据 a form gives, as the texts keep them."""
    return {"detail": data.get("penalty_detail", ""), "bases": tuple(data.get("penalty_bases") or ())}


def texts_of(d: Draft) -> PenaltyTexts:
    """The case's texts as the step finds them (none yet: empty)."""
    return d.texts if d.texts is not None else PenaltyTexts()


def texts_update(d: Draft, **changes: Any) -> None:
    """Replace parts of the case's texts (`Draft.texts` is frozen)."""
    d.texts = replace(texts_of(d), **changes)






# --- 立案 -----------------------------------------------------------------------------------------


OPENING_APPROVALS = (("agree", "同意立案"), ("disagree", "不同意立案"))


def apply_approve_opening(d: Draft, data: dict) -> None:
    """The head answers the proposal to open: 同意 opens the way to 立案; 不同意 (with its reason)
    sends the case back to the officer, who may supplement and submit again or propose 不予立案
    (第五十四条第二款: opening and not opening both rest on the head's approval)."""
    answer = data.get("approval") or ""
    opinion = (data.get("opinion") or "").strip()
    if answer not in dict(OPENING_APPROVALS):
        d.violations.append(Violation("penalty.opening.approval_missing", "请选择“同意立案”或者“不同意立案”",
                                      APPROVAL_FORM_RULE, "approval"))
        return
    if not opinion:
        what = "不同意的理由" if answer == "disagree" else "审批意见"
        d.violations.append(Violation("penalty.opening.opinion_missing", f"请填写{what}", APPROVAL_FORM_RULE, "opinion"))
        return
    d.update(opening_approved_by_head=answer == "agree", opening_head_decision=answer)
    texts_update(d, opening_head=HeadOpinion(text=opinion, signer=d.actor_name, on=d.on))


def apply_open(d: Draft, data: dict) -> None:
    d.update(
        major_case=bool(data.get("major_case")),
        complex_case=bool(data.get("complex_case")),
        life_health_or_financial_harm=bool(data.get("life_health_or_financial_harm")),
        limitation_override_reason=data.get("limitation_override_reason", ""),
    )
    texts_update(d, opening=_opening(d, data))


def _opening(d: Draft, data: dict, *, declined: bool = False) -> Opening:
    return Opening(
        source=data["source"],
        summary=data["summary"],
        violated=tuple(data.get("violated") or ()),
        handler_opinion=data["handler_opinion"],
        on=d.on,
        declined=declined,
    )


def apply_decline(d: Draft, data: dict) -> None:
    texts_update(d, opening=_opening(d, data, declined=True))


def apply_withdraw_case(d: Draft, data: dict) -> None:
    d.update(withdrawn_on=d.on, withdrawal_kind=data.get("kind") or "", withdrawal_reason=(data.get("reason") or "").strip())


def penalty_form_initial(texts: PenaltyTexts | None) -> dict[str, Any]:
    """The penalty proposed so far, to start the next form with."""
    findings = texts.findings if texts is not None else Findings()
    terms = findings.proposed
    if terms is None:
        return {}
    initial = {"penalty_kinds": sorted(terms.kinds), "penalty_bases": list(findings.bases),
               "penalty_detail": findings.detail}
    if terms.fine_fen:
        initial["fine_yuan"] = yuan(terms.fine_fen).removesuffix("元")
    if terms.confiscation_fen:
        initial["confiscation_yuan"] = yuan(terms.confiscation_fen).removesuffix("元")
    return initial


# --- 调查取证 -------------------------------------------------------------------------------------


# The interviewee's answer to the 询问笔录's opening question 你是否申请回避？ (第四十三条).
RECUSAL_ANSWERS = {"no": "不申请回避", "yes": "申请回避"}


def _act(d: Draft, data: dict, kind: str) -> None:
    act, record = _act_record(kind, data)
    what = "本次询问" if kind == "inquiry" else "本次现场检查"
    d.violations += investigative_act_problems(d.snapshot, d.context, act=act, what=what)
    if act.on > d.on:
        d.refuse("case.act_in_future", f"{what}的日期晚于今天", penalty_article(55), "on")
    d.update(investigative_acts=(*d.snapshot.investigative_acts, act))
    texts = texts_of(d)
    if kind == "inquiry":
        texts_update(d, inquiries=(*texts.inquiries, record))
    else:
        texts_update(d, inspections=(*texts.inspections, record))


def _act_record(kind: str, data: dict) -> tuple[InvestigativeAct, Inquiry | Inspection]:
    """The act and its record as `_act` builds them from a form's data."""
    act = InvestigativeAct(kind=kind, on=data["on"], officer_ids=officer_ids(data),
                           certificate_shown=bool(data.get("certificate_shown")), record_made=True)
    common = {"on": data["on"], "start": data.get("start_time", ""), "end": data.get("end_time", ""),
              "place": data["place"], "officer_ids": act.officer_ids, "recorder": data["recorder"]}
    if kind == "inquiry":
        return act, Inquiry(**common, interviewee=data["interviewee"], relation=data.get("relation", ""),
                            exchanges=tuple(data.get("exchanges") or ()),
                            recusal_answer=RECUSAL_ANSWERS.get(data.get("recusal_answer") or "", ""))
    return act, Inspection(**common, findings=data["findings"], present_person=data.get("present_person", ""))


# The path left once a 笔录 may no longer be corrected (the case is past 调查取证).
SUPPLEMENTARY_INVESTIGATION = "调查终结后发现笔录有误或者不全的，应当在作出决定前补充调查，另行制作笔录；已作出决定的，依法变更或者撤销决定"


def _correct_act(kind: str):
    """更正 of a 询问笔录 or 现场检查笔录: the act and its record replaced by the corrected ones,
    the corrected act checked as the original was (第四十二条: two officers with valid
    certificates; 第五十五条: shown to the party)."""

    def correct(d: Draft, old: dict, new: dict) -> None:
        old_act, old_record = _act_record(kind, old)
        new_act, new_record = _act_record(kind, new)
        what = "更正后的询问" if kind == "inquiry" else "更正后的现场检查"
        if old_act not in d.snapshot.investigative_acts:
            d.refuse("case.correction.not_found", "未找到要更正的记录", CORRECTION_NOT_FOUND)
            return
        d.violations += investigative_act_problems(d.snapshot, d.context, act=new_act, what=what)
        if new_act.on > d.on:
            d.refuse("case.act_in_future", f"{what}的日期晚于今天", penalty_article(55), "on")
        d.update(investigative_acts=replaced_last(d.snapshot.investigative_acts, old_act, new_act))
        texts = texts_of(d)
        records = texts.inquiries if kind == "inquiry" else texts.inspections
        replaced = replaced_last(records, old_record, new_record)
        if replaced is None:
            d.refuse("case.correction.not_found", "未找到要更正的记录", CORRECTION_NOT_FOUND)
            return
        texts_update(d, **({"inquiries": replaced} if kind == "inquiry" else {"inspections": replaced}))

    return correct


def correct_payment(d: Draft, old: dict, new: dict) -> None:
    """更正 of a payment entered wrongly (date, amount, receipt), checked as the entry was."""
    amount = fen(new["amount_yuan"])
    if amount <= 0:
        d.refuse("case.payment.amount", "缴纳数额应大于零", penalty_article(67), "amount_yuan")
    if new["paid_on"] > d.on:
        d.refuse("case.payment.in_future", "缴纳日期晚于今天", penalty_article(67), "paid_on")
    payments = replaced_last(d.snapshot.payments, Payment(old["paid_on"], fen(old["amount_yuan"])),
                             Payment(new["paid_on"], amount))
    texts = replaced_last(texts_of(d).payments,
                          PaymentTexts(on=old["paid_on"], fen=fen(old["amount_yuan"]), receipt=old["receipt"]),
                          PaymentTexts(on=new["paid_on"], fen=amount, receipt=new["receipt"]))
    if payments is None or texts is None:
        d.refuse("case.correction.not_found", "未找到要更正的记录", CORRECTION_NOT_FOUND)
        return
    d.update(payments=payments)
    texts_update(d, payments=texts)


def apply_inquiry(d: Draft, data: dict) -> None:
    _act(d, data, "inquiry")


def apply_inspection(d: Draft, data: dict) -> None:
    _act(d, data, "inspection")


def apply_preservation(d: Draft, data: dict) -> None:
    approved_on = data.get("approved_on")
    if approved_on is None:
        d.refuse(
            "case.preservation.not_approved",
            "先行登记保存须经行政机关负责人批准，请填写批准日期",
            penalty_article(56),
            "approved_on",
        )
    d.update(preservations=(*d.snapshot.preservations, EvidencePreservation(on=d.on, approved_by_head=approved_on is not None)))
    preservation = Preservation(on=d.on, approved_on=approved_on, items=tuple(data["items"]),
                                storage_place=data["storage_place"])
    texts_update(d, preservations=(*texts_of(d).preservations, preservation))


def apply_handle_preservation(d: Draft, data: dict) -> None:
    pending = [p for p in d.snapshot.preservations if p.handled_on is None]
    if not pending:
        d.refuse("case.preservation.none_pending", "没有待作出处理决定的先行登记保存", penalty_article(56))
        return
    d.update(preservations=tuple(replace(p, handled_on=p.handled_on or d.on) for p in d.snapshot.preservations))
    texts_update(d, preservation_decision=DatedText(text=data["decision"], on=d.on))
    d.records.add("preservation_decision")


def apply_request_recusal(d: Draft, data: dict) -> None:
    officer_id = int(data["officer"])
    if d.snapshot.officer(officer_id) is None:
        d.refuse("case.recusal.not_assigned", "申请回避的人员不是本案承办人员", penalty_article(43), "officer")
    d.update(recusals=(*d.snapshot.recusals, RecusalRequest(officer_id, requested_on=data["requested_on"])))


def apply_decide_recusal(d: Draft, data: dict) -> None:
    if not any(r.decided_on is None for r in d.snapshot.recusals):
        d.refuse("case.recusal.none_pending", "没有待决定的回避申请", penalty_article(43))
        return
    granted = data.get("decision") == "granted"
    d.update(
        recusals=tuple(
            replace(r, decided_on=d.on, granted=granted) if r.decided_on is None else r for r in d.snapshot.recusals
        )
    )


def apply_end_investigation(d: Draft, data: dict) -> None:
    findings = Findings(
        process=data["process"],
        facts=data["facts"],
        evidence=tuple(data.get("evidence") or ()),
        violated=tuple(data.get("violated") or ()),
        opinion=data.get("opinion", ""),
        proposed=terms_from(data),
        **penalty_details(data),
    )
    texts_update(d, findings=findings)


# --- 事先告知、陈述申辩、听证 ---------------------------------------------------------------------------


def apply_notify(d: Draft, data: dict) -> None:
    from sanxiang.procedure.penalty import hearing_reasons
    from sanxiang.procedure.penalty.snapshot import NOTICE_ELEMENTS

    terms = terms_from(data)
    if terms is None:
        d.refuse("case.notice.penalty_missing", "事先告知书须写明拟作出的行政处罚", penalty_article(44), "penalty_kinds")
        terms = PenaltyTerms(frozenset())
    served_on = data["served_on"]
    # The notice the system prints always states the facts, reasons, basis, proposed penalty and
    # the right to state and defend, and the hearing right whenever the engine says a hearing may be asked for: an
    # officer cannot leave a right out.
    hearing = bool(hearing_reasons(terms, d.snapshot, d.context, on=served_on))
    elements = frozenset(e for e in NOTICE_ELEMENTS if e != "hearing_right" or hearing)
    d.update(notice=AdvanceNotice(penalty=terms, elements=elements, served_on=served_on))
    texts = texts_of(d)
    texts_update(
        d,
        findings=replace(texts.findings, proposed=terms, **penalty_details(data)),
        notice=NoticeTexts(served_on=served_on, method=data["method"], place=data["place"], hearing_right=hearing,
                           contact_person=data.get("contact_person", "")),
    )


def apply_renotify(d: Draft, data: dict) -> None:
    """重新告知: a new notice replaces the one in force (kept as an earlier notice), and the
    party's windows run again from its service (the engine's notice rules)."""
    from sanxiang.procedure.penalty.guards import notice_complete

    previous = d.snapshot.notice
    apply_notify(d, data)
    if previous is not None:
        d.update(earlier_notices=(*d.snapshot.earlier_notices, previous))
    d.violations += notice_complete(d.snapshot, d.context)
    # A new basis or detail printed in the decision is a new decision for the review.
    _decision_digest_refresh(d)


def apply_statement(d: Draft, data: dict) -> None:
    d.update(statement_submitted_on=data["submitted_on"])
    statement = Statement(on=data["submitted_on"], summary=data["summary"])
    texts_update(d, statements=(*texts_of(d).statements, statement))
    d.records.add("statement_record")


def apply_reexamine(d: Draft, data: dict) -> None:
    if d.snapshot.statement_submitted_on is None:
        d.refuse("case.reexamination.nothing", "当事人没有提出陈述、申辩，无需复核", penalty_article(45))
    texts_update(d, reexamination=DatedText(text=data["opinion"], on=d.on))
    d.records.add("reexamination_record")


def apply_waive_statement(d: Draft, data: dict) -> None:
    d.update(statement_waived=True)
    texts_update(d, statement_waiver=Waiver(on=d.on, note=data["note"]))


def apply_waive_hearing(d: Draft, data: dict) -> None:
    d.update(hearing_waived=True)
    texts_update(d, hearing_waiver=Waiver(on=d.on, note=data["note"]))


def apply_request_hearing(d: Draft, data: dict) -> None:
    if d.snapshot.hearing is not None and d.snapshot.hearing.withdrawn_on is None:
        d.refuse("case.hearing.already_requested", "当事人已经要求听证", penalty_article(64), "hearing")
    d.update(hearing=Hearing(requested_on=data["requested_on"]))


def apply_schedule_hearing(d: Draft, data: dict) -> None:
    hearing = d.snapshot.hearing
    if hearing is None:
        return  # the engine says the party did not ask for a hearing
    presiding = int(data["presiding"]) if data.get("presiding") else None
    d.update(
        hearing=replace(
            hearing,
            notice_served_on=data["notice_served_on"],
            scheduled_for=data["scheduled_for"],
            presiding_officer_id=presiding,
            agent_count=int(data.get("agent_count") or 0),
        )
    )
    texts_update(d, hearing=HearingTexts(
        scheduled_for=data["scheduled_for"],
        time=data.get("time", ""),
        place=data["place"],
        presiding_name=data.get("presiding_name", ""),
        clerk=data["clerk"],
        public=not data.get("not_public"),
    ))


def apply_withdraw_hearing(d: Draft, data: dict) -> None:
    if d.snapshot.hearing is not None:
        d.update(hearing=replace(d.snapshot.hearing, withdrawn_on=data["withdrawn_on"]))


def apply_hold_hearing(d: Draft, data: dict) -> None:
    if d.snapshot.hearing is not None:
        d.update(hearing=replace(d.snapshot.hearing, party_absent=bool(data.get("party_absent"))))
    hearing = replace(texts_of(d).hearing, end_time=data.get("end_time", ""),
                      attendees=tuple(data.get("attendees") or ()), exchanges=tuple(data.get("exchanges") or ()))
    texts_update(d, hearing=hearing)


# --- 法制审核、集体讨论、决定 -------------------------------------------------------------------------


def _decision_digest_refresh(d: Draft) -> None:
    """The digest of the texts the decision document will print: the draft's own, or where it has
    none, the investigation's or the latest notice's (as paperwork.document_context falls back)."""
    decision = d.snapshot.decision
    texts = texts_of(d)
    if decision is not None and texts.decision is not None:
        d.update(decision=replace(decision, content_digest=texts.decision_digest()))


def discretion_applied(d: Draft, data: dict, *, outcome: str, terms: PenaltyTerms | None) -> tuple[str, str]:
    """The 裁量基准 applied to the draft: the discretion key (within / mitigated / aggravated) and the
    decision's statement of it. Without a benchmark for the matter, the officer's own choice and no
    statement. With one, the platform proposes the tier and band from the facts entered and the
    party's earlier offences, and refuses an amount outside the band without a written reason
    (every reason at once); what it proposed and the version applied go into the case's details."""
    benchmark = d.discretion_benchmark
    if benchmark is None or outcome not in ("penalty", "no_penalty"):
        if texts_of(d).discretion is not None:
            texts_update(d, discretion=None)
        return data.get("discretion") or "within", ""
    code = (data.get("discretion_entry") or "").strip()
    if not code and len(benchmark.entries) == 1:
        code = benchmark.entries[0].code
    if benchmark.entry(code) is None:
        choices = "、".join(f"{e.code}（{e.violation}）" for e in benchmark.entries)
        d.refuse("discretion.entry", f"请填写本案适用的裁量基准违法行为编号：{choices}", bench.PUBLISHED,
                 "discretion_entry")
        return data.get("discretion") or "within", ""
    facts, problems = bench.facts_parse(data.get("discretion_facts") or (), bench.benchmark_facts(benchmark, code))
    for problem in problems:
        d.refuse("discretion.facts", problem, bench.PLATFORM_RULE, "discretion_facts")
    proposal = bench.propose(benchmark, code, facts, act_on=d.snapshot.act_date, earlier=d.earlier_offences)
    explanation = (data.get("discretion_explanation") or "").strip()
    fined = outcome == "penalty" and terms is not None and "fine" in terms.kinds
    amount = terms.fine_fen if fined and terms is not None else None
    if fined and proposal.missing:
        labels = "、".join(c.label for c in bench.benchmark_facts(benchmark, code) if c.fact in proposal.missing)
        d.refuse("discretion.base", f"按裁量基准计算罚款须填写：{labels}", bench.PUBLISHED, "discretion_facts")
    assessment = bench.assess(proposal, amount_fen=amount, explanation=explanation,
                              mitigation_recorded=bool(data.get("mitigation_recorded")))
    if outcome == "penalty":
        d.violations += list(assessment.problems)
    texts_update(d, discretion=DiscretionApplied(
        benchmark=proposal.version,
        label=benchmark.label(),
        source=benchmark.source,
        entry=code,
        violation=proposal.entry.violation,
        tier=proposal.tier.level,
        tier_label=bench.TIERS[proposal.tier.level],
        band=proposal.band.describe() if proposal.band is not None else "",
        suggested_fen=proposal.suggested_fen,
        position=assessment.position,
        position_label=bench.POSITIONS[assessment.position],
        basis=proposal.basis_lines(),
        earlier=tuple(o.case for o in proposal.earlier),
        no_penalty=tuple(
            DiscretionNoPenalty(f.rule.kind, bench.NO_PENALTY_KINDS[f.rule.kind], f.eligible, f.reasons)
            for f in proposal.no_penalty
        ),
        no_penalty_basis=bench.NO_PENALTY_BASIS,
        explanation=explanation,
    ))
    statement = proposal.statement(amount, explanation) if outcome == "penalty" else ""
    return (assessment.discretion if outcome == "penalty" else "within"), statement


def apply_draft_decision(d: Draft, data: dict) -> None:
    outcome = data["outcome"]
    terms = terms_from(data) if outcome == "penalty" else None
    reason = data.get("no_penalty_reason") or None
    discretion, discretion_statement = discretion_applied(d, data, outcome=outcome, terms=terms)
    texts_update(d, decision=DecisionTexts(
        outcome=outcome,
        reasoning=data.get("reasoning", ""),
        transfer_to=data.get("transfer_to", ""),
        **penalty_details(data),
        education=data.get("education", ""),
        correction=data.get("correction", ""),
        suspected_offence=data.get("suspected_offence", ""),
        attachments=tuple(data.get("attachments") or ()),
        discretion=discretion_statement,
    ))
    d.update(
        decision=DecisionDraft(
            outcome=outcome,
            penalty=terms,
            no_penalty_reason=reason if outcome == "no_penalty" else None,
            mitigation_recorded=bool(data.get("mitigation_recorded")),
            discretion=discretion,
            content_digest=texts_of(d).decision_digest(),
        ),
        prior_fines_for_same_act=tuple(data.get("prior_fines") or ()),
    )


def apply_mark_major(d: Draft, data: dict) -> None:
    problems = major_mark_change_problems(
        d.snapshot,
        major_case=bool(data.get("major_case")),
        conditions=frozenset(data.get("major_conditions") or ()),
        complex_case=bool(data.get("complex_case")),
        actor_is_head=d.actor_role in HEAD,
    )
    if problems:
        d.violations += problems
        return
    d.update(
        major_case=bool(data.get("major_case")),
        major_conditions=frozenset(data.get("major_conditions") or ()),
        complex_case=bool(data.get("complex_case")),
    )
    mark = MajorMark(on=d.on, by=d.actor_name, reason=data.get("reason", ""))
    texts_update(d, major_marks=(*texts_of(d).major_marks, mark))


def apply_override_major(d: Draft, data: dict) -> None:
    criteria = frozenset(data.get("criteria") or ())
    reason = data.get("reason", "")
    problems = major_override_problems(
        d.snapshot, d.context, criteria=criteria, reason=reason, actor_is_head=d.actor_role in HEAD
    )
    if problems:
        d.violations += problems
        return
    decision = d.snapshot.decision
    override = MajorOverride(criteria=criteria, reason=reason, by=d.actor_name, on=d.on,
                             draft=decision.key() if decision is not None else "")
    d.update(major_overrides=(*d.snapshot.major_overrides, override))


def _eligible_reviewers(d: Draft) -> list[OfficerSnapshot]:
    submitter = d.actor_officer.id if d.actor_officer is not None else None
    return [
        r
        for r in d.reviewers
        if r.id != submitter and not reviewer_problems(d.snapshot, r, first_time=r.id in d.reviewers_first_time)
    ]


def apply_submit_review(d: Draft, data: dict) -> None:
    evidence = list(data.get("evidence_list") or [])
    explanation = data.get("explanation", "")
    response = data.get("response", "")
    package = {"evidence_list"} if evidence else set()
    if explanation.strip():
        package.add("explanation")
    problems = review_submission_problems(d.snapshot, d.context, package=frozenset(package), response=response)
    eligible = _eligible_reviewers(d)
    if not eligible:
        problems.append(
            Violation(
                "penalty.review.no_reviewer",
                "本机关没有可以审核本案的法制审核人员（须为在岗的法制审核人员、未参与本案调查，"
                "初次从事审核的须具有法律职业资格），请先在执法主体中指定",
                penalty_article(58),
                "reviewer",
            )
        )
    if problems:
        d.violations += problems
        return
    # The least loaded eligible reviewer; ties go to the longest-serving (lowest id).
    reviewer = min(eligible, key=lambda r: (d.reviewer_loads.get(r.id or 0, 0), r.id or 0))
    decision = d.snapshot.decision
    assert decision is not None
    number = len(d.snapshot.review_requests) + 1
    request = ReviewRequest(
        round=number,
        submitted_on=d.on,
        draft=decision.key(),
        package=frozenset(package | {"draft_decision"} | ({"investigation_report", "hearing_transcript"}
                                                          & d.snapshot.records)),
        reviewer_id=reviewer.id,
        response_given=bool(response.strip()),
        submitted_by=d.actor_officer.id if d.actor_officer is not None else None,
    )
    d.update(review_requests=(*d.snapshot.review_requests, request))
    row = ReviewRound(round=number, on=d.on, by=d.actor_name, evidence_list=tuple(evidence), explanation=explanation,
                      response=response, reviewer=reviewer.name, reviewer_id=reviewer.id)
    texts_update(d, review_rounds=(*texts_of(d).review_rounds, row))


def apply_assign_reviewer(d: Draft, data: dict) -> None:
    request = pending_request(d.snapshot)
    if request is None:
        d.refuse("penalty.review.nothing_pending", "没有待审核的送审，无须指定审核人员", penalty_article(58), "review")
        return
    chosen = int(data["reviewer"])
    reviewer = next((r for r in d.reviewers if r.id == chosen), None)
    if reviewer is None:
        d.refuse("penalty.review.reviewer_not_designated", "所选人员不是本机关在岗的法制审核人员",
                 penalty_article(58), "reviewer")
        return
    problems = reviewer_problems(d.snapshot, reviewer, first_time=chosen in d.reviewers_first_time)
    if problems:
        d.violations += problems
        return
    requests = tuple(replace(r, reviewer_id=chosen) if r.round == request.round else r
                     for r in d.snapshot.review_requests)
    d.update(review_requests=requests)
    reassigned = Reassignment(on=d.on, by=d.actor_name, reason=data.get("reason", ""))
    _last_round_update(d, reviewer=reviewer.name, reviewer_id=chosen, reassigned=reassigned)


def _last_round_update(d: Draft, **changes: Any) -> None:
    rounds = texts_of(d).review_rounds
    if rounds:
        texts_update(d, review_rounds=(*rounds[:-1], replace(rounds[-1], **changes)))


def apply_change_officers(d: Draft, data: dict) -> None:
    """The head assigns other officers to the case (one left, one's certificate expired, or the
    case was registered with officers who cannot act): each must be able to act today, and there
    must be as many as an act needs (`officers_required`); an officer who was recused may not come back."""
    by_id = {o.id: o for o in d.agency_officers}
    chosen_ids = list(dict.fromkeys(int(i) for i in data.get("officer_ids") or []))
    unknown = [i for i in chosen_ids if i not in by_id]
    if unknown:
        d.refuse("case.officers.not_of_agency", "所选人员不是本机关的执法人员", penalty_article(42), "officer_ids")
        return
    chosen = tuple(by_id[i] for i in chosen_ids)
    d.violations += case_officers_problems(
        chosen, on=d.on, enforcement_field=d.snapshot.enforcement_field, region=d.snapshot.region,
        sector=d.snapshot.sector, parameters=d.context.parameters, require_team=True, field_name="officer_ids",
    )
    recused = recused_officer_ids(d.snapshot)
    for officer in chosen:
        if officer.id in recused:
            d.refuse("case.officers.recused", f"{officer.name}已被决定回避，不能再承办本案", penalty_article(43),
                     "officer_ids")
    before = sorted(o.id for o in d.snapshot.officers)
    if not d.violations and before == sorted(chosen_ids):
        d.refuse("case.officers.unchanged", "所选人员与本案现有承办人员相同", FORM_BASIS, "officer_ids")
    if not str(data.get("reason", "")).strip():
        d.refuse("case.officers.reason_missing", "请填写变更承办人员的理由", FORM_BASIS, "reason")
    if d.violations:
        return
    d.update(officers=chosen)
    change = OfficerChange(on=d.on, by=d.actor_name, from_ids=tuple(before), to_ids=tuple(chosen_ids),
                           reason=str(data["reason"]).strip())
    texts_update(d, officer_changes=(*texts_of(d).officer_changes, change))


def apply_extend_review(d: Draft, data: dict) -> None:
    problems = review_extension_problems(d.snapshot, d.context, extend_to=data["extend_to"])
    if problems:
        d.violations += problems
        return
    request = pending_request(d.snapshot)
    assert request is not None
    d.update(review_requests=tuple(replace(r, extended_to=data["extend_to"]) if r.round == request.round else r
                                   for r in d.snapshot.review_requests))
    _last_round_update(d, extension=ReviewExtension(to=data["extend_to"], reason=data.get("reason", ""), by=d.actor_name))


def checklist_from(data: dict[str, Any]) -> tuple[ChecklistFinding, ...]:
    return tuple(
        ChecklistFinding(item, data.get(f"check_{item}") or "", data.get(f"note_{item}") or "")
        for item in REVIEW_CHECKLIST
        if data.get(f"check_{item}")
    )


def apply_review(d: Draft, data: dict) -> None:
    checklist = checklist_from(data)
    reasons = data.get("reasons", "")
    problems = review_opinion_problems(
        d.snapshot,
        d.context,
        reviewer=d.actor_officer,
        first_time=d.reviewer_first_time,
        opinion=data.get("opinion", ""),
        checklist=checklist,
        reasons=reasons,
    )
    request = pending_request(d.snapshot)
    decision = d.snapshot.decision
    if problems or request is None or decision is None or d.actor_officer is None:
        d.violations += problems
        return
    opinion = ReviewOpinion(
        reviewer=d.actor_officer,
        opinion=data["opinion"],
        given_on=d.on,
        reviewed_outcome=decision.outcome,
        reviewed_penalty=decision.penalty,
        reviewer_first_time=d.reviewer_first_time,
        round=request.round,
        reviewed_draft=request.draft,
        checklist=checklist,
    )
    d.update(review_opinions=(*d.snapshot.review_opinions, opinion))
    review = Review(
        round=request.round,
        on=d.on,
        opinion=data["opinion"],
        reasons=reasons,
        reviewer=d.actor_name,
        checklist=tuple(ChecklistEntry(f.item, f.finding, f.note) for f in checklist),
    )
    texts_update(d, reviews=(*texts_of(d).reviews, review))


def apply_collective_discussion(d: Draft, data: dict) -> None:
    resolution = data.get("resolution") or ""
    leaders = int(data.get("leader_count") or 0)
    held_on = data.get("held_on") or d.on
    problems = collective_discussion_problems(d.snapshot, d.context, leader_count=leaders, resolution=resolution)
    if held_on > d.on:
        problems.append(Violation("case.discussion.future", "集体讨论日期不能晚于今天", FORM_BASIS, "held_on"))
    if problems:
        d.violations += problems
        return
    decision = d.snapshot.decision
    adopted = decision.key() if decision is not None and resolution != "adopt_review" else ""
    d.update(collective_discussions=(*d.snapshot.collective_discussions,
                                     CollectiveDiscussion(held_on, leaders, resolution, adopted)))
    texts_update(d, collective_discussion=Discussion(
        on=held_on,
        place=data.get("place", ""),
        host=data.get("host", ""),
        recorder=data.get("recorder", ""),
        participants=tuple(data.get("participants") or ()),
        absent=tuple(data.get("absent") or ()),
        views=tuple(data.get("views") or ()),
        conclusion=data.get("conclusion", ""),
        resolution=resolution,
        leader_count=leaders,
    ))
    d.records.add("collective_discussion_record")


def apply_extend(d: Draft, data: dict) -> None:
    d.update(decision_due_extended_to=data["extended_to"])
    texts_update(d, extension=Extension(on=d.on, to=data["extended_to"], reason=data["reason"]))


def apply_decide(d: Draft, data: dict) -> None:
    """The decision issues its document (处罚决定书, 不予行政处罚决定书 or 移送书: `decide_document_applies`);
    each document checks its own contents, with their articles."""


# --- 送达、执行 -----------------------------------------------------------------------------------


def apply_serve(d: Draft, data: dict) -> None:
    method = data["method"]
    d.update(
        service=Service(
            method=method,
            served_on=data["served_on"],
            consent_signed=bool(data.get("consent_signed")),
            witnessed_or_recorded=bool(data.get("witnessed_or_recorded")),
            other_methods_failed=bool(data.get("other_methods_failed")),
        )
    )
    texts_update(d, service=ServiceTexts(method=method, served_on=data["served_on"], place=data["place"],
                                         signed_by=data.get("signed_by", ""), note=data.get("note", "")))
    if method == "public_notice":
        d.records.add("public_notice_record")


def apply_payment(d: Draft, data: dict) -> None:
    amount = fen(data["amount_yuan"])
    if amount <= 0:
        d.refuse("case.payment.amount", "缴纳数额应大于零", penalty_article(67), "amount_yuan")
    if data["paid_on"] > d.on:
        d.refuse("case.payment.in_future", "缴纳日期晚于今天", penalty_article(67), "paid_on")
    d.update(payments=(*d.snapshot.payments, Payment(data["paid_on"], amount)))
    payment = PaymentTexts(on=data["paid_on"], fen=amount, receipt=data["receipt"])
    texts_update(d, payments=(*texts_of(d).payments, payment))
    d.records.add("payment_receipt")


def apply_arrangement(d: Draft, data: dict) -> None:
    instalments = []
    for i, line in enumerate(data.get("instalments") or []):
        parts = line.replace("，", " ").replace(",", " ").split()
        try:
            due, amount = dt.date.fromisoformat(parts[0]), fen(parts[1])
        except (IndexError, ValueError, ArithmeticError):
            d.refuse("case.arrangement.line", f"第{i + 1}行应为“日期 金额”，如 2026-05-01 1000", penalty_article(66),
                     "instalments")
            continue
        instalments.append(Instalment(due, amount))
    if not instalments:
        d.refuse("case.arrangement.empty", "请填写暂缓或者分期缴纳的期限和数额", penalty_article(66), "instalments")
    d.update(payment_arrangement=PaymentArrangement(approved_on=d.on, instalments=tuple(instalments)))


def apply_challenge(d: Draft, data: dict) -> None:
    """A 复议 or 诉讼 begun, or its end and result: recorded again with the same kind and start, it
    replaces the earlier record of that challenge (its end and result added)."""
    kind, started, ended, result = data["kind"], data["started_on"], data.get("ended_on"), data.get("result") or None
    problems = challenge_violations(kind=kind, started_on=started, ended_on=ended, result=result, today=d.on)
    for v in problems:
        d.refuse(v.code, v.message, v.legal_basis, v.field)
    if problems:
        return
    others = tuple(c for c in d.snapshot.challenges if (c.kind, c.started_on) != (kind, started))
    challenge = Challenge(kind, started, ended, result)
    d.update(challenges=tuple(sorted((*others, challenge), key=lambda c: (c.started_on, c.kind))))


ONE_EXECUTION = "平台规则：同一行政决定只由一件强制执行案件执行，避免重复催告、重复申请"


def _executed_elsewhere(d: Draft, what: str) -> None:
    """While an enforcement case of this decision is open, the execution goes on there."""
    if d.snapshot.enforcement_cases_open:
        numbers = "、".join(d.snapshot.enforcement_cases_open)
        d.refuse("case.execution.elsewhere", f"本案决定已由强制执行案件（{numbers}）执行，请在该案件中{what}",
                 ONE_EXECUTION, "state")


def apply_demand(d: Draft, data: dict) -> None:
    _executed_elsewhere(d, "送达催告书")
    d.update(enforcement_demand_served_on=data["served_on"])
    d.records.add("enforcement_demand")


def apply_court(d: Draft, data: dict) -> None:
    _executed_elsewhere(d, "申请人民法院强制执行")
    texts_update(d, court=Court(court=data["court"], on=d.on))
    d.records.add("court_application")


def apply_court_result(d: Draft, data: dict) -> None:
    texts_update(d, court=replace(texts_of(d).court, result=data["result"]))
    d.records.add("court_enforcement_result")


def apply_close(d: Draft, data: dict) -> None:
    texts_update(d, closing=Closing(execution=data["execution"], handler_opinion=data["handler_opinion"],
                                    head_opinion=data["head_opinion"], head=d.actor_name, on=d.on))


# --- 简易程序 -------------------------------------------------------------------------------------


def apply_decide_on_spot(d: Draft, data: dict) -> None:
    terms = terms_from(data)
    d.update(
        on_spot=OnSpot(
            officer_ids=officer_ids(data),
            certificate_shown=bool(data.get("certificate_shown")),
            party_informed=bool(data.get("party_informed")),
            statement_heard_or_waived=bool(data.get("statement_heard_or_waived")),
        ),
        decision=DecisionDraft("penalty", terms) if terms is not None else None,
    )
    texts_update(d, on_spot=OnSpotTexts(occurred_at=data["occurred_at"], place=data["place"], facts=data["facts"],
                                        **penalty_details(data)))


def apply_hand_over(d: Draft, data: dict) -> None:
    if d.snapshot.on_spot is not None:
        d.update(on_spot=replace(d.snapshot.on_spot, handed_over_on=data["handed_over_on"],
                                 party_signed_or_refusal_noted=bool(data.get("signed_or_refusal_noted"))))


def apply_collect(d: Draft, data: dict) -> None:
    if d.snapshot.on_spot is not None:
        d.update(on_spot=replace(d.snapshot.on_spot, collection_ground=data["ground"],
                                 collected_fen=fen(data["amount_yuan"]), collected_on=d.on))
    texts_update(d, on_spot=replace(texts_of(d).on_spot, receipt_number=data["receipt"]))
    d.records.add("finance_receipt")


def apply_cash_handover(d: Draft, data: dict) -> None:
    on_spot = d.snapshot.on_spot
    if on_spot is None or not on_spot.collected_fen:
        d.refuse("case.cash.none", "本案没有当场收缴的罚款", penalty_article(71))
        return
    d.update(on_spot=replace(on_spot, cash_handed_to_agency_on=data["handed_on"]))


def apply_note(d: Draft, data: dict) -> None:
    texts_update(d, notes=(*texts_of(d).notes, Note(on=d.on, text=data.get("note", ""))))


# --- the steps ------------------------------------------------------------------------------------

ORD, SUM, BOTH = (ORDINARY,), (SUMMARY,), (ORDINARY, SUMMARY)
BEFORE_DECISION = ("investigation_ended", "notified", "hearing_held")
# Until the case is closed: the officers carry the case through execution.
OFFICERS_CHANGEABLE = ("lead", "opened", "investigating", "investigation_ended", "notified", "hearing_scheduled",
                       "hearing_held", "decided", "served", "court_enforcement", "executed", "on_site")
MARKABLE = ("opened", "investigating", "investigation_ended", "notified", "hearing_scheduled", "hearing_held")
CATALOGUE_CRITERIA = {
    "catalogue.kind": "处罚种类列入目录",
    "catalogue.amount": "罚没数额达到目录标准",
    "catalogue.matter": "执法事项列入目录",
    "catalogue.discretion": "减轻或者超出裁量基准加重处罚",
}
CHECKLIST_FIELDS = tuple(
    f
    for item, label in REVIEW_CHECKLIST.items()
    for f in (
        Field(f"check_{item}", label, "choice", choices=choices(CHECKLIST_FINDINGS), radio=True),
        _t(f"note_{item}", f"{label}：说明", required=False),
    )
)
OPENING_FIELDS = (
    Field("source", "案件来源", "choice", choices=choices(SOURCES)),
    _area("summary", "案情简介"),
    _t("handler_opinion", "承办人意见"),
)
ACT_FIELDS = (
    _date("on", "日期"),
    Field("start_time", "开始时间", "text", required=False, help="如 09:30"),
    Field("end_time", "结束时间", "text", required=False),
    _t("place", "地点"),
    Field("officer_ids", "执法人员", "officers", help=f"不少于规定人数（{OFFICERS_ACT}），每人持有本领域有效的执法证"),
    _bool("certificate_shown", "已向当事人或者有关人员出示执法证件"),
    _t("recorder", "记录人"),
)
NOTICE_FIELDS = (
    _date("served_on", "送达日期"),
    Field("method", "送达方式", "choice", choices=choices(SERVICE_METHODS)),
    _t("place", "送达地点"),
    *PENALTY_FIELDS,
    _t("contact_person", "联系人", required=False),
)

STEPS: tuple[Step, ...] = (
    # 普通程序
    Step("approve_opening", "负责人审批立案", ORD, states=("lead",), roles=HEAD,
         fields=(approval_field(choices=OPENING_APPROVALS),
                 _t("opinion", "审批意见", help="不同意的，写明理由；案件退回承办人员补充材料或者办理不予立案")),
         apply=apply_approve_opening,
         help="立案或者不予立案须经行政机关负责人批准"),
    Step("open", "立案", ORD, transition=True,
         fields=(*OPENING_FIELDS, _lines("violated", "涉嫌违反的法律、法规、规章条款", required=False),
                 _bool("major_case", "重大执法决定（须法制审核、集体讨论）"),
                 _bool("complex_case", "情节复杂、疑难或者涉及多个法律关系"),
                 _bool("life_health_or_financial_harm", "涉及公民生命健康安全、金融安全且有危害后果（追责期限五年）"),
                 _t("limitation_override_reason", "超过追责期限仍立案的法律理由", required=False)),
         apply=apply_open, documents=(("opening_approval", "opening_approval"),), supplies=("discovered_on",)),
    Step("decline", "不予立案", ORD, transition=True,
         fields=(*OPENING_FIELDS, _lines("violated", "涉嫌违反的法律、法规、规章条款", required=False)), apply=apply_decline,
         documents=(("opening_approval", "opening_approval"),)),
    Step("withdraw_case", "撤销立案（误立案、重复立案等）", ORD, transition=True, roles=HEAD,
         fields=(Field("kind", "撤销的情形", "choice", choices=choices(WITHDRAWAL_KINDS), radio=True),
                 _reason("reason", "撤销理由", help="如：与某某号案件为同一违法行为重复立案")),
         apply=apply_withdraw_case, supplies=("kind", "reason"),
         help="作出决定前，机关负责人可以撤销立有错误的案件；理由记入账本，案件不再出现在待办中"),
    Step("investigate", "开始调查取证", ORD, transition=True),
    Step("record_inquiry", "询问并制作询问笔录", ORD, states=("investigating",),
         fields=(*ACT_FIELDS, _t("interviewee", "被询问人"), _t("relation", "与本案关系", required=False),
                 Field("recusal_answer", "被询问人是否申请回避", "choice", required=False,
                       choices=tuple(RECUSAL_ANSWERS.items()),
                       help="笔录开头告知回避权利后询问是否申请回避，此处记录被询问人的回答"),
                 _lines("exchanges", "询问内容", help="每行一句，以“问：”或者“答：”开头")),
         apply=apply_inquiry, documents=(("inquiry_record", "inquiry_record"),), correct=_correct_act("inquiry"),
         correction_instead=SUPPLEMENTARY_INVESTIGATION),
    Step("record_inspection", "现场检查并制作现场检查笔录", ORD, states=("investigating",),
         fields=(*ACT_FIELDS, _area("findings", "检查情况"), _t("present_person", "现场负责人", required=False)),
         apply=apply_inspection, documents=(("inspection_record", "inspection_record"),),
         correct=_correct_act("inspection"), correction_instead=SUPPLEMENTARY_INVESTIGATION),
    Step("record_preservation", "先行登记保存证据", ORD, states=("investigating",),
         fields=(_date("approved_on", "机关负责人批准日期", required=False), _lines("items", "保存的物品"),
                 _t("storage_place", "保存地点")),
         apply=apply_preservation, documents=(("preservation_notice", "preservation_notice"),)),
    Step("handle_preservation", "对先行登记保存作出处理决定", ORD, states=("investigating",),
         fields=(_area("decision", "处理决定"),), apply=apply_handle_preservation),
    Step("request_recusal", "登记回避申请", ORD, states=("opened", "investigating", "investigation_ended", "notified"),
         fields=(Field("officer", "申请回避的执法人员", "officer"), _date("requested_on", "申请日期")),
         apply=apply_request_recusal),
    Step("decide_recusal", "负责人决定回避申请", ORD, states=("opened", "investigating", "investigation_ended", "notified"),
         roles=HEAD, fields=(Field("decision", "决定", "choice", choices=(("granted", "准予回避"), ("refused", "驳回申请")),
                                   radio=True),),
         apply=apply_decide_recusal),
    Step("end_investigation", "调查终结", ORD, transition=True,
         fields=(_area("process", "调查经过"), _area("facts", "违法事实"),
                 _lines("evidence", "其他证据", required=False,
                        help="本案的询问笔录、现场检查笔录和已上传的证据自动列入调查终结报告，此处只写其他证据，"
                             "每行一项，可写“证据名称：证明事项”"),
                 _lines("violated", "违反的法律、法规、规章条款"), *PENALTY_FIELDS,
                 _t("opinion", "处理意见（不予处罚、移送等）", required=False)),
         apply=apply_end_investigation, documents=(("investigation_report", "investigation_report"),)),
    Step("notify", "事先告知（送达事先告知书）", ORD, transition=True, fields=NOTICE_FIELDS,
         apply=apply_notify,
         documents=(("advance_notice", "advance_notice"), ("service_receipt", "notice_service_receipt")),
         supplies=("notice",)),
    Step("renotify", "重新告知（送达新的事先告知书）", ORD, states=("notified", "hearing_held"),
         fields=NOTICE_FIELDS, apply=apply_renotify,
         documents=(("advance_notice", "advance_notice"), ("service_receipt", "notice_service_receipt")),
         help="拟作出的处罚与已告知的不同（如更重）时，须重新告知当事人"),
    Step("submit_statement", "登记当事人陈述、申辩", ORD, states=("notified", "hearing_scheduled", "hearing_held"),
         fields=(_date("submitted_on", "提出日期"), _area("summary", "陈述、申辩的内容")), apply=apply_statement),
    Step("reexamine", "复核陈述、申辩", ORD, states=("notified", "hearing_held"),
         fields=(_area("opinion", "复核意见"),), apply=apply_reexamine),
    Step("waive_statement", "登记当事人放弃陈述、申辩", ORD, states=("notified",),
         fields=(_t("note", "当事人书面放弃的情况"),), apply=apply_waive_statement),
    Step("waive_hearing", "登记当事人放弃听证", ORD, states=("notified",),
         fields=(_t("note", "当事人书面放弃的情况"),), apply=apply_waive_hearing),
    Step("request_hearing", "登记听证申请", ORD, states=("notified",),
         fields=(_date("requested_on", "申请日期"),), apply=apply_request_hearing),
    Step("schedule_hearing", "安排听证（送达听证通知书）", ORD, transition=True,
         fields=(_date("notice_served_on", "听证通知送达日期"), _date("scheduled_for", "听证日期"),
                 Field("time", "听证时间", "text", required=False, help="如 09:00"), _t("place", "听证地点"),
                 Field("presiding", "听证主持人", "officer"), _t("clerk", "书记员"),
                 Field("agent_count", "委托代理人人数", "int", required=False),
                 _bool("not_public", "涉及国家秘密、商业秘密或者个人隐私，不公开举行")),
         apply=apply_schedule_hearing, documents=(("hearing_notice", "hearing_notice"),), supplies=("hearing.",)),
    Step("withdraw_hearing", "撤回听证申请", ORD, transition=True,
         fields=(_date("withdrawn_on", "撤回日期"),), apply=apply_withdraw_hearing, supplies=("hearing.withdrawn_on",)),
    Step("hold_hearing", "举行听证（制作听证笔录）", ORD, transition=True,
         fields=(Field("end_time", "结束时间", "text", required=False), _lines("attendees", "出席的当事人及代理人"),
                 _lines("exchanges", "听证记录", help="每行一句，如“调查人员：…”“当事人：…”"),
                 _bool("party_absent", "当事人无正当理由拒不出席或者中途退出")),
         apply=apply_hold_hearing, documents=(("hearing_transcript", "hearing_transcript"),)),
    Step("draft_decision", "拟定处理决定", ORD, states=BEFORE_DECISION,
         fields=(Field("outcome", "处理结果", "choice", choices=choices(OUTCOMES)), *PENALTY_FIELDS,
                 Field("no_penalty_reason", "不予处罚的理由", "choice", required=False,
                       choices=tuple((k, v[0]) for k, v in NO_PENALTY_REASONS.items())),
                 _bool("mitigation_recorded", "已依法从轻或者减轻处罚并写明"),
                 Field("discretion", "裁量情况", "choice", required=False, choices=choices(DISCRETION),
                       help="本事项有裁量基准的，由系统按基准认定"),
                 _t("discretion_entry", "适用的裁量基准违法行为编号", required=False,
                    help="本事项的裁量基准只有一个违法行为的，可以不填"),
                 _lines("discretion_facts", "裁量因素", required=False,
                        help="每行一项，如“及时改正：是”“违法所得：3000元”；未查明的写“未查明”"),
                 _area("discretion_explanation", "罚款不在裁量基准建议幅度内的理由", required=False),
                 _area("reasoning", "理由（含对陈述申辩、裁量的说明）", required=False,
                       help="不予行政处罚的，写明不予处罚的理由；移送司法机关的，写明涉嫌犯罪的情形"),
                 _area("education", "对当事人的教育（不予行政处罚时）", required=False,
                       help="写明对当事人进行教育的情况；不满十四周岁的人或者精神病人、智力残疾人，写明责令监护人加以管教或者看管和治疗"),
                 _t("correction", "责令改正的内容", required=False),
                 _t("transfer_to", "移送的司法机关", required=False),
                 _t("suspected_offence", "涉嫌的罪名（移送时）", required=False),
                 _lines("attachments", "随案移送的材料（移送时）", required=False,
                        help="每行一项，如：涉嫌犯罪案件情况的调查报告、涉案物品清单、检验报告或者鉴定结论"),
                 Field("prior_fines", "同一违法行为已被处以罚款的决定文号", "lines", required=False,
                       help=f"每行一个；没有则不填（{ONE_FINE_PER_ACT}）")),
         apply=apply_draft_decision, needs=frozenset({"discretion"})),
    Step("mark_major", "认定重大执法决定情形", ORD, states=MARKABLE,
         fields=(_bool("major_case", "承办机构认定为重大执法决定"),
                 Field("major_conditions", "属于下列情形", "choices", required=False, choices=choices(MAJOR_CONDITIONS)),
                 _bool("complex_case", "案件情况疑难复杂、涉及多个法律关系"),
                 _reason("reason", "认定或者变更的理由")),
         apply=apply_mark_major,
         help="承办机构可以认定重大执法决定情形；法制审核目录认定的情形只有机关负责人可以排除"),
    Step("override_major", "决定不按重大执法决定办理", ORD, states=MARKABLE, roles=HEAD,
         fields=(Field("criteria", "排除的目录情形", "choices", choices=choices(CATALOGUE_CRITERIA)),
                 _reason("reason", "理由")),
         apply=apply_override_major,
         help="仅限法制审核目录认定的情形；理由记入账本"),
    Step("submit_review", "送法制审核", ORD, states=BEFORE_DECISION,
         fields=(_lines("evidence_list", "证据材料目录", required=False, help="每行一项"),
                 _area("explanation", "情况说明", required=False, help="案件基本情况、拟作出决定的理由和裁量说明"),
                 _area("response", "对上一次审核意见的说明", required=False, help="重新送审时填写补充、修改的情况")),
         apply=apply_submit_review, needs=frozenset({"reviewers"}),
         help="系统检查送审材料是否齐全，并从本机关法制审核人员中指定审核人员（回避本案调查人员）"),
    Step("assign_reviewer", "改派法制审核人员", ORD, states=BEFORE_DECISION, roles=HEAD,
         fields=(Field("reviewer", "法制审核人员", "officer"), _reason("reason", "改派理由", required=False)),
         apply=apply_assign_reviewer, needs=frozenset({"reviewers"})),
    Step("change_officers", "变更承办人员", BOTH, states=OFFICERS_CHANGEABLE, roles=HEAD,
         fields=(Field("officer_ids", "承办人员", "team", help="本机关可以执法的人员，不少于规定人数"),
                 _reason("reason", "变更理由")),
         apply=apply_change_officers, needs=frozenset({"agency_officers"}),
         help="由机关负责人变更本案的承办人员；每名人员须持有本领域有效的执法证，理由记入账本"),
    Step("extend_review", "批准延长审核期限", ORD, states=BEFORE_DECISION, roles=HEAD,
         fields=(_date("extend_to", "延长至"), _reason("reason", "延长理由")), apply=apply_extend_review),
    Step("record_review", "出具法制审核意见", ORD, states=BEFORE_DECISION, roles=REVIEWER,
         fields=(*CHECKLIST_FIELDS,
                 Field("opinion", "审核意见", "choice", choices=choices(REVIEW_OPINIONS), radio=True),
                 _area("reasons", "理由")),
         apply=apply_review, documents=(("review_opinion", "review_opinion"),),
         needs=frozenset({"reviewer_first_time"})),
    Step("record_collective_discussion", "集体讨论", ORD, states=BEFORE_DECISION, roles=HEAD,
         fields=(_date("held_on", "讨论日期"), _t("place", "地点"), _t("host", "主持人"), _t("recorder", "记录人"),
                 _lines("participants", "出席人员", help="每行一人，如：王某（局长）"),
                 Field("leader_count", "出席的机关负责人人数", "int"),
                 _lines("absent", "缺席人员及原因", required=False),
                 _lines("views", "讨论意见", help="每行一人，如：王某：同意承办机构意见"),
                 _area("conclusion", "讨论结论"),
                 Field("resolution", "承办机构与法制审核机构意见不一致时的处理", "choice", required=False,
                       choices=choices(DISCUSSION_RESOLUTIONS))),
         apply=apply_collective_discussion, documents=(("collective_discussion", "collective_discussion_record"),)),
    Step("extend_decision_period", "批准延长办案期限", ORD, states=("opened", "investigating", *BEFORE_DECISION,
                                                              "hearing_scheduled"),
         roles=HEAD, fields=(_date("extended_to", "延长至"), _t("reason", "延长理由")), apply=apply_extend),
    Step("decide", "作出决定", ORD, transition=True, apply=apply_decide,
         documents=(("decision_document", "decision_document"), ("no_penalty_decision", "decision_document"),
                    ("transfer_letter", "transfer_letter")),
         supplies=("decision.elements",),
         document_applies=penalty_document_applies, decides=True),
    Step("serve", "送达决定书", ORD, transition=True,
         fields=(Field("method", "送达方式", "choice", choices=choices(SERVICE_METHODS)), _date("served_on", "送达日期"),
                 _t("place", "送达地点"), _t("signed_by", "签收人", required=False),
                 _bool("consent_signed", "当事人已签订确认书同意电子送达"),
                 _bool("witnessed_or_recorded", "留置送达有见证人签名或者拍照、录像"),
                 _bool("other_methods_failed", "受送达人下落不明或者以其他方式无法送达（公告送达）"),
                 _t("note", "备注", required=False)),
         apply=apply_serve, documents=(("service_receipt", "service_receipt"),), supplies=("service",),
         document_applies=penalty_document_applies),
    Step("record_payment", "登记缴纳罚款", BOTH, states=("served", "court_enforcement", "handed_over", "filed"),
         fields=(_date("paid_on", "缴纳日期"), Field("amount_yuan", "缴纳数额（元）", "yuan"), _t("receipt", "缴款凭证号")),
         apply=apply_payment, correct=correct_payment),
    Step("approve_payment_arrangement", "批准暂缓或者分期缴纳", ORD, states=("served",), roles=HEAD,
         fields=(_lines("instalments", "各期期限和数额", help="每行“日期 金额（元）”，如 2026-05-01 1000"),),
         apply=apply_arrangement),
    Step("record_challenge", "登记行政复议或者行政诉讼", ORD, states=("served", "court_enforcement"),
         fields=(Field("kind", "类别", "choice", choices=choices(CHALLENGE_KINDS)), _date("started_on", "开始日期"),
                 _date("ended_on", "终结日期", required=False),
                 Field("result", "结果", "choice", required=False, choices=choices(CHALLENGE_RESULTS),
                       help="终结的，选择复议决定或者判决的结果；同一复议、诉讼再次登记时，以开始日期对应")),
         apply=apply_challenge),
    Step("serve_enforcement_demand", "送达催告书", ORD, states=("served",),
         fields=(_date("served_on", "送达日期"),), apply=apply_demand),
    Step("apply_to_court", "申请人民法院强制执行", ORD, transition=True, fields=(_t("court", "受理的人民法院"),),
         apply=apply_court),
    Step("record_court_result", "登记人民法院强制执行结果", ORD, states=("court_enforcement",),
         fields=(_area("result", "执行结果"),), apply=apply_court_result),
    Step("complete_execution", "执行完毕", ORD, transition=True),
    Step("close", "结案", ORD, transition=True, roles=HEAD,
         fields=(_area("execution", "执行情况"), _t("handler_opinion", "承办人意见"), _t("head_opinion", "负责人审批意见")),
         apply=apply_close, documents=(("closing_approval", "closing_approval"),)),
    Step("archive", "归档", BOTH, transition=True),
    # 简易程序
    Step("decide_on_spot", "当场作出处罚决定", SUM, transition=True,
         fields=(Field("officer_ids", "执法人员", "officers"), _bool("certificate_shown", "已向当事人出示执法证件"),
                 _bool("party_informed", "已告知当事人拟处罚的事实、理由、依据和陈述申辩权"),
                 _bool("statement_heard_or_waived", "已听取当事人陈述、申辩（或者当事人放弃）"),
                 Field("occurred_at", "违法行为时间", "datetime"), _t("place", "违法行为地点"), _area("facts", "违法行为"),
                 *PENALTY_FIELDS),
         apply=apply_decide_on_spot, documents=(("summary_decision", "decision_document"),),
         supplies=("on_spot", "decision"), decides=True),
    Step("convert_to_ordinary", "转为普通程序", SUM, transition=True, fields=(_t("note", "转换理由"),), apply=apply_note),
    Step("hand_over", "当场交付决定书", SUM, transition=True,
         fields=(_date("handed_over_on", "交付日期"), _bool("signed_or_refusal_noted", "当事人已签收，或者拒绝签收已注明")),
         apply=apply_hand_over, supplies=("on_spot.handed_over_on", "on_spot.party_signed_or_refusal_noted")),
    Step("collect_on_spot", "当场收缴罚款", SUM, transition=True,
         fields=(Field("ground", "当场收缴的法定情形", "choice", choices=choices(ON_SPOT_COLLECTION_GROUNDS)),
                 Field("amount_yuan", "收缴数额（元）", "yuan"), _t("receipt", "财政部门统一制发的罚款收据编号")),
         apply=apply_collect, supplies=("on_spot.collection_ground", "on_spot.collected_fen")),
    Step("record_cash_handover", "当场收缴的罚款交至行政机关", SUM, states=("handed_over", "filed"),
         fields=(_date("handed_on", "交款日期"),), apply=apply_cash_handover),
    Step("file_with_agency", "报所属行政机关备案", SUM, transition=True),
    Step("close_summary", "结案", SUM, transition=True, engine_action="close"),
)

STEP_BY_KEY = {(p, s.name): s for s in STEPS for p in s.procedures}


def step_get(procedure: str, action: str) -> Step | None:
    """The step of `procedure` named `action` (the engine's name for transitions)."""
    return STEP_BY_KEY.get((procedure, action))


def steps_of(procedure: str) -> list[Step]:
    return [s for s in STEPS if procedure in s.procedures]

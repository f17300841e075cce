"""The hard blocks of legal_rules.md §8.1 that concern penalties (items 1–9, 14, 16).

Each test shows the refusal (code, Chinese message, legal basis) and that the lawful path right
beside it succeeds, so a guard that refused everything would fail as surely as one that refused
nothing.
"""

import datetime as dt
from dataclasses import replace

import pytest

from sanxiang.procedure.engine import evaluate
from sanxiang.procedure.penalty import (
    ORDINARY,
    SUMMARY,
    Challenge,
    DecisionDraft,
    EvidencePreservation,
    Hearing,
    OnSpot,
    Payment,
    PenaltyTerms,
    RecusalRequest,
    amount_due_as_of,
    investigative_act_problems,
    surcharge_as_of,
)
from sanxiang.procedure.penalty.snapshot import SUMMARY_DECISION_ELEMENTS
from sanxiang.procedure.violations import Violation
from tests.procedure.test_penalty_support import (
    FIRST_DECISION_DAY,
    LI,
    NOTICE_SERVED,
    OPENED,
    REVIEWER,
    WINDOW_END,
    ZHANG,
    ZHAO,
    D,
    act,
    certificate,
    citizen,
    company,
    context,
    decided,
    executed,
    fine,
    heard,
    id_number,
    investigated,
    lead,
    notified,
    officer,
    review,
    served,
    step,
)

LAW = "《中华人民共和国行政处罚法》"


def refusal(procedure, case, action, today, code) -> Violation:
    """The violation with `code` among the reasons `action` is refused on `today`."""
    violations = evaluate(procedure, case, action, context=context(today))
    found = [v for v in violations if v.code == code]
    assert found, f"expected {code}, got " + "; ".join(f"{v.code}: {v.message}" for v in violations)
    return found[0]


def allowed(procedure, case, action, today) -> None:
    violations = evaluate(procedure, case, action, context=context(today))
    assert violations == [], "; ".join(f"{v.code}: {v.message}" for v in violations)


# --- §8.1 item 1: two officers, each with a valid certificate for this field -----------------------


def test_item1_investigation_needs_two_officers_with_valid_certificates_art42():
    """第四十二条: at least two officers, each with a certificate valid that day for the field."""
    expired = officer(2, "李四", certificates=(certificate(id=2, valid_to=D(2026, 3, 1)),))
    case = step(lead(officers=(ZHANG, expired)), "open", OPENED)
    violation = refusal(ORDINARY, case, "investigate", D(2026, 3, 9), "penalty.investigation.too_few_officers")
    assert violation.message == "调查取证须由不少于2名持有有效执法证件的执法人员进行，本案目前只有1名"
    assert "第四十二条" in violation.legal_basis
    expiry = refusal(ORDINARY, case, "investigate", D(2026, 3, 9), "penalty.investigation.officer.no_valid_certificate")
    assert "李四" in expiry.message and expiry.legal_basis == f"{LAW}第四十二条"
    # A certificate for another field does not count either.
    other_field = officer(2, "李四", certificates=(certificate(id=2, fields=("生态环境",)),))
    case = step(lead(officers=(ZHANG, other_field)), "open", OPENED)
    refusal(ORDINARY, case, "investigate", D(2026, 3, 9), "penalty.investigation.too_few_officers")
    # Lawful: two officers with valid certificates for 市场监管.
    allowed(ORDINARY, step(lead(), "open", OPENED), "investigate", D(2026, 3, 9))


def test_item1_each_act_needs_two_officers_valid_on_the_day_of_the_act_art42():
    """第四十二条: checked per act on its own date; a certificate that expires later is fine."""
    case = step(step(lead(), "open", OPENED), "investigate", D(2026, 3, 9))
    alone = act(D(2026, 3, 10), officer_ids=(1,))
    problems = investigative_act_problems(case, context(D(2026, 3, 10)), act=alone)
    assert [p.code for p in problems] == ["penalty.investigation.act_too_few_officers"]
    assert problems[0].message == "本次调查须由不少于2名持有有效执法证件的执法人员进行，实际为1名"
    outsider = act(D(2026, 3, 10), officer_ids=(1, 3))
    assert [p.code for p in investigative_act_problems(case, context(D(2026, 3, 10)), act=outsider)] == [
        "penalty.investigation.act_too_few_officers",
        "penalty.investigation.act_officer_not_assigned",
    ]
    assert investigative_act_problems(case, context(D(2026, 3, 10)), act=act(D(2026, 3, 10))) == []
    # The end of the investigation re-checks every recorded act.
    ready = replace(
        case,
        investigative_acts=(alone,),
        records=case.records | {"inquiry_record", "investigation_report"},
    )
    violation = refusal(ORDINARY, ready, "end_investigation", D(2026, 3, 16), "penalty.investigation.act_too_few_officers")
    assert violation.message.startswith("2026-03-10的询问须由不少于2名")
    allowed(ORDINARY, replace(ready, investigative_acts=(act(D(2026, 3, 10)),)), "end_investigation", D(2026, 3, 16))
    nothing = refusal(ORDINARY, replace(ready, investigative_acts=()), "end_investigation", D(2026, 3, 16), "penalty.investigation.no_act")
    assert "第五十五条" in nothing.legal_basis


def test_item1_a_recused_officer_does_not_count_and_pending_recusal_blocks_the_end_art43():
    """第四十三条: the head decides recusal; a recused officer may no longer act."""
    base = step(step(lead(officers=(ZHANG, LI, ZHAO)), "open", OPENED), "investigate", D(2026, 3, 9))
    pending = replace(
        base,
        recusals=(RecusalRequest(2, requested_on=D(2026, 3, 11)),),
        investigative_acts=(act(D(2026, 3, 10)),),
        records=base.records | {"inquiry_record", "investigation_report"},
    )
    violation = refusal(ORDINARY, pending, "end_investigation", D(2026, 3, 16), "penalty.recusal.undecided")
    assert "李四" in violation.message and violation.legal_basis == f"{LAW}第四十三条"
    granted = replace(pending, recusals=(RecusalRequest(2, D(2026, 3, 11), decided_on=D(2026, 3, 12), granted=True),))
    allowed(ORDINARY, granted, "end_investigation", D(2026, 3, 16))
    after = act(D(2026, 3, 13), officer_ids=(1, 2))
    problems = investigative_act_problems(granted, context(D(2026, 3, 13)), act=after)
    assert "penalty.investigation.act_by_recused_officer" in [p.code for p in problems]
    assert investigative_act_problems(granted, context(D(2026, 3, 13)), act=act(D(2026, 3, 13), officer_ids=(1, 3))) == []


# --- §8.1 item 2: showing the certificate is recorded ---------------------------------------------


def test_item2_a_record_without_the_certificate_shown_cannot_be_saved_art55():
    """第五十五条: officers show their certificates; the 笔录 cannot be saved otherwise."""
    case = step(step(lead(), "open", OPENED), "investigate", D(2026, 3, 9))
    unshown = act(D(2026, 3, 10), certificate_shown=False)
    problems = investigative_act_problems(case, context(D(2026, 3, 10)), act=unshown)
    assert [(p.code, p.message, p.legal_basis) for p in problems] == [
        (
            "penalty.investigation.certificate_not_shown",
            "本次调查未记录向当事人或者有关人员出示执法证件，笔录不能保存",
            f"{LAW}第五十五条第一款",
        )
    ]
    ready = replace(case, investigative_acts=(unshown,), records=case.records | {"inquiry_record", "investigation_report"})
    refusal(ORDINARY, ready, "end_investigation", D(2026, 3, 16), "penalty.investigation.certificate_not_shown")
    allowed(ORDINARY, replace(ready, investigative_acts=(act(D(2026, 3, 10)),)), "end_investigation", D(2026, 3, 16))


# --- §8.1 item 3: summary procedure and on-the-spot collection --------------------------------------


def on_site(penalty: PenaltyTerms, party=None, **on_spot) -> object:
    facts = dict(officer_ids=(1, 2), certificate_shown=True, party_informed=True, statement_heard_or_waived=True)
    elements = frozenset(SUMMARY_DECISION_ELEMENTS)
    return lead(
        state="on_site",
        party=party or citizen(),
        records=frozenset(),
        on_spot=OnSpot(**(facts | on_spot)),
        decision=DecisionDraft("penalty", penalty, elements=elements, number="No.0001234"),
    )


@pytest.mark.parametrize(
    ("party", "lawful", "over", "limit_text"),
    [(citizen(), 200, 201, "对公民当场罚款不得超过200元"), (company(), 3000, 3001, "对法人或者其他组织当场罚款不得超过3000元")],
    ids=["citizen", "organization"],
)
def test_item3_summary_procedure_only_up_to_the_limits_art51(party, lawful, over, limit_text):
    """第五十一条: a warning, or a fine ≤ ¥200 (citizen) / ≤ ¥3,000 (organisation)."""
    today = D(2026, 3, 2)
    violation = refusal(SUMMARY, on_site(fine(over), party), "decide_on_spot", today, "penalty.summary.fine_over_limit")
    assert violation.message.startswith(limit_text)
    assert violation.legal_basis == f"{LAW}第五十一条"
    allowed(SUMMARY, on_site(fine(lawful), party), "decide_on_spot", today)
    allowed(SUMMARY, on_site(PenaltyTerms(frozenset({"warning"}))), "decide_on_spot", today)
    kind = refusal(
        SUMMARY,
        on_site(PenaltyTerms(frozenset({"suspend_business"}))),
        "decide_on_spot",
        today,
        "penalty.summary.kind_not_allowed",
    )
    assert "责令停产停业" in kind.message


def test_item3_on_the_spot_collection_only_on_the_grounds_of_arts68_69():
    """第六十八条、第六十九条: ≤ ¥100, hard to enforce later, or remote areas at the party's request."""
    today = D(2026, 3, 2)
    case = step(on_site(fine(150), collected_fen=15000, collection_ground="small_fine"), "decide_on_spot", today, SUMMARY)
    case = replace(
        case,
        records=case.records | {"decision_document", "finance_receipt"},
        on_spot=replace(case.on_spot, handed_over_on=today, party_signed_or_refusal_noted=True),
    )
    case = step(case, "hand_over", today, SUMMARY)
    violation = refusal(SUMMARY, case, "collect_on_spot", today, "penalty.summary.collection_over_limit")
    assert violation.message == "罚款150元超过100元，不能以“一百元以下罚款”为由当场收缴"
    assert violation.legal_basis == f"{LAW}第六十八条第一项"
    no_ground = replace(case, on_spot=replace(case.on_spot, collection_ground=None))
    assert "第六十七条" in refusal(SUMMARY, no_ground, "collect_on_spot", today, "penalty.summary.collection_not_allowed").legal_basis
    allowed(SUMMARY, replace(case, on_spot=replace(case.on_spot, collection_ground="remote_area")), "collect_on_spot", today)
    small = step(on_site(fine(100), collected_fen=10000, collection_ground="small_fine"), "decide_on_spot", today, SUMMARY)
    small = replace(
        small,
        records=small.records | {"decision_document", "finance_receipt"},
        on_spot=replace(small.on_spot, handed_over_on=today, party_signed_or_refusal_noted=True),
    )
    allowed(SUMMARY, step(small, "hand_over", today, SUMMARY), "collect_on_spot", today)


# --- §8.1 item 4: limitation period at opening -----------------------------------------------------


def test_item4_opening_is_refused_past_the_two_year_limitation_art36():
    """第三十六条: not discovered within two years → no penalty, unless a legal reason is recorded."""
    old = lead(act_date=D(2024, 3, 1), discovered_on=D(2026, 3, 5))
    violation = refusal(ORDINARY, old, "open", OPENED, "penalty.opening.limitation_expired")
    assert violation.message.startswith("违法行为（终了于2024-03-01）至2026-03-05才被发现，已超过二年的追责期限（2026-03-01届满）")
    assert violation.legal_basis == f"{LAW}第三十六条第一款"
    allowed(ORDINARY, replace(old, limitation_override_reason="《税收征收管理法》第八十六条规定五年"), "open", OPENED)
    allowed(ORDINARY, replace(old, discovered_on=D(2026, 3, 1)), "open", OPENED)  # the last day still counts
    # A continuing act is counted from its end (第三十六条第二款).
    allowed(ORDINARY, replace(old, act_ended_on=D(2025, 1, 1)), "open", OPENED)


def test_item4_five_years_for_life_health_or_financial_cases_with_harm_art36():
    """第三十六条: five years where life, health or financial security is involved and harm done."""
    harm = lead(act_date=D(2022, 3, 1), discovered_on=D(2026, 3, 5), life_health_or_financial_harm=True)
    allowed(ORDINARY, harm, "open", OPENED)
    violation = refusal(ORDINARY, replace(harm, act_date=D(2021, 3, 1)), "open", OPENED, "penalty.opening.limitation_expired")
    # The act ended before the 2021 revision: its two-year rule applies (第三十七条).
    assert "已超过二年" in violation.message and "（1996）第二十九条" in violation.legal_basis
    refusal(ORDINARY, replace(harm, life_health_or_financial_harm=False), "open", OPENED, "penalty.opening.limitation_expired")


def test_item4_opening_needs_the_heads_approval_art54():
    violation = refusal(ORDINARY, lead(opening_approved_by_head=False), "open", OPENED, "penalty.opening.head_approval_missing")
    assert "负责人批准" in violation.message and "第五十四条" in violation.legal_basis
    allowed(ORDINARY, lead(), "open", OPENED)


# --- §8.1 item 5: the decision gate ------------------------------------------------------------------


def test_item5a_no_penalty_decision_without_the_advance_notice_arts44_62():
    """第四十四条、第六十二条: the party is told before the decision."""
    case = replace(investigated(), notice=None)
    case = replace(case, decision=DecisionDraft("penalty", fine(3000), elements=notified().decision.elements))
    violation = refusal(ORDINARY, case, "decide", FIRST_DECISION_DAY, "penalty.decision.notice_missing")
    assert violation.legal_basis == f"{LAW}第四十四条、第六十二条"
    assert violation.message.startswith("作出行政处罚决定前，须向当事人送达事先告知书")
    allowed(ORDINARY, notified(), "decide", FIRST_DECISION_DAY)
    # A no-penalty decision needs no advance notice.
    no_penalty = replace(
        case,
        decision=DecisionDraft(
            "no_penalty",
            no_penalty_reason="first_offence",
            elements=frozenset({"party", "facts_evidence", "remedies", "agency_date", "seal"}),
        ),
    )
    allowed(ORDINARY, no_penalty, "decide", D(2026, 3, 17))


def test_item5a_the_notice_states_everything_art44():
    """第四十四条: facts, reasons, basis, the proposed penalty, the right to state and defend."""
    case = investigated()
    partial = replace(case, notice=replace(case.notice, elements=frozenset({"facts", "penalty"})))
    violation = refusal(ORDINARY, partial, "notify", NOTICE_SERVED, "penalty.notice.element_missing")
    assert violation.message == "事先告知书缺少：“理由”、“依据”、“陈述、申辩的权利”"
    allowed(ORDINARY, case, "notify", NOTICE_SERVED)


def test_item5b_no_decision_before_the_statement_window_has_run_art62():
    """第六十二条 (window: 5 working days, a parameter): decide from the day after it ends."""
    case = notified()
    violation = refusal(ORDINARY, case, "decide", WINDOW_END, "penalty.decision.statement_window_running")
    assert violation.message == "当事人陈述、申辩期限至2026-03-24届满，期满或者当事人明确放弃前不得作出决定"
    assert violation.legal_basis.startswith(f"{LAW}第四十四条、第四十五条、第六十二条")
    allowed(ORDINARY, case, "decide", FIRST_DECISION_DAY)
    # An express waiver ends the wait.
    allowed(ORDINARY, replace(case, statement_waived=True), "decide", D(2026, 3, 18))


def test_item5b_a_defence_must_be_re_examined_and_the_penalty_not_raised_art45():
    """第四十五条: the agency re-examines what the party said and may not increase the penalty."""
    defended = replace(notified(), statement_submitted_on=D(2026, 3, 19), records=notified().records | {"statement_record"})
    refusal(ORDINARY, defended, "decide", FIRST_DECISION_DAY, "penalty.decision.reexamination_missing")
    defended = replace(defended, records=defended.records | {"reexamination_record"})
    allowed(ORDINARY, defended, "decide", FIRST_DECISION_DAY)
    heavier = replace(defended, decision=replace(defended.decision, penalty=fine(3500)))
    violation = refusal(ORDINARY, heavier, "decide", FIRST_DECISION_DAY, "penalty.decision.heavier_after_defence")
    assert violation.message == (
        "当事人已陈述、申辩，拟作出的处罚（罚款3500元）重于当事人申辩时告知的处罚（罚款3000元），不得因当事人申辩而加重处罚"
    )
    assert violation.legal_basis == f"{LAW}第四十五条"
    added_kind = replace(defended, decision=replace(defended.decision, penalty=fine(3000, "warning")))
    refusal(ORDINARY, added_kind, "decide", FIRST_DECISION_DAY, "penalty.decision.heavier_after_defence")
    lighter = replace(defended, decision=replace(defended.decision, penalty=fine(2000)))
    allowed(ORDINARY, lighter, "decide", FIRST_DECISION_DAY)
    # A new, heavier notice after the defence does not lift the ceiling of 第四十五条.
    renotified = replace(
        heavier,
        earlier_notices=(heavier.notice,),
        notice=replace(heavier.notice, penalty=fine(3500), served_on=D(2026, 3, 20)),
    )
    violations = evaluate(ORDINARY, renotified, "decide", context=context(D(2026, 3, 30)))
    assert [v.code for v in violations] == ["penalty.decision.heavier_after_defence"]
    assert "（罚款3000元）" in violations[0].message
    # Without a defence, a heavier penalty needs a new notice (第四十四条).
    not_told = replace(notified(), decision=replace(notified().decision, penalty=fine(3500)))
    assert refusal(ORDINARY, not_told, "decide", FIRST_DECISION_DAY, "penalty.decision.heavier_than_notified").legal_basis == (
        f"{LAW}第四十四条"
    )


def test_item5c_hearing_eligible_penalties_need_the_hearing_right_and_a_held_hearing_arts63_65():
    """第六十三条至第六十五条: told of the hearing right; a requested hearing is held and transcribed."""
    case = notified(fine(10000))  # ≥ the default 5,000-yuan 较大数额 for a citizen (unverified parameter)
    silent = investigated(fine(10000))
    silent = replace(silent, notice=replace(silent.notice, elements=silent.notice.elements - {"hearing_right"}))
    violation = refusal(ORDINARY, silent, "notify", NOTICE_SERVED, "penalty.notice.element_missing")
    assert "要求听证的权利" in violation.message and "罚款10000元达到较大数额（5000元）" in violation.message
    assert violation.legal_basis == f"{LAW}第四十四条、第六十三条"
    # The hearing-request window (5 working days, 第六十四条第一项) runs like the statement window.
    waiting = refusal(ORDINARY, case, "decide", WINDOW_END, "penalty.decision.hearing_window_running")
    assert waiting.message.startswith("当事人要求听证的期限至2026-03-24届满")
    requested = replace(case, hearing=Hearing(requested_on=D(2026, 3, 19)))
    violation = refusal(ORDINARY, requested, "decide", D(2026, 4, 1), "penalty.decision.hearing_not_held")
    assert violation.legal_basis == f"{LAW}第六十四条、第六十五条"
    without_transcript = replace(heard(), records=heard().records - {"hearing_transcript"})
    refusal(ORDINARY, without_transcript, "decide", D(2026, 4, 1), "penalty.decision.hearing_transcript_missing")
    # Lawful: the hearing held, transcript filed, review passed (a heard case needs review, 第五十八条)
    # and, being a major decision, discussed by the leaders (第五十七条第二款).
    lawful = review(heard(), on=D(2026, 4, 1))
    lawful = replace(lawful, records=lawful.records | {"collective_discussion_record"})
    allowed(ORDINARY, lawful, "decide", D(2026, 4, 1))
    # A party that waives the hearing and the statement window may be decided at once.
    allowed(ORDINARY, replace(case, hearing_waived=True, statement_waived=True), "decide", D(2026, 3, 18))


def test_item5d_a_major_case_needs_a_passing_review_art58():
    """第五十八条: no decision without legal review, or if the review did not pass."""
    major = replace(notified(major_case=True), records=notified().records | {"collective_discussion_record"})
    violation = refusal(ORDINARY, major, "decide", FIRST_DECISION_DAY, "penalty.decision.review_missing")
    assert violation.message.startswith("本案须经法制审核（承办机构认定为重大执法决定")
    assert violation.legal_basis == f"{LAW}第五十八条"
    failed = review(major, on=D(2026, 3, 24), opinion="problems")
    assert refusal(ORDINARY, failed, "decide", FIRST_DECISION_DAY, "penalty.decision.review_not_passed").message.startswith(
        "2026-03-24的法制审核意见为“存在问题”"
    )
    passed = review(failed, on=D(2026, 3, 25))
    allowed(ORDINARY, passed, "decide", FIRST_DECISION_DAY)
    # The opinion covers the very draft decided: change the penalty and it must be reviewed again.
    changed = replace(passed, decision=replace(passed.decision, penalty=fine(2500)))
    refusal(ORDINARY, changed, "decide", FIRST_DECISION_DAY, "penalty.decision.review_outdated")


def test_item5d_the_reviewer_did_not_investigate_and_first_time_holds_the_qualification_art58():
    """第五十八条第二款: first-time reviewers hold the 法律职业资格; reviewers are not investigators."""
    major = replace(notified(major_case=True), records=notified().records | {"collective_discussion_record"})
    investigator = review(major, on=D(2026, 3, 25), reviewer=replace(ZHANG, is_legal_reviewer=True))
    violation = refusal(ORDINARY, investigator, "decide", FIRST_DECISION_DAY, "penalty.decision.reviewer_investigated")
    assert violation.message == "张三参与了本案调查或者送审，应当回避，不能审核本案"
    novice = replace(REVIEWER, has_legal_qualification=False)
    unqualified = review(major, on=D(2026, 3, 25), reviewer=novice, reviewer_first_time=True)
    violation = refusal(ORDINARY, unqualified, "decide", FIRST_DECISION_DAY, "penalty.decision.reviewer_unqualified")
    assert violation.legal_basis == f"{LAW}第五十八条第二款"
    allowed(ORDINARY, review(major, on=D(2026, 3, 25), reviewer=novice, reviewer_first_time=False), "decide", FIRST_DECISION_DAY)


def test_item5d_the_catalogue_amount_triggers_review_without_a_flag():
    """Local catalogue (unverified parameter): a fine over ¥10,000 for a natural person."""
    big = notified(fine(20000), statement_waived=True, hearing_waived=True)
    violation = refusal(ORDINARY, big, "decide", FIRST_DECISION_DAY, "penalty.decision.review_missing")
    assert "罚没数额20000元超过目录标准（10000元）" in violation.message
    big = replace(big, records=big.records | {"collective_discussion_record"})
    allowed(ORDINARY, review(big, on=D(2026, 3, 25)), "decide", FIRST_DECISION_DAY)


def test_item5e_complex_or_major_cases_need_a_collective_discussion_art57():
    """第五十七条第二款: 情节复杂或者重大违法行为 → 集体讨论决定."""
    complex_case = review(notified(complex_case=True), on=D(2026, 3, 25))
    violation = refusal(ORDINARY, complex_case, "decide", FIRST_DECISION_DAY, "penalty.decision.collective_discussion_missing")
    assert violation.legal_basis == f"{LAW}第五十七条第二款"
    allowed(ORDINARY, replace(complex_case, records=complex_case.records | {"collective_discussion_record"}), "decide", FIRST_DECISION_DAY)


def test_item5f_the_decision_carries_every_element_of_art59_and_one_outcome():
    """第五十九条: party, facts and evidence, kind and basis, performance, remedies, agency and date, seal."""
    case = notified()
    unsealed = replace(case, decision=replace(case.decision, elements=case.decision.elements - {"seal", "remedies"}))
    violation = refusal(ORDINARY, unsealed, "decide", FIRST_DECISION_DAY, "penalty.decision.element_missing")
    assert violation.message == (
        "决定书缺少第五十九条规定的内容：“申请行政复议、提起行政诉讼的途径和期限”、“行政机关的印章”"
    )
    assert violation.legal_basis == f"{LAW}第五十九条"
    both = replace(case, decision=replace(case.decision, no_penalty_reason="first_offence"))
    refusal(ORDINARY, both, "decide", FIRST_DECISION_DAY, "penalty.decision.outcome_inconsistent")
    no_reason = replace(case, decision=DecisionDraft("no_penalty", elements=case.decision.elements))
    assert "第三十三条" in refusal(
        ORDINARY, no_reason, "decide", FIRST_DECISION_DAY, "penalty.decision.no_penalty_reason_invalid"
    ).legal_basis
    allowed(ORDINARY, case, "decide", FIRST_DECISION_DAY)


def test_item5_the_decision_is_made_within_90_days_of_opening_or_an_extension_art60():
    """第六十条: 90 days from 立案 (opened Fri 03-06 → due Thu 06-04)."""
    case = notified()
    violation = refusal(ORDINARY, case, "decide", D(2026, 6, 5), "penalty.decision.period_expired")
    assert "期限已于2026-06-04届满" in violation.message and violation.legal_basis.startswith(f"{LAW}第六十条")
    allowed(ORDINARY, case, "decide", D(2026, 6, 4))
    allowed(ORDINARY, replace(case, decision_due_extended_to=D(2026, 7, 4)), "decide", D(2026, 6, 5))


# --- §8.1 item 6: hearing --------------------------------------------------------------------------


def hearing_case(**hearing) -> object:
    case = notified(fine(10000))
    values = dict(
        requested_on=D(2026, 3, 19),
        notice_served_on=D(2026, 3, 20),
        scheduled_for=D(2026, 3, 31),
        presiding_officer_id=7,
        agent_count=2,
    )
    return replace(case, hearing=Hearing(**(values | hearing)), records=case.records | {"hearing_notice"})


def test_item6_the_hearing_is_noticed_seven_working_days_ahead_art64():
    """第六十四条第二项: notice served Fri 03-20 → the hearing no earlier than Tue 03-31."""
    early = hearing_case(scheduled_for=D(2026, 3, 30))
    violation = refusal(ORDINARY, early, "schedule_hearing", D(2026, 3, 20), "penalty.hearing.notice_too_late")
    assert violation.message == (
        "听证通知于2026-03-20送达，听证须在七个工作日之后举行（不早于2026-03-31），不能定于2026-03-30"
    )
    assert violation.legal_basis == f"{LAW}第六十四条第二项"
    allowed(ORDINARY, hearing_case(), "schedule_hearing", D(2026, 3, 20))


def test_item6_the_presiding_officer_did_not_investigate_and_at_most_two_agents_art64():
    """第六十四条第四项、第五项."""
    violation = refusal(
        ORDINARY, hearing_case(presiding_officer_id=2), "schedule_hearing", D(2026, 3, 20), "penalty.hearing.presiding_is_investigator"
    )
    assert violation.message == "听证主持人不能是本案的调查人员，请另行指定"
    assert violation.legal_basis == f"{LAW}第六十四条第四项"
    agents = refusal(ORDINARY, hearing_case(agent_count=3), "schedule_hearing", D(2026, 3, 20), "penalty.hearing.too_many_agents")
    assert agents.legal_basis == f"{LAW}第六十四条第五项"
    late = refusal(
        ORDINARY, hearing_case(requested_on=D(2026, 3, 25)), "schedule_hearing", D(2026, 3, 25), "penalty.hearing.request_late"
    )
    assert "已超过告知后五个工作日的期限（2026-03-24）" in late.message


# --- §8.1 item 7: minors -----------------------------------------------------------------------------


def test_item7_no_penalty_for_a_party_under_14_at_the_time_of_the_act_art30():
    """第三十条: under 14 at the act → no penalty; the age comes from the ID number."""
    child = citizen(birth=D(2012, 3, 2))  # 14th birthday on the day of the act: not yet 已满十四周岁
    case = notified(party=child)
    violation = refusal(ORDINARY, case, "decide", FIRST_DECISION_DAY, "penalty.decision.party_under_14")
    assert violation.message.startswith("当事人刘某（2012-03-02出生）在违法行为发生时（2026-03-02）不满14周岁，不予行政处罚")
    assert violation.legal_basis == f"{LAW}第三十条"
    no_penalty = replace(
        case,
        decision=DecisionDraft(
            "no_penalty", no_penalty_reason="under_14", elements=frozenset({"party", "facts_evidence", "remedies", "agency_date", "seal"})
        ),
    )
    allowed(ORDINARY, no_penalty, "decide", FIRST_DECISION_DAY)
    # One day older: 14, so a penalty is possible but must be lighter or reduced (stated).
    teen = notified(party=citizen(birth=D(2012, 3, 1)))
    refusal(ORDINARY, teen, "decide", FIRST_DECISION_DAY, "penalty.decision.minor_mitigation_missing")
    allowed(ORDINARY, replace(teen, decision=replace(teen.decision, mitigation_recorded=True)), "decide", FIRST_DECISION_DAY)


# --- §8.1 item 8: no second fine --------------------------------------------------------------------


def test_item8_no_second_fine_for_the_same_act_art29():
    """第二十九条: 一事不再罚款."""
    case = replace(notified(), prior_fines_for_same_act=("乌环罚〔2026〕3号",))
    violation = refusal(ORDINARY, case, "decide", FIRST_DECISION_DAY, "penalty.decision.second_fine")
    assert violation.message == "同一违法行为已由乌环罚〔2026〕3号处以罚款，不得给予两次以上罚款"
    assert violation.legal_basis == f"{LAW}第二十九条"
    warning_only = PenaltyTerms(frozenset({"warning"}))
    other = replace(case, notice=replace(case.notice, penalty=warning_only), decision=replace(case.decision, penalty=warning_only))
    allowed(ORDINARY, other, "decide", FIRST_DECISION_DAY)
    allowed(ORDINARY, notified(), "decide", FIRST_DECISION_DAY)


# --- §8.1 item 9: the surcharge and its cap ----------------------------------------------------------


def test_item9_surcharge_is_3_percent_a_day_capped_at_the_fine_art72():
    """第七十二条: served Wed 03-25, due 15 days later Thu 04-09, 3% a day from 04-10, ≤ the fine."""
    case = served()  # fine 3,000 yuan
    ctx = context(D(2026, 4, 9))
    assert surcharge_as_of(case, ctx, on=D(2026, 4, 9)).amount_fen == 0
    ten_days = surcharge_as_of(case, ctx, on=D(2026, 4, 19))
    assert (ten_days.amount_fen, ten_days.days, ten_days.capped) == (90000, 10, False)  # 10 × 90 yuan
    capped = surcharge_as_of(case, ctx, on=D(2027, 4, 9))
    assert (capped.amount_fen, capped.capped) == (300000, True)
    assert "第七十二条" in capped.basis
    assert amount_due_as_of(case, ctx, on=D(2027, 4, 9)) == 600000
    # Refused while unpaid; the lawful path pays fine and surcharge.
    unpaid = replace(case, records=case.records | {"payment_receipt"}, payments=(Payment(D(2026, 4, 19), 300000),))
    violation = refusal(ORDINARY, unpaid, "complete_execution", D(2026, 4, 20), "penalty.execution.not_paid")
    assert violation.message == "罚款（含加处罚款）尚欠900元，未执行完毕"
    paid = replace(unpaid, payments=(*unpaid.payments, Payment(D(2026, 4, 20), 90000)))
    allowed(ORDINARY, paid, "complete_execution", D(2026, 4, 20))


def test_item9_no_surcharge_during_reconsideration_or_litigation_art73():
    """第七十三条第三款: 加处罚款 does not accrue while a reconsideration or a lawsuit is pending."""
    case = replace(served(), challenges=(Challenge("reconsideration", D(2026, 4, 1), ended_on=D(2026, 4, 14)),))
    surcharge = surcharge_as_of(case, context(D(2026, 4, 19)), on=D(2026, 4, 19))
    assert (surcharge.amount_fen, surcharge.days) == (45000, 5)  # 04-15 … 04-19 only
    open_ended = replace(served(), challenges=(Challenge("litigation", D(2026, 4, 5)),))
    assert surcharge_as_of(open_ended, context(D(2026, 6, 1)), on=D(2026, 6, 1)).amount_fen == 0


def test_item9_approved_instalments_move_the_due_dates_art66():
    """第六十六条第二款: instalments approved; each late part accrues on its own."""
    from sanxiang.procedure.penalty import Instalment, PaymentArrangement

    arrangement = PaymentArrangement(D(2026, 4, 1), (Instalment(D(2026, 5, 1), 150000), Instalment(D(2026, 6, 1), 150000)))
    case = replace(served(), payment_arrangement=arrangement, payments=(Payment(D(2026, 5, 1), 150000),))
    assert surcharge_as_of(case, context(D(2026, 6, 1)), on=D(2026, 6, 1)).amount_fen == 0
    late = surcharge_as_of(case, context(D(2026, 6, 3)), on=D(2026, 6, 3))
    assert (late.amount_fen, late.days) == (9000, 2)  # 3% of 1,500 yuan on 06-02 and 06-03


# --- §8.1 item 14: electronic service only with signed consent ---------------------------------------


def test_item14_electronic_service_needs_the_partys_signed_consent_art61():
    """第六十一条第二款: fax or e-mail only if the party agreed and signed a confirmation."""
    case = replace(
        decided(),
        service=replace(served().service, method="electronic"),
        records=decided().records | {"decision_document", "service_receipt"},
    )
    violation = refusal(ORDINARY, case, "serve", FIRST_DECISION_DAY, "penalty.service.electronic_without_consent")
    assert violation.message == "当事人未签订确认书同意电子送达，不能以传真、电子邮件等方式送达"
    assert violation.legal_basis == f"{LAW}第六十一条第二款"
    allowed(ORDINARY, replace(case, service=replace(case.service, consent_signed=True)), "serve", FIRST_DECISION_DAY)


def test_service_by_lien_or_public_notice_follows_the_civil_procedure_law():
    """民事诉讼法第八十九条（留置：见证或者录像）、第九十五条（公告：其他方式无法送达）."""
    base = replace(decided(), records=decided().records | {"decision_document", "service_receipt", "audio_video_lien_service"})
    lien = replace(base, service=replace(served().service, method="lien"))
    assert refusal(ORDINARY, lien, "serve", FIRST_DECISION_DAY, "penalty.service.lien_without_witness").legal_basis == (
        "《中华人民共和国民事诉讼法》第八十九条"
    )
    allowed(ORDINARY, replace(lien, service=replace(lien.service, witnessed_or_recorded=True)), "serve", FIRST_DECISION_DAY)
    notice = replace(base, service=replace(served().service, method="public_notice"))
    refusal(ORDINARY, notice, "serve", FIRST_DECISION_DAY, "penalty.service.public_notice_not_justified")
    refusal(ORDINARY, notice, "serve", FIRST_DECISION_DAY, "penalty.ordinary.record_missing.public_notice_record")


# --- §8.1 item 16: identifiers ----------------------------------------------------------------------


def test_item16_the_party_identifier_must_pass_its_check_algorithm():
    """GB 11643-1999 / GB 32100-2015: a mistyped ID number or credit code is refused at opening."""
    good = id_number(D(1980, 5, 20))
    typo = good[:-1] + ("0" if good[-1] != "0" else "1")
    case = lead(party=citizen(id_number=typo))
    violation = refusal(ORDINARY, case, "open", OPENED, "penalty.party.id_number.check")
    assert violation.message.startswith("当事人刘某：第18位校验码应为")
    assert violation.legal_basis == "GB 11643-1999《公民身份号码》"
    allowed(ORDINARY, lead(), "open", OPENED)
    allowed(ORDINARY, replace(case, party=replace(case.party, identifier_exemption="外国人护照")), "open", OPENED)
    bad_company = lead(party=company(credit_code="91150626MA0000000X"))
    assert any(
        v.code.startswith("penalty.party.credit_code") and "GB" in v.legal_basis
        for v in evaluate(ORDINARY, bad_company, "open", context=context(OPENED))
    )
    allowed(ORDINARY, lead(party=company()), "open", OPENED)


# --- closing -------------------------------------------------------------------------------------------


def test_closing_is_refused_while_a_required_record_is_missing_art47():
    """第四十七条 and 118号: whole-process records are archived; closing needs every one."""
    case = executed()
    missing = refusal(ORDINARY, case, "close", D(2026, 4, 3), "penalty.ordinary.record_missing.closing_approval")
    assert missing.message == "结案前须有“结案审批表”（全过程记录）"
    complete = replace(case, records=case.records | {"closing_approval"})
    allowed(ORDINARY, complete, "close", D(2026, 4, 3))
    no_inquiry = replace(complete, records=complete.records - {"inquiry_record", "inspection_record"})
    refusal(ORDINARY, no_inquiry, "close", D(2026, 4, 3), "penalty.ordinary.record_missing.inquiry_record_or_inspection_record")
    preserved = replace(complete, preservations=(EvidencePreservation(D(2026, 3, 10), True, handled_on=D(2026, 3, 12)),))
    violations = evaluate(ORDINARY, preserved, "close", context=context(D(2026, 4, 3)))
    assert {v.code for v in violations} == {
        "penalty.ordinary.record_missing.preservation_notice",
        "penalty.ordinary.record_missing.preservation_decision",
        "penalty.ordinary.record_missing.audio_video_preservation",
    }
    # A penalty case closes only once executed.
    wrong = replace(served(), records=complete.records)
    assert refusal(ORDINARY, wrong, "close", D(2026, 4, 3), "penalty.close.wrong_path").message == "给予行政处罚的案件须在执行完毕后结案"


def test_the_whole_lawful_ordinary_path_reaches_the_archive():
    case = replace(executed(), records=executed().records | {"closing_approval"})
    case = step(step(case, "close", D(2026, 4, 3)), "archive", D(2026, 4, 6))
    assert case.state == "archived"
    assert (case.opened_on, case.decided_on) == (OPENED, FIRST_DECISION_DAY)


def test_court_enforcement_after_the_challenge_periods_and_a_demand_enforcement_law_arts53_54():
    """行政强制法第五十三条、第五十四条: after 60 days / 6 months unchallenged, 10 working days after a demand."""
    case = replace(served(), records=served().records | {"enforcement_demand", "court_application"})
    early = refusal(ORDINARY, case, "apply_to_court", D(2026, 5, 1), "penalty.enforcement.challenge_period_running")
    assert "2026-09-26起才能申请人民法院强制执行" in early.message
    refusal(ORDINARY, case, "apply_to_court", D(2026, 10, 1), "penalty.enforcement.demand_missing")
    demanded = replace(case, enforcement_demand_served_on=D(2026, 9, 28))
    refusal(ORDINARY, demanded, "apply_to_court", D(2026, 10, 9), "penalty.enforcement.demand_too_recent")
    # "送达十日后": the 10th working day (2026-10-12 on this weekday calendar) is still the party's;
    # the court may be asked from the next day on (the enforcement package reads it the same way).
    last_day = refusal(ORDINARY, demanded, "apply_to_court", D(2026, 10, 12), "penalty.enforcement.demand_too_recent")
    assert "至2026-10-12届满" in last_day.message and "2026-10-13起" in last_day.message
    allowed(ORDINARY, demanded, "apply_to_court", D(2026, 10, 13))
    paid = replace(demanded, payments=(Payment(D(2026, 4, 1), 300000),))
    refusal(ORDINARY, paid, "apply_to_court", D(2026, 10, 13), "penalty.enforcement.nothing_due")


def test_a_late_start_is_no_excuse_the_calendar_flags_estimates():
    """A window ending in a year without an official schedule is shown as an estimate."""
    from tests.procedure.test_penalty_support import WeekdayCalendar

    ctx = context(WINDOW_END, calendar=WeekdayCalendar(unknown_from=2026))
    violations = evaluate(ORDINARY, notified(), "decide", context=ctx)
    window = [v for v in violations if v.code == "penalty.decision.statement_window_running"]
    assert window and "（估算）" in window[0].message


def test_dates_are_not_today_dependent():
    """Guards use the context's day, never the clock: the same snapshot gives the same answer."""
    case = notified()
    first = evaluate(ORDINARY, case, "decide", context=context(WINDOW_END))
    assert first == evaluate(ORDINARY, case, "decide", context=context(WINDOW_END))
    assert isinstance(WINDOW_END, dt.date)


def test_item1_a_third_officer_without_certificate_does_not_block_two_who_have_one_art42():
    """第四十二条 counts the officers who may act; the others are kept out of each act."""
    expired = officer(3, "赵五", certificates=(certificate(id=3, valid_to=D(2026, 1, 1)),))
    case = step(lead(officers=(ZHANG, LI, expired)), "open", OPENED)
    allowed(ORDINARY, case, "investigate", D(2026, 3, 9))
    case = step(case, "investigate", D(2026, 3, 9))
    problems = investigative_act_problems(case, context(D(2026, 3, 10)), act=act(D(2026, 3, 10), officer_ids=(1, 3)))
    assert [p.code for p in problems] == [
        "penalty.investigation.act_too_few_officers",
        "penalty.investigation.act_certificate_invalid",
    ]
    assert problems[1].message == "赵五在2026-03-10没有“市场监管”领域有效的执法证，不能参加本次调查"

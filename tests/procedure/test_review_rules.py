"""Legal review of major decisions (重大执法决定法制审核, 第五十八条; 国办发〔2018〕118号) and the
leaders' collective discussion (集体讨论, 第五十七条第二款), rule by rule.

Each test cites its article, shows the refusal (code, Chinese message, legal basis) and the lawful
path beside it, so that a rule that refused everything would fail as surely as one that refused
nothing. Steps of the review (送审, 审核意见, 集体讨论) are taken only after their own problems
function has answered [], as the Django side does.
"""

import datetime as dt
from dataclasses import replace

import pytest

from sanxiang.procedure.calendar import working_day_calendar_default
from sanxiang.procedure.engine import evaluate
from sanxiang.procedure.penalty import ORDINARY, InvestigativeAct, PenaltyCaseSnapshot, PenaltyTerms
from sanxiang.procedure.penalty.basis import GUIDELINE_118
from sanxiang.procedure.penalty.review import (
    collective_discussion_problems,
    discussion_gate,
    discussion_reasons,
    major_assessment,
    major_criteria_matched,
    major_override_problems,
    review_due,
    review_extension_problems,
    review_gate,
    review_opinion_problems,
    review_package_required,
    review_status,
    review_submission_problems,
    reviewer_problems,
)
from sanxiang.procedure.penalty.snapshot import (
    REVIEW_CHECKLIST,
    ChecklistFinding,
    CollectiveDiscussion,
    MajorOverride,
    ReviewCatalogue,
    ReviewOpinion,
    ReviewRequest,
)
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.violations import Violation
from tests.procedure.test_penalty_support import (
    FIRST_DECISION_DAY,
    REVIEWER,
    ZHANG,
    D,
    company,
    context,
    fine,
    heard,
    notified,
    officer,
    review,
)

LAW = "《中华人民共和国行政处罚法》"
ART58 = f"{LAW}第五十八条"
ART57 = f"{LAW}第五十七条第二款"

REVIEWER2 = officer(11, "陈法制", is_legal_reviewer=True, has_legal_qualification=True)
NOVICE = officer(8, "钱新人", is_legal_reviewer=True, has_legal_qualification=False)
CLERK = officer(12, "周文员")  # an officer of the agency, not designated as a legal reviewer
ZHANG_REVIEWER = replace(ZHANG, is_legal_reviewer=True)  # designated, but he investigated this case

PACKAGE = frozenset({"evidence_list", "explanation"})  # the rest comes from the draft and the records
ALL_PASS = tuple(ChecklistFinding(item, "pass") for item in REVIEW_CHECKLIST)
SUBMITTED = D(2026, 3, 18)
ANSWERED = D(2026, 3, 20)
RESUBMITTED = D(2026, 3, 23)
REANSWERED = D(2026, 3, 24)
CTX = context(FIRST_DECISION_DAY)


def codes(violations: list[Violation]) -> list[str]:
    return [v.code for v in violations]


def refusal(case: PenaltyCaseSnapshot, code: str, today: dt.date = FIRST_DECISION_DAY) -> Violation:
    """The violation with `code` among the reasons `decide` is refused on `today`."""
    violations = evaluate(ORDINARY, case, "decide", context=context(today))
    found = [v for v in violations if v.code == code]
    assert found, f"expected {code}, got " + "; ".join(f"{v.code}: {v.message}" for v in violations)
    return found[0]


def allowed(case: PenaltyCaseSnapshot, today: dt.date = FIRST_DECISION_DAY) -> None:
    violations = evaluate(ORDINARY, case, "decide", context=context(today))
    assert violations == [], "; ".join(f"{v.code}: {v.message}" for v in violations)


def only(violations: list[Violation], code: str) -> Violation:
    assert codes(violations) == [code], "; ".join(f"{v.code}: {v.message}" for v in violations)
    return violations[0]


def major(**overrides) -> PenaltyCaseSnapshot:
    """A case that is lawful to decide on 03-25 except that the office marked it major: the leaders'
    discussion is on file, so that only the review decides."""
    case = notified(major_case=True, **overrides)
    return replace(case, records=case.records | {"collective_discussion_record"})


def submitted(
    case: PenaltyCaseSnapshot,
    *,
    on: dt.date = SUBMITTED,
    reviewer_id: int | None = REVIEWER.id,
    package: frozenset[str] = PACKAGE,
    response: str = "",
) -> PenaltyCaseSnapshot:
    """送审: only when `review_submission_problems` has nothing to say."""
    assert case.decision is not None
    problems = review_submission_problems(case, CTX, package=package, response=response)
    assert problems == [], "; ".join(f"{v.code}: {v.message}" for v in problems)
    request = ReviewRequest(
        round=len(case.review_requests) + 1,
        submitted_on=on,
        draft=case.decision.key(),
        package=package,
        reviewer_id=reviewer_id,
        response_given=bool(response),
    )
    return replace(case, review_requests=(*case.review_requests, request))


def answered(
    case: PenaltyCaseSnapshot,
    opinion: str = "agree",
    *,
    on: dt.date = ANSWERED,
    reviewer: OfficerSnapshot = REVIEWER,
    first_time: bool = False,
    checklist: tuple[ChecklistFinding, ...] = ALL_PASS,
) -> PenaltyCaseSnapshot:
    """审核意见 on the pending request, by its reviewer: only when `review_opinion_problems` allows it."""
    assert case.decision is not None
    problems = review_opinion_problems(
        case, CTX, reviewer=reviewer, first_time=first_time, opinion=opinion, checklist=checklist, reasons="见审核意见书"
    )
    assert problems == [], "; ".join(f"{v.code}: {v.message}" for v in problems)
    request = case.review_requests[-1]
    given = ReviewOpinion(
        reviewer=reviewer,
        opinion=opinion,
        given_on=on,
        reviewed_outcome=case.decision.outcome,
        reviewed_penalty=case.decision.penalty,
        reviewer_first_time=first_time,
        round=request.round,
        reviewed_draft=request.draft,
        checklist=checklist,
    )
    return replace(case, review_opinions=(*case.review_opinions, given), records=case.records | {"review_opinion"})


def discussed(case: PenaltyCaseSnapshot, *, on: dt.date, leaders: int = 3, resolution: str = "") -> PenaltyCaseSnapshot:
    """集体讨论 of the current draft: only when `collective_discussion_problems` allows it."""
    assert case.decision is not None
    problems = collective_discussion_problems(case, context(on), leader_count=leaders, resolution=resolution)
    assert problems == [], "; ".join(f"{v.code}: {v.message}" for v in problems)
    discussion = CollectiveDiscussion(on, leaders, resolution=resolution, adopted_draft=case.decision.key())
    return replace(
        case,
        collective_discussions=(*case.collective_discussions, discussion),
        records=case.records | {"collective_discussion_record"},
    )


def failing(item: str, note: str = "证据不足") -> tuple[ChecklistFinding, ...]:
    return tuple(ChecklistFinding(i, "fail", note) if i == item else ChecklistFinding(i, "pass") for i in REVIEW_CHECKLIST)


def redrafted(case: PenaltyCaseSnapshot, **changes) -> PenaltyCaseSnapshot:
    assert case.decision is not None
    return replace(case, decision=replace(case.decision, **changes))


# --- the gate: no decision without a passing review of this very draft (第五十八条) --------------


def test_decide_is_refused_without_a_review_and_while_the_request_is_pending_art58():
    """第五十八条第一款: a major decision is not made before the legal review; sending the draft is
    not enough, the opinion must be given."""
    case = major()
    missing = only(review_gate(case, CTX), "penalty.decision.review_missing")
    assert missing.message == "本案须经法制审核（承办机构认定为重大执法决定），未经法制审核不得作出决定"
    assert missing.legal_basis == ART58
    assert refusal(case, "penalty.decision.review_missing") == missing
    pending = submitted(case)
    violation = refusal(pending, "penalty.decision.review_pending")
    assert violation.message == "已送法制审核，尚未出具审核意见，不得作出决定"
    assert violation.legal_basis == ART58
    assert codes(review_gate(pending, CTX)) == ["penalty.decision.review_pending"]
    # Lawful: the assigned reviewer agrees with the draft as sent.
    allowed(answered(pending))


@pytest.mark.parametrize(
    ("opinion", "label", "checklist"),
    [("disagree", "不同意", failing("evidence")), ("resubmit", "补充材料后重新提交", ALL_PASS)],
)
def test_decide_is_refused_after_an_opinion_that_does_not_agree_art58(opinion, label, checklist):
    """第五十八条: a review that did not pass does not let the decision through; the case office
    answers the opinion and sends the draft again."""
    returned = answered(submitted(major()), opinion, checklist=checklist)
    violation = refusal(returned, "penalty.decision.review_not_passed")
    assert violation.message == f"2026-03-20的法制审核意见为“{label}”，审核未通过不得作出决定，须整改后重新送审"
    assert violation.legal_basis == ART58
    # Lawful: resubmitted with an account of what was supplemented, and agreed.
    again = submitted(returned, on=RESUBMITTED, response="已补充证据材料并说明")
    refusal(again, "penalty.decision.review_pending")
    allowed(answered(again, on=REANSWERED))


def test_a_changed_draft_needs_a_new_review_even_when_only_the_wording_changed_art58():
    """第五十八条: the opinion covers the draft reviewed (its DecisionDraft.key()); a new fine, or
    only new wording of the reasons (content_digest), is a decision that was not reviewed."""
    base = major()
    base = redrafted(base, content_digest="理由v1")
    agreed = answered(submitted(base))
    allowed(agreed)
    assert review_status(agreed, CTX).code == "agreed"
    for changed in (redrafted(agreed, penalty=fine(2500)), redrafted(agreed, content_digest="理由v2")):
        violation = refusal(changed, "penalty.decision.review_outdated")
        assert violation.message == (
            "拟作出的决定与法制审核时的决定不一致（处理结果、处罚内容或者理由、依据已改变），须重新进行法制审核"
        )
        assert violation.legal_basis == ART58
        assert codes(review_gate(changed, CTX)) == ["penalty.decision.review_outdated"]
        assert review_status(changed, CTX).code == "outdated"
        # Lawful: the changed draft is sent again (no response needed after 同意) and agreed.
        allowed(answered(submitted(changed, on=RESUBMITTED), on=REANSWERED))
    # A draft changed and changed back is the draft that was reviewed.
    allowed(redrafted(redrafted(agreed, content_digest="理由v2"), content_digest="理由v1"))


def test_opinions_recorded_before_drafts_had_keys_compare_outcome_and_penalty_art58():
    """Older opinions carry no draft key: they hold for the outcome and penalty they reviewed."""
    legacy = review(major(), on=ANSWERED)  # the support builder records no `reviewed_draft`
    assert legacy.review_opinions[-1].reviewed_draft == ""
    allowed(legacy)
    refusal(redrafted(legacy, penalty=fine(2500)), "penalty.decision.review_outdated")
    no_penalty = redrafted(legacy, outcome="no_penalty", penalty=None, no_penalty_reason="first_offence")
    refusal(no_penalty, "penalty.decision.review_outdated")


# --- who may review (第五十八条第二款; 回避) ----------------------------------------------------


def test_reviewer_problems_recusal_designation_and_qualification_art58():
    """第五十八条: the review is done by the agency's designated reviewers, not by anyone who
    investigated the case; 第五十八条第二款: a first-time reviewer holds the 法律职业资格."""
    case = notified(major_case=True)
    assigned = only(reviewer_problems(case, ZHANG_REVIEWER, first_time=False), "penalty.review.reviewer_investigated")
    assert assigned.message == "张三参与了本案调查或者送审，应当回避，不能审核本案"
    assert assigned.legal_basis == f"{ART58}；{GUIDELINE_118}"
    # An officer who only took part in one inquiry investigated the case too.
    helper = officer(13, "吴协查", is_legal_reviewer=True, has_legal_qualification=True)
    assert reviewer_problems(case, helper, first_time=False) == []
    inquiry = InvestigativeAct("inquiry", D(2026, 3, 12), officer_ids=(1, 13), certificate_shown=True)
    helped = replace(case, investigative_acts=(*case.investigative_acts, inquiry))
    violation = only(reviewer_problems(helped, helper, first_time=False), "penalty.review.reviewer_investigated")
    assert violation.message == "吴协查参与了本案调查或者送审，应当回避，不能审核本案"
    unqualified = only(reviewer_problems(case, NOVICE, first_time=True), "penalty.review.reviewer_unqualified")
    assert unqualified.message == "钱新人初次从事行政处罚决定法制审核，须取得法律职业资格"
    assert unqualified.legal_basis == f"{ART58}第二款"
    assert reviewer_problems(case, NOVICE, first_time=False) == []  # reviewing since before 2021-07-15
    clerk = only(reviewer_problems(case, CLERK, first_time=False), "penalty.review.reviewer_not_designated")
    assert clerk.message == "周文员不是本机关的法制审核人员"
    # Every reason at once.
    assert codes(reviewer_problems(case, replace(ZHANG, has_legal_qualification=False), first_time=True)) == [
        "penalty.review.reviewer_not_designated",
        "penalty.review.reviewer_investigated",
        "penalty.review.reviewer_unqualified",
    ]
    # Lawful: a qualified, designated reviewer who did not investigate.
    assert reviewer_problems(case, REVIEWER, first_time=True) == []
    # The opinion step itself refuses them.
    pending = submitted(case, reviewer_id=None)
    problems = review_opinion_problems(
        pending, CTX, reviewer=ZHANG_REVIEWER, first_time=False, opinion="agree", checklist=ALL_PASS, reasons="同意"
    )
    assert codes(problems) == ["penalty.review.reviewer_investigated"]


def test_the_decision_gate_rechecks_the_reviewer_of_the_opinion_art58():
    """第五十八条: an opinion by an investigator or by an unqualified first-time reviewer (an import
    of old records, or an officer who took part in the case after reviewing it) does not count."""
    case = major()
    key = case.decision.key()

    def opinion_by(reviewer: OfficerSnapshot, first_time: bool) -> PenaltyCaseSnapshot:
        given = ReviewOpinion(
            reviewer=reviewer,
            opinion="agree",
            given_on=ANSWERED,
            reviewed_outcome="penalty",
            reviewed_penalty=case.decision.penalty,
            reviewer_first_time=first_time,
            reviewed_draft=key,
            checklist=ALL_PASS,
        )
        return replace(case, review_opinions=(given,))

    violation = refusal(opinion_by(ZHANG_REVIEWER, False), "penalty.decision.reviewer_investigated")
    assert violation.message == "张三参与了本案调查或者送审，应当回避，不能审核本案"
    assert violation.legal_basis == f"{ART58}；{GUIDELINE_118}"
    violation = refusal(opinion_by(NOVICE, True), "penalty.decision.reviewer_unqualified")
    assert violation.message == "钱新人初次从事行政处罚决定法制审核，须取得法律职业资格"
    assert violation.legal_basis == f"{ART58}第二款"
    refusal(opinion_by(CLERK, False), "penalty.decision.reviewer_not_designated")
    # The reviewer later took part in an inquiry of the case: the opinion no longer counts.
    agreed = answered(submitted(case))
    allowed(agreed)
    inquiry = InvestigativeAct("inquiry", D(2026, 3, 24), officer_ids=(1, REVIEWER.id), certificate_shown=True)
    refusal(replace(agreed, investigative_acts=(*agreed.investigative_acts, inquiry)), "penalty.decision.reviewer_investigated")
    # Lawful: the same novice, not reviewing for the first time; and the qualified reviewer.
    allowed(opinion_by(NOVICE, False))
    allowed(opinion_by(REVIEWER, True))


# --- which decisions are major: the catalogue, and the head's override ----------------------------


def test_only_the_head_with_a_reason_may_clear_a_catalogue_criterion_art58():
    """第五十八条; 118号 (the head is the first responsible for the review system): the agency head,
    with a reason, may decide that a catalogue criterion does not make this case major; nobody can
    clear a criterion of the statute (a hearing held, 第五十八条第一款第二项)."""
    case = notified(fine(20000))  # major only by the catalogue amount (> 10,000元 for a citizen)
    assert [c.code for c in major_criteria_matched(case, CTX)] == ["catalogue.amount"]
    amount = frozenset({"catalogue.amount"})
    officer_try = only(
        major_override_problems(case, CTX, criteria=amount, reason="首次违法，情节轻微", actor_is_head=False),
        "penalty.major.override_needs_head",
    )
    assert officer_try.message == "法制审核目录认定的重大执法决定，只有行政机关负责人可以决定不按重大执法决定办理"
    assert officer_try.legal_basis.startswith(f"{ART58}；{GUIDELINE_118}")
    no_reason = only(
        major_override_problems(case, CTX, criteria=amount, reason="  ", actor_is_head=True), "penalty.major.override_reason"
    )
    assert no_reason.message == "请写明不按重大执法决定办理的理由（记入账本）"
    hearing = heard(fine(20000))
    statutory = only(
        major_override_problems(hearing, CTX, criteria=frozenset({"statute.hearing"}), reason="听证无新情况", actor_is_head=True),
        "penalty.major.override_statutory",
    )
    assert statutory.message == "“经过听证程序”是法定或者承办机构认定的情形，不能由负责人排除"
    assert statutory.legal_basis == f"{ART58}第一款第二项"
    assert codes(
        major_override_problems(case, CTX, criteria=frozenset({"catalogue.kind"}), reason="理由", actor_is_head=True)
    ) == ["penalty.major.override_not_matched"]
    # Lawful: the head, with a reason, clears the amount.
    assert major_override_problems(case, CTX, criteria=amount, reason="首次违法，情节轻微", actor_is_head=True) == []
    cleared = replace(case, major_overrides=(MajorOverride(amount, "首次违法，情节轻微", "局长", D(2026, 3, 20)),))
    assessment = major_assessment(cleared, CTX)
    assert not assessment.is_major
    assert [c.code for c in assessment.overridden] == ["catalogue.amount"]
    assert review_status(cleared, CTX).code == "not_required"
    allowed(cleared)  # neither review nor collective discussion
    # The office's own mark cannot be cleared that way: the case is major again.
    marked = replace(cleared, major_case=True)
    assert major_assessment(marked, CTX).codes == ("office.mark",)
    assert refusal(marked, "penalty.decision.review_missing").message.startswith("本案须经法制审核（承办机构认定为重大执法决定")


def test_whether_a_case_is_major_is_recomputed_from_the_draft_art58():
    """第五十八条; the catalogue (default: over 10,000元 for a citizen, exclusive): the same case
    changes with the proposed fine, at once."""
    case = notified(fine(20000))
    at = {
        yuan: major_assessment(redrafted(case, penalty=fine(yuan)), CTX).codes for yuan in (5000, 10000, 10001, 20000)
    }
    assert at == {5000: (), 10000: (), 10001: ("catalogue.amount",), 20000: ("catalogue.amount",)}
    label = major_criteria_matched(case, CTX)[0]
    assert label.label == "罚没数额20000元超过目录标准（10000元）"
    assert label.legal_basis.startswith(f"{ART58}；默认重大执法决定法制审核目录")
    # The gate follows the draft: 5,000元 is decided without review, 20,000元 is not.
    allowed(redrafted(case, penalty=fine(5000)))
    assert refusal(case, "penalty.decision.review_missing").message.startswith("本案须经法制审核（罚没数额20000元超过目录标准")
    # A catalogue that says 以上 includes the threshold itself.
    inclusive = ReviewCatalogue(
        kinds=frozenset({"revoke_permit"}),
        fine_natural_person_fen=1_000_000,
        fine_organization_fen=10_000_000,
        amount_inclusive=True,
        reference="某县重大执法决定法制审核目录清单（2024年版）",
    )
    exactly = redrafted(replace(case, catalogue=inclusive), penalty=fine(10000))
    criterion = major_criteria_matched(exactly, CTX)[0]
    assert (criterion.code, criterion.label) == ("catalogue.amount", "罚没数额10000元达到目录标准（10000元）")
    assert criterion.legal_basis == f"{ART58}；某县重大执法决定法制审核目录清单（2024年版）"
    assert major_assessment(redrafted(exactly, penalty=fine(9999)), CTX).codes == ()


def test_catalogue_kinds_matters_discretion_and_the_organisation_threshold_art58():
    """第五十八条; the catalogue: listed kinds (吊销许可证件), listed matters, 减轻/加重 outside the
    discretion standard, and 100,000元 for organisations."""
    case = notified(fine(3000))
    assert not major_assessment(case, CTX).is_major
    revoke = redrafted(case, penalty=PenaltyTerms(frozenset({"revoke_permit"})))
    kind = major_criteria_matched(revoke, CTX)
    assert [(c.code, c.label) for c in kind] == [("catalogue.kind", "处罚种类吊销许可证件列入法制审核目录")]
    listed = ReviewCatalogue(
        kinds=frozenset(), fine_natural_person_fen=1_000_000, fine_organization_fen=10_000_000, matters=frozenset({"SC-017"})
    )
    assert major_assessment(replace(case, catalogue=listed, matter="SC-017"), CTX).codes == ("catalogue.matter",)
    assert major_assessment(replace(case, catalogue=listed, matter="SC-018"), CTX).codes == ()
    for discretion in ("mitigated", "aggravated"):
        assert major_assessment(redrafted(case, discretion=discretion), CTX).codes == ("catalogue.discretion",)
    assert major_assessment(redrafted(case, discretion="within"), CTX).codes == ()
    no_deviation = replace(listed, discretion_deviation=False)
    assert major_assessment(redrafted(replace(case, catalogue=no_deviation), discretion="mitigated"), CTX).codes == ()
    # Organisations: over 100,000元.
    firm = notified(fine(200000), party=company())
    at = {yuan: major_assessment(redrafted(firm, penalty=fine(yuan)), CTX).codes for yuan in (20000, 100000, 100001)}
    assert at == {20000: (), 100000: (), 100001: ("catalogue.amount",)}
    # Confiscation counts like a fine.
    confiscated = PenaltyTerms(frozenset({"warning", "confiscate_gains"}), confiscation_fen=1_500_000)
    assert major_assessment(redrafted(case, penalty=confiscated), CTX).codes == ("catalogue.amount",)


# --- 送审: the package (118号) --------------------------------------------------------------------


def test_a_submission_reports_every_missing_package_item_at_once_118():
    """118号: the case office answers for a true, accurate and complete package; every missing item
    is named, at once."""
    case = notified(major_case=True)
    no_report = replace(case, records=case.records - {"investigation_report"})
    problems = review_submission_problems(no_report, CTX, package=frozenset())
    assert [(v.code, v.field, v.message) for v in problems] == [
        ("penalty.review.package_incomplete", "package.evidence_list", "送审材料不齐全：缺少证据材料目录"),
        ("penalty.review.package_incomplete", "package.investigation_report", "送审材料不齐全：缺少调查终结报告"),
        ("penalty.review.package_incomplete", "package.explanation", "送审材料不齐全：缺少情况说明"),
    ]
    assert all(v.legal_basis == f"{GUIDELINE_118}（承办机构对送审材料的真实性、准确性、完整性负责）" for v in problems)
    # A report ticked on the form but not in the case file is still missing.
    assert codes(review_submission_problems(no_report, CTX, package=PACKAGE | {"investigation_report"})) == [
        "penalty.review.package_incomplete"
    ]
    no_draft = review_submission_problems(replace(case, decision=None), CTX, package=PACKAGE)
    assert codes(no_draft) == ["penalty.review.no_draft", "penalty.review.package_incomplete"]
    assert no_draft[0].message == "尚未拟定处理决定，不能送审"
    # Lawful: the report is in the file, the list and the explanation are sent.
    assert review_submission_problems(case, CTX, package=PACKAGE) == []
    pending = submitted(case)
    assert codes(review_submission_problems(pending, CTX, package=PACKAGE)) == ["penalty.review.pending"]


def test_the_hearing_transcript_is_sent_only_after_a_hearing_118():
    """118号 and 第六十五条: after a hearing the transcript is part of the package."""
    case = notified(major_case=True)
    assert "hearing_transcript" not in review_package_required(case)
    assert review_submission_problems(case, CTX, package=PACKAGE) == []
    hearing = heard()
    assert "hearing_transcript" in review_package_required(hearing)
    without = replace(hearing, records=hearing.records - {"hearing_transcript"})
    violation = only(review_submission_problems(without, CTX, package=PACKAGE), "penalty.review.package_incomplete")
    assert (violation.field, violation.message) == ("package.hearing_transcript", "送审材料不齐全：缺少听证笔录")
    assert review_submission_problems(hearing, CTX, package=PACKAGE) == []


@pytest.mark.parametrize(("opinion", "label"), [("resubmit", "补充材料后重新提交"), ("disagree", "不同意")])
def test_a_resubmission_answers_the_previous_opinion_118(opinion, label):
    """118号: after an opinion that did not agree, the case office says what it supplemented or
    changed; after 同意 on the same draft there is nothing to resubmit."""
    checklist = failing("facts") if opinion == "disagree" else ALL_PASS
    returned = answered(submitted(major()), opinion, checklist=checklist)
    violation = only(review_submission_problems(returned, CTX, package=PACKAGE), "penalty.review.response_missing")
    assert violation.message == f"上一次审核意见为“{label}”，重新送审须说明补充、修改的情况"
    assert violation.legal_basis == f"{ART58}；{GUIDELINE_118}"
    assert review_submission_problems(returned, CTX, package=PACKAGE, response="补充了现场检查照片") == []
    agreed = answered(submitted(major()))
    assert codes(review_submission_problems(agreed, CTX, package=PACKAGE)) == ["penalty.review.already_agreed"]
    assert review_submission_problems(redrafted(agreed, penalty=fine(2500)), CTX, package=PACKAGE) == []


# --- the review period ---------------------------------------------------------------------------


def test_the_opinion_is_due_five_working_days_after_submission_across_a_holiday():
    """Local review rules (parameter penalty.review.period_working_days = 5, unverified) counted in
    working days without statutory holidays (第八十五条): sent Tue 2026-09-29, before 国庆 (10-01 to
    10-07, with Sat 10-10 a working day), the opinion is due Mon 10-12: 09-30, 10-08, 10-09, 10-10,
    10-12."""
    official = working_day_calendar_default()
    assert official.is_working_day(D(2026, 10, 5)).holiday_name == "国庆节"
    assert official.is_working_day(D(2026, 10, 10)).adjusted
    case = submitted(major(), on=D(2026, 9, 29))
    request = case.review_requests[-1]
    ctx = context(D(2026, 9, 29), calendar=official)
    due = review_due(request, case, ctx)
    assert (due.date, due.estimated) == (D(2026, 10, 12), False)
    assert "地方重大执法决定法制审核办法" in due.basis and "第八十五条" in due.basis
    # The support module's Monday–Friday stub knows no holiday: it would say Tue 10-06.
    assert review_due(request, case, context(D(2026, 9, 29))).date == D(2026, 10, 6)
    status = review_status(case, ctx)
    assert (status.code, status.due.date, status.reviewer_id) == ("pending", D(2026, 10, 12), REVIEWER.id)


def test_the_review_period_is_extended_once_by_at_most_three_working_days():
    """Local review rules (penalty.review.extension_working_days = 3, unverified): once, and at
    most three working days after the original due date (10-12 → 10-15)."""
    official = working_day_calendar_default()
    case = submitted(major(), on=D(2026, 9, 29))
    ctx = context(D(2026, 10, 9), calendar=official)
    too_long = only(review_extension_problems(case, ctx, extend_to=D(2026, 10, 16)), "penalty.review.extension_too_long")
    assert too_long.message == "审核期限最多延长3个工作日，即至2026-10-15"
    assert "地方重大执法决定法制审核办法" in too_long.legal_basis
    not_later = only(review_extension_problems(case, ctx, extend_to=D(2026, 10, 12)), "penalty.review.extension_not_later")
    assert not_later.message == "延长后的期限（2026-10-12）应当晚于原期限（2026-10-12）"
    assert review_extension_problems(case, ctx, extend_to=D(2026, 10, 15)) == []
    extended = replace(case, review_requests=(replace(case.review_requests[-1], extended_to=D(2026, 10, 15)),))
    assert review_due(extended.review_requests[-1], extended, ctx).date == D(2026, 10, 15)
    twice = review_extension_problems(extended, ctx, extend_to=D(2026, 10, 16))
    assert codes(twice) == ["penalty.review.extended_twice"]
    assert twice[0].message == "审核期限已经延长过一次"
    # Nothing to extend once the opinion is given.
    assert codes(review_extension_problems(answered(case), ctx, extend_to=D(2026, 10, 15))) == [
        "penalty.review.nothing_pending"
    ]


# --- the opinion (118号: what the reviewer checks) -----------------------------------------------


def test_an_opinion_answers_every_checklist_item_consistently_118():
    """第五十八条; 118号: the reviewer answers each item (主体、资格、权限、程序、事实、证据、
    法律适用、裁量、文书、移送); 同意 only when nothing fails; a failing item says what is wrong."""
    pending = submitted(major())

    def problems(checklist, opinion="agree", reviewer=REVIEWER):
        return review_opinion_problems(
            pending, CTX, reviewer=reviewer, first_time=False, opinion=opinion, checklist=checklist, reasons="理由"
        )

    incomplete = problems(tuple(f for f in ALL_PASS if f.item not in ("discretion", "crime")))
    assert [(v.code, v.field, v.message) for v in incomplete] == [
        ("penalty.review.checklist_incomplete", "checklist.discretion", "审核事项“裁量基准运用是否适当”未填写审核结论"),
        ("penalty.review.checklist_incomplete", "checklist.crime", "审核事项“是否涉嫌犯罪需要移送司法机关”未填写审核结论"),
    ]
    assert all(v.legal_basis == f"{ART58}；{GUIDELINE_118}" for v in incomplete)
    agree_with_fail = only(problems(failing("evidence")), "penalty.review.agree_with_problems")
    assert agree_with_fail.message == "审核事项“证据是否合法充分”不符合，不能出具“同意”的审核意见"
    silent_fail = only(problems(failing("evidence", note=" "), opinion="disagree"), "penalty.review.checklist_note_missing")
    assert silent_fail.message == "审核事项“证据是否合法充分”结论为不符合，请写明问题"
    other = only(problems(ALL_PASS, reviewer=REVIEWER2), "penalty.review.not_assigned")
    assert other.message == "本次送审未分配给陈法制审核"
    # Every reason at once.
    assert codes(problems(failing("law", note=""), reviewer=REVIEWER2)) == [
        "penalty.review.not_assigned",
        "penalty.review.checklist_note_missing",
        "penalty.review.agree_with_problems",
    ]
    # Lawful: the assigned reviewer agrees with every item answered (不适用 counts as an answer), or
    # disagrees naming the problem.
    assert problems(ALL_PASS) == []
    assert problems((*ALL_PASS[:-1], ChecklistFinding("crime", "not_applicable"))) == []
    assert problems(failing("evidence"), opinion="disagree") == []
    nothing = review_opinion_problems(
        major(), CTX, reviewer=REVIEWER, first_time=False, opinion="agree", checklist=ALL_PASS, reasons="理由"
    )
    assert codes(nothing) == ["penalty.review.nothing_pending"]


# --- 集体讨论 (第五十七条第二款) -------------------------------------------------------------------


def test_a_collective_discussion_needs_enough_leaders_art57():
    """第五十七条第二款; local rules (penalty.collective_discussion.min_leaders = 3, unverified)."""
    case = notified(major_case=True)
    violation = only(
        collective_discussion_problems(case, CTX, leader_count=2, resolution=""), "penalty.discussion.too_few_leaders"
    )
    assert violation.message == "集体讨论应当有不少于3名机关负责人参加，本次为2名"
    assert violation.legal_basis.startswith(f"{ART57}；")
    assert collective_discussion_problems(case, CTX, leader_count=3, resolution="") == []
    missing = refusal(answered(submitted(case)), "penalty.decision.collective_discussion_missing")
    assert missing.message == "本案属于重大执法决定，给予行政处罚须经行政机关负责人集体讨论决定，尚无集体讨论记录"
    assert missing.legal_basis == ART57
    allowed(discussed(answered(submitted(case)), on=D(2026, 3, 24)))


def test_the_leaders_settle_a_standing_disagreement_for_the_current_draft_only_art57_art58():
    """118号 (coordination), 第五十七条第二款, 第五十八条: when the review office does not agree and
    the case office keeps its draft, the leaders' discussion may adopt the draft; that settles the
    review for this very draft, and only a discussion held on or after the opinion."""
    case = notified(major_case=True)
    agreed = answered(submitted(case))
    refused = only(
        collective_discussion_problems(agreed, CTX, leader_count=3, resolution="adopt_draft"),
        "penalty.discussion.no_disagreement",
    )
    assert refused.message.startswith("本案没有未解决的审核分歧")
    disagreed = answered(submitted(case), "disagree", checklist=failing("discretion", "裁量偏重"))
    assert collective_discussion_problems(disagreed, CTX, leader_count=3, resolution="adopt_draft") == []
    # A redrafted or resubmitted case has no standing disagreement any more.
    assert codes(
        collective_discussion_problems(redrafted(disagreed, penalty=fine(2500)), CTX, leader_count=3, resolution="adopt_draft")
    ) == ["penalty.discussion.no_disagreement"]
    resent = submitted(disagreed, on=RESUBMITTED, response="坚持原意见，说明理由")
    assert codes(collective_discussion_problems(resent, CTX, leader_count=3, resolution="adopt_draft")) == [
        "penalty.discussion.no_disagreement"
    ]
    # Without a resolution the discussion does not settle the disagreement.
    plain = discussed(disagreed, on=D(2026, 3, 24))
    assert refusal(plain, "penalty.decision.review_not_passed").message.startswith("2026-03-20的法制审核意见为“不同意”")
    # Lawful: the leaders adopt the draft after the opinion.
    settled = discussed(disagreed, on=D(2026, 3, 24), resolution="adopt_draft")
    allowed(settled)
    assert review_status(settled, CTX).code == "resolved"
    # The draft changes afterwards: neither the settlement nor the discussion covers it.
    changed = redrafted(settled, content_digest="理由v2")
    assert codes(evaluate(ORDINARY, changed, "decide", context=CTX)) == [
        "penalty.decision.review_not_passed",
        "penalty.decision.review_outdated",
        "penalty.decision.collective_discussion_outdated",
    ]
    # A discussion held before the opinion does not settle it.
    earlier = replace(
        disagreed,
        collective_discussions=(CollectiveDiscussion(D(2026, 3, 19), 3, "adopt_draft", case.decision.key()),),
        records=disagreed.records | {"collective_discussion_record"},
    )
    refusal(earlier, "penalty.decision.review_not_passed")


def test_the_discussion_covers_the_draft_it_adopted_art57():
    """第五十七条第二款: the leaders decide the decision now proposed; a draft changed after their
    discussion goes back to them."""
    case = answered(submitted(notified(major_case=True)))
    held = discussed(case, on=D(2026, 3, 24))
    assert discussion_gate(held, CTX) == []
    changed = redrafted(held, content_digest="理由v2")
    violation = only(discussion_gate(changed, CTX), "penalty.decision.collective_discussion_outdated")
    assert violation.message == "拟作出的决定在集体讨论后已改变，须重新集体讨论"
    assert violation.legal_basis == ART57
    # Lawful: reviewed again and discussed again.
    again = discussed(answered(submitted(changed, on=D(2026, 3, 24)), on=D(2026, 3, 25)), on=D(2026, 3, 25))
    allowed(again)


def test_review_status_follows_each_step():
    """What pages show: never 审核同意 for a draft that is not the one agreed."""
    plain = notified()
    assert review_status(plain, CTX).code == "not_required"
    case = notified(major_case=True)
    steps = [("not_submitted", case)]
    case = submitted(case)
    steps.append(("pending", case))
    case = answered(case, "resubmit")
    steps.append(("returned", case))
    case = answered(submitted(case, on=RESUBMITTED, response="已补充"), "disagree", on=REANSWERED, checklist=failing("law"))
    steps.append(("disagreed", case))
    steps.append(("resolved", discussed(case, on=REANSWERED, resolution="adopt_draft")))
    case = answered(submitted(case, on=REANSWERED, response="已修改"), on=FIRST_DECISION_DAY)
    steps.append(("agreed", case))
    steps.append(("outdated", redrafted(case, discretion="mitigated")))
    assert [(code, review_status(c, CTX).code) for code, c in steps] == [(code, code) for code, _ in steps]
    assert review_status(case, CTX).round == 3
    assert review_status(case, CTX).label == "审核同意"


# --- found by the review of this module; each was a way round the gate ----------------------------


def test_the_leaders_latest_word_on_a_disagreement_decides_118():
    """118号 (coordination): a later discussion that adopts the review office's opinion undoes an
    earlier one that kept the draft; the leaders cannot be asked until one of them says yes."""
    disagreed = answered(submitted(major()), "disagree", checklist=failing("discretion", "裁量不当"))
    kept = discussed(disagreed, on=D(2026, 3, 23), resolution="adopt_draft")
    allowed(kept)
    reversed_ = discussed(kept, on=D(2026, 3, 24), resolution="adopt_review")
    assert refusal(reversed_, "penalty.decision.review_not_passed").legal_basis == ART58
    assert review_status(reversed_, CTX).code == "disagreed"
    unknown = collective_discussion_problems(disagreed, CTX, leader_count=3, resolution="foo")
    assert codes(unknown) == ["penalty.discussion.resolution_unknown"]


def test_an_override_holds_only_for_the_draft_the_head_decided_on_118():
    """The head cleared the amount criterion for a 20,000元 fine; a 200,000元 draft is a new question."""
    case = notified(fine(20000))
    case = replace(case, records=case.records | {"collective_discussion_record"})
    assert major_assessment(case, CTX).codes == ("catalogue.amount",)
    override = MajorOverride(frozenset({"catalogue.amount"}), "情节简单", "王局长", FIRST_DECISION_DAY, draft=case.decision.key())
    cleared = replace(case, major_overrides=(override,))
    assert not major_assessment(cleared, CTX).is_major
    bigger = redrafted(cleared, penalty=fine(200000))
    assert major_assessment(bigger, CTX).codes == ("catalogue.amount",)
    refusal(bigger, "penalty.decision.review_missing")


def test_no_collective_discussion_is_asked_for_a_decision_to_impose_no_penalty_art57():
    """第五十七条第二款 concerns giving a penalty for 情节复杂或者重大违法行为."""
    case = notified(complex_case=True)
    assert discussion_reasons(case, CTX) == ["情节复杂", "属于重大执法决定"]  # complexity is also 第五十八条(三)
    none = redrafted(case, outcome="no_penalty", penalty=None, no_penalty_reason="facts_unclear")
    assert discussion_reasons(none, CTX) == []


def test_a_reviewer_who_left_may_not_review_art58():
    gone = replace(REVIEWER, status="transferred")
    problems = reviewer_problems(major(), gone, first_time=False)
    assert codes(problems) == ["penalty.review.reviewer_inactive"]
    assert problems[0].message == f"{gone.name}不在岗，不能审核"

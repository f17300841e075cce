"""Legal review of major decisions through the services (行政处罚法第五十七条、第五十八条; 国办发〔2018〕118号).

Each test shows the block (the violation and its legal basis), the message and the lawful path,
with the documents and ledger entries the lawful path leaves. The pure rules are tested one by one
in tests/procedure/test_review_rules.py; here they meet the database, the roles, the reviewer
assignment and the documents.
"""

import json

import pytest

from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_review_view, case_snapshot_build
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.registry.models import Officer
from tests.cases.support import (
    FIRST_DECISION_DAY,
    LAW,
    PENALTY,
    D,
    discussion_data,
    lead_make,
    notice_data,
    officer_with_certificate,
    perform,
    review_data,
    submit_data,
    to_notified,
    world_make,
)
from tests.factories import user_make

pytestmark = pytest.mark.django_db
REVIEW_DAY, SECOND_ROUND, AGREED = D(2026, 3, 26), D(2026, 3, 30), D(2026, 3, 31)


@pytest.fixture
def w():
    return world_make()


def refused(action, *args, **data) -> dict[str, list]:
    """Perform and expect a refusal: the violations by code."""
    with pytest.raises(Refused) as refusal:
        perform(*args, **data)
    found: dict[str, list] = {}
    for v in refusal.value.violations:
        found.setdefault(v.code, []).append(v)
    return found


def mitigated_draft(case: Case, w, day=FIRST_DECISION_DAY, **changes) -> Case:
    """减轻处罚 below the discretion standard: major under the default catalogue (unverified parameter)."""
    return perform(case, "draft_decision", day, w.officer, outcome="penalty", discretion="mitigated",
                   reasoning="当事人主动消除违法后果，依法减轻处罚。", **(PENALTY | changes))


def step_entries(case: Case, action: str) -> list[dict]:
    """The payloads of the ledger entries of `action` on the case, oldest first."""
    bodies = Entry.objects.filter(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:{action}").order_by("seq")
    return [json.loads(bytes(body))["payload"] for body in bodies.values_list("body", flat=True)]


def test_art58_a_major_case_goes_through_review_rounds_before_the_decision(w):
    """第五十八条: 未经法制审核或者审核未通过的，不得作出决定; every round is kept and each opinion is
    filed as a 法制审核意见书."""
    case = mitigated_draft(to_notified(w), w)
    # The engine marked the case major when the draft made it so, and the ledger says why.
    assert step_entries(case, "draft_decision")[-1]["major_criteria"] == ["catalogue.discretion"]
    found = refused("decide", case, "decide", FIRST_DECISION_DAY, w.officer)
    assert found["penalty.decision.review_missing"][0].message.startswith("本案须经法制审核（减轻处罚")
    assert found["penalty.decision.review_missing"][0].legal_basis == f"{LAW}第五十八条"
    assert "penalty.decision.collective_discussion_missing" in found

    # The package is checked before it is sent: every missing item at once.
    found = refused("submit", case, "submit_review", FIRST_DECISION_DAY, w.officer, evidence_list=[], explanation="")
    assert {v.field for v in found["penalty.review.package_incomplete"]} == {"package.evidence_list", "package.explanation"}
    assert found["penalty.review.package_incomplete"][0].message == "送审材料不齐全：缺少证据材料目录"

    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    snapshot = case_snapshot_build(case)
    assert snapshot.review_requests[0].reviewer_id == w.reviewer_officer.pk  # the only eligible reviewer
    assert "penalty.decision.review_pending" in refused("decide", case, "decide", FIRST_DECISION_DAY, w.officer)

    # Round 1: more material needed.
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer,
                   **review_data("resubmit", "缺少当事人消除违法后果的证据。", failing={"evidence": "减轻处罚的证据不足"}))
    found = refused("decide", case, "decide", REVIEW_DAY, w.officer)
    assert found["penalty.decision.review_not_passed"][0].message.startswith("2026-03-26的法制审核意见为“补充材料后重新提交”")

    # Round 2: the case office answers and resubmits.
    found = refused("resubmit", case, "submit_review", SECOND_ROUND, w.officer, **submit_data())
    assert "penalty.review.response_missing" in found
    case = perform(case, "submit_review", SECOND_ROUND, w.officer,
                   **submit_data(response="已补充当事人消除违法后果的现场照片和整改报告。"))
    case = perform(case, "record_review", AGREED, w.reviewer, **review_data())

    # Agreed; the leaders decide it collectively (第五十七条第二款), then the decision is made.
    found = refused("decide", case, "decide", AGREED, w.officer)
    assert set(found) == {"penalty.decision.collective_discussion_missing"}
    case = perform(case, "record_collective_discussion", AGREED, w.head, **discussion_data(AGREED))
    assert perform(case, "decide", AGREED, w.officer).state == "decided"

    kinds = list(IssuedDocument.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("review_opinion") == 2 and kinds.count("collective_discussion") == 1
    view = case_review_view(case=Case.objects.get(pk=case.pk), snapshot=case_snapshot_build(Case.objects.get(pk=case.pk)))
    assert [(r.round, r.opinion) for r in view.rounds] == [(2, "同意"), (1, "补充材料后重新提交")]
    assert view.rounds[1].checklist[5] == ("证据是否合法充分", "不符合", "减轻处罚的证据不足")


def test_art58_a_changed_draft_needs_a_new_review(w):
    """第五十八条: the opinion covers the decision reviewed; a different fine, or different wording, is
    a different decision."""
    case = mitigated_draft(to_notified(w), w)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer, **review_data())
    case = perform(case, "record_collective_discussion", REVIEW_DAY, w.head, **discussion_data(REVIEW_DAY))
    case = mitigated_draft(case, w, REVIEW_DAY, fine_yuan="2500")
    found = refused("decide", case, "decide", REVIEW_DAY, w.officer)
    assert found["penalty.decision.review_outdated"][0].legal_basis == f"{LAW}第五十八条"
    assert "penalty.decision.collective_discussion_outdated" in found
    assert case_review_view(case=case, snapshot=case_snapshot_build(case)).status_code == "outdated"
    # Back to the reviewed fine but with other reasons: still not the decision reviewed.
    case = perform(case, "draft_decision", REVIEW_DAY, w.officer, outcome="penalty", discretion="mitigated",
                   reasoning="另写的理由。", **PENALTY)
    assert "penalty.decision.review_outdated" in refused("decide", case, "decide", REVIEW_DAY, w.officer)
    # The very draft reviewed passes again.
    case = mitigated_draft(case, w, REVIEW_DAY)
    assert perform(case, "decide", REVIEW_DAY, w.officer).state == "decided"


def test_art58_a_disagreement_stands_until_the_leaders_settle_it(w):
    """第五十八条 and 118号: 不同意 blocks the decision; the leaders' collective discussion (the local
    coordination mechanism, an unverified parameter) may adopt the case office's draft."""
    case = mitigated_draft(to_notified(w), w)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer,
                   **review_data("disagree", "减轻处罚的条件不成立。", failing={"discretion": "不符合减轻处罚的法定情形"}))
    found = refused("decide", case, "decide", REVIEW_DAY, w.officer)
    assert found["penalty.decision.review_not_passed"][0].message.startswith("2026-03-26的法制审核意见为“不同意”")
    case = perform(case, "record_collective_discussion", REVIEW_DAY, w.head,
                   **discussion_data(REVIEW_DAY, resolution="adopt_draft",
                                     conclusion="经集体讨论，当事人符合减轻处罚情形，维持承办机构意见。"))
    assert case_review_view(case=case, snapshot=case_snapshot_build(case)).status_code == "resolved"
    assert perform(case, "decide", REVIEW_DAY, w.officer).state == "decided"


def test_art58_a_reviewer_who_investigated_the_case_is_never_assigned(w):
    """第五十八条 and 118号 (回避): the legal reviewer did not investigate the case."""
    case = lead_make(w, officers=[w.zhang, w.reviewer_officer])
    case = mitigated_draft(to_notified(w, case, inquiry_officers=[w.zhang, w.reviewer_officer]), w)
    found = refused("submit", case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    assert found["penalty.review.no_reviewer"][0].legal_basis == f"{LAW}第五十八条"
    # Another designated, qualified reviewer is assigned instead; the head cannot reassign to the investigator.
    other = officer_with_certificate(w.agency, "钱审核", is_legal_reviewer=True, has_legal_qualification=True)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    assert case_snapshot_build(case).review_requests[0].reviewer_id == other.pk
    found = refused("assign", case, "assign_reviewer", FIRST_DECISION_DAY, w.head, reviewer=str(w.reviewer_officer.pk))
    assert found["penalty.review.reviewer_investigated"][0].message == "赵审核参与了本案调查或者送审，应当回避，不能审核本案"
    # Nor may the investigator give the opinion himself.
    found = refused("review", case, "record_review", REVIEW_DAY, w.reviewer, **review_data())
    assert {"penalty.review.not_assigned", "penalty.review.reviewer_investigated"} <= set(found)


def test_art58_2_a_first_time_reviewer_needs_the_legal_qualification(w):
    """第五十八条第二款: 初次从事行政处罚决定法制审核的，应当通过国家统一法律职业资格考试取得法律职业资格."""
    novice = officer_with_certificate(w.agency, "孙审核", is_legal_reviewer=True, has_legal_qualification=False)
    novice_user = user_make(role="reviewer", agency=w.agency, officer=novice)
    case = mitigated_draft(to_notified(w), w)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    found = refused("assign", case, "assign_reviewer", FIRST_DECISION_DAY, w.head, reviewer=str(novice.pk))
    violation = found["penalty.review.reviewer_unqualified"][0]
    assert violation.message == "孙审核初次从事行政处罚决定法制审核，须取得法律职业资格"
    assert violation.legal_basis == f"{LAW}第五十八条第二款"
    found = refused("review", case, "record_review", REVIEW_DAY, novice_user, **review_data())
    assert "penalty.review.reviewer_unqualified" in found
    # Qualified, he may be assigned and review.
    Officer.objects.filter(pk=novice.pk).update(has_legal_qualification=True)
    novice_user.officer.refresh_from_db()
    case = perform(case, "assign_reviewer", FIRST_DECISION_DAY, w.head, reviewer=str(novice.pk), reason="分担工作量")
    case = perform(case, "record_review", REVIEW_DAY, novice_user, **review_data())
    assert case_snapshot_build(case).review_opinions[-1].reviewer.id == novice.pk


def test_a_catalogue_mark_is_cleared_only_by_the_head_with_a_reason(w):
    """118号 and the agency's catalogue: the officer may mark a case major but may not clear the
    catalogue's mark; the head may, with a reason kept in the ledger in clear."""
    case = mitigated_draft(to_notified(w), w)
    found = refused("override", case, "override_major", FIRST_DECISION_DAY, w.officer,
                    criteria=["catalogue.discretion"], reason="情节简单")
    assert "penalty.major.override_needs_head" in found and "case.role" in found
    found = refused("override", case, "override_major", FIRST_DECISION_DAY, w.head, criteria=["catalogue.discretion"],
                    reason="")
    assert "penalty.major.override_reason" in found
    case = perform(case, "override_major", FIRST_DECISION_DAY, w.head, criteria=["catalogue.discretion"],
                   reason="减轻幅度仅为法定最低额的十分之一，事实简单，经局长决定不按重大执法决定办理")
    entry = step_entries(case, "override_major")[-1]
    assert entry["data"]["reason"].startswith("减轻幅度")
    assert entry["major_criteria"] == []
    # Not major any more: decided without review or discussion.
    snapshot = case_snapshot_build(case)
    assert [c.code for c in case_review_view(case=case, snapshot=snapshot).overridden] == ["catalogue.discretion"]
    # The officer may still mark it major himself, and then it needs review again.
    marked = perform(case, "mark_major", FIRST_DECISION_DAY, w.officer, major_case=True,
                     major_conditions=["public_interest"], reason="涉及学校周边食品安全")
    assert "penalty.decision.review_missing" in refused("decide", marked, "decide", FIRST_DECISION_DAY, w.officer)
    perform(marked, "mark_major", FIRST_DECISION_DAY, w.officer, major_case=False, major_conditions=[], reason="误选")
    assert perform(case, "decide", FIRST_DECISION_DAY, w.officer).state == "decided"


def test_the_review_period_and_its_one_extension(w):
    """Local rules (unverified parameters): the opinion within 5 working days, extended once by at
    most 3 working days with approval."""
    case = mitigated_draft(to_notified(w), w)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    view = case_review_view(case=case, snapshot=case_snapshot_build(case))
    assert view.rounds[0].due == D(2026, 4, 1)  # Wed 03-25 + 5 working days
    found = refused("extend", case, "extend_review", FIRST_DECISION_DAY, w.head, extend_to=D(2026, 4, 10), reason="案情复杂")
    assert found["penalty.review.extension_too_long"][0].message.startswith("审核期限最多延长3个工作日")
    case = perform(case, "extend_review", FIRST_DECISION_DAY, w.head, extend_to=D(2026, 4, 3), reason="案情复杂")
    assert case_review_view(case=case, snapshot=case_snapshot_build(case)).rounds[0].due == D(2026, 4, 3)
    assert "penalty.review.extended_twice" in refused(
        "extend", case, "extend_review", FIRST_DECISION_DAY, w.head, extend_to=D(2026, 4, 3), reason="再延"
    )


# --- ways round the gate found in review, each closed --------------------------------------------


def test_no_override_or_unmarking_by_the_office_once_the_draft_was_sent(w):
    """118号: once the review office has the draft, its opinion decides; the head cannot take the
    case out of review, and the case office cannot withdraw its marks (the head may)."""
    case = mitigated_draft(to_notified(w), w)
    case = perform(case, "mark_major", FIRST_DECISION_DAY, w.officer, major_case=True, reason="涉及婴幼儿食品")
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer,
                   **review_data("disagree", "不同意减轻。", failing={"discretion": "不符合减轻情形"}))
    found = refused("override", case, "override_major", REVIEW_DAY, w.head, criteria=["catalogue.discretion"],
                    reason="局长认为可以减轻")
    assert "penalty.major.override_after_submission" in found
    found = refused("unmark", case, "mark_major", REVIEW_DAY, w.officer, major_case=False, reason="误选")
    assert found["penalty.major.unmark_after_submission"][0].message == "本案已送法制审核，撤销重大执法决定情形须由机关负责人决定"
    assert "penalty.decision.review_not_passed" in refused("decide", case, "decide", REVIEW_DAY, w.officer)


def test_the_case_office_that_sent_the_draft_never_reviews_it(w):
    """回避: a legal reviewer who drafted and sent the draft cannot be its reviewer."""
    case = to_notified(w)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.reviewer, outcome="penalty", discretion="mitigated", **PENALTY)
    found = refused("submit", case, "submit_review", FIRST_DECISION_DAY, w.reviewer, **submit_data())
    assert "penalty.review.no_reviewer" in found  # the agency's only reviewer sent it himself


def test_after_the_leaders_adopt_the_review_opinion_the_revised_draft_is_discussed_again(w):
    """第五十七条第二款: the leaders decide the penalty actually imposed."""
    case = mitigated_draft(to_notified(w), w)
    case = perform(case, "mark_major", FIRST_DECISION_DAY, w.officer, major_case=True, reason="涉及婴幼儿食品")
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer,
                   **review_data("disagree", "不同意减轻。", failing={"discretion": "不符合减轻情形"}))
    case = perform(case, "record_collective_discussion", REVIEW_DAY, w.head,
                   **discussion_data(REVIEW_DAY, resolution="adopt_review", conclusion="采纳法制审核意见。"))
    case = perform(case, "draft_decision", SECOND_ROUND, w.officer, outcome="penalty", reasoning="按裁量基准处罚。",
                   **PENALTY)
    case = perform(case, "submit_review", SECOND_ROUND, w.officer, **submit_data(response="已按审核意见修改。"))
    case = perform(case, "record_review", AGREED, w.reviewer, **review_data())
    found = refused("decide", case, "decide", AGREED, w.officer)
    assert set(found) == {"penalty.decision.collective_discussion_outdated"}
    case = perform(case, "record_collective_discussion", AGREED, w.head, **discussion_data(AGREED))
    assert perform(case, "decide", AGREED, w.officer).state == "decided"


def test_a_new_notice_with_another_basis_is_a_new_decision_for_the_review(w):
    """The draft key covers the texts the decision will print, even those it takes from the notice."""
    case = to_notified(w)
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", discretion="mitigated",
                   penalty_kinds=["fine"], fine_yuan="3000")
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer, **review_data())
    case = perform(case, "renotify", REVIEW_DAY, w.officer,
                   **notice_data(REVIEW_DAY, penalty_bases=["《中华人民共和国产品质量法》第四十九条"]))
    assert "penalty.decision.review_outdated" in refused("decide", case, "decide", D(2026, 4, 7), w.officer)

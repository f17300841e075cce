"""The 行政许可 procedure walked through the engine (行政许可法, legal_rules.md §3.1): for each refusal
its article, the block, the message and the lawful path; for each period the day it ends on the
working-day calendar (第八十二条), across the National Day holiday of the test calendar."""

from dataclasses import replace

import pytest

from sanxiang.procedure.engine import action_check, evaluate, procedure_problems
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.permit.procedures import PERMIT
from sanxiang.procedure.permit.rules import (
    Decision,
    Ending,
    ExcludedPeriod,
    Extension,
    Refusal,
    Renewal,
    ReviewOpinion,
    completeness_deadline,
    decision_deadline,
    deemed_accepted_on,
    delivery_deadline,
    renewal_application_deadline,
    renewal_deemed_granted,
)
from sanxiang.procedure.violations import Refused
from tests.procedure.permit.support import D, accepted, catalogue, context, received

LAW = "《中华人民共和国行政许可法》"


def codes(snapshot, action, today):
    return [v.code for v in evaluate(PERMIT, snapshot, action, context=context(today))]


def only(snapshot, action, today, code):
    found = [v for v in evaluate(PERMIT, snapshot, action, context=context(today)) if v.code == code]
    assert len(found) == 1, codes(snapshot, action, today)
    return found[0]


def grant_draft(on, **kw):
    return Decision("grant", on, **kw)


def test_the_procedure_is_well_formed_and_every_period_is_a_parameter_with_its_article():
    assert procedure_problems(PERMIT) == []
    parameters = parameters_default()
    for name, article in (
        ("permit.completeness_notice_working_days", "第三十二条"),
        ("permit.decision_working_days", "第四十二条"),
        ("permit.decision_extension_working_days", "第四十二条"),
        ("permit.delivery_working_days", "第四十四条"),
        ("permit.hearing_request_days", "第四十七条"),
        ("permit.hearing_hold_working_days", "第四十七条"),
        ("permit.hearing_notice_working_days", "第四十八条"),
        ("permit.renewal_application_days", "第五十条"),
    ):
        assert parameters[name].reference.startswith(LAW) and article in parameters[name].reference, name
    # legal_rules.md §0: the applicant's periods are not clearly working days: flagged.
    assert parameters["permit.hearing_request_days"].unverified
    assert parameters["permit.renewal_application_days"].unverified
    assert not parameters["permit.decision_working_days"].unverified


# --- 第三十二条: five working days, then the application counts as accepted ----------------------------


def test_one_time_notice_within_five_working_days_across_the_holiday():
    snapshot = received(received_on=D(2026, 9, 29), missing_items=("营业执照复印件",),
                        records=frozenset({"application_form", "missing_items_notice"}))
    # 09-30, 10-08, 10-09, 10-10 (调休上班), 10-12: the holiday block does not count.
    assert completeness_deadline(snapshot, context(D(2026, 9, 29))).date == D(2026, 10, 12)
    assert action_check(PERMIT, snapshot, "permit_notify_missing", context=context(D(2026, 10, 12))) == "supplement"
    late = only(snapshot, "permit_notify_missing", D(2026, 10, 13), "permit.acceptance.too_late")
    assert "第三十二条" in late.legal_basis and late.legal_basis.startswith(LAW)
    assert "即为受理" in late.message and "请办理受理" in late.message
    # The lawful path: the application counts as accepted from the day of receipt.
    assert deemed_accepted_on(snapshot, context(D(2026, 10, 12))) is None
    assert deemed_accepted_on(snapshot, context(D(2026, 10, 13))) == D(2026, 9, 29)
    assert action_check(PERMIT, snapshot, "permit_deem_accepted", context=context(D(2026, 10, 13))) == "accepted"


def test_deemed_acceptance_only_after_the_period_and_never_after_a_notice():
    snapshot = received(received_on=D(2026, 9, 29))
    early = only(snapshot, "permit_deem_accepted", D(2026, 10, 12), "permit.deemed.not_yet")
    assert "2026-10-12" in early.message and "第三十二条" in early.legal_basis
    notified = replace(snapshot, missing_notice_on=D(2026, 9, 30))
    assert "permit.deemed.notified" in codes(notified, "permit_deem_accepted", D(2026, 10, 20))


def test_refusal_to_accept_gives_reasons_and_remedies_and_comes_in_time():
    snapshot = received(records=frozenset({"application_form", "non_acceptance_notice"}),
                        acceptance_refusal=Refusal(D(2026, 9, 25)))
    found = codes(snapshot, "permit_refuse_acceptance", D(2026, 9, 25))
    assert {"permit.non_acceptance.reasons", "permit.non_acceptance.remedies"} <= set(found)
    remedies = only(snapshot, "permit_refuse_acceptance", D(2026, 9, 25), "permit.non_acceptance.remedies")
    assert "第三十八条" in remedies.legal_basis and "行政复议" in remedies.message
    fixed = replace(snapshot, acceptance_refusal=Refusal(D(2026, 9, 25), "不属于本机关职权范围，请向县自然资源局申请",
                                                         "可在六十日内申请行政复议或者在六个月内提起行政诉讼"))
    assert action_check(PERMIT, fixed, "permit_refuse_acceptance", context=context(D(2026, 9, 25))) == "not_accepted"
    assert "permit.acceptance.too_late" in codes(fixed, "permit_refuse_acceptance", D(2026, 10, 9))


def test_notice_is_given_once_only():
    again = received(missing_notice_on=D(2026, 9, 25), supplemented_on=D(2026, 9, 28), received_on=D(2026, 9, 28),
                     missing_items=("又缺一项",), records=frozenset({"application_form", "missing_items_notice"}))
    violation = only(again, "permit_notify_missing", D(2026, 9, 29), "permit.notice.second")
    assert "一次性告知" in violation.message and "第三十二条" in violation.legal_basis
    assert "作出受理或者不予受理的决定" in violation.message
    ok = replace(again, accepted_on=D(2026, 9, 29), records=again.records | {"acceptance_notice"})
    assert action_check(PERMIT, ok, "permit_accept", context=context(D(2026, 9, 29))) == "accepted"


def test_incomplete_materials_are_not_accepted_every_reason_at_once():
    snapshot = received(materials_complete=False, accepted_on=D(2026, 9, 25), records=frozenset())
    found = codes(snapshot, "permit_accept", D(2026, 9, 25))
    assert "permit.accept.incomplete" in found
    assert "permit.record_missing.application_form" in found and "permit.record_missing.acceptance_notice" in found


# --- 第四十二条、第四十五条: 20 + 10 working days, excluded periods ----------------------------------------


def test_twenty_working_days_across_the_national_day_holiday():
    deadline = decision_deadline(accepted(), context(D(2026, 9, 24)))
    # 4 days in September, the holiday skipped, 10-10 worked: the 20th working day is 10-28.
    assert deadline.date == D(2026, 10, 28) and deadline.excluded_days == 0
    assert "第四十二条" in deadline.basis


def test_extension_by_ten_needs_the_heads_approval_with_reasons_told_to_the_applicant():
    records = frozenset({"application_form", "acceptance_notice", "extension_approval", "extension_notice"})
    bare = accepted(records=records, extension=Extension("", D(2026, 10, 20), ""))
    found = codes(bare, "permit_extend", D(2026, 10, 20))
    assert {"permit.extension.no_head", "permit.extension.no_reasons", "permit.extension.not_told"} <= set(found)
    head = only(bare, "permit_extend", D(2026, 10, 20), "permit.extension.no_head")
    assert "负责人批准" in head.message and "第四十二条" in head.legal_basis
    # Without a valid extension the deadline is not extended.
    assert decision_deadline(bare, context(D(2026, 10, 20))).date == D(2026, 10, 28)
    good = replace(bare, extension=Extension("王局长", D(2026, 10, 20), "需要现场核查", told_on=D(2026, 10, 21)))
    assert action_check(PERMIT, good, "permit_extend", context=context(D(2026, 10, 21))) == "accepted"
    assert decision_deadline(good, context(D(2026, 10, 21))).date == D(2026, 11, 11)
    late = replace(good, extension=Extension("王局长", D(2026, 10, 29), "需要现场核查", told_on=D(2026, 10, 29)))
    violation = only(late, "permit_extend", D(2026, 10, 29), "permit.extension.too_late")
    assert "2026-10-28" in violation.message and "说明逾期原因" in violation.message


def test_excluded_periods_count_only_when_the_applicant_was_told():
    review = ExcludedPeriod("expert_review", D(2026, 10, 12), D(2026, 10, 16))
    untold = accepted(exclusions=(review,))
    assert decision_deadline(untold, context(D(2026, 10, 1))).date == D(2026, 10, 28)
    told = accepted(exclusions=(replace(review, told_on=D(2026, 10, 12)),))
    deadline = decision_deadline(told, context(D(2026, 10, 1)))
    assert (deadline.date, deadline.excluded_days) == (D(2026, 11, 4), 5) and "第四十五条" in deadline.basis
    extended = replace(told, extension=Extension("王局长", D(2026, 10, 20), "专家评审后需补充核查", D(2026, 10, 20)))
    assert decision_deadline(extended, context(D(2026, 10, 21))).date == D(2026, 11, 18)


def test_a_late_decision_is_flagged_and_needs_its_explanation():
    snapshot = accepted(decision=grant_draft(D(2026, 10, 29)),
                        records=frozenset({"application_form", "acceptance_notice", "grant_decision"}))
    violation = only(snapshot, "permit_grant", D(2026, 10, 29), "permit.decision.late")
    assert "2026-10-28" in violation.message and "逾期原因" in violation.message
    assert "第四十二条" in violation.legal_basis
    explained = replace(snapshot, decision=grant_draft(D(2026, 10, 29), late_explanation="系统故障延误"))
    assert action_check(PERMIT, explained, "permit_grant", context=context(D(2026, 10, 29))) == "granted"
    on_time = replace(snapshot, decision=grant_draft(D(2026, 10, 28)))
    assert action_check(PERMIT, on_time, "permit_grant", context=context(D(2026, 10, 28))) == "granted"


def test_a_decision_before_acceptance_is_refused():
    snapshot = received(decision=grant_draft(D(2026, 9, 25)), records=frozenset({"application_form", "grant_decision"}))
    assert "permit.wrong_state" in codes(snapshot, "permit_grant", D(2026, 9, 25))


# --- 第三十八条: refusals ---------------------------------------------------------------------------------


def test_a_refusal_gives_its_reasons_and_the_remedies():
    records = frozenset({"application_form", "acceptance_notice", "refusal_decision", "delivery_receipt"})
    snapshot = accepted(records=records, decision=Decision("refuse", D(2026, 10, 9)))
    found = codes(snapshot, "permit_refuse", D(2026, 10, 9))
    assert {"permit.refusal.reasons", "permit.refusal.remedies"} <= set(found)
    reasons = only(snapshot, "permit_refuse", D(2026, 10, 9), "permit.refusal.reasons")
    assert reasons.legal_basis == f"{LAW}第三十八条" and "说明理由" in reasons.message
    fixed = replace(snapshot, decision=Decision("refuse", D(2026, 10, 9), "选址不符合规划", "六十日内可申请行政复议"))
    assert action_check(PERMIT, fixed, "permit_refuse", context=context(D(2026, 10, 9))) == "refused"


# --- 第四十六至四十八条: hearings --------------------------------------------------------------------------


def test_hearing_right_told_request_window_and_hearing_held():
    records = frozenset({"application_form", "acceptance_notice", "grant_decision"})
    snapshot = accepted(records=records, hearing_right_due=True, decision=grant_draft(D(2026, 10, 9)))
    told = only(snapshot, "permit_grant", D(2026, 10, 9), "permit.hearing.right_not_told")
    assert "第四十七条" in told.legal_basis and "听证的权利" in told.message
    waiting = replace(snapshot, hearing_right_told_on=D(2026, 10, 8))
    window = only(waiting, "permit_grant", D(2026, 10, 9), "permit.hearing.window_open")
    # 5 working days from 10-08: 10-09, 10-10 (调休), 10-12, 10-13, 10-14.
    assert "2026-10-14" in window.message and "放弃听证" in window.message
    waived = replace(waiting, hearing_waived=True)
    assert action_check(PERMIT, waived, "permit_grant", context=context(D(2026, 10, 9))) == "granted"
    requested = replace(waiting, hearing_requested_on=D(2026, 10, 12), decision=grant_draft(D(2026, 10, 20)))
    held = only(requested, "permit_grant", D(2026, 10, 20), "permit.hearing.not_held")
    assert "听证笔录" in held.message and "第四十六条" in held.legal_basis
    rushed = replace(requested, hearing_notice_on=D(2026, 10, 13), hearing_held_on=D(2026, 10, 19),
                     records=records | {"hearing_transcript"})
    notice = only(rushed, "permit_grant", D(2026, 10, 20), "permit.hearing.notice_late")
    assert "2026-10-22" in notice.message and "第四十八条" in notice.legal_basis
    lawful = replace(rushed, hearing_held_on=D(2026, 10, 22), decision=grant_draft(D(2026, 10, 23)))
    assert action_check(PERMIT, lawful, "permit_grant", context=context(D(2026, 10, 23))) == "granted"


def test_a_hearing_the_law_requires_is_held_and_the_decision_is_not_made_on_the_spot():
    snapshot = received(hearing_required_by_law=True, on_spot_possible=True, decision=grant_draft(D(2026, 9, 24)),
                        records=frozenset({"application_form", "grant_decision"}))
    assert "permit.on_spot.hearing" in codes(snapshot, "permit_grant_on_spot", D(2026, 9, 24))


# --- 第三十四条: on the spot ------------------------------------------------------------------------------


def test_decision_on_the_spot_only_for_complete_materials_of_a_matter_that_allows_it():
    records = frozenset({"application_form", "grant_decision"})
    snapshot = received(materials_complete=False, decision=grant_draft(D(2026, 9, 24)), records=records)
    found = codes(snapshot, "permit_grant_on_spot", D(2026, 9, 24))
    assert {"permit.on_spot.incomplete", "permit.on_spot.not_allowed"} <= set(found)
    violation = only(snapshot, "permit_grant_on_spot", D(2026, 9, 24), "permit.on_spot.not_allowed")
    assert "第三十四条" in violation.legal_basis and "请受理后审查" in violation.message
    ok = replace(snapshot, materials_complete=True, on_spot_possible=True)
    assert action_check(PERMIT, ok, "permit_grant_on_spot", context=context(D(2026, 9, 24))) == "granted"


# --- 118号: legal review of a major decision ------------------------------------------------------------


def test_a_major_decision_needs_an_agreeing_review_by_someone_who_did_not_handle_it():
    records = frozenset({"application_form", "acceptance_notice", "grant_decision", "review_opinion"})
    snapshot = accepted(records=records, catalogue=catalogue("XK-001"), decision=grant_draft(D(2026, 10, 9)))
    missing = only(snapshot, "permit_grant", D(2026, 10, 9), "permit.review.missing")
    assert "118号" in missing.legal_basis and "请送法制审核" in missing.message
    by_handler = replace(snapshot, review_opinions=(ReviewOpinion(1, "disagree", D(2026, 10, 8), "grant"),))
    found = codes(by_handler, "permit_grant", D(2026, 10, 9))
    assert {"permit.review.not_passed", "permit.review.handler"} <= set(found)
    outdated = replace(snapshot, review_opinions=(ReviewOpinion(2, "agree", D(2026, 10, 8), "refuse"),))
    assert "permit.review.outdated" in codes(outdated, "permit_grant", D(2026, 10, 9))
    passed = replace(snapshot, review_opinions=(ReviewOpinion(2, "agree", D(2026, 10, 8), "grant"),))
    assert action_check(PERMIT, passed, "permit_grant", context=context(D(2026, 10, 9))) == "granted"
    # Not listed in the catalogue: no review needed.
    assert action_check(PERMIT, replace(snapshot, catalogue=None), "permit_grant",
                        context=context(D(2026, 10, 9))) == "granted"


# --- 第四十四条: delivery ------------------------------------------------------------------------------


def test_the_licence_is_delivered_within_ten_working_days_or_the_delay_is_explained():
    snapshot = accepted(state="granted", decision=grant_draft(D(2026, 9, 29)), delivered_on=D(2026, 10, 16),
                        records=frozenset({"licence", "delivery_receipt"}))
    # 09-30, 10-08, 10-09, 10-10, 10-12 … 10-16 is the 9th working day; the 10th is 10-19.
    assert delivery_deadline(snapshot, context(D(2026, 10, 16))).date == D(2026, 10, 19)
    assert action_check(PERMIT, snapshot, "permit_deliver", context=context(D(2026, 10, 16))) == "in_force"
    late = replace(snapshot, delivered_on=D(2026, 10, 20))
    violation = only(late, "permit_deliver", D(2026, 10, 20), "permit.delivery.late")
    assert "第四十四条" in violation.legal_basis and "逾期原因" in violation.message
    assert action_check(PERMIT, replace(late, delivery_late_explanation="申请人外出"), "permit_deliver",
                        context=context(D(2026, 10, 20))) == "in_force"


# --- 第五十条: renewal ----------------------------------------------------------------------------------


def in_force(**overrides):
    values = dict(state="in_force", expires_on=D(2026, 12, 31), decision=grant_draft(D(2023, 12, 29)))
    return accepted(**(values | overrides))


def test_renewal_application_thirty_days_before_expiry_and_deemed_granted_when_undecided():
    snapshot = in_force(renewal=Renewal(D(2026, 11, 19)))
    # 第五十条: 30 days before 12-31, calendar days (第八十二条 counts only the agency's periods in
    # working days): apply by 12-01.
    assert renewal_application_deadline(snapshot, context(D(2026, 11, 19))).date == D(2026, 12, 1)
    assert not renewal_application_deadline(snapshot, context(D(2026, 11, 19))).estimated
    assert not renewal_deemed_granted(snapshot, context(D(2026, 12, 31)))
    early = only(snapshot, "permit_renew_deemed", D(2026, 12, 31), "permit.renewal.not_expired")
    assert "第五十条" in early.legal_basis and "届满前应作出" in early.message
    assert renewal_deemed_granted(snapshot, context(D(2027, 1, 4)))
    assert action_check(PERMIT, snapshot, "permit_renew_deemed", context=context(D(2027, 1, 4))) == "in_force"
    # Once deemed granted, the agency can no longer refuse the renewal.
    refused = replace(snapshot, renewal_refusal=Refusal(D(2027, 1, 4), "不符合条件", "可申请行政复议"),
                      records=snapshot.records | {"renewal_refusal_decision"})
    violation = only(refused, "permit_refuse_renewal", D(2027, 1, 4), "permit.renewal.deemed")
    assert "视为准予延续" in violation.message
    in_time = replace(refused, renewal_refusal=Refusal(D(2026, 12, 30), "不符合条件", "可申请行政复议"))
    assert action_check(PERMIT, in_time, "permit_refuse_renewal", context=context(D(2026, 12, 30))) == "in_force"


def test_a_late_renewal_application_is_flagged_and_not_deemed_granted():
    snapshot = in_force(renewal=Renewal(D(2026, 12, 2)))  # a day after the 30 calendar days
    violation = only(snapshot, "permit_renew_deemed", D(2027, 1, 4), "permit.renewal.applied_late")
    assert "2026-12-01" in violation.message and "第五十条" in violation.legal_basis
    assert "请依法作出决定" in violation.message


def test_renewal_in_working_days_only_where_a_region_says_so_apart_from_the_hearing_request():
    """The renewal's count has its own parameter (待核实), no longer the hearing request's flag."""
    renewal_flag = parameters_default()["permit.renewal_application_in_working_days"]
    assert renewal_flag.unverified and "待核实" in renewal_flag.note and "第五十条" in renewal_flag.reference
    assert renewal_flag.value_on(D(2026, 11, 1), region="150626") is False
    # The hearing request's flag (still working days by default) does not move the renewal's day.
    hearing_calendar = parameters_default().with_overrides(
        {"permit.applicant_periods_in_working_days": [ParameterPeriod(D(2004, 7, 1), False, region="1506")]})
    snapshot = in_force(renewal=Renewal(D(2026, 11, 20)))
    assert renewal_application_deadline(snapshot, context(D(2026, 11, 1), parameters=hearing_calendar)).date == D(2026, 12, 1)
    working = parameters_default().with_overrides(
        {"permit.renewal_application_in_working_days": [ParameterPeriod(D(2004, 7, 1), True, region="1506")]})
    # 30 working days before 12-31 (December's 23 and 7 of November): apply by 11-19.
    deadline = renewal_application_deadline(snapshot, context(D(2026, 11, 1), parameters=working))
    assert deadline.date == D(2026, 11, 19) and not deadline.estimated  # 2026 is published
    late = [v for v in evaluate(PERMIT, snapshot, "permit_renew_deemed", context=context(D(2027, 1, 4), parameters=working))
            if v.code == "permit.renewal.applied_late"]
    assert len(late) == 1 and "2026-11-19" in late[0].message
    # A licence expiring in a year whose holidays are not yet published: the last day is an estimate.
    unknown = in_force(expires_on=D(2031, 6, 30), renewal=Renewal(D(2031, 5, 1)))
    assert renewal_application_deadline(unknown, context(D(2031, 5, 1), parameters=working)).estimated


def test_renewal_after_expiry_is_refused_with_the_path_of_a_new_application():
    snapshot = in_force(renewal=Renewal(D(2027, 1, 4), decision=grant_draft(D(2027, 1, 5))),
                        records=frozenset({"renewal_decision"}))
    violation = only(snapshot, "permit_renew", D(2027, 1, 5), "permit.renewal.after_expiry")
    assert "请重新申请许可" in violation.message and "第五十条" in violation.legal_basis


# --- 第八条、第六十九条、第七十条: withdrawal, revocation, cancellation ----------------------------------


@pytest.mark.parametrize(("action", "kind", "record", "article"), [
    ("permit_withdraw", "withdraw", "withdrawal_decision", "第八条"),
    ("permit_revoke", "revoke", "revocation_decision", "第六十九条"),
    ("permit_cancel", "cancel", "cancellation_decision", "第七十条"),
])
def test_ending_a_licence_needs_a_lawful_reason_with_its_facts(action, kind, record, article):
    snapshot = in_force(ending=Ending(kind, "领导要求", "", D(2026, 11, 2)), records=frozenset({record}))
    found = evaluate(PERMIT, snapshot, action, context=context(D(2026, 11, 2)))
    reason = next(v for v in found if v.code == f"permit.{kind}.reason")
    assert article in reason.legal_basis and "法定情形之一" in reason.message
    assert f"permit.{kind}.facts" in [v.code for v in found]
    lawful = parameters_default().value(f"permit.{ {'withdraw': 'withdrawal', 'revoke': 'revocation', 'cancel': 'cancellation'}[kind]}_reasons",
                                        on=D(2026, 11, 2))[-1]
    fixed = replace(snapshot, ending=Ending(kind, lawful, "经查属实", D(2026, 11, 2), "可申请行政复议"))
    assert evaluate(PERMIT, fixed, action, context=context(D(2026, 11, 2))) == []


def test_cancellation_for_expiry_only_after_expiry_and_not_while_a_renewal_is_pending():
    ending = Ending("cancel", "行政许可有效期届满未延续", "有效期届满", D(2026, 12, 1))
    snapshot = in_force(ending=ending, records=frozenset({"cancellation_decision"}))
    assert "permit.cancel.not_expired" in codes(snapshot, "permit_cancel", D(2026, 12, 1))
    pending = replace(snapshot, renewal=Renewal(D(2026, 11, 2)), ending=replace(ending, on=D(2027, 1, 4)))
    violation = only(pending, "permit_cancel", D(2027, 1, 4), "permit.cancel.renewal_pending")
    assert "视为准予延续" in violation.message
    expired = replace(snapshot, ending=replace(ending, on=D(2027, 1, 4)))
    assert action_check(PERMIT, expired, "permit_cancel", context=context(D(2027, 1, 4))) == "cancelled"


def test_every_reason_is_reported_at_once():
    snapshot = accepted(records=frozenset(), hearing_right_due=True, catalogue=catalogue("XK-001"),
                        decision=Decision("refuse", D(2026, 10, 29)))
    with pytest.raises(Refused) as refused:
        action_check(PERMIT, snapshot, "permit_refuse", context=context(D(2026, 10, 29)))
    found = {v.code for v in refused.value.violations}
    assert {"permit.hearing.right_not_told", "permit.review.missing", "permit.decision.late",
            "permit.refusal.reasons", "permit.refusal.remedies",
            "permit.record_missing.refusal_decision"} <= found


# --- the catalogue: deadlines listed, renewal moves the expiry ------------------------------------------


def test_the_deadlines_listed_for_a_case_and_a_late_decision_marked_late():
    from sanxiang.procedure.permit.catalogue import permit_deadlines
    from tests.procedure.permit.support import CALENDAR

    running, problems = permit_deadlines(accepted(), calendar=CALENDAR, today=D(2026, 10, 26))
    assert problems == [] and [(d.code, d.due, d.state) for d in running] == [
        ("permit.decision", D(2026, 10, 28), "due_soon")]
    late, _ = permit_deadlines(accepted(state="granted", decision=grant_draft(D(2026, 10, 29))), calendar=CALENDAR,
                               today=D(2026, 10, 29))
    decision = next(d for d in late if d.code == "permit.decision")
    assert decision.state == "met" and decision.late
    assert [d.code for d in late] == ["permit.decision", "permit.delivery"]


def test_a_renewal_moves_the_expiry_and_closes_the_application():
    from sanxiang.procedure.permit.catalogue import PERMIT_SPEC

    snapshot = in_force(renewal=Renewal(D(2026, 11, 19), None, D(2031, 12, 31)))
    after = PERMIT_SPEC.advance(snapshot, "permit_renew_deemed", context(D(2027, 1, 4)))
    assert (after.state, after.expires_on, after.renewal) == ("in_force", D(2031, 12, 31), None)

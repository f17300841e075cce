"""An unpaid penalty case, ordinary or summary, goes to compulsory execution with the facts the
penalty procedure computed (行政处罚法第七十二条; 行政强制法第五十三条、第五十四条)."""

from dataclasses import replace

from sanxiang.procedure.enforcement import (
    Challenge,
    CourtApplication,
    EnforcementCaseSnapshot,
    basis_decision_from_penalty,
    surcharge_accrued,
    surcharge_from_penalty,
)
from sanxiang.procedure.penalty import Payment
from tests.procedure.enforcement.support import DEMAND, DEMAND_RECORDS, D, codes, context, step
from tests.procedure.test_penalty_summary import TODAY, handed_over, on_site
from tests.procedure.test_penalty_support import fine, served


def enforcement_case(penalty_case, today):
    decision = basis_decision_from_penalty(penalty_case, context=context(today))
    surcharge = surcharge_from_penalty(penalty_case, context=context(today))
    return EnforcementCaseSnapshot(state="pending", decision=decision, surcharge=surcharge)


def test_an_unpaid_ordinary_penalty_becomes_the_decision_to_enforce():
    # Decided and served 2026-03-25, fine 3,000 yuan: due 15 days later, 04-09 (a Thursday).
    penalty = served()
    decision = basis_decision_from_penalty(penalty, context=context(D(2026, 5, 1)))
    assert decision.source == "penalty.ordinary"
    assert (decision.received_on, decision.performance_due, decision.principal_fen, decision.paid_fen) == (
        D(2026, 3, 25), D(2026, 4, 9), 300_000, 0
    )
    surcharge = surcharge_from_penalty(penalty, context=context(D(2026, 5, 1)))
    assert (surcharge.from_day, surcharge.daily_permille) == (D(2026, 4, 10), 30)
    paid = replace(penalty, payments=(Payment(D(2026, 4, 1), 300_000),))
    assert basis_decision_from_penalty(paid, context=context(D(2026, 5, 1))).paid_fen == 300_000
    assert basis_decision_from_penalty(replace(penalty, decision=replace(penalty.decision, penalty=fine(0))), context=context(D(2026, 5, 1))) is None


def test_no_surcharge_accrues_on_a_penalty_during_a_challenge():
    """行政处罚法第七十三条第三款: the surcharge stops during 行政复议 or 行政诉讼."""
    penalty = served()
    case = enforcement_case(penalty, D(2026, 4, 20))
    on = D(2026, 4, 12)  # 04-10, 04-11 and 04-12 accrue 3% of 3,000 yuan each
    assert surcharge_accrued(case, context(on), on=on) == 3 * 9_000
    challenge = Challenge("reconsideration", D(2026, 4, 11), D(2026, 4, 30))
    challenged = replace(case, challenges=(challenge,))
    assert surcharge_accrued(challenged, context(on), on=on) == 9_000
    # The penalty procedure computes the same amounts (penalty/rules.py, written separately).
    from sanxiang.procedure.penalty import Challenge as PenaltyChallenge
    from sanxiang.procedure.penalty import surcharge_as_of

    assert surcharge_as_of(penalty, context(on), on=on).amount_fen == 27_000
    later = D(2026, 6, 30)
    both = replace(penalty, challenges=(PenaltyChallenge("reconsideration", D(2026, 4, 11), D(2026, 4, 30)),))
    assert surcharge_accrued(challenged, context(later), on=later) == surcharge_as_of(both, context(later), on=later).amount_fen


def test_an_unpaid_summary_penalty_goes_to_the_court_after_the_demand_and_the_periods():
    """行政强制法第五十三条、第五十四条 apply to a fine imposed on the spot (第五十一条) as well."""
    penalty = handed_over(on_site(fine(150)))
    case = enforcement_case(penalty, TODAY)
    assert case.decision.source == "penalty.summary" and case.decision.principal_fen == 15_000
    demand = replace(DEMAND, written_on=D(2026, 8, 31), served_on=D(2026, 9, 1), deadline=D(2026, 9, 8))
    case = replace(case, demand=demand, records=DEMAND_RECORDS | {"court_application"})
    case = step(case, "serve_demand", D(2026, 9, 1))
    # Handed over 05-12: 诉讼 (6 months) runs to 11-12, so the court may be asked from 11-13.
    case = replace(case, court=CourtApplication(applied_on=D(2026, 11, 13)))
    blocked = codes(case, "apply_to_court", D(2026, 9, 15))
    assert "enforcement.court.demand_too_recent" in blocked
    assert "enforcement.court.challenge_period_running" in codes(case, "apply_to_court", D(2026, 11, 12))
    assert step(case, "apply_to_court", D(2026, 11, 13)).state == "court_applied"


# --- the enforcement case follows its penalty case -----------------------------------------------------


def test_the_enforcement_case_follows_the_payments_challenges_and_deferral_of_its_penalty_case():
    """What was paid, challenged or deferred in the penalty case after the enforcement case was
    registered is what the enforcement case sees: a fine paid there is never demanded here
    (行政强制法第三十四条), a 复议 recorded there stops the surcharge here (行政处罚法第七十三条)."""
    from sanxiang.procedure.enforcement.steps import EnforcementCase
    from sanxiang.procedure.penalty import Challenge as PenaltyChallenge
    from sanxiang.procedure.penalty import Instalment, PaymentArrangement

    penalty = served()  # 3,000 yuan, received 03-25, due 04-09
    registered = enforcement_case(penalty, D(2026, 4, 20))  # as copied at registration: nothing paid
    paid = replace(penalty, payments=(Payment(D(2026, 4, 21), 100_000), Payment(D(2026, 4, 22), 200_000)))
    case = EnforcementCase(state="pending", decision=registered.decision, surcharge=registered.surcharge,
                           demand=replace(DEMAND, served_on=D(2026, 5, 11), deadline=D(2026, 5, 21)),
                           records=DEMAND_RECORDS, penalty_case=paid)
    assert case.decision.paid_fen == 300_000
    performed = [v for v in codes(case, "serve_demand", D(2026, 5, 11)) if v.startswith("enforcement.obligation")]
    assert performed == ["enforcement.obligation.performed"]
    # Followed again (every `replace` of a step): nothing is counted twice.
    assert replace(case, state="pending").decision.paid_fen == 300_000
    # Unpaid: the demand is lawful.
    unpaid = replace(case, penalty_case=penalty)
    assert unpaid.decision.paid_fen == 0 and step(unpaid, "serve_demand", D(2026, 5, 11)).state == "demanded"
    # A 复议 recorded in the penalty case, ended there later: the penalty case's version counts.
    challenged = replace(penalty, challenges=(PenaltyChallenge("reconsideration", D(2026, 4, 11), D(2026, 4, 30)),))
    ours = (Challenge("reconsideration", D(2026, 4, 11)), Challenge("litigation", D(2026, 5, 2)))
    followed = replace(unpaid, challenges=ours, penalty_case=challenged)
    assert followed.challenges == (Challenge("reconsideration", D(2026, 4, 11), D(2026, 4, 30)),
                                   Challenge("litigation", D(2026, 5, 2)))
    # A deferral approved there (行政处罚法第六十六条): the last day and the surcharge move with it.
    deferred = replace(penalty, payment_arrangement=PaymentArrangement(D(2026, 4, 8), (Instalment(D(2026, 6, 30), 300_000),)))
    later = replace(unpaid, penalty_case=deferred)
    assert later.decision.performance_due == D(2026, 6, 30) and later.surcharge.from_day == D(2026, 7, 1)
    assert "enforcement.obligation.period_running" in codes(later, "serve_demand", D(2026, 5, 11))

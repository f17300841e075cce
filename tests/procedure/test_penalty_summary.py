"""简易程序 (summary procedure, 第五十一条、第五十二条、第六十八条至第七十一条) and parameter overrides."""

from dataclasses import replace

from sanxiang.procedure.engine import actions_available, evaluate
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.penalty import SUMMARY, DecisionDraft, OnSpot, Payment, PenaltyTerms
from sanxiang.procedure.penalty.snapshot import SUMMARY_DECISION_ELEMENTS
from tests.procedure.test_penalty_support import D, citizen, company, context, fine, lead, step

LAW = "《中华人民共和国行政处罚法》"
TODAY = D(2026, 5, 12)


def on_site(penalty: PenaltyTerms | None = None, party=None, **on_spot):
    facts = dict(officer_ids=(1, 2), certificate_shown=True, party_informed=True, statement_heard_or_waived=True)
    return lead(
        state="on_site",
        party=party or citizen(),
        act_date=TODAY,
        discovered_on=TODAY,
        records=frozenset(),
        on_spot=OnSpot(**(facts | on_spot)),
        decision=DecisionDraft(
            "penalty", penalty or fine(150), elements=frozenset(SUMMARY_DECISION_ELEMENTS), number="No.0001234"
        ),
    )


def codes(case, action, today=TODAY, **kwargs):
    return [v.code for v in evaluate(SUMMARY, case, action, context=context(today, **kwargs))]


def handed_over(case):
    case = step(case, "decide_on_spot", TODAY, SUMMARY)
    case = replace(
        case,
        records=case.records | {"decision_document"},
        on_spot=replace(case.on_spot, handed_over_on=TODAY, party_signed_or_refusal_noted=True),
    )
    return step(case, "hand_over", TODAY, SUMMARY)


def test_the_lawful_summary_path_with_on_the_spot_collection_reaches_the_archive():
    case = handed_over(on_site(fine(80), collection_ground="small_fine", collected_fen=8000, collected_on=TODAY))
    case = replace(case, records=case.records | {"finance_receipt"})
    case = step(case, "collect_on_spot", TODAY, SUMMARY)
    assert case.state == "handed_over"
    case = step(case, "file_with_agency", TODAY, SUMMARY)
    assert codes(case, "close") == ["penalty.summary.cash_not_handed_over"]
    case = replace(case, on_spot=replace(case.on_spot, cash_handed_to_agency_on=D(2026, 5, 13)))
    case = step(step(case, "close", D(2026, 5, 13), SUMMARY), "archive", D(2026, 5, 14), SUMMARY)
    assert case.state == "archived" and case.decided_on == TODAY


def test_a_fine_paid_at_the_bank_closes_a_summary_case_and_an_unpaid_one_does_not():
    case = step(handed_over(on_site(fine(150))), "file_with_agency", TODAY, SUMMARY)
    assert codes(case, "close") == ["penalty.summary.not_paid"]
    paid = replace(case, payments=(Payment(D(2026, 5, 20), 15000),), records=case.records | {"payment_receipt"})
    assert codes(paid, "close", D(2026, 5, 21)) == []
    # Paid late (due 05-27, the 15th day): the surcharge is owed too (第七十二条).
    late = replace(paid, payments=(Payment(D(2026, 5, 29), 15000),))
    violations = evaluate(SUMMARY, late, "close", context=context(D(2026, 5, 29)))
    assert [v.message for v in violations] == ["罚款（含加处罚款）尚欠9元，不能结案"]


def test_on_the_spot_the_officers_show_certificates_and_hear_the_party_arts42_44_52():
    assert codes(on_site(officer_ids=(1,)), "decide_on_spot") == ["penalty.summary.too_few_officers"]
    assert codes(on_site(certificate_shown=False), "decide_on_spot") == ["penalty.summary.certificate_not_shown"]
    violations = evaluate(SUMMARY, on_site(party_informed=False, statement_heard_or_waived=False), "decide_on_spot",
                          context=context(TODAY))
    assert [(v.code, v.legal_basis) for v in violations] == [
        ("penalty.summary.party_not_informed", f"{LAW}第四十四条、第六十二条"),
        ("penalty.summary.statement_not_heard", f"{LAW}第四十五条、第六十二条"),
    ]
    assert codes(on_site(), "decide_on_spot") == []


def test_the_on_the_spot_form_is_numbered_and_complete_art52():
    case = on_site()
    unnumbered = replace(case, decision=replace(case.decision, number=" ", elements=case.decision.elements - {"time_place"}))
    violations = evaluate(SUMMARY, unnumbered, "decide_on_spot", context=context(TODAY))
    assert [(v.code, v.message) for v in violations] == [
        ("penalty.summary.element_missing", "当场处罚决定书缺少：“时间、地点”"),
        ("penalty.summary.number_missing", "当场处罚决定书须使用预定格式、编有号码的决定书，未登记编号"),
    ]
    # A warning needs no amount on the form.
    warning = PenaltyTerms(frozenset({"warning"}))
    no_amount = replace(case, decision=replace(case.decision, penalty=warning, elements=case.decision.elements - {"amount"}))
    assert codes(no_amount, "decide_on_spot") == []


def test_the_decision_is_handed_over_on_the_spot_and_signed_art52():
    case = step(on_site(), "decide_on_spot", TODAY, SUMMARY)
    case = replace(case, records=case.records | {"decision_document"})
    late = replace(case, on_spot=replace(case.on_spot, handed_over_on=D(2026, 5, 13), party_signed_or_refusal_noted=True))
    assert codes(late, "hand_over", D(2026, 5, 13)) == ["penalty.summary.not_on_the_spot"]
    unsigned = replace(case, on_spot=replace(case.on_spot, handed_over_on=TODAY))
    assert codes(unsigned, "hand_over") == ["penalty.summary.signature_missing"]


def test_what_can_be_done_on_site_lists_the_blocked_decision_and_the_way_out():
    statuses = {s.action: s for s in actions_available(SUMMARY, on_site(fine(250)), context=context(TODAY),
                                                        from_current_state_only=True)}
    assert set(statuses) == {"decide_on_spot", "convert_to_ordinary"}
    assert not statuses["decide_on_spot"].allowed
    assert [v.code for v in statuses["decide_on_spot"].violations] == ["penalty.summary.fine_over_limit"]
    assert statuses["convert_to_ordinary"].allowed


def test_a_sector_or_region_override_replaces_the_summary_limit_from_its_date():
    """第五十一条 "法律另有规定的，从其规定": a deployment adds a period for a region or a sector."""
    parameters = parameters_default().with_overrides(
        {
            "penalty.summary.max_fine_organization_fen": [
                ParameterPeriod(start=D(2026, 6, 1), value=500000, region="1506", reference="某自治区规定（测试）")
            ]
        }
    )
    case = on_site(fine(4000), party=company())
    before = evaluate(SUMMARY, case, "decide_on_spot", context=context(TODAY, parameters=parameters))
    assert [v.legal_basis for v in before] == [f"{LAW}第五十一条"]
    assert codes(case, "decide_on_spot", D(2026, 6, 1), parameters=parameters) == []
    elsewhere = replace(case, region="110105")
    assert codes(elsewhere, "decide_on_spot", D(2026, 6, 1), parameters=parameters) == ["penalty.summary.fine_over_limit"]


def test_every_penalty_parameter_cites_its_basis_and_unverified_ones_say_so():
    parameters = parameters_default()
    names = [n for n in parameters.names() if n.startswith("penalty.")]
    assert len(names) >= 30
    for name in names:
        assert parameters[name].reference.strip(), name
    for name in (
        "penalty.hearing.large_fine_natural_person_fen",
        "penalty.hearing.large_fine_organization_fen",
        "penalty.statement.window_working_days",
        "penalty.review.catalogue_fine_natural_person_fen",
        "penalty.recording.audio_video_steps",
    ):
        assert parameters[name].unverified, name
    for name in ("penalty.summary.max_fine_natural_person_fen", "penalty.decision.period_days", "penalty.surcharge.daily_percent"):
        assert not parameters[name].unverified, name
    on = D(2026, 5, 12)
    assert parameters.value("penalty.summary.max_fine_natural_person_fen", on=on) == 20000
    assert parameters.value("penalty.summary.max_fine_organization_fen", on=on) == 300000
    assert parameters.value("penalty.summary.on_spot_collection_max_fen", on=on) == 10000
    assert parameters.value("penalty.service.period_working_days", on=on) == 7
    assert parameters.value("penalty.payment.period_days", on=on) == 15
    assert parameters.value("penalty.hearing.notice_working_days", on=on) == 7
    assert parameters.value("penalty.hearing.request_working_days", on=on) == 5
    assert parameters.value("penalty.preservation.decision_working_days", on=on) == 7
    assert parameters.value("penalty.surcharge.cap_percent", on=on) == 100

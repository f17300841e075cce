"""A legal test per rule of 行政强制执行 (legal_rules.md §3.2, §8.1 items 9 and 11, §8.2).

Each test shows the refusal (code, Chinese message, legal basis) and then the lawful path right
beside it, so a guard that refused everything would fail as surely as one that refused nothing.
"""

import datetime as dt
from dataclasses import replace

from sanxiang.procedure.enforcement import (
    ENFORCEMENT,
    Agreement,
    BasisDecision,
    Challenge,
    CourtApplication,
    DemolitionNotice,
    ExecutionPlan,
    Statement,
    Substitute,
    enforcement_deadlines,
    surcharge_accrued,
)
from sanxiang.procedure.enforcement.snapshot import DEMAND_ELEMENTS
from sanxiang.procedure.engine import evaluate
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from tests.procedure.enforcement.support import (
    CALENDAR,
    DECISION,
    DEMAND,
    DEMAND_RECORDS,
    DEMAND_SERVED,
    DUE,
    EXECUTION_DECISION,
    LAW,
    POWER,
    PRINCIPAL,
    RECEIVED,
    SURCHARGE,
    D,
    at,
    codes,
    context,
    demanded,
    executing,
    pending,
    refusal,
    step,
)


def test_procedure_definition_is_sound_and_every_transition_cites_the_law():
    assert ENFORCEMENT.initial == "pending"
    for transition in ENFORCEMENT.transitions:
        assert transition.legal_basis


# --- 第三十四条: only an unperformed duty is enforced ----------------------------------------------


def test_no_demand_before_the_decision_s_own_period_has_run():
    """行政强制法第三十四条: enforcement only when the party did not perform within the decision's period."""
    case = pending(demand=replace(DEMAND, served_on=D(2026, 3, 19), written_on=D(2026, 3, 18)), records=DEMAND_RECORDS)
    v = refusal(case, "serve_demand", D(2026, 3, 19), "enforcement.obligation.period_running")
    assert "2026-03-19届满" in v.message
    assert v.legal_basis == f"{LAW}第三十四条"
    assert step(replace(case, demand=replace(DEMAND, served_on=D(2026, 3, 20))), "serve_demand", D(2026, 3, 20)).state == "demanded"


def test_a_paid_decision_is_not_enforced():
    """第三十四条: a duty performed (the fine paid in full) is not enforced."""
    case = pending(demand=DEMAND, records=DEMAND_RECORDS, decision=replace(DECISION, paid_fen=PRINCIPAL))
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.obligation.performed")
    assert v.message == "当事人已经履行行政决定确定的义务，不能强制执行"
    paid = replace(case, records=case.records | {"performance_proof"})
    assert step(paid, "record_performance", DEMAND_SERVED).state == "performed"


# --- 第三十五条、第三十八条: the 催告 --------------------------------------------------------------


def test_demand_must_be_written_with_deadline_method_amount_and_rights():
    """第三十五条: a 催告 in writing stating the deadline, the method, the amount and the right to
    state and defend; every missing element is listed at once."""
    case = pending(demand=replace(DEMAND, deadline=None, elements=frozenset({"method"})), records=DEMAND_RECORDS)
    found = codes(case, "serve_demand", DEMAND_SERVED)
    assert "enforcement.demand.elements_missing" in found and "enforcement.demand.no_deadline" in found
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.demand.elements_missing")
    assert "“履行义务的期限”" in v.message and "“当事人依法享有的陈述权和申辩权”" in v.message
    assert "明确的金额" in v.message
    assert v.legal_basis == f"{LAW}第三十五条"
    assert step(replace(case, demand=DEMAND), "serve_demand", DEMAND_SERVED).state == "demanded"


def test_a_duty_to_act_needs_no_amount_in_its_demand():
    """第三十五条第三项: the amount only where money is owed."""
    act = replace(DECISION, obligation="act", principal_fen=0)
    demand = replace(DEMAND, elements=frozenset(DEMAND_ELEMENTS) - {"amount"})
    case = pending(decision=act, demand=demand, records=DEMAND_RECORDS, surcharge=None)
    assert step(case, "serve_demand", DEMAND_SERVED).state == "demanded"


def test_demand_is_served_directly_unless_that_was_impossible():
    """第三十八条: served directly; the 民事诉讼法 methods only when the party refused or could not be reached."""
    case = pending(demand=replace(DEMAND, service_method="post"), records=DEMAND_RECORDS)
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.demand.not_direct")
    assert "应当直接送达当事人" in v.message
    assert v.legal_basis.startswith(f"{LAW}第三十八条")
    lawful = replace(case, demand=replace(DEMAND, service_method="post", direct_service_impossible=True))
    assert step(lawful, "serve_demand", DEMAND_SERVED).state == "demanded"


def test_demand_and_its_receipt_are_records_of_the_file():
    """第三十五条、第三十八条: the 催告书 and its 送达回证 are in the case file."""
    case = pending(demand=DEMAND)
    found = codes(case, "serve_demand", DEMAND_SERVED)
    assert "enforcement.record_missing.demand" in found
    assert "enforcement.record_missing.demand_service_receipt" in found


# --- 第三十六条: statements heard, recorded, re-examined --------------------------------------------


def test_execution_waits_for_statements_to_be_recorded_and_reexamined():
    """第三十六条: the party's statements and defence are recorded and re-examined."""
    case = demanded(
        **POWER,
        execution_decision=EXECUTION_DECISION,
        statements=(Statement(submitted_on=D(2026, 5, 11)),),
        records=DEMAND_RECORDS | {"execution_decision"},
    )
    found = codes(case, "decide_execution", D(2026, 5, 20))
    assert "enforcement.statement.not_recorded" in found and "enforcement.statement.not_reexamined" in found
    assert "enforcement.record_missing.statement_record" in found
    v = refusal(case, "decide_execution", D(2026, 5, 20), "enforcement.statement.not_reexamined")
    assert v.message == "当事人2026-05-11提出的事实、理由和证据尚未复核"
    assert v.legal_basis == f"{LAW}第三十六条"
    heard = replace(
        case,
        statements=(Statement(submitted_on=D(2026, 5, 11), recorded=True, reexamined_on=D(2026, 5, 13)),),
        records=case.records | {"statement_record", "reexamination_record"},
    )
    heard = step(heard, "record_statement", D(2026, 5, 13))
    assert step(heard, "decide_execution", D(2026, 5, 20)).state == "decided"


# --- 第三十七条: execution only after the deadline (or immediate execution) -------------------------


def test_no_execution_decision_before_the_demand_deadline():
    """第三十七条第一款: the execution decision only after the 催告's deadline passed without compliance."""
    case = demanded(**POWER, execution_decision=EXECUTION_DECISION, records=DEMAND_RECORDS | {"execution_decision"})
    v = refusal(case, "decide_execution", D(2026, 5, 18), "enforcement.demand.deadline_running")
    assert "2026-05-18届满" in v.message
    assert v.legal_basis == f"{LAW}第三十七条第一款"
    assert step(case, "decide_execution", D(2026, 5, 19)).state == "decided"


def test_immediate_execution_needs_evidence_of_hiding_assets():
    """第三十七条第三款: during the demand period, immediate execution only on evidence that the party
    moves or hides property."""
    immediate = replace(EXECUTION_DECISION, immediate=True)
    case = demanded(**POWER, execution_decision=immediate, records=DEMAND_RECORDS | {"execution_decision"})
    v = refusal(case, "decide_execution", D(2026, 5, 12), "enforcement.immediate.no_evidence")
    assert "转移或者隐匿财物" in v.message
    assert v.legal_basis == f"{LAW}第三十七条第三款"
    assert step(replace(case, assets_being_hidden=True), "decide_execution", D(2026, 5, 12)).state == "decided"


def test_no_execution_decision_without_a_served_demand_and_the_complete_decision():
    """第三十五条、第三十七条第二款: no decision without a served 催告; the 决定书 states its content."""
    case = replace(
        demanded(**POWER, records=DEMAND_RECORDS | {"execution_decision"}),
        demand=replace(DEMAND, served_on=None),
        execution_decision=replace(EXECUTION_DECISION, elements=frozenset({"party"})),
    )
    found = codes(case, "decide_execution", D(2026, 5, 20))
    assert "enforcement.demand.not_served" in found
    v = refusal(case, "decide_execution", D(2026, 5, 20), "enforcement.decision.elements_missing")
    assert "“强制执行的方式和时间”" in v.message and v.legal_basis == f"{LAW}第三十七条第二款"
    assert step(replace(case, demand=DEMAND, execution_decision=EXECUTION_DECISION), "decide_execution", D(2026, 5, 20)).state == "decided"


def test_an_agency_without_execution_power_cannot_execute_itself():
    """第十三条、第五十三条: without a law giving it the power, the agency applies to the court."""
    case = demanded(execution_decision=EXECUTION_DECISION, records=DEMAND_RECORDS | {"execution_decision"})
    v = refusal(case, "decide_execution", D(2026, 5, 20), "enforcement.power.none")
    assert "应当申请人民法院强制执行" in v.message
    assert v.legal_basis == f"{LAW}第十三条、第五十三条"
    assert step(replace(case, **POWER), "decide_execution", D(2026, 5, 20)).state == "decided"


def test_the_agency_s_own_power_is_claimed_with_the_provision_of_a_law_that_grants_it():
    """第十三条第一款: 行政强制执行由法律设定. The power the registration claims is accountable: the
    provision is recorded, and it is a law's (a 条例 or 规章 cannot grant it)."""
    case = demanded(execution_power=True, execution_decision=EXECUTION_DECISION,
                    records=DEMAND_RECORDS | {"execution_decision"})
    v = refusal(case, "decide_execution", D(2026, 5, 20), "enforcement.power.basis_missing")
    assert v.message.startswith("本机关自行强制执行的，须载明授予本机关行政强制执行权的法律条款")
    assert (v.legal_basis, v.field) == (f"{LAW}第十三条第一款", "execution_power_basis")
    regulation = replace(case, execution_power_basis="《某某自治区城乡规划条例》第四十条")
    v = refusal(regulation, "decide_execution", D(2026, 5, 20), "enforcement.power.basis_not_law")
    assert v.message.startswith("“《某某自治区城乡规划条例》第四十条”不是法律的条款：行政强制执行由法律设定")
    assert v.legal_basis == f"{LAW}第十三条第一款"
    assert step(replace(case, **POWER), "decide_execution", D(2026, 5, 20)).state == "decided"


def test_an_entrusted_organisation_does_not_execute_itself():
    """第十三条、第七十条: execution is the agency's the law names (or an organisation a law or
    administrative regulation authorises); an entrustment gives no power to execute or to 代履行."""
    case = demanded(**POWER, execution_decision=EXECUTION_DECISION, records=DEMAND_RECORDS | {"execution_decision"},
                    agency_kind="entrusted_organization")
    v = refusal(case, "decide_execution", D(2026, 5, 20), "enforcement.agency.entrusted")
    assert v.message.startswith("受委托组织不能实施行政强制执行")
    assert (v.legal_basis, v.field) == (f"{LAW}第十三条、第七十条", "agency")
    assert "enforcement.agency.entrusted" in codes(replace(executing(), agency_kind="entrusted_organization"), "execute",
                                                   D(2026, 10, 9))
    substitute = replace(substitute_case(), state="demanded", agency_kind="entrusted_organization")
    assert "enforcement.agency.entrusted" in codes(substitute, "decide_substitute", D(2026, 5, 20))
    # The lawful paths: the authorised organisation (or the organ itself) executes; the entrusted
    # organisation applies to the court, whatever power its registration claimed.
    assert step(replace(case, agency_kind="authorized_organization"), "decide_execution", D(2026, 5, 20)).state == "decided"
    court = court_case(**POWER, agency_kind="entrusted_organization")
    assert "enforcement.court.agency_has_power" not in codes(court, "apply_to_court", D(2026, 9, 7))
    assert "enforcement.court.agency_has_power" in codes(replace(court, agency_kind="administrative_organ"),
                                                         "apply_to_court", D(2026, 9, 7))


# --- 第三十八条: the execution decision served ---------------------------------------------------------


def test_execution_decision_is_served_directly():
    """第三十八条: the 强制执行决定书 is served directly (or by 民事诉讼法 when that is impossible)."""
    case = demanded(**POWER, execution_decision=EXECUTION_DECISION, records=DEMAND_RECORDS | {"execution_decision", "execution_service_receipt"})
    case = step(case, "decide_execution", D(2026, 5, 20))
    unserved = replace(case, execution_decision=replace(EXECUTION_DECISION, served_on=None))
    v = refusal(unserved, "serve_execution_decision", D(2026, 5, 21), "enforcement.decision.not_served")
    assert v.message == "强制执行决定书尚未送达当事人" and v.legal_basis == f"{LAW}第三十八条"
    assert step(case, "serve_execution_decision", D(2026, 5, 21)).state == "decision_served"


# --- 第四十三条: not at night, not on holidays, no utilities cut -----------------------------------------


def test_no_execution_on_a_statutory_holiday_without_an_emergency():
    """第四十三条第一款: no execution on statutory holidays (holidays from procedure.calendar)."""
    case = executing(plan=ExecutionPlan(starts_at=at(D(2026, 10, 2), 10), ends_at=at(D(2026, 10, 2), 12)))
    v = refusal(case, "execute", D(2026, 10, 2), "enforcement.plan.on_holiday")
    assert "2026-10-02（国庆节）" in v.message
    assert v.legal_basis == f"{LAW}第四十三条第一款"
    emergency = replace(case.plan, emergency=True, emergency_reason="危房即将倒塌危及行人安全")
    assert step(replace(case, plan=emergency), "execute", D(2026, 10, 2)).state == "executed"
    # An adjusted working Saturday (调休上班) is a working day.
    saturday = ExecutionPlan(starts_at=at(D(2026, 10, 10), 9), ends_at=at(D(2026, 10, 10), 11))
    assert step(replace(case, plan=saturday), "execute", D(2026, 10, 10)).state == "executed"


def test_no_execution_at_night_without_an_emergency_and_its_reason():
    """第四十三条第一款: no execution at night; the night hours are a parameter (22:00–06:00, unverified)."""
    case = executing(plan=ExecutionPlan(starts_at=at(D(2026, 10, 9), 20), ends_at=at(D(2026, 10, 9), 22, 30)))
    v = refusal(case, "execute", D(2026, 10, 9), "enforcement.plan.at_night")
    assert "22:00至次日06:00" in v.message
    assert v.legal_basis.startswith(f"{LAW}第四十三条第一款")
    no_reason = replace(case, plan=replace(case.plan, emergency=True))
    assert "enforcement.plan.emergency_reason_missing" in codes(no_reason, "execute", D(2026, 10, 9))
    early = replace(case, plan=ExecutionPlan(starts_at=at(D(2026, 10, 9), 5), ends_at=at(D(2026, 10, 9), 7)))
    assert "enforcement.plan.at_night" in codes(early, "execute", D(2026, 10, 9))
    day = replace(case, plan=ExecutionPlan(starts_at=at(D(2026, 10, 9), 6), ends_at=at(D(2026, 10, 9), 22)))
    assert step(day, "execute", D(2026, 10, 9)).state == "executed"


def test_night_hours_follow_a_regional_parameter():
    """第四十三条: 夜间 is not defined by the law; a region sets its own hours."""
    local = parameters_default().with_overrides(
        {"enforcement.execution.night_hours": [ParameterPeriod(D(2020, 1, 1), ["21:00", "07:00"], region="15", reference="某自治区规定")]}
    )
    case = replace(executing(region="150626"), plan=ExecutionPlan(starts_at=at(D(2026, 10, 9), 6, 30), ends_at=at(D(2026, 10, 9), 9)))
    found = [v for v in evaluate(ENFORCEMENT, case, "execute", context=context(D(2026, 10, 9), parameters=local))]
    assert [v.legal_basis for v in found if v.code == "enforcement.plan.at_night"] == ["某自治区规定"]
    assert step(replace(case, region=""), "execute", D(2026, 10, 9)).state == "executed"


def test_never_cut_water_power_heat_or_gas_even_in_an_emergency():
    """第四十三条第二款: no stopping residents' water, power, heat or gas to force compliance."""
    plan = ExecutionPlan(
        starts_at=at(D(2026, 10, 9), 10), ends_at=at(D(2026, 10, 9), 12), emergency=True, emergency_reason="紧急", cuts_utilities=True
    )
    case = executing(plan=plan)
    v = refusal(case, "execute", D(2026, 10, 9), "enforcement.plan.utilities_cut")
    assert "停止供水、供电、供热、供燃气" in v.message and v.legal_basis == f"{LAW}第四十三条第二款"
    assert step(replace(case, plan=replace(plan, cuts_utilities=False)), "execute", D(2026, 10, 9)).state == "executed"


# --- 第四十二条: 执行协议 --------------------------------------------------------------------------


def test_agreement_may_waive_the_surcharge_only_with_remedial_measures_and_never_the_principal():
    """第四十二条第一款: an 执行协议 may reduce or waive the surcharge when the party takes remedial measures."""
    case = demanded(records=DEMAND_RECORDS | {"agreement"}, surcharge=replace(SURCHARGE, claimed_fen=100_000))
    agreement = Agreement(signed_on=D(2026, 5, 20), surcharge_waived_fen=PRINCIPAL + 1)
    case = replace(case, agreement=agreement)
    found = codes(case, "sign_agreement", D(2026, 5, 20))
    assert "enforcement.agreement.waiver_without_remedy" in found
    v = refusal(case, "sign_agreement", D(2026, 5, 20), "enforcement.agreement.waiver_above_surcharge")
    assert "不能减免本金" in v.message and v.legal_basis == f"{LAW}第四十二条第一款"
    lawful = replace(case, agreement=Agreement(signed_on=D(2026, 5, 20), surcharge_waived_fen=100_000, remedial_measures_taken=True))
    signed = step(lawful, "sign_agreement", D(2026, 5, 20))
    assert signed.state == "agreement"
    # 第四十二条第二款: execution resumes only when the party breaks the agreement.
    assert codes(signed, "resume_execution", D(2026, 6, 1)) == ["enforcement.agreement.not_broken"]
    broken = replace(signed, agreement=replace(signed.agreement, broken_on=D(2026, 6, 1)))
    assert step(broken, "resume_execution", D(2026, 6, 1)).state == "demanded"


# --- 第四十四条: 强制拆除 ------------------------------------------------------------------------


def demolition_case(**overrides):
    decision = replace(DECISION, obligation="demolition", principal_fen=0)
    demand = replace(DEMAND, elements=frozenset(DEMAND_ELEMENTS) - {"amount"})
    case = demanded(
        decision=decision,
        demand=demand,
        surcharge=None,
        **POWER,
        execution_decision=replace(EXECUTION_DECISION, method="demolition"),
        records=DEMAND_RECORDS
        | {"execution_decision", "execution_service_receipt", "execution_record", "demolition_notice"}
        | {"audio_video_execution", "audio_video_forced_demolition"},
    )
    case = step(case, "decide_execution", D(2026, 5, 20))
    case = step(case, "serve_execution_decision", D(2026, 5, 21))
    plan = ExecutionPlan(starts_at=at(D(2026, 9, 7), 9), ends_at=at(D(2026, 9, 7), 17))
    return replace(case, **{"plan": plan, **overrides})


def test_demolition_needs_a_public_notice_first():
    """第四十四条: 强制拆除 only after a 公告 with a deadline for the party to demolish."""
    case = demolition_case()
    v = refusal(case, "execute", D(2026, 9, 7), "enforcement.demolition.no_notice")
    assert "先予以公告" in v.message and v.legal_basis == f"{LAW}第四十四条"
    noticed = replace(case, demolition_notice=DemolitionNotice(published_on=D(2026, 8, 1), deadline=D(2026, 8, 15)))
    assert step(noticed, "execute", D(2026, 9, 7)).state == "executed"


def test_demolition_waits_for_the_reconsideration_and_litigation_periods():
    """第四十四条 with 行政复议法第二十条 (60 days) and 行政诉讼法第四十六条 (6 months): received
    2026-03-04, the litigation period runs to 2026-09-04."""
    notice = DemolitionNotice(published_on=D(2026, 8, 1), deadline=D(2026, 8, 15))
    case = demolition_case(demolition_notice=notice, plan=ExecutionPlan(starts_at=at(D(2026, 9, 4), 9), ends_at=at(D(2026, 9, 4), 17)))
    v = refusal(case, "execute", D(2026, 9, 4), "enforcement.demolition.challenge_period_running")
    assert "至2026-09-04届满" in v.message
    assert "《中华人民共和国行政诉讼法》第四十六条" in v.legal_basis and "行政复议法" in v.legal_basis
    challenged = demolition_case(demolition_notice=notice, challenges=(Challenge("litigation", D(2026, 8, 20)),))
    assert "enforcement.demolition.challenged" in codes(challenged, "execute", D(2026, 9, 7))
    assert step(demolition_case(demolition_notice=notice), "execute", D(2026, 9, 7)).state == "executed"
    windows, problems = enforcement_deadlines(demolition_case(demolition_notice=notice), calendar=CALENDAR, today=D(2026, 9, 4))
    demolition = next(w for w in windows if w.code == "enforcement.deadline.demolition")
    assert (demolition.opens, demolition.not_yet, problems) == (D(2026, 9, 5), True, [])


def test_demolition_needs_its_audio_video_record_citing_the_list_not_a_statute():
    """国办发〔2018〕118号 and the local list: 强制拆除 is recorded on audio-video throughout."""
    notice = DemolitionNotice(published_on=D(2026, 8, 1), deadline=D(2026, 8, 15))
    case = demolition_case(demolition_notice=notice)
    missing = replace(case, records=case.records - {"audio_video_forced_demolition"})
    v = refusal(missing, "execute", D(2026, 9, 7), "enforcement.audio_video.forced_demolition")
    assert "音像记录事项清单" in v.message
    assert "118号" in v.legal_basis and "清单" in v.legal_basis and LAW not in v.legal_basis
    assert step(case, "execute", D(2026, 9, 7)).state == "executed"


def test_the_one_audio_video_list_of_coercion_toml_decides():
    """The list is one parameter for every kind of 行政强制, per region and sector (coercion.toml):
    a county whose list names on-site execution and not demolition is followed."""
    from sanxiang.procedure.parameters import Parameter, ParameterSet

    base = parameters_default()
    names = {name: base[name] for name in base.names()}
    names["coercion.audio_video_required_steps"] = Parameter(
        "coercion.audio_video_required_steps", "清单", "某县音像记录事项清单", True, "steps",
        (ParameterPeriod(D(2018, 12, 5), ["seizure", "execution"], reference="某县音像记录事项清单"),),
    )
    ctx = context(D(2026, 9, 7), parameters=ParameterSet(names))
    notice = DemolitionNotice(published_on=D(2026, 8, 1), deadline=D(2026, 8, 15))
    case = demolition_case(demolition_notice=notice)
    case = replace(case, records=case.records - {"audio_video_forced_demolition", "audio_video_execution"})
    found = [v for v in evaluate(ENFORCEMENT, case, "execute", context=ctx) if v.code.startswith("enforcement.audio_video")]
    assert [(v.code, v.legal_basis) for v in found] == [("enforcement.audio_video.execution", "某县音像记录事项清单")]
    assert [c for c in codes(case, "execute", D(2026, 9, 7)) if c.startswith("enforcement.audio_video")] == [
        "enforcement.audio_video.forced_demolition"
    ]


def test_a_transfer_of_deposits_needs_no_on_site_recording_even_where_the_list_names_execution():
    """The list names on-site steps (118号); 划拨存款 happens at a desk."""
    local = parameters_default().with_overrides(
        {"coercion.audio_video_required_steps": [ParameterPeriod(D(2020, 1, 1), ["execution"], region="15")]}
    )
    case = executing(region="150626")
    case = replace(case, records=case.records - {"audio_video_execution"})
    ctx = context(D(2026, 10, 9), parameters=local)
    assert not [v for v in evaluate(ENFORCEMENT, case, "execute", context=ctx) if v.code.startswith("enforcement.audio_video")]
    removal = replace(case, execution_decision=replace(case.execution_decision, method="removal"))
    assert [v.code for v in evaluate(ENFORCEMENT, removal, "execute", context=ctx) if v.code.startswith("enforcement.audio")] == [
        "enforcement.audio_video.execution"
    ]


# --- 第四十五条、第四十六条: the surcharge ---------------------------------------------------------


def test_surcharge_never_exceeds_the_principal():
    """第四十五条第二款: the surcharge may not exceed the amount of the money obligation."""
    assert surcharge_accrued(pending(), context(D(2027, 1, 1)), on=D(2027, 1, 1)) == PRINCIPAL
    assert surcharge_accrued(pending(), context(D(2026, 3, 20)), on=D(2026, 3, 20)) == PRINCIPAL * 3 // 100
    case = pending(demand=DEMAND, records=DEMAND_RECORDS, surcharge=replace(SURCHARGE, claimed_fen=PRINCIPAL + 1))
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.surcharge.above_principal")
    assert v.message == "加处罚款或者滞纳金5000.01元超出金钱给付义务的数额5000元"
    assert v.legal_basis == f"{LAW}第四十五条第二款"
    assert step(replace(case, surcharge=replace(SURCHARGE, claimed_fen=PRINCIPAL)), "serve_demand", DEMAND_SERVED).state == "demanded"


def test_surcharge_must_be_told_to_the_party():
    """第四十五条第一款: the rate of the surcharge is told to the party."""
    case = pending(demand=DEMAND, records=DEMAND_RECORDS, surcharge=replace(SURCHARGE, notified=False))
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.surcharge.not_notified")
    assert v.legal_basis == f"{LAW}第四十五条第一款"
    assert step(pending(demand=DEMAND, records=DEMAND_RECORDS), "serve_demand", DEMAND_SERVED).state == "demanded"


def test_the_surcharge_runs_only_after_the_decision_s_period():
    """第四十五条第一款: 当事人逾期不履行的, the agency may add a surcharge; not while the period runs."""
    early = replace(SURCHARGE, from_day=DUE)
    case = pending(demand=DEMAND, records=DEMAND_RECORDS, surcharge=early)
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.surcharge.from_within_period")
    assert v.message == ("加处罚款或者滞纳金自2026-03-19起算，早于行政决定确定的履行期限（2026-03-19）届满："
                         "当事人逾期不履行的，才能加处，最早自2026-03-20起算")
    assert (v.legal_basis, v.field) == (f"{LAW}第四十五条第一款", "surcharge.from_day")
    assert step(replace(case, surcharge=SURCHARGE), "serve_demand", DEMAND_SERVED).state == "demanded"


def test_a_fine_s_surcharge_is_the_law_s_three_percent_and_any_other_rate_names_its_provision():
    """行政处罚法第七十二条第一款第一项: 3% a day on a fine, never more; 第四十五条: any other rate
    (a lower one on a fine, a 滞纳金 on another money duty) is added only "依法", with its provision."""
    case = pending(demand=DEMAND, records=DEMAND_RECORDS, surcharge=replace(SURCHARGE, daily_permille=50))
    v = refusal(case, "serve_demand", DEMAND_SERVED, "enforcement.surcharge.rate_above_law")
    assert v.message == "到期不缴纳罚款的，每日按罚款数额的3%加处罚款，不能按每日5%加处"
    assert v.legal_basis == "《中华人民共和国行政处罚法》第七十二条第一款第一项"
    zero = refusal(replace(case, surcharge=replace(SURCHARGE, daily_permille=0)), "serve_demand", DEMAND_SERVED,
                   "enforcement.surcharge.rate_not_positive")
    assert zero.field == "surcharge.daily_permille"
    tax = replace(DECISION, source="other", fine=False)
    late_fee = replace(SURCHARGE, daily_permille=1)  # 0.1% a day
    unfounded = pending(decision=tax, demand=DEMAND, records=DEMAND_RECORDS, surcharge=late_fee)
    v = refusal(unfounded, "serve_demand", DEMAND_SERVED, "enforcement.surcharge.rate_basis_missing")
    assert v.message == "加处罚款或者滞纳金（每日0.1%）的，须载明规定该标准的法律、法规条款：加处罚款或者滞纳金须依法作出"
    assert (v.legal_basis, v.field) == (f"{LAW}第四十五条第一款", "surcharge.basis")
    lower = replace(case, surcharge=replace(SURCHARGE, daily_permille=10))
    assert "enforcement.surcharge.rate_basis_missing" in codes(lower, "serve_demand", DEMAND_SERVED)
    founded = replace(unfounded, surcharge=replace(late_fee, basis="《某某法》第三十二条"))
    assert step(founded, "serve_demand", DEMAND_SERVED).state == "demanded"
    assert step(replace(case, surcharge=SURCHARGE), "serve_demand", DEMAND_SERVED).state == "demanded"


def test_money_is_executed_only_after_30_days_of_surcharge_and_a_demand():
    """第四十六条第一款: more than 30 days of surcharge, then a 催告, before the agency executes."""
    late = replace(SURCHARGE, from_day=D(2026, 4, 25))  # 30 days end 05-24; enforceable from 05-25
    case = demanded(**POWER, execution_decision=EXECUTION_DECISION, surcharge=late, records=DEMAND_RECORDS | {"execution_decision"})
    v = refusal(case, "decide_execution", D(2026, 5, 24), "enforcement.surcharge.under_30_days")
    assert "2026-05-25起才超过三十日" in v.message and v.legal_basis == f"{LAW}第四十六条第一款"
    none = replace(case, surcharge=None)
    assert "enforcement.surcharge.not_imposed" in codes(none, "decide_execution", D(2026, 5, 25))
    assert step(case, "decide_execution", D(2026, 5, 25)).state == "decided"


# --- 第五十条、第五十一条: 代履行 ---------------------------------------------------------------------


def substitute_case(**overrides):
    decision = replace(DECISION, obligation="act", principal_fen=0)
    demand = replace(DEMAND, elements=frozenset(DEMAND_ELEMENTS) - {"amount"})
    case = demanded(
        decision=decision,
        demand=demand,
        surcharge=None,
        harm_grounds=True,
        substitute=Substitute(decided_on=D(2026, 5, 20)),
        records=DEMAND_RECORDS | {"substitute_decision", "substitute_demand", "substitute_record", "audio_video_substitute_performance"},
    )
    case = step(case, "decide_substitute", D(2026, 5, 20))
    substitute = Substitute(
        decided_on=D(2026, 5, 20),
        decision_served_on=D(2026, 5, 21),
        demand_served_on=D(2026, 5, 26),
        supervised_on_site=True,
        signed_by_all=True,
    )
    plan = ExecutionPlan(starts_at=at(D(2026, 6, 1), 9), ends_at=at(D(2026, 6, 1), 17))
    return replace(case, substitute=substitute, plan=plan, **overrides)


def test_substitute_performance_needs_the_harm_ground_and_a_duty_to_act():
    """第五十条: 代履行 of a duty to act whose neglect harms traffic safety, the environment or natural resources."""
    case = replace(substitute_case(), state="demanded", harm_grounds=False)
    v = refusal(case, "decide_substitute", D(2026, 5, 20), "enforcement.substitute.no_harm_ground")
    assert "危害交通安全" in v.message and v.legal_basis == f"{LAW}第五十条"
    money = replace(case, decision=DECISION, harm_grounds=True)
    assert "enforcement.substitute.money" in codes(money, "decide_substitute", D(2026, 5, 20))
    assert step(replace(case, harm_grounds=True), "decide_substitute", D(2026, 5, 20)).state == "substitute_decided"


def test_substitute_performance_needs_its_decision_served_and_the_demand_three_working_days_before():
    """第五十一条第一款: decision served first; the demand 3 working days before (第六十九条)."""
    case = substitute_case()
    late = replace(case, substitute=replace(case.substitute, demand_served_on=D(2026, 5, 27), decision_served_on=None))
    assert "enforcement.substitute.decision_not_served" in codes(late, "perform_substitute", D(2026, 6, 1))
    v = refusal(late, "perform_substitute", D(2026, 6, 1), "enforcement.substitute.demand_too_late")
    assert "最迟应于2026-05-26送达" in v.message
    assert v.legal_basis.startswith(f"{LAW}第五十一条第一款第二项")
    windows, _ = enforcement_deadlines(late, calendar=CALENDAR, today=D(2026, 5, 27))
    demand = next(w for w in windows if w.code == "enforcement.deadline.substitute_demand")
    assert (demand.closes, demand.overdue, demand.done) == (D(2026, 5, 26), False, True)
    assert step(case, "perform_substitute", D(2026, 6, 1)).state == "executed"


def test_a_substitute_performance_entered_afterwards_is_judged_on_its_own_day():
    """第五十一条第一款第一项: the 代履行 decision is served before the 代履行 takes place; an
    execution entered later is judged on the day it happened (第三十四条 too: the period had run)."""
    case = substitute_case()
    early = replace(case, plan=ExecutionPlan(starts_at=at(D(2026, 5, 20), 9), ends_at=at(D(2026, 5, 20), 17)))
    v = refusal(early, "perform_substitute", D(2026, 6, 10), "enforcement.substitute.before_decision_served")
    assert v.message == "代履行于2026-05-20开始，早于代履行决定书送达当事人的日期（2026-05-21）"
    assert (v.legal_basis, v.field) == (f"{LAW}第五十一条第一款第一项", "plan.starts_at")
    within = replace(case, decision=replace(case.decision, performance_due=D(2026, 6, 1)))
    v = refusal(within, "perform_substitute", D(2026, 6, 10), "enforcement.obligation.period_running")
    assert v.message.endswith("期满当事人仍不履行的才能强制执行（强制执行于2026-06-01开始）")
    assert step(case, "perform_substitute", D(2026, 6, 10)).state == "executed"


def test_an_execution_entered_afterwards_is_judged_on_its_own_day():
    """第三十八条、第四十四条: a demolition entered on 10-20 that took place on 09-07, before the
    decision was served (09-10) and before the 公告's deadline (09-14), stays refused, though both
    days have passed by the day it is entered."""
    notice = DemolitionNotice(published_on=D(2026, 8, 1), deadline=D(2026, 9, 14))
    case = demolition_case(demolition_notice=notice)
    case = replace(case, execution_decision=replace(case.execution_decision, served_on=D(2026, 9, 10)))
    served = refusal(case, "execute", D(2026, 10, 20), "enforcement.plan.before_decision_served")
    assert served.message == "强制执行于2026-09-07开始，早于强制执行决定书送达当事人的日期（2026-09-10）"
    assert served.legal_basis == f"{LAW}第三十七条、第三十八条"
    notice_running = refusal(case, "execute", D(2026, 10, 20), "enforcement.demolition.notice_deadline_running")
    assert notice_running.message.endswith("期满后才能强制拆除（强制拆除于2026-09-07开始）")
    challenged = replace(case, challenges=(Challenge("litigation", D(2026, 9, 1), D(2026, 9, 30)),))
    assert "enforcement.demolition.challenged" in codes(challenged, "execute", D(2026, 10, 20))
    later = replace(case, plan=ExecutionPlan(starts_at=at(D(2026, 9, 15), 9), ends_at=at(D(2026, 9, 15), 17)))
    assert step(later, "execute", D(2026, 10, 20)).state == "executed"


def test_substitute_performance_is_supervised_and_signed():
    """第五十一条第一款第三项、第四项: the agency supervises on site; everyone signs."""
    case = substitute_case()
    bad = replace(case, substitute=replace(case.substitute, supervised_on_site=False, signed_by_all=False))
    found = codes(bad, "perform_substitute", D(2026, 6, 1))
    assert "enforcement.substitute.not_supervised" in found and "enforcement.substitute.not_signed" in found
    assert step(case, "perform_substitute", D(2026, 6, 1)).state == "executed"


# --- 第五十三条、第五十四条: the court ------------------------------------------------------------


def court_case(**overrides):
    case = demanded(court=CourtApplication(applied_on=D(2026, 9, 7), court="某县人民法院"), records=DEMAND_RECORDS | {"court_application", "court_ruling"})
    return replace(case, **overrides)


def test_court_application_waits_for_the_challenge_periods_and_closes_three_months_later():
    """第五十三条: within 3 months after the 复议/诉讼 periods expire (received 03-04: 09-05 to 12-04)."""
    case = court_case()
    v = refusal(case, "apply_to_court", D(2026, 9, 4), "enforcement.court.challenge_period_running")
    assert "2026-09-05起才能申请" in v.message and f"{LAW}第五十三条" in v.legal_basis
    closed = refusal(case, "apply_to_court", D(2026, 12, 5), "enforcement.court.window_closed")
    assert "2026-12-04届满" in closed.message
    assert step(case, "apply_to_court", D(2026, 12, 4)).state == "court_applied"
    applied = step(case, "apply_to_court", D(2026, 9, 5))
    assert applied.state == "court_applied"
    windows, _ = enforcement_deadlines(case, calendar=CALENDAR, today=D(2026, 12, 5))
    court = next(w for w in windows if w.code == "enforcement.deadline.court_application")
    assert (court.opens, court.closes, court.overdue, court.not_yet) == (D(2026, 9, 5), D(2026, 12, 4), False, False)


def test_court_application_only_ten_working_days_after_the_demand_is_served():
    """第五十四条、第六十九条: 10 working days after service (served Tue 09-01: the 10th is 09-15)."""
    case = court_case(demand=replace(DEMAND, served_on=D(2026, 9, 1), written_on=D(2026, 8, 31), deadline=D(2026, 9, 8)))
    v = refusal(case, "apply_to_court", D(2026, 9, 15), "enforcement.court.demand_too_recent")
    assert "2026-09-16起" in v.message
    assert v.legal_basis.startswith(f"{LAW}第五十四条、第六十九条")
    assert step(case, "apply_to_court", D(2026, 9, 16)).state == "court_applied"
    no_demand = court_case(demand=None)
    assert "enforcement.demand.not_served" in codes(no_demand, "apply_to_court", D(2026, 9, 16))


def test_court_application_waits_for_a_pending_challenge():
    """第五十三条: the party did not challenge in time; a pending challenge blocks the application."""
    case = court_case(challenges=(Challenge("reconsideration", D(2026, 4, 1)),))
    v = refusal(case, "apply_to_court", D(2026, 9, 7), "enforcement.court.challenge_pending")
    assert v.legal_basis == f"{LAW}第五十三条"
    ended = court_case(challenges=(Challenge("reconsideration", D(2026, 4, 1), ended_on=D(2026, 6, 1)),))
    assert step(ended, "apply_to_court", D(2026, 9, 7)).state == "court_applied"


def test_an_agency_with_execution_power_applies_only_where_its_law_allows():
    """第十三条、第五十三条: the court path is for agencies without the power, or where a law allows both."""
    case = court_case(execution_power=True)
    assert refusal(case, "apply_to_court", D(2026, 9, 7), "enforcement.court.agency_has_power").field == "court_also_allowed"
    assert step(replace(case, court_also_allowed=True), "apply_to_court", D(2026, 9, 7)).state == "court_applied"


def test_the_court_s_ruling_is_recorded():
    """第五十七条、第五十八条: the court rules on the application; its ruling is recorded."""
    applied = step(court_case(), "apply_to_court", D(2026, 9, 7))
    v = refusal(applied, "record_court_ruling", D(2026, 10, 9), "enforcement.court.no_ruling")
    assert v.legal_basis == f"{LAW}第五十七条、第五十八条"
    ruled = replace(applied, court=replace(applied.court, ruling="granted", ruled_on=D(2026, 9, 14)))
    ruled = step(ruled, "record_court_ruling", D(2026, 10, 9))
    assert step(ruled, "close", D(2026, 10, 9)).state == "closed"


def test_an_unpaid_summary_penalty_goes_to_the_court_the_same_way():
    """行政处罚法第七十二条 with 行政强制法第五十三条、第五十四条: a summary decision handed over on the spot."""
    summary = BasisDecision(
        source="penalty.summary",
        obligation="payment",
        decided_on=RECEIVED,
        received_on=RECEIVED,
        performance_due=D(2026, 3, 19),
        principal_fen=20_000,
    )
    case = court_case(decision=summary)
    assert "enforcement.court.challenge_period_running" in codes(case, "apply_to_court", D(2026, 9, 4))
    assert step(case, "apply_to_court", D(2026, 9, 7)).state == "court_applied"


# --- the deadline list ----------------------------------------------------------------------------


def test_deadlines_flag_not_yet_and_overdue():
    case = demanded()
    windows, problems = enforcement_deadlines(case, calendar=CALENDAR, today=D(2026, 5, 12))
    assert problems == []
    by_code = {w.code: w for w in windows}
    demand = by_code["enforcement.deadline.demand"]
    assert (demand.closes, demand.overdue) == (D(2026, 5, 18), False)
    court = by_code["enforcement.deadline.court_application"]
    assert court.not_yet and court.opens == D(2026, 9, 5)
    later = {w.code: w for w in enforcement_deadlines(case, calendar=CALENDAR, today=D(2026, 12, 5))[0]}
    assert later["enforcement.deadline.court_application"].overdue
    assert later["enforcement.deadline.demand"].overdue
    own = {w.code: w for w in enforcement_deadlines(replace(case, **POWER), calendar=CALENDAR, today=D(2026, 4, 18))[0]}
    assert "enforcement.deadline.court_application" not in own
    assert own["enforcement.deadline.surcharge_30_days"].opens == D(2026, 4, 19)
    assert own["enforcement.deadline.surcharge_30_days"].not_yet


def test_a_parameter_without_a_value_becomes_a_problem_not_an_exception():
    old = replace(demanded(), decision=replace(DECISION, received_on=D(2010, 3, 4)))
    windows, problems = enforcement_deadlines(old, calendar=CALENDAR, today=D(2026, 5, 12))
    assert [p.code for p in problems] == ["parameter.missing.enforcement.challenge.litigation_months"]
    assert all(w.code != "enforcement.deadline.court_application" for w in windows)
    assert "parameter.missing.enforcement.challenge.litigation_months" in codes(
        replace(court_case(), decision=old.decision), "apply_to_court", D(2026, 9, 7)
    )


def test_enforcement_parameters_cite_their_basis_and_flag_the_unverified_ones():
    parameters = parameters_default()
    for name in parameters.names():
        if name.startswith("enforcement."):
            assert parameters[name].reference.strip(), name
    for name in ("enforcement.execution.night_hours", "enforcement.execution.weekend_is_holiday", "coercion.audio_video_required_steps"):
        assert parameters[name].unverified, name
    assert "《中华人民共和国" not in parameters["coercion.audio_video_required_steps"].reference  # a list, not a statute
    assert {"forced_demolition", "substitute_performance"} <= set(
        parameters.value("coercion.audio_video_required_steps", on=dt.date(2026, 1, 1))
    )
    assert dt.date(2012, 1, 1) <= min(p.start for p in parameters["enforcement.court.demand_wait_working_days"].periods)


def test_immediate_execution_does_not_shorten_the_demand_before_substitute_performance():
    """第五十条: 代履行 only after the 催告 went unheeded; 第三十七条第三款 (immediate execution on
    evidence of hidden assets) does not reach it. Found by the property test."""
    case = replace(
        substitute_case(),
        state="demanded",
        assets_being_hidden=True,
        execution_decision=replace(EXECUTION_DECISION, immediate=True),
    )
    v = refusal(case, "decide_substitute", D(2026, 5, 18), "enforcement.demand.deadline_running")
    assert v.legal_basis == f"{LAW}第三十七条第一款"
    assert step(case, "decide_substitute", D(2026, 5, 19)).state == "substitute_decided"


def test_a_day_of_an_unknown_holiday_schedule_is_refused_as_a_platform_rule():
    """第四十三条 cannot be checked on a day whose year has no holiday schedule yet: the platform
    refuses, and says that the refusal is its own rule, not the statute."""
    plan = ExecutionPlan(starts_at=at(D(2027, 1, 6), 10), ends_at=at(D(2027, 1, 6), 12))
    case = executing(plan=plan)
    v = refusal(case, "execute", D(2027, 1, 6), "enforcement.plan.holiday_schedule_unknown")
    assert "2027年节假日安排尚未录入" in v.message
    assert v.legal_basis.startswith("系统规则：") and "第四十三条" in v.legal_basis
    emergency = replace(plan, emergency=True, emergency_reason="堤坝险情")
    assert step(replace(case, plan=emergency), "execute", D(2027, 1, 6)).state == "executed"


def test_one_penalty_case_is_executed_by_one_open_enforcement_case():
    """A second enforcement case of the same penalty decision would demand, surcharge and execute the
    same fine again: the registration refuses it while the first is open (a platform rule)."""
    from sanxiang.procedure.enforcement.guards import penalty_case_already_executed

    (v,) = penalty_case_already_executed(open_cases=("乌市监强执〔2026〕3号",))
    assert v.code == "enforcement.parent.already_executed" and v.field == "parent"
    assert v.message.startswith("所属行政处罚案件已有办理中的强制执行案件（乌市监强执〔2026〕3号），不能重复登记")
    assert v.basis_kind == "platform" and v.legal_basis.startswith("系统规则：同一行政决定只由一件强制执行案件执行")
    assert penalty_case_already_executed(open_cases=()) == []

"""A legal test per rule of 行政强制法 第十七条至第三十三条 (legal_rules.md §3.2) for the compulsory
measures: each shows the block (code, Chinese message, basis), then the lawful path beside it, so
a guard that refused everything fails as surely as one that refused nothing."""

import datetime as dt
from dataclasses import replace

from sanxiang.procedure.coercion import (
    FREEZE,
    SEAL_SEIZURE,
    Examination,
    Extension,
    PropertyChecks,
    audio_video_missing,
    coercion_deadlines,
    measure_period_end,
)
from sanxiang.procedure.coercion.snapshot import examination_days_excluded
from sanxiang.procedure.engine import actions_available, procedure_problems
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from tests.procedure.coercion.builders import (
    LAW,
    TAKEN_AT,
    TAKEN_ON,
    by_code,
    codes,
    head,
    in_force,
    on_spot,
    proposed,
    refusal,
    step,
    taking,
)
from tests.procedure.test_penalty_support import CALENDAR, ZHANG, certificate, context, officer

D = dt.date
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def test_both_procedures_are_well_formed_and_every_step_cites_the_law():
    for procedure in (SEAL_SEIZURE, FREEZE):
        assert procedure_problems(procedure) == []
        for transition in procedure.transitions:
            assert transition.legal_basis.startswith(LAW), transition.name


# --- 第十八条第一项: prior approval ---------------------------------------------------------------


def test_a_measure_needs_the_heads_prior_approval():
    """第十八条第一项: 实施前须向行政机关负责人报告并经批准."""
    found = refusal(proposed(), "coercion_approve", TAKEN_ON)
    missing = by_code(found, "coercion.approval.missing")
    assert "须报经行政机关负责人批准" in missing.message
    assert missing.legal_basis == f"{LAW}第十八条第一项"
    refused = refusal(proposed(approval=head(approved=False)), "coercion_approve", TAKEN_ON)
    assert "不同意" in by_code(refused, "coercion.approval.refused").message
    # an approval given after the measure was carried out is no prior approval
    late = refusal(taking(approval=head(at=TAKEN_AT + HOUR)), "coercion_take", TAKEN_ON)
    assert "第十九条" in by_code(late, "coercion.approval.after_taking").legal_basis
    # lawful path
    approved = step(proposed(), "coercion_approve", TAKEN_ON, approval=head())
    assert approved.state == "approved"
    assert in_force().state == "in_force"


# --- 第十九条: emergency ----------------------------------------------------------------------------


def emergency(**overrides):
    values = dict(state="proposed", approval=None, emergency_reason="当事人正在转移涉案物品")
    return taking(**(values | overrides))


def test_an_emergency_measure_needs_a_reason_and_approval_within_24_hours_else_release():
    """第十九条: 情况紧急当场实施的，应当在二十四小时内向负责人报告并补办批准手续；负责人认为不应当
    采取的，应当立即解除."""
    no_reason = refusal(emergency(emergency_reason=""), "coercion_take_emergency", TAKEN_ON)
    assert by_code(no_reason, "coercion.emergency.reason_missing").legal_basis == f"{LAW}第十九条"
    taken = step(emergency(), "coercion_take_emergency", TAKEN_ON)
    assert taken.state == "emergency_taken"
    records = taken.records | {"emergency_report"}
    # no approval, two days later: refused, and told to release
    late = by_code(refusal(replace(taken, records=records), "coercion_confirm_emergency", TAKEN_ON + 2 * DAY),
                   "coercion.emergency.approval_missing")
    assert "应当立即解除" in late.message and late.legal_basis == f"{LAW}第十九条"
    # approved after 25 hours, or not approved: refused
    after = replace(taken, records=records, approval=head(at=TAKEN_AT + 25 * HOUR))
    assert "已超过二十四小时" in by_code(refusal(after, "coercion_confirm_emergency", TAKEN_ON + DAY),
                                       "coercion.emergency.approval_late").message
    refused = replace(taken, records=records, approval=head(at=TAKEN_AT + 2 * HOUR, approved=False))
    assert "立即解除" in by_code(refusal(refused, "coercion_confirm_emergency", TAKEN_ON),
                              "coercion.emergency.approval_refused").message
    # release is open in every one of these cases
    released = step(replace(refused, records=records | {"release_decision", "return_record"}), "coercion_release",
                    TAKEN_ON)
    assert released.state == "released"
    # an approval in time does not revive a measure whose period has run meanwhile: release
    expired = replace(taken, records=records, approval=head(at=TAKEN_AT + 2 * HOUR))
    assert "coercion.period.expired" in codes(refusal(expired, "coercion_confirm_emergency", TAKEN_ON + 31 * DAY))
    # lawful path: approved within 24 hours (23:59 later)
    ok = replace(taken, records=records, approval=head(at=TAKEN_AT + 23 * HOUR + 59 * dt.timedelta(minutes=1)))
    assert step(ok, "coercion_confirm_emergency", TAKEN_ON + DAY).state == "in_force"


def test_the_emergency_approval_deadline_shows_overdue_and_late():
    """第十九条: the 24 hours appear among the deadlines, overdue when nothing was approved."""
    taken = step(emergency(), "coercion_take_emergency", TAKEN_ON)
    deadlines, problems = coercion_deadlines(taken, calendar=CALENDAR, today=TAKEN_ON + 2 * DAY)
    assert problems == []
    due = next(d for d in deadlines if d.code == "coercion.deadline.emergency_approval")
    assert (due.due, due.state) == (TAKEN_ON + DAY, "overdue")
    late = replace(taken, approval=head(at=TAKEN_AT + 30 * HOUR))
    deadlines, _ = coercion_deadlines(late, calendar=CALENDAR, today=TAKEN_ON + 2 * DAY)
    due = next(d for d in deadlines if d.code == "coercion.deadline.emergency_approval")
    assert due.state == "met" and due.late


# --- 第十七条: no entrustment; qualified officers; 第十八条第二项: two of them ---------------------------


def test_an_entrusted_organisation_may_not_take_a_measure():
    """第十七条第一款: 行政强制措施权不得委托."""
    blocked = by_code(refusal(taking(agency_kind="entrusted_organization"), "coercion_take", TAKEN_ON),
                      "coercion.agency.entrusted")
    assert "不得委托" in blocked.message and blocked.legal_basis.startswith(f"{LAW}第十七条第一款")
    assert "coercion.agency.entrusted" not in codes(refusal(taking(), "coercion_take", TAKEN_ON))


def test_at_least_two_qualified_officers_carry_out_the_measure():
    """第十七条第三款、第十八条第二项: 由两名以上具备资格的行政执法人员实施；every reason is listed."""
    expired = officer(2, "李四", certificates=(certificate(id=2, valid_to=TAKEN_ON - DAY),))
    found = refusal(taking(officers=(ZHANG, expired), on_spot=on_spot(officer_ids=(1, 2, 99))), "coercion_take",
                    TAKEN_ON)
    too_few = by_code(found, "coercion.officers.too_few")
    assert "不少于2名" in too_few.message and "现为1名" in too_few.message
    assert too_few.legal_basis.startswith(f"{LAW}第十七条第三款、第十八条第二项")
    certificate_problem = by_code(found, "coercion.officers.no_valid_certificate")
    assert "李四" in certificate_problem.message and "已于2026-03-01到期" in certificate_problem.message
    assert "99" in by_code(found, "coercion.officers.not_assigned").message
    # lawful path: the two assigned officers with valid certificates
    assert not [c for c in codes(refusal(taking(), "coercion_take", TAKEN_ON)) if c.startswith("coercion.officers")]


# --- 第十八条第三项至第九项: on the spot ---------------------------------------------------------------


def test_the_on_spot_procedure_lists_every_missing_step():
    """第十八条第三项至第八项: 出示证件、通知到场、告知理由依据和权利救济、听取陈述申辩、现场笔录由当事人
    和执法人员签名（拒绝的注明）."""
    bare = on_spot(certificates_shown=False, party_notified=False, told_reasons_and_basis=False,
                   told_rights_and_remedies=False, party_heard=False, officers_signed=False, party_signed=False)
    found = refusal(taking(on_spot=bare), "coercion_take", TAKEN_ON)
    expected = {
        "coercion.on_spot.certificates": "第十八条第三项",
        "coercion.on_spot.party_notified": "第十八条第四项",
        "coercion.on_spot.told_reasons": "第十八条第五项",
        "coercion.on_spot.told_remedies": "第十八条第五项",
        "coercion.on_spot.party_heard": "第十八条第六项",
        "coercion.on_spot.officers_signed": "第十八条第七项至第九项",
        "coercion.on_spot.party_signature": "第十八条第七项至第九项",
    }
    for code, article in expected.items():
        assert by_code(found, code).legal_basis == f"{LAW}{article}"
    assert "拒绝的，须在笔录中注明" in by_code(found, "coercion.on_spot.party_signature").message
    # a refusal to sign that is noted in the record is lawful
    noted = on_spot(party_signed=False, party_refusal_noted=True)
    assert step(taking(on_spot=noted), "coercion_take", TAKEN_ON).state == "in_force"


def test_an_absent_party_needs_a_witness():
    """第十八条第九项: 当事人不到场的，邀请见证人到场，由见证人和执法人员在现场笔录上签名."""
    absent = on_spot(party_present=False, party_heard=False, party_signed=False)
    witness = by_code(refusal(taking(on_spot=absent), "coercion_take", TAKEN_ON), "coercion.on_spot.witness")
    assert "见证人" in witness.message and witness.legal_basis == f"{LAW}第十八条第七项至第九项"
    with_witness = on_spot(party_present=False, party_heard=False, party_signed=False, witness_name="村委会主任赵某")
    assert step(taking(on_spot=with_witness), "coercion_take", TAKEN_ON).state == "in_force"


# --- 第二十三条: what may be sealed or seized --------------------------------------------------------


def test_only_property_related_to_the_case_no_daily_necessities_no_double_seal():
    """第二十三条: 限于涉案的场所、设施或者财物；不得查封、扣押生活必需品；不得重复查封."""
    found = refusal(taking(property_checks=PropertyChecks()), "coercion_take", TAKEN_ON)
    for code, words in (("related", "与违法行为有关"), ("daily_necessities", "生活必需品"), ("already_sealed", "重复查封")):
        violation = by_code(found, f"coercion.property.{code}")
        assert words in violation.message and violation.legal_basis == f"{LAW}第二十三条"
    assert step(taking(), "coercion_take", TAKEN_ON).state == "in_force"


# --- 第二十四条: decision and inventory handed over on the spot ------------------------------------------


def test_the_decision_and_inventory_are_handed_over_on_the_spot_with_every_element():
    """第二十四条: 当场交付查封、扣押决定书和清单；决定书载明当事人、理由依据期限、物品、救济途径、机关
    名称印章日期."""
    found = refusal(taking(documents_handed_over=False, decision_elements=frozenset({"party"})), "coercion_take",
                    TAKEN_ON)
    handed = by_code(found, "coercion.decision.not_handed_over")
    assert "当场交付" in handed.message and handed.legal_basis == f"{LAW}第二十四条第一款"
    elements = by_code(found, "coercion.decision.elements_missing")
    assert "期限" in elements.message and elements.legal_basis == f"{LAW}第二十四条第二款"
    no_records = refusal(taking(records=frozenset({"approval_form", "audio_video_seizure"})), "coercion_take", TAKEN_ON)
    assert {"coercion.record_missing.measure_decision", "coercion.record_missing.inventory",
            "coercion.record_missing.on_site_record"} <= set(codes(no_records))
    assert in_force().state == "in_force"


# --- 音像记录事项清单 (118号): a list, not a statute -------------------------------------------------------


def test_a_seizure_is_refused_until_its_audio_video_record_is_linked_citing_the_list():
    """国办发〔2018〕118号 and the local 音像记录事项清单: 查封扣押财产 needs a whole-process audio-video
    record. The refusal cites the list, never a statute article."""
    found = refusal(taking(records=taking().records - {"audio_video_seizure"}), "coercion_take", TAKEN_ON)
    missing = by_code(found, "coercion.audio_video.missing.seizure")
    assert "音像记录事项清单" in missing.message
    assert "118号" in missing.legal_basis and "音像记录事项清单" in missing.legal_basis
    assert "法》第" not in missing.legal_basis  # not a statute
    assert missing.legal_basis == parameters_default()["coercion.audio_video_required_steps"].reference
    # the emergency path is held to the same list
    emergency_found = refusal(emergency(records=taking().records - {"audio_video_seizure"}),
                              "coercion_take_emergency", TAKEN_ON)
    assert "coercion.audio_video.missing.seizure" in codes(emergency_found)
    # lawful path: the file is linked
    assert in_force().state == "in_force"


def test_the_audio_video_list_is_a_regional_and_sector_parameter():
    """The list varies by region and sector: a county that adds 冻结 gets it enforced, with its own
    reference; a sector that drops 扣押 does not."""
    local = parameters_default().with_overrides({
        "coercion.audio_video_required_steps": [
            ParameterPeriod(D(2024, 1, 1), ["seal_up", "seizure", "freeze"], region="150626",
                            reference="某县音像记录事项清单（2024）"),
            ParameterPeriod(D(2024, 1, 1), ["seal_up"], region="15", sector="market",
                            reference="某省市场监管音像记录事项清单"),
        ]
    })
    freeze = taking("freeze")
    found = refusal(freeze, "coercion_take", TAKEN_ON, parameters=local)
    assert by_code(found, "coercion.audio_video.missing.freeze").legal_basis == "某县音像记录事项清单（2024）"
    assert "coercion.audio_video.missing.freeze" not in codes(refusal(freeze, "coercion_take", TAKEN_ON))
    # the execution engine asks the same list about its own steps (强制拆除 by default)
    demolition = audio_video_missing(step="forced_demolition", records=frozenset(), on=TAKEN_ON)
    assert codes(demolition) == ["coercion.audio_video.missing.forced_demolition"]
    assert audio_video_missing(step="forced_demolition", records={"audio_video_forced_demolition"}, on=TAKEN_ON) == []
    elsewhere = taking(region="152501", records=taking().records - {"audio_video_seizure"})
    assert "coercion.audio_video.missing.seizure" not in codes(
        refusal(elsewhere, "coercion_take", TAKEN_ON, parameters=local))


# --- 第二十五条: 30 days, one extension, testing excluded -----------------------------------------------


def test_the_period_is_30_days_from_the_day_after_taking_plus_notified_testing_time():
    """第二十五条第一款、第三款: 不得超过三十日；检测期间不计入，须书面告知当事人."""
    measure = in_force()
    end = measure_period_end(measure, context(TAKEN_ON))
    assert end.date == TAKEN_ON + 30 * DAY and "第二十五条第一款" in end.basis
    told = replace(measure, examinations=(Examination(D(2026, 3, 5), D(2026, 3, 9), notified_on=D(2026, 3, 5)),))
    assert measure_period_end(told, context(TAKEN_ON)).date == TAKEN_ON + 35 * DAY
    untold = replace(measure, examinations=(Examination(D(2026, 3, 5), D(2026, 3, 9)),))
    assert measure_period_end(untold, context(TAKEN_ON)).date == TAKEN_ON + 30 * DAY


def test_examination_days_are_counted_once_and_only_after_the_taking():
    """第二十五条第三款: the notified examination days are kept out of the period. Two examinations
    over the same days (a test and a quarantine of one batch, or one entered twice) keep those days
    out once; the day of the taking is not in the period, so an examination begun that day adds
    nothing for it."""
    measure = in_force()
    told = TAKEN_ON + 3 * DAY
    first = Examination(TAKEN_ON + 3 * DAY, TAKEN_ON + 12 * DAY, notified_on=told)  # 10 days
    overlapping = Examination(TAKEN_ON + 8 * DAY, TAKEN_ON + 17 * DAY, notified_on=told)  # 5 more days
    assert examination_days_excluded((first, first, overlapping), taken_on=TAKEN_ON) == 15
    merged = replace(measure, examinations=(first, first, overlapping))
    end = measure_period_end(merged, context(TAKEN_ON))
    # 30 + 15 days from Mon 03-02 is Thu 04-16.
    assert end.date == TAKEN_ON + 45 * DAY and "共15日，重叠的日期只计一次" in end.basis
    # Begun on the day of the taking (Mon 03-02, not counted anyway): 03-03 to 03-04 count.
    same_day = Examination(TAKEN_ON, TAKEN_ON + 2 * DAY, notified_on=TAKEN_ON)
    assert examination_days_excluded((same_day,), taken_on=TAKEN_ON) == 2
    # An examination the party was not told of in writing counts for nothing.
    assert examination_days_excluded((replace(first, notified_on=None),), taken_on=TAKEN_ON) == 0
    # Apart, both count in full.
    apart = Examination(TAKEN_ON + 20 * DAY, TAKEN_ON + 21 * DAY, notified_on=told)
    assert examination_days_excluded((first, apart), taken_on=TAKEN_ON) == 12


def extension(**overrides) -> Extension:
    values = dict(decided_on=TAKEN_ON + 25 * DAY, days=30, reason="需鉴定的物品较多，情况复杂", approved_by_head=True,
                  notice_served_on=TAKEN_ON + 25 * DAY)
    return Extension(**(values | overrides))


def test_one_extension_of_at_most_30_days_with_approval_and_written_notice():
    """第二十五条第一款: 情况复杂的，经负责人批准可以延长，但延长期限不得超过三十日；延长决定应当及时
    书面告知当事人，并说明理由."""
    measure = replace(in_force(), records=in_force().records | {"extension_approval", "extension_notice"})
    day = TAKEN_ON + 25 * DAY
    found = refusal(replace(measure, extension=extension(days=31, reason="", approved_by_head=False,
                                                         notice_served_on=None)), "coercion_extend", day)
    assert "不得超过30日），现为31日" in by_code(found, "coercion.extension.too_long").message
    for code in ("reason_missing", "head_approval_missing", "notice_missing"):
        assert by_code(found, f"coercion.extension.{code}").legal_basis == f"{LAW}第二十五条第一款"
    # after the period has run, no extension: release
    late_day = TAKEN_ON + 31 * DAY
    late = refusal(replace(measure, extension=extension(decided_on=late_day)), "coercion_extend", late_day)
    assert "只能作出解除决定" in by_code(late, "coercion.period.expired").message
    assert "coercion.extension.after_period" in codes(late)
    # lawful path, and the new end; a second extension does not exist
    extended = step(measure, "coercion_extend", day, extension=extension())
    assert measure_period_end(extended, context(day)).date == TAKEN_ON + 60 * DAY
    again = refusal(extended, "coercion_extend", day + DAY)
    assert "coercion.wrong_state" in codes(again)


# --- 第二十七条、第二十八条: decide before the end; an expired measure must be released --------------------


def test_an_expired_measure_is_overdue_and_release_is_the_only_step_left():
    """第二十七条: 在查封、扣押期限内作出处理决定；第二十八条第一款第四项: 期限已经届满的，应当解除."""
    records = {"confiscation_decision", "destruction_record", "release_decision", "return_record",
               "extension_approval", "extension_notice"}
    measure = replace(in_force(), records=in_force().records | records)
    last_day, after = TAKEN_ON + 30 * DAY, TAKEN_ON + 31 * DAY
    assert step(measure, "coercion_confiscate", last_day).state == "confiscated"  # on the last day: lawful
    blocked = by_code(refusal(measure, "coercion_confiscate", after), "coercion.period.expired")
    assert "2026-04-01届满" in blocked.message
    assert "第二十八条第一款第四项" in blocked.legal_basis
    allowed = [s.action for s in actions_available(SEAL_SEIZURE, measure,
                                                   context=context(after), from_current_state_only=True) if s.allowed]
    assert allowed == ["coercion_release"]
    deadlines, _ = coercion_deadlines(measure, calendar=CALENDAR, today=after)
    period = next(d for d in deadlines if d.code == "coercion.deadline.period")
    assert (period.due, period.state) == (last_day, "overdue")
    released = step(measure, "coercion_release", after)
    deadlines, _ = coercion_deadlines(replace(released, ended_on=after), calendar=CALENDAR,
                                      today=after)
    period = next(d for d in deadlines if d.code == "coercion.deadline.period")
    assert period.state == "met" and period.late


# --- 第三十条至第三十三条: 冻结 ---------------------------------------------------------------------------


def test_a_freeze_decision_is_delivered_within_3_working_days_and_decided_within_30_days():
    """第三十一条第一款、第六十九条: 三日（工作日）内交付冻结决定书；第三十二条: 三十日内作出处理决定
    或者解除冻结决定；第三十三条第一款第四项: 期限届满应当解除."""
    friday = D(2026, 3, 6)
    freeze = in_force("freeze", taken_at=dt.datetime(2026, 3, 6, 10, 0), on_spot=on_spot(on=friday),
                      approval=head(at=dt.datetime(2026, 3, 6, 9, 0)))
    deadlines, problems = coercion_deadlines(freeze, calendar=CALENDAR, today=D(2026, 3, 12))
    assert problems == []
    delivery = next(d for d in deadlines if d.code == "coercion.deadline.freeze_decision_delivery")
    assert delivery.due == D(2026, 3, 11)  # Mon, Tue, Wed
    assert delivery.state == "overdue" and "第三十一条第一款、第六十九条" in delivery.basis
    delivered = replace(freeze, freeze_decision_delivered_on=D(2026, 3, 10))
    deadlines, _ = coercion_deadlines(delivered, calendar=CALENDAR, today=D(2026, 3, 12))
    assert next(d for d in deadlines if d.code == "coercion.deadline.freeze_decision_delivery").state == "met"
    handled = replace(delivered, records=delivered.records | {"freeze_decision_receipt", "handling_decision"})
    # 30 days from Friday 2026-03-06 end on Sunday 2026-04-05: by the general rule (民法典第二百零三条,
    # the default) the last day is the next working day, Monday 04-06 on the tests' weekday calendar.
    assert step(handled, "coercion_handle", D(2026, 4, 6)).state == "handled"
    expired = by_code(refusal(handled, "coercion_handle", D(2026, 4, 7)), "coercion.period.expired")
    assert "第三十三条第一款第四项" in expired.legal_basis and "2026-04-06" in expired.message
    # A deployment that counts strictly (coercion.period_end_rolls_past_rest_days = false) ends on 04-05.
    strict = parameters_default().with_overrides(
        {"coercion.period_end_rolls_past_rest_days": [ParameterPeriod(D(2020, 1, 1), False)]}
    )
    by_code(refusal(handled, "coercion_handle", D(2026, 4, 6), parameters=strict), "coercion.period.expired")
    assert step(handled, "coercion_handle", friday + 30 * DAY).state == "handled"


def test_a_freeze_needs_the_decision_elements_and_cannot_be_confiscated():
    """第三十一条第二款: what the 冻结决定书 states; 第三十条第一款: certificates shown and 现场笔录."""
    found = refusal(taking("freeze", decision_elements=frozenset(), on_spot=on_spot(certificates_shown=False)),
                    "coercion_take", TAKEN_ON)
    assert by_code(found, "coercion.decision.elements_missing").legal_basis == f"{LAW}第三十一条第二款"
    assert "第三十条第一款" in by_code(found, "coercion.on_spot.certificates").legal_basis
    assert [t.name for t in FREEZE.transitions if t.target in ("confiscated", "destroyed")] == []
    # lawful path: the party need not attend a freeze at the bank (第三十条 omits 第十八条第四至六项)
    absent = on_spot(party_present=False, party_notified=False, party_heard=False, party_signed=False)
    assert step(taking("freeze", on_spot=absent), "coercion_take", TAKEN_ON).state == "in_force"

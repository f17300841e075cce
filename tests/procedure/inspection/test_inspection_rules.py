"""Carrying out an administrative inspection (行政检查, issue 17 part B), walked through the engine:
each refusal shows its basis, its message and the lawful path (海南省涉企行政检查条例（试行） 第十五条
approval, 第十八条 two officers with certificates (行政处罚法 第四十二条), 第十条 备案 of a special
inspection, 第九条/第十二条 the yearly cap); every reason at once; the off-site check first
(第十六条); the result on the spot or within 5 working days of the tests (第二十二条); the 20
working days of the 结果公告; the high-frequency alert; counting in the statistics."""

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.engine import action_check, evaluate
from sanxiang.procedure.inspection.procedures import INSPECTION
from sanxiang.procedure.inspection.rules import (
    ChecklistEntry,
    HeadApproval,
    InspectionRecord,
    InspectionSnapshot,
    ItemRef,
    OffsiteCheck,
    PriorInspection,
    ResultNotice,
    cap_status,
    counting_problems,
    frequency_alert,
    publication_due,
    result_due,
    result_lateness,
)
from sanxiang.procedure.inspection.steps import inspection_step
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.steps import Draft
from tests.procedure.test_penalty_support import (
    CALENDAR,
    FIELD,
    LI,
    ZHANG,
    ZHAO,
    certificate,
    context,
    officer,
)

D = dt.date
DAY = D(2026, 3, 4)  # a Wednesday
HAINAN = "《海南省涉企行政检查条例（试行）》"
BODY = 10
FOOD = ItemRef(1, "食品经营许可情况检查", "《中华人民共和国食品安全法》", BODY)
LABELS = ItemRef(2, "标签标识检查", "《中华人民共和国产品质量法》", BODY, offsite_possible=True)


def assigned(**overrides) -> InspectionSnapshot:
    values = dict(
        state="assigned", records=frozenset(), kind="routine", trigger="random", planned_on=DAY, target_id=100,
        body_ids=(BODY,), items=(FOOD,), officers=(ZHANG, LI), enforcement_field=FIELD, region="150626",
        sector=FIELD, body_names=((BODY, "县市场监管局"),),
    )
    return InspectionSnapshot(**(values | overrides))


def step(snapshot: InspectionSnapshot, action: str, data: dict, *, actor: str = "王局长", today: dt.date = DAY):
    """Run a step the way the service will: apply the form, then let the engine decide."""
    draft = Draft(snapshot=snapshot, details={}, context=context(today), actor_name=actor)
    inspection_step(action).apply(draft, data)
    after = replace(draft.snapshot, records=draft.snapshot.records | frozenset(draft.records))
    return after, draft.violations + evaluate(INSPECTION, after, action, context=context(today))


def approved(**overrides) -> InspectionSnapshot:
    after, violations = step(assigned(**overrides), "inspection_approve", {"approval": "agree"})
    assert violations == []
    return replace(after, state=action_check(INSPECTION, after, "inspection_approve", context=context(DAY)))


def started(**overrides) -> InspectionSnapshot:
    """Approved, and the visit begun (开始现场检查)."""
    snapshot = approved(**overrides)
    assert evaluate(INSPECTION, snapshot, "inspection_start", context=context(DAY)) == []
    return replace(snapshot, state="in_progress")


CHECKLIST = [{"item_id": FOOD.id, "point": "许可证在有效期内", "finding": "pass"}]
VISIT = {"officer_ids": [ZHANG.id, LI.id], "certificates_shown": True, "checklist": CHECKLIST, "photos": 1,
         "enterprise_signed": True, "on": DAY}


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def test_the_procedure_walks_to_closed():
    snapshot, violations = step(started(), "inspection_record", VISIT)
    assert violations == []
    snapshot = replace(snapshot, state="recorded")
    snapshot, violations = step(snapshot, "inspection_send_result", {"outcome": "pass", "sent_on": DAY})
    assert violations == []
    assert action_check(INSPECTION, snapshot, "inspection_send_result", context=context(DAY)) == "closed"
    assert counting_problems(replace(snapshot, state="closed")) == []


def test_no_approval_is_refused_with_its_basis_and_the_path():
    # 海南 第十五条: the head approves the inspection plan beforehand. The path: ask the head.
    snapshot = replace(assigned(state="in_progress"), records=frozenset({"approval_form"}))
    snapshot, violations = step(snapshot, "inspection_record", VISIT)
    [refusal] = [v for v in violations if v.code == "inspection.approval.missing"]
    assert refusal.legal_basis.startswith(f"{HAINAN}第十五条")
    assert "待核实" not in refusal.legal_basis
    assert "负责人批准" in refusal.message and "请先报负责人审批" in refusal.message
    # The head's refusal is no approval either; the approval then lets the visit through.
    _, violations = step(assigned(), "inspection_approve", {"approval": "disagree", "reason": "检查事项重复"})
    assert "inspection.approval.refused" in codes(violations)
    _, violations = step(started(), "inspection_record", VISIT)
    assert violations == []


def test_one_officer_is_refused():
    # 行政处罚法 第四十二条、第五十五条; 海南 第十八条: at least two officers. The path: assign another.
    _, violations = step(started(), "inspection_record", VISIT | {"officer_ids": [ZHANG.id]})
    [refusal] = [v for v in violations if v.code == "inspection.officers.too_few"]
    assert "《中华人民共和国行政处罚法》第四十二条" in refusal.legal_basis and f"{HAINAN}第十八条" in refusal.legal_basis
    assert "不少于2名" in refusal.message and "现为1名" in refusal.message and "请再指派" in refusal.message
    # At approval too, the officers assigned must be two.
    _, violations = step(assigned(officers=(ZHANG,)), "inspection_approve", {"approval": "agree"})
    assert "inspection.officers.too_few" in codes(violations)
    # The same visit with a second officer passes.
    _, violations = step(started(), "inspection_record", VISIT | {"officer_ids": [ZHANG.id, LI.id]})
    assert violations == []


def test_an_expired_certificate_is_refused_and_named():
    expired = officer(LI.id, "李四", certificates=(certificate(id=2, number="150626200002", valid_to=D(2026, 3, 1)),))
    # Assigned and approved while valid; the certificate has run out by the visit.
    _, violations = step(replace(started(), officers=(ZHANG, expired)), "inspection_record", VISIT)
    assert codes(violations)[:2] == ["inspection.officers.too_few", "inspection.officers.no_valid_certificate"]
    named = violations[1]
    assert "李四" in named.message and "已于2026-03-01到期" in named.message and "不得实施行政检查" in named.message
    assert named.legal_basis == "《中华人民共和国行政处罚法》第四十二条"
    # The lawful path: another officer with a valid certificate (赵五).
    _, violations = step(replace(started(), officers=(ZHANG, expired, ZHAO)), "inspection_record",
                         VISIT | {"officer_ids": [ZHANG.id, ZHAO.id]})
    assert violations == []


def test_over_the_cap_is_refused_but_a_complaint_check_is_not():
    # The yearly cap per enterprise and body (海南 第九条、第十二条; 国办发〔2024〕54号), a parameter (2).
    prior = (PriorInspection(1, BODY, D(2026, 1, 10), "planned"), PriorInspection(2, BODY, D(2026, 2, 10), "random"),
             PriorInspection(3, BODY, D(2026, 2, 20), "complaint"), PriorInspection(4, BODY, D(2025, 5, 1), "planned"),
             PriorInspection(5, 11, D(2026, 2, 1), "planned"))
    _, violations = step(assigned(prior=prior), "inspection_approve", {"approval": "agree"})
    [refusal] = violations
    assert refusal.code == "inspection.cap_exceeded"
    assert f"{HAINAN}第九条、第十二条" in refusal.legal_basis and "待核实" not in refusal.legal_basis
    assert "县市场监管局2026年对该企业的检查已达2次" in refusal.message
    assert "综合查一次" in refusal.message and "下一年度" in refusal.message and "投诉举报" in refusal.message
    # Outside the cap: a check on a complaint, still counted in the total.
    _, violations = step(assigned(prior=prior, trigger="complaint"), "inspection_approve", {"approval": "agree"})
    assert violations == []
    status = cap_status(prior=prior, body_id=BODY, trigger="complaint", on=DAY)
    assert (status.counted, status.total, status.outside_cap) == (2, 3, True)
    # A sector's own cap (a parameter by sector) lets a third one through.
    parameters = parameters_default().with_overrides(
        {"inspection.yearly_cap": [ParameterPeriod(D(2026, 1, 1), 3, sector=FIELD)]})
    assert evaluate(INSPECTION, replace(assigned(prior=prior), approval=HeadApproval("王局长", DAY, True),
                                         records=frozenset({"approval_form"})),
                    "inspection_approve", context=context(DAY, parameters=parameters)) == []


def test_a_special_inspection_needs_its_filing():
    # 海南 第十条: 专项检查 approved and filed (备案) before it starts.
    _, violations = step(assigned(kind="special", trigger="special"), "inspection_approve", {"approval": "agree"})
    assert {"inspection.special.not_filed", "inspection.record_missing.special_filing"} <= set(codes(violations))
    assert all(v.legal_basis == f"{HAINAN}第十条" for v in violations)
    snapshot = assigned(kind="special", trigger="special", special_filed_on=D(2026, 3, 2),
                        records=frozenset({"special_filing"}))
    assert step(snapshot, "inspection_approve", {"approval": "agree"})[1] == []


def test_the_visit_begins_only_within_the_approved_period():
    snapshot = approved(planned_to=D(2026, 3, 6))
    assert evaluate(INSPECTION, snapshot, "inspection_start", context=context(D(2026, 3, 6))) == []
    [late] = evaluate(INSPECTION, snapshot, "inspection_start", context=context(D(2026, 3, 9)))
    assert late.code == "inspection.outside_period" and late.legal_basis.startswith("平台规则")
    assert "重新报负责人批准" in late.message
    # The day before the period (and before the approval itself): both reasons.
    assert codes(evaluate(INSPECTION, snapshot, "inspection_start", context=context(D(2026, 3, 3)))) == [
        "inspection.approval.future", "inspection.outside_period"]


def test_every_reason_is_reported_at_once():
    expired = officer(LI.id, "李四", certificates=(certificate(id=2, number="150626200002", valid_to=D(2026, 3, 1)),))
    snapshot = replace(assigned(state="in_progress", officers=(ZHANG, expired), items=(FOOD, LABELS)),
                       prior=(PriorInspection(1, BODY, D(2026, 1, 10), "planned"),
                              PriorInspection(2, BODY, D(2026, 2, 10), "planned")))
    _, violations = step(snapshot, "inspection_record", VISIT | {"officer_ids": [ZHANG.id], "photos": 0,
                                                                 "certificates_shown": False})
    assert set(codes(violations)) >= {
        "inspection.approval.missing", "inspection.officers.too_few", "inspection.certificates_not_shown",
        "inspection.offsite_first", "inspection.checklist.item_missing", "inspection.record.no_media",
        "inspection.cap_exceeded", "inspection.record_missing.photo_or_audio_video",
    }


def test_offsite_first_where_the_item_allows():
    # 优化营商环境条例 第五十六条; 海南 第十六条 (a parameter): the visit follows an off-site check.
    snapshot = approved(items=(LABELS,))
    visit = VISIT | {"checklist": [{"item_id": LABELS.id, "point": "标签", "finding": "fail"}]}
    [refusal] = evaluate(INSPECTION, snapshot, "inspection_start", context=context(DAY))
    _, violations = step(replace(snapshot, state="in_progress"), "inspection_record", visit)
    assert violations == [refusal]
    assert refusal.code == "inspection.offsite_first" and "第十六条" in refusal.legal_basis
    assert "须先进行书面核查" in refusal.message
    insufficient = replace(snapshot, offsite=OffsiteCheck(D(2026, 3, 2), "written", sufficient=False))
    assert evaluate(INSPECTION, insufficient, "inspection_start", context=context(DAY)) == []
    insufficient = replace(insufficient, state="in_progress")
    assert step(insufficient, "inspection_record", visit)[1] == []
    # When the off-site check reached its purpose, the inspection ends there, without a visit.
    done = replace(snapshot, offsite=OffsiteCheck(D(2026, 3, 2), "written", sufficient=True),
                   records=snapshot.records | {"offsite_record"})
    assert codes(evaluate(INSPECTION, done, "inspection_start", context=context(DAY))) == ["inspection.offsite_sufficient"]
    assert evaluate(INSPECTION, done, "inspection_conclude_offsite", context=context(DAY)) == []
    # An item that cannot be checked off-site cannot end there.
    mixed = replace(done, items=(FOOD, LABELS))
    assert "inspection.offsite.items" in codes(evaluate(INSPECTION, mixed, "inspection_conclude_offsite",
                                                        context=context(DAY)))


def test_one_record_for_a_combined_visit():
    # 综合查一次 (海南 第十一条): one visit, one record covering the items of two bodies; the second body
    # takes part with its head's approval (第十五条) and two officers of its own (行政处罚法 第四十二条).
    health = ItemRef(3, "公共场所卫生检查", "《公共场所卫生管理条例》", 11)
    qian = officer(4, "钱六")
    two_bodies = dict(body_ids=(BODY, 11), items=(FOOD, health), officers=(ZHANG, LI, ZHAO, qian),
                      officer_bodies=((1, BODY), (2, BODY), (3, 11), (4, 11)))
    unapproved = assigned(**two_bodies)
    _, violations = step(unapproved, "inspection_approve", {"approval": "agree"})
    assert codes(violations) == ["inspection.joint.not_approved"] and "第十五条" in violations[0].legal_basis
    snapshot = started(**two_bodies, joined=((11, HeadApproval("卫健局长", DAY, True)),))
    visit = VISIT | {"officer_ids": [1, 2, 3, 4]}
    _, violations = step(snapshot, "inspection_record", visit)
    [missing] = violations
    assert missing.code == "inspection.checklist.item_missing" and "公共场所卫生检查" in missing.message
    assert "第十一条" in missing.legal_basis
    both = visit | {"checklist": [*CHECKLIST, {"item_id": 3, "point": "卫生许可", "finding": "pass"}]}
    assert step(snapshot, "inspection_record", both)[1] == []
    # the second body's officers must be there: without them its part has too few
    _, violations = step(snapshot, "inspection_record", both | {"officer_ids": [1, 2]})
    assert codes(violations) == ["inspection.officers.too_few"] and violations[0].message.startswith("本检查主体：")


def test_the_result_on_the_spot_or_within_five_working_days_of_the_tests():
    # 海南 第二十二条 (a parameter: 5 working days).
    assert result_due(record_on=DAY, needs_testing=False, test_results_on=None, calendar=CALENDAR)[0] == DAY
    assert result_due(record_on=DAY, needs_testing=True, test_results_on=None, calendar=CALENDAR)[0] is None
    due, basis = result_due(record_on=DAY, needs_testing=True, test_results_on=D(2026, 3, 13), calendar=CALENDAR)
    assert due == D(2026, 3, 20) and basis.startswith(f"{HAINAN}第二十二条")
    snapshot, _ = step(started(), "inspection_record", VISIT | {"needs_testing": True})
    snapshot = replace(snapshot, state="recorded")
    sent, violations = step(snapshot, "inspection_send_result", {"outcome": "rectify", "sent_on": DAY}, today=DAY)
    assert {"inspection.result.tests_pending", "inspection.result.findings",
            "inspection.result.rectification_due"} <= set(codes(violations))
    late = {"outcome": "rectify", "findings": "标签不合格", "sent_on": D(2026, 3, 23),
            "test_results_on": D(2026, 3, 13), "rectification_due": D(2026, 4, 30)}
    sent, violations = step(snapshot, "inspection_send_result", late, today=D(2026, 3, 23))
    assert violations == []  # lateness does not stop the enterprise from being told
    lateness = result_lateness(sent, context(D(2026, 3, 23)))
    assert lateness is not None and "2026-03-20" in lateness.message


def test_random_results_are_published_within_twenty_working_days():
    due, basis = publication_due(ended_on=DAY, calendar=CALENDAR)
    assert due == D(2026, 4, 1) and basis.startswith("《优化营商环境条例》第五十四条")


def test_high_frequency_is_an_alert_not_a_refusal():
    visits = [PriorInspection(i, BODY + i % 2, DAY - dt.timedelta(days=20 * i), "complaint") for i in range(4)]
    alert = frequency_alert(target_id=100, inspections=visits, on=DAY)
    assert alert is not None and alert.inspections == 4 and alert.basis.startswith("平台规则")
    assert frequency_alert(target_id=100, inspections=visits[:3], on=DAY) is None


def test_counting_needs_an_object_and_a_complete_record():
    snapshot = assigned(state="closed", target_id=None)
    assert codes(counting_problems(snapshot)) == ["inspection.count.no_object", "inspection.count.incomplete"]
    record = InspectionRecord(DAY, (1, 2), True, (ChecklistEntry(1, "许可", "pass"),), photos=1, enterprise_signed=True)
    complete = assigned(state="closed", record=record, result=ResultNotice(DAY, "pass"),
                        records=frozenset({"on_site_record", "result_notice"}))
    assert counting_problems(complete) == []


@settings(max_examples=60, deadline=None)
@given(
    cap=st.integers(min_value=1, max_value=4),
    triggers=st.lists(st.sampled_from(["planned", "random", "special", "complaint", "referral", "follow_up",
                                       "requested"]), max_size=10),
)
def test_the_cap_property(cap, triggers):
    """Taking inspections one after another, the engine lets through exactly the cap of counted
    ones per year and body, and every inspection outside the cap."""
    parameters = parameters_default().with_overrides(
        {"inspection.yearly_cap": [ParameterPeriod(D(2026, 1, 1), cap)]})
    outside = set(parameters.value("inspection.triggers_outside_cap", on=DAY))
    prior: list[PriorInspection] = []
    counted = 0
    for index, trigger in enumerate(triggers):
        on = D(2026, 1 + index, 5)
        snapshot = replace(assigned(trigger=trigger, planned_on=on, prior=tuple(prior)),
                           approval=HeadApproval("王局长", on, True), records=frozenset({"approval_form"}))
        violations = evaluate(INSPECTION, snapshot, "inspection_approve", context=context(on, parameters=parameters))
        allowed = trigger in outside or counted < cap
        assert (violations == []) == allowed, (trigger, counted, violations)
        if allowed:
            prior.append(PriorInspection(index, BODY, on, trigger))
            counted += trigger not in outside
        assert counted <= cap
    assert cap_status(prior=prior, body_id=BODY, trigger="planned", on=D(2026, 12, 31), parameters=parameters).total == len(prior)

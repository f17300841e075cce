"""The engine's side of 紧急情况先行检查 (《海南省涉企行政检查条例（试行）》第十五条), pure Python, no
database: beginning before the approval is allowed exactly when an emergency is stated and the
inspection is neither a 专项检查 (第十条) nor a 双随机 check (platform rule); once begun, the visit's
record does not wait for the approval (事后补办), while without an emergency it does."""

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.inspection.rules import (
    EmergencyStart,
    HeadApproval,
    emergency_approval_due,
    emergency_approval_lateness,
)
from tests.procedure.inspection.test_inspection_rules import DAY, VISIT, assigned, codes, started, step
from tests.procedure.test_penalty_support import context

TRIGGERS = st.sampled_from(["random", "planned", "special", "complaint", "referral", "follow_up", "requested"])
KINDS = st.sampled_from(["routine", "case", "special"])
REASONS = st.sampled_from(["", "   ", "冷库氨气泄漏，须立即检查"])


@settings(max_examples=60, deadline=None)
@given(trigger=TRIGGERS, kind=KINDS, reason=REASONS)
def test_an_emergency_start_is_allowed_exactly_when_stated_and_neither_special_nor_random(trigger, kind, reason):
    after, violations = step(assigned(trigger=trigger, kind=kind), "inspection_start_emergency", {"reason": reason})
    expected = set()
    if not reason.strip():
        expected.add("inspection.emergency.reason")
    if kind == "special":
        expected.add("inspection.emergency.special")
    if trigger == "random":
        expected.add("inspection.emergency.random")
    emergency_codes = {c for c in codes(violations) if c.startswith("inspection.emergency.")}
    assert emergency_codes == expected
    assert after.emergency is not None and after.emergency.on == DAY and "emergency_report" in after.records


def test_the_record_waits_for_the_approval_unless_begun_in_an_emergency():
    emergency = replace(assigned(trigger="complaint", kind="case"), state="in_progress",
                        emergency=EmergencyStart(DAY, "冷库氨气泄漏"))
    _, violations = step(emergency, "inspection_record", VISIT)
    assert violations == []
    no_approval = replace(started(), approval=None)
    _, violations = step(no_approval, "inspection_record", VISIT)
    assert "inspection.approval.missing" in codes(violations)


def test_the_approval_is_due_the_next_day_and_its_lateness_is_a_finding_not_a_block():
    due, basis = emergency_approval_due(started_on=DAY)
    assert (due - DAY).days == 1 and basis.startswith("平台规则") and "第十五条" in basis
    snapshot = replace(assigned(trigger="complaint"), state="recorded", emergency=EmergencyStart(DAY, "泄漏"))
    assert emergency_approval_lateness(snapshot, context(due)) is None
    overdue = emergency_approval_lateness(snapshot, context(due + dt.timedelta(days=1)))
    assert overdue is not None and overdue.code == "inspection.emergency.approval_overdue" and overdue.legal_basis == basis
    in_time = replace(snapshot, approval=HeadApproval("王局长", due, True))
    assert emergency_approval_lateness(in_time, context(due + dt.timedelta(days=30))) is None
    late = replace(snapshot, approval=HeadApproval("王局长", due + dt.timedelta(days=2), True))
    finding = emergency_approval_lateness(late, context(due + dt.timedelta(days=30)))
    assert finding is not None and finding.code == "inspection.emergency.approval_late" and "实际于" in finding.message


RECORDED_RESULT = {"outcome": "violation", "findings": "无证经营", "sent_on": DAY}


@settings(max_examples=60, deadline=None)
@given(decision=st.sampled_from([None, True, False]), trigger=st.sampled_from(["complaint", "referral", "planned"]),
       outcome=st.sampled_from(["pass", "rectify", "violation"]))
def test_after_a_refused_ratification_record_and_result_are_blocked_and_only_declining_is_open(
        decision, trigger, outcome):
    """海南 第十五条 (事后补办) refused; 行政处罚法 第四十六条: the block appears exactly when the head
    refused, on the record and on the result whatever the outcome; 不予实施 is open exactly then."""
    approval = None if decision is None else HeadApproval("王局长", DAY, decision, "" if decision else "不属于紧急情况")
    base = replace(assigned(trigger=trigger, kind="case"), emergency=EmergencyStart(DAY, "冷库氨气泄漏"),
                   approval=approval)
    refused = decision is False
    _, on_record = step(replace(base, state="in_progress"), "inspection_record", VISIT)
    assert ("inspection.emergency.refused" in codes(on_record)) == refused
    result = {**RECORDED_RESULT, "outcome": outcome, "rectification_due": DAY + dt.timedelta(days=10)}
    _, on_result = step(replace(base, state="recorded"), "inspection_send_result", result)
    assert ("inspection.emergency.refused" in codes(on_result)) == refused
    for state in ("in_progress", "recorded"):
        _, on_decline = step(replace(base, state=state), "inspection_decline", {"reason": "负责人不同意追认"})
        assert (on_decline == []) == refused, (state, on_decline)
    if refused:
        [block] = [v for v in on_result if v.code == "inspection.emergency.refused"]
        assert "王局长" in block.message and "不能告知检查结果" in block.message and "重新报负责人批准" in block.message
        assert block.legal_basis.startswith("平台规则") and "第四十六条" in block.legal_basis


def test_the_due_day_is_the_last_lawful_day():
    snapshot = replace(assigned(trigger="complaint"), state="recorded", emergency=EmergencyStart(DAY, "泄漏"))
    due = DAY + dt.timedelta(days=1)
    overdue = emergency_approval_lateness(snapshot, context(due + dt.timedelta(days=1)))
    assert f"最迟于{due.isoformat()}补办" in overdue.message and "前补办" not in overdue.message


def test_a_joined_body_may_not_join_a_visit_past_its_period_or_on_a_complaint_and_its_officers_do_not_lead():
    from sanxiang.procedure.inspection.rules import joined_officer_problems, joint_join
    from tests.procedure.test_penalty_support import LI, ZHANG

    for trigger, today, expected in (("planned", DAY, set()), ("planned", DAY + dt.timedelta(days=8), {
            "inspection.joint.period_over"}), ("complaint", DAY, {"inspection.joint.private_source"}),
            ("referral", DAY, {"inspection.joint.private_source"})):
        snapshot = assigned(trigger=trigger, planned_to=DAY + dt.timedelta(days=7))
        item = replace(snapshot.items[0], id=99, body_id=20)
        _, violations = joint_join(snapshot, context(today), body_id=20, body_name="县卫生健康委", items=(item,),
                                   officers=(ZHANG, LI), head_name="李主任")
        joint_codes = {v.code for v in violations if v.code in ("inspection.joint.period_over",
                                                                "inspection.joint.private_source")}
        assert joint_codes == expected, (trigger, today, violations)
        assert all(v.legal_basis.startswith("平台规则") for v in violations if v.code in joint_codes)
    joint = replace(assigned(trigger="planned"), body_ids=(10, 20), body_names=((10, "县市场监管局"), (20, "县卫生健康委")))
    assert joined_officer_problems(joint, step="inspection_send_result", actor_body_id=10, outcome="violation") == []
    assert joined_officer_problems(joint, step="inspection_send_result", actor_body_id=20, outcome="pass") == []
    # a violation found is each body's own matter and case (行政处罚法 第十七条: `case_open_problems`),
    # not the organiser's to tell
    assert joined_officer_problems(joint, step="inspection_send_result", actor_body_id=20, outcome="violation") == []
    [first] = joined_officer_problems(joint, step="inspection_start_emergency", actor_body_id=20)
    assert first.code == "inspection.joint.emergency_lead" and first.legal_basis.startswith("平台规则")

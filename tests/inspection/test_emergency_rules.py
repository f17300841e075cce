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

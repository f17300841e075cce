"""The decision period of a licence as the case projection stores it (phases): 20 working days from
acceptance until the day the head approves an extension, 30 from that day (《中华人民共和国行政许可法》
第四十二条), due soon `permit.due_soon_days` before its day like every deadline; an extension approved
after the 20 days ran moves nothing. The calendar: National Day 2026 off, Saturday 10-10 worked."""

from sanxiang.procedure.penalty.deadlines import deadlines_on
from sanxiang.procedure.permit.catalogue import permit_deadline_phases
from sanxiang.procedure.permit.rules import Extension
from tests.procedure.permit.support import CALENDAR, D, accepted


def _shown(snapshot, *, stored_on, day):
    phases, problems = permit_deadline_phases(snapshot, calendar=CALENDAR, on=stored_on)
    assert problems == []
    return [(d.code, d.due, d.state, "经批准延长10个工作日" in d.label) for d in deadlines_on(phases, day)]


def test_the_period_is_20_working_days_until_the_extension_is_approved_and_30_from_that_day():
    approved = D(2026, 10, 20)
    snapshot = accepted(extension=Extension("王局长", approved, "需要现场核查经营场所", approved))
    # Accepted 9-24: 20 working days (National Day not counted, 10-10 worked) end 10-28; 30 end 11-11.
    assert _shown(snapshot, stored_on=approved, day=D(2026, 10, 19)) == [("permit.decision", D(2026, 10, 28), "running", False)]
    assert _shown(snapshot, stored_on=approved, day=approved) == [("permit.decision", D(2026, 11, 11), "running", True)]
    assert _shown(snapshot, stored_on=approved, day=D(2026, 11, 9)) == [("permit.decision", D(2026, 11, 11), "due_soon", True)]
    assert _shown(snapshot, stored_on=approved, day=D(2026, 11, 12)) == [("permit.decision", D(2026, 11, 11), "overdue", True)]


def test_an_extension_approved_after_the_20_working_days_moves_nothing():
    late = D(2026, 10, 29)
    snapshot = accepted(extension=Extension("王局长", late, "需要现场核查经营场所", late))
    assert _shown(snapshot, stored_on=late, day=D(2026, 11, 2)) == [("permit.decision", D(2026, 10, 28), "overdue", False)]

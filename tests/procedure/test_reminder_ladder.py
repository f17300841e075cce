"""The certificate expiry ladder (`procedure.evaluation.reminders`; a platform rule, its days the
parameter `reminders.certificate_expiry_ladder_days`): 90, 30 and 7 days before the last valid day,
then overdue."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.procedure.evaluation.reminders import OVERDUE, certificate_ladder, ladder_stage
from sanxiang.procedure.parameters import parameters_default

LADDER = (90, 30, 7)
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2040, 12, 31))


def test_the_ladder_is_a_parameter_labelled_a_platform_rule():
    parameter = parameters_default()["reminders.certificate_expiry_ladder_days"]
    assert parameter.unverified and "平台规则" in parameter.reference and "本平台规则" in parameter.description
    assert certificate_ladder(on=dt.date(2026, 6, 15)) == LADDER


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(last_day=days, on=days)
def test_every_day_falls_on_the_right_rung(last_day, on):
    left = (last_day - on).days
    stage = ladder_stage(last_day=last_day, on=on, ladder=LADDER)
    if left > 90:
        assert stage is None
    elif left > 30:
        assert stage.stage == "90"
    elif left > 7:
        assert stage.stage == "30"
    elif left >= 0:
        assert stage.stage == "7" and not stage.overdue
    else:
        assert stage.stage == OVERDUE and stage.overdue and stage.label == f"已过期{-left}日"
    if stage is not None:
        assert stage.days_left == left


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(last_day=days, on=days, later=st.integers(min_value=1, max_value=400))
def test_the_rungs_only_go_down_as_the_days_pass(last_day, on, later):
    """A later day is on the same rung or a nearer one: a reminder never goes back up the ladder."""
    order = {None: 0, "90": 1, "30": 2, "7": 3, OVERDUE: 4}
    before = ladder_stage(last_day=last_day, on=on, ladder=LADDER)
    after = ladder_stage(last_day=last_day, on=on + dt.timedelta(days=later), ladder=LADDER)
    assert order[after.stage if after else None] >= order[before.stage if before else None]


def test_the_edges_of_the_rungs():
    last = dt.date(2026, 12, 31)
    stage = {d: ladder_stage(last_day=last, on=last - dt.timedelta(days=d), ladder=LADDER) for d in (91, 90, 31, 30, 8, 7, 0, -1)}
    assert stage[91] is None
    assert [stage[d].stage for d in (90, 31, 30, 8, 7, 0, -1)] == ["90", "90", "30", "30", "7", "7", OVERDUE]
    assert stage[0].label == "今日到期" and stage[7].label == "还有7日到期"

"""The rules of the monthly progress reports (月报, issue 15 item 4), pure.

The due day is the county plan's: "各行政执法机关要每月25日前向旗司法局报送工作推进情况"
(乌政办发〔2022〕115号 三（二）1), an unverified parameter since another county's plan may set
another day. A report not submitted by the due day is overdue from the next day."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.evaluation.reports import (
    DUE_DAY,
    ReportAction,
    ReportActor,
    ReportMonth,
    ReportState,
    comment_violations,
    report_action_violations,
    report_actions_allowed,
    report_due_basis,
    report_due_on,
    report_month_drafted_on,
    report_overdue,
    report_sections_violations,
    report_state_after,
    report_submitted_late,
    return_violations,
)
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default

PLAN = "乌政办发〔2022〕115号"
days = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2035, 12, 31))


def test_the_due_day_is_the_plans_25th_an_unverified_parameter():
    parameter = parameters_default()[DUE_DAY]
    assert parameter.unverified and PLAN in parameter.reference and PLAN in report_due_basis()
    assert report_due_on(month=ReportMonth(2026, 11)) == dt.date(2026, 12, 25)
    assert report_due_on(month=ReportMonth(2026, 12)) == dt.date(2027, 1, 25)  # across the year


def test_a_county_sets_its_own_due_day_and_a_short_month_clamps_it():
    parameters = parameters_default().with_overrides({DUE_DAY: [ParameterPeriod(dt.date(2027, 1, 1), 31)]})
    assert report_due_on(month=ReportMonth(2027, 1), parameters=parameters) == dt.date(2027, 2, 28)
    assert report_due_on(month=ReportMonth(2027, 2), parameters=parameters) == dt.date(2027, 3, 31)


def test_reports_are_drafted_on_the_1st_for_the_previous_month():
    assert report_month_drafted_on(on=dt.date(2026, 12, 1)) == ReportMonth(2026, 11)
    assert report_month_drafted_on(on=dt.date(2027, 1, 1)) == ReportMonth(2026, 12)
    assert report_month_drafted_on(on=dt.date(2026, 12, 2)) is None


@settings(deadline=None)  # a shared CI machine: no per-example time limit
@given(due_on=days, today=days, submitted=st.one_of(st.none(), days))
def test_overdue_exactly_when_unsubmitted_after_the_due_day(due_on, today, submitted):
    overdue = report_overdue(due_on=due_on, first_submitted_on=submitted, today=today)
    assert overdue == (submitted is None and today >= due_on + dt.timedelta(days=1))
    # Submitted late is a different flag: submitted, after the due day.
    assert report_submitted_late(due_on=due_on, first_submitted_on=submitted) == (
        submitted is not None and submitted > due_on)
    assert not (overdue and report_submitted_late(due_on=due_on, first_submitted_on=submitted))


@settings(deadline=None)  # a shared CI machine: no per-example time limit
@given(day=days)
def test_a_months_report_is_not_overdue_on_its_due_day_and_is_the_day_after(day):
    month = ReportMonth.of(day)
    due_on = report_due_on(month=month)
    assert due_on.day == 25 and ReportMonth.of(due_on) == month.next()
    assert not report_overdue(due_on=due_on, first_submitted_on=None, today=due_on)
    assert report_overdue(due_on=due_on, first_submitted_on=None, today=due_on + dt.timedelta(days=1))
    assert month.first_day <= day <= month.last_day and month.next().previous() == month


def test_the_path_draft_submitted_returned_resubmitted_received():
    head, supervisor = ReportActor.AGENCY_HEAD, ReportActor.SUPERVISOR
    state = ReportState.DRAFT
    path = [(head, ReportAction.SUBMIT), (supervisor, ReportAction.RETURN), (head, ReportAction.SUBMIT),
            (supervisor, ReportAction.RECEIVE)]
    states = []
    for actor, action in path:
        assert report_action_violations(state=state, action=action, actor=actor) == []
        state = report_state_after(state=state, action=action)
        states.append(state)
    assert states == [ReportState.SUBMITTED, ReportState.RETURNED, ReportState.RESUBMITTED, ReportState.RECEIVED]
    assert report_actions_allowed(state=ReportState.RECEIVED, actor=head) == []
    assert report_actions_allowed(state=ReportState.RECEIVED, actor=supervisor) == [ReportAction.COMMENT]


@pytest.mark.parametrize("actor", [ReportActor.AGENCY_STAFF, ReportActor.SUPERVISOR, ReportActor.OTHER])
def test_only_the_agency_head_submits(actor):
    [violation] = report_action_violations(state=ReportState.DRAFT, action=ReportAction.SUBMIT, actor=actor)
    assert violation.code == "report.submitter" and "机关负责人" in violation.message
    assert violation.basis_kind == "platform"


@pytest.mark.parametrize("actor", [ReportActor.AGENCY_HEAD, ReportActor.AGENCY_STAFF, ReportActor.OTHER])
def test_only_the_bureaus_supervisors_receive_or_return(actor):
    for action in (ReportAction.RECEIVE, ReportAction.RETURN, ReportAction.COMMENT):
        codes = [v.code for v in report_action_violations(state=ReportState.SUBMITTED, action=action, actor=actor)]
        assert codes == ["report.receiver"]


@settings(deadline=None)  # a shared CI machine: no per-example time limit
@given(state=st.sampled_from(list(ReportState)), action=st.sampled_from(list(ReportAction)),
       actor=st.sampled_from(list(ReportActor)))
def test_an_action_is_allowed_exactly_when_listed(state, action, actor):
    allowed = not report_action_violations(state=state, action=action, actor=actor)
    assert allowed == (action in report_actions_allowed(state=state, actor=actor))
    if not allowed:
        return
    after = report_state_after(state=state, action=action)
    # Only the agency changes a report's text, and only while it is with the agency.
    if action in (ReportAction.EDIT, ReportAction.SUBMIT):
        assert state in (ReportState.DRAFT, ReportState.RETURNED)
    # A received report is final.
    assert state != ReportState.RECEIVED or after == ReportState.RECEIVED


def test_a_received_report_is_not_returned():
    [violation] = report_action_violations(state=ReportState.RECEIVED, action=ReportAction.RETURN,
                                           actor=ReportActor.SUPERVISOR)
    assert violation.code == "report.state" and violation.message == "月报已接收，不能退回修改"


def test_submitting_needs_the_three_required_sections_and_saving_does_not():
    problems = report_sections_violations(sections={"problems": "无", "results": " "}, submitting=True)
    assert [(v.field, v.message) for v in problems] == [
        ("results", "请填写“工作成效”（没有的写“无”）"), ("next_plan", "请填写“下月计划”（没有的写“无”）")]
    assert "实施方案" in problems[0].legal_basis and problems[0].basis_kind == "law"
    assert report_sections_violations(sections={}, submitting=False) == []
    assert [v.field for v in report_sections_violations(sections={"coordination": "长" * 5001},
                                                        submitting=False)] == ["coordination"]


def test_a_return_says_why_and_a_comment_says_something():
    assert [v.field for v in return_violations(reason="  ")] == ["text"]
    assert return_violations(reason="请补充公示逾期的原因") == []
    assert [v.code for v in comment_violations(text="")] == ["report.comment"]

"""The two indicators plugged in last (issue 15 item 1): 培训达标率 counts what the training page
counts (`training_selectors.training_compliance`), and 复议诉讼纠错率 reads the results recorded by
the penalty case's 复议/诉讼 step, stored by the case projection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.accounts.models import Role
from sanxiang.cases.models import CaseChallenge
from sanxiang.cases.services import case_action_perform
from sanxiang.evaluation.indicators import (
    DENOMINATOR,
    NUMERATOR,
    indicator_figures,
    indicator_records,
    period_month,
    period_year,
)
from sanxiang.evaluation.training_selectors import training_compliance
from sanxiang.procedure.evaluation.indicators import indicator_current
from sanxiang.procedure.violations import Refused
from tests.evaluation.indicator_support import challenge_make, training_make
from tests.factories import agency_make, officer_make, user_make
from tests.review.support import MAJOR, case_with_facts
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
D = dt.date


# --- 培训达标率 ------------------------------------------------------------------------------------------

hours = st.lists(
    st.lists(st.sampled_from(["0.5", "4", "8", "16", "20", "39.5", "40"]), max_size=4), min_size=1, max_size=4
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attended=hours)
def test_the_indicator_counts_what_the_training_page_counts(attended):
    """For a lived year, the indicator's numerator and denominator are the officers meeting the
    hours and all serving officers of `training_compliance`; each list is as long as its number."""
    agency = agency_make()
    bureau = agency_make(is_judicial_bureau=True)
    supervisor = supervisor_user_make(bureau=bureau)
    for i, sessions in enumerate(attended):
        officer = officer_make(agency=agency, name=f"人员{i}")
        for j, h in enumerate(sessions):
            training_make(agency, supervisor, officer, on=D(2025, 1 + j, 10), hours=h)
    indicator = indicator_current("training_compliance", on=D(2025, 12, 31))
    figure = indicator_figures(
        indicator=indicator, agency_ids=[agency.pk], period=period_year(2025), today=D(2026, 2, 1)
    )[agency.pk]
    page = training_compliance([agency.pk], 2025)
    assert (
        (figure.numerator, figure.denominator)
        == (page.met_count, page.officer_count)
        == (sum(1 for s in attended if sum(Decimal(h) for h in s) >= 40), len(attended))
    )
    for side, number in ((NUMERATOR, figure.numerator), (DENOMINATOR, figure.denominator)):
        listing = indicator_records(
            viewer=supervisor,
            indicator=indicator,
            side=side,
            period=period_year(2025),
            agency_id=agency.pk,
            today=D(2026, 2, 1),
        )
        assert listing.count == len(listing.rows) == number


def test_a_month_counts_the_years_hours_up_to_its_last_day():
    agency = agency_make()
    user = user_make(role=Role.AGENCY_HEAD, agency=agency)
    officer = officer_make(agency=agency)
    training_make(agency, user, officer, on=D(2026, 1, 10), hours="30")
    training_make(agency, user, officer, on=D(2026, 5, 10), hours="10")
    indicator = indicator_current("training_compliance", on=D(2026, 6, 30))
    for month, met in ((4, 0), (5, 1), (6, 1)):
        figure = indicator_figures(
            indicator=indicator,
            agency_ids=[agency.pk],
            period=period_month(2026, month),
            today=D(2026, 12, 1),
        )[agency.pk]
        assert (figure.numerator, figure.denominator) == (met, 1), month
    # In a running month, hours to today only: on 9 May the 10 hours of the 10th are not yet there.
    running = indicator_figures(
        indicator=indicator, agency_ids=[agency.pk], period=period_month(2026, 5), today=D(2026, 5, 9)
    )[agency.pk]
    assert (running.numerator, running.denominator, running.value) == (0, 1, 0.0)


# --- 复议诉讼纠错率 ------------------------------------------------------------------------------------


@pytest.fixture
def served():
    agency = agency_make()
    officer = officer_make(agency=agency)
    user = user_make(role=Role.OFFICER, agency=agency, officer=officer)
    case = case_with_facts(
        agency, state="served", decision=MAJOR, decided_on=D(2026, 1, 5), officers=(officer,)
    )
    return case, user


def _record(case, user, on, **data):
    return case_action_perform(actor=user, case=case, action="record_challenge", data=data, on=on)


def test_the_challenge_step_stores_its_result_and_the_indicator_counts_it(served):
    case, user = served
    _record(case, user, D(2026, 2, 1), kind="reconsideration", started_on=D(2026, 1, 20))
    assert list(CaseChallenge.objects.filter(case=case).values_list("kind", "ended_on", "result")) == [
        ("reconsideration", None, "")
    ]
    # The end and its result, recorded on the same challenge (same kind and start): one row.
    case.refresh_from_db()
    _record(
        case,
        user,
        D(2026, 3, 20),
        kind="reconsideration",
        started_on=D(2026, 1, 20),
        ended_on=D(2026, 3, 18),
        result="revoked",
    )
    assert list(CaseChallenge.objects.filter(case=case).values_list("kind", "ended_on", "result")) == [
        ("reconsideration", D(2026, 3, 18), "revoked")
    ]
    case.refresh_from_db()
    assert case.facts["challenges"] == [
        {"kind": "reconsideration", "started_on": "2026-01-20", "ended_on": "2026-03-18", "result": "revoked"}
    ]
    indicator = indicator_current("challenge_correction_rate", on=D(2026, 3, 31))
    figure = indicator_figures(
        indicator=indicator, agency_ids=[case.agency_id], period=period_month(2026, 3), today=D(2026, 4, 1)
    )[case.agency_id]
    assert (figure.numerator, figure.denominator) == (1, 1)
    supervisor = supervisor_user_make(bureau=agency_make(is_judicial_bureau=True))
    [row] = indicator_records(
        viewer=supervisor,
        indicator=indicator,
        side=NUMERATOR,
        period=period_month(2026, 3),
        agency_id=case.agency_id,
        today=D(2026, 4, 1),
    ).rows
    assert row.reference == case.number and row.note == "已纠错（行政复议：撤销或者部分撤销决定）"
    assert row.url == ""  # a supervisor reads the case only under a read grant


def test_an_end_without_a_result_is_refused_and_nothing_is_written(served):
    case, user = served
    with pytest.raises(Refused) as refused:
        _record(
            case, user, D(2026, 3, 20), kind="litigation", started_on=D(2026, 3, 25), ended_on=D(2026, 3, 18)
        )
    codes = {v.code: v for v in refused.value.violations}
    # Every reason: a start after today, the end before the start, and the missing result (the
    # allowed path: choose it).
    assert set(codes) == {
        "case.challenge.future",
        "case.challenge.ended_before_started",
        "case.challenge.result_missing",
    }
    assert codes["case.challenge.result_missing"].message == "已终结的，请同时选择复议、诉讼的结果"
    assert not CaseChallenge.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert not case.facts.get("challenges")


def test_only_penalty_decisions_count_and_a_decision_counts_once():
    agency = agency_make()
    user = user_make(role=Role.AGENCY_HEAD, agency=agency)
    penalty = case_with_facts(agency, state="served", decision=MAJOR, decided_on=D(2026, 1, 5))
    challenge_make(penalty, 0, ended=D(2026, 3, 3), result="upheld")
    challenge_make(penalty, 1, kind="litigation", ended=D(2026, 3, 9), result="illegal")
    other = case_with_facts(agency, state="served", decision=MAJOR, decided_on=D(2026, 1, 6))
    other.procedure = "enforcement"
    other.save(update_fields=["procedure"])
    challenge_make(other, 0, ended=D(2026, 3, 3), result="revoked")  # an enforcement case's: not a penalty's
    indicator = indicator_current("challenge_correction_rate", on=D(2026, 3, 31))
    figure = indicator_figures(
        indicator=indicator,
        agency_ids=[agency.pk],
        period=period_month(2026, 3),
        today=D(2026, 4, 1),
        viewer=user,
    )[agency.pk]
    assert (figure.numerator, figure.denominator, figure.value) == (1, 1, 100.0)


def test_the_projection_check_reports_challenge_rows_that_differ_from_the_facts(served):
    from sanxiang.cases.projection import case_projection_check, case_projection_rebuild

    case, user = served
    _record(case, user, D(2026, 2, 1), kind="litigation", started_on=D(2026, 1, 20))
    assert not [line for line in case_projection_check(case_ids=[case.pk]) if "行政复议" in line]
    CaseChallenge.objects.filter(case=case).update(result="revoked")
    assert [line for line in case_projection_check(case_ids=[case.pk]) if "行政复议" in line] == [
        f"案件{case.number}：行政复议、行政诉讼的存储记录与案件事实不一致"
    ]
    case_projection_rebuild()
    assert CaseChallenge.objects.get(case=case).result == ""


def test_an_indicators_list_shows_a_cases_title_to_a_supervisor_only_under_a_read_grant():
    """As in the monthly report's lists: a title may name a party."""
    from tests.supervision.support import read_grant_give

    agency = agency_make()
    bureau = agency_make(is_judicial_bureau=True)
    supervisor = supervisor_user_make(bureau=bureau)
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    granted = case_with_facts(agency, state="served", decision=MAJOR, decided_on=D(2026, 1, 5))
    other = case_with_facts(agency, state="served", decision=MAJOR, decided_on=D(2026, 1, 6))
    for case in (granted, other):
        challenge_make(case, 0, ended=D(2026, 3, 3), result="revoked")
    read_grant_give(case=granted, user=supervisor)
    indicator = indicator_current("challenge_correction_rate", on=D(2026, 3, 31))

    def rows(viewer):
        return indicator_records(
            viewer=viewer,
            indicator=indicator,
            side=DENOMINATOR,
            period=period_month(2026, 3),
            agency_id=agency.pk,
            today=D(2026, 4, 1),
        ).rows

    by_number = {r.reference: r for r in rows(supervisor)}
    assert by_number[granted.number].title == granted.title and not by_number[granted.number].withheld
    assert by_number[other.number].title == "" and by_number[other.number].withheld
    assert {r.title for r in rows(head)} == {granted.title, other.title}

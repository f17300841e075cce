"""The plan's targets (issue 15, item 3): per agency and kind of enforcement, each criterion met, not
met or not applicable with its reason; the share of the county's agencies fully applying the three
systems in a county where it is known (target_support: 1 of 3); the campaign's parameters (the
plan's 90% by 2023-06-30 and 100% by 2023-10-31) and a county's own; the monthly snapshots."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.evaluation.models import TargetCampaign, TargetSnapshot
from sanxiang.evaluation.schedule import target_snapshots
from sanxiang.evaluation.target_selectors import (
    campaign_in_force,
    target_history,
    target_records,
    target_table,
    targets_compute,
)
from sanxiang.evaluation.target_services import target_campaign_define, target_snapshots_refresh
from sanxiang.jobs.schedule import periodic_task_get
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.targets import (
    CRITERIA,
    Campaign,
    EnforcementKind,
    Judgement,
    Milestone,
    Status,
    agency_judge,
    campaign_default,
    campaign_violations,
    criterion_basis,
    kind_judge,
    rate_judge,
    share_percent,
    window_start,
)
from sanxiang.procedure.violations import Refused
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry.models import Matter
from tests.evaluation.indicator_support import _case, document_make, tally_make
from tests.evaluation.target_support import county_make, documents_submit
from tests.factories import user_make

D = dt.date
ON = D(2026, 3, 31)


@pytest.fixture
def county(db):
    return county_make(ON)


def _result(table, agency):
    return next(r for r in table.results if r.agency == agency)


def _criterion(result, kind: str, code: str):
    kind_result = next(k for k in result.kinds if k.kind == kind)
    return next(c for c in kind_result.criteria if c.criterion.code == code).judgement


def _kind(result, kind: str):
    return next(k for k in result.kinds if k.kind == kind).judgement


# --- the law as code -----------------------------------------------------------------------------------


def test_each_criterion_cites_its_basis_and_the_thresholds_are_platform_rules():
    bases = {c.code: criterion_basis(c) for c in CRITERIA}
    assert "国办发〔2018〕118号" in bases["pre_publicity"] and "动态调整" in bases["pre_publicity"]
    assert "《中华人民共和国行政处罚法》第五十八条" in bases["legal_review"]
    assert "乌政办发〔2022〕115号" in bases["documents"] and "三、（一）2" in bases["documents"]
    # A threshold the law does not set is a parameter labelled a platform rule.
    assert "平台规则" in bases["publication_timely"] and "平台规则" in bases["audio_video"]


def test_the_default_campaign_is_the_plans_90_percent_by_june_and_100_by_october_2023():
    campaign = campaign_default(on=D(2023, 1, 1))
    assert campaign.milestones == (Milestone(D(2023, 6, 30), 90), Milestone(D(2023, 10, 31), 100))
    assert "乌政办发〔2022〕115号" in campaign.basis and "90%" in campaign.basis
    # A day is measured against the next milestone due, then the last once every date has passed.
    assert campaign.milestone_on(D(2023, 6, 30)) == Milestone(D(2023, 6, 30), 90)
    assert campaign.milestone_on(D(2023, 7, 1)) == Milestone(D(2023, 10, 31), 100)
    assert campaign.milestone_on(D(2026, 3, 31)) == Milestone(D(2023, 10, 31), 100)


def test_a_county_campaign_with_bad_stages_is_refused_with_every_reason():
    violations = campaign_violations(
        title="", milestones=[(D(2027, 6, 30), 95), (D(2027, 1, 1), 90), (None, 120)]
    )
    by_field = {(v.field, v.code) for v in violations}
    assert ("title", "evaluation.target.title_missing") in by_field
    assert ("due_on_2", "evaluation.target.order") in by_field  # earlier than stage 1
    assert ("percent_2", "evaluation.target.decreasing") in by_field  # lower than stage 1
    assert ("due_on_3", "evaluation.target.date_missing") in by_field
    assert ("percent_3", "evaluation.target.percent_range") in by_field
    assert all(v.message and "平台规则" in v.legal_basis for v in violations)
    assert (
        campaign_violations(title="下一阶段", milestones=[(None, None)])[0].code == "evaluation.target.none"
    )
    assert campaign_violations(title="下一阶段", milestones=[(D(2027, 6, 30), 95), (None, None)]) == []


@given(st.integers(0, 60), st.integers(0, 60), st.floats(0, 100))
def test_a_rate_is_met_exactly_when_it_reaches_the_threshold(numerator, extra, minimum):
    denominator = numerator + extra
    judgement = rate_judge(
        numerator=numerator,
        denominator=denominator,
        min_percent=minimum,
        counted="应当公示的决定",
        meeting="按期公示",
        none_due="没有",
    )
    if denominator == 0:
        assert judgement.status == Status.NOT_APPLICABLE and judgement.reason == "没有"
    else:
        assert (judgement.status == Status.MET) == (round(numerator * 100 / denominator, 1) >= minimum)
        assert f"{denominator}件" in judgement.reason


@given(st.integers(0, 50), st.integers(0, 50))
def test_the_share_is_the_fully_applying_agencies_over_those_counted(met, others):
    share = share_percent(met=met, counted=met + others)
    assert share is None if met + others == 0 else 0 <= share <= 100


@given(st.dates(D(2000, 1, 1), D(2100, 12, 31)), st.integers(1, 24))
def test_the_window_is_whole_months_ending_with_the_days_month(on, months):
    start = window_start(on=on, months=months)
    assert start.day == 1 and start <= on
    assert (on.year - start.year) * 12 + on.month - start.month == months - 1


STATUSES = st.sampled_from(list(Status))


@given(
    st.lists(
        st.tuples(st.sampled_from(list(EnforcementKind)), STATUSES), max_size=5, unique_by=lambda t: t[0]
    )
)
def test_an_agency_fully_applies_exactly_when_every_kind_that_applies_is_met(kinds):
    judgements = [(kind, Judgement(status, "")) for kind, status in kinds]
    agency = agency_judge(kinds=judgements)
    statuses = [status for _, status in kinds]
    if Status.NOT_MET in statuses:
        assert agency.status == Status.NOT_MET
    elif Status.MET in statuses:
        assert agency.status == Status.MET
    else:  # no kind applies, or none can be judged: not counted, never a pass
        assert agency.status == Status.NOT_APPLICABLE


@given(st.lists(STATUSES, max_size=5), st.booleans())
def test_a_kind_is_met_only_when_something_was_judged_and_nothing_failed(statuses, applies):
    criteria = [(CRITERIA[i % len(CRITERIA)], Judgement(status, "")) for i, status in enumerate(statuses)]
    kind = kind_judge(applies=applies, criteria=criteria)
    if not applies:
        assert (kind.status, kind.reason) == (Status.NOT_APPLICABLE, "无此类执法")
    else:
        expected = (
            Status.NOT_MET
            if Status.NOT_MET in statuses
            else Status.MET
            if Status.MET in statuses
            else Status.NOT_APPLICABLE
        )
        assert kind.status == expected


# --- the hand-built county ------------------------------------------------------------------------------


def test_the_share_of_the_hand_built_county_is_one_of_three(county):
    table = target_table(viewer=county.supervisor, on=ON)
    names = [r.agency.name for r in table.results]
    assert names == ["丁局", "丙局", "乙局", "甲局"]  # another county's agency is not there
    assert (table.counted, table.met, table.share) == (3, 1, 33.3)
    assert [r.agency for r in table.held_back] == [county.d, county.b]
    assert [r.agency for r in table.not_counted] == [county.c]
    # Against the plan's last milestone (100% by 2023-10-31): not reached.
    assert table.milestone == Milestone(D(2023, 10, 31), 100) and table.reached is False


def test_an_agency_meeting_every_criterion_fully_applies_the_three_systems(county):
    a = _result(target_table(viewer=county.supervisor, on=ON), county.a)
    assert a.judgement.status == Status.MET and a.judgement.reason == "全面实行：行政处罚"
    for code, reason in (
        ("pre_publicity", "本类别1项有效执法事项均已公开，内容与登记一致"),
        ("publication_timely", "应当公示的决定1件，按期公示1件（100%），达到95%的达标线"),
        ("audio_video", "须音像记录的环节1件，有音像记录1件（100%），达到100%的达标线"),
        ("legal_review", "重大执法决定1件，决定前均经法制审核"),
        ("documents", "5类制度文件均已报送"),
    ):
        judgement = _criterion(a, "penalty", code)
        assert (judgement.status, judgement.reason) == (Status.MET, reason), code
    # The kinds it has no matter and no case of are neither met nor failed.
    for kind in ("permit", "coercion", "inspection", "expropriation"):
        assert (_kind(a, kind).status, _kind(a, kind).reason) == (Status.NOT_APPLICABLE, "无此类执法")


def test_unpublished_matters_and_late_decisions_hold_an_agency_back_with_the_reasons(county):
    b = _result(target_table(viewer=county.supervisor, on=ON), county.b)
    assert b.judgement.status == Status.NOT_MET and b.judgement.reason == "未全面实行：行政处罚"
    publicity = _criterion(b, "penalty", "pre_publicity")
    assert publicity.status == Status.NOT_MET and publicity.reason == "1项执法事项未公开：乙新增事项"
    late = _criterion(b, "penalty", "publication_timely")
    assert late.status == Status.NOT_MET
    assert late.reason == "应当公示的决定1件，按期公示0件（0%），低于95%的达标线（平台规则）"
    # Nothing to judge is said, not passed: no major decision, no recorded step in the window.
    review = _criterion(b, "penalty", "legal_review")
    assert (review.status, review.reason) == (Status.NOT_APPLICABLE, "判断期内没有作出重大执法决定")
    assert _criterion(b, "penalty", "audio_video").status == Status.NOT_APPLICABLE
    assert [(k.label, c.criterion.name) for k, c in b.failures] == [
        ("行政处罚", "事前公开完整、及时更新"),
        ("行政处罚", "执法决定按期公开"),
    ]


def test_a_kind_without_a_procedure_on_the_platform_says_so_instead_of_passing_or_failing(county):
    d = _result(target_table(viewer=county.supervisor, on=ON), county.d)
    # 行政许可 has its procedure on the platform (issue 18): with no permit decided in the window,
    # its publication is not judged, for that reason.
    permit = _criterion(d, "permit", "publication_timely")
    assert (permit.status, permit.reason) == (Status.NOT_APPLICABLE, "判断期内没有应当公示的执法决定")
    documents = _criterion(d, "coercion", "documents")
    assert documents.status == Status.NOT_MET
    assert documents.reason == "未报送：制度、清单、服务指南、流程图、执法工作手册"
    assert d.judgement.reason == "未全面实行：行政许可、行政强制"
    # The platform tallies the legal review of penalty decisions only: for coercion it says so.
    review = _criterion(d, "coercion", "legal_review")
    assert (review.status, review.reason) == (
        Status.NOT_APPLICABLE,
        "平台尚未统计行政强制的重大执法决定法制审核情况，无法判断",
    )
    # Once the documents are in, both kinds are met: the agency fully applies the three systems.
    documents_submit(county.head_d, ON)
    table = target_table(viewer=county.supervisor, on=ON)
    assert _result(table, county.d).judgement.status == Status.MET
    assert (table.counted, table.met, table.share) == (3, 2, 66.7)


def test_an_agency_with_no_kind_of_enforcement_is_not_counted(county):
    c = _result(target_table(viewer=county.supervisor, on=ON), county.c)
    assert c.judgement.status == Status.NOT_APPLICABLE and not c.counted
    assert all(k.judgement.reason == "无此类执法" for k in c.kinds)


def test_publicity_not_updated_after_a_matter_changed_or_was_withdrawn_is_not_current(county):
    Matter.objects.filter(code="A-1").update(name="甲处罚事项（修订）")
    d_permit = Matter.objects.get(code="D-2")
    d_permit.is_active = False
    d_permit.save()
    table = target_table(viewer=county.supervisor, on=ON)
    outdated = _criterion(_result(table, county.a), "penalty", "pre_publicity")
    assert outdated.reason == "1项执法事项的公开内容与登记不一致，未及时更新：甲处罚事项（修订）"
    d = _result(table, county.d)
    # The permit power was withdrawn but is still shown to the public: a failure, not an absence.
    permit = _criterion(d, "permit", "pre_publicity")
    assert (permit.status, permit.reason) == (Status.NOT_MET, "1项已停用的执法事项仍在公开：丁许可事项")
    # Once the publicity is regenerated, 丁局 has no permit power left: no such enforcement.
    public_registry_refresh(on=ON)
    d = _result(target_table(viewer=county.supervisor, on=ON), county.d)
    assert _kind(d, "permit").reason == "无此类执法"


def test_a_withdrawn_matter_still_published_is_reported(county):
    Matter.objects.filter(code="D-1").update(is_active=False)
    Matter.objects.create(agency=county.d, code="D-3", name="丁扣押事项", kind="coercion", legal_bases=[])
    d = _result(target_table(viewer=county.supervisor, on=ON), county.d)
    publicity = _criterion(d, "coercion", "pre_publicity")
    assert publicity.reason == "1项执法事项未公开：丁扣押事项；1项已停用的执法事项仍在公开：丁查封扣押事项"


def test_a_major_decision_made_without_review_fails_the_law_whatever_the_others(county):
    tally_make(county.a, on=ON - dt.timedelta(days=3), reviewed=False)
    a = _result(target_table(viewer=county.supervisor, on=ON), county.a)
    review = _criterion(a, "penalty", "legal_review")
    assert review.status == Status.NOT_MET and review.reason.startswith(
        "重大执法决定2件，其中1件决定前未经法制审核"
    )


def test_a_coercive_measure_without_its_recording_counts_in_the_coercion_kind_only(county):
    seizure = _case(county.d, "扣押案件")
    Case.objects.filter(pk=seizure.pk).update(procedure="seal_seizure")
    document_make(
        seizure, record_kind="measure_decision", on=ON - dt.timedelta(days=2), user=county.officer_a
    )
    d = _result(target_table(viewer=county.supervisor, on=ON), county.d)
    recording = _criterion(d, "coercion", "audio_video")
    assert recording.status == Status.NOT_MET and recording.reason.startswith(
        "须音像记录的环节1件，有音像记录0件"
    )
    a = _result(target_table(viewer=county.supervisor, on=ON), county.a)
    assert _criterion(a, "penalty", "audio_video").reason.startswith("须音像记录的环节1件，")


def test_records_outside_the_window_are_not_judged(county):
    later = ON + dt.timedelta(days=240)  # the window (6 months) no longer holds March's records
    a = _result(target_table(viewer=county.supervisor, on=later), county.a)
    assert _criterion(a, "penalty", "publication_timely").reason == "判断期内没有应当公示的执法决定"
    assert a.judgement.status == Status.MET  # publicity and documents still met; nothing due is not a failure


def test_an_agency_head_reads_only_their_agency(county):
    table = target_table(viewer=county.head_b, on=ON)
    assert [r.agency for r in table.results] == [county.b]
    assert (
        target_records(
            viewer=county.head_b,
            agency_id=county.a.pk,
            kind=EnforcementKind.PENALTY,
            criterion="pre_publicity",
            on=ON,
        )
        is None
    )
    assert target_table(viewer=user_make(role=Role.OFFICER, agency=county.a), on=ON).results == []


def test_the_records_behind_a_criterion_are_those_it_was_judged_on(county):
    listing = target_records(
        viewer=county.supervisor,
        agency_id=county.b.pk,
        kind=EnforcementKind.PENALTY,
        criterion="publication_timely",
        on=ON,
    )
    assert listing.count == 1 and listing.rows[0].note == "逾期公示"
    publicity = target_records(
        viewer=county.supervisor,
        agency_id=county.b.pk,
        kind=EnforcementKind.PENALTY,
        criterion="pre_publicity",
        on=ON,
    )
    assert [(r.title, r.note) for r in publicity.rows] == [
        ("乙处罚事项", "已公开，内容与登记一致"),
        ("乙新增事项", "未公开"),
    ]
    documents = target_records(
        viewer=county.supervisor,
        agency_id=county.d.pk,
        kind=EnforcementKind.COERCION,
        criterion="documents",
        on=ON,
    )
    assert [r.note for r in documents.rows] == ["未报送"] * 5


# --- campaigns and history --------------------------------------------------------------------------


def test_the_bureau_defines_the_countys_next_campaign_in_the_ledger(county):
    before = Entry.objects.count()
    campaign = target_campaign_define(
        actor=county.supervisor,
        title="2027年目标",
        milestones=[(D(2027, 6, 30), 95), (D(2027, 12, 31), 100), (None, None)],
        on=ON,
    )
    assert campaign.milestones == [
        {"due_on": "2027-06-30", "percent": 95},
        {"due_on": "2027-12-31", "percent": 100},
    ]
    entry = Entry.objects.order_by("-seq").first()
    assert Entry.objects.count() == before + 1 and entry.kind == "evaluation.target_campaign_defined"
    in_force = campaign_in_force(bureau=county.bureau, on=ON)
    assert in_force.title == "2027年目标" and not in_force.default
    table = target_table(viewer=county.supervisor, on=ON)
    assert table.milestone == Milestone(D(2027, 6, 30), 95) and table.reached is False
    # An agency of the county is measured against its bureau's campaign too.
    assert target_table(viewer=county.head_a, on=ON).campaign.title == "2027年目标"


def test_only_a_bureau_supervisor_defines_a_campaign_and_nothing_is_half_written(county):
    with pytest.raises(Refused) as refused:
        target_campaign_define(actor=county.head_a, title="", milestones=[(None, 50)], on=ON)
    codes = {v.code for v in refused.value.violations}
    assert {
        "evaluation.target.side",
        "evaluation.target.title_missing",
        "evaluation.target.date_missing",
    } <= codes
    assert not TargetCampaign.objects.exists()


def test_the_monthly_snapshot_keeps_the_share_and_the_reasons(county):
    # Run on ON itself (`today`): a month's row is final once the month has ended.
    assert target_snapshots_refresh(on=ON, today=ON) == 1  # the county with a 司法局 (外县 has none here)
    snapshot = TargetSnapshot.objects.get(region_code="150626", month=D(2026, 3, 1))
    assert (snapshot.counted, snapshot.met, snapshot.target_percent) == (3, 1, 100)
    assert snapshot.agencies[str(county.b.pk)]["failures"][0].startswith("行政处罚：事前公开完整、及时更新")
    # A later run in the month replaces it; the ledger holds each run.
    documents_submit(county.head_d, ON)
    target_snapshots_refresh(on=ON, today=ON)
    assert TargetSnapshot.objects.get(region_code="150626", month=D(2026, 3, 1)).met == 2
    assert Entry.objects.filter(kind="evaluation.target_snapshot").count() == 2
    history = target_history(viewer=county.supervisor)
    assert [(h.month, h.met, h.counted, h.share) for h in history] == [(D(2026, 3, 1), 2, 3, 66.7)]
    assert [a.name for a in history[0].held_back] == ["乙局"]
    assert (
        history[0].held_back[0].failures[0]
        == "行政处罚：事前公开完整、及时更新（1项执法事项未公开：乙新增事项）"
    )
    # An agency head reads their own agency's month, never the others' (nor the county's figures).
    own = target_history(viewer=county.head_b)
    assert [(h.met, h.counted) for h in own] == [(0, 1)]
    assert [a.name for a in own[0].agencies] == ["乙局"]


def test_the_snapshot_runs_as_a_scheduled_task(county):
    task = periodic_task_get("evaluation_target_snapshots")
    assert task.run is target_snapshots
    assert task.run(ON) == "记录1个县的三项制度实施情况"


def test_a_campaign_computed_for_no_agency_has_no_share():
    table = targets_compute(agencies=[], on=ON, campaign=Campaign("t", (Milestone(ON, 90),), "", False))
    assert (table.counted, table.share, table.reached) == (0, None, None)

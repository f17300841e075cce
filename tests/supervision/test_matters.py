"""Supervision matters (issue 14, part A): registration with numbers without gaps, triage (accept,
merge, transfer in the period from receipt, close with a reason), 第三十三条 (a dispute already in
行政复议 or 行政诉讼 is not supervised again), the pair on every action (single supervisor, expired
certificate, recusal), measures of 第二十二条 with the 约谈 record and the time-limited 调阅案卷, and
the 挂牌督办 / 提级监督 marks of 第二十条. Each legal test shows the block, its message and basis, and
the allowed path."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.matters import MatterState
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import selectors, services
from sanxiang.supervision.models import Matter
from tests.factories import agency_make
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def codes(refused: Refused) -> list[str]:
    return [v.code for v in refused.violations]


def opened(desk, **fields) -> Matter:
    values = {"bureau": desk.bureau, "source": MatterSource.ROUTINE, "subject": "执法公示不及时",
              "summary": "", "received_on": TODAY, "agency": desk.agency, "actor": desk.first} | fields
    return services.matter_open(**values)


def paired(desk, **fields) -> Matter:
    matter = opened(desk, **fields)
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    return matter


def kinds(matter: Matter) -> list[str]:
    return list(Entry.objects.filter(subject=f"supervision_matter:{matter.pk}").order_by("seq")
                .values_list("kind", flat=True))


def test_matters_are_numbered_per_bureau_and_year_without_gaps_and_ledgered():
    desk = desk_make()
    first, second = opened(desk), opened(desk)
    year = TODAY.year
    assert first.number.endswith(f"监督〔{year}〕1号") and second.number.endswith(f"监督〔{year}〕2号")
    assert first.state == MatterState.RECEIVED
    # A refused opening takes no number: the next is 3.
    with pytest.raises(Refused):
        opened(desk, subject="")
    assert opened(desk).number.endswith(f"〔{year}〕3号")
    assert kinds(first) == [EventKind.SUPERVISION_MATTER_OPENED]
    # Another bureau counts its own.
    other = desk_make()
    assert opened(other).number.endswith(f"〔{year}〕1号")


def test_only_the_bureaus_supervisors_register_matters_and_only_about_their_county():
    desk = desk_make()
    foreign = agency_make(region_code="150627", parent_government="乌审旗人民政府")
    with pytest.raises(Refused) as refused:
        opened(desk, agency=foreign)
    assert codes(refused.value) == ["matter.agency"]
    assert "第二条" in refused.value.violations[0].legal_basis
    other_county = desk_make()
    with pytest.raises(PermissionDenied):
        opened(desk, actor=other_county.first)
    # The platform and the public complaint channel open without an actor.
    assert opened(desk, actor=None, source=MatterSource.PLATFORM_ALERT).pk


def test_tasks_from_above_carry_the_assigning_body_and_reference_and_special_tasks_cite_article_21():
    desk = desk_make()
    with pytest.raises(Refused) as refused:
        opened(desk, source=MatterSource.SPECIAL_TASK)
    assert codes(refused.value) == ["matter.assigning_body", "matter.assigning_reference"]
    assert "第二十一条" in refused.value.violations[0].legal_basis
    assert "省级以上" in refused.value.violations[0].message
    matter = opened(desk, source=MatterSource.SPECIAL_TASK, assigning_body="内蒙古自治区司法厅",
                    assigning_reference="内司执监〔2026〕3号")
    assert matter.assigning_reference == "内司执监〔2026〕3号"


def test_a_matter_already_in_litigation_is_refused_and_closed_telling_the_complainant_where_to_go():
    """《行政执法监督条例》第三十三条: 已经进入行政复议或者行政诉讼程序的，不再重复监督."""
    desk = desk_make()
    matter = paired(desk, source=MatterSource.COMPLAINT, dispute="litigation", actor=None)
    with pytest.raises(Refused) as refused:
        services.matter_accept(matter=matter, actor=desk.first)
    assert codes(refused.value) == ["matter.dispute_pending"]
    violation = refused.value.violations[0]
    assert violation.legal_basis == "《行政执法监督条例》第三十三条"
    assert "人民法院" in violation.message and "不再重复监督" in violation.message
    # Closing it with another reason is refused too; the lawful path is the 第三十三条 reason.
    with pytest.raises(Refused) as wrong:
        services.matter_close(matter=matter, reason="no_facts", actor=desk.first)
    assert codes(wrong.value) == ["matter.close_reason"]
    closed = services.matter_close(matter=matter, reason="in_litigation", actor=desk.first)
    assert closed.state == MatterState.CLOSED and "人民法院" in closed.outcome
    assert kinds(closed)[-1] == EventKind.SUPERVISION_MATTER_CLOSED


def test_reconsideration_redirects_to_the_reconsideration_body():
    desk = desk_make()
    matter = paired(desk, dispute="reconsideration")
    with pytest.raises(Refused) as refused:
        services.matter_accept(matter=matter, actor=desk.first)
    assert "行政复议机关" in refused.value.violations[0].message


def test_a_single_supervisor_cannot_act_and_the_pair_can():
    """《四川省行政执法监督条例》第二十九条；《河北省行政执法监督条例》第十九条: two or more."""
    desk = desk_make()
    matter = opened(desk)
    with pytest.raises(Refused) as refused:
        services.matter_pair_assign(matter=matter, users=[desk.first], actor=desk.first)
    assert codes(refused.value) == ["supervisors.too_few"]
    assert "四川省行政执法监督条例" in refused.value.violations[0].legal_basis
    # Without a pair nobody acts, with every reason at once.
    with pytest.raises(Refused) as unassigned:
        services.matter_accept(matter=matter, actor=desk.first)
    assert codes(unassigned.value) == ["pair.not_assigned", "supervisors.too_few"]
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    assert services.matter_accept(matter=matter, actor=desk.second).state == MatterState.ACCEPTED
    assert kinds(matter) == [EventKind.SUPERVISION_MATTER_OPENED, EventKind.SUPERVISION_PAIR_ASSIGNED,
                             EventKind.SUPERVISION_MATTER_ACCEPTED]


def test_a_supervisor_whose_certificate_expired_cannot_act():
    desk = desk_make()
    expired = supervisor_user_make(bureau=desk.bureau, valid_to=TODAY - dt.timedelta(days=1), name="过期监督")
    matter = opened(desk)
    with pytest.raises(Refused) as refused:
        services.matter_pair_assign(matter=matter, users=[desk.first, expired], actor=desk.first)
    assert codes(refused.value) == ["supervisor.certificate_expired"]
    assert "已于" in refused.value.violations[0].message
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    assert services.matter_accept(matter=matter, actor=desk.first).state == MatterState.ACCEPTED


def test_a_recused_supervisor_cannot_act_and_a_replacement_restores_the_pair():
    """《四川省行政执法监督条例》第三十条；《河北省行政执法监督条例》第十八条."""
    desk = desk_make()
    matter = paired(desk)
    with pytest.raises(Refused) as no_reason:
        services.matter_supervisor_recuse(matter=matter, user=desk.second, reason=" ", actor=desk.second)
    assert codes(no_reason.value) == ["recusal.reason"]
    row = services.matter_supervisor_recuse(matter=matter, user=desk.second, reason="与被监督机关负责人系近亲属",
                                            actor=desk.second)
    assert row.recusal_declared
    with pytest.raises(Refused) as refused:
        services.matter_accept(matter=matter, actor=desk.second)
    assert codes(refused.value) == ["supervisor.recused"]
    assert "回避" in refused.value.violations[0].message
    with pytest.raises(Refused) as alone:
        services.matter_accept(matter=matter, actor=desk.first)
    assert codes(alone.value) == ["supervisors.too_few"]
    third = supervisor_user_make(bureau=desk.bureau, name="孙监督")
    # The recused supervisor cannot be named again.
    with pytest.raises(Refused) as again:
        services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    assert "supervisor.recused" in codes(again.value)
    services.matter_pair_assign(matter=matter, users=[desk.first, third], actor=desk.first)
    assert services.matter_accept(matter=matter, actor=third).state == MatterState.ACCEPTED
    assert EventKind.SUPERVISION_SUPERVISOR_RECUSED in kinds(matter)


def test_transfer_has_a_deadline_from_receipt_and_merge_and_final_states():
    desk = desk_make()
    received = TODAY - dt.timedelta(days=3)
    matter = paired(desk, received_on=received)
    # The parameter's 10 days by calendar days (tests/procedure/test_supervision_matters.py: both rules).
    assert matter.transfer_due_on == working_day_calendar_current().calendar_days_after(received, 10).date
    assert matter.transfer_due_on >= received + dt.timedelta(days=10)
    with pytest.raises(Refused) as refused:
        services.matter_transfer(matter=matter, to_body=" ", actor=desk.first)
    assert codes(refused.value) == ["matter.transfer_to"]
    moved = services.matter_transfer(matter=matter, to_body="鄂尔多斯市司法局", actor=desk.first)
    assert moved.state == MatterState.TRANSFERRED
    with pytest.raises(Refused) as ended:
        services.matter_accept(matter=moved, actor=desk.first)
    assert codes(ended.value) == ["matter.state"] and "移送" in ended.value.violations[0].message
    first, second = paired(desk), paired(desk)
    merged = services.matter_merge(matter=second, into=first, actor=desk.first)
    assert merged.state == MatterState.MERGED and merged.merged_into_id == first.pk


def test_measures_record_the_summons_and_self_inspection_and_refuse_what_is_missing():
    """《行政执法监督条例》第二十二条."""
    desk = desk_make()
    matter = paired(desk)
    with pytest.raises(Refused) as before:
        services.measure_record(matter=matter, actor=desk.first, kind="inspection", taken_on=TODAY, summary="检查")
    assert codes(before.value) == ["matter.state"]
    services.matter_accept(matter=matter, actor=desk.first)
    with pytest.raises(Refused) as refused:
        services.measure_record(matter=matter, actor=desk.first, kind="summons", taken_on=TODAY)
    assert codes(refused.value) == ["measure.attendees", "measure.record"]
    assert refused.value.violations[0].legal_basis == "《行政执法监督条例》第二十二条第五项"
    summons = services.measure_record(matter=matter, actor=desk.first, kind="summons", taken_on=TODAY,
                                      attendees="局长张三；法制股长李四", record="指出公示超期问题，要求十日内整改")
    assert summons.record.startswith("指出")
    with pytest.raises(Refused) as no_reply:
        services.measure_record(matter=matter, actor=desk.first, kind="self_inspection", taken_on=TODAY,
                                summary="自查执法公示")
    assert codes(no_reply.value) == ["measure.reply_on"]
    services.measure_record(matter=matter, actor=desk.first, kind="self_inspection", taken_on=TODAY,
                            summary="自查执法公示", reply_on=TODAY + dt.timedelta(days=15))
    assert kinds(matter).count(EventKind.SUPERVISION_MEASURE_RECORDED) == 2


def test_a_read_grant_names_cases_of_the_matters_agency_and_expires():
    desk = desk_make()
    matter = paired(desk)
    services.matter_accept(matter=matter, actor=desk.first)
    case = case_create(actor=None, agency=desk.agency, number="grant-001", title="被调阅案件")
    elsewhere = case_create(actor=None, agency=agency_make(), number="grant-002", title="他局案件")
    with pytest.raises(Refused) as refused:
        services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY,
                                cases=[elsewhere])
    assert codes(refused.value) == ["measure.case_agency"]
    until = timezone.now() + dt.timedelta(hours=2)
    services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[case],
                            grant_until=until)
    assert selectors.read_grant_active(user=desk.first, case_id=case.pk, at=until - dt.timedelta(minutes=1))
    assert selectors.read_grant_active(user=desk.first, case_id=case.pk, at=until + dt.timedelta(minutes=1)) is None
    assert selectors.read_grant_active(user=desk.first, case_id=elsewhere.pk, at=timezone.now()) is None
    outsider = supervisor_user_make(bureau=desk.bureau)
    assert selectors.read_grant_active(user=outsider, case_id=case.pk, at=timezone.now()) is None
    assert EventKind.SUPERVISION_READ_GRANTED in kinds(matter)


def test_the_default_read_grant_length_is_the_platform_parameter():
    desk = desk_make()
    matter = paired(desk)
    services.matter_accept(matter=matter, actor=desk.first)
    case = case_create(actor=None, agency=desk.agency, number="grant-003", title="默认期限")
    before = timezone.now()
    measure = services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[case])
    grant = measure.read_grants.get()
    assert before + dt.timedelta(days=7) <= grant.expires_at <= timezone.now() + dt.timedelta(days=7)


def test_marks_are_set_and_cleared_on_accepted_matters_with_article_20():
    desk = desk_make()
    matter = paired(desk)
    with pytest.raises(Refused) as refused:
        services.matter_mark_set(matter=matter, mark="listed", value=True, reason="群众反映强烈", actor=desk.first)
    assert codes(refused.value) == ["matter.state"]
    services.matter_accept(matter=matter, actor=desk.first)
    with pytest.raises(Refused) as no_reason:
        services.matter_mark_set(matter=matter, mark="listed", value=True, reason="", actor=desk.first)
    assert no_reason.value.violations[0].legal_basis == "《行政执法监督条例》第二十条"
    marked = services.matter_mark_set(matter=matter, mark="listed", value=True, reason="群众反映强烈", actor=desk.first)
    assert marked.listed
    cleared = services.matter_mark_set(matter=matter, mark="listed", value=False, reason="已整改", actor=desk.first)
    assert not cleared.listed
    assert kinds(matter).count(EventKind.SUPERVISION_MARK_CHANGED) == 2
    concluded = services.matter_conclude(matter=cleared, outcome="已督促整改完毕", actor=desk.second)
    assert concluded.state == MatterState.CONCLUDED and concluded.ended_on == TODAY

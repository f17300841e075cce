"""An attacker's and a lawyer's review of part B (issue 17): odd input answered with a Chinese
message beside the field (422, nothing written) instead of a 500, the yearly cap counting only
the inspections approved or carried out, and an upload of the evidence app unable to slip into an
inspection's photos."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionState
from sanxiang.ledger.models import Entry
from tests.inspection.builders import photo, world_make
from tests.inspection.test_inspection_pages import act_url, csrf_client, post
from tests.inspection.test_inspection_services import carried_out

pytestmark = pytest.mark.django_db


def _refused_beside(answer, field_message: str) -> str:
    html = answer.content.decode()
    assert answer.status_code == 422, answer.status_code
    assert field_message in html
    return html


def test_odd_input_of_the_record_and_result_forms_is_refused_not_a_500():
    world = world_make()
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="现场.png")
    officer = csrf_client(world.users[0])
    entries = Entry.objects.count()
    today = timezone.localdate().isoformat()
    # "²" is a digit to str.isdigit() but not to int(); a NUL byte PostgreSQL cannot store.
    form = {"on": today, "officer_ids": ["²", str(world.officers[0].pk)], f"point_{world.item.pk}": "许可\x00证",
            f"finding_{world.item.pk}": "pass", "certificates_shown": "on", "enterprise_signed": "on"}
    html = _refused_beside(post(officer, world.inspection, act_url(world.inspection, "inspection_record"), form),
                           "不能包含")
    assert "检查人员" in html
    form = {**form, "on": "9999-12-31", "officer_ids": [str(o.pk) for o in world.officers],
            f"point_{world.item.pk}": "许可证"}
    _refused_beside(post(officer, world.inspection, act_url(world.inspection, "inspection_record"), form),
                    "日期应在")
    assert Entry.objects.count() == entries
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.IN_PROGRESS


def test_a_far_or_backward_rectification_period_and_a_nul_in_the_findings_are_refused():
    world = world_make()
    inspection = carried_out(world)
    officer = csrf_client(world.users[0])
    today = timezone.localdate()
    entries = Entry.objects.count()
    url = act_url(inspection, "inspection_send_result")
    # A date past the platform's range used to overflow when the follow-up was planned (500).
    _refused_beside(post(officer, inspection, url, {"outcome": "rectify", "findings": "台账不全",
                                                     "sent_on": today.isoformat(), "rectification_due": "9999-12-31"}),
                    "日期应在")
    # A rectification period ending before the result was told cannot be met: the follow-up
    # would be planned in the past.
    html = _refused_beside(post(officer, inspection, url, {
        "outcome": "rectify", "findings": "台账不全", "sent_on": today.isoformat(),
        "rectification_due": (today - dt.timedelta(days=3)).isoformat()}), "整改期限不能早于告知结果的日期")
    assert "平台规则" in html
    _refused_beside(post(officer, inspection, url, {"outcome": "rectify", "findings": "台账\x00不全",
                                                     "sent_on": today.isoformat(),
                                                     "rectification_due": (today + dt.timedelta(days=10)).isoformat()}),
                    "不能包含空字符")
    assert Entry.objects.count() == entries
    assert not Inspection.objects.filter(follow_up_of=inspection).exists()
    # The allowed path: a period after the day the result is told.
    answer = post(officer, inspection, url, {"outcome": "rectify", "findings": "台账不全", "sent_on": today.isoformat(),
                                             "rectification_due": (today + dt.timedelta(days=10)).isoformat()})
    assert answer.status_code == 302
    assert Inspection.objects.filter(follow_up_of=inspection).count() == 1


def test_test_results_cannot_come_before_the_visit_nor_after_today():
    # The 5 working days of 海南 第二十二条 run from the test results: a date after today or before
    # the visit would move the deadline (and far away broke the page: the deadline overflowed).
    world = world_make()
    inspection = carried_out(world)
    officer = csrf_client(world.users[0])
    today = timezone.localdate()
    url = act_url(inspection, "inspection_send_result")
    base = {"outcome": "pass", "sent_on": today.isoformat()}
    _refused_beside(post(officer, inspection, url, {**base, "test_results_on": "2099-12-30"}),
                    "取得检测结果的日期不能晚于今天")
    _refused_beside(post(officer, inspection, url, {**base, "test_results_on": (today - dt.timedelta(days=30)).isoformat()}),
                    "取得检测结果的日期不能早于检查日期")
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.RECORDED
    assert csrf_client(world.users[0]).get(reverse("inspection:detail", args=[inspection.pk])).status_code == 200


def _other(world, *, state: str, source: str = "planned") -> Inspection:
    other = Inspection.objects.create(agency=world.agency, target=world.target, source=source, state=state,
                                      planned_from=world.inspection.planned_from,
                                      planned_to=world.inspection.planned_to)
    other.items.set([world.item])
    other.officers.set(world.officers)
    return other


def test_the_yearly_cap_counts_what_was_approved_or_carried_out_not_what_awaits_approval():
    # 海南 第九条、第十二条 (the parameter inspection.yearly_cap, 2 a year by default): inspections
    # merely assigned, not yet approved by the head, are not inspections of the enterprise yet;
    # two of them must not block the approval of a third.
    world = world_make(source="planned")
    for _ in range(2):
        _other(world, state=InspectionState.ASSIGNED)
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.APPROVED


def test_the_cap_blocks_a_third_planned_check_but_not_one_on_a_complaint():
    from sanxiang.procedure.violations import Refused

    world = world_make(source="planned")
    for _ in range(2):
        _other(world, state=InspectionState.CLOSED)
    with pytest.raises(Refused) as refused:
        inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                       data={"approval": "agree"})
    cap = [v for v in refused.value.violations if v.code == "inspection.cap_exceeded"]
    assert cap and "年度上限2次" in cap[0].message and "第十二条" in cap[0].legal_basis
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.ASSIGNED
    # The allowed path: a check on a complaint is outside the cap.
    Inspection.objects.filter(pk=world.inspection.pk).update(source="complaint")
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.APPROVED


def test_an_upload_of_the_evidence_app_cannot_pose_as_a_photo_of_an_inspection():
    # The photos of a visit are the evidence records filed under the step "inspection-<id>"; they
    # make the record's 全过程记录 and go over to the penalty case. A colleague not sent, typing that
    # step in the evidence app's upload, would add to another inspection's photos.
    from sanxiang.evidence.services import evidence_metadata_check
    from sanxiang.inspection.inspection_selectors import inspection_evidence_step
    from sanxiang.procedure.violations import Refused

    world = world_make(officers=1)
    colleague = world.users[1]
    step = inspection_evidence_step(world.inspection)
    for typed in (step, step.upper()):
        with pytest.raises(Refused) as refused:
            evidence_metadata_check(actor=colleague, kind="photo", original_name="a.png", step=typed, step_typed=True)
        assert [v.code for v in refused.value.violations] == ["evidence.step_reserved"]
    # The allowed path: a step of the officer's own words; the inspection's page files its photos.
    evidence_metadata_check(actor=colleague, kind="photo", original_name="a.png", step="现场检查", step_typed=True)


def test_the_head_declines_an_inspection_only_with_a_reason_which_is_kept():
    # 海南 第十五条: the head decides on the inspection; a refusal states why (the platform's
    # approval form rule), and the reason is kept on the inspection, not only as a digest.
    from sanxiang.procedure.violations import Refused

    world = world_make()
    entries = Entry.objects.count()
    with pytest.raises(Refused) as refused:
        inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_decline",
                       data={"reason": "  "})
    assert [v.code for v in refused.value.violations] == ["inspection.decline.reason"]
    assert "平台规则" in refused.value.violations[0].legal_basis
    assert Entry.objects.count() == entries
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.ASSIGNED
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_decline",
                   data={"reason": "该企业本年度已并入综合查一次"})
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.CANCELLED
    assert world.inspection.facts["declined"]["reason"] == "该企业本年度已并入综合查一次"


def test_the_code_page_is_limited_per_address_like_the_other_public_lookups():
    # The code is 10 characters of 32 (50 bits); the page still counts the lookups of one address
    # like the complaint tracking page (a platform rule, inspection.code_lookups_per_hour).
    from django.test import Client

    from sanxiang.procedure.parameters import parameters_default

    world = world_make()
    inspection = inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                                data={"approval": "agree"})
    limit = int(parameters_default().value("inspection.code_lookups_per_hour", on=timezone.localdate()))
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(limit):
        assert guesser.get(reverse("inspection_code:page", args=["ABCDEFGHJK"])).status_code == 404
    answer = guesser.get(reverse("inspection_code:page", args=[inspection.code]))
    assert answer.status_code == 429 and "查询过于频繁" in answer.content.decode()
    assert inspection.code not in answer.content.decode() and world.agency.name not in answer.content.decode()
    # Another address reads the code.
    assert Client(REMOTE_ADDR="203.0.113.10").get(reverse("inspection_code:page", args=[inspection.code])).status_code == 200


def test_a_nul_in_the_off_site_findings_is_refused_where_the_officer_sees_it():
    world = world_make()
    world.item.offsite_first = True
    world.item.save()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    officer = csrf_client(world.users[0])
    answer = post(officer, world.inspection, act_url(world.inspection, "inspection_offsite"),
                  {"method": "written", "offsite_on": timezone.localdate().isoformat(), "offsite_findings": "资料\x00齐全"})
    _refused_beside(answer, "核查情况不能包含空字符")
    world.inspection.refresh_from_db()
    assert "offsite" not in world.inspection.facts

"""紧急情况先行检查, 事后补办 (《海南省涉企行政检查条例（试行）》第十五条: the head approves beforehand;
in an emergency the officers begin and the approval is obtained afterwards; the period is a
platform rule, `inspection.emergency_approval_days`, 1 day after 行政强制法 第十九条's 24 hours).
The officer begins only with the emergency stated, never a 专项检查 (第十条) nor a 双随机 check
(platform rule); the visit is recorded without waiting; the head approves after the fact, once;
an approval not obtained in time, or refused, reaches the 司法局's desk; the record and the code's
public page show it as 事后补办."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases.selectors import guard_context
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.alerts import platform_alerts_open
from sanxiang.supervision.models import Matter
from tests.factories import agency_make
from tests.inspection.builders import photo, world_make

pytestmark = pytest.mark.django_db

EMERGENCY = "群众举报该企业冷库氨气泄漏，存在重大安全隐患，须立即检查"
HAINAN_15 = "《海南省涉企行政检查条例（试行）》第十五条"


def begun(world, *, on: dt.date | None = None, reason: str = EMERGENCY) -> Inspection:
    return inspection_act(actor=world.users[0], inspection_id=world.inspection.pk,
                          action="inspection_start_emergency", data={"reason": reason},
                          context=guard_context(on=on) if on else None)


def test_the_officer_begins_in_an_emergency_records_the_visit_and_the_head_approves_afterwards():
    world = world_make(source=InspectionSource.COMPLAINT)
    today = timezone.localdate()
    inspection = begun(world)
    assert inspection.state == InspectionState.IN_PROGRESS and inspection.code
    assert (inspection.emergency_started_on, inspection.emergency_approval_due) == (today, today + dt.timedelta(days=1))
    assert Entry.objects.filter(kind=EventKind.INSPECTION_CODE_ISSUED, subject=f"inspection:{inspection.pk}").count() == 1
    # the visit is recorded before the approval: 事后补办 is lawful, the record is never held back
    inspection_photo_add(actor=world.users[0], inspection_id=inspection.pk, source=photo(), original_name="a.png")
    inspection = inspection_act(actor=world.users[0], inspection_id=inspection.pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in world.officers], "certificates_shown": True, "checklist": world.checklist(),
        "enterprise_signed": True, "on": today})
    assert inspection.state == InspectionState.RECORDED
    with pytest.raises(Refused) as refused:  # an officer does not approve
        inspection_act(actor=world.users[0], inspection_id=inspection.pk, action="inspection_approve_after",
                       data={"approval": "agree"})
    assert refused.value.violations
    inspection = inspection_act(actor=world.head, inspection_id=inspection.pk, action="inspection_approve_after",
                                data={"approval": "agree"})
    assert inspection.emergency_decided_on == today and not inspection.emergency_refused
    assert inspection.facts["approval"]["approved"] and inspection.facts["emergency"]["reason"] == EMERGENCY
    with pytest.raises(Refused) as again:
        inspection_act(actor=world.head, inspection_id=inspection.pk, action="inspection_approve_after",
                       data={"approval": "agree"})
    assert [v.code for v in again.value.violations] == ["inspection.approve_after.done"]
    agency_make(name="乌审旗司法局（紧急检查）", is_judicial_bureau=True)
    assert platform_alerts_open(on=today + dt.timedelta(days=5)) == 0  # approved in time: nothing to supervise


def test_beginning_without_approval_needs_a_stated_emergency_and_is_no_path_for_a_random_check():
    world = world_make(source=InspectionSource.RANDOM)
    with pytest.raises(Refused) as refused:
        begun(world, reason="  ")
    by_code = {v.code: v for v in refused.value.violations}
    assert set(by_code) == {"inspection.emergency.reason", "inspection.emergency.random"}  # every reason at once
    assert by_code["inspection.emergency.reason"].legal_basis == HAINAN_15
    assert "须写明紧急情况" in by_code["inspection.emergency.reason"].message
    assert "请先报负责人批准" in by_code["inspection.emergency.random"].message
    assert by_code["inspection.emergency.random"].legal_basis.startswith("平台规则")
    assert Inspection.objects.get(pk=world.inspection.pk).state == InspectionState.ASSIGNED  # nothing written
    # the lawful path: the head's approval first
    approved = inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                              data={"approval": "agree"})
    assert approved.state == InspectionState.APPROVED and approved.emergency_started_on is None
    with pytest.raises(Refused) as no_emergency:
        inspection_act(actor=world.head, inspection_id=approved.pk, action="inspection_approve_after",
                       data={"approval": "agree"})
    assert no_emergency.value.violations


def test_an_approval_not_obtained_in_time_or_refused_reaches_the_desk_once():
    bureau = agency_make(name="乌审旗司法局（补办）", is_judicial_bureau=True)
    today = timezone.localdate()
    past = today - dt.timedelta(days=10)
    late = world_make(source=InspectionSource.COMPLAINT, on=past)
    begun(late, on=past)
    refused = world_make(source=InspectionSource.REFERRAL)
    begun(refused)
    inspection_act(actor=refused.head, inspection_id=refused.inspection.pk, action="inspection_approve_after",
                   data={"approval": "disagree", "reason": "不属于紧急情况"})
    assert platform_alerts_open(on=today) == 2
    assert platform_alerts_open(on=today) == 0  # once
    overdue = Matter.objects.get(alert_key=f"inspection_emergency_overdue:{late.inspection.pk}")
    assert overdue.bureau == bureau and "逾期未补办批准手续" in overdue.subject
    assert f"最迟于{(past + dt.timedelta(days=1)).isoformat()}补办" in overdue.summary and "平台规则" in overdue.summary
    not_ratified = Matter.objects.get(alert_key=f"inspection_emergency_refused:{refused.inspection.pk}")
    assert "未获负责人追认" in not_ratified.subject and f"参照{HAINAN_15}" in not_ratified.summary
    assert "依据" not in not_ratified.summary and "平台规则：紧急情况下先行检查的补办期限" in not_ratified.summary
    # obtained late: the record says so
    inspection_act(actor=late.head, inspection_id=late.inspection.pk, action="inspection_approve_after",
                   data={"approval": "agree"})
    client = Client()
    client.force_login(late.head)
    page = client.get(reverse("inspection:detail", args=[late.inspection.pk])).content.decode()
    assert "事后补办" in page and f"实际于{today.isoformat()}补办" in page


def test_the_pages_offer_the_emergency_path_and_show_it_as_made_good_afterwards():
    world = world_make(source=InspectionSource.COMPLAINT)
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(world.users[0])
    today_page = officer.get(reverse("inspection:today")).content.decode()
    assert 'data-testid="awaiting"' in today_page and world.target.name in today_page
    page = officer.get(reverse("inspection:detail", args=[world.inspection.pk])).content.decode()
    assert 'data-testid="emergency-form"' in page and "平台规则：紧急情况下先行检查的补办期限" in page  # the period's basis
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url = reverse("inspection:act", args=[world.inspection.pk, "inspection_start_emergency"])
    assert officer.post(url, {"emergency_reason": EMERGENCY}).status_code == 403  # no token
    blank = officer.post(url, {"csrfmiddlewaretoken": token, "emergency_reason": ""})
    assert blank.status_code == 422 and "须写明紧急情况" in blank.content.decode()
    assert officer.post(url, {"csrfmiddlewaretoken": token, "emergency_reason": EMERGENCY}).status_code == 302
    page = officer.get(reverse("inspection:detail", args=[world.inspection.pk])).content.decode()
    assert 'data-testid="emergency"' in page and 'data-testid="emergency-pending"' in page and EMERGENCY in page
    code = Inspection.objects.get(pk=world.inspection.pk).code
    public = Client().get(reverse("inspection_code:page", args=[code])).content.decode()
    assert 'data-testid="code-valid"' in public and "负责人批准手续依法事后补办" in public
    head = Client()
    head.force_login(world.head)
    assert 'data-testid="to-approve-after"' in head.get(reverse("inspection:today")).content.decode()
    after = reverse("inspection:act", args=[world.inspection.pk, "inspection_approve_after"])
    assert head.post(after, {"approval": "agree"}).status_code == 302
    page = head.get(reverse("inspection:detail", args=[world.inspection.pk])).content.decode()
    assert 'data-testid="emergency-decided"' in page and 'data-testid="approve-after-form"' not in page
    assert "负责人批准手续依法事后补办" not in Client().get(reverse("inspection_code:page", args=[code])).content.decode()


def test_a_refused_ratification_stops_the_visit_no_record_no_result_no_case_and_voids_the_code():
    """海南 第十五条 (事后补办) with the head's refusal, 行政处罚法 第四十六条: what was gathered without a
    lawful approval founds no case. Block: inspection_record and inspection_send_result refused,
    every reason; message names the refusal; allowed path: the head ends it (不予实施)."""
    from sanxiang.cases.models import Case

    world = world_make(source=InspectionSource.REFERRAL)
    today = timezone.localdate()
    inspection = begun(world)
    code = inspection.code
    inspection_photo_add(actor=world.users[0], inspection_id=inspection.pk, source=photo(), original_name="a.png")
    inspection_act(actor=world.head, inspection_id=inspection.pk, action="inspection_approve_after",
                   data={"approval": "disagree", "reason": "不属于紧急情况"})
    visit = {"officer_ids": [o.pk for o in world.officers], "certificates_shown": True,
             "checklist": world.checklist("fail"), "enterprise_signed": True, "on": today}
    with pytest.raises(Refused) as refused:
        inspection_act(actor=world.users[0], inspection_id=inspection.pk, action="inspection_record",
                       data={**visit, "certificates_shown": False})
    by_code = {v.code: v for v in refused.value.violations}
    assert {"inspection.emergency.refused", "inspection.certificates_not_shown"} <= set(by_code)  # every reason
    block = by_code["inspection.emergency.refused"]
    assert "不同意追认" in block.message and "不能填写现场检查记录" in block.message and "不予实施" in block.message
    assert block.legal_basis.startswith("平台规则") and f"参照{HAINAN_15}" in block.legal_basis
    assert "《中华人民共和国行政处罚法》第四十六条" in block.legal_basis
    assert Inspection.objects.get(pk=inspection.pk).state == InspectionState.IN_PROGRESS  # nothing written
    # Recorded before the refusal: the result (a violation) is refused too, no penalty case opened.
    other = world_make(source=InspectionSource.REFERRAL)
    begun(other)
    inspection_photo_add(actor=other.users[0], inspection_id=other.inspection.pk, source=photo(), original_name="a.png")
    inspection_act(actor=other.users[0], inspection_id=other.inspection.pk, action="inspection_record",
                   data={**visit, "officer_ids": [o.pk for o in other.officers], "checklist": other.checklist("fail")})
    inspection_act(actor=other.head, inspection_id=other.inspection.pk, action="inspection_approve_after",
                   data={"approval": "disagree", "reason": "不属于紧急情况"})
    with pytest.raises(Refused) as no_result:
        inspection_act(actor=other.users[0], inspection_id=other.inspection.pk, action="inspection_send_result",
                       data={"outcome": "violation", "findings": "无证经营", "sent_on": today})
    assert [v.code for v in no_result.value.violations] == ["inspection.emergency.refused"]
    assert "不能告知检查结果" in no_result.value.violations[0].message
    assert not Case.objects.filter(agency=other.agency).exists()
    assert Inspection.objects.get(pk=other.inspection.pk).state == InspectionState.RECORDED
    # The public code page: void, said in words.
    public = Client().get(reverse("inspection_code:page", args=[code])).content.decode()
    assert "负责人不同意追认，检查码已失效" in public and 'data-testid="code-valid"' not in public
    # The head's page shows the block and the path; the forms of the blocked steps are gone.
    head = Client(enforce_csrf_checks=True)
    head.force_login(world.head)
    page = head.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert 'data-testid="emergency-refused"' in page and 'data-testid="record-form"' not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url = reverse("inspection:act", args=[inspection.pk, "inspection_decline"])
    assert head.post(url, {"reason": "负责人不同意追认"}).status_code == 403  # no token
    assert head.post(url, {"reason": "负责人不同意追认", "csrfmiddlewaretoken": token}).status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).state == InspectionState.CANCELLED  # the allowed path
    # A ratified one goes on; declining a visit already begun stays refused.
    ratified = world_make(source=InspectionSource.REFERRAL)
    begun(ratified)
    inspection_act(actor=ratified.head, inspection_id=ratified.inspection.pk, action="inspection_approve_after",
                   data={"approval": "agree"})
    with pytest.raises(Refused) as begun_already:
        inspection_act(actor=ratified.head, inspection_id=ratified.inspection.pk, action="inspection_decline",
                       data={"reason": "不再检查"})
    assert [v.code for v in begun_already.value.violations] == ["inspection.decline.begun"]

"""综合查一次 (《海南省涉企行政检查条例（试行）》第十一条; 《优化营商环境条例》第五十四条): another body of the
county joins a visit to the same enterprise with its own listed items (第七条) and its own officers;
its head joining is its approval (第十五条); each body's part is carried out by at least two of its
own officers certified for its field (行政处罚法 第四十二条, 海南 第十八条) and within its own yearly
cap (第九条); one visit, one record covering every item of every body, counted once in the
high-frequency alert. Refusals report every reason at once, nothing written."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import (
    Inspection,
    InspectionItem,
    InspectionSource,
    InspectionState,
    InspectionTarget,
)
from sanxiang.procedure.violations import Refused
from tests.factories import agency_make, certificate_make, officer_make, user_make
from tests.inspection.builders import photo, world_make

pytestmark = pytest.mark.django_db

HEALTH = "卫生健康"


def second_body(world, *, region: str = "150626", certified: str = HEALTH):
    agency = agency_make(region_code=region, enforcement_fields=HEALTH)
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    officers = []
    for _ in range(2):
        officer = officer_make(agency=agency, certificate=False)
        certificate_make(officer=officer, enforcement_fields=certified)
        officers.append(officer)
    item = InspectionItem.objects.create(agency=agency, code="WS-001", name="公共场所卫生许可检查",
                                         legal_basis="《公共场所卫生管理条例》第十四条", enforcement_field=HEALTH)
    InspectionTarget.objects.create(agency=agency, name=world.target.name, credit_code=world.target.credit_code,
                                    sector=HEALTH)
    return agency, head, officers, item


def join(world, head, item, officers):
    return inspection_act(actor=head, inspection_id=world.inspection.pk, action="inspection_join",
                          data={"item_ids": [item.pk], "officer_ids": [o.pk for o in officers]})


def test_two_bodies_one_visit_one_record_counted_once():
    world = world_make(source=InspectionSource.PLANNED)
    agency, head, officers, item = second_body(world)
    inspection = join(world, head, item, officers)
    assert list(inspection.joint_agencies.all()) == [agency]
    assert {i.pk for i in inspection.items.all()} == {world.item.pk, item.pk}
    snapshot = sel.inspection_snapshot(sel.inspection_load(pk=inspection.pk))
    assert snapshot.body_ids == (world.agency.pk, agency.pk) and snapshot.combined
    pk = inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    officer_of_b = user_make(role=Role.OFFICER, agency=agency, officer=officers[0])
    inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    visit = {"officer_ids": [o.pk for o in (*world.officers, *officers)], "certificates_shown": True,
             "enterprise_signed": True, "on": timezone.localdate(), "checklist": world.checklist()}
    with pytest.raises(Refused) as incomplete:  # one record covers every item of every body
        inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data=visit)
    missing = [v for v in incomplete.value.violations if v.code == "inspection.checklist.item_missing"]
    assert len(missing) == 1 and item.name in missing[0].message
    assert missing[0].legal_basis.startswith("《优化营商环境条例》第五十四条") and "第十一条" in missing[0].legal_basis
    visit["checklist"] = [*world.checklist(), {"item_id": item.pk, "point": "卫生许可证在有效期内", "finding": "pass"}]
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data=visit)
    closed = inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_send_result",
                            data={"outcome": "pass", "sent_on": timezone.localdate()})
    assert closed.state == InspectionState.CLOSED and closed.counts_in_statistics
    # one visit: one inspection in the alert's count; it counts against each body's yearly cap
    assert Inspection.objects.filter(target__credit_code=world.target.credit_code).count() == 1
    later = Inspection.objects.create(agency=agency, target=InspectionTarget.objects.get(agency=agency),
                                      source=InspectionSource.PLANNED, planned_from=timezone.localdate(),
                                      planned_to=timezone.localdate())
    assert {p.body_id for p in sel.prior_inspections(later)} == {world.agency.pk, agency.pk}


def test_a_body_joins_only_with_its_own_qualified_officers_and_items_every_reason_at_once():
    world = world_make(source=InspectionSource.PLANNED)
    agency, head, officers, item = second_body(world, certified="市场监管")  # certificates of another field
    with pytest.raises(Refused) as refused:
        inspection_act(actor=head, inspection_id=world.inspection.pk, action="inspection_join",
                       data={"item_ids": [], "officer_ids": [officers[0].pk]})
    by_code = {v.code: v for v in refused.value.violations}
    assert "inspection.joint.no_items" in by_code and by_code["inspection.joint.no_items"].legal_basis.endswith("第七条")
    too_few = by_code["inspection.officers.too_few"]
    assert too_few.message.startswith(f"{agency.name}：行政检查须由不少于2名") and "第四十二条" in too_few.legal_basis
    with pytest.raises(Refused) as wrong_field:
        join(world, head, item, officers)
    assert any(v.message.startswith(agency.name) and v.code.startswith("inspection.officers.")
               for v in wrong_field.value.violations)
    assert not world.inspection.joint_agencies.exists() and world.inspection.items.count() == 1  # nothing written
    with pytest.raises(Refused) as foreign_item:  # an item of the organising body is not the joiner's
        inspection_act(actor=head, inspection_id=world.inspection.pk, action="inspection_join",
                       data={"item_ids": [world.item.pk], "officer_ids": [o.pk for o in officers]})
    assert "inspection.joint.items" in {v.code for v in foreign_item.value.violations}
    with pytest.raises(PermissionDenied):  # the organiser's own head does not "join"
        join(world, world.head, item, officers)


def test_a_body_of_another_county_or_over_its_cap_may_not_join():
    world = world_make(source=InspectionSource.PLANNED)
    _, far_head, far_officers, far_item = second_body(world, region="150627")
    with pytest.raises(Refused) as refused:
        join(world, far_head, far_item, far_officers)
    assert {v.code for v in refused.value.violations} == {"inspection.joint.county"}
    agency, head, officers, item = second_body(world)
    own_target = InspectionTarget.objects.get(agency=agency)
    today = timezone.localdate()
    for days in (1, 2):  # two checks by this body this year: its yearly cap (2) reached
        day = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=days))
        Inspection.objects.create(agency=agency, target=own_target, source=InspectionSource.PLANNED, planned_from=day,
                                  planned_to=day, started_on=day, state=InspectionState.CLOSED)
    with pytest.raises(Refused) as capped:
        join(world, head, item, officers)
    cap = [v for v in capped.value.violations if v.code == "inspection.cap_exceeded"]
    assert len(cap) == 1 and agency.name in cap[0].message and "综合查一次" in cap[0].message


def test_the_pages_offer_the_visit_to_the_other_body_and_show_both_bodies():
    world = world_make(source=InspectionSource.PLANNED)
    agency, head, officers, item = second_body(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(head)
    today = client.get(reverse("inspection:today")).content.decode()
    assert 'data-testid="joinable"' in today and world.target.name in today
    page = client.get(reverse("inspection:detail", args=[world.inspection.pk])).content.decode()
    assert 'data-testid="join-form"' in page and item.name in page and world.item.name in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url = reverse("inspection:act", args=[world.inspection.pk, "inspection_join"])
    form = {"join_items": [item.pk], "join_officers": [o.pk for o in officers]}
    assert client.post(url, form).status_code == 403  # no token
    assert client.post(url, {**form, "csrfmiddlewaretoken": token}).status_code == 302
    page = client.get(reverse("inspection:detail", args=[world.inspection.pk])).content.decode()
    assert 'data-testid="joint-bodies"' in page and 'data-testid="join-form"' not in page
    assert 'data-testid="joinable"' not in client.get(reverse("inspection:today")).content.decode()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    code = Inspection.objects.get(pk=world.inspection.pk).code
    public = Client().get(reverse("inspection_code:page", args=[code])).content.decode()
    shown = re.search(r'data-testid="code-agency">([^<]+)<', public).group(1)
    assert shown == f"{world.agency.name}、{agency.name}" and officers[0].name in public
    stranger = Client()
    stranger.force_login(user_make(role=Role.AGENCY_HEAD, agency=agency_make()))  # no register row: may not read
    assert stranger.get(reverse("inspection:detail", args=[world.inspection.pk])).status_code == 403


def test_a_rectification_after_a_joint_visit_schedules_the_organisers_own_follow_up():
    world = world_make(source=InspectionSource.PLANNED)
    _, head, officers, item = second_body(world)
    join(world, head, item, officers)
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in (*world.officers, *officers)], "certificates_shown": True,
        "enterprise_signed": True, "on": timezone.localdate(),
        "checklist": [*world.checklist("fail"), {"item_id": item.pk, "point": "卫生许可", "finding": "pass"}]})
    closed = inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_send_result", data={
        "outcome": "rectify", "findings": "许可证过期", "sent_on": timezone.localdate(),
        "rectification_due": timezone.localdate() + dt.timedelta(days=10)})
    follow_up = closed.follow_ups.get()
    assert list(follow_up.items.all()) == [world.item]
    assert set(follow_up.officers.all()) == set(world.officers) and not follow_up.joint_agencies.exists()
    assert sel.inspection_snapshot(sel.inspection_load(pk=follow_up.pk)).body_ids == (world.agency.pk,)


def test_a_complaint_about_a_joint_visit_may_name_any_body_that_took_part():
    from sanxiang.supervision.complaint_services import complaint_receive

    world = world_make(source=InspectionSource.PLANNED)
    agency, head, officers, item = second_body(world)
    agency_make(name="乌审旗司法局（联合检查投诉）", is_judicial_bureau=True)
    join(world, head, item, officers)
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    code = Inspection.objects.get(pk=world.inspection.pk).code
    fields = dict(channel="portal", anonymous=True, name="", phone="", id_number="", happened_on=None,
                  description="卫生健康部门检查人员未出示执法证件即进入后厨检查。", pending_remedy="none",
                  inspection_code=code)
    complaint, _ = complaint_receive(agency_id=agency.pk, **fields)
    assert complaint.inspection_id == world.inspection.pk and complaint.agency == agency
    with pytest.raises(Refused) as refused:
        complaint_receive(agency_id=agency_make().pk, **fields)
    [wrong] = refused.value.violations
    assert wrong.code == "complaint.inspection_agency" and f"{world.agency.name}、{agency.name}" in wrong.message


def test_a_joined_officers_photo_counts_but_only_the_organiser_begins_in_an_emergency():
    world = world_make(source=InspectionSource.PLANNED)
    agency, head, officers, item = second_body(world)
    join(world, head, item, officers)
    pk = world.inspection.pk
    officer_of_b = user_make(role=Role.OFFICER, agency=agency, officer=officers[0])
    with pytest.raises(Refused) as emergency:  # a platform rule: the organiser's officers begin first
        inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_start_emergency",
                       data={"reason": "冷库氨气泄漏，须立即检查"})
    lead = [v for v in emergency.value.violations if v.code == "inspection.joint.emergency_lead"]
    assert len(lead) == 1 and world.agency.name in lead[0].message and lead[0].legal_basis.startswith("平台规则")
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_start", data={})
    # The joined officer's photo is filed under the joined body, and counted and listed for the visit.
    inspection_photo_add(actor=officer_of_b, inspection_id=pk, source=photo(), original_name="b.png")
    inspection = sel.inspection_load(pk=pk)
    assert sel.inspection_media_counts(inspection) == (1, 0)
    assert [p.agency_id for p in sel.inspection_photos(inspection)] == [agency.pk]
    recorded = inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in (*world.officers, *officers)], "certificates_shown": True,
        "enterprise_signed": True, "on": timezone.localdate(),
        "checklist": [*world.checklist("fail"), {"item_id": item.pk, "point": "卫生许可", "finding": "pass"}]})
    assert recorded.state == InspectionState.RECORDED and recorded.facts["record"]["photos"] == 1
    # (a violation found: each body opens its own case, tests/inspection/test_inspection_joint_cases.py)


def test_a_visit_past_its_period_or_on_a_complaint_is_neither_offered_nor_joinable():
    today = timezone.localdate()
    past = world_make(source=InspectionSource.PLANNED, on=today - dt.timedelta(days=10))  # period ended 3 days ago
    agency, head, officers, item = second_body(past)
    assert not sel.inspection_joinable_by(sel.inspection_load(pk=past.inspection.pk), agency_id=agency.pk,
                                          region_code=agency.region_code, on=today)
    assert sel.inspections_joinable(agency_id=agency.pk, region_code=agency.region_code, on=today) == []
    with pytest.raises(Refused) as over:
        join(past, head, item, officers)
    assert "inspection.joint.period_over" in {v.code for v in over.value.violations}
    assert not Inspection.objects.get(pk=past.inspection.pk).joint_agencies.exists()
    for source in (InspectionSource.COMPLAINT, InspectionSource.REFERRAL):
        world = world_make(source=source)
        agency, head, officers, item = second_body(world)
        inspection = sel.inspection_load(pk=world.inspection.pk)
        assert not sel.inspection_joinable_by(inspection, agency_id=agency.pk, region_code=agency.region_code)
        assert sel.inspections_joinable(agency_id=agency.pk, region_code=agency.region_code, on=today) == []
        client = Client()
        client.force_login(head)  # same county, the enterprise in its register: still may not read it
        assert client.get(reverse("inspection:detail", args=[world.inspection.pk])).status_code == 403
        with pytest.raises(Refused) as private:
            join(world, head, item, officers)
        assert {v.code for v in private.value.violations} == {"inspection.joint.private_source"}
    planned = world_make(source=InspectionSource.PLANNED)  # the same body's planned visit stays offered
    agency, *_ = second_body(planned)
    assert [i.pk for i in sel.inspections_joinable(agency_id=agency.pk, region_code=agency.region_code, on=today)] \
        == [planned.inspection.pk]

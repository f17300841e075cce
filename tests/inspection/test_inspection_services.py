"""Carrying out an inspection through the services (issue 17 part B): each step through the
engine, its ledger entry in the same transaction, a refusal with every reason and nothing
written, the 检查码 issued at approval, a photo filed through the evidence app, a violation found
opening a penalty case with the photo carried over, a rectification order scheduling the
follow-up, counting in the statistics."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.inspection.builders import photo, world_make

pytestmark = pytest.mark.django_db


def visit(world, **overrides) -> dict:
    return {"officer_ids": [o.pk for o in world.officers], "certificates_shown": True,
            "checklist": world.checklist(), "enterprise_signed": True, "on": timezone.localdate()} | overrides


def carried_out(world) -> Inspection:
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="现场.png")
    return inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data=visit(world))


def test_a_pass_walks_to_closed_with_an_entry_per_step_and_counts():
    world = world_make()
    carried_out(world)
    inspection = inspection_act(actor=world.users[1], inspection_id=world.inspection.pk,
                                action="inspection_send_result", data={"outcome": "pass", "sent_on": timezone.localdate()})
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.CLOSED and inspection.code and len(inspection.code) == 10
    assert inspection.counts_in_statistics and inspection.result_outcome == "pass"
    assert inspection.publish_due is not None  # a 双随机 result is published (20 working days)
    steps = Entry.objects.filter(kind=EventKind.INSPECTION_STEP, subject=f"inspection:{inspection.pk}")
    assert steps.count() == 4
    assert Entry.objects.filter(kind=EventKind.INSPECTION_CODE_ISSUED).count() == 1


def test_one_officer_is_refused_with_every_reason_and_nothing_written():
    world = world_make(officers=1)
    entries = Entry.objects.count()
    with pytest.raises(Refused) as refused:
        inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve", data={})
    codes = [v.code for v in refused.value.violations]
    assert set(codes) >= {"inspection.approval.unanswered", "inspection.officers.too_few"}
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.ASSIGNED and not world.inspection.code
    assert Entry.objects.count() == entries


def test_an_officer_not_sent_may_not_act_nor_may_an_officer_approve():
    world = world_make(officers=1)
    with pytest.raises(PermissionDenied):
        inspection_act(actor=world.users[1], inspection_id=world.inspection.pk, action="inspection_start", data={})
    with pytest.raises(Refused) as refused:
        inspection_act(actor=world.users[0], inspection_id=world.inspection.pk, action="inspection_approve",
                       data={"approval": "agree"})
    assert "case.role" in [v.code for v in refused.value.violations]


def test_a_record_without_a_photo_is_refused():
    world = world_make()
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    with pytest.raises(Refused) as refused:
        inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data=visit(world))
    no_media = [v for v in refused.value.violations if v.code == "inspection.record.no_media"]
    # "at least one photo or audio-video record" is the platform's reading of 国办发〔2018〕118号
    # (which asks for audio-video records "根据实际情况"): labelled as a platform rule, not as law.
    assert no_media and no_media[0].legal_basis.startswith("平台规则") and "118号" in no_media[0].legal_basis


def test_a_violation_found_opens_a_penalty_case_with_the_photo():
    world = world_make()
    carried_out(world)
    inspection = inspection_act(actor=world.users[0], inspection_id=world.inspection.pk,
                                action="inspection_send_result",
                                data={"outcome": "violation", "findings": "超范围经营", "sent_on": timezone.localdate()})
    inspection.refresh_from_db()
    case = Case.objects.get(pk=inspection.penalty_case_id)
    assert case.agency_id == world.agency.pk and case.party.credit_code == world.target.credit_code
    assert set(case.officers.values_list("pk", flat=True)) == {o.pk for o in world.officers}
    assert EvidenceRecord.objects.filter(case=case, kind="photo").count() == 1
    assert Entry.objects.filter(kind=EventKind.INSPECTION_CASE_LINKED, case_id=case.pk).exists()


def test_a_rectification_order_schedules_the_follow_up():
    world = world_make()
    carried_out(world)
    due = timezone.localdate() + dt.timedelta(days=30)
    inspection_act(actor=world.users[0], inspection_id=world.inspection.pk, action="inspection_send_result",
                   data={"outcome": "rectify", "findings": "标签不规范", "rectification_due": due,
                         "sent_on": timezone.localdate()})
    follow_up = Inspection.objects.get(follow_up_of=world.inspection)
    assert follow_up.source == InspectionSource.FOLLOW_UP and follow_up.state == InspectionState.ASSIGNED
    assert follow_up.planned_from == due + dt.timedelta(days=1)
    assert list(follow_up.items.all()) == [world.item]

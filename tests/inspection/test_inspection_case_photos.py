"""A photo of the visit becomes a case's evidence once a penalty case is opened on the violation
found (案源登记): from then on it is read under the case's read rule, the same answer the evidence
pages give. A county supervisor reads a case's records only under a read grant (调阅案卷, 系统权限规则):
without one the photo is refused with the 需经调阅 page and nothing is recorded; with one it is
served and the access names the grant. A body that joined the visit (综合查一次) does not read the
other body's case evidence (404, as the evidence page answers), and each body still reads its own.
The bytes leave with the evidence download's headers: never cached, sandboxed, framed by this site
only (issue 17, review)."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.ledger.models import Entry
from tests.factories import agency_make, user_make
from tests.inspection.builders import World, closed, photo, world_make
from tests.inspection.test_inspection_joint_cases import recorded, violation
from tests.supervision.support import read_grant_give

pytestmark = pytest.mark.django_db


def case_opened(world: World) -> EvidenceRecord:
    """The world's visit recorded with its item not complying and a violation told: the organiser's
    case is registered as a lead and the photo its officer filed is the case's evidence."""
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in world.officers], "certificates_shown": True, "enterprise_signed": True,
        "checklist": world.checklist("fail"), "on": timezone.localdate()})
    done = inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_send_result", data=violation())
    record = EvidenceRecord.objects.get(original_name="a.png")
    assert done.penalty_case is not None and done.penalty_case.state == "lead"
    assert record.case_id == done.penalty_case_id  # the photo is now the case's evidence
    return record


def supervisor_make():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True, region_code="150626")
    user = user_make(role=Role.SUPERVISOR, agency=bureau)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return user, client


def photo_url(record: EvidenceRecord, inspection_id: int) -> str:
    return reverse("inspection:photo_file", args=[inspection_id, record.pk])


def test_a_supervisor_without_a_read_grant_is_sent_to_call_the_case_file_up_nothing_recorded():
    world = world_make()
    record = case_opened(world)
    _user, client = supervisor_make()
    page = client.get(reverse("inspection:detail", args=[world.inspection.pk]))
    assert page.status_code == 200  # the visit itself: read
    assert f'href="{photo_url(record, world.inspection.pk)}"' not in page.content.decode()  # no link that fails
    assert "a.png" in page.content.decode() and "已转为案件证据，查阅需经调阅" in page.content.decode()
    entries, accesses = Entry.objects.count(), AccessLogEntry.objects.count()
    refused = client.get(photo_url(record, world.inspection.pk))
    assert refused.status_code == 403 and "需经调阅" in refused.content.decode()
    evidence = client.get(reverse("evidence:download", args=[record.pk]))
    assert evidence.status_code == 403 and "需经调阅" in evidence.content.decode()  # the same answer
    assert (Entry.objects.count(), AccessLogEntry.objects.count()) == (entries, accesses)  # nothing served


def test_a_supervisor_under_a_read_grant_reads_the_photo_and_the_access_names_the_grant():
    world = world_make()
    record = case_opened(world)
    user, client = supervisor_make()
    grant = read_grant_give(case=record.case, user=user)
    page = client.get(reverse("inspection:detail", args=[world.inspection.pk])).content.decode()
    assert f'href="{photo_url(record, world.inspection.pk)}"' in page and "需经调阅" not in page
    response = client.get(photo_url(record, world.inspection.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    access = AccessLogEntry.objects.get(user=user)
    assert (access.object_id, access.case_id) == (str(record.pk), record.case_id)
    payload = json.loads(bytes(Entry.objects.get(seq=access.ledger_seq).body))["payload"]
    assert payload["read_grant"]["grant"] == grant.pk


def test_a_photo_without_a_case_is_still_read_by_the_countys_supervisor():
    world = world_make()
    inspection = closed(world)  # complied: no case, the photo stays the visit's
    record = EvidenceRecord.objects.get(original_name="a.png")
    assert record.case_id is None
    _user, client = supervisor_make()
    assert client.get(photo_url(record, inspection.pk)).status_code == 200


def test_a_joined_body_does_not_read_the_other_bodys_case_photo_each_reads_its_own():
    world, _agency, _head, _officers, officer_of_b = recorded(lead_finding="fail", joined_finding="fail")
    pk = world.inspection.pk
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_send_result", data=violation())
    theirs, own = EvidenceRecord.objects.get(original_name="a.png"), EvidenceRecord.objects.get(original_name="b.png")
    assert theirs.case_id is not None and own.case_id is None  # the organiser's case took its photo only
    joined = Client()
    joined.force_login(officer_of_b)
    organiser = Client()
    organiser.force_login(world.users[0])
    assert joined.get(photo_url(theirs, pk)).status_code == 404
    assert joined.get(reverse("evidence:record_view", args=[theirs.pk])).status_code == 404  # as the evidence page
    assert joined.get(photo_url(own, pk)).status_code == 200  # its own photo, no case yet
    assert organiser.get(photo_url(theirs, pk)).status_code == 200  # the case's own body
    inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_case_open", data={})
    assert EvidenceRecord.objects.get(pk=own.pk).case_id is not None
    assert joined.get(photo_url(own, pk)).status_code == 200
    assert organiser.get(photo_url(own, pk)).status_code == 404  # now the joined body's case evidence
    page = organiser.get(reverse("inspection:detail", args=[pk])).content.decode()
    assert f'href="{photo_url(theirs, pk)}"' in page and f'href="{photo_url(own, pk)}"' not in page
    assert "b.png" in page and "已转为案件证据" in page  # listed, without a link that would fail


def test_the_photo_leaves_with_the_evidence_downloads_headers():
    world = world_make()
    inspection = closed(world)
    officer = Client()
    officer.force_login(world.users[0])
    response = officer.get(photo_url(EvidenceRecord.objects.get(original_name="a.png"), inspection.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox; frame-ancestors 'self'"  # shown inline
    assert response["X-Frame-Options"] == "SAMEORIGIN" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_a_file_not_shown_inline_is_an_attachment_sandboxed_and_not_framed_by_this_site():
    from django.http import HttpResponse

    from sanxiang.inspection.inspection_views import stored_file_headers

    response = stored_file_headers(HttpResponse(), inline=False)
    assert response["Content-Security-Policy"] == "sandbox" and response["Cache-Control"] == "private, no-store"
    assert "X-Frame-Options" not in response  # left to the site's default (DENY)


def test_the_step_says_the_case_is_registered_as_a_lead_not_yet_opened():
    """The case the step makes is a lead (案源登记, the penalty case's state `lead`); 立案 is a later
    step of the case, on the head's approval: neither the step nor its refusals say 已立案."""
    from dataclasses import replace

    from sanxiang.procedure.inspection.rules import (
        CASE_FROM_RESULT_BASIS,
        InspectionRecord,
        ResultNotice,
        case_open_problems,
    )
    from sanxiang.procedure.inspection.steps import inspection_step
    from sanxiang.procedure.penalty.procedures import ORDINARY
    from tests.procedure.inspection.test_inspection_rules import DAY, assigned

    step = inspection_step("inspection_case_open")
    assert step.label == "本单位登记案源（立案查处）" and "登记案源" in step.help
    assert ORDINARY.state_label("lead") == "案源登记"  # how the case itself labels the state
    assert CASE_FROM_RESULT_BASIS.startswith("平台规则") and "登记案源" in CASE_FROM_RESULT_BASIS
    one = replace(assigned(trigger="planned"), state="closed",
                  record=InspectionRecord(on=DAY, officer_ids=(), certificates_shown=True, checklist=()),
                  result=ResultNotice(sent_on=DAY, outcome="violation", findings="无证经营"))
    [already] = case_open_problems(replace(one, cases=((one.body_ids[0], 7),)), body_id=one.body_ids[0])
    assert already.code == "inspection.case.already" and "已就本次检查发现的违法行为登记案源" in already.message

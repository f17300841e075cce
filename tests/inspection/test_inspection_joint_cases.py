"""综合查一次 (《海南省涉企行政检查条例（试行）》第十一条): a violation found opens a penalty case of the body
whose matter it is. A penalty is imposed by the body that holds the power, within its statutory
competence (《中华人民共和国行政处罚法》第十七条): in a visit of several bodies each inspects for its own
items, so a body that joined the visit opens its own case (案源登记) on an item of its own that the
record finds not complying, with its own officers and the photos its officers filed, linked to the
joint inspection, just as the organiser does. A body whose items all complied is refused, with the
lawful path (the bodies whose matter it is open theirs); a result of "violation" with no item found
not complying is refused; nothing is written on a refusal."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionSource, InspectionState
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.factories import user_make
from tests.inspection.builders import photo, world_make
from tests.inspection.test_inspection_joint import HEALTH, join, second_body

pytestmark = pytest.mark.django_db

PENALTY_LAW_17 = "《中华人民共和国行政处罚法》第十七条"
VIOLATION = {"outcome": "violation", "findings": "未取得公共场所卫生许可证经营", "sent_on": None}


def recorded(*, lead_finding: str, joined_finding: str):
    """A visit of two bodies recorded: each body's officer filed a photo, the checklist finds the
    organiser's item `lead_finding` and the joined body's `joined_finding`."""
    world = world_make(source=InspectionSource.PLANNED)
    agency, head, officers, item = second_body(world)
    join(world, head, item, officers)
    pk = world.inspection.pk
    officer_of_b = user_make(role=Role.OFFICER, agency=agency, officer=officers[0])
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    inspection_photo_add(actor=officer_of_b, inspection_id=pk, source=photo(), original_name="b.png")
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in (*world.officers, *officers)], "certificates_shown": True,
        "enterprise_signed": True, "on": timezone.localdate(),
        "checklist": [*world.checklist(lead_finding), {"item_id": item.pk, "point": "卫生许可", "finding": joined_finding}]})
    return world, agency, head, officers, officer_of_b


def violation() -> dict:
    return VIOLATION | {"sent_on": timezone.localdate()}


def test_the_joined_bodys_violation_opens_its_own_case_with_its_officers_and_photos():
    world, agency, _head, officers, officer_of_b = recorded(lead_finding="pass", joined_finding="fail")
    pk = world.inspection.pk
    closed = inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_send_result", data=violation())
    assert closed.state == InspectionState.CLOSED
    case = closed.penalty_case
    assert case is not None and case.agency == agency  # its own agency, not the organiser's
    assert case.enforcement_field == HEALTH
    inspection = sel.inspection_load(pk=pk)
    assert sel.inspection_snapshot(inspection).cases == ((agency.pk, case.pk),)  # linked to the joint inspection
    carried = EvidenceRecord.objects.filter(case=case)
    assert [r.original_name for r in carried] == ["b.png"]  # its officers' photo; the organiser's stays
    assert EvidenceRecord.objects.get(original_name="a.png").case_id is None
    link = Entry.objects.filter(kind=EventKind.INSPECTION_CASE_LINKED).get()
    payload = json.loads(bytes(link.body))["payload"]
    assert payload["body"] == agency.pk and payload["case"] == case.pk
    assert {o.pk for o in case.officers.all()} == {o.pk for o in officers}


def test_a_body_whose_items_complied_may_not_open_a_case_outside_its_competence():
    world, agency, head, _officers, officer_of_b = recorded(lead_finding="pass", joined_finding="fail")
    pk = world.inspection.pk
    inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_send_result", data=violation())
    entries = Entry.objects.count()
    with pytest.raises(Refused) as refused:  # the organiser's item complied: not its matter
        inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_case_open", data={})
    [outside] = refused.value.violations
    assert outside.code == "inspection.case.outside_competence"
    assert outside.legal_basis.startswith(PENALTY_LAW_17)
    assert world.agency.name in outside.message and f"请由{agency.name}就其检查事项依法立案" in outside.message
    assert Entry.objects.count() == entries and not world.agency.cases.exists()  # nothing written
    with pytest.raises(Refused) as again:  # the joined body's case is opened once
        inspection_act(actor=head, inspection_id=pk, action="inspection_case_open", data={})
    assert [v.code for v in again.value.violations] == ["inspection.case.already"]


def test_each_body_with_a_failed_item_opens_its_own_case_from_the_page():
    world, agency, head, _officers, _officer_of_b = recorded(lead_finding="fail", joined_finding="fail")
    pk = world.inspection.pk
    closed = inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_send_result", data=violation())
    assert closed.penalty_case.agency == world.agency  # the sender's body: the organiser's own case
    client = Client(enforce_csrf_checks=True)
    client.force_login(head)  # the joined body's head
    url = reverse("inspection:detail", args=[pk])
    page = client.get(url).content.decode()
    # The case opened is a lead (案源登记, state `lead`): 立案 comes later in the case, on the head's approval.
    assert 'data-testid="case-open-form"' in page and f"{world.agency.name}已登记案源" in page and "已立案查处" not in page
    assert "本单位登记案源（立案查处）</button>" in page and closed.penalty_case.state == "lead"
    assert 'data-testid="penalty-case"' not in page  # the organiser's case does not open for another body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    action = reverse("inspection:act", args=[pk, "inspection_case_open"])
    assert client.post(action).status_code == 403  # no token
    assert client.post(action, {"csrfmiddlewaretoken": token}).status_code == 302
    cases = sel.inspection_snapshot(sel.inspection_load(pk=pk)).cases
    assert [body for body, _ in cases] == [world.agency.pk, agency.pk]
    own = agency.cases.get()
    assert own.pk == cases[1][1] and [r.original_name for r in EvidenceRecord.objects.filter(case=own)] == ["b.png"]
    page = client.get(url).content.decode()
    assert 'data-testid="case-open-form"' not in page
    assert reverse("cases:case_detail", args=[own.pk]) in page  # its own case opens from the inspection
    organiser = Client()
    organiser.force_login(world.head)
    assert 'data-testid="case-open-form"' not in organiser.get(url).content.decode()  # already opened


def test_a_violation_result_with_no_item_found_not_complying_is_refused():
    world, _agency, _head, _officers, officer_of_b = recorded(lead_finding="pass", joined_finding="pass")
    pk = world.inspection.pk
    with pytest.raises(Refused) as refused:
        inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_send_result", data=violation())
    [none] = refused.value.violations
    assert none.code == "inspection.result.violation_no_failed_item" and none.legal_basis.startswith(PENALTY_LAW_17)
    assert Inspection.objects.get(pk=pk).state == InspectionState.RECORDED  # nothing written
    closed = inspection_act(actor=officer_of_b, inspection_id=pk, action="inspection_send_result",
                            data={"outcome": "pass", "sent_on": timezone.localdate()})  # the lawful path
    assert closed.state == InspectionState.CLOSED and closed.penalty_case is None
    with pytest.raises(Refused) as no_case:
        inspection_act(actor=world.head, inspection_id=pk, action="inspection_case_open", data={})
    assert [v.code for v in no_case.value.violations] == ["inspection.case.no_violation"]


def test_the_rule_pure_one_body_is_competent_a_stranger_never_a_refused_ratification_blocks():
    """`case_open_problems` without a database: a visit of one body opens its case on a violation
    as before; a body not of the visit, and a visit whose emergency start the head refused to
    ratify (海南 第十五条), open none."""
    from dataclasses import replace

    from sanxiang.procedure.inspection.rules import (
        ChecklistEntry,
        EmergencyStart,
        HeadApproval,
        InspectionRecord,
        ResultNotice,
        case_open_problems,
    )
    from tests.procedure.inspection.test_inspection_rules import DAY, assigned

    one = replace(assigned(trigger="planned"), state="closed",
                  record=InspectionRecord(on=DAY, officer_ids=(), certificates_shown=True,
                                          checklist=(ChecklistEntry(1, "许可证", "pass"),)),
                  result=ResultNotice(sent_on=DAY, outcome="violation", findings="无证经营"))
    lead = one.body_ids[0]
    assert case_open_problems(one, body_id=lead) == []
    assert [v.code for v in case_open_problems(one, body_id=lead + 1000)] == ["inspection.case.not_a_body"]
    assert [v.code for v in case_open_problems(replace(one, cases=((lead, 7),)), body_id=lead)] \
        == ["inspection.case.already"]
    refused = replace(one, emergency=EmergencyStart(DAY, "氨气泄漏"),
                      approval=HeadApproval("李主任", DAY, approved=False, reason="不属于紧急情况"))
    [blocked] = case_open_problems(refused, body_id=lead)
    assert blocked.code == "inspection.case.emergency_refused" and blocked.legal_basis.endswith("第十五条")

"""A lead from the 12345 hotline or the enterprise channel about one inspection (涉企行政执法诉求沟通机制,
《民营经济促进法》第五十三条; 《行政执法监督条例》第二十条) names it by its 检查码, as the portal's complaint
does: the lead reaches the desk linked to the inspection (a platform rule: the code names it), and
the supervisor opens the inspection from it. An unknown or malformed code, or a code of another
body, is refused beside its field in Chinese, the form kept, nothing written (422, never a 500);
the lawful path is the right code, the right body, or no code."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.inspection.inspection_services import inspection_act
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.supervision.models import Complaint, Matter
from tests.inspection.builders import world_make
from tests.supervision.complaint_support import form_token
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

TEXT = "企业来电反映：同一周内被检查三次，检查人员要求法定代表人全程陪同。"


def approved_world():
    world = world_make()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    world.inspection.refresh_from_db()
    return world


def lead(world, **fields) -> dict:
    return {"channel": "enterprise", "channel_reference": "QY-2026-0001", "agency": world.agency.pk,
            "description": TEXT, "pending_remedy": "none", "anonymous": "on",
            "inspection_code": world.inspection.code} | fields


def test_a_lead_with_the_inspections_code_reaches_the_desk_linked_to_it():
    world = approved_world()
    desk = desk_make()
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.first)
    url = reverse("supervision:lead_new")
    assert 'name="inspection_code"' in client.get(url).content.decode()
    token = form_token(client, url)
    code = world.inspection.code
    done = client.post(url, lead(world, inspection_code=f" {code.lower()} ", channel="hotline_12345",
                                 channel_reference="12345-20261201-0007", csrfmiddlewaretoken=token))
    assert done.status_code == 302
    complaint = Complaint.objects.select_related("matter").get()
    assert complaint.inspection_id == world.inspection.pk and complaint.matter.source == MatterSource.HOTLINE_12345
    assert world.target.name in complaint.matter.subject and "涉及的行政检查" in complaint.matter.summary
    entry = Entry.objects.get(kind=EventKind.SUPERVISION_COMPLAINT_RECEIVED)
    assert json.loads(bytes(entry.body))["payload"]["inspection"] == world.inspection.pk
    # the supervisor follows the lead to the inspection's page, and reads it
    detail = client.get(reverse("supervision:complaint_detail", args=[complaint.pk])).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="complaint-inspection-link"', detail).group(1)
    assert link == reverse("inspection:detail", args=[world.inspection.pk])
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("code, message", [
    ("ZZZZZZZZZZ", "没有这个检查码"),
    ("检查码１２３", "检查码由字母和数字组成"),
    ("A" * 17, "检查码不超过16个字符"),
    ("AB\x00CD", "检查码含有不能识别的字符"),
])
def test_an_unknown_or_malformed_code_is_refused_beside_its_field_nothing_written(code, message):
    world = approved_world()
    desk = desk_make()
    client = Client()
    client.force_login(desk.first)
    response = client.post(reverse("supervision:lead_new"), lead(world, inspection_code=code))
    page = response.content.decode()
    assert response.status_code == 422 and message in page and TEXT in page  # the form kept
    assert not Complaint.objects.exists() and not Matter.objects.exists()
    # the lawful paths: no code, or the right one
    assert client.post(reverse("supervision:lead_new"), lead(world, inspection_code="")).status_code == 302
    assert client.post(reverse("supervision:lead_new"), lead(world)).status_code == 302
    assert [c.inspection_id for c in Complaint.objects.order_by("pk")] == [None, world.inspection.pk]


def test_a_code_of_another_body_is_refused_beside_the_agency():
    world, other = approved_world(), approved_world()
    desk = desk_make()
    client = Client()
    client.force_login(desk.first)
    response = client.post(reverse("supervision:lead_new"), lead(world, inspection_code=other.inspection.code))
    assert response.status_code == 422 and f"该检查码的检查主体是{other.agency.name}" in response.content.decode()
    assert not Complaint.objects.exists()

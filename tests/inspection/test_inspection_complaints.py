"""A complaint about one inspection (涉企行政执法诉求沟通机制, 《民营经济促进法》第五十三条; issue 17):
from the 检查码's public page the enterprise reaches the portal's complaint form prefilled with the
code and the inspecting body; the complaint (CSRF checks on, limited per address like the rest)
reaches the 司法局's desk with the inspection linked (a platform rule: the code names it). An
unknown code, or a code of another body, is refused with every reason, beside its field, nothing
written; the lawful path is the right code, the right body, or no code at all."""

import html as html_lib
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.inspection.inspection_services import inspection_act
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.supervision.complaint_services import complaint_receive
from sanxiang.supervision.models import Complaint
from tests.inspection.builders import world_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

TEXT = "检查人员要求法定代表人全程陪同，并提出推荐指定的检测机构。"


def approved():
    """An approved inspection (its 检查码 issued), its body on the public registry, and the desk of
    its county's 司法局."""
    world = world_make()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    world.inspection.refresh_from_db()
    public_registry_refresh(agency_id=world.agency.pk)
    return world, desk_make()


def form(world, **fields) -> dict:
    return {"agency": world.agency.pk, "description": TEXT, "happened_on": "", "pending_remedy": "none",
            "name": "乌审旗示例食品有限公司", "phone": "13912345678", "id_number": "", "website": "",
            "inspection_code": world.inspection.code} | fields


def test_from_the_code_page_the_complaint_reaches_the_desk_with_the_inspection_linked():
    world, desk = approved()
    code = world.inspection.code
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("inspection_code:page", args=[code])).content.decode()
    link = html_lib.unescape(re.search(r'href="([^"]+)" data-testid="code-complain"', page).group(1))
    assert link == f"{reverse('complaints:new')}?jc={code}&agency={world.agency.pk}"
    blank = client.get(link).content.decode()
    assert f'value="{code}"' in blank and f'<option value="{world.agency.pk}" selected>' in blank
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', blank).group(1)
    assert client.post(reverse("complaints:new"), form(world)).status_code == 403  # no token: nothing stored
    assert not Complaint.objects.exists()
    receipt = client.post(reverse("complaints:new"), form(world, csrfmiddlewaretoken=token))
    assert receipt.status_code == 200 and "查询码只在本页显示这一次" in receipt.content.decode()
    complaint = Complaint.objects.select_related("matter").get()
    assert complaint.inspection_id == world.inspection.pk and complaint.bureau == desk.bureau
    assert world.target.name in complaint.matter.subject and "涉及的行政检查" in complaint.matter.summary
    entry = Entry.objects.get(kind=EventKind.SUPERVISION_COMPLAINT_RECEIVED)
    assert json.loads(bytes(entry.body))["payload"]["inspection"] == world.inspection.pk
    supervisor = Client()
    supervisor.force_login(desk.first)
    detail = supervisor.get(reverse("supervision:complaint_detail", args=[complaint.pk])).content.decode()
    shown = re.sub(r"<[^>]+>", "", re.search(r'data-testid="complaint-inspection">(.*?)</dd>', detail, re.S).group(1))
    assert world.target.name in shown and code in shown and "双随机抽查" in shown


def test_an_unknown_code_and_a_code_of_another_body_are_refused_with_every_reason():
    world, _ = approved()
    other, _ = approved()
    with pytest.raises(Refused) as refused:
        complaint_receive(agency_id=world.agency.pk, channel="portal", anonymous=True, name="", phone="",
                          id_number="", happened_on=None, description="短", pending_remedy="none",
                          inspection_code="ZZZZZZZZZZ")
    by_code = {v.code: v for v in refused.value.violations}
    assert "complaint.inspection_code" in by_code and len(by_code) >= 2  # with the short text's reason
    assert by_code["complaint.inspection_code"].message.startswith("没有这个检查码")
    assert "《中华人民共和国民营经济促进法》第五十三条" in by_code["complaint.inspection_code"].legal_basis
    response = Client().post(reverse("complaints:new"), form(world, inspection_code=other.inspection.code))
    page = response.content.decode()
    assert response.status_code == 422 and f"该检查码的检查主体是{other.agency.name}" in page
    assert TEXT in page and not Complaint.objects.exists()
    # the lawful paths: the right body, or no code at all
    assert Client().post(reverse("complaints:new"), form(other, inspection_code=other.inspection.code.lower())
                         ).status_code == 200
    assert Client().post(reverse("complaints:new"), form(world, inspection_code="")).status_code == 200
    assert [c.inspection_id for c in Complaint.objects.order_by("pk")] == [other.inspection.pk, None]


def test_complaints_with_a_code_count_against_the_same_hourly_limit():
    world, _ = approved()
    client = Client(REMOTE_ADDR="203.0.113.70")
    for _ in range(5):
        assert client.post(reverse("complaints:new"), form(world, inspection_code="ZZZZZZZZZZ")).status_code == 422
    response = client.post(reverse("complaints:new"), form(world))
    assert response.status_code == 429 and not Complaint.objects.exists()

"""The officer's phone pages and the public 检查码 page (issue 17 part B): the day's list, one
inspection's forms with CSRF checks on, a bad form answered beside its field with the input kept
(422, nothing written), the 检查码 page open to anyone and showing no one's personal data but the
officers' names and certificate numbers, the QR drawn on the server, other agencies kept out, and
the pages' queries bounded whatever the number of inspections."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionState
from sanxiang.ledger.models import Entry
from tests.factories import agency_make, officer_make, user_make
from tests.inspection.builders import photo, world_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post(client: Client, inspection: Inspection, url: str, data: dict):
    html = client.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def act_url(inspection, action):
    return reverse("inspection:act", args=[inspection.pk, action])


def test_the_officer_carries_out_the_inspection_through_the_pages():
    world = world_make()
    head, officer = csrf_client(world.head), csrf_client(world.users[0])
    inspection = world.inspection
    assert head.post(act_url(inspection, "inspection_approve"), {"approval": "agree"}).status_code == 403  # no token
    assert post(head, inspection, act_url(inspection, "inspection_approve"), {"approval": "agree"}).status_code == 302
    today = officer.get(reverse("inspection:today")).content.decode()
    assert world.target.name in today and 'data-testid="today-item"' in today
    assert post(officer, inspection, act_url(inspection, "inspection_start"), {}).status_code == 302
    page = officer.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    inspection.refresh_from_db()
    assert inspection.code in page and reverse("inspection:qr", args=[inspection.pk]) in page
    html = page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    photo_file = photo()
    photo_file.name = "现场.png"
    answer = officer.post(reverse("inspection:photo", args=[inspection.pk]),
                          {"csrfmiddlewaretoken": token, "photo": photo_file})
    assert answer.status_code == 302
    form = {"on": timezone.localdate().isoformat(), "officer_ids": [o.pk for o in world.officers],
            f"point_{world.item.pk}": "许可证在有效期内", f"finding_{world.item.pk}": "pass",
            "certificates_shown": "on", "enterprise_signed": "on"}
    assert post(officer, inspection, act_url(inspection, "inspection_record"), form).status_code == 302
    page = officer.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert f"应于{timezone.localdate():%Y年%-m月%-d日}前告知企业" in page and "第二十二条" in page
    answer = post(officer, inspection, act_url(inspection, "inspection_send_result"),
                  {"outcome": "pass", "sent_on": timezone.localdate().isoformat()})
    assert answer.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.CLOSED and inspection.counts_in_statistics


def test_an_item_checked_off_site_first_can_end_there():
    # 海南 第十六条 (a parameter): the visit is refused until the off-site check; when that check
    # reached the purpose, the inspection ends off-site and the result is told.
    world = world_make()
    world.item.offsite_first = True
    world.item.save()
    inspection = world.inspection
    inspection_act(actor=world.head, inspection_id=inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    officer = csrf_client(world.users[0])
    html = post(officer, inspection, act_url(inspection, "inspection_start"), {}).content.decode()
    assert "须先进行书面核查" in html and "第十六条" in html
    today = timezone.localdate().isoformat()
    answer = post(officer, inspection, act_url(inspection, "inspection_offsite"), {"offsite_on": today})
    assert answer.status_code == 422 and "请选择非现场检查的方式" in answer.content.decode()
    answer = post(officer, inspection, act_url(inspection, "inspection_offsite"),
                  {"method": "written", "offsite_on": today, "sufficient": "on", "offsite_findings": "资料齐全"})
    assert answer.status_code == 302
    assert post(officer, inspection, act_url(inspection, "inspection_conclude_offsite"), {}).status_code == 302
    assert post(officer, inspection, act_url(inspection, "inspection_send_result"),
                {"outcome": "pass", "sent_on": today}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.CLOSED and inspection.counts_in_statistics


def test_a_bad_form_is_answered_beside_its_field_with_the_input_kept():
    world = world_make()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=world.inspection.pk, action="inspection_start", data={})
    officer = csrf_client(world.users[0])
    entries = Entry.objects.count()
    form = {"on": "2026-13-40", "officer_ids": [world.officers[0].pk], f"point_{world.item.pk}": "自填的检查内容"}
    answer = post(officer, world.inspection, act_url(world.inspection, "inspection_record"), form)
    html = answer.content.decode()
    assert answer.status_code == 422 and "检查日期格式不正确" in html and "自填的检查内容" in html
    # With a good date, every reason of the engine at once, each with its basis.
    form["on"] = timezone.localdate().isoformat()
    html = post(officer, world.inspection, act_url(world.inspection, "inspection_record"), form).content.decode()
    assert "不少于2名" in html and "“自填的检查内容”尚未填写检查结论" in html
    assert "须以照片或者音像记录" in html and "须主动向企业出示执法证件" in html
    assert "《中华人民共和国行政处罚法》第四十二条" in html
    assert Entry.objects.count() == entries
    world.inspection.refresh_from_db()
    assert world.inspection.state == InspectionState.IN_PROGRESS


def test_the_code_page_is_public_and_names_no_one_else():
    world = world_make()
    inspection = inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                                data={"approval": "agree"})
    html = Client().get(reverse("inspection_code:page", args=[inspection.code])).content.decode()
    assert world.agency.name in html and 'data-testid="code-valid"' in html
    for officer in world.officers:
        assert officer.name in html and officer.certificates.first().number in html
        assert officer.id_number not in html
    assert world.item.name in html and world.item.legal_basis in html
    assert world.target.legal_representative not in html and world.target.address not in html
    assert Client().get(reverse("inspection_code:page", args=["ABCDEFGHJK"])).status_code == 404
    assert Client().get("/jc/abc/").status_code == 404
    svg = csrf_client(world.users[0]).get(reverse("inspection:qr", args=[inspection.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_other_agencies_and_officers_not_sent_are_kept_out():
    world = world_make(officers=1)
    other = agency_make()
    outsider = user_make(role=Role.OFFICER, agency=other, officer=officer_make(agency=other))
    colleague = world.users[1]  # same agency, not sent
    for user in (outsider, colleague):
        client = csrf_client(user)
        assert client.get(reverse("inspection:detail", args=[world.inspection.pk])).status_code == 403
        assert client.get(reverse("inspection:qr", args=[world.inspection.pk])).status_code == 403
    anonymous = Client().get(reverse("inspection:detail", args=[world.inspection.pk]))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]


def test_the_pages_cost_the_same_whatever_the_number_of_inspections():
    world = world_make()
    inspection_act(actor=world.head, inspection_id=world.inspection.pk, action="inspection_approve",
                   data={"approval": "agree"})
    inspection_photo_add(actor=world.users[0], inspection_id=world.inspection.pk, source=photo(), original_name="a.png")
    client = csrf_client(world.users[0])
    urls = [reverse("inspection:today"), reverse("inspection:detail", args=[world.inspection.pk])]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with queries_without_ledger_writes() as q:
                assert client.get(url).status_code == 200
            found.append(q.count)
        return found

    before = counts()
    for _ in range(3):
        more = Inspection.objects.create(agency=world.agency, target=world.target, source="planned",
                                         planned_from=timezone.localdate(),
                                         planned_to=timezone.localdate() + dt.timedelta(days=3),
                                         state=InspectionState.APPROVED)
        more.items.set([world.item])
        more.officers.set(world.officers)
    assert counts() == before
